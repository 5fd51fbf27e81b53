"""Sustainability of one strategy profile across many stage games at once (floating point).

:func:`negotiation.repeated.sustainability.sustainability` answers exactly, for one game,
with sympy. A parameter sweep asks the same question for thousands of games that share
the same pair of automata and differ only in payoffs. For a fixed joint automaton with
conforming transition matrix ``P`` every one-shot deviation condition is

``gain(δ) = (1 - δ) N(δ) / D(δ)``,  ``D(δ) = det(I - δP) > 0`` on ``[0, 1)``,

where ``N`` is a polynomial in δ whose coefficients are *linear* in the payoffs:
with ``adj(I - δP) = Σ_k B_k δ^k`` (Faddeev–LeVerrier) and ``W = adj(I - δP) u``,
``N = D u_dev + δ q·W - W_j`` for the deviation's payoff ``u_dev``, the next-state
distribution ``q`` after it and the current state ``j``. The coefficient maps are
derived once per joint automaton; for a stack of games the
coefficients are one matrix product, the roots in ``(0, 1)`` come from batched
companion-matrix eigenvalues, and the signs between roots decide each condition.

The critical δ is the least ``δ*`` with every condition holding on ``[δ*, 1)``: the
largest right end of an interval where some condition fails (``None`` when one fails
arbitrarily close to 1), exactly as in the exact analysis. Results are floats, accurate
to about 1e-9 relative to the payoff scale; :func:`sustainability` stays the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.repeated.conditions import conditions, path_of_play
from negotiation.repeated.joint import JointAutomaton

__all__ = ["BatchSustainability", "ConditionMaps", "batch_sustainability", "condition_maps"]

#: Relative tolerance on polynomial values (scaled by the largest coefficient).
TOL = 1e-9


@dataclass(frozen=True)
class ConditionMaps:
    """The one-shot deviation conditions of a joint automaton, linear in the payoffs.

    Read from :func:`negotiation.repeated.conditions.conditions` (exact, derived once)
    and rounded once to double precision.

    Attributes
    ----------
    joint : JointAutomaton
    player : numpy.ndarray of int, shape (C,)
        Whose condition each is (0 row, 1 column).
    maps : numpy.ndarray, shape (C, K, m * n)
        ``maps[c] @ U[player[c]].ravel()`` are the coefficients of ``N_c`` in ascending
        powers of δ (``K = states + 1``).
    denominator : numpy.ndarray, shape (K,)
        Coefficients of ``D(δ) = det(I - δP)``, ascending.
    on_target : bool
        Whether the path of play is the target profile for ever.
    maps_at_one, denominator_at_one : numpy.ndarray
        The same polynomials in powers of ``y = 1 - δ`` (exact shift, then rounded), for
        accurate values next to δ = 1.
    """

    joint: JointAutomaton
    player: np.ndarray
    maps: np.ndarray
    denominator: np.ndarray
    on_target: bool
    maps_at_one: np.ndarray
    denominator_at_one: np.ndarray


def condition_maps(row: object, col: object, target: tuple[int, int]) -> ConditionMaps:
    """The deviation conditions of a profile as float maps from payoffs to polynomials.

    Parameters
    ----------
    row, col : Automaton
        The row and the column player's strategies.
    target : (int, int)
        The détente profile.

    Returns
    -------
    ConditionMaps

    Examples
    --------
    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> cm = condition_maps(grim[0], grim[1], (0, 0))
    >>> cm.maps.shape, cm.on_target
    ((4, 4, 4), True)
    """
    from negotiation.repeated.automaton import Automaton

    assert isinstance(row, Automaton) and isinstance(col, Automaton)
    for auto in (row, col):
        auto.require_pure("the batched float engine")
    probabilities = [
        p for auto in (row, col) for s in auto.next for r in s for succ in r for _, p in succ
    ]
    # Probabilities read exactly from floats (huge denominators) make exact arithmetic
    # slow for no gain: the same derivation then runs in double precision.
    exact = all(p.denominator < 10**6 for p in probabilities)
    conds = conditions(row, col, exact)
    at_one, den_one = conds.float_maps_at_one
    path, _ = path_of_play(conds.joint)
    return ConditionMaps(
        joint=conds.joint,
        player=np.array(conds.player, dtype=int),
        maps=np.array(conds.float_maps),
        denominator=np.array(conds.float_denominator),
        on_target=all(p == tuple(target) for p in path),
        maps_at_one=at_one,
        denominator_at_one=den_one,
    )


def _polyval(coef: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Evaluate polynomials ``coef[..., k]`` (ascending) at ``x`` (broadcast)."""
    out = np.zeros(np.broadcast_shapes(coef.shape[:-1], x.shape))
    for k in range(coef.shape[-1] - 1, -1, -1):
        out = out * x + coef[..., k]
    return out


