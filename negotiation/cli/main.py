"""The ``negotiation`` command: a thin Click layer over the library.

Commands parse options, call the library and render. Heavy modules (numpy, sympy,
scipy, nashpy, pydantic) are imported inside the commands, so ``negotiation --help``
starts quickly. Data goes to stdout, diagnostics to stderr; any library error becomes
one short message and exit code 1 (usage errors exit 2).

Everything printed goes through :func:`negotiation.cli.render.safe_text` (in
:func:`echo`, and for error messages in :class:`_Group`), so text from a file can never
send a terminal escape sequence. Files are written atomically
(:mod:`negotiation.output_files`). SIGTERM and SIGHUP stop a command as Ctrl-C does:
clean-up runs, workers are stopped, no partial file is left.
"""

from __future__ import annotations

import functools
import math
import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from negotiation._version import __version__
from negotiation.terminal import safe_text

if TYPE_CHECKING:
    from negotiation.cli.views import Source

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv")


def echo(text: Any = "", *, nl: bool = True, err: bool = False) -> None:
    r"""Print ``text`` made terminal-safe (:func:`~negotiation.cli.render.safe_text`).

    Examples
    --------
    >>> echo("title\x1b]0;pwned\x07")
    title\x1b]0;pwned\x07
    """
    click.echo(safe_text(text), nl=nl, err=err)


def note(text: str) -> None:
    """A one-line ``note: ...`` on stderr (a request changed, say).

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as err:
    ...     note("--jobs 100 capped at 2")
    >>> print(err.getvalue(), end="")
    note: --jobs 100 capped at 2
    """
    echo(f"note: {text}", err=True)


class FiniteFloat(click.FloatRange):
    """A finite float in a range: ``nan`` and infinities are usage errors, ``-0`` is 0.

    Examples
    --------
    >>> FiniteFloat(0, 1).convert("-0", None, None)
    0.0
    >>> FiniteFloat(0, 1).convert("nan", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'nan' is not a finite number
    """

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return super().convert(number + 0.0, param, ctx)


def _parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not of the form name=value", param_hint="--set")
        out[name.strip()] = value.strip()
    return out


def _parse_pair(text: str) -> tuple[str, str]:
    """A ``--pair ROW,COLUMN`` value as two strategy names."""
    parts = [x.strip() for x in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise click.BadParameter(f"{text!r} is not ROW,COLUMN", param_hint="--pair")
    return parts[0], parts[1]


def strategy_option(help_text: str) -> Callable[[F], F]:
    """The repeatable ``--strategy NAME`` option (into ``strategies``)."""
    return click.option("--strategy", "strategies", multiple=True, metavar="NAME", help=help_text)


def scenario_options(func: F) -> F:
    """Options shared by the commands that evaluate a scenario."""
    func = click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a parameter (repeatable); applied after the assumption.",
    )(func)
    func = click.option(
        "--assumption",
        "-a",
        default="baseline",
        show_default=True,
        help="Named assumption from the scenario file.",
    )(func)
    return func


def _table_width(ctx: click.Context, param: click.Parameter, wide: bool) -> int | None:
    from negotiation.cli.render import terminal_width

    return None if wide else terminal_width()


def format_option(*choices: str) -> Callable[[F], F]:
    """The ``--format`` option with the given choices; with ``table`` among them also
    ``--wide`` (into ``width``: None for one line per row whatever its length, else the
    width tables are fitted to, :func:`negotiation.cli.render.terminal_width`)."""
    fmt = click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )
    if "table" not in choices:
        return fmt
    wide = click.option(
        "--wide",
        "width",
        is_flag=True,
        callback=_table_width,
        help="Tables one line per row however wide (default: fitted to the terminal, "
        "or 100 columns when there is none).",
    )
    return lambda func: fmt(wide(func))


def verdict_options(func: F) -> F:
    """``--min-slack`` and ``--min-share``: the verdict thresholds."""
    func = click.option(
        "--min-share",
        type=FiniteFloat(0, 1),
        default=None,
        help="Verdict rule: long-run détente share needed for 'stable' "
        "(default: the file's repeated.verdict.min_share, else 0.5).",
    )(func)
    func = click.option(
        "--min-slack",
        type=FiniteFloat(0, 1),
        default=None,
        help="Verdict rule: δ slack needed for 'stable' "
        "(default: the file's repeated.verdict.min_slack, else 0.05).",
    )(func)
    return func


