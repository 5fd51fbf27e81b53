"""Hostile scenario files and API inputs: every one refused quickly, with a short message
naming file, field and line, exit code 1, and never a traceback or an internal error.

The resource cases run the CLI in a subprocess with a time limit and a cap on its
address space, so that a regression shows as a failure rather than a stuck machine.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from capped_cli import run_capped
from click.testing import CliRunner
from sample_scenario import GOOD, mutate

from negotiation.cli.main import main
from negotiation.errors import (
    NegotiationError,
    Problem,
    ScenarioError,
    ScenarioErrors,
    StrategyNameError,
    quote,
    shorten,
    shorten_list,
    show_number,
)
from negotiation.limits import MAX_MOVES, MAX_REPORTED_PROBLEMS
from negotiation.scenario import load_scenario, parse_scenario
from negotiation.scenario import yaml_source as ys
from negotiation.scenario.expressions import EvaluationError, parse_expression, work_budget
from negotiation.scenario.schema import MAX_TRANSITIONS
from negotiation.scenario.starter import starter_scenario
from negotiation.scenario.strategy_specs import parse_strategy_name
from negotiation.scenario.yaml_source import Ambiguous, load_yaml

#: Address space allowed to a CLI subprocess (the brief's 1.5 GB).
MEMORY_CAP = 1_500_000_000
#: Seconds a refused input may take in a subprocess (start-up included).
TIME_LIMIT = 20
#: The longest message a refusal may print, in characters.
MAX_OUTPUT = 4000


def run_cli(*args: str, timeout: float = TIME_LIMIT) -> tuple[subprocess.CompletedProcess, float]:
    """The CLI in a subprocess, capped in time and memory; (result, seconds)."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    env.pop("NEGOTIATION_DEBUG", None)
    return run_capped(*args, memory=MEMORY_CAP, timeout=timeout, env=env)


def assert_refused(
    output: str,
    path: Path | str,
    fragment: str,
    line: int | None = None,
    field: str = "",
    longest: int = MAX_OUTPUT,
) -> None:
    """A clean, short refusal naming the file, and the field and line when given."""
    assert "Traceback" not in output, output[-2000:]
    assert "internal error" not in output, output[-2000:]
    assert len(output) < longest, f"{len(output)} characters: {output[:300]}"
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in output, output
    if field:
        assert f": {field}:" in output, output
    assert fragment in output, output


