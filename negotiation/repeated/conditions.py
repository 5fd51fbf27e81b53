"""The one-shot-deviation conditions of a strategy profile, derived once.

For a profile of two automata the values of conforming, normalised as
``V = (1 - δ) Σ_t δ^t u(a_t)``, solve ``(I - δP) V = (1 - δ) u`` over the joint states,
with ``P`` the conforming transition matrix and ``u`` the stage payoff of each joint
state's profile. With ``D(δ) = det(I - δP)`` (positive on [0, 1)) and
``adj(I - δP) = Σ_k B_k δ^k`` (Faddeev–LeVerrier, exact), a player's gain from a
one-shot deviation in joint state ``j`` to a profile with payoff ``u_dev`` and next-state
distribution ``q`` is

``gain(δ) = (1 - δ) N(δ) / D(δ)``,   ``N(δ) = D(δ) u_dev + δ q·W(δ) - W_j(δ)``,

where ``W(δ) = adj(I - δP) u``. The coefficients of ``N`` are *linear* in the payoffs:
``N_c(δ) = Σ_k δ^k L_c[k]·U_i`` for a fixed matrix ``L_c`` per condition, computed here
exactly (rational arithmetic, python-flint) once per pair of automata and cached. Every
path reads these maps:

* the exact regions (:mod:`negotiation.repeated.sustainability`): ``L_c · U`` with
  rational payoffs gives each ``N_c`` exactly;
* the batched float engine (:mod:`negotiation.repeated.batch`): the same maps rounded
  once to double precision, applied to stacks of games;
* the formulas in the parameters (:mod:`negotiation.repeated.symbolic`): ``L_c · U``
  with sympy payoffs.

Conditions equal as maps (the same deviation seen from different states) are kept
once; a condition whose map is zero (no payoff makes the deviation pay) is dropped.
By the one-shot deviation principle the profile is a subgame-perfect equilibrium at δ
iff every ``N_c(δ) <= 0`` (Fudenberg & Tirole 1991, theorem 4.2; Mailath & Samuelson
2006, section 2.4).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from math import comb
from typing import Any

import flint
import numpy as np

from negotiation.repeated.automaton import Automaton
from negotiation.repeated.joint import JointAutomaton, check_profile_size, joint_automaton

__all__ = [
    "Conditions",
    "conditions",
    "conditions_along",
    "faddeev_leverrier",
    "path_of_play",
    "path_states",
]

#: ``successors(j, a, b)``: next joint states and their probabilities.
Successors = Callable[[int, int, int], Sequence[tuple[int, Any]]]


def _q(x: Fraction) -> Any:
    return flint.fmpq(x.numerator, x.denominator)


def _fraction(x: Any) -> Fraction:
    return Fraction(int(x.p), int(x.q))


class _FloatMat:
    """The few ``flint.fmpq_mat`` operations the derivation uses, on a numpy array: the
    same derivation runs in double precision for automata whose probabilities are
    themselves floats (a payoff-dependent generosity read from a float grid)."""

    def __init__(self, n: int, m: int, entries: Sequence[Any] | None = None) -> None:
        self.a = np.zeros((n, m)) if entries is None else np.array(entries, float).reshape(n, m)

    def __getitem__(self, ij: tuple[int, int]) -> float:
        return float(self.a[ij])

    def __setitem__(self, ij: tuple[int, int], value: Any) -> None:
        self.a[ij] = float(value)

    def __mul__(self, other: Any) -> _FloatMat:
        out = _FloatMat(0, 0)
        out.a = self.a @ other.a if isinstance(other, _FloatMat) else self.a * float(other)
        return out

    def __add__(self, other: _FloatMat) -> _FloatMat:
        out = _FloatMat(0, 0)
        out.a = self.a + other.a
        return out

    def entries(self) -> list[float]:
        return self.a.ravel().tolist()

    def nrows(self) -> int:
        return int(self.a.shape[0])

    def ncols(self) -> int:
        return int(self.a.shape[1])


class _ListMat:
    """The same operations on lists of Python number objects (rational functions, or
    ``flint.fmpq_poly``): the derivation with the probabilities as functions of a
    parameter. Products skip zero entries (transition matrices are sparse)."""

    def __init__(self, n: int, m: int, entries: Sequence[Any] | None, zero: Any) -> None:
        self.zero = zero
        if entries is None:
            self.rows = [[zero] * m for _ in range(n)]
        else:
            e = list(entries)
            self.rows = [e[r * m : (r + 1) * m] for r in range(n)]
        self.m = m

    def __getitem__(self, ij: tuple[int, int]) -> Any:
        return self.rows[ij[0]][ij[1]]

    def __setitem__(self, ij: tuple[int, int], value: Any) -> None:
        self.rows[ij[0]][ij[1]] = value

    def __mul__(self, other: Any) -> _ListMat:
        if not isinstance(other, _ListMat):
            out = [[v * other if v else v for v in r] for r in self.rows]
            return _ListMat(len(out), self.m, [v for r in out for v in r], self.zero)
        m = other.m
        res = []
        for r in self.rows:
            acc = [self.zero] * m
            for k, v in enumerate(r):
                if v:
                    for c, w in enumerate(other.rows[k]):
                        if w:
                            acc[c] = acc[c] + v * w
            res.extend(acc)
        return _ListMat(len(self.rows), m, res, self.zero)

    def __add__(self, other: _ListMat) -> _ListMat:
        res = [a + b for ra, rb in zip(self.rows, other.rows) for a, b in zip(ra, rb)]
        return _ListMat(len(self.rows), self.m, res, self.zero)

    def entries(self) -> list[Any]:
        return [v for r in self.rows for v in r]

    def nrows(self) -> int:
        return len(self.rows)

    def ncols(self) -> int:
        return self.m


@dataclass(frozen=True)
class _Ring:
    """Matrices and numbers of one arithmetic: exact (flint), double precision, exact
    number objects (rational functions) or polynomials (``flint.fmpq_poly``)."""

    kind: str
    ctx: Any = None  # the flint context of multivariate polynomials ("mpolys")

    @property
    def exact(self) -> bool:
        return self.kind == "exact"

    def mat(self, n: int, m: int, entries: Sequence[Any] | None = None) -> Any:
        if self.kind == "exact":
            return flint.fmpq_mat(n, m) if entries is None else flint.fmpq_mat(n, m, entries)
        if self.kind == "float":
            return _FloatMat(n, m, entries)
        return _ListMat(n, m, entries, self.num(0))

    def num(self, x: Any) -> Any:
        if self.kind == "exact":
            return _q(Fraction(x))
        if self.kind == "float":
            return float(x)
        if self.kind == "polys":
            if isinstance(x, flint.fmpq_poly):
                return x
            return flint.fmpq_poly([_q(Fraction(x))])
        if self.kind == "mpolys":
            if isinstance(x, flint.fmpq_mpoly):
                return x
            f = x if isinstance(x, flint.fmpq) else _q(Fraction(x))
            return self.ctx.from_dict({(0,) * self.ctx.nvars(): f} if f != 0 else {})
        return Fraction(x) if isinstance(x, int) else x

    def key(self, x: Any) -> Any:
        """A hashable stand-in for an entry (to find equal conditions)."""
        if self.kind == "polys":
            return tuple(x.coeffs())
        if self.kind == "mpolys":
            return tuple(sorted(x.to_dict().items()))
        return x

    def key_of(self, xs: Sequence[Any]) -> tuple[Any, ...]:
        """:meth:`key` of every entry; for flint rationals the position, integer numerator
        and denominator of each nonzero entry (hashing an ``fmpq`` builds a ``Fraction``,
        and the condition rows are mostly zeros: 15x faster on a 21x21 game's rows).

        Examples
        --------
        >>> _EXACT.key_of([flint.fmpq(0), flint.fmpq(2, 3), flint.fmpq(0)])
        ((1, 2, 3),)
        """
        if self.kind == "exact":
            return tuple((t, int(x.p), int(x.q)) for t, x in enumerate(xs) if x)
        return tuple(self.key(x) for x in xs)


_EXACT, _FLOAT = _Ring("exact"), _Ring("float")
_RINGS = {"functions": _Ring("objects"), "polynomials": _Ring("polys")}


@dataclass(frozen=True, eq=False)
class Conditions:
    """The deduplicated one-shot-deviation conditions of a joint automaton.

    Attributes
    ----------
    joint : JointAutomaton
    tags : tuple of (player, joint state, deviation)
        One representative per condition: who deviates, where, and to which own move.
    player : tuple of int
        ``tags[c][0]``.
    size : int
        ``K``, the number of coefficients (joint states + 1).
    exact_maps : tuple of two flint.fmpq_mat
        Per player ``i``: rows ``r * K + k`` (the player's ``r``-th condition, power
        ``k``), columns the flattened payoff cells ``a * n + b``.
    rows : tuple of two tuples of int
        Per player, the indices (into ``tags``) of their conditions, in row order.
    denominator : tuple of Fraction
        ``D(δ)`` ascending.
    start_value : flint.fmpq_mat
        Rows ``k``: ``W_start(δ) = Σ_k δ^k start_value[k]·U`` (value of conforming from
        the start is ``(1 - δ) W_start / D``).
    shape : (int, int)
        Move counts (row player's, column player's).
    exact : bool
        Whether the maps are exact (``False``: derived in double precision; only
        :attr:`float_maps` and :attr:`float_maps_at_one` may then be read).
    functions : bool
        Whether the maps hold functions of a parameter (:func:`conditions_along`).
    """

    joint: JointAutomaton
    tags: tuple[tuple[int, int, int], ...]
    size: int
    exact_maps: tuple[Any, Any]
    rows: tuple[tuple[int, ...], tuple[int, ...]]
    denominator: tuple[Fraction, ...]
    start_value: Any
    shape: tuple[int, int]
    exact: bool = True
    functions: bool = False

    @property
    def player(self) -> tuple[int, ...]:
        """Whose condition each is (0 row, 1 column)."""
        return tuple(t[0] for t in self.tags)

    def numerators(self, A: Sequence[Sequence[Any]], B: Sequence[Sequence[Any]]) -> list[Any]:
        """Each condition's ``N_c`` (``flint.fmpq_poly``) for rational payoffs.

        Examples
        --------
        Grim trigger in the Prisoner's Dilemma (T, R, P, S) = (5, 3, 1, 0): the row
        player's cooperative-state condition is ``2 - 4δ`` times ``(1 - δ)²``, and
        returning to cooperation during the punishment never pays (``-(1 - δ)³``).

        >>> from negotiation.games.stage_game import StageGame
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> r, c = (build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1))
        >>> conds = conditions(r, c)
        >>> for p in conds.numerators(*pd.require_exact()):
        ...     print(p)
        (-4)*x^3 + 10*x^2 + (-8)*x + 2
        x^3 + (-3)*x^2 + 3*x + (-1)
        (-4)*x^3 + 10*x^2 + (-8)*x + 2
        x^3 + (-3)*x^2 + 3*x + (-1)
        """
        if not self.exact:
            raise ValueError("these conditions were derived in floating point")
        out: list[Any] = [None] * len(self.tags)
        K = self.size
        for i, U in enumerate((A, B)):
            rows = self.rows[i]
            if not rows:
                continue
            u = flint.fmpq_mat(len(U) * len(U[0]), 1, [_q(Fraction(x)) for r in U for x in r])
            coef = (self.exact_maps[i] * u).entries()
            for r, c in enumerate(rows):
                out[c] = flint.fmpq_poly(coef[r * K : (r + 1) * K])
        return out

    def symbolic_numerator(self, c: int, U: Sequence[Sequence[Any]], delta: Any) -> Any:
        """``N_c`` as a sympy expression with payoffs ``U`` (of the condition's player)
        given as sympy expressions.

        Examples
        --------
        >>> import sympy
        >>> from negotiation.games.stage_game import StageGame
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> r, c = (build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1))
        >>> T, R, P, S, d = sympy.symbols("T R P S delta")
        >>> sympy.factor(conditions(r, c).symbolic_numerator(0, [[R, S], [T, P]], d))
        (delta - 1)**2*(P*delta - R - T*delta + T)
        """
        import sympy

        i = self.tags[c][0]
        r = self.rows[i].index(c)
        M = self.exact_maps[i]
        K, F = self.size, M.ncols()
        flat = [x for row in U for x in row]
        total = sympy.Integer(0)
        for k in range(K):
            term = sympy.Integer(0)
            for f in range(F):
                v = M[r * K + k, f]
                if v != 0:
                    term += sympy.Rational(int(v.p), int(v.q)) * flat[f]
            total += term * delta**k
        return total

    @cached_property
    def float_maps(self) -> np.ndarray:
        """The maps in double precision, shape ``(C, K, F)`` (``C`` conditions in
        :attr:`tags` order), read-only."""
        K = self.size
        F = self.shape[0] * self.shape[1]
        out = np.zeros((len(self.tags), K, F))
        for i in (0, 1):
            rows = self.rows[i]
            if not rows:
                continue
            M = self.exact_maps[i]
            flat = np.array([float(x) for x in M.entries()]).reshape(len(rows), K, F)
            out[list(rows)] = flat
        out.setflags(write=False)
        return out

    @cached_property
    def float_maps_at_one(self) -> tuple[np.ndarray, np.ndarray]:
        """The maps and ``D`` in powers of ``y = 1 - δ`` (shifted exactly when the maps
        are exact, then rounded), shapes ``(C, K, F)`` and ``(K,)``: accurate values
        next to δ = 1."""
        K = self.size
        F = self.shape[0] * self.shape[1]
        T = [[Fraction(0)] * K for _ in range(K)]
        for j in range(K):
            for k in range(j, K):
                T[j][k] = Fraction(comb(k, j) * (-1) ** j)
        out = np.zeros((len(self.tags), K, F))
        if self.exact:
            Tm = flint.fmpq_mat(K, K, [_q(x) for row in T for x in row])
            for i in (0, 1):
                entries = self.exact_maps[i].entries()
                for r, c in enumerate(self.rows[i]):
                    block = flint.fmpq_mat(K, F, entries[r * K * F : (r + 1) * K * F])
                    out[c] = np.array([float(x) for x in (Tm * block).entries()]).reshape(K, F)
            den = Tm * flint.fmpq_mat(K, 1, [_q(x) for x in self.denominator])
            d1 = np.array([float(x) for x in den.entries()])
        else:
            Tf = np.array([[float(x) for x in row] for row in T])
            out = np.einsum("jk,ckf->cjf", Tf, self.float_maps)
            d1 = Tf @ np.array([float(x) for x in self.denominator])
        out.setflags(write=False)
        d1.setflags(write=False)
        return out, d1

    @cached_property
    def float_denominator(self) -> np.ndarray:
        """``D(δ)``'s coefficients as floats (ascending)."""
        out = np.array([float(x) for x in self.denominator])
        out.setflags(write=False)
        return out

    def denominator_poly(self) -> Any:
        """``D(δ)`` as a ``flint.fmpq_poly``."""
        return flint.fmpq_poly([_q(x) for x in self.denominator])


