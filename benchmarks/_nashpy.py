"""nashpy, run in a child process with a time limit (its enumeration can take minutes)."""

from __future__ import annotations

import multiprocessing as mp
import time
import warnings

import numpy as np


def _nashpy_count(A: np.ndarray, B: np.ndarray, method: str, queue: mp.Queue) -> None:
    import nashpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        count = len(list(getattr(nashpy.Game(A, B), method)()))
        queue.put((count, time.perf_counter() - start))


def nashpy_timed(
    A: np.ndarray, B: np.ndarray, method: str, timeout: float
) -> tuple[int | None, float | None]:
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_nashpy_count, args=(A, B, method, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return queue.get()
