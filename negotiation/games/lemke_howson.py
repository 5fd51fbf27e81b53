"""One Nash equilibrium of a bimatrix game by the Lemke--Howson algorithm.

Lemke and Howson ("Equilibrium points of bimatrix games", J. SIAM 12, 1964) follow a
path of almost completely labelled vertex pairs of the best-response polytopes

    P = {x >= 0 : B^T x <= 1},    Q = {y >= 0 : A y <= 1}

(payoffs shifted to be positive; here mapped onto ``[1, 2]``) from the artificial
equilibrium ``(0, 0)``: the *missing label* ``k`` is dropped at the start, and each
step enters the variable whose label was duplicated by the previous one, alternating
between the two systems, until the variable leaving a basis has label ``k``. The pair
reached is completely labelled: an equilibrium (von Stengel, "Computing equilibria for
two-person games", Handbook of Game Theory 3, 2002, section 3).

Ties in the ratio test (degenerate games) are broken by the **lexicographic** rule of
von Stengel 2002, section 3.5, which is the simplex method on a perturbed, simple
system: the path is unique and cannot cycle, degenerate games included.

Two modes:

- ``"exact"``: integer (fraction-free) pivoting on the integer form of the payoffs
  (von Stengel 2002, section 3.5; as in lrs): every entry is a minor of the original
  system, divided exactly by the previous pivot, so no rational arithmetic is needed.
- ``"float"`` (default): the same pivoting in numpy double precision, then **exact
  certification**: the equilibrium is recomputed exactly from the supports of the final
  bases (one square rational linear system per player) and its exact regret must be
  zero. If it is not (a tolerance decision went wrong in a nearly degenerate game), the
  exact mode is run instead, so every equilibrium returned is certified exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import flint
import numpy as np

from negotiation.errors import GameError
from negotiation.games.certify import float_regret
from negotiation.games.equilibrium import Equilibrium
from negotiation.games.rational import ExactMatrix, normalised_exact
from negotiation.games.stage_game import StageGame, require_game

__all__ = ["MAX_PIVOTS", "LemkeHowsonResult", "lemke_howson"]

#: Most pivots of one Lemke--Howson path before it is given up. Paths can be
#: exponentially long on games built for it (Savani and von Stengel, "Hard-to-solve
#: bimatrix games", Econometrica 74, 2006); random 200x200 games take a few hundred.
MAX_PIVOTS = 200_000

#: Tolerance of the float ratio test (entries are on the scale of payoffs in [1, 2]).
FLOAT_TOL = 1e-10


@dataclass(frozen=True)
class LemkeHowsonResult:
    """The equilibrium found by one Lemke--Howson path, with diagnostics.

    Attributes
    ----------
    equilibrium : Equilibrium
        Certified exactly (its ``regret`` is 0 in exact mode).
    label : int
        The missing label the path started from (row moves ``0..m-1``, then column
        moves ``m..m+n-1``).
    pivots : int
        Pivots of the path that produced the answer.
    mode : str
        ``"exact"``, ``"float"`` (float pivoting, exact certificate) or
        ``"float->exact"`` (the float path failed its certificate; exact pivoting).
    """

    equilibrium: Equilibrium
    label: int
    pivots: int
    mode: str

    def to_dict(self, game: StageGame) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> g = StageGame.from_payoffs([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> lemke_howson(g).to_dict(g)["pivots"]
        4
        """
        p, q = game.players
        labels = [f"{p}:{m}" for m in game.row_moves] + [f"{q}:{m}" for m in game.col_moves]
        return {
            "method": "lemke-howson",
            "label": labels[self.label],
            "pivots": self.pivots,
            "mode": self.mode,
            "equilibrium": self.equilibrium.to_dict(game),
        }


# ----------------------------------------------------------------------------- paths


Path = Generator[None, None, tuple[list[int], list[int], int]]


