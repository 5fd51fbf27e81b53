"""Built-in strategies for any stage game with a détente target and a punishment.

Every strategy is written for one player ("own") against the other, in terms of the
target profile ``t = (t_own, t_other)`` and the punishment profiles: after a
deviation by player ``k`` both players play ``punish[k]``, by default the pure stage
Nash equilibrium that is worst for ``k`` (player-specific Nash reversion; Friedman
1971). With ``punishment="nash-any"`` the punishment may be a mixed stage equilibrium
(grim trigger and k-period punishment only: their punishment phase does not react to
the realised moves, so a stage equilibrium there leaves no profitable one-shot
deviation and only the cooperative phase's conditions bind; Mailath & Samuelson 2006,
section 2.5). Role-based strategies (tit-for-tat and its relatives) read "cooperate" as the
target move and "defect" as the own move of the punishment aimed at the other player.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.errors import GameError
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.limits import MAX_PUNISHMENT_ROUNDS
from negotiation.repeated.automaton import Automaton, Successors, automaton_from_rule
from negotiation.scenario.strategy_specs import check_strategy_arguments

__all__ = [
    "Context",
    "build_strategy",
    "context_for",
    "default_generosity",
    "generous_tit_for_tat",
    "strategy_names",
]

Profile = tuple[int, int]
#: A mixed profile: (row player's probabilities, column player's probabilities).
MixedProfile = tuple[tuple[Fraction, ...], tuple[Fraction, ...]]

#: The built-in strategies that can revert to a mixed stage equilibrium: their
#: punishment phase moves on whatever is played, so it needs no realised move.
MIXED_PUNISHMENT_STRATEGIES = ("grim_trigger", "k_period_punishment")


@dataclass(frozen=True)
class Context:
    """What a built-in strategy needs to know about the game, seen from one player.

    Attributes
    ----------
    game : StageGame
    player : int
        0 for the row player, 1 for the column player.
    target : (int, int)
        Détente profile as (row move, column move).
    punish : ((int, int), (int, int))
        ``punish[k]``: the profile both play after a deviation by player ``k`` (its most
        likely profile when that punishment is mixed).
    mixed : pair of (MixedProfile or None)
        ``mixed[k]``: ``None`` when ``punish[k]`` is played for sure, else the mixed
        stage equilibrium played after a deviation by ``k`` as (row probabilities,
        column probabilities) -- see ``punishment="nash-any"`` in :func:`context_for`.
    """

    game: StageGame
    player: int
    target: Profile
    punish: tuple[Profile, Profile]
    mixed: tuple[MixedProfile | None, MixedProfile | None] = (None, None)

    @property
    def is_pure(self) -> bool:
        """Whether both punishments are pure profiles."""
        return self.mixed == (None, None)

    def own_mix(self, k: int) -> tuple[Fraction, ...] | None:
        """Own probabilities in the punishment of a deviation by ``k`` (``None``: pure)."""
        mix = self.mixed[k]
        return None if mix is None else mix[self.player]

    @property
    def n_own(self) -> int:
        """Number of own moves."""
        return self.game.shape[self.player]

    @property
    def n_other(self) -> int:
        """Number of the other player's moves."""
        return self.game.shape[1 - self.player]

    def own(self, profile: Profile) -> int:
        """Own component of a (row, column) profile."""
        return profile[self.player]

    def other(self, profile: Profile) -> int:
        """The other player's component of a (row, column) profile."""
        return profile[1 - self.player]

    def deviator(self, a: int, b: int) -> int | None:
        """Who left the target given own move ``a`` and other's ``b``: 0 (row), 1 (column)
        or None. When both left it the row player counts as the deviator, so both
        automata of a profile agree."""
        row, col = (a, b) if self.player == 0 else (b, a)
        if row != self.target[0]:
            return 0
        if col != self.target[1]:
            return 1
        return None

    @property
    def shared_moves(self) -> bool:
        """Whether both players have the same move labels (so moves can be mirrored)."""
        return self.game.row_moves == self.game.col_moves


