"""The command line and its execution layer under hostile input and faults.

One test (or parametrised case) per class of problem: resource exhaustion (jobs, grid
size, chunks, simulations), dask schedulers that are not one or that go away, signals
and dead workers, files that must not be half-written or written through a link,
terminal escape sequences from files, maths text in figures, OS errors on writes,
float options, ``validate`` of several files, and bad simulation settings.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import socket
import socketserver
import stat
import subprocess
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

import click
import pytest
from capped_cli import run_capped
from click.testing import CliRunner

from negotiation.analysis import executors
from negotiation.analysis.executors import available_cpus, run_chunks, scheduler_address
from negotiation.analysis.grid import MAX_PAYOFF_CELLS, MAX_POINTS, check_grid_size
from negotiation.analysis.sweep import MAX_CHUNKS, plan_chunks
from negotiation.cli import main as cli_main
from negotiation.cli.main import FiniteFloat, main
from negotiation.cli.render import (
    UNSAFE_CHARACTERS,
    safe_text,
    to_csv,
    to_json,
    to_latex,
    to_markdown,
    to_table,
)
from negotiation.errors import GameError, NegotiationError
from negotiation.output_files import atomic_path, check_target, write_text
from negotiation.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
PD = ROOT / "scenarios" / "prisoners-dilemma.yaml"
LINUX = sys.platform.startswith("linux")
#: Address-space limit of the subprocesses in the resource cases (1.5 GB).
MEMORY = 1_500_000_000
#: A sweep of about ten seconds on two workers.
LONG_SWEEP = ["sweep", "prisoners-dilemma", "--grid", "T=3:10:300", "--grid", "delta=0:0.9:200"]
HOSTILE = "A\x1b[2J\x1b]0;pwned\x07\x9b31m\x7f\r\u202e\u2066\u2028\ufeffZ"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def cli(*args: str, timeout: float = 60, limit: bool = True, **kw):
    """The CLI in a subprocess, with a memory limit; (process, seconds taken)."""
    return run_capped(*args, memory=MEMORY, timeout=timeout, limit=limit, **kw)


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"  # a zombie is dead for our purposes
    except FileNotFoundError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _assert_clean(text: str) -> None:
    assert "Traceback" not in text
    assert "internal error" not in text


# ------------------------------------------------------------ resource exhaustion


@pytest.mark.skipif(not LINUX, reason="uses ps")
def test_jobs_are_capped_by_the_cpus_and_say_so():
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "negotiation.cli.main",
            "sweep",
            "prisoners-dilemma",
            "--grid",
            "T=3:10:300",
            "--chunk-size",
            "1",
            "--jobs",
            "100",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limited,
        cwd=ROOT,
    )
    most = 0
    while proc.poll() is None:
        most = max(most, len(_children(proc.pid)))
        time.sleep(0.05)
    err = proc.stderr.read()
    assert proc.returncode == 0, err
    assert most <= available_cpus()
    if available_cpus() < 100:
        assert f"note: --jobs 100 capped at {available_cpus()}" in err
    assert "capped" in invoke("sweep", "--help").output
    assert "capped" in invoke("compare", "--help").output


def test_compare_says_when_its_jobs_are_capped():
    if available_cpus() >= 256:  # pragma: no cover - a huge machine
        pytest.skip("256 CPUs available")
    r = invoke("compare", "prisoners-dilemma", "--no-tipping", "--jobs", "256")
    assert r.exit_code == 0, r.output
    assert f"--jobs 256 capped at {available_cpus()}" in r.stderr


def test_a_huge_grid_is_refused_before_any_value_is_built():
    grids = ["--grid", "T=3:10:1000000", "--grid", "discount=0:0.9:1000000"]
    proc, took = cli("sweep", "prisoners-dilemma", *grids, timeout=30)
    assert proc.returncode == 1
    assert "1,000,000,000,000 points; at most 1,000,000" in proc.stderr
    assert took < 5, took  # 17-33 s before the fix
    with pytest.raises(NegotiationError, match="at most"):
        check_grid_size([MAX_POINTS, 2])


def test_payoff_cells_of_a_large_game_are_bounded():
    grids = ["--grid", "discount=0:0.9:1000", "--grid", "noise=0:0.1:1000"]
    proc, took = cli("sweep", "us-china-linked-accord-2025", *grids, timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert "of a 9x9 game" in proc.stderr and f"{MAX_PAYOFF_CELLS:,} payoff cells" in proc.stderr
    assert took < 5


def test_tiny_chunks_are_enlarged_and_say_so():
    assert plan_chunks(10 * MAX_CHUNKS, 1, 1)[0] == 10
    assert plan_chunks(MAX_CHUNKS, 1, 1) == (1, 1, [])
    r = invoke("sweep", "prisoners-dilemma", "--grid", "T=3:10:1001", "--chunk-size", "1")
    assert r.exit_code == 0, r.output
    assert "note: --chunk-size 1 raised to 2" in r.stderr
    assert len(r.stdout.strip().splitlines()) == 1002


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "2000000", "--rounds", "1000"], "at most 500,000,000 run-rounds"),
        (["--rounds", "1000000", "--runs", "1"], "at most 500,000 rounds"),
        (["--runs", "3000000"], "3000000 is not in the range"),
    ],
)
def test_simulations_are_bounded(args, message):
    proc, took = cli("simulate", "prisoners-dilemma", *args, timeout=30)
    assert proc.returncode in (1, 2), proc.stderr
    assert message in proc.stderr
    _assert_clean(proc.stderr)
    assert took < 10


def test_cli_simulation_limits_match_the_library():
    from negotiation.repeated import experiment

    params = {p.name: p for p in main.commands["simulate"].params}
    assert params["rounds"].type.max == experiment.MAX_ROUNDS
    assert params["runs"].type.max == experiment.MAX_RUNS


def test_a_simulation_too_big_to_keep_its_moves_still_reports(monkeypatch):
    # (a sibling: beyond MAX_KEPT_CELLS the discounted payoffs were an error)
    from negotiation.repeated import simulate as simulate_module

    monkeypatch.setattr(simulate_module, "MAX_KEPT_CELLS", 100)
    r = invoke("simulate", "prisoners-dilemma", "--runs", "50", "--rounds", "20")
    assert r.exit_code == 0, r.output
    assert "discounted payoff row" in r.stdout


# ------------------------------------------------------------------ dask schedulers


@pytest.mark.parametrize(
    "address",
    [
        "not an address",
        "tcp://127.0.0.1:99999",
        "http://host:80",
        "tcp://host",
        "tcp://:80",
        "tcp://a b:80",
        "tcp://host:80/path",
        "tcp://h\x1b[2J:80",
    ],
)
def test_a_malformed_scheduler_address_is_refused_at_once(address):
    with pytest.raises(NegotiationError, match="--scheduler"):
        scheduler_address(address)
    r = invoke(
        "sweep",
        "prisoners-dilemma",
        "--grid",
        "T=3:4:2",
        "--executor",
        "dask",
        "--scheduler",
        address,
    )
    assert r.exit_code == 1 and "--scheduler" in r.output
    assert not UNSAFE_CHARACTERS.search(r.output)


def test_good_scheduler_addresses():
    assert scheduler_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert scheduler_address(" head-node:8786 ") == "tcp://head-node:8786"
    assert scheduler_address("tls://[2001:db8::1]:8786") == "tls://[2001:db8::1]:8786"


@pytest.fixture
def http_server():
    import http.server

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_http_server_is_not_taken_for_a_scheduler(http_server, monkeypatch):
    pytest.importorskip("distributed")
    # distributed waits for the handshake without limit: CONNECT_TIMEOUT bounds it
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    start = time.monotonic()
    with pytest.raises(NegotiationError, match=f"dask scheduler at {http_server}"):
        run_chunks(abs, [1, -2], executor="dask", scheduler=http_server)
    assert time.monotonic() - start < 5


class _Garbage(socketserver.BaseRequestHandler):
    """Answers anything with an HTTP error, as a web server on the wrong port does."""

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            self.request.recv(65536)
            self.request.sendall(b"HTTP/1.0 400 Bad Request\r\nServer: x\r\n\r\n<html>" * 20)


@pytest.fixture
def garbage_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Garbage)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_garbage_handshake_is_a_clear_error_not_a_memory_error(garbage_server):
    pytest.importorskip("distributed")
    proc, took = cli(
        "sweep",
        "prisoners-dilemma",
        "--grid",
        "T=3:4:2",
        "--executor",
        "dask",
        "--scheduler",
        garbage_server,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"dask scheduler at {garbage_server}" in proc.stderr
    assert "does not speak the dask protocol" in proc.stderr
    _assert_clean(proc.stderr)
    assert "MemoryError" not in proc.stderr
    assert took < 15


def test_a_closed_port_fails_fast():
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    proc, took = cli(
        "sweep",
        "prisoners-dilemma",
        "--grid",
        "T=3:4:2",
        "--executor",
        "dask",
        "--scheduler",
        address,
        timeout=60,
    )
    assert proc.returncode == 1
    assert f"cannot reach the dask scheduler at {address}" in proc.stderr
    _assert_clean(proc.stderr)
    assert took < executors.CONNECT_TIMEOUT  # 32 s before the fix


def test_a_cluster_without_workers_gives_up_in_bounded_time(monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setattr(executors, "LOST_CLUSTER_TIMEOUT", 1.5)
    monkeypatch.setattr(executors, "HEALTH_CHECK_SECONDS", 0.3)
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", dashboard_address=None
    ) as cluster:
        start = time.monotonic()
        with pytest.raises(NegotiationError, match="lost every worker"):
            run_chunks(abs, [1, -2, 3], executor="dask", scheduler=cluster.scheduler_address)
        assert time.monotonic() - start < 15


@pytest.fixture(scope="module")
def dask_cluster():
    """A scheduler and one worker (no nanny) in their own processes, the worker
    registered with the scheduler before the tests use them."""
    distributed = pytest.importorskip("distributed")
    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():  # pragma: no cover
        pytest.skip("no dask command")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [str(dask), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        time.sleep(0.2)
    procs.append(
        subprocess.Popen(
            [str(dask), "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )
    with distributed.Client(address, timeout=30) as client:
        client.wait_for_workers(1, timeout=30)
    yield address, procs
    for p in procs:
        with contextlib.suppress(ProcessLookupError):
            p.kill()
        p.wait(timeout=10)


def _default_sigint() -> None:
    # A test run started in the background (nohup, `&` in a script) inherits SIGINT
    # ignored, and Python then keeps ignoring it: give the command Ctrl-C as a terminal
    # user has it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], **kw) -> subprocess.Popen:
    kw.setdefault("preexec_fn", _default_sigint)
    return subprocess.Popen(
        [sys.executable, "-m", "negotiation.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=ROOT,
        **kw,
    )


@pytest.mark.skipif(not LINUX, reason="signals a process group")
def test_ctrl_c_on_a_dask_sweep_is_a_clean_abort(dask_cluster, tmp_path):
    address, _ = dask_cluster
    out = tmp_path / "out.csv"
    big = [*LONG_SWEEP[:-1], "delta=0:0.9:600", "--chunk-size", "500"]
    proc = _start([*big, "--executor", "dask", "--scheduler", address, "-o", str(out)])
    time.sleep(4)
    assert proc.poll() is None, proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    start = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 5
    assert proc.returncode == 1 and "Aborted!" in err
    _assert_clean(err)
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(not LINUX, reason="kills processes")
def test_losing_the_scheduler_is_a_clear_error(dask_cluster, tmp_path):
    address, procs = dask_cluster
    big = [*LONG_SWEEP[:-1], "delta=0:0.9:600", "--chunk-size", "500"]
    proc = _start(
        [*big, "--executor", "dask", "--scheduler", address, "-o", str(tmp_path / "out.csv")]
    )
    time.sleep(4)
    assert proc.poll() is None, proc.communicate()
    procs[0].kill()  # the scheduler
    start = time.monotonic()
    _, err = proc.communicate(timeout=executors.LOST_CLUSTER_TIMEOUT + 30)
    assert time.monotonic() - start < executors.LOST_CLUSTER_TIMEOUT + 10
    assert proc.returncode == 1
    assert f"dask scheduler at {address}" in err or "lost" in err, err
    _assert_clean(err)
    assert "CommClosedError" not in err.split("Error:", 1)[0]  # no log lines before it
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------ signals and faults


@pytest.mark.skipif(not LINUX, reason="uses /proc and ps")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL, signal.SIGHUP])
def test_stopping_a_sweep_is_prompt_and_leaves_nothing(sig, tmp_path):
    out, plot = tmp_path / "out.csv", tmp_path / "out.png"
    proc = _start(
        [*LONG_SWEEP, "--jobs", "2", "--chunk-size", "500", "-o", str(out), "--plot", str(plot)]
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not workers and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if not workers:  # pragma: no cover - one CPU: nothing runs in parallel
        proc.kill()
        pytest.skip("the sweep ran in one process")
    time.sleep(0.5)
    assert proc.poll() is None, "the sweep ended before it could be stopped"
    os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)
    start = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 2.5  # 30 s (SIGINT) or never (SIGTERM) before
    assert proc.returncode != 0
    _assert_clean(err)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]
    assert not list(tmp_path.iterdir())  # no output, no figure, no temporary file


@pytest.mark.skipif(not LINUX, reason="uses /proc and ps")
def test_a_worker_killed_by_the_system_is_a_clear_error(tmp_path):
    proc = _start(
        [*LONG_SWEEP, "--jobs", "2", "--chunk-size", "500", "-o", str(tmp_path / "out.csv")]
    )
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    if len(workers) < 2:  # pragma: no cover
        proc.kill()
        pytest.skip("the sweep ran in one process")
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer does
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "worker process stopped" in err and "SIGKILL" in err
    _assert_clean(err)
    time.sleep(0.2)
    assert not [w for w in workers if _alive(w)]
    assert not list(tmp_path.iterdir())


def test_run_chunks_local_is_the_fork_pool():
    # a closure: impossible with the former ProcessPoolExecutor (pickled functions)
    offset = 3
    assert run_chunks(lambda k: k + offset, range(7), workers=2) == list(range(3, 10))
    with pytest.raises(GameError, match="bad"):
        run_chunks(_fails_on_two, range(5), workers=2)


def _fails_on_two(k: int) -> int:
    if k == 2:
        raise GameError("bad")
    return k


@pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG")
def test_workers_die_with_a_killed_parent(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(
        "import time\n"
        "from negotiation.analysis.executors import run_forked\n"
        "run_forked(lambda k: time.sleep(60), range(4), workers=2)\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT)
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(workers) < 2:
        time.sleep(0.05)
        workers = _children(proc.pid)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.05)
    assert workers and not [w for w in workers if _alive(w)]


# ----------------------------------------------------------------- written files


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("negotiation.output_files.os.fsync", interrupted)
    r = invoke("sweep", "prisoners-dilemma", "--grid", "T=3:4:2", "-o", str(target))
    assert r.exit_code == 1 and "Aborted!" in r.output
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failing_figure_leaves_no_file(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    def broken(self, *args, **kwargs):
        Path(args[0]).write_bytes(b"half a figure")
        raise ValueError("drawing failed")

    monkeypatch.setattr(Figure, "savefig", broken)
    r = invoke(
        "sweep", "prisoners-dilemma", "--grid", "T=3:4:2", "--plot", str(tmp_path / "f.png")
    )
    assert r.exit_code == 1
    assert not list(tmp_path.iterdir())


def test_sweep_output_file_is_the_stdout_text(tmp_path):
    out = tmp_path / "sweep.csv"
    r = invoke("sweep", "prisoners-dilemma", "--grid", "T=4:8:3", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert f"wrote {out}" in r.stderr and r.stdout == ""
    same = invoke("sweep", "prisoners-dilemma", "--grid", "T=4:8:3")
    assert out.read_text(encoding="utf-8") == same.stdout


def test_new_refuses_symlinks_and_existing_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").symlink_to(tmp_path / "target.yaml")  # dangling
    for extra in ([], ["--force"]):
        r = invoke("new", "s", *extra)
        assert r.exit_code == 1 and "symbolic link" in r.output
    assert not (tmp_path / "target.yaml").exists()
    (tmp_path / "t.yaml").write_text("mine", encoding="utf-8")
    os.chmod(tmp_path / "t.yaml", 0o640)
    r = invoke("new", "t")
    assert r.exit_code == 1 and "exists; use --force" in r.output
    assert (tmp_path / "t.yaml").read_text(encoding="utf-8") == "mine"
    r = invoke("new", "t", "--force")
    assert r.exit_code == 0, r.output
    assert "schema: 1" in (tmp_path / "t.yaml").read_text(encoding="utf-8")
    assert stat.S_IMODE((tmp_path / "t.yaml").stat().st_mode) == 0o640  # kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml", "t.yaml"]


def _targets(tmp_path: Path) -> list[tuple[list[str], str]]:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    cases = [
        (["new", "x", "-o", "no/dir/x.yaml"], "no/dir/x.yaml"),
        (["new", "x", "-o", str(fifo), "--force"], str(fifo)),
        (
            ["sweep", "prisoners-dilemma", "--grid", "T=3:4:2", "-o", "no/dir/x.csv"],
            "no/dir/x.csv",
        ),
        (["simulate", "prisoners-dilemma", "--plot", "no/dir/x.png"], "no/dir/x.png"),
        (["compare", "prisoners-dilemma", "--no-tipping", "--plot", str(fifo)], str(fifo)),
    ]
    if os.path.isdir("/proc"):
        cases += [
            (["new", "x", "-o", "/proc/x.yaml"], "/proc/x.yaml"),
            (
                ["sweep", "prisoners-dilemma", "--grid", "T=3:4:2", "--plot", "/proc/x.png"],
                "/proc/x.png",
            ),
            (
                ["sweep", "prisoners-dilemma", "--grid", "T=3:4:2", "-o", "/proc/x.csv"],
                "/proc/x.csv",
            ),
        ]
    if os.path.exists("/dev/full") and os.geteuid() != 0:  # root could replace it
        cases.append((["new", "x", "-o", "/dev/full", "--force"], "/dev/full"))
    return cases


def test_every_written_file_reports_os_errors_by_name_before_the_work(tmp_path):
    for args, path in _targets(tmp_path):
        r = invoke(*args)
        assert r.exit_code == 1, (args, r.output)
        assert f"cannot write {path}" in r.output or f"cannot draw to '{path}'" in r.output
        assert r.stdout == "", args  # refused before any output was computed
        _assert_clean(r.output)
    assert stat.S_ISFIFO((tmp_path / "fifo.yaml").stat().st_mode)  # untouched


def test_atomic_helpers(tmp_path):
    with pytest.raises(NegotiationError, match="not a file name"):
        check_target(tmp_path / "..")
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "a.txt") as part:
        part.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert not list(tmp_path.iterdir())
    write_text(tmp_path / "a.txt", "whole")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "whole"


# ------------------------------------------------------------ terminal injection


@pytest.mark.parametrize("render", [to_table, to_csv, to_markdown, to_latex])
def test_every_text_format_escapes_control_characters(render):
    out = render(["h" + HOSTILE], [[HOSTILE, 1.5], ["ok", HOSTILE]])
    assert not UNSAFE_CHARACTERS.search(out)
    assert "\\x1b[2J" in out or "\\textbackslash{}x1b" in out


def test_json_escapes_control_characters_and_round_trips():
    out = to_json({"title": HOSTILE, "labels": [HOSTILE]})
    assert not UNSAFE_CHARACTERS.search(out)
    assert json.loads(out) == {"title": HOSTILE, "labels": [HOSTILE]}


def test_safe_text_keeps_printable_text():
    text = "US–China détente: δ ≥ ε̂, 中美, 🕊️ (ZWJ\u200d kept)\n\ttab"
    assert safe_text(text) == text
    assert safe_text(safe_text(HOSTILE)) == safe_text(HOSTILE)


def _hostile_nfg(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.nfg"
    path.write_bytes(
        b'NFG 1 R "T\x1b]0;pwned\x07\xe2\x80\xae" { "R\x1b[31m" "C" }\n\n'
        b'{ { "u\x1b[2J" "d" }\n{ "l" "r\xc2\x9b" }\n}\n""\n\n1 1 0 0 0 0 1 1\n'
    )
    return path


@pytest.mark.parametrize("command", ["show", "solve", "validate"])
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_text_from_a_game_file_never_reaches_the_terminal_raw(tmp_path, command, fmt):
    path = str(_hostile_nfg(tmp_path))
    args = [command, path] if command == "validate" else [command, path, "--format", fmt]
    r = invoke(*args)
    assert not UNSAFE_CHARACTERS.search(r.output), r.output
    if fmt == "json" and r.exit_code == 0 and command != "validate":
        json.loads(r.stdout)


@pytest.fixture
def bidi_scenario(tmp_path):
    """A scenario whose title, summary and a description hold characters the loader
    lets through but a terminal acts on (bidi override, isolate, line separator)."""
    text = PD.read_text(encoding="utf-8")
    text = text.replace('title: "Prisoner\'s Dilemma"', 'title: "Prisoner\\u202es \\u2066D"')
    text = text.replace('description: "Defection pays', 'description: "\\u2028Defection pays')
    path = tmp_path / "bidi.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("args", "titled"),
    [
        (["show"], True),
        (["show", "--format", "json"], False),
        (["solve"], True),
        (["stability"], True),
        (["compare", "--no-tipping"], True),
        (["compare", "--no-tipping", "--format", "markdown"], False),
        (["compare", "--no-tipping", "--format", "latex"], False),
        (["compare", "--no-tipping", "--format", "json"], False),
        (["sweep", "--grid", "T=3:4:2", "--format", "table"], True),
        (["simulate", "--runs", "20", "--rounds", "10"], True),
    ],
)
def test_text_from_a_scenario_never_reaches_the_terminal_raw(bidi_scenario, args, titled):
    r = invoke(args[0], bidi_scenario, *args[1:])
    assert r.exit_code == 0, r.output
    assert not UNSAFE_CHARACTERS.search(r.output)
    if titled:
        assert "\\u202e" in r.output  # shown, visibly


def test_error_messages_and_warnings_are_made_safe(monkeypatch):
    r = invoke("show", f"no-such-{HOSTILE}.yaml")
    assert r.exit_code == 1 and not UNSAFE_CHARACTERS.search(r.output)
    r = invoke("show", "chicken", "--format", HOSTILE)
    assert r.exit_code == 2 and not UNSAFE_CHARACTERS.search(r.output)
    r = invoke(HOSTILE)
    assert r.exit_code == 2 and not UNSAFE_CHARACTERS.search(r.output)

    def loud(*args, **kwargs):
        import warnings

        warnings.warn(f"odd value {HOSTILE}", stacklevel=1)
        raise NegotiationError(f"{HOSTILE} went wrong")

    monkeypatch.setattr(cli_main, "load_source", loud)
    r = invoke("show", "chicken")
    assert r.exit_code == 1
    assert "odd value" in r.output and "went wrong" in r.output
    assert not UNSAFE_CHARACTERS.search(r.output)


# ------------------------------------------------------------------ figures


@pytest.fixture
def maths_scenario(tmp_path):
    """Free text with matplotlib maths markup (which fails to parse) in the title, a
    parameter's description and its unit."""
    text = PD.read_text(encoding="utf-8")
    text = text.replace('title: "Prisoner\'s Dilemma"', "title: 'Costs $#_x$ \\$ end'")
    text = text.replace(
        'unit: "payoff", description: "Temptation',
        'unit: "$\\\\frac{1}{0}$", description: "$#_x$ Temptation',
    )
    path = tmp_path / "maths.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_unescaped_maths_markup_breaks_a_figure(tmp_path):
    """The hazard is real: the title as written fails in matplotlib's parser."""
    from negotiation.analysis.plots.figure import figure, text

    fig = figure(3, 2)
    fig.suptitle("Costs $#_x$ and more")
    with pytest.raises(ValueError):
        fig.savefig(tmp_path / "raw.png")
    fig.suptitle(text("Costs $#_x$ and more"))
    fig.savefig(tmp_path / "escaped.png")