def _leverrier(P: Any, n: int, ring: _Ring = _EXACT) -> tuple[list[Any], list[Any]]:
    """Coefficients of ``det(I - δP)`` (ascending) and ``B_k`` with
    ``adj(I - δP) = Σ_k B_k δ^k`` (Faddeev–LeVerrier; exact unless ``ring`` is float)."""
    c: list[Any] = [ring.num(0)] * (n + 1)
    c[n] = ring.num(1)
    eye = ring.mat(n, n)
    for j in range(n):
        eye[j, j] = ring.num(1)
    Bs = []
    PM = ring.mat(n, n)
    for k in range(1, n + 1):
        M = PM + eye * c[n - k + 1]
        Bs.append(M)
        PM = P * M
        c[n - k] = -sum((PM[j, j] for j in range(n)), ring.num(0)) / k
    return c[::-1], Bs


def faddeev_leverrier(
    rows: Sequence[Sequence[Any]], arithmetic: Any = "exact"
) -> tuple[list[Any], list[list[list[Any]]]]:
    """``det(I - δP)`` (coefficients, ascending) and the matrices ``B_k`` with
    ``adj(I - δP) = Σ_k B_k δ^k``, for a square matrix ``P`` given by rows.

    Parameters
    ----------
    rows : square matrix
    arithmetic : {"exact", "functions", "polynomials"} or flint.fmpq_mpoly_ctx
        Rational numbers (flint), or the entries' own arithmetic as in
        :func:`conditions_along`.

    Returns
    -------
    (list, list of matrices as lists of rows)

    Examples
    --------
    >>> c, B = faddeev_leverrier([[0, 1], [1, 0]])
    >>> [str(x) for x in c], [[str(v) for v in r] for r in B[1]]
    (['1', '0', '-1'], [['0', '1'], ['1', '0']])
    """
    n = len(rows)
    if isinstance(arithmetic, str):
        ring = _EXACT if arithmetic == "exact" else _RINGS[arithmetic]
    else:
        ring = _Ring("mpolys", arithmetic)
    P = ring.mat(n, n, [ring.num(v) for r in rows for v in r])
    coefficients, Bs = _leverrier(P, n, ring)
    mats = [[[B[i, j] for j in range(n)] for i in range(n)] for B in Bs]
    return coefficients, mats


