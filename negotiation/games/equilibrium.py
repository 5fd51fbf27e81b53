"""Result types of the equilibrium solvers: one equilibrium and the set of them."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.games.rational import fraction_str
from negotiation.games.stage_game import StageGame
from negotiation.records import TabularResult

__all__ = ["Component", "Equilibrium", "EquilibriumSet", "NashSubset", "number_out"]

Number = Fraction | float


def number_out(value: Number) -> Any:
    """A JSON-ready number: exact rationals as ``"p/q"`` strings, floats as floats.

    Examples
    --------
    >>> number_out(Fraction(1, 3)), number_out(0.25)
    ('1/3', 0.25)
    """
    if isinstance(value, Fraction):
        return fraction_str(value)
    return float(value)


@dataclass(frozen=True)
class Equilibrium:
    """One Nash equilibrium (an extreme point of the equilibrium set).

    Attributes
    ----------
    row, col : tuple of Fraction or float
        Mixed strategies of the row and the column player (probabilities by move index).
    payoffs : tuple of two Fraction or float
        Expected payoffs of the row and the column player.
    exact : bool
        Whether the numbers are exact rationals.
    regret : float
        Largest gain any player could make by a pure deviation; ``0.0`` when exact,
        at most the solver tolerance otherwise. It is the certificate.
    """

    row: tuple[Number, ...]
    col: tuple[Number, ...]
    payoffs: tuple[Number, Number]
    exact: bool
    regret: float

    @property
    def row_support(self) -> tuple[int, ...]:
        """Indices of the row moves played with positive probability."""
        return tuple(i for i, p in enumerate(self.row) if p > 0)

    @property
    def col_support(self) -> tuple[int, ...]:
        """Indices of the column moves played with positive probability."""
        return tuple(j for j, p in enumerate(self.col) if p > 0)

    @property
    def kind(self) -> str:
        """``"pure"`` when both players play one move for sure, else ``"mixed"``."""
        return "pure" if len(self.row_support) == len(self.col_support) == 1 else "mixed"

    def to_dict(self, game: StageGame | None = None) -> dict[str, Any]:
        """JSON-ready form with the game's player ids and move labels (without a game:
        players ``"row"`` and ``"column"``, moves numbered from 1).

        Examples
        --------
        >>> g = StageGame.from_payoffs([[1]], [[2]], players=["us", "cn"])
        >>> e = Equilibrium((Fraction(1),), (Fraction(1),), (Fraction(1), Fraction(2)), True, 0.0)
        >>> e.to_dict(g)["payoffs"], e.to_dict()["strategies"]
        ({'us': '1', 'cn': '2'}, {'row': {'1': '1'}, 'column': {'1': '1'}})
        """
        if game is None:
            p, q = "row", "column"
            rows = tuple(str(k + 1) for k in range(len(self.row)))
            cols = tuple(str(k + 1) for k in range(len(self.col)))
        else:
            (p, q), rows, cols = game.players, game.row_moves, game.col_moves
        return {
            "kind": self.kind,
            "strategies": {
                p: {m: number_out(x) for m, x in zip(rows, self.row)},
                q: {m: number_out(y) for m, y in zip(cols, self.col)},
            },
            "payoffs": {p: number_out(self.payoffs[0]), q: number_out(self.payoffs[1])},
        }


@dataclass(frozen=True)
class NashSubset:
    """A maximal Nash subset: every pairing of its row and column extreme strategies is
    an equilibrium, so its convex hull ``conv(rows) x conv(cols)`` is all equilibria.

    ``rows`` and ``cols`` index :attr:`EquilibriumSet.row_strategies` and
    :attr:`EquilibriumSet.col_strategies`.
    """

    rows: tuple[int, ...]
    cols: tuple[int, ...]


@dataclass(frozen=True)
class Component:
    """A connected component of the equilibrium set: a union of maximal Nash subsets
    that overlap, given by the indices of its extreme equilibria and subsets."""

    equilibria: tuple[int, ...]
    subsets: tuple[int, ...]


@dataclass(frozen=True)
class EquilibriumSet(TabularResult):
    """All extreme Nash equilibria of a stage game, with the structure of the set.

    Attributes
    ----------
    game : StageGame
    equilibria : tuple of Equilibrium
        Extreme equilibria in a fixed order (pure first, then by supports).
    degenerate : bool
        Whether the game is degenerate (a mixed strategy with ``k`` moves in its support
        has more than ``k`` pure best responses). In degenerate games the equilibrium
        set may contain segments or polytopes; the extreme points are all listed.
    exact : bool
        Whether everything was computed and certified in exact rational arithmetic.
    row_strategies, col_strategies : tuple of tuple
        The distinct extreme strategies of each player that occur in equilibria.
    pairs : tuple of (int, int)
        For each equilibrium, its (row strategy, column strategy) indices.
    nash_subsets : tuple of NashSubset
        Maximal Nash subsets (Avis et al. 2010, section 6).
    components : tuple of Component
        Connected components of the equilibrium set.
    """

    _rows_key = "equilibria"
    _keep = ("degenerate", "exact")

    game: StageGame
    equilibria: tuple[Equilibrium, ...]
    degenerate: bool
    exact: bool
    row_strategies: tuple[tuple[Number, ...], ...]
    col_strategies: tuple[tuple[Number, ...], ...]
    pairs: tuple[tuple[int, int], ...]
    nash_subsets: tuple[NashSubset, ...]
    components: tuple[Component, ...]

    def __repr__(self) -> str:
        """Short: how many equilibria of which kind, and whether the game is degenerate.

        Examples
        --------
        >>> from negotiation.games.extreme_equilibria import extreme_equilibria
        >>> from negotiation.games.stage_game import StageGame
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> extreme_equilibria(pd)
        EquilibriumSet(2×2: 1 pure; 1 components, nondegenerate, exact)
        """
        kinds: dict[str, int] = {}
        for e in self.equilibria:
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
        found = ", ".join(f"{v} {k}" for k, v in kinds.items()) or "none"
        m, n = self.game.shape
        return (
            f"EquilibriumSet({m}×{n}: {found}; {len(self.components)} components, "
            f"{'degenerate' if self.degenerate else 'nondegenerate'}, "
            f"{'exact' if self.exact else 'float'})"
        )

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.equilibria)

    @property
    def pure(self) -> tuple[Equilibrium, ...]:
        """The pure equilibria."""
        return tuple(e for e in self.equilibria if e.kind == "pure")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``solve --format json`` contract plus structure fields).

        Examples
        --------
        >>> from negotiation.games.extreme_equilibria import extreme_equilibria
        >>> g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> d = extreme_equilibria(g).to_dict()
        >>> d["degenerate"], d["equilibria"][0]["strategies"]["1"]
        (False, {'1': '1/2', '2': '1/2'})
        """
        g = self.game
        return {
            "players": list(g.players),
            "moves": {k: list(v) for k, v in g.moves.items()},
            "degenerate": self.degenerate,
            "exact": self.exact,
            "equilibria": [e.to_dict(g) for e in self.equilibria],
            "components": [
                {
                    "equilibria": list(c.equilibria),
                    "maximal_nash_subsets": [
                        {
                            "equilibria": [
                                k
                                for k, (r, s) in enumerate(self.pairs)
                                if r in self.nash_subsets[i].rows
                                and s in self.nash_subsets[i].cols
                            ]
                        }
                        for i in c.subsets
                    ],
                }
                for c in self.components
            ],
        }