@pytest.mark.parametrize(
    "args",
    [
        ["sweep", "--grid", "T=3:10:4", "--grid", "delta=0.1:0.9:3", "--plot", "f.png"],
        ["sweep", "--grid", "T=3:10:4", "--plot", "f.svg"],
        ["sweep", "--grid", "T=3:10:4", "--plot-metric", "verdict", "--plot", "f.png"],
        ["compare", "--no-tipping", "--plot", "f.pdf"],
        ["simulate", "--runs", "50", "--rounds", "20", "--plot", "f.png"],
    ],
)
def test_figures_show_text_from_files_literally(maths_scenario, args, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    r = invoke(args[0], maths_scenario, *args[1:])
    assert r.exit_code == 0, r.output
    assert (tmp_path / args[-1]).stat().st_size > 1000


# ------------------------------------------------------------------ options


def _float_options():
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param.type, click.FloatRange | type(click.FLOAT)):
                yield name, param


def test_every_float_option_is_finite_checked():
    found = list(_float_options())
    assert {(n, p.name) for n, p in found} >= {
        ("simulate", "noise"),
        ("compare", "min_slack"),
        ("sweep", "min_share"),
    }
    for name, param in found:
        assert isinstance(param.type, FiniteFloat), (name, param.name)


_REQUIRED = {"sweep": ["--grid", "T=3:4:2"], "compare": ["--no-tipping"]}


