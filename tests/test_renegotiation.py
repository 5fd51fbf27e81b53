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


# The penance profile as a custom automaton of a scenario: after i deviates, i
# cooperates while the other defects for a round; a departure from the penance restarts
# the departing player's own (keys are tried in file order).
PENANCE = """
strategies:
  penance:
    start: good
    states:
      good: {play: cooperate, next: {"defect,cooperate": sorry, "cooperate,defect": punish}}
      sorry:
        play: cooperate
        next: {"cooperate,defect": good, "defect,defect": sorry, "cooperate,cooperate": punish,
               "defect,cooperate": good}
      punish:
        play: defect
        next: {"defect,cooperate": good, "cooperate,cooperate": sorry, "defect,defect": punish,
               "cooperate,defect": good}
"""


def _pd_with_penance():
    from pathlib import Path

    from negotiation.scenario import parse_scenario

    text = Path("scenarios/prisoners-dilemma.yaml").read_text(encoding="utf-8")
    return parse_scenario(text + PENANCE)


def test_stability_reports_renegotiation_proofness():
    """stability: grim trigger is not WRP in the Prisoner's Dilemma, with the pair
    (cooperate, cooperate) over the punishment; the penance profile is WRP (at δ = 0.9,
    above its threshold 2/3)."""
    import json

    from click.testing import CliRunner

    from negotiation.cli.main import main
    from negotiation.cli.views import stability_view
    from negotiation.repeated.report import stability_report

    scenario = _pd_with_penance()
    report = stability_report(scenario, strategies=["grim_trigger", "penance"])
    grim, pen = report.profiles
    assert grim.renegotiation_proof is False and pen.renegotiation_proof is True
    assert pen.sustainability.critical_discount == F(2, 3)
    data = json.loads(stability_view(report, "json"))
    g, p = data["profiles"]
    assert g["weakly_renegotiation_proof"] is False
    assert g["renegotiation_offending"][0] == ["cooperate", "cooperate"]
    assert g["renegotiation_offending"][1] in (
        ["punish_row", "punish_row"],
        ["punish_col", "punish_col"],
    )
    assert p["weakly_renegotiation_proof"] is True and p["renegotiation_offending"] is None
    text = stability_view(report, "table", 100)
    assert "WRP at δ" in text and "grim_trigger: (cooperate, cooperate) over (punish_" in text
    assert all(len(line) <= 100 for line in text.splitlines())
    out = CliRunner().invoke(main, ["stability", "prisoners-dilemma", "--format", "csv"])
    assert out.exit_code == 0 and "WRP at δ" in out.output.splitlines()[0]


def test_compare_reports_renegotiation_proofness_and_the_best_possible_delta():
    """compare: a WRP row per profile, and per player the best possible δ* of any pure
    SPE. In the PD the stage equilibrium is the minmax, so the best possible δ* is grim's
    (T - R)/(T - P) = 1/2 under the baseline and (9 - 3)/(9 - 1) = 3/4 with T = 9."""
    from negotiation.analysis.compare import compare

    c = compare(
        _pd_with_penance(),
        ["baseline", "high-temptation"],
        strategies=["grim_trigger", "penance"],
        tipping=False,
    )
    rows = dict(c.rows())
    assert rows["WRP at δ: grim_trigger"] == ["no", "no"]
    # penance needs δ >= max{(T-R)/(R-S), (P-S)/(R-S)}: 2/3 (baseline), 2 with T = 9
    assert rows["WRP at δ: penance"] == ["yes", "no"]
    assert rows["best possible δ*: row"] == ["1/2 = 0.5", "3/4 = 0.75"]
    data = c.to_dict()["assumptions"]
    assert data[0]["best_possible_discount"]["column"] == {
        "value": "1/2",
        "lower_bound": "1/2",
        "upper_bound": "1/2",
        "exact": True,
    }
    assert data[1]["stability"]["profiles"][1]["weakly_renegotiation_proof"] is False
