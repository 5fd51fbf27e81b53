"""Adaptive governments: what learning, evolution and selection say about one game.

:func:`evolution` gathers, for one stage game, the equilibrium-selection criteria
(:mod:`negotiation.games.selection`), the stochastically stable states of
best-response dynamics with mistakes (:mod:`negotiation.games.stochastic_stability`),
the basins of attraction of a learning or evolutionary dynamic and one trajectory
(:mod:`negotiation.analysis.dynamics`, run by nashpy). It is what
``negotiation evolve`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.analysis.dynamics import NASHPY_VERSION, Basins, Trajectory, basins, trajectory
from negotiation.errors import GameError
from negotiation.games.selection import EquilibriumSelection, equilibrium_selection
from negotiation.games.stage_game import StageGame, require_game
from negotiation.games.stochastic_stability import (
    StochasticStability,
    state_count,
    stochastic_stability,
)
from negotiation.records import short_repr

__all__ = ["DEFAULT_CHAIN_STATES", "Evolution", "evolution"]

#: With no population given, the largest population up to 10 whose chain has at most
#: this many states is used.
DEFAULT_CHAIN_STATES = 5000


@dataclass(frozen=True)
class Evolution:
    """Selection, stochastic stability, basins and a trajectory for one game.

    Attributes
    ----------
    game : StageGame
    detente : (int, int) or None
    selection : EquilibriumSelection
    stability : StochasticStability
    basins : Basins
    trajectory : Trajectory
    nashpy_version : str
    """

    __repr__ = short_repr

    game: StageGame
    detente: tuple[int, int] | None
    selection: EquilibriumSelection
    stability: StochasticStability
    basins: Basins
    trajectory: Trajectory
    nashpy_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> sorted(evolution(stag, grid=4, steps=50).to_dict())[:3]
        ['basins', 'detente', 'moves']
        """
        g = self.game
        detente = None
        if self.detente is not None:
            detente = [g.row_moves[self.detente[0]], g.col_moves[self.detente[1]]]
        return {
            "players": list(g.players),
            "moves": [list(g.row_moves), list(g.col_moves)],
            "detente": detente,
            "nashpy_version": self.nashpy_version,
            "selection": self.selection.to_dict(),
            "stochastic_stability": self.stability.to_dict(),
            "basins": self.basins.to_dict(),
            "trajectory": self.trajectory.to_dict(),
        }


def _population(game: StageGame, population: int | None) -> int:
    if population is not None:
        return population
    best = 2
    for N in range(2, 11):
        if state_count(game, N) <= DEFAULT_CHAIN_STATES:
            best = N
    return best


def evolution(
    game: StageGame,
    *,
    detente: tuple[int, int] | None = None,
    method: str = "replicator",
    grid: int | None = None,
    steps: int = 1000,
    horizon: float = 200.0,
    seed: int | None = 0,
    start: object = None,
    population: int | None = None,
    mistake_rate: Fraction | float | None = None,
    etha: float = 0.01,
    epsilon_bar: float = 0.01,
    tol: float = 0.02,
) -> Evolution:
    """Everything ``negotiation evolve`` reports about ``game``.

    Parameters
    ----------
    game : StageGame
    detente : (int, int), optional
        The détente profile (a scenario's ``repeated.target``).
    method, grid, steps, horizon, seed, etha, epsilon_bar, tol
        As for :func:`~negotiation.analysis.dynamics.basins`.
    start : optional
        Start of the trajectory (:func:`~negotiation.analysis.dynamics.trajectory`).
    population : int, optional
        Agents per population of the stochastic-stability chain (default: the largest
        up to 10 with at most :data:`DEFAULT_CHAIN_STATES` states).
    mistake_rate : Fraction or float, optional
        Also the exact stationary distribution at this rate.

    Returns
    -------
    Evolution

    Examples
    --------
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]],
    ...                               row_moves=["S", "H"], col_moves=["S", "H"])
    >>> e = evolution(stag, detente=(0, 0), grid=20)
    >>> e.selection.risk_dominant, e.stability.stable_profiles, e.basins.detente_share
    ((1, 1), ((1, 1),), 0.21052631578947367)
    """
    require_game(game, "evolution")
    m, n = game.shape
    if detente is not None and not (
        isinstance(detente, tuple)
        and len(detente) == 2
        and 0 <= detente[0] < m
        and 0 <= detente[1] < n
    ):
        raise GameError(f"the détente {detente!r} is not a move profile of a {m}x{n} game")
    b = basins(
        game,
        method,
        grid=grid,
        steps=steps,
        horizon=horizon,
        seed=seed,
        etha=etha,
        epsilon_bar=epsilon_bar,
        tol=tol,
        detente=detente,
    )
    t = trajectory(
        game,
        method,
        start=start,
        steps=steps,
        horizon=horizon,
        seed=seed,
        etha=etha,
        epsilon_bar=epsilon_bar,
        tol=tol,
    )
    stability = stochastic_stability(
        game, _population(game, population), mistake_rate=mistake_rate
    )
    return Evolution(game, detente, equilibrium_selection(game), stability, b, t, NASHPY_VERSION)
