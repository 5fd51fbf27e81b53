"""One number policy: exact values, and how numbers become text, JSON and LaTeX.

An exact value is a :class:`fractions.Fraction` when rational (an ``int`` or a sympy
``Rational`` is read as one) and a sympy algebraic number otherwise (radicals such as
``sqrt(57)/6 - 1/2``, or a ``CRootOf`` when the root has no radical form). Floats are
approximations and are shown as such.

Renderings:

* :func:`exact_text` -- exact text, ``"3/5"``, ``"-1/2 + sqrt(57)/6"``, or
  ``"root(1, 1, 1, 1, -2)"`` (an expression that reads back; :func:`render_number` is the same);
* :func:`decimal_text` -- short decimals for tables (``"0.3333"``, ``"-"`` for none);
* :func:`json_number` -- a JSON number: a float, or ``None`` for none, NaN and ±inf;
  :func:`json_exact` -- the exact text for JSON, or ``None``; :func:`json_safe` -- a
  whole nested structure made strict JSON (no NaN, no infinity, no numpy types);
* :func:`latex_number` -- LaTeX, ``\\frac{3}{5}``, ``\\frac{\\sqrt{57}}{6} - \\frac{1}{2}``.

Reading back: :func:`number_from_text` (the value of an exact text, as a float).

Exact comparisons: :func:`to_fraction` (rational or ``None``) and :func:`exact_sign`.

This is the lowest layer: the module imports only the standard library; sympy is
imported inside the functions that need it, and numpy is recognised without importing
it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from numbers import Integral
from typing import Any

__all__ = [
    "decimal_text",
    "exact_sign",
    "exact_text",
    "json_exact",
    "json_number",
    "json_safe",
    "latex_number",
    "number_from_text",
    "render_number",
    "to_float",
    "to_fraction",
]


def _is_sympy(value: Any) -> bool:
    return type(value).__module__.startswith("sympy")


def to_fraction(value: Any) -> Fraction | None:
    """The value as a ``Fraction`` when it is an exact rational, else ``None``.

    ``int``, ``Fraction`` and sympy ``Rational`` / ``Integer`` are rational; floats,
    irrational sympy numbers and ``None`` give ``None`` (a float is not exact).

    Parameters
    ----------
    value : int, Fraction, sympy number, float or None

    Returns
    -------
    Fraction or None

    Examples
    --------
    >>> import sympy
    >>> to_fraction(sympy.Rational(3, 5)), to_fraction(2), to_fraction(sympy.sqrt(2))
    (Fraction(3, 5), Fraction(2, 1), None)
    >>> to_fraction(0.5) is None
    True
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Integral):
        return Fraction(int(value))
    if _is_sympy(value) and getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))
    return None


def exact_sign(value: Any) -> int:
    """The sign (-1, 0 or 1) of an exact number, decided exactly.

    For a rational, by ``Fraction`` arithmetic. For a sympy algebraic number, sympy's
    own sign decision (numerical evaluation with error control, which is conclusive for
    a non-zero number); when that is inconclusive the number's minimal polynomial
    decides whether it is zero, and evaluation at rising precision decides the sign
    otherwise.

    Parameters
    ----------
    value : int, Fraction or sympy number
        Floats are refused: their sign is not an exact question about the number meant.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        For a float or ``None``.

    Examples
    --------
    >>> import sympy
    >>> exact_sign(Fraction(-1, 3)), exact_sign(sympy.sqrt(57) / 6 - sympy.Rational(7, 6))
    (-1, 1)
    >>> exact_sign(sympy.sqrt(2) ** 2 - 2)
    0
    """
    q = to_fraction(value)
    if q is not None:
        return (q > 0) - (q < 0)
    if not _is_sympy(value):
        raise TypeError(f"exact_sign needs an exact number, got {value!r}")
    import sympy

    x = sympy.sympify(value)
    if x.is_zero:
        return 0
    if x.is_positive:
        return 1
    if x.is_negative:
        return -1
    if sympy.minimal_polynomial(x, sympy.Dummy("x")).is_Symbol:
        return 0
    for digits in (30, 100, 400, 1600):
        v = x.evalf(digits)
        if v.is_comparable and v != 0:
            return 1 if v > 0 else -1
    raise ValueError(f"cannot decide the sign of {value}")  # pragma: no cover


