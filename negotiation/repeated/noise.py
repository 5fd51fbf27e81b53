"""Repeated play with trembles: the joint automaton as a finite Markov chain.

Model. With tremble probability ``ε`` each player's intended move (the automaton's
``play[state]``) is replaced, independently for each player, by a uniformly random
*other* move of that player, so each other move has probability ``ε / (n_i - 1)``; a
player with one move never trembles. Both automata observe the *realised* profile and
move on (at random if they are stochastic). The joint state then follows a finite Markov
chain on the joint automaton's states, the analysis of noisy memory-one strategies by
Nowak & Sigmund (1990, 1993) extended to any pair of finite automata. Which transitions
are possible is always decided exactly; the numbers are exact or floats.

References: Nowak & Sigmund (1990), "The evolution of stochastic strategies in the
Prisoner's Dilemma", Acta Appl. Math. 20; Nowak & Sigmund (1993), "A strategy of
win-stay, lose-shift that outperforms tit-for-tat", Nature 364; Kemeny & Snell (1960),
*Finite Markov Chains*, ch. III (absorbing chains) and IV-V (limiting distributions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction
from itertools import product
from numbers import Rational, Real
from typing import Any, TypeVar

import flint
import numpy as np

from negotiation.errors import GameError
from negotiation.games.rational import fraction_str
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.joint import JointAutomaton, joint_automaton
from negotiation.repeated.ratfunc import solve_linear

__all__ = [
    "NoiseMetrics",
    "detente_share_along",
    "long_run_distribution",
    "noise_metrics",
    "noisy_chain",
]

N = TypeVar("N", Fraction, float)
Profile = tuple[int, int]
Matrix = list[list[Fraction]]
Outcomes = list[dict[Profile, Fraction]]
Number = Fraction | float


@dataclass(frozen=True)
class NoiseMetrics:
    """What trembles do to a profile of automata (see :func:`noise_metrics`).

    Attributes
    ----------
    noise : Fraction or float
        The tremble probability ``ε``.
    detente_share : Fraction or float
        Long-run share of rounds whose realised profile is the target.
    rounds_to_breakdown, rounds_to_recover : Fraction, float or None
        Expected rounds to the first non-target round, and from there back to a target
        round; ``None`` when that event is not certain.
    discounted_payoffs : (Fraction or float, Fraction or float)
        ``(1 - δ) Σ_t δ^t E[u_i(a_t)]``, row player first.
    exact : bool
        Whether the numbers are exact rationals (else floats).

    Examples
    --------
    >>> m = NoiseMetrics(Fraction(1, 10), Fraction(81, 100), Fraction(100, 19), None,
    ...                  (Fraction(3), Fraction(5, 2)), True)
    >>> m.to_dict()["rounds_to_breakdown"], m.to_dict()["rounds_to_recover"]
    ('100/19', None)
    """

    noise: Number
    detente_share: Number
    rounds_to_breakdown: Number | None
    rounds_to_recover: Number | None
    discounted_payoffs: tuple[Number, Number]
    exact: bool

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict: Fractions as ``"p/q"`` strings, floats and None unchanged."""

        def out(v: Number | None) -> str | float | None:
            return fraction_str(v) if isinstance(v, Fraction) else v

        data: dict[str, object] = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("noise", "detente_share", "rounds_to_breakdown", "rounds_to_recover"):
            data[key] = out(getattr(self, key))
        data["discounted_payoffs"] = [out(v) for v in self.discounted_payoffs]
        return data


def _rational(value: object) -> Fraction:
    if not isinstance(value, Rational):
        raise GameError(f"{value!r} is not a rational number")
    return Fraction(int(value.numerator), int(value.denominator))


def _unit(value: object, what: str) -> Fraction:
    """``value`` as an exact Fraction (floats converted exactly), checked to lie in [0, 1)."""
    if isinstance(value, Rational) and not isinstance(value, bool):
        exact = _rational(value)
    elif isinstance(value, Real) and math.isfinite(value):
        exact = Fraction(float(value))
    else:
        raise GameError(f"{what} must be a finite number, got {value!r}")
    if not 0 <= exact < 1:
        raise GameError(f"{what} must lie in [0, 1), got {value}")
    return exact