def path_of_play(joint: JointAutomaton) -> tuple[tuple[tuple[int, int], ...], int]:
    """The deterministic path of play: profiles until a joint state repeats, and where the
    cycle starts. Stochastic automata follow their most likely transition.

    Examples
    --------
    >>> from negotiation.repeated.automaton import automaton_from_rule
    >>> tft = automaton_from_rule("tft", ["C", "D"], [0, 1], 0, 2, 2, lambda s, a, b: b)
    >>> stft = automaton_from_rule("stft", ["C", "D"], [0, 1], 1, 2, 2, lambda s, a, b: b)
    >>> path_of_play(joint_automaton(tft, stft))
    (((0, 1), (1, 0)), 0)
    """
    states, cycle = path_states(joint)
    return tuple(joint.profile[j] for j in states), cycle


def path_states(joint: JointAutomaton) -> tuple[tuple[int, ...], int]:
    """The joint states along :func:`path_of_play` (indices into ``joint.states``), and
    where the cycle starts. In a mixed state the path follows the most likely next
    state over the realised moves.

    Examples
    --------
    >>> from negotiation.repeated.automaton import automaton_from_rule
    >>> tft = automaton_from_rule("tft", ["C", "D"], [0, 1], 0, 2, 2, lambda s, a, b: b)
    >>> path_states(joint_automaton(tft, tft))
    ((0,), 0)
    """
    seen: dict[int, int] = {}
    path: list[int] = []
    j = 0
    while j not in seen:
        seen[j] = len(path)
        path.append(j)
        j = max(joint.conforming(j), key=lambda t: t[1])[0]
    return tuple(path), seen[j]


