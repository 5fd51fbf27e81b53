"""All extreme equilibria of random 10x10 games: negotiation vs nashpy.

Run: ``python benchmarks/bench_extreme_10x10.py [--games 5] [--nashpy-timeout 120]``

nashpy's support enumeration is run in a child process with a time limit, since it
takes minutes on a 10x10 game; a run that hits the limit is reported as '>limit'.
"""

from __future__ import annotations

import argparse

import numpy as np
from _nashpy import nashpy_timed
from _timing import best_of

from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=5)
    parser.add_argument("--size", type=int, default=10)
    parser.add_argument("--nashpy-timeout", type=float, default=120.0)
    args = parser.parse_args()
    rng = np.random.default_rng(2025)
    n = args.size
    print(f"{n}x{n} games, integer payoffs in [-50, 50): negotiation exact and float vs nashpy")
    heads = ("game", "#eq", "exact s", "float s", "nashpy support s", "#", "nashpy vertex s", "#")
    widths = (4, 4, 8, 8, 17, 3, 16, 3)
    print(" ".join(h.rjust(w) for h, w in zip(heads, widths)))
    for k in range(args.games):
        A = rng.integers(-50, 50, (n, n))
        B = rng.integers(-50, 50, (n, n))
        game = StageGame.from_payoffs(A, B)
        count = len(extreme_equilibria(game))
        t_exact = best_of(lambda g=game: extreme_equilibria(g), 3)
        t_float = best_of(lambda g=game: extreme_equilibria(g, exact=False), 3)
        c_s, t_s = nashpy_timed(A, B, "support_enumeration", args.nashpy_timeout)
        c_v, t_v = nashpy_timed(A, B, "vertex_enumeration", args.nashpy_timeout)
        lim = f">{args.nashpy_timeout:.0f}"
        cells = (
            k,
            count,
            f"{t_exact:.3f}",
            f"{t_float:.3f}",
            f"{t_s:.2f}" if t_s is not None else lim,
            c_s if c_s is not None else "-",
            f"{t_v:.2f}" if t_v is not None else lim,
            c_v if c_v is not None else "-",
        )
        print(" ".join(str(c).rjust(w) for c, w in zip(cells, widths)))


if __name__ == "__main__":
    main()
