"""The ``negotiation`` command: a thin Click layer over the library.

Commands parse options, call the library and render. Heavy modules (numpy, sympy,
scipy, nashpy, pydantic) are imported inside the commands, so ``negotiation --help``
starts quickly. Data goes to stdout, diagnostics to stderr; any library error becomes
one short message and exit code 1 (usage errors exit 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from negotiation._version import __version__

if TYPE_CHECKING:
    from negotiation.cli.views import Source

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "csv")


def _parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not of the form name=value", param_hint="--set")
        out[name.strip()] = value.strip()
    return out


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


def format_option(*choices: str) -> Callable[[F], F]:
    """The ``--format`` option with the given choices."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=choices[0],
        show_default=True,
        help="Output format.",
    )


class _Group(click.Group):
    """Turns library errors into one clean message (no traceback) and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from negotiation.errors import NegotiationError

        try:
            return super().invoke(ctx)
        except NegotiationError as exc:
            raise click.ClickException(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # pragma: no cover - a bug; say so without a traceback
            if os.environ.get("NEGOTIATION_DEBUG"):
                raise
            raise click.ClickException(
                f"internal error ({type(exc).__name__}: {exc}). This is a bug in negotiation; "
                "rerun with NEGOTIATION_DEBUG=1 for the traceback and report it."
            ) from None


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
    for file in files:
        try:
            source = load_source(file, "baseline", ())
            s = source.scenario
            if s is None:
                m, n = source.game.shape
                click.echo(f"ok  {file}  ({m}x{n} game)")
                continue
            click.echo(
                f"ok  {file}  ({s.id}: {len(s.moves[0])}x{len(s.moves[1])}, "
                f"{len(s.parameters)} parameters, {len(s.assumptions) - 1} assumptions)"
            )
        except NegotiationError as exc:
            failed += 1
            click.echo(str(exc), err=True)
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} files have problems")


@main.command("list")
@format_option("table", "json")
def list_(fmt: str) -> None:
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
        click.echo(to_json(rows))
    else:
        click.echo(to_table(["id", "title"], [[r["id"], r["title"]] for r in rows]))


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files (for editor completion)."""
    from negotiation.cli.render import to_json
    from negotiation.scenario.schema import json_schema

    click.echo(to_json(json_schema()))


@main.command()
@click.argument("file")
@scenario_options
@format_option(*FORMATS)
@click.option("--exact", is_flag=True, help="Show payoffs as exact fractions.")
def show(file: str, assumption: str, sets: tuple[str, ...], fmt: str, exact: bool) -> None:
    """Show a scenario: players, moves, parameters and the payoff matrix."""
    from negotiation.cli.views import show_view

    text = show_view(load_source(file, assumption, sets), fmt=fmt, exact=exact)
    click.echo(text, nl=fmt != "csv")


@main.command()
@click.argument("file")
@scenario_options
@click.option("--exact", is_flag=True, help="Print probabilities and payoffs as exact fractions.")
@format_option(*FORMATS)
def solve(file: str, assumption: str, sets: tuple[str, ...], exact: bool, fmt: str) -> None:
    """Find every extreme Nash equilibrium of the stage game, certified.

    Also reports degeneracy, the components of the equilibrium set, dominance,
    Pareto-efficient profiles and security (minmax) values in the table format.
    """
    from negotiation.cli.views import solve_view

    click.echo(
        solve_view(load_source(file, assumption, sets), exact=exact, fmt=fmt), nl=fmt != "csv"
    )


@main.command()
@click.argument("file")
@scenario_options
@click.option(
    "--strategy",
    "strategies",
    multiple=True,
    metavar="NAME",
    help="Strategy played by both players (repeatable; default: the file's list).",
)
@click.option(
    "--pair",
    "pairs",
    multiple=True,
    metavar="ROW,COLUMN",
    help="A profile of two strategies, row player's first (repeatable).",
)
@click.option(
    "--punishment",
    type=click.Choice(["nash", "minmax"]),
    help="Punishment of the built-in strategies (default: the file's, else nash).",
)
@format_option(*FORMATS)
def stability(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    pairs: tuple[str, ...],
    punishment: str | None,
    fmt: str,
) -> None:
    """Is the détente self-enforcing? Exact SPE/Nash regions of δ per strategy profile.

    For each profile: the discount factors for which it is a subgame-perfect and a Nash
    equilibrium, the critical δ, whether it holds at the scenario's δ and by what
    margin, and its robustness to the scenario's noise.
    """
    from negotiation.cli.views import stability_view
    from negotiation.repeated.report import stability_report
    from negotiation.scenario import load_scenario

    split = []
    for p in pairs:
        parts = [x.strip() for x in p.split(",")]
        if len(parts) != 2 or not all(parts):
            raise click.BadParameter(f"{p!r} is not ROW,COLUMN", param_hint="--pair")
        split.append((parts[0], parts[1]))
    report = stability_report(
        load_scenario(file),
        assumption,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        pairs=split,
        punishment=punishment,
    )
    click.echo(stability_view(report, fmt), nl=fmt != "csv")


