"""Iterated elimination of strictly or weakly dominated pure strategies.

Move ``k`` is *strictly dominated* when a mixture of the player's other surviving moves
earns strictly more against every surviving move of the opponent, *weakly dominated* when
it earns at least as much against each and more against one (Osborne & Rubinstein 1994,
ch. 4). A move may be dominated by a mixture but by no pure move, so after the pure
dominators a linear program (HiGHS via :func:`scipy.optimize.linprog`) is solved.

Exact mode confirms each answer in rationals: an LP mixture is rounded to fractions and
checked exactly; LP margins within ``tol`` of 0 are settled by an exact certificate that
``k`` is a best response (to a completely mixed strategy, for weak dominance; Pearce
1984) or else by solving the LP exactly with the simplex method
(:func:`~negotiation.games.rational.simplex_max`: the value of the zero-sum game of
``k``'s payoff differences for strict dominance, the largest total slack for weak).
The float LPs of exact mode see the payoffs through
:func:`~negotiation.games.rational.float_view`, so payoffs too small or too close for
doubles (``k * 10**-9000``) still give useful hints.

Elimination runs in rounds: each removes at once every dominated move of *both* players
in the current reduced game. Under strict dominance the order is immaterial (Gilboa,
Kalai & Zemel 1990); under weak dominance it matters, and this simultaneous rule is the
convention used; ``steps`` records the sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.games.best_response import own_exact_payoffs, own_payoffs, resolve_exact
from negotiation.games.equilibrium import number_out
from negotiation.games.extreme_equilibria import check_exact_size
from negotiation.games.rational import float_view, matrix_game_exact, simplex_max
from negotiation.games.stage_game import StageGame, require_game

__all__ = [
    "DominanceResult",
    "Elimination",
    "iterated_strict_dominance",
    "iterated_weak_dominance",
]

Number = Fraction | float
Mixture = dict[int, Any]


@dataclass(frozen=True)
class Elimination:
    """One eliminated move.

    Attributes
    ----------
    player, move, round : int
        The player (0 row, 1 column), the move's index in the original game, the round (from 1).
    dominated_by : tuple of (int, Fraction or float)
        The dominating mixture as (move index, positive probability) pairs; ``((r, 1),)``
        for a pure dominator.
    """

    player: int
    move: int
    dominated_by: tuple[tuple[int, Number], ...]
    round: int


@dataclass(frozen=True)
class DominanceResult:
    """Outcome of iterated elimination of dominated strategies.

    Attributes
    ----------
    game : StageGame
    kind, exact : str, bool
        ``"strict"`` or ``"weak"``; whether every elimination was decided exactly.
    remaining_rows, remaining_cols : tuple of int
        Surviving moves (indices into the original game).
    steps : tuple of Elimination
        The eliminations in order (by round, row player first, then by move).
    """

    game: StageGame = field(repr=False)
    kind: str
    exact: bool
    remaining_rows: tuple[int, ...]
    remaining_cols: tuple[int, ...]
    steps: tuple[Elimination, ...]

    @property
    def solved(self) -> bool:
        """Whether exactly one pure profile survives (the game is dominance solvable)."""
        return len(self.remaining_rows) == len(self.remaining_cols) == 1

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form with player ids and move labels.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                            row_moves=["C", "D"], col_moves=["C", "D"])
        >>> d = iterated_strict_dominance(g).to_dict()
        >>> d["remaining"], d["steps"][0]["move"], d["steps"][0]["dominated_by"]
        ({'1': ['D'], '2': ['D']}, 'C', {'D': '1'})
        """
        g = self.game
        labels = (g.row_moves, g.col_moves)
        return {
            "kind": self.kind,
            "exact": self.exact,
            "solved": self.solved,
            "remaining": {
                g.players[p]: [labels[p][i] for i in rem]
                for p, rem in enumerate((self.remaining_rows, self.remaining_cols))
            },
            "steps": [
                {
                    "round": e.round,
                    "player": g.players[e.player],
                    "move": labels[e.player][e.move],
                    "dominated_by": {
                        labels[e.player][r]: number_out(p) for r, p in e.dominated_by
                    },
                }
                for e in self.steps
            ],
        }


