"""Monte Carlo simulation of the repeated game with trembles, vectorised over runs.

Model. Both players run their strategy automata (:class:`~negotiation.repeated.automaton.
Automaton`) side by side for a fixed number of rounds. In every round each player's
intended move ``play[state]`` is, with probability ``noise``, replaced by a uniformly
random *other* move of that player, independently for the two players (a player with a
single move never trembles). Both automata observe the *realised* profile and move on,
at random when they are stochastic. This is the tremble model of Nowak & Sigmund (1993)
(and of the Axelrod library's ``Match(noise=...)`` in 2x2 games), the same one that
:mod:`negotiation.repeated.noise` solves exactly as a Markov chain; the simulation gives
the finite-horizon distribution of whole paths instead of long-run expectations.

Implementation. Each automaton is compiled once into numpy look-up tables indexed by
``state * (m * n) + profile`` where ``profile = row_move * n + col_move``: an integer
next-state table for a deterministic automaton, and for a stochastic one a table of
cumulative successor probabilities plus the successor states, so that a single uniform
draw per run selects the next state (inverse-transform sampling). Every round then costs
a constant number of array operations on vectors of length ``runs`` -- there is no
Python loop over runs. The only source of randomness is
``numpy.random.default_rng(seed)``, drawn in a fixed order, so a given seed reproduces
every array bit for bit (on the same numpy version), whatever ``keep_moves`` and
``progress`` are.

Memory. The realised moves are kept as two ``(runs, rounds)`` int8 arrays while
``runs * rounds`` is at most :data:`MAX_KEPT_CELLS` (50 million cells, 100 MB for both
players; 10,000 runs of 200 rounds take 4 MB). Beyond that, by default only statistics
are kept: the per-round profile counts (``rounds * m * n`` integers), the per-run
profile counts (``runs * m * n`` small integers), the first profile and first change of
each run, and the discounted payoffs for the discount factors requested in advance
through ``discounts=``. Every method except :meth:`Simulation.discounted` for a factor
not requested in advance works in both modes.

References
----------
Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
Nowak, M. & Sigmund, K. (1993). A strategy of win-stay, lose-shift that outperforms
tit-for-tat in the Prisoner's Dilemma game. *Nature* 364, 56-58.
Devroye, L. (1986). *Non-Uniform Random Variate Generation*. Springer: section II.2
(inversion method for discrete distributions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Real

import numpy as np

from negotiation.errors import GameError
from negotiation.games.stage_game import StageGame
from negotiation.records import short_repr
from negotiation.repeated.automaton import Automaton, Successors

__all__ = ["CSV_FIELDS", "MAX_KEPT_CELLS", "Simulation", "simulate"]

#: Largest ``runs * rounds`` for which the realised moves are kept by default.
MAX_KEPT_CELLS = 50_000_000

#: Column names of :meth:`Simulation.csv_rows`.
CSV_FIELDS = ("round", "row_move", "col_move", "share")

Seed = int | np.random.Generator | None

_CHUNK_CELLS = 1_000_000


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _stat(values: np.ndarray) -> dict[str, float]:
    """Mean and standard error ``std / sqrt(n)`` (sample std, ``ddof=1``); NaN if undefined."""
    n = int(values.size)
    mean = float(values.mean()) if n else math.nan
    se = float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
    return {"mean": mean, "se": se}


def _nan_to_none(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    return value


@dataclass(frozen=True, eq=False)
class Simulation:
    """Result of :func:`simulate`: realised paths of many independent runs.

    Attributes
    ----------
    game : StageGame
    row_strategy, col_strategy : str
        Names of the two automata.
    rounds, runs : int
    noise : float
        Tremble probability.
    seed : int or None
        The integer seed given to :func:`simulate` (``None`` for a Generator or no seed).
    row_moves, col_moves : numpy.ndarray or None
        Realised move indices, shape ``(runs, rounds)``, dtype int8 (int16 beyond 127
        moves); ``None`` when the moves were not kept (see :func:`simulate`).
    payoffs : numpy.ndarray, shape (runs, 2)
        Average per-round payoff of each run, row player first.
    round_counts : numpy.ndarray, shape (rounds, m, n)
        Number of runs at each realised profile in each round.
    run_counts : numpy.ndarray, shape (runs, m, n)
        Number of rounds each run spent at each realised profile.
    first_profile : numpy.ndarray, shape (runs,)
        Flat index ``row * n + col`` of each run's first realised profile.
    first_change : numpy.ndarray, shape (runs,)
        0-based round in which each run first left its first profile (``rounds`` if never).

    All arrays are read-only.
    """

    __repr__ = short_repr

    game: StageGame
    row_strategy: str
    col_strategy: str
    rounds: int
    runs: int
    noise: float
    seed: int | None
    row_moves: np.ndarray | None
    col_moves: np.ndarray | None
    payoffs: np.ndarray
    round_counts: np.ndarray
    run_counts: np.ndarray
    first_profile: np.ndarray
    first_change: np.ndarray
    _discounted: dict[float, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def moves_kept(self) -> bool:
        """Whether :attr:`row_moves` and :attr:`col_moves` are available."""
        return self.row_moves is not None

    def discounted(self, discount: float) -> np.ndarray:
        """Normalised discounted payoff of each run, shape ``(runs, 2)``.

        ``(1 - δ) Σ_{t=0}^{T-1} δ^t u_t`` over the ``T = rounds`` simulated rounds. This is
        the infinite-horizon normalised payoff *truncated* at the horizon: the weights
        add up to ``1 - δ^T`` rather than 1, so choose ``rounds`` with ``δ^T`` negligible
        (for ``δ = 0.9``, 200 rounds leave ``7e-10``).

        Parameters
        ----------
        discount : float
            ``0 <= δ < 1``.

        Raises
        ------
        GameError
            For a bad ``δ``, or when the moves were not kept and ``δ`` was not among the
            ``discounts`` requested from :func:`simulate`.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                             row_moves=["C", "D"], col_moves=["C", "D"])
        >>> allc = build_strategy("always_C", context_for(pd, 0, (0, 0)))
        >>> sim = simulate(pd, allc, allc, rounds=10, runs=2, seed=0)
        >>> sim.discounted(0.5)[0]  # 3 * (1 - 0.5**10)
        array([2.99707031, 2.99707031])
        """
        d = _check_discount(discount)
        if d in self._discounted:
            return self._discounted[d]
        if self.row_moves is None or self.col_moves is None:
            raise GameError(
                f"the moves of this simulation were not kept: pass discounts=[{d}] to "
                "simulate() to get discounted payoffs"
            )
        weights = (1.0 - d) * d ** np.arange(self.rounds, dtype=float)
        out = np.empty((self.runs, 2))
        chunk = max(1, _CHUNK_CELLS // self.rounds)  # bounds the float temporaries
        for lo in range(0, self.runs, chunk):
            rm, cm = self.row_moves[lo : lo + chunk], self.col_moves[lo : lo + chunk]
            out[lo : lo + chunk, 0] = self.game.A[rm, cm] @ weights
            out[lo : lo + chunk, 1] = self.game.B[rm, cm] @ weights
        return _readonly(out)

    def profile_shares(self) -> np.ndarray:
        """Share of runs at each realised profile in each round, shape ``(rounds, m, n)``.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                             row_moves=["C", "D"], col_moves=["C", "D"])
        >>> tft = build_strategy("tit_for_tat", context_for(pd, 0, (0, 0)))
        >>> stft = build_strategy("suspicious_tit_for_tat", context_for(pd, 1, (0, 0)))
        >>> simulate(pd, tft, stft, rounds=3, runs=5, seed=1).profile_shares()[:, 0, 1]
        array([1., 0., 1.])
        """
        return self.round_counts / self.runs

    def _target(self, target: tuple[int | str, int | str]) -> tuple[int, int]:
        labels = (self.game.row_moves, self.game.col_moves)
        if len(target) != 2:
            raise GameError(f"the target must be a (row move, column move) pair, got {target!r}")
        out = []
        for k, move in enumerate(target):
            if isinstance(move, str):
                if move not in labels[k]:
                    raise GameError(f"target move {move!r} is not one of {list(labels[k])}")
                move = labels[k].index(move)
            if not 0 <= int(move) < len(labels[k]):
                raise GameError(f"target move index {move} is out of range")
            out.append(int(move))
        return out[0], out[1]

    def summary(
        self,
        target: tuple[int | str, int | str],
        discount: float | tuple[float, float] | None = None,
    ) -> dict[str, object]:
        """Means and standard errors over runs of the détente statistics.

        Standard errors are ``std / sqrt(k)`` with the sample standard deviation
        (``ddof=1``) over the ``k`` runs that enter the statistic; NaN when ``k < 2``.

        Parameters
        ----------
        target : (int or str, int or str)
            The détente profile, as move indices or labels.
        discount : float or (float, float), optional
            Also report the normalised discounted payoffs (see :meth:`discounted`);
            with a pair ``(δ_row, δ_col)`` each player's payoff at their own δ (and
            ``discount`` in the output is the pair).

        Returns
        -------
        dict
            ``target_share``: share of the rounds of a run spent at the target;
            ``rounds_to_breakdown``: number of rounds up to and including the first
            non-target round, over the runs that have one, with ``runs`` (how many) and
            ``no_breakdown`` (how many runs never left the target, excluded);
            ``payoff_row``, ``payoff_col``: average per-round payoffs; and with a discount
            ``discounted_row``, ``discounted_col``. Each statistic is a dict with ``mean``
            and ``se``.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                             row_moves=["C", "D"], col_moves=["C", "D"])
        >>> grim = build_strategy("grim_trigger", context_for(pd, 0, (0, 0)))
        >>> s = simulate(pd, grim, grim, rounds=100, runs=4000, noise=0.05, seed=3)
        >>> out = s.summary(("C", "C"))
        >>> out["target"], out["rounds_to_breakdown"]["no_breakdown"]
        (('C', 'C'), 0)
        >>> 9.5 < out["rounds_to_breakdown"]["mean"] < 11  # 1 / (1 - 0.95**2) = 10.26
        True
        """
        i, j = self._target(target)
        n = self.game.shape[1]
        t = i * n + j
        share = self.run_counts[:, i, j] / self.rounds
        left = np.where(self.first_profile != t, 0, self.first_change)
        broke = left < self.rounds
        out: dict[str, object] = {
            "runs": self.runs,
            "rounds": self.rounds,
            "noise": self.noise,
            "target": (self.game.row_moves[i], self.game.col_moves[j]),
            "target_share": _stat(share),
            "rounds_to_breakdown": {
                **_stat(left[broke] + 1.0),
                "runs": int(broke.sum()),
                "no_breakdown": int(self.runs - broke.sum()),
            },
            "payoff_row": _stat(self.payoffs[:, 0]),
            "payoff_col": _stat(self.payoffs[:, 1]),
        }
        if discount is not None:
            if isinstance(discount, tuple | list):
                d_row, d_col = float(discount[0]), float(discount[1])
                out["discount"] = (d_row, d_col)
            else:
                d_row = d_col = float(discount)
                out["discount"] = d_row
            out["discounted_row"] = _stat(self.discounted(d_row)[:, 0])
            out["discounted_col"] = _stat(self.discounted(d_col)[:, 1])
        return out

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description: set-up, mean payoffs and the per-round profile shares.

        The per-run moves are not included (they can be large); NaN becomes ``None``.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                             row_moves=["C", "D"], col_moves=["C", "D"])
        >>> alld = build_strategy("always_D", context_for(pd, 0, (0, 0)))
        >>> d = simulate(pd, alld, alld, rounds=2, runs=3, seed=0).to_dict()
        >>> d["mean_payoffs"], d["profile_shares"][0]
        ([1.0, 1.0], [[0.0, 0.0], [0.0, 1.0]])
        """
        return {
            "row_strategy": self.row_strategy,
            "col_strategy": self.col_strategy,
            "row_moves": list(self.game.row_moves),
            "col_moves": list(self.game.col_moves),
            "rounds": self.rounds,
            "runs": self.runs,
            "noise": self.noise,
            "seed": self.seed,
            "moves_kept": self.moves_kept,
            "mean_payoffs": [
                _nan_to_none(float(v)) for v in self.payoffs.mean(axis=0, dtype=float)
            ],
            "profile_shares": self.profile_shares().tolist(),
        }

    def csv_rows(self) -> list[tuple[int, str, str, float]]:
        """Tidy rows ``(round, row move, column move, share)`` for plotting.

        Rounds are numbered from 1; every profile appears in every round (shares may
        be 0). Column names: :data:`CSV_FIELDS`.

        Examples
        --------
        >>> from negotiation.repeated.library import build_strategy, context_for
        >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
        ...                             row_moves=["C", "D"], col_moves=["C", "D"])
        >>> alld = build_strategy("always_D", context_for(pd, 0, (0, 0)))
        >>> simulate(pd, alld, alld, rounds=1, runs=3, seed=0).csv_rows()
        [(1, 'C', 'C', 0.0), (1, 'C', 'D', 0.0), (1, 'D', 'C', 0.0), (1, 'D', 'D', 1.0)]
        """
        shares = self.profile_shares()
        rows_l, cols_l = self.game.row_moves, self.game.col_moves
        return [
            (t + 1, r, c, float(shares[t, i, j]))
            for t in range(self.rounds)
            for i, r in enumerate(rows_l)
            for j, c in enumerate(cols_l)
        ]


