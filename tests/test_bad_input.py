"""Every class of bad input: a located one-paragraph error, non-zero exit, no traceback,
nothing executed."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from sample_scenario import GOOD, mutate

from negotiation.cli.main import main
from negotiation.errors import ScenarioError
from negotiation.scenario import parse_scenario

CANARY = Path("/tmp/negotiation-canary-must-not-exist")


# (case id, file text, expected field path fragment, expected line, message fragment)
CASES = [
    (
        "invalid-yaml",
        mutate("moves: [roll_back, hold]", "moves: [roll_back, hold"),
        "",
        6,
        "starts on line 5",
    ),
    ("tab-indent", mutate("  harm: 3", "\tharm: 3"), "", 8, "invalid YAML"),
    ("missing-field", mutate("title: Sample\n", ""), "title", None, "required field is missing"),
    (
        "unknown-field",
        mutate("title: Sample", "title: Sample\npayofs: 1"),
        "payofs",
        4,
        "did you mean 'payoffs'",
    ),
    (
        "unknown-move",
        mutate("hold: {roll_back: [gain", "hodl: {roll_back: [gain"),
        "payoffs.hodl",
        13,
        "unknown move 'hodl'",
    ),
    (
        "missing-cell",
        mutate(', hold: ["-harm", gain]}', "}"),
        "payoffs",
        11,
        "missing payoff cells",
    ),
    (
        "wrong-cell-shape",
        mutate("hold: [net, net]", "hold: [net, net, net]"),
        "payoffs.hold.hold",
        13,
        "at most 2",
    ),
    (
        "wrong-matrix-shape",
        GOOD.split("payoffs:")[0]
        + "matrices:\n  us: [[1, 2], [3, 4]]\n  cn: [[1, 2, 3], [3, 4, 5]]\n",
        "matrices.cn",
        13,
        "expected a 2x2 matrix",
    ),
    (
        "unknown-name",
        mutate('["-harm", gain]}', '["-harm", gian]}'),
        "payoffs.roll_back.hold[1]",
        12,
        "unknown name 'gian'",
    ),
    (
        "unknown-target",
        mutate("target: [roll_back, roll_back]", "target: [roll_back, peace]"),
        "repeated.target[1]",
        16,
        "unknown move 'peace'",
    ),
    (
        "unknown-strategy",
        mutate("strategies: [grim_trigger]", "strategies: [grim_triger]"),
        "repeated.strategies[0]",
        17,
        "did you mean 'grim_trigger'",
    ),
    (
        "unknown-parameter-in-assumption",
        mutate("set: {gain: 4}", "set: {gian: 4}"),
        "assumptions.big-gain.set.gian",
        19,
        "unknown parameter 'gian'",
    ),
    (
        "out-of-range",
        mutate("set: {gain: 4}", "set: {gain: 9}"),
        "assumptions.big-gain.set.gain",
        19,
        "outside its declared range",
    ),
    ("nan", mutate("harm: 3", "harm: .nan"), "parameters.harm", 8, "finite"),
    ("inf", mutate("harm: 3", "harm: .inf"), "parameters.harm", 8, "finite"),
    (
        "division-by-zero",
        mutate("net: gain - harm", "net: gain / (harm - 3)"),
        "derived.net",
        10,
        "division by zero",
    ),
    (
        "division-by-zero-in-assumption",
        mutate("hold: [net, net]", "hold: [net, 1 / (gain - 4)]"),
        "payoffs.hold.hold[1]",
        13,
        "big-gain",
    ),
    (
        "attribute-access",
        mutate("net: gain - harm", "net: gain.__class__"),
        "derived.net",
        10,
        "not allowed",
    ),
    (
        "dunder-import",
        mutate(
            "net: gain - harm",
            "net: \"__import__('os').system('touch /tmp/negotiation-canary-must-not-exist')\"",
        ),
        "derived.net",
        10,
        "",
    ),
    ("lambda", mutate("net: gain - harm", 'net: "lambda: 1"'), "derived.net", 10, "lambda"),
    ("import-statement", mutate("net: gain - harm", 'net: "import os"'), "derived.net", 10, ""),
    ("huge-exponent", mutate("net: gain - harm", 'net: "10**10**10"'), "derived.net", 10, ""),
    (
        "python-tag",
        mutate(
            "harm: 3",
            "harm: !!python/object/apply:os.system ['touch /tmp/negotiation-canary-must-not-exist']",
        ),
        "parameters.harm",
        8,
        "not allowed",
    ),
    (
        "duplicate-key",
        mutate("  harm: 3", "  harm: 3\n  harm: 4"),
        "parameters.harm",
        9,
        "duplicate key",
    ),
    (
        "three-players",
        mutate("players: [{id: us}, {id: cn}]", "players: [{id: us}, {id: cn}, {id: eu}]"),
        "players",
        4,
        "exactly two players (the tool models two-player games), got 3",
    ),
    (
        "same-player-twice",
        mutate("players: [{id: us}, {id: cn}]", "players: [{id: us}, {id: us}]"),
        "players[1].id",
        4,
        "same id",
    ),
    (
        "too-many-moves",
        mutate(
            "moves: [roll_back, hold]", "moves: [" + ", ".join(f"m{k}" for k in range(501)) + "]"
        ),
        "moves",
        5,
        "too many",
    ),
    (
        "derived-cycle",
        mutate("net: gain - harm", "net: gain - other\n  other: net"),
        "derived",
        9,
        "cycle",
    ),
    ("bad-version", mutate("schema: 1", "schema: 2"), "schema", 1, "format version"),
    (
        "fraction-divides-by-zero",
        mutate("value: 2,", "value: 1/0,"),
        "parameters.gain.value",
        7,
        "divides by zero",
    ),
    (
        "fraction-text-with-junk",
        mutate("value: 2,", "value: 1/3x,"),
        "parameters.gain.value",
        7,
        "exact fraction such as 1/3",
    ),
    (
        "discount-out-of-range",
        mutate("discount: 0.9", "discount: 1.5"),
        "repeated.discount",
        15,
        "[0, 1)",
    ),
    (
        "history-unknown-move",
        GOOD
        + "history:\n"
        + "  - {date: 2025-04, moves: [hold, hold], source: report}\n"
        + "  - {date: 2025-05-12, moves: [roll_back, hodl], source: report}\n",
        "history[1].moves[1]",
        22,
        "did you mean 'hold'",
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "path", "line", "fragment"), CASES, ids=[c[0] for c in CASES]
)
def test_library_reports_a_located_error(case, text, path, line, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="bad.yaml")
    problems = info.value.problems
    assert any(
        fragment in p.message and (line is None or p.line == line) and path in _path(p)
        for p in problems
    ), f"{case}: {[str(p) for p in problems]}"
    assert not CANARY.exists()


def _path(problem) -> str:
    from negotiation.errors import format_path

    return format_path(problem.path)


@pytest.mark.parametrize(
    ("case", "text", "path", "line", "fragment"), CASES, ids=[c[0] for c in CASES]
)
def test_cli_exits_nonzero_without_traceback(tmp_path, case, text, path, line, fragment):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    for command in (["validate", str(f)], ["solve", str(f)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert str(f) in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not CANARY.exists()


def test_exact_fractions_are_numbers_in_files():
    s = parse_scenario(mutate("value: 2,", "value: 1/3,").replace("max: 5}", 'max: "9 / 2"}'))
    gain = next(p for p in s.parameters.values() if p.name == "gain")
    assert (gain.value, gain.max) == (Fraction(1, 3), Fraction(9, 2))


def test_all_problems_are_reported_together():
    text = mutate("hold: {roll_back: [gain", "hodl: {roll_back: [gian")
    text = text.replace("target: [roll_back, roll_back]", "target: [roll_back, peace]")
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="bad.yaml")
    assert len(info.value.problems) >= 3
    assert str(info.value).startswith("bad.yaml: ")


def test_absurd_file_size_is_refused(tmp_path):
    f = tmp_path / "huge.yaml"
    f.write_text(GOOD + "# " + "x" * 2_000_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(f)])
    assert result.exit_code == 1 and "larger than" in result.output


def test_yaml_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for k in range(1, 9):
        prev, cur = chr(96 + k), chr(97 + k)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    f = tmp_path / "bomb.yaml"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(f)])
    assert result.exit_code == 1 and "nodes" in result.output


def test_unknown_file_and_not_utf8(tmp_path):
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1 and "no such file" in result.output
    f = tmp_path / "latin.yaml"
    f.write_bytes(b"title: caf\xe9\n")
    result = CliRunner().invoke(main, ["validate", str(f)])
    assert result.exit_code == 1 and "UTF-8" in result.output


def test_bad_set_option_and_assumption():
    runner = CliRunner()
    r = runner.invoke(main, ["solve", "prisoners-dilemma", "--set", "X=1"])
    assert r.exit_code == 1 and "not a parameter" in r.output
    r = runner.invoke(main, ["solve", "prisoners-dilemma", "--set", "T=1/0"])
    assert r.exit_code == 1 and "division by zero" in r.output
    r = runner.invoke(main, ["solve", "prisoners-dilemma", "--set", "T=100"])
    assert r.exit_code == 1 and "outside" in r.output
    r = runner.invoke(main, ["solve", "prisoners-dilemma", "--set", "T"])
    assert r.exit_code == 2
    r = runner.invoke(main, ["solve", "prisoners-dilemma", "--assumption", "nope"])
    assert r.exit_code == 1 and "unknown assumption" in r.output


def test_installed_console_script_reports_without_traceback(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(CASES[0][1], encoding="utf-8")
    exe = Path(sys.executable).with_name("negotiation")
    proc = subprocess.run([str(exe), "solve", str(f)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "bad.yaml:6" in proc.stderr
    assert proc.stdout == ""
