"""Solving 10,000 random 3x3 games: negotiation's batch solver vs QuantEcon vs nashpy.

Run: ``python benchmarks/bench_batch_3x3.py [--games 10000]``

QuantEcon's ``support_enumeration`` is numba-compiled (compiled once before timing).
nashpy is timed on a sample and scaled. The same games are given to each library and
the equilibrium counts are compared (the games are non-degenerate almost surely).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from _timing import best_of

from negotiation.games.extreme_equilibria import equilibria_batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--nashpy-sample", type=int, default=500)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    G = args.games
    A = rng.random((G, 3, 3))
    B = rng.random((G, 3, 3))

    t_ours = best_of(lambda: equilibria_batch(A, B), 3)
    ours = equilibria_batch(A, B)
    ours_counts = np.bincount(ours.game, minlength=G)
    print(f"{G} random 3x3 games (uniform payoffs)")
    print(f"negotiation.equilibria_batch : {t_ours:8.3f} s  ({ours.game.size} equilibria)")

    try:
        from quantecon.game_theory import NormalFormGame, Player, support_enumeration
    except ImportError:
        print("quantecon not installed: pip install quantecon")
        return
    games = [
        NormalFormGame((Player(A[g]), Player(B[g].T))) for g in range(G)
    ]  # QuantEcon indexes each player's own action first: the column player's matrix is B^T
    support_enumeration(games[0])  # compile

    def run_qe() -> list[int]:
        return [len(support_enumeration(g)) for g in games]

    t_qe = best_of(run_qe, 3)
    qe_counts = np.array(run_qe())
    print(f"quantecon.support_enumeration: {t_qe:8.3f} s  ({qe_counts.sum()} equilibria)")
    print(f"ratio quantecon / negotiation: {t_qe / t_ours:8.2f}x")
    print(f"games where the counts differ: {int((qe_counts != ours_counts).sum())}")

    import nashpy

    k = min(args.nashpy_sample, G)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        for g in range(k):
            list(nashpy.Game(A[g], B[g]).support_enumeration())
        t_np = (time.perf_counter() - start) * G / k
    print(f"nashpy.support_enumeration   : {t_np:8.3f} s  (scaled from {k} games)")
    print(f"ratio nashpy / negotiation   : {t_np / t_ours:8.2f}x")


if __name__ == "__main__":
    main()
