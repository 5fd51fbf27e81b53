"""One verdict for `compare`, `sweep` and tipping points, exact at every threshold (issue 10);
the number module; strict JSON (no NaN) from every command."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from fractions import Fraction
from itertools import product

import flint
import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.analysis.compare import VerdictRules as CompareVerdictRules
from negotiation.analysis.compare import compare
from negotiation.analysis.compare import verdict as compare_verdict
from negotiation.analysis.sweep import sweep
from negotiation.analysis.tipping import tipping_points
from negotiation.analysis.verdict import (
    ULPS,
    VerdictRules,
    exact_slack,
    exact_verdict,
    grid_verdicts,
    verdict,
    verdict_by_cover,
)
from negotiation.cli.main import main
from negotiation.cli.render import fmt_number, to_json
from negotiation.numbers import (
    decimal_text,
    exact_sign,
    exact_text,
    json_exact,
    json_number,
    json_safe,
    latex_number,
    render_number,
    to_fraction,
)
from negotiation.repeated.exact_roots import compare_real, sign_at_rational
from negotiation.repeated.regions import Condition, critical_root, holds_from
from negotiation.scenario import load_scenario, shipped_scenarios

# A Prisoner's Dilemma (Axelrod 1984 ordering T > R > P > S) whose temptation peaks at
# x = 1: grim trigger's critical δ is (T' - R) / (T' - P) with T' = T - (x - 1)**2, so it
# is largest, exactly (T - R) / (T - P), at x = 1 and smaller on either side.
PD = """\
schema: 1
id: pd-threshold
title: "Prisoner's Dilemma at a verdict threshold"
players:
  - {{id: row, name: Row}}
  - {{id: column, name: Column}}
moves: [cooperate, defect]
parameters:
  T: {{value: {T}, min: 3, max: 10}}
  R: {{value: {R}, min: 1, max: 4}}
  P: {{value: {P}, min: 0, max: 1.5}}
  S: {{value: 0, min: -5, max: 0.5}}
  x: {{value: 1, min: 0, max: 2}}
  d: {{value: {d}, min: 0, max: 0.99}}
  e: {{value: {noise}, min: 0, max: 0.5}}
payoffs:
  cooperate: {{cooperate: [R, R], defect: [S, "T - (x - 1)**2"]}}
  defect:    {{cooperate: ["T - (x - 1)**2", S], defect: [P, P]}}
repeated:
  discount: d
  target: [cooperate, cooperate]
  strategies: [{strategies}]
  noise: e
  rounds: 20
  runs: 10
  seed: 1
