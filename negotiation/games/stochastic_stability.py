"""Stochastically stable states of best-response dynamics with mistakes, exactly.

Model (Kandori, Mailath & Rob 1993; Young 1993; the one-agent-at-a-time revision of
Kandori & Rob 1995 and Sandholm 2010, ch. 12). A finite population plays the stage
game:

* a *symmetric* game (``B`` is ``A`` transposed and both players have the same moves)
  is played by one population of ``N`` agents, each matched against the other
  ``N - 1`` (Kandori, Mailath & Rob's single population); the state is how many
  agents play each move;
* any other game by two populations of ``N`` agents each (row and column players), each
  agent matched against the other population; the state is the pair of counts.

In each period one agent is drawn at random (in two populations: a population with
probability 1/2, then an agent of it). With probability ``1 - ε`` it switches to a best
reply to the current state (ties broken uniformly among the best replies), with
probability ``ε`` it makes a *mistake* and picks a move uniformly at random. For
``ε > 0`` the chain is irreducible, with a unique stationary distribution
``μ_ε``.

Computed here, exactly:

* the recurrent classes of the mistake-free chain (``ε = 0``): its closed
  communicating classes; a strict equilibrium gives an absorbing monomorphic state;
* the *resistance* of a move: 0 for a switch to a best reply, 1 for a mistake (its
  probability is of order ``ε``); the resistance between two classes is the least total
  resistance of a path from one to the other (a 0-1 shortest path);
* each class's *stochastic potential*: the least total resistance of a tree of classes
  directed to it (Young 1993, Theorem 4), found with the Chu-Liu/Edmonds minimum
  arborescence algorithm (Edmonds 1967);
* the *stochastically stable* classes: those of minimum potential, the support of
  ``lim_{ε→0} μ_ε`` (Young 1993; Kandori, Mailath & Rob 1993);
* for a given rational ``ε``, the exact stationary distribution ``μ_ε`` (a linear
  system over the rationals, python-flint), and the mass it puts on each class.

References: Kandori, M., Mailath, G. J. & Rob, R. (1993), "Learning, mutation, and long
run equilibria in games", *Econometrica* 61(1), 29-56. Young, H. P. (1993), "The
evolution of conventions", *Econometrica* 61(1), 57-84. Kandori, M. & Rob, R. (1995),
"Evolution of equilibria in the long run: a general theory and applications", *J. Econ.
Theory* 65, 383-414. Edmonds, J. (1967), "Optimum branchings", *J. Res. Nat. Bur.
Standards* 71B, 233-240. Sandholm, W. H. (2010), *Population Games and Evolutionary
Dynamics*, MIT Press.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from math import comb
from numbers import Integral, Rational
from typing import Any

import flint

from negotiation.errors import GameError
from negotiation.games.equilibrium import number_out
from negotiation.games.stage_game import StageGame, require_game
from negotiation.limits import MAX_CHAIN_STATES, MAX_EXACT_CHAIN_STATES, MAX_POPULATION

__all__ = [
    "RecurrentClass",
    "StochasticStability",
    "is_symmetric",
    "min_in_tree_cost",
    "stochastic_stability",
]

State = tuple[tuple[int, ...], ...]


def is_symmetric(game: StageGame) -> bool:
    """Whether one population can play the game: square, same move labels, ``B = A^T``.

    Examples
    --------
    >>> is_symmetric(StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]]))
    True
    >>> is_symmetric(StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 0], [3, 3]]))
    False
    """
    require_game(game, "is_symmetric")
    m, n = game.shape
    if m != n or game.row_moves != game.col_moves:
        return False
    if game.is_exact:
        A, B = game.require_exact()
        return all(A[i][j] == B[j][i] for i in range(m) for j in range(n))
    return bool((game.A == game.B.T).all())


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every tuple of ``parts`` non-negative integers summing to ``total``."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total, -1, -1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def min_in_tree_cost(weights: Sequence[Sequence[int]], root: int) -> int:
    """Least total weight of a spanning tree directed to ``root`` (Chu-Liu/Edmonds).

    Every node but the root has exactly one outgoing edge ``x -> y`` of weight
    ``weights[x][y]``, and following them from any node reaches the root. The graph
    is complete (diagonal entries are ignored).

    Examples
    --------
    >>> min_in_tree_cost([[0, 1, 5], [4, 0, 1], [2, 3, 0]], 0)
    3
    >>> min_in_tree_cost([[0]], 0)
    0
    """
    nodes = list(range(len(weights)))
    w = {(x, y): int(weights[x][y]) for x in nodes for y in nodes if x != y}
    return _edmonds(set(nodes), w, root)


def _edmonds(nodes: set[int], w: dict[tuple[int, int], int], root: int) -> int:
    best: dict[int, int] = {}
    for x in nodes - {root}:
        best[x] = min((y for y in nodes if y != x), key=lambda y: (w[(x, y)], y))
    cycle: list[int] | None = None
    for start in best:  # a cycle of the functional graph x -> best[x], if any
        seen: list[int] = []
        x = start
        while x in best and x not in seen:
            seen.append(x)
            x = best[x]
        if x in seen:
            cycle = seen[seen.index(x) :]
            break
    if cycle is None:
        return sum(w[(x, best[x])] for x in best)
    C = set(cycle)
    c = max(nodes) + 1
    rest = nodes - C
    w2 = {(x, y): v for (x, y), v in w.items() if x in rest and y in rest}
    for x in rest:
        w2[(x, c)] = min(w[(x, y)] for y in C)
    for y in rest:
        w2[(c, y)] = min(w[(x, y)] - w[(x, best[x])] for x in C)
    inside = sum(w[(x, best[x])] for x in C)
    return inside + _edmonds(rest | {c}, w2, root)


@dataclass(frozen=True)
class RecurrentClass:
    """A recurrent class of the mistake-free dynamics.

    Attributes
    ----------
    states : tuple of state
        Its population states; a state is a tuple of per-population move counts.
    profile : (int, int) or None
        The pure profile every agent plays when the class is one monomorphic state.
    label : str
        ``"(hold, hold)"`` for a monomorphic class, else a short description.
    potential : int
        Its stochastic potential (least resistance of a tree directed to it).
    mass : Fraction or None
        Stationary probability of the class at the given mistake rate.
    """

    states: tuple[State, ...]
    profile: tuple[int, int] | None
    label: str
    potential: int
    mass: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> RecurrentClass((((3, 0),),), (0, 0), "(S, S)", 2, None).to_dict()["states"]
        [[[3, 0]]]
        """
        return {
            "label": self.label,
            "profile": None if self.profile is None else list(self.profile),
            "states": [[list(p) for p in s] for s in self.states],
            "potential": self.potential,
            "mass": None if self.mass is None else number_out(self.mass),
        }


