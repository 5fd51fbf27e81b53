"""Start-up time of ``negotiation --help`` against ``python -c "import click"``.

Run: ``python benchmarks/bench_cli_startup.py [--runs 20]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("negotiation"))
    base = timed([sys.executable, "-c", "import click"], args.runs)
    help_ = timed([exe, "--help"], args.runs)
    print(f"python -c 'import click' : {base * 1000:7.1f} ms (median of {args.runs})")
    print(f"negotiation --help       : {help_ * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio                    : {help_ / base:7.2f}x")


if __name__ == "__main__":
    main()
