"""How likely is the détente to hold, given what we do not know? (``negotiation robustness``)

The parameters with a prior (:mod:`negotiation.scenario.priors`) are drawn, every draw
is evaluated by the sweep engine -- payoffs for all draws at once through
``sympy.lambdify``, the games solved in vectorised chunks
(:func:`~negotiation.analysis.sweep_chunk.evaluate_chunk`) in this process, in
``jobs`` forked processes or on dask -- and the verdict of each draw is the one
``compare`` and ``sweep`` give (:mod:`negotiation.analysis.verdict`): the float
verdict, and wherever it is within its error bound of a threshold the exact one
(:meth:`~negotiation.analysis.sweep.GridEvaluator.exact_report`).

Design. The ``samples`` draws of an assumption are ``replicates`` independent
randomisations of one design of ``samples / replicates`` points in ``[0, 1)^d``:
scrambled Sobol' points (``method="sobol"``, Owen's scrambling in
:class:`scipy.stats.qmc.Sobol`), Latin hypercubes (``"lhs"``) or i.i.d. uniform
numbers (``"random"``), each seeded from ``numpy.random.SeedSequence(seed)``; each
parameter's prior turns its coordinate into a value by the inverse distribution
function. Every assumption uses the same uniform numbers, each parameter its own coordinate
(common random numbers: differences between assumptions are not sampling noise in the
uniforms).

Standard errors. An estimate (a probability) is the mean of the ``replicates``
estimates of the independent randomisations, and its standard error is their standard
deviation over ``sqrt(replicates)`` (randomised quasi-Monte Carlo, Owen 1997;
L'Ecuyer & Lemieux 2002): an unbiased estimate of the sampling error for every method,
with ``replicates - 1`` degrees of freedom. For i.i.d. draws it estimates
``sqrt(p (1 - p) / samples)``; scrambled Sobol' points and Latin hypercubes are
usually more accurate than that, and their standard error says by how much. It is 0
when every randomisation gives the same estimate (say, no draw at all is stable):
then the probability is below about ``1 / samples`` rather than exactly 0.

What the probabilities mean: the share of the prior's mass -- of the analyst's beliefs
about the inputs -- where the model's verdict is stable, fragile or unsustainable.
They are not forecasts of events: they say nothing the model does not contain.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from negotiation import limits
from negotiation.analysis.executors import run_chunks
from negotiation.analysis.grid import Axis
from negotiation.analysis.sensitivity import SENSITIVITY_METHOD, rank_correlations
from negotiation.analysis.sweep import CHUNK, GridEvaluator, plan_chunks, prepare
from negotiation.analysis.sweep_chunk import ChunkJob, evaluate_chunk, profile_label
from negotiation.analysis.verdict import VERDICTS, VerdictRules
from negotiation.errors import NegotiationError, quote, shorten_list
from negotiation.limits import MAX_REPLICATES, MAX_SAMPLES
from negotiation.records import TabularResult, short_repr
from negotiation.scenario.discounts import discount_json, discount_pair
from negotiation.scenario.model import Scenario
from negotiation.scenario.priors import Prior, effective_priors

__all__ = [
    "DEFAULT_REPLICATES",
    "DEFAULT_SAMPLES",
    "METHODS",
    "QUANTILES",
    "AssumptionRobustness",
    "Robustness",
    "design",
    "robustness",
]

#: Ways of placing the draws in ``[0, 1)^d``.
METHODS = ("sobol", "lhs", "random")
#: Draws per assumption when none are asked for.
DEFAULT_SAMPLES = 1024
#: Independent randomisations of the design (they give the standard errors).
DEFAULT_REPLICATES = 16
#: Quantiles reported of the best profile's critical δ and δ slack.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: The verdict of a draw that could not be analysed (e.g. no pure equilibrium to
#: revert to), as the sweep engine reports it.
NOT_ANALYSED = "n/a"


def _generator(seed: int, method: str, d: int, rng: np.random.Generator) -> Any:
    from scipy.stats import qmc

    kind = qmc.Sobol if method == "sobol" else qmc.LatinHypercube
    try:
        return kind(d, scramble=True, rng=rng)
    except TypeError:  # scipy < 1.15 calls it seed
        return kind(d, scramble=True, seed=rng)


def design(method: str, points: int, dimensions: int, seed: int, replicates: int) -> np.ndarray:
    """``replicates`` independent randomisations of a design of ``points`` points in
    ``[0, 1)^dimensions``, shape ``(replicates, points, dimensions)``.

    Randomisation ``r`` is seeded by the ``r``-th child of
    ``numpy.random.SeedSequence(seed)``: the same seed gives the same numbers, wherever
    they are drawn.

    Examples
    --------
    >>> u = design("sobol", 8, 2, seed=1, replicates=3)
    >>> u.shape, bool((u >= 0).all() and (u < 1).all())
    ((3, 8, 2), True)
    >>> # a scrambled Sobol' set of 8 points has one point in each eighth of each axis
    >>> sorted((u[0, :, 0] * 8).astype(int).tolist())
    [0, 1, 2, 3, 4, 5, 6, 7]
    >>> bool((design("sobol", 8, 2, 1, 3) == u).all())
    True
    """
    import warnings

    if method not in METHODS:
        raise NegotiationError(f"unknown method {quote(method)}: use one of {', '.join(METHODS)}")
    children = np.random.SeedSequence(seed).spawn(replicates)
    out = np.empty((replicates, points, dimensions))
    for r, child in enumerate(children):
        rng = np.random.default_rng(child)
        if method == "random":
            out[r] = rng.random((points, dimensions))
            continue
        with warnings.catch_warnings():  # Sobol' balance wants 2^k points; any n is valid
            warnings.simplefilter("ignore", UserWarning)
            out[r] = _generator(seed, method, dimensions, rng).random(points)
    return out


@dataclass(frozen=True, eq=False)
class AssumptionRobustness:
    """The robustness of the détente under one assumption.

    Attributes
    ----------
    name, description : str
    parameters : tuple of str
        The drawn parameters, in the file's order.
    priors : tuple of Prior
        Their priors under this assumption.
    labels : tuple of str
        Their descriptions and units (``Parameter.label``).
    discount : float, (float, float) or None
        The assumption's δ when it is not drawn (``None`` when it depends on a drawn
        parameter); each player's, row first, when they differ.
    verdict_probability, standard_error : Mapping[str, float]
        Verdict -> share of the draws with that verdict, and its standard error
        (stable, fragile, unsustainable; ``n/a`` too if some draw could not be
        analysed).
    profile_probability, profile_standard_error : Mapping[str, float]
        Strategy profile -> share of the draws where it sustains the détente (a
        subgame-perfect equilibrium at δ with the détente on its path).
    critical_discount_quantiles, slack_quantiles : Mapping[str, float or None]
        Quantile (``"0.05"`` ...) -> the best profile's critical δ, and its δ slack,
        over the draws where the détente is sustainable (``None`` when there is none).
    sustainable_draws : int
        How many draws those quantiles rest on.
    sensitivity : Mapping[str, float]
        Parameter -> its rank correlation with "the détente is sustainable".
    sensitivity_method : str
    decided_exactly : int
        Draws whose verdict the exact analysis decided (the float one was within its
        error bound of a threshold).
    draws : Mapping[str, numpy.ndarray]
        Per draw: ``values`` (N, d), ``replicate``, ``discount``, ``verdict`` (list),
        ``best`` (profile index, -1 for none), ``slack``, ``critical`` (P, N),
        ``sustained`` (P, N).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = robustness(load_scenario("prisoners-dilemma"), ["baseline"], samples=64, seed=1,
    ...                strategies=["grim_trigger"], uniform_ranges=True)
    >>> a = r.assumptions[0]
    >>> a.name, sorted(a.verdict_probability), len(a.draws["verdict"])
    ('baseline', ['fragile', 'stable', 'unsustainable'], 64)
    """

    name: str
    description: str
    parameters: tuple[str, ...]
    priors: tuple[Prior, ...]
    labels: tuple[str, ...]
    discount: float | tuple[float, float] | None
    verdict_probability: Mapping[str, float]
    standard_error: Mapping[str, float]
    profile_probability: Mapping[str, float]
    profile_standard_error: Mapping[str, float]
    critical_discount_quantiles: Mapping[str, float | None]
    slack_quantiles: Mapping[str, float | None]
    sustainable_draws: int
    sensitivity: Mapping[str, float]
    sensitivity_method: str
    decided_exactly: int
    draws: Mapping[str, Any] = field(repr=False)

    def __post_init__(self) -> None:
        # read-only all the way down: mappings as proxies, the draws' arrays unwritable
        for name in (
            "verdict_probability",
            "standard_error",
            "profile_probability",
            "profile_standard_error",
            "critical_discount_quantiles",
            "slack_quantiles",
            "sensitivity",
        ):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        draws = {}
        for key, value in self.draws.items():
            if isinstance(value, np.ndarray):
                value = value.view()
                value.flags.writeable = False
            draws[key] = value
        object.__setattr__(self, "draws", MappingProxyType(draws))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the issue's contract, plus the priors and the slack)."""
        return {
            "name": self.name,
            "description": self.description,
            "verdict_probability": dict(self.verdict_probability),
            "standard_error": dict(self.standard_error),
            "profile_probability": dict(self.profile_probability),
            "profile_standard_error": dict(self.profile_standard_error),
            "critical_discount_quantiles": dict(self.critical_discount_quantiles),
            "slack_quantiles": dict(self.slack_quantiles),
            "sustainable_draws": self.sustainable_draws,
            "sensitivity": dict(self.sensitivity),
            "sensitivity_method": self.sensitivity_method,
            "discount": self.discount,
            "priors": {
                name: {**prior.to_dict(), "label": label}
                for name, prior, label in zip(self.parameters, self.priors, self.labels)
            },
            "decided_exactly": self.decided_exactly,
        }


