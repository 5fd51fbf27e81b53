"""All extreme Nash equilibria of a bimatrix game, degenerate games included.

Method (Avis, Rosenberg, Savani and von Stengel, "Enumeration of Nash equilibria for
two-player games", Economic Theory 42, 2010 -- the method of Gambit's lrs-based
``gambit-enummixed``): shift both players' payoffs to be positive and form the
best-response polytopes

    P = {x >= 0 : B^T x <= 1}      (row player's mixed strategies, scaled)
    Q = {y >= 0 : A y <= 1}        (column player's mixed strategies, scaled).

A point of P carries label ``i`` when ``x_i = 0`` and label ``m + j`` when column ``j``
is a best response (its constraint is tight); likewise for Q. The extreme equilibria
are exactly the completely labelled vertex pairs ``(x, y) != (0, 0)``, normalised to
probabilities -- in degenerate games too, where some vertices carry extra labels and
the equilibrium set can contain whole faces.

Vertices are enumerated in floating point (:mod:`negotiation.games.polytope_vertices`);
in exact mode every vertex that takes part in a candidate pair is recomputed from its
basis in rational arithmetic, its labels re-derived exactly, and each equilibrium is
certified exactly (zero regret). The floating-point stage uses a loose tolerance so
that it can only over-report candidates, which the exact stage then rejects.

Exact mode guards that stage: it sees the payoffs through
:func:`~negotiation.games.rational.float_view` (payoffs such as ``k * 10**-400``, all
``0.0`` as doubles, are mapped onto [1, 2] first); copies of a degenerate vertex are
merged only when exact arithmetic shows they are one vertex (rounded coordinates alone
merged distinct vertices of games with near-ties, losing equilibria); and
:func:`check_exact_size` refuses, before any heavy work, payoffs too long
(:data:`MAX_EXACT_DIGITS`) or too close (:data:`MIN_RELATIVE_GAP`) for exact
enumeration. A game where every payoff of each player is the same is answered directly.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiation.errors import GameError
from negotiation.games.certify import exact_regret, float_regret
from negotiation.games.components import components, maximal_nash_subsets
from negotiation.games.equilibrium import Equilibrium, EquilibriumSet, Number
from negotiation.games.polytope_vertices import (
    CandidateVertices,
    candidate_vertices,
    normalise_payoffs,
    popcount,
    unique_rows,
)
from negotiation.games.rational import (
    ExactMatrix,
    digits,
    float_view,
    normalised_exact,
    solve_exact,
)
from negotiation.games.stage_game import MAX_PAYOFF_MAGNITUDE, StageGame, require_game
from negotiation.limits import MAX_MOVES

__all__ = [
    "MAX_EXACT_DIGITS",
    "MIN_RELATIVE_GAP",
    "BatchEquilibria",
    "check_exact_size",
    "equilibria_batch",
    "extreme_equilibria",
]

#: Candidate tolerance of the floating-point stage when the answer is made exact later.
LOOSE_TOL = 1e-6

#: Most digits exact arithmetic accepts in the numerator or denominator of one payoff,
#: and in one player's payoffs (mapped onto [1, 2]) written over a common denominator.
#: Measured on 12x12 games: up to 1000 digits the exact stages add about a second to
#: the 10-25 s of the floating-point stage; 2000 digits add 6 s, 4000 digits minutes
#: (every minor of the matrix carries the product of the denominators it touches).
MAX_EXACT_DIGITS = 1000

#: Smallest difference between two distinct payoffs of one player, as a fraction of
#: that player's payoff range, that exact enumeration accepts. The floating-point
#: stage must see every basis and vertex the exact game has; on games with near-ties
#: it does so down to differences of 1e-10 of the range and misses equilibria below
#: 1e-11 (checked against exact brute force), so 1e-9 keeps a margin.
MIN_RELATIVE_GAP = 1e-9


def _labels(P: CandidateVertices, Q: CandidateVertices, m: int) -> tuple[np.ndarray, np.ndarray]:
    lab_p = P.zero_mask | (P.tight_mask << m)
    lab_q = Q.tight_mask | (Q.zero_mask << m)
    return lab_p, lab_q


def _cross_pairs(gp: np.ndarray, gq: np.ndarray, games: int) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs ``(a, b)`` with ``gp[a] == gq[b]`` (both sorted by game)."""
    cp = np.bincount(gp, minlength=games)
    cq = np.bincount(gq, minlength=games)
    sp = np.cumsum(cp) - cp
    sq = np.cumsum(cq) - cq
    npairs = cp * cq
    g = np.repeat(np.arange(games), npairs)
    local = np.arange(int(npairs.sum())) - np.repeat(np.cumsum(npairs) - npairs, npairs)
    width = np.maximum(cq[g], 1)
    return sp[g] + local // width, sq[g] + local % width