def to_float(value: Any) -> float:
    """A number as the nearest double; a sympy ``CRootOf`` is located by python-flint
    (certified root balls), which is fast at any degree where sympy's own evaluation
    can take seconds.

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> to_float(sympy.CRootOf(x**3 + x**2 + x - 2, 0)), to_float(Fraction(1, 4))
    (0.8105357137661368, 0.25)
    >>> to_float(Fraction(10) ** 400), to_float(-(Fraction(10) ** 400))
    (inf, -inf)
    """
    if isinstance(value, Fraction):
        try:
            return float(value)
        except OverflowError:  # beyond the largest double: the nearest float is infinite
            return math.inf if value > 0 else -math.inf
    if _is_sympy(value):
        import sympy

        if isinstance(value, sympy.CRootOf):
            import flint

            coeffs = [int(c) for c in reversed(value.poly.all_coeffs())]
            poly: Any = flint.fmpz_poly(coeffs)
            _, factors = poly.factor()
            reals: list[float] = []
            for f, _m in factors:
                roots: Any = f.complex_roots()
                for z, _k in roots:
                    if z.imag == 0:
                        reals.append(float(z.real.mid()))
            reals.sort()
            return reals[value.index]
    return float(value)


def render_number(value: Any) -> str:
    """An exact number as text: ``"3/5"``, ``"-1/2 + sqrt(5)/2"``.

    A sympy ``CRootOf`` (a root with no radical form) is named by its polynomial and
    located numerically; everything else is ``str(value)`` (a ``Fraction`` reads
    ``"p/q"``, an integer ``"p"``).

    Parameters
    ----------
    value : int, Fraction, sympy number or float

    Returns
    -------
    str

    Examples
    --------
    >>> import sympy
    >>> render_number(sympy.Rational(3, 5)), render_number(sympy.sqrt(5) / 2 - sympy.S.Half)
    ('3/5', '-1/2 + sqrt(5)/2')
    >>> render_number(Fraction(3, 5)), render_number(Fraction(4, 2))
    ('3/5', '2')

    A root with no radical form is written as the expression that names it,
    ``root(k, c_n, ..., c_0)``: the k-th smallest real root of c_n x^n + ... + c_0, which
    ``--set``, scenario files and :func:`negotiation.parse_expression` read back:

    >>> x = sympy.Symbol("x")
    >>> render_number(sympy.CRootOf(x**3 + x**2 + x - 2, 0))
    'root(1, 1, 1, 1, -2)'
    """
    if _is_sympy(value):
        import sympy

        if isinstance(value, sympy.CRootOf):
            coeffs, index = [int(c) for c in value.poly.all_coeffs()], value.index
        elif value.has(sympy.CRootOf):
            coeffs, index = _as_root(value)
        else:
            return str(value)
        return f"root({index + 1}, {', '.join(str(c) for c in coeffs)})"
    return str(value)


def _as_root(value: Any) -> tuple[list[int], int]:
    """A real algebraic number given as an expression in ``CRootOf`` (sympy writes a
    root of ``x**3 + 2 x**2 + 8`` as ``2*CRootOf(x**3 + x**2 + 1, 0)``) as one root of
    its minimal polynomial: the integer coefficients, highest power first, and the
    root's place among the real roots (0 the smallest), which :func:`render_number`
    writes as ``root(...)`` for the expression reader. The root is the one nearest the
    value, at enough digits that it is four times nearer than any other real root
    (distinct roots of a polynomial are apart, so doubling the digits ends).

    Examples
    --------
    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> _as_root(2 * sympy.CRootOf(x**3 + x**2 + 1, 0))
    ([1, 2, 0, 8], 0)
    """
    import sympy

    x = sympy.Symbol("x")
    poly = sympy.Poly(sympy.minimal_polynomial(value, x), x)
    coeffs = [int(c) for c in poly.all_coeffs()]
    roots = poly.real_roots(radicals=False)
    digits = 60
    while len(roots) > 1:
        target = sympy.N(value, digits)
        gaps = sorted((abs(sympy.N(r, digits) - target), k) for k, r in enumerate(roots))
        if gaps[0][0] * 4 < gaps[1][0]:
            return coeffs, gaps[0][1]
        digits *= 2
    return coeffs, 0


