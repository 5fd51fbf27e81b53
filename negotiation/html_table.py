"""A plain HTML table for notebooks (``_repr_html_``), every cell escaped.

A leaf module (standard library only).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

__all__ = ["html_table"]


def html_table(header: Sequence[Any], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    """An HTML ``<table>``: header row, body rows, optional caption, all text escaped.

    Examples
    --------
    >>> print(html_table(["metric", "baseline"], [["verdict", "<b>stable</b>"]], "PD"))
    <table><caption>PD</caption><thead><tr><th>metric</th><th>baseline</th></tr></thead><tbody><tr><td>verdict</td><td>&lt;b&gt;stable&lt;/b&gt;</td></tr></tbody></table>
    """

    def cells(tag: str, row: Sequence[Any]) -> str:
        return "<tr>" + "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row) + "</tr>"

    head = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    body = "".join(cells("td", r) for r in rows)
    return f"<table>{head}<thead>{cells('th', header)}</thead><tbody>{body}</tbody></table>"