def _float_path(NA: np.ndarray, NB: np.ndarray, k: int) -> Path:
    """Float Lemke--Howson, one pivot per step; returns the basic variables of both
    tableaux and the number of pivots.

    Tableau ``T_P`` (rows: columns ``j`` of the game) is ``B^T x + s = 1`` over the
    variables ``x_0..x_{m-1}`` (labels ``0..m-1``) and ``s_0..s_{n-1}`` (labels
    ``m..m+n-1``); tableau ``T_Q`` (rows: rows ``i``) is ``r + A y = 1`` over ``r``
    (labels ``0..m-1``) and ``y`` (labels ``m..m+n-1``). So in both, variable ``v``
    has label ``v``.
    """
    m, n = NA.shape
    size = m + n
    TP = np.hstack([NB.T, np.eye(n), np.ones((n, 1))])  # (n, size + 1)
    TQ = np.hstack([np.eye(m), NA, np.ones((m, 1))])  # (m, size + 1)
    basis_p = list(range(m, size))  # s basic
    basis_q = list(range(m))  # r basic
    # The columns of the initial basis, for the lexicographic rule.
    lex_p = list(range(m, size))
    lex_q = list(range(m))
    tableaux = [(TP, basis_p, lex_p), (TQ, basis_q, lex_q)]
    entering = k
    side = 0 if k < m else 1  # x_k enters P; y_{k-m} enters Q
    for pivots in range(1, MAX_PIVOTS + 1):
        T, basis, lex = tableaux[side]
        col = T[:, entering]
        rows = np.flatnonzero(col > FLOAT_TOL)
        if rows.size == 0:  # pragma: no cover - bounded polytopes
            raise GameError("lemke_howson: unbounded ray (internal error)")
        ratios = T[rows, -1] / col[rows]
        for c in lex:
            low = ratios.min()
            keep = ratios <= low + FLOAT_TOL * max(1.0, abs(low))
            rows, ratios = rows[keep], ratios[keep]
            if rows.size == 1:
                break
            ratios = T[rows, c] / col[rows]
        r = int(rows[0])
        leaving = basis[r]
        prow = T[r] / T[r, entering]
        T -= np.outer(T[:, entering], prow)
        T[r] = prow
        basis[r] = entering
        if leaving == k:
            return basis_p, basis_q, pivots
        entering, side = leaving, 1 - side
        yield
    raise GameError(
        f"lemke_howson: no equilibrium after {MAX_PIVOTS} pivots from label {k} (a game "
        f"built to make Lemke-Howson paths exponentially long?); try another start label"
    )


def _common(M: ExactMatrix) -> int:
    """The least common denominator of the entries of ``M``."""
    den = 1
    for row in M:
        for v in row:
            den = den * v.denominator // math.gcd(den, v.denominator)
    return den