def exact_text(value: Any, none: str = "-") -> str:
    """Exact text of a number (see :func:`render_number`), ``none`` for ``None``.

    Parameters
    ----------
    value : int, Fraction, sympy number, float or None
    none : str
        The text for ``None`` (e.g. ``"never"`` for a critical δ that does not exist).

    Returns
    -------
    str

    Examples
    --------
    >>> import sympy
    >>> exact_text(Fraction(3, 5)), exact_text(sympy.sqrt(57) / 6 - sympy.S.Half)
    ('3/5', '-1/2 + sqrt(57)/6')
    >>> exact_text(None, none="never")
    'never'
    """
    return none if value is None else render_number(value)


def exact_and_decimal(value: Any, digits: int = 4, none: str = "-") -> str:
    """Exact text with its decimal value: ``4/7 ≈ 0.5714``, ``1/4 = 0.25``, ``3``.

    The exact part is the form the tool reads back (:func:`render_number`); the
    decimal is for the reader.

    Examples
    --------
    >>> import sympy
    >>> exact_and_decimal(Fraction(4, 7)), exact_and_decimal(Fraction(1, 4))
    ('4/7 ≈ 0.5714', '1/4 = 0.25')
    >>> exact_and_decimal(sympy.sqrt(57) / 6 - sympy.S.Half), exact_and_decimal(3)
    ('-1/2 + sqrt(57)/6 ≈ 0.7583', '3')
    >>> exact_and_decimal(None, none="never")
    'never'
    """
    if value is None:
        return none
    text = render_number(value)
    decimal = decimal_text(value, digits)
    if text == decimal:
        return text
    if isinstance(value, Fraction | int) and "e" not in decimal and Fraction(decimal) == value:
        return f"{text} = {decimal}"
    return f"{text} ≈ {decimal}"


