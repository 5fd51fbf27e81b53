"""Equilibrium selection: risk and payoff dominance (Harsanyi & Selten 1988) and the
stochastically stable states of best reply with mistakes (Kandori, Mailath & Rob 1993;
Young 1993), against closed forms derived by hand and brute force."""

from __future__ import annotations

from fractions import Fraction
from itertools import product

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.selection import (
    equilibrium_selection,
    payoff_dominates,
    risk_dominance,
    strict_equilibria,
)
from negotiation.games.stage_game import StageGame
from negotiation.games.stochastic_stability import (
    is_symmetric,
    min_in_tree_cost,
    state_count,
    stochastic_stability,
)
from negotiation.limits import MAX_CHAIN_STATES, MAX_POPULATION

F = Fraction
small = st.integers(-6, 6)


def stag_hunt(a, b, c, d):
    """Symmetric 2x2 coordination game: A = [[a, b], [c, d]] with a > c and d > b."""
    return StageGame.from_payoffs(
        [[a, b], [c, d]], [[a, c], [b, d]], row_moves=["S", "H"], col_moves=["S", "H"]
    )


# --------------------------------------------------------------- risk dominance


def test_stag_hunt_risk_dominant_equilibrium_by_hand():
    # Stag 4, hare 3, stag alone 0: losses at (S,S) are 4-3 = 1 each, at (H,H) 3-0 = 3.
    r = risk_dominance(stag_hunt(4, 0, 3, 3), (0, 0), (1, 1))
    assert (r.first_losses, r.second_losses) == ((1, 1), (3, 3))
    assert (r.first_product, r.second_product, r.dominant) == (1, 9, (1, 1))
    assert r.exact and isinstance(r.first_product, Fraction)


@given(small, small, st.integers(1, 8), st.integers(1, 8))
def test_symmetric_risk_dominance_is_the_mixed_share_below_one_half(c, b, gap_s, gap_h):
    # In a symmetric coordination game (S,S) risk-dominates iff the mixed equilibrium's
    # stag share p* = (d - b) / ((a - c) + (d - b)) is below 1/2 (Harsanyi & Selten).
    a, d = c + gap_s, b + gap_h
    p = F(d - b, (a - c) + (d - b))
    r = risk_dominance(stag_hunt(a, b, c, d), (0, 0), (1, 1))
    expected = (0, 0) if p < F(1, 2) else (1, 1) if p > F(1, 2) else None
    assert r.dominant == expected


def test_asymmetric_coordination_game_where_risk_and_payoff_dominance_disagree():
    # Row: A = [[6, 0], [5, 3]], column: B = [[5, 0], [2, 4]] (not symmetric). (L, L)
    # pays (6, 5) > (3, 4): payoff-dominant. Losses: at (L, L) row 6-5 = 1, column
    # 5-0 = 5 (product 5); at (R, R) row 3-0 = 3, column 4-2 = 2 (product 6): (R, R)
    # risk-dominates. In alpha/beta terms: alpha = 3/4 (column's L-share making the row
    # indifferent), beta = 2/7 (row's L-share making the column indifferent), sum > 1.
    g = StageGame.from_payoffs([[6, 0], [5, 3]], [[5, 0], [2, 4]])
    assert not is_symmetric(g)
    s = equilibrium_selection(g)
    assert s.strict == ((0, 0), (1, 1))
    assert (s.risk_dominant, s.payoff_dominant, s.disagree) == ((1, 1), (0, 0), True)
    c = s.comparisons[0]
    assert (c.first_product, c.second_product) == (5, 6)
    alpha, beta = F(3, 4), F(2, 7)
    assert alpha * 6 + (1 - alpha) * 0 == alpha * 5 + (1 - alpha) * 3  # row indifferent
    assert beta * 5 + (1 - beta) * 2 == beta * 0 + (1 - beta) * 4  # column indifferent
    assert alpha + beta > 1


def test_larger_game_compares_pairs_of_strict_equilibria():
    # 3x3 pure coordination with diagonal payoffs 1, 2, 3 and zeros elsewhere: all
    # three are strict, loss products 1, 4, 9; (3rd, 3rd) risk- and payoff-dominates.
    A = [[1, 0, 0], [0, 2, 0], [0, 0, 3]]
    g = StageGame.from_payoffs(A, A)
    s = equilibrium_selection(g)
    assert s.strict == ((0, 0), (1, 1), (2, 2))
    assert [(c.first_product, c.second_product) for c in s.comparisons] == [
        (1, 4),
        (1, 9),
        (4, 9),
    ]
    assert s.risk_dominant == s.payoff_dominant == (2, 2) and not s.disagree


def test_payoff_dominance_needs_both_strictly_better():
    g = StageGame.from_payoffs([[3, 0], [0, 2]], [[2, 0], [0, 1]])
    assert payoff_dominates(g, (0, 0), (1, 1))
    h = StageGame.from_payoffs([[2, 0], [0, 2]], [[2, 0], [0, 2]])
    assert not payoff_dominates(h, (0, 0), (1, 1))
    assert equilibrium_selection(h).payoff_dominant is None


def test_refuses_what_is_not_a_strict_equilibrium():
    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert strict_equilibria(pd) == ((1, 1),)
    with pytest.raises(GameError, match="not a strict pure equilibrium"):
        risk_dominance(pd, (0, 0), (1, 1))
    with pytest.raises(GameError, match="different equilibria"):
        risk_dominance(pd, (1, 1), (1, 1))
    with pytest.raises(GameError, match="needs a StageGame"):
        equilibrium_selection([[1]])


