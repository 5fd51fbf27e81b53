"""Monte Carlo simulation of the repeated game (negotiation.repeated.simulate).

Statistical checks use fixed seeds and tolerances of 3-4 standard errors, so they are
deterministic; the closed forms come from the geometric distribution of the first
tremble (Nowak & Sigmund 1993 noise model) and from the exact Markov chain of
:mod:`negotiation.repeated.noise`.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest

import negotiation.repeated.simulate as simulate_module
from negotiation.errors import GameError
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton, automaton_from_rule
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.simulate import CSV_FIELDS, Simulation, simulate

PD = StageGame.from_payoffs(
    [[3, 0], [5, 1]], [[3, 5], [0, 1]], row_moves=["C", "D"], col_moves=["C", "D"]
)
# A 3x3 game with a pure equilibrium at (2, 2), so every built-in strategy exists.
G3 = StageGame.from_payoffs(
    [[4, 0, 0], [5, 2, 0], [6, 3, 1]],
    [[4, 5, 6], [0, 2, 3], [0, 0, 1]],
    row_moves=["a", "b", "c"],
    col_moves=["a", "b", "c"],
)
EPS = 0.05


def strat(name: str, player: int, game: StageGame = PD, **kwargs: str) -> Automaton:
    return build_strategy(name, context_for(game, player, (0, 0)), **kwargs)


def pair(r: str, c: str, game: StageGame = PD) -> tuple[Automaton, Automaton]:
    return strat(r, 0, game), strat(c, 1, game)


def assert_same(a: Simulation, b: Simulation) -> None:
    assert a.row_moves is not None and b.row_moves is not None
    assert np.array_equal(a.row_moves, b.row_moves)
    assert a.col_moves is not None and b.col_moves is not None
    assert np.array_equal(a.col_moves, b.col_moves)
    assert np.array_equal(a.payoffs, b.payoffs)
    assert np.array_equal(a.round_counts, b.round_counts)


# -- reproducibility --------------------------------------------------------------------


def test_same_seed_gives_identical_arrays() -> None:
    r, c = strat("tit_for_tat", 0), strat("generous_tit_for_tat", 1)
    a = simulate(PD, r, c, rounds=60, runs=300, noise=0.1, seed=123)
    b = simulate(PD, r, c, rounds=60, runs=300, noise=0.1, seed=123)
    assert_same(a, b)


def test_seed_zero_is_a_seed_and_seeds_differ() -> None:
    r, c = pair("win_stay_lose_shift", "tit_for_tat")
    a = simulate(PD, r, c, rounds=50, runs=200, noise=0.1, seed=0)
    assert_same(a, simulate(PD, r, c, rounds=50, runs=200, noise=0.1, seed=0))
    b = simulate(PD, r, c, rounds=50, runs=200, noise=0.1, seed=1)
    assert a.row_moves is not None and b.row_moves is not None
    assert not np.array_equal(a.row_moves, b.row_moves)
    assert a.seed == 0 and b.seed == 1


def test_generator_input_is_used_and_advanced() -> None:
    r, c = pair("tit_for_tat", "generous_tit_for_tat")
    from_int = simulate(PD, r, c, rounds=40, runs=100, noise=0.1, seed=7)
    gen = np.random.default_rng(7)
    from_gen = simulate(PD, r, c, rounds=40, runs=100, noise=0.1, seed=gen)
    assert_same(from_int, from_gen)
    assert from_gen.seed is None
    again = simulate(PD, r, c, rounds=40, runs=100, noise=0.1, seed=gen)
    assert again.row_moves is not None and from_gen.row_moves is not None
    assert not np.array_equal(again.row_moves, from_gen.row_moves)


def test_keep_moves_and_progress_do_not_change_the_draws() -> None:
    r, c = strat("grim_trigger", 0), strat("generous_tit_for_tat", 1)
    kw = {"rounds": 80, "runs": 500, "noise": 0.07, "seed": 11}
    full = simulate(PD, r, c, **kw)
    calls: list[int] = []
    lean = simulate(PD, r, c, keep_moves=False, discounts=[0.9], progress=calls.append, **kw)
    assert lean.row_moves is None and lean.col_moves is None and not lean.moves_kept
    assert np.array_equal(full.payoffs, lean.payoffs)
    assert np.array_equal(full.round_counts, lean.round_counts)
    assert np.array_equal(full.run_counts, lean.run_counts)
    assert full.summary((0, 0)) == lean.summary((0, 0))
    assert np.allclose(full.discounted(0.9), lean.discounted(0.9), rtol=0, atol=1e-12)
    assert calls == list(range(1, 81))
    with pytest.raises(GameError, match="not kept"):
        lean.discounted(0.5)


# -- deterministic paths ----------------------------------------------------------------


def test_tft_against_suspicious_tft_alternates() -> None:
    sim = simulate(PD, *pair("tit_for_tat", "suspicious_tit_for_tat"), rounds=9, runs=3)
    t = np.arange(9)
    assert sim.row_moves is not None and sim.col_moves is not None
    assert (sim.row_moves == t % 2).all()
    assert (sim.col_moves == (t + 1) % 2).all()
    # (C, D) in the five even rounds, (D, C) in the four odd ones
    assert sim.payoffs.tolist() == [[20 / 9, 25 / 9]] * 3


@pytest.mark.parametrize(
    ("row", "col", "row_path", "col_path"),
    [
        ("grim_trigger", "always_D", "CDDDDD", "DDDDDD"),
        ("win_stay_lose_shift", "always_D", "CDCDCD", "DDDDDD"),
        ("tit_for_two_tats", "always_D", "CCDDDD", "DDDDDD"),
        ("k_period_punishment", "always_C", "CCCCCC", "CCCCCC"),
        ("always_D", "tit_for_tat", "DDDDDD", "CDDDDD"),
        ("suspicious_tit_for_tat", "win_stay_lose_shift", "DCDDCD", "CDDCDD"),
    ],
)
def test_deterministic_paths(row: str, col: str, row_path: str, col_path: str) -> None:
    sim = simulate(PD, *pair(row, col), rounds=6, runs=4, seed=5)
    assert sim.row_moves is not None and sim.col_moves is not None
    for moves, path in ((sim.row_moves, row_path), (sim.col_moves, col_path)):
        expected = np.array([PD.row_moves.index(x) for x in path])
        assert (moves == expected).all()


def _reference_path(row: Automaton, col: Automaton, rounds: int) -> tuple[list[int], list[int]]:
    """A plain Python loop over a deterministic profile, for comparison."""
    s1, s2, ra, ca = row.start, col.start, [], []
    for _ in range(rounds):
        a, b = row.play[s1], col.play[s2]
        ra.append(a)
        ca.append(b)
        s1, s2 = row.step(s1, a, b)[0][0], col.step(s2, b, a)[0][0]
    return ra, ca


DETERMINISTIC = [
    "grim_trigger",
    "k_period_punishment",
    "tit_for_tat",
    "suspicious_tit_for_tat",
    "tit_for_two_tats",
    "win_stay_lose_shift",
    "contrite_tit_for_tat",
    "stick_and_carrot",
    "always_a",
    "always_c",
]


@pytest.mark.parametrize("row", DETERMINISTIC)
def test_noiseless_paths_match_a_python_loop_in_a_3x3_game(row: str) -> None:
    for col in DETERMINISTIC:
        r, c = strat(row, 0, G3), strat(col, 1, G3)
        sim = simulate(G3, r, c, rounds=12, runs=2, seed=0)
        ra, ca = _reference_path(r, c, 12)
        assert sim.row_moves is not None and sim.col_moves is not None
        assert sim.row_moves.tolist() == [ra, ra], (row, col)
        assert sim.col_moves.tolist() == [ca, ca], (row, col)


def test_asymmetric_move_counts() -> None:
    g = StageGame.from_payoffs(
        [[1, 2, 3], [4, 5, 6]], [[6, 5, 4], [3, 2, 1]], row_moves=["x", "y"]
    )
    ctx_r, ctx_c = context_for(g, 0, (0, 0)), context_for(g, 1, (0, 0))
    r, c = build_strategy("always_y", ctx_r), build_strategy("always_3", ctx_c)
    sim = simulate(g, r, c, rounds=5, runs=3, seed=0)
    assert sim.payoffs.tolist() == [[6.0, 1.0]] * 3
    assert sim.profile_shares().shape == (5, 2, 3)
    noisy = simulate(g, r, c, rounds=400, runs=500, noise=0.3, seed=2)
    assert noisy.col_moves is not None
    other = np.bincount(noisy.col_moves.ravel(), minlength=3)[:2] / noisy.col_moves.size
    assert other == pytest.approx([0.15, 0.15], abs=0.003)


# -- trembles and stochastic transitions ---------------------------------------------------


def _within_sigmas(hits: int, trials: int, p: float, sigmas: float = 4.0) -> bool:
    return abs(hits - trials * p) <= sigmas * math.sqrt(trials * p * (1 - p))


@pytest.mark.parametrize("noise", [0.01, 0.05, 0.3])
def test_trembles_happen_at_rate_noise(noise: float) -> None:
    sim = simulate(PD, *pair("always_C", "always_D"), rounds=100, runs=1000, noise=noise, seed=3)
    assert sim.row_moves is not None and sim.col_moves is not None
    trials = sim.row_moves.size
    assert _within_sigmas(int((sim.row_moves == 1).sum()), trials, noise)
    assert _within_sigmas(int((sim.col_moves == 0).sum()), trials, noise)
    # independent across players: both tremble together at rate noise**2
    both = int(((sim.row_moves == 1) & (sim.col_moves == 0)).sum())
    assert _within_sigmas(both, trials, noise**2)


def test_trembles_pick_a_uniform_other_move() -> None:
    r, c = strat("always_b", 0, G3), strat("always_b", 1, G3)
    sim = simulate(G3, r, c, rounds=100, runs=1000, noise=0.3, seed=4)
    assert sim.row_moves is not None
    counts = np.bincount(sim.row_moves.ravel(), minlength=3)
    for move, p in ((0, 0.15), (1, 0.7), (2, 0.15)):
        assert _within_sigmas(int(counts[move]), sim.row_moves.size, p)


def test_noise_one_always_trembles_and_one_move_never_does() -> None:
    sim = simulate(PD, *pair("always_C", "always_C"), rounds=5, runs=10, noise=1.0, seed=0)
    assert sim.row_moves is not None and (sim.row_moves == 1).all()
    g = StageGame.from_payoffs([[1, 2]], [[0, 1]])
    ctx_r, ctx_c = context_for(g, 0, (0, 1)), context_for(g, 1, (0, 1))
    solo = simulate(
        g,
        build_strategy("always_1", ctx_r),
        build_strategy("always_2", ctx_c),
        rounds=50,
        runs=50,
        noise=0.5,
        seed=0,
    )
    assert solo.row_moves is not None and (solo.row_moves == 0).all()
    assert solo.col_moves is not None and 0.4 < (solo.col_moves == 0).mean() < 0.6


def test_generous_tft_forgives_at_rate_q() -> None:
    q = Fraction(1, 4)
    gtft = strat("generous_tit_for_tat", 1, q="1/4")
    sim = simulate(PD, strat("always_D", 0), gtft, rounds=101, runs=2000, seed=9)
    assert sim.col_moves is not None
    after_defection = sim.col_moves[:, 1:]  # every earlier round was a defection
    forgiven = int((after_defection == 0).sum())
    assert _within_sigmas(forgiven, after_defection.size, float(q))
    assert (sim.col_moves[:, 0] == 0).all()


def test_stochastic_transition_with_three_successors() -> None:
    probs = (Fraction(1, 2), Fraction(1, 3), Fraction(1, 6))
    # Play move s in state s (three moves); from any state jump to s' with probs[s'].
    auto = automaton_from_rule(
        "dice", ["a", "b", "c"], [0, 1, 2], 0, 3, 3, lambda s, a, b: tuple(enumerate(probs))
    )
    other = strat("always_a", 1, G3)
    sim = simulate(G3, auto, other, rounds=101, runs=1000, seed=12)
    assert sim.row_moves is not None
    moves = sim.row_moves[:, 1:]
    counts = np.bincount(moves.ravel(), minlength=3)
    for k, p in enumerate(probs):
        assert _within_sigmas(int(counts[k]), moves.size, float(p))


# -- statistics -------------------------------------------------------------------------


def test_shares_sum_to_one_and_csv_rows() -> None:
    sim = simulate(G3, *pair("tit_for_tat", "grim_trigger", G3), rounds=30, runs=250, noise=0.2)
    shares = sim.profile_shares()
    assert shares.shape == (30, 3, 3)
    assert np.allclose(shares.sum(axis=(1, 2)), 1.0)
    assert np.array_equal(sim.run_counts.sum(axis=(1, 2)), np.full(250, 30))
    rows = sim.csv_rows()
    assert len(rows) == 30 * 9 and len(CSV_FIELDS) == 4
    assert rows[0][:3] == (1, "a", "a") and rows[-1][:3] == (30, "c", "c")
    per_round: dict[int, float] = {}
    for t, _, _, share in rows:
        per_round[t] = per_round.get(t, 0.0) + share
    assert all(abs(v - 1) < 1e-12 for v in per_round.values())


def test_payoffs_and_discounted_payoffs() -> None:
    sim = simulate(PD, *pair("always_C", "always_D"), rounds=10, runs=2, seed=0)
    assert sim.payoffs.tolist() == [[0.0, 5.0], [0.0, 5.0]]
    d = 0.8
    assert sim.discounted(d)[:, 1] == pytest.approx(5 * (1 - d**10))
    noisy = simulate(PD, *pair("tit_for_tat", "win_stay_lose_shift"), rounds=40, runs=50,
                     noise=0.2, seed=1)  # fmt: skip
    assert noisy.row_moves is not None and noisy.col_moves is not None
    u = PD.A[noisy.row_moves, noisy.col_moves]
    manual = ((1 - d) * d ** np.arange(40) * u).sum(axis=1)
    assert np.allclose(noisy.discounted(d)[:, 0], manual)
    assert np.allclose(noisy.payoffs[:, 0], u.mean(axis=1))
    with pytest.raises(GameError):
        noisy.discounted(1.0)


def test_summary_keys_labels_and_json() -> None:
    sim = simulate(PD, *pair("grim_trigger", "grim_trigger"), rounds=50, runs=100, noise=0.1,
                   seed=2)  # fmt: skip
    by_index = sim.summary((0, 0), discount=0.9)
    assert by_index == sim.summary(("C", "C"), discount=0.9)
    assert by_index["target"] == ("C", "C")
    for key in ("target_share", "payoff_row", "payoff_col", "discounted_row"):
        stat = by_index[key]
        assert isinstance(stat, dict) and set(stat) == {"mean", "se"}
    rtb = by_index["rounds_to_breakdown"]
    assert isinstance(rtb, dict) and rtb["runs"] + rtb["no_breakdown"] == 100
    json.dumps(sim.to_dict(), allow_nan=False)
    with pytest.raises(GameError):
        sim.summary(("C", "X"))
    never = simulate(PD, *pair("always_C", "always_C"), rounds=5, runs=3, seed=0)
    out = never.summary((0, 0))["rounds_to_breakdown"]
    assert isinstance(out, dict) and out["no_breakdown"] == 3 and math.isnan(out["mean"])


def test_breakdown_counts_the_first_round() -> None:
    sim = simulate(PD, *pair("always_D", "always_D"), rounds=5, runs=4, seed=0)
    out = sim.summary((0, 0))
    assert out["rounds_to_breakdown"] == {"mean": 1.0, "se": 0.0, "runs": 4, "no_breakdown": 0}
    assert out["target_share"] == {"mean": 0.0, "se": 0.0}


def se(summary: dict[str, object], key: str) -> float:
    stat = summary[key]
    assert isinstance(stat, dict)
    return float(stat["se"])


def test_standard_errors_shrink_like_one_over_sqrt_runs() -> None:
    r, c = pair("tit_for_tat", "win_stay_lose_shift")
    ses = {}
    for runs in (400, 6400):
        sim = simulate(PD, r, c, rounds=100, runs=runs, noise=0.1, seed=runs)
        out = sim.summary((0, 0))
        ses[runs] = (se(out, "target_share"), se(out, "payoff_row"))
    for k in range(2):
        assert 3.4 < ses[400][k] / ses[6400][k] < 4.7


def test_grim_and_allc_match_the_geometric_law() -> None:
    """Before the first tremble both play the target, so the first non-target round is
    geometric with success probability 1 - (1 - ε)^2 (counting that round)."""
    expected = 1 / (1 - (1 - EPS) ** 2)
    for name, seed in (("grim_trigger", 21), ("always_C", 22)):
        sim = simulate(PD, *pair(name, name), rounds=200, runs=20_000, noise=EPS, seed=seed)
        rtb = sim.summary((0, 0))["rounds_to_breakdown"]
        assert isinstance(rtb, dict) and rtb["no_breakdown"] == 0
        assert abs(rtb["mean"] - expected) < 3 * rtb["se"], (name, rtb, expected)
    share = sim.summary((0, 0))["target_share"]
    assert isinstance(share, dict)
    assert abs(share["mean"] - (1 - EPS) ** 2) < 3 * share["se"], share


def test_agrees_with_the_exact_markov_chain() -> None:
    noise_metrics = pytest.importorskip("negotiation.repeated.noise").noise_metrics
    r, c = pair("tit_for_tat", "win_stay_lose_shift")
    exact = noise_metrics(PD, r, c, (0, 0), noise=Fraction(1, 10), discount=Fraction(9, 10))
    sim = simulate(PD, r, c, rounds=300, runs=20_000, noise=0.1, seed=31)
    out = sim.summary((0, 0), discount=0.9)
    rtb = out["rounds_to_breakdown"]
    assert isinstance(rtb, dict)
    assert abs(rtb["mean"] - float(exact.rounds_to_breakdown)) < 3 * rtb["se"]
    for k, key in enumerate(("discounted_row", "discounted_col")):
        stat = out[key]
        assert isinstance(stat, dict)
        assert abs(stat["mean"] - float(exact.discounted_payoffs[k])) < 3 * stat["se"]


# -- memory switch and validation -------------------------------------------------------


def test_ten_thousand_runs_keep_their_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = simulate(PD, *pair("tit_for_tat", "win_stay_lose_shift"), rounds=200, runs=10_000,
                   noise=EPS, seed=0)  # fmt: skip
    assert sim.row_moves is not None and sim.row_moves.shape == (10_000, 200)
    assert sim.row_moves.dtype == np.int8 and not sim.row_moves.flags.writeable
    monkeypatch.setattr(simulate_module, "MAX_KEPT_CELLS", 1000)
    small = simulate(PD, *pair("tit_for_tat", "tit_for_tat"), rounds=100, runs=10)
    big = simulate(PD, *pair("tit_for_tat", "tit_for_tat"), rounds=101, runs=10)
    assert small.moves_kept and not big.moves_kept
    forced = simulate(PD, *pair("tit_for_tat", "tit_for_tat"), rounds=101, runs=10,
                      keep_moves=True)  # fmt: skip
    assert forced.moves_kept


def test_progress_is_called_about_every_percent() -> None:
    calls: list[int] = []
    simulate(PD, *pair("tit_for_tat", "tit_for_tat"), rounds=1050, runs=2, progress=calls.append)
    assert calls == sorted(calls) and calls[-1] == 1050
    assert 100 <= len(calls) <= 106


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rounds": 0, "runs": 1},
        {"rounds": 1, "runs": 0},
        {"rounds": 2.5, "runs": 1},
        {"rounds": True, "runs": 1},
        {"rounds": 1, "runs": 1, "noise": -0.1},
        {"rounds": 1, "runs": 1, "noise": 1.5},
        {"rounds": 1, "runs": 1, "discounts": [1.0]},
    ],
)
def test_bad_arguments(kwargs: dict[str, object]) -> None:
    with pytest.raises(GameError):
        simulate(PD, *pair("tit_for_tat", "tit_for_tat"), **kwargs)


def test_strategy_for_another_game_is_refused() -> None:
    with pytest.raises(GameError, match="built for"):
        simulate(PD, strat("tit_for_tat", 0, G3), strat("tit_for_tat", 1), rounds=3, runs=1)


def test_a_drawn_seed_is_recorded_and_repeats_the_run() -> None:
    from negotiation.repeated.experiment import run_simulation
    from negotiation.scenario import load_scenario

    chicken = load_scenario("chicken")  # the file sets no seed
    assert chicken.repeated is not None and chicken.repeated.seed is None
    first = run_simulation(chicken, rounds=20, runs=50, noise=0.1)
    assert isinstance(first.simulation.seed, int) and first.simulation.seed >= 0
    again = run_simulation(chicken, rounds=20, runs=50, noise=0.1, seed=first.simulation.seed)
    assert np.array_equal(first.simulation.profile_shares(), again.simulation.profile_shares())


def test_run_simulation_takes_a_generator() -> None:
    from negotiation.repeated.experiment import run_simulation
    from negotiation.scenario import load_scenario

    pd = load_scenario("prisoners-dilemma")
    a = run_simulation(pd, rounds=20, runs=50, seed=np.random.default_rng(7))
    b = run_simulation(pd, rounds=20, runs=50, seed=np.random.default_rng(7))
    assert a.simulation.seed is None
    assert np.array_equal(a.simulation.profile_shares(), b.simulation.profile_shares())
