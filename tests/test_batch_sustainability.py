"""The batched float sustainability engine against the exact one, game by game."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from game_strategies import int_matrices
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from negotiation.errors import GameError
from negotiation.games.stage_game import StageGame
from negotiation.numbers import to_float
from negotiation.repeated.batch import batch_sustainability, condition_maps
from negotiation.repeated.library import build_strategy, context_for, strategy_names
from negotiation.repeated.sustainability import sustainability

# optimal_penal_code is a search over the game (it needs a stage equilibrium or a stick
# to punish with, and ignores the punishment asked for): tests/test_penal_codes.py.
NAMES = [
    n for n in strategy_names() if n not in ("generous_tit_for_tat", "optimal_penal_code")
] + ["generous_tit_for_tat(q=1/3)"]


def _build(name, game, player, target, punishment):
    base, _, args = name.partition("(")
    kwargs = {}
    if args:
        key, _, value = args.rstrip(")").partition("=")
        kwargs[key] = Fraction(value)
    return build_strategy(base, context_for(game, player, target, punishment=punishment), **kwargs)


def _close(x, exact):
    if exact is None:
        return np.isnan(x)
    # to_float locates a CRootOf with flint's certified balls: sympy's own float() of
    # the degree-21 root of k_period_punishment(k=20) takes 6-17 s
    return abs(x - to_float(exact)) < 1e-7


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    matrices=int_matrices(max_moves=3, lo=-3, hi=3),
    data=st.data(),
    punishment=st.sampled_from(["nash", "minmax"]),
    delta=st.fractions(0, 1).filter(lambda d: d < 1),
)
def test_batch_matches_exact_analysis(matrices, data, punishment, delta):
    A, B = matrices
    game = StageGame.from_payoffs(A, B)
    m, n = game.shape
    assume(m > 1 or n > 1)
    target = (data.draw(st.integers(0, m - 1)), data.draw(st.integers(0, n - 1)))
    r_name, c_name = data.draw(st.sampled_from(NAMES)), data.draw(st.sampled_from(NAMES))
    try:
        row = _build(r_name, game, 0, target, punishment)
        col = _build(c_name, game, 1, target, punishment)
    except GameError:
        assume(False)
    exact = sustainability(game, row, col, target)
    spe, margin = exact.at_discount(delta)
    res = batch_sustainability(
        condition_maps(row, col, target), game.A[None], game.B[None], [delta]
    )
    assert _close(res.critical[0], exact.critical_discount)
    for i in (0, 1):
        assert _close(res.player_critical[0, i], exact.player_critical[i])
    # Where the float engine cannot decide it says so (sweeps then decide exactly).
    assert res.uncertain[0] or bool(res.spe[0]) == spe
    # Relative too: near δ = 1 the margin is N(δ)/D(δ) with D(δ) small.
    assert res.margin[0] == pytest.approx(float(margin), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(
    ("matrices", "delta"),
    [
        (([[0, 0]], [[0, 1]]), Fraction(8137915029, 8181605696)),
        (([[0, 0]], [[0, 0]]), Fraction(49089701063, 49089701064)),
    ],
)
def test_discount_next_to_one(matrices, delta):
    """Found by hypothesis: at δ within 1e-10 of 1, D(δ) rounds to (nearly) 0; a zero
    gain must stay 0 (SPE holds), and the margin stays accurate relative to its size."""
    game = StageGame.from_payoffs(*matrices)
    row = _build("grim_trigger", game, 0, (0, 0), "nash")
    col = _build("grim_trigger", game, 1, (0, 0), "nash")
    spe, margin = sustainability(game, row, col, (0, 0)).at_discount(delta)
    res = batch_sustainability(
        condition_maps(row, col, (0, 0)), game.A[None], game.B[None], [delta]
    )
    assert res.uncertain[0] or bool(res.spe[0]) == spe
    assert res.margin[0] == pytest.approx(float(margin), rel=1e-9, abs=1e-9)


def test_a_stack_of_games_mixes_polynomial_degrees():
    # Tit-for-two-tats in PDs with different temptations: some conditions vanish.
    games = [
        StageGame.from_payoffs([[3, 0], [t, 1]], [[3, t], [0, 1]])
        for t in (3, Fraction(7, 2), 5, 9, 30)
    ]
    A = np.stack([g.A for g in games])
    B = np.stack([g.B for g in games])
    for name in ("tit_for_two_tats", "k_period_punishment", "win_stay_lose_shift"):
        row, col = (build_strategy(name, context_for(games[0], p, (0, 0))) for p in (0, 1))
        res = batch_sustainability(condition_maps(row, col, (0, 0)), A, B, 0.8)
        for k, g in enumerate(games):
            exact = sustainability(g, row, col, (0, 0))
            assert _close(res.critical[k], exact.critical_discount), (name, k)
            assert bool(res.spe[k]) == exact.at_discount(Fraction(4, 5))[0]


@pytest.mark.parametrize(
    ("A", "B", "name", "delta"),
    [
        # Found by hypothesis on a fresh clone (issue "One exact, fast core"): the
        # batched engine said SPE where the exact one says not ...
        ([[0, 0, 0], [0, 0, 0]], [[0, 0, 1], [0, 0, 0]], "grim_trigger", Fraction(5000, 5001)),
        # ... and a margin of -264.99999957 against the exact -265.
        ([[0, 0], [0, 0]], [[0, 0], [0, 1]], "tit_for_tat", Fraction(264, 265)),
    ],
)
def test_fresh_clone_disagreements(A, B, name, delta):
    game = StageGame.from_payoffs(A, B)
    m, n = game.shape
    for target in [(i, j) for i in range(m) for j in range(n)]:
        for punishment in ("nash", "minmax"):
            try:
                row = _build(name, game, 0, target, punishment)
                col = _build(name, game, 1, target, punishment)
            except GameError:
                continue
            spe, margin = sustainability(game, row, col, target).at_discount(delta)
            res = batch_sustainability(
                condition_maps(row, col, target), game.A[None], game.B[None], [delta]
            )
            # Where the float engine is sure it must be right; where it is not, it
            # says so (and sweeps decide those points exactly).
            assert res.uncertain[0] or bool(res.spe[0]) == spe, (target, punishment)
            assert res.margin[0] == pytest.approx(float(margin), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("k", [2, 6, 20])
@pytest.mark.parametrize("gap", [Fraction(1, 10**9), Fraction(1, 10**6), Fraction(1, 7)])
def test_long_punishments_next_to_one(k, gap):
    """Automata of up to 21 states per player, δ up to 1 - 1e-9."""
    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    row, col = (
        build_strategy("k_period_punishment", context_for(pd, p, (0, 0)), k=k) for p in (0, 1)
    )
    delta = 1 - gap
    exact = sustainability(pd, row, col, (0, 0))
    spe, margin = exact.at_discount(delta)
    res = batch_sustainability(condition_maps(row, col, (0, 0)), pd.A[None], pd.B[None], [delta])
    assert _close(res.critical[0], exact.critical_discount)
    assert res.uncertain[0] or bool(res.spe[0]) == spe
    assert res.margin[0] == pytest.approx(float(margin), rel=1e-9, abs=1e-9)
