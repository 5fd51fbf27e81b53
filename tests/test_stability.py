"""The stability report and the `stability` command (JSON contract, options, errors)."""

from __future__ import annotations

import json
from fractions import Fraction

from click.testing import CliRunner

from negotiation.cli.main import main
from negotiation.repeated.report import stability_report
from negotiation.scenario import load_scenario, parse_scenario


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_json_contract():
    data = json.loads(
        run("stability", "prisoners-dilemma", "--strategy", "grim_trigger", "--format", "json")
    )
    assert set(data) == {
        "scenario",
        "assumption",
        "overrides",
        "discount",
        "target",
        "noise",
        "profiles",
    }
    assert data["target"] == ["cooperate", "cooperate"] and data["discount"] == 0.9
    (p,) = data["profiles"]
    assert p["strategies"] == ["grim_trigger", "grim_trigger"]
    assert p["spe_region"] == [
        {"low": "1/2", "high": "1", "low_closed": True, "high_closed": False}
    ]
    assert p["critical_discount"] == "1/2" and p["spe_at_discount"] is True
    for key in ("incentive_margin", "detente_share", "rounds_to_breakdown", "rounds_to_recover"):
        assert isinstance(p[key], float)


def test_pairs_and_assumptions():
    data = json.loads(
        run(
            "stability",
            "prisoners-dilemma",
            "--pair",
            "tit_for_tat,suspicious_tit_for_tat",
            "--assumption",
            "high-temptation",
            "--format",
            "json",
        )
    )
    (p,) = data["profiles"]
    assert p["strategies"] == ["tit_for_tat", "suspicious_tit_for_tat"]
    assert p["critical_discount"] is None and p["on_target_path"] is False


def test_high_temptation_raises_the_grim_threshold():
    s = load_scenario("prisoners-dilemma")
    base = stability_report(s, strategies=["grim_trigger"]).profiles[0]
    hot = stability_report(s, "high-temptation", strategies=["grim_trigger"]).profiles[0]
    assert str(base.sustainability.critical_discount) == "1/2"
    assert str(hot.sustainability.critical_discount) == "3/4"  # (9 - 3) / (9 - 1)


def test_custom_automaton_from_the_file():
    text = load_scenario("prisoners-dilemma").file
    with open(text, encoding="utf-8") as fh:
        body = fh.read()
    body += (
        "strategies:\n"
        "  two_strikes:\n"
        "    start: calm\n"
        "    states:\n"
        "      calm: {play: cooperate, next: {'*,defect': angry}}\n"
        "      angry: {play: defect, next: {'*,*': angry}}\n"
    )
    body = body.replace(
        "strategies: [grim_trigger, tit_for_tat, win_stay_lose_shift]", "strategies: [two_strikes]"
    )
    s = parse_scenario(body, file="custom.yaml")
    (p,) = stability_report(s).profiles
    assert p.strategies == ("two_strikes", "two_strikes")
    # A Nash equilibrium from the same threshold as grim trigger, (T - R) / (T - P) = 1/2,
    # but never subgame perfect: after its own deviation the automaton keeps cooperating
    # while the other punishes, and defecting there pays (1 > delta).
    assert [str(i) for i in p.sustainability.nash_region] == ["[1/2, 1)"]
    assert p.sustainability.spe_region == () and p.sustainability.critical_discount is None


def test_errors_are_clean():
    r = CliRunner().invoke(main, ["stability", "prisoners-dilemma", "--strategy", "nope"])
    assert r.exit_code == 1 and "unknown strategy 'nope'" in r.output
    r = CliRunner().invoke(main, ["stability", "prisoners-dilemma", "--pair", "grim_trigger"])
    assert r.exit_code == 2
    r = CliRunner().invoke(
        main, ["stability", "chicken", "--strategy", "k_period_punishment(k=99)"]
    )
    assert r.exit_code == 1 and "k to be a whole number from 1 to 50" in r.output


def test_csv_has_one_row_per_profile():
    out = run("stability", "chicken", "--format", "csv")
    lines = out.strip().splitlines()
    assert lines[0].startswith("row strategy,column strategy,SPE for δ in")
    assert len(lines) == 1 + 3  # grim trigger, tit-for-tat, two-round punishment


def test_simulate_command_agrees_with_the_exact_chain():
    args = [
        "simulate",
        "us-china-export-controls-2025",
        "--pair",
        "k_period_punishment(k=2),k_period_punishment(k=2)",
        "--runs",
        "3000",
        "--seed",
        "11",
        "--format",
        "json",
    ]
    data = json.loads(run(*args))
    assert data["strategies"] == ["k_period_punishment(k=2)"] * 2 and data["runs"] == 3000
    stat, exact = data["summary"]["rounds_to_breakdown"], data["exact"]["rounds_to_breakdown"]
    assert abs(stat["mean"] - float(Fraction(exact))) < 3 * stat["se"]
    assert json.loads(run(*args)) == data  # same seed, same output


def test_simulate_csv_and_errors():
    out = run("simulate", "chicken", "--runs", "10", "--rounds", "3", "--format", "csv")
    lines = out.strip().splitlines()
    assert lines[0] == "round,row_move,col_move,share" and len(lines) == 1 + 3 * 4
    r = CliRunner().invoke(main, ["simulate", "chicken", "--noise", "1.5"])
    assert r.exit_code == 2
    r = CliRunner().invoke(main, ["simulate", "chicken", "--pair", "grim_trigger,nope"])
    assert r.exit_code == 1 and "unknown strategy" in r.output


def test_minmax_punishment_and_path_fields():
    data = json.loads(
        run(
            "stability",
            "chicken",
            "--punishment",
            "minmax",
            "--strategy",
            "grim_trigger",
            "--format",
            "json",
        )
    )
    (p,) = data["profiles"]
    # Nash reversion to the equilibrium where the deviator concedes: (g - 0) / (g + s).
    assert p["critical_discount"] == "1/2"
    assert p["player_critical_formula"] == ["g/(g + s)", "g/(g + s)"]
    assert p["path"] == [["back_down", "back_down"]] and p["cycle_start"] == 0
    assert p["bindings"][0] == {
        "player": 0,
        "state": ["cooperate", "cooperate"],
        "deviation": "escalate",
    }
