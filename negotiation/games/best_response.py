"""Pure best responses to a mixed strategy, and the pure best-response table.

A move is a best response when no other move of the same player earns more against
the opponent's strategy (Osborne & Rubinstein 1994, section 2.2). The helpers
:func:`resolve_exact`, :func:`own_payoffs` and :func:`own_exact_payoffs` give every
per-player solver (dominance, security values) the same view of a game: a payoff
matrix indexed ``[own move, opponent's move]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from numbers import Rational

import numpy as np

from negotiation.errors import GameError
from negotiation.games.rational import ExactMatrix, short_number, to_fraction
from negotiation.games.stage_game import StageGame, require_game

__all__ = [
    "best_responses",
    "own_exact_payoffs",
    "own_payoffs",
    "pure_best_response_table",
    "resolve_exact",
]


def resolve_exact(game: StageGame, exact: bool | None) -> bool:
    """Decide the arithmetic: exact when asked or, by default, when the game is exact.

    Raises :class:`GameError` when ``exact=True`` but the game has no exact payoffs.

    Examples
    --------
    >>> g = StageGame.from_payoffs([[0.5]], [[1]], exact=False)
    >>> resolve_exact(g, None), resolve_exact(g, False)
    (False, False)
    """
    require_game(game, "resolve_exact")
    if exact is None:
        return game.is_exact
    if exact:
        game.require_exact()
    return bool(exact)


def _check_player(player: int) -> None:
    if player not in (0, 1):
        raise GameError(f"player must be 0 (row) or 1 (column), got {player!r}")


def own_payoffs(game: StageGame, player: int) -> np.ndarray:
    """Float payoffs of ``player`` (0 row, 1 column) indexed ``[own move, other's move]``.

    Examples
    --------
    >>> g = StageGame.from_payoffs([[1, 2]], [[3, 4]])
    >>> own_payoffs(g, 1).tolist()
    [[3.0], [4.0]]
    """
    require_game(game, "own_payoffs")
    _check_player(player)
    return np.asarray(game.A if player == 0 else game.B.T)


def own_exact_payoffs(game: StageGame, player: int) -> ExactMatrix:
    """Exact payoffs of ``player`` indexed ``[own move, other's move]``.

    Raises :class:`GameError` when the game is not exact.

    Examples
    --------
    >>> g = StageGame.from_payoffs([[1, 2]], [["1/3", 4]])
    >>> own_exact_payoffs(g, 1)
    ((Fraction(1, 3),), (Fraction(4, 1),))
    """
    require_game(game, "own_exact_payoffs")
    _check_player(player)
    A, B = game.require_exact()
    return A if player == 0 else tuple(zip(*B))


def _is_rational(p: object) -> bool:
    return isinstance(p, Rational | str) and not isinstance(p, bool)


def best_responses(
    game: StageGame,
    player: int,
    strategy: Sequence[Fraction | float | int | str],
    *,
    exact: bool | None = None,
    tol: float = 1e-9,
) -> tuple[int, ...]:
    """Pure best responses of ``player`` to the other player's mixed strategy.

    Parameters
    ----------
    game : StageGame
    player : int
        0 for the row player, 1 for the column player.
    strategy : sequence of Fraction, int, str or float
        Probabilities of the *other* player's moves; non-negative, summing to 1.
    exact : bool, optional
        Compare expected payoffs as exact rationals. By default exact when the game
        is exact and every probability is rational (int, Fraction or ``"p/q"``).
        With ``exact=True`` floats are read as the decimal they print as.
    tol : float
        Float mode only: a move is a best response when within
        ``tol * max|payoff|`` of the best expected payoff; also the slack allowed
        in the probability checks.

    Returns
    -------
    tuple of int
        Indices of the player's best-responding moves, increasing.

    Raises
    ------
    GameError
        Bad player, wrong length, negative probabilities or a sum other than 1.

    Examples
    --------
    In the Prisoner's Dilemma defection (move 1) is the only best response:

    >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> best_responses(g, 0, [Fraction(1, 2), Fraction(1, 2)])
    (1,)
    >>> best_responses(g, 1, [0.25, 0.75])
    (1,)
    """
    require_game(game, "best_responses")
    U = own_payoffs(game, player)
    if isinstance(strategy, str | bytes) or not hasattr(strategy, "__len__"):
        raise GameError(f"the strategy must be a list of probabilities, got {strategy!r:.40}")
    if len(strategy) != U.shape[1]:
        raise GameError(
            f"the strategy has {len(strategy)} probabilities but the other player has "
            f"{U.shape[1]} moves"
        )
    use_exact = resolve_exact(game, exact)
    if exact is None and not all(_is_rational(p) for p in strategy):
        use_exact = False
    if use_exact:
        E = own_exact_payoffs(game, player)
        q = [to_fraction(p) for p in strategy]
        if any(p < 0 for p in q) or sum(q) != 1:
            shown = ", ".join(short_number(p) for p in q[:6]) + (", ..." if len(q) > 6 else "")
            raise GameError(f"not a probability vector (exactly): [{shown}]")
        pay = [sum((a * p for a, p in zip(row, q)), Fraction(0)) for row in E]
        best = max(pay)
        return tuple(k for k, v in enumerate(pay) if v == best)
    try:
        y = np.array([float(to_fraction(p)) if isinstance(p, str) else float(p) for p in strategy])
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):  # GameError included
        raise GameError(f"not a probability vector: {short_number(list(strategy), 60)}") from None
    total = float(y.sum())
    if not all(map(math.isfinite, y)) or (y < -tol).any() or abs(total - 1.0) > max(tol, 1e-12):
        raise GameError(f"not a probability vector: {y.tolist()} (sum {total})")
    pay_f = U @ np.clip(y, 0.0, None)
    scale = float(np.abs(U).max()) or 1.0
    return tuple(int(k) for k in np.nonzero(pay_f >= pay_f.max() - tol * scale)[0])


def pure_best_response_table(
    game: StageGame, *, exact: bool | None = None, tol: float = 1e-9
) -> tuple[np.ndarray, np.ndarray]:
    """Which pure moves are best responses to each pure move of the other player.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Exact comparison (default when the game is exact).
    tol : float
        Float mode only: tolerance relative to the largest absolute payoff.

    Returns
    -------
    row_br, col_br : numpy.ndarray of bool, shape (m, n)
        ``row_br[i, j]`` is True when row move ``i`` is a best response to column
        move ``j``; ``col_br[i, j]`` when column move ``j`` is a best response to row
        move ``i``. A pure Nash equilibrium is a cell where both are True.

    Examples
    --------
    Stag Hunt (Skyrms 2004):

    >>> g = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> row_br, col_br = pure_best_response_table(g)
    >>> row_br.tolist(), (row_br & col_br).tolist()
    ([[True, False], [False, True]], [[True, False], [False, True]])
    """
    require_game(game, "pure_best_response_table")
    if resolve_exact(game, exact):
        EA, EB = game.require_exact()
        col_best = [max(col) for col in zip(*EA)]
        row_best = [max(row) for row in EB]
        row_br = np.array([[a == b for a, b in zip(row, col_best)] for row in EA], dtype=bool)
        col_br = np.array([[b == m for b in row] for row, m in zip(EB, row_best)], dtype=bool)
        return row_br, col_br
    A, B = game.A, game.B
    row_floor = A.max(axis=0, keepdims=True) - tol * (float(np.abs(A).max()) or 1.0)
    col_floor = B.max(axis=1, keepdims=True) - tol * (float(np.abs(B).max()) or 1.0)
    return np.greater_equal(A, row_floor), np.greater_equal(B, col_floor)