def _lp(obj: np.ndarray, A_ub: np.ndarray, b_ub: np.ndarray, k: int) -> np.ndarray | None:
    """Minimise ``obj . z`` with ``z[:k]`` in the simplex and the rest free; None if infeasible."""
    extra = len(obj) - k
    eq, bounds = np.r_[np.ones(k), np.zeros(extra)][None], [(0, None)] * k + [(None, None)] * extra
    from scipy.optimize import linprog  # imported here: scipy.optimize costs 0.3-0.6 s

    res = linprog(obj, A_ub, b_ub, eq, [1.0], bounds, method="highs")
    return np.asarray(res.x) if res.status == 0 else None


def _rational(v: np.ndarray) -> list[Fraction] | None:
    f = [Fraction(float(a)).limit_denominator(10**6) if a > 1e-12 else Fraction(0) for a in v]
    total = sum(f, Fraction(0))
    return [a / total for a in f] if total > 0 else None


def _exact_dominator(
    U: Any, k: int, cand: Sequence[int], cols: Sequence[int], weak: bool
) -> Mixture | None:
    """Decide exactly whether a mixture of ``cand`` dominates ``k`` against ``cols``.

    With ``D[r][c] = U[r][c] - U[k][c]``: strict dominance holds iff the zero-sum game
    ``D`` (``cand`` maximising) has a positive value, its maximin mixture dominating;
    weak dominance iff ``max sum_c (sigma^T D)_c`` subject to ``sigma^T D >= 0``,
    ``sum(sigma) <= 1``, ``sigma >= 0`` is positive (the normalised optimum dominates).
    """
    D = [[U[r][c] - U[k][c] for c in cols] for r in cand]
    if not weak:
        x, _, value = matrix_game_exact(D)
        return {r: p for r, p in zip(cand, x) if p > 0} if value > 0 else None
    zero, one = Fraction(0), Fraction(1)
    gain = [sum(row, zero) for row in D]
    A = [[-D[i][j] for i in range(len(cand))] for j in range(len(cols))]
    A.append([one] * len(cand))
    found = simplex_max(gain, A, [zero] * len(cols) + [one])
    assert found is not None  # bounded: sum(sigma) <= 1
    sigma, total = found
    if total <= 0:
        return None
    weight = sum(sigma, zero)
    return {r: p / weight for r, p in zip(cand, sigma) if p > 0}


def _dominator(
    U: Any, Uf: np.ndarray, k: int, cand: list[int], cols: list[int], weak: bool, tol: float
) -> Mixture | None:
    """A mixture of ``cand`` dominating ``k`` against ``cols``, or None. ``U`` (exact, or
    None in float mode) and ``Uf`` are indexed ``[own move, other's move]``."""
    exact = U is not None
    sub, t = Uf[np.ix_(cand, cols)], Uf[k, cols]
    scale = max(float(np.abs(sub).max(initial=0.0)), float(np.abs(t).max())) or 1.0
    eps = 0.0 if exact else tol * scale
    M = U if exact else Uf

    def ok(mix: Mixture) -> bool:
        sl = [sum(p * M[r][c] for r, p in mix.items()) - M[k][c] for c in cols]
        return bool(min(sl) >= -eps and max(sl) > eps if weak else min(sl) > eps)

    one = Fraction(1) if exact else 1.0
    for r in cand:
        if ok({r: one}):
            return {r: one}
    # No mixture can do better where k is (for weak: uniquely) best against a pure move.
    gap = min(max((M[r][c] for r in cand), default=M[k][c]) - M[k][c] for c in cols)
    if len(cand) < 2 or (gap < -eps if weak else gap <= eps):
        return None
    S, t = sub / scale, t / scale
    q, n = S.shape
    if weak:  # maximise the total slack subject to slack >= 0
        z = _lp(-S.sum(axis=1), -S.T, -t, q)
    else:  # maximise the margin m subject to S^T sigma >= t + m (always feasible)
        z = _lp(np.r_[np.zeros(q), -1.0], np.c_[-S.T, np.ones(n)], -t, q)
    if z is None or (not weak and z[q] < (-tol if exact else tol)):
        return None
    if not exact:
        mix = {r: float(p) for r, p in zip(cand, z[:q] / z[:q].sum()) if p > 1e-12}
        return mix if ok(mix) else None
    sigma = _rational(z[:q])
    if sigma is not None and ok(found := dict(zip(cand, sigma))):
        return found
    # Inconclusive: look for tau (completely mixed when weak) to which k is a best response.
    A = np.c_[S - t, np.full(q, 0.0 if weak else 1.0)]
    if weak:
        A = np.r_[A, np.c_[-np.eye(n), np.ones(n)]]
    w = _lp(np.r_[np.zeros(n), -1.0], A, np.zeros(len(A)), n)
    tau = None if w is None else _rational(w[:n])
    gain = [sum((U[r][c] - U[k][c]) * p for c, p in zip(cols, tau or [])) for r in cand]
    if tau and (not weak or min(tau) > 0) and max(gain) <= 0:
        return None
    exact_mix = _exact_dominator(U, k, cand, cols, weak)
    assert exact_mix is None or ok(exact_mix), "an exact optimum dominates exactly"
    return exact_mix


