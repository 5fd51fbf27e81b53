"""Optimal penal codes: the harshest credible punishments of a détente (Abreu 1988).

Abreu (1988, *Econometrica* 56:383-396) shows that every subgame-perfect outcome of a
discounted repeated game with perfect monitoring is supported by a *simple* strategy
profile: the target path and one punishment path per player; whoever deviates
unilaterally from any path in progress starts their own punishment path afresh. The
target ``a*`` played for ever is sustainable at δ iff for each player
``(1 - δ) d_i + δ v_i^min(δ) <= c_i``, with ``c_i = u_i(a*)``, ``d_i`` the best one-shot
deviation payoff and ``v_i^min`` the worst subgame-perfect payoff of ``i``. Since
``v_i^min`` is at least the pure minmax value ``m_i``, no pure-strategy equilibrium
sustains the target below ``(d_i - c_i) / (d_i - m_i)`` (the Nash threat of minmaxing
for ever, which is not credible in general).

This module searches simple penal codes whose punishment paths are finite automata:
for each player either reversion for ever to a pure stage equilibrium (Friedman 1971)
or a *stick* profile played for 1 to :data:`~negotiation.limits.MAX_STICK_ROUNDS`
rounds followed by the return to the target (Abreu 1986's stick and carrot). Every
candidate profile is analysed exactly by
:func:`~negotiation.repeated.sustainability.sustainability`; the code with the lowest
critical δ (then the lowest sum of the players' critical δs) is kept. When a player's
critical δ equals the minmax bound above, it is the lowest δ of *any* pure-strategy
subgame-perfect equilibrium for that player (``optimal``); otherwise the true value
lies between the bound and the code's δ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from negotiation.errors import GameError
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.rational import ExactMatrix
from negotiation.games.security import pure_security_values
from negotiation.games.stage_game import StageGame, require_game
from negotiation.limits import MAX_STICK_ROUNDS
from negotiation.numbers import exact_sign, json_exact
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.exact_roots import Root, compare_real
from negotiation.repeated.regions import Condition, critical_root
from negotiation.repeated.sustainability import Sustainability, sustainability

__all__ = ["PenalCode", "Punishment", "optimal_penal_code", "penal_code_automata"]

Profile = tuple[int, int]


@dataclass(frozen=True)
class Punishment:
    """One player's punishment path: ``profile`` for ``rounds`` rounds, then back to
    the target; ``rounds = None`` means the profile (a stage equilibrium) for ever."""

    profile: Profile
    rounds: int | None

    def describe(self, game: StageGame) -> str:
        """Text such as ``"(escalate, hold) for 1 round, then the target"``.

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                             row_moves=["C", "D"], col_moves=["C", "D"])
        >>> Punishment((1, 1), None).describe(pd)
        '(D, D) for ever'
        """
        cell = f"({game.row_moves[self.profile[0]]}, {game.col_moves[self.profile[1]]})"
        if self.rounds is None:
            return f"{cell} for ever"
        plural = "round" if self.rounds == 1 else "rounds"
        return f"{cell} for {self.rounds} {plural}, then the target"


def penal_code_automata(
    game: StageGame, target: Profile, punishments: tuple[Punishment, Punishment]
) -> tuple[Automaton, Automaton]:
    """The two automata of a simple penal code (both track the same joint state).

    States: ``target``; ``punish_row_r`` / ``punish_col_r`` for the ``r``-th round of a
    punishment path (``punish_row`` alone for reversion for ever). In any state a
    unilateral departure from the prescribed profile starts the deviator's punishment
    path; when both depart the row player counts as the deviator (as in
    :mod:`negotiation.repeated.library`).

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> code = (Punishment((0, 1), 1), Punishment((1, 0), 1))  # penance
    >>> row, col = penal_code_automata(pd, (0, 0), code)
    >>> row.states, row.play, col.play
    (('target', 'punish_row_1', 'punish_col_1'), (0, 0, 1), (0, 1, 0))
    """
    m, n = game.shape
    labels = ["target"]
    prescribed: list[Profile] = [target]
    first: list[int] = []
    for who, p in zip(("row", "col"), punishments):
        first.append(len(labels))
        if p.rounds is None:
            labels.append(f"punish_{who}")
            prescribed.append(p.profile)
        else:
            for r in range(1, p.rounds + 1):
                labels.append(f"punish_{who}_{r}")
                prescribed.append(p.profile)

    def after(s: int, row: int, col: int) -> int:
        a = prescribed[s]
        if row != a[0]:
            return first[0]
        if col != a[1]:
            return first[1]
        if s == 0:
            return 0
        who = 0 if s < first[1] else 1
        p = punishments[who]
        if p.rounds is None:
            return s
        r = s - first[who] + 1
        return 0 if r == p.rounds else s + 1

    autos = []
    for player in (0, 1):
        nxt = tuple(
            tuple(
                tuple(
                    (((after(s, a, b) if player == 0 else after(s, b, a)), Fraction(1)),)
                    for b in range((n, m)[player])
                )
                for a in range((m, n)[player])
            )
            for s in range(len(labels))
        )
        play = tuple(p[player] for p in prescribed)
        autos.append(Automaton("optimal_penal_code", tuple(labels), play, 0, nxt))
    return autos[0], autos[1]


@dataclass(frozen=True)
class PenalCode:
    """The best simple penal code found for a target, with its exact thresholds.

    Attributes
    ----------
    game : StageGame
    target : (int, int)
    punishments : (Punishment, Punishment)
        The punishment path after a deviation by the row / the column player.
    automata : (Automaton, Automaton)
        The code as the row and the column player's strategies.
    analysis : Sustainability
        Exact analysis of the code.
    critical : (number or None, number or None)
        Each player's lowest δ under the code (``None``: the target is not
        sustainable by any code searched).
    lower_bound : (Fraction or None, Fraction or None)
        ``(d_i - c_i) / (d_i - m_i)`` (0 when the target is a stage best reply;
        ``None`` when ``c_i`` is not above the pure minmax ``m_i``: no pure equilibrium
        sustains it at any δ < 1).
    optimal : (bool, bool)
        Whether ``critical`` equals ``lower_bound``: the lowest δ of any pure-strategy
        subgame-perfect equilibrium sustaining the target.
    grim_critical : (number or None, number or None)
        The thresholds of Nash reversion (grim trigger), for comparison.
    candidates : int
        Penal codes analysed.
    """

    game: StageGame = field(repr=False)
    target: Profile
    punishments: tuple[Punishment, Punishment]
    automata: tuple[Automaton, Automaton] = field(repr=False)
    analysis: Sustainability = field(repr=False)
    critical: tuple[Any, Any]
    lower_bound: tuple[Fraction | None, Fraction | None]
    optimal: tuple[bool, bool]
    grim_critical: tuple[Any, Any]
    candidates: int

    @property
    def overall(self) -> Any:
        """The code's critical δ, ``max_i critical[i]`` (``None`` if any is)."""
        if None in self.critical:
            return None
        a, b = self.critical
        return a if exact_sign(a - b) >= 0 else b

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (exact numbers as strings).

        Examples
        --------
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> d = optimal_penal_code(pd, (0, 0)).to_dict()
        >>> d["critical"], d["optimal"]
        ({'1': '1/2', '2': '1/2'}, {'1': True, '2': True})
        """
        g, ids = self.game, self.game.players
        return {
            "target": [g.row_moves[self.target[0]], g.col_moves[self.target[1]]],
            "punishments": {
                p: {
                    "profile": [g.row_moves[q.profile[0]], g.col_moves[q.profile[1]]],
                    "rounds": q.rounds,
                    "description": q.describe(g),
                }
                for p, q in zip(ids, self.punishments)
            },
            "automata": [a.name for a in self.automata],
            "critical": {p: json_exact(c) for p, c in zip(ids, self.critical)},
            "overall": json_exact(self.overall),
            "lower_bound": {p: json_exact(c) for p, c in zip(ids, self.lower_bound)},
            "optimal": dict(zip(ids, self.optimal)),
            "grim_critical": {p: json_exact(c) for p, c in zip(ids, self.grim_critical)},
            "candidates": self.candidates,
        }


def _lower_bounds(
    EA: ExactMatrix, EB: ExactMatrix, target: Profile, floor: tuple[Any, Any]
) -> tuple[Fraction | None, Fraction | None]:
    i, j = target
    c = (EA[i][j], EB[i][j])
    d = (max(EA[k][j] for k in range(len(EA))), max(EB[i][k] for k in range(len(EB[0]))))
    out: list[Fraction | None] = []
    for p in (0, 1):
        if d[p] <= c[p]:
            out.append(Fraction(0))
        elif c[p] <= floor[p]:  # the bound would be δ >= 1
            out.append(None)
        else:
            out.append(Fraction(d[p] - c[p]) / (d[p] - floor[p]))
    return out[0], out[1]


def _candidates(
    game: StageGame, EA: ExactMatrix, EB: ExactMatrix, target: Profile, k: int
) -> list[Punishment]:
    """Punishment paths for deviator ``k`` worth trying: stage equilibria for ever, and
    sticks that hurt ``k`` (below the target payoff) and whose best reply does not
    already give ``k`` the target payoff."""
    U = EA if k == 0 else EB
    m, n = game.shape
    c = U[target[0]][target[1]]
    out = [Punishment(e, None) for e in pure_equilibria(game)]
    for i in range(m):
        for j in range(n):
            if U[i][j] >= c:
                continue
            best = max(EA[r][j] for r in range(m)) if k == 0 else max(EB[i][s] for s in range(n))
            if best >= c:
                continue
            out.extend(Punishment((i, j), L) for L in range(1, MAX_STICK_ROUNDS + 1))
    return out


def optimal_penal_code(game: StageGame, target: Profile) -> PenalCode:
    """The simple penal code with the lowest critical δ for a target profile.

    Parameters
    ----------
    game : StageGame
        Exact payoffs.
    target : (int, int)
        The détente profile (row move, column move).

    Returns
    -------
    PenalCode

    Raises
    ------
    GameError
        A game without exact payoffs, or a target outside the game.

    Examples
    --------
    In the Prisoner's Dilemma the stage equilibrium is the minmax, so Nash reversion is
    already optimal: δ* = (T - R) / (T - P) = 1/2.

    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> code = optimal_penal_code(pd, (0, 0))
    >>> code.critical, code.optimal, code.punishments[0].rounds
    ((Fraction(1, 2), Fraction(1, 2)), (True, True), None)
    """
    require_game(game, "optimal_penal_code")
    EA, EB = game.require_exact()
    m, n = game.shape
    if not (
        isinstance(target, tuple | list)
        and len(target) == 2
        and all(isinstance(t, int) and not isinstance(t, bool) for t in target)
        and 0 <= target[0] < m
        and 0 <= target[1] < n
    ):
        raise GameError(
            f"target must be a (row move, column move) pair of the game, got {target!r}"
        )
    return _search(game, EA, EB, (int(target[0]), int(target[1])))


def _code_conditions(
    EA: ExactMatrix, EB: ExactMatrix, target: Profile, code: tuple[Punishment, Punishment]
) -> tuple[list[Condition], list[Condition]]:
    """Each player's one-shot-deviation conditions ``N(δ) <= 0`` of a simple penal code,
    as polynomials: values along finite-then-stationary paths are polynomials in δ, and
    every deviation by ``i`` leads to the start of ``i``'s punishment path, so only the
    best deviation payoff of each state counts."""
    import flint

    def q(x: Fraction) -> Any:
        return flint.fmpq(x.numerator, x.denominator)

    def const(x: Fraction) -> Any:
        return flint.fmpq_poly([q(x)])

    def power(k: int) -> Any:
        return flint.fmpq_poly([0] * k + [1])

    one, delta = const(Fraction(1)), power(1)
    U = (EA, EB)
    m, n = len(EA), len(EA[0])

    def pay(i: int, cell: Profile) -> Fraction:
        return Fraction(U[i][cell[0]][cell[1]])

    def best_dev(i: int, cell: Profile) -> Fraction | None:
        if i == 0:
            others = [EA[r][cell[1]] for r in range(m) if r != cell[0]]
        else:
            others = [EB[cell[0]][c] for c in range(n) if c != cell[1]]
        return Fraction(max(others)) if others else None

    # (profile, value polynomials) of every state; start[k] = index of Q_k's first state
    states: list[tuple[Profile, tuple[Any, Any]]] = [
        (target, (const(pay(0, target)), const(pay(1, target))))
    ]
    start = []
    for p in code:
        start.append(len(states))
        if p.rounds is None:
            states.append((p.profile, (const(pay(0, p.profile)), const(pay(1, p.profile)))))
            continue
        for r in range(1, p.rounds + 1):
            left = power(p.rounds - r + 1)
            vals = tuple(
                (one - left) * const(pay(i, p.profile)) + left * const(pay(i, target))
                for i in (0, 1)
            )
            states.append((p.profile, (vals[0], vals[1])))
    out: tuple[list[Condition], list[Condition]] = ([], [])
    # a player with one move never deviates, so their punishment path is never reached
    reached = [True] + [(m, n)[0 if x < start[1] else 1] > 1 for x in range(1, len(states))]
    for x, (cell, value) in enumerate(states):
        if not reached[x]:
            continue
        for i in (0, 1):
            dev = best_dev(i, cell)
            if dev is None:
                continue
            numer = (one - delta) * const(dev) + delta * states[start[i]][1][i] - value[i]
            if not numer.is_zero():
                out[i].append(Condition(numer, (i, x)))
    return out


def _critical_of(conds: list[Condition]) -> Root | Fraction | None:
    if not conds:
        return Fraction(0)
    return critical_root(conds)


def _better(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    """Whether thresholds ``a`` beat ``b``: lower maximum, then lower sum."""

    def worst(t: tuple[Any, Any]) -> Any:
        if None in t:
            return None
        return t[0] if compare_real(t[0], t[1]) >= 0 else t[1]

    wa, wb = worst(a), worst(b)
    if wa is None:
        return False
    if wb is None:
        return True
    c = compare_real(wa, wb)
    if c != 0:
        return c < 0
    lo_a = a[0] if compare_real(a[0], a[1]) <= 0 else a[1]
    lo_b = b[0] if compare_real(b[0], b[1]) <= 0 else b[1]
    return compare_real(lo_a, lo_b) < 0


@lru_cache(maxsize=32)
def _search(game: StageGame, EA: ExactMatrix, EB: ExactMatrix, target: Profile) -> PenalCode:
    floor = pure_security_values(game, exact=True).minmax
    bound = _lower_bounds(EA, EB, target, floor)
    rows = _candidates(game, EA, EB, target, 0)
    cols = _candidates(game, EA, EB, target, 1)
    if not rows or not cols:
        raise GameError("no punishment path to try: no stage equilibrium and no stick")
    eqs = pure_equilibria(game)
    nash = (
        (min(eqs, key=lambda e: EA[e[0]][e[1]]), min(eqs, key=lambda e: EB[e[0]][e[1]]))
        if eqs
        else None
    )
    best: tuple[tuple[Any, Any], tuple[Punishment, Punishment]] | None = None
    count = 0
    for pr in rows:
        for pc in cols:
            code = (pr, pc)
            conds = _code_conditions(EA, EB, target, code)
            screen = (_critical_of(conds[0]), _critical_of(conds[1]))
            count += 1
            if best is None or _better(screen, best[0]):
                best = (screen, code)
    assert best is not None
    code = best[1]
    autos = penal_code_automata(game, target, code)
    sus = sustainability(game, autos[0], autos[1], target)
    crit = sus.player_critical
    grim: tuple[Any, Any] = (None, None)
    if nash is not None:
        g_autos = penal_code_automata(
            game, target, (Punishment(nash[0], None), Punishment(nash[1], None))
        )
        grim = sustainability(game, g_autos[0], g_autos[1], target).player_critical
    optimal = tuple(
        b is not None and c is not None and exact_sign(c - b) == 0 for c, b in zip(crit, bound)
    )
    return PenalCode(
        game,
        target,
        code,
        autos,
        sus,
        (crit[0], crit[1]),
        bound,
        (optimal[0], optimal[1]),
        (grim[0], grim[1]),
        count,
    )
