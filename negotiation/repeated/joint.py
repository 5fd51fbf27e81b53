"""The joint automaton of a strategy profile: pairs of states reachable under any play."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.repeated.automaton import Automaton

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
        The move profile the two automata prescribe in each joint state.
    """

    row: Automaton
    col: Automaton
    states: tuple[tuple[int, int], ...]
    profile: tuple[tuple[int, int], ...]

    def index(self, state: tuple[int, int]) -> int:
        """Position of a joint state in :attr:`states`."""
        return self.states.index(state)

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
    k = 0
    while k < len(order):
        s1, s2 = order[k]
        k += 1
        for a in range(m):
            for b in range(n):
                for t1, _ in row.step(s1, a, b):
                    for t2, _ in col.step(s2, b, a):
                        if (t1, t2) not in seen:
                            seen[(t1, t2)] = len(order)
                            order.append((t1, t2))
    states = tuple(order)
    return JointAutomaton(
        row, col, states, tuple((row.play[s1], col.play[s2]) for s1, s2 in states)
    )