@lru_cache(maxsize=1024)
def conditions(row: Automaton, col: Automaton, exact: bool = True) -> Conditions:
    """Derive (once, cached) the one-shot-deviation conditions of a profile.

    Parameters
    ----------
    row, col : Automaton
        The row and the column player's strategies.
    exact : bool
        Rational arithmetic (default). ``False`` runs the same derivation in double
        precision, for automata whose probabilities are floats read exactly (huge
        denominators), where only the float engine reads the maps.

    Returns
    -------
    Conditions

    Examples
    --------
    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> r, c = (build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1))
    >>> conditions(r, c).tags  # (player, joint state, deviation)
    ((0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0))
    """
    joint = joint_automaton(row, col)
    check_profile_size(joint)
    return _derive(joint, joint.successors, _EXACT if exact else _FLOAT)


def conditions_along(
    joint: JointAutomaton, successors: Successors, arithmetic: Any = "functions"
) -> Conditions:
    """The conditions of a profile whose transition probabilities are functions of a
    parameter: the same derivation on those objects. The maps
    (:attr:`Conditions.exact_maps`) and the denominator then hold functions; only they
    may be read.

    Parameters
    ----------
    joint : JointAutomaton
        The profile's joint automaton (its states and move profiles).
    successors : callable
        ``successors(j, a, b)``: the next joint states after profile ``(a, b)`` in
        joint state ``j`` with their probabilities (functions or numbers), as
        :meth:`JointAutomaton.successors` gives them.
    arithmetic : {"functions", "polynomials"} or flint.fmpq_mpoly_ctx
        The probabilities are :class:`~negotiation.repeated.ratfunc.RatFunc` (or
        numbers), ``flint.fmpq_poly``, or multivariate polynomials of the given
        context (the probabilities as polynomials in a strategy's own parameters).
        With polynomials ``D·p`` in place of the probabilities ``p`` (``D`` clearing
        their denominators) the coefficient of
        ``δ^k`` of every numerator and of the denominator comes out multiplied by
        ``D^k`` (each is homogeneous of degree ``k`` in the probabilities).

    Returns
    -------
    Conditions
        With ``exact=False`` and ``functions=True``.

    Examples
    --------
    Grim trigger in the Prisoner's Dilemma, read as functions of nothing, gives the
    exact maps as constant functions:

    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> r, c = (build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1))
    >>> j = joint_automaton(r, c)
    >>> conditions_along(j, j.successors).tags == conditions(r, c).tags
    True
    """
    ring = _RINGS[arithmetic] if isinstance(arithmetic, str) else _Ring("mpolys", arithmetic)
    for auto in (joint.row, joint.col):
        auto.require_pure("the derivation along a parameter")
    check_profile_size(joint)
    return _derive(joint, successors, ring)


