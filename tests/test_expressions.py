"""The safe expression language of scenario files: grammar, exactness, errors, limits."""

from __future__ import annotations

import ast
import builtins
import contextlib
import dataclasses
import math
import re
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from negotiation.errors import NegotiationError
from negotiation.scenario import expressions
from negotiation.scenario.expressions import (
    Binary,
    Call,
    EvaluationError,
    Expr,
    ExpressionError,
    Name,
    Number,
    Unary,
    constant,
    parse_expression,
)

ROOT = Path(__file__).resolve().parents[1]
F = Fraction


def value(text: str, **values: Fraction | float) -> Fraction | float:
    return parse_expression(text).evaluate(values)


# ---------------------------------------------------------------- grammar and exactness


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", F(7)),
        ("(1 + 2) * 3", F(9)),
        ("1 - 2 - 3", F(-4)),
        ("1 - (2 - 3)", F(2)),
        ("8 / 4 / 2", F(1)),
        ("8 / (4 / 2)", F(4)),
        ("2 * 3 / 4", F(3, 2)),
        ("2 ** 3 ** 2", F(512)),
        ("(2 ** 3) ** 2", F(64)),
        ("-2 ** 2", F(-4)),
        ("(-2) ** 2", F(4)),
        ("2 ** -1", F(1, 2)),
        ("2 ** -2 ** 2", F(1, 16)),
        ("-2 * 3", F(-6)),
        ("2 * -3", F(-6)),
        ("--3", F(3)),
        ("+3 - +1", F(2)),
        ("1 - -1", F(2)),
        ("-(1 + 2) ** 2", F(-9)),
        ("2 * 3 ** 2", F(18)),
        ("(1/2) ** -3", F(8)),
        ("0 ** 0", F(1)),
        ("(-1) ** (10 ** 30)", F(1)),
        ("(-1) ** (10 ** 30 + 1)", F(-1)),
        ("  1\t+\n2 ", F(3)),
    ],
)
def test_precedence_and_associativity(text, expected):
    result = value(text)
    assert isinstance(result, Fraction)
    assert result == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.55", F(11, 20)),
        (".5", F(1, 2)),
        ("0.1 + 0.2", F(3, 10)),
        ("1e-3", F(1, 1000)),
        ("2.5E+2", F(250)),
        ("2.5e2", F(250)),
        ("1E40", F(10**40)),
        ("1e-40", F(1, 10**40)),
        ("0.3333333333", F(3333333333, 10**10)),
        (
            "12345678901234567890123456789012345678.9",
            F(123456789012345678901234567890123456789, 10),
        ),
    ],
)
def test_decimals_are_exact(text, expected):
    e = parse_expression(text)
    assert e == Number(expected) or "+" in text
    assert e.evaluate({}) == expected and isinstance(e.evaluate({}), Fraction)


def test_names_and_is_constant():
    e = parse_expression(
        "min(t_us, re_share) * 2 + t_us ** leverage_cn",
        names={"t_us", "re_share", "leverage_cn", "other"},
    )
    assert e.names() == frozenset({"t_us", "re_share", "leverage_cn"})
    assert not e.is_constant
    assert parse_expression("sqrt(2) + 1").names() == frozenset()
    assert parse_expression("sqrt(2) + 1").is_constant


def test_functions():
    assert value("min(3, x, 2)", x=F(5)) == 2
    assert value("max(3, x, 2)", x=F(5)) == 5
    assert value("min(7)") == 7 and value("max(1/3)") == F(1, 3)
    assert value("abs(-5/2)") == F(5, 2) and value("abs(2)") == 2
    assert value("sqrt(9/4)") == F(3, 2) and isinstance(value("sqrt(9/4)"), Fraction)
    assert value("sqrt(0)") == 0 and isinstance(value("sqrt(0)"), Fraction)
    assert value("sqrt(10 ** 40)") == 10**20
    assert value("exp(0)") == 1.0 and isinstance(value("exp(0)"), float)
    assert value("exp(1)") == pytest.approx(math.e)
    assert value("log(1)") == 0.0 and isinstance(value("log(1)"), float)
    assert value("log(exp(2))") == pytest.approx(2)
    assert value("log(10 ** 400)") == pytest.approx(400 * math.log(10))  # beyond float range


