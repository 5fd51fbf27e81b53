"""Which stage-game solver to run: complete enumeration or one equilibrium by
Lemke-Howson, decided from the game's size and, for games the size estimate calls
large, from a short bounded attempt at enumeration.

The size estimate (:func:`~negotiation.games.enumeration_limits.estimated_seconds`) is
fitted to random games. Structured games, such as tariff grids where each side's best
response moves steadily with the other's level, have far fewer vertices: the 21x21
tariff-grid scenario has 362 per polytope where a random 21x21 game has about three
million. So before calling a game too large, :func:`choose_method` runs the
enumeration with a vertex budget of :data:`PROBE_VERTICES`; if it completes, its
answer is used, and only if it stops at the budget is the game treated as large.
"""

from __future__ import annotations

from dataclasses import dataclass

from negotiation.errors import EnumerationLimitError, GameError
from negotiation.games.enumeration_limits import MAX_ENUMERATION_LABELS, estimated_seconds
from negotiation.games.equilibrium import EquilibriumSet
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame, require_game

__all__ = [
    "AUTO_SECONDS",
    "METHODS",
    "PROBE_VERTICES",
    "MethodChoice",
    "choose_method",
    "duration_text",
]

#: The methods :func:`choose_method` takes.
METHODS = ("enumerate", "lemke-howson", "auto")

#: Estimated seconds of complete enumeration (for a random game of the size) above which
#: the bounded attempt decides: ``auto`` then uses Lemke-Howson when the attempt stops
#: at its budget, and ``enumerate`` warns before it goes on.
AUTO_SECONDS = 30.0

#: Vertex budget (per best-response polytope) of the bounded attempt. Measured on
#: random integer games of 18x18 to 30x30 (seed 2025, 2-core machine): the attempt
#: stops at the budget after 0.4-1.0 s; a game with fewer vertices is solved completely
#: within that time.
PROBE_VERTICES = 20_000


@dataclass(frozen=True)
class MethodChoice:
    """The solver chosen for a game, why, and the enumeration when the attempt finished.

    Attributes
    ----------
    method : str
        ``"enumerate"`` or ``"lemke-howson"``.
    note : str or None
        One sentence for the user when the choice or its cost deserves one.
    equilibria : EquilibriumSet or None
        The complete enumeration when the bounded attempt finished it (reuse it rather
        than enumerating again).

    Examples
    --------
    >>> MethodChoice("lemke-howson", "a note").equilibria is None
    True
    """

    method: str
    note: str | None = None
    equilibria: EquilibriumSet | None = None


def choose_method(
    game: StageGame, method: str = "auto", *, probe_vertices: int = PROBE_VERTICES
) -> MethodChoice:
    """Choose between complete enumeration and Lemke-Howson for ``game``.

    Parameters
    ----------
    game : StageGame
    method : {"auto", "enumerate", "lemke-howson"}
        ``"lemke-howson"`` is kept as asked. ``"enumerate"`` is kept, with a note when
        the game is large (refused when it has too many moves). ``"auto"`` enumerates
        unless the game is large, and then uses Lemke-Howson. A game is large when it has more than
        :data:`~negotiation.games.enumeration_limits.MAX_ENUMERATION_LABELS` moves of
        both players together, or when a random game of its size is estimated to take
        more than :data:`AUTO_SECONDS` to enumerate and an attempt with a budget of
        ``probe_vertices`` vertices per polytope does not finish.
    probe_vertices : int
        Vertex budget of the bounded attempt (:data:`PROBE_VERTICES`).

    Returns
    -------
    MethodChoice

    Raises
    ------
    GameError
        ``method`` is not one of :data:`METHODS`; ``game`` is not a
        :class:`StageGame`; the bounded attempt refuses the game for another reason
        than its budget (payoffs too long for exact arithmetic, for example).
    EnumerationLimitError
        ``"enumerate"`` on a game with too many moves for complete enumeration.

    Examples
    --------
    Small games are enumerated without an attempt:

    >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> choose_method(g)
    MethodChoice(method='enumerate', note=None, equilibria=None)

    A 21x21 game whose best responses follow the other's level (a random game of that
    size would take minutes) is enumerated within the attempt, and the answer kept:

    >>> n = 21
    >>> A = [[-((i - j // 2) ** 2) for j in range(n)] for i in range(n)]
    >>> B = [[-((j - i // 2) ** 2) for j in range(n)] for i in range(n)]
    >>> choice = choose_method(StageGame.from_payoffs(A, B))
    >>> choice.method, choice.note, len(choice.equilibria)
    ('enumerate', None, 1)

    Too many moves for enumeration at all (``enumerate`` then gets the enumeration's
    refusal), unless the payoffs are constant and every profile is an equilibrium:

    >>> big = [[(i * j) % 7 for j in range(40)] for i in range(40)]
    >>> choose_method(StageGame.from_payoffs(big, big)).method
    'lemke-howson'
    >>> choose_method(StageGame.from_payoffs(big, big), "enumerate")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negotiation.errors.EnumerationLimitError: extreme_equilibria: a 40x40 game is too ...
    >>> flat = StageGame.from_payoffs([[0] * 40] * 40, [[0] * 40] * 40)
    >>> len(choose_method(flat).equilibria)
    1600
    """
    if method not in METHODS:
        raise GameError(
            f"choose_method: unknown method {method!r}; expected one of {', '.join(METHODS)}"
        )
    require_game(game, "choose_method")
    if method == "lemke-howson":
        return MethodChoice(method)
    m, n = game.shape
    seconds = estimated_seconds(m, n)
    too_many = m + n > MAX_ENUMERATION_LABELS
    if seconds <= AUTO_SECONDS and not too_many:
        return MethodChoice("enumerate")
    # The enumeration's own refusals decide: too many moves (before any work; games
    # with constant payoffs are answered directly), or the budget of the attempt.
    try:
        return MethodChoice(
            "enumerate", None, extreme_equilibria(game, max_vertices=probe_vertices)
        )
    except EnumerationLimitError:
        if too_many and method == "enumerate":
            raise
    if too_many:
        return MethodChoice(
            "lemke-howson",
            f"a {m}x{n} game has more than {MAX_ENUMERATION_LABELS} moves of both "
            f"players together, too many for complete enumeration: computing one "
            f"equilibrium by Lemke-Howson instead",
        )
    more = f"more than {probe_vertices:,} vertices in a best-response polytope"
    if method == "auto":
        return MethodChoice(
            "lemke-howson",
            f"a {m}x{n} game with {more} is estimated to take {duration_text(seconds)} to "
            f"enumerate completely: computing one equilibrium by Lemke-Howson instead",
        )
    return MethodChoice(
        "enumerate",
        f"a {m}x{n} game with {more} may take {duration_text(seconds)} to enumerate "
        f"completely (estimate for random games); --method lemke-howson finds one "
        f"equilibrium in seconds",
    )


def duration_text(seconds: float) -> str:
    """A duration for a message, in the unit a reader takes in at once.

    Examples
    --------
    >>> duration_text(45), duration_text(1000), duration_text(4e5)
    ('about 45 s', 'about 17 minutes', 'about 5 days')
    """
    if seconds < 120:
        return f"about {seconds:.0f} s"
    if seconds < 7200:
        return f"about {seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"about {seconds / 3600:.0f} hours"
    if seconds < 3e7:
        return f"about {seconds / 86400:.0f} days"
    return f"longer than anyone waits (about {seconds / 3.15e7:.0e} years)"
