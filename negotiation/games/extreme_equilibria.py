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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

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
from negotiation.games.rational import ExactMatrix, solve_exact
from negotiation.games.stage_game import StageGame

__all__ = ["BatchEquilibria", "equilibria_batch", "extreme_equilibria"]

#: Candidate tolerance of the floating-point stage when the answer is made exact later.
LOOSE_TOL = 1e-6


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
    A: np.ndarray, B: np.ndarray, tol: float
) -> tuple[CandidateVertices, CandidateVertices]:
    """Vertices of P (over rows, constraints from B) and Q (over columns, from A)."""
    P = candidate_vertices(normalise_payoffs(B), tol=tol)
    Q = candidate_vertices(normalise_payoffs(np.swapaxes(A, 1, 2)), tol=tol)
    return P, Q


# --------------------------------------------------------------------------- exact


def _normalised_exact(M: ExactMatrix) -> ExactMatrix:
    flat = [v for row in M for v in row]
    lo, hi = min(flat), max(flat)
    span = hi - lo if hi > lo else Fraction(1)
    return tuple(tuple(1 + (v - lo) / span for v in row) for row in M)


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


def _exact_pairs(
    game: StageGame, P: CandidateVertices, Q: CandidateVertices, ip: np.ndarray, iq: np.ndarray
) -> tuple[list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]], bool]:
    EA, EB = game.require_exact()
    m, n = game.shape
    MP = _normalised_exact(EB)
    MQ = _normalised_exact(tuple(zip(*EA, strict=True)))
    cache_p: dict[int, tuple[tuple[Fraction, ...], int, int]] = {}
    cache_q: dict[int, tuple[tuple[Fraction, ...], int, int]] = {}

    def vp(k: int) -> tuple[tuple[Fraction, ...], int, int]:
        if k not in cache_p:
            cache_p[k] = _exact_vertex(MP, int(P.support[k]), int(P.tight[k]))
        return cache_p[k]

    def vq(k: int) -> tuple[tuple[Fraction, ...], int, int]:
        if k not in cache_q:
            cache_q[k] = _exact_vertex(MQ, int(Q.support[k]), int(Q.tight[k]))
        return cache_q[k]

    full = (1 << (m + n)) - 1
    found: dict[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], None] = {}
    for a, b in zip(ip.tolist(), iq.tolist()):
        x, zx, tx = vp(a)
        y, zy, ty = vq(b)
        if not x or not y or (zx | tx << m | ty | zy << m) != full:
            continue
        sx, sy = sum(x), sum(y)
        found[(tuple(v / sx for v in x), tuple(v / sy for v in y))] = None
    lab_p, lab_q = _labels(P, Q, m)
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
    use_exact = game.is_exact if exact is None else exact
    if use_exact:
        game.require_exact()
    m, n = game.shape
    P, Q = _polytopes(game.A[None], game.B[None], LOOSE_TOL if use_exact else tol)
    ip, iq = _matched_pairs(P, Q, 1, m, n)
    eqs: list[Equilibrium] = []
    if use_exact:
        EA, EB = game.require_exact()
        profiles, degenerate = _exact_pairs(game, P, Q, ip, iq)
        for x, y in profiles:
            regret, u, v = exact_regret(EA, EB, x, y)
            if regret == 0:
                eqs.append(Equilibrium(x, y, (u, v), True, 0.0))
    else:
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

    Examples
    --------
    >>> A = np.array([[[3.0, 0.0], [5.0, 1.0]], [[1.0, -1.0], [-1.0, 1.0]]])
    >>> res = equilibria_batch(A, np.swapaxes(A, 1, 2) * np.array([[[1.0]], [[-1.0]]]))
    >>> res.game.tolist(), res.row.round(3).tolist()
    ([0, 1], [[0.0, 1.0], [0.5, 0.5]])
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
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
