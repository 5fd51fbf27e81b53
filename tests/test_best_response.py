"""Best responses to mixed strategies and the pure best-response table."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from game_strategies import int_games
from hypothesis import given
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.best_response import (
    best_responses,
    own_exact_payoffs,
    own_payoffs,
    pure_best_response_table,
    resolve_exact,
)
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame

F = Fraction
# Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0), moves (C, D).
PD = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
# Matching Pennies (von Neumann & Morgenstern 1944).
MP = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
# Chicken (Snyder 1971): swerve = 0, straight = 1; a crash costs 10.
CHICKEN = StageGame.from_payoffs([[0, -1], [1, -10]], [[0, 1], [-1, -10]])


@st.composite
def rational_mixture(draw, k: int):
    weights = draw(st.lists(st.integers(0, 6), min_size=k, max_size=k))
    if sum(weights) == 0:
        weights[draw(st.integers(0, k - 1))] = 1
    return [F(w, sum(weights)) for w in weights]


def test_prisoners_dilemma_defection_is_the_only_best_response():
    for y in ([F(1), F(0)], [F(0), F(1)], [F(1, 3), F(2, 3)]):
        assert best_responses(PD, 0, y) == (1,)
        assert best_responses(PD, 1, y) == (1,)
    assert best_responses(PD, 0, [0.5, 0.5]) == (1,)


def test_matching_pennies_tie_at_one_half_exact_and_float():
    assert best_responses(MP, 0, [F(1, 2), F(1, 2)]) == (0, 1)
    assert best_responses(MP, 1, ["1/2", "1/2"]) == (0, 1)
    assert best_responses(MP, 0, [0.5, 0.5]) == (0, 1)
    assert best_responses(MP, 0, [F(1, 2) + F(1, 100), F(1, 2) - F(1, 100)]) == (0,)
    assert best_responses(MP, 1, [F(3, 4), F(1, 4)]) == (1,)


def test_chicken_indifference_at_one_tenth():
    # Row is indifferent when the column goes straight with probability 1/10.
    assert best_responses(CHICKEN, 0, [F(9, 10), F(1, 10)]) == (0, 1)
    assert best_responses(CHICKEN, 0, [F(91, 100), F(9, 100)]) == (1,)
    # In float mode the tie at 1/10 is found within the tolerance.
    assert best_responses(CHICKEN, 0, [0.9, 0.1]) == (0, 1)
    assert best_responses(CHICKEN, 0, [0.91, 0.09]) == (1,)


def test_exact_none_uses_floats_for_float_strategies():
    # Row is indifferent at y = (1/3, 2/3). Floats compare within the tolerance; with
    # exact=True the floats are read as the decimals they print as, just short of 1/3.
    g = StageGame.from_payoffs([[2, -1], [0, 0]], [[0, 0], [0, 0]])
    third = 1 / 3
    assert best_responses(g, 0, [F(1, 3), F(2, 3)]) == (0, 1)
    assert best_responses(g, 0, [third, 1 - third]) == (0, 1)
    assert best_responses(g, 0, [third, 1 - third], exact=True) == (1,)
    with pytest.raises(GameError, match="exactly"):
        best_responses(g, 0, [third, third + 0.1], exact=True)


@pytest.mark.parametrize(
    ("player", "strategy", "message"),
    [
        (0, [F(1)], "2 moves"),
        (0, [F(3, 2), F(-1, 2)], "probability"),
        (0, [F(1, 2), F(1, 3)], "probability"),
        (0, [0.5, 0.6], "probability"),
        (0, [float("nan"), 1.0], "probability"),
        (0, [-0.5, 1.5], "probability"),
        (0, ["x", "1"], "rational"),
        (2, [F(1), F(0)], "player"),
    ],
)
def test_bad_strategies_raise(player, strategy, message):
    with pytest.raises(GameError, match=message):
        best_responses(MP, player, strategy)


def test_exact_on_inexact_game_raises():
    g = StageGame.from_payoffs([[1.5, 0]], [[0, 1]], exact=False)
    assert best_responses(g, 0, [F(1, 2), F(1, 2)]) == (0,)
    with pytest.raises(GameError, match="exact"):
        best_responses(g, 0, [F(1, 2), F(1, 2)], exact=True)
    with pytest.raises(GameError, match="exact"):
        pure_best_response_table(g, exact=True)
    with pytest.raises(GameError):
        resolve_exact(g, True)


def test_helpers_orient_payoffs_by_own_move():
    g = StageGame.from_payoffs([[1, 2, 3]], [[4, 5, 6]])
    assert own_payoffs(g, 0).shape == (1, 3) and own_payoffs(g, 1).shape == (3, 1)
    assert own_exact_payoffs(g, 1) == ((F(4),), (F(5),), (F(6),))
    with pytest.raises(GameError, match="player"):
        own_payoffs(g, -1)


def test_table_stag_hunt_and_chicken():
    # Stag Hunt (Skyrms 2004).
    g = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    row_br, col_br = pure_best_response_table(g)
    assert row_br.dtype == bool and row_br.shape == (2, 2)
    assert row_br.tolist() == [[True, False], [False, True]]
    assert col_br.tolist() == [[True, False], [False, True]]
    row_br, col_br = pure_best_response_table(CHICKEN)
    assert (row_br & col_br).tolist() == [[False, True], [True, False]]


@given(int_games(), st.data())
def test_exact_best_responses_are_the_maximisers(game, data):
    for player in (0, 1):
        U = own_exact_payoffs(game, player)
        y = data.draw(rational_mixture(len(U[0])))
        pay = [sum(a * p for a, p in zip(row, y)) for row in U]
        br = best_responses(game, player, y)
        assert br == tuple(k for k, v in enumerate(pay) if v == max(pay))
        assert best_responses(game, player, [float(p) for p in y]) == br


@given(int_games())
def test_table_agrees_with_best_responses_and_pure_equilibria(game):
    m, n = game.shape
    row_br, col_br = pure_best_response_table(game)
    row_f, col_f = pure_best_response_table(game, exact=False)
    assert np.array_equal(row_br, row_f) and np.array_equal(col_br, col_f)
    for j in range(n):
        pure = [F(int(c == j)) for c in range(n)]
        assert tuple(np.nonzero(row_br[:, j])[0]) == best_responses(game, 0, pure)
    for i in range(m):
        pure = [F(int(r == i)) for r in range(m)]
        assert tuple(np.nonzero(col_br[i])[0]) == best_responses(game, 1, pure)
    cells = tuple((int(i), int(j)) for i, j in zip(*np.nonzero(row_br & col_br)))
    assert cells == pure_equilibria(game)


@given(int_games(), st.data())
def test_best_responses_follow_permutations_and_affine_rescaling(game, data):
    m, n = game.shape
    pr = data.draw(st.permutations(range(m)))
    pc = data.draw(st.permutations(range(n)))
    a, b = data.draw(st.integers(1, 5)), data.draw(st.integers(-3, 3))
    A = [[a * game.exact_A[pr[i]][pc[j]] + b for j in range(n)] for i in range(m)]
    B = [[game.exact_B[pr[i]][pc[j]] for j in range(n)] for i in range(m)]
    g2 = StageGame.from_payoffs(A, B)
    y = data.draw(rational_mixture(n))
    y2 = [y[pc[j]] for j in range(n)]
    expected = {pr.index(k) for k in best_responses(game, 0, y)}
    assert set(best_responses(g2, 0, y2)) == expected
