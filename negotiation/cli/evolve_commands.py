"""``negotiation evolve`` and ``negotiation tournament``: adaptive governments.

The commands add themselves to the main group at the end of this module, which the end
of :mod:`negotiation.cli.main` imports (whichever of the two is imported first, the
commands are registered once both are loaded). Heavy modules
(numpy, nashpy, flint, matplotlib) are imported inside the commands.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import click

from negotiation.cli.main import (
    FORMATS,
    FiniteFloat,
    _check_plot,
    _parse_sets,
    _wrote,
    echo,
    format_option,
    load_source,
    main,
    plot_option,
    scenario_options,
    strategy_option,
)
from negotiation.limits import MAX_GRID, MAX_POPULATION, MAX_STEPS

__all__ = ["evolve", "parse_start", "tournament"]


def parse_start(text: str) -> Any:
    """A ``--start`` value: ``X1,X2,...`` (one population) or ``X1,...;Y1,...`` (the row
    then the column player's shares); numbers may be fractions such as ``1/3``.

    Examples
    --------
    >>> parse_start("0.8,0.2")
    [0.8, 0.2]
    >>> parse_start("1/3,2/3; 1,0")
    ([0.3333333333333333, 0.6666666666666666], [1.0, 0.0])
    """
    parts = [p.strip() for p in text.split(";")]
    if len(parts) > 2 or not all(parts):
        raise click.BadParameter(
            f"{text!r} is not X1,X2,... or X1,...;Y1,...", param_hint="--start"
        )
    vectors = []
    for part in parts:
        values = []
        for item in part.split(","):
            try:
                value = Fraction(item.strip())
            except (ValueError, ZeroDivisionError):
                raise click.BadParameter(
                    f"{item.strip()!r} in {text!r} is not a number", param_hint="--start"
                ) from None
            if not 0 <= value <= 1:
                raise click.BadParameter(
                    f"{item.strip()!r} in {text!r} is not a share in [0, 1]", param_hint="--start"
                )
            values.append(float(value))
        vectors.append(values)
    return vectors[0] if len(vectors) == 1 else (vectors[0], vectors[1])


def _detente(source: Any) -> tuple[int, int] | None:
    s = source.scenario
    if s is None or s.repeated is None:
        return None
    g = source.game
    return g.row_moves.index(s.repeated.target[0]), g.col_moves.index(s.repeated.target[1])


def _title(source: Any) -> str:
    where = f" [{source.assumption_text}]" if source.assumption else ""
    return f"{source.title} ({source.id}){where}"


@click.command("evolve")
@click.argument("file")
@scenario_options
@click.option(
    "--method",
    type=click.Choice(["replicator", "fictitious", "stochastic"]),
    default="replicator",
    show_default=True,
    help="Replicator dynamics, fictitious play or stochastic (logit) fictitious play.",
)
@click.option(
    "--grid",
    type=click.IntRange(2, MAX_GRID),
    default=None,
    help="Starting points: the interior points k/GRID of each player's simplex "
    "(default: the finest up to 20 with at most 100,000 starts times steps).",
)
@click.option(
    "--steps",
    type=click.IntRange(1, MAX_STEPS),
    default=1000,
    show_default=True,
    help="Time points (replicator) or rounds (fictitious play) per trajectory.",
)
@click.option(
    "--horizon",
    type=FiniteFloat(0, 1e6, min_open=True),
    default=200.0,
    show_default=True,
    help="End time of the replicator dynamics (payoffs rescaled to [0, 1]).",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of fictitious play's random tie-breaks and choices.",
)
@click.option(
    "--start",
    metavar="X1,X2,...[;Y1,...]",
    help="Start of the trajectory shown: shares of each move (row player's, then the "
    "column player's after ';'); default: all moves equally likely.",
)
@click.option(
    "--population",
    type=click.IntRange(2, MAX_POPULATION),
    default=None,
    help="Agents per population of the stochastic-stability chain (default: the "
    "largest up to 10 whose chain has at most 5000 states).",
)
@click.option(
    "--mistake-rate",
    type=FiniteFloat(0, 1, min_open=True, max_open=True),
    default=None,
    help="Also give the exact stationary mass of each recurrent class at this rate.",
)
@click.option(
    "--etha",
    type=FiniteFloat(0, 1e6, min_open=True),
    default=0.01,
    show_default=True,
    help="Logit noise of stochastic fictitious play (payoffs rescaled to [0, 1]).",
)
@click.option(
    "--epsilon-bar",
    type=FiniteFloat(0, 1e6, min_open=True),
    default=0.01,
    show_default=True,
    help="Largest random payoff perturbation of stochastic fictitious play.",
)
@click.option(
    "--tol",
    type=FiniteFloat(0, 1, min_open=True),
    default=0.02,
    show_default=True,
    help="A trajectory reaches an equilibrium when it ends this close to it.",
)
@plot_option
@format_option(*FORMATS)
def evolve(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    method: str,
    grid: int | None,
    steps: int,
    horizon: float,
    seed: int,
    start: str | None,
    population: int | None,
    mistake_rate: float | None,
    etha: float,
    epsilon_bar: float,
    tol: float,
    plot_path: str | None,
    plot_style: dict[str, Any],
    fmt: str,
    width: int | None,
) -> None:
    """Do adaptive governments reach the détente? Learning and evolutionary dynamics.

    Runs the replicator dynamics or (stochastic) fictitious play through nashpy from a
    grid of starting points and reports the basin of attraction of each stage
    equilibrium and of the détente, one trajectory, risk and payoff dominance between
    the strict equilibria (exact) and the stochastically stable states of best-reply
    dynamics with rare mistakes (Kandori, Mailath & Rob 1993; Young 1993).
    """
    from negotiation.analysis.evolution import evolution
    from negotiation.cli.evolve_views import evolve_view

    begin = None if start is None else parse_start(start)
    _check_plot(plot_path)
    source = load_source(file, assumption, sets)
    rate = None if mistake_rate is None else Fraction(repr(mistake_rate))
    result = evolution(
        source.game,
        detente=_detente(source),
        method=method,
        grid=grid,
        steps=steps,
        horizon=horizon,
        seed=seed,
        start=begin,
        population=population,
        mistake_rate=rate,
        etha=etha,
        epsilon_bar=epsilon_bar,
        tol=tol,
    )
    echo(evolve_view(result, fmt, _title(source), width), nl=fmt != "csv")
    if plot_path:
        from negotiation.analysis.plots.dynamics import plot_evolution

        _wrote(plot_evolution(result, plot_path, **plot_style))


@click.command("tournament")
@click.argument("file")
@scenario_options
@strategy_option(
    "Entrant (repeatable; default: every built-in, always_<move> and the file's own)."
)
@click.option(
    "--score",
    type=click.Choice(["discounted", "long-run"]),
    default="discounted",
    show_default=True,
    help="Score matches by the discounted payoff at δ or the long-run average payoff.",
)
@click.option(
    "--noise",
    type=FiniteFloat(0, 1, max_open=True),
    help="Tremble probability ε (default: the file's).",
)
@click.option(
    "--discount",
    type=FiniteFloat(0, 1, max_open=True),
    help="Discount factor δ (default: the file's).",
)
@click.option(
    "--evolve/--no-evolve",
    "evolve_step",
    default=True,
    show_default=True,
    help="Run the replicator dynamics on the score matrix (which strategies take over).",
)
@format_option(*FORMATS)
def tournament(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    score: str,
    noise: float | None,
    discount: float | None,
    evolve_step: bool,
    fmt: str,
    width: int | None,
) -> None:
    """Exact round-robin tournament of repeated-game strategies under the file's noise.

    Every entrant plays every entrant in both roles; each match is scored exactly from
    the Markov chain of the two automata under trembles (no sampling), and the ranking
    is by mean score (Axelrod 1984). The replicator dynamics on the score matrix show
    which strategies a population imitating success converges to.
    """
    from negotiation.analysis.tournament import tournament as run_tournament
    from negotiation.cli.evolve_views import tournament_view
    from negotiation.scenario import load_scenario

    scenario = load_scenario(file)
    result = run_tournament(
        scenario,
        assumption,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        score=score.replace("-", "_"),
        noise=None if noise is None else Fraction(repr(noise)),
        discount=None if discount is None else Fraction(repr(discount)),
        evolve=evolve_step,
    )
    title = f"{scenario.title} ({scenario.id}) [{assumption}]"
    echo(tournament_view(result, fmt, title, width), nl=fmt != "csv")


main.add_command(evolve)
main.add_command(tournament)
