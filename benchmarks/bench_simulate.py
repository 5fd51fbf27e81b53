"""Simulated rounds per second: negotiation's vectorised Monte Carlo vs the Axelrod library.

Run: ``python benchmarks/bench_simulate.py [--runs 1000] [--rounds 200] [--axelrod-sample 1000]``

Workload: noisy (tremble probability 0.05) matches of tit-for-tat against win-stay,
lose-shift in the Prisoner's Dilemma (R=3, S=0, T=5, P=1). negotiation simulates all
runs in one ``simulate(..., runs=1000, rounds=200)`` call (best of 3); Axelrod plays
``axelrod.Match(..., turns=200, noise=0.05)`` once per run, on a sample of matches
scaled to the full count when ``--axelrod-sample`` is below ``--runs``. Importing
Axelrod (about 20 s: it inspects the source of every strategy) is not timed. Mean
scores per turn of both are printed as a sanity check (they should agree to about two
decimals).
"""

from __future__ import annotations

import argparse
import time

from _timing import best_of

from negotiation.games.stage_game import StageGame
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.simulate import simulate

NOISE = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--axelrod-sample", type=int, default=1000)
    args = parser.parse_args()
    runs, rounds = args.runs, args.rounds
    total = runs * rounds

    pd = StageGame.from_payoffs(
        [[3, 0], [5, 1]], [[3, 5], [0, 1]], row_moves=["C", "D"], col_moves=["C", "D"]
    )
    tft = build_strategy("tit_for_tat", context_for(pd, 0, (0, 0)))
    wsls = build_strategy("win_stay_lose_shift", context_for(pd, 1, (0, 0)))

    def run_ours() -> object:
        return simulate(pd, tft, wsls, rounds=rounds, runs=runs, noise=NOISE, seed=1)

    t_ours = best_of(run_ours, 3)
    sim = simulate(pd, tft, wsls, rounds=rounds, runs=runs, noise=NOISE, seed=1)
    rate_ours = total / t_ours
    print(f"{runs} matches of {rounds} rounds, TitForTat vs WinStayLoseShift, noise {NOISE}")
    print(
        f"negotiation.simulate : {t_ours:9.4f} s  {rate_ours:14,.0f} rounds/s  "
        f"(mean score per turn {sim.payoffs[:, 0].mean():.3f})"
    )

    try:
        import axelrod as axl
    except ImportError:
        print("axelrod not installed: pip install axelrod")
        return
    k = min(args.axelrod_sample, runs)
    scores = []
    start = time.perf_counter()
    for seed in range(k):
        match = axl.Match(
            (axl.TitForTat(), axl.WinStayLoseShift()), turns=rounds, noise=NOISE, seed=seed
        )
        match.play()
        scores.append(match.final_score_per_turn()[0])
    t_axl = (time.perf_counter() - start) * runs / k
    rate_axl = total / t_axl
    scaled = f"scaled from {k} matches" if k < runs else f"{k} matches"
    print(
        f"axelrod.Match        : {t_axl:9.4f} s  {rate_axl:14,.0f} rounds/s  "
        f"(mean score per turn {sum(scores) / k:.3f}; {scaled})"
    )
    print(f"ratio negotiation / axelrod: {rate_ours / rate_axl:8.1f}x  (target >= 100x)")


if __name__ == "__main__":
    main()
