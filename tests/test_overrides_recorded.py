"""``--set`` overrides are part of every result's label and JSON (never attributed to the
plain assumption), and every command's JSON parses strictly (no NaN)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from negotiation.cli.main import main

EC = "us-china-export-controls-2025"
COMMANDS = [
    ["show", EC],
    ["solve", EC],
    ["stability", EC],
    ["simulate", EC, "--runs", "50", "--rounds", "20", "--seed", "1"],
    ["compare", EC, "--no-tipping"],
    ["sweep", EC, "--grid", "theta_cn=0.1:0.5:3"],
    ["linkage", "us-china-linked-accord-2025"],
    ["fit", "us-china-tariffs-2025"],
]
SETS = {"us-china-linked-accord-2025": "t_roll_us=1/10", "us-china-tariffs-2025": "g_us=1"}


def _strict(text):
    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("args", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_json_records_the_overrides(args):
    setting = SETS.get(args[1], "theta_us=0.5")
    result = CliRunner().invoke(main, [*args, "--set", setting, "--format", "json"])
    assert result.exit_code == 0, result.output
    name, value = setting.split("=")
    assert _strict(result.stdout)["overrides"] == {name: value}
    plain = CliRunner().invoke(main, [*args, "--format", "json"])
    assert _strict(plain.stdout)["overrides"] == {}


@pytest.mark.parametrize("args", COMMANDS, ids=[a[0] for a in COMMANDS])
def test_table_header_names_the_overrides(args):
    setting = SETS.get(args[1], "theta_us=0.5")
    table = ["--format", "table"] if args[0] == "sweep" else []  # sweep's default is CSV
    result = CliRunner().invoke(main, [*args, "--set", setting, *table])
    assert result.exit_code == 0, result.output
    head = "\n".join(result.stdout.splitlines()[:4])
    assert setting in head


def test_python_results_carry_a_label():
    import negotiation as ng

    s = ng.load_scenario(EC)
    report = ng.stability_report(s, "baseline", {"theta_us": "0.5"})
    assert report.label == "baseline with theta_us=0.5"
    assert report.to_dict()["overrides"] == {"theta_us": "0.5"}
    c = ng.compare(s, overrides={"theta_us": "1/2"}, tipping=False)
    assert c.to_dict()["assumptions"][0]["label"] == "baseline with theta_us=1/2"
