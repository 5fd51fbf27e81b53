"""Exact sustainability of a strategy profile in the discounted repeated game.

Payoffs are normalised, ``V = (1 - δ) Σ_t δ^t u(a_t)``. For a profile of two automata
the values at every joint state solve the linear system
``V = (1 - δ) u(a(s)) + δ P V`` over the joint states. By the one-shot deviation
principle the profile is a subgame-perfect equilibrium (SPE) iff at every joint state
reachable under any play no player gains from deviating once and conforming after
(Fudenberg & Tirole 1991, theorem 4.2; Mailath & Samuelson 2006, section 2.4). Each
such condition is a rational function of δ; with rational stage payoffs the set of δ
where all hold is computed exactly (:mod:`negotiation.repeated.regions`).

The profile is a Nash equilibrium iff no player's best response to the other's
automaton beats conforming from the start. A best response to a finite automaton is a
Markov decision problem over the other's states whose optimum is attained by a
stationary deterministic policy (Blackwell 1965), so the Nash region is the set of δ
where conforming is at least as good as every such policy, again exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import product
from typing import Any

from negotiation.errors import GameError
from negotiation.games.rational import ExactMatrix
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.joint import JointAutomaton, joint_automaton
from negotiation.repeated.regions import Condition, Interval, breakpoints, region_where

__all__ = ["Binding", "Sustainability", "on_path", "sustainability"]

#: Most stationary policies examined for the Nash region.
MAX_POLICIES = 4096


@dataclass(frozen=True)
class Binding:
    """What determines a player's critical discount factor: the joint state (as the two
    automata's state labels) and the profitable one-shot deviation just below it."""

    player: int
    state: tuple[str, str]
    deviation: int


@dataclass(frozen=True)
class Sustainability:
    """Exact sustainability of a profile.

    Attributes
    ----------
    spe_region, nash_region : tuple of Interval
        Discount factors in [0, 1) for which the profile is an SPE / a Nash equilibrium.
    player_regions : tuple of two tuples of Interval
        Where each player has no profitable one-shot deviation at any state.
    critical_discount : sympy number or None
        Smallest δ* with [δ*, 1) inside the SPE region, when the path of play is the
        target for ever; ``None`` otherwise.
    player_critical : tuple of two (sympy number or None)
    bindings : tuple of two (Binding or None)
    path : tuple of (int, int)
        Move profiles of the path of play until it starts repeating.
    cycle_start : int
        Index in ``path`` where the repeating part begins.
    on_target : bool
        Whether the path is the target profile for ever.
    """

    spe_region: tuple[Interval, ...]
    nash_region: tuple[Interval, ...]
    player_regions: tuple[tuple[Interval, ...], tuple[Interval, ...]]
    critical_discount: Any
    player_critical: tuple[Any, Any]
    bindings: tuple[Binding | None, Binding | None]
    path: tuple[tuple[int, int], ...]
    cycle_start: int
    on_target: bool
    conditions: tuple[Condition, ...] = field(default=(), repr=False)

    def at_discount(self, discount: Fraction) -> tuple[bool, Fraction]:
        """Whether the profile is an SPE at a rational δ, and the incentive margin there.

        The margin is the smallest gain from conforming over the best one-shot deviation,
        over all reachable states and both players, in stage-payoff units (the
        normalised gain divided by ``1 - δ``): the one-off temptation shock that would
        break the profile. It is negative when some deviation pays.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
        >>> sustainability(pd, grim[0], grim[1], (0, 0)).at_discount(Fraction(9, 10))
        (True, Fraction(1, 1))
        """
        x = Fraction(discount)
        if not 0 <= x < 1:
            raise GameError(f"the discount factor must be in [0, 1), got {x}")
        worst = None
        for c in self.conditions:
            den = _eval_poly(c.denom, x)
            if den == 0:
                continue
            gain = _eval_poly(c.numer, x) / den
            worst = gain if worst is None or gain > worst else worst
        if worst is None:
            return True, Fraction(0)
        return worst <= 0, -worst / (1 - x)


