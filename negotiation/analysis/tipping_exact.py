"""Tipping points found exactly, from the conditions as functions of the parameter.

Along one parameter ``x`` (the others held at the assumption's values), when the
payoffs, δ and the noise are rational functions of ``x`` (sums, products, quotients,
integer powers), everything the verdict reads is piecewise a rational function of ``x``:

1. **Structure.** Which stage equilibrium punishes, the minmax profiles, a default
   generosity's branch: these depend on comparisons between one player's payoffs, so
   they are fixed between consecutive roots of the pairwise differences (and of the
   comparisons a strategy makes, recorded through
   :class:`~negotiation.repeated.ratfunc.Sample`).
2. **Conditions.** On such a piece each profile's one-shot-deviation numerators are
   ``N_c(δ, x) = Σ_k a_ck(x) δ^k`` (:mod:`negotiation.repeated.conditions`, with the
   payoffs as polynomials in ``x``, and with generous tit-for-tat's transition
   probabilities as functions of ``x`` where its generosity depends on them), and the
   détente share under noise is a rational function of ``x``
   (:func:`~negotiation.repeated.noise.detente_share_along`).
3. **Where anything can change.** A profile's sustainability at δ changes only where
   some ``N_c(δ(x), x)`` vanishes; whether ``[δ - min_slack, 1)`` lies in its SPE region
   only where ``N_c(δ(x) - min_slack, x)``, its value next to δ = 1, or its
   discriminant in δ vanishes; the share test where the share equals ``min_share``.
   Roots that cannot matter (another condition fails there) are dropped.
4. **Verdicts between them.** Between consecutive candidate points, and at the ends of
   the range, the verdict is decided exactly at a rational point by the same rules as
   ``compare`` (:func:`~negotiation.analysis.verdict.exact_verdict`). A tipping point is
   a candidate where the verdict (or a profile's status) differs on its two sides; it
   is an exact algebraic number (a ``Fraction`` when rational).

:func:`tipping_along` raises :class:`NotRational` when the scenario is outside this
class (``exp``, ``sqrt``, ``min`` of the parameter, floats, a δ or noise leaving
[0, 1), a stage game without the punishment the strategies need): the caller then
scans the range numerically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any

import flint
import numpy as np

from negotiation.analysis.verdict import VerdictRules, verdict_by_cover
from negotiation.errors import NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.conditions import (
    Conditions,
    conditions,
    conditions_along,
    faddeev_leverrier,
    path_of_play,
)
from negotiation.repeated.exact_roots import (
    Root,
    rational_between_roots,
    real_roots_between,
    sign_at,
    sort_roots,
)
from negotiation.repeated.joint import JointAutomaton, joint_automaton
from negotiation.repeated.library import context_for, default_generosity, generous_tit_for_tat
from negotiation.repeated.noise import _chain, detente_share_along
from negotiation.repeated.profiles import strategy_for
from negotiation.repeated.ratfunc import RatFunc, Sample
from negotiation.repeated.regions import Condition, critical_root, holds_from
from negotiation.scenario.expressions import Binary, Expr, Name, Number, Unary
from negotiation.scenario.model import Scenario
from negotiation.scenario.strategy_specs import parse_strategy_name

__all__ = ["Change", "NotRational", "tipping_along"]

#: Largest integer exponent of the parameter kept exact (higher: scan instead).
MAX_POWER = 12


class NotRational(Exception):
    """The analysis along this parameter is not piecewise rational (see module doc)."""


@dataclass(frozen=True)
class Change:
    """A point of the range where a status changes.

    Attributes
    ----------
    value : Fraction or Root
        The point (exact).
    index : int
        0 for the verdict, ``1 + k`` for profile ``k``'s sustainability.
    below, above : str
        The status on each side (at the point itself when it is an end of the range).
    """

    value: Fraction | Root
    index: int
    below: str
    above: str


# ---------------------------------------------------------------- the scenario as functions


@dataclass(frozen=True)
class _Functions:
    """Payoffs (flattened per player), each player's δ and the noise as functions of the
    parameter."""

    U: tuple[tuple[RatFunc, ...], tuple[RatFunc, ...]]
    shape: tuple[int, int]
    discount: tuple[RatFunc, RatFunc]
    noise: RatFunc


def _dependent(scenario: Scenario, name: str) -> set[str]:
    """The parameter and every derived name that depends on it."""
    dep = {name}
    changed = True
    while changed:
        changed = False
        for d, expr in scenario.derived.items():
            if d not in dep and expr.names() & dep:
                dep.add(d)
                changed = True
    return dep


def _functions(scenario: Scenario, values: Mapping[str, Any], name: str) -> _Functions:
    """Read the scenario's payoffs, δ and noise as rational functions of ``name``.

    Sub-expressions free of the parameter are evaluated as the scenario evaluates
    them (``Fraction`` arithmetic, :meth:`Expr.evaluate` for calls and powers); only
    what depends on it becomes a :class:`RatFunc`."""
    dep = _dependent(scenario, name)
    memo: dict[str, Any] = {name: RatFunc.variable()}

    def constant(e: Expr) -> Fraction:
        v = e.evaluate(values)
        if not isinstance(v, Fraction):
            raise NotRational("a value is not rational")
        return v

    nodes: dict[int, tuple[Expr, Any]] = {}  # sub-expressions shared between cells

    def ev(e: Expr) -> Any:
        hit = nodes.get(id(e))
        if hit is not None and hit[0] is e:
            return hit[1]
        v = ev_node(e)
        nodes[id(e)] = (e, v)
        return v

    def ev_node(e: Expr) -> Any:
        if isinstance(e, Number):
            return e.value
        if isinstance(e, Name):
            if e.id not in dep:
                v = values[e.id]
                if not isinstance(v, Fraction):
                    raise NotRational("a value is not rational")
                return v
            if e.id not in memo:
                memo[e.id] = ev(scenario.derived[e.id])
            return memo[e.id]
        if isinstance(e, Unary):
            v = ev(e.operand)
            return -v if e.op == "-" else v
        if isinstance(e, Binary):
            if e.op == "**":
                if e.right.names() & dep:
                    raise NotRational("the parameter in an exponent")
                a = ev(e.left)
                if not isinstance(a, RatFunc):
                    return constant(e)
                k = constant(e.right)
                if k.denominator != 1 or abs(k.numerator) > MAX_POWER:
                    raise NotRational("a fractional or large power of the parameter")
                return a ** int(k.numerator)
            a, b = ev(e.left), ev(e.right)
            if e.op == "/":
                if not b:
                    raise NotRational("division by zero")
                if not isinstance(b, RatFunc) and not isinstance(a, RatFunc):
                    return a / b
                return (a if isinstance(a, RatFunc) else RatFunc(a)) / b
            if not isinstance(a, RatFunc) and not isinstance(b, RatFunc):
                return {"+": a + b, "-": a - b, "*": a * b}[e.op]
            a = a if isinstance(a, RatFunc) else RatFunc(a)
            return {"+": a + b, "-": a - b, "*": a * b}[e.op]
        if e.names() & dep:
            raise NotRational(f"{e} is not a rational function of {name}")
        return constant(e)

    def fn(e: Expr) -> RatFunc:
        v = ev(e)
        return v if isinstance(v, RatFunc) else RatFunc(v)

    rows = scenario.payoffs
    shape = (len(rows), len(rows[0]))
    U = tuple(tuple(fn(cell[who]) for row in rows for cell in row) for who in (0, 1))
    rep = scenario.repeated
    assert rep is not None
    d_row, d_col = rep.discount_exprs()
    return _Functions((U[0], U[1]), shape, (fn(d_row), fn(d_col)), fn(rep.noise))


# ---------------------------------------------------------------- roots along the range


@dataclass(frozen=True)
class _Range:
    lo: Fraction
    hi: Fraction

    def roots(self, polys: Iterable[Any], low: Any = None, high: Any = None) -> list[Root]:
        """Distinct real roots in [low, high] (default: the whole range) of non-constant
        polynomials, sorted; endpoints that are roots included."""
        unique: dict[str, Any] = {}
        for p in polys:
            if p.degree() > 0:
                unique.setdefault(str(p), p)  # (hashing flint rationals is slow)
        ps = list(unique.values())
        if not ps:
            return []
        a = self.lo if low is None else low
        b = self.hi if high is None else high
        out = real_roots_between(_lower(a), _upper(b), *ps)
        return [r for r in out if _after(r, a) and _before(r, b)]


def _lower(v: Fraction | Root) -> Fraction:
    return v if isinstance(v, Fraction) else v.bounds()[0]


def _upper(v: Fraction | Root) -> Fraction:
    return v if isinstance(v, Fraction) else v.bounds()[1]


def _as_root(v: Fraction | Root) -> Root:
    if isinstance(v, Root):
        return v
    f = flint.fmpz_poly([-v.numerator, v.denominator])
    return Root(f, 0, v)


def _after(r: Root, a: Fraction | Root) -> bool:
    """``r >= a``."""
    if isinstance(a, Fraction):
        return r.value >= a if r.value is not None else not r.less_than(_as_root(a))
    return _same(r, a) or a.less_than(r)


def _before(r: Root, b: Fraction | Root) -> bool:
    """``r <= b``."""
    if isinstance(b, Fraction):
        return r.value <= b if r.value is not None else r.less_than(_as_root(b))
    return _same(r, b) or r.less_than(b)


def _same(a: Root, b: Root) -> bool:
    if a.value is not None or b.value is not None:
        return a.value == b.value
    return a.poly == b.poly and a.index == b.index


def _sign(p: Any, r: Fraction | Root) -> int:
    if isinstance(r, Fraction):
        v = p(flint.fmpq(r.numerator, r.denominator))
        return (v > 0) - (v < 0)
    return sign_at(p, r)


# ---------------------------------------------------------------- one piece of the range


@dataclass(frozen=True)
class _Profile:
    """One strategy profile on one piece: its conditions as polynomials in (δ, x)."""

    on_target: bool
    tags: tuple[tuple[int, int, int], ...]
    coeffs: tuple[tuple[Any, ...], ...]  # per condition, fmpq_poly in x per power of δ
    share: RatFunc


@dataclass(frozen=True)
class _Piece:
    profiles: tuple[_Profile, ...]


class _GermGame:
    """A stage game whose payoffs are functions with a sample point: the library's own
    code (pure equilibria, punishments, a default generosity) runs on it, recording
    every comparison it makes."""

    def __init__(
        self, U: tuple[tuple[RatFunc, ...], ...], shape: tuple[int, int], game: StageGame
    ) -> None:
        m, n = shape
        self.shape = shape
        self.is_exact = True
        self.row_moves, self.col_moves = game.row_moves, game.col_moves
        self.players = game.players
        rows = [tuple(tuple(u[a * n + b] for b in range(n)) for a in range(m)) for u in U]
        self._exact = (rows[0], rows[1])
        self.A = np.empty((m, n), dtype=object)
        self.B = np.empty((m, n), dtype=object)
        for a in range(m):
            for b in range(n):
                self.A[a, b], self.B[a, b] = rows[0][a][b], rows[1][a][b]

    def require_exact(self) -> tuple[Any, Any]:
        return self._exact


def _lcm_den(fs: Iterable[RatFunc]) -> Any:
    out = flint.fmpq_poly([1])
    for f in fs:
        if f.den.degree() > 0:
            g = out.gcd(f.den)
            out = out * (f.den / g)
    return out


def _poly_rows(M: Any, rows: int, F: int, P: list[Any], width: int) -> list[Any]:
    """``M`` (rows x F, fmpq) times the payoff polynomials ``P`` (F polys) -> rows of
    polynomials."""
    C = flint.fmpq_mat(F, width, [c for p in P for c in _padded(p, width)])
    out = (M * C).entries()
    return [flint.fmpq_poly(out[r * width : (r + 1) * width]) for r in range(rows)]


def _padded(p: Any, width: int) -> list[Any]:
    cs = list(p.coeffs())
    return cs + [flint.fmpq(0)] * (width - len(cs))


#: Automata built so far, by what they depend on (see ``_Analysis._strategy``).
_AUTOMATA: dict[tuple[Any, ...], Automaton] = {}

#: Generosities as polynomial variables: one per player.
_QCTX = flint.fmpq_mpoly_ctx.get(("q0", "q1"), "lex")
_THIRD = Fraction(1, 3)


@dataclass(frozen=True)
class _Family:
    """A profile with generous tit-for-tat's generosities ``q0``, ``q1`` as variables:
    its conditions and, when the noisy chain has one closed class, the stationary
    distribution's row of ``adj(I - T)``, all polynomials in ``(q0, q1)``, derived once.

    ``terms[c][k]`` lists ``((a, b), f, coefficient)``: the coefficient of δ^k of
    condition ``c`` is ``Σ coefficient q0^a q1^b U_f`` (``U`` the condition player's
    flattened payoffs)."""

    tags: tuple[tuple[int, int, int], ...]
    player: tuple[int, ...]
    size: int
    terms: tuple[tuple[tuple[tuple[tuple[int, int], int, Any], ...], ...], ...]
    on_target: bool
    stationary: tuple[Any, ...] | None
    weights: tuple[Any, ...]
    values: tuple[tuple[Any, ...], ...] = ()  # the same terms as polynomials in (q, U)


@lru_cache(maxsize=64)
def _family(
    autos: tuple[Automaton, Automaton],
    others: tuple[Automaton | None, Automaton | None],
    shape: tuple[int, int],
    target: tuple[int, int],
    noise: Fraction | None,
) -> _Family:
    """Derive a :class:`_Family` from the builds at q = 1/3 (``autos``) and 2/3
    (``others``; ``None`` for a player whose strategy has no such parameter): the
    transition probabilities are affine in q."""
    row, col = autos
    joint = joint_automaton(row, col)
    gens = _QCTX.gens()
    one = _QCTX.from_dict({(0, 0): flint.fmpq(1)})

    def steps(i: int) -> Callable[[int, int, int], list[tuple[int, Any]]]:
        auto, other = autos[i], others[i]

        def step(st: int, a: int, b: int) -> list[tuple[int, Any]]:
            first = dict(auto.step(st, a, b))
            second = dict(other.step(st, a, b)) if other is not None else first
            out = []
            for t in sorted(set(first) | set(second)):
                p1, p2 = first.get(t, Fraction(0)), second.get(t, Fraction(0))
                line = one * _fq(p1) + (gens[i] - one * _fq(_THIRD)) * _fq((p2 - p1) * 3)
                out.append((t, line))
            return out

        return step

    row_step, col_step = steps(0), steps(1)
    memo: dict[tuple[int, int, int], list[tuple[int, Any]]] = {}

    def successors(j: int, a: int, b: int) -> list[tuple[int, Any]]:
        if (j, a, b) not in memo:
            s1, s2 = joint.states[j]
            acc: dict[int, Any] = {}
            for t1, p1 in row_step(s1, a, b):
                for t2, p2 in col_step(s2, b, a):
                    k = joint.index((t1, t2))
                    acc[k] = acc.get(k, _QCTX.from_dict({})) + p1 * p2
            memo[(j, a, b)] = sorted(acc.items())
        return memo[(j, a, b)]

    conds = conditions_along(joint, successors, _QCTX)
    K = conds.size
    terms: list[Any] = [None] * len(conds.tags)
    for i in (0, 1):
        M = conds.exact_maps[i]
        F = M.ncols()
        for r, c in enumerate(conds.rows[i]):
            per_k = []
            for k in range(K):
                found = []
                for f in range(F):
                    v = M[r * K + k, f]
                    if v:
                        found += [((e[0], e[1]), f, a) for e, a in v.to_dict().items()]
                per_k.append(tuple(found))
            terms[c] = tuple(per_k)
    F = shape[0] * shape[1]
    vctx = flint.fmpq_mpoly_ctx.get(("q0", "q1", *(f"u{f}" for f in range(F))), "lex")
    values = tuple(
        tuple(
            vctx.from_dict(_merge(((e0, e1, *_unit(f, F)), a) for (e0, e1), f, a in found))
            for found in per_k
        )
        for per_k in terms
    )
    path, _ = path_of_play(joint)
    stationary = None
    weights: tuple[Any, ...] = ()
    if noise is not None:
        zero = _QCTX.from_dict({})
        T, outcomes = _chain(joint, successors, shape, _fq(noise), zero)
        edges = [[k for k, v in enumerate(r) if v] for r in T]
        if _closed_classes(edges) == 1:
            _, Bs = faddeev_leverrier(T, _QCTX)
            # adj(I - T) = Σ_k B_k (δ = 1): its first row is proportional to the
            # stationary distribution of a chain with one closed class.
            stationary = tuple(sum((B[0][j] for B in Bs), zero) for j in range(len(T)))
            weights = tuple(o.get(target, flint.fmpq(0)) for o in outcomes)
    return _Family(
        conds.tags,
        conds.player,
        K,
        tuple(terms),
        all(p == target for p in path),
        stationary,
        weights,
        values,
    )


def _unit(f: int, F: int) -> tuple[int, ...]:
    return tuple(int(g == f) for g in range(F))


def _merge(items: Iterable[tuple[tuple[int, ...], Any]]) -> dict[tuple[int, ...], Any]:
    out: dict[tuple[int, ...], Any] = {}
    for e, a in items:
        out[e] = out.get(e, 0) + a
    return {e: a for e, a in out.items() if a != 0}


def _powers(q: RatFunc | None, top: int) -> tuple[list[Any], list[Any]]:
    """Powers 0..top of a generosity's numerator and denominator (1 when absent)."""
    one = flint.fmpq_poly([1])
    n, d = (q.num, q.den) if q is not None else (one, one)
    pn, pd = [one], [one]
    for _ in range(top):
        pn.append(pn[-1] * n)
        pd.append(pd[-1] * d)
    return pn, pd


