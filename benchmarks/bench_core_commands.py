"""The repeated-game core's headline commands in units of ``python -c "import numpy,
scipy, sympy"`` measured in the same run (issue "One exact, fast core").

No anchor library computes critical discount factors, tipping points or the Nash region
of a strategy profile, so the yardstick is the import time of the libraries the work
needs, as the developers' guide asks.

Run: ``python benchmarks/bench_core_commands.py [--runs 3] [--quick]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _timing import SINGLE_ISSUE, median_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the linked accord")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("negotiation"))
    unit = median_command([sys.executable, "-c", "import numpy, scipy, sympy"], max(args.runs, 5))
    print(f"unit: python -c 'import numpy, scipy, sympy' = {unit:.3f} s (median)")
    rows: list[tuple[str, float]] = []
    for sid in SINGLE_ISSUE:
        rows.append((f"compare {sid}", median_command([exe, "compare", sid], args.runs)))
    if not args.quick:
        linked = "us-china-linked-accord-2025"
        rows.append((f"compare {linked}", median_command([exe, "compare", linked], args.runs)))
        k2 = ["--strategy", "grim_trigger", "--strategy", "k_period_punishment(k=2)"]
        rows.append(
            (
                f"compare {linked} {' '.join(k2)}",
                median_command([exe, "compare", linked, *k2], args.runs),
            )
        )
    grim = median_command(
        [exe, "stability", "prisoners-dilemma", "--strategy", "grim_trigger"], args.runs
    )
    rows.append(("stability prisoners-dilemma --strategy grim_trigger", grim))
    for k in (2, 6, 10, 20, 50):
        cmd = [exe, "stability", "prisoners-dilemma", "--strategy", f"k_period_punishment(k={k})"]
        rows.append((" ".join(cmd[1:]), median_command(cmd, args.runs)))
    width = max(len(name) for name, _ in rows)
    for name, t in rows:
        extra = f"  ({t / grim:.2f}x grim_trigger)" if "k_period" in name else ""
        print(f"{name:<{width}}  {t:7.2f} s  {t / unit:6.1f} units{extra}")


if __name__ == "__main__":
    main()