"""


def pd(tmp_path, *, T, R, P, d, strategies="grim_trigger", noise="0", name="pd.yaml"):
    path = tmp_path / name
    path.write_text(
        PD.format(T=T, R=R, P=P, d=d, strategies=strategies, noise=noise), encoding="utf-8"
    )
    return load_scenario(path)


# -- the exact threshold: slack exactly min_slack is stable -----------------------------


@pytest.mark.parametrize(
    ("payoffs", "delta", "critical"),
    [
        ((5, 3, 1), "0.55", Fraction(1, 2)),  # (5 - 3) / (5 - 1) = 1/2, slack 11/20 - 1/2
        ((6, 2, 1), "0.85", Fraction(4, 5)),  # the issue's: 0.85 - 0.8 = 0.04999999999999993
    ],
)
def test_slack_exactly_min_slack_is_stable_everywhere(tmp_path, payoffs, delta, critical):
    T, R, P = payoffs
    s = pd(tmp_path, T=T, R=R, P=P, d=delta)
    rules = VerdictRules.for_scenario(s)
    assert rules.min_slack == Fraction(1, 20)
    col = compare(s, tipping=False).columns[0]
    prof = col.report.profiles[0]
    assert Fraction(str(prof.sustainability.critical_discount)) == critical
    assert exact_slack(col.report.discount, prof.sustainability.critical_discount) == Fraction(
        1, 20
    )
    assert col.verdict == "stable"
    assert dict(compare(s, tipping=False).rows())["verdict"] == ["stable"]

    # sweep at that very point (alone, and inside a grid), through a parameter axis
    for grid in (["x=1:2:2"], ["x=0:2:5"], ["x=0:2:5", f"T={T}:{T + 1}:2"]):
        r = sweep(s, grid)
        at = [g for g, p in enumerate(r.points) if p[0] == 1 and (len(p) == 1 or p[1] == T)]
        assert [r.columns["verdict"][g] for g in at] == ["stable"], grid
        g = at[0]
        assert r.columns["slack"][g] == float(Fraction(1, 20))
        assert r.rows()[g][r.header().index("verdict")] == "stable"

    # ... and through the δ axis of the sweep (the repeated game's own setting)
    r = sweep(s, [f"delta={delta}:0.95:2"])
    assert r.columns["verdict"][0] == "stable"

    # tipping points: x leaves the slack >= 1/20 on both sides of x = 1 (a touching
    # point, no change); the float slack there is below 1/20 and used to give two
    # spurious changes of the verdict at x = 1.
    assert tipping_points(s, parameters=["x"]) == ()
    # T: the one real change, at the threshold itself (stable at T, fragile above).
    tips = [t for t in tipping_points(s, parameters=["T"]) if t.below == "stable"]
    assert [(t.exact, t.above) for t in tips] == [(Fraction(T), "fragile")]


def test_cli_compare_and_sweep_agree_at_the_issue_example(tmp_path):
    s = pd(tmp_path, T=6, R=2, P=1, d="0.85")
    runner = CliRunner()
    out = runner.invoke(main, ["compare", s.file, "--no-tipping", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["assumptions"][0]["verdict"] == "stable"
    out = runner.invoke(main, ["sweep", s.file, "--grid", "x=0:2:5", "--format", "json"])
    assert out.exit_code == 0, out.output
    points = json.loads(out.stdout)["points"]
    assert [p["verdict"] for p in points] == ["stable"] * 5
    assert points[2]["delta_slack"] == 0.05


@pytest.mark.parametrize(
    ("R", "T_axis", "d_axis"),
    [
        # δ* = (T - 3)/(T - 1): (T, δ) = (5, 1/2), (6, 3/5) at δ*; (5, 11/20), (6, 13/20)
        # at slack 1/20
        (3, "T=4:6:5", "0.45:0.65:5"),
        # δ* = (T - 2)/(T - 1): (6, 4/5) at δ*, (6, 17/20) at slack 1/20 (the issue's
        # example, where the float slack 0.85 - 0.8 falls short), (5, 4/5) at slack 1/20
        (2, "T=5:7:3", "0.75:0.9:7"),
    ],
)
def test_grid_with_exact_thresholds_agrees_with_compare(tmp_path, R, T_axis, d_axis):
    """Every point of a T x δ grid, with δ = δ* and slack = min_slack among them, has
    the verdict, best profile and slack of `compare` at that point; the δ axis is swept
    as a parameter of the file and as the repeated game's own setting."""
    s = pd(tmp_path, T=5, R=R, P=1, d="0.8", strategies="grim_trigger, tit_for_tat")
    grids = [[T_axis, f"d={d_axis}"], [T_axis, f"delta={d_axis}"]]
    thresholds = {"delta = delta*": 0, "slack = min_slack": 0}
    for grid in grids:
        r = sweep(s, grid, chunk_size=7)
        head = r.header()
        for point, row in zip(r.points, r.rows()):
            rec = dict(zip(head, row))
            T, d = point
            col = compare(s, ["baseline"], {"T": T, "d": d}, tipping=False).columns[0]
            where = (grid, point)
            assert rec["verdict"] == col.verdict, where
            if col.best is None:
                assert rec["best_profile"] is None, where
                continue
            assert rec["best_profile"] == col.best.strategies[0], where
            slack = exact_slack(d, col.best.sustainability.critical_discount)
            assert rec["delta_slack"] == pytest.approx(float(slack), abs=1e-12), where
            crits = [p.sustainability.critical_discount for p in col.report.profiles]
            if any(c is not None and Fraction(str(c)) == d for c in crits):
                thresholds["delta = delta*"] += 1
            if slack == Fraction(1, 20):
                thresholds["slack = min_slack"] += 1
    assert all(n >= 2 for n in thresholds.values()), thresholds


