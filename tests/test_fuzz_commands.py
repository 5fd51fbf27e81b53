"""Random files and random option values into every command: always a clean exit (0, 1
or 2) with a message, never a traceback or an "internal error" (issue "Hostile input and
faults")."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from negotiation.cli.main import main

GOOD = {
    "schema": 1,
    "id": "fuzz",
    "title": "Fuzz",
    "players": [{"id": "us"}, {"id": "cn"}],
    "moves": ["roll_back", "hold"],
    "parameters": {"gain": {"value": 2, "min": 0, "max": 5}, "harm": 3},
    "derived": {"net": "gain - harm"},
    "payoffs": {
        "roll_back": {"roll_back": [0, 0], "hold": ["-harm", "gain"]},
        "hold": {"roll_back": ["gain", "-harm"], "hold": ["net", "net"]},
    },
    "repeated": {
        "discount": 0.9,
        "target": ["roll_back", "roll_back"],
        "strategies": ["grim_trigger"],
        "noise": 0.01,
        "rounds": 20,
        "runs": 10,
        "seed": 1,
    },
    "assumptions": {"big-gain": {"description": "more gain", "set": {"gain": 4}}},
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "1:30",
            "2025-01-01",
            "yes",
            "0x10",
            "1e999",
            "-.inf",
            ".nan",
            "gain ** 99",
            "k_period_punishment(k=0)",
            "__import__('os')",
            "\x1b[2J",
            "$x$",
            "sqrt(2)",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(doc, prefix=()):
    """Every place of the good document a value can be put."""
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


PATHS = list(_paths(GOOD))[1:]


def _leaf(doc, path):
    for key in path:
        doc = doc[key]
    return doc


NUMERIC_PATHS = [
    p
    for p in PATHS
    if (isinstance(_leaf(GOOD, p), int | float) and p != ("schema",))
    or (p and p[0] == "payoffs" and not isinstance(_leaf(GOOD, p), dict | list))
]


def _replace(doc, path, value):
    """``doc`` with the value at ``path`` replaced (unchanged where an earlier change
    removed the path)."""
    if not path:
        return value
    key = path[0]
    if isinstance(doc, dict) and key in doc:
        out: dict | list = dict(doc)
    elif isinstance(doc, list) and isinstance(key, int) and key < len(doc):
        out = list(doc)
    else:
        return doc
    out[key] = _replace(doc[key], path[1:], value)
    return out


@st.composite
def documents(draw):
    """A scenario with one to three places changed to random YAML values, or a random
    document, or random text."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.text(max_size=200))
    if kind == 1:
        return yaml.safe_dump(draw(values))
    doc = GOOD
    # half the time plausible numbers in numeric places (documents that often pass
    # validation and reach the analyses), else anything anywhere
    plausible = kind >= 6
    for _ in range(draw(st.integers(1, 3))):
        if plausible:
            path = draw(st.sampled_from(NUMERIC_PATHS))
            doc = _replace(doc, path, draw(numbers))
        else:
            doc = _replace(doc, draw(st.sampled_from(PATHS)), draw(values))
    return yaml.safe_dump(doc, allow_unicode=True)


numbers = st.one_of(
    st.integers(-20, 20),
    st.floats(-20, 20, allow_nan=False),
    st.sampled_from(["gain * 2", "1/3", "harm - 1", "-gain", "net ** 2", "0", "0.999"]),
)


def _clean(result):
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exit_code in (0, 1, 2), (result.exit_code, out)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {out}")
    assert "Traceback" not in out, out
    assert "internal error" not in out, out


COMMANDS = [
    ["validate"],
    ["show"],
    ["solve"],
    ["stability"],
    ["simulate", "--runs", "5", "--rounds", "10"],
    ["compare", "--no-tipping"],
    ["sweep", "--grid", "gain=0:5:3"],
    ["linkage"],
    ["robustness", "--uniform-ranges", "-n", "16", "--strategy", "grim_trigger"],
    ["evolve", "--grid", "3", "--steps", "20", "--population", "4"],
    ["tournament", "--strategy", "grim_trigger", "--strategy", "tit_for_tat"],
    ["frontier"],
    ["fit"],
    ["report", "--force"],  # -o into the test's folder, below
]

#: Commands that take no FILE (nothing from a stranger to read).
WITHOUT_FILE = {"list", "new", "schema"}


