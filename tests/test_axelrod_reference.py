"""The Axelrod library as a reference for :func:`negotiation.repeated.simulate.simulate`.

Deterministic iterated Prisoner's Dilemma (Axelrod's default game R=3, S=0, T=5, P=1)
over 50 rounds without noise: for every ordered pair of seven classic strategies
(Axelrod 1984) the move sequences and total scores of ``axelrod.Match`` must equal
those of our automata built with ``build_strategy``. A noisy comparison (Nowak &
Sigmund 1993 trembles: each intended action is flipped with probability ε, both
players see the realised actions) checks that both libraries implement the same noise
model.

Semantics checked against the Axelrod 4.14 sources (``axelrod/strategies``):

* ``TitForTat``: C first, then the opponent's last action. Ours: ``tit_for_tat``.
* ``SuspiciousTitForTat``: D first, then the opponent's last action.
* ``TitFor2Tats`` (Axelrod has no ``TitForTwoTats``): D exactly when the opponent's
  last two actions were both D, C otherwise. Ours: ``tit_for_two_tats``.
* ``Grudger``: D for ever once the *opponent* has defected. Ours: ``grim_trigger``
  leaves the target once *anyone* left it; without noise one's own first departure can
  only come after the other's, so paths agree. With noise they differ: after a tremble
  of one's own, our grim trigger punishes for ever, Axelrod's ``Grudger`` does not
  (see :func:`test_grim_trigger_reacts_to_own_trembles_grudger_does_not`).
* ``WinStayLoseShift``: C first; C after (C, C) or (D, D), D otherwise.
* ``Cooperator`` / ``Defector``: ``always_C`` / ``always_D``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.simulate import simulate

axl = pytest.importorskip("axelrod")

TURNS = 50
C, D = axl.Action.C, axl.Action.D
ACTIONS = (C, D)
SCORES = axl.Game().scores  # {(own, other): (own score, other score)}
PD = StageGame.from_payoffs(
    [[SCORES[(a, b)][0] for b in ACTIONS] for a in ACTIONS],
    [[SCORES[(a, b)][1] for b in ACTIONS] for a in ACTIONS],
    row_moves=["C", "D"],
    col_moves=["C", "D"],
)

PAIRS = {
    "TitForTat": "tit_for_tat",
    "Grudger": "grim_trigger",
    "Cooperator": "always_C",
    "Defector": "always_D",
    "WinStayLoseShift": "win_stay_lose_shift",
    "SuspiciousTitForTat": "suspicious_tit_for_tat",
    "TitFor2Tats": "tit_for_two_tats",
}


def test_reference_game_is_the_prisoners_dilemma() -> None:
    assert PD.A.tolist() == [[3, 0], [5, 1]]
    assert PD.B.tolist() == [[3, 5], [0, 1]]


def ours(name: str, player: int) -> Automaton:
    return build_strategy(name, context_for(PD, player, (0, 0)))


@pytest.mark.parametrize("row", list(PAIRS))
@pytest.mark.parametrize("col", list(PAIRS))
def test_noiseless_matches_are_identical(row: str, col: str) -> None:
    match = axl.Match((getattr(axl, row)(), getattr(axl, col)()), turns=TURNS)
    plays = match.play()
    ref_row = [ACTIONS.index(a) for a, _ in plays]
    ref_col = [ACTIONS.index(b) for _, b in plays]
    sim = simulate(PD, ours(PAIRS[row], 0), ours(PAIRS[col], 1), rounds=TURNS, runs=1, seed=0)
    assert sim.row_moves is not None and sim.col_moves is not None
    assert sim.row_moves[0].tolist() == ref_row
    assert sim.col_moves[0].tolist() == ref_col
    totals = (PD.A[sim.row_moves[0], sim.col_moves[0]].sum(),
              PD.B[sim.row_moves[0], sim.col_moves[0]].sum())  # fmt: skip
    assert totals == tuple(float(x) for x in match.final_score())
    assert sim.payoffs[0] * TURNS == pytest.approx(totals, abs=1e-9)


@pytest.mark.parametrize(
    ("row", "col"), [("TitForTat", "WinStayLoseShift"), ("TitFor2Tats", "SuspiciousTitForTat")]
)
def test_noisy_matches_agree_in_distribution(row: str, col: str) -> None:
    """Mean score per turn and cooperation rate under noise 0.05 agree within 4 combined
    standard errors (Axelrod: 300 seeded matches; ours: 20,000 runs)."""
    noise, turns, k = 0.05, 100, 300
    ref = []
    for seed in range(k):
        m = axl.Match((getattr(axl, row)(), getattr(axl, col)()), turns=turns, noise=noise,
                      seed=seed)  # fmt: skip
        plays = m.play()
        ref.append((m.final_score_per_turn()[0], sum(a == C for a, _ in plays) / turns))
    ref_arr = np.array(ref, dtype=float)
    sim = simulate(PD, ours(PAIRS[row], 0), ours(PAIRS[col], 1), rounds=turns, runs=20_000,
                   noise=noise, seed=5)  # fmt: skip
    assert sim.row_moves is not None
    mine = np.column_stack([sim.payoffs[:, 0], (sim.row_moves == 0).mean(axis=1)])
    for j in range(2):
        se = math.hypot(
            ref_arr[:, j].std(ddof=1) / math.sqrt(k), mine[:, j].std(ddof=1) / math.sqrt(20_000)
        )
        assert abs(ref_arr[:, j].mean() - mine[:, j].mean()) < 4 * se


def test_grim_trigger_reacts_to_own_trembles_grudger_does_not() -> None:
    """The documented semantic difference, made concrete: a row player whose first move
    trembles to D against Cooperator. Grudger returns to C (Cooperator never defected);
    our grim trigger has left the target for ever."""
    grudger = axl.Grudger()
    coop = axl.Cooperator()
    grudger.update_history(D, C)  # round 1 trembled to D
    coop.update_history(C, D)
    assert grudger.strategy(coop) == C
    grim = ours("grim_trigger", 0)
    after = grim.step(grim.start, 1, 0)  # own D, other C
    assert grim.play[after[0][0]] == 1
