"""The détente comparison across assumptions (`compare`)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from negotiation.analysis.compare import VerdictRules, compare
from negotiation.cli.main import main
from negotiation.scenario import load_scenario


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_export_control_story():
    c = compare(load_scenario("us-china-export-controls-2025"), tipping=False)
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
    strict = compare(s, ["baseline"], rules=VerdictRules(min_slack=Fraction(1, 5)), tipping=False)
    assert strict.columns[0].verdict == "fragile"


def test_formats():
    table = run("compare", "prisoners-dilemma", "--strategy", "grim_trigger")
    assert "verdict" in table and "high-temptation" in table
    data = json.loads(run("compare", "prisoners-dilemma", "-a", "baseline", "--format", "json"))
    assert [a["assumption"] for a in data["assumptions"]] == ["baseline"]
    assert data["assumptions"][0]["stability"]["profiles"][0]["critical_discount"] == "1/2"
    csv = run("compare", "chicken", "--format", "csv").splitlines()
    assert csv[0] == "metric,baseline,costly-crash,cheap-crash,humiliation,high-stakes"
    md = run("compare", "chicken", "--format", "markdown").splitlines()
    assert md[0].startswith("**Chicken") and md[2].startswith("|  | baseline |")
    tex = run("compare", "chicken", "--format", "latex")
    assert tex.startswith("% negotiation tables") and "\\begin{tabularx}" in tex


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


def test_verdict_thresholds_come_from_the_file_and_the_command_line(tmp_path):
    from pathlib import Path

    text = Path(load_scenario("prisoners-dilemma").file).read_text()
    strict = text.replace("  seed: 7\n", "  seed: 7\n  verdict: {min_slack: 0.5, min_share: 0}\n")
    path = tmp_path / "pd.yaml"
    path.write_text(strict)
    s = load_scenario(str(path))
    assert VerdictRules.for_scenario(s) == VerdictRules(Fraction(1, 2), Fraction(0))
    # grim trigger's slack is 0.4 < 0.5 under the file's rule, >= 0.3 on the command line.
    assert (
        compare(s, ["baseline"], strategies=["grim_trigger"], tipping=False).columns[0].verdict
        == "fragile"
    )
    out = run(
        "compare",
        str(path),
        "-a",
        "baseline",
        "--strategy",
        "grim_trigger",
        "--no-tipping",
        "--min-slack",
        "0.3",
        "--format",
        "csv",
    )
    assert out.strip().splitlines()[-1] == "verdict,stable"


def test_bad_verdict_thresholds_are_refused_with_their_line(tmp_path):
    from pathlib import Path

    text = Path(load_scenario("prisoners-dilemma").file).read_text()
    path = tmp_path / "pd.yaml"
    path.write_text(text.replace("  seed: 7\n", "  seed: 7\n  verdict: {min_share: 1.5}\n"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code != 0
    assert "repeated.verdict.min_share" in result.output and ":31" in result.output
    assert "Traceback" not in result.output


def test_plots_from_the_command_line(tmp_path):
    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    for args in (
        ["compare", "chicken", "--no-tipping"],
        ["sweep", "chicken", "--grid", "c=2:50:6", "--grid", "s=0:5:4"],
        ["simulate", "prisoners-dilemma", "--runs", "200", "--rounds", "30"],
    ):
        png = tmp_path / f"{args[0]}.png"
        result = CliRunner().invoke(main, [*args, "--plot", str(png)])
        assert result.exit_code == 0, result.output
        image = imread(png)
        assert image.shape[0] > 300 and image.shape[1] > 400
        assert (image[..., :3] < 0.95).any(axis=2).mean() > 0.02


def test_best_possible_text_and_json():
    """Exact when the code meets the minmax bound; otherwise the bracket from the bound
    to the code's δ; never when the target pays no more than the pure minmax."""
    from fractions import Fraction as F

    from negotiation.analysis.compare import BestPossible

    assert BestPossible(F(1, 2), F(1, 2)).text() == "1/2 = 0.5"
    bracket = BestPossible(F(1, 16), F(2, 9))
    assert bracket.text() == "0.0625–0.2222" and not bracket.exact
    assert bracket.to_dict() == {
        "value": None,
        "lower_bound": "1/16",
        "upper_bound": "2/9",
        "exact": False,
    }
    assert BestPossible(None, None).text() == "never"
    assert BestPossible(F(1, 4), None).text() == "0.25–never"