def _roots_in_unit(coef: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Real roots in ``(0, 1)`` of each row's polynomial, padded with ``nan``."""
    R, K = coef.shape
    out = np.full((R, max(K - 1, 1)), np.nan)
    big = np.abs(coef) > 1e-12 * scale[:, None]
    degree = np.where(big.any(axis=1), K - 1 - np.argmax(big[:, ::-1], axis=1), 0)
    for d in range(1, K):
        rows = np.flatnonzero(degree == d)
        if rows.size == 0:
            continue
        c = coef[rows, : d + 1]
        monic = c[:, :d] / c[:, d : d + 1]
        comp = np.zeros((rows.size, d, d))
        comp[:, 0, :] = -monic[:, ::-1]
        if d > 1:
            comp[:, np.arange(1, d), np.arange(d - 1)] = 1.0
        z = np.linalg.eigvals(comp)
        real = np.abs(z.imag) <= 1e-7 * np.maximum(1.0, np.abs(z.real))
        x = np.where(real & (z.real > 0) & (z.real < 1), z.real, np.nan)
        out[rows, :d] = x
    return out


def _deflate(coef: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Divide out every factor ``(1 - δ)`` (roots at 1 are common: ``D(1) = 0``).

    The sign on ``[0, 1)`` is unchanged, and roots at 1 no longer come back from the
    eigenvalue solver as ill-conditioned clusters just below 1."""
    coef = coef.copy()
    for _ in range(coef.shape[1] - 1):
        q = np.cumsum(coef, axis=1)
        hit = (np.abs(q[:, -1]) <= TOL * scale) & (np.abs(coef) > TOL * scale[:, None]).any(axis=1)
        if not hit.any():
            break
        coef[hit, :-1] = q[hit, :-1]
        coef[hit, -1] = 0.0
    return coef


def _violation_sup(coef: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Per row: sup of ``{δ in [0, 1): N(δ) > 0}``; -1 when empty, 1 when it reaches 1.

    ``scale`` bounds the size of each row's coefficients before cancellation; values
    within ``TOL * scale`` of zero count as zero."""
    R, _K = coef.shape
    coef = _deflate(coef, scale)
    roots = _roots_in_unit(coef, scale)
    pts = np.sort(
        np.concatenate([np.zeros((R, 1)), np.nan_to_num(roots, nan=1.0), np.ones((R, 1))], axis=1),
        axis=1,
    )
    lo, hi = pts[:, :-1], pts[:, 1:]
    mid = (lo + hi) / 2
    val = _polyval(coef[:, None, :], mid)
    bad = (val > TOL * scale[:, None]) & (hi > lo)
    return np.where(bad, hi, -1.0).max(axis=1)


@dataclass(frozen=True)
class BatchSustainability:
    """Sustainability of one profile in each of ``G`` games (floats, ``nan`` = none).

    Attributes
    ----------
    critical : numpy.ndarray, shape (G,)
        Critical δ (``nan`` when the profile never sustains the target on ``[δ*, 1)``).
    player_critical : numpy.ndarray, shape (G, 2)
    spe : numpy.ndarray of bool, shape (G,)
        Whether the profile is an SPE at the given δ.
    margin : numpy.ndarray, shape (G,)
        Incentive margin at δ, in stage-payoff units.
    on_target : bool
    uncertain : numpy.ndarray of bool, shape (G,)
        Where some gain at δ lies within its rounding-error bound of 0, so that the
        float engine cannot tell whether the profile is an SPE (decide exactly there).
    critical_error : numpy.ndarray, shape (G,)
        Half-width of a certified bracket around ``critical`` (the binding condition
        changes sign across it, with error bounds); ``inf`` where no bracket could be
        certified (a double root, a root at 0) -- decide exactly where it matters.
    """

    critical: np.ndarray
    player_critical: np.ndarray
    spe: np.ndarray
    margin: np.ndarray
    on_target: bool
    uncertain: np.ndarray
    critical_error: np.ndarray


#: Unit roundoff of double precision.
_U = 2.0**-53
#: Half-width of the bracket certified around a float critical δ.
BRACKET = 1e-9


def _gamma(n: int) -> float:
    """Higham's bound ``n u / (1 - n u)`` on the relative error of ``n`` roundings."""
    return n * _U / (1 - n * _U)


def _at(coef: np.ndarray, bound: np.ndarray, x: np.ndarray, n_ops: int) -> tuple[Any, Any]:
    """Values of polynomials (ascending coefficients) at ``x`` and rigorous bounds on
    their rounding errors (``bound`` holds the absolute sizes of the terms)."""
    val = _polyval(coef, x)
    return val, _gamma(n_ops) * _polyval(bound, np.abs(x)) * 1.01


def batch_sustainability(
    maps: ConditionMaps,
    A: np.ndarray,
    B: np.ndarray,
    discount: np.ndarray | float | Sequence[Any],
) -> BatchSustainability:
    """Critical δ, SPE at δ and the incentive margin of one profile in many games.

    Parameters
    ----------
    maps : ConditionMaps
        From :func:`condition_maps` for the profile.
    A, B : numpy.ndarray, shape (G, m, n)
        Payoffs of the row and the column player in each game.
    discount : float, numpy.ndarray of shape (G,) or (G, 2), or sequence of Fraction
        δ at which to test the profile and measure the margin. Give exact values
        (Fractions) for full accuracy next to δ = 1, where ``1 - δ`` is then exact.
        One δ per player: an array of shape (G, 2), or a sequence whose items are
        Fractions (common) or ``(δ_row, δ_col)`` pairs of them. Each player's conditions
        are tested at that player's own δ (they involve no other).

    Returns
    -------
    BatchSustainability

    Examples
    --------
    Grim trigger in Prisoner's Dilemmas with temptation T = 4, 5, 9 (R = 3, P = 1):
    δ* = (T - R) / (T - P).

    >>> from negotiation.games.stage_game import StageGame
    >>> from negotiation.repeated.library import build_strategy, context_for
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> grim = [build_strategy("grim_trigger", context_for(pd, p, (0, 0))) for p in (0, 1)]
    >>> T = np.array([4.0, 5.0, 9.0])
    >>> A = np.stack([[[3, 0], [t, 1]] for t in T]).astype(float)
    >>> res = batch_sustainability(condition_maps(*grim, (0, 0)), A, A.transpose(0, 2, 1), 0.6)
    >>> res.critical.round(6).tolist(), res.spe.tolist(), res.uncertain.tolist()
    ([0.333333, 0.5, 0.75], [True, True, False], [False, False, False])

    With δ = 0.6 for the row player and 0.4 for the column player, only T = 4 holds:

    >>> pairs = np.array([[0.6, 0.4]] * 3)
    >>> batch_sustainability(condition_maps(*grim, (0, 0)), A, A.transpose(0, 2, 1),
    ...                      pairs).spe.tolist()
    [True, False, False]
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    G = A.shape[0]
    y2 = _one_minus(discount, G)  # (G, 2): 1 - δ_i per point and player
    U = np.stack([A.reshape(G, -1), B.reshape(G, -1)])  # (2, G, F)
    C, K, F = maps.maps.shape
    player_sup = np.full((G, 2), -1.0)
    worst = np.full(G, -np.inf)
    uncertain = np.zeros(G, dtype=bool)
    crit_err = np.zeros(G)
    n_ops = F + 2 * K + 4  # dot products, Horner, rounding of maps, payoffs and δ
    if C:
        Ui, aUi = U[maps.player], np.abs(U[maps.player])
        coef = np.einsum("ckf,cgf->gck", maps.maps, Ui)  # (G, C, K)
        # Size of the terms before cancellation: the yardstick for "zero".
        bound = np.einsum("ckf,cgf->gck", np.abs(maps.maps), aUi)
        scale = np.maximum(bound.max(axis=2), 1e-300)
        sup = _violation_sup(coef.reshape(G * C, -1), scale.reshape(-1)).reshape(G, C)
        for i in (0, 1):
            mine = maps.player == i
            if mine.any():
                player_sup[:, i] = sup[:, mine].max(axis=1)
        crit_err = _certify(coef, bound, sup, n_ops)
        # Values at δ in powers of y = 1 - δ: accurate next to δ = 1.
        coef1 = np.einsum("ckf,cgf->gck", maps.maps_at_one, Ui)
        bound1 = np.einsum("ckf,cgf->gck", np.abs(maps.maps_at_one), aUi)
        y = y2[:, maps.player]  # (G, C): each condition at its player's own δ
        val, err = _at(coef1, bound1, y, n_ops)
        uncertain = ((np.abs(val) <= err) & (val != 0)).any(axis=1) & ~(val > err).any(axis=1)
        # D(δ) > 0 on [0, 1) with a root of order m at δ = 1: divide N and D by y^m.
        d1 = maps.denominator_at_one
        m = int(np.argmax(d1 != 0))
        den = _polyval(d1[m:], y)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            low = sum((coef1[..., k] * y ** (k - m) for k in range(m)), np.zeros((G, C)))
            ratio = (_polyval(coef1[..., m:], y) + low) / den
        ratio = np.where(val == 0, 0.0, ratio)
        worst = ratio.max(axis=1)
    pcrit = np.where(player_sup >= 1.0, np.nan, np.maximum(player_sup, 0.0))
    if not maps.on_target:
        pcrit[:] = np.nan
    crit = np.where(np.isnan(pcrit).any(axis=1), np.nan, pcrit.max(axis=1))
    spe = worst <= 0
    margin = np.where(np.isfinite(worst), -worst, 0.0)
    crit_err = np.where(np.isnan(crit), 0.0, crit_err)
    return BatchSustainability(crit, pcrit, spe, margin, maps.on_target, uncertain, crit_err)


def _one_minus(discount: Any, G: int) -> np.ndarray:
    """``1 - δ_i`` per point and player, shape (G, 2), from any form of ``discount``
    that :func:`batch_sustainability` takes (exact values converted exactly once)."""
    if isinstance(discount, (list, tuple)) and all(
        isinstance(d, Fraction) or (isinstance(d, tuple) and len(d) == 2) for d in discount
    ):
        y = np.empty((G, 2))
        seen: dict[int, float] = {}  # each distinct object converted once

        def one_minus(d: Any) -> float:
            v = seen.get(id(d))
            if v is None:
                v = seen[id(d)] = float(1 - d) if isinstance(d, Fraction) else 1.0 - float(d)
            return v

        for g, d in enumerate(discount):
            if isinstance(d, tuple):
                y[g, 0], y[g, 1] = one_minus(d[0]), one_minus(d[1])
            else:
                y[g, :] = one_minus(d)
        return y
    x = np.asarray(discount, dtype=float)
    if x.ndim == 2:
        return 1.0 - np.broadcast_to(x, (G, 2))
    return np.repeat((1.0 - np.broadcast_to(x, (G,)))[:, None], 2, axis=1)


def _certify(coef: np.ndarray, bound: np.ndarray, sup: np.ndarray, n_ops: int) -> np.ndarray:
    """Per game: ``BRACKET`` where the condition binding the critical δ ``r`` is
    certainly violated at ``r - BRACKET`` and certainly holds at ``r + BRACKET``
    (values beyond their error bounds), else ``inf``. A critical δ of 0 needs no
    bracket below."""
    G = coef.shape[0]
    top = sup.max(axis=1)
    c = sup.argmax(axis=1)
    rows = np.arange(G)
    out = np.full(G, np.inf)
    inside = (top > 0) & (top < 1)
    out[top <= 0] = 0.0
    if not inside.any():
        return out
    r = top[inside]
    cc, bb = coef[rows[inside], c[inside]], bound[rows[inside], c[inside]]
    lo_v, lo_e = _at(cc, bb, np.maximum(r - BRACKET, 0.0), n_ops)
    hi_v, hi_e = _at(cc, bb, np.minimum(r + BRACKET, 1.0), n_ops)
    ok = (lo_v > lo_e) & (hi_v < -hi_e)
    out[inside] = np.where(ok, BRACKET, np.inf)
    return out
