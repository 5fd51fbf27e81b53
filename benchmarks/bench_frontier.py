"""``negotiation frontier`` on the shipped 3x3 scenarios, in units of
``python -c "import numpy, scipy, sympy"`` measured in the same run (target: at most 5),
and the payoff-set computation beside QuantEcon's Abreu–Sannikov routine on its own
documented 3x3 example (Abreu & Sannikov 2014, δ = 0.3), when QuantEcon is installed.

Run: ``python benchmarks/bench_frontier.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

from _timing import best_of, median_command

SCENARIOS = [
    "us-china-export-controls-2025",
    "us-china-tariffs-2025",
    "us-china-rare-earth-dependence-2025",
]
AS_GAME = [[(16, 9), (3, 13), (0, 3)], [(21, 1), (10, 4), (-1, 0)], [(9, 0), (5, -4), (-5, -15)]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("negotiation"))
    unit = median_command([sys.executable, "-c", "import numpy, scipy, sympy"], max(args.runs, 5))
    print(f"unit: python -c 'import numpy, scipy, sympy' = {unit:.3f} s (median)")
    rows = []
    for sid in SCENARIOS:
        rows.append((f"frontier {sid}", median_command([exe, "frontier", sid], args.runs)))
        cmd = [exe, "frontier", sid, "--format", "json"]
        rows.append((f"frontier {sid} --format json", median_command(cmd, args.runs)))
    width = max(len(n) for n, _ in rows)
    for name, t in rows:
        print(f"{name:<{width}}  {t:6.2f} s  {t / unit:5.1f} units")

    from negotiation.games.stage_game import StageGame
    from negotiation.repeated.spe_payoffs import spe_payoffs

    A = [[c[0] for c in r] for r in AS_GAME]
    B = [[c[1] for c in r] for r in AS_GAME]
    game = StageGame.from_payoffs(A, B)
    ours = best_of(lambda: spe_payoffs(game, Fraction(3, 10)))
    print(f"spe_payoffs, Abreu–Sannikov 3x3 example (δ = 0.3): {ours:.3f} s")
    try:
        from quantecon.game_theory import NormalFormGame, RepeatedGame
    except ImportError:
        print("QuantEcon not installed: pip install 'negotiation[reference]'")
        return
    rpg = RepeatedGame(NormalFormGame(AS_GAME), 0.3)
    rpg.equilibrium_payoffs()  # compile (numba) once
    theirs = best_of(rpg.equilibrium_payoffs)
    print(f"QuantEcon RepeatedGame.equilibrium_payoffs (after compiling): {theirs:.3f} s")
    print(f"ratio ours / QuantEcon: {ours / theirs:.1f}")


if __name__ == "__main__":
    main()
