"""Exact sustainability against closed forms from the literature."""

from __future__ import annotations

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.games.stage_game import StageGame
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.sustainability import sustainability
from negotiation.scenario import load_scenario


def prisoners_dilemma(T, R, P, S):
    """(T, R, P, S) with moves (C, D): A = [[R, S], [T, P]], B its transpose."""
    return StageGame.from_payoffs(
        [[R, S], [T, P]], [[R, T], [S, P]], row_moves=["C", "D"], col_moves=["C", "D"]
    )


def both(game, name, target=(0, 0), **kwargs):
    row, col = (build_strategy(name, context_for(game, p, target), **kwargs) for p in (0, 1))
    return sustainability(game, row, col, target)


def regions(rs):
    return [str(i) for i in rs]


PD = prisoners_dilemma(5, 3, 1, 0)


def test_grim_trigger_threshold_in_the_standard_pd():
    # Friedman (1971): grim trigger sustains (C, C) iff delta >= (T - R) / (T - P).
    s = both(PD, "grim_trigger")
    assert s.critical_discount == sympy.Rational(1, 2)
    assert regions(s.spe_region) == ["[1/2, 1)"] == regions(s.nash_region)
    assert s.on_target and s.path == ((0, 0),)
    assert s.bindings[0].state == ("cooperate", "cooperate") and s.bindings[0].deviation == 1


@settings(max_examples=8)
@given(st.integers(0, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_grim_trigger_threshold_for_any_pd(S, dP, dR, dT):
    P, R = S + dP, S + dP + dR
    T = R + dT
    s = both(prisoners_dilemma(T, R, P, S), "grim_trigger")
    assert s.critical_discount == sympy.Rational(T - R, T - P)


def test_two_period_punishment_needs_the_inverse_golden_ratio():
    # d - c <= (c - n)(delta + delta^2) in PD(5, 3, 1, 0): delta >= (sqrt 5 - 1) / 2.
    s = both(PD, "k_period_punishment", k="2")
    assert sympy.simplify(s.critical_discount - (sympy.sqrt(5) - 1) / 2) == 0
    assert both(PD, "k_period_punishment", k="1").spe_region == ()


@settings(max_examples=5)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3))
def test_k_period_threshold_is_a_root_of_the_incentive_polynomial(dP, dR, dT):
    P, R = dP, dP + dR
    T = R + dT
    s = both(prisoners_dilemma(T, R, P, 0), "k_period_punishment", k="2")
    d = sympy.Symbol("d")
    roots = [r for r in sympy.Poly((R - P) * (d + d**2) - (T - R), d).real_roots() if 0 < r < 1]
    if roots:
        assert sympy.simplify(s.critical_discount - roots[0]) == 0
    else:
        assert s.critical_discount is None


def test_tit_for_tat_is_nash_above_a_threshold_but_spe_only_on_a_knife_edge():
    # Nash iff delta >= max((T-R)/(T-P), (T-R)/(R-S)) = 2/3 here; subgame perfect only if
    # (T-R)/(R-S) = (P-S)/(T-P) = delta, which fails for (5, 3, 1, 0).
    s = both(PD, "tit_for_tat")
    assert regions(s.nash_region) == ["[2/3, 1)"]
    assert s.spe_region == () and s.critical_discount is None
    # (T, R, P, S) = (4, 3, 1, 0): (T-R)/(R-S) = 1/3 = (P-S)/(T-P): SPE exactly at 1/3.
    knife = both(prisoners_dilemma(4, 3, 1, 0), "tit_for_tat")
    assert regions(knife.spe_region) == ["[1/3, 1/3]"]


def test_contrite_tit_for_tat_matches_the_penance_profile():
    # Penance is an SPE iff delta >= max((T-R)/(R-S), (P-S)/(R-S)) = 2/3.
    assert both(PD, "contrite_tit_for_tat").critical_discount == sympy.Rational(2, 3)