def _tremble(intended: int, moves: int, eps: Fraction) -> list[Fraction]:
    if moves == 1:
        return [Fraction(1)]
    return [1 - eps if a == intended else eps / (moves - 1) for a in range(moves)]


def _mixed_tremble(
    action: Sequence[tuple[int, Fraction]], moves: int, eps: Any, zero: Any
) -> list[Any]:
    """The realised-move distribution of a (mixed) action under a tremble ``eps``."""
    out = [zero] * moves
    for x, w in action:
        for a, p in enumerate(_tremble(x, moves, eps)):
            out[a] = out[a] + w * p
    return out


def _build(
    game: StageGame, row: Automaton, col: Automaton, eps: Fraction
) -> tuple[JointAutomaton, Matrix, Outcomes]:
    m, n = game.shape
    row.check_moves(m, n)
    col.check_moves(n, m)
    joint = joint_automaton(row, col)
    T, outcomes = _chain(joint, joint.successors, (m, n), eps)
    return joint, T, outcomes


def _chain(
    joint: JointAutomaton,
    successors: Callable[..., Any],
    shape: tuple[int, int],
    eps: Any,
    zero: Any = Fraction(0),
) -> tuple[list[list[Any]], list[dict[Profile, Any]]]:
    """Transition matrix and realised-profile distributions of the noisy chain, in the
    arithmetic of ``eps`` and of ``successors`` (numbers, or functions or polynomials
    of a parameter, with ``zero`` their zero)."""
    m, n = shape
    k = len(joint.states)
    T: list[list[Any]] = [[zero] * k for _ in range(k)]
    outcomes: list[dict[Profile, Any]] = []
    for j, (a0, b0) in enumerate(joint.profile):
        if joint.is_pure:
            pa, pb = _tremble(a0, m, eps), _tremble(b0, n, eps)
        else:  # a mixed action: the tremble acts on each realised move
            ra, ca = joint.actions(j)
            pa, pb = _mixed_tremble(ra, m, eps, zero), _mixed_tremble(ca, n, eps, zero)
        dist: dict[Profile, Any] = {}
        for a, b in product(range(m), range(n)):
            if pa[a] * pb[b]:
                dist[(a, b)] = pa[a] * pb[b]
                for t, p in successors(j, a, b):
                    T[j][t] += dist[(a, b)] * p
        outcomes.append(dist)
    return T, outcomes


def detente_share_along(
    joint: JointAutomaton,
    successors: Callable[..., Any],
    shape: tuple[int, int],
    target: Profile,
    noise: Any,
) -> Any:
    """The long-run détente share (as in :func:`noise_metrics`) in the arithmetic of the
    inputs: with the noise or the transition probabilities given as functions of a
    parameter (:class:`~negotiation.repeated.ratfunc.RatFunc`) the share comes back as
    a function, valid wherever the chain's possible transitions stay the same.

    Parameters
    ----------
    joint : JointAutomaton
    successors : callable
        ``successors(j, a, b)`` as :meth:`JointAutomaton.successors` gives it.
    shape : (int, int)
        Move counts.
    target : (int, int)
    noise : Fraction or RatFunc

    Returns
    -------
    Fraction or RatFunc

    Examples
    --------
    Grim trigger under trembles ε ends in the punishment for ever: share 0. Tit-for-tat
    in a 2x2 game spends a quarter of the rounds at each profile (Nowak & Sigmund):

    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> from negotiation.repeated.ratfunc import RatFunc
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> tft = [build_strategy("tit_for_tat", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> j = joint_automaton(*tft)
    >>> detente_share_along(j, j.successors, (2, 2), (0, 0), RatFunc.variable())
    RatFunc(1/4)
    """
    for auto in (joint.row, joint.col):
        auto.require_pure("the détente share along a parameter")
    T, outcomes = _chain(joint, successors, shape, noise)
    limit = _cesaro(_edges(T), T, 0, solve_linear)
    return sum((limit[j] * o.get(target, 0) for j, o in enumerate(outcomes)), Fraction(0))