def test_share_exactly_min_share(tmp_path):
    """Win-stay, lose-shift (sustainable from δ = (T - R)/(R - P) = 1/2 with T = 4) spends
    333/500 of the rounds at the détente in the long run at ε = 1/10: with that as
    min_share, the points at ε = 1/10 are at the threshold, and stable."""
    s = pd(tmp_path, T=4, R=3, P=1, d="0.9", strategies="win_stay_lose_shift", noise="0.1")
    share = compare(s, tipping=False).columns[0].report.profiles[0].noise.detente_share
    assert share == Fraction(333, 500)
    rules = VerdictRules(Fraction(1, 20), share)
    for grid in (["noise=0.05:0.2:4", "T=3.5:4.5:3"], ["e=0.05:0.2:4", "T=3.5:4.5:3"]):
        r = sweep(s, grid, rules=rules)
        for g, (eps, T) in enumerate(r.points):
            sets = {"T": T, "e": eps}
            want = compare(s, ["baseline"], sets, tipping=False, rules=rules).columns[0]
            assert r.columns["verdict"][g] == want.verdict, (grid, eps, T)
            if eps == Fraction(1, 10) and want.best is not None:
                assert r.columns["undecided"][g], (grid, eps, T)
        assert "stable" in r.columns["verdict"]


# -- the exact verdict ---------------------------------------------------------------


def test_compare_reexports_the_verdict_module():
    assert CompareVerdictRules is VerdictRules
    assert compare_verdict is verdict
    import negotiation

    assert negotiation.VerdictRules is VerdictRules


def test_exact_verdict_with_algebraic_critical_delta():
    crit = sympy.sqrt(57) / 6 - sympy.S.Half  # ≈ 0.758306
    rules = VerdictRules()
    share = [Fraction(1)]
    # δ - δ* >= 1/20 iff δ >= 0.8083057...
    high, low = Fraction(80831, 100000), Fraction(80830, 100000)
    assert exact_verdict(high, [True], [crit], share, rules) == ("stable", 0)
    assert exact_verdict(low, [True], [crit], share, rules) == ("fragile", 0)
    x = sympy.Symbol("x")
    root = sympy.CRootOf(x**3 + x**2 + x - 2, 0)  # ≈ 0.810536, no radical form
    assert exact_verdict(Fraction(86, 100), [True], [root], share, rules)[0] == "fragile"
    assert exact_verdict(Fraction(861, 1000), [True], [root], share, rules)[0] == "stable"
    assert exact_slack(Fraction(17, 20), sympy.Rational(4, 5)) == Fraction(1, 20)
    assert exact_slack(Fraction(17, 20), Fraction(4, 5)) == Fraction(1, 20)
    assert exact_slack(Fraction(1, 2), None) is None


def test_exact_verdict_ties_and_order():
    rules = VerdictRules(Fraction(1, 20), Fraction(1, 2))
    half = Fraction(1, 2)
    # equal slack (a sympy and a Fraction critical δ): the larger share, then first listed
    v = exact_verdict(
        Fraction(9, 10),
        [True, True, True],
        [sympy.Rational(1, 2), half, half],
        [Fraction(3, 5), 0.8, Fraction(4, 5)],
        rules,
    )
    assert v == ("stable", 1)
    # a strictly larger slack wins whatever the shares
    v = exact_verdict(
        Fraction(9, 10),
        [True, True],
        [half, half - Fraction(1, 10**40)],
        [Fraction(1), Fraction(3, 5)],
        rules,
    )
    assert v == ("stable", 1)
    # share exactly min_share counts; below it is fragile; nothing sustained
    assert exact_verdict(Fraction(9, 10), [True], [half], [half], rules)[0] == "stable"
    assert exact_verdict(Fraction(9, 10), [True], [half], [0.4999999999], rules)[0] == "fragile"
    assert exact_verdict(Fraction(9, 10), [True], [half], [None], rules)[0] == "fragile"
    assert exact_verdict(Fraction(9, 10), [False], [half], [half], rules) == (
        "unsustainable",
        None,
    )


