"""Safe arithmetic expressions for scenario files: a whitelisting parser and a small AST.

A scenario file is data, so its formulas are never given to ``eval`` or to a
general-purpose parser. The text is tokenized against a whitelist and parsed by
precedence climbing into an immutable tree of this module's own classes, which
evaluates with exact rationals (floats only for ``exp``, ``log``, irrational square
roots and fractional powers). Hostile input is bounded: long text, deep nesting,
long literals and huge powers raise :class:`ExpressionError` quickly.

Precedence, loosest first: ``+ -``, then ``* /`` (both left-associative), then
unary ``- +``, then ``**`` (right-associative; ``-2**2 == -4`` and ``2**-1`` is
allowed). Calls: ``min``, ``max`` (one or more arguments), ``abs``, ``sqrt``,
``exp``, ``log`` (one argument each). Columns in messages count from 1; the
``position`` attribute of an error counts from 0.

Examples
--------
>>> e = parse_expression("2 * t_us - 0.5", names={"t_us"})
>>> e.evaluate({"t_us": Fraction(3, 4)})
Fraction(1, 1)
>>> str(e), sorted(e.names())
('2 * t_us - 0.5', ['t_us'])
"""

from __future__ import annotations

import keyword
import math
import numbers
import operator
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from negotiation.errors import NegotiationError, shorten, shorten_list, show_number
from negotiation.limits import MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT

if TYPE_CHECKING:  # pragma: no cover
    import sympy

__all__ = [
    "Binary",
    "Call",
    "EvaluationError",
    "Expr",
    "ExpressionError",
    "Name",
    "Number",
    "Unary",
    "WorkBudget",
    "constant",
    "parse_expression",
    "work_budget",
]

MAX_LENGTH = 2000  #: longest expression text, in characters
MAX_DEPTH = 100  #: deepest nesting of parentheses, signs, powers, calls and operators
MAX_DIGITS = MAX_NUMBER_DIGITS  #: most digits in one numeric literal
MAX_EXPONENT = MAX_NUMBER_EXPONENT  #: largest |e| in a literal such as ``1e-3``
MAX_BITS = 100_000  #: largest exact value, in bits of numerator plus denominator
MAX_FLOAT = 1e300  #: largest magnitude of a float result
#: Work charged for evaluating one node of a tree, in the units of :func:`work_budget`
#: (about a nanosecond each: a node takes some 3 microseconds).
NODE_WORK = 3000

#: Callable functions and their (least, most) number of arguments; None means no limit.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (1, None), "max": (1, None),
    "abs": (1, 1), "sqrt": (1, 1), "exp": (1, 1), "log": (1, 1),
    "root": (3, None),
}  # fmt: skip
#: Highest degree of the polynomial of ``root(k, c_n, ..., c_0)``.
MAX_ROOT_DEGREE = 64
#: Most bits of its integer coefficients (after clearing denominators), all together.
MAX_ROOT_BITS = 20_000
_ALLOWED = (
    "expressions may use numbers, declared names, + - * / **, parentheses"
    " and min, max, abs, sqrt, exp, log, root"
)
_HINTS = {
    "[": "indexing and lists are not allowed", "]": "indexing and lists are not allowed",
    "{": "braces are not allowed", "}": "braces are not allowed",
    "'": "strings are not allowed", '"': "strings are not allowed",
    ";": "only one expression is allowed", ":": "only one expression is allowed",
    "=": "assignments and comparisons are not allowed",
    "<": "comparisons are not allowed", ">": "comparisons are not allowed",
    "!": "comparisons are not allowed", "^": "write powers as **",
}  # fmt: skip
_NUMBER = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORD = re.compile(r"[A-Za-z0-9_.]*")
_BINARY = {"+": (10, 11), "-": (10, 11), "*": (20, 21), "/": (20, 21), "**": (40, 39)}
_UNARY_BP = 30  # a sign's operand may contain ** but not * / + -

Value = Fraction | float


