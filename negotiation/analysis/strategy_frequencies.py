"""Strategy-frequency estimation over many histories (Dal Bó & Fréchette 2011).

Each history is played by one candidate strategy ``k``, drawn with probability ``φ_k``,
trembling with a common ``ε`` (the model of :mod:`negotiation.analysis.fit`);
:func:`estimate_frequencies` maximises ``Π_i Σ_k φ_k L_ik(ε)`` by EM (Dempster, Laird &
Rubin 1977) and classifies each history by its posterior.

References
----------
Dal Bó, P. & Fréchette, G. R. (2011). The evolution of cooperation in infinitely
repeated games: experimental evidence. *American Economic Review* 101(1), 411-429.
Dempster, A. P., Laird, N. M. & Rubin, D. B. (1977). Maximum likelihood from incomplete
data via the EM algorithm. *Journal of the Royal Statistical Society B* 39(1), 1-38.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from negotiation.analysis.tremble_likelihood import (
    Dist,
    Prediction,
    Tables,
    max_tremble,
    segment_log_likelihood,
    trace_automaton,
)
from negotiation.errors import GameError
from negotiation.records import TabularResult, short_repr
from negotiation.repeated.automaton import Automaton

__all__ = ["LIKELIHOOD_TIE", "HistoryPosterior", "StrategyFrequencies", "estimate_frequencies"]

#: Log-likelihoods of one history this close count as tied.
LIKELIHOOD_TIE = 1e-9


@dataclass(frozen=True)
class HistoryPosterior:
    """The posterior classification of one pooled history.

    Attributes
    ----------
    index : int
        Position of the history in the input.
    strategy : str
        The candidate with the largest posterior probability (the first name of its
        class in :attr:`StrategyFrequencies.classes`; the first such class on an exact
        tie).
    posterior : float
        Its posterior probability ``φ_k L_ik(ε̂) / Σ_j φ_j L_ij(ε̂)``.
    same_as : tuple of str
        The other candidates that intend the same move (distribution) in every round of
        this history: their likelihoods coincide here and only the frequencies tell
        them apart (this includes the rest of the strategy's class).
    tied : tuple of str
        The candidates that predict differently somewhere in this history but make it
        exactly as likely at ``ε̂`` (within :data:`LIKELIHOOD_TIE` log-likelihood units,
        e.g. with their mismatches in different rounds): the history cannot tell them
        from the best one either, only the frequencies do.
    posteriors : tuple of float
        The posterior probability of each class, in the order of
        :attr:`StrategyFrequencies.classes`.
    """

    index: int
    strategy: str
    posterior: float
    same_as: tuple[str, ...]
    tied: tuple[str, ...]
    posteriors: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "index": self.index,
            "strategy": self.strategy,
            "posterior": self.posterior,
            "same_as": list(self.same_as),
            "tied": list(self.tied),
            "posteriors": list(self.posteriors),
        }


@dataclass(frozen=True)
class StrategyFrequencies(TabularResult):
    """Population frequencies of candidate strategies and a common tremble.

    Examples
    --------
    Two histories against an always-cooperating opponent: one player always defects,
    one always cooperates (the full story is in :func:`estimate_frequencies`):

    >>> from negotiation.analysis.fit import candidate_automata
    >>> from negotiation.games.stage_game import StageGame
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> autos, _ = candidate_automata(pd, 0, (0, 0), ["always_D", "always_C"])
    >>> est = estimate_frequencies(autos, [([1, 1, 1], [0, 0, 0]), ([0, 0, 0], [0, 0, 0])])
    >>> est.classes, [round(f, 2) for f in est.frequencies]
    ((('always_D',), ('always_C',)), [0.5, 0.5])

    The maximum-likelihood estimates of :func:`estimate_frequencies` (the
    strategy-frequency estimation method of Dal Bó & Fréchette 2011).

    Attributes
    ----------
    classes : tuple of tuple of str
        The candidates, grouped: the members of a class intend the same move
        (distribution) in every round of every history, so the data identify only their
        joint frequency. In the order of the candidates' first members.
    frequencies : tuple of float
        The estimated frequency ``φ`` of each class; they sum to 1.
    tremble : float
        The common tremble ``ε̂`` in ``[0, (m-1)/m]`` (:func:`max_tremble`).
    log_likelihood : float
        The maximised ``Σ_i log Σ_k φ_k L_ik(ε)`` (natural log).
    iterations : int
        EM iterations run.
    converged : bool
        Whether the stopping rule was met before ``max_iter`` iterations.
    histories : tuple of HistoryPosterior
        Each history's posterior classification, in input order.
    path : tuple of float
        The log-likelihood at the start and after each iteration; EM never lowers it.
    rounds : int
        Observed rounds over all histories.
    """

    __repr__ = short_repr

    _rows_key = "classes"
    _keep = ("tremble", "log_likelihood")

    classes: tuple[tuple[str, ...], ...]
    frequencies: tuple[float, ...]
    tremble: float
    log_likelihood: float
    iterations: int
    converged: bool
    histories: tuple[HistoryPosterior, ...]
    path: tuple[float, ...]
    rounds: int

    def class_of(self, strategy: str) -> tuple[str, ...]:
        """The class of a candidate: the candidates identified jointly with it."""
        for members in self.classes:
            if strategy in members:
                return members
        raise KeyError(strategy)

    def frequency(self, strategy: str) -> float:
        """The estimated frequency of a candidate's class (see :meth:`class_of`)."""
        return self.frequencies[self.classes.index(self.class_of(strategy))]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "classes": [
                {"strategies": list(c), "frequency": f}
                for c, f in zip(self.classes, self.frequencies)
            ],
            "tremble": self.tremble,
            "log_likelihood": self.log_likelihood,
            "iterations": self.iterations,
            "converged": self.converged,
            "rounds": self.rounds,
            "histories": [h.to_dict() for h in self.histories],
            "path": list(self.path),
        }


