"""The exact tipping points along a parameter, against the exact report at points.

The reference is independent of the analysis along the parameter: at a rational value
of the parameter, `stability_report` (the path of `compare`) derives everything afresh
and `verdict` decides; the analysis along the parameter must give the same status
between its tipping points and on either side of each.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.analysis.tipping import tipping_points
from negotiation.analysis.tipping_exact import NotRational, tipping_along
from negotiation.analysis.verdict import VerdictRules, verdict
from negotiation.games.stage_game import StageGame
from negotiation.repeated.conditions import conditions, faddeev_leverrier
from negotiation.repeated.exact_roots import rational_between_roots
from negotiation.repeated.joint import joint_automaton
from negotiation.repeated.library import context_for, generous_tit_for_tat
from negotiation.repeated.noise import detente_share_along, noise_metrics
from negotiation.repeated.ratfunc import RatFunc, Sample, solve_linear
from negotiation.repeated.report import stability_report
from negotiation.scenario import load_scenario, parse_scenario


def report_status(scenario, assumption, name, x, overrides=None):
    """[verdict, each profile sustained?] at ``name = x`` by the compare path."""
    r = stability_report(scenario, assumption, {**(overrides or {}), name: x}, formulas=False)
    v, _ = verdict(r, VerdictRules.for_scenario(scenario))
    sustained = [p.spe_at_discount and p.sustainability.on_target for p in r.profiles]
    return [v] + ["sustained" if s else "not sustained" for s in sustained]


def check_against_reports(scenario, assumption, name, overrides=None):
    """Every status the analysis claims, checked at rational points by the report."""
    p = scenario.parameters[name]
    lo, hi = Fraction(p.min), Fraction(p.max)
    changes, _ = tipping_along(scenario, name, assumption, overrides)
    points = sorted({c.value for c in changes if c.value not in (lo, hi)}, key=float)
    cuts = [lo, *points, hi]
    checked = 0
    for a, b in itertools.pairwise(cuts):
        x = rational_between_roots(a, b)
        here = report_status(scenario, assumption, name, x, overrides)
        for c in changes:
            if c.value is a or (isinstance(a, Fraction) and c.value == a and a != lo):
                assert here[c.index] == c.above, (name, float(a), c)
            if c.value is b or (isinstance(b, Fraction) and c.value == b and b != hi):
                assert here[c.index] == c.below, (name, float(b), c)
        checked += 1
    # No change claimed between two neighbouring points: the status there is one.
    for a, b in itertools.pairwise(cuts):
        xs = [rational_between_roots(a, b)]
        xs.append(rational_between_roots(xs[0], b))
        first, second = (report_status(scenario, assumption, name, x, overrides) for x in xs)
        assert first == second, (name, [float(x) for x in xs])
    return checked


@pytest.mark.parametrize(
    ("scenario", "assumption", "name"),
    [
        ("prisoners-dilemma", "baseline", "T"),
        ("prisoners-dilemma", "mild-war", "R"),
        ("chicken", "baseline", "g"),
        ("stag-hunt", "baseline", "eps"),
        ("us-china-rare-earth-dependence-2025", "baseline", "x_hold"),
        ("us-china-export-controls-2025", "baseline", "h_cn"),
        ("us-china-export-controls-2025", "baseline", "delta"),
    ],
)
def test_statuses_between_tipping_points_match_the_report(scenario, assumption, name):
    assert check_against_reports(load_scenario(scenario), assumption, name) >= 1


@settings(max_examples=8, deadline=None)
@given(
    data=st.data(),
    scenario=st.sampled_from(["prisoners-dilemma", "chicken", "stag-hunt"]),
)
def test_statuses_match_the_report_at_random_parameter_values(data, scenario):
    # Move the other parameters to random rational values in their ranges, then check
    # one parameter's whole range against the report.
    s = load_scenario(scenario)
    ranged = [n for n, p in s.parameters.items() if p.min is not None and p.max is not None]
    name = data.draw(st.sampled_from(ranged))
    overrides = {}
    for other in ranged:
        if other != name:
            p = s.parameters[other]
            k = data.draw(st.integers(0, 8))
            overrides[other] = Fraction(p.min) + (Fraction(p.max) - Fraction(p.min)) * k / 8
    check_against_reports(s, "baseline", name, overrides)


def test_tariff_punishment_switch_is_a_real_tipping_point():
    # Above t_hold_us = 1.1 the stage equilibrium the grim trigger reverts to changes
    # and nothing sustains the détente; the old scan reported "sustained -> sustained"
    # there. The exact analysis gives the switch and the report agrees on both sides.
    s = load_scenario("us-china-tariffs-2025")
    found = [t for t in tipping_points(s, parameters=["t_hold_us"]) if t.value > 1]
    assert [(t.exact, t.below, t.above) for t in found] == [
        (Fraction(11, 10), "stable", "unsustainable")
    ]
    assert report_status(s, "baseline", "t_hold_us", Fraction(111, 100))[0] == "unsustainable"
    assert report_status(s, "baseline", "t_hold_us", Fraction(109, 100))[0] == "stable"


def test_generous_tit_for_tat_family_matches_the_exact_derivation():
    # Export controls: generous tit-for-tat's generosity moves with the payoffs. The
    # analysis reads its conditions from one derivation with the generosities as
    # variables; at a point they must equal the exact derivation there.
    s = load_scenario("us-china-export-controls-2025")
    check_against_reports(s, "baseline", "theta_cn")
    check_against_reports(s, "strategic-asset", "k_cn")


def test_not_rational_parameters_fall_back_to_the_scan():
    s = parse_scenario(
        """