def refuse_cli(path: Path, fragment: str, line: int | None = None, field: str = "") -> float:
    proc, seconds = run_cli("validate", str(path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert_refused(proc.stderr, path, fragment, line, field)
    return seconds


def refuse_quick(
    tmp_path: Path,
    text: str,
    fragment: str,
    line: int | None = None,
    field: str = "",
    longest: int = MAX_OUTPUT,
) -> str:
    """Refused by ``validate`` in-process (CliRunner); returns the output."""
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(f)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_refused(result.output, f, fragment, line, field, longest)
    return result.output


def accepted(text: str):
    return parse_scenario(text, file="ok.yaml")


# ------------------------------------------------------------- 1. sizes before work


def _labels(n: int) -> str:
    return "[" + ", ".join(f"m{k}" for k in range(n)) + "]"


@pytest.mark.parametrize("count", [5_000, 10_000, 100_000])
def test_huge_move_list_is_refused_before_any_table_is_built(tmp_path, count):
    f = tmp_path / "moves.yaml"
    f.write_text(mutate("moves: [roll_back, hold]", f"moves: {_labels(count)}"))
    seconds = refuse_cli(
        f, f"{count} moves are too many: at most {MAX_MOVES} per player", 5, "moves"
    )
    assert seconds < 10


def _many(n: int, item: str) -> str:
    return ", ".join(item.format(k=k) for k in range(n))


#: (case, file text, field, line, fragment): one size limit each, every list and mapping.
SIZE_CASES = [
    (
        "moves-per-player",
        mutate("moves: [roll_back, hold]", f"moves: {{us: {_labels(60_000)}, cn: [a]}}"),
        "moves.us",
        5,
        "60000 moves are too many",
    ),
    (
        "players",
        mutate("players: [{id: us}, {id: cn}]", f"players: [{_many(50_000, '{{id: p{k}}}')}]"),
        "players",
        4,
        "exactly two players (the tool models two-player games), got 50000",
    ),
    (
        "parameters",
        mutate("  harm: 3", "  harm: 3\n" + "".join(f"  p{k}: 1\n" for k in range(60_000))),
        "parameters",
        6,
        "parameters are too many: at most 200",
    ),
    (
        "derived",
        mutate(
            "  net: gain - harm",
            "  net: gain - harm\n" + "".join(f"  d{k}: 1\n" for k in range(60_000)),
        ),
        "derived",
        9,
        "derived names are too many",
    ),
    (
        "payoff-columns",
        mutate(
            "roll_back: {roll_back: [0, 0],",
            "roll_back: {" + _many(40_000, "c{k}: [0, 0]") + ", roll_back: [0, 0],",
        ),
        "payoffs.roll_back",
        12,
        f"column moves are too many: at most {MAX_MOVES}",
    ),
    (
        "payoff-rows",
        mutate("payoffs:\n", "payoffs:\n" + "".join(f"  r{k}: {{}}\n" for k in range(60_000))),
        "payoffs",
        11,
        "row moves are too many",
    ),
    (
        "payoff-cell",
        mutate("hold: [net, net]", "hold: [" + _many(100_000, "1") + "]"),
        "payoffs.hold.hold",
        13,
        "at most 2",
    ),
    (
        "matrix-rows",
        GOOD.split("payoffs:")[0]
        + "matrices:\n  us: ["
        + _many(50_000, "[1, 2]")
        + "]\n  cn: [[1, 2], [3, 4]]\n",
        "matrices.us",
        12,
        "rows are too many",
    ),
    (
        "matrix-columns",
        GOOD.split("payoffs:")[0]
        + "matrices:\n  us: [["
        + _many(100_000, "1")
        + "], [1, 2]]\n  cn: [[1, 2], [3, 4]]\n",
        "matrices.us[0]",
        12,
        "columns are too many",
    ),
    (
        "sources",
        mutate("title: Sample", "title: Sample\nsources: [" + _many(100_000, "s") + "]"),
        "sources",
        4,
        "sources are too many",
    ),
    (
        "strategies-listed",
        mutate(
            "strategies: [grim_trigger]", "strategies: [" + _many(60_000, "grim_trigger") + "]"
        ),
        "repeated.strategies",
        17,
        "strategies are too many",
    ),
    (
        "assumptions",
        GOOD + "".join(f"  a{k}: {{}}\n" for k in range(60_000)),
        "assumptions",
        18,
        "assumptions are too many",
    ),
    (
        "assumption-settings",
        mutate("set: {gain: 4}", "set: {" + _many(60_000, "p{k}: 1") + "}"),
        "assumptions.big-gain.set",
        19,
        "parameter settings are too many",
    ),
    (
        "history",
        GOOD
        + "history:\n"
        + "".join("  - {date: 2025-01, moves: [hold, hold], source: s}\n" for _ in range(15_000)),
        "history",
        20,
        "15000 observed rounds are too many: at most 10000",
    ),
    (
        "custom-states",
        GOOD
        + "strategies:\n  mine:\n    start: s0\n    states: {"
        + _many(30_000, "s{k}: {{play: hold}}")
        + "}\n",
        "strategies.mine.states",
        23,
        "states are too many",
    ),
    (
        "custom-transitions",
        GOOD
        + "strategies:\n  mine:\n    start: s\n    states:\n      s:\n        play: hold\n        next: {"
        + _many(60_000, "'k{k}': s")
        + "}\n",
        "strategies.mine.states.s.next",
        26,
        f"transitions are too many: at most {MAX_TRANSITIONS}",
    ),
    (
        "issues",
        GOOD.split("moves:")[0]
        + "issues: {"
        + _many(15_000, "i{k}: {{moves: [a], target: [a, a]}}")
        + "}\n",
        "issues",
        5,
        "issues are too many: at most 12",
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "field", "line", "fragment"), SIZE_CASES, ids=[c[0] for c in SIZE_CASES]
)
def test_every_collection_is_bounded_before_its_entries_are_looked_at(
    tmp_path, case, text, field, line, fragment
):
    assert len(text.encode()) <= ys.MAX_FILE_BYTES, case
    f = tmp_path / "big.yaml"
    f.write_text(text, encoding="utf-8")
    assert refuse_cli(f, fragment, line, field) < 10


def test_too_many_nodes_is_refused_while_reading(tmp_path):
    f = tmp_path / "nodes.yaml"
    f.write_text(GOOD + "note: [" + ",".join(["1"] * 400_000) + "]\n")
    assert refuse_cli(f, f"more than {ys.MAX_NODES} nodes", 20) < 10


def test_many_problems_are_counted_not_all_listed(tmp_path):
    text = (
        GOOD
        + "history:\n"
        + "".join(f"  - {{date: 2025-01, moves: [x{k}, y], source: s}}\n" for k in range(3000))
    )
    out = refuse_quick(
        tmp_path, text, "... and 5950 more problems", 21, "history[0].moves[0]", 30_000
    )
    assert "6000 problems" in out
    assert out.count("unknown move") == MAX_REPORTED_PROBLEMS
    assert len(out.splitlines()) == MAX_REPORTED_PROBLEMS + 3


def test_exact_arithmetic_is_bounded_in_work(tmp_path):
    # 14 kB: before the work budget, validate ran for more than ten minutes.
    lines = [*GOOD.split("derived:")[0].splitlines(), "derived:", '  d0: "(gain/7)**8000"']
    lines += [f'  d{k}: "(d{k - 1} + d0) / 2 + d{k - 1} * 0.5 - d0 / 3"' for k in range(1, 199)]
    lines += ["  net: d198", *GOOD.split("  net: gain - harm\n")[1].splitlines()]
    lines += [f"  a{k}: {{set: {{gain: {k % 5}}}}}" for k in range(150)]
    f = tmp_path / "heavy.yaml"
    f.write_text("\n".join(lines) + "\n")
    assert refuse_cli(f, "too much work", None, "") < TIME_LIMIT


def test_work_budget_is_exhausted_and_reported():
    e = parse_expression("(x / 7) ** 4000 * (x / 11) ** 4000")
    with work_budget(10**5) as budget, pytest.raises(EvaluationError, match="too much work"):
        e.evaluate({"x": Fraction(3)})
    assert budget.exhausted
    assert e.evaluate({"x": Fraction(1)}) == Fraction(1, 77**4000)  # no budget outside


def test_a_large_honest_file_stays_within_the_budget():
    moves = [f"m{k}" for k in range(12)]
    lines = [
        "schema: 1",
        "id: big",
        "title: Big",
        "players: [{id: a}, {id: b}]",
        f"moves: [{', '.join(moves)}]",
        "parameters:",
        *(f"  p{k}: {{value: {k % 7 + 1}, min: 0, max: 10}}" for k in range(50)),
        "derived:",
        *(
            f'  d{k}: "p{k % 50} * 0.25 + p{(k + 3) % 50} / 3 - min(p{k % 50}, 2)"'
            for k in range(150)
        ),
        "payoffs:",
    ]
    for i, r in enumerate(moves):
        lines.append(f"  {r}:")
        lines += [
            f'    {c}: ["d{(i * 12 + j) % 150} - p{i}", "p{j} / 7"]' for j, c in enumerate(moves)
        ]
    lines += ["assumptions:", *(f"  a{k}: {{set: {{p{k % 50}: {k % 9}.5}}}}" for k in range(200))]
    s = accepted("\n".join(lines) + "\n")
    assert len(s.assumptions) == 201 and len(s.moves[0]) == 12


# ------------------------------------------------------------- 2. file reading


def test_two_gigabyte_sparse_file_is_refused_by_its_size(tmp_path):
    f = tmp_path / "huge.yaml"
    with open(f, "wb") as out:
        out.truncate(2_000_000_000)
    assert refuse_cli(f, "larger than 1 MB") < 10


def test_fifo_is_refused_without_blocking(tmp_path):
    f = tmp_path / "pipe.yaml"
    os.mkfifo(f)
    assert refuse_cli(f, "not a regular file (a FIFO)") < 10


def test_symlink_loop_is_named(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.symlink_to(b)
    b.symlink_to(a)
    proc, _ = run_cli("validate", str(a))
    assert proc.returncode == 1
    assert_refused(proc.stderr, a, "a loop of symbolic links")
    assert "no such file" not in proc.stderr


@pytest.mark.parametrize("kind", ["directory", "dangling-link", "device"])
def test_other_non_files_are_named(tmp_path, kind):
    if kind == "directory":
        target, fragment = tmp_path, "a directory"
    elif kind == "dangling-link":
        target = tmp_path / "gone.yaml"
        target.symlink_to(tmp_path / "nowhere.yaml")
        fragment = "no such file"
    else:
        target, fragment = Path("/dev/zero"), "a character device"
    result = CliRunner().invoke(main, ["validate", str(target)])
    assert result.exit_code == 1
    assert_refused(result.output, target, fragment)


def test_file_that_is_not_utf8_names_the_line(tmp_path):
    f = tmp_path / "latin.yaml"
    f.write_bytes(GOOD.encode().replace(b"title: Sample", b"title: caf\xe9"))
    out = CliRunner().invoke(main, ["validate", str(f)]).output
    assert_refused(out, f, "not UTF-8 text", 3)


def test_nul_in_a_path_is_a_library_error():
    with pytest.raises(NegotiationError):
        load_scenario("bad\x00name.yaml")


# ------------------------------------------------------------- 3. recursion, digits, non-finite


@pytest.mark.parametrize("depth", [60, 500, 400_000])
def test_deep_nesting_is_refused_without_recursion(tmp_path, depth):
    f = tmp_path / "deep.yaml"
    f.write_text(mutate("title: Sample", "title: Sample\nsources: " + "[" * depth + "]" * depth))
    # libyaml refuses 400,000 levels itself (its limit is 1000); either way, located
    assert refuse_cli(f, "nest", 4) < 10


NUMBER_CASES = [
    ("5000-digit-int", "harm: 3", "harm: " + "9" * 5000, "parameters.harm", 8, "5000 digits"),
    (
        "4000-digit-decimal",
        "harm: 3",
        "harm: 1." + "1" * 4000,
        "parameters.harm",
        8,
        "4001 digits",
    ),
    ("exponent-999", "harm: 3", "harm: 1e999", "parameters.harm", 8, "exponent 999"),
    ("yaml11-exponent", "harm: 3", "harm: 1.0e+999", "parameters.harm", 8, "exponent +999"),
    ("inf", "harm: 3", "harm: .inf", "parameters.harm", 8, "must be finite"),
    ("minus-inf", "harm: 3", "harm: -.inf", "parameters.harm", 8, "must be finite"),
    ("nan", "harm: 3", "harm: .nan", "parameters.harm", 8, "must be finite"),
    ("inf-payoff", "hold: [net, net]", "hold: [net, .inf]", "payoffs.hold.hold[1]", 13, "finite"),
    ("inf-discount", "discount: 0.9", "discount: .inf", "repeated.discount", 15, "finite"),
    (
        "inf-rounds",
        "discount: 0.9",
        "discount: 0.9\n  rounds: .inf",
        "repeated.rounds",
        16,
        "finite",
    ),
    ("nan-min", "{value: 2, min: 0,", "{value: 2, min: .nan,", "parameters.gain.min", 7, "finite"),
    (
        "huge-seed",
        "discount: 0.9",
        "discount: 0.9\n  seed: " + "7" * 5000,
        "repeated.seed",
        16,
        "digits",
    ),
    (
        "huge-key-digits",
        "hold: [net, net]",
        "hold: [net, " + "8" * 4500 + "]",
        "payoffs.hold.hold[1]",
        13,
        "digits",
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "field", "line", "fragment"),
    NUMBER_CASES,
    ids=[c[0] for c in NUMBER_CASES],
)
def test_unreadable_numbers_are_located(tmp_path, case, old, new, field, line, fragment):
    out = refuse_quick(tmp_path, mutate(old, new), fragment, line, field)
    assert "0" * 100 not in out and "1" * 100 not in out and "9" * 100 not in out


def test_huge_assumption_value_is_refused_and_nothing_prints_its_digits(tmp_path):
    text = mutate("set: {gain: 4}", 'set: {harm: "10**4500"}')
    refuse_quick(tmp_path, text, "too large", 19, "assumptions.big-gain.set.harm")
    f = tmp_path / "bad.yaml"
    result = CliRunner().invoke(main, ["show", "--format", "json", str(f)])
    assert result.exit_code == 1 and "internal error" not in result.output


def test_huge_values_in_evaluation_messages_are_described_not_written():
    for text in ["sqrt(-(10**5000))", "log(-(10**5000))"]:
        with pytest.raises(EvaluationError, match="about 5001 digits"):
            parse_expression(text).evaluate({})


# ------------------------------------------------------------- 4. YAML 1.1 readings


MISREADING_CASES = [
    ("date-payoff", "[0, 0]", "[2025-01-01, -5]", "payoffs.roll_back.roll_back[0]", 12, "date"),
    ("month-payoff", "[0, 0]", "[2025-04, 0]", "payoffs.roll_back.roll_back[0]", 12, "date"),
    ("date-parameter", "harm: 3", "harm: 2025-01-01", "parameters.harm", 8, "date"),
    ("sexagesimal", "harm: 3", "harm: 1:30", "parameters.harm", 8, "base-60"),
    (
        "sexagesimal-rounds",
        "discount: 0.9",
        "discount: 0.9\n  runs: 1:30",
        "repeated.runs",
        16,
        "base-60",
    ),
    (
        "rounds-true",
        "discount: 0.9",
        "discount: 0.9\n  rounds: true",
        "repeated.rounds",
        16,
        "boolean true",
    ),
    (
        "seed-yes",
        "discount: 0.9",
        "discount: 0.9\n  seed: yes",
        "repeated.seed",
        16,
        "boolean true",
    ),
    ("discount-on", "discount: 0.9", "discount: on", "repeated.discount", 15, "boolean true"),
    (
        "noise-off",
        "discount: 0.9",
        "discount: 0.9\n  noise: off",
        "repeated.noise",
        16,
        "boolean false",
    ),
    ("payoff-no", "[0, 0]", "[no, 0]", "payoffs.roll_back.roll_back[0]", 12, "boolean false"),
    ("parameter-false", "harm: 3", "harm: false", "parameters.harm", 8, "boolean false"),
    ("octal", "harm: 3", "harm: 010", "parameters.harm", 8, "octal"),
    ("octal-payoff", "[0, 0]", "[017, 0]", "payoffs.roll_back.roll_back[0]", 12, "octal"),
    ("hexadecimal", "harm: 3", "harm: 0x10", "parameters.harm", 8, "hexadecimal"),
    (
        "octal-1.2",
        "discount: 0.9",
        "discount: 0.9\n  rounds: 0o17",
        "repeated.rounds",
        16,
        "octal",
    ),
    ("underscores", "harm: 3", "harm: 1_000", "parameters.harm", 8, "'_' between digits"),
    ("binary", "harm: 3", "harm: 0b101", "parameters.harm", 8, "binary"),
    ("schema-true", "schema: 1", "schema: true", "schema", 1, "boolean true"),
    (
        "rounds-decimal",
        "discount: 0.9",
        "discount: 0.9\n  rounds: 2.5",
        "repeated.rounds",
        16,
        "whole number",
    ),
    ("int-tag", "harm: 3", "harm: !!int 3", "parameters.harm", 8, "tag '!!int' is not allowed"),
    ("float-tag", "harm: 3", "harm: !!float 1e999", "parameters.harm", 8, "not allowed"),
    (
        "timestamp-tag",
        "harm: 3",
        "harm: !!timestamp 2025-01-01",
        "parameters.harm",
        8,
        "not allowed",
    ),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "field", "line", "fragment"),
    MISREADING_CASES,
    ids=[c[0] for c in MISREADING_CASES],
)
def test_yaml11_readings_never_silently_become_numbers(
    tmp_path, case, old, new, field, line, fragment
):
    refuse_quick(tmp_path, mutate(old, new), fragment, line, field)


def test_yaml11_lookalikes_are_kept_as_text_where_text_is_expected():
    text = mutate("moves: [roll_back, hold]", "moves: [yes, no]")
    text = text.replace("roll_back", "yes").replace("hold", "no")
    text = mutate("title: Sample", "title: 2025-01-01\nsummary: on", text)
    s = accepted(text + "history:\n  - {date: 2025-05-12, moves: [yes, no], source: s}\n")
    assert s.moves == (("yes", "no"), ("yes", "no"))
    assert s.title == "2025-01-01" and s.summary == "on"
    assert type(s.title) is str and s.history[0].date == "2025-05-12"


def test_numbers_follow_yaml_1_2():
    data = load_yaml("a: [1e5, .5, -3, +2, 1., 0.55, ~, null, true, FALSE]\n").data["a"]
    assert data == [Fraction(100000), Fraction(1, 2), -3, 2, 1, Fraction(11, 20)] + [None] * 2 + [
        True,
        False,
    ]
    assert all(type(x) is not float for x in data[:6])
    assert isinstance(load_yaml("a: 1:30\n").data["a"], Ambiguous)


def test_plain_yes_key_is_the_text_yes():
    assert load_yaml("yes: 1\non: 2\n").data == {"yes": 1, "on": 2}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: 1\n---\nb: 2\n", "more than one YAML document"),
        ("<<: {a: 1}\n", "merge keys"),
        ("a: &x [1, *x]\n", "contains it"),
        ("a: *nowhere\n", "is unknown"),
        ("a: !!python/object/apply:os.system [echo]\n", "not allowed"),
        ("a: !!set {x: null}\n", "not allowed"),
        ("a: [1, 2\nb: 3\n", "invalid YAML"),
    ],
)
def test_other_yaml_constructs_are_refused(text, fragment):
    with pytest.raises(ScenarioError, match=fragment) as info:
        load_yaml(text, file="y.yaml")
    assert info.value.problem.line is not None