def context_for(
    game: StageGame,
    player: int,
    target: Profile,
    punish: Any = None,
    *,
    punishment: str = "nash",
) -> Context:
    """A :class:`Context` with default punishments.

    Parameters
    ----------
    game : StageGame
    player : int
        0 (row) or 1 (column).
    target : (int, int)
        The détente profile.
    punish : pair of profiles, optional
        Explicit punishment after a deviation by the row / the column player: a pure
        profile ``(row move, column move)`` or a mixed one ``(row probabilities,
        column probabilities)`` (exact, e.g. a mixed stage equilibrium from
        :func:`~negotiation.games.extreme_equilibria.extreme_equilibria`).
    punishment : {"nash", "nash-any", "minmax"}
        Default punishment: ``"nash"`` -- the pure stage equilibrium worst for the
        deviator (player-specific Nash reversion); ``"nash-any"`` -- the stage
        equilibrium worst for the deviator among *all* of them, pure or mixed (the
        extreme equilibria suffice: a payoff is lowest at a vertex of the equilibrium
        set), a pure one on ties and so the same as ``"nash"`` when a pure equilibrium
        is worst; ``"minmax"`` -- the other player plays the pure move that holds the
        deviator's best reply lowest, and the deviator best-responds (the pure-action
        minmax of Fudenberg & Maskin 1986).

    Raises
    ------
    GameError
        When ``"nash"`` is asked for in a game without a pure equilibrium, or
        ``"nash-any"`` in a game without exact payoffs.

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> context_for(pd, 0, (0, 0)).punish
    ((1, 1), (1, 1))
    >>> chicken = StageGame.from_payoffs([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    >>> context_for(chicken, 0, (0, 0), punishment="minmax").punish
    ((0, 1), (1, 0))

    Matching pennies has only a mixed equilibrium; ``"nash-any"`` reverts to it:

    >>> mp = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> context_for(mp, 0, (0, 0), punishment="nash-any").mixed[0]
    ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))
    """
    mixed: tuple[MixedProfile | None, MixedProfile | None] = (None, None)
    if punish is not None and not all(isinstance(x, int) for p in punish for x in p):
        punish, mixed = _explicit_mixed(game, punish)
    if punish is None:
        if punishment == "minmax":
            punish = (_minmax_profile(game, 0), _minmax_profile(game, 1))
        elif punishment == "nash":
            eqs = pure_equilibria(game)
            if not eqs:
                raise GameError(
                    "the stage game has no pure equilibrium to revert to; use punishment: "
                    "nash-any (its mixed equilibria, with grim_trigger or "
                    "k_period_punishment), punishment: minmax or give a punishment profile"
                )
            punish = _worst_pure(game, eqs)
        elif punishment == "nash-any":
            punish, mixed = _worst_equilibria(game)
        else:
            raise GameError(
                f"unknown punishment {punishment!r}: use 'nash', 'nash-any' or 'minmax'"
            )
    return Context(game, player, target, punish, mixed)


def _explicit_mixed(
    game: StageGame, punish: Any
) -> tuple[tuple[Profile, Profile], tuple[MixedProfile | None, MixedProfile | None]]:
    """Read punishments given as pure or mixed profiles."""
    profiles: list[Profile] = []
    mixes: list[MixedProfile | None] = []
    for k, p in enumerate(punish):
        if all(isinstance(x, int) for x in p):
            profiles.append((int(p[0]), int(p[1])))
            mixes.append(None)
            continue
        try:
            row, col = (tuple(Fraction(x) for x in side) for side in p)
        except (TypeError, ValueError):
            raise GameError(f"punishment {k}: give a profile or two probability lists") from None
        if (len(row), len(col)) != game.shape or any(
            sum(v, Fraction(0)) != 1 or min(v) < 0 for v in (row, col)
        ):
            raise GameError(
                f"punishment {k}: a mixed profile needs {game.shape[0]} row and "
                f"{game.shape[1]} column probabilities, each summing to 1"
            )
        profiles.append((row.index(max(row)), col.index(max(col))))
        mixes.append(None if max(row) == max(col) == 1 else (row, col))
    return (profiles[0], profiles[1]), (mixes[0], mixes[1])


def _worst_pure(game: StageGame, eqs: Sequence[Profile]) -> tuple[Profile, Profile]:
    A, B = game.A, game.B
    return (min(eqs, key=lambda p: A[p]), min(eqs, key=lambda p: B[p]))


def _worst_equilibria(
    game: StageGame,
) -> tuple[tuple[Profile, Profile], tuple[MixedProfile | None, MixedProfile | None]]:
    """Per deviator, the stage equilibrium (pure or mixed) worst for them, exactly."""
    from negotiation.games.extreme_equilibria import extreme_equilibria

    if not game.is_exact:
        raise GameError("punishment: nash-any needs exact (rational) payoffs")
    eqs = list(extreme_equilibria(game, exact=True))
    pure = pure_equilibria(game)
    worst_pure = _worst_pure(game, pure) if pure else None
    EA, EB = game.require_exact()
    punish: list[Profile] = []
    mixed: list[MixedProfile | None] = []
    for k, U in enumerate((EA, EB)):
        low = min(Fraction(e.payoffs[k]) for e in eqs)
        if worst_pure is not None and U[worst_pure[k][0]][worst_pure[k][1]] == low:
            punish.append(worst_pure[k])  # a pure equilibrium is worst: as "nash"
            mixed.append(None)
            continue
        e = next(e for e in eqs if e.payoffs[k] == low)
        row = tuple(Fraction(x) for x in e.row)
        col = tuple(Fraction(y) for y in e.col)
        punish.append((row.index(max(row)), col.index(max(col))))
        mixed.append((row, col))
    return (punish[0], punish[1]), (mixed[0], mixed[1])


