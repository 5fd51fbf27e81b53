"""Work spread over processes: same results in the same order, errors that arrive
intact, and no process left behind when the command is stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from negotiation.analysis.compare import compare
from negotiation.analysis.executors import available_cpus, run_forked
from negotiation.errors import GameError, NegotiationError
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


def test_a_signal_during_the_forks_never_runs_the_parents_code(tmp_path):
    """A SIGTERM that reaches a worker before its set-up must kill it, not run this
    process's SIGTERM handler in the copy (which would carry on as a second parent)."""
    script = tmp_path / "storm.py"
    marker = tmp_path / "after"
    script.write_text(
        "import os, signal, sys\n"
        "from negotiation.analysis.executors import run_forked\n"
        "me = os.getpid()\n"
        "for _ in range(20):\n"
        "    try:\n"
        "        run_forked(lambda k: k, range(8), workers=2)\n"
        "    except (SystemExit, Exception):\n"
        "        pass\n"
        "    if os.getpid() != me:\n"
        f"        open({str(marker)!r}, 'a').write('child carried on\\n')\n"
        "        os._exit(0)\n"
        "print('done')\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    # while it forks pools, signal every child it makes
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        for child in _children(proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)
    proc.communicate(timeout=30)
    assert not marker.exists()


def _dies(k):
    if k == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.05)
    return k


def test_a_worker_that_dies_ends_the_run_with_a_clear_error():
    start = time.monotonic()
    with pytest.raises(NegotiationError, match="worker process stopped"):
        run_forked(_dies, range(8), workers=2)
    assert time.monotonic() - start < 20


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
    # the linked accord with two strategies: several seconds of work in the workers
    cmd = ["compare", "us-china-linked-accord-2025", "--strategy", "grim_trigger"]
    cmd += ["--strategy", "k_period_punishment(k=2)"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "negotiation.cli.main", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # SIGINT as a terminal user has it, even when this test run was started with
        # it ignored (in the background), which Python would keep
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if not workers:  # pragma: no cover - a one-CPU machine: nothing runs in parallel
        proc.wait(timeout=120)
        assert proc.returncode == 0, proc.stderr.read().decode()
        pytest.skip("compare ran in one process")
    time.sleep(0.3)  # the workers are at work
    assert proc.poll() is None, "compare ended before it could be stopped"
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    proc.wait(timeout=30)
    err = proc.stderr.read().decode()
    assert "Traceback" not in err
    assert proc.returncode != 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers)