@pytest.mark.parametrize("value", ["nan", "-nan", "inf", "-inf", "1e999", "x", ""])
@pytest.mark.parametrize(("command", "option"), [(n, p.opts[0]) for n, p in _float_options()])
def test_float_options_refuse_non_finite_values(command, option, value):
    r = invoke(command, "prisoners-dilemma", *_REQUIRED.get(command, []), option, value)
    assert r.exit_code == 2, r.output
    _assert_clean(r.output)


@pytest.mark.parametrize("value", ["-0", "5e-324", "1e-400", "0.5"])
def test_odd_but_valid_noise_values_run(value):
    r = invoke("simulate", "prisoners-dilemma", "--noise", value, "--runs", "10", "--rounds", "10")
    assert r.exit_code == 0, r.output
    assert "-0" not in r.stdout.splitlines()[1]


# ------------------------------------------------------------------ validate


def test_validate_checks_each_file_on_its_own(monkeypatch):
    real = cli_main.load_source

    def flaky(file, *args):
        if "crash" in file:
            raise RuntimeError("boom")
        if "huge" in file:
            raise MemoryError
        return real(file, *args)

    monkeypatch.setattr(cli_main, "load_source", flaky)
    r = invoke("validate", str(PD), "crash.yaml", "huge.yaml", "chicken")
    assert r.exit_code == 1
    assert r.stdout.count("ok  ") == 2  # the files before and after the crash
    assert "crash.yaml: internal error (RuntimeError: boom)" in r.stderr
    assert "huge.yaml: out of memory" in r.stderr
    assert "2 of 4 files have problems" in r.stderr


