"""Collecting located problems, and turning pydantic's errors into readable ones."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from negotiation.errors import Problem, ScenarioErrors
from negotiation.scenario.expressions import Expr, ExpressionError, constant, parse_expression
from negotiation.scenario.yaml_source import Located, Path

__all__ = ["Collector", "pydantic_problems", "suggest"]


class Collector:
    """Gathers located problems so that all of them can be reported together."""

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.doc.file, tuple(path), self.doc.line(path), message))

    def expression(self, raw: Any, names: Iterable[str], path: Path) -> Expr | None:
        if not isinstance(raw, str):
            return constant(raw) if isinstance(raw, Fraction) else _float_constant(raw)
        try:
            return parse_expression(raw, names=frozenset(names))
        except ExpressionError as exc:
            self.add(path, f"in expression {raw!r}: {exc.message}")
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)
            raise ScenarioErrors(self.problems)


def _float_constant(value: Any) -> Expr:
    return constant(Fraction(repr(float(value))))


def suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def pydantic_problems(doc: Located, error: ValidationError) -> list[Problem]:
    grouped: dict[Path, list[str]] = {}
    for item in error.errors():
        path: list[str | int] = []
        node = doc.data
        for part in item["loc"]:
            in_dict = isinstance(node, dict) and part in node
            in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
            if in_dict or in_list:
                node = node[part]
                path.append(part)
            elif item["type"] in ("missing", "extra_forbidden") and part == item["loc"][-1]:
                path.append(part)
        message = _message(item, doc, tuple(path))
        grouped.setdefault(tuple(path), [])
        if message not in grouped[tuple(path)]:
            grouped[tuple(path)].append(message)
    return [Problem(doc.file, p, doc.line(p), "; or ".join(msgs)) for p, msgs in grouped.items()]


def _message(item: Any, doc: Located, path: Path) -> str:
    kind = item["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        parent = path[:-1]
        allowed = _allowed_fields(parent)
        hint = suggest(str(path[-1]), allowed)
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown field {path[-1]!r}{hint}{listing}"
    if kind == "string_pattern_mismatch":
        return (
            f"{item.get('input')!r} is not a valid name: use letters, digits and underscores, "
            "starting with a letter"
        )
    if kind == "literal_error" and path == ("schema",):
        return f"unsupported format version {item.get('input')!r}: this version reads 'schema: 1'"
    msg = str(item["msg"]).removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else kind


def _allowed_fields(parent: Path) -> list[str]:
    from negotiation.scenario import schema as s

    shape = tuple(p if isinstance(p, str) else 0 for p in parent)
    models: dict[int, Any] = {0: s.ScenarioModel}
    by_shape = {
        ("players", 0): s.PlayerModel,
        ("repeated",): s.RepeatedModel,
        ("history", 0): s.ObservationModel,
    }
    model: Any = by_shape.get(shape) or models.get(len(shape))
    if model is None and len(shape) == 2:
        model = {
            "parameters": s.ParameterModel,
            "assumptions": s.AssumptionModel,
            "strategies": s.StrategyModel,
            "issues": s.IssueModel,
        }.get(str(shape[0]))
    if model is None and len(shape) == 4 and shape[0] == "strategies" and shape[2] == "states":
        model = s.StateModel
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def unknown(kind: str, name: str, options: Iterable[str], where: str = "") -> str:
    """The message for a name that is not declared, with a suggestion and the options.

    Examples
    --------
    >>> unknown("move", "hodl", ["roll_back", "hold"], " for player 'us'")
    "unknown move 'hodl' for player 'us'; did you mean 'hold'? (choices: roll_back, hold)"
    """
    choices = list(options)
    listing = ", ".join(choices) or "none"
    return f"unknown {kind} {name!r}{where}{suggest(name, choices)} (choices: {listing})"
