"""Exact round-robin tournaments of repeated-game strategies under the scenario's noise.

Every entrant plays every entrant (itself included) in both roles, as in Axelrod's
(1984) tournaments, but nothing is sampled: each match is the Markov chain of the two
automata under trembles (:mod:`negotiation.repeated.noise`), scored exactly by

* ``"discounted"``: the normalised discounted payoff ``(1 - δ) Σ_t δ^t E[u_i(a_t)]`` at
  the scenario's ``δ`` (the ``discounted_payoffs`` of
  :func:`~negotiation.repeated.noise.noise_metrics`), or
* ``"long_run"``: the long-run average payoff ``lim (1/T) Σ_{t<T} E[u_i(a_t)]`` (the
  Cesàro limit of :func:`~negotiation.repeated.noise.long_run_distribution`).

An entrant's *score* against another is the mean of its payoffs in the two roles; its
tournament score is the mean over all opponents. The score matrix ``M`` is a symmetric
game between strategies, and the replicator dynamics on it (Taylor & Jonker 1978;
Nowak 2006, ch. 4), run by nashpy from equal shares, shows which strategies take
over a population that imitates success.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.errors import GameError, NegotiationError, ScenarioError
from negotiation.games.equilibrium import number_out
from negotiation.games.stage_game import StageGame
from negotiation.limits import MAX_ENTRANTS
from negotiation.records import TabularResult, short_repr
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.library import strategy_names
from negotiation.repeated.noise import long_run_distribution, noise_metrics, noisy_chain
from negotiation.repeated.profiles import strategy_for
from negotiation.scenario.discounts import discount_json, discount_pair
from negotiation.scenario.model import Scenario

__all__ = ["SCORES", "Tournament", "TournamentEvolution", "default_entrants", "tournament"]

#: The ways of scoring a match.
SCORES = ("discounted", "long_run")

Number = Fraction | float


@dataclass(frozen=True)
class TournamentEvolution:
    """The replicator dynamics on a tournament's score matrix, from equal shares.

    Attributes
    ----------
    horizon : float
        End time (payoffs rescaled to [0, 1]).
    shares : tuple of float
        Final population share of each entrant.
    survivors : tuple of int
        Entrants with a final share of at least 1%, largest first.
    """

    horizon: float
    shares: tuple[float, ...]
    survivors: tuple[int, ...]

    def to_dict(self, names: Sequence[str]) -> dict[str, Any]:
        """JSON-ready form with entrant names.

        Examples
        --------
        >>> TournamentEvolution(10.0, (0.75, 0.25), (0, 1)).to_dict(["a", "b"])["survivors"]
        ['a', 'b']
        """
        return {
            "horizon": self.horizon,
            "shares": dict(zip(names, self.shares)),
            "survivors": [names[k] for k in self.survivors],
        }


@dataclass(frozen=True)
class Tournament(TabularResult):
    """An exact round-robin tournament (see :func:`tournament`).

    Attributes
    ----------
    scenario, assumption : str
    entrants : tuple of str
        Strategy names, in the order of the matrices.
    skipped : tuple of (str, str)
        Strategies left out of the default field, with the reason.
    score : str
        ``"discounted"`` or ``"long_run"``.
    noise : Fraction or float
    discount : Fraction or float, or a pair of them
        One per player (row, column) when the scenario's factors differ: an entrant's
        payoff in a role is discounted with that role's δ.
    payoffs : tuple of tuple of (number, number)
        ``payoffs[i][j]``: the row and the column player's payoffs when entrant ``i``
        plays the row player against entrant ``j`` as the column player.
    detente_shares : tuple of tuple of number
        Long-run share of détente rounds in each of those matches.
    matrix : tuple of tuple of number
        ``matrix[i][j]``: entrant ``i``'s mean payoff against ``j`` over both roles.
    scores : tuple of number
        Entrant ``i``'s mean of ``matrix[i]``.
    ranking : tuple of int
        Entrants by score, best first (ties in entrant order).
    exact : bool
    evolution : TournamentEvolution or None
    players : tuple of two str
        The player ids (the keys of a per-player ``discount`` in JSON).
    """

    __repr__ = short_repr

    _rows_key = "ranking"
    _keep = ("scenario", "assumption")

    scenario: str
    assumption: str
    entrants: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]
    score: str
    noise: Number
    discount: Number
    payoffs: tuple[tuple[tuple[Number, Number], ...], ...]
    detente_shares: tuple[tuple[Number, ...], ...]
    matrix: tuple[tuple[Number, ...], ...]
    scores: tuple[Number, ...]
    ranking: tuple[int, ...]
    exact: bool
    evolution: TournamentEvolution | None
    players: tuple[str, str] = ("1", "2")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: exact numbers as ``"p/q"`` strings beside float values.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> t = tournament(load_scenario("prisoners-dilemma"),
        ...                strategies=["tit_for_tat", "always_defect"], evolve=False)
        >>> [row["strategy"] for row in t.to_dict()["ranking"]]
        ['tit_for_tat', 'always_defect']
        """
        names = self.entrants
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "score": self.score,
            "noise": number_out(self.noise),
            "discount": discount_json(self.discount, self.players, number_out),
            "exact": self.exact,
            "entrants": list(names),
            "skipped": [{"strategy": s, "reason": r} for s, r in self.skipped],
            "ranking": [
                {
                    "rank": r + 1,
                    "strategy": names[k],
                    "score": float(self.scores[k]),
                    "score_exact": number_out(self.scores[k]) if self.exact else None,
                }
                for r, k in enumerate(self.ranking)
            ],
            "matches": [
                {
                    "row": names[i],
                    "column": names[j],
                    "payoffs": [float(v) for v in self.payoffs[i][j]],
                    "payoffs_exact": [number_out(v) for v in self.payoffs[i][j]]
                    if self.exact
                    else None,
                    "detente_share": float(self.detente_shares[i][j]),
                }
                for i in range(len(names))
                for j in range(len(names))
            ],
            "matrix": [[float(v) for v in row] for row in self.matrix],
            "evolution": None if self.evolution is None else self.evolution.to_dict(names),
        }


