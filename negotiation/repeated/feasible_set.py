"""The feasible and individually rational payoffs of the repeated game.

With public randomisation (or payoffs averaged over time, δ -> 1) the *feasible* payoffs
are the convex hull of the stage payoff vectors, ``F = conv{(A[i, j], B[i, j])}``. A
player can always guarantee their minmax value, so no equilibrium gives less: the
*individually rational* part is ``F* = F ∩ {v : v_1 >= m_1, v_2 >= m_2}``. With the mixed
minmax values ``m`` (what a mixing punisher can hold a player to; von Neumann's value
of the player's own payoff matrix) ``F*`` is the set of the folk theorem: every point
strictly inside it is an equilibrium payoff for δ close enough to 1 (Fudenberg &
Maskin 1986). With pure actions only, the pure minmax values ``min_l max_k U[k, l]``
bound the subgame-perfect payoffs from below, and the *pure* individually rational set
is the starting point of the payoff-set iteration of
:mod:`negotiation.repeated.spe_payoffs`.

Vertices are exact (``Fraction``) for exact games: the hull by Andrew's monotone chain
and the cut by the two half-planes in rational arithmetic; the mixed minmax values come
from :func:`~negotiation.games.security.mixed_security_values` (exact simplex).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiation.games.best_response import own_exact_payoffs, own_payoffs, resolve_exact
from negotiation.games.equilibrium import number_out
from negotiation.games.security import mixed_security_values, pure_security_values
from negotiation.games.stage_game import StageGame, require_game
from negotiation.records import TabularResult, flatten, short_repr
from negotiation.repeated.polygon import Polygon, clip, hull

__all__ = ["FeasibleSet", "feasible_set", "individually_rational"]

Number = Fraction | float


def _vertices_out(poly: Polygon) -> list[list[Any]]:
    return [[number_out(x), number_out(y)] for x, y in poly]


@dataclass(frozen=True)
class FeasibleSet(TabularResult):
    """The feasible payoffs and their individually rational parts.

    Attributes
    ----------
    game : StageGame
    feasible : tuple of (Number, Number)
        Vertices of ``F`` (counter-clockwise from the lowest leftmost one).
    minmax : (Number, Number)
        Mixed minmax values of the row and the column player.
    pure_minmax : (Number, Number)
        Pure minmax values.
    individually_rational : tuple of (Number, Number)
        Vertices of ``F ∩ {v >= minmax}``.
    pure_individually_rational : tuple of (Number, Number)
        Vertices of ``F ∩ {v >= pure_minmax}`` (empty when no payoff reaches both).
    minmax_strategies : tuple of two tuples
        The punisher's minmax mixture against each player (over the punisher's moves).
    exact : bool
    """

    __repr__ = short_repr

    def to_records(self) -> list[dict[str, Any]]:
        """One record per vertex: ``set`` (``feasible``, ``individually_rational``,
        ``pure_individually_rational``), ``vertex`` (its index) and one column per
        player (floats, exact text under ``<player>_exact``).

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> feasible_set(pd).to_records()[0]["set"]
        'feasible'
        """
        d = self.to_dict()
        ids = tuple(self.game.players)
        return [
            flatten({"set": name, "vertex": k, **dict(zip(ids, v))})
            for name in ("feasible", "individually_rational", "pure_individually_rational")
            for k, v in enumerate(d[name])
        ]

    game: StageGame = field(repr=False)
    feasible: Polygon
    minmax: tuple[Number, Number]
    pure_minmax: tuple[Number, Number]
    individually_rational: Polygon
    pure_individually_rational: Polygon
    minmax_strategies: tuple[tuple[Number, ...], tuple[Number, ...]] = field(repr=False)
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (exact numbers as ``"p/q"`` strings).

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> feasible_set(pd).to_dict()["individually_rational"]
        [['1', '1'], ['13/3', '1'], ['3', '3'], ['1', '13/3']]
        """
        g = self.game
        return {
            "exact": self.exact,
            "feasible": _vertices_out(self.feasible),
            "minmax": {p: number_out(v) for p, v in zip(g.players, self.minmax)},
            "pure_minmax": {p: number_out(v) for p, v in zip(g.players, self.pure_minmax)},
            "individually_rational": _vertices_out(self.individually_rational),
            "pure_individually_rational": _vertices_out(self.pure_individually_rational),
        }


def individually_rational(poly: Polygon, floor: tuple[Any, Any]) -> Polygon:
    """The part of a polygon where each coordinate is at least its floor.

    Examples
    --------
    >>> individually_rational(((0, 0), (4, 0), (0, 4)), (1, 1))
    ((1.0, 1.0), (3.0, 1.0), (1.0, 3.0))
    """
    return clip(clip(poly, -1, 0, -floor[0]), 0, -1, -floor[1])


def stage_payoff_points(game: StageGame, exact: bool) -> list[tuple[Number, Number]]:
    """The stage payoff vector of every pure profile, row-major."""
    if exact:
        EA, EB = own_exact_payoffs(game, 0), own_exact_payoffs(game, 1)
        m, n = game.shape
        return [(EA[i][j], EB[j][i]) for i in range(m) for j in range(n)]
    A, B = own_payoffs(game, 0), own_payoffs(game, 1)
    m, n = game.shape
    return [(float(A[i, j]), float(B[j, i])) for i in range(m) for j in range(n)]


def feasible_set(game: StageGame, *, exact: bool | None = None) -> FeasibleSet:
    """The feasible set of a stage game and its (pure and mixed) individually rational
    parts, with exact vertices.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Exact rationals (default when the game is exact).

    Returns
    -------
    FeasibleSet

    Examples
    --------
    The Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0): the feasible set is the
    quadrilateral of the four payoff pairs; both minmax values are P = 1 and the cut at
    them meets the edges from (0, 5) and (5, 0) to (3, 3) at 13/3.

    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> f = feasible_set(pd)
    >>> [tuple(map(str, v)) for v in f.feasible]
    [('0', '5'), ('1', '1'), ('5', '0'), ('3', '3')]
    >>> [tuple(map(str, v)) for v in f.individually_rational], f.minmax
    ([('1', '1'), ('13/3', '1'), ('3', '3'), ('1', '13/3')], (Fraction(1, 1), Fraction(1, 1)))
    """
    require_game(game, "feasible_set")
    use = resolve_exact(game, exact)
    F = hull(stage_payoff_points(game, use))
    mixed = mixed_security_values(game, exact=use)
    pure = pure_security_values(game, exact=use)
    return FeasibleSet(
        game,
        F,
        mixed.minmax,
        pure.minmax,
        individually_rational(F, mixed.minmax),
        individually_rational(F, pure.minmax),
        mixed.minmax_strategies,
        use,
    )