def noisy_chain(
    game: StageGame, row: Automaton, col: Automaton, noise: Fraction | float
) -> tuple[tuple[Profile, ...], Matrix, Outcomes]:
    """The Markov chain of joint states under trembles, exactly.

    Parameters
    ----------
    game : StageGame
    row, col : Automaton
        The row and the column player's strategies.
    noise : Fraction or float
        Tremble probability in [0, 1); a float is converted exactly (``Fraction(x)``).

    Returns
    -------
    states : tuple of (int, int)
        Joint states (row state, column state), the start state first (those of
        :func:`~negotiation.repeated.joint.joint_automaton`).
    transition : list of list of Fraction
        ``transition[j][k]``: probability of moving from state ``j`` to state ``k``.
    outcomes : list of dict
        ``outcomes[j][(a, b)]``: probability that the realised profile in state ``j`` is
        ``(a, b)`` (profiles of probability 0 are left out).

    Examples
    --------
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> states, T, out = noisy_chain(pd, *grim, Fraction(1, 10))
    >>> states, [str(p) for p in T[0]], str(out[1][(0, 0)])
    (((0, 0), (2, 2), (1, 1)), ['81/100', '9/100', '1/10'], '1/100')
    """
    joint, T, outcomes = _build(game, row, col, _unit(noise, "noise"))
    return joint.states, T, outcomes


def _edges(M: Sequence[Sequence[Number]]) -> list[list[int]]:
    return [[k for k, v in enumerate(row) if v] for row in M]


def _reach(edges: list[list[int]], sources: set[int]) -> set[int]:
    seen, stack = set(sources), list(sources)
    while stack:
        for k in edges[stack.pop()]:
            if k not in seen:
                seen.add(k)
                stack.append(k)
    return seen


def _leads_to(edges: list[list[int]], goal: set[int]) -> set[int]:
    """States from which some path (possibly empty) reaches ``goal``."""
    back: list[list[int]] = [[] for _ in edges]
    for j, out in enumerate(edges):
        for k in out:
            back[k].append(j)
    return _reach(back, goal)


