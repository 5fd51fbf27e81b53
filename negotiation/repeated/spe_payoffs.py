"""The subgame-perfect payoff set of the repeated game (perfect monitoring, public
randomisation, pure actions), for two players at one discount factor or one each.

Abreu, Pearce & Stacchetti (1990) characterise the set ``V`` of (normalised)
subgame-perfect payoffs as the largest bounded fixed point of the operator

``B(W) = conv{ v = (1 - δ) u(a) + δ w :  a a pure profile, w in W,
v_i >= (1 - δ_i) max_{a_i'} u_i(a_i', a_-i) + δ_i min_{w' in W} w'_i  for i = 1, 2 }``

(products with ``δ = diag(δ_1, δ_2)`` when the players discount differently; the hull is
public randomisation). Starting from any compact ``W_0`` that contains ``V`` and with
``B(W_0) ⊆ W_0`` the iterates ``W_k = B^k(W_0)`` decrease to ``V``: here the pure
individually rational part of the feasible set for a common δ, the payoff box cut at the
pure minmax values otherwise (with unequal discount factors payoffs outside the convex
hull of stage payoffs can be feasible: Lehrer & Pauzner 1999).

*Exact phase.* With rational payoffs and discount factors the operator is applied in
rational arithmetic: for each profile the polygon ``W`` cut by the two incentive
half-planes, mapped affinely, and the hull of the union. If an iterate repeats,
``W_{k+1} = W_k``, it is self-generating and contains ``V``, hence equals ``V``
(exact). If every profile still enforceable on ``W_k`` is a stage Nash equilibrium,
``V`` is the fixed point of the restricted map, the hull of those equilibria's payoffs
(exact; for unequal discount factors only when they share one payoff vector).

*Approximate phase* (when the exact phase does not finish within
:data:`~negotiation.limits.MAX_EXACT_SPE_ITERATIONS` iterations or its numbers grow
beyond :data:`~negotiation.limits.MAX_EXACT_SPE_BITS`): the outer approximation of Judd,
Yeltekin & Conklin (2003), the intersection of half-planes ``h . v <= max_{B(W)} h . v``
over a direction set (fixed directions plus the edge normals of the current image, so
that the approximation is tight at the fixed point), each support value widened by a
rounding margin; it contains ``V`` at every step. The inner approximation is a
polygon ``W`` verified in exact arithmetic to be self-generating, ``W ⊆ B(W)``, which
implies ``W ⊆ V`` (APS 1990, theorem 1): the outer set shrunk towards its centre, or,
failing that, the hull of stage-equilibrium payoffs. The reported tolerance is the
Hausdorff distance between the two, which bracket ``V``.

Abreu & Sannikov (2014) show that each profile contributes at most four extreme points
to ``V``; QuantEcon's ``RepeatedGame.equilibrium_payoffs`` implements their algorithm
for a common δ and is the cross-check of the tests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.errors import GameError
from negotiation.games.best_response import own_exact_payoffs, own_payoffs
from negotiation.games.equilibrium import number_out
from negotiation.games.security import pure_security_values
from negotiation.games.stage_game import StageGame, require_game
from negotiation.limits import (
    MAX_EXACT_SPE_BITS,
    MAX_EXACT_SPE_ITERATIONS,
    MAX_SPE_ITERATIONS,
    SPE_DIRECTIONS,
)
from negotiation.records import TabularResult, flatten, short_repr
from negotiation.repeated.feasible_set import individually_rational, stage_payoff_points
from negotiation.repeated.polygon import Polygon, affine_image, clip, contains, hausdorff, hull

__all__ = ["SPEPayoffs", "aps_operator", "read_discounts", "spe_payoffs"]

Number = Fraction | float

#: Default target tolerance of the approximate phase (Hausdorff distance of successive
#: outer iterates, relative to the payoff range).
TOLERANCE = 1e-9


@dataclass(frozen=True)
class _Profile:
    cell: tuple[int, int]
    u: tuple[Any, Any]
    dev: tuple[Any, Any]  # best one-shot deviation payoff of each player

    @property
    def is_nash(self) -> bool:
        return self.dev[0] <= self.u[0] and self.dev[1] <= self.u[1]


def _profiles(game: StageGame, exact: bool) -> list[_Profile]:
    m, n = game.shape
    a: list[list[Any]]
    b: list[list[Any]]
    if exact:
        EA, EBt = own_exact_payoffs(game, 0), own_exact_payoffs(game, 1)
        a = [[EA[i][j] for j in range(n)] for i in range(m)]
        b = [[EBt[j][i] for j in range(n)] for i in range(m)]
    else:
        A, Bt = own_payoffs(game, 0), own_payoffs(game, 1)
        a = [[float(A[i, j]) for j in range(n)] for i in range(m)]
        b = [[float(Bt[j, i]) for j in range(n)] for i in range(m)]
    out = []
    for i in range(m):
        for j in range(n):
            d1 = max(a[k][j] for k in range(m))
            d2 = max(b[i][k] for k in range(n))
            out.append(_Profile((i, j), (a[i][j], b[i][j]), (d1, d2)))
    return out


@dataclass(frozen=True)
class SPEPayoffs(TabularResult):
    """The subgame-perfect payoff set at given discount factors.

    Attributes
    ----------
    game : StageGame
    discount : (Number, Number)
        The row and the column player's discount factors.
    vertices : tuple of (Number, Number)
        Vertices of ``V`` when :attr:`exact`; otherwise of the outer approximation
        with vertices closer than 1e-7 of the payoff range merged (the merge is
        counted in :attr:`tolerance`). Empty when no pure-action subgame-perfect
        equilibrium exists.
    inner : tuple of (Number, Number)
        A verified self-generating polygon inside ``V`` (``vertices`` when exact; empty
        when none was found).
    exact : bool
    tolerance : float or None
        Hausdorff distance between :attr:`inner` and the outer approximation (``None``
        when exact, or when no inner polygon was found).
    method : str
        How the set was found.
    iterations : int
        Applications of the operator.
    enforceable : tuple of (int, int)
        The profiles that generate points of the final set.
    """

    __repr__ = short_repr

    def to_records(self) -> list[dict[str, Any]]:
        """One record per vertex: ``set`` (``outer``: the reported vertices, ``inner``:
        the inner approximation), ``vertex`` and the two players' payoffs (``x``, ``y``).

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> spe_payoffs(pd, Fraction(9, 10)).to_records()[0]["set"]
        'outer'
        """
        d = self.to_dict()
        return [
            flatten({"set": name, "vertex": k, "x": v[0], "y": v[1]})
            for name, key in (("outer", "vertices"), ("inner", "inner"))
            for k, v in enumerate(d[key])
        ]

    game: StageGame = field(repr=False)
    discount: tuple[Number, Number]
    vertices: Polygon
    inner: Polygon
    exact: bool
    tolerance: float | None
    method: str
    iterations: int
    enforceable: tuple[tuple[int, int], ...] = ()

    @property
    def empty(self) -> bool:
        """Whether no pure-action subgame-perfect equilibrium exists."""
        return not self.vertices

    @property
    def worst(self) -> tuple[Number | None, Number | None]:
        """Each player's lowest payoff over :attr:`vertices` (exact when :attr:`exact`;
        otherwise a lower bound of the worst subgame-perfect payoff)."""
        if not self.vertices:
            return None, None
        return (min(v[0] for v in self.vertices), min(v[1] for v in self.vertices))

    @property
    def worst_inner(self) -> tuple[Number | None, Number | None]:
        """Each player's lowest payoff over :attr:`inner` (an upper bound of the worst
        subgame-perfect payoff)."""
        if not self.inner:
            return None, None
        return (min(v[0] for v in self.inner), min(v[1] for v in self.inner))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``spe_payoffs`` entry of ``frontier --format json``).

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> d = spe_payoffs(pd, Fraction(1, 10)).to_dict()
        >>> d["vertices"], d["exact"], d["tolerance"]
        ([['1', '1']], True, None)
        """
        ids = self.game.players
        return {
            "discount": {p: number_out(d) for p, d in zip(ids, self.discount)},
            "vertices": [[number_out(x), number_out(y)] for x, y in self.vertices],
            "inner": [[number_out(x), number_out(y)] for x, y in self.inner],
            "exact": self.exact,
            "tolerance": self.tolerance,
            "method": self.method,
            "iterations": self.iterations,
            "worst": {p: None if w is None else number_out(w) for p, w in zip(ids, self.worst)},
        }


