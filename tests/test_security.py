"""Pure and mixed security values (maxmin / minmax)."""

from __future__ import annotations

import math
import warnings
from fractions import Fraction

import nashpy
import numpy as np
import pytest
from game_strategies import int_games, permuted_rescaled
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.best_response import own_exact_payoffs, own_payoffs
from negotiation.games.security import (
    _square_search,
    mixed_security_values,
    pure_security_values,
)
from negotiation.games.stage_game import StageGame

F = Fraction

# Matching Pennies (von Neumann & Morgenstern 1944).
MP = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], players=["even", "odd"])
# Chicken (Snyder 1971): swerve = 0, straight = 1; a crash costs 10.
CHICKEN = StageGame.from_payoffs(
    [[0, -1], [1, -10]],
    [[0, 1], [-1, -10]],
    row_moves=["swerve", "straight"],
    col_moves=["swerve", "straight"],
)
# Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0), moves (C, D).
PD = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])


def certificate(U, x, y):
    """Exact guarantee of x and cap of y in the matrix U[own, other]."""
    lo = min(sum(x[k] * U[k][j] for k in range(len(U))) for j in range(len(U[0])))
    hi = max(sum(U[k][j] * y[j] for j in range(len(U[0]))) for k in range(len(U)))
    return lo, hi


def is_distribution(p):
    return all(q >= 0 for q in p) and sum(p) == 1


def test_matching_pennies_pure_and_mixed_exactly():
    pure = pure_security_values(MP)
    assert pure.maxmin == (F(-1), F(-1)) and pure.minmax == (F(1), F(1))
    assert pure.maxmin_moves == ((0, 1), (0, 1)) and pure.minmax_moves == ((0, 1), (0, 1))
    mixed = mixed_security_values(MP)
    assert mixed.exact and mixed.values == (F(0), F(0)) and mixed.maxmin == (F(0), F(0))
    half = (F(1, 2), F(1, 2))
    assert mixed.maxmin_strategies == (half, half) and mixed.minmax_strategies == (half, half)
    floats = mixed_security_values(MP, exact=False)
    assert not floats.exact and floats.values == pytest.approx((0.0, 0.0), abs=1e-12)
    assert floats.maxmin_strategies[0] == pytest.approx((0.5, 0.5))


def test_chicken_security_is_swerving_and_pure():
    pure = pure_security_values(CHICKEN)
    assert pure.maxmin == (F(-1), F(-1)) and pure.maxmin_moves == ((0,), (0,))
    assert pure.minmax == (F(-1), F(-1)) and pure.minmax_moves == ((1,), (1,))
    mixed = mixed_security_values(CHICKEN)
    assert mixed.values == (F(-1), F(-1))
    assert mixed.maxmin_strategies == ((F(1), F(0)), (F(1), F(0)))
    assert mixed.minmax_strategies == ((F(0), F(1)), (F(0), F(1)))
    d = mixed.to_dict()["players"]["1"]
    assert d["value"] == "-1" and d["minmax_strategy"] == {"swerve": "0", "straight": "1"}


def test_prisoners_dilemma_minmax_is_mutual_defection():
    mixed = mixed_security_values(PD)
    assert mixed.values == (F(1), F(1))
    assert mixed.maxmin_strategies == ((F(0), F(1)), (F(0), F(1)))


def test_two_by_two_fractional_value():
    # Zero-sum 2x2 without saddle point: v = (ad - bc) / (a + d - b - c) = 1/5.
    g = StageGame.from_payoffs([[2, -1], [-1, 1]], [[0, 0], [0, 0]])
    s = mixed_security_values(g)
    assert s.values[0] == F(1, 5)
    assert s.maxmin_strategies[0] == (F(2, 5), F(3, 5))
    assert s.minmax_strategies[0] == (F(2, 5), F(3, 5))
    assert s.values[1] == 0  # a player with constant payoffs


def test_rock_paper_scissors_uniform():
    rps = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    g = StageGame.from_payoffs(rps, [[-v for v in row] for row in rps])
    s = mixed_security_values(g)
    third = (F(1, 3),) * 3
    assert s.values == (0, 0) and s.maxmin_strategies == (third, third)


def test_inexact_game_uses_floats_and_refuses_exact():
    g = StageGame.from_payoffs([[math.sqrt(2), 0], [0, 1]], [[0, 0], [0, 0]], exact=False)
    s = mixed_security_values(g)
    v = math.sqrt(2) / (1 + math.sqrt(2))
    assert not s.exact and s.values[0] == pytest.approx(v) and s.maxmin[0] == pytest.approx(v)
    assert pure_security_values(g).minmax[0] == 1.0
    with pytest.raises(GameError, match="exact"):
        mixed_security_values(g, exact=True)
    with pytest.raises(GameError, match="exact"):
        pure_security_values(g, exact=True)


