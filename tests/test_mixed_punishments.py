"""Mixed stage equilibria as punishments (``punishment: nash-any``, explicit mixed
profiles): exact thresholds against closed forms derived by hand, the other paths that
read mixed states (values, Nash region, noise chain, simulation) and the refusals."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.cli.main import main
from negotiation.errors import GameError, NegotiationError
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import automaton_from_rule
from negotiation.repeated.batch import condition_maps
from negotiation.repeated.batch_punish import punishment_profiles
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.noise import noise_metrics
from negotiation.repeated.renegotiation import continuation_values, renegotiation_check
from negotiation.repeated.simulate import simulate
from negotiation.repeated.sustainability import sustainability
from negotiation.scenario import parse_scenario

F = Fraction

# Asymmetric Chicken, moves (swerve, straight). Row: R = 3, T = 6, (swerve, straight) 1,
# crash 0; column: R = 4, T = 7, 2, 0. Mixed equilibrium by indifference: the column
# swerves with q = 1/4 (3q + (1 - q) = 6q), the row with p = 2/5 (4p + 2(1 - p) = 7p);
# payoffs v = (6q, 7p) = (3/2, 14/5).
CHICKEN = StageGame.from_payoffs(
    [[3, 1], [6, 0]], [[4, 7], [2, 0]], row_moves=["S", "T"], col_moves=["S", "T"]
)
V_CHICKEN = (F(3, 2), F(14, 5))

# A Battle of the Sexes (moves X, Y) with a cooperative move C: (C, C) = (4, 4), a
# deviation from it pays T = 5. Pure equilibria (X, X) = (2, 1) and (Y, Y) = (1, 2);
# the mixed one, row (0, 2/3, 1/3), column (0, 1/3, 2/3), gives each 2/3, worse for
# both than either pure equilibrium.
BOS = StageGame.from_payoffs(
    [[4, 0, 0], [5, 2, 0], [5, 0, 1]],
    [[4, 5, 5], [0, 1, 0], [0, 0, 2]],
    row_moves=["C", "X", "Y"],
    col_moves=["C", "X", "Y"],
)

# Rock-paper-scissors with a cooperative move C: no pure equilibrium; (C, C) = (2, 2),
# any RPS move against C pays 3, C against an RPS move -1.
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
CRPS_A = [[2, -1, -1, -1]] + [[3, *row] for row in RPS]
CRPS = StageGame.from_payoffs(CRPS_A, [list(r) for r in zip(*CRPS_A)])


def _common_mixed_grim(name: str = "grim_trigger", **args: str):
    mixed = next(e for e in extreme_equilibria(CHICKEN) if e.kind == "mixed")
    assert mixed.payoffs == V_CHICKEN
    punish = ((mixed.row, mixed.col), (mixed.row, mixed.col))
    return [build_strategy(name, context_for(CHICKEN, p, (0, 0), punish), **args) for p in (0, 1)]


def test_grim_reversion_to_the_mixed_equilibrium_of_asymmetric_chicken():
    """Friedman (1971) with a mixed stage equilibrium (Mailath & Samuelson 2006, 2.5):
    δ_i* = (T_i - R_i) / (T_i - v_i): (6 - 3)/(6 - 3/2) = 2/3 and (7 - 4)/(7 - 14/5) = 5/7.
    The punishment state contributes no binding condition."""
    grim = _common_mixed_grim()
    s = sustainability(CHICKEN, *grim, (0, 0))
    assert s.player_critical == (F(2, 3), F(5, 7))
    assert s.critical_discount == F(5, 7)
    assert [str(i) for i in s.spe_region] == ["[5/7, 1)"]
    # one deviation (from the cooperative state) is all a Nash deviation plan can use
    assert [str(i) for i in s.nash_region] == ["[5/7, 1)"]
    for b in s.bindings:
        assert b is not None and b.state == ("cooperate", "cooperate")


def test_k_period_mixed_punishment_closed_form():
    """k rounds of the mixed equilibrium, then back: SPE iff
    T - R <= (δ + ... + δ^k)(R - v) for each player. With k = 3: row needs
    δ + δ² + δ³ >= 3/(3/2) = 2, column >= 3/(6/5) = 5/2."""
    kp = _common_mixed_grim("k_period_punishment", k="3")
    s = sustainability(CHICKEN, *kp, (0, 0))
    for crit, level in zip(s.player_critical, (2, F(5, 2))):
        roots = [r.real for r in np.roots([1, 1, 1, -float(level)]) if abs(r.imag) < 1e-12]
        assert float(crit) == pytest.approx(max(roots), abs=1e-12)


def test_player_specific_punishment_from_all_equilibria_is_harsher():
    """Pure only, each deviator's worst equilibrium gives them 1: δ* = (5-4)/(5-1) = 1/4.
    From all equilibria the mixed one gives 2/3: δ* = 1/(5 - 2/3) = 3/13 < 1/4."""
    pure = [build_strategy("grim_trigger", context_for(BOS, p, (0, 0))) for p in (0, 1)]
    ctx = [context_for(BOS, p, (0, 0), punishment="nash-any") for p in (0, 1)]
    assert ctx[0].mixed[0] == ((0, F(2, 3), F(1, 3)), (0, F(1, 3), F(2, 3)))
    anyeq = [build_strategy("grim_trigger", c) for c in ctx]
    assert sustainability(BOS, *pure, (0, 0)).player_critical == (F(1, 4), F(1, 4))
    assert sustainability(BOS, *anyeq, (0, 0)).player_critical == (F(3, 13), F(3, 13))
    # the values of the punishment states are the expected payoffs of the mix
    values = dict(continuation_values(BOS, *anyeq, F(1, 2)))
    assert values[("punish_row", "punish_row")] == (F(2, 3), F(2, 3))


def test_nash_any_is_nash_when_a_pure_equilibrium_is_worst():
    """In Chicken the pure equilibria (1 for the swerver) are worse than the mixed one,
    in the Prisoner's Dilemma the only equilibrium is pure: nash-any changes nothing."""
    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    for game in (CHICKEN, pd):
        for p in (0, 1):
            a = context_for(game, p, (0, 0))
            b = context_for(game, p, (0, 0), punishment="nash-any")
            assert (a.punish, a.mixed) == (b.punish, b.mixed)
            for name in ("tit_for_tat", "stick_and_carrot", "grim_trigger"):
                assert build_strategy(name, a) == build_strategy(name, b)