# ------------------------------------------------------------- 5. short messages


def test_500_kb_key_is_cut_in_the_message(tmp_path):
    key = "x" * 500_000
    out = refuse_quick(tmp_path, mutate("  harm: 3", f"  harm: 3\n  ? {key}\n  : 1"), "", 9)
    assert len(out) < 1000


def test_900k_expression_is_cut_in_the_message(tmp_path):
    expr = "gain + " * 128_000 + "1"
    out = refuse_quick(
        tmp_path,
        mutate("net: gain - harm", f'net: "{expr}"'),
        "expression is too long",
        10,
        "derived.net",
    )
    assert len(out) < 1000
    assert "unknown name 'net'" not in out  # a refused definition is reported once


def test_long_lists_in_messages_are_cut():
    params = "".join(f"  p{k}: 1\n" for k in range(190))
    with pytest.raises(ScenarioError) as info:
        parse_scenario(mutate("  harm: 3\n", "  harm: 3\n" + params).replace("gain]", "gian]"))
    message = str(info.value)
    assert "... and 183 more)" in message and len(message) < 600


def test_strategy_names_cannot_make_the_parser_quadratic(tmp_path):
    name = "k_period_punishment(k=" + " " * 300_000 + "x)"
    start = time.monotonic()
    out = refuse_quick(
        tmp_path,
        mutate("strategies: [grim_trigger]", f'strategies: ["{name}"]'),
        "too long for a strategy name",
        17,
    )
    assert time.monotonic() - start < 5 and len(out) < 1000