class ExpressionError(NegotiationError, ValueError):
    """An expression text cannot be parsed, or its value cannot be computed.

    Parameters
    ----------
    message : str
        One sentence: what was found and what was expected.
    position : int or None
        0-based column of the problem in the text, when known.

    Examples
    --------
    >>> err = ExpressionError("unknown name 'x' (declared names: y)", 0)
    >>> err.message, err.position
    ("unknown name 'x' (declared names: y)", 0)
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class EvaluationError(ExpressionError):
    """A well-formed expression has no acceptable value for the given names.

    Examples
    --------
    >>> try:
    ...     parse_expression("1 / (x - 2)").evaluate({"x": Fraction(2)})
    ... except EvaluationError as err:
    ...     print(err.message)
    division by zero: the divisor in 1 / (x - 2) is 0
    """


class Expr:
    """Base class of the immutable, hashable expression tree.

    Examples
    --------
    >>> e = parse_expression("max(a, 2) ** 2")
    >>> e.evaluate({"a": Fraction(1, 2)}), e.is_constant, e == parse_expression(str(e))
    (Fraction(4, 1), False, True)
    """

    __slots__ = ()

    def children(self) -> tuple[Expr, ...]:
        """The direct subexpressions, left to right.

        Examples
        --------
        >>> parse_expression("a + 1").children()
        (Name(id='a'), Number(value=Fraction(1, 1)))
        """
        return ()

    def names(self) -> frozenset[str]:
        """The names the expression uses.

        Examples
        --------
        >>> sorted(parse_expression("min(a, b) - a * 2").names())
        ['a', 'b']
        """
        return frozenset(node.id for node in _walk(self) if isinstance(node, Name))

    @property
    def is_constant(self) -> bool:
        """True when the expression uses no names.

        Examples
        --------
        >>> parse_expression("2 ** 3").is_constant, parse_expression("x").is_constant
        (True, False)
        """
        return not self.names()

    def evaluate(self, values: Mapping[str, Value]) -> Value:
        """The value for the given names: exact while everything stays rational.

        Parameters
        ----------
        values : mapping of str to Fraction or float
            A value for every name used (ints are accepted as exact).

        Returns
        -------
        Fraction or float
            A float once ``exp``, ``log``, an irrational ``sqrt``, a fractional power
            or a float input is involved.

        Raises
        ------
        EvaluationError
            Division by zero, ``log`` of a non-positive number, ``sqrt`` of a negative,
            a fractional power of a negative, 0 to a negative power, a missing name,
            or a value too large (an exact power over 100,000 bits, a float over 1e300).

        Examples
        --------
        >>> parse_expression("0.1 + 0.2").evaluate({})
        Fraction(3, 10)
        >>> parse_expression("sqrt(x)").evaluate({"x": Fraction(9, 4)})
        Fraction(3, 2)
        >>> round(parse_expression("log(2)").evaluate({}), 6)
        0.693147
        """
        return _eval(self, values, _BUDGET.get())

    def to_sympy(self, symbols: Mapping[str, sympy.Symbol] | None = None) -> sympy.Expr:
        """The same expression in sympy, with exact rationals (sympy is imported here).

        Parameters
        ----------
        symbols : mapping of str to sympy.Symbol, optional
            Symbols to use; other names become ``Symbol(name, real=True)``.

        Raises
        ------
        EvaluationError
            A power with a number as exponent whose exact value could exceed
            100,000 bits (such as ``10**10**10``), so that sympy never computes it.

        Examples
        --------
        >>> parse_expression("min(x, 0.5) + 2**-1").to_sympy()
        Min(1/2, x) + 1/2
        """
        import sympy

        return _to_sympy(self, sympy, dict(symbols or {}))

    def __str__(self) -> str:
        return _fmt(self)[0]


@dataclass(frozen=True)
class Number(Expr):
    """A rational constant (literals are non-negative; a sign is a :class:`Unary`).

    Examples
    --------
    >>> parse_expression("0.55") == Number(Fraction(11, 20))
    True
    """

    value: Fraction

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int | Fraction):
            raise TypeError(f"Number needs an int or Fraction, got {type(self.value).__name__}")
        object.__setattr__(self, "value", Fraction(self.value))


@dataclass(frozen=True)
class Name(Expr):
    """A name of a parameter or derived value.

    Examples
    --------
    >>> parse_expression("t_us")
    Name(id='t_us')
    """

    id: str


@dataclass(frozen=True)
class Unary(Expr):
    """A sign applied to an operand: ``op`` is ``"-"`` or ``"+"``.

    Examples
    --------
    >>> parse_expression("-x") == Unary("-", Name("x"))
    True
    """

    op: str
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Expr):
    """A binary operation: ``op`` is one of ``+ - * / **``.

    Examples
    --------
    >>> str(Binary("**", Unary("-", Number(2)), Number(2)))
    '(-2)**2'
    """

    op: str
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Call(Expr):
    """A call of one of ``min max abs sqrt exp log``.

    Examples
    --------
    >>> parse_expression("min(a, 1)") == Call("min", (Name("a"), Number(1)))
    True
    """

    func: str
    args: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.args


def _walk(root: Expr) -> Iterator[Expr]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children()))


def _height(root: Expr) -> int:
    best, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        best = max(best, depth)
        stack.extend((child, depth + 1) for child in node.children())
    return best


# ---------------------------------------------------------------- parsing


class _Token(NamedTuple):
    kind: str  # "number", "name", "op" or "end"
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch, col = text[i], f"column {i + 1}"
        after_operand = bool(tokens) and (tokens[-1].kind == "name" or tokens[-1].text == ")")
        if ch in " \t\r\n":
            i += 1
        elif ch == "." and after_operand:
            raise ExpressionError(
                f"unexpected character '.' at {col}: attribute access is not allowed", i
            )
        elif (m := _NUMBER.match(text, i)) is not None:
            end = m.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "_."):
                word = _WORD.match(text, i).group()[:30]  # type: ignore[union-attr]
                raise ExpressionError(
                    f"malformed number '{word}' at {col}: expected a number such as"
                    " 12, 0.55, .5 or 1e-3, followed by an operator",
                    i,
                )
            literal, exponent = m.group(), m.group(1)
            if re.match(r"0[0-9]", literal):
                raise ExpressionError(
                    f"number '{literal[:30]}' at {col} begins with 0: write it without the"
                    " leading zeros (a leading 0 reads as octal in some languages)",
                    i,
                )
            digits = sum(c.isdigit() for c in re.split("[eE]", literal)[0])
            if digits > MAX_DIGITS:
                raise ExpressionError(
                    f"number at {col} has {digits} digits: at most {MAX_DIGITS} are allowed", i
                )
            if exponent is not None and abs(int(exponent)) > MAX_EXPONENT:
                raise ExpressionError(
                    f"number at {col} has exponent {exponent[:20]}: its size may be at most"
                    f" {MAX_EXPONENT}",
                    i,
                )
            tokens.append(_Token("number", literal, i))
            i = end
        elif (m := _NAME.match(text, i)) is not None:
            word = m.group()
            if word.startswith("_"):
                raise ExpressionError(
                    f"name '{word[:50]}' at {col} is not allowed: names may not begin with '_'", i
                )
            if keyword.iskeyword(word):
                raise ExpressionError(f"'{word}' is not allowed: {_ALLOWED}", i)
            tokens.append(_Token("name", word, i))
            i = m.end()
        elif text.startswith("//", i):
            raise ExpressionError(f"'//' at {col} is not allowed: use / for exact division", i)
        elif text.startswith("**", i):
            tokens.append(_Token("op", "**", i))
            i += 2
        elif ch in "+-*/(),":
            tokens.append(_Token("op", ch, i))
            i += 1
        else:
            hint = _HINTS.get(
                ch, "expected a number, a name, an operator (+ - * / **), a parenthesis or a comma"
            )
            raise ExpressionError(f"unexpected character {ch!r} at {col}: {hint}", i)
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _describe(tok: _Token) -> str:
    if tok.kind == "end":
        return "end of the expression"
    what = {"number": "number ", "name": "name "}.get(tok.kind, "")
    return f"{what}'{tok.text[:50]}' at column {tok.pos + 1}"


class _Parser:
    def __init__(self, text: str, names: frozenset[str] | None) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.names = names

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1 if tok.kind != "end" else 0
        return tok

    def fail(self, tok: _Token, expected: str) -> ExpressionError:
        return ExpressionError(f"unexpected {_describe(tok)}: expected {expected}", tok.pos)

    def parse(self) -> Expr:
        if self.peek().kind == "end":
            raise ExpressionError("empty expression: expected a number, a name or '('", 0)
        expr = self.expr(0, 1)
        tok = self.peek()
        if tok.text == ")":
            raise ExpressionError(
                f"unexpected ')' at column {tok.pos + 1}: it closes no '('", tok.pos
            )
        if tok.kind != "end":
            raise self.fail(tok, "an operator or the end of the expression")
        if _height(expr) > MAX_DEPTH:
            raise ExpressionError(
                f"expression is nested too deeply: more than {MAX_DEPTH} levels of"
                " operators, parentheses and calls",
                None,
            )
        return expr

    def expr(self, min_bp: int, depth: int) -> Expr:
        tok = self.take()
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"expression is nested too deeply at column {tok.pos + 1}: at most"
                f" {MAX_DEPTH} levels of parentheses, signs, powers and calls are allowed",
                tok.pos,
            )
        left: Expr
        if tok.kind == "number":
            left = Number(Fraction(tok.text))
        elif tok.kind == "name":
            left = self.name_or_call(tok, depth)
        elif tok.text == "(":
            left = self.expr(0, depth + 1)
            self.close(tok, "an operator or ')'")
        elif tok.text in ("-", "+"):
            left = Unary(tok.text, self.expr(_UNARY_BP, depth + 1))
        else:
            raise self.fail(tok, "a number, a name, a sign or '('")
        while (op := self.peek()).kind == "op" and op.text in _BINARY:
            lbp, rbp = _BINARY[op.text]
            if lbp < min_bp:
                break
            self.take()
            left = Binary(op.text, left, self.expr(rbp, depth + 1))
        return left

    def close(self, opener: _Token, expected: str) -> None:
        tok = self.take()
        if tok.text != ")":
            where = f"the '(' at column {opener.pos + 1}"
            if tok.kind == "end":
                raise ExpressionError(f"missing ')': {where} is never closed", tok.pos)
            raise self.fail(tok, f"{expected} to close {where}")

    def name_or_call(self, tok: _Token, depth: int) -> Expr:
        name, col = tok.text, f"column {tok.pos + 1}"
        if self.peek().text == "(":
            if name not in FUNCTIONS:
                known = self.names is not None and name in self.names
                shown = shorten(name, 50)
                what = f"'{shown}' is not a function" if known else f"unknown function '{shown}'"
                raise ExpressionError(
                    f"{what} at {col}: only min, max, abs, sqrt, exp, log, root may be called",
                    tok.pos,
                )
            opener = self.take()
            args: list[Expr] = []
            if self.peek().text != ")":
                args.append(self.expr(0, depth + 1))
                while self.peek().text == ",":
                    self.take()
                    args.append(self.expr(0, depth + 1))
            self.close(opener, "',' or ')'")
            least, most = FUNCTIONS[name]
            if len(args) < least or (most is not None and len(args) > most):
                wanted = f"exactly {least}" if least == most else f"at least {least}"
                raise ExpressionError(
                    f"{name} at {col} takes {wanted} argument{'s' * (least != 1)},"
                    f" got {len(args)}",
                    tok.pos,
                )
            return Call(name, tuple(args))
        if name in FUNCTIONS:
            raise ExpressionError(
                f"function '{name}' at {col} must be called, as in {name}(x)", tok.pos
            )
        if self.names is not None and name not in self.names:
            declared = shorten_list(sorted(self.names)) or "none"
            raise ExpressionError(
                f"unknown name '{shorten(name, 50)}' (declared names: {declared})", tok.pos
            )
        return Name(name)


def parse_expression(text: str | int | Fraction, names: Collection[str] | None = None) -> Expr:
    """Parse expression text (never executing it) into an :class:`Expr`.

    Parameters
    ----------
    text : str, int or Fraction
        The expression; an int or Fraction gives a constant (see :func:`constant`).
    names : collection of str, optional
        The declared names; when given, any other name is an error.

    Returns
    -------
    Expr

    Raises
    ------
    ExpressionError
        With a one-sentence message and the 0-based ``position`` of the problem.

    Examples
    --------
    >>> parse_expression("-2**2 + 0.55").evaluate({})
    Fraction(-69, 20)
    >>> try:
    ...     parse_expression("tus + 1", names=["t_us", "re_share"])
    ... except ExpressionError as err:
    ...     print(err.message, err.position)
    unknown name 'tus' (declared names: re_share, t_us) 0
    """
    if isinstance(text, int | Fraction) and not isinstance(text, bool):
        return constant(text)
    if not isinstance(text, str):
        raise ExpressionError(f"expected expression text, got {type(text).__name__}", None)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"expression is too long: {len(text)} characters, at most {MAX_LENGTH} allowed", None
        )
    return _Parser(text, None if names is None else frozenset(names)).parse()


def constant(value: int | Fraction) -> Expr:
    """The constant expression of an exact number; its text parses back to an equal tree.

    Parameters
    ----------
    value : int or Fraction
        The number (not a bool, not a float).

    Returns
    -------
    Expr
        A :class:`Number`; a minus sign applied to one for a negative value; a division
        for a fraction without a short decimal expansion. A value that no literal
        within the limits can write (an integer with over 40 significant digits, say) is a
        :class:`Number` whose text :func:`parse_expression` refuses.

    Raises
    ------
    ExpressionError
        For a bool or any other type.

    Examples
    --------
    >>> str(constant(Fraction(-11, 20))), str(constant(Fraction(1, 3)))
    ('-0.55', '1 / 3')
    >>> constant(Fraction(1, 3)).evaluate({})
    Fraction(1, 3)
    """
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ExpressionError(f"expected an int or a Fraction, got {type(value).__name__}", None)
    v = Fraction(value)
    if v < 0:
        return Unary("-", constant(-v))
    if v.denominator == 1 or _literal(v) is not None:
        return Number(v)
    return Binary("/", Number(Fraction(v.numerator)), Number(Fraction(v.denominator)))


# ---------------------------------------------------------------- text form

_ATOM, _POWER, _SIGN = 5, 4, 3


def _literal(v: Fraction) -> str | None:
    """Shortest readable literal within the limits for ``v >= 0``, or None."""
    if v == 0:
        return "0"
    if v.numerator.bit_length() > 400 or v.denominator.bit_length() > 400:
        return None
    d, twos, fives = v.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return None
    e = -max(twos, fives)
    m = v.numerator * 10**-e // v.denominator
    while m % 10 == 0:
        m, e = m // 10, e + 1
    D, L = str(m), len(str(m))
    f = max(0, -e)
    if e >= 0:
        plain, digits, pad = D + "0" * e, L + e, e
    elif f < L:
        plain, digits, pad = f"{D[: L - f]}.{D[L - f :]}", L, 0
    else:
        plain, digits, pad = "0." + "0" * (f - L) + D, f + 1, f - L
    X = e + L - 1
    sci = f"{D[0]}.{D[1:]}e{X}" if L > 1 else f"{D}e{X}"
    z = max(0, e - MAX_EXPONENT)  # integer mantissa padded with zeros
    shifted = (D + "0" * z + f"e{e - z}", L + z, abs(e - z))
    g = -MAX_EXPONENT - e  # fractional mantissa with exponent -40
    frac = (f"{D[: L - g]}.{D[L - g :]}" if g < L else "." + "0" * (g - L) + D) + "e-40"
    candidates = [
        (plain, digits if pad <= 6 else MAX_DIGITS + 1, 0),
        (sci, L, abs(X)),
        (plain, digits, 0),
        shifted,
        (frac, max(L, g), 0),
    ]
    for out, n_digits, exponent in candidates:
        if n_digits <= MAX_DIGITS and exponent <= MAX_EXPONENT:
            return out
    return None


def _fmt(e: Expr) -> tuple[str, int]:
    """Canonical text and its precedence (1 for + -, 2 for * /, 3 sign, 4 **, 5 atom)."""
    if isinstance(e, Number):
        v = e.value
        text, bits = _literal(abs(v)), v.numerator.bit_length() + v.denominator.bit_length()
        if text is None:  # no literal within the limits can write it
            text = f"({abs(v)})" if bits < 10_000 else f"(a {bits}-bit number)"
        return (text, _ATOM) if v >= 0 else (f"(-{text})", _ATOM)
    if isinstance(e, Name):
        return e.id, _ATOM
    if isinstance(e, Call):
        return f"{e.func}({', '.join(_fmt(a)[0] for a in e.args)})", _ATOM
    if isinstance(e, Unary):
        text, prec = _fmt(e.operand)
        return e.op + (text if prec >= _SIGN else f"({text})"), _SIGN
    assert isinstance(e, Binary)
    (left, lp), (right, rp) = _fmt(e.left), _fmt(e.right)
    if e.op == "**":
        left = left if lp > _POWER else f"({left})"
        right = right if rp >= _SIGN else f"({right})"
        return f"{left}**{right}", _POWER
    prec = 1 if e.op in "+-" else 2
    left = left if lp >= prec else f"({left})"
    right = right if rp > prec else f"({right})"
    return f"{left} {e.op} {right}", prec


def _show(e: Expr) -> str:
    text = str(e)
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- evaluation

_OPS: dict[str, Callable[[Value, Value], Value]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
}  # fmt: skip


def _float(x: Value, node: Expr) -> float:
    try:
        return x if isinstance(x, float) else float(x)
    except OverflowError:
        raise EvaluationError(f"value too large: {_show(node)} exceeds the float range") from None


def _checked(x: Value, node: Expr) -> Value:
    if isinstance(x, Fraction):
        if x.numerator.bit_length() + x.denominator.bit_length() > MAX_BITS:
            raise EvaluationError(
                f"value too large: {_show(node)} has more than {MAX_BITS} bits as a fraction"
            )
    elif not math.isfinite(x) or abs(x) > MAX_FLOAT:
        raise EvaluationError(f"value too large: {_show(node)} is not within ±{MAX_FLOAT:g}")
    return x


def _lookup(name: str, values: Mapping[str, Value]) -> Value:
    if name not in values:
        raise EvaluationError(f"no value was given for the name '{name}'")
    v = values[name]
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise EvaluationError(f"the value of '{name}' is {shorten(repr(v))}, expected a number")
    exact = isinstance(v, numbers.Rational)
    return _checked(Fraction(v) if exact else float(v), Name(name))


def _power(a: Value, b: Value, node: Binary) -> Value:
    if isinstance(a, Fraction) and isinstance(b, Fraction) and b.denominator == 1:
        k = b.numerator
        if a == 0 and k < 0:
            raise EvaluationError(f"zero to a negative power in {_show(node)}")
        if a == 0 or a == 1 or k == 0:
            return Fraction(int(a == 1 or k == 0))
        if a == -1:
            return Fraction(-1 if k % 2 else 1)
        if (a.numerator.bit_length() + a.denominator.bit_length()) * abs(k) > MAX_BITS:
            raise EvaluationError(
                f"power too large: {_show(node)} would have more than {MAX_BITS} bits"
            )
        return Fraction(a**k)
    fa, fb = _float(a, node.left), _float(b, node.right)
    if fa == 0 and fb < 0:
        raise EvaluationError(f"zero to a negative power in {_show(node)}")
    if fa < 0 and not fb.is_integer():
        raise EvaluationError(f"fractional power of a negative number in {_show(node)}")
    try:
        return _checked(fa**fb, node)
    except OverflowError:
        raise EvaluationError(f"value too large: {_show(node)} overflows") from None


def _root_polynomial(node: Call, args: Sequence[Any]) -> tuple[int, list[int]]:
    """``root(k, c_n, ..., c_0)``'s index (from 1) and integer coefficients (c_n first),
    checked: exact rational arguments, a whole k >= 1, degree 1 to MAX_ROOT_DEGREE."""
    show = _show(node)
    if not all(isinstance(a, Fraction) for a in args):
        raise EvaluationError(f"{show}: root takes exact rational numbers only")
    k, coeffs = args[0], list(args[1:])
    if k.denominator != 1 or k < 1:
        raise EvaluationError(
            f"{show}: the first argument (which root, from 1) must be a whole number >= 1"
        )
    while coeffs and coeffs[0] == 0:
        coeffs.pop(0)
    if len(coeffs) < 2:
        raise EvaluationError(f"{show}: the polynomial c_n x^n + ... + c_0 has no root to number")
    if len(coeffs) - 1 > MAX_ROOT_DEGREE:
        raise EvaluationError(f"{show}: degree {len(coeffs) - 1} is above {MAX_ROOT_DEGREE}")
    scale = math.lcm(*(c.denominator for c in coeffs))
    ints = [int(c * scale) for c in coeffs]
    if sum(c.bit_length() for c in ints) > MAX_ROOT_BITS:
        raise EvaluationError(f"{show}: coefficients above {MAX_ROOT_BITS} bits in all")
    return int(k), ints


def real_roots(coeffs: Sequence[int]) -> list[Fraction | float]:
    """The distinct real roots, ascending, of the integer polynomial ``coeffs`` (highest
    degree first): exact where rational, else the nearest float (python-flint's certified
    root isolation).

    Examples
    --------
    >>> real_roots([2, -1])  # 2x - 1
    [Fraction(1, 2)]
    >>> [round(float(r), 6) for r in real_roots([1, 1, 1, -1])]
    [0.543689]
    """
    import flint

    poly: Any = flint.fmpz_poly(list(reversed(coeffs)))
    _, factors = poly.factor()
    found: list[Fraction | float] = []
    for f, _m in factors:
        if f.degree() == 1:
            b, a = (int(c) for c in f.coeffs())
            found.append(Fraction(-b, a))
            continue
        for z, _k in f.complex_roots():
            if z.imag == 0:
                found.append(float(z.real.mid()))
    return sorted(set(found), key=float)


def _root(node: Call, args: list[Value]) -> Value:
    k, coeffs = _root_polynomial(node, args)
    roots = real_roots(coeffs)
    if k > len(roots):
        raise EvaluationError(
            f"{_show(node)} asks for real root {k}, but the polynomial has {len(roots)}"
        )
    return roots[k - 1]


def _call(node: Call, args: list[Value]) -> Value:
    if node.func == "root":
        return _root(node, args)
    if node.func in ("min", "max"):
        best = min(args) if node.func == "min" else max(args)
        return _float(best, node) if any(isinstance(x, float) for x in args) else best
    (x,) = args
    show = _show(node)
    if node.func == "abs":
        return -x if x < 0 else x
    if node.func == "sqrt":
        if x < 0:
            raise EvaluationError(
                f"sqrt of a negative number: the argument of {show} is {show_number(x)}"
            )
        if isinstance(x, Fraction):
            n, d = math.isqrt(x.numerator), math.isqrt(x.denominator)
            if n * n == x.numerator and d * d == x.denominator:
                return Fraction(n, d)
        return _checked(math.sqrt(_float(x, node)), node)
    if node.func == "log":
        if x <= 0:
            raise EvaluationError(
                f"log of a non-positive number: the argument of {show} is {show_number(x)}"
            )
        if isinstance(x, Fraction):
            return _checked(math.log(x.numerator) - math.log(x.denominator), node)
        return _checked(math.log(x), node)
    try:  # exp
        return _checked(math.exp(_float(x, node)), node)
    except OverflowError:
        raise EvaluationError(f"value too large: {_show(node)} overflows") from None


class WorkBudget:
    """Work left to the evaluations inside a :func:`work_budget` block.

    Attributes
    ----------
    units : int
        The work allowed.
    left : int
        The work not spent yet (negative once exhausted).
    exhausted : bool
        Whether an evaluation ran out of work.

    Examples
    --------
    >>> with work_budget(10**9) as budget:
    ...     _ = parse_expression("1 + 2").evaluate({})
    >>> budget.units - budget.left, budget.exhausted
    (3004, False)
    """

    __slots__ = ("exhausted", "left", "units")

    def __init__(self, units: int) -> None:
        self.units = units
        self.left = units
        self.exhausted = False

    def charge(self, *operands: Value) -> None:
        """Charge one node; exact operands of ``n`` machine words add about ``2 n**2``
        (what multiplying and reducing them costs)."""
        cost = NODE_WORK
        for x in operands:
            if isinstance(x, Fraction):
                words = (x.numerator.bit_length() + x.denominator.bit_length()) // 64 + 1
                cost += 2 * words * words
        self.left -= cost
        if self.left < 0:
            self.exhausted = True
            raise EvaluationError(
                f"too much work: evaluating the expressions needs more than {self.units:.0e} "
                "units (some seconds) of exact arithmetic; keep the numbers small (exact "
                "values of thousands of digits are slow), or use fewer names or assumptions"
            )


_BUDGET: ContextVar[WorkBudget | None] = ContextVar("negotiation_work_budget", default=None)


@contextmanager
def work_budget(units: int) -> Iterator[WorkBudget]:
    """Bound the total work of every :meth:`Expr.evaluate` inside the ``with`` block.

    Each node evaluated costs :data:`NODE_WORK` units, plus about ``2 n**2`` for exact
    operands of ``n`` 64-bit words; a unit is roughly a nanosecond. Once ``units`` are
    spent, evaluations raise :class:`EvaluationError` and the budget's ``exhausted``
    is true. Checking a scenario file uses one, so that a small file cannot keep the
    checks busy for hours with exact values of thousands of digits.

    Parameters
    ----------
    units : int
        The work allowed.

    Yields
    ------
    budget
        With the attributes ``left`` (units left) and ``exhausted``.

    Examples
    --------
    >>> e = parse_expression("(x / 7) ** 20000 * (x / 11) ** 20000")
    >>> with work_budget(10**6) as budget:
    ...     try:
    ...         e.evaluate({"x": Fraction(3)})
    ...     except EvaluationError as err:
    ...         print(err.message[:14], budget.exhausted)
    too much work: True
    """
    budget = WorkBudget(units)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _eval(e: Expr, values: Mapping[str, Value], budget: WorkBudget | None) -> Value:
    if isinstance(e, Number):
        return e.value
    if isinstance(e, Name):
        return _lookup(e.id, values)
    if isinstance(e, Unary):
        x = _eval(e.operand, values, budget)
        return -x if e.op == "-" else x
    if isinstance(e, Call):
        args = [_eval(a, values, budget) for a in e.args]
        if budget is not None:
            budget.charge(*args)
        result = _call(e, args)
        if budget is not None and e.func == "sqrt":
            budget.charge(result)
        return result
    assert isinstance(e, Binary)
    a, b = _eval(e.left, values, budget), _eval(e.right, values, budget)
    if budget is not None:
        budget.charge(a, b)
    if e.op == "**":
        result = _checked(_power(a, b, e), e)
        if budget is not None:
            budget.charge(result)
        return result
    if e.op == "/" and b == 0:
        raise EvaluationError(f"division by zero: the divisor in {_show(e)} is 0")
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return _checked(_OPS[e.op](a, b), e)
    return _checked(_OPS[e.op](_float(a, e.left), _float(b, e.right)), e)


# ---------------------------------------------------------------- sympy


def _to_sympy(e: Expr, sp: Any, symbols: dict[str, Any]) -> sympy.Expr:
    def go(node: Expr) -> sympy.Expr:
        return _to_sympy(node, sp, symbols)

    out: Any
    if isinstance(e, Number):
        out = sp.Rational(e.value.numerator, e.value.denominator)
    elif isinstance(e, Name):
        out = symbols.setdefault(e.id, sp.Symbol(e.id, real=True))
    elif isinstance(e, Unary):
        out = -go(e.operand) if e.op == "-" else go(e.operand)
    elif isinstance(e, Call) and e.func == "root":
        args = [go(a) for a in e.args]
        if not all(a.is_Rational for a in args):
            raise EvaluationError(f"{_show(e)}: root takes exact rational numbers only")
        k, coeffs = _root_polynomial(e, [Fraction(int(a.p), int(a.q)) for a in args])
        x = sp.Dummy("x")
        poly = sp.Poly(sp.sqf_part(sp.Poly(coeffs, x)), x)
        count = len(real_roots(coeffs))
        if k > count:
            raise EvaluationError(
                f"{_show(e)} asks for real root {k}, but the polynomial has {count}"
            )
        out = sp.CRootOf(poly, k - 1)
    elif isinstance(e, Call):
        func = {"min": sp.Min, "max": sp.Max, "abs": sp.Abs, "sqrt": sp.sqrt,
                "exp": sp.exp, "log": sp.log}[e.func]  # fmt: skip
        out = func(*(go(a) for a in e.args))
    else:
        assert isinstance(e, Binary)
        a, b = go(e.left), go(e.right)
        if e.op != "**":
            out = _OPS[e.op](a, b)
        else:
            # Bound what sympy may compute: bits of the base's numbers (and 2 per
            # symbol) times the exponent, the estimate evaluate() uses for numbers.
            if b.is_Rational and not (a.is_Integer and abs(a) <= 1):
                size = sum(r.p.bit_length() + r.q.bit_length() for r in a.atoms(sp.Rational))
                size = max(2, size + 2 * len(a.free_symbols))
                if size * -(-abs(b.p) // b.q) > MAX_BITS:
                    raise EvaluationError(
                        f"power too large: {_show(e)} could have more than {MAX_BITS} bits"
                    )
            out = sp.Pow(a, b)
    if out.is_Rational and out.p.bit_length() + out.q.bit_length() > MAX_BITS:
        raise EvaluationError(f"value too large: {_show(e)} has more than {MAX_BITS} bits")
    return out