# A run of rounds with an uncertain automaton state: (tables, start distribution, profiles).
_Unit = tuple[Tables, Dist, tuple[tuple[int, int], ...]]


@dataclass(frozen=True)
class _Pool:
    """What every candidate does on every history, independently of ε.

    ``hits``, ``misses`` and ``mismatches`` are (histories x candidates) counts; hits and
    misses cover the rounds in which the automaton's state is certain. The rounds with
    an uncertain state are the distinct runs ``units``: history ``rows[e]`` under
    candidate ``cols[e]`` goes through unit ``ids[e]`` ``counts[e]`` times.
    """

    names: tuple[str, ...]
    moves: np.ndarray  # (N,) the player's number of moves in each history
    rounds: np.ndarray  # (N,)
    hits: np.ndarray  # (N, K)
    misses: np.ndarray  # (N, K)
    mismatches: np.ndarray  # (N, K)
    units: tuple[_Unit, ...]
    rows: np.ndarray
    cols: np.ndarray
    ids: np.ndarray
    counts: np.ndarray
    predictions: tuple[tuple[tuple[Prediction, ...], ...], ...]  # [history][candidate]

    @property
    def cap(self) -> float:
        """The largest common tremble: ``(m-1)/m`` of the fewest moves that can tremble."""
        movable = self.moves[self.moves > 1]
        return max_tremble(int(movable.min())) if movable.size else 0.0


def _candidate_lists(
    candidates: Mapping[str, Automaton] | Sequence[Mapping[str, Automaton]], n: int
) -> tuple[tuple[str, ...], list[Mapping[str, Automaton]]]:
    """The candidate names and each history's candidate automata."""
    if isinstance(candidates, Mapping):
        per_history = [candidates] * n
    else:
        per_history = list(candidates)
        if len(per_history) != n:
            raise GameError(
                f"{len(per_history)} candidate sets for {n} histories: give one set, or one "
                "per history"
            )
    if not per_history[0]:
        raise GameError("no candidate strategies to fit")
    names = tuple(per_history[0])
    for i, autos in enumerate(per_history):
        if set(autos) != set(names):
            raise GameError(f"history {i}: its candidates must have the same names as the first's")
    return names, per_history


def _history_moves(autos: Sequence[Automaton], own: Sequence[int], other: Sequence[int]) -> int:
    """The player's number of moves, after checking the history against the automata."""
    if len(own) != len(other):
        raise GameError("own and other moves must cover the same rounds")
    shapes = {(a.own_moves, a.other_moves) for a in autos}
    if len(shapes) != 1:
        raise GameError("the candidates of one history must be built for the same game")
    ((m, n),) = shapes
    if any(not 0 <= a < m for a in own) or any(not 0 <= b < n for b in other):
        raise GameError(f"moves must be indices below {m} (own) and {n} (other)")
    return m


