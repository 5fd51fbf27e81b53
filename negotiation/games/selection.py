"""Equilibrium selection among strict pure equilibria: risk and payoff dominance.

Definitions (Harsanyi & Selten 1988, *A General Theory of Equilibrium Selection in
Games*, MIT Press, sections 3.9 and 5.4):

* A pure profile ``(a, b)`` is a *strict* equilibrium when each move is the unique best
  reply to the other: ``A[a, b] > A[i, b]`` for every ``i != a`` and ``B[a, b] > B[a, j]``
  for every ``j != b``.
* For two strict equilibria ``e = (a, b)`` and ``f = (c, d)`` (two distinct strict
  equilibria differ in both moves), the *deviation losses* at ``e`` are what each player
  loses by switching to its move of ``f`` while the other stays:
  ``A[a, b] - A[c, b]`` and ``B[a, b] - B[a, d]``. ``e`` *risk-dominates* ``f`` when the
  product of its deviation losses is larger than that of ``f``,
  ``(A[c, d] - A[a, d]) * (B[c, d] - B[c, b])``. In a 2x2 game this is Harsanyi and
  Selten's criterion; in a larger game it is the criterion applied to the 2x2 game
  spanned by the two equilibria (the pairwise comparison used by Kandori, Mailath & Rob
  1993 and Young 1993), not the tracing procedure of Harsanyi and Selten's full theory.
  Equivalently, in the 2x2 game ``e`` risk-dominates ``f`` iff ``alpha + beta < 1``,
  where ``alpha`` (``beta``) is the probability the column (row) player must put on its
  move of ``e`` to make the other indifferent.
* ``e`` *payoff-dominates* ``f`` when both players get strictly more at ``e``.

Everything is exact (``Fraction``) when the game's payoffs are rational; otherwise the
same comparisons are made in floating point and the result says so (``exact=False``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from typing import Any

from negotiation.errors import GameError
from negotiation.games.equilibrium import number_out
from negotiation.games.stage_game import StageGame, require_game

__all__ = [
    "EquilibriumSelection",
    "RiskComparison",
    "equilibrium_selection",
    "payoff_dominates",
    "risk_dominance",
    "strict_equilibria",
]

Profile = tuple[int, int]
Number = Fraction | float


def _payoffs(game: StageGame) -> tuple[Any, Any, bool]:
    if game.is_exact:
        A, B = game.require_exact()
        return A, B, True
    return game.A.tolist(), game.B.tolist(), False


def strict_equilibria(game: StageGame) -> tuple[Profile, ...]:
    """The strict pure Nash equilibria, in row-major order (exact when possible).

    Examples
    --------
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> strict_equilibria(stag)
    ((0, 0), (1, 1))
    >>> strict_equilibria(StageGame.from_payoffs([[1, 1]], [[0, 0]]))
    ()
    """
    require_game(game, "strict_equilibria")
    A, B, _ = _payoffs(game)
    m, n = game.shape
    out = []
    for a in range(m):
        for b in range(n):
            if all(A[a][b] > A[i][b] for i in range(m) if i != a) and all(
                B[a][b] > B[a][j] for j in range(n) if j != b
            ):
                out.append((a, b))
    return tuple(out)


@dataclass(frozen=True)
class RiskComparison:
    """Risk dominance between two strict equilibria (see :func:`risk_dominance`).

    Attributes
    ----------
    first, second : (int, int)
        The two equilibria as (row move, column move) indices.
    first_losses, second_losses : (number, number)
        Deviation losses of the row and the column player at each equilibrium.
    first_product, second_product : Fraction or float
        Products of the deviation losses (the Nash products of Harsanyi and Selten).
    dominant : (int, int) or None
        The risk-dominant one, ``None`` on a tie.
    exact : bool
    labels : ((str, str), (str, str))
        Move labels of ``first`` and ``second``.
    """

    first: Profile
    second: Profile
    first_losses: tuple[Number, Number]
    second_losses: tuple[Number, Number]
    first_product: Number
    second_product: Number
    dominant: Profile | None
    exact: bool
    labels: tuple[tuple[str, str], tuple[str, str]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: moves by label, exact numbers as ``"p/q"`` strings.

        Examples
        --------
        >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
        >>> risk_dominance(stag, (0, 0), (1, 1)).to_dict()["dominant"]
        ['2', '2']
        """
        label = dict(zip((self.first, self.second), self.labels))
        return {
            "first": list(self.labels[0]),
            "second": list(self.labels[1]),
            "first_losses": [number_out(v) for v in self.first_losses],
            "second_losses": [number_out(v) for v in self.second_losses],
            "first_product": number_out(self.first_product),
            "second_product": number_out(self.second_product),
            "dominant": None if self.dominant is None else list(label[self.dominant]),
            "exact": self.exact,
        }


def _labels(game: StageGame, p: Profile) -> tuple[str, str]:
    return game.row_moves[p[0]], game.col_moves[p[1]]


