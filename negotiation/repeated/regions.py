"""Sets of discount factors as unions of intervals with exact endpoints.

A condition is a rational function ``g(δ) = N(δ) / D(δ)`` with rational coefficients;
it holds where ``g(δ) <= 0``. The set of δ in [0, 1) where a family of conditions all
hold is found exactly: the real roots of every numerator and denominator in [0, 1]
(exact rationals or algebraic numbers from sympy) split [0, 1) into points and open
gaps, and each point and gap is tested once. Signs are evaluated with 60-digit
interval-free arithmetic at the exact roots and at gap midpoints, where the
functions do not vanish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Condition", "Interval", "region_where", "render_number"]

_DPS = 60
_ZERO = 1e-40


@dataclass(frozen=True)
class Interval:
    """An interval of discount factors with exact (sympy) endpoints."""

    low: Any
    high: Any
    low_closed: bool
    high_closed: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: endpoints as exact strings such as ``"3/5"``.

        Examples
        --------
        >>> import sympy
        >>> Interval(sympy.Rational(1, 2), sympy.Integer(1), True, False).to_dict()
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


def render_number(value: Any) -> str:
    """An exact number as text: ``"3/5"``, ``"sqrt(5)/2 - 1/2"``.

    Examples
    --------
    >>> import sympy
    >>> render_number(sympy.Rational(3, 5)), render_number(sympy.sqrt(5) / 2 - sympy.S.Half)
    ('3/5', '-1/2 + sqrt(5)/2')

    A root with no radical form is named by its polynomial and located numerically:

    >>> x = sympy.Symbol("x")
    >>> render_number(sympy.CRootOf(x**3 + x**2 + x - 2, 0))
    'root of x**3 + x**2 + x - 2 ≈ 0.810536'
    """
    import sympy

    if isinstance(value, sympy.CRootOf):
        return f"root of {value.expr} ≈ {float(value):.6g}"
    return str(value)


@dataclass(frozen=True)
class Condition:
    """``numer(δ) / denom(δ) <= 0`` with numerator and denominator as sympy Polys in δ,
    tagged with what it stands for (e.g. player, state, deviation)."""

    numer: Any
    denom: Any
    tag: tuple[Any, ...] = ()


def _roots_in_unit(poly: Any) -> list[Any]:
    if poly.is_zero or poly.degree() <= 0:
        return []
    out = []
    for r in poly.real_roots():
        v = float(r.evalf(30))
        if -1e-12 <= v <= 1 + 1e-12:
            out.append(r)
    return out


def _value(cond: Condition, x: Any) -> float | None:
    import mpmath

    with mpmath.workdps(_DPS):
        n = mpmath.polyval([mpmath.mpf(c.p) / c.q for c in cond.numer.all_coeffs()], x)
        d = mpmath.polyval([mpmath.mpf(c.p) / c.q for c in cond.denom.all_coeffs()], x)
        if abs(d) < _ZERO:
            return None
        v = n / d
        return 0.0 if abs(v) < _ZERO else float(mpmath.sign(v))


def breakpoints(conditions: Sequence[Condition]) -> list[Any]:
    """Sorted distinct roots in [0, 1) of all numerators and denominators, with 0."""
    import mpmath
    import sympy

    pts: list[tuple[Any, Any]] = [(mpmath.mpf(0), sympy.Integer(0))]
    for c in conditions:
        for r in _roots_in_unit(c.numer) + _roots_in_unit(c.denom):
            with mpmath.workdps(_DPS):
                v = mpmath.mpf(str(r.evalf(_DPS)))
            if v < 1 and all(abs(v - w) > mpmath.mpf(10) ** -40 for w, _ in pts):
                pts.append((v, sympy.nsimplify(r) if r.is_Rational else r))
    pts.sort(key=lambda p: p[0])
    return pts


def region_where(
    conditions: Sequence[Condition], points: list[Any] | None = None
) -> tuple[Interval, ...]:
    """The set of δ in [0, 1) where every condition holds, as sorted disjoint intervals.

    Examples
    --------
    ``(1 - 2δ) / 1 <= 0`` holds for δ in [1/2, 1):

    >>> import sympy
    >>> d = sympy.Symbol("delta")
    >>> c = Condition(sympy.Poly(1 - 2 * d, d), sympy.Poly(1, d))
    >>> [str(i) for i in region_where([c])]
    ['[1/2, 1)']
    """
    import mpmath
    import sympy

    pts = points if points is not None else breakpoints(conditions)

    def holds(x: Any) -> bool:
        for c in conditions:
            v = _value(c, x)
            if v is not None and v > 0:
                return False
        return True

    marks: list[tuple[Any, Any, bool, bool]] = []  # (low, high, point?, member)
    with mpmath.workdps(_DPS):
        for k, (v, exact) in enumerate(pts):
            marks.append((exact, exact, True, holds(v)))
            nxt = pts[k + 1][0] if k + 1 < len(pts) else mpmath.mpf(1)
            nxt_exact = pts[k + 1][1] if k + 1 < len(pts) else sympy.Integer(1)
            marks.append((exact, nxt_exact, False, holds((v + nxt) / 2)))
    out: list[Interval] = []
    current: list[Any] | None = None
    for low, high, is_point, member in marks:
        if member:
            if current is None:
                current = [low, high, is_point, False]
            current[1] = high
            current[3] = is_point
        elif current is not None:
            out.append(Interval(current[0], current[1], current[2], current[3]))
            current = None
    if current is not None:
        out.append(Interval(current[0], current[1], current[2], False))
    return tuple(out)