# -- the verdict asked as "does [δ - min_slack, 1) lie in the region" -------------------

_root_list = st.lists(st.fractions(min_value=0, max_value=1, max_denominator=12), max_size=3)


@st.composite
def _conditions(draw):
    """Products of linear factors with rational roots in [0, 1] (some repeated, so
    tangencies and roots at δ, δ - min_slack and 1 occur), times an optional quadratic."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        p = flint.fmpq_poly([draw(st.sampled_from([-2, -1, 1, 3]))])
        for r in draw(_root_list):
            p *= flint.fmpq_poly([-flint.fmpq(r.numerator, r.denominator), 1])
        if draw(st.booleans()):
            p *= flint.fmpq_poly([draw(st.integers(-3, 3)) for _ in range(3)])
        out.append(Condition(p))
    return out


@settings(max_examples=150, deadline=None)
@given(
    profiles=st.lists(_conditions(), min_size=1, max_size=3),
    delta=st.fractions(min_value=0, max_value=Fraction(19, 20), max_denominator=20),
    slack=st.sampled_from([Fraction(0), Fraction(1, 20), Fraction(1, 10), Fraction(1, 4)]),
    shares=st.lists(st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(1)]), min_size=3),
)
def test_verdict_by_cover_is_exact_verdict(profiles, delta, slack, shares):
    rules = VerdictRules(slack, Fraction(1, 2))
    sustained = [holds_at(c, delta) for c in profiles]
    critical = [critical_root(c) if s else None for c, s in zip(profiles, sustained)]
    share = shares[: len(profiles)]
    expected, _ = exact_verdict(delta, sustained, critical, share, rules)
    got = verdict_by_cover(
        delta,
        sustained,
        share,
        rules,
        lambda k, low: holds_from(profiles[k], low),
        lambda k: critical_root(profiles[k]),
    )
    assert got == expected


def holds_at(conditions, delta):
    return all(sign_at_rational(c.numer, delta) <= 0 for c in conditions)


@settings(max_examples=300, deadline=None)
@given(conds=_conditions(), low=st.fractions(min_value=0, max_value=Fraction(99, 100)))
def test_holds_from_is_the_critical_delta_test(conds, low):
    crit = critical_root(conds)
    expected = crit is not None and compare_real(crit, low) <= 0
    assert holds_from(conds, low) == expected


# -- the vectorised verdict ----------------------------------------------------------


def _grid(crit, delta, share=None, sustained=None, **kw):
    crit = np.atleast_2d(np.array(crit, dtype=float))
    share = np.ones_like(crit) if share is None else np.atleast_2d(np.array(share, dtype=float))
    sus = np.ones(crit.shape, dtype=bool) if sustained is None else np.atleast_2d(sustained)
    return grid_verdicts(crit, sus, share, np.array(delta, dtype=float), VerdictRules(), **kw)


def test_grid_verdicts_flag_thresholds_only():
    out = _grid([[0.8, 0.8, 0.8, 0.5]], [0.85, 0.9, 0.8, 0.55])
    assert out.verdict == ["fragile", "stable", "fragile", "stable"]
    # slack ~ min_slack (0.85 - 0.8, 0.55 - 0.5), δ = δ*; not 0.9 - 0.8
    assert out.undecided.tolist() == [True, False, True, True]
    assert out.best.tolist() == [0, 0, 0, 0]
    # float comparisons use no tolerance: a slack 1e-9 short is fragile, and decided
    out = _grid([[0.8 + 1e-9]], [0.85])
    assert out.verdict == ["fragile"] and not out.undecided.any()
    # ... unless the critical δ's error bound reaches the threshold
    out = _grid([[0.8 + 1e-9]], [0.85], critical_error=1e-8)
    assert out.undecided.tolist() == [True]


def test_grid_verdicts_share_uncertain_and_ties():
    out = _grid([[0.5]], [0.9], share=[[0.5 + 1e-13]])
    assert out.verdict == ["stable"] and out.undecided.tolist() == [True]
    out = _grid([[0.5]], [0.9], uncertain=np.array([[True]]))
    assert out.undecided.tolist() == [True]
    # equal floats without error: a tie, decided by the share (no flag)
    out = _grid([[0.5], [0.5]], [0.9], share=[[0.6], [0.7]])
    assert out.best.tolist() == [1] and not out.undecided.any()
    # slacks a few ulps apart: which is larger is in doubt
    near = 0.5 + 2 * np.finfo(float).eps
    assert ULPS > 2
    out = _grid([[0.5], [near]], [0.9], share=[[0.6], [0.7]])
    assert out.best.tolist() == [0] and out.undecided.tolist() == [True]
    # equal floats with an error bound: also in doubt
    out = _grid([[0.5], [0.5]], [0.9], share=[[0.6], [0.7]], critical_error=1e-12)
    assert out.undecided.tolist() == [True]
    # nothing sustained: unsustainable and certain (δ far from δ*)
    out = _grid([[0.5]], [0.9], sustained=np.array([[False]]))
    assert out.verdict == ["unsustainable"] and out.best.tolist() == [-1]
    assert math.isnan(out.slack[0]) and not out.undecided.any()


def test_no_import_cycle_through_compare():
    code = (
        "import sys, negotiation.analysis.tipping, negotiation.analysis.sweep; "
        "assert 'negotiation.analysis.compare' not in sys.modules, 'compare imported'; "
        "import negotiation.analysis.compare"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- numbers -------------------------------------------------------------------------


def test_exact_text_keeps_todays_strings():
    x = sympy.Symbol("x")
    assert exact_text(Fraction(3, 5)) == render_number(Fraction(3, 5)) == "3/5"
    assert exact_text(sympy.Rational(3, 5)) == "3/5"
    assert exact_text(Fraction(4)) == exact_text(4) == "4"
    assert exact_text(sympy.sqrt(57) / 6 - sympy.S.Half) == "-1/2 + sqrt(57)/6"
    root = sympy.CRootOf(x**3 + x - 1, 0)
    assert exact_text(root) == "root(1, 1, 0, 1, -1)"  # read back by the expressions
    assert exact_text(None) == "-" and exact_text(None, none="never") == "never"
    assert json_exact(None) is None and json_exact(sympy.Rational(-7, 2)) == "-7/2"


def test_decimal_text_and_fmt_number():
    assert decimal_text(Fraction(1, 3)) == "0.3333"
    assert decimal_text(sympy.sqrt(2)) == "1.4142"
    assert decimal_text(np.float64(2.50)) == "2.5"
    assert decimal_text(-0.00001) == "0" and decimal_text(100) == "100"
    assert decimal_text(10, digits=0) == "10"
    assert decimal_text(None) == "-"
    assert fmt_number(Fraction(1, 3), exact=True) == "1/3"
    assert fmt_number(Fraction(6, 3), exact=True) == "2"
    assert fmt_number(0.123456, digits=3) == "0.123"
    assert fmt_number("text") == "text"


def test_json_number_and_json_safe_never_nan():
    assert json_number(Fraction(1, 4)) == 0.25
    assert json_number(sympy.Rational(1, 8)) == 0.125
    for bad in (None, math.nan, math.inf, -math.inf, np.float64("nan")):
        assert json_number(bad) is None
    data = {
        "a": (1.5, math.nan),
        "b": np.array([[np.inf, 1.0], [2.0, np.nan]]),
        "c": {"d": np.float32(-np.inf), "e": np.int64(3), "f": np.bool_(True)},
        "g": "nan",
    }
    clean = json_safe(data)
    assert clean == {
        "a": [1.5, None],
        "b": [[None, 1.0], [2.0, None]],
        "c": {"d": None, "e": 3, "f": True},
        "g": "nan",
    }
    text = to_json(data)
    json.loads(text, parse_constant=_no_constant)


def test_latex_number():
    assert latex_number(Fraction(3, 5)) == r"\frac{3}{5}"
    assert latex_number(Fraction(-1, 2)) == r"-\frac{1}{2}"
    assert latex_number(sympy.Rational(7)) == "7"
    assert latex_number(sympy.sqrt(5) / 2) == r"\frac{\sqrt{5}}{2}"
    assert latex_number(0.25) == "0.25"
    assert latex_number(None) == "-"


def test_to_fraction_and_exact_sign():
    assert to_fraction(sympy.Integer(3)) == Fraction(3)
    assert to_fraction(np.int64(3)) == Fraction(3)
    assert to_fraction(True) is None and to_fraction(0.5) is None
    assert to_fraction(sympy.sqrt(2)) is None
    assert exact_sign(Fraction(0)) == 0
    assert exact_sign(sympy.sqrt(2) - sympy.Rational(14142136, 10**7)) == -1
    assert exact_sign(sympy.sqrt(2) - sympy.Rational(14142135, 10**7)) == 1
    x = sympy.Symbol("x")
    root = sympy.CRootOf(x**3 + x - 1, 0)  # 0.682327803...
    assert exact_sign(root - sympy.Rational(682327, 10**6)) == 1
    assert exact_sign(root - sympy.Rational(682328, 10**6)) == -1
    with pytest.raises(TypeError):
        exact_sign(0.5)


# -- strict JSON from every command ------------------------------------------------


def _no_constant(name):
    raise ValueError(f"not strict JSON: {name}")


def test_simulate_without_noise_is_strict_json():
    result = CliRunner().invoke(
        main, ["simulate", "prisoners-dilemma", "--noise", "0", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout, parse_constant=_no_constant)
    breakdown = data["summary"]["rounds_to_breakdown"]
    assert breakdown["mean"] is None and breakdown["se"] is None
    assert breakdown["runs"] == 0 and breakdown["reason"] == "no run left the détente"
    assert data["exact"]["rounds_to_breakdown"] is None


def test_simulate_with_one_run_has_no_standard_error():
    result = CliRunner().invoke(
        main, ["simulate", "prisoners-dilemma", "--runs", "1", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    share = json.loads(result.stdout, parse_constant=_no_constant)["summary"]["target_share"]
    assert share["se"] is None and "2 runs" in share["reason"]


@pytest.mark.parametrize("scenario", sorted(s.id for s in shipped_scenarios()))
def test_every_command_json_is_strict(scenario, tmp_path):
    runner = CliRunner()
    commands = [
        ["show", scenario],
        ["solve", scenario],
        ["stability", scenario, "--strategy", "grim_trigger"],
        ["simulate", scenario, "--runs", "20", "--rounds", "20", "--noise", "0"],
        ["simulate", scenario, "--runs", "1", "--rounds", "5"],
        ["compare", scenario, "--no-tipping", "--strategy", "grim_trigger"],
    ]
    s = load_scenario(scenario)
    ranged = [n for n, p in s.parameters.items() if p.min is not None and p.max is not None]
    if ranged:
        p = s.parameters[ranged[0]]
        commands.append(
            [
                "sweep",
                scenario,
                "--grid",
                f"{ranged[0]}={p.min}:{p.max}:3",
                "--strategy",
                "grim_trigger",
            ]
        )
    if s.issues:
        commands.append(["linkage", scenario])
    if s.history:
        commands.append(["fit", scenario])
    for args in commands:
        result = runner.invoke(main, [*args, "--format", "json"])
        if result.exit_code != 0:  # a command that does not apply to this scenario
            assert "internal error" not in result.output, (args, result.output)
            continue
        json.loads(result.stdout, parse_constant=_no_constant)


def test_threshold_points_are_all_exact_in_a_product_grid(tmp_path):
    """A small brute force: every (T, δ) with δ* = (T - 3)/(T - 1) on a grid of exact
    rationals, and δ = δ* + k/20; the sweep's verdict is the exact one."""
    s = pd(tmp_path, T=5, R=3, P=1, d="0.55")
    Ts = [Fraction(5), Fraction(7), Fraction(9)]
    for T, k in product(Ts, (0, 1)):
        crit = (T - 3) / (T - 1)
        d = crit + Fraction(k, 20)
        r = sweep(s, [f"T={T}:{T + 1}:2", f"d={d}:0.98:2"])
        exact = compare(s, ["baseline"], {"T": T, "d": d}, tipping=False).columns[0].verdict
        assert r.columns["verdict"][0] == exact == ("stable" if k else "fragile"), (T, d)
