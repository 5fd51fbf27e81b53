"""Reading YAML safely while remembering where every field came from.

The text is composed into YAML nodes with PyYAML's safe loader (no object
construction, no tags beyond the standard ones), then converted to plain Python data
by hand so that each field path gets its 1-based line number. Decimal numbers are
kept exact: ``0.55`` becomes ``Fraction(11, 20)``, never the nearest binary float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import yaml

from negotiation.errors import ScenarioError

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "Located", "Path", "load_yaml"]

Path = tuple[str | int, ...]

#: Largest scenario file accepted, in bytes.
MAX_FILE_BYTES = 1_000_000
#: Largest number of YAML nodes accepted (guards against alias "billion laughs" bombs).
MAX_NODES = 200_000

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}


@dataclass(frozen=True)
class Located:
    """Plain data from a YAML document with the line of every field path.

    Attributes
    ----------
    data : Any
        Dicts (insertion-ordered), lists, str, int, Fraction, float (only for
        ``.inf``/``.nan``), bool and None.
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


_construct = yaml.constructor.SafeConstructor()


def _exact_float(text: str) -> Fraction | float:
    clean = text.replace("_", "").strip()
    low = clean.lower()
    if low.endswith((".inf", "inf")):
        return float("-inf") if low.startswith("-") else float("inf")
    if low.endswith("nan"):
        return float("nan")
    if re.fullmatch(r"[-+]?[0-9.]+(e[-+]?[0-9]+)?", low) is None:
        raise ValueError(text)
    try:
        return Fraction(Decimal(clean))
    except (InvalidOperation, ValueError):
        raise ValueError(text) from None


class _Converter:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        self.count = 0

    def fail(self, node: yaml.Node, path: Path, message: str) -> ScenarioError:
        return ScenarioError(message, file=self.file, path=path, line=node.start_mark.line + 1)

    def convert(self, node: yaml.Node, path: Path, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, path, f"the document has more than {MAX_NODES} nodes")
        if depth > 50:
            raise self.fail(node, path, "the document is nested more than 50 levels deep")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise self.fail(node, path, f"the tag {node.tag!r} is not allowed")
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if (
                    not isinstance(key_node, yaml.ScalarNode)
                    or key_node.tag == "tag:yaml.org,2002:merge"
                ):
                    raise self.fail(key_node, path, "mapping keys must be plain names")
                key = str(key_node.value)
                if key in out:
                    raise self.fail(key_node, (*path, key), f"duplicate key {key!r}")
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = self.convert(value_node, (*path, key), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, path, f"the tag {node.tag!r} is not allowed")
            return [self.convert(v, (*path, k), depth + 1) for k, v in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        tag = node.tag
        if tag not in _SCALARS:
            raise self.fail(node, path, f"the tag {tag!r} is not allowed")
        if tag in (_STR, _TIMESTAMP):
            return str(node.value)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return bool(_construct.construct_yaml_bool(node))
        if tag == _INT:
            return int(_construct.construct_yaml_int(node))
        try:
            return _exact_float(str(node.value))
        except ValueError:
            raise self.fail(node, path, f"{node.value!r} is not a number") from None


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
        Invalid YAML, several documents, forbidden tags, duplicate keys, an empty
        document, or a document that is too large or too deeply nested.

    Examples
    --------
    >>> doc = load_yaml("tariff: 0.55\\nmoves: [hold, escalate]\\n")
    >>> doc.data["tariff"], doc.line(("moves", 1))
    (Fraction(11, 20), 2)
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError(
            f"the file is larger than {MAX_FILE_BYTES // 1000} kB; scenario files are small",
            file=file,
        )
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "malformed document"
        if exc.context and exc.context_mark is not None:
            what = f"{exc.context} that starts on line {exc.context_mark.line + 1}: {what}"
        elif exc.context:
            what = f"{exc.context}: {what}"
        raise ScenarioError(f"invalid YAML: {what}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"invalid YAML: {exc}", file=file) from None
    if node is None:
        raise ScenarioError("the file is empty", file=file, line=1)
    conv = _Converter(file)
    data = conv.convert(node, ())
    return Located(data=data, lines=dict(conv.lines), file=file)
