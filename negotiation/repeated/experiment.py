"""A simulation of a scenario's repeated game, set up from the file and compared with
the exact noise metrics (what ``negotiation simulate`` runs)."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral, Real
from typing import Any

import numpy as np

from negotiation.errors import NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.records import TabularResult, short_repr
from negotiation.repeated.noise import NoiseMetrics, noise_metrics
from negotiation.repeated.profiles import strategy_for
from negotiation.repeated.simulate import Simulation, simulate
from negotiation.scenario.discounts import discount_json, discount_pair
from negotiation.scenario.model import Scenario
from negotiation.scenario.overrides import Overrides, assumption_label, override_record

__all__ = [
    "MAX_ROUNDS",
    "MAX_ROUND_CELLS",
    "MAX_RUNS",
    "MAX_RUN_ROUNDS",
    "SimulationRun",
    "run_simulation",
]

#: Most rounds per run.
MAX_ROUNDS = 1_000_000
#: Most runs: a run costs about 150 bytes of state (300 MB at this limit).
MAX_RUNS = 2_000_000
#: Most run-rounds (runs times rounds) simulated: about ten million a second, so at
#: most a minute or so.
MAX_RUN_ROUNDS = 500_000_000
#: Most rounds times move profiles: the per-round profile shares reported (JSON, CSV,
#: the plot) have this many numbers.
MAX_ROUND_CELLS = 2_000_000


@dataclass(frozen=True)
class SimulationRun(TabularResult):
    """A simulation with its settings and the exact values it estimates.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> run = run_simulation(load_scenario("prisoners-dilemma"), rounds=20, runs=100, seed=1)
    >>> run.scenario, run.simulation.runs, sorted(run.to_dict())[:3]
    ('prisoners-dilemma', 100, ['assumption', 'discount', 'exact'])
    """

    __repr__ = short_repr

    def to_records(self) -> list[dict[str, Any]]:
        """One record per round: the share of runs at each realised profile
        (``<row move>/<column move>``), rounds numbered from 1.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> run = run_simulation(load_scenario("prisoners-dilemma"), rounds=3, runs=4, seed=1)
        >>> list(run.to_records()[0])[:2]
        ['round', 'cooperate/cooperate']
        """
        g = self.game
        names = [f"{a}/{b}" for a in g.row_moves for b in g.col_moves]
        shares = self.simulation.profile_shares().reshape(self.simulation.rounds, -1)
        return [
            {"round": t + 1, **{n: float(v) for n, v in zip(names, row)}}
            for t, row in enumerate(shares)
        ]

    scenario: str
    assumption: str
    game: StageGame
    target: tuple[int, int]
    discount: float | tuple[float, float]
    simulation: Simulation
    exact: NoiseMetrics
    overrides: Overrides = ()

    @property
    def label(self) -> str:
        """The assumption with the overrides applied, e.g. ``baseline with T=7``."""
        return assumption_label(self.assumption, self.overrides)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: settings, Monte Carlo summary and exact values."""
        sim = self.simulation
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "overrides": dict(self.overrides),
            "strategies": [sim.row_strategy, sim.col_strategy],
            "target": [self.game.row_moves[self.target[0]], self.game.col_moves[self.target[1]]],
            "rounds": sim.rounds,
            "runs": sim.runs,
            "noise": sim.noise,
            "seed": sim.seed,
            "discount": discount_json(self.discount, self.game.players, float),
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


