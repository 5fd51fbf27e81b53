"""Pareto-efficient pure profiles."""

from __future__ import annotations

from fractions import Fraction

import pytest
from game_strategies import int_games
from hypothesis import given
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.pareto import pareto_dominates, pareto_efficient_profiles
from negotiation.games.stage_game import StageGame

F = Fraction


def payoff_pairs(game):
    m, n = game.shape
    return {(i, j): (game.exact_A[i][j], game.exact_B[i][j]) for i in range(m) for j in range(n)}


def test_prisoners_dilemma_mutual_defection_is_the_only_inefficient_profile():
    # PD (T, R, P, S) = (5, 3, 1, 0): the equilibrium (D, D) is Pareto-dominated by (C, C).
    g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert pareto_efficient_profiles(g) == ((0, 0), (0, 1), (1, 0))
    assert pareto_efficient_profiles(g, exact=False) == ((0, 0), (0, 1), (1, 0))


def test_chicken_crash_is_inefficient():
    # Chicken (Snyder 1971) with a crash cost of 10: only (straight, straight) is dominated.
    g = StageGame.from_payoffs([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    assert pareto_efficient_profiles(g) == ((0, 0), (0, 1), (1, 0))


def test_matching_pennies_every_profile_is_efficient():
    # A zero-sum game: every outcome is Pareto efficient.
    g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert pareto_efficient_profiles(g) == ((0, 0), (0, 1), (1, 0), (1, 1))


def test_equal_payoff_pairs_are_both_kept():
    g = StageGame.from_payoffs([[2, 2], [1, 0]], [[1, 1], [3, 0]])
    assert pareto_efficient_profiles(g) == ((0, 0), (0, 1), (1, 0))


def test_exact_comparison_separates_what_floats_merge():
    # 1/3 exceeds the decimal 0.3333333333333333 exactly; as floats the two are equal.
    g = StageGame.from_payoffs([["1/3", 0.3333333333333333]], [[1, 1]])
    assert pareto_efficient_profiles(g) == ((0, 0),)
    assert pareto_efficient_profiles(g, exact=False) == ((0, 0), (0, 1))


def test_exact_on_inexact_game_raises():
    g = StageGame.from_payoffs([[1.0, 2.0]], [[0.0, 0.0]], exact=False)
    assert pareto_efficient_profiles(g) == ((0, 1),)
    with pytest.raises(GameError, match="exact"):
        pareto_efficient_profiles(g, exact=True)


def test_pareto_dominates():
    assert pareto_dominates((F(1), F(2)), (F(1), F(1)))
    assert not pareto_dominates((1, 1), (1, 1))
    assert not pareto_dominates((2, 0), (1, 1))


@given(int_games())
def test_efficient_profiles_are_undominated_and_dominate_the_rest(game):
    pay = payoff_pairs(game)
    eff = pareto_efficient_profiles(game)
    assert list(eff) == sorted(eff) and eff
    for cell in eff:
        assert not any(pareto_dominates(u, pay[cell]) for u in pay.values())
    for cell, u in pay.items():
        if cell not in eff:
            assert any(pareto_dominates(pay[e], u) for e in eff)
    assert pareto_efficient_profiles(game, exact=False) == eff


@given(int_games(), st.data())
def test_efficient_set_follows_permutations_and_affine_rescaling(game, data):
    m, n = game.shape
    pr = data.draw(st.permutations(range(m)))
    pc = data.draw(st.permutations(range(n)))
    a, c = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    b, d = data.draw(st.integers(-5, 5)), data.draw(st.integers(-5, 5))
    A = [[a * game.exact_A[pr[i]][pc[j]] + b for j in range(n)] for i in range(m)]
    B = [[F(c, 3) * game.exact_B[pr[i]][pc[j]] + d for j in range(n)] for i in range(m)]
    moved = pareto_efficient_profiles(StageGame.from_payoffs(A, B))
    original = {(pr[i], pc[j]) for i, j in moved}
    assert original == set(pareto_efficient_profiles(game))
