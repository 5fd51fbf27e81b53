"""Tables that fit: every table command reads well in 100 columns (issue: analyst's desk)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from negotiation.cli.main import main
from negotiation.cli.render import to_records, to_table
from negotiation.scenario import load_scenario

COMMANDS = [
    ["compare", "us-china-export-controls-2025"],
    ["compare", "us-china-linked-accord-2025", "--no-tipping"],
    # one discount factor per player (us-election-cycle): δ and critical δ rows per player
    ["compare", "us-china-tariffs-2025", "--no-tipping"],
    ["stability", "us-china-export-controls-2025"],
    ["linkage", "us-china-linked-accord-2025"],
    ["fit", "us-china-tariffs-2025"],
    ["solve", "us-china-linked-accord-2025"],
    ["show", "us-china-linked-accord-2025"],
    ["simulate", "prisoners-dilemma", "--runs", "50", "--rounds", "20"],
    ["sweep", "prisoners-dilemma", "--grid", "T=5:9:3", "--grid", "R=3:4:2", "--format", "table"],
    ["list"],
]


def run(args, width):
    result = CliRunner().invoke(main, args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
@pytest.mark.parametrize("width", [100, 60])
def test_no_line_is_wider_than_the_terminal(args, width):
    out = run(args, width)
    assert max(len(line) for line in out.splitlines()) <= width


def test_compare_keeps_every_assumption_and_metric_in_blocks():
    out = run(["compare", "us-china-export-controls-2025"], 100)
    scenario = load_scenario("us-china-export-controls-2025")
    for name in scenario.assumptions:
        assert f"assumption: {name}" in out
    for metric in ("verdict", "best profile", "tipping point: theta_cn", "rounds to recover"):
        assert out.count(f"  {metric}") == len(scenario.assumptions)
    assert "4/7 ≈ 0.5714" in out  # exact values carry decimals


def test_wide_keeps_one_line_per_row():
    out = (
        CliRunner()
        .invoke(
            main,
            ["compare", "us-china-export-controls-2025", "--no-tipping", "--wide"],
            env={"COLUMNS": "100"},
        )
        .stdout
    )
    row = next(line for line in out.splitlines() if line.startswith("verdict "))
    assert row.split() == ["verdict", "stable", "stable", "unsustainable", "unsustainable"]


def test_stability_shows_each_players_threshold_and_who_binds():
    out = run(["stability", "us-china-export-controls-2025"], 100)
    assert "critical δ us        1/8 = 0.125" in out
    assert "binds                cn" in out


@pytest.mark.parametrize("layout", ["table", "records"])
def test_long_values_wrap_within_the_width(layout):
    rows = [["a", "word " * 40], ["b", "x" * 150]]
    if layout == "table":  # the widest column is wrapped, the rows stay rows
        text = to_table(["key", "value"], rows, width=50)
        assert text.splitlines()[0].split() == ["key", "value"]
    else:
        text = to_records(["key", "value"], rows, width=50)
        assert text.splitlines()[0] == "key: a"
    assert max(map(len, text.splitlines())) <= 50
    assert "".join(text.split()).count("x") == 150  # nothing lost when a word is cut
    assert "".join(text.split()).count("word") == 40


def test_a_table_too_wide_to_wrap_becomes_blocks():
    header = [f"column {k}" for k in range(12)]
    text = to_table(header, [[f"value {k}" for k in range(12)]], width=60)
    assert text.startswith("column 0: value 0\n  column 1")
