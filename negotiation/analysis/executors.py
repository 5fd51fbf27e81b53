"""Where work runs: in this process, in forked worker processes, or on dask.

Every executor returns the results in input order, so a sweep's output does not depend
on where it ran.

Local workers (:func:`run_forked`, and :func:`run_chunks` with ``executor="local"``)
are forked from this process, at most one per available CPU (:func:`available_cpus`).
They inherit the function and the jobs (nothing but job indices and results crosses the
pipes), ignore Ctrl-C (the parent handles it) and are killed with their parent (Linux
``PR_SET_PDEATHSIG``): Ctrl-C, SIGTERM or an error in the parent kills and reaps every
worker at once, and SIGKILL of the parent kills them through the kernel. A worker that
dies (out of memory, killed) is an error naming its fate, not a hang.

On dask (``executor="dask"``) the scheduler address is checked up front, the scheduler
must answer a handshake within :data:`CONNECT_TIMEOUT` seconds, and a cluster that
loses its scheduler or all its workers for :data:`LOST_CLUSTER_TIMEOUT` seconds is an
error; Ctrl-C cancels the work and disconnects cleanly.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from negotiation.errors import NegotiationError

__all__ = [
    "CONNECT_TIMEOUT",
    "EXECUTORS",
    "LOST_CLUSTER_TIMEOUT",
    "available_cpus",
    "run_chunks",
    "run_forked",
    "scheduler_address",
    "worker_count",
]

#: Names accepted by :func:`run_chunks`.
EXECUTORS = ("local", "dask")

#: Seconds to reach a dask scheduler and complete its handshake.
CONNECT_TIMEOUT = 10.0

#: Seconds a dask cluster may be without its scheduler, or without any worker while work
#: is pending, before the run is given up.
LOST_CLUSTER_TIMEOUT = 30.0

#: Seconds between checks of a dask cluster's health while nothing completes.
HEALTH_CHECK_SECONDS = 2.0

#: URL schemes of dask scheduler addresses.
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")

Progress = Callable[[int, int], None]


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one).

    Examples
    --------
    >>> available_cpus() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int) -> int:
    """The worker processes actually used for ``requested``: at least 1, at most
    :func:`available_cpus` (more processes than CPUs only cost memory).

    Examples
    --------
    >>> worker_count(1), worker_count(10_000) == available_cpus()
    (1, True)
    """
    return max(1, min(int(requested), available_cpus()))


# ---------------------------------------------------------------- local workers


def _in_process(fn: Callable[[Any], Any], jobs: Sequence[Any], report: Progress) -> list:
    out = []
    for k, job in enumerate(jobs):
        out.append(fn(job))
        report(k + 1, len(jobs))
    return out


def _prctl() -> Any:
    """libc's ``prctl`` (looked up before forking), or None where there is none."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return None


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives a pickle round trip, else an equivalent that does."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        text = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, NegotiationError):
            return NegotiationError(str(exc))
        return RuntimeError(f"in a worker process: {text}")


def _worker(
    fn: Callable[[Any], Any], jobs: Sequence[Any], conn: Any, parent: int, prctl: Any
) -> None:
    """A forked worker's life: run the jobs whose indices arrive, send back results."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        if prctl is not None:
            prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the parent
        if os.getppid() != parent:  # the parent died before prctl took effect
            return
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        while True:
            try:
                k = conn.recv()
            except EOFError:
                break
            if k is None:
                break
            try:
                message: tuple[int, bool, Any] = (k, True, fn(jobs[k]))
            except BaseException as exc:
                message = (k, False, _portable(exc))
            try:
                conn.send(message)
            except Exception as exc:  # an unpicklable result
                conn.send((k, False, _portable(exc)))
        code = 0
    finally:
        os._exit(code)  # never return into the parent's stack


def _fate(pid: int) -> str:
    """How a dead worker ended (it is reaped)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return "ended"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        hint = " (out of memory?)" if sig == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    return f"exited with code {os.WEXITSTATUS(status)}"


def _reap(pids: Sequence[int], kill: bool) -> None:
    """Kill (when ``kill``) and wait for every worker, so that none is left behind."""
    if kill:
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    for pid in pids:
        with suppress(ChildProcessError):
            os.waitpid(pid, 0)


