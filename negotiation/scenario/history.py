"""The ``history:`` section of a scenario file: observed rounds, checked and frozen.

Each round names a date (``YYYY-MM-DD`` or ``YYYY-MM``), the move of each player and a
source. Moves must be move labels of the right player, and dates must not go back in
time; a month-only date is compared with a full date at month precision, so
``2025-05`` may come before or after ``2025-05-12``.
"""

from __future__ import annotations

from collections.abc import Sequence

from negotiation.scenario.model import Observation, Player
from negotiation.scenario.problems import Collector, unknown
from negotiation.scenario.schema import ObservationModel
from negotiation.scenario.yaml_source import Path

__all__ = ["check_history", "date_key"]


def date_key(date: str) -> tuple[int, ...]:
    """The date as a tuple of integers: ``(year, month)`` or ``(year, month, day)``.

    Examples
    --------
    >>> date_key("2025-05-12"), date_key("2025-05")
    ((2025, 5, 12), (2025, 5))
    """
    return tuple(int(x) for x in date.split("-"))


def _before(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Whether ``b`` is strictly earlier than ``a`` at their common precision."""
    n = min(len(a), len(b))
    return b[:n] < a[:n]


def check_history(
    c: Collector,
    rounds: Sequence[ObservationModel],
    players: Sequence[Player],
    moves: Sequence[tuple[str, ...]],
) -> tuple[Observation, ...]:
    """Check the observed rounds and freeze them; problems go to the collector.

    Parameters
    ----------
    c : Collector
    rounds : sequence of ObservationModel
        The parsed ``history:`` entries, in file order.
    players : sequence of two Player
    moves : sequence of two tuples of str
        Each player's move labels.

    Returns
    -------
    tuple of Observation
        The valid rounds (all of them when no problem was found).

    Examples
    --------
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> doc = load_yaml("history: []\\n")
    >>> c = Collector(doc)
    >>> obs = ObservationModel(date="2025-05", moves=["hodl", "d"], source="news")
    >>> check_history(c, [obs], [Player("a", "A"), Player("b", "B")], [("c", "d")] * 2)
    ()
    >>> c.problems[0].message
    "unknown move 'hodl' for player 'a' (choices: c, d)"
    """
    out = []
    previous: tuple[int, ...] | None = None
    for k, obs in enumerate(rounds):
        base: Path = ("history", k)
        ok = True
        for who in (0, 1):
            move = obs.moves[who]
            if move not in moves[who]:
                where = f" for player {players[who].id!r}"
                c.add((*base, "moves", who), unknown("move", move, moves[who], where))
                ok = False
        key = date_key(obs.date)
        if previous is not None and _before(previous, key):
            c.add(
                (*base, "date"),
                f"{obs.date} is earlier than the round before it: list rounds oldest first",
            )
            ok = False
        previous = key
        if ok:
            out.append(
                Observation(obs.date, (obs.moves[0], obs.moves[1]), obs.source, obs.note or "")
            )
    return tuple(out)
