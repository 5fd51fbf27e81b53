"""negotiation: game-theoretic modelling of trade conflicts.

The public API, imported lazily so that ``import negotiation`` (and the CLI's
``--help``) stays fast; each name loads its module on first use.

Examples
--------
>>> import negotiation as ng
>>> game = ng.StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> [e.kind for e in ng.extreme_equilibria(game)]
['pure']
>>> scenario = ng.load_scenario("us-china-export-controls-2025")
>>> ng.StageGame.from_scenario(scenario, "us-diversifies").shape
(3, 3)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from negotiation._version import __version__

_EXPORTS = {
    # errors
    "NegotiationError": "negotiation.errors",
    "GameError": "negotiation.errors",
    "ScenarioError": "negotiation.errors",
    "ScenarioErrors": "negotiation.errors",
    # scenario layer
    "Scenario": "negotiation.scenario.model",
    "load_scenario": "negotiation.scenario",
    "parse_scenario": "negotiation.scenario",
    "find_scenario": "negotiation.scenario",
    "shipped_scenarios": "negotiation.scenario",
    "parse_expression": "negotiation.scenario.expressions",
    "json_schema": "negotiation.scenario.schema",
    "starter_scenario": "negotiation.scenario.starter",
    # games layer
    "StageGame": "negotiation.games.stage_game",
    "extreme_equilibria": "negotiation.games.extreme_equilibria",
    "equilibria_batch": "negotiation.games.extreme_equilibria",
    "lemke_howson": "negotiation.games.lemke_howson",
    "LemkeHowsonResult": "negotiation.games.lemke_howson",
    "pure_equilibria": "negotiation.games.pure_equilibria",
    "Equilibrium": "negotiation.games.equilibrium",
    "EquilibriumSet": "negotiation.games.equilibrium",
    "best_responses": "negotiation.games.best_response",
    "iterated_strict_dominance": "negotiation.games.dominance",
    "iterated_weak_dominance": "negotiation.games.dominance",
    "pareto_efficient_profiles": "negotiation.games.pareto",
    "pure_security_values": "negotiation.games.security",
    "mixed_security_values": "negotiation.games.security",
    "read_nfg": "negotiation.games.nfg",
    "load_nfg": "negotiation.games.nfg",
    "write_nfg": "negotiation.games.nfg",
    # repeated layer
    "Automaton": "negotiation.repeated.automaton",
    "build_strategy": "negotiation.repeated.library",
    "context_for": "negotiation.repeated.library",
    "strategy_names": "negotiation.repeated.library",
    "strategy_for": "negotiation.repeated.profiles",
    "sustainability": "negotiation.repeated.sustainability",
    "noise_metrics": "negotiation.repeated.noise",
    "simulate": "negotiation.repeated.simulate",
    "stability_report": "negotiation.repeated.report",
    "run_simulation": "negotiation.repeated.experiment",
    "batch_sustainability": "negotiation.repeated.batch",
    "condition_maps": "negotiation.repeated.batch",
    # analysis layer
    "compare": "negotiation.analysis.compare",
    "Comparison": "negotiation.analysis.compare",
    "VerdictRules": "negotiation.analysis.verdict",
    "sweep": "negotiation.analysis.sweep",
    "SweepResult": "negotiation.analysis.sweep",
    "tipping_points": "negotiation.analysis.tipping",
    "linkage_analysis": "negotiation.analysis.linkage",
    "LinkageAnalysis": "negotiation.analysis.linkage",
    "TippingPoint": "negotiation.analysis.tipping",
    "plot_comparison": "negotiation.analysis.plots",
    "plot_sweep": "negotiation.analysis.plots",
    "plot_simulation": "negotiation.analysis.plots",
    "fit_strategies": "negotiation.analysis.fit",
    "fit_moves": "negotiation.analysis.fit",
    "FitResult": "negotiation.analysis.fit",
    "estimate_frequencies": "negotiation.analysis.strategy_frequencies",
    "StrategyFrequencies": "negotiation.analysis.strategy_frequencies",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.analysis.compare import Comparison, compare
    from negotiation.analysis.fit import FitResult, fit_moves, fit_strategies
    from negotiation.analysis.linkage import LinkageAnalysis, linkage_analysis
    from negotiation.analysis.plots import plot_comparison, plot_simulation, plot_sweep
    from negotiation.analysis.strategy_frequencies import (
        StrategyFrequencies,
        estimate_frequencies,
    )
    from negotiation.analysis.sweep import SweepResult, sweep
    from negotiation.analysis.tipping import TippingPoint, tipping_points
    from negotiation.analysis.verdict import VerdictRules
    from negotiation.errors import GameError, NegotiationError, ScenarioError, ScenarioErrors
    from negotiation.games.best_response import best_responses
    from negotiation.games.dominance import iterated_strict_dominance, iterated_weak_dominance
    from negotiation.games.equilibrium import Equilibrium, EquilibriumSet
    from negotiation.games.extreme_equilibria import equilibria_batch, extreme_equilibria
    from negotiation.games.lemke_howson import LemkeHowsonResult, lemke_howson
    from negotiation.games.nfg import load_nfg, read_nfg, write_nfg
    from negotiation.games.pareto import pareto_efficient_profiles
    from negotiation.games.pure_equilibria import pure_equilibria
    from negotiation.games.security import mixed_security_values, pure_security_values
    from negotiation.games.stage_game import StageGame
    from negotiation.repeated.automaton import Automaton
    from negotiation.repeated.batch import batch_sustainability, condition_maps
    from negotiation.repeated.experiment import run_simulation
    from negotiation.repeated.library import build_strategy, context_for, strategy_names
    from negotiation.repeated.noise import noise_metrics
    from negotiation.repeated.profiles import strategy_for
    from negotiation.repeated.report import stability_report
    from negotiation.repeated.simulate import simulate
    from negotiation.repeated.sustainability import sustainability
    from negotiation.scenario import (
        find_scenario,
        load_scenario,
        parse_scenario,
        shipped_scenarios,
    )
    from negotiation.scenario.expressions import parse_expression
    from negotiation.scenario.model import Scenario
    from negotiation.scenario.schema import json_schema
    from negotiation.scenario.starter import starter_scenario


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