def _fork_map(
    fn: Callable[[Any], Any], jobs: Sequence[Any], workers: int, report: Progress
) -> list:
    """``fn`` over ``jobs`` in ``workers`` forked processes, results in order."""
    from multiprocessing.connection import Pipe, wait

    total = len(jobs)
    parent = os.getpid()
    prctl = _prctl()
    conns: dict[Any, int] = {}  # parent's end of each worker's pipe -> its pid
    ok = False
    try:
        # Signals wait until every worker has set up its own handlers.
        masked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            for _ in range(min(workers, total)):
                try:
                    mine, theirs = Pipe()
                    pid = os.fork()
                except OSError as exc:  # out of processes, memory or file descriptors
                    raise NegotiationError(
                        f"cannot start worker processes ({exc.strerror or exc}): try fewer --jobs"
                    ) from None
                if pid == 0:  # pragma: no cover - runs in the worker
                    for other in [mine, *conns]:
                        other.close()
                    _worker(fn, jobs, theirs, parent, prctl)
                theirs.close()
                conns[mine] = pid
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, masked)
        results: list[Any] = [None] * total
        sent = done = 0

        def died(conn: Any) -> NegotiationError:
            pid = conns.pop(conn)
            conn.close()
            return NegotiationError(f"a worker process stopped: pid {pid} {_fate(pid)}")

        def dispatch(conn: Any) -> None:
            nonlocal sent
            try:
                conn.send(sent)
            except OSError:
                raise died(conn) from None
            sent += 1

        for conn in list(conns):
            dispatch(conn)
        busy = set(conns)
        while busy:
            ready: list[Any] = wait(list(busy))
            for conn in ready:
                try:
                    k, success, value = conn.recv()
                except (EOFError, OSError):
                    raise died(conn) from None
                if not success:
                    raise value
                results[k] = value
                done += 1
                report(done, total)
                if sent < total:
                    dispatch(conn)
                else:
                    busy.discard(conn)
        ok = True
        return results
    finally:
        for conn in conns:
            conn.close()  # idle workers see the end of their input and exit
        _reap(list(conns.values()), kill=not ok)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises SystemExit in this (main) thread, so clean-up code runs."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_forked(
    fn: Callable[[Any], Any],
    jobs: Sequence[Any],
    workers: int,
    progress: Progress | None = None,
) -> list:
    """Apply ``fn`` (any callable: workers inherit it by ``fork``, with every cache
    this process has built) to every job, in ``workers`` processes, results in order.

    At most :func:`available_cpus` processes run. In this process when ``workers <= 1``,
    when there is at most one job, or where ``fork`` is not available. Results must be
    picklable; jobs need not be (workers inherit them). Ctrl-C, SIGTERM or an error
    kills and reaps every worker at once; a worker that dies is a NegotiationError.

    Examples
    --------
    >>> run_forked(lambda k: k * k, range(5), workers=2)
    [0, 1, 4, 9, 16]
    """
    jobs = list(jobs)
    report = progress or (lambda done, total: None)
    workers = worker_count(workers)
    if workers <= 1 or len(jobs) <= 1 or not hasattr(os, "fork"):
        return _in_process(fn, jobs, report)
    with _sigterm_raises():
        return _fork_map(fn, jobs, workers, report)


# ------------------------------------------------------------------------ dask


