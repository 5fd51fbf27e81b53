"""The tremble likelihood of a strategy automaton on an observed history.

The model (see :mod:`negotiation.analysis.fit`): in every round the strategy intends a
move; the intended move is played with probability ``1 - ε`` and each of the player's
``m - 1`` other moves with probability ``ε / (m - 1)``, as ``simulate``'s noise. For a
deterministic automaton only the counts of hits and misses matter; a stochastic one
(generous tit-for-tat) has a hidden state, handled by the forward algorithm over the
stretches where its state is uncertain.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from negotiation.errors import GameError
from negotiation.repeated.automaton import Automaton

__all__ = ["fit_automaton", "log_likelihood", "max_tremble"]

# Per round, the intended move (an int) when it is certain, else its distribution as
# ((move, probability), ...), rounded so that equal predictions compare equal.
Prediction = int | tuple[tuple[int, float], ...]
#: A distribution over automaton states (or moves): ``((index, probability), ...)``.
Dist = tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class Tables:
    """An automaton with float transition probabilities, for fast look-ups."""

    play: tuple[int, ...]
    moves: int
    succ: tuple[tuple[tuple[Dist, ...], ...], ...]


@lru_cache(maxsize=1024)
def _tables(auto: Automaton) -> Tables:
    auto.require_pure("fitting by tremble likelihood")
    succ = tuple(
        tuple(tuple(tuple((t, float(q)) for t, q in cell) for cell in row) for row in rows)
        for rows in auto.next
    )
    return Tables(auto.play, auto.own_moves, succ)


@dataclass(frozen=True)
class Trace:
    """What a strategy does on a history, independently of ε (see :func:`trace_automaton`).

    Rounds in which the automaton's state is certain (given the realised profiles)
    contribute ``hits`` and ``misses``; the others are grouped into runs
    (``segments``: start distribution and profiles) for the forward algorithm. A run
    ends where every possible state moves to the same next-state distribution: the
    likelihood factorises there (generous tit-for-tat's runs are single rounds).
    ``predictions`` has one entry per round.
    """

    tables: Tables
    predictions: tuple[Prediction, ...]
    hits: int
    misses: int
    mismatches: int
    segments: tuple[tuple[Dist, tuple[tuple[int, int], ...]], ...]


def trace_automaton(auto: Automaton, own: Sequence[int], other: Sequence[int]) -> Trace:
    """The ε-free summary of ``auto`` on a history, from which every likelihood follows.

    The caller checks that ``own`` and ``other`` cover the same rounds.
    """
    tab = _tables(auto)
    dist: dict[int, float] = {auto.start: 1.0}
    preds: list[Prediction] = []
    hits = misses = mismatches = 0
    segments: list[tuple[Dist, tuple[tuple[int, int], ...]]] = []
    current: list[tuple[int, int]] | None = None
    start: Dist = ()
    for a, b in zip(own, other):
        if len(dist) == 1:
            (s,) = dist
            if current is not None:
                segments.append((start, tuple(current)))
                current = None
            preds.append(tab.play[s])
            miss = tab.play[s] != a
            hits += not miss
            misses += miss
            mismatches += miss
            dist = dict(tab.succ[s][a][b])
            continue
        if current is None:
            current, start = [], tuple(sorted(dist.items()))
        current.append((a, b))
        intended: dict[int, float] = {}
        for s, p in dist.items():
            intended[tab.play[s]] = intended.get(tab.play[s], 0.0) + p
        preds.append(
            next(iter(intended))
            if len(intended) == 1
            else tuple(sorted((m, round(p, 12)) for m, p in intended.items()))
        )
        mismatches += a not in intended
        common = {tab.succ[s][a][b] for s in dist}
        if len(common) == 1:
            # Every possible state moves to the same distribution: the next state no
            # longer depends on this one, so the likelihood factorises and the run ends
            # here (runs then repeat, and the pooled estimator evaluates each once).
            segments.append((start, tuple(current)))
            current = None
            dist = {t: q for t, q in common.pop() if q > 0}
            continue
        nxt: dict[int, float] = {}
        for s, p in dist.items():
            for t, q in tab.succ[s][a][b]:
                if q > 0:
                    nxt[t] = nxt.get(t, 0.0) + p * q
        dist = {t: p for t, p in nxt.items() if p > 0}
    if current is not None:
        segments.append((start, tuple(current)))
    return Trace(tab, tuple(preds), hits, misses, mismatches, tuple(segments))


def max_tremble(moves: int) -> float:
    """The largest tremble the fit considers for a player with ``moves`` moves.

    At ``ε = (m-1)/m`` every move has probability ``1/m`` whatever the strategy
    intends; a larger ε would make the intended move *less* likely than each other
    move. A player with one move never trembles.

    Parameters
    ----------
    moves : int
        The player's number of moves ``m``.

    Returns
    -------
    float
        ``(m - 1) / m``, or 0 for a single move.

    Examples
    --------
    >>> max_tremble(2), max_tremble(1)
    (0.5, 0.0)
    """
    return (moves - 1) / moves if moves > 1 else 0.0


def _emission(m: int, eps: float) -> tuple[float, float]:
    """(P(intended move played), P(one given other move played)) under tremble ε."""
    if m <= 1:
        return 1.0, 0.0
    return 1.0 - eps, eps / (m - 1)


def _counts_ll(hits: int, misses: int, m: int, eps: float) -> float:
    hit, miss = _emission(m, eps)
    if (misses and miss <= 0) or (hits and hit <= 0):
        return -math.inf
    return (hits * math.log(hit) if hits else 0.0) + (misses * math.log(miss) if misses else 0.0)


def segment_log_likelihood(
    tab: Tables, start: Dist, rounds: Sequence[tuple[int, int]], eps: float
) -> float:
    """Forward algorithm over one run of rounds with an uncertain state."""
    hit, miss = _emission(tab.moves, eps)
    dist = dict(start)
    total = 0.0
    for a, b in rounds:
        c = 0.0
        post: list[tuple[int, float]] = []
        for s, p in dist.items():
            w = p * (hit if tab.play[s] == a else miss)
            if w > 0:
                post.append((s, w))
                c += w
        if c <= 0:
            return -math.inf
        total += math.log(c)
        nxt: dict[int, float] = {}
        for s, w in post:
            for t, q in tab.succ[s][a][b]:
                nxt[t] = nxt.get(t, 0.0) + w / c * q
        dist = nxt
    return total


def _trace_ll(trace: Trace, eps: float) -> float:
    tab = trace.tables
    total = _counts_ll(trace.hits, trace.misses, tab.moves, eps)
    for start, rounds in trace.segments:
        if total == -math.inf:
            break
        total += segment_log_likelihood(tab, start, rounds, eps)
    return total


def log_likelihood(
    auto: Automaton, own: Sequence[int], other: Sequence[int], tremble: float
) -> float:
    """Log-likelihood of a player's moves under a strategy with tremble ``ε``.

    Parameters
    ----------
    auto : Automaton
        The player's strategy.
    own, other : sequence of int
        Realised move indices of the player and of the other player, round by round.
    tremble : float
        ε in ``[0, 1]``, as ``simulate``'s ``noise``: each round the intended move is
        played with probability ``1 - ε``, and each of the player's ``m - 1`` other
        moves with probability ``ε / (m - 1)`` (a player with one move never
        trembles). The fit itself only considers ``ε <= (m-1)/m``
        (:func:`max_tremble`).

    Returns
    -------
    float
        ``sum_t log P(own_t | realised profiles before t)`` (``-inf`` when a move has
        probability 0); the forward algorithm over the automaton's state for
        stochastic strategies.

    Examples
    --------
    Tit-for-tat in a Prisoner's Dilemma (0 = C, 1 = D) intends C, D, C against the
    column player's D, C, C: one mismatch in three rounds.

    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.profiles import strategy_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> tft = strategy_for("tit_for_tat", pd, 0, (0, 0))
    >>> ll = log_likelihood(tft, [0, 0, 0], [1, 0, 0], 0.2)
    >>> round(ll, 6) == round(2 * math.log(0.8) + math.log(0.2), 6)
    True
    """
    if not 0 <= tremble <= 1:
        raise GameError(f"the tremble must be in [0, 1], got {tremble}")
    if len(own) != len(other):
        raise GameError("own and other moves must cover the same rounds")
    return _trace_ll(trace_automaton(auto, own, other), float(tremble))


def fit_automaton(
    auto: Automaton, own: Sequence[int], other: Sequence[int]
) -> tuple[float, float, int]:
    """Maximum-likelihood tremble of one strategy on one player's moves.

    Parameters
    ----------
    auto : Automaton
    own, other : sequence of int
        Realised move indices of the player and of the other player.

    Returns
    -------
    (log_likelihood, tremble, mismatches)
        The tremble ε̂ maximises the likelihood over ``[0, (m-1)/m]``
        (:func:`max_tremble`). For a deterministic automaton ``ε̂ = min(k/T, (m-1)/m)``
        (``k`` mismatches in ``T`` rounds); for a stochastic one a bounded
        one-dimensional maximisation of the forward-algorithm likelihood.

    Examples
    --------
    Grim trigger intends C, C, D, D here: one mismatch in four rounds.

    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.profiles import strategy_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> grim = strategy_for("grim_trigger", pd, 0, (0, 0))
    >>> ll, eps, k = fit_automaton(grim, [0, 1, 1, 1], [0, 1, 1, 1])
    >>> k, eps
    (1, 0.25)
    >>> round(ll, 6) == round(3 * math.log(0.75) + math.log(0.25), 6)
    True
    """
    if len(own) != len(other):
        raise GameError("own and other moves must cover the same rounds")
    return fit_trace(trace_automaton(auto, own, other))


def fit_trace(trace: Trace) -> tuple[float, float, int]:
    """:func:`fit_automaton` on a :class:`Trace`: (log-likelihood, tremble, mismatches)."""
    m, k, rounds = trace.tables.moves, trace.mismatches, len(trace.predictions)
    if rounds == 0 or m == 1:
        return 0.0, 0.0, k
    top = max_tremble(m)
    if not trace.segments:
        eps = min(top, trace.misses / rounds)
        return _counts_ll(trace.hits, trace.misses, m, eps), eps, k
    from scipy.optimize import minimize_scalar

    res = minimize_scalar(
        lambda e: -_trace_ll(trace, float(e)),
        bounds=(0.0, top),
        method="bounded",
        options={"xatol": 1e-10},
    )
    best_eps, best_ll = float(res.x), -float(res.fun)
    for edge in (0.0, top):
        ll = _trace_ll(trace, edge)
        if ll > best_ll:
            best_eps, best_ll = edge, ll
    return best_ll, best_eps, k