# ------------------------------------------------------------------ simulations


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rounds": 0}, "rounds must be a whole number"),
        ({"runs": 0}, "runs must be a whole number"),
        ({"rounds": 2.5}, "rounds must be a whole number"),
        ({"runs": True}, "runs must be a whole number"),
        ({"seed": -1}, "seed must not be negative"),
        ({"seed": 1.5}, "seed must be a whole number"),
        ({"noise": float("nan")}, "noise must be a probability"),
        ({"noise": 1.5}, "noise must be a probability"),
        ({"noise": "0.1"}, "noise must be a probability"),
    ],
)
def test_run_simulation_refuses_bad_settings(kwargs, message):
    from negotiation.repeated.experiment import run_simulation

    with pytest.raises(NegotiationError, match=message):
        run_simulation(load_scenario("prisoners-dilemma"), **kwargs)


def test_run_simulation_takes_exact_noise_and_the_files_settings():
    from negotiation.repeated.experiment import run_simulation

    r = run_simulation(load_scenario("prisoners-dilemma"), noise=Fraction(1, 10), runs=5)
    assert r.simulation.noise == 0.1 and r.simulation.rounds == 200 and r.simulation.seed == 7


def test_simulate_refuses_a_negative_seed():
    from negotiation.games.stage_game import StageGame
    from negotiation.repeated.library import build_strategy, context_for
    from negotiation.repeated.simulate import simulate

    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    allc = build_strategy("grim_trigger", context_for(pd, 0, (0, 0)))
    with pytest.raises(GameError, match="seed"):
        simulate(pd, allc, allc, rounds=2, runs=2, seed=-1)


def test_no_processes_left_to_fork_is_a_clear_error(monkeypatch):
    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(executors.os, "fork", refused)
    with pytest.raises(NegotiationError, match="cannot start worker processes"):
        run_chunks(abs, [1, -2, 3], workers=2)
