"""Exact rational helpers shared by the solvers: conversion, formatting, small linear algebra."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from numbers import Rational

import numpy as np

from negotiation.errors import GameError

__all__ = [
    "ExactMatrix",
    "fraction_str",
    "solve_exact",
    "to_fraction",
]

ExactMatrix = tuple[tuple[Fraction, ...], ...]


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
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise GameError(f"payoff {value!r} is not a rational number") from None
    raise GameError(f"payoff {value!r} of type {type(value).__name__} is not a number")


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
