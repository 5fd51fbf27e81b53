"""One discount factor per player (issue 12, item 1).

The backbone: in the one-shot-deviation conditions of a profile, player i's conditions
compare two of player i's own values (conforming and deviating), both discounted with
δ_i, so they involve δ_i alone. The SPE set in the (δ_row, δ_col) plane is therefore the
product of the per-player regions (the one-shot deviation principle, Fudenberg & Tirole
1991 theorem 4.2 and Mailath & Samuelson 2006 section 2.2, is a statement about one
player's decision problem given the other's strategy; repeated games with differing
discount factors: Lehrer & Pauzner 1999, Econometrica 67, 393-412), and the same holds for the Nash set (a best reply to the other's automaton is a decision
problem discounted with the player's own δ).

Acceptance example, derived by hand. Asymmetric Prisoner's Dilemma, moves (C, D):

    row: R = 3, S = 0, T = 5, P = 1        column: R = 3, S = 0, T = 4, P = 1

Grim trigger on the path (C, C): conforming gives R for ever, the best one-shot
deviation gives T once and then P for ever, so player i needs
R >= (1 - δ_i) T_i + δ_i P_i, i.e. δ_i >= (T_i - R_i) / (T_i - P_i) (Friedman 1971;
Fudenberg & Tirole 1991, section 5.1). In the punishment state (D, D) is a stage
equilibrium, so no deviation pays there. Hence δ_row* = 2/4 = 1/2, δ_col* = 1/3.

At (δ_row, δ_col) = (3/5, 2/5) both hold: an SPE. Making the patient side (row) as
impatient as the other, δ = (2/5, 2/5), breaks the row player's condition: no SPE.
Margins in stage-payoff units (the normalised gain divided by 1 - δ_i): on the path
the deviation gain is (1 - δ_i)(T - R) - δ_i (R - P), so the margin is
δ_i/(1 - δ_i) (R - P) - (T - R): (3/2)·2 - 2 = 1 for the row player at 3/5 and
(2/3)·2 - 1 = 1/3 for the column player at 2/5; in the punishment state it is P - S = 1.
The profile's margin is the smallest, 1/3.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from game_strategies import int_matrices
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.analysis.compare import compare
from negotiation.analysis.frontier import frontier
from negotiation.analysis.linkage import linkage_analysis
from negotiation.analysis.sweep import sweep
from negotiation.analysis.tipping import tipping_points
from negotiation.cli.main import main
from negotiation.errors import GameError, NegotiationError, ScenarioError, ScenarioErrors
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import automaton_from_rule
from negotiation.repeated.batch import batch_sustainability, condition_maps
from negotiation.repeated.library import build_strategy, context_for, strategy_names
from negotiation.repeated.noise import noise_metrics
from negotiation.repeated.renegotiation import continuation_values
from negotiation.repeated.report import stability_report
from negotiation.repeated.simulate import simulate
from negotiation.repeated.sustainability import sustainability
from negotiation.scenario import load_scenario, parse_scenario
from negotiation.scenario.issues import LINKED_EXAMPLE

F = Fraction

ASYMMETRIC = """
schema: 1
id: asymmetric-pd
title: Asymmetric Prisoner's Dilemma
players: [{id: us, name: United States}, {id: cn, name: China}]
moves: [cooperate, defect]
parameters:
  d_us: {value: 0.6, min: 0, max: 0.99}
  d_cn: {value: 0.4, min: 0, max: 0.99}
payoffs:
  cooperate: {cooperate: [3, 3], defect: [0, 4]}
  defect:    {cooperate: [5, 0], defect: [1, 1]}
repeated:
  discount: {us: d_us, cn: d_cn}
  target: [cooperate, cooperate]
  strategies: [grim_trigger]
  noise: 0
  rounds: 20
  runs: 10
  seed: 1
assumptions:
  us-as-impatient: {description: "The patient side as impatient as the other", set: {d_us: 0.4}}
  equal: {description: "Equal factors", set: {d_us: 0.6, d_cn: 0.6}}
