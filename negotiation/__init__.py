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
    "EnumerationLimitError": "negotiation.errors",
    "ScenarioError": "negotiation.errors",
    "ScenarioErrors": "negotiation.errors",
    # scenario layer
    "Scenario": "negotiation.scenario.model",
    "AutomatonSpec": "negotiation.scenario.model",
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
    "choose_method": "negotiation.games.method_choice",
    "MethodChoice": "negotiation.games.method_choice",
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
    "strict_equilibria": "negotiation.games.selection",
    "risk_dominance": "negotiation.games.selection",
    "payoff_dominates": "negotiation.games.selection",
    "equilibrium_selection": "negotiation.games.selection",
    "RiskComparison": "negotiation.games.selection",
    "EquilibriumSelection": "negotiation.games.selection",
    "stochastic_stability": "negotiation.games.stochastic_stability",
    "StochasticStability": "negotiation.games.stochastic_stability",
    # repeated layer
    "Automaton": "negotiation.repeated.automaton",
    "automaton_from_rule": "negotiation.repeated.automaton",
    "strategy_names": "negotiation.repeated.library",
    "strategy_for": "negotiation.repeated.profiles",
    "sustainability": "negotiation.repeated.sustainability",
    "Sustainability": "negotiation.repeated.sustainability",
    "Simulation": "negotiation.repeated.simulate",
    "SimulationRun": "negotiation.repeated.experiment",
    "noise_metrics": "negotiation.repeated.noise",
    "simulate": "negotiation.repeated.simulate",
    "stability_report": "negotiation.repeated.report",
    "StabilityReport": "negotiation.repeated.report",
    "ProfileStability": "negotiation.repeated.report",
    "DiscountCheck": "negotiation.repeated.sustainability",
    "run_simulation": "negotiation.repeated.experiment",
    "batch_sustainability": "negotiation.repeated.batch",
    "condition_maps": "negotiation.repeated.batch",
    # analysis layer: one call per question
    "stage_game": "negotiation.analysis.answers",
    "equilibria": "negotiation.analysis.answers",
    "stability": "negotiation.analysis.answers",
    "profile_sustainability": "negotiation.analysis.answers",
    "critical_discount": "negotiation.analysis.answers",
    "discount_factors": "negotiation.analysis.answers",
    "spe_at_discount": "negotiation.analysis.answers",
    "feasible_set": "negotiation.repeated.feasible_set",
    "FeasibleSet": "negotiation.repeated.feasible_set",
    "spe_payoffs": "negotiation.repeated.spe_payoffs",
    "SPEPayoffs": "negotiation.repeated.spe_payoffs",
    "optimal_penal_code": "negotiation.repeated.penal_codes",
    "PenalCode": "negotiation.repeated.penal_codes",
    "Punishment": "negotiation.repeated.penal_codes",
    "renegotiation_check": "negotiation.repeated.renegotiation",
    "Renegotiation": "negotiation.repeated.renegotiation",
    "frontier": "negotiation.analysis.frontier",
    "Frontier": "negotiation.analysis.frontier",
    "plot_frontier": "negotiation.analysis.plots.frontier",
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
    "plot_robustness": "negotiation.analysis.plots",
    "robustness": "negotiation.analysis.robustness",
    "Robustness": "negotiation.analysis.robustness",
    "AssumptionRobustness": "negotiation.analysis.robustness",
    "Prior": "negotiation.scenario.priors",
    "fit_strategies": "negotiation.analysis.fit",
    "fit_moves": "negotiation.analysis.fit",
    "FitResult": "negotiation.analysis.fit",
    "estimate_frequencies": "negotiation.analysis.strategy_frequencies",
    "StrategyFrequencies": "negotiation.analysis.strategy_frequencies",
    "trajectory": "negotiation.analysis.dynamics",
    "basins": "negotiation.analysis.dynamics",
    "Trajectory": "negotiation.analysis.dynamics",
    "Basins": "negotiation.analysis.dynamics",
    "evolution": "negotiation.analysis.evolution",
    "Evolution": "negotiation.analysis.evolution",
    "tournament": "negotiation.analysis.tournament",
    "Tournament": "negotiation.analysis.tournament",
    "plot_evolution": "negotiation.analysis.plots.dynamics",
    # paper tables and the HTML report
    "comparison_latex": "negotiation.analysis.paper_tables",
    "comparison_markdown": "negotiation.analysis.paper_tables",
    "stability_latex": "negotiation.analysis.paper_tables",
    "stability_markdown": "negotiation.analysis.paper_tables",
    "latex_document": "negotiation.analysis.paper_tables",
    "html_report": "negotiation.analysis.report_html",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