def test_shortening_helpers():
    assert shorten("a" * 200) == "a" * 77 + "..."
    assert quote("b" * 200).endswith("(200 characters)")
    assert shorten_list(range(1000)) == "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... and 990 more"
    assert show_number(Fraction(10) ** 5000) == "a number of about 5001 digits"
    long = Problem("f.yaml", ("k" * 10_000,), 3, "m" * 100_000)
    assert len(str(long)) < 1300


# ------------------------------------------------------------- 6. strategy arguments


STRATEGY_CASES = [
    ("k-zero", "k_period_punishment(k=0)", "from 1 to 50, got k=0"),
    ("k-huge", "k_period_punishment(k=10**9)", "got k=10**9"),
    ("k-import", "k_period_punishment(k=__import__)", "whole number"),
    ("k-51", "k_period_punishment(k=51)", "from 1 to 50"),
    ("k-fraction", "k_period_punishment(k=1.5)", "whole number"),
    ("k-digits", "k_period_punishment(k=" + "9" * 40 + ")", "whole number"),
    ("long-name", "k_period_punishment(k=" + "9" * 4500 + ")", "too long for a strategy name"),
    ("wrong-argument", "k_period_punishment(j=2)", "takes the argument k, not 'j'"),
    ("twice", "k_period_punishment(k=1, k=2)", "given twice"),
    ("no-arguments", "grim_trigger(k=2)", "grim_trigger takes no arguments"),
    ("always-arguments", "always_hold(k=1)", "takes no arguments"),
    ("q-above-one", "generous_tit_for_tat(q=2)", "probability from 0 to 1"),
    ("q-zero-denominator", "generous_tit_for_tat(q=1/0)", "denominator is 0"),
    ("q-negative", "generous_tit_for_tat(q=-1)", "probability"),
    ("q-expression", "generous_tit_for_tat(q=sqrt(2))", "probability"),
    ("malformed", "grim_trigger(", "not a strategy name"),
]