def test_no_pure_equilibrium_reverts_to_the_mixed_one():
    """RPS with cooperation has no pure equilibrium; `nash` says so and points to
    nash-any, which reverts to the worst mixed equilibrium v: δ* = (3 - 2)/(3 - v)."""
    assert not pure_equilibria(CRPS)
    with pytest.raises(GameError, match="nash-any"):
        context_for(CRPS, 0, (0, 0))
    v = min(e.payoffs[0] for e in extreme_equilibria(CRPS))
    grim = [
        build_strategy("grim_trigger", context_for(CRPS, p, (0, 0), punishment="nash-any"))
        for p in (0, 1)
    ]
    assert sustainability(CRPS, *grim, (0, 0)).player_critical == (1 / (3 - v),) * 2
    with pytest.raises(GameError, match="grim_trigger or k_period_punishment"):
        build_strategy("tit_for_tat", context_for(CRPS, 0, (0, 0), punishment="nash-any"))


def test_renegotiation_with_a_mixed_punishment():
    """The punishment state is worth v = (3/2, 14/5) exactly, below (R, R) = (3, 4) for
    both: grim trigger with mixed reversion is not weakly renegotiation-proof."""
    grim = _common_mixed_grim()
    r = renegotiation_check(CHICKEN, *grim, (0, 0), F(9, 10))
    assert r.spe and not r.weakly_renegotiation_proof
    values = dict(r.values)
    assert values[r.offending[1]] == V_CHICKEN
    assert values[("cooperate", "cooperate")] == (3, 4)