def _family_coeffs(
    fam: _Family, qs: Sequence[RatFunc | None], P: Sequence[Sequence[Any]], sample: Sample
) -> tuple[tuple[Any, ...], ...]:
    """Each condition's coefficients of δ^k as polynomials in the parameter, times
    ``(d0 d1)^(K-1)`` (the generosities' denominators; sign fixed at the sample):
    q0^a q1^b becomes n0^a d0^(K-1-a) n1^b d1^(K-1-b)."""
    K = fam.size
    (n0, d0), (n1, d1) = _powers(qs[0], K), _powers(qs[1], K)
    xq = _fq(sample.point)
    flip = 1 if (d0[K - 1] * d1[K - 1])(xq) > 0 else -1
    mono: dict[tuple[int, int], Any] = {}
    out = []
    for c, per_k in enumerate(fam.terms):
        U = P[fam.player[c]]
        row = []
        for found in per_k:
            groups: dict[tuple[int, int], Any] = {}
            for ab, f, a in found:
                if not U[f].is_zero():
                    groups[ab] = groups.get(ab, flint.fmpq_poly([0])) + U[f] * a
            total = flint.fmpq_poly([0])
            for ab, g in groups.items():
                if ab not in mono:
                    e0, e1 = ab
                    mono[ab] = n0[e0] * d0[K - 1 - e0] * n1[e1] * d1[K - 1 - e1] * flip
                total += g * mono[ab]
            row.append(total)
        out.append(tuple(row))
    return tuple(out)


