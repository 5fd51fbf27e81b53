"""Certification of equilibria: the largest gain from a pure deviation (the regret).

A mixed profile ``(x, y)`` is a Nash equilibrium iff no pure move earns more than the
profile against the other's strategy: ``max_i (A y)_i <= x^T A y`` and
``max_j (x^T B)_j <= x^T B y``. Checking pure deviations suffices because a mixed
deviation's payoff is an average of pure ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import flint
import numpy as np

from negotiation.games.rational import ExactMatrix

__all__ = ["exact_regret", "exact_regrets", "float_regret"]


def exact_regret(
    A: ExactMatrix, B: ExactMatrix, x: Sequence[Fraction], y: Sequence[Fraction]
) -> tuple[Fraction, Fraction, Fraction]:
    """Exact regret of a profile and the two expected payoffs.

    Parameters
    ----------
    A, B : tuple of tuple of Fraction
        Payoffs indexed (row move, column move).
    x, y : sequence of Fraction
        Mixed strategies (probability vectors).

    Returns
    -------
    (regret, payoff_row, payoff_col) : three Fractions
        ``regret`` is 0 exactly when ``(x, y)`` is a Nash equilibrium.

    Examples
    --------
    >>> F = Fraction
    >>> A = ((F(1), F(-1)), (F(-1), F(1)))
    >>> B = tuple(tuple(-v for v in r) for r in A)
    >>> exact_regret(A, B, [F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)])
    (Fraction(0, 1), Fraction(0, 1), Fraction(0, 1))
    """
    m, n = len(A), len(A[0])
    # Sums over the supports only: the same values, far fewer products for the sparse
    # profiles that degenerate games have by the thousand.
    sx = [i for i in range(m) if x[i] != 0]
    sy = [j for j in range(n) if y[j] != 0]
    Ay = [sum((A[i][j] * y[j] for j in sy), Fraction(0)) for i in range(m)]
    xB = [sum((x[i] * B[i][j] for i in sx), Fraction(0)) for j in range(n)]
    u = sum((x[i] * Ay[i] for i in sx), Fraction(0))
    v = sum((xB[j] * y[j] for j in sy), Fraction(0))
    return max(max(Ay) - u, max(xB) - v, Fraction(0)), u, v


def exact_regrets(
    A: ExactMatrix,
    B: ExactMatrix,
    profiles: Sequence[tuple[Sequence[Fraction], Sequence[Fraction]]],
) -> list[tuple[Fraction, Fraction, Fraction]]:
    """:func:`exact_regret` of many profiles of one game, the products in python-flint.

    The payoff matrices are converted once; each profile then costs two exact
    matrix-vector products.

    Examples
    --------
    >>> F = Fraction
    >>> A = ((F(1), F(-1)), (F(-1), F(1)))
    >>> B = tuple(tuple(-v for v in r) for r in A)
    >>> half, pure = [F(1, 2), F(1, 2)], [F(1), F(0)]
    >>> [tuple(str(v) for v in c) for c in exact_regrets(A, B, [(half, half), (pure, pure)])]
    [('0', '0', '0'), ('2', '1', '-1')]
    """
    m, n = len(A), len(A[0])

    def q(v: Fraction) -> flint.fmpq:
        return flint.fmpq(v.numerator, v.denominator)

    def f(t: flint.fmpq) -> Fraction:
        return Fraction(int(t.p), int(t.q))

    FA = flint.fmpq_mat(m, n, [q(v) for row in A for v in row])
    FB = flint.fmpq_mat(m, n, [q(v) for row in B for v in row])
    zero = flint.fmpq(0)
    out = []
    for x, y in profiles:
        qx, qy = [q(v) for v in x], [q(v) for v in y]
        Ay = (FA * flint.fmpq_mat(n, 1, qy)).entries()
        xB = (flint.fmpq_mat(1, m, qx) * FB).entries()
        u = sum((a * b for a, b in zip(qx, Ay)), zero)
        v = sum((a * b for a, b in zip(xB, qy)), zero)
        out.append((f(max(max(Ay) - u, max(xB) - v, zero)), f(u), f(v)))
    return out


def float_regret(
    A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray
) -> tuple[float, float, float]:
    """Floating-point regret of a profile and the two expected payoffs.

    Examples
    --------
    >>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
    >>> float_regret(A, A.T, np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    (0.0, 1.0, 1.0)
    """
    Ay = A @ y
    xB = x @ B
    u = float(x @ Ay)
    v = float(xB @ y)
    return max(float(Ay.max()) - u, float(xB.max()) - v, 0.0), u, v
