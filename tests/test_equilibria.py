"""Extreme equilibria: closed forms, an exact brute-force reference, nashpy, invariances."""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import nashpy
import numpy as np
import pytest
from game_strategies import int_matrices
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_equilibria import reference_extreme_equilibria

from negotiation.games.certify import exact_regret
from negotiation.games.extreme_equilibria import equilibria_batch, extreme_equilibria
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame


def as_set(eqset):
    return {(e.row, e.col) for e in eqset}


def int_games(max_moves: int, lo: int = -2, hi: int = 2):
    """Small integer games as matrices: few distinct values, so ties are common."""
    return int_matrices(max_moves, lo, hi)


# ---------------------------------------------------------------- closed forms


def test_chicken_mixed_equilibrium_is_exact():
    # Chicken with prevail g=1, concede -1, crash -10 measured from mutual back-down
    # (Snyder 1971): escalation probability q* = g / (g + c - s) = 1 / (1 + 10 - 1) = 1/10.
    g = StageGame.from_payoffs([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    eqs = extreme_equilibria(g)
    assert [e.kind for e in eqs] == ["pure", "pure", "mixed"]
    mixed = eqs.equilibria[2]
    assert mixed.row == (F(9, 10), F(1, 10)) and mixed.col == (F(9, 10), F(1, 10))
    assert mixed.payoffs == (F(-1, 10), F(-1, 10))
    assert not eqs.degenerate


def test_battle_of_the_sexes():
    # Battle of the Sexes (Luce & Raiffa 1957) with payoffs (2,1)/(1,2): mix (2/3, 1/3).
    g = StageGame.from_payoffs([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    eqs = extreme_equilibria(g)
    assert {(e.row_support, e.col_support) for e in eqs.pure} == {((0,), (0,)), ((1,), (1,))}
    (mixed,) = [e for e in eqs if e.kind == "mixed"]
    assert mixed.row == (F(2, 3), F(1, 3))
    assert mixed.col == (F(1, 3), F(2, 3))
    assert mixed.payoffs == (F(2, 3), F(2, 3))


def test_matching_pennies():
    g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    eqs = extreme_equilibria(g)
    assert as_set(eqs) == {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}
    assert eqs.equilibria[0].payoffs == (0, 0)


def test_prisoners_dilemma_has_one_pure_equilibrium():
    # PD (T, R, P, S) = (5, 3, 1, 0), actions (C, D): A = [[R, S], [T, P]].
    g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    eqs = extreme_equilibria(g)
    assert as_set(eqs) == {((0, 1), (0, 1))}
    assert pure_equilibria(g) == ((1, 1),)


def test_rock_paper_scissors_uniform():
    A = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    g = StageGame.from_payoffs(A, [[-v for v in r] for r in A])
    (e,) = extreme_equilibria(g)
    assert e.row == e.col == (F(1, 3),) * 3


def test_degenerate_game_with_a_segment_of_equilibria():
    # The row player's first move is a best response to everything; the column player is
    # indifferent against it, so {row 0} x (every column mixture) is one component.
    g = StageGame.from_payoffs([[1, 1], [0, 1]], [[1, 1], [1, 0]])
    eqs = extreme_equilibria(g)
    assert eqs.degenerate
    assert as_set(eqs) == {((1, 0), (1, 0)), ((1, 0), (0, 1))}
    assert len(eqs.components) == 1
    (subset,) = eqs.nash_subsets
    assert len(subset.rows) == 1 and len(subset.cols) == 2


def test_nashpy_misses_an_equilibrium_we_find():
    # A degenerate 3x3 game (integer payoffs with ties) found by seeded search: nashpy's
    # support enumeration reports fewer extreme equilibria than exist.
    rng = np.random.default_rng(3)
    for _ in range(500):
        A = rng.integers(0, 3, (3, 3))
        B = rng.integers(0, 3, (3, 3))
        ref, _ = reference_extreme_equilibria(A.tolist(), B.tolist())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = list(nashpy.Game(A, B).support_enumeration())
        if len(theirs) < len(ref):
            break
    else:  # pragma: no cover
        pytest.fail("no example found")
    ours = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert as_set(ours) == ref
    assert ours.degenerate


# ------------------------------------------------------- the exact reference


@given(int_games(4))
def test_matches_exact_reference_small(game):
    A, B = game
    ref, degenerate = reference_extreme_equilibria(A, B)
    ours = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert as_set(ours) == ref
    assert ours.degenerate == degenerate
    EA, EB = StageGame.from_payoffs(A, B).require_exact()
    for e in ours:
        assert exact_regret(EA, EB, e.row, e.col)[0] == 0


@settings(max_examples=8)
@given(int_games(8, -1, 1))
def test_matches_exact_reference_up_to_8x8(game):
    A, B = game
    ref, degenerate = reference_extreme_equilibria(A, B)
    ours = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert as_set(ours) == ref
    assert ours.degenerate == degenerate


@settings(max_examples=25)
@given(int_games(6, -20, 20))
def test_matches_exact_reference_wider_values(game):
    A, B = game
    ref, degenerate = reference_extreme_equilibria(A, B)
    ours = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert as_set(ours) == ref
    assert ours.degenerate == degenerate


# ------------------------------------------------------------------ nashpy


@settings(max_examples=20)
@given(st.integers(2, 5), st.integers(2, 5), st.integers(0, 2**32 - 1))
def test_agrees_with_nashpy_on_nondegenerate_games(m, n, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.random((m, n)), rng.random((m, n))
    ours = extreme_equilibria(StageGame.from_payoffs(A, B), exact=False)
    assert not ours.degenerate
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        complete = list(nashpy.Game(A, B).vertex_enumeration())
        by_support = list(nashpy.Game(A, B).support_enumeration())
    assert len(ours) == len(complete)
    # Support enumeration can miss equilibria even here (float == on best responses),
    # but whatever it finds must be among ours.
    for x, y in complete + by_support:
        assert any(
            np.allclose(x, e.row, atol=1e-7) and np.allclose(y, e.col, atol=1e-7) for e in ours
        )


def test_nashpy_support_enumeration_misses_one_in_a_random_float_game():
    # Seeded 6x6 uniform game, non-degenerate: nashpy's support_enumeration returns 2 of
    # the 3 extreme equilibria (and warns "degenerate"); vertex enumeration, our float and
    # our exact solver all find 3.
    rng = np.random.default_rng(133)
    A, B = rng.random((6, 6)), rng.random((6, 6))
    g = StageGame.from_payoffs(A, B)
    assert len(extreme_equilibria(g)) == len(extreme_equilibria(g, exact=False)) == 3
    assert not extreme_equilibria(g).degenerate
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert len(list(nashpy.Game(A, B).support_enumeration())) == 2


# ------------------------------------------------------------- invariances


@settings(max_examples=30)
@given(int_games(4, -3, 3), st.randoms(use_true_random=False))
def test_invariant_under_move_permutation(game, rnd):
    A, B = np.array(game[0]), np.array(game[1])
    m, n = A.shape
    pr, pc = list(range(m)), list(range(n))
    rnd.shuffle(pr)
    rnd.shuffle(pc)
    base = as_set(extreme_equilibria(StageGame.from_payoffs(A, B)))
    perm = extreme_equilibria(StageGame.from_payoffs(A[pr][:, pc], B[pr][:, pc]))
    back = {
        (tuple(x[pr.index(i)] for i in range(m)), tuple(y[pc.index(j)] for j in range(n)))
        for x, y in as_set(perm)
    }
    assert back == base


@settings(max_examples=30)
@given(int_games(4, -3, 3), st.fractions(F(1, 10), 10), st.fractions(-5, 5))
def test_invariant_under_affine_rescaling_and_player_swap(game, a, b):
    A, B = game
    g = StageGame.from_payoffs(A, B)
    base = as_set(extreme_equilibria(g))
    scaled = StageGame.from_payoffs([[a * v + b for v in r] for r in A], B)
    assert as_set(extreme_equilibria(scaled)) == base
    swapped = extreme_equilibria(g.swap_players())
    assert {(y, x) for x, y in as_set(swapped)} == base


# ------------------------------------------------------------------- batch


@settings(max_examples=20)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_batch_equals_single_game_solver(m, n, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(-2, 3, (12, m, n)).astype(float)
    B = rng.integers(-2, 3, (12, m, n)).astype(float)
    batch = equilibria_batch(A, B)
    for g in range(12):
        single = extreme_equilibria(StageGame.from_payoffs(A[g], B[g]))
        got = sorted((tuple(np.round(x, 9)), tuple(np.round(y, 9))) for x, y in batch.for_game(g))
        want = sorted(
            (
                tuple(np.round(np.array(e.row, float), 9)),
                tuple(np.round(np.array(e.col, float), 9)),
            )
            for e in single
        )
        assert got == want
        assert bool(batch.degenerate[g]) == single.degenerate


def test_float_mode_on_irrational_payoffs():
    g = StageGame.from_payoffs([[np.sqrt(2), 0], [0, 1]], [[1, 0], [0, np.sqrt(2)]], exact=False)
    eqs = extreme_equilibria(g)
    assert not eqs.exact and len(eqs) == 3
    mixed = eqs.equilibria[2]
    assert mixed.row[0] == pytest.approx(np.sqrt(2) / (1 + np.sqrt(2)))
    assert all(e.regret < 1e-9 for e in eqs)
