"""Critical discount factors as formulas in the scenario's parameters.

The exact analysis (:mod:`negotiation.repeated.sustainability`) finds, at the
parameter values of an assumption, each player's critical δ and the condition that
binds it (a joint state and a one-shot deviation). Here the same condition -- the same
map from payoffs to coefficients (:mod:`negotiation.repeated.conditions`) -- is read
with the parameters as symbols, its numerator is solved for δ, and the root that equals
the exact critical δ at those values is returned. The formula therefore holds
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
from negotiation.repeated.conditions import conditions
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


def _binding_factor(numer: Any, crit: Any) -> Any:
    """The irreducible factor (``fmpz_poly``) of ``numer`` that vanishes at ``crit``."""
    from negotiation.numbers import to_float
    from negotiation.repeated.exact_roots import irreducible_factors, real_roots_in_unit

    target = to_float(crit)
    best = None
    for f in irreducible_factors(numer):
        for r in real_roots_in_unit(f):
            gap = abs(float(r) - target)
            if best is None or gap < best[0]:
                best = (gap, f)
    return None if best is None or best[0] > 1e-9 else best[1]


def _reduce(sympy: Any, H: Any, d: Any, numer: Any, keep: Any) -> Any:
    """``H`` (symbolic ``N_c``) with the parameter-free factors of ``numer`` (its value
    at the assumption) divided out, except ``keep``: what ``together`` would cancel."""
    poly = sympy.Poly(H, d)
    _, factors = numer.numer().factor()
    for f, mult in factors:
        f = f if f.leading_coefficient() > 0 else -f
        if f == keep:
            mult -= 1
        g = sympy.Poly([int(c) for c in reversed(f.coeffs())], d)
        for _ in range(mult):
            q, r = poly.div(g)
            if not r.is_zero:
                break
            poly = q
    return poly


def symbolic_thresholds(
    scenario: Scenario,
    game: StageGame,
    row: Automaton,
    col: Automaton,
    result: Sustainability,
    values: Mapping[str, Fraction],
) -> tuple[Any, Any]:
    """Each player's critical δ as a formula in the parameters (``None`` where none).

    The binding condition's numerator ``N_c`` is read from the profile's conditions
    (:mod:`negotiation.repeated.conditions`) with the payoffs as sympy expressions, its
    parameter-free factors are divided out, and the root in δ that equals the exact
    critical δ at ``values`` is returned.

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

    from negotiation.numbers import to_float

    if not (row.is_pure and col.is_pure):
        # A mixed punishment's probabilities depend on the payoffs themselves: the maps
        # read with symbolic payoffs would hold them fixed, so no formula is given.
        return None, None

    A, B, syms = symbolic_payoffs(scenario)
    d = sympy.Symbol("delta")
    conds = conditions(row, col)
    numers = conds.numerators(*game.require_exact())
    at = {
        syms[k]: sympy.Rational(v.numerator, v.denominator) for k, v in values.items() if k in syms
    }
    out: list[Any] = []
    for i, U in enumerate((A, B)):
        binding = result.bindings[i]
        crit = result.player_critical[i]
        if binding is None or crit is None or binding.condition < 0:
            out.append(None)
            continue
        c = binding.condition
        keep = _binding_factor(numers[c], crit)
        if keep is None or keep.degree() > MAX_DEGREE:
            # Cubic and higher roots in symbolic parameters (Cardano) are unreadable and
            # take sympy minutes; the numerical critical δ stays exact.
            out.append(None)
            continue
        H = _reduce(sympy, conds.symbolic_numerator(c, U, d), d, numers[c], keep)
        if H.degree() > MAX_DEGREE:
            out.append(None)
            continue
        target = to_float(crit)
        chosen = None
        for r in sympy.solve(H.as_expr(), d):
            val = complex(sympy.N(r.subs(at), 30))
            if abs(val.imag) < 1e-12 and abs(val.real - target) <= 1e-10 * max(1.0, target):
                chosen = sympy.simplify(r)
                break
        out.append(chosen)
    return out[0], out[1]
