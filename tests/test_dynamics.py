"""Learning and evolutionary dynamics through nashpy: closed forms derived by hand,
properties of fictitious play (Robinson 1951; Shapley 1964), the nashpy version range,
and the boundaries where nashpy needed help (seeding, simplex, overflow)."""

from __future__ import annotations

import configparser
import json
import os
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation.analysis.dynamics as dyn
from negotiation.analysis.dynamics import basins, grid_starts, simplex_grid, trajectory
from negotiation.cli.main import main
from negotiation.errors import GameError
from negotiation.games.stage_game import StageGame
from negotiation.limits import MAX_DYNAMICS_WORK, MAX_GRID, MAX_STARTS

ROOT = Path(__file__).resolve().parent.parent

STAG = StageGame.from_payoffs(
    [[4, 0], [3, 3]], [[4, 3], [0, 3]], row_moves=["S", "H"], col_moves=["S", "H"]
)
PENNIES = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
# Shapley (1964): FP cycles for ever around the unique equilibrium (1/3, 1/3, 1/3).
# (Fudenberg & Levine 1998, section 2.2: A is the identity, B shifts it by one column.)
SHAPLEY = StageGame.from_payoffs(
    [[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
)


def _version(text):
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def test_nashpy_version_is_in_the_declared_range():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    (spec,) = [r for r in cfg["options"]["install_requires"].split() if r.startswith("nashpy")]
    floor = spec.split(">=")[1]
    assert _version(dyn.NASHPY_VERSION) >= _version(floor)
    # `make test-nashpy-floor` runs this file again with the lowest supported nashpy
    # shadowing the installed one: check that it really is the one imported.
    wanted = os.environ.get("NEGOTIATION_NASHPY_FLOOR")
    if wanted is not None:
        assert wanted == floor, "the floor run must use setup.cfg's lowest version"
        assert wanted == dyn.NASHPY_VERSION


# ------------------------------------------------------------ replicator


@settings(max_examples=15)
@given(st.integers(1, 6), st.integers(1, 6))
def test_replicator_basin_boundary_is_the_mixed_equilibrium_share(gain, safe):
    # Stag pays gain + safe with a stag partner and 0 alone, hare pays safe: stag does
    # better iff the stag share x exceeds p* = safe / (gain + safe), the mixed
    # equilibrium. One population: starts above p* go to stag, below to hare.
    g = StageGame.from_payoffs([[gain + safe, 0], [safe, safe]], [[gain + safe, safe], [0, safe]])
    p = Fraction(safe, gain + safe)
    grid = 40
    b = basins(g, grid=grid, detente=(0, 0))
    assert b.single_population and b.starts == grid - 1
    xs = [x[0] for x in simplex_grid(2, grid)]
    for x, hit in zip(xs, b.outcomes):
        label = b.shares[hit].label
        if Fraction(x).limit_denominator(grid) > p:
            assert label == "(1, 1)"
        elif Fraction(x).limit_denominator(grid) < p:
            assert label == "(2, 2)"
        else:
            assert label.startswith("mixed")
    above = sum(1 for k in range(1, grid) if Fraction(k, grid) > p)
    assert b.detente_share == above / (grid - 1)
    assert abs(b.detente_share - (1 - float(p))) <= 1 / grid


def test_stag_hunt_basin_by_hand():
    # p* = 3/4: starts 76/100 ... 99/100 hunt stag (24 of 99), 75/100 is the rest point.
    b = basins(STAG, grid=100, detente=(0, 0))
    assert [s.count for s in b.shares] == [24, 74, 1, 0]
    assert b.shares[0].detente and b.detente_share == 24 / 99


@settings(max_examples=10)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 20))
def test_symmetric_chicken_interior_rest_point(g, s, extra):
    # Chicken from mutual back-down: prevail g, concede -s, crash -c (c > s). Escalating
    # pays g (1 - q) - c q, backing down -s q: equal at q* = g / (g + c - s). The one-
    # population replicator dynamics go there from every interior start (an ESS).
    c = s + extra
    game = StageGame.from_payoffs([[0, -s], [g, -c]], [[0, g], [-s, -c]])
    q = g / (g + c - s)
    for start in ([0.9, 0.1], [0.2, 0.8], [0.5, 0.5]):
        t = trajectory(game, start=start, horizon=2000, steps=200)
        assert t.single_population
        assert abs(t.row[-1][1] - q) < 1e-4
        assert t.equilibria[t.reached][0] == pytest.approx((1 - q, q))


def test_two_populations_for_asymmetric_games_and_the_simplex_is_kept():
    g = StageGame.from_payoffs([[6, 0], [5, 3]], [[5, 0], [2, 4]])
    t = trajectory(g, start=([0.9, 0.1], [0.9, 0.1]))
    assert not t.single_population and t.reached == 0
    for arr in (t.row, t.col):
        assert (arr >= 0).all() and np.allclose(arr.sum(axis=1), 1)
        assert not arr.flags.writeable
    assert grid_starts(g, 10, False) == basins(g, grid=10, steps=100).starts == 81


