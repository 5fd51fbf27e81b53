"""Complete enumeration beyond 12 moves: the proved vertex search against exact references.

The vertex search (negotiation.games.vertex_search) proposes bases in floating point and
proves each one, falling back to exact lexicographic pivoting where it cannot; these
tests compare it with the exact lexicographic search alone, with the independent brute
force of tests/reference_equilibria.py, and with nashpy, on games full of ties.
"""

from __future__ import annotations

from fractions import Fraction

import nashpy
import numpy as np
import pytest
from game_strategies import int_matrices
from hypothesis import example, given
from hypothesis import strategies as st
from reference_equilibria import _vertices, reference_extreme_equilibria

from negotiation.errors import GameError
from negotiation.games.enumeration_limits import (
    MAX_ENUMERATION_LABELS,
    check_enumeration_size,
    estimated_vertices,
)
from negotiation.games.extreme_equilibria import equilibria_batch, extreme_equilibria
from negotiation.games.lex_search import exact_vertices
from negotiation.games.rational import normalised_exact
from negotiation.games.stage_game import StageGame
from negotiation.games.vertex_search import polytope_vertices

F = Fraction


def _exact(M) -> tuple[tuple[Fraction, ...], ...]:
    return normalised_exact([[F(int(v)) for v in row] for row in M])


@given(int_matrices(max_moves=5, lo=0, hi=3))
def test_vertex_search_finds_the_brute_force_vertices(mats) -> None:
    for M in mats:  # ties everywhere: many degenerate vertices
        N = _exact(M)
        ref = {x: sum(1 << k for k in labs) for x, labs in _vertices([list(r) for r in N]).items()}
        found = polytope_vertices(N)
        assert sorted(found.labels.tolist()) == sorted(ref.values())
        assert sorted(v.labels for v in exact_vertices(N)) == sorted(ref.values())
        assert found.simple == all(bin(k).count("1") == len(N) for k in ref.values())


@given(int_matrices(max_moves=4, lo=-2, hi=2))
def test_equilibria_equal_the_exact_brute_force(mats) -> None:
    A, B = mats
    ref, degenerate = reference_extreme_equilibria(A, B)
    got = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert {(e.row, e.col) for e in got} == ref
    assert got.degenerate == degenerate
    assert all(e.regret == 0 for e in got)