def default_entrants(scenario: Scenario, game: StageGame) -> list[str]:
    """The default field: every built-in strategy (default arguments), ``always_<move>``
    for each move both players have, and the file's own automata.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("prisoners-dilemma")
    >>> default_entrants(s, StageGame.from_scenario(s))[-2:]
    ['always_cooperate', 'always_defect']
    """
    names = list(strategy_names())
    names += [f"always_{m}" for m in game.row_moves if m in game.col_moves]
    names += [n for n in scenario.strategies if n not in names]
    return names


def _long_run(
    game: StageGame, row: Automaton, col: Automaton, noise: Number, target: tuple[int, int]
) -> tuple[Number, Number, Number]:
    _, T, outcomes = noisy_chain(game, row, col, noise)
    exact = game.is_exact and isinstance(noise, Fraction)
    if exact:
        A, B = game.require_exact()
        limit: Sequence[Number] = long_run_distribution(T)
    else:
        A, B = game.A.tolist(), game.B.tolist()
        limit = long_run_distribution([[float(v) for v in r] for r in T])
    zero: Number = Fraction(0) if exact else 0.0
    u = [zero, zero]
    share = zero
    for j, dist in enumerate(outcomes):
        for (a, b), p in dist.items():
            w = limit[j] * (p if exact else float(p))
            u[0] += w * A[a][b]
            u[1] += w * B[a][b]
            if (a, b) == target:
                share += w
    return u[0], u[1], share


def _evolve(matrix: Sequence[Sequence[Number]], horizon: float) -> TournamentEvolution:
    import nashpy

    M = np.array([[float(v) for v in r] for r in matrix])
    low, high = float(M.min()), float(M.max())
    M = (M - low) / (high - low) if high > low else np.zeros_like(M)
    k = len(M)
    xs = nashpy.Game(M, M.T).replicator_dynamics(
        y0=np.full(k, 1 / k), timepoints=np.linspace(0.0, horizon, 201)
    )
    end = np.clip(xs[-1], 0.0, None)
    end = end / end.sum()
    shares = tuple(float(v) for v in end)
    survivors = tuple(sorted((i for i in range(k) if shares[i] >= 0.01), key=lambda i: -shares[i]))
    return TournamentEvolution(horizon, shares, survivors)


