"""Run every benchmark in this folder, one after the other (``make bench``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent

for script in (
    "bench_cli_startup.py",
    "bench_batch_3x3.py",
    "bench_sweep_100x100.py",
    "bench_simulate.py",
    "bench_extreme_10x10.py",
    "bench_linked_9x9.py",
    "bench_core_commands.py",
    "bench_frontier.py",
    "bench_method_choice.py",
):
    print(f"\n=== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)
