"""Extreme equilibria as completely labelled vertex pairs, from proved vertex sets.

Both best-response polytopes (Avis, Rosenberg, Savani and von Stengel 2010)

    P = {x >= 0 : B^T x <= 1}      (row player, labels: i if x_i = 0, m + j if column j tight)
    Q = {y >= 0 : A y <= 1}        (column player, labels: m + j if y_j = 0, i if row i tight)

(payoffs mapped exactly onto ``[1, 2]``) are enumerated completely by
:func:`~negotiation.games.vertex_search.polytope_vertices`, which proves every label set
exactly. A pair ``(x, y) != (0, 0)`` of vertices is an extreme equilibrium iff every
label ``0 .. m + n - 1`` is a label of ``x`` or of ``y``. A vertex with exactly ``d``
labels (``d`` its dimension) pairs only with the vertex whose labels are exactly the
complement: those pairs are found by a hash join on the bit masks. Vertices with extra
labels (degenerate ones, exactly decided) are paired with every candidate by a mask
test. The coordinates of each vertex that takes part in a pair are then computed
exactly from its basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiation.games.lex_search import ExactPolytope
from negotiation.games.polytope_vertices import popcount
from negotiation.games.rational import ExactMatrix
from negotiation.games.vertex_search import PolytopeVertices, polytope_vertices

__all__ = ["VertexPairs", "vertex_pairs"]


@dataclass(frozen=True)
class VertexPairs:
    """The completely labelled vertex pairs of a game.

    Attributes
    ----------
    profiles : list of (tuple of Fraction, tuple of Fraction)
        Each extreme equilibrium, normalised to probabilities.
    degenerate : bool
        Whether some vertex of ``P`` or ``Q`` has more labels than its dimension.
    vertices : tuple of int
        Vertex counts of ``P`` and ``Q`` (origins included).
    exact_bases : tuple of int
        Bases each search processed in exact arithmetic.
    """

    profiles: list[tuple[tuple[Fraction, ...], tuple[Fraction, ...]]]
    degenerate: bool
    vertices: tuple[int, int]
    exact_bases: tuple[int, int]


def _join(lab_p: np.ndarray, lab_q: np.ndarray, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs ``(a, b)`` with ``lab_p[a] | lab_q[b]`` every label."""
    full = np.int64((1 << (m + n)) - 1)
    plain_p = popcount(lab_p) == m
    plain_q = popcount(lab_q) == n
    ip, iq = [], []
    # Plain with plain: the complement must match exactly (masks are distinct).
    pp, qq = np.flatnonzero(plain_p), np.flatnonzero(plain_q)
    _, a, b = np.intersect1d(full ^ lab_p[pp], lab_q[qq], assume_unique=True, return_indices=True)
    ip.append(pp[a])
    iq.append(qq[b])
    for k in np.flatnonzero(~plain_p).tolist():  # extra labels: test against all of Q
        hit = np.flatnonzero((lab_p[k] | lab_q) == full)
        ip.append(np.full(hit.size, k))
        iq.append(hit)
    for k in np.flatnonzero(~plain_q).tolist():  # and Q's against P's plain ones
        hit = pp[(lab_p[pp] | lab_q[k]) == full]
        ip.append(hit)
        iq.append(np.full(hit.size, k))
    return np.concatenate(ip), np.concatenate(iq)


def _coords(V: PolytopeVertices, poly: ExactPolytope, k: int) -> tuple[Fraction, ...]:
    if k in V.exact:
        return V.exact[k]
    return poly.vertex(V.basis(k))[0]


def vertex_pairs(
    NB: ExactMatrix,
    NAT: ExactMatrix,
    *,
    max_vertices: int | None = None,
) -> VertexPairs:
    """All extreme equilibria of the game whose payoffs, mapped onto ``[1, 2]``, are
    ``NB`` (the column player's, m x n) and ``NAT`` (the row player's, transposed).

    Parameters
    ----------
    NB : m x n tuple of tuple of Fraction
    NAT : n x m tuple of tuple of Fraction
    max_vertices : int, optional
        Budget of bases for each polytope
        (:class:`~negotiation.games.vertex_search.VertexLimitError` beyond it).

    Returns
    -------
    VertexPairs

    Examples
    --------
    Matching Pennies (payoffs mapped onto [1, 2]):

    >>> F = Fraction
    >>> NA = ((F(2), F(1)), (F(1), F(2)))
    >>> NB = ((F(1), F(2)), (F(2), F(1)))
    >>> res = vertex_pairs(NB, tuple(zip(*NA)))
    >>> res.profiles, res.degenerate
    ([((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))], False)
    """
    m, n = len(NB), len(NB[0])
    P = polytope_vertices(NB, max_vertices=max_vertices)
    Q = polytope_vertices(NAT, max_vertices=max_vertices)
    low_n = np.int64((1 << n) - 1)
    lab_p = P.labels
    lab_q = ((Q.labels & low_n) << m) | (Q.labels >> n)  # Q's labels as game labels
    ip, iq = _join(lab_p, lab_q, m, n)
    origin_p = np.int64((1 << m) - 1)
    keep = lab_p[ip] != origin_p  # the origin pairs only with the origin
    ip, iq = ip[keep], iq[keep]
    poly_p, poly_q = ExactPolytope(NB), ExactPolytope(NAT)
    found: dict[tuple[tuple[Fraction, ...], tuple[Fraction, ...]], None] = {}
    cache_p: dict[int, tuple[Fraction, ...]] = {}
    cache_q: dict[int, tuple[Fraction, ...]] = {}
    for a, b in zip(ip.tolist(), iq.tolist()):
        if a not in cache_p:
            x = _coords(P, poly_p, a)
            sx = sum(x)
            cache_p[a] = tuple(v / sx for v in x)
        if b not in cache_q:
            y = _coords(Q, poly_q, b)
            sy = sum(y)
            cache_q[b] = tuple(v / sy for v in y)
        found[(cache_p[a], cache_q[b])] = None
    return VertexPairs(
        profiles=list(found),
        degenerate=not (P.simple and Q.simple),
        vertices=(int(P.labels.size), int(Q.labels.size)),
        exact_bases=(P.exact_bases, Q.exact_bases),
    )