def _pool(
    names: tuple[str, ...],
    per_history: Sequence[Mapping[str, Automaton]],
    histories: Sequence[tuple[Sequence[int], Sequence[int]]],
) -> _Pool:
    """Trace every candidate on every history, sharing the uncertain runs between them."""
    n = len(histories)
    counts = np.zeros((3, n, len(names)))  # hits, misses, mismatches
    moves = np.zeros(n, dtype=int)
    rounds = np.zeros(n, dtype=int)
    unit_index: dict[tuple[int, Dist, tuple[tuple[int, int], ...]], int] = {}
    units: list[_Unit] = []
    visits: dict[tuple[int, int, int], int] = {}
    predictions: list[tuple[tuple[Prediction, ...], ...]] = []
    for i, ((own_moves, other_moves), autos) in enumerate(zip(histories, per_history)):
        own, other = [int(a) for a in own_moves], [int(b) for b in other_moves]
        moves[i] = _history_moves([autos[name] for name in names], own, other)
        rounds[i] = len(own)
        row = []
        for j, name in enumerate(names):
            trace = trace_automaton(autos[name], own, other)
            counts[:, i, j] = trace.hits, trace.misses, trace.mismatches
            row.append(trace.predictions)
            tab = trace.tables
            for start, run in trace.segments:
                u = unit_index.setdefault((id(tab), start, run), len(units))
                if u == len(units):
                    units.append((tab, start, run))
                visits[i, j, u] = visits.get((i, j, u), 0) + 1
        predictions.append(tuple(row))
    keys = np.array(list(visits), dtype=int).reshape(-1, 3)
    return _Pool(
        names,
        moves,
        rounds,
        hits=counts[0],
        misses=counts[1],
        mismatches=counts[2],
        units=tuple(units),
        rows=keys[:, 0],
        cols=keys[:, 1],
        ids=keys[:, 2],
        counts=np.array(list(visits.values()), dtype=float),
        predictions=tuple(predictions),
    )


def _pool_ll(pool: _Pool, eps: float) -> np.ndarray:
    """(histories x candidates) log-likelihoods at the common tremble ε."""
    m = pool.moves
    with np.errstate(divide="ignore", invalid="ignore"):
        log_hit = np.where(m > 1, math.log1p(-eps), 0.0)
        log_miss = np.where(m > 1, np.log(eps / np.maximum(m - 1, 1)), -math.inf)
        ll = pool.hits * log_hit[:, None]
        ll += np.where(pool.misses > 0, pool.misses * log_miss[:, None], 0.0)
    if pool.units:
        runs = np.array(
            [segment_log_likelihood(tab, start, run, eps) for tab, start, run in pool.units]
        )
        np.add.at(ll, (pool.rows, pool.cols), pool.counts * runs[pool.ids])
    return ll


def _classes(pool: _Pool) -> list[list[int]]:
    """Group the candidates that are identical on every history.

    Same intended move (distribution) in every round of every history, and, since
    stochastic automata with equal per-round predictions may still differ in how their
    hidden states hang together, the same log-likelihoods at two probe trembles.
    """
    probes = [_pool_ll(pool, e * pool.cap) for e in (0.1, 0.6)]

    def same(j: int, k: int) -> bool:
        return all(np.allclose(p[:, j], p[:, k], rtol=1e-10, atol=1e-12) for p in probes)

    by_predictions: dict[tuple[tuple[Prediction, ...], ...], list[int]] = {}
    for j in range(len(pool.names)):
        by_predictions.setdefault(tuple(row[j] for row in pool.predictions), []).append(j)
    classes: list[list[int]] = []
    for group in by_predictions.values():
        split: list[list[int]] = []
        for j in group:
            found = next((c for c in split if same(c[0], j)), None)
            if found is None:
                split.append([j])
            else:
                found.append(j)
        classes += split
    return sorted(classes)


def _start_tremble(pool: _Pool) -> float:
    """Starting ε: the share of rounds that each history's best candidate cannot explain
    (at least 0.01, so that no candidate starts impossible)."""
    movable = pool.moves > 1
    total = int(pool.rounds[movable].sum())
    if not total:
        return 0.0
    guess = float(pool.mismatches[movable].min(axis=1).sum()) / total
    return min(pool.cap, max(guess, 0.01))


def _posteriors(ll: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, float]:
    """E-step: each history's posterior over the classes, and the log-likelihood."""
    with np.errstate(divide="ignore", invalid="ignore"):
        joint = np.where(phi > 0, ll + np.log(phi), -math.inf)
    top = joint.max(axis=1, keepdims=True)
    if not np.all(np.isfinite(top)):
        raise GameError("a history has probability 0 under every candidate with ε = 0")
    weights = np.exp(joint - top)
    sums = weights.sum(axis=1, keepdims=True)
    return weights / sums, float(np.sum(top[:, 0] + np.log(sums[:, 0])))