def _family_share(fam: _Family, qs: Sequence[RatFunc | None]) -> RatFunc:
    """The détente share with the generosities as functions of the parameter."""
    assert fam.stationary is not None
    top = [0, 0]
    for p in fam.stationary:
        for e in p.to_dict():
            top = [max(top[0], e[0]), max(top[1], e[1])]
    (n0, d0), (n1, d1) = _powers(qs[0], top[0]), _powers(qs[1], top[1])
    vals = []
    for p in fam.stationary:
        v = flint.fmpq_poly([0])
        for (e0, e1), a in p.to_dict().items():
            v += n0[e0] * d0[top[0] - e0] * n1[e1] * d1[top[1] - e1] * a
        vals.append(v)
    num = sum((v * w for v, w in zip(vals, fam.weights) if w), flint.fmpq_poly([0]))
    return RatFunc(num, sum(vals, flint.fmpq_poly([0])))


def _family_at(
    fam: _Family, q: Sequence[Fraction], U: Sequence[Sequence[Fraction]]
) -> tuple[tuple[Any, ...], ...]:
    """Each condition's coefficients of δ^k at numbers (as constant polynomials)."""
    points = [[_fq(q[0]), _fq(q[1]), *(_fq(v) for v in u)] for u in U]
    out = []
    for c, per_k in enumerate(fam.values):
        at = points[fam.player[c]]
        out.append(tuple(flint.fmpq_poly([p(*at)]) for p in per_k))
    return tuple(out)


