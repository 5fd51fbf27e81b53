"""Reading YAML safely while remembering where every field came from.

The text is read as a stream of YAML events (libyaml's parser when it is installed,
else PyYAML's own) and turned into plain Python data here, without recursion and
without constructing any object, so that each field path gets its 1-based line and
every limit -- size, nodes (alias "billion laughs" bombs included), nesting -- is
checked while reading, before anything that scales with it is done.

Unquoted (plain) scalars are read by the rules of YAML 1.2: ``true``/``false``,
``null``/``~``, and decimal numbers. Decimal numbers are kept exact: ``0.55`` becomes
``Fraction(11, 20)``, never the nearest binary float; ``.inf`` and ``.nan`` become
floats (which fields then refuse: numbers must be finite). Forms that YAML 1.1 readers
(PyYAML's loaders, many others) take for something else -- ``yes``/``no``/``on``/``off``,
dates, base-60 numbers such as ``1:30``, octal ``010``, ``1_000``, hexadecimal -- become
:class:`Ambiguous` text, which every field expecting a number refuses, so that no such
value is silently read as a number. Strings may not hold control characters or lone
surrogates (``"\\ud800"``), which could not be printed or written as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import yaml

from negotiation.errors import ScenarioError, quote, shorten
from negotiation.limits import MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "Ambiguous", "Located", "Path", "load_yaml"]

Path = tuple[str | int, ...]

#: Largest scenario file accepted, in bytes.
MAX_FILE_BYTES = 1_000_000
#: Largest number of YAML nodes accepted, aliases counted at their full size (guards
#: against alias "billion laughs" bombs); 10,000 observed rounds need about 80,000.
MAX_NODES = 200_000
#: Deepest nesting of mappings and lists accepted (a scenario needs 6 levels).
MAX_DEPTH = 50

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_Y11 = "tag:yaml.org,2002:"
#: The event parser: libyaml's (fast, in C) when PyYAML was built with it.
_LOADER: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_C_PARSER = _LOADER is not yaml.SafeLoader

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?([0-9]+)\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE]([-+]?[0-9]+))?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_HEX_OCT = re.compile(r"[-+]?0([xXoO])[0-9a-fA-F_]+\Z")
#: A date as ``history:`` writes them; YAML 1.1 takes only the first form for a date,
#: but either would otherwise be read as arithmetic (2025-04 as 2021).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?\Z")
#: Control characters (tab and newline allowed) and lone surrogates.
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class Ambiguous(str):
    """Unquoted text that YAML 1.1 readers would take for something else.

    It is the text itself (a ``str``), so fields that expect text accept it as
    written; fields that expect a number refuse it with :meth:`explain`.

    Examples
    --------
    >>> a = load_yaml("when: 2025-01-01\\n").data["when"]
    >>> a, isinstance(a, str)
    ('2025-01-01', True)
    >>> print(a.explain("a number"))
    '2025-01-01' is not a number here: it is a date (YAML 1.1 reads 2025-01-01 as one);
    write numbers in decimal (such as 90 or 0.5)
    """

    reading: str

    def __new__(cls, text: str, reading: str) -> Ambiguous:
        obj = super().__new__(cls, text)
        obj.reading = reading
        return obj

    def explain(self, expected: str) -> str:
        """Why this text is not ``expected`` (e.g. ``"a number"``), for a message."""
        return (
            f"{quote(str(self))} is not {expected} here: {self.reading}; "
            "write numbers in decimal (such as 90 or 0.5)"
        )


@dataclass(frozen=True)
class Located:
    """Plain data from a YAML document with the line of every field path.

    Attributes
    ----------
    data : Any
        Dicts (insertion-ordered), lists, str (some of them :class:`Ambiguous`), int,
        Fraction, float (only for ``.inf``/``.nan``), bool and None. A value reached
        through an alias is the same object as the anchored one.
    lines : Mapping[tuple, int]
        1-based line of each field path; see :meth:`line`.
    file : str
        The file name used in messages.
    """

    data: Any
    lines: Mapping[Path, int] = field(repr=False)
    file: str = "<string>"

    def line(self, path: Path) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one.

        Examples
        --------
        >>> doc = load_yaml("a:\\n  b: [1, 2]\\n", file="x.yaml")
        >>> doc.line(("a", "b", 1)), doc.line(("a", "missing"))
        (2, 1)
        """
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: Path, message: str) -> ScenarioError:
        """A :class:`ScenarioError` located at ``path`` in this document."""
        return ScenarioError(message, file=self.file, path=path, line=self.line(path))