def test_the_symmetric_chicken_asymmetric_equilibria_need_two_populations():
    chicken = StageGame.from_payoffs([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    one = basins(chicken, grid=10)
    assert one.single_population and one.shares[2].share == 1.0  # all to the mixed
    two = basins(chicken, "fictitious", grid=6, steps=300)
    assert not two.single_population
    assert two.shares[0].share + two.shares[1].share > 0.5  # pure ones (one side backs down)


# ------------------------------------------------------------ fictitious play


def _distance(t, eq):
    return np.maximum(np.abs(t.row - eq[0]).max(axis=1), np.abs(t.col - eq[1]).max(axis=1))


beliefs = st.lists(st.integers(1, 9), min_size=2, max_size=2).map(
    lambda v: [x / sum(v) for x in v]
)


@settings(max_examples=8)
@given(beliefs, beliefs)
def test_fictitious_play_converges_in_matching_pennies(x, y):
    # Robinson (1951): in zero-sum games the empirical frequencies converge to the
    # equilibrium (here 1/2 each).
    t = trajectory(PENNIES, "fictitious", start=(x, y), steps=3000)
    d = _distance(t, ((0.5, 0.5), (0.5, 0.5)))
    assert d[-1] < 0.05
    assert d[2000:].max() < d[:100].max()


def _generic_start(seed: int) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(seed)
    return list(rng.dirichlet(np.ones(3))), list(rng.dirichlet(np.ones(3)))


def _plays(t) -> np.ndarray:
    """The row player's move in each round, from the growth of its play counts."""
    counts = t.row * (np.arange(len(t.times))[:, None] + 1.0)  # start weight 1
    return np.argmax(np.diff(counts, axis=0), axis=1)


def _period(plays: np.ndarray, most: int = 6) -> int | None:
    return next((p for p in range(1, most + 1) if np.array_equal(plays[p:], plays[:-p])), None)


@settings(max_examples=8)
@given(st.integers(0, 2**32 - 1).map(_generic_start))
def test_fictitious_play_cycles_in_shapleys_game(start):
    # Shapley (1964): the frequencies do not settle; late in the run they stay far from
    # the unique equilibrium (near the Shapley triangle) and keep moving. nashpy's
    # fictitious play updates both players at once, and then some starts (about 10% of
    # random ones, and e.g. weights (3, 2, 1)/6 and (2, 1, 3)/6, pinned below) fall into
    # a short play cycle through all three moves that keeps the counts balanced, so the
    # frequencies converge to (1/3, 1/3, 1/3). The property: one or the other.
    x, y = start
    t = trajectory(SHAPLEY, "fictitious", start=(x, y), steps=2000)
    third = (1 / 3,) * 3
    late = _distance(t, (third, third))[1000:]
    if late.min() > 0.05 and late.max() > 0.15:  # Shapley's cycle
        assert t.reached is None
        assert np.abs(t.row[1000:] - t.row[-1]).max() > 0.1  # still moving
    else:  # locked into a balanced short cycle of play
        plays = _plays(t)[-600:]
        assert _period(plays) is not None and set(plays.tolist()) == {0, 1, 2}
        assert late[-1] < 0.01


def test_a_balanced_start_of_shapleys_game_converges():
    start = ([3 / 6, 2 / 6, 1 / 6], [2 / 6, 1 / 6, 3 / 6])
    t = trajectory(SHAPLEY, "fictitious", start=start, steps=2000)
    assert _distance(t, ((1 / 3,) * 3, (1 / 3,) * 3))[-1] < 0.01


def test_seeds_reproduce_and_the_global_random_state_is_restored():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = trajectory(PENNIES, "stochastic", steps=300, seed=5, etha=0.5)
    b = trajectory(PENNIES, "stochastic", steps=300, seed=5, etha=0.5)
    c = trajectory(PENNIES, "stochastic", steps=300, seed=6, etha=0.5)
    assert np.array_equal(a.row, b.row) and not np.array_equal(a.row, c.row)
    assert np.array_equal(np.random.get_state()[1], before)
    # fictitious play breaks the first round's ties at random (nashpy, global state)
    tie = [
        trajectory(PENNIES, "fictitious", start=([0.5, 0.5], [0.5, 0.5]), steps=1, seed=s)
        for s in range(8)
    ]
    assert len({tuple(t.row[-1]) for t in tie}) > 1


@pytest.mark.parametrize("etha", [1e-4, 1e-310])
def test_stochastic_fictitious_play_overflow_is_a_game_error(etha):
    # nashpy raises a bare ValueError when exp(u / etha) overflows (payoffs here are
    # rescaled to [0, 1], so only for etha below about 1/709), and Python's float power
    # an OverflowError when 1 / etha itself does (a subnormal etha, found by the fuzz).
    with pytest.raises(GameError, match="overflowed"):
        trajectory(STAG, "stochastic", steps=5, etha=etha)


def test_nashpy_learning_functions_are_unseeded():
    # The boundary the seeding works around: nashpy's learning draws from the global
    # legacy RandomState (np.random.choice) and has no seed argument.
    import inspect

    import nashpy

    for name in ("fictitious_play", "stochastic_fictitious_play"):
        assert "seed" not in inspect.signature(getattr(nashpy.Game, name)).parameters
    g = nashpy.Game(np.array(PENNIES.A), np.array(PENNIES.B))
    np.random.seed(1)
    first = [list(c[0]) for c in g.fictitious_play(iterations=20)]
    np.random.seed(1)
    assert [list(c[0]) for c in g.fictitious_play(iterations=20)] == first


# ------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "gradient"}, "unknown method"),
        ({"steps": 0}, "steps must be"),
        ({"steps": 10**9}, "steps must be"),
        ({"horizon": float("nan")}, "horizon"),
        ({"horizon": -1}, "horizon"),
        ({"etha": float("inf")}, "etha"),
        ({"tol": 2}, "tolerance"),
        ({"seed": -1}, "seed"),
        ({"seed": 2**40}, "seed"),
        ({"start": [0.5, 0.6]}, "summing to 1"),
        ({"start": [float("nan"), 1]}, "summing to 1"),
        ({"start": [1, 0, 0]}, "2 shares"),
        ({"start": "abc"}, "numbers"),
    ],
)
def test_bad_trajectory_settings(kwargs, message):
    with pytest.raises(GameError, match=message):
        trajectory(STAG, **kwargs)