def decimal_text(value: Any, digits: int = 4, none: str = "-") -> str:
    """Short decimal text for a table: ``digits`` decimals, trailing zeros stripped.

    Parameters
    ----------
    value : number or None
        Anything ``float()`` accepts (Fraction, sympy number, numpy scalar).
    digits : int
    none : str
        The text for ``None``.

    Returns
    -------
    str
        ``"-0"`` reads ``"0"``; NaN and infinities read ``"nan"``, ``"inf"``, ``"-inf"``;
        magnitudes from 10**12 on are written in scientific form (``"1e+300"``).

    Examples
    --------
    >>> decimal_text(Fraction(1, 3)), decimal_text(2.0), decimal_text(-1e-9), decimal_text(None)
    ('0.3333', '2', '0', '-')
    >>> decimal_text(Fraction(2, 3), digits=1)
    '0.7'
    >>> decimal_text(Fraction(10) ** 300), decimal_text(-1234567890123456.0)
    ('1e+300', '-1.2346e+15')
    """
    if value is None:
        return none
    x = to_float(value)
    if math.isfinite(x) and abs(x) >= 1e12:
        mantissa, _, exponent = f"{x:.{digits}e}".partition("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{exponent}"
    text = f"{x:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def json_number(value: Any) -> float | None:
    """A number for JSON: a float, or ``None`` for ``None``, NaN and ±infinity.

    Strict JSON has no NaN or infinity; a missing or undefined number is ``null``.

    Parameters
    ----------
    value : number or None

    Returns
    -------
    float or None

    Examples
    --------
    >>> json_number(Fraction(1, 4)), json_number(float("nan")), json_number(None)
    (0.25, None, None)
    >>> json_number(float("-inf")) is None
    True
    """
    if value is None:
        return None
    x = to_float(value)
    return x if math.isfinite(x) else None


def json_exact(value: Any) -> str | None:
    """An exact number for JSON: its exact text (:func:`exact_text`), ``None`` for none.

    Parameters
    ----------
    value : int, Fraction, sympy number or None

    Returns
    -------
    str or None

    Examples
    --------
    >>> import sympy
    >>> json_exact(sympy.Rational(1, 2)), json_exact(Fraction(7, 3)), json_exact(None)
    ('1/2', '7/3', None)
    """
    return None if value is None else render_number(value)


def json_safe(data: Any) -> Any:
    """A nested structure made strict JSON: non-finite floats become ``None``.

    Dicts (any mapping) and lists/tuples are walked; numpy scalars and arrays (anything
    with ``tolist``) become Python numbers and lists first. Other values are kept.

    Parameters
    ----------
    data : Any

    Returns
    -------
    Any
        A structure of dicts, lists and scalars with no NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> json_safe({"a": [1.0, float("nan")], "b": np.array([np.inf, 2.0]), "c": np.float64(3)})
    {'a': [1.0, None], 'b': [None, 2.0], 'c': 3.0}
    """
    if isinstance(data, float):  # numpy.float64 included
        return float(data) if math.isfinite(data) else None
    if isinstance(data, (str, int, bool)) or data is None:
        return data
    if isinstance(data, Mapping):
        return {k: json_safe(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [json_safe(v) for v in data]
    if hasattr(data, "tolist") and type(data).__module__ == "numpy":
        return json_safe(data.tolist())
    return data


def latex_number(value: Any, none: str = "-") -> str:
    """A number in LaTeX: ``\\frac{3}{5}``, ``-\\frac{1}{2}``, ``sympy.latex`` otherwise.

    Parameters
    ----------
    value : int, Fraction, sympy number, float or None
        Floats are written as :func:`decimal_text`.
    none : str
        The text for ``None``.

    Returns
    -------
    str

    Examples
    --------
    >>> import sympy
    >>> latex_number(Fraction(3, 5)), latex_number(Fraction(-1, 2)), latex_number(4)
    ('\\\\frac{3}{5}', '-\\\\frac{1}{2}', '4')
    >>> latex_number(sympy.sqrt(57) / 6 - sympy.S.Half)
    '- \\\\frac{1}{2} + \\\\frac{\\\\sqrt{57}}{6}'
    """
    if value is None:
        return none
    q = to_fraction(value)
    if q is not None:
        if q.denominator == 1:
            return str(q.numerator)
        sign = "-" if q < 0 else ""
        return f"{sign}\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"
    if _is_sympy(value):
        import sympy

        return str(sympy.latex(value))
    return decimal_text(value)


_TEXT_CHARACTERS = frozenset("0123456789+-*/()., sqrtoot")


def number_from_text(text: str) -> float | None:
    """The value of an exact number's text (as :func:`render_number` writes it), or None.

    Reads integers, fractions, ``+ - * / **``, ``sqrt(...)`` and ``root(k, c_n, ..., c_0)``
    (the k-th smallest real root of the polynomial); anything else, or text longer than
    2,000 characters, gives None. Nothing is evaluated beyond that arithmetic.

    Examples
    --------
    >>> number_from_text("4/7"), number_from_text("-1/2 + sqrt(57)/6")
    (0.5714285714285714, 0.7583057392117916)
    >>> round(number_from_text("root(1, 1, 1, 1, -1)"), 6)
    0.543689
    >>> number_from_text("baseline") is None, number_from_text("2**10**10") is None
    (True, True)
    """
    if not text or len(text) > 2000 or not set(text) <= _TEXT_CHARACTERS:
        return None
    import ast

    try:
        tree = ast.parse(text.strip(), mode="eval")
        value = _arithmetic(tree.body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return value if math.isfinite(value) else None


def _arithmetic(node: Any) -> float:
    import ast

    if isinstance(node, ast.Constant) and type(node.value) is int:
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        x = _arithmetic(node.operand)
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.BinOp):
        a, b = _arithmetic(node.left), _arithmetic(node.right)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if isinstance(node.op, ast.Div):
            return a / b
        if isinstance(node.op, ast.Pow) and abs(b) <= 64:
            return float(a**b)
        raise ValueError("unsupported operation")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        args = [_arithmetic(a) for a in node.args]
        if node.func.id == "sqrt" and len(args) == 1 and args[0] >= 0:
            return math.sqrt(args[0])
        if node.func.id == "root" and len(args) >= 3 and args[0] == int(args[0]) >= 1:
            import numpy as np

            roots = np.roots(args[1:])
            real = sorted(float(r.real) for r in roots if abs(r.imag) <= 1e-9 * max(1, abs(r)))
            k = int(args[0])
            if k <= len(real):
                return real[k - 1]
    raise ValueError("not a number")
