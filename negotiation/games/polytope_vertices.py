"""Batched enumeration of the vertices of best-response polytopes.

For a matrix ``M`` of shape ``(d, c)`` with positive entries, the polytope

    P(M) = {x in R^d : x >= 0, M^T x <= 1}

is bounded. A vertex is fixed by choosing ``k`` variables that may be non-zero (the
support ``S``) and ``k`` constraints that hold with equality (the tight set ``T``), and
solving ``M[S, T]^T x_S = 1`` (``d - k`` variables are zero, so ``d`` constraints are
tight in all). Every vertex, degenerate or not, arises from at least one such
non-singular choice, so visiting all ``C(d + c, d)`` choices finds every vertex
(Avis, Rosenberg, Savani and von Stengel, "Enumeration of Nash equilibria for
two-player games", Economic Theory 42, 2010, section 3).

The systems of one size ``k`` are solved together with numpy, for one game or for a
stack of games of the same shape at once. This module works in floating point on
matrices scaled to ``[1, 2]``; callers that want exact answers recompute the vertices
they keep from their basis ``(S, T)`` with exact arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

__all__ = [
    "CandidateVertices",
    "candidate_vertices",
    "normalise_payoffs",
    "popcount",
    "unique_rows",
]

#: Bases whose determinant is below this fraction of the Hadamard bound are treated as
#: singular (a condition number beyond about 1e12).
MIN_RELATIVE_DET = 1e-12


@lru_cache(maxsize=256)
def _combos(d: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k-subsets of range(d) as index rows, and the same as bit masks."""
    out = np.array(list(combinations(range(d), k)), dtype=np.int64)
    bits = np.bitwise_or.reduce(np.left_shift(np.int64(1), out), axis=-1)
    out.setflags(write=False)
    bits.setflags(write=False)
    return out, bits


def normalise_payoffs(M: np.ndarray) -> np.ndarray:
    """Map each game's payoffs affinely onto ``[1, 2]`` (a constant matrix becomes ones).

    Equilibria are invariant under positive affine maps of one player's payoffs, and
    entries in ``[1, 2]`` keep the vertex systems well conditioned.

    Parameters
    ----------
    M : numpy.ndarray, shape (G, d, c)

    Returns
    -------
    numpy.ndarray, same shape

    Examples
    --------
    >>> normalise_payoffs(np.array([[[0.0, 4.0], [2.0, 4.0]]])).tolist()
    [[[1.0, 2.0], [1.5, 2.0]]]
    """
    lo = M.min(axis=(1, 2), keepdims=True)
    span = M.max(axis=(1, 2), keepdims=True) - lo
    span = np.where(span > 0, span, 1.0)
    return 1.0 + (M - lo) / span


@dataclass(frozen=True)
class CandidateVertices:
    """Vertices found in floating point, one row per vertex, grouped by game.

    Attributes
    ----------
    game : numpy.ndarray of int, shape (V,)
        Index of the game each vertex belongs to (ascending).
    coords : numpy.ndarray, shape (V, d)
        Vertex coordinates in the normalised polytope.
    zero_mask, tight_mask : numpy.ndarray of int64, shape (V,)
        Bit masks of the variables at zero and of the tight constraints (within ``tol``).
    support, tight : numpy.ndarray of int64, shape (V,)
        Bit masks of the basis ``(S, T)`` that produced the vertex.
    """

    game: np.ndarray
    coords: np.ndarray
    zero_mask: np.ndarray
    tight_mask: np.ndarray
    support: np.ndarray
    tight: np.ndarray


