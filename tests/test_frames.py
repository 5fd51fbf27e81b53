"""Results as records, data frames (the ``frames`` extra) and notebook tables."""

from __future__ import annotations

import json
import sys
from fractions import Fraction
from html.parser import HTMLParser

import pandas as pd
import pytest

import negotiation as ng
from negotiation.errors import NegotiationError
from negotiation.records import TabularResult


@pytest.fixture(scope="module")
def export_controls():
    return ng.load_scenario("us-china-export-controls-2025")


@pytest.fixture(scope="module")
def results(export_controls):
    s = export_controls
    pd_scenario = ng.load_scenario("prisoners-dilemma")
    game = ng.stage_game(s)
    return {
        "stability": ng.stability(s),
        "compare": ng.compare(s, tipping=False),
        "sweep": ng.sweep(s, ["discount=0.5:0.9:3"]),
        "equilibria": ng.equilibria(s),
        "frontier": ng.frontier(pd_scenario),
        "feasible": ng.feasible_set(game),
        "spe_payoffs": ng.spe_payoffs(ng.stage_game(pd_scenario), Fraction(9, 10)),
        "simulation": ng.run_simulation(pd_scenario, rounds=5, runs=3, seed=2),
        "trajectory": ng.trajectory(game, steps=20),
        "linkage": ng.linkage_analysis(ng.load_scenario("us-china-linked-accord-2025")),
        "fit": ng.fit_strategies(ng.load_scenario("us-china-tariffs-2025")),
    }


def _flat(value):
    return not isinstance(value, dict | list)


@pytest.mark.parametrize(
    "name",
    [
        "stability",
        "compare",
        "sweep",
        "equilibria",
        "frontier",
        "feasible",
        "spe_payoffs",
        "simulation",
        "trajectory",
        "linkage",
        "fit",
    ],
)
def test_records_are_flat_and_frames_match_them(results, name):
    result = results[name]
    assert isinstance(result, TabularResult)
    records = result.to_records()
    assert records and all(_flat(v) for r in records for v in r.values())
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == len(records)
    assert set(frame.columns) == {k for r in records for k in r}
    # a notebook table: well-formed HTML with one body row per record (comparisons and
    # stability reports keep their own layout, metrics down the side)
    rows = _html_rows(result._repr_html_())
    if type(result)._repr_html_ is TabularResult._repr_html_:
        assert rows == len(records) + 1  # plus the header
    else:
        assert rows > 1


def _html_rows(text: str) -> int:
    class Rows(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.count += 1

    p = Rows()
    p.feed(text)
    p.close()
    return p.count


def test_stability_frame_agrees_with_json(results, export_controls):
    report = results["stability"]
    frame = report.to_frame()
    data = report.to_dict()
    checked = 0
    for row, prof in zip(frame.itertuples(index=False), data["profiles"]):
        if prof["critical_discount"] is None:
            assert pd.isna(row.critical_discount)
            continue
        checked += 1
        exact = ng.parse_expression(prof["critical_discount"])
        assert row.critical_discount == pytest.approx(float(exact.evaluate({})))
        assert row.critical_discount_exact == prof["critical_discount"]
    # per-player columns are named by the scenario's player ids
    us, cn = export_controls.players[0].id, export_controls.players[1].id
    grim = frame.iloc[0]
    assert grim[f"player_critical_discount.{us}_exact"] == "1/8"
    assert grim[f"player_critical_discount.{cn}_exact"] == "4/7"
    assert frame["critical_discount"].dtype == float


def test_comparison_records_cover_every_assumption_and_profile(results, export_controls):
    comparison = results["compare"]
    frame = comparison.to_frame()
    n_profiles = len(comparison.columns[0].report.profiles)
    assert len(frame) == len(export_controls.assumptions) * n_profiles
    assert list(dict.fromkeys(frame["assumption"])) == list(export_controls.assumptions)
    best = frame[frame["best"]]
    # at most one best profile per assumption, and only where the verdict has one
    assert best.groupby("assumption").size().max() == 1
    verdicts = dict(zip(frame["assumption"], frame["verdict"]))
    assert verdicts["baseline"] == comparison.columns[0].verdict


def test_sweep_frame_has_one_row_per_point_and_profile(results):
    sweep = results["sweep"]
    frame = sweep.to_frame()
    assert len(frame) == len(sweep.to_dict()["points"])
    assert sorted(set(frame["discount"])) == pytest.approx([0.5, 0.7, 0.9])


def test_frontier_records_per_player(results):
    frame = results["frontier"].to_frame()
    assert list(frame["player"]) == ["row", "column"] or len(frame) == 2
    # Prisoner's Dilemma (3, 0, 5, 1): grim trigger from δ = (5 - 3)/(5 - 1) = 1/2
    assert set(frame["grim_trigger_from_exact"]) == {"1/2"}


def test_simulation_shares_sum_to_one_per_round(results):
    frame = results["simulation"].to_frame().set_index("round")
    assert frame.sum(axis=1).to_numpy() == pytest.approx(1.0)


def test_to_frame_without_pandas_says_how_to_install(results, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(NegotiationError, match=r"negotiation\[frames\]"):
        results["stability"].to_frame()
    # records and JSON need no pandas
    assert json.dumps(results["stability"].to_records())


def test_reprs_are_short(results, export_controls):
    extra = {
        "scenario": export_controls,
        "game": ng.stage_game(export_controls),
        "sustainability": ng.profile_sustainability(export_controls, "grim_trigger"),
    }
    lengths = {}
    for name, value in {**results, **extra}.items():
        text = repr(value)
        lengths[name] = len(text)
        assert "array(" not in text and "StageGame(A=" not in text, name
    assert max(lengths.values()) <= 320, lengths


def test_robustness_results_are_read_only():
    r = ng.robustness(
        ng.load_scenario("prisoners-dilemma"), samples=32, seed=1, uniform_ranges=True
    )
    a = r.assumptions[0]
    with pytest.raises(TypeError):
        a.verdict_probability["stable"] = 1.0  # type: ignore[index]
    with pytest.raises(ValueError):
        a.draws["values"][0, 0] = 0.0
    with pytest.raises(TypeError):
        a.draws["extra"] = 1  # type: ignore[index]
