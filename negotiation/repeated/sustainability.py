"""Exact sustainability of a strategy profile in the discounted repeated game.

Payoffs are normalised, ``V = (1 - δ) Σ_t δ^t u(a_t)``. For a profile of two automata
the values at every joint state solve the linear system
``V = (1 - δ) u(a(s)) + δ P V`` over the joint states. By the one-shot deviation
principle the profile is a subgame-perfect equilibrium (SPE) iff at every joint state
reachable under any play no player gains from deviating once and conforming after
(Fudenberg & Tirole 1991, theorem 4.2; Mailath & Samuelson 2006, section 2.4). Each
such condition is a rational function of δ, derived once per pair of automata
(:mod:`negotiation.repeated.conditions`); with rational stage payoffs the set of δ
where all hold is computed exactly (:mod:`negotiation.repeated.regions`).

The profile is a Nash equilibrium iff no player's best response to the other's
automaton beats conforming from the start. A best response to a finite automaton is a
Markov decision problem over the other's states whose optimum is attained by a
stationary deterministic policy (Blackwell 1965); the optimal policies are found along
[0, 1) by parametric policy iteration (:mod:`negotiation.repeated.best_reply`), so the
Nash region is exact and its cost polynomial in the number of states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from negotiation.errors import GameError
from negotiation.games.rational import ExactMatrix
from negotiation.games.stage_game import StageGame
from negotiation.numbers import render_number
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.best_reply import best_reply_conditions
from negotiation.repeated.conditions import Conditions, conditions, path_of_play, path_states
from negotiation.repeated.exact_roots import sign_at_rational
from negotiation.repeated.joint import JointAutomaton
from negotiation.repeated.regions import (
    Breakpoints,
    Condition,
    Interval,
    breakpoints,
    region_where,
)

__all__ = ["Binding", "DiscountCheck", "Sustainability", "on_path", "sustainability"]


@dataclass(frozen=True)
class Binding:
    """What determines a player's critical discount factor: the joint state (as the two
    automata's state labels) and the profitable one-shot deviation just below it.
    ``condition`` indexes the profile's :class:`~negotiation.repeated.conditions.Conditions`."""

    player: int
    state: tuple[str, str]
    deviation: int
    condition: int = field(default=-1, compare=False)


class DiscountCheck(NamedTuple):
    """Whether a profile is subgame perfect at one δ (``spe``), and its incentive
    ``margin`` there (negative when some one-shot deviation pays).

    Examples
    --------
    >>> DiscountCheck(True, Fraction(1, 2)).margin
    Fraction(1, 2)
    """

    spe: bool
    margin: Fraction


