"""The CLI through click's runner and through the installed console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from negotiation.cli.main import main
from negotiation.scenario import parse_scenario, shipped_scenarios


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_list_names_every_shipped_scenario():
    out = run("list")
    for info in shipped_scenarios():
        assert info.id in out
    data = json.loads(run("list", "--format", "json"))
    assert {d["id"] for d in data} == {s.id for s in shipped_scenarios()}


def test_validate_all_shipped_scenarios():
    files = [str(s.path) for s in shipped_scenarios()]
    out = run("validate", *files)
    assert out.count("ok  ") == len(files)


def test_solve_json_contract_exact():
    data = json.loads(run("solve", "chicken", "--exact", "--format", "json"))
    assert data["scenario"] == "chicken" and data["assumption"] == "baseline"
    assert data["players"] == ["row", "column"]
    assert data["moves"] == {"row": ["back_down", "escalate"], "column": ["back_down", "escalate"]}
    assert data["degenerate"] is False
    kinds = [e["kind"] for e in data["equilibria"]]
    assert kinds == ["pure", "pure", "mixed"]
    mixed = data["equilibria"][2]
    assert mixed["strategies"]["row"] == {"back_down": "9/10", "escalate": "1/10"}
    assert mixed["payoffs"] == {"row": "-1/10", "column": "-1/10"}


def test_solve_json_carries_what_the_table_shows():
    data = json.loads(run("solve", "prisoners-dilemma", "--format", "json"))
    table = run("solve", "prisoners-dilemma")
    assert data["strict_dominance"]["remaining"] == {"row": ["defect"], "column": ["defect"]}
    assert "(dominance solvable)" in table and data["strict_dominance"]["solved"] is True
    assert ["defect", "defect"] not in data["pareto_efficient"]
    assert len(data["pareto_efficient"]) == 3
    assert data["security"]["players"]["row"]["value"] == "1"
    assert "security (mixed minmax) values: row 1, column 1" in table


def test_solve_json_numbers_without_exact():
    data = json.loads(run("solve", "chicken", "--format", "json", "--assumption", "costly-crash"))
    mixed = data["equilibria"][2]
    assert mixed["strategies"]["row"]["escalate"] == pytest.approx(1 / 20)
    assert isinstance(mixed["payoffs"]["row"], float)


def test_solve_set_option_changes_the_game():
    data = json.loads(run("solve", "chicken", "--set", "c=4", "--exact", "--format", "json"))
    assert data["equilibria"][2]["strategies"]["row"]["escalate"] == "1/4"


def test_solve_csv_is_tidy():
    out = run("solve", "prisoners-dilemma", "--format", "csv")
    lines = out.strip().splitlines()
    assert lines[0] == "equilibrium,kind,player,move,probability,payoff"
    assert len(lines) == 1 + 4  # one equilibrium, two players, two moves each


def test_solve_table_mentions_degeneracy_and_certification():
    out = run("solve", "us-china-export-controls-2025")
    assert "non-degenerate" in out and "certified exactly" in out
    assert "hold" in out


def test_show_table_and_json():
    out = run("show", "us-china-export-controls-2025", "--assumption", "us-diversifies")
    assert "theta_us" in out and "0.5" in out
    data = json.loads(run("show", "prisoners-dilemma", "--format", "json"))
    assert data["game"]["payoffs"]["row"] == [["3", "0"], ["5", "1"]]


def test_schema_is_json_schema():
    data = json.loads(run("schema"))
    assert data["$schema"].startswith("https://json-schema.org/")
    assert "payoffs" in data["properties"]


def test_new_writes_a_scenario_that_validates(tmp_path):
    target = tmp_path / "my-case.yaml"
    result = CliRunner().invoke(main, ["new", "my-case", "-o", str(target)])
    assert result.exit_code == 0, result.output
    parse_scenario(target.read_text(encoding="utf-8"))
    run("validate", str(target))
    again = CliRunner().invoke(main, ["new", "my-case", "-o", str(target)])
    assert again.exit_code == 1 and "exists" in again.output
    bad = CliRunner().invoke(main, ["new", "../../etc/passwd"])
    assert bad.exit_code == 1


@pytest.mark.parametrize("args", [["--help"], ["linkage", "--help"], ["fit", "--help"]])
def test_help_does_not_import_heavy_modules(args):
    code = (
        "import sys\n"
        "from negotiation.cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        "heavy = ('sympy', 'nashpy', 'scipy', 'numpy', 'pydantic', 'matplotlib', 'dask')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")


def test_console_script_end_to_end():
    exe = Path(sys.executable).with_name("negotiation")
    proc = subprocess.run(
        [str(exe), "solve", "stag-hunt", "--exact", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert len(data["equilibria"]) == 3


NFG = Path(__file__).parent / "data" / "nfg"


def test_solve_nfg_file_json_contract():
    data = json.loads(run("solve", str(NFG / "selten_payoff.nfg"), "--exact", "--format", "json"))
    assert data["scenario"] == "selten_payoff" and data["assumption"] is None
    assert data["players"] == ["Player 1", "Player 2"]
    assert data["moves"]["Player 1"] == ["1", "2", "3"]
    assert data["degenerate"] is True
    assert {e["kind"] for e in data["equilibria"]} == {"pure", "mixed"}


def test_nfg_rejects_scenario_options_and_three_players():
    r = CliRunner().invoke(main, ["solve", str(NFG / "selten_payoff.nfg"), "--set", "a=1"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["solve", str(NFG / "three_players.nfg")])
    assert r.exit_code == 1 and "only two-player games" in r.output


def test_show_csv_has_one_row_per_profile():
    out = run("show", "chicken", "--format", "csv", "--exact")
    lines = out.strip().splitlines()
    assert lines[0] == "row_move,column_move,payoff_row,payoff_column"
    assert "escalate,escalate,-10,-10" in lines
    assert len(lines) == 5