class _Refused(Exception):
    """A plain scalar that cannot be read (too many digits, say); carries the reason."""


def _yaml11_reading(text: str) -> str | None:
    """How YAML 1.1 reads plain ``text`` that YAML 1.2 reads as a string, or None."""
    resolvers = yaml.resolver.Resolver.yaml_implicit_resolvers
    candidates = resolvers.get(text[:1], []) + resolvers.get(None, [])
    tag = next((t for t, regexp in candidates if regexp.match(text)), None)
    if tag == _Y11 + "bool":
        value = "true" if text.lower() in ("yes", "on") else "false"
        return f"YAML 1.1 reads it as the boolean {value}"
    if tag == _Y11 + "timestamp":
        return "YAML 1.1 reads it as a date"
    if tag in (_Y11 + "int", _Y11 + "float"):
        if ":" in text:
            return "YAML 1.1 reads it as a base-60 number (1:30 is 90)"
        if "_" in text:
            return "YAML 1.1 reads it as a number with '_' between digits"
        if text.lstrip("+-").lower().startswith("0b"):
            return "YAML 1.1 reads it as a binary number"
        return "YAML 1.1 reads it as a number"
    return None


def _sized(text: str, mantissa: str, exponent: str | None) -> None:
    digits = sum(c.isdigit() for c in mantissa)
    if digits > MAX_NUMBER_DIGITS:
        raise _Refused(
            f"the number {shorten(text, 30)} has {digits} digits: at most {MAX_NUMBER_DIGITS}"
            " are allowed (put text in quotes)"
        )
    if exponent is not None:
        size = exponent.lstrip("+-")
        if len(size) > 6 or int(size) > MAX_NUMBER_EXPONENT:
            raise _Refused(
                f"the number {shorten(text, 30)} has the exponent {shorten(exponent, 12)}: "
                f"its size may be at most {MAX_NUMBER_EXPONENT}"
            )


def _plain(text: str) -> Any:
    """The value of an unquoted scalar, by YAML 1.2's rules (see the module docstring)."""
    if text in _NULLS:
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    if (m := _INT.match(text)) is not None:
        digits = m.group(1)
        if len(digits) > 1 and digits[0] == "0":
            return Ambiguous(text, "YAML 1.1 reads a leading zero as octal (010 is 8)")
        _sized(text, digits, None)
        return int(text)
    if (m := _FLOAT.match(text)) is not None:
        _sized(text, m.group(1), m.group(2))
        return Fraction(Decimal(text))
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    if (m := _HEX_OCT.match(text)) is not None:
        base = "hexadecimal" if m.group(1) in "xX" else "octal"
        return Ambiguous(text, f"it is written as a {base} number")
    if _DATE.match(text):
        return Ambiguous(text, "it is a date (YAML 1.1 reads 2025-01-01 as one)")
    reading = _yaml11_reading(text)
    return text if reading is None else Ambiguous(text, reading)


def _check_text(text: str) -> str | None:
    """Why ``text`` cannot be accepted (a control character, a lone surrogate), or None."""
    m = _BAD_CHAR.search(text)
    if m is None:
        return None
    code = f"U+{ord(m.group()):04X}"
    if 0xD800 <= ord(m.group()) <= 0xDFFF:
        return (
            f"the text holds {code}, half of a surrogate pair, which cannot be written as "
            "UTF-8: write the character itself (or its \\U escape)"
        )
    return (
        f"the text holds the control character {code}: remove it (control characters "
        "could disturb the terminal that shows the text)"
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_Y11) :] if tag.startswith(_Y11) else tag


