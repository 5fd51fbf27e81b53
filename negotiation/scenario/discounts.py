"""Discount factors, common or one per player.

A scenario's ``repeated.discount`` is one value (a common δ) or a mapping from player id
to value (one δ per player). Results hold a single number when the factors are
equal and a ``(row, column)`` pair when they differ. The helpers here turn either form into
the pair every analysis uses (player ``i``'s values are discounted with ``δ_i``), and
back into text and JSON.

JSON contract: ``"discount"`` is a single number when both players' factors are equal
(always so when the file gives one value), and an object ``{player id: number}`` when
they differ. Results hold a single value in the first case, so a mapping with equal
values gives exactly the single-δ answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["common_discount", "discount_json", "discount_pair", "discount_text", "is_pair"]

T = TypeVar("T")


def is_pair(discount: Any) -> bool:
    """Whether ``discount`` is a per-player ``(row, column)`` pair.

    Examples
    --------
    >>> from fractions import Fraction
    >>> is_pair((Fraction(1, 2), Fraction(9, 10))), is_pair(Fraction(9, 10))
    (True, False)
    """
    return isinstance(discount, tuple | list) and len(discount) == 2


def discount_pair(discount: Any) -> tuple[Any, Any]:
    """``(δ_row, δ_col)``: a pair as given, one value for both players.

    Examples
    --------
    >>> from fractions import Fraction
    >>> discount_pair(Fraction(9, 10))
    (Fraction(9, 10), Fraction(9, 10))
    >>> discount_pair((0.5, 0.9))
    (0.5, 0.9)
    """
    if is_pair(discount):
        return (discount[0], discount[1])
    return (discount, discount)


def common_discount(discount: Any) -> Any:
    """The common δ (a single value, or a pair of equal values), or ``None`` when the
    players' factors differ.

    Examples
    --------
    >>> from fractions import Fraction
    >>> common_discount((Fraction(9, 10), Fraction(9, 10))), common_discount((0.5, 0.9))
    (Fraction(9, 10), None)
    """
    a, b = discount_pair(discount)
    return a if a == b else None


def discount_text(discount: Any, ids: tuple[str, str], fmt: Callable[[Any], str] = str) -> str:
    """``0.9`` when common, ``us 0.6, cn 0.9`` when the players' factors differ.

    Examples
    --------
    >>> from fractions import Fraction
    >>> discount_text((Fraction(3, 5), Fraction(9, 10)), ("us", "cn"))
    'us 3/5, cn 9/10'
    >>> discount_text(Fraction(9, 10), ("us", "cn"))
    '9/10'
    """
    common = common_discount(discount)
    if common is not None:
        return fmt(common)
    a, b = discount_pair(discount)
    return f"{ids[0]} {fmt(a)}, {ids[1]} {fmt(b)}"


def discount_json(
    discount: Any, ids: tuple[str, str], out: Callable[[Any], T]
) -> T | dict[str, T]:
    """The JSON form: ``out(δ)`` when common, ``{player id: out(δ_i)}`` for a pair.

    Examples
    --------
    >>> from fractions import Fraction
    >>> discount_json((Fraction(3, 5), Fraction(9, 10)), ("us", "cn"), float)
    {'us': 0.6, 'cn': 0.9}
    >>> discount_json(Fraction(9, 10), ("us", "cn"), float)
    0.9
    """
    if is_pair(discount):
        return {ids[0]: out(discount[0]), ids[1]: out(discount[1])}
    return out(discount)
