"""Weak renegotiation-proofness of a strategy profile (Farrell & Maskin 1989).

A subgame-perfect profile is *weakly renegotiation-proof* (WRP) when no two of its
continuation payoff vectors are strictly Pareto-ranked: if the players, in some state,
could both gain by jumping to another state of the same profile, they would
renegotiate the punishment away, so the threat is not credible in that sense (Farrell &
Maskin 1989, *Games and Economic Behavior* 1:327-360; van Damme 1989). The states are
the joint automaton states reachable under any play, and the continuation values solve
``V = (1 - δ) u + δ P V`` exactly.

Grim trigger in a Prisoner's Dilemma fails: its punishment state's value ``(P, P)`` is
Pareto-dominated by the cooperative state's ``(R, R)``. The penance profile (after ``i``
deviates, ``i`` cooperates while the other defects for one round) passes: the punisher
gains during the penance, so no state is better for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiation.errors import GameError
from negotiation.games.equilibrium import number_out
from negotiation.games.rational import solve_exact
from negotiation.games.stage_game import StageGame, require_game
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.joint import joint_automaton
from negotiation.repeated.sustainability import sustainability

__all__ = ["Renegotiation", "continuation_values", "renegotiation_check"]


@dataclass(frozen=True)
class Renegotiation:
    """Whether a profile is weakly renegotiation-proof at δ.

    Attributes
    ----------
    discount : Fraction, or a (row, column) pair of them
    spe : bool
        Whether the profile is subgame perfect at δ.
    weakly_renegotiation_proof : bool
        Subgame perfect and no two continuation values strictly Pareto-ranked.
    offending : ((str, str), (str, str)) or None
        A pair of joint states (automaton state labels of the row and the column
        player): the first is strictly better for both players than the second.
    values : tuple of ((str, str), (Fraction, Fraction))
        Each reachable joint state with its continuation values.
    """

    discount: Fraction | tuple[Fraction, Fraction]
    spe: bool
    weakly_renegotiation_proof: bool
    offending: tuple[tuple[str, str], tuple[str, str]] | None
    values: tuple[tuple[tuple[str, str], tuple[Fraction, Fraction]], ...] = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
        >>> d = renegotiation_check(pd, grim[0], grim[1], (0, 0), Fraction(9, 10)).to_dict()
        >>> d["weakly_renegotiation_proof"], d["offending"]
        (False, [['cooperate', 'cooperate'], ['punish_col', 'punish_col']])
        """
        return {
            "discount": (
                [number_out(d) for d in self.discount]
                if isinstance(self.discount, tuple)
                else number_out(self.discount)
            ),
            "spe": self.spe,
            "weakly_renegotiation_proof": self.weakly_renegotiation_proof,
            "offending": None if self.offending is None else [list(s) for s in self.offending],
            "values": [
                {"state": list(s), "values": [number_out(v[0]), number_out(v[1])]}
                for s, v in self.values
            ],
        }


def continuation_values(
    game: StageGame,
    row: Automaton,
    col: Automaton,
    discount: Fraction | tuple[Fraction, Fraction],
) -> tuple[tuple[tuple[str, str], tuple[Fraction, Fraction]], ...]:
    """Exact continuation values ``(V_row, V_col)`` at every reachable joint state
    (with a pair ``(δ_row, δ_col)``, each player's value at their own δ).

    Examples
    --------
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> [tuple(map(str, v)) for _, v in continuation_values(pd, *grim, Fraction(1, 2))]
    [('3', '3'), ('1', '1'), ('1', '1')]
    """
    EA, EB = game.require_exact()
    joint = joint_automaton(row, col)
    k = len(joint.states)
    pair = discount if isinstance(discount, tuple) else (discount, discount)
    out = []
    sols = []
    for U, d in zip((EA, EB), pair):  # each player's values with their own δ
        M = [[Fraction(int(i == j)) for j in range(k)] for i in range(k)]
        for j in range(k):
            for t, p in joint.conforming(j):
                M[j][t] -= d * p
        # expected stage payoffs where an automaton mixes
        rhs = [
            (1 - d) * sum((w * U[a][b] for (a, b), w in joint.cells(j)), Fraction(0))
            for j in range(k)
        ]
        x = solve_exact(M, rhs)
        if x is None:  # pragma: no cover - I - δP is invertible for δ < 1
            raise GameError("the value equations are singular")
        sols.append(x)
    for j, (s1, s2) in enumerate(joint.states):
        out.append(((row.states[s1], col.states[s2]), (sols[0][j], sols[1][j])))
    return tuple(out)


def renegotiation_check(
    game: StageGame, row: Automaton, col: Automaton, target: tuple[int, int], discount: Any
) -> Renegotiation:
    """Weak renegotiation-proofness of a profile at a rational δ, with an offending pair.

    Parameters
    ----------
    game : StageGame
        Exact payoffs.
    row, col : Automaton
    target : (int, int)
        The détente profile (for the SPE check).
    discount : Fraction, or a (row, column) pair
        In [0, 1); with a pair each player's conditions and values use their own δ.

    Returns
    -------
    Renegotiation

    Examples
    --------
    The penance profile of the Prisoner's Dilemma (5, 3, 1, 0) is an SPE from δ = 2/3
    and weakly renegotiation-proof:

    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> pen = [build_strategy("stick_and_carrot", context_for(pd, p, (0, 0),
    ...                                                       ((0, 1), (1, 0)))) for p in (0, 1)]
    >>> renegotiation_check(pd, pen[0], pen[1], (0, 0), Fraction(9, 10)).weakly_renegotiation_proof
    True
    """
    require_game(game, "renegotiation_check")
    raw = discount if isinstance(discount, tuple | list) and len(discount) == 2 else (discount,)
    ds = []
    for x in raw:
        try:
            ds.append(Fraction(x))
        except (TypeError, ValueError):
            raise GameError(f"the discount factor must be a number, got {discount!r}") from None
        if not 0 <= ds[-1] < 1:
            raise GameError(f"the discount factor must be in [0, 1), got {ds[-1]}")
    d: Fraction | tuple[Fraction, Fraction] = ds[0] if len(ds) == 1 else (ds[0], ds[1])
    spe, _ = sustainability(game, row, col, target).at_discount(d)
    values = continuation_values(game, row, col, d)
    offending = None
    for s, v in values:
        for t, w in values:
            if v[0] > w[0] and v[1] > w[1]:
                offending = (s, t)
                break
        if offending is not None:
            break
    return Renegotiation(d, spe, spe and offending is None, offending, values)
