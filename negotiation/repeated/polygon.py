"""Convex polygons in the plane, exact with ``Fraction`` coordinates or in floats.

A polygon is a tuple of vertices ``(x, y)`` in counter-clockwise order starting at the
lowest of the leftmost vertices, with no repeated and no collinear vertices: the empty
tuple (the empty set), one vertex (a point), two (a segment) or more. The same vertex
set always gives the same tuple, so two exact polygons are equal as sets iff their
tuples are equal. These are the sets the payoff-set computations of
:mod:`negotiation.repeated.feasible_set` and :mod:`negotiation.repeated.spe_payoffs`
work with (payoffs are two-dimensional: one coordinate per player).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

__all__ = [
    "Point",
    "Polygon",
    "affine_image",
    "clip",
    "contains",
    "hausdorff",
    "hull",
    "support",
]

Point = tuple[Any, Any]
Polygon = tuple[Point, ...]


def _cross(o: Point, a: Point, b: Point) -> Any:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def hull(points: Iterable[Point]) -> Polygon:
    """The convex hull of points, as a canonical polygon (Andrew's monotone chain).

    Examples
    --------
    >>> F = Fraction
    >>> hull([(F(0), F(0)), (F(2), F(0)), (F(1), F(0)), (F(0), F(2)), (F(1), F(1))])
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(2, 1), Fraction(0, 1)), \
(Fraction(0, 1), Fraction(2, 1)))
    >>> hull([(1, 1), (1, 1)]), hull([])
    (((1, 1),), ())
    """
    pts = sorted(set(points))
    if len(pts) <= 2:
        return tuple(pts)
    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    out = lower[:-1] + upper[:-1]
    return tuple(out) if len(out) >= 2 else (pts[0], pts[-1])


def clip(poly: Polygon, a: Any, b: Any, c: Any) -> Polygon:
    """The part of a polygon where ``a x + b y <= c``.

    Examples
    --------
    >>> F = Fraction
    >>> square = hull([(F(x), F(y)) for x in (0, 2) for y in (0, 2)])
    >>> clip(square, 1, 0, 1)  # x <= 1
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(0, 1)), \
(Fraction(1, 1), Fraction(2, 1)), (Fraction(0, 1), Fraction(2, 1)))
    >>> clip(square, 1, 0, -1)
    ()
    """
    if not poly:
        return ()
    val = [a * p[0] + b * p[1] - c for p in poly]
    if all(v <= 0 for v in val):
        return poly
    if all(v > 0 for v in val):
        return ()
    keep: list[Point] = [p for p, v in zip(poly, val) if v <= 0]
    k = len(poly)
    edges = range(k) if k > 2 else range(k - 1)
    for i in edges:
        j = (i + 1) % k
        vi, vj = val[i], val[j]
        if (vi < 0 < vj) or (vj < 0 < vi):
            t = vi / (vi - vj)
            p, q = poly[i], poly[j]
            keep.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return hull(keep)


def affine_image(poly: Polygon, scale: tuple[Any, Any], shift: tuple[Any, Any]) -> Polygon:
    """The polygon under ``(x, y) -> (shift_x + scale_x x, shift_y + scale_y y)`` with
    non-negative scales (the order of the vertices is kept; a zero scale may collapse
    it, and the result is then rebuilt).

    Examples
    --------
    >>> affine_image(((0, 0), (2, 0), (0, 2)), (0.5, 0.5), (1, 1))
    ((1.0, 1.0), (2.0, 1.0), (1.0, 2.0))
    """
    out = tuple((shift[0] + scale[0] * x, shift[1] + scale[1] * y) for x, y in poly)
    if not out:
        return out
    if (scale[0] == 0 or scale[1] == 0) or out[0] != min(out):
        return hull(out)
    return out


def support(poly: Polygon, h: tuple[Any, Any]) -> Any:
    """``max h . v`` over the polygon (``None`` for the empty set).

    Examples
    --------
    >>> support(((0, 0), (2, 0), (0, 2)), (1, 1))
    2
    """
    if not poly:
        return None
    return max(h[0] * x + h[1] * y for x, y in poly)


def contains(poly: Polygon, p: Point) -> bool:
    """Whether a point lies in the polygon (its boundary included); exact for
    ``Fraction`` coordinates.

    Examples
    --------
    >>> tri = ((0, 0), (2, 0), (0, 2))
    >>> contains(tri, (1, 1)), contains(tri, (2, 1)), contains(((0, 0), (2, 2)), (1, 1))
    (True, False, True)
    """
    k = len(poly)
    if k == 0:
        return False
    if k == 1:
        return p == poly[0]
    if k == 2:
        o, q = poly
        if _cross(o, q, p) != 0:
            return False
        return min(o[0], q[0]) <= p[0] <= max(o[0], q[0]) and min(o[1], q[1]) <= p[1] <= max(
            o[1], q[1]
        )
    return all(_cross(poly[i], poly[(i + 1) % k], p) >= 0 for i in range(k))


def _far(P: Any, Q: Any) -> float:
    """Largest distance from a vertex of ``P`` to the convex polygon ``Q`` (arrays)."""
    import numpy as np

    if len(Q) == 1:
        return float(np.hypot(*(P - Q[0]).T).max())
    A, E = Q, np.roll(Q, -1, axis=0) - Q
    if len(Q) == 2:
        A, E = Q[:1], Q[1:] - Q[:1]
    R = P[:, None, :] - A[None, :, :]
    n = (E * E).sum(axis=1)
    t = np.clip((R * E[None]).sum(axis=2) / np.where(n > 0, n, 1.0), 0.0, 1.0)
    D = np.hypot(*(R - t[..., None] * E[None]).transpose(2, 0, 1)).min(axis=1)
    if len(Q) >= 3:
        inside = ((E[None, :, 0] * R[..., 1] - E[None, :, 1] * R[..., 0]) >= 0).all(axis=1)
        D[inside] = 0.0
    return float(D.max())


def hausdorff(P: Sequence[Point], Q: Sequence[Point]) -> float:
    """The Hausdorff distance between two non-empty convex polygons (in floats).

    For convex sets the farthest point of one from the other is a vertex, so it is the
    largest vertex-to-polygon distance either way.

    Examples
    --------
    >>> hausdorff(((0, 0), (1, 0), (0, 1)), ((0, 0),))
    1.0
    """
    import numpy as np

    a = np.array([[float(x), float(y)] for x, y in P])
    b = np.array([[float(x), float(y)] for x, y in Q])
    return max(_far(a, b), _far(b, a))


def as_fractions(poly: Polygon) -> Polygon:
    """The polygon with every coordinate an exact ``Fraction`` (floats exactly as stored).

    Examples
    --------
    >>> as_fractions(((0.5, 1),))
    ((Fraction(1, 2), Fraction(1, 1)),)
    """
    return tuple((Fraction(x), Fraction(y)) for x, y in poly)
