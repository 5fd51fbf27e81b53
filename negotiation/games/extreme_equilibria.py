"""All extreme Nash equilibria of a bimatrix game, degenerate games included.

Method (Avis, Rosenberg, Savani and von Stengel, "Enumeration of Nash equilibria for
two-player games", Economic Theory 42, 2010): shift both players' payoffs to be
positive and form the best-response polytopes

    P = {x >= 0 : B^T x <= 1}      (row player's mixed strategies, scaled)
    Q = {y >= 0 : A y <= 1}        (column player's mixed strategies, scaled).

A point of P carries label ``i`` when ``x_i = 0`` and label ``m + j`` when column ``j``
is a best response (its constraint is tight); likewise for Q. The extreme equilibria
are exactly the completely labelled vertex pairs ``(x, y) != (0, 0)``, normalised to
probabilities -- in degenerate games too, where some vertices carry extra labels and
the equilibrium set can contain whole faces.

The vertices of both polytopes are enumerated completely by a graph search over
lexicographically feasible bases (:mod:`negotiation.games.vertex_search`): numpy
proposes and a rigorous error bound proves each simple vertex, and degenerate or nearly
degenerate vertices are handled in exact rational arithmetic
(:mod:`negotiation.games.lex_search`), so every label set is exact and no vertex is
missed. The pairs are joined by their label masks
(:mod:`negotiation.games.vertex_pairs`), recomputed exactly from their bases, and each
equilibrium is certified exactly (zero regret). Float mode runs the same exact
enumeration on the rational values of the float payoffs and reports floats.

:func:`check_exact_size` refuses, before any heavy work, payoffs too long
(:data:`MAX_EXACT_DIGITS`) for exact arithmetic, and
:func:`~negotiation.games.enumeration_limits.check_enumeration_size` games too large
for complete enumeration. A game where every payoff of each player is the same is
answered directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiation.errors import EnumerationLimitError, GameError
from negotiation.games.certify import exact_regrets, float_regret
from negotiation.games.components import components, maximal_nash_subsets
from negotiation.games.enumeration_limits import MAX_VERTICES, check_enumeration_size
from negotiation.games.equilibrium import Equilibrium, EquilibriumSet, Number
from negotiation.games.polytope_vertices import (
    CandidateVertices,
    candidate_vertices,
    normalise_payoffs,
    popcount,
    unique_rows,
)
from negotiation.games.rational import ExactMatrix, digits, normalised_exact
from negotiation.games.stage_game import MAX_PAYOFF_MAGNITUDE, StageGame, require_game
from negotiation.games.vertex_pairs import VertexPairs, vertex_pairs
from negotiation.games.vertex_search import VertexLimitError

__all__ = [
    "MAX_EXACT_DIGITS",
    "MAX_VERTICES",
    "BatchEquilibria",
    "check_exact_size",
    "equilibria_batch",
    "extreme_equilibria",
]

#: Most digits exact arithmetic accepts in the numerator or denominator of one payoff,
#: and in one player's payoffs (mapped onto [1, 2]) written over a common denominator.
#: Every minor of the matrix carries the product of the denominators it touches, so
#: longer numbers make each exact step (and the float view's rounding) costlier.
MAX_EXACT_DIGITS = 1000


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


#: Largest number of bases per polytope, C(m + n, m), for which :func:`equilibria_batch`
#: visits every basis of all games at once (fast for many small games: 3432 at 7x7).
MAX_BATCH_BASES = 5000


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


def _integer_span_fits(E: ExactMatrix) -> bool:
    """Whether every entry is an integer and ``2 * (max - min)`` has at most
    :data:`MAX_EXACT_DIGITS` digits (then the matrix mapped onto [1, 2] has the span
    as its common denominator and passes :func:`_common_digits`)."""
    flat = [v for row in E for v in row]
    if any(v.denominator != 1 for v in flat):
        return False
    return len(str(2 * (max(flat) - min(flat)))) <= MAX_EXACT_DIGITS


def check_exact_size(game: StageGame, who: str, *, float_stage: bool = False) -> None:
    """Refuse, before any heavy work, an exact computation the numbers make infeasible.

    Parameters
    ----------
    game : StageGame
        An exact game.
    who : str
        The computation, for the message.
    float_stage : bool
        Ignored (kept for callers of earlier versions): no exact computation relies on
        a floating-point stage seeing payoffs apart any more.

    Raises
    ------
    GameError
        A payoff with more than :data:`MAX_EXACT_DIGITS` digits (the message names its
        cell), or a player whose payoffs need more than that over a common
        denominator; each message says what can be done.

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
        if _integer_span_fits(E):
            continue  # integers: the common denominator is the span, checked here
        N = normalised_exact(E)
        if _common_digits(N) is None:
            raise GameError(
                f"{who}: the payoffs of player {game.players[who_p]!r} in this {m}x{n} game "
                f"need more than {MAX_EXACT_DIGITS} digits when written over a common "
                f"denominator (too many different denominators, or too long ones); exact "
                f"arithmetic is limited to {MAX_EXACT_DIGITS}: round the payoffs to fewer "
                f"decimals or to a common denominator, or use floating point (exact=False)"
            )


