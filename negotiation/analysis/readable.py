"""Readable names for papers and reports: strategies, profiles, moves.

Identifiers in files and results (``k_period_punishment(k=2)``, ``roll_back``) are
written for programs; tables meant for readers show them as words
(``k-period punishment (k=2)``, ``roll back``). The built-in strategies have their
names from the literature; any other name has its underscores read as spaces.
Standard library only.
"""

from __future__ import annotations

import re

__all__ = ["move_title", "profile_title", "strategy_title"]

#: The built-in strategies as the literature writes them.
_BUILT_IN = {
    "grim_trigger": "grim trigger",
    "k_period_punishment": "k-period punishment",
    "tit_for_tat": "tit-for-tat",
    "suspicious_tit_for_tat": "suspicious tit-for-tat",
    "tit_for_two_tats": "tit-for-two-tats",
    "generous_tit_for_tat": "generous tit-for-tat",
    "win_stay_lose_shift": "win-stay, lose-shift",
    "contrite_tit_for_tat": "contrite tit-for-tat",
    "stick_and_carrot": "stick and carrot",
}

_CALL = re.compile(r"^\s*([^()]*?)\s*\((.*)\)\s*$")


def move_title(name: str) -> str:
    """A move or identifier as words: underscores become spaces.

    Examples
    --------
    >>> move_title("roll_back")
    'roll back'
    """
    return " ".join(name.replace("_", " ").split())


def strategy_title(name: str) -> str:
    """A strategy name as words, with its arguments spaced.

    Examples
    --------
    >>> strategy_title("k_period_punishment(k=2)"), strategy_title("always_roll_back")
    ('k-period punishment (k=2)', 'always roll back')
    >>> strategy_title("generous_tit_for_tat(q = 1/3)"), strategy_title("my_custom")
    ('generous tit-for-tat (q=1/3)', 'my custom')
    """
    match = _CALL.match(name)
    base, args = (match.group(1), match.group(2)) if match else (name.strip(), None)
    if base in _BUILT_IN:
        words = _BUILT_IN[base]
    elif base.startswith("always_"):
        words = "always " + move_title(base.removeprefix("always_"))
    else:
        words = move_title(base)
    if args is None:
        return words
    compact = ", ".join(
        "=".join(part.strip() for part in arg.split("=", 1)) for arg in args.split(",")
    )
    return f"{words} ({compact})"


def profile_title(strategies: tuple[str, str] | list[str]) -> str:
    """A strategy profile: one name when both play it, else ``row / column``.

    Examples
    --------
    >>> profile_title(("grim_trigger", "grim_trigger"))
    'grim trigger'
    >>> profile_title(("tit_for_tat", "grim_trigger"))
    'tit-for-tat / grim trigger'
    """
    row, col = strategies
    return strategy_title(row) if row == col else f"{strategy_title(row)} / {strategy_title(col)}"
