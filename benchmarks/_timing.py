"""Small timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable


def best_of(func: Callable[[], object], repeat: int = 3) -> float:
    """Fastest wall-clock time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def median_of(func: Callable[[], object], repeat: int = 5) -> float:
    """Median wall-clock time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


#: The shipped scenarios with one issue (the linked accord has two).
SINGLE_ISSUE = [
    "prisoners-dilemma",
    "chicken",
    "stag-hunt",
    "us-china-export-controls-2025",
    "us-china-tariffs-2025",
    "us-china-rare-earth-dependence-2025",
]


def median_command(cmd: list[str], runs: int) -> float:
    """Median wall-clock seconds of ``runs`` runs of a command (output captured)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
