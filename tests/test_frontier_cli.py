"""`negotiation frontier`: table, JSON contract, plot, errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from negotiation.cli.main import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_json_contract_export_controls():
    r = run("frontier", "us-china-export-controls-2025", "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    for key in (
        "scenario",
        "assumption",
        "discount",
        "feasible",
        "minmax",
        "spe_payoffs",
        "worst_spe",
        "target_sustainable_from",
        "penal_code",
    ):
        assert key in d
    assert d["discount"] == {"us": "9/10", "cn": "9/10"}
    assert set(d["spe_payoffs"]) >= {"vertices", "exact", "tolerance", "method"}
    assert d["spe_payoffs"]["exact"] is True and d["spe_payoffs"]["tolerance"] is None
    assert d["minmax"] == {"us": "-15/2", "cn": "-5/2"}
    assert d["worst_spe"] == {"us": "-15/2", "cn": "-5/2"}
    # the penal code: China binds at 2/7 (the minmax bound), grim needs 4/7
    assert d["target_sustainable_from"] == {"us": "2/9", "cn": "2/7"}
    assert d["grim_trigger_from"] == {"us": "1/8", "cn": "4/7"}
    assert d["penal_code"] == ["optimal_penal_code", "optimal_penal_code"]
    assert all(isinstance(x, str) for v in d["feasible"] for x in v)


def test_table_and_assumption():
    r = run("frontier", "prisoners-dilemma", "-a", "high-temptation")
    assert r.exit_code == 0, r.output
    assert "subgame perfect (exact):" in r.output and "optimal_penal_code" in r.output
    assert "high-temptation" in r.output


def test_plot(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "f.png"
    r = run("frontier", "prisoners-dilemma", "--set", "T=6", "--plot", str(out))
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 10_000


def test_errors_are_clean(tmp_path):
    r = run("frontier", "prisoners-dilemma", "-a", "nope")
    assert r.exit_code == 1 and "Traceback" not in r.output and "nope" in r.output
    r = run("frontier", "prisoners-dilemma", "--plot", str(tmp_path / "f.gif"))
    assert r.exit_code == 1 and "Traceback" not in r.output
    r = run("frontier", "prisoners-dilemma", "--format", "csv")
    assert r.exit_code == 2
