"""One call per question, from a scenario: the Python path that matches the CLI.

Every function takes the scenario first, then what is asked about, then keyword-only
options in one order (``assumption``, ``overrides``, ...); strategies, players and the
détente are named as in the file (``"grim_trigger"``, ``"us"``, ``("roll_back",
"roll_back")``), never as indices. Each returns the library's own result type.

Examples
--------
>>> import negotiation as ng
>>> s = ng.load_scenario("us-china-export-controls-2025")
>>> ng.critical_discount(s, "grim_trigger")
Fraction(4, 7)
>>> ng.critical_discount(s, "grim_trigger", player="us", overrides={"theta_us": "1/2"})
Fraction(1, 5)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from negotiation.errors import NegotiationError
from negotiation.games.equilibrium import EquilibriumSet
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.repeated.profiles import strategy_for
from negotiation.repeated.report import StabilityReport, stability_report
from negotiation.repeated.spe_payoffs import read_discounts
from negotiation.repeated.sustainability import DiscountCheck, Sustainability, sustainability
from negotiation.scenario.model import Scenario
from negotiation.scenario.problems import suggest

__all__ = [
    "critical_discount",
    "discount_factors",
    "equilibria",
    "profile_sustainability",
    "spe_at_discount",
    "stability",
    "stage_game",
]


def stage_game(
    scenario: Scenario, *, assumption: str = "baseline", overrides: Mapping[str, Any] | None = None
) -> StageGame:
    """The stage game under an assumption (and ``--set``-style overrides).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> stage_game(load_scenario("chicken"), assumption="costly-crash").shape
    (2, 2)
    """
    return StageGame.from_scenario(scenario, assumption, overrides)


def equilibria(
    scenario: Scenario, *, assumption: str = "baseline", overrides: Mapping[str, Any] | None = None
) -> EquilibriumSet:
    """Every extreme Nash equilibrium of the stage game, certified (``negotiation solve``).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> [e.kind for e in equilibria(load_scenario("chicken"))]
    ['pure', 'pure', 'mixed']
    """
    return extreme_equilibria(stage_game(scenario, assumption=assumption, overrides=overrides))


def stability(
    scenario: Scenario,
    *strategies: str,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    pairs: tuple[tuple[str, str], ...] = (),
    punishment: str | None = None,
) -> StabilityReport:
    """``negotiation stability``: each named strategy played by both sides (default: the
    file's list), and each ``(row, column)`` pair.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = stability(load_scenario("prisoners-dilemma"), "grim_trigger", "tit_for_tat")
    >>> [(p.strategies[0], p.spe_at_discount) for p in r.profiles]
    [('grim_trigger', True), ('tit_for_tat', False)]
    """
    return stability_report(
        scenario,
        assumption,
        overrides,
        strategies=list(strategies) or None,
        pairs=list(pairs),
        punishment=punishment,
    )


def _target(
    scenario: Scenario, game: StageGame, target: tuple[str, str] | None
) -> tuple[int, int]:
    if target is None:
        if scenario.repeated is None:
            raise NegotiationError(
                f"{scenario.file}: no détente to analyse: give target=(row move, column move)"
                " or add a 'repeated' section"
            )
        target = scenario.repeated.target
    out = []
    for moves, move, who in zip((game.row_moves, game.col_moves), target, game.players):
        if move not in moves:
            raise NegotiationError(
                f"{move!r} is not a move of {who}{suggest(str(move), moves)} "
                f"(moves: {', '.join(moves)})"
            )
        out.append(moves.index(move))
    return out[0], out[1]


def profile_sustainability(
    scenario: Scenario,
    row: str,
    column: str | None = None,
    *,
    target: tuple[str, str] | None = None,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    punishment: str | None = None,
) -> Sustainability:
    """Exact SPE region, critical δ (overall and per player) and bindings of one profile:
    ``row``'s strategy against ``column``'s (default: the same), aiming at ``target``
    (move names; default: the file's détente).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = profile_sustainability(load_scenario("prisoners-dilemma"), "grim_trigger")
    >>> s.critical_discount, s.player_critical
    (Fraction(1, 2), (Fraction(1, 2), Fraction(1, 2)))
    """
    game = stage_game(scenario, assumption=assumption, overrides=overrides)
    goal = _target(scenario, game, target)
    how = punishment or (scenario.repeated.punishment if scenario.repeated else "nash")
    automata = [
        strategy_for(name, game, player, goal, custom=scenario.strategies, punishment=how)
        for player, name in enumerate((row, column or row))
    ]
    return sustainability(game, automata[0], automata[1], goal)


def critical_discount(
    scenario: Scenario,
    strategy: str,
    *,
    against: str | None = None,
    player: str | None = None,
    target: tuple[str, str] | None = None,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
) -> Any:
    """The lowest δ from which ``strategy`` (against ``against``, default the same) is
    subgame perfect with the détente on its path: overall, or for one ``player`` (id).
    An exact number (Fraction or sympy algebraic), or None when no δ < 1 works.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("us-china-export-controls-2025")
    >>> critical_discount(s, "k_period_punishment(k=2)")
    -1/2 + sqrt(57)/6
    >>> critical_discount(s, "tit_for_tat") is None
    True
    """
    sus = profile_sustainability(
        scenario, strategy, against, target=target, assumption=assumption, overrides=overrides
    )
    if player is None:
        return sus.critical_discount
    game = stage_game(scenario, assumption=assumption, overrides=overrides)
    if player not in game.players:
        raise NegotiationError(
            f"{player!r} is not a player{suggest(player, game.players)} "
            f"(players: {', '.join(game.players)})"
        )
    return sus.player_critical[game.players.index(player)]


def discount_factors(
    scenario: Scenario, *, assumption: str = "baseline", overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Each player's discount factor under an assumption, by player id (equal values when
    the file gives one ``repeated.discount`` for both).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("us-china-tariffs-2025")
    >>> discount_factors(s)
    {'us': Fraction(9, 10), 'cn': Fraction(9, 10)}
    >>> discount_factors(s, assumption="us-election-cycle")
    {'us': Fraction(153, 200), 'cn': Fraction(9, 10)}
    """
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    values = scenario.parameter_values(assumption, overrides)
    pair = scenario.repeated.discount_exprs()
    return {pid: e.evaluate(values) for pid, e in zip(scenario.player_ids, pair)}


def spe_at_discount(
    scenario: Scenario,
    strategy: str,
    *,
    against: str | None = None,
    discount: Any = None,
    target: tuple[str, str] | None = None,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
) -> DiscountCheck:
    """Whether ``strategy`` (against ``against``, default the same) is subgame perfect at
    the players' discount factors, and the incentive margin there.

    ``discount`` is one number for both players, a ``(row, column)`` pair or a mapping
    ``{player id: value}``; default the scenario's own (one per player when the file
    gives a mapping). Each player's conditions are checked at that player's δ.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("us-china-tariffs-2025")
    >>> spe_at_discount(s, "grim_trigger", assumption="us-election-cycle").spe
    False
    >>> spe_at_discount(s, "grim_trigger", discount={"us": "9/10", "cn": "1/5"}).spe
    True
    """
    sus = profile_sustainability(
        scenario, strategy, against, target=target, assumption=assumption, overrides=overrides
    )
    game = stage_game(scenario, assumption=assumption, overrides=overrides)
    if discount is None:
        discount = discount_factors(scenario, assumption=assumption, overrides=overrides)
    return sus.at_discount(read_discounts(game, discount))
