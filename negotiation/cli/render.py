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
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from negotiation.numbers import decimal_text, exact_text, json_safe
from negotiation.terminal import UNSAFE_CHARACTERS, safe_text

__all__ = [
    "DEFAULT_WIDTH",
    "UNSAFE_CHARACTERS",
    "fit_lines",
    "fmt_number",
    "safe_text",
    "terminal_width",
    "to_csv",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_records",
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


#: Width of a table when the terminal's is unknown (output piped, no ``COLUMNS``).
DEFAULT_WIDTH = 100
#: Narrowest width a table is laid out for (a smaller ``COLUMNS`` is raised to it).
MIN_WIDTH = 40


def terminal_width() -> int:
    """The width tables are fitted to: ``COLUMNS`` if set, else the terminal's width when
    standard output is one, else :data:`DEFAULT_WIDTH`; never below :data:`MIN_WIDTH`.

    Examples
    --------
    >>> import os
    >>> os.environ["COLUMNS"] = "80"
    >>> terminal_width()
    80
    >>> del os.environ["COLUMNS"]
    """
    text = os.environ.get("COLUMNS", "").strip()
    if text.isdigit():
        return max(MIN_WIDTH, int(text))
    if sys.stdout.isatty():
        return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


def to_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], width: int | None = None, key: int = 1
) -> str:
    """An aligned plain-text table (numbers right-aligned, text left-aligned).

    When a ``width`` is given and the table is wider, each row is shown as a block
    instead (:func:`to_records`), so no line is longer than ``width``.

    Examples
    --------
    >>> print(to_table(["move", "payoff"], [["hold", "1.5"], ["escalate", "-2"]]))
    move      payoff
    hold         1.5
    escalate      -2
    """
    cells = [[safe_text(c) for c in header]] + [[safe_text(c) for c in r] for r in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    wrap: int | None = None  # a column whose text is wrapped to make the table fit
    if width is not None and sum(widths) + 2 * (len(widths) - 1) > width:
        wrap = max(range(len(widths)), key=lambda k: widths[k])
        room = width - (sum(widths) - widths[wrap] + 2 * (len(widths) - 1))
        if room < _MIN_WRAPPED or wrap < key:
            return to_records(header, rows, width, key=key)
        widths[wrap] = room

    def numeric(col: int) -> bool:
        return all(_looks_numeric(r[col]) for r in cells[1:]) and len(cells) > 1

    right = [numeric(k) for k in range(len(header))]
    lines = []
    for r in cells:
        pieces = [[c] for c in r]
        if wrap is not None:
            pieces[wrap] = _wrapped(r[wrap], widths[wrap])
        for line in range(max(map(len, pieces))):
            parts = [
                (p[line] if line < len(p) else "").rjust(w)
                if right[k]
                else (p[line] if line < len(p) else "").ljust(w)
                for k, (p, w) in enumerate(zip(pieces, widths))
            ]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


#: Narrowest column a table wraps to fit the width; below it rows become blocks.
_MIN_WRAPPED = 24


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken after ``;`` first, then at spaces."""
    out: list[str] = []
    parts = text.split("; ")
    for k, part in enumerate(parts):
        piece = part + (";" if k < len(parts) - 1 else "")
        out += textwrap.wrap(piece, width, break_on_hyphens=False) or [""]
    return out


def to_records(
    header: Sequence[str], rows: Sequence[Sequence[Any]], width: int, key: int = 1
) -> str:
    """Each row as a block: a heading from its first ``key`` cells, then one line per
    other column (``name  value``), values wrapped so no line exceeds ``width``.

    Examples
    --------
    >>> print(to_records(["assumption", "verdict", "tipping point"],
    ...                  [["baseline", "stable", "2/9: unsustainable → fragile; "
    ...                    "1029/3145: fragile → stable"]], width=44))
    assumption: baseline
      verdict        stable
      tipping point  2/9: unsustainable → fragile;
                     1029/3145: fragile → stable
    """
    width = max(width, MIN_WIDTH)
    names = [safe_text(h) for h in header]
    label = min(max((len(n) for n in names[key:]), default=0), width // 2)
    blocks = []
    for r in rows:
        cells = [safe_text(c) for c in r]
        heading = ", ".join(
            f"{names[k]}: {cells[k]}" if names[k] else cells[k] for k in range(key)
        )
        lines = _wrapped(heading, width)
        for name, value in zip(names[key:], cells[key:]):
            room = width - label - 4
            if len(name) > label or room < 20:  # the value goes below its name
                lines += ["  " + x for x in _wrapped(name, width - 2)]
                lines += ["      " + x for x in _wrapped(value, width - 6)]
                continue
            for k, x in enumerate(_wrapped(value, room)):
                lines.append(
                    ("  " + name.ljust(label) if k == 0 else " " * (label + 2)) + "  " + x
                )
        blocks.append("\n".join(line.rstrip() for line in lines))
    return "\n\n".join(blocks)


def fit_lines(text: str, width: int | None) -> str:
    """Prose lines longer than ``width`` wrapped (continuations indented by 4); tables
    should already fit (:func:`to_table` with a width).

    Examples
    --------
    >>> print(fit_lines("verdict: unsustainable if no profile is subgame perfect", 30))
    verdict: unsustainable if no
        profile is subgame perfect
    """
    if width is None:
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip(" "))
        out += textwrap.wrap(
            line,
            width,
            initial_indent="",
            subsequent_indent=" " * (indent + 4),
            break_on_hyphens=False,
            break_long_words=True,
        )
    return "\n".join(out)


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