def _float_regret(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return float(max((A @ y).max() - x @ A @ y, (x @ B).max() - x @ B @ y))


@given(st.integers(0, 2**32 - 1), st.integers(2, 5))
@example(seed=536870911, n=5)  # nashpy adds two near-equilibria (regret 1.3e-7, 8.7e-7)
def test_nondegenerate_games_match_nashpy(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    A, B = rng.random((n, n)), rng.random((n, n))  # non-degenerate with probability 1
    got = extreme_equilibria(StageGame.from_payoffs(A, B, exact=False))
    ref = [(np.asarray(x), np.asarray(y)) for x, y in nashpy.Game(A, B).vertex_enumeration()]
    assert not got.degenerate
    # Every equilibrium of ours is one of nashpy's. nashpy's float vertex enumeration can
    # also return profiles of a nearly degenerate game that are not equilibria (a best
    # response left out of the support by rounding); every profile of nashpy's that is
    # not one of ours must fail the regret check by far more than rounding.
    for e in got:
        assert any(np.allclose(x, e.row) and np.allclose(y, e.col) for x, y in ref)
    for x, y in ref:
        ours = any(np.allclose(x, e.row) and np.allclose(y, e.col) for e in got)
        assert ours or _float_regret(A, B, x, y) > 1e-9


def test_games_beyond_twelve_moves_are_solved_and_certified() -> None:
    rng = np.random.default_rng(2025)
    A, B = rng.integers(-50, 50, (16, 5)), rng.integers(-50, 50, (16, 5))
    got = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert len(got) >= 1 and all(e.regret == 0 and e.exact for e in got)
    # The float mode runs the same exact search on the float values: the same set.
    flt = extreme_equilibria(StageGame.from_payoffs(A, B, exact=False))
    assert len(flt) == len(got)


def test_a_degenerate_grid_game_keeps_its_components() -> None:
    # Two players choosing levels 0..14 with a tie between neighbouring best responses:
    # payoffs -(t_i - t_j / 2 - 3.5)**2 give each player two best responses to some levels.
    levels = range(15)
    A = [[-((i - j / 2 - 3.5) ** 2) for j in levels] for i in levels]
    B = [[-((j - i / 2 - 3.5) ** 2) for j in levels] for i in levels]
    game = StageGame.from_payoffs(
        [[F(v).limit_denominator(8) for v in r] for r in A],
        [[F(v).limit_denominator(8) for v in r] for r in B],
    )
    got = extreme_equilibria(game)
    assert got.degenerate
    assert all(e.regret == 0 for e in got)
    for e in got:  # every extreme equilibrium is certified
        assert e.row_support and e.col_support
    assert len(got.components) >= 1


def test_batch_solver_takes_large_shapes_game_by_game() -> None:
    rng = np.random.default_rng(7)
    A, B = rng.random((3, 9, 9)), rng.random((3, 9, 9))
    # games 3 and 4 repeat games 1 and 0 (searched once): each still has its own rows
    A, B = np.concatenate([A, A[[1, 0]]]), np.concatenate([B, B[[1, 0]]])
    batch = equilibria_batch(A, B)
    for g in range(3):
        single = extreme_equilibria(StageGame.from_payoffs(A[g], B[g], exact=False))
        assert (batch.game == g).sum() == len(single)
    for g, same in ((3, 1), (4, 0)):
        assert np.array_equal(batch.row[batch.game == g], batch.row[batch.game == same])
        assert np.array_equal(batch.col[batch.game == g], batch.col[batch.game == same])
        assert batch.degenerate[g] == batch.degenerate[same]
    assert np.array_equal(np.sort(batch.game), batch.game)
    assert (batch.regret <= 1e-9).all()


def test_too_large_for_enumeration_is_refused_before_work() -> None:
    half = MAX_ENUMERATION_LABELS // 2 + 1
    game = StageGame.from_payoffs(np.zeros((half, half)) + np.eye(half), np.eye(half))
    with pytest.raises(GameError, match="lemke-howson"):
        extreme_equilibria(game)
    with pytest.raises(GameError, match="too large for complete enumeration"):
        check_enumeration_size(half, half, "solve")
    assert estimated_vertices(20, 20) > estimated_vertices(12, 12)


def test_vertex_budget_gives_a_clear_error() -> None:
    rng = np.random.default_rng(3)
    game = StageGame.from_payoffs(rng.integers(0, 100, (8, 8)), rng.integers(0, 100, (8, 8)))
    with pytest.raises(GameError, match="more than 10 vertices"):
        extreme_equilibria(game, max_vertices=10)


@given(st.integers(0, 2**32 - 1), st.integers(1, 8), st.integers(1, 8))
def test_support_block_inverse_equals_the_full_inverse(seed: int, d: int, e: int) -> None:
    from negotiation.games.vertex_search import _Geometry

    rng = np.random.default_rng(seed)
    geo = _Geometry(1 + rng.random((d, e)))
    L = np.sort(np.array([rng.choice(d + e, d, replace=False) for _ in range(300)]), axis=1)
    GL = geo.G[L]
    R = geo.inverse(L)
    regular = np.abs(np.linalg.det(GL)) > 1e-6
    assert np.allclose(R[regular] @ GL[regular], np.eye(d), atol=1e-6)


def test_simple_vertices_are_their_own_bases_exactly() -> None:
    from negotiation.games.lex_search import ExactPolytope

    rng = np.random.default_rng(11)
    N = _exact(rng.integers(-50, 50, (7, 6)))
    found = polytope_vertices(N)
    poly = ExactPolytope(N)
    for k in range(found.labels.size):
        if k in found.exact:
            continue
        coords, labels = poly.vertex(found.basis(k))
        assert labels == int(found.labels[k]) and bin(labels).count("1") == 7
        assert min(coords) >= 0


@given(int_matrices(max_moves=4, lo=-3, hi=3), st.integers(0, 2**32 - 1))
def test_batched_certificates_equal_the_fraction_ones(mats, seed: int) -> None:
    from negotiation.games.certify import exact_regret, exact_regrets

    A, B = ([[F(int(v)) for v in row] for row in M] for M in mats)
    rng = np.random.default_rng(seed)
    m, n = len(A), len(A[0])
    profiles = []
    for _ in range(3):
        x, y = rng.integers(0, 4, m) + np.eye(m)[0], rng.integers(0, 4, n) + np.eye(n)[0]
        profiles.append(
            ([F(int(v), int(x.sum())) for v in x], [F(int(v), int(y.sum())) for v in y])
        )
    assert exact_regrets(A, B, profiles) == [exact_regret(A, B, x, y) for x, y in profiles]
