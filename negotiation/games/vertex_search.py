"""Vertices of a best-response polytope: a vectorised graph search, proved exactly.

For a positive matrix ``M`` of shape ``(d, e)`` the polytope

    P(M) = {x in R^d : x >= 0, M^T x <= 1}

is written ``G x <= h`` with ``G = [-I; M^T]``, ``h = (0, 1)``; constraint ``c`` is the
label ``c``, and a basis is a set ``L`` of ``d`` labels. The search walks the graph of
lexicographically feasible bases from the origin (:mod:`negotiation.games.lex_search`
explains why that graph is connected and reaches every vertex, degenerate ones
included). It goes level by level, for all the bases of a frontier at once (numpy,
batched inverses), pivoting along each of the ``d`` edges of each basis.

Floating point only *proposes* bases. Each one is then **verified**: with the
approximate inverse ``R`` of ``G_L``, the a-posteriori bound of Rump's method
(``||I - R G_L|| < 1`` proves ``G_L`` non-singular and bounds ``x - x~`` by the
residual; Rump, "Verification methods", Acta Numerica 19, 2010, section 10), every
rounding error bounded by the standard model of floating-point arithmetic (Higham,
*Accuracy and Stability of Numerical Algorithms*, 2002, section 3.1), proves for every
constraint outside ``L`` that its slack at the *exact* basic solution of the *exact*
matrix is positive. A verified basis is a simple vertex of the exact polytope
(exactly ``d`` tight constraints); each of its edges (the face of ``d - 1`` of its
labels) has two vertices, itself and the one at the other end, so a proposed
neighbour that is verified too *is* the lexicographic pivot along that edge.

A proposal that cannot be verified (its vertex is degenerate, or nearly so, or the
float pivot chose wrongly) is not trusted: the pivot that proposed it is redone in
exact rational arithmetic (lexicographic ratio test), and a basis that is not proved
simple is processed exactly -- its vertex, its exact labels and its ``d`` exact
lexicographic pivots. So every basis kept is a lexicographically feasible basis, every
one of its pivots is followed, and the search visits the whole connected graph: all
vertices, with exact label sets. Floating point only orders and speeds the work; the
answer is proved. Random games have few degenerate vertices, so nearly all the work is
in numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from negotiation.games.lex_search import ExactPolytope

__all__ = ["MAX_LABELS", "PolytopeVertices", "VertexLimitError", "polytope_vertices"]

#: Most constraints (d + e) the search supports: label sets are int64 bit masks.
MAX_LABELS = 62

#: Bases processed per batch (bounds the memory of one step: chunk * (d + e) * d floats).
CHUNK = 4096

_U = 2.0**-53  # unit roundoff of IEEE double


def _gamma(k: int) -> float:
    return k * _U / (1 - k * _U)


@dataclass(frozen=True)
class PolytopeVertices:
    """Every vertex of ``P(M)``, with exact label sets.

    Attributes
    ----------
    labels : numpy.ndarray of int64, shape (V,)
        Bit masks of the tight constraints of each vertex (origin first).
    bases : numpy.ndarray of int64, shape (V, d)
        A basis of each vertex, sorted (its exact coordinates follow from it).
    exact : dict of int to tuple of Fraction
        Exact coordinates of the vertices the search processed exactly (degenerate
        ones and nearly degenerate ones), by row index.
    simple : bool
        Whether every vertex has exactly ``d`` labels.
    exact_bases : int
        Bases the search processed in exact arithmetic (0 when nothing was degenerate).
    """

    labels: np.ndarray
    bases: np.ndarray
    exact: dict[int, tuple[Fraction, ...]]
    simple: bool
    exact_bases: int


class VertexLimitError(Exception):
    """The search passed its ``max_vertices`` budget."""


def polytope_vertices(
    M: Sequence[Sequence[Fraction]],
    Mf: np.ndarray | None = None,
    *,
    max_vertices: int | None = None,
) -> PolytopeVertices:
    """All vertices of ``{x >= 0 : M^T x <= 1}``, proved, with exact label sets.

    Parameters
    ----------
    M : d x e sequence of Fraction
        The exact matrix, every entry in ``[1, 2]`` (payoffs mapped onto it).
    Mf : numpy.ndarray, shape (d, e), optional
        ``M`` correctly rounded to doubles (computed when not given).
    max_vertices : int, optional
        Raise :class:`VertexLimitError` beyond that many bases.

    Returns
    -------
    PolytopeVertices

    Raises
    ------
    VertexLimitError
        More than ``max_vertices`` bases.
    ValueError
        More than :data:`MAX_LABELS` constraints.

    Examples
    --------
    >>> F = Fraction
    >>> v = polytope_vertices([[F(2), F(1)], [F(1), F(2)]])
    >>> sorted(v.labels.tolist()), v.simple, v.exact_bases
    ([3, 6, 9, 12], True, 0)
    >>> v = polytope_vertices([[F(2), F(1), F(3, 2)], [F(1), F(2), F(3, 2)]])
    >>> sorted(bin(k) for k in v.labels.tolist()), v.simple
    (['0b1001', '0b11', '0b110', '0b11100'], False)
    """
    d, e = len(M), len(M[0])
    size = d + e
    if size > MAX_LABELS:
        raise ValueError(f"polytope_vertices: at most {MAX_LABELS} constraints")
    if Mf is None:
        Mf = np.array([[float(v) for v in row] for row in M], dtype=float)
    exact: ExactPolytope | None = None

    def poly() -> ExactPolytope:
        nonlocal exact
        if exact is None:
            exact = ExactPolytope(M)
        return exact

    G = np.vstack([-np.eye(d), Mf.T])
    h = np.concatenate([np.zeros(d), np.ones(e)])
    absG = np.abs(G)
    row_norm = absG.sum(axis=1)
    weights = np.left_shift(np.int64(1), np.arange(size, dtype=np.int64))
    seen = np.zeros(0, dtype=np.int64)  # sorted masks of the bases kept
    exact_keys: set[int] = set()  # of those, the ones processed exactly
    out_bases: list[np.ndarray] = []
    out_labels: list[np.ndarray] = []
    exact_rows: list[tuple[tuple[int, ...], int, tuple[Fraction, ...]]] = []
    exact_coords: set[tuple[Fraction, ...]] = set()
    kept = 0
    # The frontier: proposed bases, the basis and edge that proposed each (-1: none),
    # and whether the proposal is trusted (made by an exact pivot).
    cand = np.arange(d, dtype=np.int64)[None, :]
    parent = np.full((1, d), -1, dtype=np.int64)
    edge = np.full(1, -1, dtype=np.int64)
    trusted = np.ones(1, dtype=bool)
    while cand.shape[0]:
        masks = weights[cand].sum(axis=1)
        # One proposal per basis, preferring trusted ones; drop bases already kept,
        # except float proposals equal to an exactly processed basis (that vertex is
        # degenerate, with several bases, so the proposal may be the wrong pivot).
        order = np.lexsort((~trusted, masks))
        masks, cand, parent, edge, trusted = (
            a[order] for a in (masks, cand, parent, edge, trusted)
        )
        first = np.ones(masks.size, dtype=bool)
        first[1:] = masks[1:] != masks[:-1]
        fresh = first & ~_member(masks, seen)
        if exact_keys:
            redo = first & ~trusted & np.isin(masks, np.array(sorted(exact_keys)))
            fresh |= redo
        masks, cand, parent, edge, trusted = (
            a[fresh] for a in (masks, cand, parent, edge, trusted)
        )
        next_parts: list[tuple[np.ndarray, ...]] = []
        exact_children: list[tuple[int, ...]] = []
        new_masks: list[np.ndarray] = []
        for lo in range(0, cand.shape[0], CHUNK):
            part = slice(lo, lo + CHUNK)
            L = cand[part]
            ok, nb = _step(G, absG, row_norm, h, L, d, size)
            good = np.flatnonzero(ok)
            if good.size:
                out_bases.append(L[good])
                out_labels.append(masks[part][good])
                new_masks.append(masks[part][good])
                kept += good.size
                next_parts.append(
                    (
                        nb[good].reshape(-1, d),
                        np.repeat(L[good], d, axis=0),
                        np.tile(np.arange(d, dtype=np.int64), good.size),
                        np.zeros(good.size * d, dtype=bool),
                    )
                )
            for k in np.flatnonzero(~ok).tolist():
                basis = tuple(L[k].tolist())
                if not trusted[part][k]:
                    # Redo the proposing pivot exactly; its result is trusted.
                    p = int(edge[part][k])
                    (redone,) = poly().step(tuple(parent[part][k].tolist()), [p])[2]
                    exact_children.append(redone)
                    continue
                key = int(masks[part][k])
                if key in exact_keys:
                    continue
                exact_keys.add(key)
                new_masks.append(np.array([key], dtype=np.int64))
                kept += 1
                coords, labels, children = poly().step(basis)
                if coords not in exact_coords:
                    exact_coords.add(coords)
                    exact_rows.append((basis, labels, coords))
                exact_children.extend(children)
        if new_masks:
            seen = np.union1d(seen, np.concatenate(new_masks))
        if max_vertices is not None and kept > max_vertices:
            raise VertexLimitError(max_vertices)
        if exact_children:
            kids = np.array(exact_children, dtype=np.int64).reshape(-1, d)
            next_parts.append(
                (
                    kids,
                    np.full(kids.shape, -1, dtype=np.int64),
                    np.full(kids.shape[0], -1, dtype=np.int64),
                    np.ones(kids.shape[0], dtype=bool),
                )
            )
        if not next_parts:
            break
        cand, parent, edge, trusted = (np.concatenate(a) for a in zip(*next_parts))
    float_count = sum(b.shape[0] for b in out_bases)
    bases = [*out_bases, np.array([r[0] for r in exact_rows], dtype=np.int64).reshape(-1, d)]
    label_parts = [*out_labels, np.array([r[1] for r in exact_rows], dtype=np.int64)]
    label_arr = np.concatenate(label_parts)
    simple = all(bin(r[1]).count("1") == d for r in exact_rows)
    return PolytopeVertices(
        labels=label_arr,
        bases=np.concatenate(bases),
        exact={float_count + k: r[2] for k, r in enumerate(exact_rows)},
        simple=simple,
        exact_bases=len(exact_keys),
    )


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each value is in a sorted array of distinct values."""
    if sorted_set.size == 0:
        return np.zeros(values.shape, dtype=bool)
    pos = np.searchsorted(sorted_set, values).clip(max=sorted_set.size - 1)
    return sorted_set[pos] == values


