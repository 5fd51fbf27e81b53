"""Pure-strategy Nash equilibria: profiles where each move is a best response to the other."""

from __future__ import annotations

import numpy as np

from negotiation.games.stage_game import StageGame, require_game

__all__ = ["pure_equilibria", "pure_equilibria_batch"]


def pure_equilibria_batch(
    A: np.ndarray, B: np.ndarray, *, tol: float | np.ndarray = 0.0
) -> np.ndarray:
    """Mask of the pure equilibria of a stack of games.

    Parameters
    ----------
    A, B : numpy.ndarray, shape (G, m, n)
    tol : float or numpy.ndarray
        A move counts as a best response when within ``tol`` of the best payoff
        (0 for exact comparison of the float values); an array of shape (G, 1, 1)
        gives each game its own tolerance.

    Returns
    -------
    numpy.ndarray of bool, shape (G, m, n)
        ``True`` at ``[g, i, j]`` when ``(i, j)`` is an equilibrium of game ``g``.

    Examples
    --------
    >>> A = np.array([[[3, 0], [5, 1]]])
    >>> pure_equilibria_batch(A, np.swapaxes(A, 1, 2))[0].tolist()
    [[False, False], [False, True]]
    """
    A = np.asarray(A)
    B = np.asarray(B)
    row_best = A.max(axis=1, keepdims=True) - tol <= A
    col_best = B.max(axis=2, keepdims=True) - tol <= B
    return np.asarray(row_best & col_best)


def pure_equilibria(game: StageGame, *, exact: bool | None = None) -> tuple[tuple[int, int], ...]:
    """All pure Nash equilibria of a game, as (row move, column move) index pairs.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Compare payoffs as exact rationals (default when the game is exact).

    Returns
    -------
    tuple of (int, int)
        In row-major order.

    Examples
    --------
    Stag Hunt (Skyrms 2004) has two pure equilibria:

    >>> g = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> pure_equilibria(g)
    ((0, 0), (1, 1))
    """
    require_game(game, "pure_equilibria", stand_in=True)
    use_exact = game.is_exact if exact is None else exact
    if use_exact:
        EA, EB = game.require_exact()
        m, n = game.shape
        col_max = [max(EA[i][j] for i in range(m)) for j in range(n)]
        row_max = [max(EB[i]) for i in range(m)]
        return tuple(
            (i, j)
            for i in range(m)
            for j in range(n)
            if EA[i][j] == col_max[j] and EB[i][j] == row_max[i]
        )
    mask = pure_equilibria_batch(game.A[None], game.B[None])[0]
    return tuple((int(i), int(j)) for i, j in zip(*np.nonzero(mask)))