def test_float_fallbacks():
    assert value("sqrt(2)") == pytest.approx(math.sqrt(2)) and isinstance(value("sqrt(2)"), float)
    assert isinstance(value("2 ** 0.5"), float)
    assert value("4 ** (1/2)") == 2.0 and isinstance(value("4 ** (1/2)"), float)
    assert value("(-8) ** 3") == -512 and isinstance(value("(-8) ** 3"), Fraction)
    assert value("x + 1", x=0.5) == 1.5 and isinstance(value("x + 1", x=0.5), float)
    assert value("x ** 2", x=-1.5) == 2.25
    assert value("min(x, 1/2)", x=0.25) == 0.25
    assert isinstance(value("min(1, x)", x=2.0), float)  # a float argument makes min a float
    assert isinstance(value("exp(0) * 0 + 1/3"), float)
    assert value("x", x=3) == 3 and isinstance(value("x", x=3), Fraction)  # ints are exact


def test_expr_is_frozen_hashable_and_structural():
    a, b = parse_expression("x + 2 * y"), parse_expression("x+2*y")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a == Binary("+", Name("x"), Binary("*", Number(F(2)), Name("y")))
    assert parse_expression("-abs(x)") == Unary("-", Call("abs", (Name("x"),)))
    assert isinstance(a, Expr)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.op = "-"  # type: ignore[misc]
    assert Number(3) == Number(F(3)) and isinstance(Number(3).value, Fraction)


def test_constant():
    assert parse_expression(3) == Number(F(3)) == constant(3)
    assert parse_expression(F(11, 20)) == Number(F(11, 20))
    for v in [F(-5), F(1, 3), F(-2, 7), F(10**60), F(1, 2**70), F(0), 7]:
        e = constant(v)
        assert e.is_constant and e.evaluate({}) == v
        assert parse_expression(str(e)) == e
    assert str(constant(F(-11, 20))) == "-0.55"
    for bad in [True, 0.5, "1", None]:
        with pytest.raises(ExpressionError):
            constant(bad)  # type: ignore[arg-type]
    for bad in [True, 0.5, None, [1]]:
        with pytest.raises(ExpressionError):
            parse_expression(bad)  # type: ignore[arg-type]


def test_canonical_text():
    assert str(parse_expression("2+t_us")) == "2 + t_us"
    assert str(parse_expression("(a*b)+(c/(d-e))")) == "a * b + c / (d - e)"
    assert str(parse_expression("-(2**2)")) == "-2**2"
    assert str(parse_expression("(-2)**2")) == "(-2)**2"
    assert str(parse_expression("2**(-1)")) == "2**-1"
    assert str(parse_expression("(2**3)**2")) == "(2**3)**2"
    assert str(parse_expression("min( a ,b,1.50)")) == "min(a, b, 1.5)"
    assert str(parse_expression("1e30")) == "1e30"
    assert str(parse_expression("0.000001")) == "0.000001"


# ---------------------------------------------------------------- errors


SPEC_MESSAGES = [
    ("tus", ["re_share", "t_us"], "unknown name 'tus' (declared names: re_share, t_us)", 0),
    (
        "t_us.real",
        None,
        "unexpected character '.' at column 5: attribute access is not allowed",
        4,
    ),
    (
        "lambda: 1",
        None,
        "'lambda' is not allowed: expressions may use numbers, declared names, + - * / **,"
        " parentheses and min, max, abs, sqrt, exp, log, root",
        0,
    ),
]


@pytest.mark.parametrize(("text", "names", "message", "position"), SPEC_MESSAGES)
def test_messages_from_the_specification(text, names, message, position):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, names=names)
    assert info.value.message == message == str(info.value)
    assert info.value.position == position