class _Analysis:
    """The analysis along one parameter (see the module docstring)."""

    def __init__(
        self,
        scenario: Scenario,
        assumption: str,
        overrides: Mapping[str, Any] | None,
        strategies: Sequence[str] | None,
        rules: VerdictRules,
        name: str,
    ) -> None:
        rep = scenario.repeated
        assert rep is not None
        self.scenario, self.assumption, self.name, self.rules = scenario, assumption, name, rules
        self.overrides = dict(overrides or {})
        self.names = list(rep.strategies if strategies is None else strategies)
        self.punishment = rep.punishment
        values = scenario.parameter_values(assumption, overrides)
        self.fn = _functions(scenario, values, name)
        p = scenario.parameters[name]
        assert p.min is not None and p.max is not None
        self.range = _Range(Fraction(p.min), Fraction(p.max))
        self.target = (
            scenario.moves[0].index(rep.target[0]),
            scenario.moves[1].index(rep.target[1]),
        )
        self.labels: list[tuple[str, str]] = [(t, t) for t in self.names]
        if not self.labels:
            raise NotRational("no strategies to analyse")
        self._template: StageGame | None = None
        self._profiles: dict[tuple[Any, ...], tuple[_Profile, list[Any]]] = {}

    # --- structure -------------------------------------------------------------------
    def cut_points(self) -> list[Root]:
        """Poles of the payoffs, and where δ or the noise reach 0 or 1."""
        polys: list[Any] = [u.den for U in self.fn.U for u in U]
        for f in (*self.fn.discount, self.fn.noise):
            polys += [f.den, f.num, (f - 1).num]
        return self.range.roots(polys)

    def _game(self, x: Fraction) -> StageGame:
        """The stage game at ``x``, from the payoff functions (the same exact numbers as
        the scenario's own evaluation)."""
        m, n = self.fn.shape
        A, B = ([[u(x) for u in U[a * n : (a + 1) * n]] for a in range(m)] for U in self.fn.U)
        s = self.scenario
        return StageGame.from_payoffs(
            A, B, players=s.player_ids, row_moves=s.moves[0], col_moves=s.moves[1], title=s.title
        )

    def _check_unit(self, x: Fraction) -> tuple[tuple[Fraction, Fraction], Fraction]:
        d = (self.fn.discount[0](x), self.fn.discount[1](x))
        e = self.fn.noise(x)
        if not (all(0 <= v < 1 for v in d) and 0 <= e < 1):
            raise NotRational("the discount factor or the noise leaves [0, 1)")
        return d, e

    def structure(self, x: Fraction, sample: Sample) -> tuple[Any, ...]:
        """What the automata depend on at ``x``: the punishments and each varying
        generosity (comparisons recorded in ``sample``). Equal structures on
        neighbouring pieces give the same profiles."""
        self._check_unit(x)
        if self._template is None:
            self._template = self._game(x)
        U = tuple(tuple(u.at(sample) for u in us) for us in self.fn.U)
        germ = _GermGame(U, self.fn.shape, self._template)
        try:
            ctx = context_for(germ, 0, self.target, punishment=self.punishment)  # type: ignore[arg-type]
        except NegotiationError as exc:
            raise NotRational(str(exc)) from None
        qs = []
        for label in self.labels:
            for i, text in enumerate(label):
                qs.append(self._generosity(text, replace(ctx, player=i)))
        signs = tuple(_lcm_den(U)(_fq(x)) > 0 for U in self.fn.U)
        return (ctx.punish, tuple(qs), signs)

    def piece(self, x: Fraction, structure: tuple[Any, ...], sample: Sample) -> _Piece:
        """The profiles on a piece of the given structure, around the rational ``x``."""
        punish, qs, _ = structure
        profiles = []
        k = 0
        third = Fraction(1, 3)
        try:
            for label in self.labels:
                autos: list[Automaton] = []
                varying: list[Any] = []
                for i, text in enumerate(label):
                    q = qs[k]
                    k += 1
                    if q is None:
                        autos.append(self._strategy(text, x, i, None, punish))
                        varying.append(None)
                    else:  # the transitions are affine in q: fixed by two builds
                        autos.append(self._strategy(text, x, i, third, punish))
                        other = self._strategy(text, x, i, 2 * third, punish)
                        varying.append((other, q))
                profiles.append(self._profile(autos, varying, sample))
        except NegotiationError as exc:
            raise NotRational(str(exc)) from None
        return _Piece(tuple(profiles))

    def _strategy(
        self, text: str, x: Fraction, player: int, q: Fraction | None, punish: Any
    ) -> Automaton:
        """A strategy's automaton: it depends on the game only through the punishments
        (and a generosity), so it is built once for all pieces, parameters and
        assumptions (:data:`_AUTOMATA`)."""
        game = None
        if q is None and self._generosity_text(text):
            game = self._game(x)
            q = default_generosity(context_for(game, player, self.target, punish))
        custom = self.scenario.strategies.get(text)
        spec = None if custom is None else repr(custom)
        key = (text, player, punish, q, self.target, self.punishment, self.scenario.moves, spec)
        auto = _AUTOMATA.get(key)
        if auto is None:
            game = game or self._game(x)
            ctx = context_for(game, player, self.target, punish)
            if q is not None:
                auto = generous_tit_for_tat(ctx, q)
            else:
                auto = strategy_for(
                    text,
                    game,
                    player,
                    self.target,
                    custom=self.scenario.strategies,
                    punishment=self.punishment,
                )
                if (
                    custom is None
                    and context_for(game, player, self.target, punishment=self.punishment).punish
                    != punish
                ):  # pragma: no cover - the structure is the library's
                    raise NotRational("the punishments differ from the recorded structure")
            if len(_AUTOMATA) > 4096:
                _AUTOMATA.clear()
            _AUTOMATA[key] = auto
        return auto

    def _generosity(self, text: str, ctx: Any) -> RatFunc | None:
        """Generous tit-for-tat's default generosity as a function, when it varies."""
        if not self._generosity_text(text):
            return None
        q = default_generosity(ctx)
        return q if isinstance(q, RatFunc) and not q.is_constant else None

    def point(self, x: Fraction) -> _Piece:
        """The profiles at the single point ``x`` (exact numbers: an end of the range,
        where the structure may differ from the pieces beside it)."""
        self._check_unit(x)
        game = self._game(x)
        profiles = []
        try:
            punish = context_for(game, 0, self.target, punishment=self.punishment).punish
            EA, EB = game.require_exact()
            noise = self.fn.noise(x)
            for label in self.labels:
                qs: list[Fraction | None] = [None, None]
                for i, text in enumerate(label):
                    if self._generosity_text(text):
                        ctx = context_for(game, i, self.target, punishment=self.punishment)
                        qs[i] = default_generosity(ctx)
                if any(q is not None and 0 < q < 1 for q in qs) and self.fn.noise.is_constant:
                    profiles.append(self._family_point(label, x, qs, punish, (EA, EB), noise))
                    continue
                row, col = (self._strategy(t, x, i, qs[i], punish) for i, t in enumerate(label))
                conds = conditions(row, col)
                path, _ = path_of_play(conds.joint)
                K = conds.size
                coeffs = tuple(
                    tuple(flint.fmpq_poly([c]) for c in _padded(n, K))
                    for n in conds.numerators(EA, EB)
                )
                share = _share(row, col, self.fn.shape, self.target, noise)
                on_target = all(p == self.target for p in path)
                profiles.append(_Profile(on_target, conds.tags, coeffs, RatFunc(share)))
        except NegotiationError as exc:
            raise NotRational(str(exc)) from None
        return _Piece(tuple(profiles))

    def _family_point(
        self,
        label: tuple[str, str],
        x: Fraction,
        qs: list[Fraction | None],
        punish: Any,
        exact: tuple[Any, Any],
        noise: Fraction,
    ) -> _Profile:
        """A profile with generous tit-for-tat at a point, read from its family."""
        autos: list[Automaton] = []
        others: list[Automaton | None] = []
        q: list[Fraction] = []
        for i, text in enumerate(label):
            qi = qs[i]
            if qi is not None and 0 < qi < 1:
                autos.append(self._strategy(text, x, i, _THIRD, punish))
                others.append(self._strategy(text, x, i, 2 * _THIRD, punish))
                q.append(qi)
            else:
                autos.append(self._strategy(text, x, i, qs[i], punish))
                others.append(None)
                q.append(_THIRD)
        fam = _family(
            (autos[0], autos[1]), (others[0], others[1]), self.fn.shape, self.target, noise
        )
        U = [[v for row in m for v in row] for m in exact]
        coeffs = _family_at(fam, q, U)
        if fam.stationary is not None:
            vals = [p(_fq(q[0]), _fq(q[1])) for p in fam.stationary]
            num = sum((v * w for v, w in zip(vals, fam.weights)), flint.fmpq(0))
            ratio = num / sum(vals, flint.fmpq(0))
            share = RatFunc(Fraction(int(ratio.p), int(ratio.q)))
        else:
            row = self._strategy(label[0], x, 0, qs[0], punish)
            col = self._strategy(label[1], x, 1, qs[1], punish)
            share = RatFunc(_share(row, col, self.fn.shape, self.target, noise))
        return _Profile(fam.on_target, fam.tags, coeffs, share)

    def _generosity_text(self, text: str) -> bool:
        """Whether ``text`` is generous tit-for-tat with its payoff-dependent default."""
        if text in self.scenario.strategies:
            return False
        base, args = parse_strategy_name(text)
        return base == "generous_tit_for_tat" and not args

    def _profile(self, autos: list[Automaton], varying: list[Any], sample: Sample) -> _Profile:
        """One profile on a piece (cached: neighbouring pieces often share it)."""
        xq = _fq(sample.point)
        signs = tuple(_lcm_den(U)(xq) > 0 for U in self.fn.U)
        vkey = tuple(None if v is None else (str(v[1].num), str(v[1].den)) for v in varying)
        key = (autos[0], autos[1], vkey, signs)
        if key not in self._profiles:
            own = Sample(sample.point)
            self._profiles[key] = (self._derive_profile(autos, varying, own), own.compared)
        prof, compared = self._profiles[key]
        sample.compared.extend(compared)
        return prof

    def _derive_profile(
        self, autos: list[Automaton], varying: list[Any], sample: Sample
    ) -> _Profile:
        row, col = autos
        shape = self.fn.shape
        noise = self._noise(sample)
        if any(v is not None for v in varying):
            qs = [None if v is None else v[1] for v in varying]
            others = (
                None if varying[0] is None else varying[0][0],
                None if varying[1] is None else varying[1][0],
            )
            fixed = noise if isinstance(noise, Fraction) else None
            fam = _family((row, col), others, shape, self.target, fixed)
            for q in qs:
                if q is not None:
                    sample.compared += [q.num, (1 - q).num, q.den]
            P = [self._payoff_polys(i, sample) for i in (0, 1)]
            coeffs = _family_coeffs(fam, qs, P, sample)
            if fam.stationary is not None:
                share = _family_share(fam, qs)
            else:  # several closed classes, or noise that varies too
                joint = joint_automaton(row, col)
                succ = self._germ_successors(joint, autos, varying, sample)
                share = detente_share_along(joint, succ, shape, self.target, noise)
            on_target, tags = fam.on_target, fam.tags
        else:
            conds = conditions(row, col)
            path, _ = path_of_play(conds.joint)
            on_target, tags = all(p == self.target for p in path), conds.tags
            coeffs = self._coeffs(conds, sample)
            share = _share(row, col, shape, self.target, noise)
        share = share if isinstance(share, RatFunc) else RatFunc(share)
        sample.compared.append(share.den)
        return _Profile(on_target, tags, coeffs, share)

    def _payoff_polys(self, i: int, sample: Sample) -> list[Any]:
        """Player ``i``'s payoffs times their common denominator (sign fixed at the
        sample): polynomials in the parameter with the payoffs' signs."""
        U = self.fn.U[i]
        d = _lcm_den(U)
        sample.compared.append(d)
        sign = 1 if d(_fq(sample.point)) > 0 else -1
        return [u.num * (d / u.den) * sign for u in U]

    def _noise(self, sample: Sample) -> Any:
        e = self.fn.noise
        return e.constant() if e.is_constant else e.at(sample)

    def _germ_successors(
        self, joint: JointAutomaton, autos: list[Automaton], varying: list[Any], sample: Sample
    ) -> Callable[[int, int, int], list[tuple[int, Any]]]:
        """Joint transitions with generous tit-for-tat's probabilities as functions:
        they are affine in its generosity ``q``, so two builds fix them."""
        steps: list[Callable[[int, int, int], list[tuple[int, Any]]]] = []
        for i, auto in enumerate(autos):
            if varying[i] is None:
                steps.append(_fixed_step(auto))
                continue
            other, q = varying[i]
            q1, q2 = Fraction(1, 3), Fraction(2, 3)
            for p in (q, 1 - q, 2 * q - 1):
                sample.compared.append(p.num)

            lines: dict[tuple[Fraction, Fraction], RatFunc] = {}

            def step(
                s: int,
                a: int,
                b: int,
                auto: Automaton = auto,
                other: Automaton = other,
                q: RatFunc = q,
                q1: Fraction = q1,
                q2: Fraction = q2,
                lines: dict[tuple[Fraction, Fraction], RatFunc] = lines,
            ) -> Any:
                one, two = dict(auto.step(s, a, b)), dict(other.step(s, a, b))
                out: list[tuple[int, Any]] = []
                for t in sorted(set(one) | set(two)):
                    p1, p2 = one.get(t, Fraction(0)), two.get(t, Fraction(0))
                    if p1 == p2:
                        out.append((t, p1))
                        continue
                    if (p1, p2) not in lines:
                        lines[(p1, p2)] = p1 + (p2 - p1) / (q2 - q1) * (q - q1)
                    out.append((t, lines[(p1, p2)]))
                return out

            steps.append(step)
        index = {st: k for k, st in enumerate(joint.states)}
        memo: dict[tuple[int, int, int], list[tuple[int, Any]]] = {}

        def successors(j: int, a: int, b: int) -> list[tuple[int, Any]]:
            if (j, a, b) in memo:
                return memo[(j, a, b)]
            s1, s2 = joint.states[j]
            acc: dict[int, Any] = {}
            for t1, p1 in steps[0](s1, a, b):
                for t2, p2 in steps[1](s2, b, a):
                    k = index[(t1, t2)]
                    acc[k] = acc.get(k, Fraction(0)) + p1 * p2
            memo[(j, a, b)] = out = sorted(acc.items())
            return out

        return successors

    def _coeffs(self, conds: Conditions, sample: Sample) -> tuple[tuple[Any, ...], ...]:
        """Per condition the polynomials ``a_ck(x) * d(x)`` (signed so that the sum has
        the sign of ``N_c``), ``d`` the player's common payoff denominator."""
        K = conds.size
        out: list[Any] = [None] * len(conds.tags)
        for i, U in enumerate(self.fn.U):
            rows = conds.rows[i]
            if not rows:
                continue
            d = _lcm_den(U)
            sample.compared.append(d)
            sign = 1 if d(_fq(sample.point)) > 0 else -1
            P = [u.num * (d / u.den) * sign for u in U]
            width = max(p.degree() for p in P) + 1 if any(not p.is_zero() for p in P) else 1
            polys = _poly_rows(conds.exact_maps[i], len(rows) * K, len(U), P, max(width, 1))
            for r, c in enumerate(rows):
                out[c] = tuple(polys[r * K : (r + 1) * K])
        return tuple(out)

    # --- candidates --------------------------------------------------------------------
    def candidates(self, piece: _Piece, low: Any, high: Any) -> list[Root]:
        """Points in [low, high] where a status can change on this piece."""
        m = self.rules.min_slack
        dl = self.fn.discount  # each condition at its player's own δ
        found: dict[tuple[Any, int], Root] = {}
        for prof in piece.profiles:
            if not prof.on_target:
                continue
            S = [_substitute(c, dl[t[0]]) for c, t in zip(prof.coeffs, prof.tags)]
            if any(s.degree() <= 0 and _const_sign(s) > 0 for s in S):
                continue  # a deviation pays all along the piece
            self._pruned([s for s in S if s.degree() > 0], S, [], low, high, found)
            share = prof.share
            if share.is_constant and share.constant() < self.rules.min_share:
                continue  # never stable on this piece
            extra: list[Any] = []
            if not share.is_constant:
                extra.append((share - self.rules.min_share).num)
            M = [_substitute(c, dl[t[0]] - m) for c, t in zip(prof.coeffs, prof.tags)]
            extra += [p for p in M if p.degree() > 0]
            for c in prof.coeffs:
                hat = _without_one(c)
                if all(h.degree() <= 0 for h in hat):
                    continue
                extra.append(sum(hat, flint.fmpq_poly([0])))
                extra.append(_discriminant(hat))
            self._pruned(extra, S, M, low, high, found)
        return sort_roots(found.values())

    def _pruned(
        self,
        polys: list[Any],
        S: list[Any],
        M: list[Any],
        low: Any,
        high: Any,
        found: dict[tuple[Any, int], Root],
    ) -> None:
        """Add to ``found`` the roots in [low, high] where every ``S`` and ``M`` is <= 0
        (elsewhere the profile is neither sustained nor stable, so nothing changes)."""
        for r in self.range.roots(polys, low, high):
            key = (tuple(r.poly.coeffs()), r.index)
            if key in found:
                continue
            if all(_sign(s, r) <= 0 for s in S) and all(_sign(q, r) <= 0 for q in M):
                found[key] = r

    # --- statuses ------------------------------------------------------------------------
    def statuses(self, piece: _Piece, x: Fraction) -> list[str]:
        """[verdict, then each profile's "sustained" / "not sustained"] at ``x``, by
        the rules of :func:`~negotiation.analysis.verdict.exact_verdict`."""
        deltas, _ = self._check_unit(x)
        xq, dq = _fq(x), (_fq(deltas[0]), _fq(deltas[1]))
        sustained, conds = [], []
        for prof in piece.profiles:
            ok = prof.on_target
            cs: list[Condition] = []
            if ok:
                for coeffs, tag in zip(prof.coeffs, prof.tags):
                    p = flint.fmpq_poly([c(xq) for c in coeffs])
                    if p(dq[tag[0]]) > 0:
                        ok = False
                        break
                    cs.append(Condition(p, tag))
            sustained.append(ok)
            conds.append(cs)
        shares = [prof.share(x) if ok else None for prof, ok in zip(piece.profiles, sustained)]
        if deltas[0] == deltas[1]:
            v = verdict_by_cover(
                deltas[0],
                sustained,
                shares,
                self.rules,
                lambda k, low: holds_from(conds[k], low),
                lambda k: critical_root(conds[k]),
            )
        else:
            # One δ per player: player i's conditions, at [δ_i - min_slack, 1) each.
            mine = [[[c for c in cs if c.tag[0] == who] for who in (0, 1)] for cs in conds]
            v = verdict_by_cover(
                deltas,
                sustained,
                shares,
                self.rules,
                lambda k, low: all(holds_from(mine[k][w], low[w]) for w in (0, 1)),
                lambda k: tuple(critical_root(mine[k][w]) for w in (0, 1)),
            )
        return [v] + ["sustained" if s else "not sustained" for s in sustained]


