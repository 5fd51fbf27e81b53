"""Every ``compare`` metric over a grid of one or two parameters (``negotiation sweep``).

The grid's payoffs are evaluated in one go: the scenario's payoff expressions become
sympy expressions in the swept names (other parameters at the assumption's values),
``sympy.lambdify`` turns them into numpy functions, and each is called once on the
whole grid. The points are then cut into chunks, each evaluated by
:func:`negotiation.analysis.sweep_chunk.evaluate_chunk` (vectorised within a chunk) in
this process, in ``jobs`` worker processes, or on a dask.distributed cluster.

Numbers are double precision; ``compare`` gives the exact values at any one point and
the two agree to about 1e-9 (tested). The verdicts agree exactly: wherever the float
answer is within its error bound of a verdict threshold (a slack at ``min_slack``, δ at
a critical δ, a share at ``min_share``, a near tie for the best profile; see
:func:`~negotiation.analysis.verdict.grid_verdicts`), the point is decided again by
the exact analysis, as ``compare`` decides it (:meth:`GridEvaluator.exact_report`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import product
from types import MappingProxyType
from typing import Any

import numpy as np

from negotiation.analysis.executors import available_cpus, run_chunks, worker_count
from negotiation.analysis.grid import Axis, check_grid_size, parse_axis, parse_spec
from negotiation.analysis.sweep_chunk import ChunkJob, evaluate_chunk, profile_label
from negotiation.analysis.verdict import VerdictRules, discount_slack, verdict
from negotiation.errors import GameError, NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.records import TabularResult
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.profiles import automaton_from_spec
from negotiation.repeated.report import StabilityReport, stability_report
from negotiation.repeated.symbolic import symbolic_payoffs
from negotiation.scenario.discounts import common_discount, discount_pair
from negotiation.scenario.expressions import parse_expression
from negotiation.scenario.model import BASELINE, Scenario
from negotiation.scenario.overrides import Overrides, assumption_label, override_record
from negotiation.scenario.strategy_specs import parse_strategy_name

__all__ = [
    "CHUNK",
    "MAX_CHUNKS",
    "GridEvaluator",
    "SweepResult",
    "plan_chunks",
    "prepare",
    "sweep",
]

#: Points per chunk (the unit of work sent to a process or a dask worker).
CHUNK = 2500

#: Most chunks a sweep is cut into: each costs some milliseconds whatever its size
#: (20,000 one-point chunks took 50 times as long as eight of 2500), so smaller chunks
#: than ``points / MAX_CHUNKS`` are enlarged (the results do not depend on the size).
MAX_CHUNKS = 1000


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _discount_array(discount: Sequence[Any]) -> np.ndarray:
    """δ per point, shape (G,); shape (G, 2), each player's, where some point's differ."""
    if any(isinstance(d, tuple) for d in discount):
        return np.array([[float(x) for x in discount_pair(d)] for d in discount])
    return np.array([float(d) for d in discount])


@dataclass(frozen=True)
class SweepResult(TabularResult):
    """The metrics at every grid point.

    Attributes
    ----------
    scenario, title, assumption : str
    axes : tuple of Axis
        One or two; points run through the first axis slowest.
    points : tuple of tuple of Fraction
        The axis values of each point.
    profiles : tuple of (str, str)
        Strategy profiles analysed (row, column).
    discount, noise : numpy.ndarray
        δ and ε at each point; ``discount`` has shape (G, 2), each player's δ, when the
        players' factors differ somewhere on the grid.
    columns : Mapping
        Results by metric (see :func:`~negotiation.analysis.sweep_chunk.evaluate_chunk`).
    assumed : tuple of (float or None)
        The assumption's own value of each axis (for plots), ``None`` if not one.
    rules : VerdictRules
    overrides : tuple of (str, str)
        The ``--set`` overrides applied under every point, as (name, value text).
    players : tuple of two str
        The player ids (the names of per-player δ columns).
    """

    _rows_key = "points"
    _keep = ("scenario", "assumption")

    scenario: str
    title: str
    assumption: str
    axes: tuple[Axis, ...]
    points: tuple[tuple[Fraction, ...], ...]
    profiles: tuple[tuple[str, str], ...]
    discount: np.ndarray
    noise: np.ndarray
    columns: Mapping[str, Any] = field(repr=False)
    assumed: tuple[float | None, ...]
    rules: VerdictRules
    overrides: Overrides = ()
    players: tuple[str, str] = ("1", "2")

    def __post_init__(self) -> None:
        # Results are immutable: arrays read-only, the columns a read-only mapping.
        def frozen(value: Any) -> Any:
            if isinstance(value, np.ndarray):
                value = value.view()
                value.flags.writeable = False
                return value
            return tuple(value) if isinstance(value, list) else value

        for name in ("discount", "noise"):
            object.__setattr__(self, name, frozen(getattr(self, name)))
        columns = {k: frozen(v) for k, v in self.columns.items()}
        object.__setattr__(self, "columns", MappingProxyType(columns))

    def __repr__(self) -> str:
        axes = ", ".join(f"{a.name}: {len(a.values)} values" for a in self.axes)
        return (
            f"SweepResult({self.scenario!r}, {self.label!r}, {len(self.points)} points "
            f"over {axes}, {len(self.profiles)} profiles)"
        )

    @property
    def label(self) -> str:
        """The assumption with the overrides applied, e.g. ``baseline with T=7``."""
        return assumption_label(self.assumption, self.overrides)

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape, one entry per axis."""
        return tuple(len(a.values) for a in self.axes)

    def grid(self, metric: str, profile: int | None = None) -> np.ndarray:
        """A numeric metric on the grid (shape :attr:`shape`).

        ``metric`` is a column name; per-profile columns (``critical``, ``spe``, ...)
        need ``profile``. ``"verdict"`` gives 0 unsustainable, 1 fragile, 2 stable
        (``nan`` where a point could not be analysed).

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> r = sweep(load_scenario("prisoners-dilemma"), ["T=4:8:3", "delta=0.5:0.7:2"],
        ...           strategies=["grim_trigger"])
        >>> r.grid("critical", 0).round(3).tolist()
        [[0.333, 0.333], [0.5, 0.5], [0.714, 0.714]]
        """
        if metric == "verdict":
            code = {"unsustainable": 0.0, "fragile": 1.0, "stable": 2.0}
            data = np.array([code.get(v, np.nan) for v in self.columns["verdict"]])
        else:
            data = np.asarray(self.columns[metric], dtype=float)
            if profile is not None:
                data = data[profile]
        return data.reshape(self.shape)

    def header(self) -> list[str]:
        """Column names of :meth:`rows`."""
        crit = [f"critical_delta[{profile_label(p)}]" for p in self.profiles]
        per_player = np.ndim(self.discount) == 2
        return [
            *(a.name for a in self.axes),
            *([f"discount[{p}]" for p in self.players] if per_player else ["discount"]),
            "noise",
            "stage_equilibria",
            "detente_is_stage_equilibrium",
            *crit,
            "best_profile",
            "delta_slack",
            "incentive_margin",
            "detente_share",
            "rounds_to_breakdown",
            "rounds_to_recover",
            "verdict",
            "error",
        ]

    def rows(self) -> list[list[Any]]:
        """One row per point (tidy), in :meth:`header` order; ``None`` for "none"."""
        c = self.columns
        out = []
        for g, point in enumerate(self.points):
            b = int(c["best"][g])

            def best(name: str, b: int = b, g: int = g) -> float | None:
                if b < 0:
                    return None
                v = float(c[name][b, g])
                return None if math.isnan(v) else v

            slack = float(c["slack"][g])
            out.append(
                [
                    *(float(v) for v in point),
                    *np.atleast_1d(self.discount[g]).tolist(),
                    float(self.noise[g]),
                    c["stage_equilibria"][g],
                    bool(c["detente_is_stage_equilibrium"][g]),
                    *(None if math.isnan(v) else float(v) for v in c["critical"][:, g].tolist()),
                    None if b < 0 else profile_label(self.profiles[b]),
                    None if math.isnan(slack) else slack,
                    best("margin"),
                    best("share"),
                    best("breakdown"),
                    best("recover"),
                    c["verdict"][g],
                    c["error"][g] or None,
                ]
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: the grid description and one record per point."""
        head = self.header()
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "overrides": dict(self.overrides),
            "axes": [
                {"name": a.name, "label": a.label, "values": [float(v) for v in a.values]}
                for a in self.axes
            ],
            "profiles": [list(p) for p in self.profiles],
            "rules": {
                "min_slack": float(self.rules.min_slack),
                "min_share": float(self.rules.min_share),
            },
            "points": [dict(zip(head, row)) for row in self.rows()],
        }


def plan_chunks(points: int, chunk_size: int, jobs: int) -> tuple[int, int, list[str]]:
    """The chunk size and worker processes a sweep of ``points`` really uses, with a
    note for each request changed.

    Chunks are enlarged to make at most :data:`MAX_CHUNKS`; workers are at most the
    CPUs available (:func:`~negotiation.analysis.executors.worker_count`).

    Examples
    --------
    >>> size, workers, notes = plan_chunks(1_000_000, 1, 1)
    >>> size, workers, notes
    (1000, 1, ['--chunk-size 1 raised to 1000 (at most 1000 chunks)'])
    >>> plan_chunks(100, 2500, 1)
    (2500, 1, [])
    """
    if chunk_size < 1 or jobs < 1:
        raise NegotiationError("chunk size and jobs must be at least 1")
    notes = []
    size = max(chunk_size, -(-points // MAX_CHUNKS))
    if size != chunk_size:
        notes.append(f"--chunk-size {chunk_size} raised to {size} (at most {MAX_CHUNKS} chunks)")
    workers = worker_count(jobs)
    if workers < jobs:
        cpus = available_cpus()
        notes.append(
            f"--jobs {jobs} capped at {workers}: the CPU{'s' if cpus > 1 else ''} "
            "this process may use"
        )
    return size, workers, notes


def _payoff_functions(
    scenario: Scenario, axes: Sequence[Axis], values: Mapping[str, Any]
) -> list[list[list[Callable[..., Any]]]]:
    """numpy functions of the swept values for every payoff cell, ``[who][i][j]``."""
    import sympy

    A_sym, B_sym, syms = symbolic_payoffs(scenario)
    # Fresh argument names: parameter names could be Python keywords.
    args = [sympy.Symbol(f"x{k}", real=True) for k in range(len(axes))]
    swept = {a.name: args[k] for k, a in enumerate(axes) if a.kind == "parameter"}
    subs: dict[Any, Any] = {}
    for name, sym in syms.items():
        if name in swept:
            subs[sym] = swept[name]
        else:
            v = values[name]
            subs[sym] = (
                sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v
            )
    return [
        [[sympy.lambdify(args, cell.xreplace(subs), modules="numpy") for cell in row] for row in M]
        for M in (A_sym, B_sym)
    ]


def _payoff_arrays(
    scenario: Scenario,
    axes: Sequence[Axis],
    functions: list[list[list[Callable[..., Any]]]],
    grid: list[np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    N = grid[0].size
    m, n = len(functions[0]), len(functions[0][0])
    out = np.empty((2, N, m, n))
    for who in (0, 1):
        for i in range(m):
            for j in range(n):
                with np.errstate(all="ignore"):
                    value = np.asarray(functions[who][i][j](*grid), dtype=float)
                out[who, :, i, j] = np.broadcast_to(value, (N,))
    bad = ~np.isfinite(out)
    if bad.any():
        who, g, i, j = (int(x[0]) for x in np.nonzero(bad))
        cell = f"payoffs.{scenario.moves[0][i]}.{scenario.moves[1][j]}[{who}]"
        at = ", ".join(f"{a.name}={float(v):g}" for a, v in zip(axes, (x[g] for x in grid)))
        raise NegotiationError(
            f"{scenario.file}: {cell} is not a finite number at {at}: "
            "narrow the grid or guard the expression"
        )
    return out[0], out[1]


def _discounts(
    scenario: Scenario,
    axes: Sequence[Axis],
    values: Mapping[str, Any],
    points: Sequence[tuple[Fraction, ...]],
) -> tuple[Any, ...]:
    """δ at every point, exact: a Fraction where the players' factors are equal, the
    ``(δ_row, δ_col)`` pair where they differ (a ``discount.<player>`` axis or a
    per-player ``repeated.discount``)."""
    assert scenario.repeated is not None
    rep = scenario.repeated
    d_row, d_col = rep.discount_exprs()
    both = next((k for k, a in enumerate(axes) if a.kind == "discount" and a.player is None), None)
    if both is not None:
        return tuple(p[both] for p in points)
    own = {a.player: k for k, a in enumerate(axes) if a.kind == "discount"}
    if not own and not rep.per_player:
        return _setting(scenario, "discount", axes, values, points)
    per = [
        None if who in own else _setting(scenario, "discount", axes, values, points, expr)
        for who, expr in ((0, d_row), (1, d_col))
    ]
    out: list[Any] = []
    for g, p in enumerate(points):
        pair = [p[own[who]] if per[who] is None else per[who][g] for who in (0, 1)]  # type: ignore[index]
        out.append(pair[0] if pair[0] == pair[1] else (pair[0], pair[1]))
    return tuple(out)


def _setting(
    scenario: Scenario,
    kind: str,
    axes: Sequence[Axis],
    values: Mapping[str, Any],
    points: Sequence[tuple[Fraction, ...]],
    expr: Any = None,
) -> tuple[Fraction, ...]:
    """δ (common) or ε at every point, exact (``expr``: a player's δ expression)."""
    if expr is None:
        for k, a in enumerate(axes):
            if a.kind == kind:
                return tuple(p[k] for p in points)
    assert scenario.repeated is not None
    if expr is None:
        expr = scenario.repeated.discount if kind == "discount" else scenario.repeated.noise
    swept = {a.name for a in axes if a.kind == "parameter"}
    depends = set(expr.names())
    for name in list(depends):
        if name in scenario.derived:
            depends |= scenario.derived[name].names()
    # Derived names may use other derived names: close the set over them.
    changed = True
    while changed:
        extra = set().union(
            *(scenario.derived[d].names() for d in depends if d in scenario.derived)
        )
        changed = not extra <= depends
        depends |= extra
    if not depends & swept:
        return (_exact(expr.evaluate(values), kind),) * len(points)
    out = []
    for p in points:
        vals = dict(values)
        vals.update({a.name: v for a, v in zip(axes, p) if a.kind == "parameter"})
        for name, d in scenario.derived.items():
            vals[name] = d.evaluate(vals)
        out.append(_exact(expr.evaluate(vals), kind))
    return tuple(out)


def _exact(value: Any, kind: str) -> Fraction:
    if not isinstance(value, Fraction):
        raise NegotiationError(f"the {kind} must be a rational number, got {value}")
    if not 0 <= value < 1:
        raise NegotiationError(f"the {kind} must be in [0, 1), got {value}")
    return value


def _profiles(
    scenario: Scenario, strategies: Sequence[str] | None, game: StageGame
) -> tuple[tuple[tuple[str, str], Any, Any], ...]:
    assert scenario.repeated is not None
    names = list(strategies) if strategies else list(scenario.repeated.strategies)
    if not names:
        raise NegotiationError(
            "no strategies to analyse: list them under repeated.strategies or pass --strategy"
        )
    out = []
    for text in names:
        try:
            name, _ = parse_strategy_name(text)
        except ValueError as exc:
            raise NegotiationError(str(exc)) from None
        spec: str | tuple[Automaton, Automaton] = text
        if name in scenario.strategies:
            auto = scenario.strategies[name]
            spec = (automaton_from_spec(auto, game, 0), automaton_from_spec(auto, game, 1))
        out.append(((text, text), spec, spec))
    return tuple(out)


@dataclass(frozen=True)
class GridEvaluator:
    """A scenario under one assumption, ready to evaluate any points of some axes.

    Built by :func:`prepare`; the payoff functions are compiled once, so repeated
    calls (as tipping-point refinement makes) cost only the games' solution.
    """

    scenario: Scenario
    axes: tuple[Axis, ...]
    values: Mapping[str, Any]
    functions: list[list[list[Callable[..., Any]]]] = field(repr=False)
    players: tuple[str, str]
    moves: tuple[tuple[str, ...], tuple[str, ...]]
    target: tuple[int, int]
    profiles: tuple[tuple[tuple[str, str], Any, Any], ...]
    rules: VerdictRules
    assumption: str = BASELINE
    overrides: Mapping[str, Any] = field(default_factory=dict)

    def exact_report(self, point: Sequence[Fraction]) -> StabilityReport:
        """The exact stability report at one point of the axes (as ``compare`` makes it).

        Swept parameters become ``--set`` overrides on top of the evaluator's; a swept
        ``discount`` or ``noise`` replaces the scenario's setting by the exact value.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> s = load_scenario("prisoners-dilemma")
        >>> ev = prepare(s, [parse_axis("T=3:10:2", s), parse_axis("delta=0.5:0.9:2", s)],
        ...              strategies=["grim_trigger"])
        >>> r = ev.exact_report((Fraction(6), Fraction(3, 5)))
        >>> r.discount, str(r.profiles[0].sustainability.critical_discount)
        (Fraction(3, 5), '3/5')
        """
        scenario = self.scenario
        rep = scenario.repeated
        assert rep is not None
        overrides = dict(self.overrides)
        settings: dict[str, Any] = {}
        for axis, value in zip(self.axes, point):
            if axis.kind == "parameter":
                overrides[axis.name] = Fraction(value)
            elif axis.kind == "discount" and axis.player is not None:
                # One player's δ: that expression of the pair replaced by the value.
                old = settings.get("discount", rep.discount)
                pair = list(old if isinstance(old, tuple) else (old, old))
                pair[axis.player] = parse_expression(Fraction(value), names=())
                settings["discount"] = (pair[0], pair[1])
            else:  # "discount" or "noise": the setting itself, exactly
                settings[axis.kind] = parse_expression(Fraction(value), names=())
        if settings:
            scenario = replace(scenario, repeated=replace(rep, **settings))
        return stability_report(
            scenario,
            self.assumption,
            overrides,
            strategies=[p[0][0] for p in self.profiles],
            formulas=False,
        )

    def payoffs(self, grid: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Both players' payoff arrays, shape (points, m, n), at the axes' values
        ``grid`` (one array per axis)."""
        return _payoff_arrays(self.scenario, self.axes, self.functions, grid)

    def chunk_jobs(
        self,
        A: np.ndarray,
        B: np.ndarray,
        discount: tuple[Fraction, ...],
        noise: tuple[Fraction, ...],
        chunk_size: int,
        *,
        noise_metrics: bool,
        equilibria: bool,
    ) -> list[ChunkJob]:
        """The points cut into jobs of ``chunk_size`` for the batched engine
        (:func:`~negotiation.analysis.sweep_chunk.evaluate_chunk`)."""
        assert self.scenario.repeated is not None
        return [
            ChunkJob(
                A=A[s : s + chunk_size],
                B=B[s : s + chunk_size],
                discount=discount[s : s + chunk_size],
                noise=noise[s : s + chunk_size],
                players=self.players,
                moves=self.moves,
                target=self.target,
                profiles=self.profiles,
                punishment=self.scenario.repeated.punishment,
                min_slack=self.rules.min_slack,
                min_share=self.rules.min_share,
                noise_metrics=noise_metrics,
                equilibria=equilibria,
            )
            for s in range(0, len(A), chunk_size)
        ]

    def decide_exactly(
        self,
        columns: dict[str, Any],
        points: Sequence[tuple[Fraction, ...]],
        indices: Sequence[int],
        noise_metrics: bool,
    ) -> None:
        """Overwrite the columns at ``indices`` by the exact analysis and verdict."""
        for g in indices:
            try:
                report = self.exact_report(points[g])
            except (GameError, NegotiationError):
                # No exact analysis at this point (e.g. irrational payoffs such as
                # 2**x at a rational x): the float answer stands, as the best there is.
                continue
            labels = [p.strategies for p in report.profiles]
            assert labels == [p[0] for p in self.profiles], (labels, self.profiles)
            v, best = verdict(report, self.rules)
            for k, prof in enumerate(report.profiles):
                sus = prof.sustainability
                columns["critical"][k, g] = _float(sus.critical_discount)
                columns["spe"][k, g] = prof.spe_at_discount
                sustained = prof.spe_at_discount and sus.on_target
                columns["sustained"][k, g] = sustained
                columns["margin"][k, g] = float(prof.incentive_margin)
                if noise_metrics:
                    m = prof.noise
                    for key, value in (
                        ("share", m.detente_share),
                        ("breakdown", m.rounds_to_breakdown),
                        ("recover", m.rounds_to_recover),
                    ):
                        columns[key][k, g] = _float(value) if sustained else math.nan
            columns["verdict"][g] = v
            if best is None:
                columns["best"][g] = -1
                columns["slack"][g] = math.nan
            else:
                columns["best"][g] = report.profiles.index(best)
                slack = discount_slack(
                    report.discount,
                    best.sustainability.player_critical,
                    best.sustainability.critical_discount,
                )
                columns["slack"][g] = 0.0 if slack is None else float(slack)

    def evaluate(
        self,
        points: Sequence[tuple[Fraction, ...]],
        *,
        jobs: int = 1,
        executor: str = "local",
        scheduler: Any = None,
        chunk_size: int = CHUNK,
        progress: Callable[[int, int], None] | None = None,
        noise_metrics: bool = True,
        equilibria: bool = True,
        exact: bool = True,
    ) -> tuple[dict[str, Any], tuple[Any, ...], tuple[Fraction, ...]]:
        """Columns of results at the points, and δ (a Fraction, or a ``(δ_row, δ_col)``
        pair where the players' factors differ) and ε at each point.

        Without ``noise_metrics`` the noise columns are ``nan`` and the verdicts
        meaningless; sustainability is still computed (faster). Without
        ``equilibria`` the stage equilibria are not solved (the verdicts do not need
        them; for a 9x9 game they are most of the time).

        Points the float verdict leaves ``undecided`` (column of that name) are
        decided again exactly, by :meth:`exact_report` and
        :func:`~negotiation.analysis.verdict.verdict` as ``compare`` does: their
        verdict, best profile, slack and per-profile columns are the exact ones.
        ``exact=False`` leaves them as the float engine found them (tipping-point
        refinement, which only narrows a bracket, uses it: every point it evaluates is
        next to a threshold by construction)."""
        assert self.scenario.repeated is not None
        grid = [np.array([float(p[k]) for p in points]) for k in range(len(self.axes))]
        A, B = self.payoffs(grid)
        discount = _discounts(self.scenario, self.axes, self.values, points)
        noise = _setting(self.scenario, "noise", self.axes, self.values, points)
        jobs_list = self.chunk_jobs(
            A, B, discount, noise, chunk_size, noise_metrics=noise_metrics, equilibria=equilibria
        )
        parts = run_chunks(
            evaluate_chunk,
            jobs_list,
            executor=executor,
            workers=jobs,
            scheduler=scheduler,
            progress=progress,
        )
        columns: dict[str, Any] = {}
        for key in parts[0]:
            if isinstance(parts[0][key], list):
                columns[key] = [x for p in parts for x in p[key]]
            else:
                columns[key] = np.concatenate([p[key] for p in parts], axis=-1)
        undecided = np.flatnonzero(columns["undecided"]).tolist()
        if undecided and exact:
            self.decide_exactly(columns, points, undecided, noise_metrics)
        return columns, discount, noise


def prepare(
    scenario: Scenario,
    axes: Sequence[Axis],
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
) -> GridEvaluator:
    """Compile a scenario's payoffs as functions of the axes (see :class:`GridEvaluator`).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("prisoners-dilemma")
    >>> ev = prepare(s, [parse_axis("T=3:10:2", s)], strategies=["grim_trigger"])
    >>> cols, _, _ = ev.evaluate([(Fraction(4),), (Fraction(9),)])
    >>> cols["critical"][0].round(4).tolist()
    [0.3333, 0.75]
    """
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    rep = scenario.repeated
    values = scenario.parameter_values(assumption, overrides)
    base = StageGame.from_scenario(scenario, assumption, overrides)
    return GridEvaluator(
        scenario=scenario,
        axes=tuple(axes),
        values=values,
        functions=_payoff_functions(scenario, axes, values),
        players=base.players,
        moves=(base.row_moves, base.col_moves),
        target=(base.row_moves.index(rep.target[0]), base.col_moves.index(rep.target[1])),
        profiles=_profiles(scenario, strategies, base),
        rules=rules or VerdictRules.for_scenario(scenario),
        assumption=assumption,
        overrides=dict(overrides or {}),
    )


def sweep(
    scenario: Scenario,
    grid: Sequence[str | Axis],
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
    jobs: int = 1,
    executor: str = "local",
    scheduler: Any = None,
    chunk_size: int = CHUNK,
    progress: Callable[[int, int], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> SweepResult:
    """Evaluate every ``compare`` metric at every point of a grid.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``repeated`` section.
    grid : sequence of str or Axis
        One or two axes, ``"name=start:stop:count"``; ``discount`` (``delta``) and
        ``noise`` (``epsilon``) may be swept too.
    assumption : str
        The other parameters take this assumption's values.
    overrides : mapping, optional
        ``--set`` values on top of the assumption.
    strategies : sequence of str, optional
        Strategies each played by both players (default: the file's list).
    rules : VerdictRules, optional
        Default: the scenario's thresholds.
    jobs : int
        Worker processes for ``executor="local"``; at most the CPUs available.
    executor : {"local", "dask"}
    scheduler : str or distributed.Client, optional
        The dask scheduler (``executor="dask"``).
    chunk_size : int
        Points per chunk; enlarged to make at most :data:`MAX_CHUNKS` chunks.
    progress : callable, optional
        ``progress(chunks_done, chunks_total)``.
    note : callable, optional
        Called with a one-line note for each request changed (see :func:`plan_chunks`).

    Raises
    ------
    NegotiationError
        Bad axes, or a grid too large (see
        :func:`~negotiation.analysis.grid.check_grid_size`: refused before any value
        is computed), and whatever :func:`~negotiation.analysis.executors.run_chunks`
        raises.

    Returns
    -------
    SweepResult

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = sweep(load_scenario("prisoners-dilemma"), ["T=4:10:4"], strategies=["grim_trigger"])
    >>> [row[-2] for row in r.rows()]
    ['fragile', 'fragile', 'fragile', 'fragile']
    >>> r.grid("critical", 0).round(4).tolist()
    [0.3333, 0.6, 0.7143, 0.7778]
    """
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    rep = scenario.repeated
    if not 1 <= len(grid) <= 2:
        raise NegotiationError("a sweep takes one or two --grid axes")
    # The size first, from the counts: building the values of a huge grid takes long.
    specs = [parse_spec(a) if isinstance(a, str) else a for a in grid]
    counts = [len(a.values) if isinstance(a, Axis) else a.count for a in specs]
    moves = (len(scenario.moves[0]), len(scenario.moves[1]))
    total = check_grid_size(counts, moves)
    axes = tuple(a if isinstance(a, Axis) else parse_axis(a, scenario) for a in specs)
    if len({a.name for a in axes}) != len(axes):
        raise NegotiationError("the two --grid axes must differ")
    if any(a.kind == "discount" and a.player is None for a in axes) and any(
        a.player is not None for a in axes
    ):
        raise NegotiationError(
            "--grid discount sets both players' δ: it cannot be swept with discount.<player>"
        )
    chunk_size, jobs, notes = plan_chunks(total, chunk_size, jobs)
    if executor != "local":
        notes = [n for n in notes if not n.startswith("--jobs")]
    for text in notes:
        if note is not None:
            note(text)
    points = tuple(product(*(a.values for a in axes)))
    ev = prepare(scenario, axes, assumption, overrides, strategies=strategies, rules=rules)
    columns, discount, noise = ev.evaluate(
        points,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        chunk_size=chunk_size,
        progress=progress,
    )
    values = ev.values
    assumed = []
    for a in axes:
        if a.kind == "parameter":
            assumed.append(_float(values[a.name]))
        elif a.kind == "discount":
            mine = discount_pair(rep.discount_value(values))
            common = common_discount(mine)
            assumed.append(_float(mine[a.player] if a.player is not None else common))
        else:
            assumed.append(_float(rep.noise.evaluate(values)))
    return SweepResult(
        scenario=scenario.id,
        title=scenario.title,
        assumption=assumption,
        axes=axes,
        points=points,
        profiles=tuple(p[0] for p in ev.profiles),
        discount=_discount_array(discount),
        noise=np.array([float(e) for e in noise]),
        columns=columns,
        assumed=tuple(assumed),
        rules=ev.rules,
        overrides=override_record(overrides),
        players=scenario.player_ids,
    )