BAD = [
    ("unknown-name", "1 + gian", "unknown name 'gian' (declared names: gain, harm)", 4),
    ("no-names-declared", "x", "declared names: none", 0),
    ("underscore-name", "_x + 1", "may not begin with '_'", 0),
    ("dunder", "__class__", "may not begin with '_'", 0),
    ("dunder-import", "__import__('os').system('true')", "may not begin with '_'", 0),
    ("attribute", "gain.__class__", "attribute access is not allowed", 4),
    ("attribute-after-call", "abs(gain).real", "attribute access is not allowed", 9),
    ("attribute-on-number", "1.__class__", "malformed number", 0),
    ("lambda", "lambda: 1", "'lambda' is not allowed", 0),
    ("import", "import os", "'import' is not allowed", 0),
    ("keyword-inside", "gain if harm else 1", "'if' is not allowed", 5),
    ("true", "True", "'True' is not allowed", 0),
    ("single-quote", "'os'", "strings are not allowed", 0),
    ("double-quote", 'gain + "1"', "strings are not allowed", 7),
    ("bracket", "gain[0]", "indexing and lists are not allowed", 4),
    ("list", "[1, 2]", "indexing and lists are not allowed", 0),
    ("brace", "{1}", "braces are not allowed", 0),
    ("semicolon", "gain; harm", "only one expression is allowed", 4),
    ("assignment", "gain = 1", "assignments and comparisons are not allowed", 5),
    ("comparison", "gain < 1", "comparisons are not allowed", 5),
    ("caret", "gain ^ 2", "write powers as **", 5),
    ("floor-division", "gain // 2", "'//'", 5),
    ("modulo", "gain % 2", "unexpected character '%'", 5),
    ("non-ascii", "gaïn", "unexpected character 'ï'", 2),
    ("unknown-function", "open(1)", "unknown function 'open'", 0),
    ("eval-call", "eval(1)", "unknown function 'eval'", 0),
    ("call-on-name", "gain(1)", "'gain' is not a function", 0),
    ("call-on-number", "2(1)", "unexpected '('", 1),
    ("bare-function", "exp + 1", "function 'exp' at column 1 must be called", 0),
    ("arity-abs", "abs(1, 2)", "abs at column 1 takes exactly 1 argument, got 2", 0),
    ("arity-log", "log()", "log at column 1 takes exactly 1 argument, got 0", 0),
    ("arity-sqrt", "1 + sqrt(1, 2)", "takes exactly 1 argument, got 2", 4),
    ("arity-exp", "exp(1, 2, 3)", "takes exactly 1 argument, got 3", 0),
    ("arity-min", "min()", "min at column 1 takes at least 1 argument, got 0", 0),
    ("trailing-comma", "max(1, )", "unexpected ')'", 7),
    ("empty", "", "empty expression", 0),
    ("blank", "   ", "empty expression", 0),
    ("unclosed", "(1 + 2", "missing ')': the '(' at column 1 is never closed", 6),
    ("unclosed-call", "min(1, 2", "the '(' at column 4 is never closed", 8),
    ("extra-close", "1 + 2)", "unexpected ')' at column 6", 5),
    ("close-first", ")", "unexpected ')' at column 1", 0),
    ("trailing-number", "1 2", "unexpected number '2' at column 3: expected an operator", 2),
    ("trailing-name", "gain harm", "unexpected name 'harm'", 5),
    ("dangling-operator", "1 +", "unexpected end of the expression", 3),
    ("double-star-star", "2 *** 3", "unexpected '*'", 4),
    ("implicit-multiplication", "2gain", "malformed number '2gain'", 0),
    ("trailing-dot", "5.", "malformed number '5.'", 0),
    ("underscore-digits", "1_000", "malformed number", 0),
    ("leading-zero", "gain + 007", "number '007' at column 8 begins with 0", 7),
    ("leading-zeros-decimal", "00.5", "begins with 0", 0),
    ("incomplete-exponent", "1e", "malformed number '1e'", 0),
    ("too-many-digits", "1" * 41, "41 digits: at most 40", 0),
    ("too-many-decimals", "0." + "1" * 40, "41 digits", 0),
    ("exponent-too-large", "1e41", "exponent 41", 0),
    ("exponent-too-small", "2 * 1e-41", "exponent -41", 4),
    ("huge-exponent-literal", "1e" + "9" * 500, "exponent", 0),
]


@pytest.mark.parametrize(("case", "text", "fragment", "position"), BAD, ids=[c[0] for c in BAD])
def test_bad_text_is_refused_with_a_clear_message(case, text, fragment, position):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, names=["gain", "harm"] if case != "no-names-declared" else [])
    err = info.value
    assert fragment in err.message, err.message
    assert err.position == position, (err.position, err.message)
    assert isinstance(err, NegotiationError) and isinstance(err, ValueError)
    assert "\n" not in err.message and len(err.message) < 200
    assert not isinstance(err, EvaluationError)


