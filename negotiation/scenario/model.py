"""The validated scenario: immutable data, parameter values per assumption, stage games."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from negotiation.errors import NegotiationError, ScenarioError, quote, shorten_list, show_number
from negotiation.scenario.expressions import (
    EvaluationError,
    Expr,
    ExpressionError,
    parse_expression,
)
from negotiation.scenario.yaml_source import Path

if TYPE_CHECKING:
    from negotiation.scenario.priors import Prior

__all__ = [
    "BASELINE",
    "MAX_PARAMETER_BITS",
    "Assumption",
    "AutomatonSpec",
    "Issue",
    "Observation",
    "Parameter",
    "Player",
    "RepeatedSettings",
    "Scenario",
    "Value",
]

#: Name of the assumption made of the parameters' declared values; always present.
BASELINE = "baseline"
#: Most bits (numerator plus denominator) of a parameter value set by an assumption or
#: an override, about 300 digits: a declared value has at most 40 digits anyway, and
#: Python cannot even write an integer of more than 4300 digits.
MAX_PARAMETER_BITS = 1000

Value = Fraction | float


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Player:
    """A player: ``id`` as used in the file, and a display ``name``."""

    id: str
    name: str


@dataclass(frozen=True)
class Parameter:
    """A parameter's declared value, optional range, unit and description."""

    name: str
    value: Value
    min: Value | None = None
    max: Value | None = None
    unit: str | None = None
    description: str | None = None
    prior: Prior | None = None

    @property
    def label(self) -> str:
        """``description (unit)`` for axis labels, falling back to the name.

        Examples
        --------
        >>> Parameter("t_us", Fraction(11, 20), unit="share", description="US tariff").label
        'US tariff (share)'
        """
        text = self.description or self.name
        return f"{text} ({self.unit})" if self.unit else text


@dataclass(frozen=True)
class Assumption:
    """A named set of parameter overrides on top of the declared values, and priors
    replacing the parameters' own (``negotiation robustness``)."""

    name: str
    description: str
    overrides: Mapping[str, Value]
    priors: Mapping[str, Prior] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class AutomatonSpec:
    """A custom strategy from the file: a Moore machine over realised move profiles.

    ``transitions[state]`` lists ``(own, other, next_state)`` triples in file order,
    ``"*"`` matching any move; the first match applies, with none the state is kept.
    :func:`negotiation.strategy_for` turns it into the runtime
    :class:`~negotiation.repeated.automaton.Automaton` for one player.

    Examples
    --------
    >>> from negotiation import StageGame, strategy_for
    >>> spec = AutomatonSpec("grudge", "defect for good once defected against", None,
    ...                      "nice", {"nice": "C", "angry": "D"},
    ...                      {"nice": (("*", "D", "angry"),), "angry": ()})
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> strategy_for("grudge", pd, 0, ("C", "C"), custom={"grudge": spec}).size
    2
    """

    name: str
    description: str
    player: str | None
    start: str
    plays: Mapping[str, str]
    transitions: Mapping[str, tuple[tuple[str, str, str], ...]]