def _minmax_profile(game: StageGame, k: int) -> Profile:
    """Punisher's pure move minimising deviator ``k``'s best reply, and that best reply."""
    U = game.A if k == 0 else game.B.T  # deviator's payoffs, [own move, punisher's move]
    punisher = int(U.max(axis=0).argmin())
    reply = int(U[:, punisher].argmax())
    return (reply, punisher) if k == 0 else (punisher, reply)


def _two_state(
    name: str, ctx: Context, start_punish: bool, rule: Callable[[int, int, int], int | Successors]
) -> Automaton:
    t = ctx.own(ctx.target)
    p = ctx.own(ctx.punish[1 - ctx.player])
    return automaton_from_rule(
        name, ["cooperate", "punish"], [t, p], int(start_punish), ctx.n_own, ctx.n_other, rule
    )


def always(ctx: Context, move: int) -> Automaton:
    """``always_<move>``: play one move whatever happens (Axelrod 1984's ALLC/ALLD)."""
    name = f"always_{(ctx.game.row_moves, ctx.game.col_moves)[ctx.player][move]}"
    return automaton_from_rule(name, ["only"], [move], 0, ctx.n_own, ctx.n_other, lambda *_: 0)


def grim_trigger(ctx: Context) -> Automaton:
    """Grim trigger: keep the target until anyone leaves it, then revert for ever to the
    stage equilibrium that is worst for the deviator (Friedman 1971)."""
    t, pr, pc = ctx.own(ctx.target), ctx.own(ctx.punish[0]), ctx.own(ctx.punish[1])

    def rule(s: int, a: int, b: int) -> int:
        if s != 0:
            return s
        who = ctx.deviator(a, b)
        return 0 if who is None else 1 + who

    return automaton_from_rule(
        "grim_trigger",
        ["cooperate", "punish_row", "punish_col"],
        [t, pr, pc],
        0,
        ctx.n_own,
        ctx.n_other,
        rule,
        () if ctx.is_pure else (None, ctx.own_mix(0), ctx.own_mix(1)),
    )


def k_period_punishment(ctx: Context, k: int = 2) -> Automaton:
    """Punish a deviation for ``k`` rounds by the deviator's worst stage equilibrium,
    then return to the target whatever was played meanwhile (Fudenberg & Tirole 1991,
    section 5.1)."""
    if not 1 <= k <= MAX_PUNISHMENT_ROUNDS:
        raise GameError(f"k_period_punishment needs 1 <= k <= {MAX_PUNISHMENT_ROUNDS}, got k={k}")
    t = ctx.own(ctx.target)
    states = ["cooperate"] + [f"punish_{w}_{r}" for w in ("row", "col") for r in range(1, k + 1)]
    play = [t] + [ctx.own(ctx.punish[w]) for w in (0, 1) for _ in range(k)]

    def rule(s: int, a: int, b: int) -> int:
        if s == 0:
            who = ctx.deviator(a, b)
            return 0 if who is None else 1 + who * k
        r = (s - 1) % k + 1
        return 0 if r == k else s + 1

    mixes: list[tuple[Fraction, ...] | None] = []
    if not ctx.is_pure:
        mixes = [None, *(ctx.own_mix(w) for w in (0, 1) for _ in range(k))]
    return automaton_from_rule(
        f"k_period_punishment(k={k})", states, play, 0, ctx.n_own, ctx.n_other, rule, mixes
    )


def tit_for_tat(ctx: Context, *, suspicious: bool = False) -> Automaton:
    """Tit-for-tat: start with the target move and then do what the other did last round
    (Axelrod & Hamilton 1981). With move sets that differ, "what the other did" is read
    by role: the target move answers the target, anything else is punished.
    ``suspicious=True`` starts by punishing (suspicious tit-for-tat)."""
    name = "suspicious_tit_for_tat" if suspicious else "tit_for_tat"
    if ctx.shared_moves:
        start = ctx.own(ctx.punish[1 - ctx.player]) if suspicious else ctx.own(ctx.target)
        states = list((ctx.game.row_moves, ctx.game.col_moves)[ctx.player])
        return automaton_from_rule(
            name, states, list(range(ctx.n_own)), start, ctx.n_own, ctx.n_other, lambda s, a, b: b
        )
    tb = ctx.other(ctx.target)
    return _two_state(name, ctx, suspicious, lambda s, a, b: 0 if b == tb else 1)