def _whole(name: str, value: object, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 1 <= int(value) <= most:
        raise NegotiationError(f"{name} must be a whole number from 1 to {most:,}, got {value!r}")
    return int(value)


def _probability(value: object) -> Fraction:
    """The noise as an exact number (a float read as its shortest decimal)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise NegotiationError(f"the noise must be a probability, got {value!r}")
    if isinstance(value, Fraction):
        exact = value
    elif math.isfinite(float(value)):
        exact = Fraction(repr(float(value)))
    else:
        raise NegotiationError(f"the noise must be a probability in [0, 1], got {value!r}")
    if not 0 <= exact <= 1:
        raise NegotiationError(f"the noise must be a probability in [0, 1], got {value!r}")
    return exact


def run_simulation(
    scenario: Scenario,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    pair: tuple[str, str] | None = None,
    rounds: int | None = None,
    runs: int | None = None,
    noise: float | None = None,
    seed: int | np.random.Generator | None = None,
    progress: Callable[[int], None] | None = None,
) -> SimulationRun:
    """Simulate a scenario's repeated game; settings default to the file's ``repeated``.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``repeated`` section.
    assumption : str
    overrides : mapping, optional
        ``--set`` values on top of the assumption.
    pair : (str, str), optional
        Row and column strategies (default: the file's first strategy for both).
    rounds, runs : int, optional
        At least 1, at most :data:`MAX_ROUNDS` and :data:`MAX_RUNS`, with
        ``runs * rounds <= MAX_RUN_ROUNDS`` and ``rounds * m * n <= MAX_ROUND_CELLS``.
    noise : float, optional
        Tremble probability in ``[0, 1]``.
    seed : int or numpy.random.Generator, optional
        A non-negative integer (default: the file's ``seed``), or a Generator used as
        it is (then no seed is recorded). With neither, a seed is
        drawn from the operating system's entropy and recorded in the result, so every
        run can be repeated.
    progress : callable, optional
        Called with the rounds done.

    Raises
    ------
    NegotiationError
        Any setting out of range (whether given here or read from the file).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = run_simulation(load_scenario("prisoners-dilemma"), rounds=50, runs=200, seed=1)
    >>> r.simulation.runs, r.exact.detente_share < 1
    (200, True)
    >>> run_simulation(load_scenario("prisoners-dilemma"), rounds=0)
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: rounds must be a whole number from 1 to 1,000,000, got 0
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
    row = strategy_for(pair[0], game, 0, target, custom=scenario.strategies)
    col = strategy_for(pair[1], game, 1, target, custom=scenario.strategies)
    rounds = _whole("rounds", rep.rounds if rounds is None else rounds, MAX_ROUNDS)
    runs = _whole("runs", rep.runs if runs is None else runs, MAX_RUNS)
    seed = rep.seed if seed is None else seed
    if seed is not None and not isinstance(seed, np.random.Generator):
        if isinstance(seed, bool) or not isinstance(seed, Integral):
            raise NegotiationError(f"the seed must be a whole number, got {seed!r}")
        if seed < 0:
            raise NegotiationError(f"the seed must not be negative, got {seed}")
    if seed is None:
        seed = secrets.randbits(32)  # drawn, then recorded: the run can be repeated
    m, n = game.shape
    if runs * rounds > MAX_RUN_ROUNDS:
        raise NegotiationError(
            f"{runs:,} runs of {rounds:,} rounds is too much to simulate: at most "
            f"{MAX_RUN_ROUNDS:,} run-rounds"
        )
    if rounds * m * n > MAX_ROUND_CELLS:
        raise NegotiationError(
            f"{rounds:,} rounds of a {m}x{n} game is too long to report round by round: "
            f"at most {MAX_ROUND_CELLS // (m * n):,} rounds"
        )
    eps = _probability(noise) if noise is not None else rep.noise.evaluate(values)
    discount = rep.discount_value(values)
    pair = discount_pair(discount)
    if pair[0] == pair[1]:
        discount = pair[0]
    sim = simulate(
        game,
        row,
        col,
        rounds=rounds,
        runs=runs,
        noise=float(eps),
        seed=seed,
        progress=progress,
        discounts=sorted({float(d) for d in pair}),  # reported even without the moves
    )
    exact = noise_metrics(game, row, col, target, noise=eps, discount=discount)
    return SimulationRun(
        scenario.id,
        assumption,
        game,
        target,
        (float(pair[0]), float(pair[1])) if pair[0] != pair[1] else float(pair[0]),
        sim,
        exact,
        override_record(overrides),
    )