def test_asymmetric_start_must_be_a_pair():
    g = StageGame.from_payoffs([[6, 0], [5, 3]], [[5, 0], [2, 4]])
    with pytest.raises(GameError, match="pair of mixed strategies"):
        trajectory(g, start=[0.5, 0.5])


def test_basin_sizes_are_checked_before_work():
    with pytest.raises(GameError, match="the grid must be"):
        basins(STAG, grid=MAX_GRID + 1)
    big = StageGame.from_payoffs([[0] * 4] * 4, [[1] * 4] * 4)
    assert grid_starts(big, 30, False) > MAX_STARTS
    with pytest.raises(GameError, match="starting points"):
        basins(big, grid=30)
    with pytest.raises(GameError, match="too much work"):
        basins(STAG, grid=200, steps=MAX_DYNAMICS_WORK // 100)
    with pytest.raises(GameError, match="not a move profile"):
        basins(STAG, detente=(5, 0))


# ------------------------------------------------------------ CLI


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_evolve_formats():
    r = run("evolve", "stag-hunt", "--format", "json", "--grid", "20")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)  # strict JSON
    assert data["selection"]["risk_dominant"] == ["partial", "partial"]
    assert data["stochastic_stability"]["stable"] == ["(partial, partial)"]
    assert data["basins"]["detente_share"] == pytest.approx(4 / 19)
    r = run("evolve", "stag-hunt", "--format", "csv", "--method", "fictitious", "--steps", "50")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "method,outcome,starts,share,detente"
    r = run("evolve", "chicken", "--start", "0.3,0.7", "--mistake-rate", "0.01")
    assert r.exit_code == 0 and "mass at ε = 0.01" in r.stdout
    assert "risk-dominant" in r.stdout


def test_evolve_plot(tmp_path):
    out = tmp_path / "evolve.png"
    r = run(
        "evolve",
        "us-china-export-controls-2025",
        "--grid",
        "4",
        "--steps",
        "100",
        "--plot",
        str(out),
    )
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 10_000


@pytest.mark.parametrize(
    "args",
    [
        ["--grid", "1000000"],
        ["--grid", "nan"],
        ["--steps", "0"],
        ["--horizon", "nan"],
        ["--horizon", "inf"],
        ["--seed", "-3"],
        ["--start", "0.5,abc"],
        ["--start", "2,-1"],
        ["--start", "1;2;3"],
        ["--population", "1"],
        ["--population", "100000"],
        ["--mistake-rate", "nan"],
        ["--mistake-rate", "1"],
        ["--etha", "0"],
        ["--epsilon-bar", "-1"],
        ["--tol", "nan"],
        ["--method", "newton"],
        ["--plot", "figure.gif"],
    ],
)
def test_evolve_bad_options(args):
    r = run("evolve", "stag-hunt", *args)
    assert r.exit_code in (1, 2), r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
    assert "Error" in r.output


def test_evolve_errors_from_the_library_are_located():
    r = run("evolve", "stag-hunt", "--start", "0.5,0.4")
    assert r.exit_code == 1 and "summing to 1" in r.output
    r = run("evolve", "us-china-export-controls-2025", "--start", "0.5,0.5")
    assert r.exit_code == 1 and "pair of mixed strategies" in r.output
    r = run("evolve", "us-china-export-controls-2025", "--start", "0.5,0.5;0.2,0.8")
    assert r.exit_code == 1 and "3 shares" in r.output
    r = run("evolve", "no-such-scenario")
    assert r.exit_code == 1 and "Traceback" not in r.output
    r = run("evolve", "us-china-export-controls-2025", "--population", "60")
    assert r.exit_code == 1 and "choose a smaller population" in r.output