def test_win_stay_lose_shift_needs_2r_above_t_plus_p():
    # SPE iff delta >= (T-R)/(R-P), possible only when 2R > T + P.
    assert both(PD, "win_stay_lose_shift").critical_discount is None
    s = both(prisoners_dilemma(4, 3, 1, 0), "win_stay_lose_shift")
    assert s.critical_discount == sympy.Rational(1, 2)


def test_asymmetric_export_control_thresholds_match_the_closed_form():
    # Chokepoint game: delta_i* = h_i / (theta_i L_i x_hold): US 0.5/4 = 1/8, China 1/1.75 = 4/7.
    g = StageGame.from_scenario(load_scenario("us-china-export-controls-2025"))
    s = both(g, "grim_trigger")
    assert s.player_critical == (sympy.Rational(1, 8), sympy.Rational(4, 7))
    assert s.critical_discount == sympy.Rational(4, 7)
    assert s.bindings[1].player == 1
    d = StageGame.from_scenario(load_scenario("us-china-export-controls-2025"), "china-decouples")
    assert both(d, "grim_trigger").critical_discount is None


def test_path_of_tit_for_tat_against_suspicious_tit_for_tat_alternates():
    row = build_strategy("tit_for_tat", context_for(PD, 0, (0, 0)))
    col = build_strategy("suspicious_tit_for_tat", context_for(PD, 1, (0, 0)))
    s = sustainability(PD, row, col, (0, 0))
    assert s.path == ((0, 1), (1, 0)) and s.cycle_start == 0 and not s.on_target


def test_symbolic_thresholds_match_hand_derivations():
    from negotiation.repeated.symbolic import symbolic_payoffs, symbolic_thresholds

    def formulas(sid, name, **kw):
        s = load_scenario(sid)
        g = StageGame.from_scenario(s)
        r, c = (build_strategy(name, context_for(g, p, (0, 0)), **kw) for p in (0, 1))
        res = sustainability(g, r, c, (0, 0))
        return symbolic_thresholds(s, g, r, c, res, s.parameter_values()), symbolic_payoffs(s)[2]

    (f_us, f_cn), x = formulas("us-china-export-controls-2025", "grim_trigger")
    # delta_i* = h_i / (theta_i L_i x_hold) (chokepoint game, Nash reversion).
    assert sympy.simplify(f_us - x["h_us"] / (x["theta_us"] * x["L_us"] * x["x_hold"])) == 0
    assert sympy.simplify(f_cn - x["h_cn"] / (x["theta_cn"] * x["L_cn"] * x["x_hold"])) == 0
    (f_row, _), x = formulas("prisoners-dilemma", "grim_trigger")
    T, R, P = x["T"], x["R"], x["P"]
    assert sympy.simplify(f_row - (T - R) / (T - P)) == 0
    (f_row, _), x = formulas("prisoners-dilemma", "k_period_punishment", k="2")
    T, R, P = x["T"], x["R"], x["P"]
    # (R - P)(delta + delta^2) = T - R at the threshold.
    assert sympy.simplify((R - P) * (f_row + f_row**2) - (T - R)) == 0


def test_analysis_is_memoised_on_exact_payoffs_and_automata():
    """compare's report and its linkage rows ask for the same profile of the same game:
    the second request is served from the cache (an equal game built anew, equal
    automata built anew), a different game is not."""
    from negotiation.repeated import sustainability as module

    def grim_of(game):
        return [build_strategy("grim_trigger", context_for(game, p, (0, 0))) for p in (0, 1)]

    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    first = sustainability(pd, *grim_of(pd), (0, 0))
    hits = module._analyse.cache_info().hits
    again = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert sustainability(again, *grim_of(again), (0, 0)) is first
    assert module._analyse.cache_info().hits == hits + 1
    other = StageGame.from_payoffs([[3, 0], [6, 1]], [[3, 6], [0, 1]])
    assert sustainability(other, *grim_of(other), (0, 0)).critical_discount == sympy.Rational(3, 5)
