"""The Nash region of a profile: where conforming is a best reply, found parametrically.

Against the other player's automaton, a best reply is a Markov decision problem over
the other's states (Blackwell 1965: a stationary deterministic policy is optimal at
every δ). The profile is a Nash equilibrium at δ iff conforming from the start is
worth the optimum ``V*(start)``. Listing all policies is exponential; instead the
optimal policies are discovered along [0, 1):

1. pick a rational δ not yet covered, and find an optimal policy there by exact
   policy iteration (Howard 1960);
2. derive that policy's values as rational functions of δ and its advantages
   ``Q(s, a) - V(s)``: the policy is optimal exactly where every advantage is <= 0,
   a set computed exactly (:func:`~negotiation.repeated.regions.region_where`);
3. repeat until the optimality sets of the policies found cover every gap between the
   roots of their advantages.

The policies found include an optimal one at every δ, so ``V* = max_π V_π`` over them
and the Nash region is where conforming beats each of them: one exact region over a
handful of conditions. Each step costs a polynomial amount of work in the number of
states, so cost grows polynomially with the automaton rather than with its paths.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint

from negotiation.games.rational import ExactMatrix
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.conditions import Conditions, _leverrier, _q
from negotiation.repeated.regions import Condition, breakpoints

__all__ = ["best_reply_conditions"]

#: Most policies discovered before giving up (a safeguard; far above what occurs).
MAX_POLICIES = 10_000


def _reachable(other: Automaton, n_mine: int) -> list[int]:
    order = [other.start]
    seen = {other.start}
    k = 0
    while k < len(order):
        s = order[k]
        k += 1
        for a in range(n_mine):
            for t, _ in (x for b, _ in other.action(s) for x in other.step(s, b, a)):
                if t not in seen:
                    seen.add(t)
                    order.append(t)
    return order


class _MDP:
    """The best-reply problem of player ``i`` against ``other`` (payoffs ``U``)."""

    def __init__(self, other: Automaton, U: ExactMatrix, i: int) -> None:
        self.i = i
        self.n_mine = other.other_moves
        self.states = _reachable(other, self.n_mine)
        self.index = {s: k for k, s in enumerate(self.states)}
        self.pay: list[list[Fraction]] = []
        self.next: list[list[list[tuple[int, Fraction]]]] = []
        for s in self.states:
            theirs = other.action(s)  # a mixed state: expected payoffs and transitions
            pays, nxts = [], []
            for a in range(self.n_mine):
                pays.append(
                    sum(
                        (w * Fraction(U[a][b] if i == 0 else U[b][a]) for b, w in theirs),
                        Fraction(0),
                    )
                )
                nxt: dict[int, Fraction] = {}
                for b, w in theirs:
                    for t, p in other.step(s, b, a):
                        nxt[self.index[t]] = nxt.get(self.index[t], Fraction(0)) + w * p
                nxts.append(sorted(nxt.items()))
            self.pay.append(pays)
            self.next.append(nxts)

    def _matrix(self, policy: tuple[int, ...], x: Fraction) -> tuple[Any, Any]:
        n = len(self.states)
        M = flint.fmpq_mat(n, n)
        rhs = flint.fmpq_mat(n, 1)
        xq = _q(x)
        for s in range(n):
            M[s, s] += 1
            for t, p in self.next[s][policy[s]]:
                M[s, t] -= xq * _q(p)
            rhs[s, 0] = (1 - xq) * _q(self.pay[s][policy[s]])
        return M, rhs

    def optimal_at(self, x: Fraction, policy: tuple[int, ...]) -> tuple[int, ...]:
        """Exact policy iteration at δ = x, from ``policy``."""
        xq = _q(x)
        while True:
            M, rhs = self._matrix(policy, x)
            V = M.solve(rhs)
            new = list(policy)
            for s in range(len(self.states)):

                def q(a: int, s: int = s, V: Any = V) -> Any:
                    cont = sum((_q(p) * V[t, 0] for t, p in self.next[s][a]), flint.fmpq(0))
                    return (1 - xq) * _q(self.pay[s][a]) + xq * cont

                best = q(policy[s])
                for a in range(self.n_mine):
                    v = q(a)
                    if v > best:
                        best, new[s] = v, a
            if tuple(new) == policy:
                return policy
            policy = tuple(new)

    def parametric(self, policy: tuple[int, ...]) -> tuple[Any, Any, list[Any]]:
        """``(D_π, W_π(start), advantage numerators)`` as ``fmpq_poly`` in δ, with
        ``V_π = (1 - δ) W_π / D_π``."""
        n = len(self.states)
        Q = flint.fmpq_mat(n, n)
        for s in range(n):
            for t, p in self.next[s][policy[s]]:
                Q[s, t] += _q(p)
        dcoef, Bs = _leverrier(Q, n)
        D = flint.fmpq_poly(dcoef)
        u = flint.fmpq_mat(n, 1, [_q(self.pay[s][policy[s]]) for s in range(n)])
        cols = [(B * u).entries() for B in Bs]  # coefficient k of W, per state
        W = [flint.fmpq_poly([cols[k][s] for k in range(n)]) for s in range(n)]
        x = flint.fmpq_poly([0, 1])
        adv = []
        for s in range(n):
            for a in range(self.n_mine):
                if a == policy[s]:
                    continue
                cont = sum((W[t] * _q(p) for t, p in self.next[s][a]), flint.fmpq_poly(0))
                num = D * _q(self.pay[s][a]) + x * cont - W[s]
                if not num.is_zero():
                    adv.append(num)
        return D, W[0], adv


def _optimal_where(adv: list[Any], x: Fraction) -> bool:
    v = flint.fmpq(x.numerator, x.denominator)
    return all(p(v) <= 0 for p in adv)


def best_reply_conditions(
    other: Automaton, U: ExactMatrix, i: int, conds: Conditions
) -> list[Condition]:
    """Conditions (``<= 0``) that together say "conforming is a best reply from the
    start" for player ``i`` against ``other``.

    Parameters
    ----------
    other : Automaton
        The other player's strategy.
    U : ExactMatrix
        Player ``i``'s payoffs, indexed (row move, column move).
    i : int
        0 for the row player, 1 for the column player.
    conds : Conditions
        The profile's conditions (for the value of conforming from the start).

    Returns
    -------
    list of Condition
        One per optimal policy discovered: ``W_π(start) D - W_conform(start) D_π``.

    Examples
    --------
    Grim trigger in the Prisoner's Dilemma: conforming is a best reply iff δ >= 1/2.

    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> from negotiation.repeated.conditions import conditions
    >>> from negotiation.repeated.regions import region_where
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> r, c = (build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1))
    >>> A, B = pd.require_exact()
    >>> [str(x) for x in region_where(best_reply_conditions(c, A, 0, conditions(r, c)))]
    ['[1/2, 1)']
    """
    mdp = _MDP(other, U, i)
    F = conds.shape[1]
    u = flint.fmpq_mat(conds.shape[0] * F, 1, [_q(Fraction(x)) for row in U for x in row])
    start = conds.start_value * u
    W_conf = flint.fmpq_poly([start[k, 0] for k in range(start.nrows())])
    D_conf = conds.denominator_poly()
    found: dict[tuple[int, ...], list[Any]] = {}
    out: list[Condition] = []
    policy = tuple(0 for _ in mdp.states)
    while True:
        pts = breakpoints([Condition(p) for adv in found.values() for p in adv])
        todo = [g for g in pts.gaps if not any(_optimal_where(a, g) for a in found.values())]
        if not todo:
            return out
        for x in todo:
            if any(_optimal_where(adv, x) for adv in found.values()):
                continue
            policy = mdp.optimal_at(x, policy)
            if policy in found:  # pragma: no cover - policy iteration is exact
                raise ArithmeticError("policy iteration returned a known, non-optimal policy")
            D, W, adv = mdp.parametric(policy)
            found[policy] = adv
            if len(found) > MAX_POLICIES:  # pragma: no cover
                raise ArithmeticError("too many optimal policies")
            out.append(Condition(W * D_conf - W_conf * D, (i, policy)))