@dataclass(frozen=True, eq=False)
class Robustness(TabularResult):
    """Verdict probabilities under parameter priors, one entry per assumption.

    Attributes
    ----------
    scenario, title : str
    samples : int
        Draws per assumption.
    replicates : int
        Independent randomisations the draws are made of.
    seed : int
    method : str
        One of :data:`METHODS`.
    profiles : tuple of (str, str)
        The strategy profiles analysed.
    rules : VerdictRules
    assumptions : tuple of AssumptionRobustness
    players : tuple of two str
        The player ids (names of the per-player δ columns of the draws).
    """

    __repr__ = short_repr

    _rows_key = "assumptions"
    _keep = ("scenario", "samples", "seed", "method")

    scenario: str
    title: str
    samples: int
    replicates: int
    seed: int
    method: str
    profiles: tuple[tuple[str, str], ...]
    rules: VerdictRules
    assumptions: tuple[AssumptionRobustness, ...]
    players: tuple[str, str] = ("1", "2")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``scenario``, ``samples``, ``seed``, ``method``,
        ``assumptions`` (see :meth:`AssumptionRobustness.to_dict`) and the settings.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> r = robustness(load_scenario("prisoners-dilemma"), ["baseline"], samples=64,
        ...                strategies=["grim_trigger"], uniform_ranges=True, seed=1)
        >>> d = r.to_dict()
        >>> list(d)[:5], d["assumptions"][0]["verdict_probability"]["unsustainable"]
        (['scenario', 'samples', 'seed', 'method', 'assumptions'], 0.3125)
        """
        return {
            "scenario": self.scenario,
            "samples": self.samples,
            "seed": self.seed,
            "method": self.method,
            "assumptions": [
                {**a.to_dict(), "discount": discount_json(a.discount, self.players, float)}
                if isinstance(a.discount, tuple)
                else a.to_dict()
                for a in self.assumptions
            ],
            "title": self.title,
            "replicates": self.replicates,
            "profiles": [profile_label(p) for p in self.profiles],
            "rules": {
                "min_slack": float(self.rules.min_slack),
                "min_share": float(self.rules.min_share),
            },
        }

    def draw_header(self) -> list[str]:
        """Column names of :meth:`draw_rows`: every parameter drawn under some
        assumption (empty where it is not drawn), then the results of the draw."""
        names = self._drawn_names()
        crit = [f"critical_delta[{profile_label(p)}]" for p in self.profiles]
        return [
            "assumption",
            "replicate",
            "draw",
            *names,
            *([f"discount[{p}]" for p in self.players] if self._per_player() else ["discount"]),
            *crit,
            "best_profile",
            "delta_slack",
            "verdict",
        ]

    def _per_player(self) -> bool:
        return any(np.ndim(a.draws["discount"]) == 2 for a in self.assumptions)

    def _drawn_names(self) -> list[str]:
        return list(dict.fromkeys(n for a in self.assumptions for n in a.parameters))

    def draw_rows(self) -> list[list[Any]]:
        """One row per draw (tidy), in :meth:`draw_header` order; ``None`` for none."""
        names = self._drawn_names()
        labels = [profile_label(p) for p in self.profiles]
        width = 2 if self._per_player() else 1
        out: list[list[Any]] = []
        for a in self.assumptions:
            d = a.draws
            where = {n: k for k, n in enumerate(a.parameters)}
            values = d["values"].tolist()
            crit = [
                [None if math.isnan(v) else v for v in row]
                for row in np.asarray(d["critical"], dtype=float).T.tolist()
            ]
            slack = d["slack"].tolist()
            per_rep = len(values) // max(self.replicates, 1)
            for g, row in enumerate(values):
                b = int(d["best"][g])
                out.append(
                    [
                        a.name,
                        int(d["replicate"][g]),
                        g % per_rep if per_rep else g,
                        *(row[where[n]] if n in where else None for n in names),
                        *np.broadcast_to(d["discount"][g], (width,)).tolist(),
                        *crit[g],
                        labels[b] if b >= 0 else None,
                        None if b < 0 or math.isnan(slack[g]) else slack[g],
                        d["verdict"][g],
                    ]
                )
        return out


class _ExactPoints(Sequence[tuple[Fraction, ...]]):
    """The draws as exact points for the exact re-decision, built only when asked
    (the exact value of each float, clamped to its prior's support)."""

    def __init__(self, values: np.ndarray, priors: Sequence[Prior]) -> None:
        self.values = values
        self.bounds = [(Fraction(p.low), Fraction(p.high)) for p in priors]

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, g: Any) -> Any:
        row = self.values[g]
        return tuple(min(max(Fraction(float(v)), lo), hi) for v, (lo, hi) in zip(row, self.bounds))