class _Frame:
    """An open mapping or list while its events are read."""

    __slots__ = ("anchor", "container", "has_key", "height", "key", "path", "start")

    def __init__(self, container: Any, path: Path, anchor: str | None, start: int) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.start = start  # node count when it opened
        self.height = 0  # levels below it
        self.key = ""
        self.has_key = False


class _Builder:
    """Plain data and lines from YAML events, with every limit checked on the way."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, nodes, height
        self.count = 0
        self.documents = 0
        self.root: Any = None

    def fail(self, line: int, message: str, path: Path | None = None) -> ScenarioError:
        return ScenarioError(
            message, file=self.file, path=self.here() if path is None else path, line=line
        )

    def here(self) -> Path:
        """Path of the value that comes next."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, dict):
            return (*top.path, top.key) if top.has_key else top.path
        return (*top.path, len(top.container))

    def expecting_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].container, dict)
            and not (self.stack[-1].has_key)
        )

    def grow(self, nodes: int, height: int, line: int) -> None:
        self.count += nodes
        if self.count > MAX_NODES:
            raise self.fail(line, f"the document has more than {MAX_NODES} nodes")
        if len(self.stack) + height > MAX_DEPTH:
            raise self.fail(line, f"the document is nested more than {MAX_DEPTH} levels deep")

    def attach(self, value: Any, height: int, line: int) -> None:
        path = self.here()
        self.lines.setdefault(path, line)
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.height = max(top.height, height + 1)
        if isinstance(top.container, dict):
            top.container[top.key] = value
            top.has_key = False
        else:
            top.container.append(value)

    def key(self, key: str, line: int) -> None:
        top = self.stack[-1]
        path = (*top.path, key)
        if key in top.container:
            raise self.fail(line, f"duplicate key {quote(key)}", path)
        top.key, top.has_key = key, True
        self.lines[path] = line

    def feed(self, event: yaml.Event) -> None:
        mark = event.start_mark
        line = mark.line + 1 if mark is not None else 1
        if isinstance(event, yaml.ScalarEvent):
            self.scalar(event, line)
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            self.open(event, line)
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            frame = self.stack.pop()
            if frame.anchor is not None:
                nodes = self.count - frame.start + 1
                self.anchors[frame.anchor] = (frame.container, nodes, frame.height)
            self.attach(frame.container, frame.height, line)
        elif isinstance(event, yaml.AliasEvent):
            self.alias(event, line)
        elif isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(
                    line,
                    "the file holds more than one YAML document (a '---' line starts another):"
                    " a scenario file is one document",
                    (),
                )

    def scalar(self, event: yaml.ScalarEvent, line: int) -> None:
        text = event.value
        problem = _check_text(text)
        if problem is not None:
            raise self.fail(line, problem, (*self.here(), text) if self.expecting_key() else None)
        tag, plain = event.tag, bool(event.implicit[0])
        if tag not in (None, "!", _STR):
            raise self.fail(
                line,
                f"the tag {quote(_short_tag(tag))} is not allowed: write numbers plainly and "
                "text in quotes, without tags",
            )
        self.grow(1, 0, line)
        if self.expecting_key():
            if plain and tag is None and text == "<<":
                raise self.fail(line, "merge keys (<<) are not supported: write the fields out")
            value: Any = text
            self.key(text, line)
        else:
            value = text
            if plain and tag is None:
                try:
                    value = _plain(text)
                except _Refused as exc:
                    raise self.fail(line, str(exc)) from None
            self.attach(value, 0, line)
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1, 0)

    def open(self, event: yaml.CollectionStartEvent, line: int) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in (None, "!", _MAP if is_map else _SEQ):
            raise self.fail(line, f"the tag {quote(_short_tag(event.tag))} is not allowed")
        if self.expecting_key():
            raise self.fail(line, "mapping keys must be plain names")
        self.grow(1, 0, line)
        path = self.here()
        self.lines.setdefault(path, line)
        self.stack.append(_Frame({} if is_map else [], path, event.anchor, self.count))

    def alias(self, event: yaml.AliasEvent, line: int) -> None:
        name = event.anchor
        if name not in self.anchors:
            what = f"the alias *{shorten(name)}"
            if any(f.anchor == name for f in self.stack):
                raise self.fail(line, f"{what} refers to a list or mapping that contains it")
            raise self.fail(line, f"{what} is unknown: define it first with &{shorten(name)}")
        value, nodes, height = self.anchors[name]
        self.grow(nodes, height, line)
        if self.expecting_key():
            if not isinstance(value, str):
                raise self.fail(line, "mapping keys must be plain names")
            self.key(value, line)
        else:
            self.attach(value, height, line)


