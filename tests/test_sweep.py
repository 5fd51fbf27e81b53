"""Sweeps: equal to point-by-point `compare`, grid parsing, executors, bad input."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner

from negotiation.analysis.compare import compare
from negotiation.analysis.grid import parse_axis
from negotiation.analysis.sweep import sweep
from negotiation.cli.main import main
from negotiation.errors import NegotiationError
from negotiation.scenario import load_scenario


def _num(x):
    return None if x is None else float(x)


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check_against_compare(scenario, result, assumption="baseline", strategies=None):
    """Every metric of every sweep point equals `compare` run at that point."""
    head = result.header()
    for point, row in zip(result.points, result.rows()):
        rec = dict(zip(head, row))
        sets = {a.name: v for a, v in zip(result.axes, point) if a.kind == "parameter"}
        col = compare(scenario, [assumption], sets, strategies=strategies, tipping=False).columns[
            0
        ]
        where = (scenario.id, point)
        assert rec["stage_equilibria"] == "; ".join(col.stage_equilibria), where
        assert rec["detente_is_stage_equilibrium"] == col.detente_is_stage_equilibrium, where
        for p, prof in zip(result.profiles, col.report.profiles):
            label = p[0] if p[0] == p[1] else f"{p[0]} / {p[1]}"
            exact = _num(prof.sustainability.critical_discount)
            assert _same(rec[f"critical_delta[{label}]"], exact), (where, label)
        assert rec["verdict"] == col.verdict, where
        if col.best is None:
            assert rec["best_profile"] is None
            continue
        b = col.best
        assert rec["best_profile"] == (
            b.strategies[0] if b.strategies[0] == b.strategies[1] else " / ".join(b.strategies)
        ), where
        crit = b.sustainability.critical_discount
        assert _same(
            rec["delta_slack"], None if crit is None else float(col.report.discount) - float(crit)
        )
        assert _same(rec["incentive_margin"], float(b.incentive_margin)), where
        assert _same(rec["detente_share"], _num(b.noise.detente_share)), where
        assert _same(rec["rounds_to_breakdown"], _num(b.noise.rounds_to_breakdown)), where
        assert _same(rec["rounds_to_recover"], _num(b.noise.rounds_to_recover)), where


@pytest.mark.parametrize(
    ("scenario", "grid", "strategies"),
    [
        ("prisoners-dilemma", ["T=3:9:4", "P=0:2.5:3"], None),
        ("chicken", ["c=2:20:3", "g=0:4:3"], None),
        ("stag-hunt", ["stag=3:6:3", "alone=-4:2:3"], None),
        ("us-china-export-controls-2025", ["theta_cn=0.1:0.6:3", "h_us=0:3:2"], None),
        ("us-china-tariffs-2025", ["t_hold_cn=0:1.25:3"], ["grim_trigger", "tit_for_tat"]),
    ],
)
def test_sweep_equals_compare_point_by_point(scenario, grid, strategies):
    s = load_scenario(scenario)
    result = sweep(s, grid, strategies=strategies, chunk_size=4)
    assert len(result.rows()) == math.prod(len(a.values) for a in result.axes)
    check_against_compare(s, result, strategies=strategies)


def test_sweep_over_discount_and_noise():
    s = load_scenario("prisoners-dilemma")
    r = sweep(s, ["delta=0.3:0.9:4", "epsilon=0:0.1:3"], strategies=["grim_trigger"])
    verdicts = np.array(r.columns["verdict"]).reshape(r.shape)
    # delta = 0.3, 0.5, 0.7, 0.9: grim trigger needs delta >= 1/2 (at 1/2 no slack);
    # under noise it never recovers (share 0), so it is at best fragile.
    assert verdicts[0].tolist() == ["unsustainable"] * 3
    assert verdicts[1:, 0].tolist() == ["fragile", "stable", "stable"]
    assert verdicts[1:, 1:].flatten().tolist() == ["fragile"] * 6
    assert r.assumed == (0.9, 0.02)


def test_parallel_and_chunked_runs_give_identical_output():
    s = load_scenario("chicken")
    grid = ["c=2:50:7", "s=0:5:5"]
    one = sweep(s, grid)
    many = sweep(s, grid, jobs=2, chunk_size=6)
    assert one.rows() == many.rows()


def test_dask_run_equals_local_run():
    distributed = pytest.importorskip("distributed")
    s = load_scenario("us-china-export-controls-2025")
    grid = ["theta_cn=0.1:0.6:6", "x_hold=0.1:0.9:5"]
    local = sweep(s, grid)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = sweep(s, grid, executor="dask", scheduler=cluster.scheduler_address, chunk_size=7)
    assert remote.rows() == local.rows()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("T", "expected NAME=START:STOP:COUNT"),
        ("T=3:9", "expected NAME=START:STOP:COUNT"),
        ("T=3:9:x", "COUNT must be a whole number"),
        ("T=3:9:1", "COUNT must be between 2"),
        ("T=9:3:4", "STOP must be greater than START"),
        ("T=0:9:4", "T ranges over [3, 10]"),
        ("Q=0:1:3", "unknown name 'Q'"),
        ("delta=0.5:1:3", "discount must stay within [0, 1)"),
        ("T=3:__import__:3", "stop"),
    ],
)
def test_bad_grids_are_refused_clearly(spec, message):
    with pytest.raises(NegotiationError, match=None) as info:
        parse_axis(spec, load_scenario("prisoners-dilemma"))
    assert message in str(info.value)


def test_payoffs_that_blow_up_on_the_grid_are_reported(tmp_path):
    from pathlib import Path

    text = Path(load_scenario("prisoners-dilemma").file).read_text()
    text = text.replace("defect:    {cooperate: [T, S]", "defect:    {cooperate: [T / (R - 2), S]")
    path = tmp_path / "pd.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["sweep", str(path), "--grid", "R=1:5:5"])
    assert result.exit_code != 0
    assert "payoffs.defect.cooperate[0] is not a finite number at R=2" in result.output
    assert "Traceback" not in result.output


def test_cli_csv_and_json():
    runner = CliRunner()
    out = runner.invoke(
        main, ["sweep", "prisoners-dilemma", "--grid", "T=4:8:3", "--format", "csv"]
    )
    assert out.exit_code == 0, out.output
    lines = out.output.strip().splitlines()
    assert lines[0].startswith("T,discount,noise,stage_equilibria")
    assert len(lines) == 4
    out = runner.invoke(
        main,
        [
            "sweep",
            "prisoners-dilemma",
            "--grid",
            "T=4:8:3",
            "--grid",
            "R=3:4:2",
            "--format",
            "json",
        ],
    )
    data = json.loads(out.output)
    assert [a["name"] for a in data["axes"]] == ["T", "R"]
    assert len(data["points"]) == 6
    assert data["points"][0]["critical_delta[grim_trigger]"] == pytest.approx(1 / 3)


def test_exact_grid_values():
    a = parse_axis("T=3:4:4", load_scenario("prisoners-dilemma"))
    assert a.values == (3, Fraction(10, 3), Fraction(11, 3), 4)
