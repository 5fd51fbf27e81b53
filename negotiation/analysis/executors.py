"""Where a sweep's chunks run: in this process, in local worker processes, or on dask.

All three return the chunk results in input order, so a sweep's output does not depend
on where it ran.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from negotiation.errors import NegotiationError

__all__ = ["EXECUTORS", "available_cpus", "run_chunks", "run_forked"]

#: Names accepted by :func:`run_chunks`.
EXECUTORS = ("local", "dask")

Progress = Callable[[int, int], None]


def _local(
    fn: Callable[[Any], Any], jobs: Sequence[Any], workers: int, progress: Progress
) -> list:
    total = len(jobs)
    if workers <= 1 or total <= 1:
        out = []
        for k, job in enumerate(jobs):
            out.append(fn(job))
            progress(k + 1, total)
        return out
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: list[Any] = [None] * total
    with ProcessPoolExecutor(max_workers=min(workers, total)) as pool:
        futures = {pool.submit(fn, job): k for k, job in enumerate(jobs)}
        for done, fut in enumerate(as_completed(futures), start=1):
            results[futures[fut]] = fut.result()
            progress(done, total)
    return results


def _dask(
    fn: Callable[[Any], Any], jobs: Sequence[Any], scheduler: Any, progress: Progress
) -> list:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise NegotiationError(
            "--executor dask needs dask.distributed: pip install 'negotiation[distributed]'"
        ) from None
    if scheduler is None:
        raise NegotiationError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, timeout=30) if own else scheduler
    except OSError as exc:
        raise NegotiationError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
    try:
        futures = client.map(fn, list(jobs), pure=False)
        index = {f.key: k for k, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for done, fut in enumerate(as_completed(futures), start=1):
            results[index[fut.key]] = fut.result()
            progress(done, len(futures))
        return results
    finally:
        if own:
            client.close()


def run_chunks(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    *,
    executor: str = "local",
    workers: int = 1,
    scheduler: Any = None,
    progress: Progress | None = None,
) -> list:
    """Apply ``fn`` to every job and return the results in order.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled to other processes).
    jobs : sequence
    executor : {"local", "dask"}
        ``"local"``: in this process, or in ``workers`` processes when ``workers > 1``.
        ``"dask"``: on the dask.distributed cluster at ``scheduler``.
    workers : int
    scheduler : str or distributed.Client, optional
        Scheduler address (``tcp://host:8786``) or a connected client.
    progress : callable, optional
        Called as ``progress(done, total)`` after each job.

    Examples
    --------
    >>> run_chunks(abs, [-1, 2, -3])
    [1, 2, 3]
    """
    report = progress or (lambda done, total: None)
    if executor == "local":
        return _local(fn, jobs, workers, report)
    if executor == "dask":
        return _dask(fn, jobs, scheduler, report)
    raise NegotiationError(f"unknown executor {executor!r}: use one of {', '.join(EXECUTORS)}")


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one).

    Examples
    --------
    >>> available_cpus() >= 1
    True
    """
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


#: The function :func:`run_forked`'s workers apply (inherited through ``fork``).
_FORKED: Callable[[Any], Any] | None = None


def _forked_init() -> None:
    """Worker set-up: Ctrl-C is the parent's to handle, and a worker dies with its
    parent (Linux ``PR_SET_PDEATHSIG``) so none is ever left behind."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _forked_call(job: Any) -> Any:
    assert _FORKED is not None
    return _FORKED(job)


def run_forked(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    workers: int,
    progress: Progress | None = None,
) -> list:
    """Apply ``fn`` (any callable: workers inherit it by ``fork``, with every cache
    this process has built) to every job, in ``workers`` processes, results in order.

    In this process when ``workers <= 1``, when there is at most one job, or where
    ``fork`` is not available. Jobs and results must be picklable. Ctrl-C or SIGTERM
    stops the workers at once and leaves none behind.

    Examples
    --------
    >>> run_forked(lambda k: k * k, range(5), workers=2)
    [0, 1, 4, 9, 16]
    """
    import multiprocessing
    import signal

    global _FORKED
    jobs = list(jobs)
    report = progress or (lambda done, total: None)
    total = len(jobs)
    if workers <= 1 or total <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        for k, job in enumerate(jobs):
            out.append(fn(job))
            report(k + 1, total)
        return out

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    import threading

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    _FORKED = fn
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, total), initializer=_forked_init) as pool:
            results = []
            for k, r in enumerate(pool.imap(_forked_call, jobs)):
                results.append(r)
                report(k + 1, total)
            return results
    finally:
        _FORKED = None
        if main:
            signal.signal(signal.SIGTERM, previous)
