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

__all__ = [
    "MAX_LABELS",
    "PolytopeVertices",
    "VertexLimitError",
    "bases_from_masks",
    "polytope_vertices",
]

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
        Bit masks of the tight constraints of each vertex (origin first). For a vertex
        not in ``exact`` (a proved simple vertex) the mask is also its only basis.
    exact : dict of int to tuple of Fraction
        Exact coordinates of the vertices the search processed exactly (degenerate
        ones and nearly degenerate ones), by row index.
    simple : bool
        Whether every vertex has exactly ``d`` labels.
    exact_bases : int
        Bases the search processed in exact arithmetic (0 when nothing was degenerate).
    """

    labels: np.ndarray
    exact: dict[int, tuple[Fraction, ...]]
    simple: bool
    exact_bases: int

    def basis(self, k: int) -> tuple[int, ...]:
        """A basis of vertex ``k`` (sorted labels; for simple vertices, its labels)."""
        mask = int(self.labels[k])
        return tuple(c for c in range(mask.bit_length()) if mask >> c & 1)


class VertexLimitError(Exception):
    """The search passed its ``max_vertices`` budget."""


def bases_from_masks(masks: np.ndarray, size: int, d: int) -> np.ndarray:
    """The sorted label indices of each mask (every mask has ``d`` bits set).

    Examples
    --------
    >>> bases_from_masks(np.array([0b1010, 0b0011]), 4, 2).tolist()
    [[1, 3], [0, 1]]
    """
    bits = (masks[:, None] >> np.arange(size, dtype=np.int64)) & 1
    return np.nonzero(bits)[1].reshape(-1, d)


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

    Notes
    -----
    Memory: a proposal is kept as three integers (its mask, its parent's mask and the
    label it drops), and proposals already kept are dropped chunk by chunk, so a level
    of ``V`` vertices holds at most ``d V`` proposals of 17 bytes; a kept vertex is one
    64-bit mask.

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

    geo = _Geometry(Mf)
    seen = np.zeros(0, dtype=np.int64)  # sorted masks of the bases kept
    exact_keys: set[int] = set()  # of those, the ones processed exactly
    out_labels: list[np.ndarray] = []
    exact_rows: list[tuple[int, tuple[Fraction, ...]]] = []
    exact_coords: set[tuple[Fraction, ...]] = set()
    kept = 0
    one = np.int64(1)
    # The frontier: proposed bases (masks), the basis that proposed each and the label
    # it dropped (-1: none), and whether the proposal is trusted (an exact pivot).
    cand = np.array([(1 << d) - 1], dtype=np.int64)
    parent = np.full(1, -1, dtype=np.int64)
    drop = np.full(1, -1, dtype=np.int8)
    trusted = np.ones(1, dtype=bool)
    while cand.size:
        # One proposal per basis, preferring trusted ones; drop bases already kept,
        # except float proposals equal to an exactly processed basis (that vertex is
        # degenerate, with several bases, so the proposal may be the wrong pivot).
        order = np.lexsort((~trusted, cand))
        cand, parent, drop, trusted = cand[order], parent[order], drop[order], trusted[order]
        first = np.ones(cand.size, dtype=bool)
        first[1:] = cand[1:] != cand[:-1]
        fresh = first & ~_member(cand, seen)
        if exact_keys:
            fresh |= first & ~trusted & np.isin(cand, np.fromiter(exact_keys, np.int64))
        cand, parent, drop, trusted = cand[fresh], parent[fresh], drop[fresh], trusted[fresh]
        parts: list[tuple[np.ndarray, ...]] = []
        exact_children: list[tuple[int, ...]] = []
        new_masks: list[np.ndarray] = []
        for lo in range(0, cand.size, CHUNK):
            masks = cand[lo : lo + CHUNK]
            L = bases_from_masks(masks, size, d)
            ok, nb = geo.step(L, masks)
            good = np.flatnonzero(ok)
            if good.size:
                new_masks.append(masks[good])
                out_labels.append(masks[good])
                kept += good.size
                kids = nb[good].ravel()
                # Drop proposals of bases kept already (they are the pivots' results);
                # the rest are deduplicated once per level.
                new = ~_member(kids, seen)
                if exact_keys:
                    new |= np.isin(kids, np.fromiter(exact_keys, np.int64))
                parts.append(
                    (
                        kids[new],
                        np.repeat(masks[good], d)[new],
                        L[good].ravel().astype(np.int8)[new],
                        np.zeros(int(new.sum()), dtype=bool),
                    )
                )
            for k in np.flatnonzero(~ok).tolist():
                key = int(masks[k])
                basis = tuple(int(c) for c in L[k])
                if not trusted[lo + k]:
                    # Redo the proposing pivot exactly; its result is trusted.
                    pm, dropped = int(parent[lo + k]), int(drop[lo + k])
                    pb = tuple(c for c in range(size) if pm >> c & 1)
                    (redone,) = poly().step(pb, [pb.index(dropped)])[2]
                    exact_children.append(redone)
                    continue
                if key in exact_keys:
                    continue
                exact_keys.add(key)
                new_masks.append(np.array([key], dtype=np.int64))
                kept += 1
                coords, labels, children = poly().step(basis)
                if coords not in exact_coords:
                    exact_coords.add(coords)
                    exact_rows.append((labels, coords))
                exact_children.extend(children)
            if max_vertices is not None and kept > max_vertices:
                raise VertexLimitError(max_vertices)
        if new_masks:
            seen = np.union1d(seen, np.concatenate(new_masks))
        if exact_children:
            kid = np.array([sum(int(one) << c for c in b) for b in exact_children], dtype=np.int64)
            parts.append(
                (
                    kid,
                    np.full(kid.size, -1, dtype=np.int64),
                    np.full(kid.size, -1, dtype=np.int8),
                    np.ones(kid.size, dtype=bool),
                )
            )
        if not parts:
            break
        cand, parent, drop, trusted = (np.concatenate(a) for a in zip(*parts))
    # Proved simple vertices (label mask = basis), then the exactly processed ones.
    float_labels = np.concatenate(out_labels) if out_labels else np.zeros(0, dtype=np.int64)
    exact_labels = np.array([r[0] for r in exact_rows], dtype=np.int64)
    simple = all(bin(r[0]).count("1") == d for r in exact_rows)
    return PolytopeVertices(
        labels=np.concatenate([float_labels, exact_labels]),
        exact={float_labels.size + k: r[1] for k, r in enumerate(exact_rows)},
        simple=simple,
        exact_bases=len(exact_keys),
    )


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each value is in a sorted array of distinct values."""
    if sorted_set.size == 0:
        return np.zeros(values.shape, dtype=bool)
    pos = np.searchsorted(sorted_set, values).clip(max=sorted_set.size - 1)
    return sorted_set[pos] == values