def _rules(scenario: Any, min_slack: float | None, min_share: float | None) -> Any:
    from fractions import Fraction

    from negotiation.analysis.compare import VerdictRules

    return VerdictRules.for_scenario(
        scenario,
        None if min_slack is None else Fraction(repr(min_slack)),
        None if min_share is None else Fraction(repr(min_share)),
    )


def assumptions_options(func: F) -> F:
    """``--assumption/-a`` (repeatable, into ``assumptions``) and ``--set`` for the
    commands that go through several assumptions at once."""
    func = click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a parameter under every assumption (repeatable).",
    )(func)
    return click.option(
        "--assumption",
        "-a",
        "assumptions",
        multiple=True,
        help="Assumption to compare (repeatable; default: baseline and all named ones).",
    )(func)


def checked_scheduler(executor: str, scheduler: str | None) -> str | None:
    """The dask scheduler address checked against ``--executor`` (usage errors)."""
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler applies to --executor dask")
    if not scheduler:
        return None
    from negotiation.analysis.executors import scheduler_address

    return scheduler_address(scheduler)


def executor_options(func: F) -> F:
    """``--jobs``, ``--executor`` and ``--scheduler``: where chunks of work run."""
    func = click.option(
        "--scheduler",
        metavar="ADDRESS",
        help="dask scheduler address, e.g. tcp://10.0.0.5:8786 (executor dask).",
    )(func)
    func = click.option(
        "--executor",
        type=click.Choice(["local", "dask"]),
        default="local",
        show_default=True,
        help="Where the chunks run: this machine, or a dask.distributed cluster.",
    )(func)
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1, 256),
        default=1,
        show_default=True,
        help="Worker processes (executor local); never more than the CPUs available: a "
        "larger request is capped, with a note.",
    )(func)


class _FigureSize(click.ParamType):
    """``WxH`` in inches, such as ``8x4.5``."""

    name = "WxH"

    def convert(self, value: Any, param: Any, ctx: Any) -> tuple[float, float]:
        from negotiation.analysis.plots.figure import check_size
        from negotiation.errors import NegotiationError

        if isinstance(value, tuple):
            return value
        parts = str(value).lower().split("x")
        try:
            if len(parts) != 2:
                raise ValueError
            size = check_size((float(parts[0]), float(parts[1])))
        except (ValueError, NegotiationError) as exc:
            detail = str(exc) if isinstance(exc, NegotiationError) else "expected WxH"
            self.fail(f"{value!r}: {detail} (for example 8x4.5)", param, ctx)
        assert size is not None
        return size


