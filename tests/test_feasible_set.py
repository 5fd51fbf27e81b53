"""The feasible and individually rational payoff sets (exact vertices)."""

from __future__ import annotations

from fractions import Fraction

from game_strategies import int_games
from hypothesis import given, settings

from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.repeated.feasible_set import feasible_set, stage_payoff_points
from negotiation.repeated.polygon import contains, hausdorff, hull

F = Fraction

# The Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0) (Axelrod 1984).
PD = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
# Matching Pennies (von Neumann & Morgenstern 1944).
MP = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])


def test_prisoners_dilemma_closed_form():
    """By hand: F = conv{(3,3), (0,5), (5,0), (1,1)}; both minmax values are P = 1 (the
    punisher defects, the best reply earns P); the edge from (0,5) to (3,3) is
    v2 = 5 - 2 v1 / 3, which meets v1 = 1 at v2 = 13/3 (and symmetrically)."""
    f = feasible_set(PD)
    assert set(f.feasible) == {(F(3), F(3)), (F(0), F(5)), (F(5), F(0)), (F(1), F(1))}
    assert f.minmax == (1, 1) and f.pure_minmax == (1, 1)
    assert set(f.individually_rational) == {(1, 1), (F(13, 3), 1), (3, 3), (1, F(13, 3))}
    assert f.to_dict()["individually_rational"][1] == ["13/3", "1"]


def test_matching_pennies_pure_and_mixed_minmax_differ():
    """Mixed minmax 0 (mixing 1/2-1/2), pure minmax 1: F is the segment between (1,-1)
    and (-1,1), so the mixed IR set is the point (0,0) and the pure one is empty."""
    f = feasible_set(MP)
    assert f.minmax == (0, 0) and f.pure_minmax == (1, 1)
    assert f.individually_rational == ((0, 0),)
    assert f.pure_individually_rational == ()
    assert len(f.feasible) == 2


@settings(max_examples=40)
@given(int_games(max_moves=3))
def test_sets_are_consistent(game):
    f = feasible_set(game)
    pts = stage_payoff_points(game, True)
    assert all(contains(f.feasible, p) for p in pts)
    assert set(f.feasible) <= set(pts)
    for poly, floor in (
        (f.individually_rational, f.minmax),
        (f.pure_individually_rational, f.pure_minmax),
    ):
        for v in poly:
            assert contains(f.feasible, v) and v[0] >= floor[0] and v[1] >= floor[1]
    # every pure equilibrium payoff is individually rational (pure and mixed)
    for i, j in pure_equilibria(game):
        u = (game.require_exact()[0][i][j], game.require_exact()[1][i][j])
        assert contains(f.pure_individually_rational, u)
        assert contains(f.individually_rational, u)
    # the float computation agrees with the exact one
    g = feasible_set(game, exact=False)
    assert hausdorff(g.feasible, f.feasible) < 1e-9
    if f.individually_rational:
        assert hausdorff(g.individually_rational, f.individually_rational) < 1e-6


def test_hull_handles_degenerate_sets():
    assert hull([(F(1), F(2))] * 3) == ((1, 2),)
    assert hull([(0, 0), (1, 1), (2, 2)]) == ((0, 0), (2, 2))