def test_to_dict_labels_and_strings():
    d = pure_security_values(CHICKEN).to_dict()
    assert d == {
        "exact": True,
        "players": {
            p: {
                "maxmin": "-1",
                "maxmin_moves": ["swerve"],
                "minmax": "-1",
                "minmax_moves": ["straight"],
            }
            for p in ("1", "2")
        },
    }
    d = mixed_security_values(MP, exact=False).to_dict()
    assert d["exact"] is False and isinstance(d["players"]["odd"]["value"], float)


@given(int_games(lo=-3, hi=3))
def test_minimax_theorem_holds_exactly_with_certificate(game):
    s = mixed_security_values(game)
    pure = pure_security_values(game)
    for p in (0, 1):
        U = own_exact_payoffs(game, p)
        x, y = s.maxmin_strategies[p], s.minmax_strategies[p]
        assert is_distribution(x) and is_distribution(y)
        assert len(x) == len(U) and len(y) == len(U[0])
        assert certificate(U, x, y) == (s.maxmin[p], s.minmax[p])
        assert s.maxmin[p] == s.minmax[p]
        assert pure.maxmin[p] <= s.values[p] <= pure.minmax[p]
        assert all(min(U[k]) == pure.maxmin[p] for k in pure.maxmin_moves[p])
        assert all(max(r[j] for r in U) == pure.minmax[p] for j in pure.minmax_moves[p])


@given(int_games(lo=-3, hi=3))
def test_exact_and_float_agree(game):
    e, f = mixed_security_values(game), mixed_security_values(game, exact=False)
    pe, pf = pure_security_values(game), pure_security_values(game, exact=False)
    for p in (0, 1):
        assert f.minmax[p] == pytest.approx(float(e.minmax[p]), abs=1e-7)
        assert f.maxmin[p] == pytest.approx(float(e.maxmin[p]), abs=1e-7)
        assert (float(pe.maxmin[p]), float(pe.minmax[p])) == (pf.maxmin[p], pf.minmax[p])
        assert pe.maxmin_moves == pf.maxmin_moves and pe.minmax_moves == pf.minmax_moves


@settings(max_examples=30)
@given(int_games(lo=-3, hi=3), st.data())
def test_values_follow_permutations_and_affine_rescaling(game, data):
    m, n = game.shape
    g2, pr, pc, (a, b), (c, d) = permuted_rescaled(game, data, denominator=3)
    s, s2 = mixed_security_values(game), mixed_security_values(g2)
    assert s2.values == (a * s.values[0] + b, c * s.values[1] + d)
    p1, p2 = pure_security_values(game), pure_security_values(g2)
    assert p2.minmax == (a * p1.minmax[0] + b, c * p1.minmax[1] + d)
    assert {pr[i] for i in p2.maxmin_moves[0]} == set(p1.maxmin_moves[0])
    assert {pc[j] for j in p2.minmax_moves[0]} == set(p1.minmax_moves[0])
    # The original optimal mixtures, relabelled, are optimal in the new game.
    x = [s.maxmin_strategies[0][pr[i]] for i in range(m)]
    y = [s.minmax_strategies[0][pc[j]] for j in range(n)]
    assert certificate(own_exact_payoffs(g2, 0), x, y) == (s2.values[0], s2.values[0])


@settings(max_examples=30)
@given(int_games(max_moves=4))
def test_full_enumeration_fallback_finds_the_value(game):
    s = mixed_security_values(game)
    for p in (0, 1):
        U = own_exact_payoffs(game, p)
        x, y, v = _square_search(U, range(len(U)), range(len(U[0])))
        assert v == s.values[p] and certificate(U, x, y) == (v, v)


def random_float_game(seed: int, m: int, n: int) -> StageGame:
    rng = np.random.default_rng(seed)
    return StageGame.from_payoffs(rng.uniform(-1, 1, (m, n)), rng.uniform(-1, 1, (m, n)))


@settings(max_examples=30)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4), st.integers(1, 4))
def test_float_values_match_nashpy_zero_sum_equilibria(seed, m, n):
    game = random_float_game(seed, m, n)
    s = mixed_security_values(game, exact=False)
    for p in (0, 1):
        U = own_payoffs(game, p)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zero_sum = nashpy.Game(U, -U)
            # support_enumeration occasionally misses an equilibrium through rounding.
            eqs = list(zero_sum.support_enumeration()) or list(zero_sum.vertex_enumeration())
        assert eqs, "a non-degenerate zero-sum game has an equilibrium"
        for x, y in eqs:
            assert float(x @ U @ y) == pytest.approx(s.values[p], abs=1e-7)
        assert s.maxmin[p] == pytest.approx(s.minmax[p], abs=1e-7)


@settings(max_examples=20)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 6))
def test_exact_mode_on_larger_random_games(seed, m, n):
    rng = np.random.default_rng(seed)
    A = rng.integers(-9, 10, (m, n))
    game = StageGame.from_payoffs(A, -A)
    s = mixed_security_values(game)
    assert s.values[0] == -s.values[1]  # zero-sum: the two values are opposite
    for p in (0, 1):
        U = own_exact_payoffs(game, p)
        assert certificate(U, s.maxmin_strategies[p], s.minmax_strategies[p]) == (
            s.values[p],
            s.values[p],
        )