def test_every_command_that_reads_a_file_is_fuzzed():
    fuzzed = {c[0] for c in COMMANDS}
    assert set(main.commands) - WITHOUT_FILE == fuzzed


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=documents(), command=st.sampled_from(COMMANDS))
def test_random_files_give_a_clean_exit(tmp_path, text, command):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = ["-o", str(tmp_path / "report.html")] if command[0] == "report" else []
    result = CliRunner().invoke(main, [command[0], str(path), *command[1:], *out])
    _clean(result)


option_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=12),
    st.sampled_from(["nan", "inf", "-inf", "5e-324", "1e309", "-0", "0x10", "1/3", ""]),
)

ROBUSTNESS = ["robustness", "prisoners-dilemma", "--uniform-ranges", "-a", "baseline"]
ROBUSTNESS += ["--strategy", "grim_trigger"]

OPTIONS = [
    ["simulate", "prisoners-dilemma", "--noise"],
    ["simulate", "prisoners-dilemma", "--rounds"],
    ["simulate", "prisoners-dilemma", "--runs"],
    ["simulate", "prisoners-dilemma", "--seed"],
    ["compare", "prisoners-dilemma", "--no-tipping", "--min-slack"],
    ["compare", "prisoners-dilemma", "--no-tipping", "--min-share"],
    ["compare", "prisoners-dilemma", "--no-tipping", "--set"],
    ["compare", "prisoners-dilemma", "--no-tipping", "--strategy"],
    ["stability", "prisoners-dilemma", "--strategy"],
    ["stability", "prisoners-dilemma", "--set"],
    ["sweep", "prisoners-dilemma", "--grid"],
    ["sweep", "prisoners-dilemma", "--grid", "T=4:6:3", "--jobs"],
    ["sweep", "prisoners-dilemma", "--grid", "T=4:6:3", "--chunk-size"],
    ["sweep", "prisoners-dilemma", "--grid", "T=4:6:3", "--scheduler"],
    ["solve", "prisoners-dilemma", "--assumption"],
    [*ROBUSTNESS, "--samples"],
    [*ROBUSTNESS, "-n", "32", "--seed"],
    [*ROBUSTNESS, "-n", "32", "--replicates"],
    [*ROBUSTNESS, "-n", "32", "--set"],
    ["evolve", "chicken", "--steps", "20", "--grid"],
    ["evolve", "chicken", "--grid", "3", "--steps"],
    ["evolve", "chicken", "--grid", "3", "--steps", "20", "--start"],
    ["evolve", "chicken", "--grid", "3", "--steps", "20", "--population"],
    ["evolve", "chicken", "--grid", "3", "--steps", "20", "--mistake-rate"],
    ["evolve", "chicken", "--grid", "3", "--steps", "20", "--method", "stochastic", "--etha"],
    ["tournament", "chicken", "--strategy", "grim_trigger", "--noise"],
    ["tournament", "chicken", "--strategy", "grim_trigger", "--discount"],
    ["tournament", "chicken", "--strategy"],
    ["frontier", "prisoners-dilemma", "--set"],
]


def _integer(value: str) -> int | None:
    """The integer click would read from ``value`` (as ``int()`` does), else None.

    ``str.isdigit`` is no test for that: it accepts digits ``int()`` refuses, such as
    a superscript two.
    """
    try:
        return int(value)
    except ValueError:
        return None


@settings(max_examples=80, deadline=None)
@given(option=st.sampled_from(OPTIONS), value=option_values)
@example(option=["simulate", "prisoners-dilemma", "--runs"], value="\u00b2")  # found by a draw
@example(option=["simulate", "prisoners-dilemma", "--rounds"], value="\u00b2")
def test_random_option_values_give_a_clean_exit(option, value):
    if option[-1] == "--set":
        value = f"T={value}"
    n = _integer(value)
    if option[-1] == "--rounds" and n is not None and n > 1000:
        # a valid huge number of rounds is a legitimate (long) run; keep it short
        value = str(-n)
    if option[0] == "simulate" and option[-1] == "--runs" and n is not None and n >= 0:
        value = str(min(n, 50))
    sizes = ("--steps", "--grid", "--population")
    if option[0] == "evolve" and option[-1] in sizes and n is not None and n >= 0:
        value = str(min(n, 20))  # a valid large size is a legitimate long run
    if option[0] == "robustness" and option[-1] == "--samples" and n is not None and n >= 0:
        value = str(min(n, 64))  # a valid large sample is a legitimate long run
    extra = ["--executor", "dask"] if option[-1] == "--scheduler" else []
    result = CliRunner().invoke(main, [*option, value, *extra])
    _clean(result)
