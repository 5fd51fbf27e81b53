"""Exact tournaments: scores equal the exact noise metrics pair by pair, agree with the
Monte Carlo simulation within 3 standard errors, and match closed forms."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from negotiation.analysis.tournament import default_entrants, tournament
from negotiation.cli.main import main
from negotiation.errors import NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.limits import MAX_ENTRANTS
from negotiation.repeated.noise import noise_metrics
from negotiation.repeated.profiles import strategy_for
from negotiation.repeated.simulate import simulate
from negotiation.scenario import load_scenario

F = Fraction
PD = load_scenario("prisoners-dilemma")
FIELD = ["tit_for_tat", "win_stay_lose_shift", "grim_trigger", "always_defect"]


def test_scores_equal_the_exact_noise_metrics_pair_by_pair():
    t = tournament(PD, strategies=FIELD, evolve=False)
    game = StageGame.from_scenario(PD)
    target = (0, 0)
    assert t.exact and t.noise == F(1, 50) and t.discount == F(9, 10)
    for i, r in enumerate(FIELD):
        for j, c in enumerate(FIELD):
            m = noise_metrics(
                game,
                strategy_for(r, game, 0, target),
                strategy_for(c, game, 1, target),
                target,
                noise=F(1, 50),
                discount=F(9, 10),
            )
            assert t.payoffs[i][j] == m.discounted_payoffs
            assert t.detente_shares[i][j] == m.detente_share
    k = len(FIELD)
    for i in range(k):
        assert t.matrix[i] == tuple(
            (t.payoffs[i][j][0] + t.payoffs[j][i][1]) / 2 for j in range(k)
        )
        assert t.scores[i] == sum(t.matrix[i]) / k
    assert [t.scores[i] for i in t.ranking] == sorted(t.scores, reverse=True)


@pytest.mark.parametrize(("row", "col"), [(0, 0), (0, 1), (1, 3), (2, 1)])
def test_exact_scores_agree_with_monte_carlo(row, col):
    t = tournament(PD, strategies=FIELD, noise=F(1, 20), evolve=False)
    game = StageGame.from_scenario(PD)
    sim = simulate(
        game,
        strategy_for(FIELD[row], game, 0, (0, 0)),
        strategy_for(FIELD[col], game, 1, (0, 0)),
        rounds=200,  # 0.9 ** 200 < 1e-9: the truncation is negligible
        runs=4000,
        noise=0.05,
        seed=11,
    )
    values = sim.discounted(0.9)
    for p in (0, 1):
        mean = values[:, p].mean()
        se = values[:, p].std(ddof=1) / len(values) ** 0.5
        assert abs(mean - float(t.payoffs[row][col][p])) < 3 * se + 1e-9


def test_long_run_tit_for_tat_echo_closed_form():
    # Tit-for-tat against itself under any noise 0 < eps < 1: the chain is doubly
    # stochastic, each profile a quarter of the time, payoff (R + S + T + P) / 4
    # (Nowak & Sigmund 1990) = (3 + 0 + 5 + 1) / 4.
    t = tournament(
        PD,
        strategies=["tit_for_tat", "always_cooperate"],
        score="long_run",
        noise=F(1, 100),
        evolve=False,
    )
    assert t.payoffs[0][0] == (F(9, 4), F(9, 4))
    assert t.detente_shares[0][0] == F(1, 4)
    # always cooperate against itself: both tremble independently
    e = F(1, 100)
    coop = (1 - e) ** 2 * 3 + (1 - e) * e * (0 + 5) + e * e * 1
    assert t.payoffs[1][1] == (coop, coop)


def test_default_field_and_the_replicator_step():
    t = tournament(PD)
    assert list(t.entrants) == default_entrants(PD, StageGame.from_scenario(PD))
    assert t.evolution is not None
    assert abs(sum(t.evolution.shares) - 1) < 1e-9
    ev = {t.entrants[k]: t.evolution.shares[k] for k in range(len(t.entrants))}
    # under noise the unconditional defectors die out, reciprocators survive
    assert ev["always_defect"] < 0.01 and ev["win_stay_lose_shift"] > 0.05
    json.dumps(t.to_dict(), allow_nan=False)


def test_skipped_strategies_are_listed():
    # A custom strategy declared for one player cannot play both roles; the file's
    # own symmetric automaton enters.
    text = """\
schema: 1
id: pennies
title: Pennies
players: [{id: a}, {id: b}]
moves: [h, t]
payoffs:
  h: {h: [1, -1], t: [-1, 1]}
  t: {h: [-1, 1], t: [1, -1]}
repeated:
  discount: 0.9
  target: [h, h]
  strategies: [tit_for_tat]
  punishment: minmax
  noise: 0.1
strategies:
  only_a:
    player: a
    start: s
    states:
      s: {play: h, next: {}}
  flip:
    start: s
    states:
      s: {play: h, next: {"*,t": u}}
      u: {play: t, next: {"*,h": s}}
"""
    from negotiation.scenario import parse_scenario

    t = tournament(parse_scenario(text), evolve=False)
    skipped = dict(t.skipped)
    assert "only_a" in skipped and "declared for player" in skipped["only_a"]
    assert "flip" in t.entrants and "tit_for_tat" in t.entrants


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strategies": ["no_such_strategy"]}, "unknown strategy"),
        ({"strategies": []}, "at least one"),
        (
            {
                "strategies": ["tit_for_tat"] * 1
                + [f"k_period_punishment(k={k})" for k in range(1, MAX_ENTRANTS + 1)]
            },
            "too many",
        ),
        ({"score": "median"}, "unknown score"),
        ({"noise": float("nan")}, "finite"),
        ({"noise": 1}, "lie in"),
        ({"discount": F(3, 2)}, "lie in"),
        ({"horizon": -1}, "horizon"),
    ],
)
def test_bad_settings(kwargs, message):
    with pytest.raises(NegotiationError, match=message):
        tournament(PD, **kwargs)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_formats():
    r = run(
        "tournament",
        "prisoners-dilemma",
        "--strategy",
        "tit_for_tat",
        "--strategy",
        "always_defect",
        "--format",
        "json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [x["strategy"] for x in data["ranking"]] == ["tit_for_tat", "always_defect"]
    r = run("tournament", "chicken", "--format", "csv", "--no-evolve", "--score", "long-run")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == "row,column,payoff_row,payoff_column,detente_share"
    r = run("tournament", "stag-hunt", "--noise", "0.1", "--discount", "0.95")
    assert r.exit_code == 0 and "rank" in r.stdout and "replicator" in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--strategy", "bogus"],
        ["--strategy", "k_period_punishment(k=1000)"],
        ["--noise", "nan"],
        ["--noise", "1"],
        ["--discount", "inf"],
        ["--discount", "-0.5"],
        ["--score", "best"],
        ["--set", "T=nan"],
        ["--assumption", "nope"],
    ],
)
def test_cli_bad_options(args):
    r = run("tournament", "prisoners-dilemma", *args)
    assert r.exit_code in (1, 2), r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