@pytest.mark.parametrize(
    ("case", "name", "fragment"), STRATEGY_CASES, ids=[c[0] for c in STRATEGY_CASES]
)
def test_strategy_arguments_are_checked_by_validate(tmp_path, case, name, fragment):
    text = mutate("strategies: [grim_trigger]", f'strategies: ["{name}"]')
    refuse_quick(tmp_path, text, fragment, 17, "repeated.strategies[0]")


CUSTOM = "strategies:\n  mine:\n    {player}start: a\n    states: {{a: {{play: hold}}}}\n"


def test_custom_strategy_arguments_and_one_player_strategies_are_refused(tmp_path):
    text = GOOD + CUSTOM.format(player="")
    refuse_quick(
        tmp_path,
        mutate("strategies: [grim_trigger]", 'strategies: ["mine(k=2)"]', text),
        "takes no arguments",
        17,
    )
    text = GOOD + CUSTOM.format(player="player: us\n    ")
    refuse_quick(
        tmp_path,
        mutate("strategies: [grim_trigger]", "strategies: [mine]", text),
        "declared for player 'us' only",
        17,
    )


def test_good_strategy_arguments_pass_and_later_commands_accept_them(tmp_path):
    names = '["k_period_punishment(k=3)", "generous_tit_for_tat(q=1/4)", always_hold]'
    text = mutate("strategies: [grim_trigger]", f"strategies: {names}")
    assert accepted(text).repeated.strategies[0] == "k_period_punishment(k=3)"
    f = tmp_path / "ok.yaml"
    f.write_text(text)
    result = CliRunner().invoke(main, ["stability", str(f)])
    assert result.exit_code == 0, result.output


