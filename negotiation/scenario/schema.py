"""The structure of a scenario file (format version 1), as pydantic models.

These models check types and required fields and produce the JSON Schema that
editors use for completion (``negotiation schema``). Meaning -- names that must
resolve, shapes that must match, ranges that must hold -- is checked afterwards in
:mod:`negotiation.scenario.checks`.
"""

from __future__ import annotations

import datetime
import math
import re
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

__all__ = [
    "AssumptionModel",
    "IssueModel",
    "ObservationModel",
    "ParameterModel",
    "PlayerModel",
    "RepeatedModel",
    "ScenarioModel",
    "StateModel",
    "StrategyModel",
    "json_schema",
]

#: Most moves per player, parameters, states... a file may declare.
MAX_ITEMS = 200
#: Most observed rounds a ``history:`` section may list.
MAX_HISTORY = 10_000


def _number(value: Any) -> Fraction | float:
    if isinstance(value, bool) or not isinstance(value, int | Fraction | float):
        raise ValueError("expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not allowed: numbers must be finite")
    return Fraction(value) if isinstance(value, int) else value


def _expression(value: Any) -> Fraction | float | str:
    if isinstance(value, str):
        return value
    return _number(value)


def _parameter(value: Any) -> Any:
    return {"value": value} if not isinstance(value, dict) else value


Number = Annotated[Fraction | float, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
Expression = Annotated[
    Fraction | float | str,
    BeforeValidator(_expression),
    WithJsonSchema(
        {
            "oneOf": [{"type": "number"}, {"type": "string"}],
            "description": "A number, or an expression over parameter and derived names "
            "(+ - * / **, parentheses, min, max, abs, sqrt, exp, log).",
        }
    ),
]


def _date(value: Any) -> str:
    text = value if isinstance(value, str) else None
    if text is None or re.fullmatch(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", text) is None:
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD or YYYY-MM")
    try:
        datetime.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        raise ValueError(f"{text!r} is not a calendar date") from None
    return text


IsoDate = Annotated[
    str,
    BeforeValidator(_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$",
            "description": "Date of the round: YYYY-MM-DD or YYYY-MM.",
        }
    ),
]
_LABEL = r"[A-Za-z0-9][A-Za-z0-9_\-]*"
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=64)]
Label = Annotated[str, Field(pattern=f"^{_LABEL}$", max_length=64)]
Slug = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=100)]
#: A move label, or a linked move of a multi-issue file: issue moves joined by ``+``.
MoveRef = Annotated[str, Field(pattern=rf"^{_LABEL}(\+{_LABEL})*$", max_length=400)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class PlayerModel(_Model):
    """A player: an id used everywhere in the file and a display name."""

    id: Label
    name: str | None = None
    description: str | None = None


class ParameterModel(_Model):
    """A parameter with its value and, optionally, a range, a unit and a description."""

    value: Number
    min: Number | None = None
    max: Number | None = None
    unit: str | None = None
    description: str | None = None


class StateModel(_Model):
    """One state of a custom strategy automaton."""

    play: MoveRef = Field(description="The move played in this state.")
    next: dict[str, Label] = Field(
        default_factory=dict,
        description='Transitions: "own_move,other_move" (either may be *) -> next state. '
        "The first matching key in file order applies; with none the state is kept.",
    )


class StrategyModel(_Model):
    """A custom strategy: a Moore automaton over the realised move profile."""

    description: str | None = None
    player: Label | None = Field(default=None, description="Restrict to one player's moves.")
    start: Label
    states: dict[Label, StateModel] = Field(min_length=1, max_length=MAX_ITEMS)


class VerdictModel(_Model):
    """Thresholds of the stable / fragile / unsustainable verdict of ``compare``."""

    min_slack: Number = Field(
        default=Fraction(1, 20),
        ge=0,
        le=1,
        description="Least δ slack (δ minus the critical δ) for a stable verdict.",
    )
    min_share: Number = Field(
        default=Fraction(1, 2),
        ge=0,
        le=1,
        description="Least long-run share of détente rounds under noise for a stable verdict.",
    )


class RepeatedModel(_Model):
    """Settings of the repeated game."""

    discount: Expression = Field(default=Fraction(9, 10), description="Discount factor in [0, 1).")
    target: list[MoveRef] | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="The détente profile (required, except in a multi-issue file, where it "
        "defaults to the combination of the issues' targets).",
    )
    strategies: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    noise: Expression = Field(default=Fraction(0), description="Tremble probability in [0, 1).")
    punishment: Literal["nash", "minmax"] = Field(
        default="nash",
        description="Default punishment after a deviation: the stage equilibrium worst for "
        "the deviator (nash) or the pure minmax profile (minmax).",
    )
    rounds: int = Field(default=200, ge=1, le=1_000_000)
    runs: int = Field(default=1000, ge=1, le=10_000_000)
    seed: int | None = Field(default=None, ge=0)
    verdict: VerdictModel = Field(
        default_factory=VerdictModel, description="Thresholds of the verdict of compare."
    )


