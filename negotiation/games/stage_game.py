"""The immutable two-player stage game.

Convention used everywhere in the package: ``A[i, j]`` is the row player's payoff and
``B[i, j]`` the column player's payoff when the row player plays move ``i`` and the
column player plays move ``j``. Other libraries' layouts are converted at the boundary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiation.errors import GameError, ScenarioError
from negotiation.games.rational import ExactMatrix, fraction_str, short_number, to_fraction
from negotiation.limits import MAX_MOVES

if TYPE_CHECKING:
    from negotiation.scenario.model import Scenario

__all__ = ["MAX_MOVES", "MAX_PAYOFF_MAGNITUDE", "PayoffCellError", "StageGame", "require_game"]

#: Largest magnitude of a payoff, exact or not. Every game also has float payoffs, and
#: the solvers add and scale them, so payoffs stay far below the largest double
#: (about 1.8e308); the same bound as the scenario layer's ``MAX_FLOAT``.
MAX_PAYOFF_MAGNITUDE = 1e300

# Float and exact payoffs of a directly built game must agree to this relative error.
_CONSISTENCY_RTOL = 1e-9


class PayoffCellError(GameError):
    """A payoff that cannot be used (not a number, not finite, beyond
    :data:`MAX_PAYOFF_MAGNITUDE`), with its cell.

    Attributes
    ----------
    reason : str
        What is wrong with the value, e.g. ``"is about 1e+309 ..., too large ..."``.
    row, col, player : int
        Row move index, column move index and player (0 row, 1 column).

    Examples
    --------
    >>> err = PayoffCellError("is nan, not finite", 0, 1, 0, "the payoff of player 'a'")
    >>> str(err), (err.row, err.col, err.player)
    ("the payoff of player 'a' is nan, not finite", (0, 1, 0))
    """

    def __init__(self, reason: str, row: int, col: int, player: int, where: str) -> None:
        super().__init__(f"{where} {reason}")
        self.reason, self.row, self.col, self.player = reason, row, col, player


#: What a stand-in for a StageGame must provide (see :func:`require_game`).
_GAME_INTERFACE = ("shape", "is_exact", "require_exact", "A", "B")


def require_game(game: object, who: str, *, stand_in: bool = False) -> None:
    """Raise :class:`GameError` unless ``game`` is a :class:`StageGame`.

    Parameters
    ----------
    game : object
    who : str
        The function asking, for the message.
    stand_in : bool
        Also accept an object with the attributes the caller uses (``shape``,
        ``is_exact``, ``require_exact``, ``A``, ``B``): the exact tipping-point
        analysis runs :func:`~negotiation.games.pure_equilibria.pure_equilibria` on a
        game whose payoffs are rational functions.

    Examples
    --------
    >>> require_game([[1]], "extreme_equilibria")
    Traceback (most recent call last):
    ...
    negotiation.errors.GameError: extreme_equilibria needs a StageGame, got a list; \
