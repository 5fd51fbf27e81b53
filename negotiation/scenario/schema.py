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
from collections.abc import Callable
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)

from negotiation.errors import quote, shorten
from negotiation.limits import MAX_MOVES, MAX_NUMBER_DIGITS
from negotiation.scenario.yaml_source import Ambiguous

__all__ = [
    "AssumptionModel",
    "IssueModel",
    "ObservationModel",
    "ParameterModel",
    "PlayerModel",
    "PriorModel",
    "RepeatedModel",
    "ScenarioModel",
    "StateModel",
    "StrategyModel",
    "json_schema",
]

#: Most parameters, derived names, assumptions, strategies, states... a file may declare.
MAX_ITEMS = 200
#: Most observed rounds a ``history:`` section may list.
MAX_HISTORY = 10_000
#: Most entries of ``sources:``.
MAX_SOURCES = MAX_ITEMS
#: Most issues of a multi-issue file (their linked game, one move per combination of
#: issue moves, has at most MAX_MOVES moves per player).
MAX_ISSUES = 12
#: Most values of a discrete prior (``prior: {kind: discrete, values: [...]}``).
MAX_PRIOR_VALUES = 1000
#: Most transitions of one state of a custom strategy (one per (own move or *, other
#: move or *) pair would be 251,001 at 500 moves; wildcards cover large move sets).
MAX_TRANSITIONS = 10_000


def _at_most(most: int, what: str, unit: str = "") -> Callable[[Any], Any]:
    """A validator refusing a list or mapping of more than ``most`` entries.

    It runs before pydantic looks at any entry, so a list of 100,000 moves costs no
    more than one of 13.
    """

    def check(value: Any) -> Any:
        if isinstance(value, list | dict) and len(value) > most:
            raise ValueError(f"{len(value)} {what} are too many: at most {most}{unit}")
        return value

    return check


def _two_players(value: Any) -> Any:
    """Refuse any other number of players with a message that says what is supported."""
    if isinstance(value, list) and len(value) != 2:
        raise ValueError(
            f"a scenario has exactly two players (the tool models two-player games), "
            f"got {len(value)}"
        )
    return value


def _show_bool(value: bool) -> str:
    return f"the boolean {str(value).lower()} (put text in quotes)"


_FRACTION_TEXT = re.compile(r"\s*([+-]?[0-9]+)\s*/\s*([0-9]+)\s*")


def _fraction_text(text: str) -> Fraction | None:
    """``"1/3"`` (or ``"-7 / 2"``) as an exact Fraction; None for other text."""
    m = _FRACTION_TEXT.fullmatch(text)
    if m is None:
        return None
    top, bottom = m.groups()
    if max(len(top.lstrip("+-")), len(bottom)) > MAX_NUMBER_DIGITS:
        raise ValueError(f"{shorten(text)} has more than {MAX_NUMBER_DIGITS} digits")
    if int(bottom) == 0:
        raise ValueError(f"{quote(text)} divides by zero")
    return Fraction(int(top), int(bottom))


def _number(value: Any) -> Fraction | float:
    if isinstance(value, Ambiguous):
        raise ValueError(value.explain("a number"))
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {_show_bool(value)}")
    if isinstance(value, str) and (exact := _fraction_text(value)) is not None:
        return exact
    if not isinstance(value, int | Fraction | float):
        got = f", got the text {quote(value)}" if isinstance(value, str) else ""
        raise ValueError(f"expected a number or an exact fraction such as 1/3{got}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not allowed: numbers must be finite")
    return Fraction(value) if isinstance(value, int) else value


def _expression(value: Any) -> Fraction | float | str:
    if isinstance(value, Ambiguous):
        raise ValueError(value.explain("a number or an expression"))
    if isinstance(value, str):
        return value
    return _number(value)


def _whole(value: Any) -> Any:
    """An int, refusing booleans (``rounds: true`` is not 1) and non-integers."""
    if value is None:
        return None
    if isinstance(value, Ambiguous):
        raise ValueError(value.explain("a whole number"))
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {_show_bool(value)}")
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not allowed: numbers must be finite")
    got = f"the text {quote(value)}" if isinstance(value, str) else quote(value)
    raise ValueError(f"expected a whole number such as 200, got {got}")


