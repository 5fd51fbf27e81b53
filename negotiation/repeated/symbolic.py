"""Critical discount factors as formulas in the scenario's parameters.

The exact analysis (:mod:`negotiation.repeated.sustainability`) finds, at the
parameter values of an assumption, each player's critical δ and the condition that
binds it (a joint state and a one-shot deviation). Here the same condition is written
with the parameters as symbols, its numerator is solved for δ, and the root that equals
the numerical critical δ at those values is returned. The formula therefore holds
wherever the same condition binds with the same root -- in particular in a
neighbourhood of the assumption's values -- and is exact there. Conditions of degree
above :data:`MAX_DEGREE` in δ get no formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.joint import joint_automaton
from negotiation.repeated.sustainability import Sustainability
from negotiation.scenario.model import Scenario

__all__ = ["MAX_DEGREE", "symbolic_payoffs", "symbolic_thresholds"]

#: Highest degree in δ of a binding condition that is solved as a formula.
MAX_DEGREE = 3


def symbolic_payoffs(
    scenario: Scenario,
) -> tuple[list[list[Any]], list[list[Any]], dict[str, Any]]:
    """Payoff matrices as sympy expressions in the parameter symbols (derived names
    substituted), and the symbols by name.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> A, B, syms = symbolic_payoffs(load_scenario("prisoners-dilemma"))
    >>> A[1][0], B[1][0]
    (T, S)
    """
    import sympy

    syms = {name: sympy.Symbol(name, real=True) for name in scenario.parameters}
    values: dict[str, Any] = dict(syms)
    for name, expr in scenario.derived.items():
        values[name] = expr.to_sympy(values)
    A = [[cell[0].to_sympy(values) for cell in row] for row in scenario.payoffs]
    B = [[cell[1].to_sympy(values) for cell in row] for row in scenario.payoffs]
    return A, B, syms


def symbolic_thresholds(
    scenario: Scenario,
    game: StageGame,
    row: Automaton,
    col: Automaton,
    result: Sustainability,
    values: Mapping[str, Fraction],
) -> tuple[Any, Any]:
    """Each player's critical δ as a formula in the parameters (``None`` where none).

    Parameters
    ----------
    scenario : Scenario
    game : StageGame
        The game at ``values`` (moves as in the scenario).
    row, col : Automaton
    result : Sustainability
        The exact analysis at ``values``.
    values : mapping
        Parameter values of the assumption.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> from negotiation.repeated.sustainability import sustainability
    >>> s = load_scenario("prisoners-dilemma")
    >>> g = StageGame.from_scenario(s)
    >>> r, c = (build_strategy("grim_trigger", context_for(g, p, (0, 0))) for p in (0, 1))
    >>> symbolic_thresholds(s, g, r, c, sustainability(g, r, c, (0, 0)), s.parameter_values())
    ((R - T)/(P - T), (R - T)/(P - T))
    """
    import sympy

    A, B, syms = symbolic_payoffs(scenario)
    d = sympy.Symbol("delta")
    joint = joint_automaton(row, col)
    at = {
        syms[k]: sympy.Rational(v.numerator, v.denominator) for k, v in values.items() if k in syms
    }
    out: list[Any] = []
    for i, U in enumerate((A, B)):
        binding = result.bindings[i]
        crit = result.player_critical[i]
        if binding is None or crit is None:
            out.append(None)
            continue
        s1 = joint.row.states.index(binding.state[0])
        s2 = joint.col.states.index(binding.state[1])
        j = joint.states.index((s1, s2))
        n = len(joint.states)
        P = sympy.zeros(n, n)
        for k in range(n):
            for t, p in joint.successors(k, *joint.profile[k]):
                P[k, t] += sympy.Rational(p.numerator, p.denominator)
        u = sympy.Matrix([U[a][b] for a, b in joint.profile])
        V = (sympy.eye(n) - d * P).LUsolve((1 - d) * u)
        a, b = joint.profile[j]
        prof = (binding.deviation, b) if i == 0 else (a, binding.deviation)
        cont = sum(
            (
                sympy.Rational(p.numerator, p.denominator) * V[t]
                for t, p in joint.successors(j, *prof)
            ),
            sympy.Integer(0),
        )
        gain = sympy.together((1 - d) * U[prof[0]][prof[1]] + d * cont - V[j])
        numer = sympy.numer(gain)
        if sympy.degree(numer, d) > MAX_DEGREE:
            # Cubic and higher roots in symbolic parameters (Cardano) are unreadable and
            # take sympy minutes; the numerical critical δ stays exact.
            out.append(None)
            continue
        roots = sympy.solve(sympy.Eq(numer, 0), d)
        chosen = None
        for r in roots:
            val = sympy.simplify(r.subs(at))
            if val.is_real and sympy.simplify(val - crit) == 0:
                chosen = sympy.simplify(r)
                break
        out.append(chosen)
    return out[0], out[1]
