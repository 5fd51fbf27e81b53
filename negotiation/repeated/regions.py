"""Sets of discount factors as unions of intervals with exact endpoints.

A condition is a polynomial ``N(δ)`` with rational coefficients; it holds where
``N(δ) <= 0``. (A one-shot-deviation gain is ``(1 - δ) N(δ) / D(δ)`` with
``D(δ) > 0`` on [0, 1), so its sign is ``N``'s.) The set of δ in [0, 1) where a family
of conditions all hold is found exactly (:mod:`negotiation.repeated.exact_roots`): the
distinct irreducible factors of the numerators are isolated once, their real roots in
[0, 1) split the range into points and open gaps, and each condition's sign is decided
exactly at every root (divisibility, then certified balls) and at a simple rational
point inside every gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

from negotiation.repeated.exact_roots import (
    Root,
    rational_between,
    real_roots_in_unit,
    sign_at,
    sign_at_rational,
)

__all__ = [
    "Breakpoints",
    "Condition",
    "Interval",
    "breakpoints",
    "critical_root",
    "holds_from",
    "region_where",
    "render_number",
]


def render_number(value: Any) -> str:
    """An exact number as text (see :func:`negotiation.numbers.render_number`).

    Examples
    --------
    >>> render_number(Fraction(3, 5))
    '3/5'
    """
    from negotiation.numbers import render_number as render

    return render(value)


@dataclass(frozen=True)
class Interval:
    """An interval of discount factors with exact endpoints (``Fraction`` when rational,
    a sympy algebraic number otherwise)."""

    low: Any
    high: Any
    low_closed: bool
    high_closed: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: endpoints as exact strings such as ``"3/5"``.

        Examples
        --------
        >>> Interval(Fraction(1, 2), Fraction(1), True, False).to_dict()
        {'low': '1/2', 'high': '1', 'low_closed': True, 'high_closed': False}
        """
        return {
            "low": render_number(self.low),
            "high": render_number(self.high),
            "low_closed": self.low_closed,
            "high_closed": self.high_closed,
        }

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        return f"{left}{render_number(self.low)}, {render_number(self.high)}{right}"


@dataclass(frozen=True)
class Condition:
    """``numer(δ) <= 0`` for a rational polynomial ``numer`` (``flint.fmpq_poly``),
    tagged with what it stands for (e.g. player, state, deviation)."""

    numer: Any
    tag: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Breakpoints:
    """The roots in [0, 1) of a family of conditions and one rational per gap.

    ``roots[k]`` is the k-th root (0 is always the first point, as a rational root);
    ``gaps[k]`` is a rational strictly between ``roots[k]`` and the next root (or 1).
    """

    roots: tuple[Root, ...]
    gaps: tuple[Fraction, ...]

    def exact(self, k: int) -> Any:
        """The k-th point as an exact number."""
        return self.roots[k].exact()


def _zero_root() -> Root:
    import flint

    return Root(flint.fmpz_poly([0, 1]), 0, Fraction(0))


def breakpoints(conditions: Sequence[Condition]) -> Breakpoints:
    """Sorted distinct roots in [0, 1) of all numerators, with 0, and a rational point in
    every gap between them.

    Examples
    --------
    >>> from negotiation.repeated.exact_roots import poly_from_fractions
    >>> b = breakpoints([Condition(poly_from_fractions([1, -2]))])
    >>> [r.value for r in b.roots], b.gaps
    ([Fraction(0, 1), Fraction(1, 2)], (Fraction(1, 3), Fraction(2, 3)))
    """
    polys: dict[str, Any] = {}
    for c in conditions:
        if c.numer.degree() > 0:
            polys.setdefault(str(c.numer), c.numer)
    roots = [r for r in real_roots_in_unit(*polys.values()) if r.value != 0]
    roots.insert(0, _zero_root())
    gaps = []
    for k, r in enumerate(roots):
        lo = r.bounds()[1]
        hi = roots[k + 1].bounds()[0] if k + 1 < len(roots) else Fraction(1)
        prec = 128
        while not lo < hi:  # refine the two balls until they leave room between them
            lo = r.bounds(prec)[1]
            hi = roots[k + 1].bounds(prec)[0]
            prec *= 2
        gaps.append(rational_between(lo, hi))
    return Breakpoints(tuple(roots), tuple(gaps))


def _holds_at_root(conditions: Sequence[Condition], root: Root) -> bool:
    return all(sign_at(c.numer, root) <= 0 for c in conditions)


def _holds_at(conditions: Sequence[Condition], x: Fraction) -> bool:
    return all(sign_at_rational(c.numer, x) <= 0 for c in conditions)


