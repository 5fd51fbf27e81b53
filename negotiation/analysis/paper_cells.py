r"""Tables for readers, one model for three outputs: LaTeX, Markdown and HTML.

A :class:`PaperTable` is a caption, value-column headings and rows of labelled cells;
a cell is a tuple of pieces: :class:`Text`, :class:`Number` (exact or decimal),
:class:`Formula` (a sympy expression), :class:`Symbol` (a parameter as a maths symbol)
and :class:`Break` (a new line within the cell). The builders in
:mod:`negotiation.analysis.paper_tables` make tables from results; the renderers here
write them:

* :func:`latex_tables` -- booktabs ``table`` floats of ``tabularx`` at the text width:
  the label column a fixed share of ``\linewidth``, the value columns wrapping ``X``
  columns; at most ``max_columns`` value columns (and ``max_rows`` rows) per float,
  split into balanced parts when there are more, so that every table fits an
  article's text width. Numbers are in maths mode (``$\frac{4}{7} \approx 0.5714$``).
* :func:`markdown_table` -- a GitHub-flavoured Markdown table in plain Unicode
  (``4/7 ≈ 0.5714``, ``-1/2 + √57/6 ≈ 0.7583``): it reads the same in a text editor
  and rendered, needing no maths renderer.
* :func:`html_table` -- an HTML ``<table>`` with the same Unicode numbers.

Every text from a file is escaped for its output: LaTeX specials (and any character
pdfLaTeX cannot set without extra packages: it is spelled ``[U+XXXX]``), Markdown
punctuation, HTML through :func:`html.escape`; control characters first become
visible escapes (:func:`negotiation.terminal.safe_text`). Standard library (and sympy,
imported when a number or formula needs it).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.numbers import decimal_text, exact_text, latex_number, to_fraction
from negotiation.terminal import safe_text

__all__ = [
    "Break",
    "Formula",
    "Number",
    "PaperTable",
    "Symbol",
    "Text",
    "html_cell",
    "html_table",
    "html_text",
    "latex_cell",
    "latex_tables",
    "latex_text",
    "markdown_cell",
    "markdown_table",
    "markdown_text",
    "unicode_number",
]


# --------------------------------------------------------------------------- pieces


@dataclass(frozen=True)
class Text:
    """Plain text (escaped for each output)."""

    text: str


@dataclass(frozen=True)
class Number:
    """A number: ``style="exact"`` shows the exact value with its decimal
    (``4/7 ≈ 0.5714``), ``"decimal"`` the decimal only; ``none`` is shown for ``None``."""

    value: Any
    style: str = "exact"
    digits: int = 4
    none: str = "–"


@dataclass(frozen=True)
class Formula:
    """A sympy expression in the parameters (LaTeX by ``sympy.latex``)."""

    expr: Any


@dataclass(frozen=True)
class Symbol:
    """A parameter named as a maths symbol (``theta_us`` is ``$\\theta_{us}$``)."""

    name: str


@dataclass(frozen=True)
class Break:
    """A new line within a cell."""


Piece = Text | Number | Formula | Symbol | Break
Cell = tuple[Piece, ...]


@dataclass(frozen=True)
class PaperTable:
    """A table for readers: ``rows`` of (label cell, one cell per column).

    Attributes
    ----------
    key : str
        A short name of the table (``"compare"``), used in LaTeX labels.
    caption : str
    corner : str
        The heading of the label column.
    columns : tuple of Cell
        The headings of the value columns.
    rows : tuple of (Cell, tuple of Cell)
    notes : tuple of Cell
        Lines printed below the table.
    label_width : float
        The label column's share of the text width in LaTeX.
    """

    key: str
    caption: str
    corner: str
    columns: tuple[Cell, ...]
    rows: tuple[tuple[Cell, tuple[Cell, ...]], ...]
    notes: tuple[Cell, ...] = ()
    label_width: float = 0.3


# --------------------------------------------------------------------- numbers

#: Exact rationals (and algebraic numbers) whose text is longer than this show their
#: decimal alone.
LONG_RATIONAL = 15
LONG_ALGEBRAIC = 60

_SQRT = re.compile(r"sqrt\((\d+)\)")
_POWER = re.compile(r"\*\*(\d+)")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _is_crootof(value: Any) -> bool:
    return type(value).__name__ in ("CRootOf", "ComplexRootOf")


def _is_exact(value: Any) -> bool:
    return to_fraction(value) is not None or type(value).__module__.startswith("sympy")


def _pretty(text: str) -> str:
    """``sqrt(57)`` as ``√57`` and ``x**3`` as ``x³``."""
    text = _SQRT.sub(lambda m: "√" + m.group(1), text)
    return _POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPTS), text)


def _decimal(value: Any, digits: int) -> str:
    return decimal_text(value, digits)


def _exact_decimal(value: Any, digits: int) -> tuple[str | None, str, str]:
    """(exact text, or None when the decimal is the exact value or the exact text is too
    long; the relation ``"="`` (the decimal is exact) or ``"≈"``; the decimal text)."""
    dec = _decimal(value, digits)
    if not _is_exact(value) or _is_crootof(value):
        return None, "≈", dec
    text = exact_text(value)
    if text == dec:
        return None, "=", dec
    q = to_fraction(value)
    if len(text) > (LONG_RATIONAL if q is not None else LONG_ALGEBRAIC):
        return None, "≈", dec
    if q is not None and "e" not in dec and Fraction(dec) == q:
        return None, "=", dec  # the decimal is the exact value
    return text, "≈", dec


def unicode_number(value: Any, style: str = "exact", digits: int = 4, none: str = "–") -> str:
    """A number in plain Unicode for Markdown and HTML.

    Examples
    --------
    >>> import sympy
    >>> unicode_number(Fraction(4, 7)), unicode_number(sympy.sqrt(57) / 6 - sympy.S.Half)
    ('4/7 ≈ 0.5714', '-1/2 + √57/6 ≈ 0.7583')
    >>> unicode_number(Fraction(1, 4)), unicode_number(Fraction(1, 3), style="decimal")
    ('0.25', '0.3333')
    >>> x = sympy.Symbol("x")
    >>> unicode_number(sympy.CRootOf(x**3 + x**2 + x - 1, 0))
    'root of x³ + x² + x - 1 ≈ 0.5437'
    >>> unicode_number(None, none="never"), unicode_number(float("inf"))
    ('never', '∞')
    """
    if value is None:
        return none
    if isinstance(value, float) and not math.isfinite(value):
        return "–" if math.isnan(value) else ("∞" if value > 0 else "-∞")
    dec = _decimal(value, digits)
    if style == "decimal":
        return dec
    if _is_crootof(value):
        return f"root of {_pretty(str(value.expr))} ≈ {dec}"
    exact, rel, dec = _exact_decimal(value, digits)
    if exact is None:
        return dec if rel == "=" or not _is_exact(value) else f"≈ {dec}"
    return f"{_pretty(exact)} {rel} {dec}"


def _latex_decimal(text: str) -> str:
    """Decimal text in maths mode: ``1.5e+20`` as ``1.5 \\times 10^{20}``."""
    if text in ("inf", "-inf"):
        return text.replace("inf", r"\infty")
    mantissa, e, exponent = text.partition("e")
    if not e:
        return text
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def _latex_number(number: Number) -> str:
    value, digits = number.value, number.digits
    if value is None:
        return latex_text(number.none)
    if isinstance(value, float) and math.isnan(value):
        return "--"
    dec = _latex_decimal(_decimal(value, digits))
    if number.style == "decimal":
        return f"${dec}$"
    if _is_crootof(value):
        import sympy

        return f"$\\approx {dec}$ (root of ${sympy.latex(value.expr)}$)"
    exact, rel, _ = _exact_decimal(value, digits)
    if exact is None:
        return f"${dec}$" if rel == "=" or not _is_exact(value) else f"$\\approx {dec}$"
    tex = re.sub(r"^- ", "-", latex_number(value).strip())
    relation = "=" if rel == "=" else r"\approx"
    return f"${tex} {relation} {dec}$"


# ------------------------------------------------------------------------ text

_LATEX_ASCII = {
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
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': "''",
}
_GREEK = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lamda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "final_sigma",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
]
_LATEX_UNICODE = {
    **{
        chr(0x3B1 + k): (
            "o"
            if name == "omicron"
            else "\\ensuremath{\\"
            + {"epsilon": "varepsilon", "lamda": "lambda", "final_sigma": "varsigma"}.get(
                name, name
            )
            + "}"
        )
        for k, name in enumerate(_GREEK)
    },
    **{
        chr(0x391 + k): (
            f"\\ensuremath{{\\{name.capitalize()}}}"
            if name
            in [
                "gamma",
                "delta",
                "theta",
                "lamda",
                "xi",
                "pi",
                "sigma",
                "upsilon",
                "phi",
                "psi",
                "omega",
            ]
            else "ABGDEZHQIKLMNXOPPSSTYFXYW"[k]
        )
        for k, name in enumerate(_GREEK)
        if name != "final_sigma"
    },
    "Λ": r"\ensuremath{\Lambda}",
    "→": r"\ensuremath{\to}",
    "←": r"\ensuremath{\leftarrow}",
    "↔": r"\ensuremath{\leftrightarrow}",
    "⇒": r"\ensuremath{\Rightarrow}",
    "≈": r"\ensuremath{\approx}",
    "≤": r"\ensuremath{\leq}",
    "≥": r"\ensuremath{\geq}",
    "≠": r"\ensuremath{\neq}",
    "×": r"\ensuremath{\times}",
    "÷": r"\ensuremath{\div}",
    "±": r"\ensuremath{\pm}",
    "−": r"\ensuremath{-}",
    "∪": r"\ensuremath{\cup}",
    "∩": r"\ensuremath{\cap}",
    "∞": r"\ensuremath{\infty}",
    "√": r"\ensuremath{\surd}",
    "·": r"\ensuremath{\cdot}",
    "°": r"\ensuremath{^\circ}",
    "′": r"\ensuremath{'}",
    "∈": r"\ensuremath{\in}",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "„": ",,",
    "…": r"\ldots{}",
    "•": r"\textbullet{}",
    "§": r"\S{}",
    "¶": r"\P{}",
    "©": r"\copyright{}",
    "£": r"\pounds{}",
    "€": "EUR",
    "\u00a0": "~",
    "ß": r"\ss{}",
    "æ": r"\ae{}",
    "Æ": r"\AE{}",
    "ø": r"\o{}",
    "Ø": r"\O{}",
    "œ": r"\oe{}",
    "Œ": r"\OE{}",
    "å": r"\aa{}",
    "Å": r"\AA{}",
    "ł": r"\l{}",
    "Ł": r"\L{}",
    "ı": r"\i{}",
    "¡": "!`",
    "¿": "?`",
    "²": r"\ensuremath{^2}",
    "³": r"\ensuremath{^3}",
    "¹": r"\ensuremath{^1}",
}
#: Combining accents pdfLaTeX sets in its default (OT1) font encoding.
_ACCENTS = {
    "\u0300": "\\`",
    "\u0301": "\\'",
    "\u0302": "\\^",
    "\u0303": "\\~",
    "\u0304": "\\=",
    "\u0306": "\\u",
    "\u0307": "\\.",
    "\u0308": '\\"',
    "\u030a": "\\r",
    "\u030b": "\\H",
    "\u030c": "\\v",
    "\u0323": "\\d",
    "\u0327": "\\c",
}


def _plain(text: Any) -> str:
    """Terminal-safe text (control characters as visible escapes), whitespace runs as
    one space."""
    return re.sub(r"\s+", " ", safe_text(text))


def _latex_char(ch: str) -> str:
    if ch in _LATEX_ASCII:
        return _LATEX_ASCII[ch]
    if " " <= ch <= "~":
        return ch
    if ch in _LATEX_UNICODE:
        return _LATEX_UNICODE[ch]
    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    if base.isascii() and base.isalpha() and marks:
        out = r"\i" if base == "i" else r"\j" if base == "j" else base
        for mark in marks:
            if mark in _ACCENTS:  # other accents are dropped (not in the default fonts)
                out = f"{_ACCENTS[mark]}{{{out}}}"
        return out
    if unicodedata.category(ch).startswith("M"):
        return ""  # a combining mark on something pdfLaTeX cannot accent
    return f"[U+{ord(ch):04X}]"


def latex_text(text: Any) -> str:
    r"""Text for pdfLaTeX with the default packages: specials escaped, accents as
    accent commands, Greek letters and common symbols in maths, anything else as
    ``[U+XXXX]``; whitespace (also newlines) as single spaces.

    Examples
    --------
    >>> print(latex_text("US–China détente: δ_us ≥ 50% & <rising>"))
    US--China d\'{e}tente: \ensuremath{\delta}\_us \ensuremath{\geq} 50\% \& \textless{}rising\textgreater{}
    >>> print(latex_text("中 \x1b[2J"))
    [U+4E2D] \textbackslash{}x1b[2J
    """  # noqa: E501
    return "".join(_latex_char(ch) for ch in _plain(text))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")


def markdown_text(text: Any) -> str:
    r"""Text for a Markdown table cell: the punctuation Markdown (and HTML inside it)
    acts on backslash-escaped; whitespace as single spaces.

    Examples
    --------
    >>> print(markdown_text("a|b <script> *x* theta_us"))
    a\|b \<script\> \*x\* theta\_us
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _plain(text))


