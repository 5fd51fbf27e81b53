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

from dataclasses import dataclass

import numpy as np

from negotiation.repeated.joint import JointAutomaton, joint_automaton
from negotiation.repeated.sustainability import on_path

__all__ = ["BatchSustainability", "ConditionMaps", "batch_sustainability", "condition_maps"]

#: Relative tolerance on polynomial values (scaled by the largest coefficient).
TOL = 1e-9


@dataclass(frozen=True)
class ConditionMaps:
    """The one-shot deviation conditions of a joint automaton, linear in the payoffs.

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
    """

    joint: JointAutomaton
    player: np.ndarray
    maps: np.ndarray
    denominator: np.ndarray
    on_target: bool


def _leverrier(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients of ``det(I - δP)`` (ascending) and matrices ``B_k`` with
    ``adj(I - δP) = Σ_k B_k δ^k`` (Faddeev–LeVerrier on ``P``)."""
    n = P.shape[0]
    c = np.zeros(n + 1)
    c[n] = 1.0
    M = np.zeros((n, n))
    Ms = np.empty((n, n, n))
    for k in range(1, n + 1):
        M = P @ M + c[n - k + 1] * np.eye(n)
        Ms[k - 1] = M
        c[n - k] = -np.trace(P @ M) / k
    # det(I - δP) = Σ_k c[n-k] δ^k;  adj(I - δP) = Σ_k Ms[k] δ^k.
    return c[::-1].copy(), Ms


def condition_maps(row: object, col: object, target: tuple[int, int]) -> ConditionMaps:
    """Derive the deviation conditions of a profile as maps from payoffs to polynomials.

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
    ((6, 4, 4), True)
    """
    from negotiation.repeated.automaton import Automaton

    assert isinstance(row, Automaton) and isinstance(col, Automaton)
    joint = joint_automaton(row, col)
    n = len(joint.states)
    m_moves = (row.own_moves, col.own_moves)
    width = m_moves[1]
    F = m_moves[0] * m_moves[1]
    P = np.zeros((n, n))
    for j in range(n):
        for k, p in joint.successors(j, *joint.profile[j]):
            P[j, k] += float(p)
    dcoef, Bs = _leverrier(P)
    # S[j] selects the payoff of state j's profile from the flattened matrix.
    S = np.zeros((n, F))
    for j, (a, b) in enumerate(joint.profile):
        S[j, a * width + b] = 1.0
    BS = Bs @ S  # (n, n, F): adj coefficient k, state, payoff
    players, maps = [], []
    for i in (0, 1):
        for j in range(n):
            a, b = joint.profile[j]
            for dev in range(m_moves[i]):
                if dev == (a, b)[i]:
                    continue
                prof = (dev, b) if i == 0 else (a, dev)
                q = np.zeros(n)
                for k, p in joint.successors(j, *prof):
                    q[k] += float(p)
                L = np.zeros((n + 1, F))
                L[:, prof[0] * width + prof[1]] += dcoef
                L[1:] += np.einsum("s,ksf->kf", q, BS)
                L[:n] -= BS[:, j, :]
                players.append(i)
                maps.append(L)
    path, _ = on_path(joint)
    return ConditionMaps(
        joint=joint,
        player=np.array(players, dtype=int),
        maps=np.array(maps, dtype=float).reshape(len(maps), n + 1, F),
        denominator=dcoef,
        on_target=all(p == tuple(target) for p in path),
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
    """

    critical: np.ndarray
    player_critical: np.ndarray
    spe: np.ndarray
    margin: np.ndarray
    on_target: bool


def batch_sustainability(
    maps: ConditionMaps, A: np.ndarray, B: np.ndarray, discount: np.ndarray | float
) -> BatchSustainability:
    """Critical δ, SPE at δ and the incentive margin of one profile in many games.

    Parameters
    ----------
    maps : ConditionMaps
        From :func:`condition_maps` for the profile.
    A, B : numpy.ndarray, shape (G, m, n)
        Payoffs of the row and the column player in each game.
    discount : float or numpy.ndarray of shape (G,)
        δ at which to test the profile and measure the margin.

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
    >>> res.critical.round(6).tolist(), res.spe.tolist()
    ([0.333333, 0.5, 0.75], [True, True, False])
    """
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    G = A.shape[0]
    x = np.broadcast_to(np.asarray(discount, dtype=float), (G,))
    U = np.stack([A.reshape(G, -1), B.reshape(G, -1)])  # (2, G, F)
    C = maps.maps.shape[0]
    player_sup = np.full((G, 2), -1.0)
    worst = np.full(G, -np.inf)
    if C:
        coef = np.einsum("ckf,cgf->gck", maps.maps, U[maps.player])  # (G, C, K)
        # Size of the terms before cancellation: the yardstick for "zero".
        bound = np.einsum("ckf,cgf->gck", np.abs(maps.maps), np.abs(U[maps.player]))
        scale = np.maximum(bound.max(axis=2), 1e-300)
        sup = _violation_sup(coef.reshape(G * C, -1), scale.reshape(-1)).reshape(G, C)
        for i in (0, 1):
            mine = maps.player == i
            if mine.any():
                player_sup[:, i] = sup[:, mine].max(axis=1)
        val = _polyval(coef, x[:, None])
        den = _polyval(maps.denominator, x)
        # Gains within rounding error of 0 count as 0 (as the exact check's "<= 0"):
        # the error is a small multiple of eps times the terms' sizes at δ.
        err = 1e-12 * _polyval(bound, x[:, None])
        val = np.where(np.abs(val) <= err, 0.0, val)
        # D(δ) > 0 on [0, 1): the sign is N's. Near δ = 1, D may round to 0 or below,
        # so divide by |D| and let a zero gain stay 0 (not 0/0).
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(val == 0, 0.0, val / np.abs(den)[:, None])
        worst = ratio.max(axis=1)
    pcrit = np.where(player_sup >= 1.0, np.nan, np.maximum(player_sup, 0.0))
    if not maps.on_target:
        pcrit[:] = np.nan
    crit = np.where(np.isnan(pcrit).any(axis=1), np.nan, pcrit.max(axis=1))
    spe = worst <= 0
    margin = np.where(np.isfinite(worst), -worst, 0.0)
    return BatchSustainability(crit, pcrit, spe, margin, maps.on_target)
