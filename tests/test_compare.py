"""The détente comparison across assumptions (`compare`)."""

from __future__ import annotations

import json
from fractions import Fraction

from click.testing import CliRunner

from negotiation.analysis.compare import VerdictRules, compare
from negotiation.cli.main import main
from negotiation.scenario import load_scenario


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_export_control_story():
    c = compare(load_scenario("us-china-export-controls-2025"))
    verdicts = {col.assumption: col.verdict for col in c.columns}
    # China binds (delta* = 4/7); decoupling or a higher strategic value puts the
    # threshold above 1; a two-round punishment survives noise, grim trigger does not.
    assert verdicts == {
        "baseline": "stable",
        "us-diversifies": "stable",
        "china-decouples": "unsustainable",
        "strategic-asset": "unsustainable",
    }
    base = c.columns[0]
    assert base.best is not None and base.best.strategies[0] == "k_period_punishment(k=2)"
    assert not base.detente_is_stage_equilibrium


def test_rules_change_the_verdict():
    s = load_scenario("us-china-export-controls-2025")
    strict = compare(s, ["baseline"], rules=VerdictRules(min_slack=Fraction(1, 5)))
    assert strict.columns[0].verdict == "fragile"


def test_formats():
    table = run("compare", "prisoners-dilemma", "--strategy", "grim_trigger")
    assert "verdict" in table and "high-temptation" in table
    data = json.loads(run("compare", "prisoners-dilemma", "-a", "baseline", "--format", "json"))
    assert [a["assumption"] for a in data["assumptions"]] == ["baseline"]
    assert data["assumptions"][0]["stability"]["profiles"][0]["critical_discount"] == "1/2"
    csv = run("compare", "chicken", "--format", "csv").splitlines()
    assert csv[0] == "metric,baseline,costly-crash,cheap-crash"
    md = run("compare", "chicken", "--format", "markdown").splitlines()
    assert md[0].startswith("| metric |") and md[1].startswith("|---|")
    tex = run("compare", "chicken", "--format", "latex")
    assert tex.startswith("\\begin{tabular}") and "$\\delta$" in tex


def test_set_applies_to_every_assumption():
    data = json.loads(
        run(
            "compare",
            "prisoners-dilemma",
            "--strategy",
            "grim_trigger",
            "--set",
            "T=10",
            "--format",
            "json",
        )
    )
    crits = [a["stability"]["profiles"][0]["critical_discount"] for a in data["assumptions"]]
    assert crits[0] == "7/9"  # (10 - 3) / (10 - 1)