def _equal_pairs(keys_p: np.ndarray, keys_q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All index pairs ``(a, b)`` with ``keys_p[a] == keys_q[b]`` (a sort-merge join)."""
    order = np.argsort(keys_q, kind="stable")
    sorted_q = keys_q[order]
    lo = np.searchsorted(sorted_q, keys_p, "left")
    counts = np.searchsorted(sorted_q, keys_p, "right") - lo
    ip = np.repeat(np.arange(keys_p.size), counts)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return ip, order[np.repeat(lo, counts) + offset]


def _matched_pairs(
    P: CandidateVertices, Q: CandidateVertices, games: int, m: int, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(iP, iQ)`` of completely labelled vertex pairs of the same game.

    A vertex of P with exactly ``m`` labels pairs only with the Q vertex whose labels
    are exactly the complement, found by a sort-merge join; vertices with extra labels
    (degenerate ones) are paired by brute force.
    """
    lab_p, lab_q = _labels(P, Q, m)
    full = (1 << (m + n)) - 1
    is_plain_p = popcount(lab_p) == m
    is_plain_q = popcount(lab_q) == n
    plain_p, extra_p = np.flatnonzero(is_plain_p), np.flatnonzero(~is_plain_p)
    plain_q, extra_q = np.flatnonzero(is_plain_q), np.flatnonzero(~is_plain_q)
    shift = m + n
    a, b = _equal_pairs(
        (P.game[plain_p] << shift) | (full ^ lab_p[plain_p]),
        (Q.game[plain_q] << shift) | lab_q[plain_q],
    )
    ips, iqs = [plain_p[a]], [plain_q[b]]
    for sel_p, sel_q in ((extra_p, np.arange(lab_q.size)), (plain_p, extra_q)):
        if sel_p.size and sel_q.size:
            a, b = _cross_pairs(P.game[sel_p], Q.game[sel_q], games)
            hit = (lab_p[sel_p[a]] | lab_q[sel_q[b]]) == full
            ips.append(sel_p[a[hit]])
            iqs.append(sel_q[b[hit]])
    ip, iq = np.concatenate(ips), np.concatenate(iqs)
    order = np.lexsort((iq, ip))
    return ip[order], iq[order]


def _polytopes(
    A: np.ndarray, B: np.ndarray, tol: float, merge: bool = True
) -> tuple[CandidateVertices, CandidateVertices]:
    """Vertices of P (over rows, constraints from B) and Q (over columns, from A)."""
    P = candidate_vertices(normalise_payoffs(B), tol=tol, merge=merge)
    Q = candidate_vertices(normalise_payoffs(np.swapaxes(A, 1, 2)), tol=tol, merge=merge)
    return P, Q


# --------------------------------------------------------------------------- exact


def _common_digits(N: ExactMatrix) -> int | None:
    """Digits of the integer matrix ``L * N`` (``L`` the common denominator, ``N`` on
    [1, 2]), or ``None`` as soon as it exceeds :data:`MAX_EXACT_DIGITS`."""
    limit = 10**MAX_EXACT_DIGITS
    common = 1
    for row in N:
        for v in row:
            d = v.denominator
            common = common // math.gcd(common, d) * d
            if 2 * common >= limit:
                return None
    return len(str(2 * common))


def check_exact_size(game: StageGame, who: str, *, float_stage: bool = True) -> None:
    """Refuse, before any heavy work, an exact computation the numbers make infeasible.

    Parameters
    ----------
    game : StageGame
        An exact game.
    who : str
        The computation, for the message.
    float_stage : bool
        Also require distinct payoffs of a player to differ by at least
        :data:`MIN_RELATIVE_GAP` of the player's payoff range (exact enumeration of
        equilibria relies on its floating-point stage seeing them apart).

    Raises
    ------
    GameError
        A payoff with more than :data:`MAX_EXACT_DIGITS` digits (the message names its
        cell), a player whose payoffs need more than that over a common denominator,
        or payoffs closer than :data:`MIN_RELATIVE_GAP` (naming the two cells); each
        message says what can be done.

    Examples
    --------
    >>> g = StageGame.from_payoffs([[1, Fraction(1, 3**2100)]], [[0, 1]])
    >>> check_exact_size(g, "extreme_equilibria")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negotiation.errors.GameError: extreme_equilibria: the payoff of player '1' at (row \
move '1', column move '2') has 1002 digits; exact arithmetic supports payoffs of at most \
1000 digits in numerator and denominator: round the payoffs, or use floating point ...
    >>> check_exact_size(StageGame.from_payoffs([[1, 2]], [[0, 1]]), "solve") is None
    True
    """
    EA, EB = game.require_exact()
    m, n = game.shape
    remedy = "round the payoffs, or use floating point (exact=False)"
    for who_p, E in enumerate((EA, EB)):
        for i, row in enumerate(E):
            for j, v in enumerate(row):
                size = digits(v)
                if size > MAX_EXACT_DIGITS:
                    raise GameError(
                        f"{who}: the payoff of player {game.players[who_p]!r} at (row move "
                        f"{game.row_moves[i]!r}, column move {game.col_moves[j]!r}) has "
                        f"{size} digits; exact arithmetic supports payoffs of at most "
                        f"{MAX_EXACT_DIGITS} digits in numerator and denominator: {remedy}"
                    )
    for who_p, E in enumerate((EA, EB)):
        N = normalised_exact(E)
        if _common_digits(N) is None:
            raise GameError(
                f"{who}: the payoffs of player {game.players[who_p]!r} in this {m}x{n} game "
                f"need more than {MAX_EXACT_DIGITS} digits when written over a common "
                f"denominator (too many different denominators, or too long ones); exact "
                f"arithmetic is limited to {MAX_EXACT_DIGITS}: round the payoffs to fewer "
                f"decimals or to a common denominator, or use floating point (exact=False)"
            )
        if float_stage:
            _check_gaps(game, who, who_p, N)


def _check_gaps(game: StageGame, who: str, player: int, N: ExactMatrix) -> None:
    cells: dict[Fraction, tuple[int, int]] = {}
    for i, row in enumerate(N):
        for j, v in enumerate(row):
            cells.setdefault(v, (i, j))
    values = sorted(cells)
    for a, b in itertools.pairwise(values):
        if b - a < Fraction(MIN_RELATIVE_GAP):  # N spans [1, 2]: gaps are relative
            (i, j), (k, c) = cells[a], cells[b]
            rm, cm = game.row_moves, game.col_moves
            raise GameError(
                f"{who}: the payoffs of player {game.players[player]!r} at (row move "
                f"{rm[i]!r}, column move {cm[j]!r}) and (row move {rm[k]!r}, column move "
                f"{cm[c]!r}) differ by only {float(b - a):.1e} of that player's payoff "
                f"range; exact enumeration needs distinct payoffs to differ by at least "
                f"{MIN_RELATIVE_GAP:.0e} of the range: round the payoffs (if they are meant "
                f"to be equal, make them equal), narrow the range (one extreme payoff makes "
                f"the others look equal), or use floating point (exact=False)"
            )


def _bit_list(mask: int, size: int) -> list[int]:
    return [i for i in range(size) if mask >> i & 1]


def _exact_vertex(
    M: ExactMatrix, support: int, tight: int
) -> tuple[tuple[Fraction, ...], int, int]:
    """Recompute a vertex of ``{x >= 0 : M^T x <= 1}`` from its basis, exactly.

    Returns the vertex, its zero mask and its tight mask; an infeasible or singular
    basis gives an empty vertex.
    """
    d, c = len(M), len(M[0])
    S, T = _bit_list(support, d), _bit_list(tight, c)
    sol = solve_exact([[M[i][j] for i in S] for j in T], [Fraction(1)] * len(T))
    if sol is None or any(v < 0 for v in sol):
        return (), 0, 0
    x = [Fraction(0)] * d
    for i, v in zip(S, sol):
        x[i] = v
    loads = [sum((x[i] * M[i][j] for i in S), Fraction(0)) for j in range(c)]
    if any(v > 1 for v in loads):
        return (), 0, 0
    zero = sum(1 << i for i in range(d) if x[i] == 0)
    tight_mask = sum(1 << j for j in range(c) if loads[j] == 1)
    return tuple(x), zero, tight_mask


Vertex = tuple[tuple[Fraction, ...], int, int]


class _ExactVertices:
    """The candidates of one polytope and their exact vertices, each computed at most
    once, from its basis (:func:`_exact_vertex` on the exactly normalised matrix)."""

    def __init__(self, M: ExactMatrix, C: CandidateVertices) -> None:
        self.M, self.C = M, C
        self.cache: dict[int, Vertex] = {}

    def __call__(self, k: int) -> Vertex:
        if k not in self.cache:
            self.cache[k] = _exact_vertex(self.M, int(self.C.support[k]), int(self.C.tight[k]))
        return self.cache[k]

    def merged(self, dim: int, tol: float) -> _ExactVertices:
        """The candidates with copies of one degenerate vertex merged, decided exactly.

        A vertex with more than ``dim`` labels is reached from several bases. Copies
        are grouped by rounded coordinates and float labels (as in float mode), but a
        copy is dropped only when the exact vertex of an earlier copy of its group
        satisfies the copy's basis -- zero outside its support, tight on its tight
        set --, which makes it the copy's unique basic solution. Rounding alone would
        also merge distinct vertices closer than the rounding grid (games whose
        payoffs nearly tie), losing equilibria.
        """
        C = self.C
        extra = np.flatnonzero(popcount(C.zero_mask) + popcount(C.tight_mask) > dim)
        keep = np.ones(C.game.size, dtype=bool)
        if extra.size:
            grid = np.round(C.coords[extra] / (100 * tol)).astype(np.int64)
            key = np.column_stack([C.game[extra], grid, C.zero_mask[extra], C.tight_mask[extra]])
            order = np.lexsort(key.T[::-1])
            full = (1 << dim) - 1
            group: list[tuple[int, int]] = []  # exact (zero, tight) masks of the group
            previous: np.ndarray | None = None
            for pos in order.tolist():
                if previous is None or not np.array_equal(key[pos], previous):
                    group, previous = [], key[pos]
                k = int(extra[pos])
                off = full & ~int(C.support[k])
                tight = int(C.tight[k])
                if any(off & z == off and tight & t == tight for z, t in group):
                    keep[k] = False
                    continue
                x, z, t = self(k)
                if not x:  # the basis is singular or infeasible in exact arithmetic
                    keep[k] = False
                    continue
                group.append((z, t))
        index = np.flatnonzero(keep)
        out = _ExactVertices(
            self.M,
            CandidateVertices(
                C.game[index],
                C.coords[index],
                C.zero_mask[index],
                C.tight_mask[index],
                C.support[index],
                C.tight[index],
            ),
        )
        out.cache = {
            new: self.cache[old] for new, old in enumerate(index.tolist()) if old in self.cache
        }
        return out


def _exact_pairs(
    m: int, n: int, vp: _ExactVertices, vq: _ExactVertices, ip: np.ndarray, iq: np.ndarray
) -> tuple[list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]], bool]:
    full = (1 << (m + n)) - 1
    found: dict[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], None] = {}
    for a, b in zip(ip.tolist(), iq.tolist()):
        x, zx, tx = vp(a)
        y, zy, ty = vq(b)
        if not x or not y or (zx | tx << m | ty | zy << m) != full:
            continue
        sx, sy = sum(x), sum(y)
        found[(tuple(v / sx for v in x), tuple(v / sy for v in y))] = None
    lab_p, lab_q = _labels(vp.C, vq.C, m)
    degenerate = _exact_degenerate(
        [k for k in np.flatnonzero(popcount(lab_p) > m).tolist()], vp, m
    ) or _exact_degenerate([k for k in np.flatnonzero(popcount(lab_q) > n).tolist()], vq, n)
    return list(found), degenerate


