"""Pareto-efficient pure profiles of a stage game.

A profile Pareto-dominates another when it gives both players at least as much and
one of them strictly more (Pareto efficiency; see e.g. Osborne & Rubinstein 1994,
*A Course in Game Theory*). Here only *pure* profiles are compared, with each other: correlated or
mixed outcomes (points of the convex hull of the payoff pairs) are not considered,
so a profile listed as efficient may still be dominated by a lottery over profiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from negotiation.games.best_response import resolve_exact
from negotiation.games.stage_game import StageGame, require_game

__all__ = ["pareto_dominates", "pareto_efficient_profiles"]


def pareto_dominates(u: Sequence[Fraction | float], v: Sequence[Fraction | float]) -> bool:
    """Whether payoff pair ``u`` Pareto-dominates ``v`` (``>=`` in both, ``>`` in one).

    Examples
    --------
    >>> pareto_dominates((3, 3), (1, 1)), pareto_dominates((5, 0), (3, 3))
    (True, False)
    """
    return all(a >= b for a, b in zip(u, v)) and any(a > b for a, b in zip(u, v))


def pareto_efficient_profiles(
    game: StageGame, *, exact: bool | None = None
) -> tuple[tuple[int, int], ...]:
    """Pure profiles not Pareto-dominated by any other pure profile.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Compare exact rational payoffs (default when the game is exact); otherwise the
        float payoffs are compared as they are, without tolerance.

    Returns
    -------
    tuple of (int, int)
        ``(row move, column move)`` index pairs in row-major order. Profiles with equal
        payoff pairs are either all efficient or all dominated.

    Notes
    -----
    Pure profiles are compared among pure profiles only (see the module docstring).

    Examples
    --------
    In the Prisoner's Dilemma every profile but mutual defection is efficient:

    >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> pareto_efficient_profiles(g)
    ((0, 0), (0, 1), (1, 0))
    """
    require_game(game, "pareto_efficient_profiles")
    m, n = game.shape
    if resolve_exact(game, exact):
        EA, EB = game.require_exact()
        pay: dict[tuple[int, int], tuple[Fraction | float, ...]] = {
            (i, j): (EA[i][j], EB[i][j]) for i in range(m) for j in range(n)
        }
    else:
        pay = {
            (i, j): (float(game.A[i, j]), float(game.B[i, j])) for i in range(m) for j in range(n)
        }
    points = set(pay.values())
    return tuple(
        cell for cell, u in pay.items() if not any(pareto_dominates(w, u) for w in points)
    )