@dataclass(frozen=True)
class StochasticStability:
    """The long run of best-response dynamics with rare mistakes (see
    :func:`stochastic_stability`).

    Attributes
    ----------
    population : int
        Agents per population.
    single_population : bool
    states : int
        Number of population states.
    classes : tuple of RecurrentClass
        Recurrent classes of the mistake-free dynamics.
    resistance : tuple of tuple of int
        ``resistance[i][j]``: least resistance from class ``i`` to class ``j``.
    stable : tuple of int
        Indices of the stochastically stable classes (minimum potential).
    mistake_rate : Fraction or None
        The ``ε`` of :attr:`RecurrentClass.mass` (``None``: not computed).
    """

    population: int
    single_population: bool
    states: int
    classes: tuple[RecurrentClass, ...]
    resistance: tuple[tuple[int, ...], ...]
    stable: tuple[int, ...]
    mistake_rate: Fraction | None

    @property
    def stable_profiles(self) -> tuple[tuple[int, int] | None, ...]:
        """The profiles of the stochastically stable classes (``None`` for a cycle)."""
        return tuple(self.classes[k].profile for k in self.stable)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]],
        ...                               row_moves=["S", "H"], col_moves=["S", "H"])
        >>> stochastic_stability(stag, 8).to_dict()["stable"]
        ['(H, H)']
        """
        return {
            "population": self.population,
            "single_population": self.single_population,
            "states": self.states,
            "mistake_rate": None if self.mistake_rate is None else number_out(self.mistake_rate),
            "classes": [c.to_dict() for c in self.classes],
            "resistance": [list(r) for r in self.resistance],
            "stable": [self.classes[k].label for k in self.stable],
        }


def state_count(game: StageGame, population: int) -> int:
    """Number of population states of the dynamics on ``game`` (see the module notes).

    Examples
    --------
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> state_count(stag, 10), state_count(StageGame.from_payoffs([[1, 0]], [[0, 1]]), 10)
    (11, 11)
    """
    m, n = game.shape
    if is_symmetric(game):
        return comb(population + m - 1, m - 1)
    return comb(population + m - 1, m - 1) * comb(population + n - 1, n - 1)


class _Dynamics:
    """The chain's moves: for each state, ``(next state, probability of the agent and
    its choice as (best-reply weight, mistake weight), resistance)``."""

    def __init__(self, game: StageGame, population: int) -> None:
        A, B = game.require_exact() if game.is_exact else (game.A.tolist(), game.B.tolist())
        self.A, self.B = A, B
        self.m, self.n = game.shape
        self.N = population
        self.single = is_symmetric(game)
        if self.single:
            self.states: list[State] = [(c,) for c in _compositions(population, self.m)]
        else:
            self.states = [
                (c, d)
                for c, d in product(
                    _compositions(population, self.m), _compositions(population, self.n)
                )
            ]
        self.index = {s: k for k, s in enumerate(self.states)}

    def _best(self, values: list[Any]) -> list[int]:
        top = max(values)
        return [k for k, v in enumerate(values) if v == top]

    def moves(self, k: int) -> list[tuple[int, Fraction, int, int]]:
        """``(target, weight of choosing this agent, best replies count or 0, moves)``:
        the agent switching ``i -> j`` is a best reply when the count is positive."""
        s = self.states[k]
        out: list[tuple[int, Fraction, int, int]] = []
        if self.single:
            (c,) = s
            for i in range(self.m):
                if not c[i]:
                    continue
                others = [c[k] - (k == i) for k in range(self.m)]
                values = [
                    sum(self.A[a][k] * others[k] for k in range(self.m)) for a in range(self.m)
                ]
                best = self._best(values)
                for j in range(self.m):
                    t = list(c)
                    t[i] -= 1
                    t[j] += 1
                    pick = Fraction(c[i], self.N)
                    out.append(
                        (self.index[(tuple(t),)], pick, len(best) if j in best else 0, self.m)
                    )
            return out
        c, d = s
        for who, (own, size) in enumerate(((c, self.m), (d, self.n))):
            if who == 0:
                values = [sum(self.A[a][b] * d[b] for b in range(self.n)) for a in range(self.m)]
            else:
                values = [sum(self.B[a][b] * c[a] for a in range(self.m)) for b in range(self.n)]
            best = self._best(values)
            for i in range(size):
                if not own[i]:
                    continue
                for j in range(size):
                    t = list(own)
                    t[i] -= 1
                    t[j] += 1
                    nxt = (tuple(t), d) if who == 0 else (c, tuple(t))
                    pick = Fraction(own[i], 2 * self.N)
                    out.append((self.index[nxt], pick, len(best) if j in best else 0, size))
        return out


def _recurrent_classes(edges: list[list[int]]) -> list[list[int]]:
    """Closed strongly connected components of a directed graph (iterative Tarjan)."""
    n = len(edges)
    index = [-1] * n
    low = [0] * n
    on = [False] * n
    stack: list[int] = []
    comps: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on[v] = True
            if i < len(edges[v]):
                work.append((v, i + 1))
                w = edges[v][i]
                if index[w] < 0:
                    work.append((w, 0))
                elif on[w]:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on[w] = False
                    comp.append(w)
                    if w == v:
                        break
                comps.append(sorted(comp))
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    member = {v: k for k, comp in enumerate(comps) for v in comp}
    closed = [
        comp for k, comp in enumerate(comps) if all(member[w] == k for v in comp for w in edges[v])
    ]
    return sorted(closed)


def _distances(graph: list[list[tuple[int, int]]], sources: list[int]) -> list[int]:
    """0-1 breadth-first search: least total resistance from ``sources`` to each state."""
    inf = 1 << 60
    dist = [inf] * len(graph)
    queue: deque[int] = deque()
    for s in sources:
        dist[s] = 0
        queue.append(s)
    while queue:
        v = queue.popleft()
        for w, r in graph[v]:
            if dist[v] + r < dist[w]:
                dist[w] = dist[v] + r
                if r == 0:
                    queue.appendleft(w)
                else:
                    queue.append(w)
    return dist


def _stationary(dyn: _Dynamics, eps: Fraction) -> list[Fraction]:
    """The exact stationary distribution at mistake rate ``eps`` (python-flint)."""
    k = len(dyn.states)
    P = [[Fraction(0)] * k for _ in range(k)]
    for s in range(k):
        for t, pick, best, size in dyn.moves(s):
            p = pick * (eps / size + ((1 - eps) / best if best else 0))
            P[s][t] += p
    # pi (I - P) = 0 with sum(pi) = 1: the transposed system, last equation replaced.
    rows = [[(1 if r == c else 0) - P[c][r] for c in range(k)] for r in range(k)]
    rows[-1] = [Fraction(1)] * k
    M = flint.fmpq_mat(k, k, [flint.fmpq(v.numerator, v.denominator) for r in rows for v in r])
    b = flint.fmpq_mat(k, 1, [0] * (k - 1) + [1])
    x = M.solve(b)
    return [Fraction(int(v.p), int(v.q)) for v in x.entries()]


def _check_population(population: object) -> int:
    if (
        isinstance(population, bool)
        or not isinstance(population, Integral)
        or not 2 <= int(population) <= MAX_POPULATION
    ):
        raise GameError(
            f"the population size must be a whole number from 2 to {MAX_POPULATION}, "
            f"got {population!r}"
        )
    return int(population)


def _check_rate(rate: object) -> Fraction:
    if isinstance(rate, bool) or not isinstance(rate, Rational | float):
        raise GameError(f"the mistake rate must be a number in (0, 1), got {rate!r}")
    if isinstance(rate, float):
        if rate != rate or rate in (float("inf"), float("-inf")):
            raise GameError(f"the mistake rate must be a number in (0, 1), got {rate!r}")
        rate = Fraction(repr(rate))
    exact = Fraction(int(rate.numerator), int(rate.denominator))
    if not 0 < exact < 1:
        raise GameError(f"the mistake rate must be a number in (0, 1), got {rate}")
    return exact


def _label(
    game: StageGame, dyn: _Dynamics, states: list[int]
) -> tuple[tuple[int, int] | None, str]:
    if len(states) == 1:
        s = dyn.states[states[0]]
        counts = s if not dyn.single else (s[0], s[0])
        moves = [next((i for i, v in enumerate(c) if v == dyn.N), None) for c in counts]
        if moves[0] is not None and moves[1] is not None:
            a, b = moves[0], moves[1]
            return (a, b), f"({game.row_moves[a]}, {game.col_moves[b]})"

        def mix(labels: tuple[str, ...], c: tuple[int, ...]) -> str:
            return " ".join(f"{x}:{v}" for x, v in zip(labels, c) if v)

        if dyn.single:
            return None, f"mixed population {mix(game.row_moves, s[0])}"
        return None, f"mixed populations {mix(game.row_moves, s[0])} / {mix(game.col_moves, s[1])}"
    return None, f"cycle of {len(states)} states"


def stochastic_stability(
    game: StageGame, population: int, *, mistake_rate: Fraction | float | None = None
) -> StochasticStability:
    """The stochastically stable states of best-response dynamics with mistakes.

    Parameters
    ----------
    game : StageGame
        One population when it is symmetric (:func:`is_symmetric`), else two.
    population : int
        Agents per population, 2 to :data:`~negotiation.limits.MAX_POPULATION`; the
        state count (:func:`state_count`) must not exceed
        :data:`~negotiation.limits.MAX_CHAIN_STATES`.
    mistake_rate : Fraction or float, optional
        Also compute the exact stationary distribution at this ``ε`` in (0, 1) (floats
        read as their shortest decimal) and each class's mass under it; needs at most
        :data:`~negotiation.limits.MAX_EXACT_CHAIN_STATES` states.

    Returns
    -------
    StochasticStability

    Raises
    ------
    GameError
        A population, mistake rate or state count out of range.

    Examples
    --------
    In the Stag Hunt (stag 4, hare 3, alone 0) rare mistakes select the risk-dominant
    hare convention (Kandori, Mailath & Rob 1993): leaving it takes more mistakes.

    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]],
    ...                               row_moves=["S", "H"], col_moves=["S", "H"])
    >>> s = stochastic_stability(stag, 10, mistake_rate=Fraction(1, 100))
    >>> [(c.label, c.potential) for c in s.classes], s.stable_profiles
    ([('(H, H)', 3), ('(S, S)', 7)], ((1, 1),))
    >>> round(float(s.classes[0].mass), 3), float(s.classes[1].mass) < 1e-9
    (0.951, True)
    """
    require_game(game, "stochastic_stability")
    N = _check_population(population)
    eps = None if mistake_rate is None else _check_rate(mistake_rate)
    count = state_count(game, N)
    if count > MAX_CHAIN_STATES:
        raise GameError(
            f"a population of {N} in a {game.shape[0]}x{game.shape[1]} game has {count:,} "
            f"states; at most {MAX_CHAIN_STATES:,}: choose a smaller population"
        )
    if eps is not None and count > MAX_EXACT_CHAIN_STATES:
        raise GameError(
            f"the exact stationary distribution is computed for at most "
            f"{MAX_EXACT_CHAIN_STATES:,} states, this chain has {count:,}: choose a smaller "
            "population or no mistake rate"
        )
    dyn = _Dynamics(game, N)
    k = len(dyn.states)
    graph: list[list[tuple[int, int]]] = [[] for _ in range(k)]
    for s in range(k):
        seen: dict[int, int] = {}
        for t, _, best, _ in dyn.moves(s):
            r = 0 if best else 1
            if t != s:
                seen[t] = min(seen.get(t, r), r)
        graph[s] = sorted(seen.items())
    free = [[t for t, r in graph[s] if r == 0] for s in range(k)]
    classes = _recurrent_classes(free)
    dists = [_distances(graph, comp) for comp in classes]
    R = tuple(
        tuple(0 if i == j else min(dists[i][s] for s in classes[j]) for j in range(len(classes)))
        for i in range(len(classes))
    )
    potentials = [min_in_tree_cost(R, j) for j in range(len(classes))]
    low = min(potentials)
    masses: list[Fraction | None] = [None] * len(classes)
    if eps is not None:
        pi = _stationary(dyn, eps)
        masses = [sum((pi[s] for s in comp), Fraction(0)) for comp in classes]
    out = []
    for comp, pot, mass in zip(classes, potentials, masses):
        profile, label = _label(game, dyn, comp)
        out.append(RecurrentClass(tuple(dyn.states[s] for s in comp), profile, label, pot, mass))
    order = sorted(range(len(out)), key=lambda j: (out[j].potential, out[j].label))
    ordered = tuple(out[j] for j in order)
    R2 = tuple(tuple(R[i][j] for j in order) for i in order)
    stable = tuple(j for j, c in enumerate(ordered) if c.potential == low)
    return StochasticStability(N, dyn.single, k, ordered, R2, stable, eps)
