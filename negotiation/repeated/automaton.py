"""Strategies of the repeated game as finite automata (Moore machines).

A strategy of player ``i`` is an automaton: a finite set of states, the move it plays
in each state, a start state, and a transition rule that maps the current state and
the realised move profile (own move, other's move) to the next state -- or, for
stochastic strategies such as generous tit-for-tat, to a probability distribution
over next states (Rubinstein 1986; Abreu & Rubinstein 1988; Kalai & Stanford 1988).

Moves are indices into the player's own move list; the other player's moves are
indices into theirs. Probabilities are exact ``Fraction`` values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from negotiation.errors import GameError

__all__ = ["Action", "Automaton", "Successors", "automaton_from_rule"]

#: Next-state distribution: ``((state, probability), ...)`` with probabilities summing to 1.
Successors = tuple[tuple[int, Fraction], ...]

#: A state's action: ``((move, probability), ...)`` over the moves played with positive
#: probability, in move order (one entry with probability 1 for a pure state).
Action = tuple[tuple[int, Fraction], ...]


@dataclass(frozen=True)
class Automaton:
    """A (possibly stochastic) Moore machine for one player.

    Attributes
    ----------
    name : str
        Strategy name, e.g. ``"grim_trigger"``.
    states : tuple of str
        State labels.
    play : tuple of int
        ``play[s]`` is the own move index played in state ``s``.
    start : int
        Index of the start state.
    next : tuple
        ``next[s][a][b]`` is the :data:`Successors` of state ``s`` after the profile
        (own move ``a``, other's move ``b``).
    mixes : tuple
        Empty (every state plays its move for sure), or per state ``None`` (pure) or
        the exact probabilities of the own moves the state plays (a mixed action, e.g.
        a mixed stage equilibrium reverted to after a deviation). ``play[s]`` is then
        the most likely move; :meth:`action` gives the whole mix.

    Examples
    --------
    Tit-for-tat in a 2x2 game with moves (C, D): state = the move to play next.

    >>> tft = automaton_from_rule("tit_for_tat", ["C", "D"], [0, 1], 0, 2, 2,
    ...                           lambda s, a, b: b)
    >>> tft.step(0, 0, 1)
    ((1, Fraction(1, 1)),)
    >>> tft.is_deterministic
    True
    >>> tft.action(1), tft.is_pure
    (((1, Fraction(1, 1)),), True)
    """

    name: str
    states: tuple[str, ...]
    play: tuple[int, ...]
    start: int
    next: tuple[tuple[tuple[Successors, ...], ...], ...]
    mixes: tuple[tuple[Fraction, ...] | None, ...] = ()

    def __post_init__(self) -> None:
        n = len(self.states)
        if n == 0 or len(self.play) != n or len(self.next) != n:
            raise GameError(
                f"automaton {self.name!r}: states, play and next must have one entry each"
            )
        if not 0 <= self.start < n:
            raise GameError(f"automaton {self.name!r}: start state {self.start} does not exist")
        for s, rows in enumerate(self.next):
            for row in rows:
                for succ in row:
                    total = sum((p for _, p in succ), Fraction(0))
                    if total != 1 or any(not 0 <= t < n or p < 0 for t, p in succ):
                        raise GameError(
                            f"automaton {self.name!r}: state {self.states[s]!r} has an invalid "
                            "transition distribution"
                        )
        if self.mixes:
            if len(self.mixes) != n:
                raise GameError(f"automaton {self.name!r}: mixes must have one entry per state")
            for s, mix in enumerate(self.mixes):
                if mix is None:
                    continue
                if (
                    len(mix) != self.own_moves
                    or sum(mix, Fraction(0)) != 1
                    or any(p < 0 for p in mix)
                    or mix[self.play[s]] != max(mix)
                ):
                    raise GameError(
                        f"automaton {self.name!r}: state {self.states[s]!r} has an invalid "
                        "mixed action (probabilities of every own move, summing to 1, the "
                        "played move among the most likely)"
                    )

    def __hash__(self) -> int:
        # Automata key the caches of derived conditions: hash the tables once.
        h = self.__dict__.get("_hash")
        if h is None:
            h = hash((self.name, self.states, self.play, self.start, self.next, self.mixes))
            object.__setattr__(self, "_hash", h)
        return h

    @property
    def size(self) -> int:
        """Number of states."""
        return len(self.states)

    @property
    def own_moves(self) -> int:
        """Number of moves of the player who uses the automaton."""
        return len(self.next[0])

    @property
    def other_moves(self) -> int:
        """Number of moves of the other player."""
        return len(self.next[0][0])

    @property
    def is_deterministic(self) -> bool:
        """Whether every transition leads to one state for sure."""
        return all(len(succ) == 1 for rows in self.next for row in rows for succ in row)

    @property
    def is_pure(self) -> bool:
        """Whether every state plays one move for sure (no mixed action)."""
        return all(mix is None for mix in self.mixes)

    def action(self, state: int) -> Action:
        """The moves state ``state`` plays, with their probabilities."""
        mix = self.mixes[state] if self.mixes else None
        if mix is None:
            return ((self.play[state], Fraction(1)),)
        return tuple((a, p) for a, p in enumerate(mix) if p)

    def require_pure(self, what: str) -> None:
        """Raise :class:`GameError` when the automaton mixes: ``what`` (a computation)
        is defined for pure strategies only.

        Examples
        --------
        >>> grim = automaton_from_rule("grim", ["c", "p"], [0, 1], 0, 2, 2, lambda s, a, b: 1)
        >>> grim.require_pure("the batched sweep")  # pure: fine
        """
        if not self.is_pure:
            raise GameError(
                f"strategy {self.name!r} plays a mixed action (a mixed stage equilibrium as "
                f"punishment); {what} handles pure strategies only: analyse it exactly "
                "(stability, compare, simulate) or use punishment: nash or minmax"
            )

    def step(self, state: int, own: int, other: int) -> Successors:
        """The next-state distribution after the profile (own move, other's move)."""
        return self.next[state][own][other]

    def check_moves(self, own_moves: int, other_moves: int) -> None:
        """Raise :class:`GameError` unless the automaton fits a game with these move counts."""
        if (self.own_moves, self.other_moves) != (own_moves, other_moves):
            raise GameError(
                f"strategy {self.name!r} is built for {self.own_moves} own and "
                f"{self.other_moves} other moves, the game has {own_moves} and {other_moves}"
            )
        if any(not 0 <= a < own_moves for a in self.play):
            raise GameError(f"strategy {self.name!r} plays a move the player does not have")


def automaton_from_rule(
    name: str,
    states: Sequence[str],
    play: Sequence[int],
    start: int,
    own_moves: int,
    other_moves: int,
    rule: Callable[[int, int, int], int | Successors],
    mixes: Sequence[Sequence[Fraction] | None] = (),
) -> Automaton:
    """Build an automaton from a transition rule ``rule(state, own, other)``.

    The rule returns the next state (deterministic) or a :data:`Successors` tuple.
    ``mixes`` optionally gives mixed actions (see :class:`Automaton`); ``play`` then
    names the most likely move of each mixed state.

    Examples
    --------
    Grim trigger over moves (C, D): cooperate until anyone defects.

    >>> g = automaton_from_rule("grim", ["coop", "punish"], [0, 1], 0, 2, 2,
    ...                         lambda s, a, b: 0 if s == 0 and a == b == 0 else 1)
    >>> [g.step(0, a, b)[0][0] for a in range(2) for b in range(2)]
    [0, 1, 1, 1]
    """

    def succ(value: int | Successors) -> Successors:
        if isinstance(value, int):
            return ((value, Fraction(1)),)
        merged: dict[int, Fraction] = {}
        for t, p in value:
            if p:
                merged[t] = merged.get(t, Fraction(0)) + Fraction(p)
        return tuple(sorted(merged.items()))

    table = tuple(
        tuple(tuple(succ(rule(s, a, b)) for b in range(other_moves)) for a in range(own_moves))
        for s in range(len(states))
    )
    mix = tuple(None if m is None else tuple(Fraction(p) for p in m) for m in mixes)
    if all(m is None for m in mix):
        mix = ()
    return Automaton(name, tuple(states), tuple(play), start, table, mix)