def _check_discount(discount: object) -> float:
    if not isinstance(discount, Real) or not 0 <= float(discount) < 1:
        raise GameError(f"the discount factor must satisfy 0 <= δ < 1, got {discount!r}")
    return float(discount)


def _check_seed(seed: object) -> None:
    """A GameError unless ``seed`` is None, a Generator or a non-negative integer."""
    if seed is None or isinstance(seed, np.random.Generator):
        return
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise GameError(
            f"the seed must be a non-negative integer (or a numpy Generator), got {seed!r}"
        )


@dataclass(frozen=True)
class _Compiled:
    """Look-up tables of one automaton, indexed by ``state * (m * n) + row * n + col``."""

    play: np.ndarray  # (states,) own intended move
    next: np.ndarray | None  # (states * m * n,) next state, deterministic automata
    cum: np.ndarray | None  # (states * m * n, K) cumulative probabilities, padded with 1.0
    succ: np.ndarray | None  # (states * m * n, K) successor states
    mix: np.ndarray | None = None  # (states, moves) cumulative action probabilities

    def intended(self, s: np.ndarray, u: np.ndarray | None) -> np.ndarray:
        """The moves played in states ``s``: sampled from ``u`` where a state mixes."""
        if self.mix is None:
            return self.play[s]
        assert u is not None
        return (self.mix[s] <= u[:, None]).sum(axis=1)

    def step(self, index: np.ndarray, u: np.ndarray | None) -> np.ndarray:
        if self.next is not None:
            return self.next[index]
        assert self.cum is not None and self.succ is not None and u is not None
        pick = (self.cum[index] <= u[:, None]).sum(axis=1)
        return self.succ[index, pick]