def plot_option(func: F) -> F:
    """``--plot PATH`` (also draw a figure; needs the ``plot`` extra), with
    ``--plot-title`` and ``--plot-size``; the command receives them as ``plot_path`` and
    ``plot_style`` (keyword arguments for the plot function)."""

    @functools.wraps(func)
    def command(
        *args: Any,
        plot_title: str | None = None,
        plot_size: tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> Any:
        kwargs["plot_style"] = {"title": plot_title, "size": plot_size}
        return func(*args, **kwargs)

    decorated: Any = click.option(
        "--plot-size",
        "plot_size",
        type=_FigureSize(),
        help="Figure width x height in inches, each from 2 to 40 (for example 8x4.5).",
    )(command)
    decorated = click.option(
        "--plot-title",
        "plot_title",
        help="The figure's title instead of the default ('' for none).",
    )(decorated)
    return cast(
        F,
        click.option(
            "--plot",
            "plot_path",
            type=click.Path(dir_okay=False),
            help="Also draw a figure to this .png/.svg/.pdf file (needs matplotlib); "
            "written only when complete.",
        )(decorated),
    )


def _check_outputs(*paths: str | None) -> None:
    """Refuse a file that cannot be written before any work is done (a missing
    directory, a symbolic link, a device, a bad figure suffix)."""
    from negotiation.output_files import check_target

    for path in paths:
        if path is not None:
            check_target(path, probe=True)


def _check_plot(path: str | None) -> None:
    """Refuse a --plot file, or a missing matplotlib, before any work is done."""
    if path is not None:
        import importlib.util

        from negotiation.analysis.plots.figure import check_path, plot_install_hint
        from negotiation.errors import NegotiationError

        check_path(path)
        _check_outputs(path)
        if importlib.util.find_spec("matplotlib") is None:
            raise NegotiationError(f"--plot needs matplotlib: {plot_install_hint()}")


def output_option(func: F) -> F:
    """``--output/-o FILE``: the data to a file (atomically) instead of stdout."""
    return click.option(
        "--output",
        "-o",
        "output",
        type=click.Path(dir_okay=False),
        help="Write the output to this file instead of stdout; it is written only when "
        "complete (never half-written, also on Ctrl-C).",
    )(func)


def _emit(text: str, output: str | None, *, nl: bool) -> None:
    """The command's output: to stdout, or atomically to ``output``."""
    if output is None:
        echo(text, nl=nl)
        return
    from negotiation.output_files import write_text

    _wrote(write_text(output, safe_text(text) + ("\n" if nl else "")))


class _Bar:
    """A progress callback ``(done, total)`` drawing a bar on a terminal, else nothing."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done
        if done >= total:
            self.bar.__exit__(None, None, None)


def _wrote(path: Any) -> None:
    echo(f"wrote {path}", err=True)


def _internal(exc: BaseException) -> str:
    """The message for an exception that is a bug (or the machine running out)."""
    text = str(exc)[:500]
    if isinstance(exc, MemoryError):
        return (
            f"out of memory ({text or 'MemoryError'}): try a smaller grid, fewer runs or "
            "rounds, or fewer --jobs"
        )
    return (
        f"internal error ({type(exc).__name__}: {text}). This is a bug in negotiation; "
        "rerun with NEGOTIATION_DEBUG=1 for the traceback and report it."
    )


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit (exit status 128 + signal), so that clean-up
    code runs: workers are stopped and temporary files removed, as on Ctrl-C."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _safe_warnings() -> Iterator[None]:
    """Warnings (which may quote file content) are printed terminal-safe."""
    with warnings.catch_warnings():

        def show(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: Any = None,
            line: str | None = None,
        ) -> None:
            text = warnings.formatwarning(message, category, filename, lineno, line)
            echo(text, nl=False, err=True)

        warnings.showwarning = show
        yield


def _safe_click_error(exc: click.ClickException) -> None:
    """Make a Click error's own message terminal-safe (it may quote an argument)."""
    exc.message = safe_text(exc.message)  # type: ignore[misc]  # Final in click's stubs


class _Group(click.Group):
    """Turns library errors into one clean message (no traceback) and exit code 1."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            _safe_click_error(exc)
            raise

    def invoke(self, ctx: click.Context) -> Any:
        from negotiation.errors import NegotiationError

        try:
            with _stopped_by_signals(), _safe_warnings():
                return super().invoke(ctx)
        except NegotiationError as exc:
            raise click.ClickException(safe_text(exc)) from None
        except click.ClickException as exc:
            _safe_click_error(exc)
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise click.exceptions.Exit(1) from None
        except Exception as exc:  # a bug, or no memory left; say so without a traceback
            if os.environ.get("NEGOTIATION_DEBUG"):
                raise
            raise click.ClickException(safe_text(_internal(exc))) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="negotiation")
def main() -> None:
    """Game-theoretic models of trade conflicts: tariffs, export controls, détente.

    FILE arguments take a scenario file path or the id of a shipped scenario
    (see `negotiation list`); `solve`, `show` and `validate` also read Gambit .nfg files.
    """


# ----------------------------------------------------------------- loading


def load_source(file: str, assumption: str, sets: tuple[str, ...]) -> Source:
    """The stage game for a FILE argument, with the scenario it came from (if any)."""
    from negotiation.cli.views import Source
    from negotiation.games.stage_game import StageGame

    if file.lower().endswith(".nfg"):
        from negotiation.games.nfg import load_nfg

        if assumption != "baseline" or sets:
            raise click.UsageError(
                "--assumption and --set apply to scenario files, not .nfg files"
            )
        game = load_nfg(file)
        return Source(game, None, Path(file).stem, game.title, None, {})
    from negotiation.scenario import load_scenario

    scenario = load_scenario(file)
    overrides = _parse_sets(sets)
    game = StageGame.from_scenario(scenario, assumption, overrides)
    return Source(game, scenario, scenario.id, scenario.title, assumption, overrides)


# ---------------------------------------------------------------- commands


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def validate(files: tuple[str, ...]) -> None:
    """Check scenario (or .nfg) files and report every problem found."""
    from negotiation.errors import NegotiationError

    failed = 0
    for file in files:  # each file on its own: a problem in one never stops the others
        try:
            source = load_source(file, "baseline", ())
            s = source.scenario
            if s is None:
                m, n = source.game.shape
                echo(f"ok  {file}  ({m}x{n} game)")
                continue
            echo(
                f"ok  {file}  ({s.id}: {len(s.moves[0])}x{len(s.moves[1])}, "
                f"{len(s.parameters)} parameters, {len(s.assumptions) - 1} assumptions)"
            )
        except NegotiationError as exc:
            failed += 1
            echo(str(exc), err=True)
        except click.ClickException as exc:  # e.g. --set on an .nfg file (not here)
            failed += 1
            echo(f"{file}: {exc.format_message()}", err=True)
        except Exception as exc:
            if os.environ.get("NEGOTIATION_DEBUG"):
                raise
            failed += 1
            echo(f"{file}: {_internal(exc)}", err=True)
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} files have problems")


@main.command("list")
@format_option("table", "json")
def list_(fmt: str, width: int | None) -> None:
    """List the shipped scenarios."""
    from negotiation.cli.render import to_json, to_table
    from negotiation.errors import NegotiationError
    from negotiation.scenario import load_scenario, shipped_scenarios

    rows = []
    for info in shipped_scenarios():
        try:
            title = load_scenario(str(info.path)).title
        except NegotiationError:
            title = "(does not validate: run `negotiation validate`)"
        rows.append({"id": info.id, "title": title, "path": str(info.path)})
    if fmt == "json":
        echo(to_json(rows))
    else:
        echo(to_table(["id", "title"], [[r["id"], r["title"]] for r in rows], width))


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion)."""
    from negotiation.cli.render import to_json
    from negotiation.scenario.schema import json_schema

    echo(to_json(json_schema()))


@main.command()
@click.argument("file")
@scenario_options
@format_option(*FORMATS)
@click.option("--exact", is_flag=True, help="Show payoffs as exact fractions.")
def show(
    file: str, assumption: str, sets: tuple[str, ...], fmt: str, width: int | None, exact: bool
) -> None:
    """Show a scenario: players, moves, parameters and the payoff matrix."""
    from negotiation.cli.views import show_view

    text = show_view(load_source(file, assumption, sets), fmt=fmt, exact=exact, width=width)
    echo(text, nl=fmt != "csv")


@main.command()
@click.argument("file")
@scenario_options
@click.option("--exact", is_flag=True, help="Print probabilities and payoffs as exact fractions.")
@format_option(*FORMATS)
@click.option(
    "--method",
    type=click.Choice(["enumerate", "lemke-howson", "auto"]),
    default="enumerate",
    show_default=True,
    help="enumerate: every extreme equilibrium; lemke-howson: one equilibrium, fast; "
    "auto: enumerate unless the game is too large (a bounded attempt decides), then "
    "lemke-howson.",
)
@click.option(
    "--start-label",
    type=click.IntRange(min=0),
    default=None,
    help="Lemke-Howson's missing label: 0..m-1 row moves, then column moves "
    "(default: all labels side by side, the first path to end).",
)
def solve(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    exact: bool,
    fmt: str,
    width: int | None,
    method: str,
    start_label: int | None,
) -> None:
    """Find every extreme Nash equilibrium of the stage game, certified.

    Also reports degeneracy, the components of the equilibrium set, dominance,
    Pareto-efficient profiles and security (minmax) values in the table format.
    With --method lemke-howson, one equilibrium, certified exactly.
    """
    from negotiation.cli.lemke_howson_view import lemke_howson_view
    from negotiation.cli.views import solve_view
    from negotiation.errors import GameError, ScenarioError
    from negotiation.games.method_choice import choose_method

    if start_label is not None and method != "lemke-howson":
        raise click.UsageError("--start-label is an option of --method lemke-howson")
    source = load_source(file, assumption, sets)
    try:
        choice = choose_method(source.game, method)
        if choice.note:
            note(choice.note)
        if choice.method == "lemke-howson":
            text = lemke_howson_view(source, exact=exact, fmt=fmt, label=start_label, width=width)
        else:
            text = solve_view(
                source, exact=exact, fmt=fmt, width=width, equilibria=choice.equilibria
            )
    except GameError as exc:  # a refusal of the solver (e.g. numbers too long): name the file
        raise ScenarioError(str(exc), file=file) from None
    echo(text, nl=fmt != "csv")


@main.command()
@click.argument("file")
@scenario_options
@strategy_option("Strategy played by both players (repeatable; default: the file's list).")
@click.option(
    "--pair",
    "pairs",
    multiple=True,
    metavar="ROW,COLUMN",
    help="A profile of two strategies, row player's first (repeatable).",
)
@click.option(
    "--punishment",
    type=click.Choice(["nash", "nash-any", "minmax"]),
    help="Punishment of the built-in strategies (default: the file's, else nash).",
)
@format_option(*FORMATS, "markdown", "latex")
def stability(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    pairs: tuple[str, ...],
    punishment: str | None,
    fmt: str,
    width: int | None,
) -> None:
    """Is the détente self-enforcing? Exact SPE/Nash regions of δ per strategy profile.

    For each profile: the discount factors for which it is a subgame-perfect and a Nash
    equilibrium, the critical δ, whether it holds at the scenario's δ and by what
    margin, and its robustness to the scenario's noise.
    """
    from negotiation.cli.views import stability_view
    from negotiation.repeated.report import stability_report
    from negotiation.scenario import load_scenario

    split = [_parse_pair(p) for p in pairs]
    scenario = load_scenario(file)
    report = stability_report(
        scenario,
        assumption,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        pairs=split,
        punishment=punishment,
    )
    names = [p.name for p in scenario.players]
    echo(stability_view(report, fmt, width, names), nl=fmt != "csv")


@main.command()
@click.argument("file")
@scenario_options
@click.option(
    "--pair",
    metavar="ROW,COLUMN",
    help="Strategy profile (default: the file's first strategy for both).",
)
@click.option(
    "--rounds",
    # = negotiation.repeated.experiment.MAX_ROUNDS (not imported: it needs numpy)
    type=click.IntRange(1, 1_000_000),
    help="Rounds per run (default: the file's).",
)
@click.option(
    "--runs",
    # = negotiation.repeated.experiment.MAX_RUNS
    type=click.IntRange(1, 2_000_000),
    help="Number of runs (default: the file's); runs x rounds at most 500 million.",
)
@click.option(
    "--noise",
    type=FiniteFloat(0, 1, max_open=True),
    help="Tremble probability ε (default: the file's).",
)
@click.option("--seed", type=click.IntRange(0), help="Random seed (default: the file's).")
@plot_option
@format_option(*FORMATS)
def simulate(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    pair: str | None,
    rounds: int | None,
    runs: int | None,
    noise: float | None,
    seed: int | None,
    plot_path: str | None,
    plot_style: dict[str, Any],
    fmt: str,
    width: int | None,
) -> None:
    """Monte Carlo of the repeated game with trembles, vectorised over runs.

    Prints the détente statistics with standard errors next to the exact values from
    the Markov chain; CSV gives the share of each move profile per round.
    """
    from negotiation.cli.views import simulate_view
    from negotiation.repeated.experiment import run_simulation
    from negotiation.scenario import load_scenario

    names = None if pair is None else _parse_pair(pair)
    _check_plot(plot_path)
    scenario = load_scenario(file)
    total = rounds or (scenario.repeated.rounds if scenario.repeated else 1)
    overrides = _parse_sets(sets)

    def go(progress: Callable[[int], None] | None) -> Any:
        return run_simulation(
            scenario,
            assumption,
            overrides,
            pair=names,
            rounds=rounds,
            runs=runs,
            noise=noise,
            seed=seed,
            progress=progress,
        )

    if not sys.stderr.isatty():  # no bar when piped or in CI
        result = go(None)
    else:
        with click.progressbar(length=total, label="simulating", file=sys.stderr) as bar:
            done = [0]

            def advance(k: int) -> None:
                bar.update(k - done[0])
                done[0] = k

            result = go(advance)
    echo(simulate_view(result, fmt, width), nl=fmt != "csv")
    if plot_path:
        from negotiation.analysis.plots import plot_simulation

        _wrote(plot_simulation(result, plot_path, **plot_style))


@main.command()
@click.argument("file")
@assumptions_options
@strategy_option("Strategy played by both (repeatable; default: the file's list).")
@verdict_options
@click.option(
    "--tipping/--no-tipping",
    default=True,
    show_default=True,
    help="Find each ranged parameter's tipping points (exact where algebraic).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes for the tipping points (default: the CPUs available, at most 4; "
    "never more than the CPUs available: a larger request is capped, with a note).",
)
@plot_option
@format_option("table", "json", "csv", "markdown", "latex")
def compare(
    file: str,
    assumptions: tuple[str, ...],
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    min_slack: float | None,
    min_share: float | None,
    tipping: bool,
    jobs: int | None,
    plot_path: str | None,
    plot_style: dict[str, Any],
    fmt: str,
    width: int | None,
) -> None:
    """Compare the détente's stability across assumptions, one column each.

    Rows: stage equilibria, whether the détente is one, critical δ per strategy profile,
    δ slack, incentive margin, noise robustness, a verdict (stable / fragile /
    unsustainable) and, per ranged parameter, the tipping points where it changes.
    """
    from negotiation.analysis.compare import compare as run_compare
    from negotiation.analysis.executors import worker_count
    from negotiation.cli.views import compare_view
    from negotiation.scenario import load_scenario

    _check_plot(plot_path)
    if jobs is not None and worker_count(jobs) < jobs:
        note(f"--jobs {jobs} capped at {worker_count(jobs)}: the CPUs this process may use")
    scenario = load_scenario(file)
    result = run_compare(
        scenario,
        list(assumptions) or None,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        rules=_rules(scenario, min_slack, min_share),
        progress=_Bar("comparing"),
        tipping=tipping,
        jobs=jobs,
    )
    echo(compare_view(result, fmt, width), nl=fmt != "csv")
    if plot_path:
        from negotiation.analysis.plots import plot_comparison

        _wrote(plot_comparison(result, plot_path, **plot_style))


@main.command()
@click.argument("file")
@scenario_options
@format_option(*FORMATS)
def linkage(
    file: str, assumption: str, sets: tuple[str, ...], fmt: str, width: int | None
) -> None:
    """Does linking the issues help? Separate vs linked enforcement of a multi-issue accord.

    For each issue alone (grim trigger, Nash reversion on that issue) and for the linked
    accord (a deviation on any issue triggers Nash reversion on all): each player's
    exact critical δ, and how much slack linkage transfers between the issues
    (Bernheim & Whinston 1990). Needs a scenario with at least two issues.
    """
    from negotiation.analysis.linkage import linkage_analysis
    from negotiation.cli.views import linkage_view
    from negotiation.scenario import load_scenario

    result = linkage_analysis(load_scenario(file), assumption, _parse_sets(sets))
    echo(linkage_view(result, fmt, width), nl=fmt != "csv")


@main.command()
@click.argument("file")
@scenario_options
@click.option(
    "--grid",
    "grids",
    multiple=True,
    required=True,
    metavar="NAME=START:STOP:COUNT",
    help="A swept parameter, or discount / noise (once or twice).",
)
@strategy_option("Strategy played by both (repeatable; default: the file's list).")
@verdict_options
@executor_options
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 1_000_000),
    default=2500,
    show_default=True,
    help="Grid points per chunk of work (raised, with a note, to make at most 1000 chunks).",
)
@output_option
@plot_option
@click.option(
    "--plot-metric",
    type=click.Choice(["critical", "verdict", "slack", "margin", "share"]),
    default="critical",
    show_default=True,
    help="What --plot shows: critical δ of the profiles, the verdict, or the best "
    "profile's slack, margin or détente share.",
)
@click.option(
    "--plot-profile",
    type=click.IntRange(1),
    help="With --plot-metric critical: draw only the N-th strategy profile (in the order "
    "of the output) instead of all of them.",
)
@format_option("csv", "json", "table")
def sweep(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    grids: tuple[str, ...],
    strategies: tuple[str, ...],
    min_slack: float | None,
    min_share: float | None,
    jobs: int,
    executor: str,
    scheduler: str | None,
    chunk_size: int,
    output: str | None,
    plot_path: str | None,
    plot_style: dict[str, Any],
    plot_metric: str,
    plot_profile: int | None,
    fmt: str,
    width: int | None,
) -> None:
    """Every compare metric on a grid of one or two parameters (tidy CSV or JSON).

    Each --grid is NAME=START:STOP:COUNT with exact end points; NAME is a parameter
    with a declared range, or discount (delta) or noise (epsilon). Payoffs are
    evaluated for the whole grid at once and the games solved in vectorised chunks
    (double precision; compare gives exact values at any one point).
    """
    from negotiation.analysis.sweep import sweep as run_sweep
    from negotiation.cli.views import sweep_view
    from negotiation.scenario import load_scenario

    scheduler = checked_scheduler(executor, scheduler)
    _check_outputs(output)
    _check_plot(plot_path)
    scenario = load_scenario(file)
    result = run_sweep(
        scenario,
        list(grids),
        assumption,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        rules=_rules(scenario, min_slack, min_share),
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        chunk_size=chunk_size,
        progress=_Bar("sweeping"),
        note=note,
    )
    _emit(sweep_view(result, fmt, width), output, nl=fmt != "csv")
    if plot_path:
        from negotiation.analysis.plots import plot_sweep

        _wrote(
            plot_sweep(
                result,
                plot_path,
                metric=plot_metric,
                profile=None if plot_profile is None else plot_profile - 1,
                **plot_style,
            )
        )


