"""Tipping points against closed forms, and their place in `compare`."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.analysis.compare import compare
from negotiation.analysis.tipping import tipping_points
from negotiation.repeated.report import stability_report
from negotiation.scenario import parse_scenario

PD = """
schema: 1
id: pd-symbolic
title: Symbolic Prisoner's Dilemma
players: [{{id: row}}, {{id: column}}]
moves: [cooperate, defect]
parameters:
  T: {{value: {T}, min: 3, max: 40}}
  R: {{value: {R}, min: 1, max: 5}}
  P: {{value: {P}, min: 0, max: 3}}
  S: {{value: {S}, min: -5, max: 1}}
payoffs:
  cooperate: {{cooperate: [R, R], defect: [S, T]}}
  defect:    {{cooperate: [T, S], defect: [P, P]}}
repeated:
  discount: {delta}
  target: [cooperate, cooperate]
  strategies: [grim_trigger]
  noise: 0
"""


def closed_forms(T, R, P, d):
    """Grim trigger holds iff (T - R)/(T - P) <= c (c = δ for sustainability,
    δ - min_slack for a stable verdict): solved for each parameter."""
    out = {}
    for c, what in ((d, "sustainable"), (d - Fraction(1, 20), "stable")):
        out[("T", what)] = (R - c * P) / (1 - c)
        out[("R", what)] = T - c * (T - P)
        out[("P", what)] = T - (T - R) / c
    return out


def test_symbolic_pd_tipping_points_equal_the_grim_trigger_closed_form():
    T, R, P, d = Fraction(5), Fraction(3), Fraction(1), Fraction(9, 10)
    s = parse_scenario(PD.format(T=5, R=3, P=1, S=0, delta="0.9"))
    points = tipping_points(s)
    forms = closed_forms(T, R, P, d)
    got = {(t.parameter, t.below, t.above): t for t in points}
    # T: stable below 43/3 (slack 0.05), fragile up to 21, then unsustainable.
    assert got[("T", "stable", "fragile")].exact == forms[("T", "stable")] == Fraction(43, 3)
    assert got[("T", "fragile", "unsustainable")].exact == forms[("T", "sustainable")]
    assert got[("R", "unsustainable", "fragile")].exact == forms[("R", "sustainable")]
    assert got[("R", "fragile", "stable")].exact == forms[("R", "stable")]
    assert got[("P", "stable", "fragile")].exact == forms[("P", "stable")]
    assert got[("P", "fragile", "unsustainable")].exact == forms[("P", "sustainable")]
    # The number policy: a Fraction, exact text in JSON.
    assert got[("T", "stable", "fragile")].to_dict()["exact"] == "43/3"
    assert all(t.method == "exact" for t in points)
    # S does not enter the grim-trigger condition: no tipping point.
    assert not [t for t in points if t.parameter == "S"]


@settings(max_examples=6, deadline=None)
@given(
    T=st.integers(6, 9),
    R=st.integers(3, 4),
    P=st.integers(1, 2),
    d=st.sampled_from([Fraction(4, 5), Fraction(17, 20), Fraction(9, 10)]),
)
def test_tipping_points_follow_the_closed_form_for_other_payoffs(T, R, P, d):
    s = parse_scenario(PD.format(T=T, R=R, P=P, S=0, delta=float(d)))
    forms = closed_forms(Fraction(T), Fraction(R), Fraction(P), d)
    for t in tipping_points(s, parameters=["R", "P"]):
        what = "stable" if "stable" in (t.below, t.above) else "sustainable"
        assert t.method == "exact"
        assert t.exact == forms[(t.parameter, what)]


def test_knife_edge_baseline_still_gives_the_exact_tipping_point():
    # Win-stay-lose-shift at the baseline sits on a knife edge (2R = T + P): no formula
    # in the parameters holds around it (the scan used to bracket). Along T the
    # conditions are derived as functions of T, so the point is exact.
    s = parse_scenario(
        PD.format(T=5, R=3, P=1, S=0, delta="0.9")
        .replace("strategies: [grim_trigger]", "strategies: [win_stay_lose_shift]")
        .replace("noise: 0", "noise: 0.02")
    )
    (t,) = [t for t in tipping_points(s, parameters=["T"]) if t.below == "stable"]
    # WSLS needs δ >= (T - R)/(R - P); stable needs slack 0.05: T = R + 0.85 (R - P).
    assert t.method == "exact" and t.exact == Fraction(47, 10)


EXPONENTIAL = """
schema: 1
id: pd-exponential
title: Prisoner's Dilemma with an exponential temptation
players: [{id: row}, {id: column}]
moves: [cooperate, defect]
parameters:
  x: {value: 2, min: 1, max: 4}
payoffs:
  cooperate: {cooperate: [3, 3], defect: [0, 2**x + x**2]}
  defect:    {cooperate: [2**x + x**2, 0], defect: [1, 1]}
repeated:
  discount: 0.9
  target: [cooperate, cooperate]
  strategies: [grim_trigger]
  noise: 0
"""


def test_bracketing_when_sympy_cannot_solve_the_formula():
    # The formula exists -- (T - 3)/(T - 1) with T = 2**x + x**2 -- but sympy has no
    # algorithm for T = c ("multiple generators [x, 2**x]"): bracketing is reported.
    s = parse_scenario(EXPONENTIAL)
    (profile,) = stability_report(s).profiles
    x = sympy.Symbol("x", real=True)
    T = 2**x + x**2
    assert sympy.simplify(profile.formulas[0] - (T - 3) / (T - 1)) == 0
    with pytest.raises(NotImplementedError):
        sympy.solve(T - 21, x)
    points = {(t.below, t.above): t for t in tipping_points(s)}
    assert set(points) == {("stable", "fragile"), ("fragile", "unsustainable")}
    assert all(t.method == "bracketing" and t.exact is None for t in points.values())
    # Grim trigger needs (T - 3)/(T - 1) <= c: T <= (3 - c)/(1 - c), c = δ - 0.05 or δ.
    for key, c in ((("stable", "fragile"), 0.85), (("fragile", "unsustainable"), 0.9)):
        root = float(sympy.nsolve(T - (3 - c) / (1 - c), x, 3))
        assert points[key].value == pytest.approx(root, abs=1e-6)


def test_compare_shows_tipping_points_per_parameter():
    s = parse_scenario(PD.format(T=5, R=3, P=1, S=0, delta="0.9"))
    rows = dict(compare(s).rows())
    assert rows["tipping point: T"] == [
        "43/3 ≈ 14.3333: stable → fragile; 21: fragile → unsustainable"
    ]
    assert rows["tipping point: S"] == ["none"]
    assert "tipping point: T" not in dict(compare(s, tipping=False).rows())