def html_text(text: Any) -> str:
    r"""Text for HTML: control characters as visible escapes, whitespace runs as one
    space, then :func:`html.escape` (quotes too, so it is safe in attributes).

    Examples
    --------
    >>> print(html_text('<script>alert("x")</script>\x1b[2J'))
    &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\x1b[2J
    """
    return html.escape(_plain(text), quote=True)


# ------------------------------------------------------------------------ cells


def latex_cell(cell: Sequence[Piece]) -> str:
    r"""A cell in LaTeX.

    Examples
    --------
    >>> print(latex_cell((Text("critical δ: "), Number(Fraction(4, 7)))))
    critical \ensuremath{\delta}: $\frac{4}{7} \approx 0.5714$
    """
    out = []
    for piece in cell:
        if isinstance(piece, Text):
            out.append(latex_text(piece.text))
        elif isinstance(piece, Number):
            out.append(_latex_number(piece))
        elif isinstance(piece, Formula):
            import sympy

            out.append(f"${sympy.latex(piece.expr)}$")
        elif isinstance(piece, Symbol):
            out.append(f"${_latex_symbol(piece.name)}$")
        else:
            out.append(r"\newline ")
    return "".join(out).strip()


def _latex_symbol(name: str) -> str:
    """A parameter name as sympy writes the symbol (``theta_us`` -> ``\\theta_{us}``);
    names that are not identifiers are written as escaped text."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        return rf"\text{{{latex_text(name)}}}"
    import sympy

    return str(sympy.latex(sympy.Symbol(name)))


def markdown_cell(cell: Sequence[Piece]) -> str:
    """A cell in Markdown (a line break is ``<br>``).

    Examples
    --------
    >>> markdown_cell((Symbol("theta_us"), Text(": "), Number(Fraction(2, 9)), Break(),
    ...                Text("stable")))
    '`theta_us`: 2/9 ≈ 0.2222<br>stable'
    """
    out = []
    for piece in cell:
        if isinstance(piece, Text):
            out.append(markdown_text(piece.text))
        elif isinstance(piece, Number):
            out.append(
                markdown_text(unicode_number(piece.value, piece.style, piece.digits, piece.none))
            )
        elif isinstance(piece, Formula | Symbol):
            code = str(piece.expr) if isinstance(piece, Formula) else piece.name
            code = _plain(code).replace("`", "'")
            out.append(f"`{code}`")
        else:
            out.append("<br>")
    return "".join(out).strip()


def html_cell(cell: Sequence[Piece]) -> str:
    """A cell in HTML, every text escaped.

    Examples
    --------
    >>> html_cell((Text("<b>"), Number(Fraction(1, 3)), Break(), Symbol("x")))
    '&lt;b&gt;1/3 ≈ 0.3333<br><code>x</code>'
    """
    out = []
    for piece in cell:
        if isinstance(piece, Text):
            out.append(html_text(piece.text))
        elif isinstance(piece, Number):
            out.append(
                html_text(unicode_number(piece.value, piece.style, piece.digits, piece.none))
            )
        elif isinstance(piece, Formula | Symbol):
            code = str(piece.expr) if isinstance(piece, Formula) else piece.name
            out.append(f"<code>{html_text(code)}</code>")
        else:
            out.append("<br>")
    return "".join(out).strip()


# ----------------------------------------------------------------------- tables


def _parts(count: int, most: int) -> list[range]:
    """``count`` items in the fewest balanced groups of at most ``most``."""
    if count == 0:
        return [range(0)]
    groups = -(-count // max(1, most))
    size, extra = divmod(count, groups)
    out, start = [], 0
    for k in range(groups):
        stop = start + size + (1 if k < extra else 0)
        out.append(range(start, stop))
        start = stop
    return out


def _label(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9:.\-]+", "-", text).strip("-") or "table"


#: Estimated widths (in characters of the table's small type) of an article's text
#: width, and lines of it in a page of text (less than the 50 that fit: the caption,
#: the header and the rules take the rest).
TEXT_CHARACTERS = 88
PAGE_LINES = 42


def _piece_length(piece: Piece) -> int:
    if isinstance(piece, Text):
        return len(piece.text)
    if isinstance(piece, Number):
        return len(unicode_number(piece.value, piece.style, piece.digits, piece.none))
    if isinstance(piece, Formula):
        return len(str(piece.expr))
    if isinstance(piece, Symbol):
        return len(piece.name)
    return 0


def _cell_lines(cell: Cell, characters: float) -> int:
    """Estimated lines of a cell wrapped to ``characters`` per line (words wrap, so a
    line holds about 80% of that)."""
    room = max(4.0, 0.8 * characters)
    lines, run = 0, 0
    for piece in (*cell, Break()):
        if isinstance(piece, Break):
            lines += max(1, -(-run // int(room)))
            run = 0
        else:
            run += _piece_length(piece)
    return lines


def _row_groups(table: PaperTable, cols: range, max_rows: int, budget: int) -> list[list[int]]:
    """Consecutive rows packed so that a part has at most ``max_rows`` rows and about
    ``budget`` lines."""
    label = TEXT_CHARACTERS * table.label_width
    value = (TEXT_CHARACTERS * (1 - table.label_width) - 3 * len(cols)) / max(1, len(cols))
    groups: list[list[int]] = [[]]
    used = 0
    for i, (head, cells) in enumerate(table.rows):
        height = max([_cell_lines(head, label), *(_cell_lines(cells[j], value) for j in cols)])
        if groups[-1] and (used + height > budget or len(groups[-1]) >= max_rows):
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += height
    return groups


def latex_tables(
    table: PaperTable,
    *,
    max_columns: int = 3,
    max_rows: int = 30,
    label: str | None = None,
    placement: str = "htbp",
) -> list[str]:
    r"""The table as LaTeX floats that fit the text width and a page, split into parts
    when it has more than ``max_columns`` value columns, more than ``max_rows`` rows,
    or more lines (estimated from the text's length) than fit in a page.

    Needs ``\usepackage{booktabs,tabularx}`` (and ``amsmath`` for the formulas).

    Parameters
    ----------
    table : PaperTable
    max_columns : int
        Value columns per float (each part repeats the label column).
    max_rows : int
        Rows per float at most.
    label : str, optional
        ``\label`` of the first part (parts add ``:2``, ``:3``, ...); default from the
        table's key.
    placement : str
        The float's placement specifier.

    Returns
    -------
    list of str
        One ``table`` float per part: the first value columns with every row (in as
        many parts as the page needs), then the next columns.

    Examples
    --------
    >>> t = PaperTable("demo", "Demo", "metric", ((Text("a"),), (Text("b"),)),
    ...                (((Text("δ"),), ((Number(Fraction(1, 2)),), (Text("x"),))),))
    >>> print(latex_tables(t, max_columns=1)[1])
    \begin{table}[htbp]
    \centering
    \small
    \caption{Demo (part 2 of 2)}
    \label{tab:demo:2}
    \begin{tabularx}{\linewidth}{@{}>{\raggedright\arraybackslash}p{0.3\linewidth}*{1}{>{\raggedright\arraybackslash\hspace{0pt}}X}@{}}
    \toprule
    metric & b \\
    \midrule
    \ensuremath{\delta} & x \\
    \bottomrule
    \end{tabularx}
    \end{table}
    """
    base = _label(label or f"tab:{table.key}")
    notes = sum(_cell_lines(n, TEXT_CHARACTERS * 1.1) for n in table.notes)
    budget = max(8, PAGE_LINES - notes)
    parts = [
        (cols, rows)
        for cols in _parts(len(table.columns), max_columns)
        for rows in _row_groups(table, cols, max_rows, budget)
    ]
    total = len(parts)
    out = []
    for k, (cols, rows) in enumerate(parts, start=1):
        caption = latex_text(table.caption)
        if total > 1:
            caption += f" (part {k} of {total})"
        spec = (
            f"@{{}}>{{\\raggedright\\arraybackslash}}p{{{table.label_width:g}\\linewidth}}"
            f"*{{{len(cols)}}}{{>{{\\raggedright\\arraybackslash\\hspace{{0pt}}}}X}}@{{}}"
        )
        lines = [
            f"\\begin{{table}}[{placement}]",
            "\\centering",
            "\\small",
            f"\\caption{{{caption}}}",
            f"\\label{{{base if k == 1 else f'{base}:{k}'}}}",
            f"\\begin{{tabularx}}{{\\linewidth}}{{{spec}}}",
            "\\toprule",
            " & ".join([latex_text(table.corner), *(latex_cell(table.columns[j]) for j in cols)])
            + " \\\\",
            "\\midrule",
        ]
        for i in rows:
            head, cells = table.rows[i]
            lines.append(
                " & ".join([latex_cell(head), *(latex_cell(cells[j]) for j in cols)]) + " \\\\"
            )
        lines += ["\\bottomrule", "\\end{tabularx}"]
        if table.notes and k == total:
            lines.append("\\par\\smallskip")
            lines.append(
                "{\\footnotesize\\raggedright "
                + "\\par ".join(latex_cell(n) for n in table.notes)
                + "\\par}"
            )
        lines.append("\\end{table}")
        out.append("\n".join(lines))
    return out


def markdown_table(table: PaperTable) -> str:
    """The table in Markdown: the caption in bold, the table, the notes below it as a
    list.

    Examples
    --------
    >>> t = PaperTable("demo", "Demo", "metric", ((Text("a"),),),
    ...                (((Text("δ"),), ((Number(Fraction(1, 2)),),)),), ((Text("n"),),))
    >>> print(markdown_table(t))
    **Demo**
    <BLANKLINE>
    | metric | a |
    |:---|:---|
    | δ | 0.5 |
    <BLANKLINE>
    - n
    """
    lines = [f"**{markdown_text(table.caption)}**", ""]
    head = [markdown_text(table.corner), *(markdown_cell(c) for c in table.columns)]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + ":---|" * len(head))
    for label, cells in table.rows:
        lines.append("| " + " | ".join([markdown_cell(label), *map(markdown_cell, cells)]) + " |")
    if table.notes:
        lines.append("")
        lines += ["- " + markdown_cell(n) for n in table.notes]
    return "\n".join(lines)


def html_table(table: PaperTable, *, css_class: str = "paper") -> str:
    """The table in HTML: a ``<table>`` with its caption, inside a scrolling ``<div>``,
    and the notes below it.

    Examples
    --------
    >>> t = PaperTable("demo", "<Demo>", "metric", ((Text("a"),),),
    ...                (((Text("δ"),), ((Number(Fraction(1, 2)),),)),))
    >>> print(html_table(t))
    <div class="table-wrap"><table class="paper">
    <caption>&lt;Demo&gt;</caption>
    <thead><tr><th scope="col">metric</th><th scope="col">a</th></tr></thead>
    <tbody>
    <tr><th scope="row">δ</th><td>0.5</td></tr>
    </tbody>
    </table></div>
    """
    cls = html.escape(css_class, quote=True)
    head = "".join(
        f'<th scope="col">{x}</th>'
        for x in [html_text(table.corner), *(html_cell(c) for c in table.columns)]
    )
    lines = [
        f'<div class="table-wrap"><table class="{cls}">',
        f"<caption>{html_text(table.caption)}</caption>",
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for label, cells in table.rows:
        tds = "".join(f"<td>{html_cell(c)}</td>" for c in cells)
        lines.append(f'<tr><th scope="row">{html_cell(label)}</th>{tds}</tr>')
    lines += ["</tbody>", "</table></div>"]
    if table.notes:
        lines.append('<p class="notes">' + "<br>".join(html_cell(n) for n in table.notes) + "</p>")
    return "\n".join(lines)
