"""Which strategy explains each side's observed moves? Maximum likelihood with trembles.

Method (the strategy-frequency estimation of Dal Bó & Fréchette 2011, applied to each
player separately by :func:`fit_player`, and to a population of many histories by
:func:`~negotiation.analysis.strategy_frequencies.estimate_frequencies`). A candidate
strategy is a finite automaton driven by the *realised* move profiles (own move, other's
move). In every round it intends a move, and the player trembles with probability ``ε``:
the intended move is played with probability ``1 - ε`` and each of the player's
``m - 1`` other moves with probability ``ε / (m - 1)``. This is the tremble of
:func:`~negotiation.repeated.simulate.simulate`, of :mod:`negotiation.repeated.noise`
and of a scenario's ``repeated.noise``, so a history simulated with noise ``ε`` is
fitted with ``ε̂`` close to ``ε``; a player with a single move never trembles. The
probability of the observed move ``o_t`` is therefore

    P(o_t) = 1 - ε            if o_t = intended_t,
    P(o_t) = ε / (m - 1)      otherwise,

and the log-likelihood of a deterministic strategy with ``k`` mismatches in ``T``
rounds is ``(T - k) log(1 - ε) + k log(ε / (m - 1))``, maximised in closed form by
``ε̂ = k/T``. The tremble is estimated in ``[0, (m-1)/m]``, where the intended move is
at least as likely as any other one (at ``ε = (m-1)/m`` every move has probability
``1/m``: the strategy explains nothing); beyond it a strategy would be rewarded for
*not* playing its moves (with two moves, always-cooperate at ``ε = 1`` would explain
always-defect perfectly). Hence ``ε̂ = min(k/T, (m-1)/m)``. A stochastic strategy
(generous tit-for-tat) has a hidden state: its likelihood is computed with the forward
algorithm over the automaton's state distribution and maximised over ``ε`` numerically.

Candidates with identical intended moves in every round of the history are
*indistinguishable* on it (their likelihoods coincide for every ε). A player's fit is
*inconclusive* when the history has fewer than :data:`MIN_ROUNDS` rounds, or when a
candidate that predicts differently somewhere in the history comes within
:data:`LIKELIHOOD_MARGIN` log-likelihood units of the best (a likelihood ratio below
``e² ≈ 7.4``).

With many histories from one population,
:func:`~negotiation.analysis.strategy_frequencies.estimate_frequencies` estimates the
mixture: the frequency ``φ_k`` of each candidate and one common ε, maximising
``Π_i Σ_k φ_k L_ik(ε)`` by EM (Dempster, Laird & Rubin 1977), and classifies each
history by its posterior.

References
----------
Dal Bó, P. & Fréchette, G. R. (2011). The evolution of cooperation in infinitely
repeated games: experimental evidence. *American Economic Review* 101(1), 411-429.
Dal Bó, P. & Fréchette, G. R. (2018). On the determinants of cooperation in infinitely
repeated games: a survey. *Journal of Economic Literature* 56(1), 60-114.
Dempster, A. P., Laird, N. M. & Rubin, D. B. (1977). Maximum likelihood from incomplete
data via the EM algorithm. *Journal of the Royal Statistical Society B* 39(1), 1-38.
Fudenberg, D., Rand, D. G. & Dreber, A. (2012). Slow to anger and fast to forgive:
cooperation in an uncertain world. *American Economic Review* 102(2), 720-749.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from negotiation.analysis.tremble_likelihood import (
    Prediction,
    fit_automaton,
    fit_trace,
    log_likelihood,
    max_tremble,
    trace_automaton,
)
from negotiation.errors import GameError, NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.records import TabularResult, flatten, short_repr
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.library import strategy_names
from negotiation.repeated.profiles import strategy_for
from negotiation.scenario.model import BASELINE, AutomatonSpec, Scenario
from negotiation.scenario.overrides import Overrides, assumption_label, override_record

__all__ = [
    "LIKELIHOOD_MARGIN",
    "MIN_ROUNDS",
    "FitResult",
    "PlayerFit",
    "StrategyFit",
    "candidate_automata",
    "candidate_strategies",
    "fit_automaton",
    "fit_moves",
    "fit_player",
    "fit_strategies",
    "log_likelihood",
    "max_tremble",
]

#: Fewer observed rounds than this and a player's fit is flagged inconclusive.
MIN_ROUNDS = 10
#: A differently-predicting candidate within this many log-likelihood units of the best
#: makes a player's fit inconclusive (likelihood ratio below e**2).
LIKELIHOOD_MARGIN = 2.0


@dataclass(frozen=True)
class StrategyFit:
    """How well one candidate strategy explains one player's moves.

    Attributes
    ----------
    strategy : str
        Candidate name, as accepted by ``--strategy``.
    log_likelihood : float
        Maximised log-likelihood (natural log) of the player's observed moves.
    tremble : float
        The maximising tremble probability ε̂ in ``[0, (m-1)/m]``: the estimated
        probability of playing a move other than the intended one.
    mismatches : int
        Rounds whose observed move the strategy could not have intended (for a
        stochastic strategy: no state it may be in plays that move).
    deterministic : bool
        Whether the automaton is deterministic (else the forward algorithm was used).
    group : int
        Prediction class, numbered in rank order from 1: candidates in one class
        predict the same in every round of this history.
    same_as : tuple of str
        The other candidates of its class (indistinguishable on this history).
    """

    strategy: str
    log_likelihood: float
    tremble: float
    mismatches: int
    deterministic: bool
    group: int = 0
    same_as: tuple[str, ...] = ()

    @property
    def indistinguishable(self) -> bool:
        """Whether another candidate predicts exactly the same on this history."""
        return bool(self.same_as)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "strategy": self.strategy,
            "log_likelihood": self.log_likelihood,
            "tremble": self.tremble,
            "mismatches": self.mismatches,
            "deterministic": self.deterministic,
            "group": self.group,
            "indistinguishable": self.indistinguishable,
            "same_as": list(self.same_as),
        }


@dataclass(frozen=True)
class PlayerFit:
    """The ranked candidates for one player, with warnings.

    Attributes
    ----------
    player : str
        Player id.
    rounds : int
        Observed rounds ``T``.
    moves : int
        The player's number of moves ``m``.
    fits : tuple of StrategyFit
        Ranked by log-likelihood, best first (ties keep the candidate order).
    warnings : tuple of str
        Why the fit is inconclusive, if it is (see :data:`MIN_ROUNDS` and
        :data:`LIKELIHOOD_MARGIN`).
    skipped : tuple of (str, str)
        Candidates that could not be built for this game, with the reason.
    """

    player: str
    rounds: int
    moves: int
    fits: tuple[StrategyFit, ...]
    warnings: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()

    @property
    def best(self) -> StrategyFit:
        """The top-ranked candidate."""
        return self.fits[0]

    @property
    def conclusive(self) -> bool:
        """Whether the history discriminates the best candidate (no warnings)."""
        return not self.warnings

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "player": self.player,
            "rounds": self.rounds,
            "moves": self.moves,
            "conclusive": self.conclusive,
            "warnings": list(self.warnings),
            "fits": [f.to_dict() for f in self.fits],
            "skipped": [{"strategy": s, "reason": r} for s, r in self.skipped],
        }


@dataclass(frozen=True)
class FitResult(TabularResult):
    """Strategy fits of both players of a scenario's observed history.

    Attributes
    ----------
    scenario, title, assumption : str
    target : (str, str)
        The détente profile the built-in strategies aim at.
    dates : (str, str)
        First and last observed date.
    players : (PlayerFit, PlayerFit)
        Row player first.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> fit = fit_strategies(load_scenario("us-china-tariffs-2025"))
    >>> [p.player for p in fit.players]
    ['us', 'cn']
    """

    __repr__ = short_repr

    def to_records(self) -> list[dict[str, Any]]:
        """One record per player and candidate strategy (the JSON ``fits``).

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> rec = fit_strategies(load_scenario("us-china-tariffs-2025")).to_records()[0]
        >>> sorted(k for k in rec if k in ("player", "strategy", "log_likelihood"))
        ['log_likelihood', 'player', 'strategy']
        """
        d = self.to_dict()
        return [
            flatten(
                {
                    "scenario": d["scenario"],
                    "assumption": d["assumption"],
                    "player": p["player"],
                    **f,
                }
            )
            for p in d["players"]
            for f in p["fits"]
        ]

    scenario: str
    title: str
    assumption: str
    target: tuple[str, str]
    dates: tuple[str, str]
    players: tuple[PlayerFit, PlayerFit]
    overrides: Overrides = ()

    @property
    def label(self) -> str:
        """The assumption with the overrides applied, e.g. ``baseline with T=7``."""
        return assumption_label(self.assumption, self.overrides)

    @property
    def rounds(self) -> int:
        """Number of observed rounds."""
        return self.players[0].rounds

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "scenario": self.scenario,
            "title": self.title,
            "assumption": self.assumption,
            "overrides": dict(self.overrides),
            "target": list(self.target),
            "rounds": self.rounds,
            "dates": list(self.dates),
            "min_rounds": MIN_ROUNDS,
            "likelihood_margin": LIKELIHOOD_MARGIN,
            "players": [p.to_dict() for p in self.players],
        }


# ----------------------------------------------------------------- candidates


def candidate_strategies(
    game: StageGame, player: int, custom: Mapping[str, AutomatonSpec] | None = None
) -> list[str]:
    """The default candidate names for one player.

    Every built-in strategy with its default arguments (but ``optimal_penal_code``),
    ``k_period_punishment(k=1..3)``
    instead of the default ``k``, ``always_<move>`` for each of the player's moves, and
    the custom automata declared for this player (or for both).

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> candidate_strategies(pd, 0)[-3:]
    ['stick_and_carrot', 'always_C', 'always_D']
    """
    names: list[str] = []
    for name in strategy_names():
        if name == "optimal_penal_code":  # a search for the target, not a behaviour
            continue
        if name == "k_period_punishment":
            names += [f"k_period_punishment(k={k})" for k in (1, 2, 3)]
        else:
            names.append(name)
    labels = (game.row_moves, game.col_moves)[player]
    names += [f"always_{move}" for move in labels]
    for name, spec in (custom or {}).items():
        if spec.player is None or spec.player == game.players[player]:
            names.append(name)
    return names


def candidate_automata(
    game: StageGame,
    player: int,
    target: tuple[int, int],
    strategies: Sequence[str] | None = None,
    custom: Mapping[str, AutomatonSpec] | None = None,
    punishment: str = "nash",
) -> tuple[dict[str, Automaton], tuple[tuple[str, str], ...]]:
    """Build the candidates of one player, with those that do not apply and why.

    Parameters
    ----------
    game : StageGame
    player : int
        0 (row) or 1 (column).
    target : (int, int)
        The détente profile as move indices.
    strategies : sequence of str, optional
        Names to build (default: :func:`candidate_strategies`); an explicit name that
        cannot be built raises, a default one is skipped.
    custom : mapping, optional
        Custom automata by name.
    punishment : {"nash", "nash-any", "minmax"}

    Returns
    -------
    (dict, tuple)
        Automata by name, and ``(name, reason)`` for each candidate left out.

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> autos, skipped = candidate_automata(pd, 1, (0, 0), ["tit_for_tat", "always_D"])
    >>> sorted(autos), skipped
    (['always_D', 'tit_for_tat'], ())
    """
    explicit = bool(strategies)
    names = list(strategies) if strategies else candidate_strategies(game, player, custom)
    pid = game.players[player]
    autos: dict[str, Automaton] = {}
    skipped: list[tuple[str, str]] = []
    for name in names:
        spec = (custom or {}).get(name)
        if spec is not None and spec.player not in (None, pid):
            skipped.append((name, f"declared for player {spec.player!r}"))
            continue
        try:
            autos[name] = strategy_for(
                name, game, player, target, custom=custom, punishment=punishment
            )
        except GameError as exc:
            if explicit:
                raise
            skipped.append((name, str(exc)))
    if not autos:
        raise GameError(f"no candidate strategy applies to player {pid!r}")
    return autos, tuple(skipped)


def fit_player(
    candidates: Mapping[str, Automaton],
    own: Sequence[int],
    other: Sequence[int],
    *,
    player: str = "",
    skipped: Sequence[tuple[str, str]] = (),
) -> PlayerFit:
    """Rank candidate strategies for one player by maximised log-likelihood.

    Ties are broken towards the automaton with fewer states, then the candidate
    order. Candidates that predict the same intended move (distribution) in every
    round share a ``group`` and list each other in ``same_as``.

    Parameters
    ----------
    candidates : mapping of str to Automaton
        The player's candidate strategies, e.g. from :func:`candidate_automata`.
    own, other : sequence of int
        Realised move indices of the player and of the other player.
    player : str
        Player id, for the result.
    skipped : sequence of (str, str)
        Candidates left out, reported in the result.

    Returns
    -------
    PlayerFit

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> autos, _ = candidate_automata(pd, 0, (0, 0), ["grim_trigger", "always_D"])
    >>> fit = fit_player(autos, [1, 1, 1], [0, 1, 1], player="row")
    >>> [(f.strategy, f.mismatches, f.same_as) for f in fit.fits]
    [('always_D', 0, ()), ('grim_trigger', 1, ())]
    >>> fit.warnings[0]
    'only 3 observed rounds (fewer than 10): too short to discriminate between strategies'
    """
    if len(own) != len(other):
        raise GameError("own and other moves must cover the same rounds")
    if not candidates:
        raise GameError("no candidate strategies to fit")
    raw = []
    for index, (name, auto) in enumerate(candidates.items()):
        trace = trace_automaton(auto, own, other)
        ll, eps, k = fit_trace(trace)
        raw.append(
            (
                (-round(ll, 9), auto.size, index),
                StrategyFit(name, ll, eps, k, auto.is_deterministic),
                trace.predictions,
            )
        )
    raw.sort(key=lambda item: item[0])
    groups: dict[tuple[Prediction, ...], int] = {}
    members: dict[tuple[Prediction, ...], list[str]] = {}
    for _, fit, preds in raw:
        groups.setdefault(preds, len(groups) + 1)
        members.setdefault(preds, []).append(fit.strategy)
    fits = [
        replace(
            fit,
            group=groups[preds],
            same_as=tuple(n for n in members[preds] if n != fit.strategy),
        )
        for _, fit, preds in raw
    ]
    moves = next(iter(candidates.values())).own_moves
    return PlayerFit(
        player, len(own), moves, tuple(fits), _warnings(fits, len(own)), tuple(skipped)
    )


def _warnings(fits: Sequence[StrategyFit], rounds: int) -> tuple[str, ...]:
    out = []
    if rounds < MIN_ROUNDS:
        out.append(
            f"only {rounds} observed rounds (fewer than {MIN_ROUNDS}): too short to "
            "discriminate between strategies"
        )
    best = fits[0]
    close = [
        f
        for f in fits
        if f.group != best.group and best.log_likelihood - f.log_likelihood < LIKELIHOOD_MARGIN
    ]
    if close:
        shown = ", ".join(f.strategy for f in close[:3])
        if len(close) > 3:
            shown += f" and {len(close) - 3} more"
        out.append(
            f"{best.strategy} is not clearly better than {shown}: they predict differently "
            f"but come within {LIKELIHOOD_MARGIN:g} log-likelihood units (likelihood ratio "
            "below e^2)"
        )
    return tuple(out)


def fit_moves(
    game: StageGame,
    target: tuple[int, int],
    row: Sequence[int],
    col: Sequence[int],
    *,
    strategies: Sequence[str] | None = None,
    custom: Mapping[str, AutomatonSpec] | None = None,
    punishment: str = "nash",
) -> tuple[PlayerFit, PlayerFit]:
    """Rank candidate strategies for both players of an observed history of move indices.

    Parameters
    ----------
    game : StageGame
        The stage game the strategies are built for.
    target : (int, int)
        The détente profile as (row move, column move) indices.
    row, col : sequence of int
        Realised move indices of the row and the column player, round by round.
    strategies : sequence of str, optional
        Candidate names (default: :func:`candidate_strategies` for each player).
    custom : mapping, optional
        Custom automata by name (a scenario's ``strategies``).
    punishment : {"nash", "nash-any", "minmax"}
        Punishment of the built-in strategies.

    Returns
    -------
    (PlayerFit, PlayerFit)

    Examples
    --------
    The row player copies the column player's previous move:

    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> col = [0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1]
    >>> row = [0] + col[:-1]
    >>> fits = fit_moves(pd, (0, 0), row, col)[0].fits
    >>> [(f.strategy, f.mismatches, f.same_as) for f in fits[:2]]
    [('tit_for_tat', 0, ('contrite_tit_for_tat',)), ('contrite_tit_for_tat', 0, ('tit_for_tat',))]
    """
    if len(row) != len(col):
        raise GameError("the row and column moves must cover the same rounds")
    out = []
    for player in (0, 1):
        autos, skipped = candidate_automata(game, player, target, strategies, custom, punishment)
        own, other = (row, col) if player == 0 else (col, row)
        out.append(fit_player(autos, own, other, player=game.players[player], skipped=skipped))
    return out[0], out[1]


def fit_strategies(
    scenario: Scenario,
    assumption: str = BASELINE,
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
) -> FitResult:
    """Which strategy best explains each side's moves in the scenario's ``history:``?

    Builds the candidates on the scenario's stage game under ``assumption`` (target
    and punishment from ``repeated:``) and ranks them per player by maximised
    log-likelihood; see :mod:`negotiation.analysis.fit` for the model.

    Parameters
    ----------
    scenario : Scenario
        A scenario with a ``history:`` and a ``repeated:`` section.
    assumption : str
        ``"baseline"`` or a named assumption.
    overrides : mapping, optional
        ``--set``-style parameter values.
    strategies : sequence of str, optional
        Restrict the candidates to these names (built-in, ``always_<move>`` or custom).

    Returns
    -------
    FitResult

    Raises
    ------
    NegotiationError
        No history, no ``repeated:`` section, or a strategy that cannot be built.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> result = fit_strategies(load_scenario("us-china-tariffs-2025"))
    >>> result.players[0].player, result.rounds >= 3
    ('us', True)
    """
    if not scenario.history:
        raise NegotiationError(
            f"{scenario.file}: no observed history: add a 'history:' section listing the "
            "rounds (date, moves, source) to fit strategies to"
        )
    if scenario.repeated is None:
        raise NegotiationError(
            f"{scenario.file}: fitting strategies needs a 'repeated:' section with the "
            "détente target"
        )
    game = StageGame.from_scenario(scenario, assumption, overrides)
    rep = scenario.repeated
    target = (game.row_moves.index(rep.target[0]), game.col_moves.index(rep.target[1]))
    row = [game.row_moves.index(o.moves[0]) for o in scenario.history]
    col = [game.col_moves.index(o.moves[1]) for o in scenario.history]
    players = fit_moves(
        game,
        target,
        row,
        col,
        strategies=strategies,
        custom=scenario.strategies,
        punishment=rep.punishment,
    )
    return FitResult(
        scenario=scenario.id,
        title=scenario.title,
        assumption=assumption,
        target=(rep.target[0], rep.target[1]),
        dates=(scenario.history[0].date, scenario.history[-1].date),
        players=players,
        overrides=override_record(overrides),
    )
