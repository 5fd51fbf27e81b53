"""Learning and evolutionary dynamics on a stage game, run by nashpy.

Three methods, all computed by nashpy (Knight & Campbell 2018, "Nashpy: a Python
library for the computation of Nash equilibria", *JOSS* 3(30), 904):

* ``"replicator"`` -- the replicator dynamics (Taylor & Jonker 1978): one population
  (``Game.replicator_dynamics``) when the game is symmetric
  (:func:`~negotiation.games.stochastic_stability.is_symmetric`), else two populations
  (``Game.asymmetric_replicator_dynamics``). Time runs from 0 to ``horizon`` with
  payoffs rescaled to the range [0, 1] for each player (a positive affine rescaling:
  the same orbits, only the clock changes).
* ``"fictitious"`` -- fictitious play (Brown 1951; Robinson 1951; Fudenberg & Levine
  1998, ch. 2; ``Game.fictitious_play``): each round both play a best reply to the
  other's empirical frequencies.
* ``"stochastic"`` -- stochastic fictitious play with logit choice
  (Fudenberg & Levine 1998, ch. 4; Hofbauer & Sandholm 2002;
  ``Game.stochastic_fictitious_play``) on the rescaled payoffs, with noise ``etha``
  and perturbation bound ``epsilon_bar``.

A *start* is a pair of mixed strategies: the initial population shares, or the initial
beliefs of fictitious play (play counts of total weight 1). A trajectory is said to
reach an equilibrium when its last point lies within ``tol`` of it (largest difference
of a probability); the *basin* of an equilibrium is the share of a grid of starts
whose trajectories reach it.

What nashpy does not do, and how it is handled here (each pinned by a test):

* its learning algorithms take no seed or Generator: they draw from NumPy's legacy
  global ``RandomState`` (ties of fictitious play; all choices of stochastic fictitious
  play). :func:`trajectory` and :func:`basins` seed that state with ``seed`` and
  restore it afterwards, so results are reproducible and the caller's global state is
  untouched (not safe against other threads drawing from it at the same time);
* its replicator dynamics integrate with ``scipy.integrate.odeint`` and can step
  outside the simplex by rounding (shares of about ``-1e-14``): the points are
  clipped to [0, 1] and renormalised;
* its stochastic fictitious play raises a bare ``ValueError`` when the logit overflows;
  here that is a :class:`~negotiation.errors.GameError` (the payoffs are rescaled to
  [0, 1] first, so it happens only for ``etha`` below about 0.0015).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from math import comb
from numbers import Integral, Real
from typing import Any

import nashpy
import numpy as np

from negotiation.errors import GameError
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame, require_game
from negotiation.games.stochastic_stability import is_symmetric
from negotiation.limits import MAX_DYNAMICS_WORK, MAX_GRID, MAX_STARTS, MAX_STEPS
from negotiation.records import TabularResult, short_repr

__all__ = [
    "DEFAULT_WORK",
    "METHODS",
    "NASHPY_VERSION",
    "BasinShare",
    "Basins",
    "Trajectory",
    "basins",
    "default_grid",
    "grid_starts",
    "simplex_grid",
    "trajectory",
]

#: The dynamics available.
METHODS = ("replicator", "fictitious", "stochastic")
#: The nashpy version running the dynamics.
NASHPY_VERSION: str = nashpy.__version__

Start = tuple[tuple[float, ...], tuple[float, ...]]


@contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """NumPy's legacy global random state seeded for nashpy, restored afterwards."""
    saved = np.random.get_state()
    try:
        if seed is not None:
            np.random.seed(seed)
        yield
    finally:
        np.random.set_state(saved)


def _check_seed(seed: object) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, np.random.Generator):  # one seed drawn from it, and recorded
        return int(seed.integers(2**32))
    if isinstance(seed, bool) or not isinstance(seed, Integral) or not 0 <= int(seed) < 2**32:
        raise GameError(f"the seed must be a whole number from 0 to {2**32 - 1}, got {seed!r}")
    return int(seed)