def scheduler_address(text: str) -> str:
    """A dask scheduler address, checked: ``SCHEME://HOST:PORT`` (``tcp://`` if none).

    Raises
    ------
    NegotiationError
        Anything else (the message names the address).

    Examples
    --------
    >>> scheduler_address("10.0.0.5:8786"), scheduler_address("tls://[::1]:8786")
    ('tcp://10.0.0.5:8786', 'tls://[::1]:8786')
    >>> scheduler_address("not an address")
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: --scheduler 'not an address': expected an address such as tcp://10.0.0.5:8786
    """
    import re
    from urllib.parse import urlsplit

    bad = NegotiationError(
        f"--scheduler {text!r}: expected an address such as tcp://10.0.0.5:8786"
    )
    if not isinstance(text, str) or len(text) > 1000 or not text.isprintable():
        raise bad
    address = text.strip()
    if "://" not in address:
        address = f"tcp://{address}"
    try:
        parts = urlsplit(address)
        port = parts.port
    except ValueError:
        raise bad from None
    host = parts.hostname or ""
    hostname = re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?", host)
    if (
        parts.scheme not in SCHEDULER_SCHEMES
        or port is None
        or not 1 <= port <= 65535
        or not (hostname or (":" in host and re.fullmatch(r"[0-9A-Fa-f:.]+", host)))
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise bad
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def _quiet_distributed() -> Iterator[None]:
    """distributed's own log lines and warnings (tracebacks of lost connections, "large
    graph") stay out of the output; failures become one NegotiationError instead."""
    import logging
    import warnings

    names = [
        name
        for name in [*logging.root.manager.loggerDict, "distributed", "tornado"]
        if name.split(".")[0] in ("distributed", "tornado")
    ]
    loggers = [logging.getLogger(name) for name in dict.fromkeys(names)]
    before = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Sending large graph")
            yield
    finally:
        for lg, disabled in zip(loggers, before):
            lg.disabled = disabled


def _probe(address: str) -> None:
    """Check, within :data:`CONNECT_TIMEOUT`, that a dask scheduler answers at ``address``.

    distributed's own connection waits for a handshake without a time limit, and reads
    a garbage answer (say, an HTTP server's) as the length of a huge message."""
    import asyncio
    import socket

    from distributed.comm import connect

    where = f"the dask scheduler at {address}"
    if address.startswith("tcp://"):  # a refused connection is known at once
        host, _, port = address[len("tcp://") :].rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT).close()
        except OSError as exc:
            raise NegotiationError(f"cannot reach {where}: {exc.strerror or exc}") from None

    async def identity() -> Any:
        comm = await connect(address, timeout=CONNECT_TIMEOUT)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    try:
        answer = asyncio.run(asyncio.wait_for(identity(), CONNECT_TIMEOUT))
    except (asyncio.TimeoutError, TimeoutError):
        raise NegotiationError(
            f"cannot reach {where}: no dask handshake within {CONNECT_TIMEOUT:g} s"
        ) from None
    except MemoryError:  # a garbage answer read as the length of a huge message
        raise NegotiationError(
            f"cannot reach {where}: what answers there does not speak the dask protocol "
            "(an HTTP server?)"
        ) from None
    except Exception as exc:  # refused, reset, closed, TLS, ...
        raise NegotiationError(
            f"cannot reach {where}: {type(exc).__name__}: {str(exc)[:200]}"
        ) from None
    if not (isinstance(answer, dict) and answer.get("type") == "Scheduler"):
        raise NegotiationError(f"cannot reach {where}: what answers there is not a scheduler")


def _connect(address: str) -> Any:
    from distributed import Client

    _probe(address)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:
        raise NegotiationError(
            f"cannot connect to the dask scheduler at {address}: {type(exc).__name__}: "
            f"{str(exc)[:200]}"
        ) from None


def _worker_total(client: Any) -> int | None:
    """Workers of the cluster, or None when the scheduler cannot tell."""
    try:
        info = client.scheduler_info(n_workers=-1)
    except Exception:
        return None
    if "n_workers" in info:
        return int(info["n_workers"])
    return len(info.get("workers", {}))


