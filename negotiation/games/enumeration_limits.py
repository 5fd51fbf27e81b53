"""How large a game complete enumeration of extreme equilibria takes on, and an estimate
of its cost from the game's size.

Complete enumeration walks every vertex of both best-response polytopes
(:mod:`negotiation.games.vertex_search`). For random games the number of vertices grows
about 1.45-fold per move added to either player (measured on games with integer payoffs
in [-50, 50): about 1,000 vertices per polytope for 10x10, 4,000 for 12x12, 80,000 for
16x16 and 2,000,000 to beyond 3,000,000 for 20x20); structured games (tariff grids, where
best responses move steadily with the other's level) have far fewer. A vertex costs about
10 microseconds of numpy work at 16x16 and more in larger polytopes; the search keeps one
64-bit mask per vertex and the proposals of one level.
"""

from __future__ import annotations

import math

from negotiation.errors import EnumerationLimitError

__all__ = [
    "MAX_ENUMERATION_LABELS",
    "MAX_VERTICES",
    "check_enumeration_size",
    "estimated_seconds",
    "estimated_vertices",
]

#: Largest ``m + n`` (moves of both players together) for complete enumeration: a
#: vertex's labels are kept as 64-bit masks, and a random game of that size would have
#: about 10**10 vertices (days of work), far beyond :data:`MAX_VERTICES`.
MAX_ENUMERATION_LABELS = 62

#: Most vertices (bases) complete enumeration visits per best-response polytope before it
#: stops with a message. The search keeps one 64-bit mask per vertex and, per level, at
#: most d proposals of 17 bytes per vertex of the level (about 470 MB of the process at
#: 3 million vertices of a 20x20 game); time binds before memory: random 20x20 games
#: have 2 to beyond 3 million vertices per polytope, about 40 microseconds each.
MAX_VERTICES = 20_000_000

#: Seconds complete enumeration of the seed-2025 random 16x16 game takes (2.0-2.6 s on
#: the 2-core benchmark machine, 99,363 vertices in one polytope) and the growth of the
#: time with the vertex estimate: the 20x20 game took 268 s, 122 times as long for
#: about 19 times the estimated vertices (sorting the kept masks of millions of
#: vertices and memory traffic grow faster than the vertex count), so time is taken
#: to grow as ``vertices ** 1.63`` from the 16x16 point.
_SECONDS_16X16 = 2.3
_GROWTH = 1.63


def estimated_vertices(m: int, n: int) -> int:
    """Vertices of one best-response polytope of a random ``m x n`` game (an estimate).

    Fitted to random games with integer payoffs (``10 ** (0.16 (m + n) - 0.1)``), and
    capped by the number of ways to choose the tight constraints, ``C(m + n, m)``.

    Examples
    --------
    >>> estimated_vertices(12, 12), estimated_vertices(20, 20)
    (5495, 1995262)
    """
    fit = 10 ** (0.16 * (m + n) - 0.1)
    return int(min(fit, math.comb(m + n, m)))


def estimated_seconds(m: int, n: int) -> float:
    """Seconds complete enumeration of a random ``m x n`` game takes (an estimate, both
    polytopes, fitted to the 16x16 and 20x20 benchmark games).

    Examples
    --------
    >>> round(estimated_seconds(16, 16), 1), round(estimated_seconds(20, 20))
    (2.3, 281)
    """
    ratio = estimated_vertices(m, n) / estimated_vertices(16, 16)
    return _SECONDS_16X16 * ratio**_GROWTH


def check_enumeration_size(m: int, n: int, who: str) -> None:
    """Refuse, before any work, a game too large for complete enumeration.

    Raises
    ------
    EnumerationLimitError
        (a ``GameError``) When ``m + n > MAX_ENUMERATION_LABELS``; the message gives
        the estimate and names Lemke-Howson as the way to one equilibrium.

    Examples
    --------
    >>> check_enumeration_size(20, 20, "solve") is None
    True
    >>> check_enumeration_size(40, 40, "solve")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negotiation.errors.EnumerationLimitError: solve: a 40x40 game is too large for ...
    """
    if m + n > MAX_ENUMERATION_LABELS:
        raise EnumerationLimitError(
            f"{who}: a {m}x{n} game is too large for complete enumeration of its extreme "
            f"equilibria: at most {MAX_ENUMERATION_LABELS} moves of both players together "
            f"are supported (a random game of this size has about "
            f"{estimated_vertices(m, n):.1e} vertices per best-response polytope); compute "
            f"one equilibrium with lemke_howson (solve --method lemke-howson) instead"
        )
