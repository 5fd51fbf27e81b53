"""Moves generated from a grid of levels, and payoffs as formulas of the levels.

A player's moves may be levels of one instrument -- a tariff rate, a quota, an
export-licence share -- instead of a hand-written list::

    moves:
      us: {levels: t_us, values: "0:1.5:0.05", labels: percent}
      cn: {levels: t_cn, values: [0, 0.1, 0.25, 0.5]}
    payoff_formulas:
      us: "gain_us * t_us - cost_us * t_us**2 - harm_us * t_cn"
      cn: "gain_cn * t_cn - cost_cn * t_cn**2 - harm_cn * t_us"

``values`` is ``"start:stop:step"`` (exact decimals, ``stop`` included when the grid
reaches it) or a list of numbers. The move labels are the levels written as text
(``labels: value``: ``0_05`` for 0.05) or as percentages (``labels: percent``:
``5pct``), after an optional ``prefix``. ``payoff_formulas`` gives one expression per
player over the parameters, the derived names and the level names; each payoff cell
is that expression with the row and column levels put in (exactly).

The number of levels is computed from ``start``, ``stop`` and ``step`` and checked
against :data:`~negotiation.limits.MAX_MOVES` before any level is generated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from negotiation.limits import MAX_MOVES, MAX_NUMBER_DIGITS
from negotiation.scenario.expressions import Binary, Call, Expr, Name, Unary, constant

__all__ = ["GridError", "MoveGrid", "bind_levels", "grid_labels", "grid_values"]


class GridError(ValueError):
    """A grid that cannot be expanded; the message says why (the caller locates it)."""


@dataclass(frozen=True)
class MoveGrid:
    """One player's grid: the level name, the levels and the generated labels."""

    level: str
    values: tuple[Fraction, ...]
    labels: tuple[str, ...]


def _decimal(text: str, what: str) -> Fraction:
    body = text.strip()
    digits = sum(ch.isdigit() for ch in body)
    if digits > MAX_NUMBER_DIGITS:
        raise GridError(f"{what} {body[:20]!r}... has more than {MAX_NUMBER_DIGITS} digits")
    if not body or any(ch not in "0123456789.+-" for ch in body):
        raise GridError(f"{what} {body!r} is not a decimal number")
    try:
        return Fraction(body)
    except (ValueError, ZeroDivisionError):
        raise GridError(f"{what} {body!r} is not a decimal number") from None


def grid_values(values: str | list[Fraction | float]) -> tuple[Fraction, ...]:
    """The levels of a grid, exactly, its size checked before they are generated.

    Parameters
    ----------
    values : str or list of numbers
        ``"start:stop:step"`` or the levels themselves.

    Returns
    -------
    tuple of Fraction

    Raises
    ------
    GridError
        A malformed range, a step that is not positive, a stop below the start, more
        than :data:`~negotiation.limits.MAX_MOVES` levels, or repeated levels.

    Examples
    --------
    >>> [str(v) for v in grid_values("0:0.2:0.05")]
    ['0', '1/20', '1/10', '3/20', '1/5']
    >>> grid_values("0:1e9:1")
    Traceback (most recent call last):
    ...
    negotiation.scenario.move_grids.GridError: stop '1e9' is not a decimal number
    >>> grid_values("0:1000:1")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negotiation.scenario.move_grids.GridError: the grid 0:1000:1 has 1001 levels: at most 500 ...
    """
    if isinstance(values, str):
        parts = values.split(":")
        if len(parts) != 3:
            raise GridError(
                f"expected 'start:stop:step' (three decimals separated by ':'), got {values!r}"
            )
        start, stop, step = (
            _decimal(p, w) for p, w in zip(parts, ("start", "stop", "step"), strict=True)
        )
        if step <= 0:
            raise GridError(f"the step must be positive, got {parts[2].strip()!r}")
        if stop < start:
            raise GridError(f"the stop {parts[1].strip()!r} is below the start")
        count = math.floor((stop - start) / step) + 1
        if count > MAX_MOVES:
            raise GridError(
                f"the grid {values.strip()} has {count} levels: at most {MAX_MOVES} moves per "
                f"player are supported (use a coarser step)"
            )
        out = tuple(start + k * step for k in range(count))
    else:
        if len(values) > MAX_MOVES:
            raise GridError(f"{len(values)} levels are too many: at most {MAX_MOVES}")
        out = tuple(Fraction(v) if not isinstance(v, float) else Fraction(repr(v)) for v in values)
    if not out:
        raise GridError("expected at least one level")
    if len(set(out)) != len(out):
        raise GridError("the levels are not distinct")
    return out


def _text(value: Fraction) -> str | None:
    """A terminating decimal as text with ``_`` for the point (None if it does not end)."""
    sign = "minus" if value < 0 else ""
    value = abs(value)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = value.numerator * 10**places // value.denominator
    whole, frac = divmod(scaled, 10**places) if places else (scaled, 0)
    text = str(whole) if not places else f"{whole}_{str(frac).rjust(places, '0').rstrip('0')}"
    return sign + text.rstrip("_")


def grid_labels(values: tuple[Fraction, ...], style: str, prefix: str = "") -> tuple[str, ...]:
    """Move labels for the levels: ``value`` (``0_05``) or ``percent`` (``5pct``).

    Raises
    ------
    GridError
        A level that is not a terminating decimal (such as 1/3).

    Examples
    --------
    >>> grid_labels((Fraction(0), Fraction(1, 20), Fraction(3, 2)), "percent")
    ('0pct', '5pct', '150pct')
    >>> grid_labels((Fraction(-1, 2), Fraction(1, 20)), "value", "t")
    ('tminus0_5', 't0_05')
    """
    out = []
    for v in values:
        text = _text(v * 100 if style == "percent" else v)
        if text is None:
            raise GridError(f"the level {v} is not a terminating decimal: it has no label")
        out.append(prefix + text + ("pct" if style == "percent" else ""))
    return tuple(out)


def bind_levels(expr: Expr, levels: Mapping[str, Fraction]) -> Expr:
    """The expression with the level names replaced by their exact values.

    Examples
    --------
    >>> from negotiation.scenario.expressions import parse_expression
    >>> str(bind_levels(parse_expression("a * t - t**2"), {"t": Fraction(1, 2)}))
    'a * 0.5 - 0.5**2'
    """
    if isinstance(expr, Name):
        return constant(levels[expr.id]) if expr.id in levels else expr
    if isinstance(expr, Unary):
        return Unary(expr.op, bind_levels(expr.operand, levels))
    if isinstance(expr, Binary):
        return Binary(expr.op, bind_levels(expr.left, levels), bind_levels(expr.right, levels))
    if isinstance(expr, Call):
        return Call(expr.func, tuple(bind_levels(a, levels) for a in expr.args))
    return expr
