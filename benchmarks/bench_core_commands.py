"""The repeated-game core's headline commands in units of ``python -c "import numpy,
scipy, sympy"`` measured in the same run (issue "One exact, fast core").

No anchor library computes critical discount factors, tipping points or the Nash region
of a strategy profile, so the yardstick is the import time of the libraries the work
needs, as the developers' guide asks.

Run: ``python benchmarks/bench_core_commands.py [--runs 3] [--quick]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

SINGLE_ISSUE = [
    "prisoners-dilemma",
    "chicken",
    "stag-hunt",
    "us-china-export-controls-2025",
    "us-china-tariffs-2025",
    "us-china-rare-earth-dependence-2025",
]


def timed(cmd: list[str], runs: int) -> float:
    """Median wall-clock seconds of ``runs`` runs of a command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the linked accord")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("negotiation"))
    unit = timed([sys.executable, "-c", "import numpy, scipy, sympy"], max(args.runs, 5))
    print(f"unit: python -c 'import numpy, scipy, sympy' = {unit:.3f} s (median)")
    rows: list[tuple[str, float]] = []
    for sid in SINGLE_ISSUE:
        rows.append((f"compare {sid}", timed([exe, "compare", sid], args.runs)))
    if not args.quick:
        linked = "us-china-linked-accord-2025"
        rows.append((f"compare {linked}", timed([exe, "compare", linked], args.runs)))
    grim = timed([exe, "stability", "prisoners-dilemma", "--strategy", "grim_trigger"], args.runs)
    rows.append(("stability prisoners-dilemma --strategy grim_trigger", grim))
    for k in (2, 6, 10, 20, 50):
        cmd = [exe, "stability", "prisoners-dilemma", "--strategy", f"k_period_punishment(k={k})"]
        rows.append((" ".join(cmd[1:]), timed(cmd, args.runs)))
    width = max(len(name) for name, _ in rows)
    for name, t in rows:
        extra = f"  ({t / grim:.2f}x grim_trigger)" if "k_period" in name else ""
        print(f"{name:<{width}}  {t:7.2f} s  {t / unit:6.1f} units{extra}")


if __name__ == "__main__":
    main()