def _depends(scenario: Scenario, names: frozenset[str]) -> frozenset[str]:
    """The parameters a set of names depends on through derived names."""
    out = set(names)
    while True:
        extra = set().union(*(scenario.derived[n].names() for n in out if n in scenario.derived))
        if extra <= out:
            return frozenset(out)
        out |= extra


def _discount_values(
    ev: GridEvaluator, drawn: Sequence[str], grid: list[np.ndarray]
) -> tuple[Any, ...]:
    """δ at every draw: a Fraction where the players' factors are equal, the pair
    ``(δ_row, δ_col)`` where they differ (each from its own expression)."""
    rep = ev.scenario.repeated
    assert rep is not None
    if not rep.per_player:
        return _setting_values(ev, "discount", drawn, grid)
    d_row, d_col = (_setting_values(ev, "discount", drawn, grid, e) for e in rep.discount_exprs())
    return tuple(a if a == b else (a, b) for a, b in zip(d_row, d_col))


def _setting_values(
    ev: GridEvaluator,
    kind: str,
    drawn: Sequence[str],
    grid: list[np.ndarray],
    expr: Any = None,
) -> tuple[Fraction, ...]:
    """δ or ε at every draw: one exact value when it does not depend on a drawn
    parameter, else the expression evaluated for all draws at once (the exact value of
    each float). ``expr``: one player's δ expression."""
    scenario = ev.scenario
    rep = scenario.repeated
    assert rep is not None
    if expr is None:
        expr = rep.discount if kind == "discount" else rep.noise
    N = len(grid[0])
    if not _depends(scenario, expr.names()) & set(drawn):
        value = expr.evaluate(ev.values)
        if not isinstance(value, Fraction):
            raise NegotiationError(f"{scenario.file}: the {kind} must be a rational number")
        return (value,) * N
    import sympy

    syms = {name: sympy.Symbol(name, real=True) for name in scenario.parameters}
    values: dict[str, Any] = dict(syms)
    for name, d in scenario.derived.items():
        values[name] = d.to_sympy(values)
    args = [sympy.Symbol(f"x{k}", real=True) for k in range(len(drawn))]
    subs: dict[Any, Any] = {}
    for name, sym in syms.items():
        if name in drawn:
            subs[sym] = args[list(drawn).index(name)]
        else:
            v = ev.values[name]
            subs[sym] = (
                sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v
            )
    fn = sympy.lambdify(args, expr.to_sympy(values).xreplace(subs), modules="numpy")
    with np.errstate(all="ignore"):
        x = np.broadcast_to(np.asarray(fn(*grid), dtype=float), (N,))
    bad = np.flatnonzero(~(np.isfinite(x) & (x >= 0) & (x < 1)))
    if bad.size:
        g = int(bad[0])
        at = ", ".join(f"{n}={float(c[g]):.6g}" for n, c in zip(drawn, grid))
        raise NegotiationError(
            f"{scenario.file}: repeated.{kind} is {float(x[g]):.6g} at the draw {at}: it "
            "must be in [0, 1); narrow the priors"
        )
    return tuple(Fraction(v) for v in x.tolist())