def _fixed_step(auto: Automaton) -> Callable[[int, int, int], list[tuple[int, Any]]]:
    def step(s: int, a: int, b: int) -> list[tuple[int, Any]]:
        return list(auto.step(s, a, b))

    return step


def _fq(x: Fraction) -> Any:
    return flint.fmpq(x.numerator, x.denominator)


def _const_sign(p: Any) -> int:
    c = p[0] if not p.is_zero() else flint.fmpq(0)
    return (c > 0) - (c < 0)


def _substitute(coeffs: Sequence[Any], delta: RatFunc) -> Any:
    """``Σ_k coeffs[k](x) δ(x)^k`` times ``den(δ)^(K-1)`` (sign kept: the denominator's
    power is made positive by squaring when needed)."""
    K = len(coeffs)
    n, d = delta.num, delta.den
    if n.degree() <= 0 and d.degree() <= 0:  # a constant δ: Horner in the number
        v = n[0] / d[0] if not n.is_zero() else flint.fmpq(0)
        out = flint.fmpq_poly([0])
        for c in reversed(coeffs):
            out = out * v + c
        return out
    out = flint.fmpq_poly([0])
    for k, c in enumerate(coeffs):
        if not c.is_zero():
            out += c * n**k * d ** (K - 1 - k)
    if (K - 1) % 2 == 1 and d.degree() > 0:
        out *= d  # d^(K-1) * d = d^K >= 0 keeps the sign of the sum
    return out


