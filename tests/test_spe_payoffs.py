"""The subgame-perfect payoff set (APS 1990; Abreu & Sannikov 2014; JYC 2003)."""

from __future__ import annotations

import math
import os
from fractions import Fraction

import numpy as np
import pytest
from game_strategies import int_games
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.repeated.feasible_set import feasible_set
from negotiation.repeated.polygon import contains, hausdorff
from negotiation.repeated.spe_payoffs import _profiles, aps_operator, spe_payoffs

F = Fraction
# Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0) (Axelrod 1984).
PD = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])


@pytest.mark.parametrize("delta", [F(1, 2), F(3, 4), F(9, 10)])
def test_pd_whole_individually_rational_set(delta):
    """By hand: for δ >= 1/2 every vertex of F* = conv{(1,1), (13/3,1), (3,3), (1,13/3)}
    is generated from F* itself: (1,1) by (D,D) for ever; (3,3) by (C,C) with
    continuation (3,3), incentive (1-δ)5 + δ·1 <= 3 iff δ >= 1/2; (1,13/3) by (C,D)
    with continuation (1/δ, 5 - 2/(3δ)) on the edge, where player 1's incentive binds
    and 1/δ <= 3. Hence B(F*) = F* and V = F* (APS 1990, theorem 2)."""
    v = spe_payoffs(PD, delta)
    assert v.exact and v.method == "exact fixed point" and v.tolerance is None
    assert v.vertices == feasible_set(PD).individually_rational
    assert v.worst == (1, 1)


def test_pd_single_point():
    """By hand: any profile other than (D,D) needs a continuation spread
    w_i - min w_i >= (1-δ)/δ for some player (e.g. (C,D) for player 1), but SPE payoffs
    lie in [1, 5] (pure minmax 1, largest payoff 5), a spread of at most 4. At δ = 1/10
    (1-δ)/δ = 9 > 4, so V = {(P, P)} = {(1, 1)}."""
    v = spe_payoffs(PD, F(1, 10))
    assert v.exact and v.vertices == ((1, 1),) and v.method == "stage equilibria"
    assert v.to_dict()["vertices"] == [["1", "1"]]


def test_pd_quarter_is_bracketed():
    """By hand: at δ = 1/4 alternating (D,C), (C,D) gives (5/(1+δ), 5δ/(1+δ)) = (4, 1),
    where the column player's incentive binds (v2 = 1 = the deviation value), so the
    triangle conv{(1,1), (4,1), (1,4)} is self-generating; (C,C) would need a spread
    of 2(1-δ)/δ = 6. The iteration converges to it only in the limit: the inner and
    outer approximations bracket it within the stated tolerance."""
    v = spe_payoffs(PD, F(1, 4))
    assert not v.exact and v.tolerance is not None and v.tolerance < 1e-8
    triangle = ((1, 1), (4, 1), (1, 4))
    assert hausdorff(v.vertices, triangle) <= v.tolerance + 1e-12
    assert all(_distance_to(v.vertices, p) <= 1e-9 for p in v.inner)
    assert set(v.inner) == {(1.0, 1.0), (4.0, 1.0), (1.0, 4.0)}


def test_no_pure_equilibrium_no_spe():
    """Matching Pennies has no pure-action SPE at any δ: the set is empty."""
    mp = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    v = spe_payoffs(mp, F(9, 10))
    assert v.empty and v.exact and v.worst == (None, None)


def test_common_delta_given_as_pair_or_mapping():
    a = spe_payoffs(PD, F(1, 2))
    assert spe_payoffs(PD, (F(1, 2), 0.5)).vertices == a.vertices
    assert spe_payoffs(PD, {"1": "1/2", "2": "0.5"}).vertices == a.vertices


def test_unequal_discount_factors():
    """With δ = (9/10, 1/10) the set still contains the stage equilibrium's (1, 1) and
    lies above the pure minmax values; with both at 1/10 it is the single point."""
    v = spe_payoffs(PD, (F(9, 10), F(1, 10)))
    both_low = spe_payoffs(PD, F(1, 10))
    assert contains(v.vertices, (1, 1)) or min(math.dist((1, 1), p) for p in v.vertices) < 1e-9
    assert all(p[0] >= 1 - 1e-9 and p[1] >= 1 - 1e-9 for p in v.vertices)
    assert both_low.vertices == ((1, 1),)


