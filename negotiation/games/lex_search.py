"""Exact vertex enumeration of a best-response polytope by lexicographic pivoting.

For a positive rational matrix ``M`` of shape ``(d, e)`` the polytope

    P(M) = {x in R^d : x >= 0, M^T x <= 1}

is bounded. Write its ``d + e`` constraints as ``G x <= h`` with ``G = [-I; M^T]`` and
``h = (0, 1)``; constraint ``c`` is the *label* ``c``. A basis is a set ``L`` of ``d``
labels with ``G_L`` non-singular; its basic solution is ``x = G_L^{-1} h_L``.

Perturbing the right-hand side to ``h_c + eps^(c+1)`` makes the polytope simple for
every small ``eps > 0``; its vertices are the *lexicographically feasible* bases of
``P(M)`` (the perturbed slack of every other constraint is lexicographically positive),
and two of them are adjacent when one lexicographic pivot -- drop one label, walk
along the edge, stop at the lexicographically first constraint that becomes tight --
leads from one to the other. The graph of a simple polytope is connected (Balinski
1961), the origin basis ``{0, ..., d-1}`` is lexicographically feasible, and every
vertex of ``P(M)`` has a lexicographically feasible basis (the lexicographic simplex
method, started at the origin, ends at any vertex that is the unique optimum of some
objective). So a search of that graph from the origin visits every vertex of
``P(M)``, degenerate ones included, in exact rational arithmetic and without ever
cycling -- the perturbation argument behind lexicographic pivoting in Avis and Fukuda's
reverse search ("A pivoting algorithm for convex hulls and vertex enumeration of
arrangements and polyhedra", Discrete Comput. Geom. 8, 1992) and in Lemke--Howson
(von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory 3,
2002, section 3.4). The search keeps the visited bases in a hash set; a degenerate
vertex is reached once per lexicographically feasible basis and reported once.

The arithmetic is done by python-flint (``fmpq_mat``), so each basis costs one exact
matrix inverse and one product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import flint

__all__ = ["ExactPolytope", "ExactVertex", "exact_vertices", "to_fmpq_mat"]


@dataclass(frozen=True)
class ExactVertex:
    """One vertex of ``P(M)``.

    Attributes
    ----------
    coords : tuple of Fraction, length d
    labels : int
        Bit mask of the tight constraints: bit ``i < d`` when ``x_i = 0``, bit
        ``d + j`` when ``(M^T x)_j = 1``.
    """

    coords: tuple[Fraction, ...]
    labels: int


def to_fmpq_mat(M: Sequence[Sequence[Fraction]]) -> flint.fmpq_mat:
    """A rational matrix as a python-flint ``fmpq_mat``.

    Examples
    --------
    >>> to_fmpq_mat([[Fraction(1, 2), Fraction(3)]]).entries()
    [1/2, 3]
    """
    rows, cols = len(M), len(M[0])
    return flint.fmpq_mat(
        rows, cols, [flint.fmpq(v.numerator, v.denominator) for row in M for v in row]
    )


def _fraction(q: flint.fmpq) -> Fraction:
    return Fraction(int(q.p), int(q.q))


class ExactPolytope:
    """The constraints ``G x <= h`` of ``P(M)`` in exact arithmetic, with the two
    operations of the search: process a basis, and one lexicographic pivot.

    Parameters
    ----------
    M : d x e sequence of Fraction
        A matrix with positive entries.
    """

    def __init__(self, M: Sequence[Sequence[Fraction]]) -> None:
        d, e = len(M), len(M[0])
        self.d, self.size = d, d + e
        zero, one = flint.fmpq(0), flint.fmpq(1)
        rows = [[-one if k == i else zero for k in range(d)] for i in range(d)]
        rows += [
            [flint.fmpq(M[i][j].numerator, M[i][j].denominator) for i in range(d)]
            for j in range(e)
        ]
        self.rows = rows
        self.G = flint.fmpq_mat(self.size, d, [v for r in rows for v in r])
        self.h = [zero] * d + [one] * e

    def _tableau(
        self, basis: Sequence[int]
    ) -> tuple[list[flint.fmpq], list[flint.fmpq], list[flint.fmpq]]:
        d = self.d
        GL = flint.fmpq_mat(d, d, [v for c in basis for v in self.rows[c]])
        R = GL.inv()
        W = (self.G * R).entries()  # W[c * d + p] = (g_c G_L^{-1})_p
        hL = [self.h[c] for c in basis]
        xm = R * flint.fmpq_mat(d, 1, hL)
        Gx = (self.G * xm).entries()
        slack = [h - g for h, g in zip(self.h, Gx)]
        return W, slack, xm.entries()

    def vertex(self, basis: Sequence[int]) -> tuple[tuple[Fraction, ...], int]:
        """The basic solution of a (non-singular, feasible) basis and its label mask."""
        _, slack, x = self._tableau(basis)
        labels = sum(1 << c for c in range(self.size) if slack[c] == 0)
        return tuple(_fraction(v) for v in x), labels | sum(1 << c for c in basis)

    def step(
        self, basis: tuple[int, ...], edges: Sequence[int] | None = None
    ) -> tuple[tuple[Fraction, ...], int, list[tuple[int, ...]]]:
        """Process a lexicographically feasible basis.

        Returns its vertex, the vertex's label mask and the bases reached by the
        lexicographic pivots along ``edges`` (positions in ``basis``; all by default).
        """
        W, slack, x = self._tableau(basis)
        size, d = self.size, self.d
        in_basis = [False] * size
        for c in basis:
            in_basis[c] = True
        labels = 0
        for c in range(size):
            if in_basis[c] or slack[c] == 0:
                labels |= 1 << c
        position = {c: p for p, c in enumerate(basis)}
        children = []
        for p in range(d) if edges is None else edges:
            leave = _lex_leaving(W, slack, basis, position, in_basis, p, d, size)
            children.append(tuple(sorted(basis[:p] + basis[p + 1 :] + (leave,))))
        return tuple(_fraction(v) for v in x), labels, children


def exact_vertices(
    M: Sequence[Sequence[Fraction]], *, max_bases: int | None = None
) -> list[ExactVertex]:
    """Every vertex of ``{x >= 0 : M^T x <= 1}``, exactly, origin included.

    Parameters
    ----------
    M : d x e sequence of Fraction
        A matrix with positive entries (payoffs mapped onto ``[1, 2]``).
    max_bases : int, optional
        Stop with :class:`RuntimeError` after visiting that many bases (a guard for
        callers that bound the work).

    Returns
    -------
    list of ExactVertex
        The distinct vertices in the order the search finds them (the origin first).

    Examples
    --------
    A degenerate polytope: the vertex (1/3, 1/3) makes all three constraints tight.

    >>> F = Fraction
    >>> vs = exact_vertices([[F(2), F(1), F(3, 2)], [F(1), F(2), F(3, 2)]])
    >>> [(v.coords, bin(v.labels)) for v in vs if bin(v.labels).count("1") > 2]
    [((Fraction(1, 3), Fraction(1, 3)), '0b11100')]
    """
    poly = ExactPolytope(M)
    start = tuple(range(poly.d))
    seen: set[tuple[int, ...]] = {start}
    stack = [start]
    vertices: dict[tuple[Fraction, ...], int] = {}
    while stack:
        if max_bases is not None and len(seen) > max_bases:
            raise RuntimeError("exact_vertices: too many bases")
        coords, labels, children = poly.step(stack.pop())
        vertices.setdefault(coords, labels)
        for nxt in children:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return [ExactVertex(k, lab) for k, lab in vertices.items()]


def _lex_leaving(
    W: list[flint.fmpq],
    slack: list[flint.fmpq],
    basis: tuple[int, ...],
    position: dict[int, int],
    in_basis: list[bool],
    p: int,
    d: int,
    size: int,
) -> int:
    """The constraint that becomes tight first when label ``basis[p]`` is dropped.

    Moving along ``x(t) = x - t G_L^{-1} e_p`` the slack of constraint ``c`` changes
    at rate ``W[c, p] = (g_c G_L^{-1})_p`` (the dropped one's grows at rate 1), so
    ``c`` becomes tight where it falls, at rate ``r_c = -W[c, p] > 0``. The perturbed
    slack of ``c`` has the constant term ``slack[c]``, the coefficient 1 at
    ``eps^(c+1)`` and ``-W[c, q]`` at ``eps^(basis[q]+1)``; the leaving constraint
    minimises (perturbed slack) / rate lexicographically, which is unique.
    """
    best: list[int] = []
    best_ratio = None
    for c in range(size):
        if in_basis[c]:
            continue
        rate = -W[c * d + p]
        if rate <= 0:
            continue
        ratio = slack[c] / rate
        if best_ratio is None or ratio < best_ratio:
            best, best_ratio = [c], ratio
        elif ratio == best_ratio:
            best.append(c)
    if not best:  # pragma: no cover - P(M) is bounded for positive M
        raise RuntimeError("exact_vertices: unbounded edge")
    if len(best) == 1:
        return best[0]
    # Ties: compare the perturbation coefficients, lowest power of eps first.
    order = sorted(set(basis) | set(best))
    for k in order:
        values = {}
        for c in best:
            rate = -W[c * d + p]
            if k == c:
                coef = flint.fmpq(1)
            elif k in position:
                coef = -W[c * d + position[k]]
            else:
                coef = flint.fmpq(0)
            values[c] = coef / rate
        low = min(values.values())
        best = [c for c in best if values[c] == low]
        if len(best) == 1:
            return best[0]
    raise RuntimeError("exact_vertices: lexicographic tie")  # pragma: no cover