def _weighted_counts(pool: _Pool, weights: np.ndarray) -> tuple[float, float, float]:
    """Posterior-weighted hits and misses of the players who can tremble, and the
    constant ``Σ w · misses · log(m - 1)`` of the expected log-likelihood."""
    movable = (pool.moves > 1)[:, None]
    hits = float(np.sum(weights * pool.hits * movable))
    misses = float(np.sum(weights * pool.misses))
    offset = float(np.sum(weights * pool.misses * np.log(np.maximum(pool.moves - 1, 1))[:, None]))
    return hits, misses, offset


def _expected_ll(pool: _Pool, weights: np.ndarray) -> Callable[[float], float]:
    """Q(ε) = Σ_ik w_ik log L_ik(ε), the M-step objective, as a function of ε.

    ``weights`` are (histories x candidates); the counts are summed once, so each
    evaluation costs one forward pass per distinct uncertain run."""
    hits, misses, offset = _weighted_counts(pool, weights)
    unit_weight = np.bincount(
        pool.ids, weights=weights[pool.rows, pool.cols] * pool.counts, minlength=len(pool.units)
    )
    used = [(pool.units[u], float(unit_weight[u])) for u in np.flatnonzero(unit_weight > 0)]

    def expected(eps: float) -> float:
        if misses > 0 and eps <= 0:
            return -math.inf
        total = hits * math.log1p(-eps) + (misses * math.log(eps) if misses else 0.0) - offset
        for (tab, start, run), w in used:
            if total == -math.inf:
                break
            total += w * segment_log_likelihood(tab, start, run, eps)
        return total

    return expected


def _update_tremble(pool: _Pool, weights: np.ndarray, eps: float) -> float:
    """M-step for ε: the maximiser of Q(ε) on [0, cap], never worse than the current ε.

    Without uncertain runs Q is ``H log(1-ε) + X log ε + const``, maximised at
    ``X / (H + X)`` (capped); otherwise a bounded Brent search plus both end points."""
    cap = pool.cap
    if cap == 0:
        return 0.0
    if not pool.units:
        hits, misses, _ = _weighted_counts(pool, weights)
        return min(cap, misses / (hits + misses)) if hits + misses > 0 else eps
    from scipy.optimize import minimize_scalar

    q = _expected_ll(pool, weights)
    res = minimize_scalar(
        lambda e: -q(float(e)), bounds=(0.0, cap), method="bounded", options={"xatol": 1e-12}
    )
    return max((eps, float(res.x), 0.0, cap), key=q)


@dataclass(frozen=True)
class _EM:
    phi: np.ndarray
    tremble: float
    ll: np.ndarray  # (histories x candidates) log-likelihoods at the final tremble
    weights: np.ndarray  # (histories x classes) posteriors
    path: tuple[float, ...]
    converged: bool


def _em(pool: _Pool, classes: list[list[int]], tol: float, xtol: float, max_iter: int) -> _EM:
    """EM for the class frequencies and the common tremble, from equal frequencies."""
    firsts = [c[0] for c in classes]
    phi = np.full(len(classes), 1.0 / len(classes))
    eps = _start_tremble(pool)
    ll = _pool_ll(pool, eps)
    weights, total = _posteriors(ll[:, firsts], phi)
    path = [total]
    converged = False
    while len(path) <= max_iter and not converged:
        spread = np.zeros_like(ll)  # each class's posterior on its first member
        spread[:, firsts] = weights
        new_phi, new_eps = weights.mean(axis=0), _update_tremble(pool, spread, eps)
        ll = _pool_ll(pool, new_eps)
        weights, new = _posteriors(ll[:, firsts], new_phi)
        step = max(float(np.max(np.abs(new_phi - phi))), abs(new_eps - eps))
        converged = new - path[-1] < tol and step <= xtol
        phi, eps = new_phi, new_eps
        path.append(new)
    return _EM(phi, eps, ll, weights, tuple(path), converged)


def _classify(pool: _Pool, classes: list[list[int]], em: _EM) -> tuple[HistoryPosterior, ...]:
    """Each history's largest posterior, with the candidates it cannot tell from it."""
    names = pool.names
    out = []
    for i, post in enumerate(em.weights):
        best = int(post.argmax())
        first = classes[best][0]
        preds, ll = pool.predictions[i], em.ll[i]
        same = [j for j in range(len(names)) if j != first and preds[j] == preds[first]]
        tied = [
            j
            for j in range(len(names))
            if j != first and j not in same and abs(ll[j] - ll[first]) <= LIKELIHOOD_TIE
        ]
        out.append(
            HistoryPosterior(
                index=i,
                strategy=names[first],
                posterior=float(post[best]),
                same_as=tuple(names[j] for j in same),
                tied=tuple(names[j] for j in tied),
                posteriors=tuple(float(p) for p in post),
            )
        )
    return tuple(out)