def _compile(auto: Automaton, m: int, n: int, is_row: bool) -> _Compiled:
    """Tables for ``auto`` played as the row (``is_row``) or the column player."""
    S = auto.size
    play = np.asarray(auto.play, dtype=np.intp)

    def successors(s: int, a: int, b: int) -> Successors:
        own, other = (a, b) if is_row else (b, a)
        return auto.step(s, own, other)

    cells = [successors(s, a, b) for s in range(S) for a in range(m) for b in range(n)]
    mix = None
    if not auto.is_pure:
        moves = m if is_row else n
        mix = np.ones((S, moves))
        for s in range(S):
            acc = Fraction(0)
            probs = dict(auto.action(s))
            last = max(probs)
            for a in range(moves):
                acc += probs.get(a, Fraction(0))
                mix[s, a] = 1.0 if a >= last else float(acc)  # never reaches the last
    if auto.is_deterministic:
        nxt = np.array([succ[0][0] for succ in cells], dtype=np.intp)
        return _Compiled(play, nxt, None, None, mix)
    K = max(len(succ) for succ in cells)
    cum = np.ones((len(cells), K))
    states = np.zeros((len(cells), K), dtype=np.intp)
    for c, succ in enumerate(cells):
        acc = Fraction(0)
        for k, (state, p) in enumerate(succ):
            acc += p  # exact Fractions: the last partial sum is exactly 1
            cum[c, k] = float(acc)
            states[c, k] = state
        cum[c, len(succ) - 1 :] = 1.0  # a uniform draw in [0, 1) never reaches 1.0
        states[c, len(succ) :] = succ[-1][0]
    return _Compiled(play, None, cum, states, mix)


