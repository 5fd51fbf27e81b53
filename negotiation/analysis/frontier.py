"""What a scenario's repeated game can sustain at all (``negotiation frontier``).

One result gathers: the feasible and individually rational payoffs
(:func:`~negotiation.repeated.feasible_set.feasible_set`), the subgame-perfect payoff
set at the scenario's δ (:func:`~negotiation.repeated.spe_payoffs.spe_payoffs`), each
player's worst subgame-perfect payoff (the optimal punishment's value, Abreu 1988), and
the lowest δ at which the détente target can be sustained with the best simple penal
code found (:func:`~negotiation.repeated.penal_codes.optimal_penal_code`), next to Nash
reversion's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiation.errors import NegotiationError, ScenarioError
from negotiation.games.equilibrium import number_out
from negotiation.games.stage_game import StageGame
from negotiation.numbers import json_exact
from negotiation.records import TabularResult, flatten, short_repr
from negotiation.repeated.feasible_set import FeasibleSet, feasible_set
from negotiation.repeated.penal_codes import PenalCode, optimal_penal_code
from negotiation.repeated.spe_payoffs import SPEPayoffs, spe_payoffs
from negotiation.scenario.model import Scenario

__all__ = ["Frontier", "frontier"]


def _pair(ids: tuple[str, ...], values: tuple[Any, Any]) -> dict[str, Any]:
    return {p: None if v is None else number_out(v) for p, v in zip(ids, values)}


@dataclass(frozen=True)
class Frontier(TabularResult):
    """The feasible set, the subgame-perfect payoff set and the optimal penal code of a
    scenario under one assumption.

    Attributes
    ----------
    scenario, assumption : str
    game : StageGame
    discount : (Fraction, Fraction)
        The row and the column player's δ.
    target : (int, int)
    feasible : FeasibleSet
    spe : SPEPayoffs
    penal_code : PenalCode
    """

    __repr__ = short_repr

    def to_records(self) -> list[dict[str, Any]]:
        """One record per player: discount, target payoff, minmax, worst SPE payoff and
        the lowest δ that sustains the target (optimal penal code and grim trigger).

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> rec = frontier(load_scenario("prisoners-dilemma")).to_records()[0]
        >>> rec["player"], rec["grim_trigger_from_exact"]
        ('row', '1/2')
        """
        d = self.to_dict()
        keys = (
            "discount",
            "target_payoff",
            "minmax",
            "worst_spe",
            "target_sustainable_from",
            "grim_trigger_from",
        )
        return [
            flatten(
                {
                    "scenario": d["scenario"],
                    "assumption": d["assumption"],
                    "player": p,
                    **{k: d[k][p] for k in keys},
                }
            )
            for p in self.game.players
        ]

    scenario: str
    assumption: str
    game: StageGame = field(repr=False)
    discount: tuple[Fraction, Fraction]
    target: tuple[int, int]
    feasible: FeasibleSet = field(repr=False)
    spe: SPEPayoffs = field(repr=False)
    penal_code: PenalCode = field(repr=False)

    @property
    def target_payoff(self) -> tuple[Any, Any]:
        """The stage payoffs of the target profile."""
        i, j = self.target
        if self.game.is_exact:
            A, B = self.game.require_exact()
            return A[i][j], B[i][j]
        return float(self.game.A[i, j]), float(self.game.B[i, j])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``frontier --format json`` contract).

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> d = frontier(load_scenario("prisoners-dilemma")).to_dict()
        >>> d["feasible"], d["target_sustainable_from"], d["penal_code"]
        ([['0', '5'], ['1', '1'], ['5', '0'], ['3', '3']], {'row': '1/2', 'column': '1/2'}, \
['optimal_penal_code', 'optimal_penal_code'])
        """
        g, ids = self.game, self.game.players
        spe, feasible = self.spe.to_dict(), self.feasible.to_dict()
        code = self.penal_code
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "discount": _pair(ids, self.discount),
            "target": [g.row_moves[self.target[0]], g.col_moves[self.target[1]]],
            "target_payoff": _pair(ids, self.target_payoff),
            "feasible": feasible["feasible"],
            "individually_rational": feasible["individually_rational"],
            "minmax": _pair(ids, self.feasible.minmax),
            "pure_minmax": _pair(ids, self.feasible.pure_minmax),
            "spe_payoffs": {
                "vertices": spe["vertices"],
                "inner": spe["inner"],
                "exact": spe["exact"],
                "tolerance": spe["tolerance"],
                "method": spe["method"],
                "iterations": spe["iterations"],
            },
            "worst_spe": _pair(ids, self.spe.worst),
            "worst_spe_upper": _pair(ids, self.spe.worst_inner),
            "target_sustainable_from": {p: json_exact(c) for p, c in zip(ids, code.critical)},
            "target_bound": {p: json_exact(c) for p, c in zip(ids, code.lower_bound)},
            "target_optimal": dict(zip(ids, code.optimal)),
            "grim_trigger_from": {p: json_exact(c) for p, c in zip(ids, code.grim_critical)},
            "penal_code": [a.name for a in code.automata],
            "punishments": code.to_dict()["punishments"],
        }


def frontier(
    scenario: Scenario,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
) -> Frontier:
    """The feasible set, the SPE payoff set, worst punishments and the optimal penal code
    of a scenario's repeated game.

    Parameters
    ----------
    scenario : Scenario
        Needs exact payoffs and a ``repeated`` section (target and discount).
    assumption : str
    overrides : mapping, optional
        ``--set`` values.

    Returns
    -------
    Frontier

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> f = frontier(load_scenario("prisoners-dilemma"))
    >>> f.spe.exact, f.spe.worst
    (True, (Fraction(1, 1), Fraction(1, 1)))
    """
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    rep = scenario.repeated
    game = StageGame.from_scenario(scenario, assumption, overrides)
    if not game.is_exact:  # locate the payoff that is not a rational
        scenario.require_exact_payoffs("frontier", assumption, overrides)
    values = scenario.parameter_values(assumption, overrides)
    ids = scenario.player_ids
    pair = [rep.discount_exprs()[who].evaluate(values) for who in (0, 1)]
    for who, d in enumerate(pair):
        if not isinstance(d, Fraction):
            path = rep.discount_path(who, ids)
            raise ScenarioError(
                "the discount factor must be a rational number",
                file=scenario.file,
                path=path,
                line=scenario.lines.get(path) or scenario.lines.get(path[:2]),
            )
    discount = (Fraction(pair[0]), Fraction(pair[1]))  # each player's own δ
    target = (game.row_moves.index(rep.target[0]), game.col_moves.index(rep.target[1]))
    return Frontier(
        scenario.id,
        assumption,
        game,
        discount,
        target,
        feasible_set(game),
        spe_payoffs(game, discount),
        optimal_penal_code(game, target),
    )