def _exact_path(NA: ExactMatrix, NB: ExactMatrix, k: int) -> Path:
    """Exact Lemke--Howson by integer pivoting; same tableaux as :func:`_float_path`.

    With ``L`` the common denominator of a matrix, ``r + A y = 1`` is kept as
    ``r' + (L A) y = L`` (``r' = L r``, the same labels and zeros), an integer tableau
    whose basis is the identity. Each tableau is then kept as integers over a common
    denominator ``det`` (the previous pivot element): a pivot on ``(r, c)`` maps every
    row ``i != r`` to ``(T[i] * T[r, c] - T[i, c] * T[r]) / det``, an exact division
    (every entry is a minor of the initial tableau).
    """
    m, n = len(NA), len(NA[0])
    size = m + n
    la, lb = _common(NA), _common(NB)
    IA = [[int(v * la) for v in row] for row in NA]  # m x n
    IBt = [[int(NB[i][j] * lb) for i in range(m)] for j in range(n)]  # n x m
    TP = [[*IBt[j], *(1 if t == j else 0 for t in range(n)), lb] for j in range(n)]
    TQ = [[*(1 if t == i else 0 for t in range(m)), *IA[i], la] for i in range(m)]
    dets = [1, 1]
    bases = [list(range(m, size)), list(range(m))]
    lexes = [list(range(m, size)), list(range(m))]
    tabs = [TP, TQ]
    entering = k
    side = 0 if k < m else 1
    for pivots in range(1, MAX_PIVOTS + 1):
        T, basis, lex, det = tabs[side], bases[side], lexes[side], dets[side]
        rows = [i for i in range(len(T)) if T[i][entering] > 0]
        if not rows:  # pragma: no cover - bounded polytopes
            raise GameError("lemke_howson: unbounded ray (internal error)")
        for c in [size, *lex]:
            best: list[int] = []
            for i in rows:
                if not best:
                    best = [i]
                    continue
                j = best[0]
                # Compare T[i][c] / T[i][e] with T[j][c] / T[j][e] (denominators > 0).
                lhs = T[i][c] * T[j][entering]
                rhs = T[j][c] * T[i][entering]
                if lhs < rhs:
                    best = [i]
                elif lhs == rhs:
                    best.append(i)
            rows = best
            if len(rows) == 1:
                break
        r = rows[0]
        piv = T[r][entering]
        prow = T[r]
        for i in range(len(T)):
            if i != r:
                f = T[i][entering]
                T[i] = [(a * piv - f * b) // det for a, b in zip(T[i], prow)]
        dets[side] = piv
        leaving = basis[r]
        basis[r] = entering
        if leaving == k:
            return bases[0], bases[1], pivots
        entering, side = leaving, 1 - side
        yield
    raise GameError(
        f"lemke_howson: no equilibrium after {MAX_PIVOTS} pivots from label {k}; try "
        f"another start label"
    )


#: Pivots each path makes per turn when several start labels are tried together.
TURN = 25


def _first_path(
    paths: Callable[[int], Path], labels: list[int]
) -> tuple[int, list[int], list[int], int]:
    """Run the paths from ``labels`` side by side and return the first to end.

    Path lengths differ by orders of magnitude between start labels (on one random
    200x200 game: from 64 to 184,509 pivots), so one new path is started per turn and
    every started path advances by :data:`TURN` pivots; the first equilibrium reached
    is returned (deterministically: ties go to the earlier label).
    """
    active: list[tuple[int, Path]] = []
    waiting = list(labels)
    while active or waiting:
        if waiting:
            k = waiting.pop(0)
            active.append((k, paths(k)))
        for k, path in list(active):
            try:
                for _ in range(TURN):
                    next(path)
            except StopIteration as done:
                basis_p, basis_q, pivots = done.value
                return k, basis_p, basis_q, pivots
    raise GameError("lemke_howson: no path ended")  # pragma: no cover - LH always ends


# ----------------------------------------------------------------------------- certify


def _solve_support(
    entry: Callable[[int, int], Fraction], d: int, support: list[int], tight: list[int]
) -> tuple[Fraction, ...] | None:
    """The point with ``x_i = 0`` off ``support`` and ``sum_i x_i N[i, j] = 1`` on
    ``tight``, where ``entry(i, j)`` is ``N[i, j]``; None if that does not define one."""
    if len(support) != len(tight) or not support:
        return None
    k = len(support)
    vals = [entry(i, j) for j in tight for i in support]
    mat = flint.fmpq_mat(k, k, [flint.fmpq(v.numerator, v.denominator) for v in vals])
    try:
        sol = mat.solve(flint.fmpq_mat(k, 1, [1] * k)).entries()
    except ZeroDivisionError:
        return None
    x = [Fraction(0)] * d
    for i, v in zip(support, sol):
        x[i] = Fraction(int(v.p), int(v.q))
    return tuple(x)


def _profile(
    na: Callable[[int, int], Fraction],
    nb: Callable[[int, int], Fraction],
    m: int,
    n: int,
    basis_p: list[int],
    basis_q: list[int],
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]] | None:
    """The exact profile of the final bases, or None if they do not define one."""
    sx = sorted(v for v in basis_p if v < m)
    tight_cols = sorted(set(range(n)) - {v - m for v in basis_p if v >= m})
    sy = sorted(v - m for v in basis_q if v >= m)
    tight_rows = sorted(set(range(m)) - {v for v in basis_q if v < m})
    x = _solve_support(nb, m, sx, tight_cols)
    y = _solve_support(lambda j, i: na(i, j), n, sy, tight_rows)
    if x is None or y is None or min(x) < 0 or min(y) < 0 or sum(x) == 0 or sum(y) == 0:
        return None
    tx, ty = sum(x), sum(y)
    return tuple(v / tx for v in x), tuple(v / ty for v in y)


def _regret(
    A: ExactMatrix, B: ExactMatrix, x: tuple[Fraction, ...], y: tuple[Fraction, ...]
) -> tuple[Fraction, Fraction, Fraction]:
    """:func:`~negotiation.games.certify.exact_regret` with the sums done by
    python-flint over the supports (40,000 payoffs of a 200x200 game)."""
    m, n = len(A), len(A[0])
    sx = [i for i in range(m) if x[i] != 0]
    sy = [j for j in range(n) if y[j] != 0]

    def q(v: Fraction) -> flint.fmpq:
        return flint.fmpq(v.numerator, v.denominator)

    Ay = (
        flint.fmpq_mat(m, len(sy), [q(A[i][j]) for i in range(m) for j in sy])
        * flint.fmpq_mat(len(sy), 1, [q(y[j]) for j in sy])
    ).entries()
    xB = (
        flint.fmpq_mat(1, len(sx), [q(x[i]) for i in sx])
        * flint.fmpq_mat(len(sx), n, [q(B[i][j]) for i in sx for j in range(n)])
    ).entries()
    u = sum((q(x[i]) * Ay[i] for i in sx), flint.fmpq(0))
    v = sum((xB[j] * q(y[j]) for j in sy), flint.fmpq(0))
    regret = max(max(Ay) - u, max(xB) - v, flint.fmpq(0))

    def f(t: flint.fmpq) -> Fraction:
        return Fraction(int(t.p), int(t.q))

    return f(regret), f(u), f(v)