def test_limits_on_length_and_depth():
    with pytest.raises(ExpressionError, match="too long: 2001 characters"):
        parse_expression("1" + "+1" * 1000)
    assert parse_expression("x" * 2000).names() == {"x" * 2000}
    deep_cases = [
        "(" * 10_000 + "1" + ")" * 10_000,  # refused for its length, before any parsing
        "(" * 999 + "1" + ")" * 999,
        "-" * 1999 + "1",
        "abs(" * 300 + "1" + ")" * 300,
        "2**" * 600 + "2",
        "1" + "+1" * 150,  # a long chain is a deep tree too
    ]
    for text in deep_cases:
        with pytest.raises(ExpressionError) as info:
            parse_expression(text)
        assert "too long" in info.value.message or "nested too deeply" in info.value.message
    ok = parse_expression("(" * 99 + "x" + ")" * 99)
    assert ok == Name("x")
    assert parse_expression("1" + "+1" * 90).evaluate({}) == 91


# ---------------------------------------------------------------- evaluation guards


EVALUATION_ERRORS = [
    ("1 / 0", {}, "division by zero: the divisor in 1 / 0 is 0"),
    ("gain / (harm - 3)", {"gain": F(1), "harm": F(3)}, "division by zero"),
    ("1 / x", {"x": 0.0}, "division by zero"),
    ("log(0)", {}, "log of a non-positive number"),
    ("log(-1/2)", {}, "log of a non-positive number"),
    ("log(x)", {"x": -1.0}, "log of a non-positive number"),
    ("sqrt(-1)", {}, "sqrt of a negative number"),
    ("sqrt(x)", {"x": -0.5}, "sqrt of a negative number"),
    ("(-8) ** (1/3)", {}, "fractional power of a negative number"),
    ("x ** 0.5", {"x": -2.0}, "fractional power of a negative number"),
    ("0 ** -1", {}, "zero to a negative power"),
    ("0 ** -0.5", {}, "zero to a negative power"),
    ("x ** -2", {"x": 0.0}, "zero to a negative power"),
    ("exp(1000)", {}, "value too large"),
    ("exp(700)", {}, "value too large"),  # finite, but beyond 1e300
    ("exp(600) * exp(600)", {}, "value too large"),
    ("x * 1e40 ** 8", {"x": 1e250}, "value too large"),
    ("10 ** 10 ** 10", {}, "power too large"),
    ("2 ** (10 ** 6)", {}, "power too large"),
    ("(1/3) ** -100000", {}, "power too large"),
    ("(2 ** 30000) * (2 ** 30000) * (2 ** 30000) * (2 ** 30000)", {}, "value too large"),
    ("2.0 ** (10 ** 6)", {"x": 1.0}, "power too large"),
    ("x ** (10 ** 6)", {"x": 2.0}, "value too large"),
    ("x ** 400", {"x": 10.0}, "value too large"),
    ("x + 1", {}, "no value was given for the name 'x'"),
    ("x + 1", {"x": math.nan}, "value too large"),
    ("x + 1", {"x": math.inf}, "value too large"),
    ("x + 1", {"x": True}, "expected a number"),
]


@pytest.mark.parametrize(("text", "values", "fragment"), EVALUATION_ERRORS)
def test_evaluation_errors(text, values, fragment):
    e = parse_expression(text)
    start = time.perf_counter()
    with pytest.raises(EvaluationError) as info:
        e.evaluate(values)
    assert time.perf_counter() - start < 0.5
    assert fragment in info.value.message
    assert info.value.position is None
    assert isinstance(info.value, ExpressionError) and isinstance(info.value, NegotiationError)


def test_huge_powers_fail_fast_but_trivial_bases_are_fine():
    for text in [
        "10**10**10",
        "2**(10**6)",
        "10**10**10**10",
        "(10**10**10) * 0",
        "(x + 1) ** (10 ** 9)",
    ]:
        e = parse_expression(text)
        start = time.perf_counter()
        with pytest.raises(EvaluationError, match="too large"):
            e.evaluate({"x": F(1)})
        with pytest.raises(EvaluationError, match="too large"):
            e.to_sympy()
        assert time.perf_counter() - start < 1.0
    for text, expected in [
        ("1 ** (10**30)", 1),
        ("0 ** (10**30)", 0),
        ("(-1) ** (10**30 + 1)", -1),
    ]:
        assert value(text) == expected
    assert value("2 ** 33333") == 2**33333


# ---------------------------------------------------------------- sympy