@main.command()
@click.argument("file")
@scenario_options
@strategy_option(
    "Candidate strategy (repeatable; default: every built-in, "
    "k_period_punishment(k=1..3), always_<move> and the file's own)."
)
@format_option(*FORMATS)
def fit(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    fmt: str,
    width: int | None,
) -> None:
    """Which strategy explains each side's observed moves? Maximum likelihood with trembles.

    Reads the file's history: section and ranks candidate strategies per player by
    log-likelihood, with the fitted tremble probability, the mismatches, strategies
    that predict the same on this history, and a warning when the history is too
    short to discriminate (Dal Bó & Fréchette 2011).
    """
    from negotiation.analysis.fit import fit_strategies
    from negotiation.cli.views import fit_view
    from negotiation.scenario import load_scenario

    result = fit_strategies(
        load_scenario(file), assumption, _parse_sets(sets), strategies=list(strategies) or None
    )
    echo(fit_view(result, fmt, width), nl=fmt != "csv")


@main.command()
@click.argument("name")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="File to write (default NAME.yaml)."
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(name: str, output: str | None, force: bool) -> None:
    """Write a commented starter scenario NAME.yaml that validates.

    The file is written atomically; a symbolic link is never written through, and an
    existing file is replaced only with --force.
    """
    from negotiation.output_files import check_target, write_text
    from negotiation.scenario.starter import starter_scenario

    text = starter_scenario(name)
    path = check_target(output or f"{name}.yaml", force=force)
    write_text(path, text, force=force)
    echo(f"wrote {path}; try: negotiation solve {path}", err=True)


# ------------------------------------------------------------ commands in modules
# Commands in modules of their own register themselves on `main` when the module is
# loaded (so that importing either module first works: the two import each other).
import negotiation.cli.evolve_commands  # noqa: E402
import negotiation.cli.frontier_command  # noqa: E402
import negotiation.cli.report_command  # noqa: E402
import negotiation.cli.robustness_command  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