schema: 1
id: pd-sqrt
title: PD with a square root
players: [{id: row}, {id: column}]
moves: [cooperate, defect]
parameters:
  x: {value: 4, min: 1, max: 30}
payoffs:
  cooperate: {cooperate: [3, 3], defect: [0, "sqrt(x) + 3"]}
  defect:    {cooperate: ["sqrt(x) + 3", 0], defect: [1, 1]}
repeated:
  discount: 0.9
  target: [cooperate, cooperate]
  strategies: [grim_trigger]
  noise: 0
"""
    )
    with pytest.raises(NotRational):
        tipping_along(s, "x")
    # Grim trigger needs (T - 3)/(T - 1) <= δ - 0.05 to be stable: T = 13.2857,
    # sqrt(x) = 10.2857 at x = 105.8 (outside); sustainable up to T = 21, x = 324
    # (outside): no tipping point, found by the scan.
    assert tipping_points(s) == ()


# --------------------------------------------------------------- the arithmetic


fractions = st.fractions(min_value=-5, max_value=5, max_denominator=7)
polys = st.lists(fractions, min_size=1, max_size=4)


def ratfunc(num, den):
    q = [flint.fmpq(c.numerator, c.denominator) for c in num]
    d = [flint.fmpq(c.numerator, c.denominator) for c in den]
    return RatFunc(flint.fmpq_poly(q), flint.fmpq_poly(d))


def evaluate(cs, x):
    return sum((c * x**k for k, c in enumerate(cs)), Fraction(0))


@settings(max_examples=60, deadline=None)
@given(a=polys, b=polys, c=polys, d=polys, x=fractions)
def test_ratfunc_arithmetic_agrees_with_fractions_at_a_point(a, b, c, d, x):
    if evaluate(b, x) == 0 or evaluate(d, x) == 0:
        return
    if all(v == 0 for v in b) or all(v == 0 for v in d):
        return
    f, g = ratfunc(a, b), ratfunc(c, d)
    fx, gx = evaluate(a, x) / evaluate(b, x), evaluate(c, x) / evaluate(d, x)
    for got, want in ((f + g, fx + gx), (f - g, fx - gx), (f * g, fx * gx), (f**2, fx**2)):
        if got.den(flint.fmpq(x.numerator, x.denominator)) != 0:
            assert got(x) == want
    if gx != 0 and g:
        q = f / g
        if q.den(flint.fmpq(x.numerator, x.denominator)) != 0:
            assert q(x) == fx / gx


def test_comparisons_need_and_record_a_sample_point():
    x = RatFunc.variable(Sample(Fraction(1, 2)))
    assert x < 1 and not x > 1 and max(x, RatFunc(0)) is x
    assert {str(p) for p in x.sample.compared} == {"x + (-1)", "(-1)*x"}
    with pytest.raises(TypeError):
        _ = RatFunc.variable() < 1


def test_solve_linear_over_functions():
    x = RatFunc.variable()
    sol = solve_linear([[x, 1], [1, -x]], [1, 0])  # x a + b = 1, a = x b
    for v in (Fraction(1, 3), Fraction(-2)):
        a, b = sol[0](v), sol[1](v)
        assert v * a + b == 1 and a == v * b


def test_faddeev_leverrier_gives_the_adjugate():
    P = [[Fraction(1, 2), Fraction(1, 2), 0], [0, Fraction(1, 3), Fraction(2, 3)], [1, 0, 0]]
    coeffs, Bs = faddeev_leverrier(P)
    d = Fraction(3, 4)
    M = [[(1 if i == j else 0) - d * P[i][j] for j in range(3)] for i in range(3)]
    adj = [
        [sum(Fraction(str(B[i][j])) * d**k for k, B in enumerate(Bs)) for j in range(3)]
        for i in range(3)
    ]
    det = sum(Fraction(str(c)) * d**k for k, c in enumerate(coeffs))
    for i in range(3):
        for j in range(3):
            assert sum(M[i][k] * adj[k][j] for k in range(3)) == (det if i == j else 0)


def test_share_as_a_function_of_the_noise_matches_noise_metrics():
    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    ctx = [context_for(pd, p, (0, 0)) for p in (0, 1)]
    row, col = (generous_tit_for_tat(c, Fraction(1, 4)) for c in ctx)
    j = joint_automaton(row, col)
    share = detente_share_along(j, j.successors, (2, 2), (0, 0), RatFunc.variable())
    for eps in (Fraction(1, 50), Fraction(1, 7), Fraction(2, 5)):
        m = noise_metrics(pd, row, col, (0, 0), noise=eps, discount=Fraction(9, 10))
        assert share(eps) == m.detente_share
    assert conditions(row, col).exact
