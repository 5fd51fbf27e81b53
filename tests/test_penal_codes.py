"""Optimal simple penal codes (Abreu 1988) and their use as a named strategy."""

from __future__ import annotations

from fractions import Fraction

import pytest
from game_strategies import int_games
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.repeated.exact_roots import compare_real
from negotiation.repeated.penal_codes import (
    Punishment,
    _code_conditions,
    _critical_of,
    optimal_penal_code,
    penal_code_automata,
)
from negotiation.repeated.profiles import strategy_for
from negotiation.repeated.report import stability_report
from negotiation.repeated.sustainability import sustainability
from negotiation.scenario import load_scenario

F = Fraction
PD = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
# A symmetric roll back / hold / escalate game (hand-made for this test): hold is
# dominant, (H, H) = (1, 1) is the stage equilibrium, and escalating (E) hurts the other
# side more than holding does, at a cost to oneself.
A3 = [[4, 0, -3], [6, 1, -2], [2, -1, -4]]
G3 = StageGame.from_payoffs(
    A3, [list(r) for r in zip(*A3)], row_moves=list("RHE"), col_moves=list("RHE")
)


def test_prisoners_dilemma_nash_reversion_is_optimal():
    """In the PD the stage equilibrium is the minmax: δ* = (T-R)/(T-P) = 1/2 for grim
    and for any pure SPE (Friedman 1971; Abreu 1988)."""
    code = optimal_penal_code(PD, (0, 0))
    assert code.critical == (F(1, 2), F(1, 2)) == code.grim_critical == code.lower_bound
    assert code.optimal == (True, True)


def test_harsher_than_nash_punishment_beats_grim():
    """By hand for G3 (target (R, R): c = 4, best deviation d = 6):
    grim: δ* = (d - c)/(d - n) = (6 - 4)/(6 - 1) = 2/5;
    the pure minmax is m = -2 (the other escalates, the best reply holds), so no pure
    SPE sustains the target below (d - c)/(d - m) = 2/8 = 1/4;
    stick (E, E) for one round then back: the punished value is P = -4(1-δ) + 4δ;
    at the target 6(1-δ) + δP <= 4 iff (4δ - 1)(δ - 1) <= 0 iff δ >= 1/4; in the stick
    the deviator's best reply (H) earns -2: -2(1-δ) + δP <= P iff P >= -2 iff δ >= 1/4,
    the same for the punisher. So the optimal penal code reaches the bound 1/4
    (Abreu 1986, 1988)."""
    code = optimal_penal_code(G3, (0, 0))
    assert code.grim_critical == (F(2, 5), F(2, 5))
    assert code.lower_bound == (F(1, 4), F(1, 4))
    assert code.critical == (F(1, 4), F(1, 4)) and code.optimal == (True, True)
    assert code.critical[0] < code.grim_critical[0]
    # the hand-made stick-and-carrot code, analysed by the general engine
    stick = (Punishment((2, 2), 1), Punishment((2, 2), 1))
    row, col = penal_code_automata(G3, (0, 0), stick)
    assert sustainability(G3, row, col, (0, 0)).player_critical == (F(1, 4), F(1, 4))
    # a milder stick, (H, E) for the deviator row, needs δ >= 1/3 by hand
    mild = (Punishment((1, 2), 1), Punishment((2, 1), 1))
    row, col = penal_code_automata(G3, (0, 0), mild)
    assert sustainability(G3, row, col, (0, 0)).player_critical == (F(1, 3), F(1, 3))


@settings(max_examples=25)
@given(int_games(max_moves=3), st.data())
def test_polynomial_screen_matches_the_automaton_engine(game, data):
    """The closed-form conditions used to rank codes give the same critical δ as the
    general one-shot-deviation engine on the code's automata."""
    m, n = game.shape
    target = (data.draw(st.integers(0, m - 1)), data.draw(st.integers(0, n - 1)))
    cells = [(i, j) for i in range(m) for j in range(n)]

    def punishment():
        eqs = pure_equilibria(game)
        if eqs and data.draw(st.booleans()):
            return Punishment(data.draw(st.sampled_from(eqs)), None)
        return Punishment(data.draw(st.sampled_from(cells)), data.draw(st.integers(1, 2)))

    code = (punishment(), punishment())
    EA, EB = game.require_exact()
    conds = _code_conditions(EA, EB, target, code)
    row, col = penal_code_automata(game, target, code)
    sus = sustainability(game, row, col, target)
    for i in (0, 1):
        mine, theirs = _critical_of(conds[i]), sus.player_critical[i]
        if mine is None or theirs is None:
            assert mine is None and theirs is None
        elif isinstance(theirs, F):
            assert compare_real(mine, theirs) == 0
        else:  # an algebraic number from sympy
            assert float(theirs) == pytest.approx(float(mine.exact()), abs=1e-12)


@settings(max_examples=25)
@given(int_games(max_moves=3), st.data())
def test_code_within_bounds(game, data):
    m, n = game.shape
    target = (data.draw(st.integers(0, m - 1)), data.draw(st.integers(0, n - 1)))
    try:
        code = optimal_penal_code(game, target)
    except GameError:
        return
    for c, b in zip(code.critical, code.lower_bound):
        if c is not None:  # no code beats the minmax bound
            assert b is not None and float(c) >= float(b) - 1e-12
    if None not in code.grim_critical:  # the best code is at least as good as grim
        assert code.overall is not None
        assert float(code.overall) <= max(map(float, code.grim_critical)) + 1e-12


def test_by_name_in_stability_and_simulate():
    scenario = load_scenario("us-china-export-controls-2025")
    report = stability_report(
        scenario, strategies=["optimal_penal_code", "grim_trigger"], formulas=False
    )
    best, grim = report.profiles
    assert best.to_dict()["critical_discount"] == "2/7"
    assert grim.to_dict()["critical_discount"] == "4/7"
    auto = strategy_for("optimal_penal_code", report.game, 1, report.target)
    assert auto.name == "optimal_penal_code" and auto.states[0] == "target"
    from negotiation.repeated.experiment import run_simulation

    run = run_simulation(
        scenario, pair=("optimal_penal_code", "optimal_penal_code"), rounds=20, runs=50, seed=1
    )
    assert run.to_dict()["strategies"] == ["optimal_penal_code", "optimal_penal_code"]


def test_bad_target_refused():
    with pytest.raises(GameError):
        optimal_penal_code(PD, (2, 0))
    with pytest.raises(GameError):
        optimal_penal_code(StageGame.from_payoffs([[0.5]], [[1]], exact=False), (0, 0))