def _iterate(game: StageGame, kind: str, exact: bool | None, tol: float) -> DominanceResult:
    require_game(game, f"iterated_{kind}_dominance")
    use = resolve_exact(game, exact)
    if use:
        check_exact_size(game, f"iterated_{kind}_dominance", float_stage=False)
    views: list[tuple[Any, np.ndarray]] = []
    for p in (0, 1):
        if use:
            U = own_exact_payoffs(game, p)
            views.append((U, float_view(U, own_payoffs(game, p))))
        else:
            views.append((None, own_payoffs(game, p)))
    alive = [list(range(game.shape[0])), list(range(game.shape[1]))]
    steps: list[Elimination] = []
    for rnd in range(1, sum(game.shape) + 1):
        found = []
        for p, (U, Uf) in enumerate(views):
            for k in alive[p]:
                cand = [r for r in alive[p] if r != k]
                mix = _dominator(U, Uf, k, cand, alive[1 - p], kind == "weak", tol)
                if mix is not None:
                    pairs = tuple(sorted((r, x) for r, x in mix.items() if x > 0))
                    found.append(Elimination(p, k, pairs, rnd))
        if not found:
            break
        steps += found
        for e in found:
            alive[e.player].remove(e.move)
    return DominanceResult(game, kind, use, tuple(alive[0]), tuple(alive[1]), tuple(steps))


def iterated_strict_dominance(
    game: StageGame, *, exact: bool | None = None, tol: float = 1e-9
) -> DominanceResult:
    """Iterated elimination of strictly dominated moves (domination by mixtures included).

    Strictly dominated moves are never played in a Nash equilibrium, and the surviving
    moves are the same whatever the order of elimination (Gilboa, Kalai & Zemel 1990).

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Decide every elimination exactly (default when the game is exact).
    tol : float
        Float mode: required margin relative to the largest absolute payoff involved.
        Exact mode: LP margins within ``tol`` of 0 are settled exactly.

    Returns
    -------
    DominanceResult

    Examples
    --------
    Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0): defection dominates cooperation.

    >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> r = iterated_strict_dominance(g)
    >>> r.remaining_rows, r.remaining_cols, r.solved
    ((1,), (1,), True)

    The third row is dominated only by the 1/2-1/2 mixture of the first two:

    >>> g = StageGame.from_payoffs([[3, 0], [0, 3], [1, 1]], [[0, 0], [0, 0], [0, 0]])
    >>> iterated_strict_dominance(g).steps[0].dominated_by
    ((0, Fraction(1, 2)), (1, Fraction(1, 2)))
    """
    return _iterate(game, "strict", exact, tol)


def iterated_weak_dominance(
    game: StageGame, *, exact: bool | None = None, tol: float = 1e-9
) -> DominanceResult:
    """Iterated elimination of weakly dominated moves, all dominated moves of both players
    removed simultaneously in each round (the result depends on this convention).

    Parameters
    ----------
    game : StageGame
    exact : bool, optional
        Decide every elimination exactly (default when the game is exact).
    tol : float
        As for :func:`iterated_strict_dominance`.

    Returns
    -------
    DominanceResult

    Examples
    --------
    ``M`` weakly dominates ``T`` and ``B``. Removing ``T`` first makes ``L`` dominated,
    removing ``B`` first makes ``R`` dominated; removing both at once leaves ``M`` vs both:

    >>> g = StageGame.from_payoffs([[1, 0], [1, 2], [0, 2]], [[1, 0], [1, 1], [0, 1]],
    ...                            row_moves=["T", "M", "B"], col_moves=["L", "R"])
    >>> r = iterated_weak_dominance(g)
    >>> [(e.move, e.dominated_by) for e in r.steps]
    [(0, ((1, Fraction(1, 1)),)), (2, ((1, Fraction(1, 1)),))]
    >>> r.remaining_rows, r.remaining_cols
    ((1,), (0, 1))
    """
    return _iterate(game, "weak", exact, tol)
