"""Grid axes of a parameter sweep: ``name=start:stop:count``.

An axis is a scenario parameter, or one of the repeated game's settings ``discount``
(alias ``delta``) and ``noise`` (alias ``epsilon``) when the scenario has no parameter
of that name. Grid values are exact: ``start + k (stop - start) / (count - 1)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.errors import NegotiationError
from negotiation.scenario.expressions import ExpressionError, parse_expression
from negotiation.scenario.model import Scenario

__all__ = ["MAX_POINTS", "SETTINGS", "Axis", "parse_axis"]

#: Most grid points a sweep accepts (all axes together).
MAX_POINTS = 1_000_000

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
    """

    name: str
    kind: str
    values: tuple[Fraction, ...]
    label: str


def _number(text: str, spec: str, what: str) -> Fraction:
    try:
        value = parse_expression(text, names=()).evaluate({})
    except ExpressionError as exc:
        raise NegotiationError(f"--grid {spec}: {what} {text!r}: {exc.message}") from None
    if not isinstance(value, Fraction):
        raise NegotiationError(f"--grid {spec}: {what} must be a rational number, got {text!r}")
    return value


def parse_axis(spec: str, scenario: Scenario) -> Axis:
    """Parse ``name=start:stop:count`` against a scenario.

    Parameters
    ----------
    spec : str
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
    """
    name, sep, rest = spec.partition("=")
    name = name.strip()
    parts = rest.split(":")
    if not sep or len(parts) != 3 or not name:
        raise NegotiationError(
            f"--grid {spec}: expected NAME=START:STOP:COUNT, e.g. t_us=0:1.5:31"
        )
    start = _number(parts[0].strip(), spec, "start")
    stop = _number(parts[1].strip(), spec, "stop")
    try:
        count = int(parts[2].strip())
    except ValueError:
        raise NegotiationError(f"--grid {spec}: COUNT must be a whole number") from None
    if not 2 <= count <= MAX_POINTS:
        raise NegotiationError(f"--grid {spec}: COUNT must be between 2 and {MAX_POINTS}")
    if stop <= start:
        raise NegotiationError(f"--grid {spec}: STOP must be greater than START")
    values = tuple(start + (stop - start) * k / (count - 1) for k in range(count))
    if name in scenario.parameters:
        p = scenario.parameters[name]
        if (p.min is not None and start < p.min) or (p.max is not None and stop > p.max):
            raise NegotiationError(
                f"--grid {spec}: {name} ranges over [{p.min}, {p.max}] in {scenario.file}"
            )
        return Axis(name, "parameter", values, p.label)
    if name in SETTINGS:
        kind = SETTINGS[name]
        if scenario.repeated is None:
            raise NegotiationError(f"--grid {spec}: {scenario.file} has no 'repeated' section")
        if start < 0 or stop >= 1:
            raise NegotiationError(f"--grid {spec}: {kind} must stay within [0, 1)")
        label = "discount factor δ" if kind == "discount" else "tremble probability ε"
        return Axis(kind, kind, values, label)
    known = ", ".join([*scenario.parameters, "discount", "noise"])
    raise NegotiationError(f"--grid {spec}: unknown name {name!r} (known: {known})")