def test_to_sympy_basics():
    x, y = sympy.symbols("x y", positive=True)
    e = parse_expression("min(x, y) + max(x, 1/2) - abs(y) * sqrt(x) + exp(y) / log(x) + x ** 0.5")
    s = e.to_sympy({"x": x, "y": y})
    assert s.free_symbols == {x, y}
    assert s.has(sympy.Min, sympy.Max, sympy.exp, sympy.log)
    t = parse_expression("t_us * 0.55").to_sympy()
    (sym,) = t.free_symbols
    assert sym.name == "t_us" and sym.is_real
    assert t == sympy.Symbol("t_us", real=True) * sympy.Rational(11, 20)
    assert parse_expression("2 ** 3 + 1/3").to_sympy() == sympy.Rational(25, 3)
    assert parse_expression("sqrt(2) ** 2").to_sympy() == 2
    assert parse_expression("-2 ** 2").to_sympy() == -4
    assert parse_expression("x ** 1000").to_sympy() == sympy.Symbol("x", real=True) ** 1000


NAMES = ("x", "y", "t_us")


@st.composite
def literals(draw) -> str:
    whole = draw(st.text("0123456789", max_size=20)).lstrip("0") or draw(
        st.sampled_from(["", "0"])
    )
    frac = draw(st.text("0123456789", max_size=20))
    mantissa = (whole or ("" if frac else "0")) + ("." + frac if frac else "")
    exponent = draw(st.none() | st.integers(-40, 40))
    marker = draw(st.sampled_from(["e", "E"]))
    return mantissa + ("" if exponent is None else f"{marker}{exponent}")


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(Unary, st.sampled_from(["-", "+"]), children),
        st.builds(Binary, st.sampled_from(["+", "-", "*", "/", "**"]), children, children),
        st.builds(
            lambda f, a: Call(f, (a,)), st.sampled_from(["abs", "sqrt", "exp", "log"]), children
        ),
        st.builds(
            lambda f, args: Call(f, tuple(args)),
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=1, max_size=3),
        ),
    )


ASTS = st.recursive(
    literals().map(lambda t: Number(Fraction(t))) | st.sampled_from(NAMES).map(Name),
    _extend,
    max_leaves=15,
)


@given(literals())
def test_every_literal_round_trips(text):
    e = parse_expression(text)
    assert e == Number(Fraction(text))
    assert parse_expression(str(e)) == e


@given(ASTS)
def test_text_form_round_trips(e):
    text = str(e)
    back = parse_expression(text, names=NAMES)
    assert back == e and hash(back) == hash(e)
    assert str(back) == text
    assert back.names() <= set(NAMES)


SMALL = st.fractions(min_value=-4, max_value=4, max_denominator=5)
EXACT_LEAVES = SMALL.map(constant) | st.sampled_from(["x", "y"]).map(Name)


def _exact_extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    return st.one_of(
        st.builds(Unary, st.sampled_from(["-", "+"]), children),
        st.builds(Binary, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(lambda b, k: Binary("**", b, constant(k)), children, st.integers(-3, 3)),
        st.builds(lambda a: Call("sqrt", (Binary("*", a, a),)), children),
        st.builds(lambda a: Call("abs", (a,)), children),
        st.builds(
            lambda f, args: Call(f, tuple(args)),
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=1, max_size=3),
        ),
    )


EXACT_ASTS = st.recursive(EXACT_LEAVES, _exact_extend, max_leaves=8)
SYMBOLS = {"x": sympy.Symbol("x", real=True), "y": sympy.Symbol("y", real=True)}


def _substituted(e: Expr, x: Fraction, y: Fraction) -> sympy.Expr:
    point = {SYMBOLS["x"]: sympy.Rational(x.numerator, x.denominator)}
    point[SYMBOLS["y"]] = sympy.Rational(y.numerator, y.denominator)
    return e.to_sympy(SYMBOLS).xreplace(point)


@given(EXACT_ASTS, SMALL, SMALL)
def test_exact_evaluation_agrees_with_sympy(e, x, y):
    try:
        ours = e.evaluate({"x": x, "y": y})
    except EvaluationError:
        assume(False)
    assert isinstance(ours, Fraction)
    theirs = _substituted(e, x, y)
    assert theirs == sympy.Rational(ours.numerator, ours.denominator), (str(e), theirs)


FLOAT_PARTS = st.one_of(
    st.builds(lambda f, a: Call(f, (a,)), st.sampled_from(["exp", "log", "sqrt"]), EXACT_ASTS),
    st.builds(lambda a, k: Binary("**", a, constant(F(k, 2))), EXACT_ASTS, st.integers(-3, 3)),
)
FLOAT_ASTS = st.one_of(
    FLOAT_PARTS,
    st.builds(Binary, st.sampled_from(["+", "-", "*"]), FLOAT_PARTS, EXACT_ASTS),
    st.builds(lambda p, q: Call("max", (p, q)), FLOAT_PARTS, EXACT_ASTS),
)


