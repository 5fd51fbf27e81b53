"""Exact rational helpers shared by the solvers: conversion, formatting, small linear algebra,
an exact simplex method and the float view of an exact matrix."""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence
from fractions import Fraction
from itertools import pairwise
from numbers import Rational

import numpy as np

from negotiation.errors import GameError

__all__ = [
    "MAX_TEXT_EXPONENT",
    "ExactMatrix",
    "digits",
    "float_view",
    "fraction_str",
    "matrix_game_exact",
    "normalised_exact",
    "short_number",
    "simplex_max",
    "solve_exact",
    "to_fraction",
]

ExactMatrix = tuple[tuple[Fraction, ...], ...]

#: Largest decimal exponent accepted in a payoff given as text (``"1e-40"``): reading
#: ``"1e-999999999"`` exactly would build a billion-digit integer first.
MAX_TEXT_EXPONENT = 10_000

_DECIMAL_TEXT = re.compile(
    r"\s*[+-]?(?:\d+(?:_\d+)*)?(?:\.\d*(?:_\d+)*)?[eE](?P<exp>[+-]?\d+(?:_\d+)*)\s*"
)
_LOG10_2 = math.log10(2)


def digits(value: Fraction) -> int:
    """Decimal digits of the longer of numerator and denominator.

    Estimated from the bit length and corrected by one comparison with a power of ten
    (for numbers of up to 10,000 digits; beyond, the estimate may be one too high), so
    it stays cheap for huge numbers.

    Examples
    --------
    >>> digits(Fraction(12345, 7)), digits(Fraction(1, 10**40)), digits(Fraction(9 * 10**4))
    (5, 41, 5)
    """
    top = max(abs(value.numerator), value.denominator)
    estimate = int(top.bit_length() * _LOG10_2) + 1
    if estimate <= 10_000 and top < 10 ** (estimate - 1):
        estimate -= 1
    return max(estimate, 1)


def short_number(value: object, width: int = 24) -> str:
    """A number as text of at most about ``width`` characters, for messages.

    Exact rationals that would print long are shown as ``"about 1.2e+309"``, and
    any other long text is cut with an ellipsis, so a message never echoes a
    thousand-digit number.

    Examples
    --------
    >>> short_number(Fraction(1, 3)), short_number(Fraction(10**400 + 1))
    ('1/3', 'about 1e+400 (a 401-digit integer)')
    >>> short_number("9" * 50)
    "'99999999999999999999...'"
    """
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        value = Fraction(int(value))
    if isinstance(value, Fraction):
        if digits(value) <= width:
            text = fraction_str(value)
            if len(text) <= width:
                return text
        mag = _log10_abs(value)
        size = digits(value)
        if value.denominator != 1:
            what = f"a fraction of about {size} digits"
        elif size < 4000:  # str() of an int is exact (and allowed) up to 4300 digits
            what = f"a {len(str(abs(value.numerator)))}-digit integer"
        else:
            what = f"an integer of about {size} digits"
        if mag is None:
            return f"0 ({what})"  # pragma: no cover - a Fraction that long is never 0
        exponent = math.floor(mag)
        lead = 10 ** (mag - exponent)
        sign = "-" if value < 0 else ""
        return f"about {sign}{lead:.2g}e{exponent:+d} ({what})"
    text = value if isinstance(value, str) else repr(value)
    if len(text) > width:
        text = text[: width - 4] + "..."
    return repr(text) if isinstance(value, str) else text


def _log10_abs(value: Fraction) -> float | None:
    """``log10(|value|)`` without overflow, or None for zero."""
    if value == 0:
        return None
    num, den = abs(value.numerator), value.denominator
    # Shift both to at most 64 significant bits before dividing: enough for a log.
    shift_n = max(num.bit_length() - 64, 0)
    shift_d = max(den.bit_length() - 64, 0)
    ratio = (num >> shift_n) / (den >> shift_d)
    return math.log10(ratio) + (shift_n - shift_d) * _LOG10_2