def _share(indicator: np.ndarray, replicates: int) -> tuple[float, float]:
    """The mean of a 0/1 array over the draws and its standard error from the
    replicate means."""
    per = indicator.reshape(replicates, -1).mean(axis=1)
    mean = float(per.mean())
    se = float(per.std(ddof=1) / math.sqrt(replicates)) if replicates > 1 else math.nan
    return mean, se


def _quantiles(values: np.ndarray) -> dict[str, float | None]:
    if values.size == 0:
        return {f"{q:g}": None for q in QUANTILES}
    qs = np.quantile(values, QUANTILES)
    return {f"{q:g}": float(v) for q, v in zip(QUANTILES, qs)}


@dataclass(frozen=True)
class _Plan:
    """One assumption, ready to be evaluated."""

    name: str
    priors: dict[str, Prior]
    evaluator: GridEvaluator
    values: np.ndarray
    jobs: list[ChunkJob]
    discount: tuple[Fraction, ...]


def _plan(
    scenario: Scenario,
    name: str,
    priors: dict[str, Prior],
    uniforms: np.ndarray,
    overrides: Mapping[str, Any] | None,
    strategies: Sequence[str] | None,
    rules: VerdictRules,
    chunk_size: int,
    column: Mapping[str, int],
) -> _Plan:
    drawn = list(priors)
    axes = [Axis(n, "parameter", (), scenario.parameters[n].label) for n in drawn]
    ev = prepare(scenario, axes, name, overrides, strategies=strategies, rules=rules)
    flat = uniforms.reshape(-1, uniforms.shape[-1])
    values = np.column_stack([priors[n].ppf(flat[:, column[n]]) for n in drawn])
    grid = [values[:, k] for k in range(len(drawn))]
    A, B = ev.payoffs(grid)
    discount = _discount_values(ev, drawn, grid)
    noise = _setting_values(ev, "noise", drawn, grid)
    jobs = ev.chunk_jobs(A, B, discount, noise, chunk_size, noise_metrics=True, equilibria=False)
    return _Plan(name, priors, ev, values, jobs, discount)