def region_where(
    conditions: Sequence[Condition], points: Breakpoints | None = None
) -> tuple[Interval, ...]:
    """The set of δ in [0, 1) where every condition holds, as sorted disjoint intervals.

    Examples
    --------
    ``1 - 2δ <= 0`` holds for δ in [1/2, 1):

    >>> from negotiation.repeated.exact_roots import poly_from_fractions
    >>> [str(i) for i in region_where([Condition(poly_from_fractions([1, -2]))])]
    ['[1/2, 1)']
    """
    pts = points if points is not None else breakpoints(conditions)
    marks: list[tuple[int, int, bool, bool]] = []  # (low root, high root or -1, point?, member)
    for k, root in enumerate(pts.roots):
        marks.append((k, k, True, _holds_at_root(conditions, root)))
        marks.append((k, k + 1, False, _holds_at(conditions, pts.gaps[k])))
    n = len(pts.roots)

    def exact(k: int) -> Any:
        return Fraction(1) if k == n else pts.exact(k)

    out: list[Interval] = []
    current: list[Any] | None = None
    for low, high, is_point, member in marks:
        if member:
            if current is None:
                current = [low, high, is_point, False]
            current[1] = high
            current[3] = is_point
        elif current is not None:
            out.append(Interval(exact(current[0]), exact(current[1]), current[2], current[3]))
            current = None
    if current is not None:
        out.append(Interval(exact(current[0]), exact(current[1]), current[2], False))
    return tuple(out)


def critical_root(
    conditions: Sequence[Condition], points: Breakpoints | None = None
) -> Root | None:
    """The least δ* with [δ*, 1) inside the region where every condition holds, as a
    :class:`~negotiation.repeated.exact_roots.Root` (no sympy), or ``None`` when the
    region does not reach 1: the low end of :func:`region_where`'s last interval.

    Examples
    --------
    >>> from negotiation.repeated.exact_roots import poly_from_fractions
    >>> critical_root([Condition(poly_from_fractions([1, -2]))]).value
    Fraction(1, 2)
    >>> critical_root([Condition(poly_from_fractions([-1, 2]))]) is None
    True
    """
    pts = points if points is not None else breakpoints(conditions)
    start = None
    for k in range(len(pts.roots) - 1, -1, -1):
        if not _holds_at(conditions, pts.gaps[k]):
            break
        start = k
        if not _holds_at_root(conditions, pts.roots[k]):
            break
    return None if start is None else pts.roots[start]


def holds_from(conditions: Sequence[Condition], low: Fraction) -> bool:
    """Whether every condition holds at every δ in ``[low, 1)`` (``0 <= low < 1``):
    the question "is the critical δ at most ``low``" answered without isolating roots.

    A numerator ``N`` is ``<= 0`` on ``[low, 1)`` exactly when it is ``<= 0`` just
    right of ``low`` (its first non-zero Taylor coefficient there) and no factor of odd
    multiplicity changes sign inside ``(low, 1)`` (a Sturm count).

    Examples
    --------
    ``1 - 2δ <= 0`` holds on [1/2, 1), not on [2/5, 1); ``-(2δ - 1)^2`` everywhere:

    >>> from negotiation.repeated.exact_roots import poly_from_fractions
    >>> c = [Condition(poly_from_fractions([1, -2]))]
    >>> holds_from(c, Fraction(1, 2)), holds_from(c, Fraction(2, 5))
    (True, False)
    >>> holds_from([Condition(poly_from_fractions([-1, 4, -4]))], Fraction(0))
    True
    """
    return all(_nonpositive_from(c.numer, low) for c in conditions)


def _nonpositive_from(p: Any, low: Fraction) -> bool:
    import flint

    if p.is_zero():
        return True
    a = flint.fmpq(low.numerator, low.denominator)
    d = p
    while True:  # the sign just right of ``low``
        v = d(a)
        if v != 0:
            if v > 0:
                return False
            break
        d = d.derivative()
    if p.degree() <= 0:
        return True
    _, factors = p.factor_squarefree()
    odd = flint.fmpq_poly([1])
    for f, e in factors:
        if e % 2 == 1:
            odd *= f
    for end in (a, flint.fmpq(1)):  # a simple root at an end is outside (low, 1)
        if odd.degree() > 0 and odd(end) == 0:
            odd = odd // flint.fmpq_poly([-end, 1])
    return odd.degree() <= 0 or _sturm_count(odd, a, flint.fmpq(1)) == 0


def _sturm_count(f: Any, a: Any, b: Any) -> int:
    """Distinct real roots in ``(a, b)`` of a square-free polynomial not zero at either end."""
    seq = [f, f.derivative()]
    while not seq[-1].is_zero() and seq[-1].degree() > 0:
        seq.append(-(seq[-2] % seq[-1]))
    if seq[-1].is_zero():
        seq.pop()

    def changes(x: Any) -> int:
        signs = [s for s in ((q(x) > 0) - (q(x) < 0) for q in seq) if s != 0]
        return sum(1 for u, w in pairwise(signs) if u != w)

    return changes(a) - changes(b)
