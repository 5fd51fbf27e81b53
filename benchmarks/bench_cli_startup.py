"""Start-up time of ``negotiation --help`` against ``python -c "import click"``.

Run: ``python benchmarks/bench_cli_startup.py [--runs 20]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _timing import median_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("negotiation"))
    base = median_command([sys.executable, "-c", "import click"], args.runs)
    help_ = median_command([exe, "--help"], args.runs)
    print(f"python -c 'import click' : {base * 1000:7.1f} ms (median of {args.runs})")
    print(f"negotiation --help       : {help_ * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio                    : {help_ / base:7.2f}x")


if __name__ == "__main__":
    main()