def test_simulation_samples_the_mix():
    """Always straight against grim trigger with mixed reversion: round 0 pays the row
    T = 6, then the column mixes (1/4 swerve), so the row averages 6/4 = 3/2."""
    (_, col) = _common_mixed_grim()
    row = automaton_from_rule("always_T", ["only"], [1], 0, 2, 2, lambda *_: 0)
    rounds, runs = 41, 4000
    sim = simulate(CHICKEN, row, col, rounds=rounds, runs=runs, seed=3)
    swerve = sim.round_counts[1:, 1, 0].sum() / (runs * (rounds - 1))
    se = np.sqrt(0.25 * 0.75 / (runs * (rounds - 1)))
    assert abs(swerve - 0.25) < 4 * se
    assert sim.round_counts[0, 1, 0] == runs
    expected = (6 + F(3, 2) * (rounds - 1)) / rounds
    assert sim.payoffs[:, 0].mean() == pytest.approx(float(expected), abs=0.02)


def test_noise_chain_with_a_mixed_punishment_matches_simulation():
    """One round of the mixed equilibrium after a deviation, under trembles ε = 0.1:
    the exact long-run détente share (mixed states in the noisy chain) against a long
    simulation (the mix sampled each round)."""
    kp = _common_mixed_grim("k_period_punishment", k="1")
    exact = noise_metrics(CHICKEN, *kp, (0, 0), noise=F(1, 10), discount=F(9, 10))
    sim = simulate(CHICKEN, *kp, rounds=3000, runs=400, noise=0.1, seed=5)
    share = sim.round_counts[500:, 0, 0].sum() / (400 * 2500)
    assert share == pytest.approx(float(exact.detente_share), abs=0.01)


def test_batched_paths_refuse_mixed_states():
    grim = _common_mixed_grim()
    with pytest.raises(GameError, match="batched float engine"):
        condition_maps(*grim, (0, 0))
    A = np.array([CHICKEN.A], dtype=float)
    B = np.array([CHICKEN.B], dtype=float)
    with pytest.raises(GameError, match="nash-any"):
        punishment_profiles(A, B, "nash-any")


SCENARIO = """
schema: 1
id: bos-cooperation
title: "Battle of the Sexes with cooperation"
players:
  - {id: row, name: Row}
  - {id: col, name: Column}
moves: [C, X, Y]
payoffs:
  C: {C: [4, 4], X: [0, 5], Y: [0, 5]}
  X: {C: [5, 0], X: [2, 1], Y: [0, 0]}
  Y: {C: [5, 0], X: [0, 0], Y: [1, 2]}
repeated:
  discount: 0.9
  target: [C, C]
  strategies: [grim_trigger]
  punishment: nash-any
  noise: 0.01
"""


def test_stability_and_compare_with_nash_any(tmp_path: Path):
    path = tmp_path / "bos.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    out = CliRunner().invoke(main, ["stability", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    (p,) = json.loads(out.output)["profiles"]
    assert p["player_critical_discount"] == ["3/13", "3/13"]
    assert p["player_critical_formula"] == [None, None]  # the mix depends on the payoffs
    out = CliRunner().invoke(
        main, ["stability", str(path), "--punishment", "nash", "--format", "json"]
    )
    assert json.loads(out.output)["profiles"][0]["critical_discount"] == "1/4"
    out = CliRunner().invoke(main, ["compare", str(path), "--no-tipping", "--format", "json"])
    assert out.exit_code == 0, out.output
    (col,) = json.loads(out.output)["assumptions"]
    assert col["stability"]["profiles"][0]["critical_discount"] == "3/13"
    out = CliRunner().invoke(main, ["sweep", str(path), "--grid", "delta=0.5:0.9:3"])
    assert out.exit_code != 0 and "nash-any" in out.output
    scenario = parse_scenario(SCENARIO)
    assert scenario.repeated is not None and scenario.repeated.punishment == "nash-any"
    bad = SCENARIO.replace("nash-any", "mixed")
    with pytest.raises(NegotiationError):
        parse_scenario(bad)