def candidate_vertices(
    M: np.ndarray, *, tol: float = 1e-9, merge: bool = True
) -> CandidateVertices:
    """All vertices of ``P(M[g])`` except the origin, for every game ``g`` of a stack.

    Parameters
    ----------
    M : numpy.ndarray, shape (G, d, c)
        Positive constraint matrices (use :func:`normalise_payoffs`).
    tol : float
        Feasibility and tightness tolerance on the normalised scale.
    merge : bool
        Merge the copies of one degenerate vertex reached from several bases, by their
        coordinates rounded to ``100 * tol`` (default). Rounding also merges distinct
        vertices closer than that, so exact callers pass ``False`` and merge exactly
        (:mod:`negotiation.games.extreme_equilibria`).

    Returns
    -------
    CandidateVertices
        Vertices ordered by game; distinct ones when ``merge`` (duplicates from several
        bases of one degenerate vertex merged), else one per basis.

    Examples
    --------
    >>> M = normalise_payoffs(np.array([[[3.0, 0.0], [0.0, 3.0]]]))
    >>> v = candidate_vertices(M)
    >>> np.round(v.coords, 4).tolist()
    [[0.5, 0.0], [0.0, 0.5], [0.3333, 0.3333]]
    """
    _, d, c = M.shape
    chunks: list[tuple[np.ndarray, ...]] = []
    for k in range(1, min(d, c) + 1):
        S, s_bits = _combos(d, k)
        T, t_bits = _combos(c, k)
        if k == 1:
            # One non-zero variable s: x_s = 1 / max_j M[s, j], tight at the maximiser.
            g = np.repeat(np.arange(M.shape[0]), d)
            s = np.tile(np.arange(d), M.shape[0])
            t = M.argmax(axis=2).ravel()
            sol = 1.0 / M.max(axis=2).reshape(-1, 1)
        else:
            # E[g, s, t, b, a] = M[g, S[s, a], T[t, b]]: equation b makes T[b] tight.
            sub = M[:, S[:, None, None, :], T[None, :, :, None]]
            idx, sol = _solve_nonsingular(sub.reshape(-1, k, k), k)
            if idx.size == 0:
                continue
            n_st = S.shape[0] * T.shape[0]
            g = idx // n_st
            s = (idx % n_st) // T.shape[0]
            t = idx % T.shape[0]
        keep = (sol >= -tol).all(axis=1)
        g, s, t, sol = g[keep], s[keep], t[keep], sol[keep]
        x = np.zeros((g.size, d))
        np.put_along_axis(x, S[s], sol, axis=1)
        load = np.einsum("vd,vdc->vc", x, M[g])
        keep = (load <= 1.0 + tol).all(axis=1)
        g, s, t, x, load = g[keep], s[keep], t[keep], x[keep], load[keep]
        x[x < 0] = 0.0
        zero = _bits_from_bool(x <= tol)
        tight = _bits_from_bool(np.abs(load - 1.0) <= tol)
        chunks.append((g, x, zero, tight, s_bits[s], t_bits[t]))
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return CandidateVertices(empty, np.zeros((0, d)), empty, empty, empty, empty)
    g, x, zero, tight, sup, tig = (np.concatenate(parts) for parts in zip(*chunks))
    # Merge copies of one vertex reached from several bases. Only a vertex with more
    # than d labels (a degenerate one) has several bases, so only those are compared.
    extra = np.flatnonzero(popcount(zero) + popcount(tight) > d)
    keep = np.ones(g.size, dtype=bool)
    if extra.size and merge:
        key = np.column_stack([g, np.round(x / (100 * tol)).astype(np.int64), zero, tight])
        keep[extra] = False
        keep[extra[unique_rows(key[extra])]] = True
    order = np.flatnonzero(keep)
    order = order[np.argsort(g[order], kind="stable")]
    return CandidateVertices(g[order], x[order], zero[order], tight[order], sup[order], tig[order])