def _normalised_entries(E: ExactMatrix) -> Callable[[int, int], Fraction]:
    """Entry ``(i, j)`` of ``E`` mapped onto ``[1, 2]``, computed on demand."""
    flat = [v for row in E for v in row]
    lo, hi = min(flat), max(flat)
    span = hi - lo if hi > lo else Fraction(1)
    return lambda i, j: 1 + (E[i][j] - lo) / span


def _float_normalised(M: np.ndarray) -> np.ndarray:
    lo, span = float(M.min()), float(np.ptp(M))
    return 1.0 + (M - lo) / (span if span > 0 else 1.0)


def lemke_howson(
    game: StageGame,
    label: int | None = None,
    *,
    mode: Literal["float", "exact"] = "float",
    exact: bool | None = None,
) -> LemkeHowsonResult:
    """One Nash equilibrium by the Lemke--Howson algorithm with lexicographic pivoting.

    Parameters
    ----------
    game : StageGame
    label : int, optional
        The missing label to start from: ``0..m-1`` for the row player's moves,
        ``m..m+n-1`` for the column player's. Different labels may reach different
        equilibria. By default the paths from all labels are run side by side (one
        more started per turn) and the first to end is taken: path lengths vary by
        orders of magnitude between labels.
    mode : {"float", "exact"}
        ``"float"``: numpy pivoting, then the result recomputed and certified exactly
        (falling back to exact pivoting if the certificate fails). ``"exact"``: integer
        pivoting throughout.
    exact : bool, optional
        Report exact rationals (default: whenever the game's payoffs are rational).
        Float payoffs are certified on their exact rational values.

    Returns
    -------
    LemkeHowsonResult

    Raises
    ------
    GameError
        ``game`` is not a :class:`StageGame`, ``label`` out of range, an unknown
        ``mode``, or a path longer than :data:`MAX_PIVOTS`.

    Examples
    --------
    Battle of the sexes: from label 0 the path ends at one pure equilibrium.

    >>> g = StageGame.from_payoffs([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> r = lemke_howson(g, 0)
    >>> r.equilibrium.row, r.equilibrium.col, r.mode
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(0, 1)), 'float')
    >>> lemke_howson(g, 0, mode="exact").equilibrium == r.equilibrium
    True
    """
    require_game(game, "lemke_howson")
    m, n = game.shape
    if label is not None:
        if isinstance(label, bool) or not isinstance(label, int | np.integer):
            raise GameError(f"lemke_howson: label must be an integer, got {label!r}")
        label = int(label)
        if not 0 <= label < m + n:
            raise GameError(
                f"lemke_howson: label {label} is out of range: labels are 0..{m - 1} for "
                f"the row player's moves and {m}..{m + n - 1} for the column player's"
            )
    if mode not in ("float", "exact"):
        raise GameError(f"lemke_howson: mode must be 'float' or 'exact', got {mode!r}")
    use_exact = game.is_exact if exact is None else exact
    if use_exact:
        EA, EB = game.require_exact()
    else:
        EA = tuple(tuple(Fraction(v) for v in row) for row in game.A.tolist())
        EB = tuple(tuple(Fraction(v) for v in row) for row in game.B.tolist())
    labels = list(range(m + n)) if label is None else [label]
    na, nb = _normalised_entries(EA), _normalised_entries(EB)
    profile = None
    used: str = mode
    if mode == "float":
        fa, fb = _float_normalised(game.A), _float_normalised(game.B)
        start, basis_p, basis_q, pivots = _first_path(lambda k: _float_path(fa, fb, k), labels)
        profile = _profile(na, nb, m, n, basis_p, basis_q)
        if profile is not None and _regret(EA, EB, *profile)[0] != 0:
            profile = None
        if profile is None:
            used = "float->exact"
            labels = [start]
    if profile is None:
        NA, NB = normalised_exact(EA), normalised_exact(EB)
        start, basis_p, basis_q, pivots = _first_path(lambda k: _exact_path(NA, NB, k), labels)
        profile = _profile(na, nb, m, n, basis_p, basis_q)
        if profile is None:  # pragma: no cover - the exact path ends at an equilibrium
            raise GameError("lemke_howson: internal error: the exact path gave no profile")
    x, y = profile
    regret, u, v = _regret(EA, EB, x, y)
    if regret != 0:  # pragma: no cover - certified above
        raise GameError("lemke_howson: internal error: the equilibrium failed its check")
    if use_exact:
        eq = Equilibrium(x, y, (u, v), True, 0.0)
    else:
        xf = np.array([float(t) for t in x])
        yf = np.array([float(t) for t in y])
        gap, fu, fv = float_regret(game.A, game.B, xf, yf)
        eq = Equilibrium(tuple(xf.tolist()), tuple(yf.tolist()), (fu, fv), False, gap)
    return LemkeHowsonResult(equilibrium=eq, label=start, pivots=pivots, mode=used)