# --------------------------------------------------------- stochastic stability


def brute_in_tree(w, root):
    """Least weight of a tree directed to root, by trying every parent choice."""
    k = len(w)
    others = [x for x in range(k) if x != root]
    best = None
    for parents in product(range(k), repeat=len(others)):
        par = dict(zip(others, parents))
        if any(x == p for x, p in par.items()):
            continue
        ok = True
        for x in others:
            seen, y = set(), x
            while y != root and y not in seen:
                seen.add(y)
                y = par[y]
            ok &= y == root
        if ok:
            cost = sum(w[x][p] for x, p in par.items())
            best = cost if best is None else min(best, cost)
    return best


@given(
    st.integers(1, 5).flatmap(
        lambda k: st.tuples(
            st.just(k),
            st.lists(st.lists(st.integers(0, 9), min_size=k, max_size=k), min_size=k, max_size=k),
            st.integers(0, k - 1),
        )
    )
)
def test_edmonds_matches_brute_force(case):
    _, w, root = case
    assert min_in_tree_cost(w, root) == brute_in_tree(w, root)


def test_stag_hunt_resistances_by_hand():
    # N = 10, one population, each agent against the other 9. A hare player switches
    # to stag once 4 s > 3 * 9, i.e. s >= 7 stag players: leaving hare takes 7
    # mistakes. A stag player stays only while 4 (s - 1) > 27, i.e. s >= 8: three
    # mistakes (s = 7) start the slide to hare.
    s = stochastic_stability(stag_hunt(4, 0, 3, 3), 10)
    assert [(c.label, c.potential) for c in s.classes] == [("(H, H)", 3), ("(S, S)", 7)]
    assert s.resistance == ((0, 7), (3, 0)) and s.stable_profiles == ((1, 1),)
    assert s.single_population and s.states == 11


@given(st.integers(1, 12), st.integers(1, 12))
def test_kmr_selects_the_risk_dominant_equilibrium(gain, safe):
    # Symmetric coordination A = [[gain + safe, 0], [safe, safe]] (stag pays gain +
    # safe with a stag partner, 0 alone; hare pays safe). For a large population the
    # stochastically stable state is the risk-dominant equilibrium (KMR 1993, Thm 3).
    a, c, d = gain + safe, safe, safe
    p = F(d, (a - c) + d)  # mixed equilibrium's stag share
    assume(abs(p - F(1, 2)) >= F(1, 10))
    g = stag_hunt(a, 0, c, d)
    s = stochastic_stability(g, 40)
    assert s.stable_profiles == (risk_dominance(g, (0, 0), (1, 1)).dominant,)


def test_stationary_mass_concentrates_on_the_stable_class():
    g = stag_hunt(4, 0, 3, 3)
    masses = [
        stochastic_stability(g, 6, mistake_rate=F(1, k)).classes[0].mass for k in (10, 100, 1000)
    ]
    assert masses[0] < masses[1] < masses[2] < 1
    assert 1 - masses[2] < F(1, 100)
    # the exact distribution at eps: the two classes' masses never exceed 1
    s = stochastic_stability(g, 6, mistake_rate=F(1, 10))
    assert sum(c.mass for c in s.classes) < 1


def test_two_populations_for_an_asymmetric_game():
    g = StageGame.from_payoffs([[6, 0], [5, 3]], [[5, 0], [2, 4]])
    s = stochastic_stability(g, 6)
    assert not s.single_population and s.states == 49 == state_count(g, 6)
    assert {c.profile for c in s.classes} == {(0, 0), (1, 1)}
    # resistances by hand: leaving (R,R) for (L,L) needs the column population's
    # L-share to reach 3/4 (row indifferent at alpha = 3/4) -> 5 of 6 mistakes, or the
    # row's L-share to reach 2/7 -> 2 of 6; leaving (L,L) needs the row's R share
    # above 5/7 (5 of 6) or the column's R share above 1/4 (2 of 6 makes 1/3).
    assert s.resistance == ((0, 2), (2, 0))
    assert len(s.stable) == 2  # a tie at this population size


def test_shipped_us_china_game_has_one_convention():
    from negotiation.scenario import load_scenario

    g = StageGame.from_scenario(load_scenario("us-china-export-controls-2025"))
    s = stochastic_stability(g, 4)
    assert [c.label for c in s.classes] == ["(hold, hold)"]


@pytest.mark.parametrize(
    ("population", "rate", "message"),
    [
        (1, None, "from 2 to"),
        (MAX_POPULATION + 1, None, "from 2 to"),
        (True, None, "whole number"),
        (2.5, None, "whole number"),
        (5, float("nan"), "mistake rate"),
        (5, 0, "mistake rate"),
        (5, 1.5, "mistake rate"),
        (5, "0.1", "mistake rate"),
    ],
)
def test_bad_settings_are_refused(population, rate, message):
    with pytest.raises(GameError, match=message):
        stochastic_stability(stag_hunt(4, 0, 3, 3), population, mistake_rate=rate)


def test_chain_size_is_checked_before_work():
    g = StageGame.from_payoffs([[0] * 6] * 6, [[1] * 6] * 6)
    assert state_count(g, 30) > MAX_CHAIN_STATES
    with pytest.raises(GameError, match="states; at most"):
        stochastic_stability(g, 30)
    with pytest.raises(GameError, match="exact stationary distribution"):
        stochastic_stability(g, 4, mistake_rate=F(1, 10))
