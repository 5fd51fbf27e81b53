"""Security levels: what a player can guarantee (maxmin) and be held to (minmax).

For player ``i`` with payoffs ``U[own move, other's move]``:

* pure maxmin ``max_k min_l U[k, l]``: the best guarantee with a pure move;
* pure minmax ``min_l max_k U[k, l]``: the lowest payoff a pure punisher can impose;
* mixed value ``v_i = min_y max_k (U y)_k = max_x min_l (x^T U)_l``: equal by von
  Neumann's minimax theorem (von Neumann 1928), and always
  ``pure maxmin <= v_i <= pure minmax``.

Mixed values come from linear programs (HiGHS via :func:`scipy.optimize.linprog`). In
exact mode the float optimum only suggests a basis: its square subsystem is solved in
rationals and accepted with the exact certificate ``min_l (x^T U)_l == max_k (U y)_k``;
failing that, square subsystems are tried, one of which is optimal (Shapley & Snow
1950, *Basic solutions of discrete games*). That search is exponential in degenerate
games (a constant 12x12 matrix has 2.7 million square subsystems, all but the 1x1 ones
singular), so it stops after :data:`MAX_SQUARE_TRIES` subsystems and the exact simplex
method (:func:`~negotiation.games.rational.matrix_game_exact`) decides instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

import numpy as np

from negotiation.errors import GameError
from negotiation.games.best_response import own_exact_payoffs, own_payoffs, resolve_exact
from negotiation.games.equilibrium import number_out
from negotiation.games.extreme_equilibria import check_exact_size
from negotiation.games.rational import ExactMatrix, float_view, matrix_game_exact, solve_exact
from negotiation.games.stage_game import StageGame, require_game

__all__ = [
    "MAX_SQUARE_TRIES",
    "MixedSecurityValues",
    "PureSecurityValues",
    "mixed_security_values",
    "pure_security_values",
]

Number = Fraction | float
Strategy = tuple[Number, ...]

#: Most square subsystems one exact search tries before the exact simplex method takes
#: over (a full search of a 6x6 matrix tries 924, of a 12x12 one 2.7 million).
MAX_SQUARE_TRIES = 1000


@dataclass(frozen=True)
class PureSecurityValues:
    """Pure maxmin and minmax of both players (index 0 row, 1 column).

    Attributes
    ----------
    game : StageGame
    maxmin : (Number, Number)
        ``max_k min_l U_i[k, l]`` for each player.
    maxmin_moves : (tuple of int, tuple of int)
        The player's own moves attaining the maxmin.
    minmax : (Number, Number)
        ``min_l max_k U_i[k, l]`` for each player.
    minmax_moves : (tuple of int, tuple of int)
        The *other* player's moves attaining the minmax (the pure punishments).
    exact : bool
        Whether the values are exact Fractions.
    """

    game: StageGame = field(repr=False)
    maxmin: tuple[Number, Number]
    maxmin_moves: tuple[tuple[int, ...], tuple[int, ...]]
    minmax: tuple[Number, Number]
    minmax_moves: tuple[tuple[int, ...], tuple[int, ...]]
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form keyed by player id, moves by label.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> pure_security_values(g).to_dict()["players"]["1"]
        {'maxmin': '-1', 'maxmin_moves': ['1', '2'], 'minmax': '1', 'minmax_moves': ['1', '2']}
        """
        out: dict[str, Any] = {}
        g = self.game
        for p, pid in enumerate(g.players):
            own, other = (g.row_moves, g.col_moves)[:: 1 - 2 * p]
            out[pid] = {
                "maxmin": number_out(self.maxmin[p]),
                "maxmin_moves": [own[k] for k in self.maxmin_moves[p]],
                "minmax": number_out(self.minmax[p]),
                "minmax_moves": [other[k] for k in self.minmax_moves[p]],
            }
        return {"exact": self.exact, "players": out}