def tournament(
    scenario: Scenario,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    score: str = "discounted",
    noise: Fraction | float | None = None,
    discount: Fraction | float | None = None,
    evolve: bool = True,
    horizon: float = 100.0,
) -> Tournament:
    """Play every entrant against every entrant, scored exactly from the Markov chain.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``repeated`` section (target, noise, discount).
    assumption : str
    overrides : mapping, optional
        ``--set`` values.
    strategies : sequence of str, optional
        Entrants by name (``"tit_for_tat"``, ``"k_period_punishment(k=3)"``, a name of
        the file's ``strategies:``); default :func:`default_entrants`, leaving out (and
        listing in :attr:`Tournament.skipped`) those the game does not allow.
    score : {"discounted", "long_run"}
    noise, discount : Fraction or float, optional
        Tremble probability in [0, 1) and discount factor in [0, 1) (default: the
        file's; floats read as their shortest decimal).
    evolve : bool
        Also run the replicator dynamics on the score matrix (nashpy).
    horizon : float
        Its end time.

    Returns
    -------
    Tournament

    Raises
    ------
    NegotiationError
        No ``repeated`` section, an unknown strategy, more than
        :data:`~negotiation.limits.MAX_ENTRANTS` entrants, a setting out of range.

    Examples
    --------
    Under 5% noise in the Prisoner's Dilemma, win-stay-lose-shift outscores
    tit-for-tat, whose echoes of each mistake are costly (Nowak & Sigmund 1993):

    >>> from negotiation.scenario import load_scenario
    >>> t = tournament(load_scenario("prisoners-dilemma"), noise=Fraction(1, 20),
    ...                strategies=["tit_for_tat", "win_stay_lose_shift"], evolve=False)
    >>> [t.entrants[k] for k in t.ranking]
    ['win_stay_lose_shift', 'tit_for_tat']
    """
    rep = scenario.repeated
    if rep is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    if score not in SCORES:
        raise NegotiationError(f"unknown score {score!r}: one of {', '.join(SCORES)}")
    game = StageGame.from_scenario(scenario, assumption, overrides)
    values = scenario.parameter_values(assumption, overrides)
    eps = _setting("noise", rep.noise.evaluate(values) if noise is None else noise, scenario)
    if discount is None:
        # The scenario's δ, one per player when its factors differ (each player's
        # payoff discounted with their own).
        own = tuple(
            _setting("discount", d, scenario) for d in discount_pair(rep.discount_value(values))
        )
        delta: Any = own[0] if own[0] == own[1] else own
    else:
        delta = _setting("discount", discount, scenario)
    if (
        isinstance(horizon, bool)
        or not isinstance(horizon, int | float)
        or not (0 < float(horizon) <= 1e6)
    ):
        raise NegotiationError(f"the horizon must be a number in (0, 1e6], got {horizon!r}")
    target = (game.row_moves.index(rep.target[0]), game.col_moves.index(rep.target[1]))
    asked = strategies is not None
    names = (
        list(dict.fromkeys(strategies))
        if strategies is not None
        else default_entrants(scenario, game)
    )
    if not names:
        raise NegotiationError("a tournament needs at least one strategy")
    if len(names) > MAX_ENTRANTS:
        raise NegotiationError(
            f"{len(names)} strategies is too many for one tournament: at most {MAX_ENTRANTS} "
            f"({MAX_ENTRANTS**2:,} matches)"
        )
    entrants: list[str] = []
    autos: list[tuple[Automaton, Automaton]] = []
    skipped: list[tuple[str, str]] = []
    for name in names:
        try:
            pair = tuple(
                strategy_for(
                    name, game, p, target, custom=scenario.strategies, punishment=rep.punishment
                )
                for p in (0, 1)
            )
        except GameError as exc:
            if asked:
                raise GameError(f"strategy {name!r}: {exc}") from None
            skipped.append((name, str(exc)))
            continue
        entrants.append(name)
        autos.append((pair[0], pair[1]))
    exact = (
        game.is_exact
        and isinstance(eps, Fraction)
        and all(isinstance(d, Fraction) for d in discount_pair(delta))
    )
    k = len(entrants)
    payoffs: list[list[tuple[Number, Number]]] = []
    shares: list[list[Number]] = []
    for i in range(k):
        prow, srow = [], []
        for j in range(k):
            row, col = autos[i][0], autos[j][1]
            if score == "discounted":
                m = noise_metrics(game, row, col, target, noise=eps, discount=delta)
                prow.append(m.discounted_payoffs)
                srow.append(m.detente_share)
            else:
                u0, u1, sh = _long_run(game, row, col, eps, target)
                prow.append((u0, u1))
                srow.append(sh)
        payoffs.append(prow)
        shares.append(srow)
    matrix = tuple(
        tuple((payoffs[i][j][0] + payoffs[j][i][1]) / 2 for j in range(k)) for i in range(k)
    )
    scores = tuple(sum(r, Fraction(0) if exact else 0.0) / k for r in matrix)
    ranking = tuple(sorted(range(k), key=lambda i: (-scores[i], i)))
    evolution = _evolve(matrix, float(horizon)) if evolve and k > 1 else None
    return Tournament(
        scenario.id,
        assumption,
        tuple(entrants),
        tuple(skipped),
        score,
        eps,
        delta,
        tuple(tuple(r) for r in payoffs),
        tuple(tuple(r) for r in shares),
        matrix,
        scores,
        ranking,
        exact,
        evolution,
        scenario.player_ids,
    )


def _setting(name: str, value: object, scenario: Scenario) -> Number:
    """Noise or discount as an exact number in [0, 1) (a float read as its shortest
    decimal)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise ScenarioError(f"the {name} must be a number, got {value!r}", file=scenario.file)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NegotiationError(f"the {name} must be a finite number, got {value!r}")
        exact: Number = Fraction(repr(value))
    else:
        exact = Fraction(value)
    if not 0 <= exact < 1:
        raise NegotiationError(f"the {name} must lie in [0, 1), got {value}")
    return exact