def tit_for_two_tats(ctx: Context) -> Automaton:
    """Tit-for-two-tats: punish only when the other left the target in both of the last
    two rounds (Axelrod 1984)."""
    t, p, tb = ctx.own(ctx.target), ctx.own(ctx.punish[1 - ctx.player]), ctx.other(ctx.target)
    return automaton_from_rule(
        "tit_for_two_tats",
        ["calm", "one_strike", "punish"],
        [t, t, p],
        0,
        ctx.n_own,
        ctx.n_other,
        lambda s, a, b: 0 if b == tb else min(s + 1, 2),
    )


def generous_tit_for_tat(ctx: Context, q: Fraction | None = None) -> Automaton:
    """Generous tit-for-tat: like tit-for-tat, but forgive a departure from the target
    with probability ``q`` (Molander 1985; Nowak & Sigmund 1992). The default is the
    largest generosity that still deters exploitation,
    ``q* = min(1 - (T-R)/(R-S), (R-P)/(T-P))``, with T, R, P, S read from the target
    and punishment payoffs of this player; 1/3 where that is undefined."""
    if q is None:
        q = default_generosity(ctx)
    if not 0 <= q <= 1:
        raise GameError(f"generous_tit_for_tat needs 0 <= q <= 1, got q={q}")
    tb = ctx.other(ctx.target)
    forgive: Successors = ((0, q), (1, 1 - q))
    auto = _two_state(
        "generous_tit_for_tat", ctx, False, lambda s, a, b: 0 if b == tb else forgive
    )
    return Automaton(f"generous_tit_for_tat(q={q})", auto.states, auto.play, auto.start, auto.next)


def default_generosity(ctx: Context) -> Fraction:
    """Generous tit-for-tat's default forgiveness ``q*`` for the player of ``ctx``.

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> default_generosity(context_for(pd, 0, (0, 0)))
    Fraction(1, 3)
    """
    EA, EB = ctx.game.require_exact()
    U = EA if ctx.player == 0 else EB
    t, p = ctx.target, ctx.punish[1 - ctx.player]
    mine = ctx.player

    def u(own: int, other: int) -> Fraction:
        prof = (own, other) if mine == 0 else (other, own)
        return U[prof[0]][prof[1]]

    R = u(ctx.own(t), ctx.other(t))
    T = u(ctx.own(p), ctx.other(t))
    P = u(ctx.own(p), ctx.other(p))
    S = u(ctx.own(t), ctx.other(p))
    if T > R > P > S:
        return max(Fraction(0), min(1 - (T - R) / (R - S), (R - P) / (T - P)))
    return Fraction(1, 3)


def win_stay_lose_shift(ctx: Context) -> Automaton:
    """Win-stay, lose-shift (Pavlov): play the target move after both played the target
    or both punished, and punish otherwise (Nowak & Sigmund 1993)."""
    t, tb = ctx.own(ctx.target), ctx.other(ctx.target)
    p, pb = ctx.own(ctx.punish[1 - ctx.player]), ctx.other(ctx.punish[1 - ctx.player])
    return _two_state(
        "win_stay_lose_shift",
        ctx,
        False,
        lambda s, a, b: 0 if (a, b) in ((t, tb), (p, pb)) else 1,
    )


def contrite_tit_for_tat(ctx: Context) -> Automaton:
    """Contrite tit-for-tat: track who is in good standing; cooperate when oneself is in
    bad standing or the other is in good standing (Sugden 1986; Boyd 1989; Wu & Axelrod
    1995). A player keeps good standing by playing the target, or by punishing a
    bad-standing opponent while in good standing itself."""
    t, tb = ctx.own(ctx.target), ctx.other(ctx.target)
    p = ctx.own(ctx.punish[1 - ctx.player])
    # State = (own good?, other good?) encoded as 2 * own + other.
    play = [t if (not (s >> 1)) or (s & 1) else p for s in range(4)]

    def rule(s: int, a: int, b: int) -> int:
        own_good, other_good = bool(s >> 1), bool(s & 1)
        own_next = a == t or (own_good and not other_good)
        other_next = b == tb or (other_good and not own_good)
        return 2 * own_next + other_next

    return automaton_from_rule(
        "contrite_tit_for_tat",
        ["bad_bad", "bad_good", "good_bad", "good_good"],
        play,
        3,
        ctx.n_own,
        ctx.n_other,
        rule,
    )