def _solve_exact(M: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Solve ``M x = rhs`` over the rationals (python-flint)."""
    n = len(rhs)
    A = flint.fmpq_mat(n, n, [flint.fmpq(v.numerator, v.denominator) for r in M for v in r])
    b = flint.fmpq_mat(n, 1, [flint.fmpq(v.numerator, v.denominator) for v in rhs])
    try:
        x = A.solve(b)
    except ZeroDivisionError:  # pragma: no cover - the systems here are regular
        raise GameError("internal error: singular Markov-chain system") from None
    return [Fraction(int(v.p), int(v.q)) for v in x.entries()]


def _solve_float(M: list[list[float]], rhs: list[float]) -> list[float]:
    return [float(v) for v in np.linalg.solve(np.array(M, dtype=float), np.array(rhs))]


def _cesaro(
    edges: list[list[int]],
    T: list[list[N]],
    start: int,
    solve: Callable[[list[list[N]], list[N]], list[N]],
) -> list[N]:
    """Cesàro limit ``lim (1/t) Σ_{s<t} e_start T^s``: absorption probability into each
    closed class times that class's stationary distribution (Kemeny & Snell 1960,
    chapters III-V)."""
    zero = T[start][start] * 0
    reach = {j: _reach(edges, {j}) for j in _reach(edges, {start})}
    recurrent = {j for j, r in reach.items() if all(j in reach[i] for i in r)}
    transient = sorted(set(reach) - recurrent)
    out = [zero] * len(T)
    for C in sorted({tuple(sorted(reach[j])) for j in recurrent}):
        A = [[(1 if r == c else 0) - T[c][r] for c in C] for r in C]  # (I - T_CC)^T
        A[-1] = [zero + 1] * len(C)
        pi = solve(A, [zero] * (len(C) - 1) + [zero + 1])
        if start in recurrent:  # then its own class is the only one reachable
            h = zero + 1
        else:
            A = [[(1 if r == c else 0) - T[r][c] for c in transient] for r in transient]
            b = [sum((T[r][c] for c in C), zero) for r in transient]
            h = solve(A, b)[transient.index(start)]
        for c, p in zip(C, pi):
            out[c] = h * p
    return out


def long_run_distribution(
    transition: Sequence[Sequence[Number]], start: int = 0
) -> list[Fraction] | list[float]:
    """Long-run average distribution of a finite Markov chain started in ``start``.

    The Cesàro limit ``lim_t (1/t) Σ_{s<t} P(X_s = k)``, which exists for every finite
    chain (periodic or not): the probability of absorption into each closed class times
    the class's stationary distribution (Kemeny & Snell 1960, chapters III-V).

    Parameters
    ----------
    transition : square matrix of Fraction (exact) or float (numpy)
    start : int

    Returns
    -------
    list of Fraction or float

    Examples
    --------
    >>> F = Fraction
    >>> T = [[F(0), F(1, 2), F(1, 2)], [F(0), F(1), F(0)], [F(0), F(1, 3), F(2, 3)]]
    >>> [str(p) for p in long_run_distribution(T)]
    ['0', '1', '0']
    >>> long_run_distribution([[0.0, 1.0], [1.0, 0.0]])
    [0.5, 0.5]
    """
    k = len(transition)
    if any(len(r) != k for r in transition) or not 0 <= start < k:
        raise GameError("the transition matrix must be square and contain the start state")
    if all(isinstance(v, Rational) for r in transition for v in r):
        exact = _stochastic([[_rational(v) for v in r] for r in transition])
        return _cesaro(_edges(exact), exact, start, _solve_exact)
    floats = _stochastic([[float(v) for v in r] for r in transition])
    return _cesaro(_edges(floats), floats, start, _solve_float)


def _stochastic(M: list[list[N]]) -> list[list[N]]:
    if any(v < 0 for r in M for v in r) or any(abs(float(sum(r)) - 1) > 1e-9 for r in M):
        raise GameError("every row of the transition matrix must be a probability vector")
    return M


def _hitting(M: list[list[N]], X: list[int], solve: Callable[..., list[N]]) -> dict[int, N]:
    """Expected rounds ``t = 1 + M_XX t`` until leaving ``X``: ``t = N 1`` with the
    fundamental matrix ``N = (I - M_XX)^-1`` (Kemeny & Snell 1960, chapter III)."""
    A = [[(1 if r == c else 0) - M[r][c] for c in X] for r in X]
    return dict(zip(X, solve(A, [M[X[0]][X[0]] * 0 + 1 for _ in X])))


def _metrics(
    T: Matrix,
    S: Matrix,
    q: list[Fraction],
    outcomes: Outcomes,
    payoffs: tuple[Sequence[Sequence[N]], Sequence[Sequence[N]]],
    delta: tuple[Fraction, Fraction],
    conv: Callable[[Fraction], N],
    solve: Callable[[list[list[N]], list[N]], list[N]],
) -> tuple[N, N | None, N | None, tuple[N, N]]:
    """The four metrics. ``S[j][c]`` is the probability of a target round in ``j`` followed
    by state ``c``, ``F = T - S`` the same for non-target rounds. Breakdown is absorption
    out of the sub-chain ``S``; it is certain iff every state reachable from the start
    along ``S`` can reach a state with ``q < 1`` (Kemeny & Snell 1960, chapter III).
    Recovery is the same along ``F`` from the distribution after the first breakdown,
    ``e_start (I - S)^-1 F``."""
    k = len(T)
    F = [[T[j][c] - S[j][c] for c in range(k)] for j in range(k)]
    Tv, Sv, Fv = ([[conv(x) for x in r] for r in M] for M in (T, S, F))
    zero, qv = conv(Fraction(0)), [conv(x) for x in q]
    limit = _cesaro(_edges(T), Tv, 0, solve)
    share = sum((limit[j] * qv[j] for j in range(k)), zero)
    # Breakdown: leave the target-realised sub-chain S (absorbing-chain analysis).
    s_edges, f_edges = _edges(S), _edges(F)
    X = sorted(_reach(s_edges, {0}))
    breakdown = recover = None
    if set(X) <= _leads_to(s_edges, {j for j in range(k) if q[j] != 1}):
        breakdown = _hitting(Sv, X, solve)[0]
        A = [[(1 if r == c else 0) - Sv[c][r] for c in X] for r in X]
        visits = solve(A, [zero + 1 if r == 0 else zero for r in X])
        after = [sum((visits[i] * Fv[j][c] for i, j in enumerate(X)), zero) for c in range(k)]
        support = {c for c in range(k) if any(F[j][c] for j in X)}
        Y = sorted(_reach(f_edges, support))
        if set(Y) <= _leads_to(f_edges, {j for j in range(k) if q[j]}):
            wait = _hitting(Fv, Y, solve)
            recover = sum((after[c] * wait[c] for c in support), zero)
    values = []
    for who, U in enumerate(payoffs):
        # Each player's value is discounted with that player's own factor.
        d = conv(delta[who])
        A = [[(1 if r == c else 0) - d * Tv[r][c] for c in range(k)] for r in range(k)]
        u = [sum((conv(p) * U[a][b] for (a, b), p in o.items()), zero) for o in outcomes]
        values.append(solve(A, [(1 - d) * x for x in u])[0])
    return share, breakdown, recover, (values[0], values[1])


def noise_metrics(
    game: StageGame,
    row: Automaton,
    col: Automaton,
    target: Profile,
    *,
    noise: Fraction | float,
    discount: Fraction | float | tuple[Fraction | float, Fraction | float],
) -> NoiseMetrics:
    """Détente share, time to breakdown and to recovery, and payoffs under trembles.

    Definitions (all from the start state; "target round" = a round whose *realised*
    profile is ``target``):

    * ``detente_share``: the Cesàro limit of the probability that round ``t`` is a target
      round. On an irreducible reachable chain this is the stationary probability of
      the target; with several closed classes it averages each class's stationary share
      with weights the absorption probabilities (Kemeny & Snell 1960).
    * ``rounds_to_breakdown``: expected number of rounds up to and including the first
      non-target round; ``None`` when that round comes with probability < 1 (e.g.
      ``ε = 0`` on a path that stays at the target).
    * ``rounds_to_recover``: starting from the joint-state distribution right after
      the first breakdown round, expected rounds up to and including the next target
      round; ``None`` when breakdown or recovery has probability < 1.
    * ``discounted_payoffs``: ``(1 - δ_i) Σ_t δ_i^t E[u_i(a_t)]`` for both players, each
      with their own factor ``δ_i``.

    Parameters
    ----------
    game : StageGame
    row, col : Automaton
    target : (int, int)
        Détente profile (row move, column move).
    noise : Fraction or float
        Tremble probability ``ε`` in [0, 1).
    discount : Fraction or float, or a pair of them
        Discount factor ``δ`` in [0, 1), or ``(δ_row, δ_col)``.

    Returns
    -------
    NoiseMetrics
        Exact unless ``noise`` or ``discount`` is a float or the game is not exact.

    Examples
    --------
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> m = noise_metrics(pd, *grim, (0, 0), noise=Fraction(1, 10), discount=Fraction(9, 10))
    >>> m.detente_share, m.rounds_to_breakdown, m.rounds_to_recover
    (Fraction(1, 100), Fraction(100, 19), Fraction(100, 1))
    >>> noise_metrics(pd, *grim, (0, 0), noise=0.1, discount=0.9).rounds_to_breakdown
    5.263157894736...
    >>> noise_metrics(pd, *grim, (0, 0), noise=Fraction(0), discount=(0.5, 0.9)).discounted_payoffs
    (3.0, 3.0)
    """
    pair = discount if isinstance(discount, tuple | list) else (discount, discount)
    if len(pair) != 2:
        raise GameError(f"give one discount factor or a pair (row, column), got {discount!r}")
    eps = _unit(noise, "noise")
    delta = (_unit(pair[0], "discount"), _unit(pair[1], "discount"))
    m, n = game.shape
    if len(target) != 2 or not (0 <= target[0] < m and 0 <= target[1] < n):
        raise GameError(f"target {target!r} is not a move profile of a {m}x{n} game")
    joint, T, outcomes = _build(game, row, col, eps)
    k = len(T)
    q = [o.get(target, Fraction(0)) for o in outcomes]
    S = [[Fraction(0)] * k for _ in range(k)]
    for j in range(k):
        if q[j]:
            for c, p in joint.successors(j, *target):
                S[j][c] += q[j] * p
    if (
        game.is_exact
        and isinstance(noise, Rational)
        and all(isinstance(d, Rational) for d in pair)
    ):
        exact = game.require_exact()
        sh, br, rc, v = _metrics(T, S, q, outcomes, exact, delta, Fraction, _solve_exact)
        return NoiseMetrics(eps, sh, br, rc, v, True)
    floats = (game.A.tolist(), game.B.tolist())
    shf, brf, rcf, vf = _metrics(T, S, q, outcomes, floats, delta, float, _solve_float)
    return NoiseMetrics(float(eps), shf, brf, rcf, vf, False)