def _step(
    G: np.ndarray,
    absG: np.ndarray,
    row_norm: np.ndarray,
    h: np.ndarray,
    L: np.ndarray,
    d: int,
    size: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Verify the bases ``L`` (shape (V, d)) and pivot along each of their edges.

    Returns, per basis, whether it is proved a simple vertex of the exact polytope,
    and the neighbouring bases (shape (V, d, d): the basis reached
    by dropping position ``p``; meaningful for proved bases only).
    """
    V = L.shape[0]
    GL = G[L]  # (V, d, d)
    try:
        R = np.linalg.inv(GL)
    except np.linalg.LinAlgError:
        # Some proposed basis is exactly singular (a wrong float pivot): invert the
        # well-conditioned ones only; the others are not proved.
        good = np.abs(np.linalg.det(GL)) > 1e-12
        R = np.zeros_like(GL)
        if good.any():
            R[good] = np.linalg.inv(GL[good])
    hL = h[L]
    x = np.einsum("vij,vj->vi", R, hL)
    absR, absGL, absx = np.abs(R), np.abs(GL), np.abs(x)
    g1, g2 = _gamma(d + 2), _gamma(size + 2)
    # |I - R G_exact| <= |fl(I - R G)| + (gamma + 2u) |R| |G| + gamma I, entrywise; the
    # entries of the exact G differ from G by at most u |G|.
    eye = np.eye(d)
    with np.errstate(invalid="ignore", over="ignore"):
        C = np.abs(eye - R @ GL) + (g1 + 2 * _U) * (absR @ absGL) + g1 * eye
        alpha = C.sum(axis=2).max(axis=1) * (1 + g2)
        # Residual of the exact system at x: |h_L - G_exact x| bounded entrywise.
        resid = np.abs(hL - np.einsum("vij,vj->vi", GL, x))
        resid += (g1 + 2 * _U) * (np.einsum("vij,vj->vi", absGL, absx) + np.abs(hL))
        delta = np.einsum("vij,vj->vi", absR, resid).max(axis=1) * (1 + g2) / (1 - alpha)
        # Slack of every constraint at x, and a bound on its error against the exact slack.
        slack = h[None, :] - x @ G.T  # (V, size)
        err = (g2 + 2 * _U) * (absx @ absG.T + np.abs(h)[None, :])
        err += (1 + 2 * _U) * row_norm[None, :] * delta[:, None]
        err *= 1 + g2
    basic = np.zeros((V, size), dtype=bool)
    np.put_along_axis(basic, L, True, axis=1)
    ok = (alpha < 0.5) & ((slack > err) | basic).all(axis=1)
    # Pivot: dropping position p moves x along -R[:, :, p]; constraint c tightens at
    # rate -(G R)[c, p] and is reached at slack / rate.
    W = np.einsum("cj,vjp->vcp", G, R)  # (V, size, d)
    rate = -W
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where((rate > 0) & ~basic[:, :, None], slack[:, :, None] / rate, np.inf)
    leave = t.argmin(axis=1)  # (V, d)
    nb = np.repeat(L[:, None, :], d, axis=1)  # (V, p, d)
    idx = np.arange(d)
    nb[:, idx, idx] = leave
    nb.sort(axis=2)
    return ok, nb