def _read_one(value: Any, who: str) -> Number:
    if isinstance(value, bool):
        raise GameError(f"the discount factor of {who} must be a number, got {value!r}")
    if isinstance(value, Fraction | int):
        x: Number = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise GameError(f"the discount factor of {who} must be finite, got {value!r}")
        x = Fraction(repr(value))
    elif isinstance(value, str):
        try:
            x = Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise GameError(
                f"the discount factor of {who} is not a number: {value[:40]!r}"
            ) from None
    else:
        try:
            x = Fraction(float(value))
        except (TypeError, ValueError, OverflowError):
            raise GameError(
                f"the discount factor of {who} must be a number, got {type(value).__name__}"
            ) from None
    if not 0 <= x < 1:
        raise GameError(f"the discount factor of {who} must be in [0, 1), got {x}")
    return x


def read_discounts(game: StageGame, discount: Any) -> tuple[Fraction, Fraction]:
    """One discount factor per player from a number, a pair or a mapping by player id.

    Floats are read as the decimal they print as (``0.9`` is ``9/10``).

    Examples
    --------
    >>> g = StageGame.from_payoffs([[1]], [[1]], players=["us", "cn"])
    >>> read_discounts(g, 0.9), read_discounts(g, {"us": "1/2", "cn": 0.8})
    ((Fraction(9, 10), Fraction(9, 10)), (Fraction(1, 2), Fraction(4, 5)))
    """
    ids = game.players
    if isinstance(discount, Mapping):
        unknown = sorted(set(map(str, discount)) - set(ids))
        missing = [p for p in ids if p not in discount]
        if unknown or missing:
            raise GameError(
                f"a discount mapping needs exactly the players {list(ids)}: "
                + (f"unknown {unknown[:3]}" if unknown else f"missing {missing}")
            )
        d0, d1 = (_read_one(discount[p], repr(p)) for p in ids)
    elif isinstance(discount, tuple | list):
        if len(discount) != 2:
            raise GameError(f"a discount pair needs two values, got {len(discount)}")
        d0, d1 = (_read_one(v, repr(p)) for v, p in zip(discount, ids))
    else:
        d0 = d1 = _read_one(discount, "both players")
    return Fraction(d0), Fraction(d1)