def simulate(
    game: StageGame,
    row: Automaton,
    col: Automaton,
    *,
    rounds: int,
    runs: int,
    noise: float = 0.0,
    seed: Seed = None,
    progress: Callable[[int], None] | None = None,
    keep_moves: bool | None = None,
    discounts: Iterable[float] = (),
) -> Simulation:
    """Simulate ``runs`` independent plays of the repeated game, vectorised over runs.

    Parameters
    ----------
    game : StageGame
    row, col : Automaton
        The row and the column player's strategies (e.g. from
        :func:`negotiation.repeated.library.build_strategy`).
    rounds, runs : int
        Horizon and number of independent runs (both at least 1).
    noise : float
        Tremble probability ``0 <= ε <= 1``: each player's intended move is replaced by a
        uniformly random other move with probability ``ε``, independently.
    seed : int, numpy.random.Generator or None
        Passed to :func:`numpy.random.default_rng`; a Generator is used (and advanced)
        as is. The same integer seed gives bit-identical results.
    progress : callable, optional
        Called with the number of rounds done, about every 1% of the rounds and at the end.
    keep_moves : bool, optional
        Keep the ``(runs, rounds)`` move arrays. By default they are kept when
        ``runs * rounds <= MAX_KEPT_CELLS`` (50 million); otherwise only statistics are
        stored (see the module notes).
    discounts : iterable of float
        Discount factors whose discounted payoffs are accumulated during the run, so that
        :meth:`Simulation.discounted` works for them without the moves.

    Returns
    -------
    Simulation

    Raises
    ------
    GameError
        Strategies that do not fit the game, or bad ``rounds``, ``runs``, ``noise``,
        ``seed`` (a negative integer, say), ``discounts``.

    Examples
    --------
    Tit-for-tat against suspicious tit-for-tat alternates (C, D), (D, C), ...

    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> tft = build_strategy("tit_for_tat", context_for(pd, 0, (0, 0)))
    >>> stft = build_strategy("suspicious_tit_for_tat", context_for(pd, 1, (0, 0)))
    >>> sim = simulate(pd, tft, stft, rounds=4, runs=2, seed=0)
    >>> sim.row_moves
    array([[0, 1, 0, 1],
           [0, 1, 0, 1]], dtype=int8)
    >>> sim.payoffs[0]
    array([2.5, 2.5])

    With trembles, grim trigger breaks down after about ``1 / (1 - (1 - ε)^2)`` rounds:

    >>> grim = build_strategy("grim_trigger", context_for(pd, 0, (0, 0)))
    >>> sim = simulate(pd, grim, grim, rounds=200, runs=10_000, noise=0.05, seed=0)
    >>> stat = sim.summary((0, 0))["rounds_to_breakdown"]
    >>> abs(stat["mean"] - 1 / (1 - 0.95**2)) < 3 * stat["se"]
    True
    """
    m, n = game.shape
    row.check_moves(m, n)
    col.check_moves(n, m)
    for name, value in (("rounds", rounds), ("runs", runs)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise GameError(f"{name} must be a positive integer, got {value!r}")
    rounds, runs = int(rounds), int(runs)
    if not isinstance(noise, Real) or not 0 <= float(noise) <= 1:
        raise GameError(f"noise must be a probability in [0, 1], got {noise!r}")
    _check_seed(seed)
    eps = float(noise)
    wanted = sorted({_check_discount(d) for d in discounts})
    if keep_moves is None:
        keep_moves = runs * rounds <= MAX_KEPT_CELLS
    rng = np.random.default_rng(seed)

    mn = m * n
    R, C = _compile(row, m, n, True), _compile(col, m, n, False)
    # Uniform draws per round, one row of ``runs`` each, in this fixed order and only when
    # needed: row tremble, row's choice of another move (more than two moves), column
    # tremble, column's choice, row transition (stochastic automaton), column transition.
    tr_r = tr_c = ch_r = ch_c = st_r = st_c = -1
    draws = 0
    if eps > 0:
        if m > 1:
            tr_r, draws = draws, draws + 1
            if m > 2:
                ch_r, draws = draws, draws + 1
        if n > 1:
            tr_c, draws = draws, draws + 1
            if n > 2:
                ch_c, draws = draws, draws + 1
    if R.next is None:
        st_r, draws = draws, draws + 1
    if C.next is None:
        st_c, draws = draws, draws + 1
    # Mixed actions (a mixed stage equilibrium as punishment): one more draw per player
    # whose automaton mixes, after the others (pure profiles keep their random streams).
    mx_r = mx_c = -1
    if R.mix is not None:
        mx_r, draws = draws, draws + 1
    if C.mix is not None:
        mx_c, draws = draws, draws + 1
    # other[a, k]: the k-th move of the player different from a (k < moves - 1).
    other_r = np.array([[b for b in range(m) if b != a] or [a] for a in range(m)], np.intp)
    other_c = np.array([[b for b in range(n) if b != a] or [a] for a in range(n)], np.intp)

    move_dtype = np.int8 if max(m, n) <= 127 else np.int16
    rm_buf = np.empty((rounds, runs), move_dtype) if keep_moves else None
    cm_buf = np.empty((rounds, runs), move_dtype) if keep_moves else None
    round_counts = np.empty((rounds, mn), dtype=np.int64)
    count_dtype = np.uint16 if rounds < 2**16 else np.uint32
    run_counts = np.zeros(runs * mn, dtype=count_dtype)
    run_base = np.arange(runs, dtype=np.intp) * mn
    first_profile = np.zeros(runs, dtype=np.intp)
    first_change = np.full(runs, rounds, dtype=np.int64)
    flat_A, flat_B = game.A.ravel(), game.B.ravel()
    disc_acc = {d: np.zeros((runs, 2)) for d in wanted}

    s_r = np.full(runs, row.start, dtype=np.intp)
    s_c = np.full(runs, col.start, dtype=np.intp)
    step = max(1, rounds // 100)

    def tremble(
        intended: np.ndarray, U: np.ndarray, tr: int, ch: int, other: np.ndarray, k: int
    ) -> np.ndarray:
        if tr < 0:
            return intended
        if ch < 0:  # two moves: a tremble flips the move
            return intended ^ (U[tr] < eps)
        pick = np.minimum((U[ch] * (k - 1)).astype(np.intp), k - 2)
        return np.where(U[tr] < eps, other[intended, pick], intended)

    for t in range(rounds):
        U = rng.random((draws, runs)) if draws else None
        a = R.intended(s_r, U[mx_r] if mx_r >= 0 and U is not None else None)
        b = C.intended(s_c, U[mx_c] if mx_c >= 0 and U is not None else None)
        if U is not None:
            a = tremble(a, U, tr_r, ch_r, other_r, m)
            b = tremble(b, U, tr_c, ch_c, other_c, n)
        prof = a * n + b
        if rm_buf is not None and cm_buf is not None:
            rm_buf[t] = a
            cm_buf[t] = b
        round_counts[t] = np.bincount(prof, minlength=mn)
        run_counts[run_base + prof] += 1
        if t == 0:
            first_profile = prof.copy()
        else:
            np.minimum(first_change, np.where(prof != first_profile, t, rounds), out=first_change)
        for d, acc in disc_acc.items():
            w = (1.0 - d) * d**t
            acc[:, 0] += w * flat_A[prof]
            acc[:, 1] += w * flat_B[prof]
        s_r = R.step(s_r * mn + prof, U[st_r] if st_r >= 0 and U is not None else None)
        s_c = C.step(s_c * mn + prof, U[st_c] if st_c >= 0 and U is not None else None)
        if progress is not None and ((t + 1) % step == 0 or t + 1 == rounds):
            progress(t + 1)

    counts = run_counts.reshape(runs, mn)
    payoffs = np.empty((runs, 2))
    payoffs[:, 0] = counts @ flat_A / rounds
    payoffs[:, 1] = counts @ flat_B / rounds
    return Simulation(
        game=game,
        row_strategy=row.name,
        col_strategy=col.name,
        rounds=rounds,
        runs=runs,
        noise=eps,
        seed=int(seed) if isinstance(seed, int | np.integer) else None,
        row_moves=None if rm_buf is None else _readonly(np.ascontiguousarray(rm_buf.T)),
        col_moves=None if cm_buf is None else _readonly(np.ascontiguousarray(cm_buf.T)),
        payoffs=_readonly(payoffs),
        round_counts=_readonly(round_counts.reshape(rounds, m, n)),
        run_counts=_readonly(counts.reshape(runs, m, n)),
        first_profile=_readonly(first_profile.astype(np.int16)),
        first_change=_readonly(first_change),
        _discounted={d: _readonly(v) for d, v in disc_acc.items()},
    )