def test_parse_strategy_name_errors_are_library_errors():
    for bad in ["x(", "k(k=1,k=2)", "a" * 300, 5]:
        with pytest.raises(StrategyNameError) as info:
            parse_strategy_name(bad)  # type: ignore[arg-type]
        assert isinstance(info.value, NegotiationError) and isinstance(info.value, ValueError)


def test_nash_punishment_without_a_pure_equilibrium_is_found_by_validate(tmp_path):
    pennies = textwrap.dedent(
        """\
        schema: 1
        id: pennies
        title: Matching pennies
        players: [{id: a}, {id: b}]
        moves: [h, t]
        payoffs:
          h: {h: [1, -1], t: [-1, 1]}
          t: {h: [-1, 1], t: [1, -1]}
        repeated:
          discount: 0.9
          target: [h, h]
          strategies: [grim_trigger]
        """
    )
    refuse_quick(tmp_path, pennies, "no pure equilibrium", 9, "repeated.punishment")
    accepted(pennies + "  punishment: minmax\n")


# ------------------------------------------------------------- 7. inexact payoffs


def test_inexact_payoffs_are_located_for_the_exact_analyses():
    s = accepted(mutate("[0, 0]", '["3 + sqrt(2)", 0]'))
    assert s.inexact_payoff() == ("payoffs", "roll_back", "roll_back", 0)
    with pytest.raises(ScenarioError) as info:
        s.require_exact_payoffs("stability")
    message = str(info.value)
    assert message.startswith("ok.yaml:12: payoffs.roll_back.roll_back[0]: stability needs")
    assert "'3 + sqrt(2)'" in message and "asked for" not in message
    accepted(GOOD).require_exact_payoffs("stability")


