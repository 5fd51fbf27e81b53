"""Every shipped scenario validates, is documented, and runs through every command.

``compare`` on each shipped scenario runs in the executed examples of
``docs/reference/scenarios.md`` (checked here to exist for each scenario), so its documented story
is tested against the real output there; the other commands run here.
"""

from __future__ import annotations

import configparser
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from negotiation.cli.main import main
from negotiation.scenario import load_scenario
from negotiation.scenario.registry import scenario_dirs

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
STORIES = (ROOT / "docs" / "reference" / "scenarios.md").read_text(encoding="utf-8")


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, f"negotiation {' '.join(args)}\n{result.output}"
    return result.stdout


def test_the_library_is_what_the_docs_list():
    assert len(SHIPPED) >= 7
    listed = _run("list")
    for name in SHIPPED:
        assert name in listed


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_is_documented_with_a_compare_example(name):
    """A section per scenario in docs/reference/scenarios.md, with an executed compare example
    (tests/test_docs.py runs it and checks the printed table)."""
    assert re.search(rf"^## .*`{re.escape(name)}`", STORIES, flags=re.M), name
    assert re.search(rf"^\$ negotiation compare {re.escape(name)}\b", STORIES, flags=re.M), name


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_is_a_complete_research_file(name):
    """Header comment, sources, units and descriptions, at least three named
    assumptions, a repeated-game section."""
    text = (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith("#"), f"{name}: no header comment on the modelling choices"
    s = load_scenario(name)
    assert s.sources, name
    for pname, p in s.parameters.items():
        assert p.unit and p.description, f"{name}: parameter {pname} lacks unit or description"
    named = [a for a in s.assumptions if a != "baseline"]
    assert len(named) >= 3, f"{name}: {named}"
    for a in named:
        assert s.assumptions[a].description, f"{name}: assumption {a} has no description"
    assert s.repeated is not None, name


@pytest.mark.parametrize("name", SHIPPED)
def test_scenario_runs_validate_stability_simulate_and_fit(name):
    assert _run("validate", name).startswith("ok")
    s = load_scenario(name)

    report = json.loads(_run("stability", name, "--format", "json"))
    assert report["scenario"] == name
    assert report["profiles"], name
    for p in report["profiles"]:
        assert "critical_discount" in p

    sim = json.loads(_run("simulate", name, "--runs", "40", "--rounds", "40", "--format", "json"))
    assert sim["runs"] == 40 and sim["rounds"] == 40
    assert 0 <= sim["summary"]["target_share"]["mean"] <= 1
    assert sim["exact"]["detente_share"] is not None

    if s.history:
        fit = json.loads(_run("fit", name, "--format", "json"))
        assert fit["rounds"] == len(s.history)
        assert {p["player"] for p in fit["players"]} == {pl.id for pl in s.players}
        for p in fit["players"]:
            assert p["fits"], f"{name}: no candidate strategy for {p['player']}"


def test_a_regular_install_carries_the_scenarios():
    """setup.cfg copies every shipped scenario to <prefix>/share/negotiation/scenarios,
    and the registry searches there (so a non-editable install finds them)."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    pattern = cfg["options.data_files"]["share/negotiation/scenarios"].strip()
    assert sorted(p.stem for p in ROOT.glob(pattern)) == SHIPPED
    assert Path(sys.prefix) / "share" / "negotiation" / "scenarios" in scenario_dirs()