@dataclass(frozen=True)
class Sustainability:
    """Exact sustainability of a profile.

    Attributes
    ----------
    spe_region, nash_region : tuple of Interval
        Discount factors in [0, 1) for which the profile is an SPE / a Nash equilibrium.
    player_regions : tuple of two tuples of Interval
        Where each player has no profitable one-shot deviation at any state.
    critical_discount : Fraction, sympy algebraic number or None
        Smallest δ* with [δ*, 1) inside the SPE region, when the path of play is the
        target for ever; ``None`` otherwise. A ``Fraction`` when rational.
    player_critical : tuple of two (Fraction, sympy number or None)
    bindings : tuple of two (Binding or None)
    path : tuple of (int, int)
        Move profiles of the path of play until it starts repeating.
    cycle_start : int
        Index in ``path`` where the repeating part begins.
    on_target : bool
        Whether the path is the target profile for ever.
    conditions : tuple of Condition
        The one-shot-deviation conditions (numerators ``N_c``, sign of the gain).
    denominator : tuple of Fraction
        ``D(δ)`` (ascending), positive on [0, 1): the gain is ``(1 - δ) N_c / D``.
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
    denominator: tuple[Fraction, ...] = field(default=(Fraction(1),), repr=False)
    player_nash_regions: tuple[tuple[Interval, ...], tuple[Interval, ...]] = field(
        default=((), ()), repr=False
    )
    nash_conditions: tuple[tuple[Condition, ...], tuple[Condition, ...]] = field(
        default=((), ()), repr=False
    )

    def __repr__(self) -> str:
        """Short: the critical δ overall and per player, and whether play stays on target.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> grim = [build_strategy("grim_trigger", context_for(pd, i, (0, 0))) for i in (0, 1)]
        >>> sustainability(pd, grim[0], grim[1], (0, 0))
        Sustainability(δ* = 1/2; per player 1/2, 1/2; on target)
        """

        def text(x: Any) -> str:
            return "never" if x is None else render_number(x)

        per = ", ".join(text(x) for x in self.player_critical)
        where = "on target" if self.on_target else "off target"
        return f"Sustainability(δ* = {text(self.critical_discount)}; per player {per}; {where})"

    def at_discount(self, discount: Fraction | tuple[Fraction, Fraction]) -> DiscountCheck:
        """Whether the profile is an SPE at a rational δ, and the incentive margin there.

        The margin is the smallest gain from conforming over the best one-shot deviation,
        over all reachable states and both players, in stage-payoff units (the
        normalised gain divided by ``1 - δ``): the one-off temptation shock that would
        break the profile. It is negative when some deviation pays.

        ``discount`` may be a pair ``(δ_row, δ_col)``: player ``i``'s one-shot-deviation
        conditions compare two values of player ``i``, both discounted with ``δ_i``, so
        they involve ``δ_i`` alone. The SPE set in the plane of the two factors is the
        product ``player_regions[0] × player_regions[1]`` (the one-shot deviation
        principle, Fudenberg & Tirole 1991 theorem 4.2, is about one player's problem
        given the other's strategy; on differing discount factors see Lehrer & Pauzner
        1999), and each player's conditions are evaluated at their own factor.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
        >>> check = sustainability(pd, grim[0], grim[1], (0, 0)).at_discount(Fraction(9, 10))
        >>> check.spe, check.margin
        (True, Fraction(1, 1))
        >>> spe, margin = check  # also a pair

        A patient row player and an impatient column player (grim needs 1/2 each):

        >>> s = sustainability(pd, grim[0], grim[1], (0, 0))
        >>> s.at_discount((Fraction(9, 10), Fraction(2, 5))).spe
        False
        """
        import flint

        pair = _discount_pair(discount)
        if not self.conditions:
            return DiscountCheck(True, Fraction(0))
        den = flint.fmpq_poly([flint.fmpq(d.numerator, d.denominator) for d in self.denominator])
        gains = []
        for who in sorted({c.tag[0] for c in self.conditions}):
            x = pair[who]
            xq = flint.fmpq(x.numerator, x.denominator)
            worst = max(c.numer(xq) for c in self.conditions if c.tag[0] == who)
            gains.append(worst / den(xq))
        gain = max(gains)
        return DiscountCheck(bool(gain <= 0), -Fraction(int(gain.p), int(gain.q)))

    def nash_at(self, discount: Fraction | tuple[Fraction, Fraction]) -> bool:
        """Whether the profile is a Nash equilibrium at ``δ`` or at a pair ``(δ_row, δ_col)``.

        A player's best reply to the other's automaton is a decision problem discounted
        with that player's own factor, so the Nash set is also a product of per-player
        regions (``player_nash_regions``).

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
        >>> s = sustainability(pd, grim[0], grim[1], (0, 0))
        >>> s.nash_at(Fraction(1, 2)), s.nash_at((Fraction(9, 10), Fraction(1, 3)))
        (True, False)
        """
        pair = _discount_pair(discount)
        return all(
            sign_at_rational(c.numer, pair[who]) <= 0
            for who in (0, 1)
            for c in self.nash_conditions[who]
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: regions, critical δ (overall and per player), bindings and the
        path of play, exact numbers as strings (moves and states as indices: the
        report of :func:`~negotiation.repeated.report.stability_report` names them).

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
        >>> d = sustainability(pd, grim[0], grim[1], (0, 0)).to_dict()
        >>> d["critical_discount"], d["player_critical_discount"], d["path"]
        ('1/2', ['1/2', '1/2'], [[0, 0]])
        """

        def number(x: Any) -> str | None:
            return None if x is None else render_number(x)

        return {
            "spe_region": [i.to_dict() for i in self.spe_region],
            "nash_region": [i.to_dict() for i in self.nash_region],
            "player_spe_regions": [[i.to_dict() for i in r] for r in self.player_regions],
            "player_nash_regions": [[i.to_dict() for i in r] for r in self.player_nash_regions],
            "critical_discount": number(self.critical_discount),
            "player_critical_discount": [number(x) for x in self.player_critical],
            "bindings": [
                None
                if b is None
                else {"player": b.player, "state": list(b.state), "deviation": b.deviation}
                for b in self.bindings
            ],
            "path": [list(p) for p in self.path],
            "cycle_start": self.cycle_start,
            "on_target_path": self.on_target,
        }