@main.command()
@click.argument("file")
@scenario_options
@click.option(
    "--pair",
    metavar="ROW,COLUMN",
    help="Strategy profile (default: the file's first strategy for both).",
)
@click.option(
    "--rounds", type=click.IntRange(1, 1_000_000), help="Rounds per run (default: the file's)."
)
@click.option(
    "--runs", type=click.IntRange(1, 10_000_000), help="Number of runs (default: the file's)."
)
@click.option(
    "--noise",
    type=click.FloatRange(0, 1, max_open=True),
    help="Tremble probability ε (default: the file's).",
)
@click.option("--seed", type=click.IntRange(0), help="Random seed (default: the file's).")
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
    fmt: str,
) -> None:
    """Monte Carlo of the repeated game with trembles, vectorised over runs.

    Prints the détente statistics with standard errors next to the exact values from
    the Markov chain; CSV gives the share of each move profile per round.
    """
    from negotiation.cli.views import simulate_view
    from negotiation.repeated.experiment import run_simulation
    from negotiation.scenario import load_scenario

    names = None
    if pair is not None:
        parts = [x.strip() for x in pair.split(",")]
        if len(parts) != 2 or not all(parts):
            raise click.BadParameter(f"{pair!r} is not ROW,COLUMN", param_hint="--pair")
        names = (parts[0], parts[1])
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
    click.echo(simulate_view(result, fmt), nl=fmt != "csv")


@main.command()
@click.argument("file")
@click.option(
    "--assumption",
    "-a",
    "assumptions",
    multiple=True,
    help="Assumption to compare (repeatable; default: baseline and all named ones).",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME=VALUE",
    help="Set a parameter under every assumption (repeatable).",
)
@click.option(
    "--strategy",
    "strategies",
    multiple=True,
    metavar="NAME",
    help="Strategy played by both (repeatable; default: the file's list).",
)
@click.option(
    "--min-slack",
    type=float,
    default=None,
    help="Verdict rule: δ slack needed for 'stable' (default 0.05).",
)
@click.option(
    "--min-share",
    type=float,
    default=None,
    help="Verdict rule: long-run détente share needed for 'stable' (default 0.5).",
)
@format_option("table", "json", "csv", "markdown", "latex")
def compare(
    file: str,
    assumptions: tuple[str, ...],
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    min_slack: float | None,
    min_share: float | None,
    fmt: str,
) -> None:
    """Compare the détente's stability across assumptions, one column each.

    Rows: stage equilibria, whether the détente is one, critical δ per strategy profile,
    δ slack, incentive margin, noise robustness and a verdict (stable / fragile /
    unsustainable).
    """
    from fractions import Fraction

    from negotiation.analysis.compare import VerdictRules
    from negotiation.analysis.compare import compare as run_compare
    from negotiation.cli.views import compare_view
    from negotiation.scenario import load_scenario

    defaults = VerdictRules()
    rules = VerdictRules(
        Fraction(repr(min_slack)) if min_slack is not None else defaults.min_slack,
        Fraction(repr(min_share)) if min_share is not None else defaults.min_share,
    )
    result = run_compare(
        load_scenario(file),
        list(assumptions) or None,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        rules=rules,
    )
    click.echo(compare_view(result, fmt), nl=fmt != "csv")


@main.command()
@click.argument("name")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="File to write (default NAME.yaml)."
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(name: str, output: str | None, force: bool) -> None:
    """Write a commented starter scenario NAME.yaml that validates."""
    from negotiation.scenario.starter import starter_scenario

    text = starter_scenario(name)
    path = Path(output or f"{name}.yaml")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; use --force to overwrite it")
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}; try: negotiation solve {path}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