def risk_dominance(game: StageGame, first: Profile, second: Profile) -> RiskComparison:
    """Compare two strict pure equilibria by Harsanyi and Selten's risk dominance.

    Parameters
    ----------
    game : StageGame
    first, second : (int, int)
        Two distinct strict equilibria (row move, column move).

    Returns
    -------
    RiskComparison

    Raises
    ------
    GameError
        A profile that is not a strict equilibrium of ``game``, or the same one twice.

    Examples
    --------
    The Stag Hunt (stag 4, hare 3, stag alone 0): hunting hare risk-dominates, since
    ``(3 - 0) * (3 - 0) = 9 > (4 - 3) * (4 - 3) = 1``, although stag pays more.

    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> r = risk_dominance(stag, (0, 0), (1, 1))
    >>> r.first_product, r.second_product, r.dominant
    (Fraction(1, 1), Fraction(9, 1), (1, 1))
    """
    require_game(game, "risk_dominance")
    strict = strict_equilibria(game)
    for p in (first, second):
        if tuple(p) not in strict:
            raise GameError(f"{p!r} is not a strict pure equilibrium of the game")
    (a, b), (c, d) = tuple(first), tuple(second)
    if (a, b) == (c, d):
        raise GameError("risk dominance compares two different equilibria")
    A, B, exact = _payoffs(game)
    lf = (A[a][b] - A[c][b], B[a][b] - B[a][d])
    ls = (A[c][d] - A[a][d], B[c][d] - B[c][b])
    pf, ps = lf[0] * lf[1], ls[0] * ls[1]
    dominant = (a, b) if pf > ps else (c, d) if ps > pf else None
    return RiskComparison(
        (a, b),
        (c, d),
        lf,
        ls,
        pf,
        ps,
        dominant,
        exact,
        (_labels(game, (a, b)), _labels(game, (c, d))),
    )


def payoff_dominates(game: StageGame, first: Profile, second: Profile) -> bool:
    """Whether ``first`` gives both players strictly more than ``second``.

    Examples
    --------
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> payoff_dominates(stag, (0, 0), (1, 1)), payoff_dominates(stag, (1, 1), (0, 0))
    (True, False)
    """
    require_game(game, "payoff_dominates")
    A, B, _ = _payoffs(game)
    (a, b), (c, d) = first, second
    return bool(A[a][b] > A[c][d] and B[a][b] > B[c][d])


@dataclass(frozen=True)
class EquilibriumSelection:
    """Risk and payoff dominance among all strict pure equilibria of a game.

    Attributes
    ----------
    strict : tuple of (int, int)
        The strict pure equilibria.
    comparisons : tuple of RiskComparison
        Every pair of them.
    risk_dominant : (int, int) or None
        The equilibrium that risk-dominates every other one, if there is one.
    payoff_dominant : (int, int) or None
        The equilibrium that payoff-dominates every other one, if there is one.
    exact : bool
    labels : tuple of (str, str)
        Move labels of ``strict``.
    """

    strict: tuple[Profile, ...]
    comparisons: tuple[RiskComparison, ...]
    risk_dominant: Profile | None
    payoff_dominant: Profile | None
    exact: bool
    labels: tuple[tuple[str, str], ...]

    @property
    def disagree(self) -> bool:
        """Whether both criteria select an equilibrium, and different ones."""
        return (
            self.risk_dominant is not None
            and self.payoff_dominant is not None
            and self.risk_dominant != self.payoff_dominant
        )

    def label(self, profile: Profile | None) -> list[str] | None:
        """The move labels of one of :attr:`strict` (``None`` stays ``None``)."""
        if profile is None:
            return None
        return list(self.labels[self.strict.index(profile)])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]],
        ...                               row_moves=["S", "H"], col_moves=["S", "H"])
        >>> d = equilibrium_selection(stag).to_dict()
        >>> d["risk_dominant"], d["payoff_dominant"], d["disagree"]
        (['H', 'H'], ['S', 'S'], True)
        """
        return {
            "strict_equilibria": [list(x) for x in self.labels],
            "risk_dominant": self.label(self.risk_dominant),
            "payoff_dominant": self.label(self.payoff_dominant),
            "disagree": self.disagree,
            "exact": self.exact,
            "comparisons": [c.to_dict() for c in self.comparisons],
        }


def equilibrium_selection(game: StageGame) -> EquilibriumSelection:
    """Risk and payoff dominance among the strict pure equilibria of ``game``.

    Parameters
    ----------
    game : StageGame

    Returns
    -------
    EquilibriumSelection
        With no or one strict equilibrium there is nothing to compare: a single strict
        equilibrium is both risk- and payoff-dominant.

    Examples
    --------
    An asymmetric coordination game where the criteria disagree: ``(L, L)`` pays both
    more, ``(R, R)`` is safer (its deviation-loss product 3 * 2 beats 1 * 5):

    >>> g = StageGame.from_payoffs([[6, 0], [5, 3]], [[5, 0], [2, 4]],
    ...                            row_moves=["L", "R"], col_moves=["L", "R"])
    >>> s = equilibrium_selection(g)
    >>> s.risk_dominant, s.payoff_dominant, s.disagree
    ((1, 1), (0, 0), True)
    """
    require_game(game, "equilibrium_selection")
    strict = strict_equilibria(game)
    _, _, exact = _payoffs(game)
    comparisons = tuple(risk_dominance(game, e, f) for e, f in combinations(strict, 2))
    risk = payoff = None
    for e in strict:
        others = [f for f in strict if f != e]
        if all(
            c.dominant == e for c in comparisons if e in (c.first, c.second)
        ):  # vacuous with one strict equilibrium
            risk = e
        if all(payoff_dominates(game, e, f) for f in others):
            payoff = e
    return EquilibriumSelection(
        strict, comparisons, risk, payoff, exact, tuple(_labels(game, p) for p in strict)
    )