class _TaskError(Exception):
    """Carries an exception raised by the function on a worker, to be raised as is (not
    taken for a failure of the cluster)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _collect(client: Any, futures: list, address: str, report: Progress) -> list:
    """The futures' results in order; a lost cluster is a NegotiationError in bounded
    time (:data:`LOST_CLUSTER_TIMEOUT`)."""
    import queue
    import time

    from distributed.scheduler import KilledWorker

    arrived: queue.Queue[Any] = queue.Queue()
    for f in futures:
        f.add_done_callback(arrived.put)
    index = {f.key: k for k, f in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    done = 0
    trouble: float | None = None  # since when the cluster has been unwell
    while done < len(futures):
        try:
            fut = arrived.get(timeout=HEALTH_CHECK_SECONDS)
        except queue.Empty:
            fut = None
        if fut is not None:
            trouble = None
            if fut.status == "finished":
                results[index[fut.key]] = fut.result()
                done += 1
                report(done, len(futures))
                continue
            if fut.status == "error":
                exc = fut.exception()
                if isinstance(exc, KilledWorker):
                    raise NegotiationError(
                        f"the dask cluster at {address} lost a chunk with its workers "
                        "several times (they died running it: out of memory?)"
                    ) from None
                raise _TaskError(exc)
            raise NegotiationError(
                f"lost the connection to the dask scheduler at {address}: "
                f"its work was {fut.status}"
            )
        healthy = client.status == "running" and (_worker_total(client) or 0) > 0
        now = time.monotonic()
        if healthy:
            trouble = None
        elif trouble is None:
            trouble = now
        elif now - trouble > LOST_CLUSTER_TIMEOUT:
            what = "its scheduler" if client.status != "running" else "every worker"
            raise NegotiationError(
                f"the dask cluster at {address} lost {what} for more than "
                f"{LOST_CLUSTER_TIMEOUT:g} s; giving up"
            )
    return results


def _dask(fn: Callable[[Any], Any], jobs: Sequence[Any], scheduler: Any, report: Progress) -> list:
    import asyncio
    import concurrent.futures

    try:
        import dask
        from distributed import Client
    except ImportError:
        raise NegotiationError(
            "--executor dask needs dask.distributed: pip install 'negotiation[distributed]'"
        ) from None
    if scheduler is None:
        raise NegotiationError("--executor dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    own = not isinstance(scheduler, Client)
    address = scheduler_address(scheduler) if own else str(scheduler.scheduler.address)
    timeouts = {"distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT}s"}
    with _quiet_distributed(), dask.config.set(timeouts), _sigterm_raises():
        client = _connect(address) if own else scheduler
        futures: list = []
        ok = False
        try:
            futures = client.map(fn, list(jobs), pure=False)
            results = _collect(client, futures, address, report)
            ok = True
            return results
        except _TaskError as failed:
            raise failed.error from None
        except (  # the connection closed, refused, timed out; the futures cancelled
            OSError,
            TimeoutError,
            asyncio.CancelledError,
            concurrent.futures.CancelledError,
        ) as exc:
            raise NegotiationError(
                f"lost the connection to the dask scheduler at {address}: "
                f"{type(exc).__name__}: {str(exc)[:200]}"
            ) from None
        finally:
            if not ok and futures:
                with suppress(Exception):  # the cluster may be gone: nothing to cancel
                    client.cancel(futures)
            if own:
                with suppress(Exception):
                    client.close(timeout=CONNECT_TIMEOUT)


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
        For dask, a module-level function (it is pickled to the workers); locally any
        callable (workers inherit it).
    jobs : sequence
    executor : {"local", "dask"}
        ``"local"``: in this process, or in ``workers`` forked processes (see
        :func:`run_forked`; never more than :func:`available_cpus`).
        ``"dask"``: on the dask.distributed cluster at ``scheduler``.
    workers : int
    scheduler : str or distributed.Client, optional
        Scheduler address (``tcp://host:8786``, see :func:`scheduler_address`) or a
        connected client.
    progress : callable, optional
        Called as ``progress(done, total)`` after each job.

    Raises
    ------
    NegotiationError
        Unknown executor; a worker died; the scheduler is unreachable (after at most
        :data:`CONNECT_TIMEOUT` s) or the cluster was lost (after
        :data:`LOST_CLUSTER_TIMEOUT` s). An error raised by ``fn`` is raised as is.

    Examples
    --------
    >>> run_chunks(abs, [-1, 2, -3])
    [1, 2, 3]
    >>> run_chunks(abs, [-1, 2, -3], workers=2)
    [1, 2, 3]
    """
    report = progress or (lambda done, total: None)
    if executor == "local":
        return run_forked(fn, jobs, workers, report)
    if executor == "dask":
        return _dask(fn, jobs, scheduler, report)
    raise NegotiationError(f"unknown executor {executor!r}: use one of {', '.join(EXECUTORS)}")