def _without_one(coeffs: Sequence[Any]) -> list[Any]:
    """The coefficients (in δ) after dividing out every factor ``1 - δ`` shared by the
    whole polynomial (a positive factor on [0, 1))."""
    cs = list(coeffs)
    while len(cs) > 1 and sum(cs, flint.fmpq_poly([0])).is_zero():
        q, acc = [], flint.fmpq_poly([0])
        for c in cs[:-1]:
            acc = acc + c
            q.append(acc)
        cs = q
    return cs


def _discriminant(cs: Sequence[Any]) -> Any:
    """The discriminant in δ of ``Σ_k cs[k](x) δ^k`` as a polynomial in ``x``."""
    while len(cs) > 1 and cs[-1].is_zero():
        cs = cs[:-1]
    if len(cs) < 3:
        return flint.fmpq_poly([1])
    ctx = flint.fmpq_mpoly_ctx.get(("d", "x"), "lex")
    d, x = ctx.gens()
    total = ctx.from_dict({})
    for k, c in enumerate(cs):
        for e, a in enumerate(c.coeffs()):
            if a != 0:
                total += a * d**k * x**e
    disc = total.discriminant("d")
    coeffs = [flint.fmpq(0)] * (disc.degrees()[1] + 1 if not disc.is_zero() else 1)
    for (_, e), a in disc.to_dict().items():
        coeffs[e] = a
    return flint.fmpq_poly(coeffs)


