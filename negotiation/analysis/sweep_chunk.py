"""One chunk of a sweep: every ``compare`` metric for a stack of same-shape games.

A :class:`ChunkJob` holds plain numbers (payoff arrays, exact δ and ε per point, move
labels, strategy names or prebuilt automata), so it pickles cheaply to another process
or a dask worker; :func:`evaluate_chunk` turns it into columns of results.

How a chunk is evaluated:

* stage equilibria of all games at once
  (:func:`~negotiation.games.extreme_equilibria.equilibria_batch`);
* the default punishment profiles of all games at once
  (:func:`~negotiation.repeated.batch_punish.punishment_profiles`); games with equal
  profiles share their automata, which are built once per group;
* per group and strategy profile, critical δ, SPE at δ and the incentive margin of all
  its games at once (:func:`~negotiation.repeated.batch.batch_sustainability`);
* noise metrics once per automata pair and ε (they do not depend on payoffs), exact;
* the verdict by the rules of :mod:`negotiation.analysis.verdict`
  (:func:`~negotiation.analysis.verdict.grid_verdicts`), with the points where the
  float answer is within its error bound of a threshold flagged ``undecided`` (the
  caller decides those exactly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np

from negotiation.analysis.verdict import VerdictRules, grid_verdicts
from negotiation.errors import GameError
from negotiation.games.extreme_equilibria import equilibria_batch
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton
from negotiation.repeated.batch import ConditionMaps, batch_sustainability, condition_maps
from negotiation.repeated.batch_punish import punishment_profiles, punishment_ties
from negotiation.repeated.library import (
    Context,
    build_strategy,
    default_generosity,
    generous_tit_for_tat,
)
from negotiation.repeated.noise import noise_metrics
from negotiation.scenario.discounts import discount_pair
from negotiation.scenario.strategy_specs import parse_strategy_name

__all__ = ["ChunkJob", "evaluate_chunk", "profile_label"]

Spec = str | tuple[Automaton, Automaton]


def profile_label(pair: tuple[str, str]) -> str:
    """``"name"`` for a symmetric profile, ``"row / column"`` otherwise.

    Examples
    --------
    >>> profile_label(("grim_trigger", "grim_trigger")), profile_label(("a", "b"))
    ('grim_trigger', 'a / b')
    """
    r, c = pair
    return r if r == c else f"{r} / {c}"


@dataclass(frozen=True)
class ChunkJob:
    """The inputs of one chunk (see the module docstring)."""

    A: np.ndarray
    B: np.ndarray
    #: δ at each point: a Fraction, or a ``(δ_row, δ_col)`` pair where they differ.
    discount: tuple[Fraction | tuple[Fraction, Fraction], ...]
    noise: tuple[Fraction, ...]
    players: tuple[str, str]
    moves: tuple[tuple[str, ...], tuple[str, ...]]
    target: tuple[int, int]
    profiles: tuple[tuple[tuple[str, str], Spec, Spec], ...]
    punishment: str
    min_slack: Fraction
    min_share: Fraction
    noise_metrics: bool = True
    equilibria: bool = True


def _per_game(spec: Spec) -> bool:
    """Whether a strategy's automaton depends on the game's payoffs themselves, not
    only on its punishment profile (generous tit-for-tat's default generosity)."""
    if not isinstance(spec, str):
        return False
    name, args = parse_strategy_name(spec)
    return name == "generous_tit_for_tat" and "q" not in args


def _builder(job: ChunkJob) -> Any:
    """A cached function (spec, player, punish key, game index) -> Automaton."""
    cache: dict[Any, Automaton] = {}
    parsed: dict[str, tuple[str, dict[str, Any]]] = {}

    def game_at(g: int, exact: bool) -> StageGame:
        A, B = job.A[g], job.B[g]
        if exact:  # the float values, read exactly (for payoff-dependent strategies)
            A = [[Fraction(float(v)) for v in row] for row in A]
            B = [[Fraction(float(v)) for v in row] for row in B]
        return StageGame.from_payoffs(
            A,
            B,
            players=job.players,
            row_moves=job.moves[0],
            col_moves=job.moves[1],
            exact=exact,
        )

    def build(
        spec: Spec, player: int, punish: tuple[tuple[int, int], ...], g: int
    ) -> tuple[Any, Automaton]:
        """(a cheap key, the automaton); equal keys mean equal automata."""
        if not isinstance(spec, str):
            return (id(spec), player), spec[player]
        if spec not in parsed:
            parsed[spec] = parse_strategy_name(spec)
        name, args = parsed[spec]
        if punish[0][0] < 0:
            raise GameError(
                "the stage game has no pure equilibrium to revert to; use punishment: minmax "
                "(punishment: nash-any, a mixed equilibrium, is analysed exactly by "
                "stability and compare)"
            )
        pun = (punish[0], punish[1])
        if name == "generous_tit_for_tat" and "q" not in args:
            # The default generosity depends on the payoffs: automata are shared by
            # games with the same generosity only. It is rounded to double precision
            # (keeping later exact arithmetic on small numbers).
            ctx = Context(game_at(g, True), player, job.target, pun)
            q = Fraction(float(default_generosity(ctx)))
            key: tuple[Any, ...] = (spec, player, punish, q)
            if key not in cache:
                cache[key] = generous_tit_for_tat(ctx, q)
            return key, cache[key]
        key = (spec, player, punish)
        if key not in cache:
            ctx = Context(game_at(g, False), player, job.target, pun)
            cache[key] = build_strategy(name, ctx, **args)
        return key, cache[key]

    return build


@lru_cache(maxsize=1024)
def _maps(row: Automaton, col: Automaton, target: tuple[int, int]) -> ConditionMaps:
    return condition_maps(row, col, target)


@lru_cache(maxsize=4096)
def _noise(
    row: Automaton, col: Automaton, target: tuple[int, int], eps: Fraction, shape: tuple[int, int]
) -> tuple[float, float, float]:
    """Détente share, rounds to breakdown and to recovery (they do not depend on payoffs).

    Exact for automata with small-denominator probabilities, else in floats (a
    payoff-dependent generosity read from floats has huge denominators)."""
    zeros = [[0] * shape[1] for _ in range(shape[0])]
    game = StageGame.from_payoffs(zeros, zeros)
    probabilities = [
        p for auto in (row, col) for s in auto.next for r in s for succ in r for _, p in succ
    ]
    small = all(p.denominator < 10**6 for p in probabilities)
    m = noise_metrics(
        game, row, col, target, noise=eps if small else float(eps), discount=Fraction(0)
    )
    return (
        float(m.detente_share),
        math.nan if m.rounds_to_breakdown is None else float(m.rounds_to_breakdown),
        math.nan if m.rounds_to_recover is None else float(m.rounds_to_recover),
    )


def _floats(values: tuple[Fraction, ...]) -> np.ndarray:
    """Exact values as floats, each distinct object converted once."""
    seen: dict[int, float] = {}
    out = np.empty(len(values))
    for g, v in enumerate(values):
        f = seen.get(id(v))
        if f is None:
            f = seen[id(v)] = float(v)
        out[g] = f
    return out


def _equilibria(job: ChunkJob) -> tuple[list[str], np.ndarray, np.ndarray]:
    G = job.A.shape[0]
    eqs = equilibria_batch(job.A, job.B)
    pure: list[list[tuple[int, int]]] = [[] for _ in range(G)]
    mixed = np.zeros(G, dtype=int)
    for g, x, y in zip(eqs.game.tolist(), eqs.row, eqs.col):
        if (x > 1e-9).sum() == 1 and (y > 1e-9).sum() == 1:
            pure[g].append((int(x.argmax()), int(y.argmax())))
        else:
            mixed[g] += 1
    rows, cols = job.moves
    labels = []
    on_target = np.zeros(G, dtype=bool)
    for g in range(G):
        names = [f"({rows[i]}, {cols[j]})" for i, j in sorted(pure[g])]
        labels.append("; ".join(names + ["mixed"] * int(mixed[g])))
        on_target[g] = tuple(job.target) in pure[g]
    counts = np.array([len(p) for p in pure]) + mixed
    return labels, on_target, counts


def evaluate_chunk(job: ChunkJob) -> dict[str, Any]:
    """Every metric at every point of the chunk, as columns.

    Returns
    -------
    dict
        ``stage_equilibria`` (list of str), ``n_equilibria``,
        ``detente_is_stage_equilibrium``; per profile ``k``: ``critical[k]``,
        ``spe[k]``, ``sustained[k]`` (SPE at δ with the détente on the path),
        ``margin[k]``, ``share[k]``, ``breakdown[k]``, ``recover[k]`` (arrays over
        points, ``nan`` for none; the noise metrics only where the profile is
        sustained); ``best`` (profile index, -1 for none),
        ``slack``, ``verdict``, ``undecided`` (where the float answer is within its
        error bound of a verdict threshold, see
        :func:`~negotiation.analysis.verdict.grid_verdicts`: the caller must decide
        those points exactly) and ``error`` (empty string, or why a point could not be
        analysed). A job with ``equilibria=False`` skips the stage equilibria:
        ``stage_equilibria`` is then empty text and ``n_equilibria`` -1.

    Examples
    --------
    >>> A = np.array([[[3.0, 0.0], [t, 1.0]] for t in (4.0, 9.0)])
    >>> job = ChunkJob(A, A.transpose(0, 2, 1), (Fraction(7, 10),) * 2, (Fraction(0),) * 2,
    ...                ("r", "c"), (("C", "D"), ("C", "D")), (0, 0),
    ...                ((("grim_trigger", "grim_trigger"), "grim_trigger", "grim_trigger"),),
    ...                "nash", Fraction(1, 20), Fraction(1, 2))
    >>> out = evaluate_chunk(job)
    >>> out["critical"][0].round(4).tolist(), out["verdict"], out["undecided"].tolist()
    ([0.3333, 0.75], ['stable', 'unsustainable'], [False, False])
    """
    G = job.A.shape[0]
    if job.equilibria:
        labels, target_eq, counts = _equilibria(job)
    else:  # not wanted (e.g. tipping-point scans): the costliest step for large games
        labels, target_eq, counts = [""] * G, np.zeros(G, dtype=bool), np.full(G, -1)
    out: dict[str, Any] = {
        "stage_equilibria": labels,
        "n_equilibria": counts,
        "detente_is_stage_equilibrium": target_eq,
    }
    P = len(job.profiles)
    shape = (P, G)
    crit = np.full(shape, np.nan)
    spe = np.zeros(shape, dtype=bool)
    margin = np.full(shape, np.nan)
    share = np.full(shape, np.nan)
    breakdown = np.full(shape, np.nan)
    recover = np.full(shape, np.nan)
    sustained = np.zeros(shape, dtype=bool)
    # Error bounds of the float engine, when it gives them (``critical_error``: a bound
    # on each critical δ's error; ``uncertain``: the SPE test at δ undecided); else the
    # critical δ counts as exact up to rounding, and the verdict flags δ within
    # rounding of it (grid_verdicts).
    crit_error = np.zeros(shape)
    uncertain = np.zeros(shape, dtype=bool)
    errors = [""] * G
    punish = punishment_profiles(job.A, job.B, job.punishment)
    # Where the punishment hangs on a near tie, the automata may differ from the exact
    # ones: those points are decided exactly.
    uncertain[:, punishment_ties(job.A, job.B, job.punishment)] = True
    build = _builder(job)
    per_player = any(isinstance(d, tuple) for d in job.discount)
    if per_player:
        delta = np.array([[float(x) for x in discount_pair(d)] for d in job.discount])
    else:
        delta = _floats(job.discount)  # type: ignore[arg-type]
    player_crit = np.full((P, G, 2), np.nan)
    # Games with the same punishment profiles share their automata (except where a
    # strategy depends on the payoffs themselves): built once per distinct profile.
    distinct, inverse = np.unique(punish.reshape(G, -1), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    by_punish = [
        (tuple(map(tuple, punish[int(members[0])].tolist())), members.tolist())
        for members in (np.flatnonzero(inverse == u) for u in range(len(distinct)))
    ]
    # Each distinct ε once (they are the same object in a sweep that does not vary it).
    eps_code: dict[int, int] = {}
    eps_values: list[Fraction] = []
    for e in job.noise:
        if id(e) not in eps_code:
            eps_code[id(e)] = len(eps_values)
            eps_values.append(e)
    eps_of = np.array([eps_code[id(e)] for e in job.noise], dtype=int)
    groups: dict[Any, list[int]] = {}
    autos: dict[Any, tuple[Automaton, Automaton]] = {}
    for k, (_, rspec, cspec) in enumerate(job.profiles):
        groups.clear()
        per_game = _per_game(rspec) or _per_game(cspec)
        for key, members in by_punish:
            for g in members if per_game else members[:1]:
                try:
                    (rk, ra), (ck, ca) = build(rspec, 0, key, g), build(cspec, 1, key, g)
                except GameError as exc:
                    for h in [g] if per_game else members:
                        errors[h] = errors[h] or str(exc)
                    continue
                autos[(rk, ck)] = (ra, ca)
                groups.setdefault((rk, ck), []).extend([g] if per_game else members)
        for gkey, members in groups.items():
            pair = autos[gkey]
            idx = np.array(sorted(members))
            pair[0].check_moves(*job.A.shape[1:])
            pair[1].check_moves(job.A.shape[2], job.A.shape[1])
            maps = _maps(pair[0], pair[1], job.target)
            res = batch_sustainability(
                maps, job.A[idx], job.B[idx], [job.discount[g] for g in members]
            )
            crit[k, idx] = res.critical
            player_crit[k, idx] = res.player_critical
            spe[k, idx] = res.spe
            margin[k, idx] = res.margin
            sustained[k, idx] = res.spe & res.on_target
            crit_error[k, idx] = res.critical_error
            uncertain[k, idx] |= res.uncertain
            shape = (job.A.shape[1], job.A.shape[2])
            if not job.noise_metrics:
                continue
            # Noise metrics matter only where the profile sustains the détente (the
            # verdict and the best profile use no others); they cost a Markov chain
            # per automata pair and ε.
            held = idx[res.spe & res.on_target]
            for code in np.unique(eps_of[held]).tolist():
                at = held[eps_of[held] == code]
                share[k, at], breakdown[k, at], recover[k, at] = _noise(
                    pair[0], pair[1], job.target, eps_values[code], shape
                )
    out.update(
        critical=crit,
        spe=spe,
        sustained=sustained,
        margin=margin,
        share=share,
        breakdown=breakdown,
        recover=recover,
    )
    rules = VerdictRules(job.min_slack, job.min_share)
    found = grid_verdicts(
        crit,
        sustained,
        share,
        delta,
        rules,
        critical_error=crit_error,
        uncertain=uncertain,
        player_critical=player_crit if per_player else None,
    )
    out.update(found.columns())
    for g in range(G):
        if errors[g]:
            out["verdict"][g] = "n/a"
            out["best"][g] = -1
            out["undecided"][g] = False
    out["error"] = errors
    return out
