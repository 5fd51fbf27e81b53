"""Exact real roots in [0, 1) of polynomials with rational coefficients (python-flint).

A root is kept as the pair (irreducible integer polynomial, isolating ball): flint
factors the polynomial over the integers and isolates the complex roots of each
irreducible factor with certified error bounds (arb balls; real roots come back with an
exactly zero imaginary part). Distinct irreducible factors have distinct roots, so any
two roots can be told apart, and ordered, by refining their balls. The sign of another
polynomial at a root is exact: zero iff the root's polynomial divides it, otherwise the
sign of its value on a ball fine enough to exclude zero.

This is the exact-arithmetic workhorse of :mod:`negotiation.repeated.regions`; sympy is
used only to display an irrational endpoint (:meth:`Root.exact`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint

__all__ = [
    "Root",
    "compare_real",
    "irreducible_factors",
    "poly_from_fractions",
    "rational_between",
    "rational_between_roots",
    "real_roots_between",
    "real_roots_in_unit",
    "sign_at",
    "sign_at_rational",
    "sort_roots",
]

#: Starting precision (bits) of root balls; doubled until a question is decided.
_PREC = 64
#: Precision beyond which refinement gives up (never reached for distinct roots of
#: polynomials of moderate height; a safeguard against an endless loop).
_MAX_PREC = 1 << 16


def poly_from_fractions(coefficients: Sequence[Any]) -> flint.fmpq_poly:
    """An ``fmpq_poly`` from coefficients in ascending powers (Fractions or ints).

    Examples
    --------
    >>> poly_from_fractions([Fraction(1, 2), 0, 3])
    3*x^2 + 1/2
    """
    return flint.fmpq_poly(
        [flint.fmpq(Fraction(c).numerator, Fraction(c).denominator) for c in coefficients]
    )


def _to_fraction(x: Any) -> Fraction:
    """An exact dyadic (``arf`` midpoint / bound as ``arb``) as a Fraction."""
    man, exp = x.mid().man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


@dataclass(frozen=True, eq=False)
class Root:
    """A real algebraic number in [0, 1): the ``index``-th smallest real root of the
    irreducible integer polynomial ``poly`` (leading coefficient positive).

    Attributes
    ----------
    poly : flint.fmpz_poly
    index : int
        Position among all real roots of ``poly`` (ascending, from 0).
    value : Fraction or None
        The root itself when it is rational (``poly`` of degree 1).
    """

    poly: Any
    index: int
    value: Fraction | None = None
    _balls: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    def __reduce__(self) -> tuple[Any, ...]:
        # flint polynomials do not pickle: send the integer coefficients
        return (_root_from, ([int(c) for c in self.poly.coeffs()], self.index, self.value))

    def ball(self, prec: int) -> Any:
        """An ``arb`` enclosure of the root computed at ``prec`` bits."""
        if self.value is not None:
            return flint.arb(flint.fmpq(self.value.numerator, self.value.denominator))
        if prec not in self._balls:
            self._balls[prec] = _real_balls_at(self.poly, prec)[self.index]
        return self._balls[prec]

    def bounds(self, prec: int = _PREC) -> tuple[Fraction, Fraction]:
        """Rational lower and upper bounds of the root."""
        if self.value is not None:
            return self.value, self.value
        b = self.ball(prec)
        return _to_fraction(b.lower()), _to_fraction(b.upper())

    def __float__(self) -> float:
        return float(self.value) if self.value is not None else float(self.ball(_PREC).mid())

    def exact(self) -> Any:
        """The root as an exact number: a ``Fraction`` when rational, else a sympy
        algebraic number (radicals for quadratics, ``CRootOf`` otherwise).

        Examples
        --------
        >>> [str(r.exact()) for r in real_roots_in_unit(poly_from_fractions([-4, 3, 3]))]
        ['-1/2 + sqrt(57)/6']
        """
        if self.value is not None:
            return self.value
        import sympy

        x = sympy.Symbol("x")
        coeffs = [int(c) for c in self.poly.coeffs()]
        expr = sum((c * x**k for k, c in enumerate(coeffs)), sympy.Integer(0))
        return sympy.Poly(expr, x).real_roots()[self.index]

    def less_than(self, other: Root) -> bool:
        """Whether this root is smaller than another (distinct) root."""
        if self.value is not None and other.value is not None:
            return self.value < other.value
        prec = _PREC
        while prec <= _MAX_PREC:
            a, b = self.ball(prec), other.ball(prec)
            if a < b:
                return True
            if a > b:
                return False
            prec *= 2
        raise ArithmeticError("roots could not be separated")  # pragma: no cover


def _root_from(coeffs: list[int], index: int, value: Fraction | None) -> Root:
    return Root(flint.fmpz_poly(coeffs), index, value)


def _real_balls(poly: Any) -> list[Any]:
    """Real roots of a square-free integer polynomial as arb balls, ascending."""
    reals = [c.real for c, _ in poly.complex_roots() if c.imag == 0]
    return sorted(reals, key=lambda b: float(b.mid()))


#: Real root balls by (polynomial, precision): the same irreducible factors recur
#: across conditions, pieces and parameters.
_BALLS: dict[tuple[str, int], list[Any]] = {}


def _real_balls_at(poly: Any, prec: int) -> list[Any]:
    """:func:`_real_balls` computed at ``prec`` bits (remembered)."""
    key = (str(poly), prec)
    hit = _BALLS.get(key)
    if hit is None:
        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            hit = _real_balls(poly)
        finally:
            flint.ctx.prec = old
        if len(_BALLS) > 8192:
            _BALLS.clear()
        _BALLS[key] = hit
    return hit


def _irreducible(numerator: Any) -> Any:
    """Primitive irreducible factor with a positive leading coefficient."""
    return numerator if numerator.leading_coefficient() > 0 else -numerator


def irreducible_factors(poly: Any) -> list[Any]:
    """Distinct irreducible factors (``fmpz_poly``, positive leading coefficient) of a
    rational (or integer) polynomial; none for constants."""
    if poly.degree() <= 0:
        return []
    num = poly.numer() if isinstance(poly, flint.fmpq_poly) else poly
    _, factors = num.factor()
    return [_irreducible(f) for f, _ in factors]


def _key(f: Any) -> tuple[int, ...]:
    return tuple(int(c) for c in f.coeffs())


def real_roots_in_unit(*polys: Any) -> list[Root]:
    """The distinct real roots in [0, 1) of the given polynomials, sorted.

    Examples
    --------
    >>> roots = real_roots_in_unit(poly_from_fractions([-1, 2]), poly_from_fractions([-4, 3, 3]))
    >>> [round(float(r), 6) for r in roots], roots[0].value
    ([0.5, 0.758306], Fraction(1, 2))
    """
    seen: dict[tuple[int, ...], Any] = {}
    for p in polys:
        for f in irreducible_factors(p):
            seen.setdefault(_key(f), f)
    return sort_roots(r for f in seen.values() for r in _unit_roots(f))


def real_roots_between(low: Fraction, high: Fraction, *polys: Any) -> list[Root]:
    """The distinct real roots in the closed interval [low, high] of the given
    polynomials, sorted.

    Examples
    --------
    >>> roots = real_roots_between(Fraction(-2), Fraction(1), poly_from_fractions([-2, 0, 1]),
    ...                            poly_from_fractions([1, 1]), poly_from_fractions([-1, 1]))
    >>> [round(float(r), 6) for r in roots]
    [-1.414214, -1.0, 1.0]
    """
    seen: dict[tuple[int, ...], Any] = {}
    for p in polys:
        for f in irreducible_factors(p):
            seen.setdefault(_key(f), f)
    return sort_roots(r for f in seen.values() for r in _roots_between(f, low, high, True))


def _unit_roots(f: Any) -> list[Root]:
    """Real roots in [0, 1) of an irreducible integer polynomial."""
    return _roots_between(f, Fraction(0), Fraction(1), False)


def _roots_between(f: Any, low: Fraction, high: Fraction, closed: bool) -> list[Root]:
    """Real roots of an irreducible integer polynomial in [low, high] (``closed``) or
    [low, high)."""
    if f.degree() == 1:
        b, a = (int(c) for c in f.coeffs())
        x = Fraction(-b, a)
        return [Root(f, 0, x)] if low <= x and (x < high or (closed and x == high)) else []
    out = []
    roots = [Root(f, k) for k in range(len(_real_balls_at(f, _PREC)))]
    lo, hi = (flint.arb(flint.fmpq(v.numerator, v.denominator)) for v in (low, high))
    for r in roots:
        # An irreducible polynomial of degree >= 2 has no rational root: refine until
        # the ball is clear of both ends.
        prec = _PREC
        while True:
            b = r.ball(prec)
            if (b > lo and b < hi) or b < lo or b > hi:
                break
            prec *= 2
            if prec > _MAX_PREC:  # pragma: no cover
                raise ArithmeticError("a root could not be located against the interval")
        if b > lo and b < hi:
            out.append(r)
    return out


def sort_roots(roots: Iterable[Root]) -> list[Root]:
    """Distinct roots in ascending order."""
    import functools

    def order(a: Root, b: Root) -> int:
        return -1 if a.less_than(b) else 1

    return sorted(roots, key=functools.cmp_to_key(order))


def sign_at_rational(poly: flint.fmpq_poly, x: Fraction) -> int:
    """Exact sign of ``poly(x)``.

    Examples
    --------
    >>> sign_at_rational(poly_from_fractions([-1, 2]), Fraction(1, 3))
    -1
    """
    v = poly(flint.fmpq(x.numerator, x.denominator))
    return (v > 0) - (v < 0)


def sign_at(poly: flint.fmpq_poly, root: Root) -> int:
    """Exact sign of ``poly`` at an algebraic root.

    Examples
    --------
    >>> r = real_roots_in_unit(poly_from_fractions([-4, 3, 3]))[0]
    >>> sign_at(poly_from_fractions([-4, 3, 3]) * 7, r), sign_at(poly_from_fractions([0, 1]), r)
    (0, 1)
    """
    if root.value is not None:
        return sign_at_rational(poly, root.value)
    if poly.is_zero():
        return 0
    num = poly.numer()
    if (num % root.poly).is_zero():
        return 0
    coeffs = [flint.arb(int(c)) for c in num.coeffs()]
    prec = _PREC
    while prec <= _MAX_PREC:
        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            v = flint.arb_poly(coeffs)(root.ball(prec))
        finally:
            flint.ctx.prec = old
        if v > 0:
            return 1
        if v < 0:
            return -1
        prec *= 2
    raise ArithmeticError("the sign at a root could not be decided")  # pragma: no cover


def rational_between(low: Fraction, high: Fraction) -> Fraction:
    """A simple rational strictly between two rationals (the one with the smallest
    denominator, from the Stern–Brocot tree).

    Examples
    --------
    >>> rational_between(Fraction(1, 3), Fraction(1, 2))
    Fraction(2, 5)
    >>> rational_between(Fraction(-1, 2), Fraction(-1, 3))
    Fraction(-2, 5)
    """
    if not low < high:
        raise ValueError("need low < high")
    whole = low.numerator // low.denominator  # floor
    if whole + 1 < high:
        return Fraction(whole + 1)
    lo, hi = low - whole, high - whole  # 0 <= lo < hi <= 1
    if lo == 0:
        return whole + Fraction(1, int(1 / hi) + 1)
    return whole + 1 / rational_between(1 / hi, 1 / lo)


def rational_between_roots(low: Root | Fraction, high: Root | Fraction) -> Fraction:
    """A simple rational strictly between two distinct real numbers, each a
    :class:`Root` or a ``Fraction``, ``low < high``.

    Examples
    --------
    >>> r = real_roots_in_unit(poly_from_fractions([-1, 0, 2]))[0]  # 1/sqrt(2)
    >>> rational_between_roots(r, Fraction(1)), rational_between_roots(Fraction(1, 2), r)
    (Fraction(3, 4), Fraction(2, 3))
    """
    prec = _PREC
    while prec <= _MAX_PREC:
        a = low if isinstance(low, Fraction) else low.bounds(prec)[1]
        b = high if isinstance(high, Fraction) else high.bounds(prec)[0]
        if a < b:
            return rational_between(a, b)
        prec *= 2
    raise ArithmeticError("the numbers could not be separated")  # pragma: no cover


def compare_real(a: Root | Fraction, b: Root | Fraction) -> int:
    """-1, 0 or 1 as ``a < b``, ``a == b``, ``a > b`` for real algebraic numbers given as
    :class:`Root` or ``Fraction``, exactly.

    Examples
    --------
    >>> r = real_roots_in_unit(poly_from_fractions([-1, 0, 2]))[0]  # 1/sqrt(2)
    >>> compare_real(r, Fraction(7, 10)), compare_real(Fraction(1, 2), r), compare_real(r, r)
    (1, -1, 0)
    """
    a = a.value if isinstance(a, Root) and a.value is not None else a
    b = b.value if isinstance(b, Root) and b.value is not None else b
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return (a > b) - (a < b)
    if isinstance(a, Root) and isinstance(b, Root):
        if a.poly == b.poly and a.index == b.index:
            return 0
        return -1 if a.less_than(b) else 1
    if isinstance(a, Fraction):
        return -compare_real(b, a)
    assert isinstance(a, Root) and isinstance(b, Fraction)
    q = flint.fmpz_poly([-b.numerator, b.denominator])
    return -1 if a.less_than(Root(q, 0, b)) else 1  # an irrational root is never rational