# ------------------------------------------------------------- 8. starter files


ROUND_TRIP_IDS = [
    *("yes", "no", "null", "true", "off", "On", "NaN"),  # YAML 1.1 booleans and specials
    *("123", "1.5", "0x10", "1e5", "010", "2025-01-01"),  # numbers and dates
    *("a" * 100, "a.b-c_d"),
]


@pytest.mark.parametrize("name", ROUND_TRIP_IDS)
def test_every_id_new_accepts_round_trips(tmp_path, name):
    result = CliRunner().invoke(main, ["new", name, "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code == 0, result.output
    s = load_scenario(str(tmp_path / "s.yaml"))
    assert s.id == name and type(s.id) is str


@pytest.mark.parametrize("name", ["a\\b", "", "-x", "a" * 101, "a b", "ü", ".hidden", "a/b"])
def test_ids_that_can_never_be_valid_are_refused_by_new(tmp_path, name):
    result = CliRunner().invoke(main, ["new", name, "-o", str(tmp_path / "s.yaml")])
    assert result.exit_code != 0
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "s.yaml").exists()
    with pytest.raises(NegotiationError):
        starter_scenario(name)


# ------------------------------------------------------------- 9. unprintable text


TEXT_CASES = [
    ("surrogate-title", "title: Sample", 'title: "\\ud800"', 3, "", "surrogate"),
    ("escape-title", "title: Sample", 'title: "\\e[31mred"', 3, "title", "U+001B"),
    (
        "nul-description",
        "title: Sample",
        'title: Sample\ndescription: "a\\0b"',
        4,
        "description",
        "U+0000",
    ),
    ("bell-key", "  harm: 3", '  "h\\barm": 3', 8, "", "U+0008"),
    (
        "carriage-return-move",
        "moves: [roll_back, hold]",
        'moves: [roll_back, "ho\\rld"]',
        5,
        "moves[1]",
        "U+000D",
    ),
    ("c1-control", "title: Sample", 'title: "\\x9b31m"', 3, "title", "U+009B"),
]


@pytest.mark.parametrize(
    ("case", "old", "new", "line", "field", "fragment"),
    TEXT_CASES,
    ids=[c[0] for c in TEXT_CASES],
)
@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_text_that_cannot_be_printed_is_refused_at_load(
    tmp_path, monkeypatch, case, old, new, line, field, fragment, parser
):
    if parser == "python":
        monkeypatch.setattr(ys, "_LOADER", ys.yaml.SafeLoader)
        monkeypatch.setattr(ys, "_C_PARSER", False)
    elif not ys._C_PARSER:
        pytest.skip("PyYAML without libyaml")
    if fragment == "surrogate" and parser == "libyaml":
        fragment = "invalid Unicode character escape"  # libyaml refuses the escape itself
    elif fragment != "surrogate":
        fragment = f"control character {fragment}"
    out = refuse_quick(tmp_path, mutate(old, new), fragment, line, field)
    assert "\x1b" not in out and "\x9b" not in out


def test_lone_surrogate_in_python_text_is_located():
    with pytest.raises(ScenarioError, match="U\\+D800") as info:
        parse_scenario(mutate("title: Sample", "title: caf\ud800"))
    assert info.value.problem.line == 3


def test_show_never_meets_an_unencodable_title(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(mutate("title: Sample", 'title: "\\ud800"'))
    result = CliRunner().invoke(main, ["show", str(f)])
    assert result.exit_code == 1 and "internal error" not in result.output


# ------------------------------------------------------------- 10. the Python API


def test_parse_scenario_takes_bytes_and_refuses_other_types():
    assert parse_scenario(GOOD.encode()).id == "sample"
    assert parse_scenario(bytearray(GOOD.encode())).id == "sample"
    with pytest.raises(ScenarioError, match="not UTF-8") as info:
        parse_scenario(GOOD.encode().replace(b"Sample", b"\xff"), file="b.yaml")
    assert info.value.problem.line == 3
    for bad in [None, 5, ["schema: 1"]]:
        with pytest.raises(ScenarioError, match="expected the text of a scenario"):
            parse_scenario(bad)  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match="larger than"):
        parse_scenario(b"#" * 2_000_000)
    with pytest.raises(ScenarioError, match="larger than"):
        parse_scenario("#" * 2_000_000)


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        -float("inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        object(),
        [1],
        None,
        True,
        10**5000,
        "x" * 5000,
        "nan",
    ],
    ids=[
        "nan",
        "inf",
        "-inf",
        "decimal-nan",
        "decimal-snan",
        "object",
        "list",
        "none",
        "bool",
        "huge-int",
        "long-text",
        "nan-text",
    ],
)
def test_bad_overrides_are_library_errors(value):
    s = accepted(GOOD)
    with pytest.raises(NegotiationError) as info:
        s.parameter_values("baseline", {"harm": value})
    assert len(str(info.value)) < 400


def test_good_overrides_of_every_number_type():
    s = accepted(GOOD)
    for value, expected in [(Decimal("2.5"), Fraction(5, 2)), (Fraction(1, 3), Fraction(1, 3)),
                            (4, 4), (0.5, Fraction(1, 2)), ("1/4", Fraction(1, 4))]:  # fmt: skip
        assert s.parameter_values("baseline", {"harm": value})["harm"] == expected


@pytest.mark.parametrize(
    ("assumption", "overrides"),
    [(["x"], None), (None, None), ("baseline", [1]), ("baseline", {5: 1})],
)
def test_bad_assumption_and_override_arguments(assumption, overrides):
    with pytest.raises(NegotiationError):
        accepted(GOOD).parameter_values(assumption, overrides)


def test_error_count_covers_what_is_not_listed():
    problems = [Problem("f", ("a",), k, "m") for k in range(MAX_REPORTED_PROBLEMS + 5)]
    text = str(ScenarioErrors(problems, omitted=10))
    assert text.startswith(f"f: {MAX_REPORTED_PROBLEMS + 15} problems")
    assert text.endswith("... and 15 more problems")
