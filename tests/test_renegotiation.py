"""Weak renegotiation-proofness (Farrell & Maskin 1989)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from negotiation.errors import GameError
from negotiation.games.stage_game import StageGame
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.renegotiation import renegotiation_check

F = Fraction
# Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0).
PD = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])


def _pair(name, punish=None):
    return [build_strategy(name, context_for(PD, p, (0, 0), punish)) for p in (0, 1)]


def test_grim_trigger_is_not_weakly_renegotiation_proof():
    """Grim's punishment state is worth (P, P) = (1, 1), Pareto-dominated by the
    cooperative state's (R, R) = (3, 3) (Farrell & Maskin 1989, section 3)."""
    r = renegotiation_check(PD, *_pair("grim_trigger"), (0, 0), F(9, 10))
    assert r.spe and not r.weakly_renegotiation_proof
    better, worse = r.offending
    values = dict(r.values)
    assert values[better] == (3, 3) and values[worse] == (1, 1)
    assert better == ("cooperate", "cooperate")


def test_penance_is_weakly_renegotiation_proof():
    """Penance: after i deviates, i cooperates while the other defects for a round. By
    hand, the values are (3, 3), ((1-δ)S + δR, (1-δ)T + δR) and its mirror: the punisher
    gains in the penance, so no pair is strictly Pareto-ranked. It is an SPE iff
    δ >= max{(T-R)/(R-S), (P-S)/(R-S)} = 2/3."""
    pen = _pair("stick_and_carrot", ((0, 1), (1, 0)))
    r = renegotiation_check(PD, *pen, (0, 0), F(9, 10))
    assert r.spe and r.weakly_renegotiation_proof and r.offending is None
    d = F(9, 10)
    assert set(v for _, v in r.values) == {
        (3, 3),
        ((1 - d) * 0 + d * 3, (1 - d) * 5 + d * 3),
        ((1 - d) * 5 + d * 3, (1 - d) * 0 + d * 3),
    }
    below = renegotiation_check(PD, *pen, (0, 0), F(2, 3) - F(1, 100))
    assert not below.spe and not below.weakly_renegotiation_proof and below.offending is None
    assert renegotiation_check(PD, *pen, (0, 0), F(2, 3)).weakly_renegotiation_proof


def test_bad_discount_refused():
    with pytest.raises(GameError):
        renegotiation_check(PD, *_pair("grim_trigger"), (0, 0), F(1))
    with pytest.raises(GameError):
        renegotiation_check(PD, *_pair("grim_trigger"), (0, 0), "x")