# ------------------------------------------------------------------ exact operator


def aps_operator(
    W: Polygon, profiles: Sequence[Any], discount: tuple[Any, Any]
) -> tuple[Polygon, tuple[tuple[int, int], ...]]:
    """One application of the APS operator to a polygon, with the profiles that are
    enforceable on it (exact for ``Fraction`` input).

    Parameters
    ----------
    W : polygon
    profiles : sequence
        Per pure profile: ``cell`` (row, column), ``u`` (payoff pair) and ``dev`` (each
        player's best one-shot deviation payoff against it).
    discount : (δ_row, δ_col)

    Returns
    -------
    (polygon, tuple of (int, int))

    Examples
    --------
    The Prisoner's Dilemma at δ = 1/2 maps its individually rational set onto itself:

    >>> from negotiation.repeated.feasible_set import feasible_set
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> W = feasible_set(pd).pure_individually_rational
    >>> aps_operator(W, _profiles(pd, True), (Fraction(1, 2), Fraction(1, 2)))[0] == W
    True
    """
    if not W:
        return (), ()
    lows = (min(v[0] for v in W), min(v[1] for v in W))
    points: list[Any] = []
    used = []
    for p in profiles:
        part = W
        for i in (0, 1):
            d = discount[i]
            if d == 0:
                if p.dev[i] > p.u[i]:
                    part = ()
                continue
            gap = (1 - d) / d * (p.dev[i] - p.u[i])
            if gap > 0 or lows[i] + gap > lows[i]:
                h = (-1, 0) if i == 0 else (0, -1)
                part = clip(part, h[0], h[1], -(lows[i] + gap))
            if not part:
                break
        if not part:
            continue
        used.append(p.cell)
        scale = (discount[0], discount[1])
        shift = ((1 - discount[0]) * p.u[0], (1 - discount[1]) * p.u[1])
        points.extend(affine_image(part, scale, shift))
    return hull(points), tuple(used)