@lru_cache(maxsize=256)
def _share(
    row: Automaton, col: Automaton, shape: tuple[int, int], target: tuple[int, int], noise: Any
) -> Any:
    """The détente share of fixed automata (a number, or a function of the parameter
    when the noise is one): the same on every piece where the automata are the same."""
    joint = joint_automaton(row, col)
    return _share_along(joint, joint.successors, shape, target, noise)


def _share_along(
    joint: JointAutomaton,
    succ: Callable[[int, int, int], Any],
    shape: tuple[int, int],
    target: tuple[int, int],
    noise: Any,
) -> Any:
    """The long-run détente share (a number, or a function when the noise is one). A
    chain with one closed class has its stationary distribution proportional to any
    row of ``adj(I - T)``: Faddeev–LeVerrier on polynomials, no rational-function
    arithmetic; otherwise the Cesàro limit
    (:func:`~negotiation.repeated.noise.detente_share_along`)."""
    if not isinstance(noise, RatFunc):
        return detente_share_along(joint, succ, shape, target, noise)
    T, outcomes = _chain(joint, succ, shape, noise)
    edges = [[k for k, v in enumerate(r) if v] for r in T]
    if _closed_classes(edges) != 1:
        return detente_share_along(joint, succ, shape, target, noise)
    fT = [[v if isinstance(v, RatFunc) else RatFunc(v) for v in r] for r in T]
    DT = _lcm_den(v for r in fT for v in r)
    n = len(T)
    _, Bs = faddeev_leverrier([[v.num * (DT / v.den) for v in r] for r in fT], "polynomials")
    # With T = T~ / D: adj(D I - T~) = Σ_k B_k(T~) D^(n-1-k), a multiple of adj(I - T).
    pi = [flint.fmpq_poly([0])] * n
    for k, B in enumerate(Bs):
        f = DT ** (n - 1 - k)
        pi = [pi[j] + B[0][j] * f for j in range(n)]
    num: Any = RatFunc(0)
    for j, o in enumerate(outcomes):
        w = o.get(target, 0)
        if w:
            num = num + RatFunc(pi[j]) * w
    return num / RatFunc(sum(pi, flint.fmpq_poly([0])))