class AssumptionModel(_Model):
    """A named set of parameter overrides."""

    description: str | None = None
    set: dict[Identifier, Expression] = Field(default_factory=dict, max_length=MAX_ITEMS)


class ObservationModel(_Model):
    """One observed round of the conflict: when, what each side did, and the source."""

    date: IsoDate
    moves: list[str] = Field(
        min_length=2, max_length=2, description="[row player's move, column player's move]."
    )
    source: str = Field(min_length=1, description="Where the moves are documented.")
    note: str | None = None


Cell = Annotated[list[Expression], Field(min_length=2, max_length=2)]


class IssueModel(_Model):
    """One issue of a linked accord: its own moves, payoffs, weight and détente target."""

    description: str | None = None
    moves: list[Label] | dict[Label, list[Label]]
    payoffs: dict[Label, dict[Label, Cell]] | None = None
    matrices: dict[Label, list[list[Expression]]] | None = None
    weight: Expression = Field(
        default=Fraction(1), description="Positive factor on this issue's payoffs in the sum."
    )
    target: list[Label] = Field(
        min_length=2, max_length=2, description="The détente on this issue: [row, column]."
    )


class ScenarioModel(_Model):
    """A two-player trade-conflict scenario (format version 1)."""

    schema_: Literal[1] = Field(alias="schema", description="Format version; always 1.")
    id: Slug
    title: str
    summary: str | None = None
    description: str | None = None
    sources: list[str] = Field(default_factory=list)
    players: list[PlayerModel] = Field(min_length=2, max_length=2)
    moves: list[Label] | dict[Label, list[Label]] | None = Field(
        default=None, description="Move labels (required unless the file has 'issues')."
    )
    parameters: dict[Identifier, Annotated[ParameterModel, BeforeValidator(_parameter)]] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )
    derived: dict[Identifier, Expression] = Field(default_factory=dict, max_length=MAX_ITEMS)
    payoffs: dict[Label, dict[Label, Cell]] | None = None
    matrices: dict[Label, list[list[Expression]]] | None = None
    issues: dict[Label, IssueModel] | None = Field(
        default=None,
        max_length=MAX_ITEMS,
        description="A multi-issue (linked) scenario: issue id -> its moves, payoffs, weight "
        "and target; replaces the top-level moves and payoffs.",
    )
    repeated: RepeatedModel | None = None
    strategies: dict[Label, StrategyModel] = Field(default_factory=dict, max_length=MAX_ITEMS)
    assumptions: dict[Slug, AssumptionModel] = Field(default_factory=dict, max_length=MAX_ITEMS)
    history: list[ObservationModel] = Field(
        default_factory=list,
        max_length=MAX_HISTORY,
        description="Observed rounds, oldest first (for negotiation fit).",
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors and validators.

    Returns
    -------
    dict

    Examples
    --------
    >>> s = json_schema()
    >>> s["title"], sorted(s["required"])
    ('negotiation scenario (format 1)', ['id', 'players', 'schema', 'title'])
    """
    schema = ScenarioModel.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "negotiation scenario (format 1)"
    return schema
