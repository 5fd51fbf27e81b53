"""Running the CLI in a fresh process under a memory cap and a time limit (shared by the
hostile-input tests)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_capped(
    *args: str, memory: int, timeout: float, limit: bool = True, **kw: Any
) -> tuple[subprocess.CompletedProcess, float]:
    """``negotiation ARGS`` in a subprocess with at most ``memory`` bytes of address space
    (when ``limit``): (completed process, seconds taken)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    kw.setdefault("cwd", ROOT)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "negotiation.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap if limit else None,
        check=False,
        **kw,
    )
    return proc, time.monotonic() - start