#: Fewest bases of a batch for which :meth:`_Geometry.inverse` inverts the support
#: blocks grouped by size (below it, the numpy calls per group cost more than they save).
_BLOCK_INVERSE_MIN = 256


def _inverse(E: np.ndarray) -> np.ndarray:
    """Inverses of a stack of square matrices; exactly singular ones give zeros."""
    try:
        return np.linalg.inv(E)
    except np.linalg.LinAlgError:
        good = np.abs(np.linalg.det(E)) > 1e-12
        out = np.zeros_like(E)
        if good.any():
            out[good] = np.linalg.inv(E[good])
        return out


class _Geometry:
    """The float constraints ``G x <= h`` of ``P(M)`` and the batched step."""

    def __init__(self, Mf: np.ndarray) -> None:
        d, e = Mf.shape
        self.d, self.size = d, d + e
        self.Mf = Mf
        self.G = np.vstack([-np.eye(d), Mf.T])
        self.h = np.concatenate([np.zeros(d), np.ones(e)])
        self.absG = np.abs(self.G)
        self.row_norm = self.absG.sum(axis=1)
        self.weights = np.left_shift(np.int64(1), np.arange(self.size, dtype=np.int64))

    def inverse(self, L: np.ndarray) -> np.ndarray:
        """Approximate inverses of ``G_L`` for sorted bases ``L`` (shape (V, d)).

        With ``Z`` the zero labels of a basis (the first positions, labels below
        ``d``), ``T`` its tight columns and ``S`` the other variables, ``|S| = |T| = k``
        and ``G_L`` is block triangular: ``x_Z = -h_Z`` and ``x_S = N^{-1} (h_T + C
        h_Z)`` with ``N = M[S, T]^T``, ``C = M[Z, T]^T``. So only the ``k x k`` block
        is inverted (LAPACK per matrix costs about k**2 here), grouped by ``k``.
        Exactly singular blocks (a wrong float pivot) give a zero inverse, which the
        verification rejects.
        """
        d, Mf = self.d, self.Mf
        V = L.shape[0]
        if V < _BLOCK_INVERSE_MIN:
            return _inverse(self.G[L])
        R = np.zeros((V, d, d))
        k_all = (d <= L).sum(axis=1)
        for k in np.unique(k_all).tolist():
            idx = np.flatnonzero(k_all == k)
            Lk = L[idx]
            nz = d - k
            r = np.arange(idx.size)[:, None]
            Z, T = Lk[:, :nz], Lk[:, nz:] - d
            Rk = np.zeros((idx.size, d, d))
            Rk[r, Z, np.arange(nz)[None, :]] = -1.0
            if k:
                is_zero = np.zeros((idx.size, d), dtype=bool)
                is_zero[r, Z] = True
                S = np.nonzero(~is_zero)[1].reshape(idx.size, k)
                N = Mf[S[:, None, :], T[:, :, None]]  # N[b, a] = M[S_a, T_b]
                Ninv = _inverse(N)
                tpos = np.arange(nz, d)[None, None, :]
                Rk[r[:, :, None], S[:, :, None], tpos] = Ninv
                if nz:
                    C = Mf[Z[:, None, :], T[:, :, None]]  # C[b, a] = M[Z_a, T_b]
                    Rk[r[:, :, None], S[:, :, None], np.arange(nz)[None, None, :]] = Ninv @ C
            R[idx] = Rk
        return R

    def step(self, L: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Verify the bases ``L`` (shape (V, d), sorted) and pivot along their edges.

        Returns, per basis, whether it is proved a simple vertex of the exact polytope,
        and the masks of the neighbouring bases (shape (V, d): the basis reached by
        dropping position ``p``; meaningful for proved bases only).

        The proof (Rump's a-posteriori bound with the right residual): with ``R`` any
        approximate inverse of ``G_L`` and ``alpha >= ||I - G_L R||_inf`` (rounding of
        the product and of ``G`` itself bounded), ``alpha < 1`` proves ``G_L``
        non-singular and ``||x* - x~|| <= ||R|| ||h_L - G_L x~|| / (1 - alpha)`` for
        the exact basic solution ``x*``; every slack outside ``L`` larger than its
        error bound is then positive at ``x*``.
        """
        G, h, absG, d, size = self.G, self.h, self.absG, self.d, self.size
        V = L.shape[0]
        GL = G[L]  # (V, d, d)
        R = self.inverse(L)
        # Wt[p, c] = (g_c G_L^{-1})_p, the rate at which constraint c's slack grows
        # when label L[p] is dropped (last axis contiguous for the ratio test).
        Wt = np.swapaxes(R, 1, 2) @ G.T  # (V, d, size)
        rows = np.arange(V)[:, None]
        GLR = GL @ R  # fl(G_L R)
        hL = h[L]
        x = (R @ hL[:, :, None])[:, :, 0]
        absx = np.abs(x)
        absR_sum = np.abs(R).sum(axis=2)  # (V, d): row sums of |R|
        g1, g2 = _gamma(d + 2), _gamma(size + 2)
        eye = np.eye(d)
        with np.errstate(invalid="ignore", over="ignore"):
            # Row sums of |I - G_exact,L R| <= |I - fl(G_L R)| + (gamma + 2u) |G_L| |R|.
            absGL_Rsum = (absG[L] @ absR_sum[:, :, None])[:, :, 0]
            rowsum = np.abs(eye - GLR).sum(axis=2) + (g1 + 2 * _U) * absGL_Rsum
            alpha = rowsum.max(axis=1) * (1 + g2)
            normR = absR_sum.max(axis=1) * (1 + g2)
            # Row by row (a stack of tiny products), not one (V, d) @ (d, size) product:
            # OpenBLAS spreads that one over threads, which on a busy machine made the
            # whole 16x16 search 2.5x slower (5.2-7.4 s against 2.0-2.6 s).
            Gx = (x[:, None, :] @ G.T)[:, 0, :]  # (V, size)
            absGx = (absx[:, None, :] @ absG.T)[:, 0, :]
            # Residual of the exact system at x, bounded entrywise.
            resid = np.abs(hL - Gx[rows, L]) + (g1 + 2 * _U) * (absGx[rows, L] + np.abs(hL))
            delta = normR * resid.max(axis=1) * (1 + g2) / (1 - alpha)
            slack = h[None, :] - Gx
            err = (g2 + 2 * _U) * (absGx + np.abs(h)[None, :])
            err += (1 + 2 * _U) * self.row_norm[None, :] * delta[:, None]
            err *= 1 + g2
        basic = np.zeros((V, size), dtype=bool)
        basic[rows, L] = True
        ok = (alpha < 0.5) & ((slack > err) | basic).all(axis=1)
        # Pivot: dropping position p moves x along -R[:, :, p]; constraint c tightens at
        # rate -Wt[p, c] and is reached at slack / rate, so the first one reached
        # minimises Wt[p, c] / slack[c] (basic constraints excluded by a zero weight).
        # Only a proposal: the next step proves it or redoes it exactly.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            inv_slack = np.where(basic, 0.0, 1.0 / np.maximum(slack, 1e-300))
            leave = (Wt * inv_slack[:, None, :]).argmin(axis=2)  # (V, d)
        nb = masks[:, None] - self.weights[L] + self.weights[leave]
        return ok, nb
