"""The joint automaton of a strategy profile: pairs of states reachable under any play."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.errors import GameError
from negotiation.limits import MAX_PROFILE_WORK
from negotiation.repeated.automaton import Action, Automaton

__all__ = ["JointAutomaton", "joint_automaton"]


@dataclass(frozen=True)
class JointAutomaton:
    """Two automata run side by side.

    Attributes
    ----------
    row, col : Automaton
        The row and the column player's strategies.
    states : tuple of (int, int)
        Joint states reachable from the start under *any* sequence of move profiles
        (these are the subgames the one-shot deviation principle must check); the
        start state is first.
    profile : tuple of (int, int)
        The move profile the two automata prescribe in each joint state (the most
        likely one where an automaton mixes: :meth:`cells` gives the distribution).
    edges : int
        Distinct (joint state, next joint state) pairs over all move profiles: with
        the number of states, the size of the exact derivation of the conditions.
    """

    row: Automaton
    col: Automaton
    states: tuple[tuple[int, int], ...]
    profile: tuple[tuple[int, int], ...]
    edges: int = 0

    def index(self, state: tuple[int, int]) -> int:
        """Position of a joint state in :attr:`states`."""
        return self.states.index(state)

    @property
    def is_pure(self) -> bool:
        """Whether both automata play pure actions in every state."""
        return self.row.is_pure and self.col.is_pure

    def actions(self, j: int) -> tuple[Action, Action]:
        """The row and the column player's actions (moves with probabilities) in ``j``."""
        s1, s2 = self.states[j]
        return self.row.action(s1), self.col.action(s2)

    def cells(self, j: int) -> tuple[tuple[tuple[int, int], Fraction], ...]:
        """The distribution of the move profile played in joint state ``j``."""
        ra, ca = self.actions(j)
        return tuple(((a, b), p * q) for a, p in ra for b, q in ca)

    def conforming(self, j: int) -> tuple[tuple[int, Fraction], ...]:
        """Distribution of the next joint state when both follow their automata in ``j``
        (over the realised moves of mixed actions)."""
        cells = self.cells(j)
        if len(cells) == 1:
            return self.successors(j, *cells[0][0])
        out: dict[int, Fraction] = {}
        for (a, b), w in cells:
            for k, p in self.successors(j, a, b):
                out[k] = out.get(k, Fraction(0)) + w * p
        return tuple(sorted(out.items()))

    def successors(self, j: int, a: int, b: int) -> tuple[tuple[int, Fraction], ...]:
        """Distribution of the next joint state after the profile (a, b) in state ``j``."""
        s1, s2 = self.states[j]
        out: dict[int, Fraction] = {}
        for t1, p1 in self.row.step(s1, a, b):
            for t2, p2 in self.col.step(s2, b, a):
                k = self.index((t1, t2))
                out[k] = out.get(k, Fraction(0)) + p1 * p2
        return tuple(sorted(out.items()))


def joint_automaton(row: Automaton, col: Automaton) -> JointAutomaton:
    """Build the joint automaton of a profile, with every reachable joint state.

    Examples
    --------
    >>> from negotiation.repeated.automaton import automaton_from_rule
    >>> grim = automaton_from_rule("grim", ["c", "p"], [0, 1], 0, 2, 2,
    ...                            lambda s, a, b: 0 if s == 0 and a == b == 0 else 1)
    >>> joint_automaton(grim, grim).states
    ((0, 0), (1, 1))
    """
    m, n = row.own_moves, col.own_moves
    start = (row.start, col.start)
    seen = {start: 0}
    order = [start]
    k = edges = 0
    while k < len(order):
        s1, s2 = order[k]
        k += 1
        nexts = set()
        for a in range(m):
            for b in range(n):
                for t1, _ in row.step(s1, a, b):
                    for t2, _ in col.step(s2, b, a):
                        nexts.add((t1, t2))
                        if (t1, t2) not in seen:
                            seen[(t1, t2)] = len(order)
                            order.append((t1, t2))
        edges += len(nexts)
    states = tuple(order)
    return JointAutomaton(
        row, col, states, tuple((row.play[s1], col.play[s2]) for s1, s2 in states), edges
    )


def check_profile_size(joint: JointAutomaton) -> None:
    """Refuse a profile whose exact conditions would take too long to derive.

    The derivation solves for the continuation values of every joint state after every
    deviation, exactly in δ: its work grows as states × edges
    (:data:`~negotiation.limits.MAX_PROFILE_WORK` is about half a minute here).
    Tit-for-tat copies the other's move, so on an n×n game it has n² joint states,
    each with n² successors: 9×9 is within the limit, 12×12 is not.

    Examples
    --------
    >>> from negotiation.repeated.automaton import automaton_from_rule
    >>> grim = automaton_from_rule("grim", ["c", "p"], [0, 1], 0, 2, 2,
    ...                            lambda s, a, b: 0 if s == 0 and a == b == 0 else 1)
    >>> check_profile_size(joint_automaton(grim, grim))  # 2 states, 3 edges: fine
    """
    work = len(joint.states) * joint.edges
    if work > MAX_PROFILE_WORK:
        raise GameError(
            f"the profile {joint.row.name} vs {joint.col.name} is too large to analyse "
            f"exactly: {len(joint.states):,} joint states with {joint.edges:,} transitions "
            f"(states × transitions {work:,}, at most {MAX_PROFILE_WORK:,}); use a "
            "strategy with fewer states (grim_trigger, k_period_punishment) on this game"
        )
