r"""Rendering results for the terminal: aligned text tables, CSV and JSON.

Only the standard library (and :mod:`negotiation.numbers`, which needs no more) is
used here, so rendering never slows down start-up. Numbers are formatted by
:mod:`negotiation.numbers`; JSON is strict (no NaN or infinity: ``null``).

Text from files (titles, labels, names) may hold terminal escape sequences. Every
table, CSV, Markdown and LaTeX cell goes through :func:`safe_text` (control characters
become visible escapes such as ``\x1b``) and JSON escapes them as ``\u001b``; the
CLI passes everything it prints through :func:`safe_text` once more, so no path can
send them raw.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from negotiation.numbers import decimal_text, exact_text, json_safe
from negotiation.terminal import UNSAFE_CHARACTERS, safe_text

__all__ = [
    "UNSAFE_CHARACTERS",
    "fmt_number",
    "safe_text",
    "to_csv",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_table",
]


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def fmt_number(value: Any, *, exact: bool = False, digits: int = 4) -> str:
    """Format a number for a table: exact ``p/q`` when asked, else rounded decimals.

    Text is returned unchanged; ``None`` reads ``"-"``. See
    :func:`negotiation.numbers.exact_text` and :func:`negotiation.numbers.decimal_text`.

    Examples
    --------
    >>> fmt_number(Fraction(1, 3)), fmt_number(Fraction(1, 3), exact=True), fmt_number(2.0)
    ('0.3333', '1/3', '2')
    """
    if isinstance(value, str):
        return value
    if exact and isinstance(value, Fraction):
        return exact_text(value)
    return decimal_text(value, digits)


def to_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned plain-text table (numbers right-aligned, text left-aligned).

    Examples
    --------
    >>> print(to_table(["move", "payoff"], [["hold", "1.5"], ["escalate", "-2"]]))
    move      payoff
    hold         1.5
    escalate      -2
    """
    cells = [[safe_text(c) for c in header]] + [[safe_text(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]

    def numeric(col: int) -> bool:
        return all(_looks_numeric(r[col]) for r in cells[1:]) and len(cells) > 1

    right = [numeric(k) for k in range(len(header))]
    lines = []
    for r in cells:
        parts = [c.rjust(w) if right[k] else c.ljust(w) for k, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _looks_numeric(text: str) -> bool:
    try:
        Fraction(text)
    except (ValueError, ZeroDivisionError):
        return text in ("", "-")
    return True


def to_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text with a header row.

    Examples
    --------
    >>> print(to_csv(["a", "b"], [[1, "x,y"]]), end="")
    a,b
    1,"x,y"
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return safe_text(out.getvalue())


def to_json(data: Any) -> str:
    r"""Pretty, strict JSON (UTF-8 kept readable, keys in the given order).

    NaN and infinities, also inside numpy scalars and arrays at any depth, become
    ``null`` (:func:`negotiation.numbers.json_safe`): the output always parses as
    standard JSON. Characters a terminal could act on (:data:`UNSAFE_CHARACTERS`) are
    written as ``\uXXXX`` escapes, which parse back to the same text.

    Examples
    --------
    >>> print(to_json({"a": [1, float("nan")]}))
    {
      "a": [
        1,
        null
      ]
    }
    >>> print(to_json("\x1b]0;x\x07\x9b\u202e"))
    "\u001b]0;x\u0007\u009b\u202e"
    """
    text = json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False)
    return UNSAFE_CHARACTERS.sub(_json_escape, text)


def to_markdown(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table.

    Examples
    --------
    >>> print(to_markdown(["a", "b"], [[1, "x|y"]]))
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """

    def cell(value: Any) -> str:
        return safe_text(value).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines)


_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "δ": r"$\delta$",
    "é": r"\'e",
}


def to_latex(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A LaTeX ``tabular`` (booktabs rules) with special characters escaped.

    Examples
    --------
    >>> print(to_latex(["metric", "a_b"], [["δ", "50%"]]))
    \\begin{tabular}{ll}
    \\toprule
    metric & a\\_b \\\\
    \\midrule
    $\\delta$ & 50\\% \\\\
    \\bottomrule
    \\end{tabular}
    """

    def cell(value: Any) -> str:
        return "".join(_LATEX.get(ch, ch) for ch in safe_text(value))

    lines = [f"\\begin{{tabular}}{{{'l' * len(header)}}}", "\\toprule"]
    lines.append(" & ".join(cell(h) for h in header) + " \\\\")
    lines.append("\\midrule")
    lines += [" & ".join(cell(v) for v in r) + " \\\\" for r in rows]
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines)