def _bits(poly: Polygon) -> int:
    return max(
        (x.numerator.bit_length() + x.denominator.bit_length() for v in poly for x in v),
        default=0,
    )


def _start(game: StageGame, profiles: list[_Profile], exact: bool, common: bool) -> Polygon:
    floor = pure_security_values(game, exact=exact).minmax
    if common:
        return individually_rational(hull(stage_payoff_points(game, exact)), floor)
    xs = [p.u[0] for p in profiles]
    ys = [p.u[1] for p in profiles]
    box = hull([(x, y) for x in (min(xs), max(xs)) for y in (min(ys), max(ys))])
    return individually_rational(box, floor)


def _nash_shortcut(
    used: Sequence[tuple[int, int]], profiles: list[_Profile], common: bool
) -> Polygon | None:
    """``V`` when every profile enforceable on an outer set is a stage equilibrium."""
    by_cell = {p.cell: p for p in profiles}
    chosen = [by_cell[c] for c in used]
    if not chosen or not all(p.is_nash for p in chosen):
        return None
    pts = hull([p.u for p in chosen])
    if common or len(pts) == 1:
        return pts
    return None


# ------------------------------------------------------------------ float operator


def _float_image(W: np.ndarray, U: np.ndarray, G: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Points whose hull is ``B(W)`` for a float polygon ``W`` (k x 2, CCW); ``U`` the
    payoffs and ``G`` the incentive gaps ``(1 - δ)/δ (dev - u)`` of each profile."""
    lows = W.min(axis=0)
    Q = np.roll(W, -1, axis=0)
    out = []
    for u, g in zip(U, G):
        t = lows + g
        inside = W[(W[:, 0] >= t[0]) & (W[:, 1] >= t[1])]
        pts = [inside]
        for i in (0, 1):
            a, b = W[:, i] - t[i], Q[:, i] - t[i]
            cross = (a * b < 0) & (a != b)
            if cross.any():
                s = (a[cross] / (a[cross] - b[cross]))[:, None]
                x = W[cross] + s * (Q[cross] - W[cross])
                x[:, i] = t[i]
                pts.append(x[x[:, 1 - i] >= t[1 - i]])
        if len(W) >= 3:
            e = Q - W
            r = t[None, :] - W
            if np.all(e[:, 0] * r[:, 1] - e[:, 1] * r[:, 0] >= 0):
                pts.append(t[None, :])
        P = np.concatenate(pts)
        if len(P):
            out.append((1 - d) * u + d * P)
    return np.concatenate(out) if out else np.zeros((0, 2))


def _unit_directions(count: int) -> np.ndarray:
    angles = 2 * np.pi * np.arange(count) / count
    return np.c_[np.cos(angles), np.sin(angles)]


def _outer_polygon(points: np.ndarray, fixed: np.ndarray, margin: float) -> np.ndarray:
    """The JYC outer approximation of ``conv(points)``: half-planes in the fixed
    directions and the hull's own edge normals, widened by ``margin``; its vertices are
    the intersections of consecutive support lines."""
    H = hull(map(tuple, points.tolist()))
    normals = [fixed]
    if len(H) >= 2:
        P: np.ndarray = np.array(H)
        E = np.roll(P, -1, axis=0) - P
        if len(H) == 2:
            E = E[:1]
            E = np.r_[E, -E]
        N = np.c_[E[:, 1], -E[:, 0]]
        length = np.hypot(N[:, 0], N[:, 1])
        keep = length > 0
        normals.append(N[keep] / length[keep, None])
    D = np.concatenate(normals)
    ang = np.arctan2(D[:, 1], D[:, 0])
    order = np.argsort(ang)
    D, ang = D[order], ang[order]
    keep = np.r_[True, np.diff(ang) > 1e-9]
    if ang[-1] - ang[0] > 2 * np.pi - 1e-9 and keep.sum() > 1:
        keep[-1] = False
    D = D[keep]
    c = (points @ D.T).max(axis=0) + margin
    D2, c2 = np.roll(D, -1, axis=0), np.roll(c, -1)
    det = D[:, 0] * D2[:, 1] - D[:, 1] * D2[:, 0]
    x = (c * D2[:, 1] - c2 * D[:, 1]) / det
    y = (D[:, 0] * c2 - D2[:, 0] * c) / det
    return np.array(hull(zip(x.tolist(), y.tolist())))


def _self_generating(W: Polygon, profiles: list[_Profile], discount: tuple[Any, Any]) -> bool:
    """Whether ``W ⊆ B(W)``, decided in exact arithmetic."""
    if not W:
        return False
    image, _ = aps_operator(W, profiles, discount)
    return all(contains(image, v) for v in W)


def _simplified(W: np.ndarray) -> np.ndarray:
    """The polygon without vertices that are nearly repeated or nearly collinear
    (relative distance 1e-7): the vertex structure of the set it approximates."""
    scale = float(np.ptp(W, axis=0).max()) if len(W) else 0.0
    eps = 1e-7 * (scale or 1.0)
    pts = list(map(tuple, W.tolist()))
    changed = True
    while changed and len(pts) > 2:
        changed = False
        for k in range(len(pts)):
            a, b, c = pts[k - 1], pts[k], pts[(k + 1) % len(pts)]
            base = math.hypot(c[0] - a[0], c[1] - a[1])
            area = abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
            if math.hypot(b[0] - a[0], b[1] - a[1]) < eps or area <= eps * base:
                del pts[k]
                changed = True
                break
    return np.array(pts)


def _shrunk(W: np.ndarray, factor: float) -> Polygon:
    c = W.mean(axis=0)
    S = c + (1 - factor) * (W - c)
    return hull((Fraction(x), Fraction(y)) for x, y in S.tolist())


def _inner(
    outer: np.ndarray,
    exact_profiles: list[_Profile],
    discount: tuple[Fraction, Fraction],
    common: bool,
) -> Polygon:
    """A verified self-generating polygon, as large as found: the outer polygon's
    vertices as nearby simple fractions (exact when ``V``'s vertices are such), the
    outer polygon shrunk towards its centre, the hull of stage-equilibrium payoffs."""
    simple = _simplified(outer)
    for digits in (2, 4, 6, 9):
        cand = hull(
            (Fraction(x).limit_denominator(10**digits), Fraction(y).limit_denominator(10**digits))
            for x, y in simple.tolist()
        )
        if _self_generating(cand, exact_profiles, discount):
            return cand
    for factor in (1e-9, 1e-7, 1e-5, 1e-3, 1e-2, 0.05, 0.2):
        cand = _shrunk(simple, factor)
        if _self_generating(cand, exact_profiles, discount):
            return cand
    nash = [p.u for p in exact_profiles if p.is_nash]
    if nash and common and _self_generating(hull(nash), exact_profiles, discount):
        return hull(nash)
    for u in nash:
        if _self_generating((u,), exact_profiles, discount):
            return (u,)
    return ()


def spe_payoffs(
    game: StageGame,
    discount: Any,
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_SPE_ITERATIONS,
) -> SPEPayoffs:
    """The subgame-perfect payoff set of the repeated game at given discount factors.

    Parameters
    ----------
    game : StageGame
    discount : number, (number, number) or mapping {player id: number}
        One δ for both players, or one each, in [0, 1).
    tolerance : float
        Target of the approximate phase: stop when successive outer iterates differ by
        less than this times the payoff range.
    max_iterations : int
        At most :data:`~negotiation.limits.MAX_SPE_ITERATIONS` applications of the
        operator in the approximate phase.

    Returns
    -------
    SPEPayoffs

    Raises
    ------
    GameError
        A discount factor outside [0, 1), a bad tolerance or iteration count.

    Examples
    --------
    The Prisoner's Dilemma (5, 3, 1, 0): at δ = 1/2 every feasible individually
    rational payoff is subgame perfect; at δ = 1/10 only the stage equilibrium's (1, 1).

    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> v = spe_payoffs(pd, Fraction(1, 2))
    >>> [tuple(map(str, p)) for p in v.vertices], v.exact
    ([('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')], True)
    >>> spe_payoffs(pd, Fraction(1, 10)).vertices
    ((Fraction(1, 1), Fraction(1, 1)),)
    """
    require_game(game, "spe_payoffs")
    delta = read_discounts(game, discount)
    if not (isinstance(tolerance, int | float) and 0 < tolerance < 1):
        raise GameError(f"tolerance must be a number in (0, 1), got {tolerance!r}")
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, int):
        raise GameError(f"max_iterations must be a whole number, got {max_iterations!r}")
    if not 1 <= max_iterations <= MAX_SPE_ITERATIONS:
        raise GameError(
            f"max_iterations must be between 1 and {MAX_SPE_ITERATIONS}, got {max_iterations}"
        )
    common = delta[0] == delta[1]
    iterations = 0
    if game.is_exact:
        profiles = _profiles(game, True)
        W = _start(game, profiles, True, common)
        for _ in range(MAX_EXACT_SPE_ITERATIONS):
            if _bits(W) > MAX_EXACT_SPE_BITS:
                break
            nxt, used = aps_operator(W, profiles, delta)
            iterations += 1
            if not nxt:
                return SPEPayoffs(game, delta, (), (), True, None, "empty", iterations)
            if nxt == W:
                return SPEPayoffs(
                    game, delta, W, W, True, None, "exact fixed point", iterations, used
                )
            shortcut = _nash_shortcut(used, profiles, common)
            if shortcut is not None:
                cells = tuple(p.cell for p in profiles if p.cell in used)
                return SPEPayoffs(
                    game, delta, shortcut, shortcut, True, None, "stage equilibria",
                    iterations, cells,
                )  # fmt: skip
            W = nxt
        start = np.array([[float(x), float(y)] for x, y in W])
    else:
        profiles = _profiles(game, False)
        start = np.array([[float(x), float(y)] for x, y in _start(game, profiles, False, common)])
    return _approximate(game, delta, start, tolerance, max_iterations, iterations, common)


def _approximate(
    game: StageGame,
    delta: tuple[Fraction, Fraction],
    W: np.ndarray,
    tolerance: float,
    max_iterations: int,
    done: int,
    common: bool,
) -> SPEPayoffs:
    fp = _profiles(game, False)
    U = np.array([p.u for p in fp], float)
    dev = np.array([p.dev for p in fp], float)
    d = np.array([float(delta[0]), float(delta[1])])
    with np.errstate(divide="ignore", invalid="ignore"):
        G = np.where(d > 0, (1 - d) / np.where(d > 0, d, 1) * (dev - U), 0.0)
    if (d == 0).any():  # δ_i = 0: only stage best replies of that player
        bad = ((d == 0) & (dev > U)).any(axis=1)
        U, G = U[~bad], G[~bad]
    scale = float(max(np.ptp(U[:, 0]), np.ptp(U[:, 1]), 1e-300)) if len(U) else 1.0
    margin = 1e-12 * scale
    fixed = _unit_directions(SPE_DIRECTIONS)
    for k in range(max_iterations):
        pts = _float_image(W, U, G, d)
        if not len(pts):
            return SPEPayoffs(game, delta, (), (), False, None, "empty (approximate)", done + k)
        nxt = _outer_polygon(pts, fixed, margin)
        change = hausdorff(W.tolist(), nxt.tolist())
        W = nxt
        if change <= tolerance * scale:
            break
    iterations = done + k + 1
    simple = _simplified(W)
    merged = hausdorff(W.tolist(), simple.tolist())
    outer = tuple((float(x), float(y)) for x, y in simple.tolist())
    inner: Polygon = ()
    if game.is_exact:
        inner = _inner(W, _profiles(game, True), delta, common)
    tol = hausdorff(outer, inner) + merged if inner else None
    inner_f = tuple((float(x), float(y)) for x, y in inner)
    return SPEPayoffs(
        game,
        (delta[0], delta[1]),
        outer,
        inner_f,
        False,
        tol,
        "outer: half-planes (Judd, Yeltekin & Conklin 2003); inner: verified self-generating",
        iterations,
    )