def _whole(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not low <= int(value) <= high:
        raise GameError(f"{name} must be a whole number from {low} to {high:,}, got {value!r}")
    return int(value)


def _positive(name: str, value: object, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise GameError(f"{name} must be a number, got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and 0 < v <= high):
        limit = "" if high == math.inf else f" and at most {high:g}"
        raise GameError(f"{name} must be a finite number above 0{limit}, got {value!r}")
    return v


def _scaled(M: np.ndarray) -> np.ndarray:
    """``M`` rescaled to the range [0, 1] (all zeros when it is constant)."""
    low, high = float(M.min()), float(M.max())
    return (M - low) / (high - low) if high > low else np.zeros_like(M)


def _mixed(value: object, size: int, who: str) -> tuple[float, ...]:
    try:
        x = np.array(value, dtype=float).ravel()
    except (TypeError, ValueError):
        raise GameError(f"the start of {who} must be {size} numbers, got {value!r}") from None
    if x.size != size:
        raise GameError(f"the start of {who} must have {size} shares (one per move), got {x.size}")
    if not np.all(np.isfinite(x)) or np.any(x < 0) or not abs(x.sum() - 1) <= 1e-9:
        raise GameError(
            f"the start of {who} must be non-negative shares summing to 1, got "
            f"{', '.join(f'{v:g}' for v in x)}"
        )
    return tuple(float(v) for v in x / x.sum())


def _start(game: StageGame, start: object) -> Start:
    """A start ``(x, y)``, or ``x`` alone for a symmetric game; default the centre."""
    m, n = game.shape
    players = game.players
    if start is None:
        return tuple([1 / m] * m), tuple([1 / n] * n)
    if (
        isinstance(start, tuple | list)
        and len(start) == 2
        and all(isinstance(s, Sequence | np.ndarray) for s in start)
    ):
        return _mixed(start[0], m, players[0]), _mixed(start[1], n, players[1])
    if is_symmetric(game):
        x = _mixed(start, m, players[0])
        return x, x
    raise GameError(
        "the start of a two-population game is a pair of mixed strategies (row, column)"
    )


@dataclass(frozen=True)
class Trajectory(TabularResult):
    """A trajectory of one of the dynamics (see :func:`trajectory`).

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    single_population : bool
        Whether the replicator dynamics ran on one population (then ``row == col``).
    times : numpy.ndarray, shape (k,)
        Time points (replicator) or rounds (fictitious play).
    row, col : numpy.ndarray, shapes (k, m) and (k, n)
        Population shares or empirical frequencies at each point (read-only).
    start : ((float, ...), (float, ...))
    seed : int or None
    reached : int or None
        Index of the stage equilibrium (in :attr:`equilibria`) the last point lies
        within ``tol`` of, if any.
    equilibria : tuple of ((float, ...), (float, ...))
        The game's extreme equilibria, as floats.
    tol : float
    """

    __repr__ = short_repr

    def to_records(self) -> list[dict[str, Any]]:
        """One record per time point: ``time`` and each population's shares
        (``row.<k>``, ``col.<k>``, moves numbered from 0).

        Examples
        --------
        >>> from negotiation.games.stage_game import StageGame
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> sorted(trajectory(pd, steps=5).to_records()[0])
        ['col.0', 'col.1', 'row.0', 'row.1', 'time']
        """
        return [
            {
                "time": float(t),
                **{f"row.{k}": float(v) for k, v in enumerate(r)},
                **{f"col.{k}": float(v) for k, v in enumerate(c)},
            }
            for t, r, c in zip(self.times, self.row, self.col)
        ]

    method: str
    single_population: bool
    times: np.ndarray
    row: np.ndarray
    col: np.ndarray
    start: Start
    seed: int | None
    reached: int | None
    equilibria: tuple[Start, ...] = field(repr=False)
    tol: float = 0.02

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (lists of floats).

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> t = trajectory(pd, "replicator", steps=3, horizon=30)
        >>> t.to_dict()["reached"], [round(v, 3) for v in t.to_dict()["row"][-1]]
        (0, [0.0, 1.0])
        """
        return {
            "method": self.method,
            "single_population": self.single_population,
            "start": [list(self.start[0]), list(self.start[1])],
            "seed": self.seed,
            "tol": self.tol,
            "reached": self.reached,
            "times": self.times.tolist(),
            "row": self.row.tolist(),
            "col": self.col.tolist(),
        }


def _equilibria(game: StageGame) -> tuple[Start, ...]:
    return tuple(
        (tuple(float(p) for p in e.row), tuple(float(q) for q in e.col))
        for e in extreme_equilibria(game)
    )


def _reached(x: np.ndarray, y: np.ndarray, eqs: Sequence[Start], tol: float) -> int | None:
    best, where = math.inf, None
    for k, (p, q) in enumerate(eqs):
        d = max(float(np.max(np.abs(x - p))), float(np.max(np.abs(y - q))))
        if d < best:
            best, where = d, k
    return where if best <= tol else None


def _simplex(points: np.ndarray) -> np.ndarray:
    clipped = np.clip(points, 0.0, None)
    return clipped / clipped.sum(axis=1, keepdims=True)


def _run(
    game: StageGame,
    nash_game: Any,
    method: str,
    start: Start,
    steps: int,
    horizon: float,
    etha: float,
    epsilon_bar: float,
    single: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x0, y0 = np.array(start[0]), np.array(start[1])
    if method == "replicator":
        times = np.linspace(0.0, horizon, steps + 1)
        if single:
            xs = nash_game.replicator_dynamics(y0=x0, timepoints=times)
            return times, _simplex(xs), _simplex(xs)
        xs, ys = nash_game.asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=times)
        return times, _simplex(np.asarray(xs)), _simplex(np.asarray(ys))
    counts = [x0.copy(), y0.copy()]
    if method == "fictitious":
        history = [c for c in nash_game.fictitious_play(iterations=steps, play_counts=counts)]
    else:
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # reported below instead
                history = [
                    c
                    for c, _ in nash_game.stochastic_fictitious_play(
                        iterations=steps, play_counts=counts, etha=etha, epsilon_bar=epsilon_bar
                    )
                ]
        except (ValueError, OverflowError) as exc:  # a logit overflow (1/etha included)
            raise GameError(
                f"stochastic fictitious play overflowed with etha={etha:g} "
                f"(nashpy: {' '.join(str(exc).split())[:200]}); use a larger etha"
            ) from None
    rows = np.array([h[0] / h[0].sum() for h in history], dtype=float)
    cols = np.array([h[1] / h[1].sum() for h in history], dtype=float)
    return np.arange(steps + 1, dtype=float), rows, cols


def _check_method(method: object) -> str:
    if method not in METHODS:
        raise GameError(f"unknown method {method!r}: one of {', '.join(METHODS)}")
    return str(method)


def _nash_game(game: StageGame, method: str, single: bool) -> Any:
    """The nashpy game the method runs on (rescaled payoffs except for fictitious play,
    whose best replies do not depend on the scale)."""
    if method == "fictitious":
        return nashpy.Game(np.array(game.A), np.array(game.B))
    if single:
        A = _scaled(np.array(game.A))
        return nashpy.Game(A, A.T)
    return nashpy.Game(_scaled(np.array(game.A)), _scaled(np.array(game.B)))


def trajectory(
    game: StageGame,
    method: str = "replicator",
    *,
    start: object = None,
    steps: int = 1000,
    horizon: float = 200.0,
    seed: int | np.random.Generator | None = 0,
    etha: float = 0.01,
    epsilon_bar: float = 0.01,
    tol: float = 0.02,
) -> Trajectory:
    """One trajectory of the replicator dynamics or (stochastic) fictitious play.

    Parameters
    ----------
    game : StageGame
    method : {"replicator", "fictitious", "stochastic"}
    start : mixed strategy, pair of them, or None
        ``(x, y)``; for a symmetric game ``x`` alone will do. Default: every move
        equally likely.
    steps : int
        Time points after the start (replicator) or rounds (fictitious play), 1 to
        :data:`~negotiation.limits.MAX_STEPS`.
    horizon : float
        End time of the replicator dynamics (on payoffs rescaled to [0, 1]).
    seed : int, numpy.random.Generator or None
        Seed of the random tie-breaks and choices of fictitious play (a Generator gives
        one seed drawn from it, recorded in the result).
    etha, epsilon_bar : float
        Logit noise and perturbation bound of stochastic fictitious play.
    tol : float
        How close the last point must be to an equilibrium to count as reaching it.

    Returns
    -------
    Trajectory

    Examples
    --------
    The Stag Hunt from 80% stag hunters: the population goes to the stag convention.

    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> t = trajectory(stag, start=[0.8, 0.2])
    >>> t.single_population, t.reached, round(float(t.row[-1][0]), 4)
    (True, 0, 1.0)


    Fictitious play from the belief that 70% hunt stag: stag pays 2.8 < 3, so both
    hunt hare from the first round on.

    >>> trajectory(stag, "fictitious", start=[0.7, 0.3], steps=200).reached
    1
    """
    require_game(game, "trajectory")
    method = _check_method(method)
    steps = _whole("steps", steps, 1, MAX_STEPS)
    horizon = _positive("the horizon", horizon, 1e6)
    etha = _positive("etha", etha, 1e6)
    epsilon_bar = _positive("epsilon_bar", epsilon_bar, 1e6)
    tol = _positive("the tolerance", tol, 1.0)
    seed = _check_seed(seed)
    begin = _start(game, start)
    single = method == "replicator" and is_symmetric(game)
    eqs = _equilibria(game)
    with _seeded(seed):
        times, rows, cols = _run(
            game,
            _nash_game(game, method, single),
            method,
            begin,
            steps,
            horizon,
            etha,
            epsilon_bar,
            single,
        )
    for a in (times, rows, cols):
        a.setflags(write=False)
    reached = _reached(rows[-1], cols[-1], eqs, tol)
    return Trajectory(method, single, times, rows, cols, begin, seed, reached, eqs, tol)


def simplex_grid(size: int, grid: int) -> list[tuple[float, ...]]:
    """The interior points ``c / grid`` of the simplex of ``size`` moves (every
    ``c_i >= 1``), the first move's share falling; the starts of :func:`basins`.

    Examples
    --------
    >>> simplex_grid(2, 4)
    [(0.75, 0.25), (0.5, 0.5), (0.25, 0.75)]
    >>> len(simplex_grid(3, 10))
    36
    """

    def parts(total: int, k: int) -> Iterator[tuple[int, ...]]:
        if k == 1:
            yield (total,)
            return
        for first in range(total - k + 1, 0, -1):
            for rest in parts(total - first, k - 1):
                yield (first, *rest)

    if size == 1:
        return [(1.0,)]
    return [tuple(float(Fraction(c, grid)) for c in p) for p in parts(grid, size)]


def grid_starts(game: StageGame, grid: int, single: bool) -> int:
    """Number of starts of :func:`basins`: ``C(grid - 1, m - 1)`` interior points of
    each player's simplex, one population's or the product of both.

    Examples
    --------
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> grid_starts(stag, 10, True), grid_starts(stag, 10, False)
    (9, 81)
    """
    m, n = game.shape
    rows = comb(grid - 1, m - 1) if m > 1 else 1
    cols = comb(grid - 1, n - 1) if n > 1 else 1
    return rows if single else rows * cols


@dataclass(frozen=True)
class BasinShare:
    """The share of starts whose trajectories reach one stage equilibrium.

    Attributes
    ----------
    equilibrium : ((float, ...), (float, ...)) or None
        The equilibrium (``None``: the starts that reached none).
    label : str
        ``"(hold, hold)"`` for a pure equilibrium, ``"mixed 2"`` and the like otherwise,
        ``"none"`` for the starts that reached none.
    count : int
    share : float
    detente : bool
        Whether the equilibrium is the scenario's détente profile.
    """

    equilibrium: Start | None
    label: str
    count: int
    share: float
    detente: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> BasinShare(None, "none", 3, 0.25, False).to_dict()["share"]
        0.25
        """
        eq = self.equilibrium
        return {
            "label": self.label,
            "equilibrium": None if eq is None else [list(eq[0]), list(eq[1])],
            "count": self.count,
            "share": self.share,
            "detente": self.detente,
        }


@dataclass(frozen=True)
class Basins(TabularResult):
    """Where the dynamics go from a grid of starts (see :func:`basins`).

    Attributes
    ----------
    method : str
    single_population : bool
    grid : int
    starts : int
    steps : int
    seed : int or None
    shares : tuple of BasinShare
        One per stage equilibrium, then the starts that reached none.
    detente_share : float or None
        Share of starts reaching the détente profile (``None``: no détente given).
    outcomes : tuple of int
        For each start (in grid order), the index into :attr:`shares` it reached.
    tol : float
    """

    __repr__ = short_repr

    _rows_key = "shares"
    _keep = ("method", "grid", "starts")

    method: str
    single_population: bool
    grid: int
    starts: int
    steps: int
    seed: int | None
    shares: tuple[BasinShare, ...]
    detente_share: float | None
    outcomes: tuple[int, ...]
    tol: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> b = basins(stag, grid=4, detente=(0, 0))
        >>> [(s["label"], s["count"]) for s in b.to_dict()["shares"]]
        [('(1, 1)', 0), ('(2, 2)', 2), ('mixed 3', 1), ('none', 0)]
        """
        return {
            "method": self.method,
            "single_population": self.single_population,
            "grid": self.grid,
            "starts": self.starts,
            "steps": self.steps,
            "seed": self.seed,
            "tol": self.tol,
            "detente_share": self.detente_share,
            "shares": [s.to_dict() for s in self.shares],
        }


def _eq_label(game: StageGame, k: int, eq: Start) -> str:
    (x, y) = eq
    if max(x) == 1.0 and max(y) == 1.0:
        return f"({game.row_moves[x.index(1.0)]}, {game.col_moves[y.index(1.0)]})"
    return f"mixed {k + 1}"


#: With no grid given, :func:`basins` takes the finest grid up to 20 whose starts times
#: steps stay within this budget (about five seconds of fictitious play).
DEFAULT_WORK = 100_000


def default_grid(game: StageGame, method: str, steps: int) -> int:
    """The grid :func:`basins` uses when none is given: the finest up to 20 with at most
    :data:`DEFAULT_WORK` starts times steps (at least 2).

    Examples
    --------
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> default_grid(stag, "replicator", 1000), default_grid(stag, "fictitious", 1000)
    (20, 11)
    """
    single = method == "replicator" and is_symmetric(game)
    fits = [g for g in range(2, 21) if grid_starts(game, g, single) * steps <= DEFAULT_WORK]
    return max(fits, default=2)


def basins(
    game: StageGame,
    method: str = "replicator",
    *,
    grid: int | None = None,
    steps: int = 1000,
    horizon: float = 200.0,
    seed: int | np.random.Generator | None = 0,
    etha: float = 0.01,
    epsilon_bar: float = 0.01,
    tol: float = 0.02,
    detente: tuple[int, int] | None = None,
) -> Basins:
    """Basins of attraction of the stage equilibria, as shares of a grid of starts.

    The starts are the interior points ``c / grid`` of each player's simplex (all
    ``c_i >= 1``; ``grid - 1`` points for two moves); in a symmetric game under the
    replicator dynamics one population, else every pair of a row and a column start.
    Random choices draw from one stream seeded by ``seed``, start after start.

    Parameters
    ----------
    game : StageGame
    method : {"replicator", "fictitious", "stochastic"}
    grid : int, optional
        2 to :data:`~negotiation.limits.MAX_GRID` (default :func:`default_grid`); the
        number of starts
        (:func:`grid_starts`) may be at most :data:`~negotiation.limits.MAX_STARTS`,
        and starts times steps at most :data:`~negotiation.limits.MAX_DYNAMICS_WORK`.
    steps, horizon, seed, etha, epsilon_bar, tol
        As for :func:`trajectory`.
    detente : (int, int), optional
        The détente profile, whose basin is reported as :attr:`Basins.detente_share`.

    Returns
    -------
    Basins

    Examples
    --------
    Stag Hunt: the mixed equilibrium hunts stag with probability 3/4, and the stag basin
    is the starts above it (Kandori, Mailath & Rob 1993, section 2):

    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> b = basins(stag, grid=100, detente=(0, 0))
    >>> b.starts, b.detente_share, [s.count for s in b.shares]
    (99, 0.24242424242424243, [24, 74, 1, 0])
    """
    require_game(game, "basins")
    method = _check_method(method)
    steps = _whole("steps", steps, 1, MAX_STEPS)
    grid = default_grid(game, method, steps) if grid is None else grid
    grid = _whole("the grid", grid, 2, MAX_GRID)
    single = method == "replicator" and is_symmetric(game)
    count = grid_starts(game, grid, single)
    if count > MAX_STARTS:
        raise GameError(
            f"a grid of {grid} gives {count:,} starting points for a "
            f"{game.shape[0]}x{game.shape[1]} game; at most {MAX_STARTS:,}: choose a "
            "smaller grid"
        )
    if count * steps > MAX_DYNAMICS_WORK:
        raise GameError(
            f"{count:,} starting points of {steps:,} steps each is too much work: at most "
            f"{MAX_DYNAMICS_WORK:,} points times steps; choose fewer steps or a smaller grid"
        )
    horizon = _positive("the horizon", horizon, 1e6)
    etha = _positive("etha", etha, 1e6)
    epsilon_bar = _positive("epsilon_bar", epsilon_bar, 1e6)
    tol = _positive("the tolerance", tol, 1.0)
    seed = _check_seed(seed)
    m, n = game.shape
    if detente is not None and not (0 <= detente[0] < m and 0 <= detente[1] < n):
        raise GameError(f"the détente {detente!r} is not a move profile of a {m}x{n} game")
    eqs = _equilibria(game)
    rows, cols = simplex_grid(m, grid), simplex_grid(n, grid)
    starts: list[Start] = [(x, x) for x in rows] if single else list(product(rows, cols))
    nash_game = _nash_game(game, method, single)
    hits: list[int] = []
    with _seeded(seed):
        for s in starts:
            _, xs, ys = _run(game, nash_game, method, s, steps, horizon, etha, epsilon_bar, single)
            k = _reached(xs[-1], ys[-1], eqs, tol)
            hits.append(len(eqs) if k is None else k)
    target = None
    if detente is not None:
        a, b = detente
        target = next((k for k, (x, y) in enumerate(eqs) if x[a] == 1.0 and y[b] == 1.0), None)
    shares = []
    for k, eq in enumerate((*eqs, None)):
        c = hits.count(k)
        label = "none" if eq is None else _eq_label(game, k, eq)
        shares.append(BasinShare(eq, label, c, c / count, eq is not None and k == target))
    detente_share = None
    if detente is not None:
        detente_share = 0.0 if target is None else hits.count(target) / count
    return Basins(
        method, single, grid, count, steps, seed, tuple(shares), detente_share, tuple(hits), tol
    )