def _closed_classes(edges: list[list[int]]) -> int:
    reach = []
    for j in range(len(edges)):
        seen, stack = {j}, [j]
        while stack:
            for k in edges[stack.pop()]:
                if k not in seen:
                    seen.add(k)
                    stack.append(k)
        reach.append(seen)
    closed = {frozenset(r) for j, r in enumerate(reach) if all(j in reach[k] for k in r)}
    return len(closed)


# ---------------------------------------------------------------- the whole range


def tipping_along(
    scenario: Scenario,
    name: str,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
) -> tuple[list[Change], list[tuple[str, str]]]:
    """Every point of ``name``'s range where the verdict or a profile's sustainability
    changes, exactly.

    Parameters
    ----------
    scenario : Scenario
    name : str
        A parameter with ``min`` and ``max``.
    assumption : str
    overrides : mapping, optional
    strategies : sequence of str, optional
        Default: the file's list.
    rules : VerdictRules, optional

    Returns
    -------
    (list of Change, list of profile labels)

    Raises
    ------
    NotRational
        When the analysis is not piecewise rational in ``name`` (see the module
        docstring).

    Examples
    --------
    Grim trigger in the Prisoner's Dilemma at δ = 9/10 holds from R = 7/5 on:

    >>> from negotiation.scenario import load_scenario
    >>> changes, _ = tipping_along(load_scenario("prisoners-dilemma"), "R",
    ...                            strategies=["grim_trigger"])
    >>> [(c.value.exact(), c.below, c.above) for c in changes if c.index == 0]
    [(Fraction(7, 5), 'unsustainable', 'fragile')]
    """
    rules = rules or VerdictRules.for_scenario(scenario)
    an = _Analysis(scenario, assumption, overrides, strategies, rules, name)
    lo, hi = an.range.lo, an.range.hi
    pts: list[Fraction | Root] = []
    ends: list[Fraction | Root] = [lo, *an.cut_points(), hi]
    for c in ends:
        if not (pts and _equal(pts[-1], c)):  # ends that are cut points once
            pts.append(c)
    # Pieces of one structure: split wherever a comparison made while finding the
    # structure changes sign inside; then neighbours of equal structure are merged.
    found: list[tuple[Fraction | Root, Fraction | Root, Any, Fraction, list[Root]]] = []
    work = [(pts[k], pts[k + 1]) for k in range(len(pts) - 1)]
    while work:
        a, b = work.pop(0)
        sample = Sample(rational_between_roots(a, b))
        structure = an.structure(sample.point, sample)
        met = an.range.roots(sample.compared, a, b)
        inner = _inside(met, a, b)
        if inner:
            bounds = [a, *inner, b]
            work = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)] + work
        else:
            found.append((a, b, structure, sample.point, met))
    pieces: list[tuple[Fraction | Root, Fraction | Root, _Piece, list[Root]]] = []
    # The ends of the range are read from the piece beside them when nothing the piece
    # rests on changes there (no recorded comparison vanishes, no cut point): else
    # the structure at the end is found afresh (``_Analysis.point``).
    at_end: dict[Fraction, _Piece] = {}
    k = 0
    while k < len(found):
        a, b, structure, x, met = found[k]
        cuts: list[Root] = []
        while k + 1 < len(found) and found[k + 1][2] == structure:
            cuts.append(_as_root(found[k + 1][0]))  # the cut points inside stay points
            k += 1
            b = found[k][1]
        met = met + found[k][4]
        sample = Sample(x)
        piece = an.piece(x, structure, sample)
        extra = an.range.roots(sample.compared, a, b)
        pieces.append((a, b, piece, [*cuts, *extra]))
        for end in (lo, hi):
            if _equal(a if end == lo else b, end) and not any(_equal(r, end) for r in met + extra):
                at_end[end] = piece
        k += 1
    for c in ends[1:-1]:  # a cut point at an end: the structure may differ there
        for end in (lo, hi):
            if _equal(c, end):
                at_end.pop(end, None)
    # A rational between each pair of neighbouring points where something can change;
    # ``seps[k]`` is the point between ``samples[k]`` and ``samples[k + 1]``.
    samples: list[tuple[Fraction, _Piece | None]] = [(lo, at_end.get(lo))]
    seps: list[Fraction | Root] = []
    for a, b, piece, extra in pieces:
        inner = sort_roots(_unique([*an.candidates(piece, a, b), *extra]))
        bounds = [a, *_inside(inner, a, b), b]
        for k in range(len(bounds) - 1):
            samples.append((rational_between_roots(bounds[k], bounds[k + 1]), piece))
            seps.append(bounds[k])
    samples.append((hi, at_end.get(hi)))
    seps.append(hi)
    statuses = [
        an.statuses(piece if piece is not None else an.point(x), x) for x, piece in samples
    ]
    changes = []
    for k in range(len(statuses) - 1):
        for idx, (s, t) in enumerate(zip(statuses[k], statuses[k + 1])):
            if s != t:
                changes.append(Change(seps[k], idx, s, t))
    return changes, an.labels


def _unique(roots: Iterable[Root]) -> list[Root]:
    out: dict[tuple[Any, ...], Root] = {}
    for r in roots:
        out.setdefault((tuple(r.poly.coeffs()), r.index), r)
    return list(out.values())


def _inside(roots: list[Root], a: Fraction | Root, b: Fraction | Root) -> list[Root]:
    return [r for r in roots if not _equal(r, a) and not _equal(r, b)]


def _equal(a: Fraction | Root, b: Fraction | Root) -> bool:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a == b
    return _same(_as_root(a), _as_root(b))