@dataclass(frozen=True)
class Observation:
    """One observed round from the file's ``history:``: date, moves and source.

    ``date`` is ``YYYY-MM-DD`` or ``YYYY-MM``; ``moves`` are the row and the column
    player's move labels.
    """

    date: str
    moves: tuple[str, str]
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Issue:
    """One issue of a multi-issue (linked) scenario, from the file's ``issues:``.

    ``payoffs[i][j]`` are the issue's own (unweighted) payoff expressions for row move
    ``i`` and column move ``j``; the linked game adds ``weight`` times them over issues.
    """

    id: str
    description: str
    moves: tuple[tuple[str, ...], tuple[str, ...]]
    payoffs: tuple[tuple[tuple[Expr, Expr], ...], ...]
    weight: Expr
    target: tuple[str, str]
    payoff_paths: tuple[tuple[tuple[Path, Path], ...], ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class RepeatedSettings:
    """Repeated-game settings: discount and noise are expressions over parameters.

    ``discount`` is one expression (a common δ) or a ``(row, column)`` pair of them (the
    file's ``discount: {player id: value}``); :meth:`discount_exprs` gives the pair either
    way, :meth:`discount_value` evaluates it in the same form.
    """

    discount: Expr | tuple[Expr, Expr]
    target: tuple[str, str]
    strategies: tuple[str, ...]
    noise: Expr
    rounds: int
    runs: int
    seed: int | None
    punishment: str = "nash"
    min_slack: Fraction = Fraction(1, 20)
    min_share: Fraction = Fraction(1, 2)

    @property
    def per_player(self) -> bool:
        """Whether the file gives one discount factor per player."""
        return isinstance(self.discount, tuple)

    def discount_exprs(self) -> tuple[Expr, Expr]:
        """The row and the column player's discount expressions."""
        d = self.discount
        return (d[0], d[1]) if isinstance(d, tuple) else (d, d)

    def discount_path(self, who: int, ids: tuple[str, str]) -> Path:
        """The field path of player ``who``'s discount factor (for error messages)."""
        return ("repeated", "discount", ids[who]) if self.per_player else ("repeated", "discount")

    def discount_value(self, values: Mapping[str, Any]) -> Any:
        """The discount evaluated: one value when common, a ``(row, column)`` pair when
        per player (see :mod:`negotiation.scenario.discounts`).

        Examples
        --------
        >>> from negotiation.scenario.expressions import parse_expression
        >>> rep = RepeatedSettings(
        ...     (parse_expression("d", names={"d"}), parse_expression("9/10", names=())),
        ...     ("C", "C"), (), parse_expression("0", names=()), 10, 10, None)
        >>> rep.discount_value({"d": Fraction(1, 2)})
        (Fraction(1, 2), Fraction(9, 10))
        """
        if isinstance(self.discount, tuple):
            return (self.discount[0].evaluate(values), self.discount[1].evaluate(values))
        return self.discount.evaluate(values)


@dataclass(frozen=True)
class Scenario:
    """A validated scenario file.

    Build one with :func:`negotiation.scenario.load_scenario` or
    :func:`negotiation.scenario.parse_scenario`.

    Attributes
    ----------
    id, title, summary : str
    sources : tuple of str
    players : tuple of two Player
        Row player first.
    moves : tuple of two tuples of str
        Move labels of the row and the column player.
    parameters : Mapping[str, Parameter]
    derived : Mapping[str, Expr]
        Named expressions, in an order where each uses only earlier ones.
    payoffs : tuple of tuple of (Expr, Expr)
        ``payoffs[i][j]`` gives the row and column player's payoff expressions.
    repeated : RepeatedSettings or None
    strategies : Mapping[str, AutomatonSpec]
    assumptions : Mapping[str, Assumption]
        Named assumptions, ``"baseline"`` first.
    file : str
    history : tuple of Observation
        Observed rounds from the file's ``history:``, oldest first (may be empty).
    issues : tuple of Issue
        The issues of a multi-issue file, in file order (empty otherwise); ``moves`` and
        ``payoffs`` are then those of the linked game.
    """

    id: str
    title: str
    summary: str
    sources: tuple[str, ...]
    players: tuple[Player, Player]
    moves: tuple[tuple[str, ...], tuple[str, ...]]
    parameters: Mapping[str, Parameter]
    derived: Mapping[str, Expr]
    payoffs: tuple[tuple[tuple[Expr, Expr], ...], ...]
    repeated: RepeatedSettings | None
    strategies: Mapping[str, AutomatonSpec]
    assumptions: Mapping[str, Assumption]
    file: str = "<string>"
    payoff_paths: tuple[tuple[tuple[Path, Path], ...], ...] = field(default=(), repr=False)
    lines: Mapping[Path, int] = field(default_factory=dict, repr=False)
    history: tuple[Observation, ...] = field(default=(), repr=False)
    issues: tuple[Issue, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        """Short: the id, the players and their moves, parameters and assumptions.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> load_scenario("prisoners-dilemma")  # doctest: +ELLIPSIS
        Scenario('prisoners-dilemma': row × column, 2×2 moves, ... parameters, ... assumptions)
        """
        (p, q), (m, n) = (pl.id for pl in self.players), (len(x) for x in self.moves)
        return (
            f"Scenario({self.id!r}: {p} × {q}, {m}×{n} moves, {len(self.parameters)} parameters, "
            f"{len(self.assumptions)} assumptions)"
        )

    @property
    def player_ids(self) -> tuple[str, str]:
        """The two player ids, row first."""
        return (self.players[0].id, self.players[1].id)

    def _fail(self, path: Path, message: str) -> ScenarioError:
        line = None
        probe = path
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        return ScenarioError(message, file=self.file, path=path, line=line)

    def parameter_values(
        self, assumption: str = BASELINE, overrides: Mapping[str, Any] | None = None
    ) -> dict[str, Value]:
        """Values of all parameters and derived names under an assumption.

        Parameters
        ----------
        assumption : str
            ``"baseline"`` or a name from the file's ``assumptions``.
        overrides : mapping, optional
            Extra ``name -> value`` settings applied last (numbers or constant
            expression text such as ``"1/3"``), as ``--set`` does.

        Returns
        -------
        dict
            Parameter and derived values (exact ``Fraction`` where rational).

        Raises
        ------
        NegotiationError
            Unknown assumption or parameter, a value that is not a finite number or
            constant expression, too large, or outside the declared range.
        ScenarioError
            A derived expression cannot be evaluated (e.g. division by zero).

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> s = parse_scenario(EXAMPLE)
        >>> s.parameter_values("hawkish", {"gain": "1/2"})
        {'gain': Fraction(1, 2), 'cost': Fraction(3, 1), 'net': Fraction(-5, 2)}
        >>> s.parameter_values("baseline", {"gain": float("nan")})
        Traceback (most recent call last):
        ...
        negotiation.errors.NegotiationError: --set gain=nan: the value must be a finite number
        """
        if not isinstance(assumption, str) or assumption not in self.assumptions:
            known = shorten_list(self.assumptions)
            raise NegotiationError(
                f"{self.file}: unknown assumption {quote(assumption)} (this scenario has: {known})"
            )
        if overrides is not None and not isinstance(overrides, Mapping):
            raise NegotiationError(
                f"overrides must map parameter names to values, got {type(overrides).__name__}"
            )
        values: dict[str, Value] = {k: p.value for k, p in self.parameters.items()}
        values.update(self.assumptions[assumption].overrides)
        for name, raw in (overrides or {}).items():
            if not isinstance(name, str) or name not in self.parameters:
                known = shorten_list(self.parameters) or "none"
                raise NegotiationError(
                    f"{self.file}: cannot set {quote(name)}: not a parameter of this scenario "
                    f"(parameters: {known})"
                )
            values[name] = _constant_value(name, raw)
            self._check_range(self.parameters[name], values[name], f"--set {name}")
        for name, expr in self.derived.items():
            try:
                values[name] = expr.evaluate(values)
            except EvaluationError as exc:
                raise self._fail(
                    ("derived", name), f"cannot evaluate under {assumption!r}: {exc.message}"
                ) from None
        return values

    def _check_range(self, p: Parameter, value: Value, source: str) -> None:
        if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
            lo = "unbounded" if p.min is None else show_number(p.min)
            hi = "unbounded" if p.max is None else show_number(p.max)
            raise NegotiationError(
                f"{self.file}: {source}: {p.name} = {show_number(value)} is outside its "
                f"declared range [{lo}, {hi}]"
            )

    def inexact_payoff(
        self, assumption: str = BASELINE, overrides: Mapping[str, Any] | None = None
    ) -> Path | None:
        """The field path of the first payoff that is not an exact rational, or None.

        ``sqrt`` of a non-square, ``exp``, ``log`` and fractional powers give
        floating-point payoffs, which the exact analyses cannot use.

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> s = parse_scenario(EXAMPLE.replace("[0, 0]", '["3 + sqrt(2)", 0]'))
        >>> s.inexact_payoff()
        ('payoffs', 'hold', 'hold', 0)
        >>> parse_scenario(EXAMPLE).inexact_payoff() is None
        True
        """
        A, B, exact = self.payoff_values(assumption, overrides)
        if exact:
            return None
        for i, row in enumerate(A):
            for j in range(len(row)):
                for who, M in ((0, A), (1, B)):
                    if not isinstance(M[i][j], Fraction):
                        return self.payoff_paths[i][j][who] if self.payoff_paths else ("payoffs",)
        return ("payoffs",)

    def require_exact_payoffs(
        self,
        purpose: str,
        assumption: str = BASELINE,
        overrides: Mapping[str, Any] | None = None,
    ) -> None:
        """Raise a located :class:`ScenarioError` unless every payoff is an exact rational.

        Parameters
        ----------
        purpose : str
            What needs exact payoffs, for the message (e.g. ``"stability"``).
        assumption, overrides
            As for :meth:`payoff_values`.

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> s = parse_scenario(EXAMPLE.replace("[0, 0]", '["3 + sqrt(2)", 0]'))
        >>> s.require_exact_payoffs("stability")
        Traceback (most recent call last):
        ...
        negotiation.errors.ScenarioError: <string>:13: payoffs.hold.hold[0]: stability needs ...
        """
        path = self.inexact_payoff(assumption, overrides)
        if path is None:
            return
        expr = self._expression_at(path)
        shown = f" ({quote(str(expr))})" if expr is not None else ""
        raise self._fail(
            path,
            f"{purpose} needs exact (rational) payoffs, but this payoff{shown} is a "
            f"floating-point number under {quote(assumption)}: sqrt of a non-square, exp, "
            "log, irrational roots and fractional powers are not exact",
        )

    def _expression_at(self, path: Path) -> Expr | None:
        for i, row in enumerate(self.payoff_paths):
            for j, pair in enumerate(row):
                for who in (0, 1):
                    if pair[who] == path:
                        return self.payoffs[i][j][who]
        return None

    def payoff_values(
        self,
        assumption: str = BASELINE,
        overrides: Mapping[str, Any] | None = None,
    ) -> tuple[list[list[Value]], list[list[Value]], bool]:
        """Evaluate the payoffs under an assumption.

        Parameters
        ----------
        assumption : str
            ``"baseline"`` or a named assumption.
        overrides : mapping, optional
            ``--set``-style parameter values applied last.

        Returns
        -------
        (A, B, exact)
            Row and column player's payoffs indexed (row move, column move), and whether
            all of them are exact rationals. ``StageGame.from_scenario`` wraps this.

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> A, B, exact = parse_scenario(EXAMPLE).payoff_values("hawkish")
        >>> A[1][0], exact
        (Fraction(-1, 1), True)
        """
        values = self.parameter_values(assumption, overrides)
        return self._evaluate_payoffs(self.payoffs, self.payoff_paths, values, assumption)

    def _evaluate_payoffs(
        self,
        payoffs: tuple[tuple[tuple[Expr, Expr], ...], ...],
        paths: tuple[tuple[tuple[Path, Path], ...], ...],
        values: Mapping[str, Value],
        assumption: str,
        weight: Value | None = None,
    ) -> tuple[list[list[Value]], list[list[Value]], bool]:
        """Payoff cells evaluated (times ``weight`` if given): ``(A, B, exact)``; a cell
        that cannot be evaluated is reported at its path."""
        A: list[list[Value]] = [[Fraction(0)] * len(row) for row in payoffs]
        B: list[list[Value]] = [[Fraction(0)] * len(row) for row in payoffs]
        for i, row in enumerate(payoffs):
            for j, cell in enumerate(row):
                for who, target in ((0, A), (1, B)):
                    try:
                        value = cell[who].evaluate(values)
                    except EvaluationError as exc:
                        path = paths[i][j][who] if paths else ("payoffs",)
                        raise self._fail(
                            path, f"cannot evaluate under {assumption!r}: {exc.message}"
                        ) from None
                    target[i][j] = value if weight is None else weight * value
        exact = all(isinstance(v, Fraction) for row in (*A, *B) for v in row)
        return A, B, exact

    def summary_dict(self) -> dict[str, Any]:
        """JSON-ready overview of the scenario (what ``show --format json`` prints)."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "file": self.file,
            "players": [{"id": p.id, "name": p.name} for p in self.players],
            "moves": {p.id: list(ms) for p, ms in zip(self.players, self.moves)},
            "parameters": {
                k: {
                    "value": _show(p.value),
                    "min": _show(p.min),
                    "max": _show(p.max),
                    "unit": p.unit,
                    "description": p.description,
                }
                for k, p in self.parameters.items()
            },
            "derived": {k: str(v) for k, v in self.derived.items()},
            "assumptions": {
                k: {
                    "description": a.description,
                    "set": {n: _show(v) for n, v in a.overrides.items()},
                }
                for k, a in self.assumptions.items()
            },
            "sources": list(self.sources),
        }


def _show(value: Value | None) -> Any:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return (
            str(value.numerator)
            if value.denominator == 1
            else f"{value.numerator}/{value.denominator}"
        )
    return value


def _constant_value(name: str, raw: Any) -> Value:
    """An override value: a finite number, or constant expression text (``"1/3"``)."""
    where = f"--set {name}={quote(raw) if isinstance(raw, str) else show_number(raw)}"
    if isinstance(raw, bool) or not isinstance(raw, str | numbers.Real | Decimal):
        raise NegotiationError(
            f"--set {name}: expected a number or constant expression text, got "
            f"{type(raw).__name__}"
        )
    value: Value
    if isinstance(raw, str):
        try:
            value = parse_expression(raw, names=()).evaluate({})
        except ExpressionError as exc:
            raise NegotiationError(f"{where}: {exc.message}") from None
    elif isinstance(raw, numbers.Rational):
        value = Fraction(int(raw.numerator), int(raw.denominator))
    else:
        try:
            finite = raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(float(raw))
        except (TypeError, ValueError, OverflowError):
            finite = False
        if not finite:
            raise NegotiationError(f"{where}: the value must be a finite number")
        value = Fraction(raw) if isinstance(raw, Decimal) else Fraction(repr(float(raw)))
    if isinstance(value, Fraction) and (
        value.numerator.bit_length() + value.denominator.bit_length() > MAX_PARAMETER_BITS
    ):
        raise NegotiationError(
            f"--set {name}: the value ({show_number(value)}) is too large: a parameter value "
            f"may have at most {MAX_PARAMETER_BITS} bits as a fraction (about 300 digits)"
        )
    return value


EXAMPLE = """
schema: 1
id: example
title: Example
players: [{id: a}, {id: b}]
moves: [hold, escalate]
parameters:
  gain: {value: 2, min: 0, max: 5}
  cost: 3
derived:
  net: gain - cost * 1
payoffs:
  hold: {hold: [0, 0], escalate: [-1, net]}
  escalate: {hold: [net, -1], escalate: [-cost, -cost]}
assumptions:
  hawkish: {description: "Escalation pays more", set: {gain: 2}}
"""


def __getattr__(name: str) -> Any:
    """``Automaton``, this class's old name, still works for one release, with a warning
    (the runtime automaton is :class:`negotiation.repeated.automaton.Automaton`)."""
    if name == "Automaton":
        import warnings

        warnings.warn(
            "negotiation.scenario.model.Automaton is now AutomatonSpec (the file's strategy "
            "specification); the old name goes in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return AutomatonSpec
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
