"""Work spread over processes: same results in the same order, errors that arrive
intact, and no process left behind when the command is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from negotiation.analysis.compare import compare
from negotiation.analysis.executors import available_cpus, run_forked
from negotiation.errors import GameError
from negotiation.scenario import load_scenario


def _square(k):
    return k * k


def test_run_forked_keeps_the_order_and_the_closures():
    offset = 7
    assert run_forked(lambda k: k + offset, range(20), workers=2) == [k + 7 for k in range(20)]
    assert run_forked(_square, [], workers=2) == []
    assert run_forked(_square, [3], workers=2) == [9]


def test_run_forked_reports_progress_in_order():
    seen = []
    run_forked(_square, range(6), workers=2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(k, 6) for k in range(1, 7)]


def _fails(k):
    if k == 3:
        raise GameError("job 3 is bad")
    return k


def test_run_forked_passes_a_worker_error_on():
    with pytest.raises(GameError, match="job 3 is bad"):
        run_forked(_fails, range(6), workers=2)


def test_compare_does_not_depend_on_the_processes():
    s = load_scenario("us-china-export-controls-2025")
    one = compare(s, jobs=1)
    two = compare(s, jobs=2)
    assert [c.tipping for c in one.columns] == [c.tipping for c in two.columns]
    assert one.rows() == two.rows()
    assert available_cpus() >= 1


def _children(pid):
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split()[2] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and ps")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_compare_leaves_no_worker(sig):
    proc = subprocess.Popen(
        [sys.executable, "-m", "negotiation.cli.main", "compare", "us-china-linked-accord-2025"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if not workers:  # pragma: no cover - a one-CPU machine: nothing runs in parallel
        proc.wait(timeout=120)
        pytest.skip("compare ran in one process")
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    proc.wait(timeout=30)
    err = proc.stderr.read().decode()
    assert "Traceback" not in err
    assert proc.returncode != 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
