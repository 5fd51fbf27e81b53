"""Default punishment profiles of many stage games at once (see ``context_for``).

The built-in strategies depend on a game only through the target and the two
punishment profiles, so a sweep can group its games by these profiles and build each
group's automata once. This module computes the profiles for a whole stack of games
with the same rules and tie-breaks as :func:`negotiation.repeated.library.context_for`
(first in row-major order among equals), comparing payoffs within a relative tolerance
so that values equal in exact arithmetic stay equal after floating-point evaluation.
"""

from __future__ import annotations

import numpy as np

from negotiation.errors import GameError
from negotiation.games.pure_equilibria import pure_equilibria_batch

__all__ = ["punishment_profiles", "punishment_ties"]

#: Payoffs closer than this, relative to the game's largest payoff, count as equal.
TIE = 1e-9


def _first(mask: np.ndarray) -> np.ndarray:
    """Row-major index of the first True per game (shape (G, ...)); -1 where none."""
    flat = mask.reshape(mask.shape[0], -1)
    return np.where(flat.any(axis=1), flat.argmax(axis=1), -1)


def _nash(A: np.ndarray, B: np.ndarray, tol: np.ndarray) -> np.ndarray:
    G, _m, n = A.shape
    eq = pure_equilibria_batch(A, B, tol=tol[:, None, None])
    out = np.full((G, 2, 2), -1, dtype=int)
    for k, U in enumerate((A, B)):
        worst = np.where(eq, U, np.inf).min(axis=(1, 2))
        first = _first(eq & (worst[:, None, None] + tol[:, None, None] >= U))
        ok = first >= 0
        out[ok, k, 0], out[ok, k, 1] = np.divmod(first[ok], n)
    return out


def _minmax(A: np.ndarray, B: np.ndarray, tol: np.ndarray) -> np.ndarray:
    G = A.shape[0]
    t = tol[:, None]
    out = np.empty((G, 2, 2), dtype=int)
    rows = np.arange(G)
    # Row player deviates: the column player picks the column minimising the row's best.
    best = A.max(axis=1)  # (G, n)
    punisher = _first(best <= best.min(axis=1, keepdims=True) + t)
    col = A[rows, :, punisher]  # (G, m)
    reply = _first(col >= col.max(axis=1, keepdims=True) - t)
    out[:, 0, 0], out[:, 0, 1] = reply, punisher
    # Column player deviates: the row player picks the row minimising the column's best.
    best = B.max(axis=2)  # (G, m)
    punisher = _first(best <= best.min(axis=1, keepdims=True) + t)
    row = B[rows, punisher, :]  # (G, n)
    reply = _first(row >= row.max(axis=1, keepdims=True) - t)
    out[:, 1, 0], out[:, 1, 1] = punisher, reply
    return out


def punishment_ties(A: np.ndarray, B: np.ndarray, punishment: str = "nash") -> np.ndarray:
    """Games whose default punishment profiles hang on a comparison within :data:`TIE`
    (and not exactly equal in floats): there the float choice may differ from the exact
    one, so callers decide those games exactly.

    Examples
    --------
    The column that holds the row player down is a tie in the first game, a near tie
    in the second:

    >>> A = np.array([[[0.0, 0.0], [2.0, 2.0]], [[0.0, 0.0], [2.0, 2.0 - 1e-12]]])
    >>> punishment_ties(A, A.transpose(0, 2, 1), "minmax").tolist()
    [False, True]
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    loose = punishment_profiles(A, B, punishment)
    strict = _profiles(A, B, punishment, np.zeros(A.shape[0]))
    return (loose != strict).reshape(A.shape[0], -1).any(axis=1)


def _profiles(A: np.ndarray, B: np.ndarray, punishment: str, tol: np.ndarray) -> np.ndarray:
    if punishment == "nash":
        return _nash(A, B, tol)
    if punishment == "minmax":
        return _minmax(A, B, tol)
    if punishment == "nash-any":
        raise GameError(
            "punishment: nash-any (mixed stage equilibria) is analysed exactly, one game at "
            "a time (stability, compare, simulate); the batched grid engines (sweep, "
            "robustness, tipping) support punishment: nash and minmax"
        )
    raise ValueError(f"unknown punishment {punishment!r}: use 'nash' or 'minmax'")


def punishment_profiles(A: np.ndarray, B: np.ndarray, punishment: str = "nash") -> np.ndarray:
    """The default punishment profiles of each game in a stack.

    Parameters
    ----------
    A, B : numpy.ndarray, shape (G, m, n)
    punishment : {"nash", "minmax"}

    Returns
    -------
    numpy.ndarray of int, shape (G, 2, 2)
        ``[g, k]`` is the (row move, column move) played after a deviation by player
        ``k`` in game ``g``; ``-1`` where ``"nash"`` finds no pure equilibrium.

    Examples
    --------
    A Prisoner's Dilemma and a game without a pure equilibrium (matching pennies):

    >>> A = np.array([[[3.0, 0.0], [5.0, 1.0]], [[1.0, -1.0], [-1.0, 1.0]]])
    >>> B = np.array([[[3.0, 5.0], [0.0, 1.0]], [[-1.0, 1.0], [1.0, -1.0]]])
    >>> punishment_profiles(A, B).tolist()
    [[[1, 1], [1, 1]], [[-1, -1], [-1, -1]]]
    >>> punishment_profiles(A, B, "minmax")[1].tolist()
    [[0, 0], [0, 1]]
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    scale = np.maximum(np.abs(A).max(axis=(1, 2)), np.abs(B).max(axis=(1, 2)))
    return _profiles(A, B, punishment, TIE * np.maximum(scale, 1.0))
