"""The immutable two-player stage game.

Convention used everywhere in the package: ``A[i, j]`` is the row player's payoff and
``B[i, j]`` the column player's payoff when the row player plays move ``i`` and the
column player plays move ``j``. Other libraries' layouts are converted at the boundary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiation.errors import GameError
from negotiation.games.rational import ExactMatrix, fraction_str, to_fraction
from negotiation.limits import MAX_MOVES

if TYPE_CHECKING:
    from negotiation.scenario.model import Scenario

__all__ = ["MAX_MOVES", "StageGame"]


def _readonly(array: np.ndarray) -> np.ndarray:
    out = np.array(array, dtype=float, copy=True)
    out.setflags(write=False)
    return out


def _labels(given: Sequence[str] | None, count: int, who: str) -> tuple[str, ...]:
    if given is None:
        return tuple(str(k + 1) for k in range(count))
    labels = tuple(str(x) for x in given)
    if len(labels) != count:
        raise GameError(f"{who} has {count} moves in the payoffs but {len(labels)} labels")
    if len(set(labels)) != len(labels):
        raise GameError(f"{who}'s move labels are not unique: {list(labels)}")
    return labels


@dataclass(frozen=True, eq=False)
class StageGame:
    """A finite two-player game in strategic form.

    Build one with :meth:`from_payoffs`; the fields are read-only.

    Attributes
    ----------
    A, B : numpy.ndarray, shape (m, n)
        Float payoffs of the row and the column player (read-only arrays).
    exact_A, exact_B : tuple of tuple of Fraction, or None
        The same payoffs as exact rationals, or ``None`` when some payoff is not
        rational (for example ``sqrt(2)`` in a scenario file).
    players : tuple of two str
        Player ids, row player first.
    row_moves, col_moves : tuple of str
        Move labels of the row and the column player.
    title : str
        A human-readable name.
    """

    A: np.ndarray
    B: np.ndarray
    exact_A: ExactMatrix | None
    exact_B: ExactMatrix | None
    players: tuple[str, str] = ("1", "2")
    row_moves: tuple[str, ...] = ()
    col_moves: tuple[str, ...] = ()
    title: str = ""

    @classmethod
    def from_payoffs(
        cls,
        A: Any,
        B: Any,
        *,
        players: Sequence[str] = ("1", "2"),
        row_moves: Sequence[str] | None = None,
        col_moves: Sequence[str] | None = None,
        title: str = "",
        exact: bool = True,
    ) -> StageGame:
        """Build a game from two payoff matrices.

        Parameters
        ----------
        A, B : array_like, shape (m, n)
            Payoffs of the row and the column player, indexed (row move, column move).
            Entries may be ints, Fractions, floats (read as the decimal they print as)
            or strings such as ``"1/3"``.
        players : pair of str
            Player ids, row first.
        row_moves, col_moves : sequence of str, optional
            Move labels; ``"1", "2", ...`` by default.
        title : str
            A name for the game.
        exact : bool
            Keep exact rational payoffs (default). Pass ``False`` when the values are
            approximations of irrational numbers.

        Returns
        -------
        StageGame

        Raises
        ------
        GameError
            Wrong shapes, non-finite payoffs, more than ``MAX_MOVES`` moves, bad labels.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                            row_moves=["C", "D"], col_moves=["C", "D"])
        >>> g.shape, g.exact_A[1][0]
        ((2, 2), Fraction(5, 1))
        """
        rows_a = _as_rows(A, "A")
        rows_b = _as_rows(B, "B")
        m, n = len(rows_a), len(rows_a[0])
        if (len(rows_b), len(rows_b[0])) != (m, n):
            raise GameError(
                f"payoff matrices have different shapes: A is {m}x{n}, "
                f"B is {len(rows_b)}x{len(rows_b[0])}"
            )
        if m > MAX_MOVES or n > MAX_MOVES:
            raise GameError(
                f"a {m}x{n} game is too large: at most {MAX_MOVES} moves per player are "
                "supported for complete equilibrium enumeration"
            )
        if len(players) != 2 or players[0] == players[1]:
            raise GameError(f"expected two distinct player ids, got {list(players)}")
        fa = _float_matrix(rows_a, "A")
        fb = _float_matrix(rows_b, "B")
        ea = eb = None
        if exact:
            ea = tuple(tuple(to_fraction(v) for v in row) for row in rows_a)
            eb = tuple(tuple(to_fraction(v) for v in row) for row in rows_b)
        return cls(
            A=_readonly(fa),
            B=_readonly(fb),
            exact_A=ea,
            exact_B=eb,
            players=(str(players[0]), str(players[1])),
            row_moves=_labels(row_moves, m, f"player {players[0]}"),
            col_moves=_labels(col_moves, n, f"player {players[1]}"),
            title=title,
        )

    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        assumption: str = "baseline",
        overrides: Mapping[str, Any] | None = None,
    ) -> StageGame:
        """The stage game of a scenario under an assumption.

        Parameters
        ----------
        scenario : Scenario
            A validated scenario (:func:`negotiation.scenario.load_scenario`).
        assumption : str
            ``"baseline"`` or one of the scenario's named assumptions.
        overrides : dict, optional
            ``--set``-style parameter values applied last (numbers or text like ``"1/3"``).

        Returns
        -------
        StageGame
            Exact when every payoff is rational.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> g = StageGame.from_scenario(load_scenario("prisoners-dilemma"), "high-temptation")
        >>> g.exact_A[1][0], g.players
        (Fraction(9, 1), ('row', 'column'))
        """
        A, B, exact = scenario.payoff_values(assumption, overrides)
        return cls.from_payoffs(
            A,
            B,
            players=scenario.player_ids,
            row_moves=scenario.moves[0],
            col_moves=scenario.moves[1],
            title=scenario.title,
            exact=exact,
        )

    @property
    def shape(self) -> tuple[int, int]:
        """``(m, n)``: the number of row and column moves."""
        return (int(self.A.shape[0]), int(self.A.shape[1]))

    @property
    def is_exact(self) -> bool:
        """Whether exact rational payoffs are available."""
        return self.exact_A is not None and self.exact_B is not None

    @property
    def moves(self) -> dict[str, tuple[str, ...]]:
        """Move labels by player id."""
        return {self.players[0]: self.row_moves, self.players[1]: self.col_moves}

    def require_exact(self) -> tuple[ExactMatrix, ExactMatrix]:
        """Return the exact payoffs or raise :class:`GameError` if there are none.

        Examples
        --------
        >>> StageGame.from_payoffs([[1.5]], [[2]]).require_exact()[0]
        ((Fraction(3, 2),),)
        """
        if self.exact_A is None or self.exact_B is None:
            raise GameError(
                "exact arithmetic was asked for, but some payoffs are not rational numbers"
            )
        return self.exact_A, self.exact_B

    def swap_players(self) -> StageGame:
        """The same game with the roles of row and column player exchanged.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[1, 2]], [[3, 4]])
        >>> g.swap_players().A.tolist()
        [[3.0], [4.0]]
        """
        tr = (lambda M: tuple(zip(*M, strict=True))) if self.is_exact else None
        return StageGame(
            A=_readonly(self.B.T),
            B=_readonly(self.A.T),
            exact_A=tr(self.exact_B) if tr else None,
            exact_B=tr(self.exact_A) if tr else None,
            players=(self.players[1], self.players[0]),
            row_moves=self.col_moves,
            col_moves=self.row_moves,
            title=self.title,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StageGame):
            return NotImplemented
        return (
            np.array_equal(self.A, other.A)
            and np.array_equal(self.B, other.B)
            and self.exact_A == other.exact_A
            and self.exact_B == other.exact_B
            and self.players == other.players
            and self.row_moves == other.row_moves
            and self.col_moves == other.col_moves
        )

    def __hash__(self) -> int:
        return hash((self.A.tobytes(), self.B.tobytes(), self.players, self.row_moves))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (exact payoffs as strings where available).

        Examples
        --------
        >>> StageGame.from_payoffs([[1]], [["1/2"]]).to_dict()["payoffs"]
        {'1': [['1']], '2': [['1/2']]}
        """
        if self.is_exact:
            assert self.exact_A is not None and self.exact_B is not None
            pa: list[list[Any]] = [[fraction_str(v) for v in row] for row in self.exact_A]
            pb: list[list[Any]] = [[fraction_str(v) for v in row] for row in self.exact_B]
        else:
            pa, pb = self.A.tolist(), self.B.tolist()
        return {
            "title": self.title,
            "players": list(self.players),
            "moves": {k: list(v) for k, v in self.moves.items()},
            "payoffs": {self.players[0]: pa, self.players[1]: pb},
        }