def _solve_nonsingular(E: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``E[v] x = 1`` for the non-singular systems; return their indices and solutions.

    Solutions that are far from feasible are dropped by the caller, so the relative
    determinant (|det| over the Hadamard bound) is only needed for exactly singular
    batches and for the few systems whose solution survives.
    """
    if k <= 3:
        det, sol = _cramer(E, k)
        # Entries lie in [1, 2], so the Hadamard bound is within 2**k of k**(k/2).
        idx = np.flatnonzero(np.abs(det) > MIN_RELATIVE_DET * (2 * np.sqrt(k)) ** k)
        sol = sol[idx]
    else:
        rhs = np.ones((E.shape[0], k, 1))
        try:
            sol = np.linalg.solve(E, rhs)[..., 0]
        except np.linalg.LinAlgError:
            # Some bases are exactly singular (ties). First solve a slightly perturbed
            # copy; singular bases then give huge solutions that the filters below drop,
            # and survivors are re-solved exactly. Bases of rank k - 2 or less (as in
            # the sum games of linked issues) can stay singular even so: then solve only
            # the well-posed bases, the ones the filter below would keep anyway.
            try:
                sol = np.linalg.solve(E + _jitter(E.shape), rhs)[..., 0]
            except np.linalg.LinAlgError:
                ok = _well_posed(E)
                sol = np.full((E.shape[0], k), np.nan)
                if ok.any():
                    sol[ok] = np.linalg.solve(E[ok], rhs[ok])[..., 0]
        idx = np.arange(E.shape[0])
    with np.errstate(invalid="ignore"):
        near = np.isfinite(sol).all(axis=1) & (sol >= -0.5).all(axis=1) & (sol <= 2.0).all(axis=1)
    idx, sol = idx[near], sol[near]
    if k <= 3:
        return idx, sol
    good = _well_posed(E[idx])
    idx = idx[good]
    sol = np.linalg.solve(E[idx], np.ones((idx.size, k, 1)))[..., 0] if idx.size else sol[good]
    return idx, sol


def _jitter(shape: tuple[int, ...]) -> np.ndarray:
    """A fixed, tiny perturbation (deterministic: no global random state is touched)."""
    return np.random.default_rng(12345).uniform(-1e-11, 1e-11, size=shape)


def _hadamard(E: np.ndarray) -> np.ndarray:
    return np.prod(np.sqrt(np.einsum("vij,vij->vi", E, E)), axis=1)


def _well_posed(E: np.ndarray) -> np.ndarray:
    return np.abs(np.linalg.det(E)) > MIN_RELATIVE_DET * _hadamard(E)


def _cramer(E: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Determinants and solutions of ``E[v] x = 1`` for k <= 3 by Cramer's rule.

    Far faster than a LAPACK call per tiny matrix; singular systems give non-finite
    solutions, which the caller drops by the determinant test.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if k == 1:
            det = E[:, 0, 0]
            return det, (1.0 / det)[:, None]
        if k == 2:
            a, b, c, d = E[:, 0, 0], E[:, 0, 1], E[:, 1, 0], E[:, 1, 1]
            det = a * d - b * c
            return det, np.stack([(d - b) / det, (a - c) / det], axis=1)
        # Cofactors of a 3x3 matrix; x = adj(E) 1 / det.
        e = E
        c00 = e[:, 1, 1] * e[:, 2, 2] - e[:, 1, 2] * e[:, 2, 1]
        c01 = e[:, 1, 2] * e[:, 2, 0] - e[:, 1, 0] * e[:, 2, 2]
        c02 = e[:, 1, 0] * e[:, 2, 1] - e[:, 1, 1] * e[:, 2, 0]
        c10 = e[:, 0, 2] * e[:, 2, 1] - e[:, 0, 1] * e[:, 2, 2]
        c11 = e[:, 0, 0] * e[:, 2, 2] - e[:, 0, 2] * e[:, 2, 0]
        c12 = e[:, 0, 1] * e[:, 2, 0] - e[:, 0, 0] * e[:, 2, 1]
        c20 = e[:, 0, 1] * e[:, 1, 2] - e[:, 0, 2] * e[:, 1, 1]
        c21 = e[:, 0, 2] * e[:, 1, 0] - e[:, 0, 0] * e[:, 1, 2]
        c22 = e[:, 0, 0] * e[:, 1, 1] - e[:, 0, 1] * e[:, 1, 0]
        det = e[:, 0, 0] * c00 + e[:, 0, 1] * c01 + e[:, 0, 2] * c02
        sol = np.stack([c00 + c10 + c20, c01 + c11 + c21, c02 + c12 + c22], axis=1) / det[:, None]
        return det, sol


def unique_rows(key: np.ndarray) -> np.ndarray:
    """Indices of the first occurrence of each distinct row of an integer matrix, sorted
    by the rows (so by the first column first).

    Examples
    --------
    >>> unique_rows(np.array([[1, 2], [0, 5], [1, 2]])).tolist()
    [1, 0]
    """
    if key.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(key.T[::-1])
    sorted_keys = key[order]
    fresh = np.ones(order.size, dtype=bool)
    fresh[1:] = (sorted_keys[1:] != sorted_keys[:-1]).any(axis=1)
    return order[fresh]


def popcount(masks: np.ndarray) -> np.ndarray:
    """Number of set bits of each entry of an int64 array.

    Examples
    --------
    >>> popcount(np.array([0, 5, 255])).tolist()
    [0, 2, 8]
    """
    out = np.zeros(masks.shape, dtype=np.int64)
    work = masks.copy()
    while np.any(work):
        out += work & 1
        work >>= 1
    return out


def _bits_from_bool(flags: np.ndarray) -> np.ndarray:
    weights = np.left_shift(np.int64(1), np.arange(flags.shape[1], dtype=np.int64))
    return (flags.astype(np.int64) * weights).sum(axis=1)