build one with StageGame.from_payoffs(A, B)
    """
    if isinstance(game, StageGame):
        return
    if stand_in and all(hasattr(game, name) for name in _GAME_INTERFACE):
        return
    kind = type(game).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    raise GameError(
        f"{who} needs a StageGame, got {article} {kind}; "
        "build one with StageGame.from_payoffs(A, B)"
    )


def _readonly(array: np.ndarray) -> np.ndarray:
    out = np.array(array, dtype=float, copy=True)
    out.setflags(write=False)
    return out


def _labels(given: Sequence[str] | None, count: int, who: str) -> tuple[str, ...]:
    if given is None or (isinstance(given, tuple) and not given):
        return tuple(str(k + 1) for k in range(count))
    if isinstance(given, str | bytes | Mapping) or not hasattr(given, "__iter__"):
        raise GameError(
            f"{who}'s move labels must be a list of strings, got {short_number(given)}"
        )
    items = list(islice(given, count + 1))
    if len(items) != count:
        have = len(items) if len(items) <= count else f"more than {count}"
        raise GameError(f"{who} has {count} moves in the payoffs but {have} labels")
    labels = tuple(str(x) for x in items)
    if len(set(labels)) != len(labels):
        shown = [short_number(x) for x in labels]
        raise GameError(f"{who}'s move labels are not unique: {', '.join(shown)}")
    return labels


def _check_size(m: int, n: int) -> None:
    if m > MAX_MOVES or n > MAX_MOVES:
        raise GameError(
            f"a {m}x{n} game is too large: at most {MAX_MOVES} moves per player are supported"
        )


def _players(players: Any) -> tuple[str, str]:
    if isinstance(players, str | bytes) or not isinstance(players, Sequence):
        raise GameError(f"expected two distinct player ids, got {short_number(players)}")
    if len(players) != 2 or str(players[0]) == str(players[1]):
        shown = ", ".join(short_number(str(p)) for p in players[:3])
        more = ", ..." if len(players) > 3 else ""
        raise GameError(f"expected two distinct player ids, got {len(players)}: {shown}{more}")
    return str(players[0]), str(players[1])


def _where(players: tuple[str, str], rows: Sequence[str], cols: Sequence[str], i: int, j: int,
           who: int) -> str:  # fmt: skip
    return (
        f"the payoff of player {players[who]!r} at (row move {rows[i]!r}, column move {cols[j]!r})"
    )


def _too_large(value: object) -> str:
    return (
        f"is {short_number(value)}, too large for floating point: payoffs must lie "
        f"within ±{MAX_PAYOFF_MAGNITUDE:.0e}; rescale them (e.g. use larger units)"
    )


def _checked_float(value: Any) -> float | str:
    """The payoff as a float within :data:`MAX_PAYOFF_MAGNITUDE`, or why it is not one."""
    if isinstance(value, bool | np.bool_):
        return f"is {value!r}, a boolean; expected a number"
    try:
        x = float(value)
    except OverflowError:  # an exact number beyond the largest double
        return _too_large(value)
    except (TypeError, ValueError, ZeroDivisionError):
        return f"is {short_number(value)}, not a number"
    if math.isnan(x) or (math.isinf(x) and isinstance(value, float | np.floating)):
        return f"is {x!r}, not a finite number"
    if not abs(x) <= MAX_PAYOFF_MAGNITUDE:
        return _too_large(value if not isinstance(value, float | np.floating) else x)
    return x


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

    def __post_init__(self) -> None:
        """Validate a game however it was built (the constructor or :meth:`from_payoffs`).

        Checks: two distinct player ids; float payoffs two 2-D non-empty matrices of one
        shape, at most ``MAX_MOVES`` moves per player, finite and within
        :data:`MAX_PAYOFF_MAGNITUDE`; exact payoffs (if any) Fractions of the same shape
        that agree with the floats; one distinct label per move (empty labels become
        ``"1", "2", ...``). The arrays are stored as read-only float copies.
        """
        players = _players(self.players)
        A = _float_array(self.A, "A")
        B = _float_array(self.B, "B")
        if A.shape != B.shape:
            raise GameError(
                f"payoff matrices have different shapes: A is {A.shape[0]}x{A.shape[1]}, "
                f"B is {B.shape[0]}x{B.shape[1]}"
            )
        m, n = A.shape
        _check_size(m, n)
        rows = _labels(self.row_moves, m, f"player {players[0]}")
        cols = _labels(self.col_moves, n, f"player {players[1]}")
        for who, M in enumerate((A, B)):
            bad = np.argwhere(~(np.abs(M) <= MAX_PAYOFF_MAGNITUDE))
            if bad.size:
                i, j = (int(v) for v in bad[0])
                value = float(M[i, j])
                reason = _too_large(value) if math.isfinite(value) else f"is {value!r}, not finite"
                raise PayoffCellError(reason, i, j, who, _where(players, rows, cols, i, j, who))
        if (self.exact_A is None) != (self.exact_B is None):
            raise GameError("exact payoffs must be given for both players or for neither")
        exact: list[ExactMatrix | None] = [None, None]
        if self.exact_A is not None and self.exact_B is not None:
            exact = [
                _exact_matrix(E, M, players, rows, cols, who)
                for who, (E, M) in enumerate(((self.exact_A, A), (self.exact_B, B)))
            ]
        if not isinstance(self.title, str):
            raise GameError(f"the title must be a string, got {short_number(self.title)}")
        object.__setattr__(self, "A", _readonly(A))
        object.__setattr__(self, "B", _readonly(B))
        object.__setattr__(self, "exact_A", exact[0])
        object.__setattr__(self, "exact_B", exact[1])
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "row_moves", rows)
        object.__setattr__(self, "col_moves", cols)

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
            Not two matrices of one shape (ragged, empty, not 2-D, more than
            ``MAX_MOVES`` moves per player), a payoff that is not a finite number or is
            beyond :data:`MAX_PAYOFF_MAGNITUDE` (the message names its cell: player,
            row move and column move), a wrong number of labels or duplicate labels.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                            row_moves=["C", "D"], col_moves=["C", "D"])
        >>> g.shape, g.exact_A[1][0]
        ((2, 2), Fraction(5, 1))

        A payoff beyond :data:`MAX_PAYOFF_MAGNITUDE` is named by its cell:

        >>> StageGame.from_payoffs([[1, 2**1200]], [[0, 0]], row_moves=["a"])
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        negotiation.games.stage_game.PayoffCellError: the payoff of player '1' at \
(row move 'a', column move '2') is about ... (a 362-digit integer), too large for \
floating point: payoffs must lie within ±1e+300; rescale them (e.g. use larger units)
        """
        rows_a = _as_rows(A, "A")
        rows_b = _as_rows(B, "B")
        m, n = len(rows_a), len(rows_a[0])
        if (len(rows_b), len(rows_b[0])) != (m, n):
            raise GameError(
                f"payoff matrices have different shapes: A is {m}x{n}, "
                f"B is {len(rows_b)}x{len(rows_b[0])}"
            )
        ids = _players(players)
        row_labels = _labels(row_moves, m, f"player {ids[0]}")
        col_labels = _labels(col_moves, n, f"player {ids[1]}")
        floats = [np.empty((m, n)), np.empty((m, n))]
        exacts: list[list[list[Fraction]]] = [[], []]
        for who, rows in enumerate((rows_a, rows_b)):
            for i, row in enumerate(rows):
                exact_row: list[Fraction] = []
                for j, v in enumerate(row):
                    cell = (ids, row_labels, col_labels, i, j, who)
                    q = None
                    if isinstance(v, str):  # text is read exactly, then rounded
                        q = _cell_fraction(v, cell)
                        x = _checked_float(q)
                    else:
                        x = _checked_float(v)
                    if isinstance(x, str):
                        raise PayoffCellError(x, i, j, who, _where(*cell))
                    floats[who][i, j] = x
                    if exact:
                        exact_row.append(q if q is not None else _cell_fraction(v, cell))
                exacts[who].append(exact_row)
        ea = eb = None
        if exact:
            ea = tuple(tuple(row) for row in exacts[0])
            eb = tuple(tuple(row) for row in exacts[1])
        return cls(
            A=floats[0],
            B=floats[1],
            exact_A=ea,
            exact_B=eb,
            players=ids,
            row_moves=row_labels,
            col_moves=col_labels,
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

        Raises
        ------
        ScenarioError
            A payoff cannot be evaluated, or is beyond :data:`MAX_PAYOFF_MAGNITUDE`
            (located at the payoff's field and line).

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> g = StageGame.from_scenario(load_scenario("prisoners-dilemma"), "high-temptation")
        >>> g.exact_A[1][0], g.players
        (Fraction(9, 1), ('row', 'column'))
        """
        A, B, exact = scenario.payoff_values(assumption, overrides)
        try:
            return cls.from_payoffs(
                A,
                B,
                players=scenario.player_ids,
                row_moves=scenario.moves[0],
                col_moves=scenario.moves[1],
                title=scenario.title,
                exact=exact,
            )
        except PayoffCellError as exc:
            paths = scenario.payoff_paths
            path = paths[exc.row][exc.col][exc.player] if paths else ("payoffs",)
            line, probe = None, path
            while probe and line is None:
                line = scenario.lines.get(probe)
                probe = probe[:-1]
            under = f"under {assumption!r}" + (" with the --set values" if overrides else "")
            raise ScenarioError(
                f"{exc} ({under})", file=scenario.file, path=path, line=line
            ) from None

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

    def __repr__(self) -> str:
        """Short: the title, the players' moves and whether the payoffs are exact.

        Examples
        --------
        >>> StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]], title="PD")
        StageGame('PD': 1 with 2 moves × 2 with 2 moves, exact payoffs)
        """
        (p, q), (m, n) = self.players, self.shape
        kind = "exact" if self.is_exact else "float"
        return (
            f"StageGame({self.title!r}: {p} with {m} moves × {q} with {n} moves, {kind} payoffs)"
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
    """The rows of a payoff matrix given as nested sequences or a 2-D array, checked for
    shape (non-empty, rectangular, at most ``MAX_MOVES`` each way) before any is copied."""
    if isinstance(M, np.ndarray):
        if M.ndim != 2:
            raise GameError(f"payoff matrix {name} must be 2-dimensional, got shape {M.shape}")
        _check_size(*M.shape)
        M = M.tolist()
    if isinstance(M, str | bytes | Mapping) or not hasattr(M, "__iter__"):
        raise GameError(f"payoff matrix {name} must be a list of rows, got {type(M).__name__}")
    rows: list[list[Any]] = []
    for k, r in enumerate(islice(M, MAX_MOVES + 1)):
        if isinstance(r, str | bytes | Mapping) or not hasattr(r, "__iter__"):
            raise GameError(
                f"payoff matrix {name} must be a list of rows: row {k} is "
                f"{short_number(r)}, not a list of numbers"
            )
        rows.append(list(islice(r, MAX_MOVES + 1)))
    if not rows or not rows[0]:
        raise GameError(f"payoff matrix {name} is empty")
    width = len(rows[0])
    for k, r in enumerate(rows):
        if len(r) != width:
            raise GameError(
                f"payoff matrix {name} is ragged: row {k} has {len(r)} entries, row 0 has {width}"
            )
    if len(rows) > MAX_MOVES or width > MAX_MOVES:
        raise GameError(
            f"payoff matrix {name} is too large: at most {MAX_MOVES} moves per player are "
            "supported"
        )
    return rows


def _cell_fraction(v: Any, cell: tuple[Any, ...]) -> Fraction:
    """``to_fraction(v)``, or a PayoffCellError for ``cell`` (the arguments of _where)."""
    try:
        return to_fraction(v)
    except GameError as exc:
        _, _, _, i, j, who = cell
        raise PayoffCellError(f"cannot be read exactly: {exc}", i, j, who, _where(*cell)) from None


def _float_array(M: Any, name: str) -> np.ndarray:
    """A directly given float payoff matrix as a 2-D float array (range-checked later,
    where the cells can be named by their labels)."""
    if not isinstance(M, np.ndarray):
        rows = _as_rows(M, name)
        out = np.empty((len(rows), len(rows[0])))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                x = _checked_float(v)
                if isinstance(x, str):
                    raise GameError(f"payoff {name}[{i}][{j}] {x}")
                out[i, j] = x
        return out
    if M.ndim != 2:
        raise GameError(f"payoff matrix {name} must be 2-dimensional, got shape {M.shape}")
    if M.size == 0:
        raise GameError(f"payoff matrix {name} is empty")
    _check_size(*M.shape)
    if M.dtype.kind not in "biuf":
        raise GameError(
            f"payoff matrix {name} must hold real numbers, got an array of dtype {M.dtype}"
        )
    return np.asarray(M, dtype=float)


def _exact_matrix(
    E: Any, F: np.ndarray, players: tuple[str, str], rows: Sequence[str],
    cols: Sequence[str], who: int,
) -> ExactMatrix:  # fmt: skip
    """Exact payoffs checked against the float ones: Fractions of the same shape, each
    within a relative ``1e-9`` of its float (ints are read as Fractions)."""
    name = "exact_A" if who == 0 else "exact_B"
    if isinstance(E, str | bytes | Mapping) or not isinstance(E, Sequence) or len(E) != F.shape[0]:
        raise GameError(f"{name} must be a tuple of {F.shape[0]} rows of Fractions")
    out = []
    for i, row in enumerate(E):
        if isinstance(row, str | bytes) or not isinstance(row, Sequence) or len(row) != F.shape[1]:
            raise GameError(f"{name} row {i} must hold {F.shape[1]} Fractions")
        out_row = []
        for j, v in enumerate(row):
            where = _where(players, rows, cols, i, j, who)
            if isinstance(v, int) and not isinstance(v, bool):
                v = Fraction(v)
            if not isinstance(v, Fraction):
                raise GameError(f"{where}: the exact payoff {short_number(v)} is not a Fraction")
            x = _checked_float(v)
            if isinstance(x, str):
                raise PayoffCellError(x, i, j, who, where)
            if not math.isclose(x, float(F[i, j]), rel_tol=_CONSISTENCY_RTOL, abs_tol=1e-300):
                raise GameError(
                    f"{where}: the exact payoff {short_number(v)} does not match the float "
                    f"payoff {float(F[i, j])!r}"
                )
            out_row.append(v)
        out.append(tuple(out_row))
    return tuple(out)
