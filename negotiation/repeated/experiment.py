"""A simulation of a scenario's repeated game, set up from the file and compared with
the exact noise metrics (what ``negotiation simulate`` runs)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.errors import NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.repeated.noise import NoiseMetrics, noise_metrics
from negotiation.repeated.profiles import strategy_for
from negotiation.repeated.simulate import Simulation, simulate
from negotiation.scenario.model import Scenario

__all__ = ["SimulationRun", "run_simulation"]


@dataclass(frozen=True)
class SimulationRun:
    """A simulation with its settings and the exact values it estimates."""

    scenario: str
    assumption: str
    game: StageGame
    target: tuple[int, int]
    discount: float
    simulation: Simulation
    exact: NoiseMetrics

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: settings, Monte Carlo summary and exact values."""
        sim = self.simulation
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "strategies": [sim.row_strategy, sim.col_strategy],
            "target": [self.game.row_moves[self.target[0]], self.game.col_moves[self.target[1]]],
            "rounds": sim.rounds,
            "runs": sim.runs,
            "noise": sim.noise,
            "seed": sim.seed,
            "discount": self.discount,
            "summary": _strict(sim.summary(self.target, self.discount)),
            "exact": self.exact.to_dict(),
            "profile_shares": sim.profile_shares().tolist(),
        }


def _strict(summary: dict[str, object]) -> dict[str, object]:
    """The summary for JSON: an undefined mean or standard error (NaN) is ``None``, with
    a ``reason``.

    Examples
    --------
    >>> nan = math.nan
    >>> out = _strict({"runs": 3, "rounds_to_breakdown": {"mean": nan, "se": nan, "runs": 0}})
    >>> out["rounds_to_breakdown"]
    {'mean': None, 'se': None, 'runs': 0, 'reason': 'no run left the détente'}
    """
    out: dict[str, object] = {}
    for key, stat in summary.items():
        if not (isinstance(stat, dict) and "mean" in stat):
            out[key] = stat
            continue
        stat = dict(stat)
        runs = stat.get("runs", summary.get("runs"))
        reason = None
        if isinstance(stat["se"], float) and math.isnan(stat["se"]):
            stat["se"] = None
            reason = f"a standard error needs at least 2 runs, {runs} entered"
        if isinstance(stat["mean"], float) and math.isnan(stat["mean"]):
            stat["mean"] = None
            reason = "no run left the détente" if key == "rounds_to_breakdown" else "no runs"
        if reason is not None:
            stat["reason"] = reason
        out[key] = stat
    return out


def run_simulation(
    scenario: Scenario,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    pair: tuple[str, str] | None = None,
    rounds: int | None = None,
    runs: int | None = None,
    noise: float | None = None,
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationRun:
    """Simulate a scenario's repeated game; settings default to the file's ``repeated``.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = run_simulation(load_scenario("prisoners-dilemma"), rounds=50, runs=200, seed=1)
    >>> r.simulation.runs, r.exact.detente_share < 1
    (200, True)
    """
    rep = scenario.repeated
    if rep is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    game = StageGame.from_scenario(scenario, assumption, overrides)
    values = scenario.parameter_values(assumption, overrides)
    target = (game.row_moves.index(rep.target[0]), game.col_moves.index(rep.target[1]))
    if pair is None:
        if not rep.strategies:
            raise NegotiationError(
                "no strategy to simulate: pass --pair or list repeated.strategies"
            )
        pair = (rep.strategies[0], rep.strategies[0])
    row = strategy_for(pair[0], game, 0, target, scenario.strategies)
    col = strategy_for(pair[1], game, 1, target, scenario.strategies)
    eps = Fraction(repr(noise)) if noise is not None else rep.noise.evaluate(values)
    discount = rep.discount.evaluate(values)
    sim = simulate(
        game,
        row,
        col,
        rounds=rounds or rep.rounds,
        runs=runs or rep.runs,
        noise=float(eps),
        seed=seed if seed is not None else rep.seed,
        progress=progress,
    )
    exact = noise_metrics(game, row, col, target, noise=eps, discount=discount)
    return SimulationRun(scenario.id, assumption, game, target, float(discount), sim, exact)
