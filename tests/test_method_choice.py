"""The choice between complete enumeration and Lemke-Howson (``solve --method``).

A game the random-game estimate calls large is first enumerated with a vertex budget:
structured games (the shipped 21x21 tariff grid) finish within it and keep their
complete answer; random games of that size stop at the budget and go to Lemke-Howson
under ``auto``. The bounded attempt must never return a partial answer: it either
equals the complete enumeration or stops with ``EnumerationLimitError``.
"""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.cli.main import main
from negotiation.errors import EnumerationLimitError, GameError
from negotiation.games import method_choice
from negotiation.games.enumeration_limits import estimated_seconds
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.method_choice import PROBE_VERTICES, choose_method
from negotiation.games.nfg import write_nfg
from negotiation.games.stage_game import StageGame
from negotiation.scenario import load_scenario

GRID = "us-china-tariff-grid-2025"


def _random_game(n: int, seed: int = 2025) -> StageGame:
    rng = np.random.default_rng(seed)
    a, b = rng.integers(-50, 50, (2, n, n))
    return StageGame.from_payoffs(a.tolist(), b.tolist())


def _profiles(eqs):
    return sorted((e.row, e.col) for e in eqs)


def test_the_tariff_grid_is_enumerated_within_the_attempt():
    game = StageGame.from_scenario(load_scenario(GRID), "baseline")
    assert estimated_seconds(*game.shape) > method_choice.AUTO_SECONDS
    for method in ("auto", "enumerate"):
        choice = choose_method(game, method)
        assert choice.method == "enumerate" and choice.note is None
        assert choice.equilibria is not None
        assert _profiles(choice.equilibria) == _profiles(extreme_equilibria(game))


def test_a_random_game_past_the_budget_goes_to_lemke_howson_under_auto():
    game = _random_game(20)
    auto = choose_method(game, "auto", probe_vertices=500)
    assert auto.method == "lemke-howson" and auto.equilibria is None
    assert auto.note is not None and "more than 500 vertices" in auto.note
    assert "Lemke-Howson instead" in auto.note
    enum = choose_method(game, "enumerate", probe_vertices=500)
    assert enum.method == "enumerate" and enum.equilibria is None
    assert enum.note is not None and "--method lemke-howson" in enum.note


def test_small_games_and_lemke_howson_run_no_attempt():
    game = _random_game(6)
    assert choose_method(game) == method_choice.MethodChoice("enumerate")
    assert choose_method(_random_game(20), "lemke-howson") == method_choice.MethodChoice(
        "lemke-howson"
    )


def test_too_many_moves_for_enumeration():
    big = _random_game(32)
    auto = choose_method(big, "auto")
    assert auto.method == "lemke-howson" and "more than 62 moves" in (auto.note or "")
    with pytest.raises(EnumerationLimitError, match="too large for complete enumeration"):
        choose_method(big, "enumerate")
    with pytest.raises(EnumerationLimitError, match="too large for complete enumeration"):
        extreme_equilibria(big)


def test_constant_games_of_any_size_are_answered_by_enumeration():
    # Every profile is an equilibrium: the enumeration answers at once, so auto keeps it.
    flat = StageGame.from_payoffs([[1] * 40] * 33, [[2] * 40] * 33)
    choice = choose_method(flat, "auto")
    assert choice.method == "enumerate" and choice.note is None
    assert choice.equilibria is not None and len(choice.equilibria) == 33 * 40


def test_unknown_method_and_non_games_are_refused():
    with pytest.raises(GameError, match="unknown method 'fast'"):
        choose_method(_random_game(2), "fast")
    with pytest.raises(GameError):
        choose_method([[1, 2], [3, 4]])  # type: ignore[arg-type]


def test_the_budget_error_names_the_budget():
    with pytest.raises(EnumerationLimitError, match=r"more than 50 vertices .* budget given"):
        extreme_equilibria(_random_game(12), max_vertices=50)


@settings(max_examples=60, deadline=None)
@given(
    m=st.integers(1, 6),
    n=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    budget=st.integers(1, 60),
    spread=st.sampled_from([2, 4, 100]),
)
def test_the_attempt_is_complete_or_refused(m, n, seed, budget, spread):
    # Small payoff ranges make degenerate games (several bases per vertex).
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, spread, (2, m, n))
    game = StageGame.from_payoffs(a.tolist(), b.tolist())
    full = extreme_equilibria(game)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(method_choice, "AUTO_SECONDS", -1.0)  # every game is "large"
        choice = choose_method(game, "auto", probe_vertices=budget)
    if choice.method == "enumerate":
        assert choice.equilibria is not None
        assert _profiles(choice.equilibria) == _profiles(full)
        assert choice.equilibria.degenerate == full.degenerate
    else:
        with pytest.raises(EnumerationLimitError):
            extreme_equilibria(game, max_vertices=budget)


def test_cli_auto_on_the_grid_prints_the_enumeration_without_a_note():
    auto = CliRunner().invoke(main, ["solve", GRID, "--method", "auto", "--format", "json"])
    enum = CliRunner().invoke(main, ["solve", GRID, "--format", "json"])
    assert auto.exit_code == 0 and enum.exit_code == 0
    assert auto.stdout == enum.stdout
    assert "note:" not in auto.stderr and "note:" not in enum.stderr


def test_cli_auto_on_a_random_22x22_game_notes_the_switch(tmp_path):
    path = tmp_path / "random22.nfg"
    path.write_text(write_nfg(_random_game(22)), encoding="utf-8")
    r = CliRunner().invoke(main, ["solve", str(path), "--method", "auto"])
    assert r.exit_code == 0, r.output
    assert f"more than {PROBE_VERTICES:,} vertices" in r.stderr
    assert "computing one equilibrium by Lemke-Howson instead" in r.stderr
    assert "one equilibrium by Lemke-Howson" in r.stdout