@dataclass(frozen=True)
class MixedSecurityValues:
    """Mixed security values and optimal strategies (index 0 row, 1 column player).

    Attributes
    ----------
    game : StageGame
    maxmin, minmax : (Number, Number)
        The guarantee ``min_l (x_i^T U_i)_l`` of player ``i``'s maxmin mixture and the cap
        ``max_k (U_i y_i)_k`` of the punisher's minmax mixture: equal in exact mode, equal
        up to rounding in float mode.
    maxmin_strategies : (Strategy, Strategy)
        Player ``i``'s own optimal mixture ``x_i`` (over ``i``'s moves).
    minmax_strategies : (Strategy, Strategy)
        The other player's punishing mixture ``y_i`` (over the other's moves).
    exact : bool
        Whether the numbers are exact Fractions, certified exactly.
    """

    game: StageGame = field(repr=False)
    maxmin: tuple[Number, Number]
    minmax: tuple[Number, Number]
    maxmin_strategies: tuple[Strategy, Strategy]
    minmax_strategies: tuple[Strategy, Strategy]
    exact: bool

    @property
    def values(self) -> tuple[Number, Number]:
        """The minmax values ``(v_row, v_col)``."""
        return self.minmax

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form keyed by player id, strategies keyed by move label.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> d = mixed_security_values(g).to_dict()["players"]["2"]
        >>> d["value"], d["maxmin_strategy"], d["minmax_strategy"]
        ('0', {'1': '1/2', '2': '1/2'}, {'1': '1/2', '2': '1/2'})
        """
        out: dict[str, Any] = {}
        g = self.game
        for p, pid in enumerate(g.players):
            own, other = (g.row_moves, g.col_moves)[:: 1 - 2 * p]
            out[pid] = {
                "value": number_out(self.minmax[p]),
                "maxmin": number_out(self.maxmin[p]),
                "minmax": number_out(self.minmax[p]),
                "maxmin_strategy": dict(zip(own, map(number_out, self.maxmin_strategies[p]))),
                "minmax_strategy": dict(zip(other, map(number_out, self.minmax_strategies[p]))),
            }
        return {"exact": self.exact, "players": out}


def pure_security_values(game: StageGame, *, exact: bool | None = None) -> PureSecurityValues:
    """Pure maxmin and pure minmax of both players.

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Exact rationals (default when the game is exact).

    Returns
    -------
    PureSecurityValues

    Examples
    --------
    Matching Pennies: a pure move guarantees -1, a pure punisher cannot push below 1.

    >>> g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> s = pure_security_values(g)
    >>> s.maxmin, s.minmax
    ((Fraction(-1, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(1, 1)))
    """
    require_game(game, "pure_security_values")
    use = resolve_exact(game, exact)
    per_player = []
    for p in (0, 1):
        U: Any = own_exact_payoffs(game, p) if use else own_payoffs(game, p).tolist()
        row_min = [min(row) for row in U]
        col_max = [max(col) for col in zip(*U)]
        lo, hi = max(row_min), min(col_max)
        lo_at = tuple(k for k, v in enumerate(row_min) if v == lo)
        per_player.append((lo, lo_at, hi, tuple(j for j, v in enumerate(col_max) if v == hi)))
    (a0, b0, c0, d0), (a1, b1, c1, d1) = per_player
    return PureSecurityValues(game, (a0, a1), (b0, b1), (c0, c1), (d0, d1), use)


def _float_optimal(U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maxmin mixture x over the rows of U and minmax mixture y over its columns (HiGHS).

    The LP is ``max v`` s.t. ``x^T U >= v``, ``x`` in the simplex; the punisher's ``y`` is
    its dual solution, read from the constraint marginals.
    """
    m, n = U.shape
    S = U / (float(np.abs(U).max()) or 1.0)
    from scipy.optimize import linprog  # imported here: scipy.optimize costs 0.3-0.6 s

    res = linprog(
        np.r_[np.zeros(m), -1.0],
        A_ub=np.c_[-S.T, np.ones(n)],
        b_ub=np.zeros(n),
        A_eq=np.r_[np.ones(m), 0.0][None],
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible and bounded
        raise GameError(f"linear program failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    y = np.clip(-np.asarray(res.ineqlin.marginals), 0.0, None)
    return x / x.sum(), y / y.sum()


def _square_search(
    U: ExactMatrix, rows: Sequence[int], cols: Sequence[int], budget: int | None = None
) -> tuple[list[Fraction], list[Fraction], Fraction] | None:
    """First optimal pair from a square ``U[R, C]`` (R in rows, C in cols, equal sizes):
    solve ``x^T U[R, C] = v 1``, ``U[R, C] y = w 1`` on the simplex; keep it when ``x, y >= 0``
    and ``min_l (x^T U)_l == max_k (U y)_k`` over all moves (a primal-dual certificate).
    ``None`` when no square qualifies or ``budget`` squares were tried without success."""
    m, n = len(U), len(U[0])
    one, zero = Fraction(1), Fraction(0)
    tried = 0
    for s in range(min(len(rows), len(cols)), 0, -1):  # largest squares first
        for R in combinations(rows, s):
            for C in combinations(cols, s):
                tried += 1
                if budget is not None and tried > budget:
                    return None
                border, rhs = [one] * s + [zero], [zero] * s + [one]
                xs = solve_exact([[U[r][c] for r in R] + [-one] for c in C] + [border], rhs)
                if xs is None or min(xs[:s]) < 0:
                    continue
                ys = solve_exact([[U[r][c] for c in C] + [-one] for r in R] + [border], rhs)
                if ys is None or min(ys[:s]) < 0:
                    continue
                x = [dict(zip(R, xs)).get(k, zero) for k in range(m)]
                y = [dict(zip(C, ys)).get(j, zero) for j in range(n)]
                lo = min(sum((x[k] * U[k][j] for k in R), zero) for j in range(n))
                hi = max(sum((U[k][j] * y[j] for j in C), zero) for k in range(m))
                if lo == hi:
                    return x, y, lo
    return None


def _exact_optimal(
    U: ExactMatrix, Uf: np.ndarray
) -> tuple[list[Fraction], list[Fraction], Fraction]:
    hint = float_view(U, Uf)  # payoffs that all round to 0.0 would hide the structure
    x, y = _float_optimal(hint)
    colpay, rowpay = x @ hint, hint @ y
    eps = 1e-7 * (float(np.abs(hint).max()) or 1.0)
    # Binding constraints of the float optimum: best replies to y, worst columns against x.
    rows = [k for k, v in enumerate(rowpay) if v >= rowpay.max() - eps]
    cols = [j for j, v in enumerate(colpay) if v <= colpay.min() + eps]
    found = _square_search(U, rows, cols, MAX_SQUARE_TRIES) or _square_search(
        U, range(len(U)), range(len(U[0])), MAX_SQUARE_TRIES
    )
    if found is None:  # a degenerate game: decide by the exact simplex method
        xe, ye, v = matrix_game_exact(U)
        cap = max(sum((u * p for u, p in zip(row, ye)), Fraction(0)) for row in U)
        assert cap == v, "minimax: the guarantee and the cap of optimal strategies agree"
        found = xe, ye, v
    return found


def mixed_security_values(game: StageGame, *, exact: bool | None = None) -> MixedSecurityValues:
    """Mixed minmax values of both players with the optimal mixtures.

    For player ``i`` the value is ``v_i = min_y max_k (U_i y)_k``, what the other player
    can hold ``i`` to by mixing; by the minimax theorem it equals ``max_x min_l
    (x^T U_i)_l``, what ``i`` can guarantee. It is the threshold of individual
    rationality in the folk theorems of repeated games (Fudenberg & Maskin 1986).

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Exact rationals certified by a primal-dual check (default when the game is
        exact); otherwise floats from HiGHS.

    Returns
    -------
    MixedSecurityValues

    Raises
    ------
    GameError
        Exact mode on payoffs with too many digits
        (:func:`~negotiation.games.extreme_equilibria.check_exact_size`).

    Examples
    --------
    Matching Pennies: mixing 1/2-1/2 guarantees 0, between pure maxmin -1 and minmax 1.

    >>> g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> s = mixed_security_values(g)
    >>> s.values, s.maxmin_strategies[0]
    ((Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 2), Fraction(1, 2)))
    >>> mixed_security_values(g, exact=False).values
    (0.0, 0.0)
    """
    require_game(game, "mixed_security_values")
    use = resolve_exact(game, exact)
    if use:
        check_exact_size(game, "mixed_security_values", float_stage=False)
    per_player: list[tuple[Number, Number, Strategy, Strategy]] = []
    for p in (0, 1):
        Uf = own_payoffs(game, p)
        if use:
            xe, ye, v = _exact_optimal(own_exact_payoffs(game, p), Uf)
            per_player.append((v, v, tuple(xe), tuple(ye)))
        else:
            x, y = _float_optimal(Uf)
            per_player.append(
                (
                    float((x @ Uf).min()),
                    float((Uf @ y).max()),
                    tuple(x.tolist()),
                    tuple(y.tolist()),
                )
            )
    (a0, b0, c0, d0), (a1, b1, c1, d1) = per_player
    return MixedSecurityValues(game, (a0, a1), (b0, b1), (c0, c1), (d0, d1), use)
