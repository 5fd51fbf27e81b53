"""Collecting located problems, and turning pydantic's errors into readable ones."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from negotiation.errors import Problem, ScenarioErrors, quote, shorten, shorten_list, show_number
from negotiation.limits import MAX_KEPT_PROBLEMS
from negotiation.scenario.expressions import Expr, ExpressionError, constant, parse_expression
from negotiation.scenario.yaml_source import Located, Path

__all__ = ["Collector", "pydantic_problems", "suggest"]


class Collector:
    """Gathers located problems so that all of them can be reported together.

    At most :data:`~negotiation.limits.MAX_KEPT_PROBLEMS` are kept; further ones are
    counted in ``omitted`` (and reported as "... and N more problems").

    Examples
    --------
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> c = Collector(load_yaml("a: 1", file="x.yaml"))
    >>> c.expression("x" * 5000, (), ("a",))
    >>> print(c.problems[0])
    x.yaml:1: a: in expression 'xxxxxxxx...' (5000 characters): expression is too long: ...
    """

    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.omitted = 0

    def add(self, path: Path, message: str) -> None:
        if len(self.problems) >= MAX_KEPT_PROBLEMS:
            self.omitted += 1
            return
        self.problems.append(Problem(self.doc.file, tuple(path), self.doc.line(path), message))

    def expression(self, raw: Any, names: Iterable[str], path: Path) -> Expr | None:
        if not isinstance(raw, str):
            if isinstance(raw, Fraction):
                return constant(raw)
            if isinstance(raw, float) and math.isfinite(raw):
                return constant(Fraction(repr(raw)))
            self.add(path, f"expected a number or an expression, got {shorten(repr(raw))}")
            return None
        try:
            return parse_expression(raw, names=frozenset(names))
        except ExpressionError as exc:
            self.add(path, f"in expression {quote(raw)}: {exc.message}")
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: p.line or 0)
            raise ScenarioErrors(self.problems, self.omitted)


#: Words longer than this get no "did you mean" suggestion (none could be close).
_SUGGEST_CHARS = 100


def suggest(word: str, options: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest option, or ``""``.

    Examples
    --------
    >>> suggest("hodl", ["hold", "roll_back"])
    "; did you mean 'hold'?"
    """
    if not isinstance(word, str) or len(word) > _SUGGEST_CHARS:
        return ""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean {quote(close[0])}?" if close else ""


def pydantic_problems(doc: Located, error: ValidationError) -> tuple[list[Problem], int]:
    """pydantic's errors as located problems, one per field path, and how many paths
    were left out (beyond :data:`~negotiation.limits.MAX_KEPT_PROBLEMS`)."""
    grouped: dict[Path, list[str]] = {}
    omitted: set[Path] = set()
    for item in error.errors(include_url=False):
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
        message = shorten(_message(item, doc, tuple(path)), 300)
        if tuple(path) not in grouped and len(grouped) >= MAX_KEPT_PROBLEMS:
            omitted.add(tuple(path))
            continue
        grouped.setdefault(tuple(path), [])
        if message not in grouped[tuple(path)]:
            grouped[tuple(path)].append(message)
    problems = [Problem(doc.file, p, doc.line(p), "; or ".join(ms)) for p, ms in grouped.items()]
    return problems, len(omitted)


def _message(item: Any, doc: Located, path: Path) -> str:
    kind = item["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        parent = path[:-1]
        allowed = _allowed_fields(parent)
        hint = suggest(str(path[-1]), allowed)
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown field {quote(path[-1])}{hint}{listing}"
    if kind == "string_pattern_mismatch":
        return (
            f"{quote(item.get('input'))} is not a valid name: use letters, digits and "
            "underscores, starting with a letter"
        )
    if kind == "literal_error" and path == ("schema",):
        return (
            f"unsupported format version {quote(item.get('input'))}: this version reads "
            "'schema: 1'"
        )
    value = item.get("input")
    if kind == "string_type" and isinstance(value, bool):
        return f"expected text, got the boolean {str(value).lower()}: put text in quotes"
    if kind == "string_type" and isinstance(value, int | Fraction | float):
        return f"expected text, got the number {show_number(value)}: put text in quotes"
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
    if model is None and (
        (len(shape) == 3 and shape[0] == "parameters" and shape[2] == "prior")
        or (len(shape) == 4 and shape[0] == "assumptions" and shape[2] == "priors")
    ):
        model = s.PriorModel
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
    listing = shorten_list(choices) or "none"
    return f"unknown {kind} {quote(name)}{where}{suggest(name, choices)} (choices: {listing})"
