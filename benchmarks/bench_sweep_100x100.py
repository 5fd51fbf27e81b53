"""A 100x100 parameter sweep of a 3x3 scenario: negotiation sweep vs nashpy point by point.

Run: ``python benchmarks/bench_sweep_100x100.py [--count 100] [--nashpy-sample 500]``

The grid is the US–China tariff scenario (3x3) over the held tariff levels
``t_hold_us`` and ``t_hold_cn`` (10,000 games). negotiation's ``sweep`` computes, for
every point, every ``compare`` metric of grim trigger (stage equilibria, critical δ,
slack, margin, noise metrics, verdict). The nashpy baseline does the least a user
would have to do by hand: per point, evaluate the payoffs, call
``support_enumeration`` and compute grim trigger's critical δ from the closed form
``max_i (T_i - R_i) / (T_i - P_i)`` with Nash reversion to the pure equilibrium worst
for the deviator. nashpy is timed on a sample of points and scaled; the equilibria
and critical δ of the sample are compared with the sweep's.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from _timing import best_of

from negotiation.analysis.sweep import sweep
from negotiation.scenario import load_scenario

SCENARIO = "us-china-tariffs-2025"


def nashpy_point(scenario, values, target):
    """Equilibria and grim-trigger critical δ at one point, with nashpy."""
    import nashpy

    from negotiation.games.stage_game import StageGame

    game = StageGame.from_scenario(scenario, "baseline", values)
    A, B = game.A, game.B
    eqs = list(nashpy.Game(A, B).support_enumeration())
    pure = [
        (int(np.argmax(x)), int(np.argmax(y)))
        for x, y in eqs
        if np.isclose(x.max(), 1) and np.isclose(y.max(), 1)
    ]
    crit = 0.0
    for i, U in enumerate((A, B)):
        if not pure:
            return eqs, float("nan")
        p = min(pure, key=lambda e, U=U: U[e])
        r = U[target]
        dev = A[:, target[1]].max() if i == 0 else B[target[0], :].max()
        if dev > r:
            if U[p] >= r:
                return eqs, float("nan")
            crit = max(crit, (dev - r) / (dev - U[p]))
    return eqs, crit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100, help="points per axis")
    parser.add_argument("--nashpy-sample", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    s = load_scenario(SCENARIO)
    n = args.count
    grid = [f"t_hold_us=0.1:1.45:{n}", f"t_hold_cn=0:1.25:{n}"]

    def run():
        return sweep(s, grid, strategies=["grim_trigger"], jobs=args.jobs)

    run()  # warm caches and imports (sympy, lambdify)
    t_ours = best_of(run, 3)
    result = run()
    total = len(result.points)
    print(f"{SCENARIO}: {n}x{n} grid = {total} games, grim trigger")
    print(f"negotiation sweep (every metric)  : {t_ours:8.3f} s")

    target = (0, 0)  # (roll_back, roll_back): moves are [roll_back, hold, escalate]
    rng = np.random.default_rng(7)
    sample = rng.choice(total, size=min(args.nashpy_sample, total), replace=False)
    mismatched_eq = mismatched_crit = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        outs = []
        for g in sample:
            us, cn = result.points[g]
            outs.append(nashpy_point(s, {"t_hold_us": us, "t_hold_cn": cn}, target))
        t_sample = time.perf_counter() - start
    ours_eq = result.columns["n_equilibria"]
    ours_crit = result.columns["critical"][0]
    for g, (eqs, crit) in zip(sample, outs):
        if len(eqs) != ours_eq[g]:
            mismatched_eq += 1
        same = (np.isnan(crit) and np.isnan(ours_crit[g])) or abs(crit - ours_crit[g]) < 1e-9
        mismatched_crit += not same
    t_nashpy = t_sample / len(sample) * total
    print(
        f"nashpy per point (scaled from {len(sample)}): {t_nashpy:8.3f} s "
        f"({t_sample / len(sample) * 1e3:.2f} ms per point)"
    )
    print(f"ratio nashpy / negotiation        : {t_nashpy / t_ours:8.1f}x")
    print(f"sampled points with a different number of equilibria: {mismatched_eq}")
    print(f"sampled points with a different critical δ         : {mismatched_crit}")


if __name__ == "__main__":
    main()