def on_path(joint: JointAutomaton) -> tuple[tuple[tuple[int, int], ...], int]:
    """The deterministic path of play (see
    :func:`negotiation.repeated.conditions.path_of_play`).

    Examples
    --------
    >>> from negotiation.repeated.automaton import automaton_from_rule
    >>> from negotiation.repeated.joint import joint_automaton
    >>> tft = automaton_from_rule("tft", ["C", "D"], [0, 1], 0, 2, 2, lambda s, a, b: b)
    >>> stft = automaton_from_rule("stft", ["C", "D"], [0, 1], 1, 2, 2, lambda s, a, b: b)
    >>> on_path(joint_automaton(tft, stft))
    (((0, 1), (1, 0)), 0)
    """
    return path_of_play(joint)


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
    (Fraction(1, 2), ['[1/2, 1)'])
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
    conds = conditions(row, col)
    joint = conds.joint
    numers = conds.numerators(EA, EB)
    spe = [Condition(p, t) for p, t in zip(numers, conds.tags)]
    nash_row = best_reply_conditions(col, EA, 0, conds)
    nash_col = best_reply_conditions(row, EB, 1, conds)
    pts = breakpoints(spe)
    spe_region = region_where(spe, pts)
    per_player = tuple(region_where([c for c in spe if c.tag[0] == i], pts) for i in (0, 1))
    path, cycle = path_of_play(joint)
    states, _ = path_states(joint)
    on_target = all(p == tuple(target) and len(joint.cells(j)) == 1 for p, j in zip(path, states))
    crit = _critical(spe_region) if on_target else None
    pcrit = tuple(_critical(r) if on_target else None for r in per_player)
    binds = tuple(
        _binding(conds, [(k, c) for k, c in enumerate(spe) if c.tag[0] == i], pcrit[i], pts)
        for i in (0, 1)
    )
    return Sustainability(
        spe_region=spe_region,
        nash_region=region_where(nash_row + nash_col),
        player_regions=(per_player[0], per_player[1]),
        critical_discount=crit,
        player_critical=(pcrit[0], pcrit[1]),
        bindings=(binds[0], binds[1]),
        path=path,
        cycle_start=cycle,
        on_target=on_target,
        conditions=tuple(spe),
        denominator=conds.denominator,
        player_nash_regions=(region_where(nash_row), region_where(nash_col)),
        nash_conditions=(tuple(nash_row), tuple(nash_col)),
    )


def _discount_pair(discount: Any) -> tuple[Fraction, Fraction]:
    """``(δ_row, δ_col)`` from one factor or a pair, each checked to be in [0, 1)."""
    raw = tuple(discount) if isinstance(discount, tuple | list) else (discount, discount)
    if len(raw) != 2:
        raise GameError(f"give one discount factor or a pair (row, column), got {discount!r}")
    out = []
    for d in raw:
        x = Fraction(d)
        if not 0 <= x < 1:
            raise GameError(f"the discount factor must be in [0, 1), got {x}")
        out.append(x)
    return (out[0], out[1])


def _critical(region: tuple[Interval, ...]) -> Any:
    if not region or region[-1].high != 1:
        return None
    return region[-1].low


def _binding(
    conds: Conditions, mine: list[tuple[int, Condition]], crit: Any, pts: Breakpoints
) -> Binding | None:
    """The condition that fails just below the player's critical δ."""
    if crit is None or crit == 0:
        return None
    joint = conds.joint
    for k in range(1, len(pts.roots)):
        if pts.exact(k) == crit:
            below = pts.gaps[k - 1]
            for index, c in mine:
                if sign_at_rational(c.numer, below) > 0:
                    i, j, dev = c.tag
                    s1, s2 = joint.states[j]
                    return Binding(i, (joint.row.states[s1], joint.col.states[s2]), dev, index)
    return None