def to_fraction(value: object) -> Fraction:
    """Convert a payoff to an exact rational.

    Integers and fractions are taken as they are; a float is read as the shortest
    decimal that prints as it (``0.1`` becomes ``1/10``, the number a person typed),
    and a string may be an integer, a decimal or ``p/q``.

    Parameters
    ----------
    value : int, Fraction, float, numpy scalar or str
        The payoff.

    Returns
    -------
    Fraction

    Raises
    ------
    GameError
        For NaN, infinity, booleans and anything that is not a number.

    Examples
    --------
    >>> to_fraction(0.1), to_fraction("2/6"), to_fraction(3)
    (Fraction(1, 10), Fraction(1, 3), Fraction(3, 1))
    """
    if isinstance(value, bool | np.bool_):
        raise GameError(f"payoff {value!r} is a boolean, expected a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int | np.integer | Rational):
        return Fraction(int(value)) if isinstance(value, int | np.integer) else Fraction(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if not math.isfinite(f):
            raise GameError(f"payoff {f!r} is not a finite number")
        return Fraction(repr(f))
    if isinstance(value, str):
        shown = short_number(value)
        match = _DECIMAL_TEXT.fullmatch(value)
        if match is not None:
            exp = match.group("exp").replace("_", "").lstrip("+-")
            if len(exp) > 6 or int(exp) > MAX_TEXT_EXPONENT:
                raise GameError(
                    f"payoff {shown} has a decimal exponent beyond ±{MAX_TEXT_EXPONENT}"
                )
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise GameError(f"payoff {shown} is not a rational number") from None
    raise GameError(f"payoff {short_number(value)} of type {type(value).__name__} is not a number")


def fraction_str(value: Fraction) -> str:
    """Format an exact rational as ``"p/q"`` (or ``"p"`` when integral).

    Examples
    --------
    >>> fraction_str(Fraction(2, 6)), fraction_str(Fraction(4, 2))
    ('1/3', '2')
    """
    return (
        str(value.numerator)
        if value.denominator == 1
        else f"{value.numerator}/{value.denominator}"
    )


def solve_exact(
    matrix: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]
) -> list[Fraction] | None:
    """Solve a square linear system exactly by Gaussian elimination.

    Parameters
    ----------
    matrix : k x k sequence of Fraction
    rhs : length-k sequence of Fraction

    Returns
    -------
    list of Fraction or None
        The unique solution, or ``None`` when the matrix is singular.

    Examples
    --------
    >>> F = Fraction
    >>> solve_exact([[F(2), F(1)], [F(1), F(3)]], [F(1), F(1)])
    [Fraction(2, 5), Fraction(1, 5)]
    >>> solve_exact([[F(1), F(2)], [F(2), F(4)]], [F(1), F(1)]) is None
    True
    """
    k = len(rhs)
    rows = [[*map(Fraction, matrix[r]), Fraction(rhs[r])] for r in range(k)]
    for col in range(k):
        pivot = next((r for r in range(col, k) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        prow = rows[col]
        inv = 1 / prow[col]
        for r in range(k):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] * inv
                rows[r] = [a - factor * b for a, b in zip(rows[r], prow)]
    return [rows[r][k] / rows[r][r] for r in range(k)]


# --------------------------------------------------------------------------- simplex


def simplex_max(
    c: Sequence[Fraction], A: Sequence[Sequence[Fraction]], b: Sequence[Fraction]
) -> tuple[list[Fraction], Fraction] | None:
    """Maximise ``c . x`` subject to ``A x <= b`` and ``x >= 0``, exactly, for ``b >= 0``.

    The dense-tableau simplex method in rational arithmetic, started from the slack
    basis (feasible since ``b >= 0``) and pivoting by Bland's smallest-index rule,
    which cannot cycle: the method ends after finitely many pivots on degenerate
    problems too (Bland 1977, *New finite pivoting rules for the simplex method*).

    Parameters
    ----------
    c : sequence of Fraction, length k
    A : r x k sequence of Fraction
    b : sequence of Fraction, length r, every entry ``>= 0``

    Returns
    -------
    (x, value) or None
        An optimal basic solution and the optimum, or ``None`` when the objective is
        unbounded above.

    Raises
    ------
    GameError
        When some entry of ``b`` is negative.

    Examples
    --------
    >>> F = Fraction
    >>> simplex_max([F(1), F(1)], [[F(1), F(2)], [F(3), F(1)]], [F(4), F(6)])
    ([Fraction(8, 5), Fraction(6, 5)], Fraction(14, 5))
    >>> simplex_max([F(1)], [[F(-1)]], [F(1)]) is None
    True
    """
    r, k = len(b), len(c)
    if any(v < 0 for v in b):
        raise GameError("simplex_max needs a right-hand side b >= 0")
    zero, one = Fraction(0), Fraction(1)
    rows = [
        [*map(Fraction, A[i]), *(one if t == i else zero for t in range(r)), Fraction(b[i])]
        for i in range(r)
    ]
    obj = [-Fraction(v) for v in c] + [zero] * (r + 1)  # z - c.x = 0
    basis = [k + i for i in range(r)]
    while True:
        enter = next((j for j in range(k + r) if obj[j] < 0), None)
        if enter is None:
            break
        leave, best = -1, Fraction(0)
        for i in range(r):
            a = rows[i][enter]
            if a > 0:
                ratio = rows[i][-1] / a
                if leave < 0 or ratio < best or (ratio == best and basis[i] < basis[leave]):
                    leave, best = i, ratio
        if leave < 0:
            return None
        pivot_row = rows[leave]
        inv = 1 / pivot_row[enter]
        pivot_row = [v * inv for v in pivot_row]
        rows[leave] = pivot_row
        for i in range(r):
            f = rows[i][enter]
            if i != leave and f != 0:
                rows[i] = [a - f * p for a, p in zip(rows[i], pivot_row)]
        f = obj[enter]
        obj = [a - f * p for a, p in zip(obj, pivot_row)]
        basis[leave] = enter
    x = [zero] * k
    for i, var in enumerate(basis):
        if var < k:
            x[var] = rows[i][-1]
    return x, obj[-1]


def matrix_game_exact(
    U: Sequence[Sequence[Fraction]],
) -> tuple[list[Fraction], list[Fraction], Fraction]:
    """Optimal strategies and value of the zero-sum game ``U`` (rows maximise), exactly.

    Each player's strategy comes from one linear program in the canonical form of
    :func:`simplex_max` (the payoffs shifted to be positive, so the origin is a
    feasible start): ``max 1.q`` subject to ``M q <= 1`` gives the column player's
    ``y = q / sum(q)``, and the same on the row player's shifted losses gives ``x``.
    The programs are solved on the payoffs mapped onto ``[1, 2]``
    (:func:`normalised_exact`), which leaves the optimal strategies unchanged.
    Polynomial in practice and exact on degenerate games, where optimal strategies
    need not be unique (one of them is returned).

    Parameters
    ----------
    U : m x n sequence of Fraction
        Payoffs of the maximising row player.

    Returns
    -------
    (x, y, value)
        ``min_l (x^T U)_l == max_k (U y)_k == value``.

    Examples
    --------
    Matching Pennies:

    >>> F = Fraction
    >>> matrix_game_exact([[F(1), F(-1)], [F(-1), F(1)]])
    ([Fraction(1, 2), Fraction(1, 2)], [Fraction(1, 2), Fraction(1, 2)], Fraction(0, 1))
    """
    m, n = len(U), len(U[0])
    # Optimal strategies are invariant under a positive affine map of the payoffs; on
    # [1, 2] payoffs such as k / 10**9000 become small fractions.
    N = normalised_exact(U)
    one = Fraction(1)
    gains = [list(row) for row in N]  # entries in [1, 2]
    losses = [[3 - N[i][j] for i in range(m)] for j in range(n)]  # entries in [1, 2]
    found_y = simplex_max([one] * n, gains, [one] * m)
    found_x = simplex_max([one] * m, losses, [one] * n)
    assert found_y is not None and found_x is not None  # bounded: positive matrices
    (q, sq), (p, sp) = found_y, found_x
    y = [v / sq for v in q]
    x = [v / sp for v in p]
    value = min(sum((x[i] * U[i][j] for i in range(m)), Fraction(0)) for j in range(n))
    return x, y, value


# --------------------------------------------------------------------------- float views


def normalised_exact(M: Sequence[Sequence[Fraction]]) -> ExactMatrix:
    """Map a matrix affinely onto ``[1, 2]``, exactly (a constant matrix becomes ones).

    Examples
    --------
    >>> normalised_exact([[Fraction(0), Fraction(4)], [Fraction(2), Fraction(4)]])
    ((Fraction(1, 1), Fraction(2, 1)), (Fraction(3, 2), Fraction(2, 1)))
    """
    flat = [v for row in M for v in row]
    lo, hi = min(flat), max(flat)
    span = hi - lo if hi > lo else Fraction(1)
    if all(v.denominator == 1 for v in flat):
        # Integers: one Fraction of two integers per entry, not three Fraction operations.
        a, s = int(lo), int(span)
        return tuple(tuple(Fraction(int(v) - a + s, s) for v in row) for row in M)
    return tuple(tuple(1 + (v - lo) / span for v in row) for row in M)


def _faithful(M: Sequence[Sequence[Fraction]], F: np.ndarray) -> bool:
    """Whether ``F`` keeps the order of ``M``'s distinct values, each to full precision
    (no non-zero value in the subnormal range, where doubles lose digits)."""
    pairs = sorted({(v, float(F[i, j])) for i, row in enumerate(M) for j, v in enumerate(row)})
    tiny = sys.float_info.min
    if any(v != 0 and abs(f) < tiny for v, f in pairs):
        return False
    return all(a[1] < b[1] for a, b in pairwise(pairs))


def float_view(M: Sequence[Sequence[Fraction]], F: np.ndarray) -> np.ndarray:
    """A float matrix for the floating-point stage of an exact solver.

    ``F`` itself (the payoffs as floats) when it faithfully orders the exact values;
    otherwise -- payoffs such as ``k * 10**-9000``, which all round to ``0.0``, or
    ``10**20`` and ``10**20 + 1``, which round to the same double -- the exact
    matrix mapped onto ``[1, 2]`` first (:func:`normalised_exact`) and then rounded.
    Every solver here is invariant under that positive affine map, so the float
    stage then sees the game's structure instead of a wall of ties.

    Parameters
    ----------
    M : m x n sequence of Fraction
    F : numpy.ndarray, shape (m, n)
        The same payoffs as floats.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> tiny = [[Fraction(k, 10**9000) for k in (1, 2)]]
    >>> float_view(tiny, np.zeros((1, 2))).tolist()
    [[1.0, 2.0]]
    """
    if _faithful(M, F):
        return F
    return np.array([[float(v) for v in row] for row in normalised_exact(M)], dtype=float)
