"""Linked games of two 3x3 issues (9x9 stage games): negotiation vs nashpy.

Run: ``python benchmarks/bench_linked_9x9.py [--random 20] [--nashpy-timeout 60]``

Two sets of games:

* the linked accord of ``us-china-linked-accord-2025`` under each of its assumptions;
* random linked games: two random 3x3 issues with integer payoffs in [-10, 10), the
  linked payoff the sum over the issues (so every linked game is degenerate: each
  issue's best responses repeat across the other issue's moves).

For each game: all extreme equilibria in exact arithmetic, every one re-certified here
with :func:`~negotiation.games.certify.exact_regret` (regret exactly 0), the time (best
of 3), and nashpy's support and vertex enumeration on the same payoffs (count and time,
in a child process with a time limit).
"""

from __future__ import annotations

import argparse

import numpy as np
from _nashpy import nashpy_timed
from _timing import best_of

from negotiation.games.certify import exact_regret
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.scenario import load_scenario


def linked(a1: np.ndarray, a2: np.ndarray) -> np.ndarray:
    """Payoffs of the linked game: move (i1, i2) vs (j1, j2) pays a1[i1, j1] + a2[i2, j2]."""
    return (a1[:, None, :, None] + a2[None, :, None, :]).reshape(9, 9)


def row(name: str, game: StageGame, timeout: float) -> tuple[str, ...]:
    eqs = extreme_equilibria(game)
    A, B = game.require_exact()
    worst = max(exact_regret(A, B, e.row, e.col)[0] for e in eqs.equilibria)
    assert worst == 0, f"{name}: an equilibrium failed certification"
    t = best_of(lambda: extreme_equilibria(game), 3)
    fa, fb = np.array(game.A, dtype=float), np.array(game.B, dtype=float)
    c_s, t_s = nashpy_timed(fa, fb, "support_enumeration", timeout)
    c_v, t_v = nashpy_timed(fa, fb, "vertex_enumeration", timeout)
    lim = f">{timeout:.0f}"
    return (
        name,
        str(len(eqs)),
        "yes" if eqs.degenerate else "no",
        f"{t:.3f}",
        f"{t_s:.2f}" if t_s is not None else lim,
        str(c_s) if c_s is not None else "-",
        f"{t_v:.2f}" if t_v is not None else lim,
        str(c_v) if c_v is not None else "-",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--random", type=int, default=20, help="random linked games")
    parser.add_argument("--nashpy-timeout", type=float, default=60.0)
    args = parser.parse_args()
    heads = ("game", "#eq", "degen", "exact s", "nashpy support s", "#", "nashpy vertex s", "#")
    widths = (28, 4, 5, 8, 17, 3, 16, 3)
    print("9x9 linked games: negotiation (exact, every equilibrium certified) vs nashpy")
    print(" ".join(h.rjust(w) for h, w in zip(heads, widths)))
    times = []
    s = load_scenario("us-china-linked-accord-2025")
    for assumption in s.assumptions:
        cells = row(assumption, StageGame.from_scenario(s, assumption), args.nashpy_timeout)
        times.append(float(cells[3]))
        print(" ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    rng = np.random.default_rng(2025)
    for k in range(args.random):
        a1, a2, b1, b2 = (rng.integers(-10, 10, (3, 3)) for _ in range(4))
        game = StageGame.from_payoffs(linked(a1, a2), linked(b1, b2))
        cells = row(f"random {k}", game, args.nashpy_timeout)
        times.append(float(cells[3]))
        print(" ".join(c.rjust(w) for c, w in zip(cells, widths)), flush=True)
    print(f"negotiation exact: max {max(times):.3f} s, median {float(np.median(times)):.3f} s")


if __name__ == "__main__":
    main()