@pytest.mark.parametrize("bad", [F(1), -0.1, float("nan"), "abc", True, {"1": 0.5}])
def test_bad_discounts_refused(bad):
    with pytest.raises(GameError):
        spe_payoffs(PD, bad)


def test_bad_options_refused():
    with pytest.raises(GameError):
        spe_payoffs(PD, 0.5, tolerance=0)
    with pytest.raises(GameError):
        spe_payoffs(PD, 0.5, max_iterations=10**9)


@settings(max_examples=30)
@given(int_games(max_moves=3), st.sampled_from([F(1, 5), F(1, 2), F(4, 5)]))
def test_properties(game, delta):
    """The set contains every pure stage-equilibrium payoff, lies in the pure IR part of
    the feasible set, is a fixed point of the operator when exact, and the inner
    approximation lies inside the outer one."""
    v = spe_payoffs(game, delta)
    f = feasible_set(game)
    EA, EB = game.require_exact()
    slack = 0 if v.exact else 1e-7

    for i, j in pure_equilibria(game):
        assert _distance_to(v.vertices, (EA[i][j], EB[i][j])) <= slack
    for p in v.vertices:
        assert _distance_to(f.pure_individually_rational, p) <= slack
    if v.exact and v.vertices:
        assert aps_operator(v.vertices, _profiles(game, True), (delta, delta))[0] == v.vertices
    for p in v.inner:
        assert _distance_to(v.vertices, p) <= 1e-7


def _distance_to(poly, p):
    if contains(poly, p):
        return 0.0
    if not poly:
        return math.inf
    pts = np.array([[float(x), float(y)] for x, y in poly])
    from negotiation.repeated.polygon import _far

    return _far(np.array([[float(p[0]), float(p[1])]]), pts)


# ------------------------------------------------------------- QuantEcon cross-check


def _quantecon(monkeypatch):
    """QuantEcon's game classes, with its repeated-game kernels run as plain Python: numba
    does not cache them, and compiling them (6-16 s in every run) costs far more than running
    them uncompiled on games this small (0.1 s), with the same results. Switching numba's JIT
    off around the import is not an option: the import compiles QuantEcon's guvectorize
    kernels eagerly, and with the JIT off that compilation fails on a machine with no numba
    cache (a fresh CI image)."""
    try:
        from numba.core.registry import CPUDispatcher
        from quantecon.game_theory import NormalFormGame, RepeatedGame, repeated_game
    except ImportError:  # pragma: no cover - test extra not installed
        if os.environ.get("CI"):  # CI installs the test extra: a missing anchor is a failure
            pytest.fail("quantecon is not installed, though the test extra lists it")
        pytest.skip("quantecon not installed (the test extra has it)")
    for name, value in vars(repeated_game).copy().items():
        if isinstance(value, CPUDispatcher):
            monkeypatch.setattr(repeated_game, name, value.py_func)
    return NormalFormGame, RepeatedGame


# QuantEcon's documented examples (quantecon/game_theory/tests/test_repeated_game.py):
# the 3x3 game of Abreu & Sannikov (2014) at δ = 0.3, and a Prisoner's Dilemma at 0.9.
AS_GAME = [[(16, 9), (3, 13), (0, 3)], [(21, 1), (10, 4), (-1, 0)], [(9, 0), (5, -4), (-5, -15)]]
QE_PD = [[(9, 9), (1, 10)], [(10, 1), (3, 3)]]


@pytest.mark.parametrize(("bimatrix", "delta"), [(AS_GAME, 0.3), (QE_PD, 0.9)])
def test_agrees_with_quantecon_abreu_sannikov(bimatrix, delta, monkeypatch):
    NormalFormGame, RepeatedGame = _quantecon(monkeypatch)
    hull = RepeatedGame(NormalFormGame(bimatrix), delta).equilibrium_payoffs()
    theirs = [tuple(p) for p in hull.points[hull.vertices]]
    A = [[c[0] for c in row] for row in bimatrix]
    B = [[c[1] for c in row] for row in bimatrix]
    ours = spe_payoffs(StageGame.from_payoffs(A, B), F(str(delta)))
    assert hausdorff(ours.vertices, theirs) < 1e-6
    if ours.exact:
        assert hausdorff(ours.vertices, theirs) < 1e-9


def test_quantecon_no_pure_spe_example():
    """QuantEcon's example with no pure-action SPE at δ = 0.05: ours is empty."""
    v = spe_payoffs(StageGame.from_payoffs([[1, -1], [-2, 1]], [[-1, 2], [2, 0]]), F(1, 20))
    assert v.empty