def _as_rows(M: Any, name: str) -> list[list[Any]]:
    if isinstance(M, np.ndarray):
        if M.ndim != 2:
            raise GameError(f"payoff matrix {name} must be 2-dimensional, got shape {M.shape}")
        rows = [list(r) for r in M]
    else:
        try:
            rows = [list(r) for r in M]
        except TypeError:
            raise GameError(f"payoff matrix {name} must be a list of rows") from None
    if not rows or not rows[0]:
        raise GameError(f"payoff matrix {name} is empty")
    width = len(rows[0])
    for k, r in enumerate(rows):
        if len(r) != width:
            raise GameError(
                f"payoff matrix {name} is ragged: row {k} has {len(r)} entries, row 0 has {width}"
            )
    return rows


def _float_matrix(rows: list[list[Any]], name: str) -> np.ndarray:
    out = np.empty((len(rows), len(rows[0])))
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            try:
                x = float(Fraction(v.strip())) if isinstance(v, str) else float(v)
            except (TypeError, ValueError, ZeroDivisionError):
                raise GameError(f"payoff {name}[{i}][{j}] = {v!r} is not a number") from None
            if isinstance(v, bool) or not np.isfinite(x):
                raise GameError(f"payoff {name}[{i}][{j}] = {v!r} is not a finite number")
            out[i, j] = x
    return out