def _reader_line(exc: yaml.reader.ReaderError, text: str, raw: bytes) -> int:
    position = max(0, int(exc.position or 0))
    if _C_PARSER:  # libyaml counts bytes of the UTF-8 text
        return raw.count(b"\n", 0, position) + 1
    return text.count("\n", 0, position) + 1


def load_yaml(text: str, *, file: str = "<string>") -> Located:
    """Parse YAML text into plain data with line numbers, safely.

    Parameters
    ----------
    text : str
        The document.
    file : str
        Name used in error messages.

    Returns
    -------
    Located

    Raises
    ------
    ScenarioError
        Invalid YAML, several documents, tags, duplicate keys, an empty document,
        text that cannot be written as UTF-8 or holds control characters, a number
        with too many digits, or a document that is too large or too deeply nested.

    Examples
    --------
    >>> doc = load_yaml("tariff: 0.55\\nmoves: [hold, escalate]\\n")
    >>> doc.data["tariff"], doc.line(("moves", 1))
    (Fraction(11, 20), 2)
    >>> load_yaml("rounds: 1:30\\n").data["rounds"].reading
    'YAML 1.1 reads it as a base-60 number (1:30 is 90)'
    """
    if not isinstance(text, str):
        raise ScenarioError(f"expected YAML text, got {type(text).__name__}", file=file)
    too_big = ScenarioError(
        f"the file is larger than {MAX_FILE_BYTES // 1000} kB; scenario files are small",
        file=file,
    )
    if len(text) > MAX_FILE_BYTES:
        raise too_big
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        code = f"U+{ord(text[exc.start]):04X}"
        raise ScenarioError(
            f"the text holds {code}, half of a surrogate pair, which cannot be written as UTF-8",
            file=file,
            line=line,
        ) from None
    if len(raw) > MAX_FILE_BYTES:
        raise too_big
    builder = _Builder(file)
    loader = None
    try:
        loader = _LOADER(raw if _C_PARSER else text)  # PyYAML's reader may refuse it here
        while loader.check_event():
            builder.feed(loader.get_event())
    except yaml.reader.ReaderError as exc:
        character = exc.character if isinstance(exc.character, int) else 0
        raise ScenarioError(
            f"invalid YAML: {exc.reason} (U+{character:04X})",
            file=file,
            line=_reader_line(exc, text, raw),
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark is not None else None
        what = exc.problem or "malformed document"
        if exc.context and exc.context_mark is not None:
            what = f"{exc.context} that starts on line {exc.context_mark.line + 1}: {what}"
        elif exc.context:
            what = f"{exc.context}: {what}"
        raise ScenarioError(f"invalid YAML: {shorten(what, 200)}", file=file, line=where) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"invalid YAML: {shorten(exc, 200)}", file=file) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.documents == 0:
        raise ScenarioError("the file is empty", file=file, line=1)
    return Located(data=builder.root, lines=dict(builder.lines), file=file)