def _magnitude(e: Expr, values: dict[str, Fraction]) -> float:
    """Largest absolute value of any subexpression, to scale the float tolerance."""
    own = abs(float(e.evaluate(values)))
    return max([own, *(_magnitude(c, values) for c in e.children())])


@given(FLOAT_ASTS, SMALL, SMALL)
def test_float_evaluation_agrees_with_sympy(e, x, y):
    values = {"x": x, "y": y}
    try:
        ours = e.evaluate(values)
    except EvaluationError:
        assume(False)
    theirs = _substituted(e, x, y).evalf(30)
    assume(theirs.is_real and theirs.is_finite)
    scale = max(1.0, _magnitude(e, values))
    assert float(ours) == pytest.approx(float(theirs), rel=1e-9, abs=1e-9 * scale), str(e)


# ---------------------------------------------------------------- safety


def test_module_import_does_not_load_sympy_or_numpy():
    code = (
        "import sys, negotiation.scenario.expressions as m; "
        "m.parse_expression('sqrt(x) + 1').evaluate({'x': 4}); "
        "assert 'sympy' not in sys.modules, 'sympy'; assert 'numpy' not in sys.modules, 'numpy'"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def test_parsing_never_executes_code(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("code execution attempted")

    for name in ("eval", "exec", "compile", "__import__"):
        monkeypatch.setattr(builtins, name, refuse)
    for text in [
        "2 + t_us",
        "min(x, 0.55) ** 2 - sqrt(9/4) + log(exp(1))",
        "x.__class__",
        "__import__('os')",
    ]:
        with contextlib.suppress(ExpressionError):
            parse_expression(text).evaluate({"t_us": F(1), "x": F(2)})


def test_source_uses_no_code_execution():
    tree = ast.parse(Path(expressions.__file__).read_text(encoding="utf-8"))
    banned = {
        "eval",
        "exec",
        "compile",
        "sympify",
        "parse_expr",
        "__import__",
        "literal_eval",
        "S",
    }
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {
        n.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and not (n.attr == "compile" and ast.unparse(n.value) == "re")
    }
    assert not used & banned
    imported = {
        a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert "ast" not in imported and "numpy" not in imported


# ------------------------------------------------- root(k, c_n, ..., c_0): read back


def test_root_names_the_kth_real_root():
    assert parse_expression("root(1, 2, -1)").evaluate({}) == Fraction(1, 2)  # exact
    assert parse_expression("root(2, 1, 0, -2)").evaluate({}) == pytest.approx(2**0.5)
    assert parse_expression("root(1, 1, 1, 1, -1)").evaluate({}) == pytest.approx(0.5436890127)
    assert parse_expression("root(1, 1/2, 0, -1)").evaluate({}) == pytest.approx(-(2**0.5))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("root(3, 1, 0, -2)", "asks for real root 3, but the polynomial has 2"),
        ("root(1, 1, 0, 1)", "asks for real root 1, but the polynomial has 0"),  # x^2 + 1
        ("root(0, 1, -1)", "whole number >= 1"),
        ("root(1, 0, 0, 5)", "has no root to number"),
        ("root(1, 1, sqrt(2))", "exact rational numbers only"),
        ("root(1, " + ", ".join(["1"] * 70) + ")", "degree 69 is above 64"),
        ("root(1, 10**9000, -1)", "bits in all"),
    ],
)
def test_bad_roots_are_refused(text, message):
    with pytest.raises(ExpressionError, match=re.escape(message)):
        parse_expression(text).evaluate({})


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(-9, 9), min_size=2, max_size=6).filter(lambda c: c[0] != 0),
    st.integers(1, 5),
)
def test_printed_roots_read_back_exactly(coeffs, k):
    from negotiation.numbers import render_number

    x = sympy.Symbol("x")
    poly = sympy.Poly(coeffs, x)
    real = sorted(set(sympy.real_roots(poly)), key=float)
    assume(k <= len(real))
    value = real[k - 1]
    text = render_number(value)
    back = parse_expression(text)
    assert back.evaluate({}) == pytest.approx(float(value), abs=1e-12)
    assert sympy.simplify(back.to_sympy() - value) == 0
