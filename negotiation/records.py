"""Results as flat records: data frames (``to_frame``) and notebook tables (``_repr_html_``).

A leaf module (standard library, plus pandas imported only when a frame is asked for).
Every tabular result type mixes in :class:`TabularResult` and says which list of its
JSON form (``to_dict()``) holds its rows; a record is one such row with the result's
identifying fields (scenario, assumption, ...) repeated, nested fields flattened with
``.`` (``player_critical_discount.us``), and every exact number given twice: as a float
under its JSON name and as the exact text under ``<name>_exact``. Column names are the
JSON field names, so the JSON reference in ``docs/`` describes the frames too.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from negotiation.errors import NegotiationError
from negotiation.html_table import html_table
from negotiation.numbers import number_from_text

__all__ = ["TabularResult", "flatten", "records_frame", "rows_of", "short_repr"]

#: The message when pandas is missing; ``to_frame`` is the only thing that needs it.
PANDAS_HINT = (
    "to_frame() needs pandas, the optional 'frames' extra: pip install 'negotiation[frames]' "
    "(in a clone: .venv/bin/pip install -e '.[frames]')"
)


def flatten(data: Mapping[str, Any], players: Sequence[str] = ()) -> dict[str, Any]:
    """One flat record from a JSON-ready mapping.

    Nested mappings become ``outer.inner`` keys; a list of two values under a key
    starting with ``player_`` becomes one column per player (when ``players`` names
    them); other lists of plain values become tuples and lists of mappings JSON text.
    An exact number written as text (``"4/7"``, ``"-1/2 + sqrt(57)/6"``, ``"root(...)"``)
    becomes a float, with the text kept under ``<key>_exact``.

    Examples
    --------
    >>> flatten({"critical_discount": "4/7", "player_critical_discount": ["1/8", None],
    ...          "path": [["C", "C"]], "noise": {"share": 0.5}}, players=("us", "cn"))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'critical_discount': 0.5714285714285714, 'critical_discount_exact': '4/7',
     'player_critical_discount.us': 0.125, 'player_critical_discount.us_exact': '1/8',
     'player_critical_discount.cn': None, 'path': (('C', 'C'),), 'noise.share': 0.5}
    """
    out: dict[str, Any] = {}

    def put(key: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                put(f"{key}.{k}", v)
        elif isinstance(value, str) and (x := number_from_text(value)) is not None:
            out[key] = x
            out[f"{key}_exact"] = value
        elif isinstance(value, list | tuple):
            if key.rsplit(".", 1)[-1].startswith("player_") and len(value) == len(players) == 2:
                for p, v in zip(players, value):
                    put(f"{key}.{p}", v)
            elif any(isinstance(v, Mapping) for v in value):
                out[key] = json.dumps(value, ensure_ascii=False)
            else:
                out[key] = _tuple(value)
        else:
            out[key] = value

    for key, value in data.items():
        put(key, value)
    return out


def _tuple(value: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(_tuple(v) if isinstance(v, list | tuple) else v for v in value)


def rows_of(
    data: Mapping[str, Any],
    key: str,
    keep: Sequence[str] = (),
    players: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The records of the list ``data[key]``, each with the fields ``keep`` of ``data``.

    Examples
    --------
    >>> rows_of({"scenario": "pd", "profiles": [{"verdict": "stable"}, {"verdict": "fragile"}]},
    ...         "profiles", keep=("scenario",))
    [{'scenario': 'pd', 'verdict': 'stable'}, {'scenario': 'pd', 'verdict': 'fragile'}]
    """
    head = {k: data[k] for k in keep if k in data}
    return [flatten({**head, **row}, players) for row in data[key]]


def records_frame(records: Sequence[Mapping[str, Any]]) -> Any:
    """A pandas DataFrame of ``records`` (columns in first-seen order).

    Raises
    ------
    NegotiationError
        When pandas is not installed (the ``frames`` extra).

    Examples
    --------
    >>> records_frame([{"a": 1, "b": "x"}, {"a": 2}]).shape
    (2, 2)
    """
    try:
        import pandas as pd
    except ImportError:
        raise NegotiationError(PANDAS_HINT) from None
    columns: dict[str, None] = {}
    for r in records:
        columns.update(dict.fromkeys(r))
    return pd.DataFrame.from_records(list(records), columns=list(columns))


def _plain(value: Any) -> str | None:
    """Short text of a plain value (a number, text, flag or a few of them), else None."""
    if value is None or isinstance(value, bool | int | float | str):
        text = repr(value) if isinstance(value, str) else str(value)
        return text if len(text) <= 60 else None
    if type(value).__name__ in ("Fraction", "Rational", "Integer"):
        return str(value)
    if isinstance(value, tuple) and len(value) <= 4:
        parts = [_plain(v) for v in value]
        if all(p is not None for p in parts):
            return "(" + ", ".join(p for p in parts if p is not None) + ")"
    return None


def short_repr(self: Any) -> str:
    """A dataclass's repr with only its plain fields (numbers, text, a few of them):
    arrays, games and long lists are left out, so a notebook shows one line.

    Examples
    --------
    >>> @dataclasses.dataclass(frozen=True)
    ... class Run:
    ...     name: str
    ...     rounds: int
    ...     shares: list
    ...     __repr__ = short_repr
    >>> Run("grim", 20, list(range(1000)))
    Run(name='grim', rounds=20)
    """
    parts = []
    for f in dataclasses.fields(self):
        if f.repr and (text := _plain(getattr(self, f.name))) is not None:
            parts.append(f"{f.name}={text}")
    return f"{type(self).__name__}({', '.join(parts)})"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


class TabularResult:
    """Mixin for result types whose rows are one list of their JSON form.

    A class sets ``_rows_key`` (the list), ``_keep`` (fields repeated on every row) and
    may override :meth:`_players` (player ids for per-player columns).
    """

    __slots__ = ()
    _rows_key: str = ""
    _keep: tuple[str, ...] = ()

    #: Every result type defines its JSON form; the records are read from it.
    to_dict: Callable[[], dict[str, Any]]

    def _players(self) -> tuple[str, ...]:
        return ()

    def to_records(self) -> list[dict[str, Any]]:
        """One flat record per row: the JSON field names, nested ones joined by ``.``,
        exact numbers as floats with the exact text under ``<name>_exact``."""
        return rows_of(self.to_dict(), self._rows_key, self._keep, self._players())

    def to_frame(self) -> Any:
        """The records as a pandas DataFrame (needs the ``frames`` extra)."""
        return records_frame(self.to_records())

    def _repr_html_(self) -> str:
        records = self.to_records()
        columns: dict[str, None] = {}
        for r in records:
            columns.update(dict.fromkeys(k for k in r if not k.endswith("_exact")))
        header = list(columns)
        rows = [[r.get(f"{c}_exact") or _cell(r.get(c)) for c in header] for r in records]
        return html_table(header, rows, repr(self))