def test_compare_leaves_out_tipping_points_under_nash_any():
    """The tipping points follow pure punishments as functions of a parameter; with
    nash-any compare says it leaves them out, and in the Prisoner's Dilemma (a pure
    equilibrium is worst) every threshold is that of nash."""
    from negotiation.analysis.compare import compare

    text = Path("scenarios/prisoners-dilemma.yaml").read_text(encoding="utf-8")
    pd_any = parse_scenario(text.replace("  seed: 7\n", "  seed: 7\n  punishment: nash-any\n"))
    pd = parse_scenario(text)
    a = compare(pd_any, strategies=["grim_trigger"])
    b = compare(pd, strategies=["grim_trigger"], tipping=False)
    assert "nash-any" in a.tipping_skipped and not a.tipping_parameters
    assert a.rows() == b.rows()


def test_a_mix_that_is_no_stage_equilibrium_binds_in_its_state():
    """Explicit punishment by the uniform mix in the PD (5, 3, 1, 0): not a stage
    equilibrium (defect dominates), so in the punishment state defecting gains
    (1 - δ)(u(D, σ) - u(σ)) = (1 - δ)(3 - 9/4) > 0: never subgame perfect. Its value is
    u(σ) = (3 + 0 + 5 + 1)/4 = 9/4, and from the start a deviation to D forever earns
    (1 - δ)5 + 3δ > 3: never Nash either."""
    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    half = (F(1, 2), F(1, 2))
    grim = [
        build_strategy("grim_trigger", context_for(pd, p, (0, 0), ((half, half), (half, half))))
        for p in (0, 1)
    ]
    s = sustainability(pd, *grim, (0, 0))
    assert s.spe_region == () and s.nash_region == ()
    assert any(c.tag[1] != 0 for c in s.conditions)  # conditions in the mixed state
    values = dict(continuation_values(pd, *grim, F(1, 2)))
    assert values[("punish_row", "punish_row")] == (F(9, 4), F(9, 4))


@settings(max_examples=15, deadline=None)
@given(shape=st.sampled_from([(2, 2), (2, 3), (3, 2)]), data=st.data())
def test_grim_with_nash_any_matches_the_closed_form(shape, data):
    """Player-specific reversion to the worst stage equilibrium among all (Friedman
    1971): player i conforms iff (1 - δ) d_i + δ v_i <= c_i, with c_i the target payoff,
    d_i the best payoff of another move against the target and v_i the lowest
    equilibrium payoff of i. So δ_i* = (d_i - c_i)/(d_i - v_i) when d_i > c_i > v_i, 0
    when d_i <= c_i and v_i <= c_i, and never otherwise (v_i > c_i: leaving pays in the
    long run). The punishment states, stage equilibria whose transitions ignore the
    play, add no binding condition."""
    m, n = shape
    cells = st.integers(-3, 3)
    A = data.draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=m, max_size=m))
    B = data.draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=m, max_size=m))
    t = (data.draw(st.integers(0, m - 1)), data.draw(st.integers(0, n - 1)))
    game = StageGame.from_payoffs(A, B)
    grim = [
        build_strategy("grim_trigger", context_for(game, p, t, punishment="nash-any"))
        for p in (0, 1)
    ]
    s = sustainability(game, *grim, t)
    eqs = extreme_equilibria(game)
    c = (F(A[t[0]][t[1]]), F(B[t[0]][t[1]]))
    d = (
        F(max(A[k][t[1]] for k in range(m) if k != t[0])),
        F(max(B[t[0]][k] for k in range(n) if k != t[1])),
    )
    for i in (0, 1):
        v = min(F(e.payoffs[i]) for e in eqs)
        if d[i] <= c[i] and v <= c[i]:
            expected = F(0)
        elif d[i] > c[i] > v:
            expected = (d[i] - c[i]) / (d[i] - v)
        else:
            expected = None
        assert s.player_critical[i] == expected