# --------------------------------------------------------------------------- float


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
    game: StageGame,
    *,
    exact: bool | None = None,
    tol: float = 1e-9,
    max_vertices: int = MAX_VERTICES,
) -> EquilibriumSet:
    """Enumerate all extreme Nash equilibria of a two-player game.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Exact rational arithmetic (default: whenever the game's payoffs are rational).
    tol : float
        Float mode: payoffs of a player closer than ``tol`` times their range are
        treated as equal (ties lost to rounding); the enumeration is then exact on the
        rational values of the float payoffs.
    max_vertices : int
        Most vertices searched per best-response polytope (:data:`MAX_VERTICES`).

    Returns
    -------
    EquilibriumSet
        Every extreme equilibrium, certified; the degeneracy flag; maximal Nash subsets
        and connected components of the equilibrium set.

    Raises
    ------
    GameError
        ``game`` is not a :class:`StageGame`; exact mode on a game without exact
        payoffs; exact mode on payoffs too long for it (:func:`check_exact_size`:
        :data:`MAX_EXACT_DIGITS`); a game too large for complete enumeration
        (:func:`~negotiation.games.enumeration_limits.check_enumeration_size`), or one
        whose polytopes have more than ``max_vertices`` vertices
        (:class:`~negotiation.errors.EnumerationLimitError`, a ``GameError``).

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
    check_enumeration_size(m, n, "extreme_equilibria")
    if use_exact:
        check_exact_size(game, "extreme_equilibria", float_stage=False)
        EA, EB = game.require_exact()
    else:
        EA, EB = _float_as_exact(game.A, tol), _float_as_exact(game.B, tol)
    NB = normalised_exact(EB)
    NAT = normalised_exact(tuple(zip(*EA, strict=True)))
    try:
        found = vertex_pairs(NB, NAT, max_vertices=max_vertices)
    except VertexLimitError:
        limit = (
            "beyond what complete enumeration keeps in memory (MAX_VERTICES)"
            if max_vertices == MAX_VERTICES
            else "the budget given (max_vertices)"
        )
        raise EnumerationLimitError(
            f"extreme_equilibria: this {m}x{n} game has more than {max_vertices:,} vertices "
            f"in a best-response polytope, {limit}; compute one equilibrium with "
            f"lemke_howson (solve --method lemke-howson) instead"
        ) from None
    eqs: list[Equilibrium] = []
    certificates = exact_regrets(EA, EB, found.profiles)
    for (x, y), (regret, u, v) in zip(found.profiles, certificates, strict=True):
        if regret != 0 or min(x) < 0 or min(y) < 0:  # pragma: no cover - proved above
            raise GameError("extreme_equilibria: internal error: an equilibrium failed its check")
        if use_exact:
            eqs.append(Equilibrium(x, y, (u, v), True, 0.0))
        else:
            xf, yf = np.array([float(t) for t in x]), np.array([float(t) for t in y])
            gap, fu, fv = float_regret(game.A, game.B, xf, yf)
            eqs.append(Equilibrium(tuple(xf.tolist()), tuple(yf.tolist()), (fu, fv), False, gap))
    degenerate = found.degenerate
    return _assemble(game, eqs, degenerate, use_exact)


def _float_as_exact(M: np.ndarray, tol: float = 1e-9) -> ExactMatrix:
    """The exact rational values of a float matrix, near-ties made ties.

    Payoffs computed in floating point carry rounding errors that turn ties of the
    model (two tariff levels that do equally well) into differences of 1e-16. Sorted
    values closer than ``tol`` times the matrix's range to their neighbour are merged
    into one value (the smallest of the run), read exactly (every double is a rational),
    so the exact enumeration that follows sees the game the tolerance describes.

    Examples
    --------
    >>> _float_as_exact(np.array([[0.1 + 0.2, 0.3], [0.0, 1.0]]))[0]
    (Fraction(5404319552844595, 18014398509481984), Fraction(5404319552844595, 18014398509481984))
    """
    values = np.unique(M)
    span = float(values[-1] - values[0]) if values.size else 0.0
    exact: dict[float, Fraction] = {}
    current = None
    for k, v in enumerate(values.tolist()):
        if k == 0 or v - values[k - 1] > tol * span:
            current = Fraction(v)
        exact[v] = current  # type: ignore[assignment]
    return tuple(tuple(exact[v] for v in row) for row in M.tolist())


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


def _float_pairs(
    P: CandidateVertices, Q: CandidateVertices, ip: np.ndarray, iq: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    x = P.coords[ip]
    y = Q.coords[iq]
    return x / x.sum(axis=1, keepdims=True), y / y.sum(axis=1, keepdims=True)


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
        Arrays that are not of one shape ``(G, m, n)`` with ``m, n >= 1`` and
        ``m + n`` within
        :data:`~negotiation.games.enumeration_limits.MAX_ENUMERATION_LABELS`, or
        payoffs that are not finite or beyond
        :data:`~negotiation.games.stage_game.MAX_PAYOFF_MAGNITUDE`.

    Notes
    -----
    Shapes with at most :data:`MAX_BATCH_BASES` bases per polytope are solved for all
    games at once by visiting every basis in numpy; larger ones game by game with the
    complete vertex search of :func:`extreme_equilibria` (exact on the float payoffs).

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
    if math.comb(m + n, m) > MAX_BATCH_BASES:
        return _batch_by_search(A, B, tol)
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


def _batch_by_search(A: np.ndarray, B: np.ndarray, tol: float) -> BatchEquilibria:
    """:func:`equilibria_batch` game by game with the complete vertex search."""
    G, m, n = A.shape
    games, rows, cols, pays, regrets = [], [], [], [], []
    degenerate = np.zeros(G, dtype=bool)
    # A game met again in the stack (a sweep over δ or another parameter the payoffs do
    # not use gives one game at every point) is searched once.
    searched: dict[bytes, VertexPairs] = {}
    for g in range(G):
        key = A[g].tobytes() + B[g].tobytes()
        found = searched.get(key)
        if found is None:
            EA, EB = _float_as_exact(A[g], tol), _float_as_exact(B[g], tol)
            found = vertex_pairs(normalised_exact(EB), normalised_exact(tuple(zip(*EA))))
            searched[key] = found
        degenerate[g] = found.degenerate
        for x, y in found.profiles:
            xf = np.array([float(t) for t in x])
            yf = np.array([float(t) for t in y])
            gap, u, v = float_regret(A[g], B[g], xf, yf)
            games.append(g)
            rows.append(xf)
            cols.append(yf)
            pays.append((u, v))
            regrets.append(gap)
    return BatchEquilibria(
        game=np.array(games, dtype=np.int64),
        row=np.array(rows, dtype=float).reshape(-1, m),
        col=np.array(cols, dtype=float).reshape(-1, n),
        payoffs=np.array(pays, dtype=float).reshape(-1, 2),
        regret=np.array(regrets, dtype=float),
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
    check_enumeration_size(out.shape[1], out.shape[2], "equilibria_batch")
    bad = np.argwhere(~(np.abs(out) <= MAX_PAYOFF_MAGNITUDE))
    if bad.size:
        g, i, j = (int(v) for v in bad[0])
        raise GameError(
            f"equilibria_batch: {name}[{g}, {i}, {j}] = {float(out[g, i, j])!r} is not a "
            f"finite payoff within ±{MAX_PAYOFF_MAGNITUDE:.0e}"
        )
    return out
