"""Grid axes of a parameter sweep: ``name=start:stop:count``.

An axis is a scenario parameter, or one of the repeated game's settings ``discount``
(alias ``delta``) and ``noise`` (alias ``epsilon``) when the scenario has no parameter
of that name. ``discount`` sets both players' δ; ``discount.<player id>`` (alias
``delta.<player id>``) sets one player's δ, the other keeping the scenario's. Grid
values are exact: ``start + k (stop - start) / (count - 1)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.errors import NegotiationError
from negotiation.scenario.expressions import ExpressionError, parse_expression
from negotiation.scenario.model import Scenario

__all__ = [
    "MAX_PAYOFF_CELLS",
    "MAX_POINTS",
    "SETTINGS",
    "Axis",
    "AxisSpec",
    "check_grid_size",
    "parse_axis",
    "parse_spec",
]

#: Most grid points a sweep accepts (all axes together).
MAX_POINTS = 1_000_000

#: Most payoff cells (points times moves times moves) a sweep holds: the payoff arrays
#: take 16 bytes a cell (two players, double precision), 512 MB at this limit.
MAX_PAYOFF_CELLS = 32_000_000

#: Repeated-game settings that may be swept, with their aliases.
SETTINGS = {"discount": "discount", "delta": "discount", "noise": "noise", "epsilon": "noise"}


@dataclass(frozen=True)
class Axis:
    """One swept quantity.

    Attributes
    ----------
    name : str
        Parameter name, or ``"discount"`` / ``"noise"``.
    kind : {"parameter", "discount", "noise"}
    values : tuple of Fraction
    label : str
        Axis label: the parameter's description and unit when the file gives them.
    player : int or None
        For ``discount.<player id>``: whose δ (0 row, 1 column); ``None`` for both.
    """

    name: str
    kind: str
    values: tuple[Fraction, ...]
    label: str
    player: int | None = None


@dataclass(frozen=True)
class AxisSpec:
    """The text of an axis, parsed but not yet checked against a scenario.

    Attributes
    ----------
    spec : str
        As given, ``name=start:stop:count``.
    name : str
    start, stop : Fraction
    count : int
    """

    spec: str
    name: str
    start: Fraction
    stop: Fraction
    count: int


def _number(text: str, spec: str, what: str) -> Fraction:
    try:
        value = parse_expression(text, names=()).evaluate({})
    except ExpressionError as exc:
        raise NegotiationError(f"--grid {spec}: {what} {text!r}: {exc.message}") from None
    if not isinstance(value, Fraction):
        raise NegotiationError(f"--grid {spec}: {what} must be a rational number, got {text!r}")
    return value


def parse_spec(spec: str) -> AxisSpec:
    """Parse the text ``name=start:stop:count`` (cheap: no grid value is made).

    Raises
    ------
    NegotiationError
        Malformed text, a count outside ``[2, MAX_POINTS]``, ``stop <= start``.

    Examples
    --------
    >>> parse_spec("T=5:9:3")
    AxisSpec(spec='T=5:9:3', name='T', start=Fraction(5, 1), stop=Fraction(9, 1), count=3)
    """
    name, sep, rest = spec.partition("=")
    name = name.strip()
    parts = rest.split(":")
    if not sep or len(parts) != 3 or not name:
        raise NegotiationError(
            f"--grid {spec}: expected NAME=START:STOP:COUNT, e.g. t_us=0:1.5:31"
        )
    text = parts[2].strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_POINTS)):
        if text.isascii() and text.isdigit():
            raise NegotiationError(f"--grid {spec}: COUNT must be between 2 and {MAX_POINTS:,}")
        raise NegotiationError(f"--grid {spec}: COUNT must be a whole number")
    count = int(text)
    if not 2 <= count <= MAX_POINTS:
        raise NegotiationError(f"--grid {spec}: COUNT must be between 2 and {MAX_POINTS:,}")
    start = _number(parts[0].strip(), spec, "start")
    stop = _number(parts[1].strip(), spec, "stop")
    if stop <= start:
        raise NegotiationError(f"--grid {spec}: STOP must be greater than START")
    return AxisSpec(spec, name, start, stop, count)


def check_grid_size(counts: list[int], moves: tuple[int, int] | None = None) -> int:
    """The number of grid points of axes with these counts, if a sweep accepts it.

    Checked before any grid value or payoff is computed, so that an absurd grid is
    refused at once.

    Raises
    ------
    NegotiationError
        More than :data:`MAX_POINTS` points, or (given the game's ``moves``) more than
        :data:`MAX_PAYOFF_CELLS` payoff cells.

    Examples
    --------
    >>> check_grid_size([1000, 1000])
    1000000
    >>> check_grid_size([1_000_000, 1_000_000])
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: the grid has 1,000,000,000,000 points; at most 1,000,000
    >>> check_grid_size([1000, 1000], moves=(9, 9))
    Traceback (most recent call last):
    ...
    negotiation.errors.NegotiationError: the grid has 1,000,000 points of a 9x9 game: at most 395,061 points for a game of this size (32,000,000 payoff cells)
    """  # noqa: E501
    total = 1
    for c in counts:
        total *= int(c)
    if total > MAX_POINTS:
        raise NegotiationError(f"the grid has {total:,} points; at most {MAX_POINTS:,}")
    if moves is not None and total * moves[0] * moves[1] > MAX_PAYOFF_CELLS:
        most = MAX_PAYOFF_CELLS // (moves[0] * moves[1])
        raise NegotiationError(
            f"the grid has {total:,} points of a {moves[0]}x{moves[1]} game: at most "
            f"{most:,} points for a game of this size ({MAX_PAYOFF_CELLS:,} payoff cells)"
        )
    return total


def parse_axis(spec: str | AxisSpec, scenario: Scenario) -> Axis:
    """Parse ``name=start:stop:count`` against a scenario.

    Parameters
    ----------
    spec : str or AxisSpec
    scenario : Scenario

    Returns
    -------
    Axis

    Raises
    ------
    NegotiationError
        Malformed text, unknown name, fewer than 2 or too many points, values outside
        the parameter's declared range or outside ``[0, 1)`` for δ and ε.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> a = parse_axis("T=5:9:3", load_scenario("prisoners-dilemma"))
    >>> a.values
    (Fraction(5, 1), Fraction(7, 1), Fraction(9, 1))
    >>> a.label
    'Temptation: defect while the other cooperates (payoff)'
    >>> parse_axis("delta=0.5:0.9:5", load_scenario("prisoners-dilemma")).kind
    'discount'
    >>> a = parse_axis("discount.column=0.5:0.9:5", load_scenario("prisoners-dilemma"))
    >>> a.name, a.kind, a.player, a.label
    ('discount.column', 'discount', 1, 'discount factor δ of column')
    """
    parsed = parse_spec(spec) if isinstance(spec, str) else spec
    spec, name, start, stop, count = (
        parsed.spec,
        parsed.name,
        parsed.start,
        parsed.stop,
        parsed.count,
    )
    step = (stop - start) / (count - 1)
    if name in scenario.parameters:
        p = scenario.parameters[name]
        if (p.min is not None and start < p.min) or (p.max is not None and stop > p.max):
            raise NegotiationError(
                f"--grid {spec}: {name} ranges over [{p.min}, {p.max}] in {scenario.file}"
            )
        values = (*(start + step * k for k in range(count - 1)), stop)
        return Axis(name, "parameter", values, p.label)
    if name in SETTINGS:
        kind = SETTINGS[name]
        if scenario.repeated is None:
            raise NegotiationError(f"--grid {spec}: {scenario.file} has no 'repeated' section")
        if start < 0 or stop >= 1:
            raise NegotiationError(f"--grid {spec}: {kind} must stay within [0, 1)")
        label = "discount factor δ" if kind == "discount" else "tremble probability ε"
        values = (*(start + step * k for k in range(count - 1)), stop)
        return Axis(kind, kind, values, label)
    setting, dot, pid = name.partition(".")
    if dot and SETTINGS.get(setting) == "discount" and pid in scenario.player_ids:
        if scenario.repeated is None:
            raise NegotiationError(f"--grid {spec}: {scenario.file} has no 'repeated' section")
        if start < 0 or stop >= 1:
            raise NegotiationError(f"--grid {spec}: discount must stay within [0, 1)")
        values = (*(start + step * k for k in range(count - 1)), stop)
        who = scenario.player_ids.index(pid)
        return Axis(f"discount.{pid}", "discount", values, f"discount factor δ of {pid}", who)
    per_player = [f"discount.{p}" for p in scenario.player_ids]
    known = ", ".join([*scenario.parameters, "discount", *per_player, "noise"])
    raise NegotiationError(f"--grid {spec}: unknown name {name!r} (known: {known})")
