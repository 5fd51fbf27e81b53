"""``--set`` overrides as results record them: the names and values a run applied.

A result computed with overrides says so in its label (``baseline with theta_us=0.5``)
and in its JSON (``"overrides": {"theta_us": "0.5"}``), so that a saved result is never
attributed to the plain assumption.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

__all__ = ["Overrides", "assumption_label", "override_record"]

#: Overrides as recorded: (name, value text) pairs in the order given.
Overrides = tuple[tuple[str, str], ...]


def _text(value: Any) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    return str(value).strip()


def override_record(overrides: Mapping[str, Any] | None) -> Overrides:
    """The overrides as ``(name, value text)`` pairs: text as given, numbers exact.

    Examples
    --------
    >>> override_record({"theta_us": "0.5", "L_cn": Fraction(25, 2)})
    (('theta_us', '0.5'), ('L_cn', '25/2'))
    >>> override_record(None)
    ()
    """
    return tuple((str(k), _text(v)) for k, v in (overrides or {}).items())


def assumption_label(assumption: str, overrides: Overrides | Mapping[str, Any] | None) -> str:
    """``assumption``, or ``assumption with name=value, ...`` when overrides applied.

    Examples
    --------
    >>> assumption_label("baseline", (("theta_us", "0.5"),))
    'baseline with theta_us=0.5'
    >>> assumption_label("hawkish", {})
    'hawkish'
    """
    pairs = overrides if isinstance(overrides, tuple) else override_record(overrides)
    extra = ", ".join(f"{k}={v}" for k, v in pairs)
    return f"{assumption} with {extra}" if extra else assumption