def _eval_poly(poly: Any, x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in poly.all_coeffs():
        out = out * x + Fraction(int(c.p), int(c.q))
    return out


def on_path(joint: JointAutomaton) -> tuple[tuple[tuple[int, int], ...], int]:
    """The deterministic path of play: profiles until a joint state repeats, and where the
    cycle starts. Stochastic automata follow their most likely transition.

    Examples
    --------
    >>> from negotiation.repeated.automaton import automaton_from_rule
    >>> tft = automaton_from_rule("tft", ["C", "D"], [0, 1], 0, 2, 2, lambda s, a, b: b)
    >>> stft = automaton_from_rule("stft", ["C", "D"], [0, 1], 1, 2, 2, lambda s, a, b: b)
    >>> on_path(joint_automaton(tft, stft))
    (((0, 1), (1, 0)), 0)
    """
    seen: dict[int, int] = {}
    path: list[tuple[int, int]] = []
    j = 0
    while j not in seen:
        seen[j] = len(path)
        a, b = joint.profile[j]
        path.append((a, b))
        j = max(joint.successors(j, a, b), key=lambda t: t[1])[0]
    return tuple(path), seen[j]


def _field() -> tuple[Any, Any]:
    import sympy
    from sympy import QQ

    d = sympy.Symbol("delta")
    return d, QQ.frac_field(d)


def _solve_values(K: Any, d: Any, P: list[list[Fraction]], u: list[Fraction]) -> list[Any]:
    from sympy.polys.matrices import DomainMatrix

    n = len(u)
    one, dd = K.one, K.from_sympy(d)
    M = DomainMatrix(
        [
            [(one if r == c else K.zero) - dd * K.convert(P[r][c]) for c in range(n)]
            for r in range(n)
        ],
        (n, n),
        K,
    )
    rhs = DomainMatrix([[(one - dd) * K.convert(x)] for x in u], (n, 1), K)
    sol = M.lu_solve(rhs)
    return [sol[r, 0].element for r in range(n)]


def _condition(d: Any, expr: Any, tag: tuple[Any, ...]) -> Condition:
    import sympy

    return Condition(sympy.Poly(expr.numer.as_expr(), d), sympy.Poly(expr.denom.as_expr(), d), tag)


def _spe_conditions(
    joint: JointAutomaton, U: tuple[ExactMatrix, ExactMatrix], K: Any, d: Any
) -> list[Condition]:
    n = len(joint.states)
    P = [[Fraction(0)] * n for _ in range(n)]
    for j in range(n):
        a, b = joint.profile[j]
        for k, p in joint.successors(j, a, b):
            P[j][k] += p
    conds = []
    m_moves = (len(U[0]), len(U[0][0]))
    dd = K.from_sympy(d)
    for i in (0, 1):
        u = [U[i][a][b] for a, b in joint.profile]
        V = _solve_values(K, d, P, u)
        for j in range(n):
            a, b = joint.profile[j]
            for dev in range(m_moves[i]):
                if dev == (a, b)[i]:
                    continue
                prof = (dev, b) if i == 0 else (a, dev)
                cont = K.zero
                for k, p in joint.successors(j, *prof):
                    cont += K.convert(p) * V[k]
                gain = (K.one - dd) * K.convert(U[i][prof[0]][prof[1]]) + dd * cont - V[j]
                conds.append(_condition(d, gain, (i, j, dev)))
    return conds


def _deviation_paths(
    other: Automaton, U: ExactMatrix, i: int
) -> set[tuple[tuple[Fraction, ...], int]]:
    """Payoff paths of every stationary policy against a deterministic automaton.

    A stationary policy revisiting a state repeats itself, so each policy's path is a
    prefix and a cycle of distinct states; enumerating paths by depth-first search
    visits each distinct path once instead of every policy.
    """
    out: set[tuple[tuple[Fraction, ...], int]] = set()

    def walk(states: list[int], pays: list[Fraction]) -> None:
        s = states[-1]
        theirs = other.play[s]
        for mine in range(other.other_moves):
            row_move, col_move = (mine, theirs) if i == 0 else (theirs, mine)
            nxt = other.step(s, theirs, mine)[0][0]
            pay = [*pays, U[row_move][col_move]]
            if nxt in states:
                out.add((tuple(pay), states.index(nxt)))
            else:
                walk([*states, nxt], pay)

    walk([other.start], [])
    return out


def _path_value(K: Any, d: Any, pays: tuple[Fraction, ...], loop: int) -> Any:
    """Normalised value of a payoff path that repeats from position ``loop`` on."""
    dd = K.from_sympy(d)
    prefix = K.zero
    power = K.one
    for x in pays[:loop]:
        prefix += power * K.convert(x)
        power *= dd
    cycle = K.zero
    cpow = K.one
    for x in pays[loop:]:
        cycle += cpow * K.convert(x)
        cpow *= dd
    return (K.one - dd) * (prefix + power * cycle / (K.one - cpow))


def _nash_conditions(
    joint: JointAutomaton, U: tuple[ExactMatrix, ExactMatrix], K: Any, d: Any
) -> list[Condition]:
    conds = []
    for i, (me, other) in enumerate(((joint.row, joint.col), (joint.col, joint.row))):
        n_other = other.size
        n_mine = me.own_moves
        if not other.is_deterministic and n_mine**n_other > MAX_POLICIES:
            raise GameError(
                f"the Nash region needs {n_mine}**{n_other} policies; at most {MAX_POLICIES}"
            )
        # Conforming value from the start, from the joint system.
        n = len(joint.states)
        P = [[Fraction(0)] * n for _ in range(n)]
        for j in range(n):
            for k, p in joint.successors(j, *joint.profile[j]):
                P[j][k] += p
        conform = _solve_values(K, d, P, [U[i][a][b] for a, b in joint.profile])[0]
        if other.is_deterministic:
            for payoffs, loop in _deviation_paths(other, U[i], i):
                W = _path_value(K, d, payoffs, loop)
                conds.append(_condition(d, W - conform, (i, payoffs, loop)))
            continue
        for policy in product(range(n_mine), repeat=n_other):
            Q = [[Fraction(0)] * n_other for _ in range(n_other)]
            u = []
            for s in range(n_other):
                mine, theirs = policy[s], other.play[s]
                row_move, col_move = (mine, theirs) if i == 0 else (theirs, mine)
                u.append(U[i][row_move][col_move])
                for t, p in other.step(s, theirs, mine):
                    Q[s][t] += p
            W = _solve_values(K, d, Q, u)[other.start]
            conds.append(_condition(d, W - conform, (i, policy)))
    return conds


def sustainability(
    game: StageGame, row: Automaton, col: Automaton, target: tuple[int, int]
) -> Sustainability:
    """Exact SPE and Nash regions, critical discount factors and the path of play.

    Parameters
    ----------
    game : StageGame
        Must have exact (rational) payoffs.
    row, col : Automaton
        Strategies of the row and the column player.
    target : (int, int)
        The détente profile.

    Returns
    -------
    Sustainability

    Examples
    --------
    Grim trigger in the Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0) needs
    δ >= (T - R) / (T - P) = 1/2:

    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> s = sustainability(pd, grim[0], grim[1], (0, 0))
    >>> s.critical_discount, [str(i) for i in s.spe_region]
    (1/2, ['[1/2, 1)'])
    """
    EA, EB = game.require_exact()
    m, n = game.shape
    row.check_moves(m, n)
    col.check_moves(n, m)
    return _analyse(EA, EB, row, col, (target[0], target[1]))


#: Analyses kept: the same profile of the same game is often asked for twice in one
#: command (``compare``'s report and its linkage rows, tipping points' report reuse);
#: the result is immutable, the arguments are exact and hashable.
CACHE_SIZE = 64


@lru_cache(maxsize=CACHE_SIZE)
def _analyse(
    EA: ExactMatrix, EB: ExactMatrix, row: Automaton, col: Automaton, target: tuple[int, int]
) -> Sustainability:
    """:func:`sustainability` on checked, exact, hashable arguments (memoised)."""
    joint = joint_automaton(row, col)
    d, K = _field()
    spe = _spe_conditions(joint, (EA, EB), K, d)
    nash = _nash_conditions(joint, (EA, EB), K, d)
    pts = breakpoints(spe)
    spe_region = region_where(spe, pts)
    per_player = tuple(region_where([c for c in spe if c.tag[0] == i], pts) for i in (0, 1))
    path, cycle = on_path(joint)
    on_target = all(p == tuple(target) for p in path[cycle:]) and all(
        p == tuple(target) for p in path
    )
    crit = _critical(spe_region) if on_target else None
    pcrit = tuple(_critical(r) if on_target else None for r in per_player)
    binds = tuple(
        _binding(joint, [c for c in spe if c.tag[0] == i], pcrit[i], pts) for i in (0, 1)
    )
    return Sustainability(
        spe_region=spe_region,
        nash_region=region_where(nash),
        player_regions=(per_player[0], per_player[1]),
        critical_discount=crit,
        player_critical=(pcrit[0], pcrit[1]),
        bindings=(binds[0], binds[1]),
        path=path,
        cycle_start=cycle,
        on_target=on_target,
        conditions=tuple(spe),
    )


def _critical(region: tuple[Interval, ...]) -> Any:
    import sympy

    if not region or region[-1].high != 1:
        return None
    return region[-1].low if region[-1].low is not None else sympy.Integer(0)


def _binding(
    joint: JointAutomaton, conds: list[Condition], crit: Any, pts: list[Any]
) -> Binding | None:
    if crit is None or crit == 0:
        return None
    import mpmath

    from negotiation.repeated.regions import _value

    below = None
    for k, (v, exact) in enumerate(pts):
        if exact == crit and k > 0:
            below = (pts[k - 1][0] + v) / 2
    if below is None:
        return None
    with mpmath.workdps(60):
        for c in conds:
            val = _value(c, below)
            if val is not None and val > 0:
                i, j, dev = c.tag
                s1, s2 = joint.states[j]
                return Binding(i, (joint.row.states[s1], joint.col.states[s2]), dev)
    return None