def stick_and_carrot(ctx: Context) -> Automaton:
    """Stick and carrot (Abreu 1986): after a deviation play the punishment profile for
    one round, then return to the target if both carried the punishment out; a
    departure during the stick restarts it."""
    t = ctx.own(ctx.target)
    sticks = (ctx.punish[0], ctx.punish[1])

    def rule(s: int, a: int, b: int) -> int:
        if s == 0:
            who = ctx.deviator(a, b)
            return 0 if who is None else 1 + who
        stick = sticks[s - 1]
        if (a, b) == (ctx.own(stick), ctx.other(stick)):
            return 0
        row = a if ctx.player == 0 else b
        return 1 if row != stick[0] else 2

    return automaton_from_rule(
        "stick_and_carrot",
        ["carrot", "stick_row", "stick_col"],
        [t, ctx.own(sticks[0]), ctx.own(sticks[1])],
        0,
        ctx.n_own,
        ctx.n_other,
        rule,
    )


def optimal_penal_code(ctx: Context) -> Automaton:
    """The simple penal code with the lowest critical δ for the target found by
    :func:`~negotiation.repeated.penal_codes.optimal_penal_code` (Abreu 1988): after a
    deviation by ``k``, ``k``'s punishment path (a stick for one or two rounds, then the
    target; or a stage equilibrium for ever). Needs exact payoffs; ``punishment`` does
    not apply."""
    from negotiation.repeated.penal_codes import optimal_penal_code as search

    return search(ctx.game, ctx.target).automata[ctx.player]


_BUILDERS: dict[str, Callable[..., Automaton]] = {
    "grim_trigger": grim_trigger,
    "k_period_punishment": k_period_punishment,
    "tit_for_tat": tit_for_tat,
    "suspicious_tit_for_tat": lambda ctx: tit_for_tat(ctx, suspicious=True),
    "tit_for_two_tats": tit_for_two_tats,
    "generous_tit_for_tat": generous_tit_for_tat,
    "win_stay_lose_shift": win_stay_lose_shift,
    "contrite_tit_for_tat": contrite_tit_for_tat,
    "stick_and_carrot": stick_and_carrot,
    "optimal_penal_code": optimal_penal_code,
}


def strategy_names() -> tuple[str, ...]:
    """Names of the built-in strategies (plus ``always_<move>`` for every move).

    Examples
    --------
    >>> "grim_trigger" in strategy_names()
    True
    """
    return tuple(_BUILDERS)


def build_strategy(name: str, ctx: Context, **kwargs: str) -> Automaton:
    """Build a built-in strategy by name for the player of ``ctx``.

    Parameters
    ----------
    name : str
        A name from :func:`strategy_names`, or ``always_<move>``.
    ctx : Context
    **kwargs : str
        Strategy arguments as written in files, e.g. ``k="2"``, ``q="1/4"``.

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> build_strategy("k_period_punishment", context_for(pd, 0, (0, 0)), k="3").size
    7
    """
    labels = (ctx.game.row_moves, ctx.game.col_moves)[ctx.player]
    if name.startswith("always_") and name.removeprefix("always_") in labels:
        if kwargs:
            raise GameError(f"{name} takes no arguments")
        return always(ctx, labels.index(name.removeprefix("always_")))
    builder = _BUILDERS.get(name)
    if builder is None:
        raise GameError(
            f"unknown strategy {name!r} (built-in: {', '.join(_BUILDERS)}, always_<move>)"
        )
    if not ctx.is_pure and name not in (*MIXED_PUNISHMENT_STRATEGIES, "optimal_penal_code"):
        raise GameError(
            f"{name} punishes with a pure move it reacts to, but the punishment is a mixed "
            "stage equilibrium (punishment: nash-any, no pure equilibrium is as bad for "
            f"the deviator); use {' or '.join(MIXED_PUNISHMENT_STRATEGIES)}, or "
            "punishment: nash or minmax"
        )
    # the rules validate applies (arguments given as numbers are read as written)
    problem = check_strategy_arguments(name, {k: str(v) for k, v in kwargs.items()})
    if problem is not None:
        raise GameError(problem)
    args: dict[str, object] = {}
    for key, value in kwargs.items():
        try:
            args[key] = int(value) if key == "k" else Fraction(value)
        except (ValueError, ZeroDivisionError):
            raise GameError(f"{name}: argument {key}={value!r} is not a number") from None
    try:
        return builder(ctx, **args)
    except TypeError:
        raise GameError(f"{name} does not take the arguments {sorted(kwargs)}") from None
