"""Rational functions of one parameter, exact (python-flint), for analyses along a range.

A :class:`RatFunc` is ``p(x) / q(x)`` with rational coefficients, kept reduced. It is a
number type: ``+ - * /``, integer powers, and mixing with ``int`` and ``Fraction``, so
code written for exact numbers (the noisy chain, a strategy's default generosity) runs
on it unchanged and returns the answer as a function of the parameter.

Comparisons (``<``, ``max``, ``min``) have no meaning for functions; a ``RatFunc`` made
with a *sample point* answers them by the sign at that point and records the compared
difference (:attr:`Sample.compared`). The caller then knows every polynomial whose
roots could change the answer, and splits the range there: between those roots the
answer holds as a function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational
from typing import Any

import flint

__all__ = ["RatFunc", "Sample", "solve_linear"]


def _q(x: Fraction) -> Any:
    return flint.fmpq(x.numerator, x.denominator)


@dataclass(eq=False)
class Sample:
    """A point where comparisons between functions are decided, and what was compared.

    Attributes
    ----------
    point : Fraction
    compared : list of flint.fmpq_poly
        Numerators of the differences whose sign was read at ``point``.
    """

    point: Fraction
    compared: list[Any] = field(default_factory=list)
    _values: dict[int, tuple[Any, Any]] = field(default_factory=dict, repr=False)
    _at: Any = field(default=None, repr=False)

    def value(self, f: RatFunc) -> Any:
        """``f`` at the point, as a flint rational (remembered per function object)."""
        hit = self._values.get(id(f))
        if hit is not None and hit[0] is f:
            return hit[1]
        if self._at is None:
            self._at = _q(self.point)
        d = f.den(self._at)
        if d == 0:
            raise ZeroDivisionError(f"pole at {self.point}")
        v = f.num(self._at) / d
        self._values[id(f)] = (f, v)
        return v


class RatFunc:
    """An exact rational function of one variable (see the module docstring).

    Parameters
    ----------
    num, den : flint.fmpq_poly, int or Fraction
        ``den`` defaults to 1.
    sample : Sample, optional
        Where comparisons are decided (inherited by results of arithmetic).

    Examples
    --------
    >>> x = RatFunc.variable()
    >>> f = (1 - (x - 3) / (3 - x * 0)) * 2
    >>> f, f(Fraction(3, 2))
    (RatFunc((-2/3)*x + 4), Fraction(3, 1))
    >>> RatFunc(1) / (x + 1) + 1
    RatFunc((x + 2)/(x + 1))
    """

    __slots__ = ("den", "num", "sample")

    def __init__(self, num: Any, den: Any = None, sample: Sample | None = None) -> None:
        if den is None:  # a polynomial: already reduced
            self.num, self.den, self.sample = _poly(num), _ONE, sample
            return
        n, d = _poly(num), _poly(den)
        if d.is_zero():
            raise ZeroDivisionError("rational function with a zero denominator")
        if n.is_zero():
            d = flint.fmpq_poly([1])
        elif d.degree() > 0:
            g = n.gcd(d)
            if g.degree() > 0:
                n, d = n / g, d / g  # exact division (flint returns the quotient)
        lead = d.leading_coefficient()
        if lead != 1:
            n, d = n / lead, d / lead
        self.num, self.den, self.sample = n, d, sample

    def at(self, sample: Sample | None) -> RatFunc:
        """The same function with comparisons decided at ``sample``.

        Examples
        --------
        >>> f = RatFunc.variable().at(Sample(Fraction(1, 2)))
        >>> f > Fraction(1, 3), f.sample.compared
        (True, [x + (-1/3)])
        """
        out = RatFunc.__new__(RatFunc)
        out.num, out.den, out.sample = self.num, self.den, sample
        return out

    @classmethod
    def variable(cls, sample: Sample | None = None) -> RatFunc:
        """The function ``x``."""
        return cls(flint.fmpq_poly([0, 1]), 1, sample)

    # --- arithmetic -----------------------------------------------------------
    def _other(self, other: Any) -> RatFunc | None:
        t = type(other)
        if t is RatFunc:
            return other
        if t is Fraction or t is int:
            return RatFunc(other)
        if isinstance(other, RatFunc):
            return other
        if isinstance(other, int | Rational) and not isinstance(other, bool):
            return RatFunc(other)
        return None

    def _make(self, num: Any, den: Any, other: RatFunc) -> RatFunc:
        if den.is_one():
            return RatFunc(num, None, self.sample or other.sample)
        return RatFunc(num, den, self.sample or other.sample)

    def __add__(self, other: Any) -> RatFunc:
        o = self._other(other)
        if o is None:
            return NotImplemented
        if self.den == o.den:
            return self._make(self.num + o.num, self.den, o)
        return self._make(self.num * o.den + o.num * self.den, self.den * o.den, o)

    __radd__ = __add__

    def __neg__(self) -> RatFunc:
        return RatFunc(-self.num, self.den, self.sample)

    def __sub__(self, other: Any) -> RatFunc:
        o = self._other(other)
        return NotImplemented if o is None else self + (-o)

    def __rsub__(self, other: Any) -> RatFunc:
        o = self._other(other)
        return NotImplemented if o is None else o + (-self)

    def __mul__(self, other: Any) -> RatFunc:
        o = self._other(other)
        if o is None:
            return NotImplemented
        return self._make(self.num * o.num, self.den * o.den, o)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> RatFunc:
        o = self._other(other)
        if o is None:
            return NotImplemented
        if o.num.is_zero():
            raise ZeroDivisionError("division by the zero function")
        return self._make(self.num * o.den, self.den * o.num, o)

    def __rtruediv__(self, other: Any) -> RatFunc:
        o = self._other(other)
        return NotImplemented if o is None else o / self

    def __pow__(self, k: int) -> RatFunc:
        if not isinstance(k, int):
            return NotImplemented
        if k < 0:
            return RatFunc(1) / self**-k
        return RatFunc(self.num**k, self.den**k, self.sample)

    # --- identity ---------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        o = self._other(other)
        if o is None:
            return NotImplemented
        return bool(self.num == o.num and self.den == o.den)

    def __hash__(self) -> int:
        if self.is_constant:
            c = self.constant()
            return hash(c)
        return hash((str(self.num), str(self.den)))

    def __bool__(self) -> bool:
        return not self.num.is_zero()

    @property
    def is_constant(self) -> bool:
        """Whether the function does not depend on the variable."""
        return self.num.degree() <= 0 and self.den.degree() <= 0

    def constant(self) -> Fraction:
        """The value of a constant function."""
        if not self.is_constant:
            raise ValueError("not a constant function")
        c = self.num[0] / self.den[0] if not self.num.is_zero() else flint.fmpq(0)
        return Fraction(int(c.p), int(c.q))

    def __call__(self, x: Fraction) -> Fraction:
        """The exact value at a rational point."""
        xq = _q(Fraction(x))
        d = self.den(xq)
        if d == 0:
            raise ZeroDivisionError(f"pole at {x}")
        v = self.num(xq) / d
        return Fraction(int(v.p), int(v.q))

    def __float__(self) -> float:
        if self.sample is None:
            raise TypeError("a rational function has no single value")
        return float(self(self.sample.point))

    def __repr__(self) -> str:
        if self.den.degree() <= 0:
            return f"RatFunc({self.num})"
        return f"RatFunc(({self.num})/({self.den}))"

    # --- comparisons at the sample point ------------------------------------------
    def _sign_vs(self, other: Any) -> int:
        o = self._other(other)
        if o is None:
            raise TypeError(f"cannot compare a rational function with {other!r}")
        sample = self.sample or o.sample
        if sample is None:
            raise TypeError("comparing rational functions needs a sample point")
        if not (self.is_constant and o.is_constant):
            # The numerator of the difference (unreduced: extra roots are harmless).
            diff = self.num * o.den - o.num * self.den
            if diff.degree() > 0:
                sample.compared.append(diff)
        a, b = sample.value(self), sample.value(o)
        return (a > b) - (a < b)

    def __lt__(self, other: Any) -> bool:
        return self._sign_vs(other) < 0

    def __le__(self, other: Any) -> bool:
        return self._sign_vs(other) <= 0

    def __gt__(self, other: Any) -> bool:
        return self._sign_vs(other) > 0

    def __ge__(self, other: Any) -> bool:
        return self._sign_vs(other) >= 0


_ONE = flint.fmpq_poly([1])


def _poly(x: Any) -> Any:
    if type(x) is flint.fmpq_poly:
        return x
    if type(x) is Fraction:
        return flint.fmpq_poly([flint.fmpq(x.numerator, x.denominator)])
    if isinstance(x, flint.fmpq_poly):
        return x
    if isinstance(x, flint.fmpz_poly):
        return flint.fmpq_poly(x)
    f = Fraction(x)
    return flint.fmpq_poly([_q(f)])


def solve_linear(M: Sequence[Sequence[Any]], rhs: Sequence[Any]) -> list[Any]:
    """Solve ``M x = rhs`` by Gauss–Jordan elimination over any exact field (Fractions,
    :class:`RatFunc`), pivoting on the first nonzero entry.

    Examples
    --------
    >>> x = RatFunc.variable()
    >>> solve_linear([[1, x], [0, 2]], [1, x])
    [RatFunc((-1/2)*x^2 + 1), RatFunc(1/2*x)]
    """
    n = len(rhs)

    def exact(v: Any) -> Any:
        return Fraction(v) if isinstance(v, int) else v

    rows = [[exact(v) for v in (*r, b)] for r, b in zip(M, rhs)]
    for c in range(n):
        p = next((r for r in range(c, n) if rows[r][c]), None)
        if p is None:
            raise ZeroDivisionError("singular system")
        rows[c], rows[p] = rows[p], rows[c]
        piv = rows[c][c]
        rows[c] = [v / piv if v else v for v in rows[c]]
        for r in range(n):
            f = rows[r][c]
            if r != c and f:
                rows[r] = [a - f * b if b else a for a, b in zip(rows[r], rows[c])]
    return [rows[r][n] for r in range(n)]