#: Old public names, still importable for one release with a DeprecationWarning:
#: name -> (module, what to use instead).
_DEPRECATED = {
    "build_strategy": (
        "negotiation.repeated.library",
        "negotiation.strategy_for(name, game, player, target)",
    ),
    "context_for": (
        "negotiation.repeated.library",
        "negotiation.strategy_for(name, game, player, target, punishment=...)",
    ),
}

if TYPE_CHECKING:  # pragma: no cover
    from negotiation.analysis.answers import (
        critical_discount,
        discount_factors,
        equilibria,
        profile_sustainability,
        spe_at_discount,
        stability,
        stage_game,
    )
    from negotiation.analysis.compare import Comparison, compare
    from negotiation.analysis.dynamics import Basins, Trajectory, basins, trajectory
    from negotiation.analysis.evolution import Evolution, evolution
    from negotiation.analysis.fit import FitResult, fit_moves, fit_strategies
    from negotiation.analysis.frontier import Frontier, frontier
    from negotiation.analysis.linkage import LinkageAnalysis, linkage_analysis
    from negotiation.analysis.paper_tables import (
        comparison_latex,
        comparison_markdown,
        latex_document,
        stability_latex,
        stability_markdown,
    )
    from negotiation.analysis.plots import (
        plot_comparison,
        plot_robustness,
        plot_simulation,
        plot_sweep,
    )
    from negotiation.analysis.plots.dynamics import plot_evolution
    from negotiation.analysis.plots.frontier import plot_frontier
    from negotiation.analysis.report_html import html_report
    from negotiation.analysis.robustness import AssumptionRobustness, Robustness, robustness
    from negotiation.analysis.strategy_frequencies import (
        StrategyFrequencies,
        estimate_frequencies,
    )
    from negotiation.analysis.sweep import SweepResult, sweep
    from negotiation.analysis.tipping import TippingPoint, tipping_points
    from negotiation.analysis.tournament import Tournament, tournament
    from negotiation.analysis.verdict import VerdictRules
    from negotiation.errors import (
        EnumerationLimitError,
        GameError,
        NegotiationError,
        ScenarioError,
        ScenarioErrors,
    )
    from negotiation.games.best_response import best_responses
    from negotiation.games.dominance import iterated_strict_dominance, iterated_weak_dominance
    from negotiation.games.equilibrium import Equilibrium, EquilibriumSet
    from negotiation.games.extreme_equilibria import equilibria_batch, extreme_equilibria
    from negotiation.games.lemke_howson import LemkeHowsonResult, lemke_howson
    from negotiation.games.method_choice import MethodChoice, choose_method
    from negotiation.games.nfg import load_nfg, read_nfg, write_nfg
    from negotiation.games.pareto import pareto_efficient_profiles
    from negotiation.games.pure_equilibria import pure_equilibria
    from negotiation.games.security import mixed_security_values, pure_security_values
    from negotiation.games.selection import (
        EquilibriumSelection,
        RiskComparison,
        equilibrium_selection,
        payoff_dominates,
        risk_dominance,
        strict_equilibria,
    )
    from negotiation.games.stage_game import StageGame
    from negotiation.games.stochastic_stability import StochasticStability, stochastic_stability
    from negotiation.repeated.automaton import Automaton, automaton_from_rule
    from negotiation.repeated.batch import batch_sustainability, condition_maps
    from negotiation.repeated.experiment import SimulationRun, run_simulation
    from negotiation.repeated.feasible_set import FeasibleSet, feasible_set
    from negotiation.repeated.library import strategy_names
    from negotiation.repeated.noise import noise_metrics
    from negotiation.repeated.penal_codes import PenalCode, Punishment, optimal_penal_code
    from negotiation.repeated.profiles import strategy_for
    from negotiation.repeated.renegotiation import Renegotiation, renegotiation_check
    from negotiation.repeated.report import ProfileStability, StabilityReport, stability_report
    from negotiation.repeated.simulate import Simulation, simulate
    from negotiation.repeated.spe_payoffs import SPEPayoffs, spe_payoffs
    from negotiation.repeated.sustainability import (
        DiscountCheck,
        Sustainability,
        sustainability,
    )
    from negotiation.scenario import (
        find_scenario,
        load_scenario,
        parse_scenario,
        shipped_scenarios,
    )
    from negotiation.scenario.expressions import parse_expression
    from negotiation.scenario.model import AutomatonSpec, Scenario
    from negotiation.scenario.priors import Prior
    from negotiation.scenario.schema import json_schema
    from negotiation.scenario.starter import starter_scenario


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None and name in _DEPRECATED:
        import warnings

        module, instead = _DEPRECATED[name]
        warnings.warn(
            f"negotiation.{name} is deprecated and will be removed in the next release; "
            f"use {instead}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(module), name)
    if module is None:
        raise AttributeError(f"module 'negotiation' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names only (not the helpers this module imports)."""
    return list(__all__)