def _exact_degenerate(
    candidates: list[int], vertex: Callable[[int], tuple[tuple[Fraction, ...], int, int]], dim: int
) -> bool:
    for k in candidates:
        x, zero, tight = vertex(k)
        if x and bin(zero).count("1") + bin(tight).count("1") > dim:
            return True
    return False


# --------------------------------------------------------------------------- float


def _float_pairs(
    P: CandidateVertices, Q: CandidateVertices, ip: np.ndarray, iq: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    x = P.coords[ip]
    y = Q.coords[iq]
    return x / x.sum(axis=1, keepdims=True), y / y.sum(axis=1, keepdims=True)


def _sort_key(e: Equilibrium) -> tuple[object, ...]:
    return (
        e.kind != "pure",
        len(e.row_support) + len(e.col_support),
        e.row_support,
        e.col_support,
        tuple(-float(v) for v in e.row),
        tuple(-float(v) for v in e.col),
    )


def extreme_equilibria(
    game: StageGame, *, exact: bool | None = None, tol: float = 1e-9
) -> EquilibriumSet:
    """Enumerate all extreme Nash equilibria of a two-player game.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Exact rational arithmetic (default: whenever the game's payoffs are rational).
    tol : float
        Tolerance of floating-point mode, on payoffs scaled to ``[1, 2]``.

    Returns
    -------
    EquilibriumSet
        Every extreme equilibrium, certified; the degeneracy flag; maximal Nash subsets
        and connected components of the equilibrium set.

    Raises
    ------
    GameError
        ``game`` is not a :class:`StageGame`; exact mode on a game without exact
        payoffs; or exact mode on payoffs too long or too close for it
        (:func:`check_exact_size`: :data:`MAX_EXACT_DIGITS`, :data:`MIN_RELATIVE_GAP`).

    Notes
    -----
    A game where neither player's payoffs depend on the moves (every payoff of a player
    equal) is answered directly: every profile is an equilibrium, the extreme ones are
    the ``m * n`` pure profiles, forming one maximal Nash subset.

    Examples
    --------
    Chicken has two pure equilibria and one mixed one:

    >>> g = StageGame.from_payoffs([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    >>> eqs = extreme_equilibria(g)
    >>> [(e.kind, e.row, e.col) for e in eqs][2]
    ('mixed', (Fraction(9, 10), Fraction(1, 10)), (Fraction(9, 10), Fraction(1, 10)))
    >>> eqs.degenerate
    False

    A degenerate game whose equilibria form a segment:

    >>> g = StageGame.from_payoffs([[1, 1], [0, 1]], [[1, 1], [1, 0]])
    >>> s = extreme_equilibria(g)
    >>> s.degenerate, len(s), len(s.components)
    (True, 2, 1)
    """
    require_game(game, "extreme_equilibria")
    use_exact = game.is_exact if exact is None else exact
    if use_exact:
        game.require_exact()
    m, n = game.shape
    constant = _constant_payoffs(game, use_exact)
    if constant is not None:
        return _assemble(game, _all_pure(m, n, constant, use_exact), m * n > 1, use_exact)
    eqs: list[Equilibrium] = []
    if use_exact:
        check_exact_size(game, "extreme_equilibria")
        EA, EB = game.require_exact()
        P, Q = _polytopes(
            float_view(EA, game.A)[None], float_view(EB, game.B)[None], LOOSE_TOL, merge=False
        )
        vp = _ExactVertices(normalised_exact(EB), P).merged(m, LOOSE_TOL)
        vq = _ExactVertices(normalised_exact(tuple(zip(*EA, strict=True))), Q).merged(n, LOOSE_TOL)
        ip, iq = _matched_pairs(vp.C, vq.C, 1, m, n)
        profiles, degenerate = _exact_pairs(m, n, vp, vq, ip, iq)
        for x, y in profiles:
            regret, u, v = exact_regret(EA, EB, x, y)
            if regret == 0:
                eqs.append(Equilibrium(x, y, (u, v), True, 0.0))
    else:
        P, Q = _polytopes(game.A[None], game.B[None], tol)
        ip, iq = _matched_pairs(P, Q, 1, m, n)
        lab_p, lab_q = _labels(P, Q, m)
        degenerate = bool((popcount(lab_p) > m).any() or (popcount(lab_q) > n).any())
        xs, ys = _float_pairs(P, Q, ip, iq)
        scale = max(float(np.ptp(game.A)), float(np.ptp(game.B)), 1e-300)
        seen: set[tuple[int, ...]] = set()
        for x, y in zip(xs, ys):
            key = tuple(np.round(np.concatenate([x, y]) / (100 * tol)).astype(int).tolist())
            if key in seen:
                continue
            seen.add(key)
            gap, fu, fv = float_regret(game.A, game.B, x, y)
            if gap <= 100 * tol * scale:
                eqs.append(
                    Equilibrium(tuple(map(float, x)), tuple(map(float, y)), (fu, fv), False, gap)
                )
    return _assemble(game, eqs, degenerate, use_exact)


def _constant_payoffs(game: StageGame, exact: bool) -> tuple[Number, Number] | None:
    """Both players' payoffs when each player's payoffs are all equal, else ``None``."""
    if exact:
        EA, EB = game.require_exact()
        a, b = EA[0][0], EB[0][0]
        if all(v == a for row in EA for v in row) and all(v == b for row in EB for v in row):
            return a, b
        return None
    if float(np.ptp(game.A)) == 0.0 and float(np.ptp(game.B)) == 0.0:
        return float(game.A[0, 0]), float(game.B[0, 0])
    return None


def _all_pure(m: int, n: int, payoffs: tuple[Number, Number], exact: bool) -> list[Equilibrium]:
    """The equilibria of a game where neither player's move changes any payoff.

    Every profile is then an equilibrium (each move is a best response to anything),
    so the equilibrium set is the whole product of the simplices: its extreme points
    are the ``m * n`` pure profiles, forming one maximal Nash subset. Enumerating the
    ``C(m + n, m)`` bases of that maximally degenerate game would find the same.
    """
    one, zero = (Fraction(1), Fraction(0)) if exact else (1.0, 0.0)

    def pure(k: int, size: int) -> tuple[Number, ...]:
        return tuple(one if t == k else zero for t in range(size))

    return [
        Equilibrium(pure(i, m), pure(j, n), payoffs, exact, 0.0)
        for i in range(m)
        for j in range(n)
    ]


def _assemble(
    game: StageGame, eqs: list[Equilibrium], degenerate: bool, exact: bool
) -> EquilibriumSet:
    eqs.sort(key=_sort_key)
    rows: dict[tuple[Number, ...], int] = {}
    cols: dict[tuple[Number, ...], int] = {}
    pairs = []
    for e in eqs:
        r = rows.setdefault(e.row, len(rows))
        c = cols.setdefault(e.col, len(cols))
        pairs.append((r, c))
    subsets = maximal_nash_subsets(pairs)
    return EquilibriumSet(
        game=game,
        equilibria=tuple(eqs),
        degenerate=degenerate,
        exact=exact,
        row_strategies=tuple(rows),
        col_strategies=tuple(cols),
        pairs=tuple(pairs),
        nash_subsets=subsets,
        components=components(pairs, subsets),
    )


@dataclass(frozen=True)
class BatchEquilibria:
    """Extreme equilibria of a stack of same-shape games, in flat arrays (float mode).

    Attributes
    ----------
    game : numpy.ndarray of int, shape (E,)
        Index of the game of each equilibrium (ascending).
    row, col : numpy.ndarray, shapes (E, m) and (E, n)
        The equilibrium strategies.
    payoffs : numpy.ndarray, shape (E, 2)
    regret : numpy.ndarray, shape (E,)
        Largest gain from a pure deviation (the certificate).
    degenerate : numpy.ndarray of bool, shape (G,)
    """

    game: np.ndarray
    row: np.ndarray
    col: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    degenerate: np.ndarray

    def for_game(self, g: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """The equilibria of game ``g`` as (row, col) strategy pairs."""
        sel = np.flatnonzero(self.game == g)
        return [(self.row[k], self.col[k]) for k in sel]


def equilibria_batch(A: np.ndarray, B: np.ndarray, *, tol: float = 1e-9) -> BatchEquilibria:
    """Extreme equilibria of many games of one shape at once (vectorised, floating point).

    Parameters
    ----------
    A, B : numpy.ndarray, shape (G, m, n)
        Payoffs of the row and the column player for each of ``G`` games.
    tol : float
        Tolerance on payoffs scaled to ``[1, 2]``.

    Returns
    -------
    BatchEquilibria
        Every extreme equilibrium of every game, each certified (regret within
        ``100 * tol`` of the payoff range), duplicates merged.

    Raises
    ------
    GameError
        Arrays that are not of one shape ``(G, m, n)`` with ``1 <= m, n <=``
        ``MAX_MOVES``, or payoffs that are not finite or beyond
        :data:`~negotiation.games.stage_game.MAX_PAYOFF_MAGNITUDE`.

    Examples
    --------
    >>> A = np.array([[[3.0, 0.0], [5.0, 1.0]], [[1.0, -1.0], [-1.0, 1.0]]])
    >>> res = equilibria_batch(A, np.swapaxes(A, 1, 2) * np.array([[[1.0]], [[-1.0]]]))
    >>> res.game.tolist(), res.row.round(3).tolist()
    ([0, 1], [[0.0, 1.0], [0.5, 0.5]])
    """
    A, B = _batch_arrays(A, "A"), _batch_arrays(B, "B")
    if A.shape != B.shape:
        raise GameError(
            f"equilibria_batch: A and B must have the same shape, got {A.shape} and {B.shape}"
        )
    G, m, n = A.shape
    P, Q = _polytopes(A, B, tol)
    ip, iq = _matched_pairs(P, Q, G, m, n)
    x, y = _float_pairs(P, Q, ip, iq)
    g = P.game[ip]
    lab_p, lab_q = _labels(P, Q, m)
    degenerate = np.zeros(G, dtype=bool)
    degenerate[P.game[popcount(lab_p) > m]] = True
    degenerate[Q.game[popcount(lab_q) > n]] = True
    # Distinct vertices give distinct equilibria; only degenerate games can produce
    # near-copies (one vertex rounded two ways), so only their equilibria are merged.
    dup = np.flatnonzero(degenerate[g])
    if dup.size:
        keep = np.ones(g.size, dtype=bool)
        key = np.column_stack([g, np.round(np.hstack([x, y]) / (100 * tol)).astype(np.int64)])
        keep[dup] = False
        keep[dup[unique_rows(key[dup])]] = True
        g, x, y = g[keep], x[keep], y[keep]
    Ay = np.einsum("emn,en->em", A[g], y)
    xB = np.einsum("em,emn->en", x, B[g])
    u = np.einsum("em,em->e", x, Ay)
    v = np.einsum("en,en->e", xB, y)
    regret = np.maximum(Ay.max(axis=1) - u, xB.max(axis=1) - v).clip(min=0.0)
    span = np.maximum(np.ptp(A, axis=(1, 2)), np.ptp(B, axis=(1, 2)))[g]
    ok = regret <= 100 * tol * np.maximum(span, 1e-300)
    return BatchEquilibria(
        game=g[ok],
        row=x[ok],
        col=y[ok],
        payoffs=np.column_stack([u, v])[ok],
        regret=regret[ok],
        degenerate=degenerate,
    )


def _batch_arrays(M: object, name: str) -> np.ndarray:
    """A stack of payoff matrices as a float array of shape (G, m, n), checked."""
    try:
        out = np.asarray(M, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise GameError(
            f"equilibria_batch: {name} must be an array of real payoffs of shape (G, m, n)"
        ) from None
    if out.ndim != 3 or out.shape[1] == 0 or out.shape[2] == 0:
        raise GameError(
            f"equilibria_batch: {name} must have shape (G, m, n) with m, n >= 1, got {out.shape}"
        )
    if out.shape[1] > MAX_MOVES or out.shape[2] > MAX_MOVES:
        raise GameError(
            f"equilibria_batch: {out.shape[1]}x{out.shape[2]} games are too large: at most "
            f"{MAX_MOVES} moves per player are supported"
        )
    bad = np.argwhere(~(np.abs(out) <= MAX_PAYOFF_MAGNITUDE))
    if bad.size:
        g, i, j = (int(v) for v in bad[0])
        raise GameError(
            f"equilibria_batch: {name}[{g}, {i}, {j}] = {float(out[g, i, j])!r} is not a "
            f"finite payoff within ±{MAX_PAYOFF_MAGNITUDE:.0e}"
        )
    return out
