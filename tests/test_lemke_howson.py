"""Lemke-Howson: the equilibrium it ends at is one of the enumerated extreme equilibria,
exactly, from every start label, in both modes, on games full of ties."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from game_strategies import int_games
from hypothesis import given
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games import lemke_howson as lh
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.lemke_howson import lemke_howson
from negotiation.games.stage_game import StageGame

F = Fraction


@given(int_games(max_moves=4, lo=-2, hi=2), st.data())
def test_result_is_an_enumerated_equilibrium(game: StageGame, data) -> None:
    m, n = game.shape
    label = data.draw(st.integers(0, m + n - 1))
    extreme = {(e.row, e.col) for e in extreme_equilibria(game)}
    for mode in ("float", "exact"):
        res = lemke_howson(game, label, mode=mode)
        e = res.equilibrium
        assert e.exact and e.regret == 0
        assert (e.row, e.col) in extreme, (mode, label)
        assert res.label == label


@given(int_games(max_moves=5, lo=0, hi=1))
def test_float_and_exact_paths_agree(game: StageGame) -> None:
    for label in range(sum(game.shape)):
        a = lemke_howson(game, label, mode="float")
        b = lemke_howson(game, label, mode="exact")
        if a.mode == "float":  # the float path itself passed its certificate
            assert a.equilibrium == b.equilibrium and a.pivots == b.pivots


def test_failed_float_certificate_falls_back_to_exact_pivoting(monkeypatch) -> None:
    game = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    monkeypatch.setattr(lh, "_regret", _always_failing_once(lh._regret))
    res = lemke_howson(game, 0)
    assert res.mode == "float->exact" and res.equilibrium.row == (F(0), F(1))


def _always_failing_once(regret):
    calls = {"n": 0}

    def wrapped(*args):
        calls["n"] += 1
        r, u, v = regret(*args)
        return (r + 1, u, v) if calls["n"] == 1 else (r, u, v)

    return wrapped


def test_side_by_side_paths_find_an_equilibrium_of_a_large_game() -> None:
    rng = np.random.default_rng(2025)
    A, B = rng.integers(-50, 50, (60, 60)), rng.integers(-50, 50, (60, 60))
    res = lemke_howson(StageGame.from_payoffs(A, B))
    assert res.equilibrium.regret == 0 and res.equilibrium.exact


def test_float_games_report_floats_certified_on_their_exact_values() -> None:
    rng = np.random.default_rng(1)
    game = StageGame.from_payoffs(rng.random((6, 5)), rng.random((6, 5)), exact=False)
    res = lemke_howson(game, 3)
    assert not res.equilibrium.exact and res.equilibrium.regret < 1e-12
    assert abs(sum(res.equilibrium.row) - 1) < 1e-12


@pytest.mark.parametrize(
    ("label", "mode", "fragment"),
    [(4, "float", "out of range"), (True, "float", "integer"), (0, "slow", "mode")],
)
def test_bad_arguments_are_refused(label, mode, fragment) -> None:
    game = StageGame.from_payoffs([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(GameError, match=fragment):
        lemke_howson(game, label, mode=mode)


def test_result_to_dict_names_the_label() -> None:
    game = StageGame.from_payoffs([[1, 0], [0, 1]], [[1, 0], [0, 1]], players=["us", "cn"])
    d = lemke_howson(game, 2).to_dict(game)
    assert d["label"] == "cn:1" and d["method"] == "lemke-howson"