def _derive(joint: JointAutomaton, successors: Successors, ring: _Ring) -> Conditions:
    """The derivation behind :func:`conditions` and :func:`conditions_along`."""
    row, col = joint.row, joint.col
    n = len(joint.states)
    m_moves = (row.own_moves, col.own_moves)
    width = m_moves[1]
    F = m_moves[0] * m_moves[1]
    pure = joint.is_pure
    one = Fraction(1)

    def weighted(p: Any, w: Fraction) -> Any:
        return ring.num(p) if w == 1 else ring.num(p) * ring.num(w)

    P = ring.mat(n, n)
    for j in range(n):
        for prof, w in ((joint.profile[j], one),) if pure else joint.cells(j):
            for k, p in successors(j, *prof):
                P[j, k] += weighted(p, w)
    dcoef, Bs = _leverrier(P, n, ring)
    S = ring.mat(n, F)
    for j in range(n):
        for (a, b), w in ((joint.profile[j], one),) if pure else joint.cells(j):
            S[j, a * width + b] = ring.num(w)
    BS = [B * S for B in Bs]  # n matrices (n x F): adj coefficient k, state, payoff
    K = n + 1
    tags: list[tuple[int, int, int]] = []
    blocks: list[list[list[Any]]] = [[], []]
    seen: dict[tuple[int, tuple[Any, ...]], int] = {}
    zero = ring.num(0)
    for i in (0, 1):
        # (state, deviation, distribution of the profile it leads to): every own move
        # but the one played; in a mixed state every own move (each must be worth no
        # more than the mix), against the other's action.
        specs: list[tuple[int, int, tuple[tuple[tuple[int, int], Fraction], ...]]] = []
        for j in range(n):
            a, b = joint.profile[j]
            acts = ((((a, one),), ((b, one),))) if pure else joint.actions(j)
            mixed = len(acts[i]) > 1
            for dev in range(m_moves[i]):
                if mixed or dev != (a, b)[i]:
                    cells = tuple((((dev, y) if i == 0 else (y, dev)), q) for y, q in acts[1 - i])
                    specs.append((j, dev, cells))
        if not specs:
            continue
        Q = ring.mat(len(specs), n)
        for r, (j, _, cells) in enumerate(specs):
            for prof, w in cells:
                for k, p in successors(j, *prof):
                    Q[r, k] += weighted(p, w)
        QB = [(Q * B).entries() for B in BS]
        BSe = [B.entries() for B in BS]
        for r, (j, dev, cells) in enumerate(specs):
            block = []
            for k in range(K):
                row_k = [zero] * F
                for prof, w in cells:
                    row_k[prof[0] * width + prof[1]] = (
                        dcoef[k] if w == 1 else dcoef[k] * ring.num(w)
                    )
                if k >= 1:
                    prev = QB[k - 1][r * F : (r + 1) * F]
                    row_k = [x + y for x, y in zip(row_k, prev)]
                if k <= n - 1:
                    own = BSe[k][j * F : (j + 1) * F]
                    row_k = [x - y for x, y in zip(row_k, own)]
                block.append(row_k)
            key = (i, ring.key_of([x for rk in block for x in rk]))
            if all(x == 0 for rk in block for x in rk) or key in seen:
                continue
            seen[key] = len(tags)
            tags.append((i, j, dev))
            blocks[i].append(block)
    rows: list[tuple[int, ...]] = [(), ()]
    maps = []
    for i in (0, 1):
        mine = tuple(c for c, t in enumerate(tags) if t[0] == i)
        rows[i] = mine
        entries = [x for block in blocks[i] for rk in block for x in rk]
        maps.append(ring.mat(len(mine) * K, F, entries) if mine else ring.mat(0, F))
    start = ring.mat(max(n, 1), F, [x for B in BS for x in B.entries()[0:F]])
    return Conditions(
        joint=joint,
        tags=tuple(tags),
        size=K,
        exact_maps=(maps[0], maps[1]),
        rows=(rows[0], rows[1]),
        denominator=tuple(
            _fraction(x) if ring.exact else Fraction(x) if ring.kind == "float" else x
            for x in dcoef
        ),
        start_value=start,
        shape=(m_moves[0], m_moves[1]),
        exact=ring.exact,
        functions=ring.kind in ("objects", "polys", "mpolys"),
    )