def _summarise(
    scenario: Scenario,
    plan: _Plan,
    parts: list[dict[str, Any]],
    replicates: int,
) -> AssumptionRobustness:
    columns: dict[str, Any] = {}
    for key in ("critical", "sustained", "share", "margin", "spe", "breakdown", "recover"):
        columns[key] = np.concatenate([p[key] for p in parts], axis=-1)
    for key in ("best", "slack", "undecided"):
        columns[key] = np.concatenate([p[key] for p in parts])
    columns["verdict"] = [v for p in parts for v in p["verdict"]]
    undecided = np.flatnonzero(columns["undecided"]).tolist()
    priors = list(plan.priors.values())
    if undecided:
        plan.evaluator.decide_exactly(columns, _ExactPoints(plan.values, priors), undecided, True)
    verdicts = np.array(columns["verdict"], dtype=object)
    names = [*VERDICTS]
    if (verdicts == NOT_ANALYSED).any():
        names.append(NOT_ANALYSED)
    probability, error = {}, {}
    for v in names:
        probability[v], error[v] = _share((verdicts == v).astype(float), replicates)
    profile_p, profile_se = {}, {}
    for k, pair in enumerate(plan.evaluator.profiles):
        label = profile_label(pair[0])
        profile_p[label], profile_se[label] = _share(
            columns["sustained"][k].astype(float), replicates
        )
    best = np.asarray(columns["best"], dtype=int)
    slack = np.asarray(columns["slack"], dtype=float)
    per_player = any(isinstance(d, tuple) for d in plan.discount)
    delta = np.array([[float(x) for x in discount_pair(d)] for d in plan.discount])
    held = best >= 0
    sustainable = np.isin(verdicts, ("stable", "fragile"))
    if per_player:
        # With one δ per player the slack is min_i (δ_i - δ_i*): read the best
        # profile's critical δ itself (a sustaining profile without one counts as δ).
        crit = np.asarray(columns["critical"], dtype=float)
        rows = np.flatnonzero(held)
        found = crit[best[held], rows] if rows.size else np.zeros(0)
        critical = np.where(np.isnan(found), delta[held].max(axis=1), found)
    else:
        delta = delta[:, 0]
        critical = delta[held] - slack[held]
    sens = rank_correlations(plan.values, sustainable.astype(float))
    N = len(plan.values)
    a = scenario.assumptions[plan.name]
    params = scenario.parameters
    constant = len(set(plan.discount)) == 1
    return AssumptionRobustness(
        name=plan.name,
        description=a.description,
        parameters=tuple(plan.priors),
        priors=tuple(priors),
        labels=tuple(params[n].label for n in plan.priors),
        discount=(
            None
            if not constant
            else (
                tuple(float(x) for x in plan.discount[0])
                if isinstance(plan.discount[0], tuple)
                else float(plan.discount[0])
            )
        ),
        verdict_probability=probability,
        standard_error=error,
        profile_probability=profile_p,
        profile_standard_error=profile_se,
        critical_discount_quantiles=_quantiles(critical),
        slack_quantiles=_quantiles(slack[held]),
        sustainable_draws=int(held.sum()),
        sensitivity={n: float(v) for n, v in zip(plan.priors, sens)},
        sensitivity_method=SENSITIVITY_METHOD,
        decided_exactly=len(undecided),
        draws={
            "values": plan.values,
            "replicate": np.repeat(np.arange(replicates), N // replicates),
            "discount": delta,
            "verdict": list(columns["verdict"]),
            "best": best,
            "slack": slack,
            "critical": np.asarray(columns["critical"], dtype=float),
            "sustained": np.asarray(columns["sustained"], dtype=bool),
        },
    )


def _ignore(done: int, total: int) -> None:
    """No progress report."""


def _checked_int(value: Any, what: str, low: int, high: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise NegotiationError(f"{what} must be a whole number, got {value!r}")
    v = int(value)
    if v < low or (high is not None and v > high):
        most = f" and at most {high:,}" if high is not None else ""
        raise NegotiationError(f"{what} must be at least {low:,}{most}, got {v:,}")
    return v


def robustness(
    scenario: Scenario,
    assumptions: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int | np.random.Generator | None = None,
    method: str = "sobol",
    replicates: int = DEFAULT_REPLICATES,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
    uniform_ranges: bool = False,
    jobs: int = 1,
    executor: str = "local",
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> Robustness:
    """Verdict probabilities, critical-δ quantiles and sensitivities under priors.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``repeated`` section and, under each assumption, some parameter with a
        prior (or ``uniform_ranges``).
    assumptions : sequence of str, optional
        Default: the baseline and every named assumption with something to draw (one
        that sets every parameter with a prior is skipped, with a note).
    overrides : mapping, optional
        ``--set`` values under every assumption; a parameter set is fixed, not drawn.
    samples : int
        Draws per assumption (at most :data:`~negotiation.limits.MAX_SAMPLES`); raised
        to a multiple of ``replicates``, with a note.
    seed : int or numpy.random.Generator, optional
        A Generator gives one seed drawn from it. Default: the file's
        ``repeated.seed``, else fresh entropy (reported in the
        result, so the run can be repeated).
    method : {"sobol", "lhs", "random"}
        Scrambled Sobol' points, Latin hypercubes or i.i.d. draws (see :func:`design`).
    replicates : int
        Independent randomisations (at least 2): the standard errors come from them.
    strategies : sequence of str, optional
        Strategies each played by both players (default: the file's list).
    rules : VerdictRules, optional
        Default: the scenario's thresholds.
    uniform_ranges : bool
        Also draw every parameter with a range but no prior uniformly on its range.
    jobs, executor, scheduler
        Where the chunks run, as for :func:`~negotiation.analysis.sweep.sweep`; the
        result does not depend on them.
    progress : callable, optional
        ``progress(chunks_done, chunks_total)`` over all assumptions.
    note : callable, optional
        Called with a one-line note for each request changed.

    Returns
    -------
    Robustness

    Raises
    ------
    NegotiationError
        Bad sizes or settings (checked before any draw is made), an assumption with
        nothing to draw, a draw where a payoff or δ cannot be evaluated.

    Examples
    --------
    A Prisoner's Dilemma with T uniform on [3, 10], grim trigger, δ = 0.9: the détente
    is sustainable where T <= (R - δ P) / (1 - δ) = 21, i.e. always:

    >>> from negotiation.scenario import parse_scenario, load_scenario
    >>> s = load_scenario("prisoners-dilemma")
    >>> r = robustness(s, ["baseline"], {"R": 3, "P": 1, "S": 0}, samples=256, seed=7,
    ...                strategies=["grim_trigger"], uniform_ranges=True)
    >>> a = r.assumptions[0]
    >>> a.parameters, dict(a.profile_probability), a.verdict_probability["unsustainable"]
    (('T',), {'grim_trigger': 1.0}, 0.0)
    """
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    rep = scenario.repeated
    samples = _checked_int(samples, "samples", 1, MAX_SAMPLES)
    replicates = _checked_int(replicates, "replicates", 2, MAX_REPLICATES)
    if method not in METHODS:
        raise NegotiationError(f"unknown method {quote(method)}: use one of {', '.join(METHODS)}")
    if isinstance(seed, np.random.Generator):  # one seed drawn from it, and recorded
        seed = int(seed.integers(2**63))
    if seed is None:
        entropy: Any = np.random.SeedSequence().entropy
        seed = rep.seed if rep.seed is not None else int(entropy)
    seed = _checked_int(seed, "seed", 0, 2**128 - 1)
    names = list(assumptions) if assumptions else list(scenario.assumptions)
    for name in names:
        if not isinstance(name, str) or name not in scenario.assumptions:
            raise NegotiationError(
                f"{scenario.file}: unknown assumption {quote(name)} "
                f"(this scenario has: {shorten_list(scenario.assumptions)})"
            )
    if len(set(names)) != len(names):
        raise NegotiationError("each assumption may be named once")
    per = -(-samples // replicates)
    if per * replicates != samples and note is not None:
        note(
            f"--samples {samples} raised to {per * replicates} "
            f"({replicates} replicates of {per} draws)"
        )
    samples = per * replicates
    if samples > MAX_SAMPLES:
        raise NegotiationError(f"samples must be at most {MAX_SAMPLES:,}, got {samples:,}")
    if samples * len(names) > limits.MAX_TOTAL_DRAWS:
        raise NegotiationError(
            f"{samples:,} draws under {len(names)} assumptions make {samples * len(names):,}; "
            f"at most {limits.MAX_TOTAL_DRAWS:,} in one run: fewer --samples or --assumption"
        )
    from negotiation.analysis.grid import check_grid_size

    check_grid_size([samples], (len(scenario.moves[0]), len(scenario.moves[1])))
    priors = {}
    hint = "" if uniform_ranges else ", or pass uniform_ranges (--uniform-ranges)"
    for name in names:
        scenario.parameter_values(name, overrides)  # --set values checked first
        priors[name] = effective_priors(scenario, name, overrides, uniform_ranges=uniform_ranges)
    empty = [n for n in names if not priors[n]]
    if empty and (assumptions or len(empty) == len(names)):
        raise NegotiationError(
            f"{scenario.file}: nothing to draw under {quote(empty[0])}: no parameter has a "
            f"prior there (give parameters a 'prior:'{hint})"
        )
    if empty:  # all assumptions by default: those that fix every uncertain parameter
        if note is not None:
            note(
                f"skipped {shorten_list(empty)}: every parameter with a prior is set "
                "there (nothing to draw)"
            )
        names = [n for n in names if priors[n]]
    chunk_size, workers, notes = plan_chunks(samples, CHUNK, jobs)
    for text in notes:
        if note is not None and not (executor != "local" and text.startswith("--jobs")):
            note(text)
    rules = rules or VerdictRules.for_scenario(scenario)
    # Each parameter keeps its coordinate under every assumption (common random
    # numbers), in the file's order.
    drawn = [n for n in scenario.parameters if any(n in p for p in priors.values())]
    column = {n: k for k, n in enumerate(drawn)}
    uniforms = design(method, per, len(drawn), seed, replicates)
    plans = [
        _plan(
            scenario,
            name,
            priors[name],
            uniforms,
            overrides,
            strategies,
            rules,
            chunk_size,
            column,
        )
        for name in names
    ]
    total = sum(len(p.jobs) for p in plans)
    report: Callable[[int, int], None] = progress or _ignore
    done = 0
    results = []
    for plan in plans:

        def advance(k: int, _n: int, offset: int = done) -> None:
            report(offset + k, total)

        parts = run_chunks(
            evaluate_chunk,
            plan.jobs,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            progress=advance,
        )
        done += len(plan.jobs)
        results.append(_summarise(scenario, plan, parts, replicates))
    return Robustness(
        scenario=scenario.id,
        title=scenario.title,
        samples=samples,
        replicates=replicates,
        seed=seed,
        method=method,
        profiles=tuple(p[0] for p in plans[0].evaluator.profiles),
        rules=rules,
        assumptions=tuple(results),
        players=scenario.player_ids,
    )