def _version(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        shown = _show_bool(value) if isinstance(value, bool) else quote(value)
        raise ValueError(f"unsupported format version {shown}: this version reads 'schema: 1'")
    return value


def _parameter(value: Any) -> Any:
    return {"value": value} if not isinstance(value, dict) else value


Number = Annotated[
    Fraction | float,
    BeforeValidator(_number),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\s*[+-]?[0-9]+\s*/\s*[0-9]+\s*$"},
            ],
            "description": "A number, or an exact fraction written as text such as 1/3.",
        }
    ),
]
Expression = Annotated[
    Fraction | float | str,
    BeforeValidator(_expression),
    WithJsonSchema(
        {
            "oneOf": [{"type": "number"}, {"type": "string"}],
            "description": "A number, or an expression over parameter and derived names "
            "(+ - * / **, parentheses, min, max, abs, sqrt, exp, log, root).",
        }
    ),
]
Whole = Annotated[int, BeforeValidator(_whole)]


def _date(value: Any) -> str:
    text = value if isinstance(value, str) else None
    if text is None or re.fullmatch(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?", text) is None:
        raise ValueError(f"{quote(value)} is not a date: write YYYY-MM-DD or YYYY-MM")
    try:
        datetime.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        raise ValueError(f"{quote(text)} is not a calendar date") from None
    return str(text)


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

#: One player's move labels.
MoveList = Annotated[
    list[Label],
    BeforeValidator(_at_most(MAX_MOVES, "moves", " per player")),
    Field(max_length=MAX_MOVES),
]


def _moves_form(value: Any) -> str:
    return "mapping" if isinstance(value, dict) else "list"


def _grid_form(value: Any) -> str:
    return "grid" if isinstance(value, dict) else "list"


class MoveGridModel(BaseModel):
    """One player's moves generated from a grid of levels (a tariff rate, a quota...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levels: Identifier = Field(description="Name of the level in payoff_formulas (such as t_us).")
    values: (
        Annotated[str, Field(max_length=200)]
        | Annotated[list[Number], BeforeValidator(_at_most(MAX_MOVES, "levels"))]
    ) = Field(description='The levels: "start:stop:step" (exact decimals) or a list of numbers.')
    labels: Literal["value", "percent"] = Field(
        default="value",
        description="Move labels: the level as text (0_05) or as a percentage (5pct).",
    )
    prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]*$", max_length=32)] = ""
    description: str | None = None


#: One player's moves: a list of labels or a grid of levels.
PlayerMoves = Annotated[
    Annotated[MoveList, Tag("list")] | Annotated[MoveGridModel, Tag("grid")],
    Discriminator(_grid_form),
]

#: Moves shared by both players, or a mapping player id -> moves (a list or a grid).
Moves = Annotated[
    Annotated[MoveList, Tag("list")]
    | Annotated[
        Annotated[dict[Label, PlayerMoves], BeforeValidator(_at_most(MAX_ITEMS, "move lists"))],
        Tag("mapping"),
    ],
    Discriminator(_moves_form),
]
#: Payoff cells: row move -> column move -> [row payoff, column payoff].
Cell = Annotated[list[Expression], Field(min_length=2, max_length=2)]
PayoffCells = Annotated[
    dict[
        Label,
        Annotated[
            dict[Label, Cell],
            BeforeValidator(_at_most(MAX_MOVES, "column moves")),
        ],
    ],
    BeforeValidator(_at_most(MAX_MOVES, "row moves")),
]
Matrices = Annotated[
    dict[
        Label,
        Annotated[
            list[Annotated[list[Expression], BeforeValidator(_at_most(MAX_MOVES, "columns"))]],
            BeforeValidator(_at_most(MAX_MOVES, "rows")),
        ],
    ],
    BeforeValidator(_at_most(MAX_ITEMS, "matrices")),
]


def _bounded(most: int, what: str) -> BeforeValidator:
    return BeforeValidator(_at_most(most, what))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class PlayerModel(_Model):
    """A player: an id used everywhere in the file and a display name."""

    id: Label
    name: str | None = None
    description: str | None = None


def _prior(value: Any) -> Any:
    """``prior: uniform`` is short for ``prior: {kind: uniform}``."""
    return {"kind": value} if isinstance(value, str) else value


class PriorModel(_Model):
    """A belief about a parameter's value, for ``negotiation robustness``.

    Which fields a kind takes, and every range, is checked in
    :mod:`negotiation.scenario.priors`.
    """

    kind: str = Field(
        description="uniform, triangular, beta, normal (truncated), log_uniform or discrete."
    )
    low: Number | None = Field(default=None, description="Lower end (default: the min).")
    high: Number | None = Field(default=None, description="Upper end (default: the max).")
    mode: Number | None = Field(default=None, description="Peak of a triangular prior.")
    a: Number | None = Field(default=None, description="First shape of a beta prior (> 0).")
    b: Number | None = Field(default=None, description="Second shape of a beta prior (> 0).")
    mean: Number | None = Field(default=None, description="Mean of the normal before truncation.")
    sd: Number | None = Field(default=None, description="Standard deviation of a normal (> 0).")
    values: Annotated[list[Number] | None, _bounded(MAX_PRIOR_VALUES, "values")] = Field(
        default=None, description="The values of a discrete prior."
    )
    probabilities: Annotated[list[Number] | None, _bounded(MAX_PRIOR_VALUES, "probabilities")] = (
        Field(default=None, description="Their probabilities (default: equal), summing to 1.")
    )


#: A prior, or its kind alone (``prior: uniform``).
Prior = Annotated[PriorModel, BeforeValidator(_prior)]


class ParameterModel(_Model):
    """A parameter with its value and, optionally, a range, a unit and a description."""

    value: Number
    min: Number | None = None
    max: Number | None = None
    unit: str | None = None
    description: str | None = None
    prior: Prior | None = Field(
        default=None, description="Belief about the value, for negotiation robustness."
    )


class StateModel(_Model):
    """One state of a custom strategy automaton."""

    play: MoveRef = Field(description="The move played in this state.")
    next: Annotated[dict[str, Label], _bounded(MAX_TRANSITIONS, "transitions")] = Field(
        default_factory=dict,
        max_length=MAX_TRANSITIONS,
        description='Transitions: "own_move,other_move" (either may be *) -> next state. '
        "The first matching key in file order applies; with none the state is kept.",
    )


class StrategyModel(_Model):
    """A custom strategy: a Moore automaton over the realised move profile."""

    description: str | None = None
    player: Label | None = Field(default=None, description="Restrict to one player's moves.")
    start: Label
    states: Annotated[dict[Label, StateModel], _bounded(MAX_ITEMS, "states")] = Field(
        min_length=1, max_length=MAX_ITEMS
    )


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


#: A discount factor: one expression for both players, or ``{player id: expression}``.
Discount = Annotated[
    Annotated[Expression, Tag("one")]
    | Annotated[
        Annotated[dict[str, Expression], _bounded(2, "discount factors")], Tag("per_player")
    ],
    Discriminator(lambda v: "per_player" if isinstance(v, dict) else "one"),
]


class RepeatedModel(_Model):
    """Settings of the repeated game."""

    discount: Discount = Field(
        default=Fraction(9, 10),
        description="Discount factor in [0, 1): one value for both players, or a mapping "
        "player id -> value (one δ per player).",
    )
    target: Annotated[list[MoveRef] | None, _bounded(2, "moves")] = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="The détente profile (required, except in a multi-issue file, where it "
        "defaults to the combination of the issues' targets).",
    )
    strategies: Annotated[list[str], _bounded(MAX_ITEMS, "strategies")] = Field(
        default_factory=list, max_length=MAX_ITEMS
    )
    noise: Expression = Field(default=Fraction(0), description="Tremble probability in [0, 1).")
    punishment: Literal["nash", "nash-any", "minmax"] = Field(
        default="nash",
        description="Default punishment after a deviation: the pure stage equilibrium worst "
        "for the deviator (nash), the stage equilibrium worst for the deviator among all, "
        "pure or mixed (nash-any; grim_trigger and k_period_punishment only when it is "
        "mixed), or the pure minmax profile (minmax).",
    )
    rounds: Whole = Field(default=200, ge=1, le=1_000_000)
    runs: Whole = Field(default=1000, ge=1, le=2_000_000)
    seed: Annotated[int | None, BeforeValidator(_whole)] = Field(default=None, ge=0)
    verdict: VerdictModel = Field(
        default_factory=VerdictModel, description="Thresholds of the verdict of compare."
    )


class AssumptionModel(_Model):
    """A named set of parameter overrides."""

    description: str | None = None
    set: Annotated[dict[Identifier, Expression], _bounded(MAX_ITEMS, "parameter settings")] = (
        Field(default_factory=dict, max_length=MAX_ITEMS)
    )
    priors: Annotated[dict[Identifier, Prior], _bounded(MAX_ITEMS, "priors")] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS,
        description="Priors replacing the parameters' own under this assumption.",
    )


class ObservationModel(_Model):
    """One observed round of the conflict: when, what each side did, and the source."""

    date: IsoDate
    moves: Annotated[list[str], _bounded(2, "moves")] = Field(
        min_length=2, max_length=2, description="[row player's move, column player's move]."
    )
    source: str = Field(min_length=1, description="Where the moves are documented.")
    note: str | None = None


class IssueModel(_Model):
    """One issue of a linked accord: its own moves, payoffs, weight and détente target."""

    description: str | None = None
    moves: Moves
    payoffs: PayoffCells | None = None
    matrices: Matrices | None = None
    weight: Expression = Field(
        default=Fraction(1), description="Positive factor on this issue's payoffs in the sum."
    )
    target: Annotated[list[Label], _bounded(2, "moves")] = Field(
        min_length=2, max_length=2, description="The détente on this issue: [row, column]."
    )


class ScenarioModel(_Model):
    """A two-player trade-conflict scenario (format version 1)."""

    schema_: Annotated[Literal[1], BeforeValidator(_version)] = Field(
        alias="schema", description="Format version; always 1."
    )
    id: Slug
    title: str
    summary: str | None = None
    description: str | None = None
    sources: Annotated[list[str], _bounded(MAX_SOURCES, "sources")] = Field(
        default_factory=list, max_length=MAX_SOURCES
    )
    players: Annotated[list[PlayerModel], BeforeValidator(_two_players)] = Field(
        min_length=2, max_length=2
    )
    moves: Moves | None = Field(
        default=None, description="Move labels (required unless the file has 'issues')."
    )
    parameters: Annotated[
        dict[Identifier, Annotated[ParameterModel, BeforeValidator(_parameter)]],
        _bounded(MAX_ITEMS, "parameters"),
    ] = Field(default_factory=dict, max_length=MAX_ITEMS)
    derived: Annotated[dict[Identifier, Expression], _bounded(MAX_ITEMS, "derived names")] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )
    payoffs: PayoffCells | None = None
    matrices: Matrices | None = None
    payoff_formulas: Annotated[dict[Label, Expression], _bounded(2, "payoff formulas")] | None = (
        Field(
            default=None,
            description="With grid moves: player id -> payoff expression over parameters, "
            "derived names and both players' level names.",
        )
    )
    issues: Annotated[dict[Label, IssueModel] | None, _bounded(MAX_ISSUES, "issues")] = Field(
        default=None,
        max_length=MAX_ISSUES,
        description="A multi-issue (linked) scenario: issue id -> its moves, payoffs, weight "
        "and target; replaces the top-level moves and payoffs.",
    )
    repeated: RepeatedModel | None = None
    strategies: Annotated[dict[Label, StrategyModel], _bounded(MAX_ITEMS, "strategies")] = Field(
        default_factory=dict, max_length=MAX_ITEMS
    )
    assumptions: Annotated[dict[Slug, AssumptionModel], _bounded(MAX_ITEMS, "assumptions")] = (
        Field(default_factory=dict, max_length=MAX_ITEMS)
    )
    history: Annotated[list[ObservationModel], _bounded(MAX_HISTORY, "observed rounds")] = Field(
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