def estimate_frequencies(
    candidates: Mapping[str, Automaton] | Sequence[Mapping[str, Automaton]],
    histories: Sequence[tuple[Sequence[int], Sequence[int]]],
    *,
    tol: float = 1e-10,
    xtol: float = math.inf,
    max_iter: int = 10_000,
) -> StrategyFrequencies:
    """Estimate the population frequencies of candidate strategies from many histories.

    The strategy-frequency estimation method (SFEM) of Dal Bó & Fréchette (2011): each
    history (a subject, a simulated player, one side of a country pair) is played by one
    candidate strategy ``k``, drawn with probability ``φ_k``, which trembles with a common
    probability ``ε`` as in :func:`log_likelihood`. The estimates maximise

        L(φ, ε) = Π_i Σ_k φ_k Π_t P(o_it | k, ε)

    by EM: the E-step computes each history's posterior over the strategies, the M-step
    sets ``φ`` to the mean posterior and ``ε`` to the maximiser of the expected
    log-likelihood ``Σ_ik w_ik log L_ik(ε)`` (in closed form, weighted mismatches over
    weighted rounds, when every candidate is deterministic; a bounded one-dimensional
    search otherwise), capped at :func:`max_tremble`. Candidates that intend the same
    moves in every round of every history are not separately identified: they form one
    class with one frequency. Each history is then classified by its largest posterior.

    Parameters
    ----------
    candidates : mapping of str to Automaton, or a sequence of them
        The candidate strategies, e.g. from :func:`candidate_automata`; or one mapping per
        history, with the same names, when the histories are played by different
        players of a game (a name then means the same rule built for each one's role).
    histories : sequence of (own, other)
        Each player's realised move indices and the other player's, round by round.
    tol : float
        Converged when an iteration raises the log-likelihood by less than ``tol``
        and changes no frequency and not ε by more than ``xtol``. Where EM is slow (a
        frequency tending to 0, near-twins sharing weight) the gain rule alone leaves
        the parameters accurate to about ``sqrt(tol)``; a finite ``xtol`` tightens it.
    xtol : float
        See ``tol``; the default puts no condition on the parameters.
    max_iter : int
        Stop after this many iterations (``converged`` is then false).

    Returns
    -------
    StrategyFrequencies

    Raises
    ------
    GameError
        No history or no candidate, candidate sets with different names, moves out of
        range, or own and other moves of different lengths.

    Examples
    --------
    Twenty simulated tit-for-tat players and ten always-defect players, each against an
    always-cooperate opponent that trembles too (noise 0.1):

    >>> from collections import Counter
    >>> from negotiation.analysis.fit import candidate_automata
    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.profiles import strategy_for
    >>> from negotiation.repeated.simulate import simulate
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> autos, _ = candidate_automata(pd, 0, (0, 0), ["tit_for_tat", "always_D", "always_C"])
    >>> allc = strategy_for("always_C", pd, 1, (0, 0))
    >>> histories = []
    >>> for name, runs in (("tit_for_tat", 20), ("always_D", 10)):
    ...     sim = simulate(pd, autos[name], allc, rounds=50, runs=runs, noise=0.1, seed=3)
    ...     histories += zip(sim.row_moves.tolist(), sim.col_moves.tolist())
    >>> est = estimate_frequencies(autos, histories)
    >>> [(c, round(f, 2)) for c, f in zip(est.classes, est.frequencies)]
    [(('tit_for_tat',), 0.67), (('always_D',), 0.33), (('always_C',), 0.0)]
    >>> round(est.tremble, 3), est.converged
    (0.112, True)
    >>> Counter(h.strategy for h in est.histories)
    Counter({'tit_for_tat': 20, 'always_D': 10})
    """
    if not histories:
        raise GameError("no histories to estimate strategy frequencies from")
    names, per_history = _candidate_lists(candidates, len(histories))
    pool = _pool(names, per_history, histories)
    classes = _classes(pool)
    em = _em(pool, classes, tol, xtol, max_iter)
    return StrategyFrequencies(
        classes=tuple(tuple(names[j] for j in c) for c in classes),
        frequencies=tuple(float(p) for p in em.phi),
        tremble=em.tremble,
        log_likelihood=em.path[-1],
        iterations=len(em.path) - 1,
        converged=em.converged,
        histories=_classify(pool, classes, em),
        path=em.path,
        rounds=int(pool.rounds.sum()),
    )