"""


def asymmetric_pd() -> StageGame:
    return StageGame.from_payoffs(
        [[3, 0], [5, 1]], [[3, 4], [0, 1]], players=("us", "cn"), row_moves=["C", "D"],
        col_moves=["C", "D"],
    )  # fmt: skip


def grim(game, target=(0, 0)):
    row, col = (build_strategy("grim_trigger", context_for(game, p, target)) for p in (0, 1))
    return sustainability(game, row, col, target)


def cli(*args):
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "100"})
    return result


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("discounts") / "asymmetric.yaml"
    path.write_text(ASYMMETRIC, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- acceptance: closed forms


def test_grim_trigger_critical_delta_per_player_closed_form():
    s = grim(asymmetric_pd())
    assert s.player_critical == (F(1, 2), F(1, 3))  # (T_i - R_i) / (T_i - P_i)
    assert s.critical_discount == F(1, 2)


def test_spe_at_unequal_pair_but_not_once_the_patient_side_is_as_impatient():
    s = grim(asymmetric_pd())
    check = s.at_discount((F(3, 5), F(2, 5)))
    assert check.spe and check.margin == F(1, 3)  # min(row 1, column 1/3, punishment 1)
    assert not s.at_discount((F(2, 5), F(2, 5))).spe
    assert not s.at_discount(F(2, 5)).spe  # one value is both players'
    assert s.at_discount(F(3, 5)) == s.at_discount((F(3, 5), F(3, 5)))
    # The Nash set is a product too (same conditions on the path here).
    assert s.nash_at((F(3, 5), F(2, 5))) and not s.nash_at((F(2, 5), F(2, 5)))


def test_python_api_on_a_scenario_with_a_mapping():
    s = parse_scenario(ASYMMETRIC)
    assert ng.discount_factors(s) == {"us": F(3, 5), "cn": F(2, 5)}
    assert ng.spe_at_discount(s, "grim_trigger").spe
    assert not ng.spe_at_discount(s, "grim_trigger", assumption="us-as-impatient").spe
    assert ng.spe_at_discount(s, "grim_trigger", discount=(F(1, 2), F(1, 3))).spe
    report = ng.stability(s)
    assert report.discount == (F(3, 5), F(2, 5))
    grim_profile = report.profiles[0]
    assert grim_profile.spe_at_discount and grim_profile.incentive_margin == F(1, 3)
    assert report.to_dict()["discount"] == {"us": 0.6, "cn": 0.4}
    low = ng.stability(s, assumption="us-as-impatient")
    assert low.discount == F(2, 5)  # equal factors: one number, as a single δ gives
    assert not low.profiles[0].spe_at_discount
    assert low.to_dict()["discount"] == 0.4
    c = compare(s, tipping=False)
    verdicts = dict(zip([col.assumption for col in c.columns], [col.verdict for col in c.columns]))
    assert verdicts["us-as-impatient"] == "unsustainable"
    assert verdicts["baseline"] != "unsustainable"
    rows = dict(c.rows())
    assert rows["δ us"] == ["0.6", "0.4", "0.6"] and rows["δ cn"] == ["0.4", "0.4", "0.6"]
    assert rows["critical δ us: grim_trigger"][0] == "1/2 = 0.5"
    # The slack is min_i (δ_i - δ_i*): min(3/5 - 1/2, 2/5 - 1/3) = 1/15.
    assert rows["δ slack (best)"][0] == "0.0667"


def test_cli_stability_compare_and_json(scenario_file):
    out = cli("stability", scenario_file)
    assert out.exit_code == 0, out.output
    assert "δ = us 0.6, cn 0.4" in out.stdout
    data = json.loads(cli("stability", scenario_file, "--format", "json").stdout)
    assert data["discount"] == {"us": 0.6, "cn": 0.4}
    assert data["profiles"][0]["spe_at_discount"] is True
    assert data["profiles"][0]["player_critical_discount"] == ["1/2", "1/3"]
    data = json.loads(
        cli("stability", scenario_file, "-a", "us-as-impatient", "--format", "json").stdout
    )
    assert data["discount"] == 0.4 and data["profiles"][0]["spe_at_discount"] is False
    out = cli("compare", scenario_file, "--no-tipping")
    assert out.exit_code == 0, out.output
    assert "δ us" in out.stdout and "δ cn" in out.stdout
    assert max(len(line) for line in out.stdout.splitlines()) <= 100
    data = json.loads(cli("compare", scenario_file, "--no-tipping", "--format", "json").stdout)
    by = {a["assumption"]: a for a in data["assumptions"]}
    assert by["baseline"]["stability"]["discount"] == {"us": 0.6, "cn": 0.4}
    assert by["us-as-impatient"]["verdict"] == "unsustainable"
    assert by["equal"]["stability"]["discount"] == 0.6


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("{us: d_us, cn: d_cn}", "{us: d_us, uk: d_cn}", "repeated.discount.uk", "unknown player"),
        ("{us: d_us, cn: d_cn}", "{us: d_us}", "repeated.discount", "no discount factor for player 'cn'"),
        ("{us: d_us, cn: d_cn}", "{us: 1.5, cn: d_cn}", "repeated.discount.us", "must be in [0, 1)"),
        ("{us: d_us, cn: d_cn}", "{us: d_us, cn: nope}", "repeated.discount.cn", "unknown name"),
    ],
)  # fmt: skip
def test_bad_mapping_is_located(old, new, field, words):
    with pytest.raises((ScenarioError, ScenarioErrors)) as exc:
        parse_scenario(ASYMMETRIC.replace(old, new))
    text = str(exc.value)
    assert f":14: {field}:" in text and words in text


def test_bad_mapping_on_the_cli_exits_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(ASYMMETRIC.replace("{us: d_us, cn: d_cn}", "{us: d_us}"), encoding="utf-8")
    out = cli("stability", str(bad))
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert "bad.yaml:14: repeated.discount" in out.output


def test_an_assumption_moving_one_delta_out_of_range_names_it():
    text = ASYMMETRIC.replace("d_cn: {value: 0.4, min: 0, max: 0.99}", "d_cn: 0.4").replace(
        'equal: {description: "Equal factors", set: {d_us: 0.6, d_cn: 0.6}}',
        "broken: {description: x, set: {d_cn: 1}}",
    )
    with pytest.raises(
        ScenarioError, match=r"discount of cn must be in \[0, 1\), got 1 under 'broken'"
    ):
        parse_scenario(text)


def test_a_set_moving_one_delta_out_of_range_is_located(tmp_path):
    path = tmp_path / "unbounded.yaml"
    path.write_text(ASYMMETRIC.replace("d_us: {value: 0.6, min: 0, max: 0.99}", "d_us: 0.6"))
    out = cli("stability", str(path), "--set", "d_us=1.2")
    assert out.exit_code != 0 and "Traceback" not in out.output
    assert (
        "unbounded.yaml:14: repeated.discount.us: the discount factor of us must be in "
        "[0, 1), got 6/5 under 'baseline with d_us=1.2'"
    ) in out.output


def test_a_pair_of_the_wrong_length_is_refused():
    with pytest.raises(GameError):
        grim(asymmetric_pd()).at_discount((F(1, 2), F(1, 2), F(1, 2)))
    with pytest.raises(GameError):
        grim(asymmetric_pd()).at_discount((F(1, 2), F(1)))


# ---------------------------------------------------------------- the product of regions


def _inside(region, x):
    for i in region:
        lo, hi = sympy.nsimplify(i.low), sympy.nsimplify(i.high)
        above = x > lo or (i.low_closed and x == lo)
        below = x < hi or (i.high_closed and x == hi)
        if bool(above) and bool(below):
            return True
    return False


NAMES = [n for n in strategy_names() if n not in ("generous_tit_for_tat", "optimal_penal_code")]
DELTA = st.fractions(0, 1, max_denominator=50).filter(lambda d: d < 1)


def _profile(matrices, data):
    A, B = matrices
    game = StageGame.from_payoffs(A, B)
    m, n = game.shape
    target = (data.draw(st.integers(0, m - 1)), data.draw(st.integers(0, n - 1)))
    names = data.draw(st.sampled_from(NAMES)), data.draw(st.sampled_from(NAMES))
    try:
        row, col = (
            build_strategy(name, context_for(game, p, target)) for p, name in enumerate(names)
        )
    except GameError:
        assume(False)
    return game, row, col, target


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices=int_matrices(max_moves=3, lo=-3, hi=3), data=st.data(), d0=DELTA, d1=DELTA)
def test_spe_at_a_pair_is_the_product_of_player_regions(matrices, data, d0, d1):
    game, row, col, target = _profile(matrices, data)
    s = sustainability(game, row, col, target)
    spe = s.at_discount((d0, d1)).spe
    assert spe == (_inside(s.player_regions[0], d0) and _inside(s.player_regions[1], d1))
    nash = s.nash_at((d0, d1))
    assert nash == (
        _inside(s.player_nash_regions[0], d0) and _inside(s.player_nash_regions[1], d1)
    )
    if d0 == d1:  # one δ: the single-δ regions
        assert spe == _inside(s.spe_region, d0) and nash == _inside(s.nash_region, d0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices=int_matrices(max_moves=3, lo=-3, hi=3), data=st.data(), d0=DELTA, d1=DELTA)
def test_batched_engine_agrees_with_the_exact_one_at_a_pair(matrices, data, d0, d1):
    game, row, col, target = _profile(matrices, data)
    exact = sustainability(game, row, col, target)
    spe, margin = exact.at_discount((d0, d1))
    maps = condition_maps(row, col, target)
    for discount in ([(d0, d1)], np.array([[float(d0), float(d1)]])):
        res = batch_sustainability(maps, game.A[None], game.B[None], discount)
        assert res.uncertain[0] or bool(res.spe[0]) == spe
        assert res.margin[0] == pytest.approx(float(margin), rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------- equal values = one δ


def _with_mapping(text, d):
    return text.replace("discount: 0.9", f'discount: {{row: "{d}", column: "{d}"}}')


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(d=st.fractions(F(1, 10), F(19, 20), max_denominator=40), T=st.integers(4, 9))
def test_a_mapping_with_equal_values_gives_the_single_delta_answers(d, T):
    text = load_scenario("prisoners-dilemma").file
    with open(text, encoding="utf-8") as fh:
        source = fh.read()
    scalar = parse_scenario(source.replace("discount: 0.9", f'discount: "{d}"'))
    mapping = parse_scenario(_with_mapping(source, d))
    overrides = {"T": T}
    a = stability_report(scalar, overrides=overrides, formulas=False)
    b = stability_report(mapping, overrides=overrides, formulas=False)
    assert a.to_dict() == b.to_dict() and a.discount == b.discount == d
    ca = compare(scalar, ["baseline", "high-temptation"], overrides, tipping=False)
    cb = compare(mapping, ["baseline", "high-temptation"], overrides, tipping=False)
    assert ca.rows() == cb.rows() and ca.to_dict() == cb.to_dict()
    grid = ["R=1:5:3", "P=0:3:3"]
    sa = sweep(scalar, grid, overrides=overrides)
    sb = sweep(mapping, grid, overrides=overrides)
    assert sa.rows() == sb.rows() and sa.header() == sb.header()
    ta = tipping_points(scalar, overrides=overrides, parameters=["R", "P"])
    tb = tipping_points(mapping, overrides=overrides, parameters=["R", "P"])
    assert ta == tb


# ---------------------------------------------------------------- sweeps


def test_sweep_axis_per_player_matches_the_exact_reports(scenario_file):
    s = parse_scenario(ASYMMETRIC)
    r = sweep(s, ["discount.us=0.3:0.7:5", "d_cn=0.2:0.6:5"])
    head = r.header()
    assert head[:4] == ["discount.us", "d_cn", "discount[us]", "discount[cn]"]
    for row in r.rows():
        d_us, d_cn = F(row[0]).limit_denominator(100), F(row[1]).limit_denominator(100)
        expect = grim(asymmetric_pd()).at_discount((d_us, d_cn)).spe
        assert (row[head.index("verdict")] != "unsustainable") == expect
    with pytest.raises(NegotiationError, match="cannot be swept with discount"):
        sweep(s, ["discount=0.3:0.7:3", "discount.cn=0.2:0.6:3"])
    out = cli("sweep", scenario_file, "--grid", "discount.cn=0.2:0.6:3", "--format", "json")
    assert out.exit_code == 0, out.output
    points = json.loads(out.stdout)["points"]
    assert [p["discount[cn]"] for p in points] == [0.2, 0.4, 0.6]
    assert [p["discount[us]"] for p in points] == [0.6] * 3
    # δ_cn = 0.2 < 1/3: no SPE; from 1/3 on the row player's 0.6 >= 1/2 carries it.
    assert [p["verdict"] == "unsustainable" for p in points] == [True, False, False]


# ---------------------------------------------------------------- tipping points


def test_tipping_points_in_parameters_that_drive_one_players_delta():
    # Tariff scenario, us-election-cycle: δ_us = delta * survive_us, δ_cn = delta, and
    # grim trigger binds on the US at δ_us* = 33/40 (China's 22/135 is far below).
    # So grim (the only profile sustaining the détente here) holds from
    # delta = (33/40) / (17/20) = 33/34 and from survive_us = (33/40) / (9/10) = 11/12.
    s = load_scenario("us-china-tariffs-2025")
    found = tipping_points(s, "us-election-cycle", parameters=["delta", "survive_us"])
    got = {(t.parameter, t.exact, t.below, t.above) for t in found}
    assert ("delta", F(33, 34), "unsustainable", "fragile") in got
    assert ("survive_us", F(11, 12), "unsustainable", "fragile") in got
    # At baseline the US factor is 0.9 * survive_us: the same tipping point 11/12.
    base = tipping_points(s, parameters=["survive_us"])
    assert [(t.exact, t.below, t.above) for t in base] == [(F(11, 12), "unsustainable", "fragile")]


def test_scanned_tipping_points_compare_each_formula_with_its_players_delta():
    # T_us = 5 * 2**z is not rational in z: the range is scanned and the thresholds
    # solved with sympy. Grim holds for the US while (T - 3)/(T - 1) <= δ_us = 3/5, i.e.
    # 2**z <= 6/5; it is stable while δ_us - δ_us* >= 1/20 (China's slack is
    # 2/5 - 1/3 = 1/15), i.e. δ_us* <= 11/20, i.e. 2**z <= 49/45.
    text = ASYMMETRIC.replace(
        "d_cn: {value: 0.4, min: 0, max: 0.99}",
        "d_cn: {value: 0.4, min: 0, max: 0.99}\n  z: {value: 0, min: -1, max: 0.5}",
    ).replace("defect:    {cooperate: [5, 0]", 'defect:    {cooperate: ["5 * 2**z", 0]')
    found = tipping_points(parse_scenario(text), parameters=["z"])
    assert [(t.below, t.above) for t in found] == [
        ("stable", "fragile"),
        ("fragile", "unsustainable"),
    ]
    assert all(t.method == "exact" for t in found)
    expect = (sympy.log(sympy.Rational(49, 45), 2), sympy.log(sympy.Rational(6, 5), 2))
    for t, x in zip(found, expect):
        assert sympy.simplify(t.exact - x) == 0


def test_the_worked_example_reads_well(scenario_file):
    s = load_scenario("us-china-tariffs-2025")
    report = stability_report(s, "us-election-cycle", formulas=False)
    assert report.discount == (F(153, 200), F(9, 10))  # 0.9 * 0.85 and 0.9
    grim_profile = report.profiles[0]
    assert grim_profile.sustainability.player_critical[0] == F(33, 40)
    assert not grim_profile.spe_at_discount  # 0.765 < 33/40 = 0.825
    # China as impatient instead does not matter: its critical δ is 22/135.
    assert grim_profile.sustainability.at_discount((F(9, 10), F(1, 5))).spe
    out = cli("compare", "us-china-tariffs-2025", "--no-tipping")
    assert out.exit_code == 0 and max(len(x) for x in out.stdout.splitlines()) <= 100
    assert "δ us" in out.stdout and "0.765" in out.stdout


# ---------------------------------------------------------------- other analyses


def test_frontier_gets_the_real_pair():
    f = frontier(parse_scenario(ASYMMETRIC))
    assert f.discount == (F(3, 5), F(2, 5))
    # Each player's worst SPE payoff is the stage (and minmax) payoff P = 1.
    assert f.spe.worst == pytest.approx((1, 1), abs=1e-9)


def test_linkage_compares_each_players_critical_delta_with_their_own():
    # Both players' separate critical δ is 3/4, the linked one 7/10.
    text = LINKED_EXAMPLE.replace(
        "repeated: {discount: 0.9}", "repeated: {discount: {a: 0.72, b: 0.9}}"
    )
    la = linkage_analysis(parse_scenario(text))
    assert la.discount == (F(18, 25), F(9, 10))
    assert la.sustainable_at_discount() == (False, True)
    assert la.to_dict()["discount"] == {"a": 0.72, "b": 0.9}


def test_renegotiation_values_use_each_players_delta():
    game, tft, stft = _alternating()
    pair = continuation_values(game, tft, stft, (F(1, 2), F(4, 5)))
    row = continuation_values(game, tft, stft, F(1, 2))
    col = continuation_values(game, tft, stft, F(4, 5))
    assert [v for _, v in pair] == [(r[1][0], c[1][1]) for r, c in zip(row, col)]
    check = ng.renegotiation_check(game, tft, stft, (0, 0), (F(1, 2), F(4, 5)))
    assert check.discount == (F(1, 2), F(4, 5)) and check.to_dict()["discount"][0] == "1/2"


def test_paper_tables_show_each_players_delta(scenario_file):
    out = cli("compare", scenario_file, "--no-tipping", "--format", "markdown")
    assert "| Discount factor δ us | 0.6 | 0.4 | 0.6 |" in out.stdout
    assert "| Critical δ cn: grim trigger | 1/3 ≈ 0.3333 |" in out.stdout
    out = cli("stability", scenario_file, "--format", "markdown")
    assert "Subgame perfect at δ United States = 0.6, δ China = 0.4 | yes" in out.stdout


def _alternating():
    # Tit-for-tat against suspicious tit-for-tat: (C, D), (D, C), ... for ever.
    tft = automaton_from_rule("tft", ["C", "D"], [0, 1], 0, 2, 2, lambda s, a, b: b)
    stft = automaton_from_rule("stft", ["C", "D"], [0, 1], 1, 2, 2, lambda s, a, b: b)
    return asymmetric_pd(), tft, stft


def test_noise_metrics_and_simulation_discount_each_player_with_their_own():
    # Row gets S, T, S, T, ...: (S + δ_row T) / (1 + δ_row); column T, S, ...:
    # (T_col + δ_col S_col) / (1 + δ_col) (normalised discounted sums of a 2-cycle).
    game, tft, stft = _alternating()
    d = (F(1, 2), F(4, 5))
    m = noise_metrics(game, tft, stft, (0, 0), noise=F(0), discount=d)
    assert m.discounted_payoffs == ((0 + F(1, 2) * 5) / F(3, 2), (4 + F(4, 5) * 0) / F(9, 5))
    sim = simulate(game, tft, stft, rounds=400, runs=2, noise=0.0, seed=1, discounts=[0.5, 0.8])
    out = sim.summary((0, 0), (0.5, 0.8))
    assert out["discount"] == (0.5, 0.8)
    assert out["discounted_row"]["mean"] == pytest.approx(5 / 3, abs=1e-9)
    assert out["discounted_col"]["mean"] == pytest.approx(4 / 1.8, abs=1e-9)


def test_simulate_and_robustness_commands_with_a_mapping(scenario_file):
    out = cli("simulate", scenario_file, "--runs", "5", "--rounds", "10", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["discount"] == {"us": 0.6, "cn": 0.4}
    r = ng.robustness(
        load_scenario("us-china-tariffs-2025"),
        ["us-election-cycle"],
        samples=32,
        strategies=["grim_trigger"],
        uniform_ranges=True,
        seed=3,
    )
    a = r.assumptions[0]
    assert a.draws["discount"].shape[1] == 2
    assert "discount[us]" in r.draw_header() and "discount[cn]" in r.draw_header()
