"""The bounded enumeration ``solve`` runs before it calls a game large
(``negotiation.games.method_choice.choose_method``), in seconds and in units of
``python -c "import numpy, scipy, sympy"`` measured in the same run.

No anchor library makes this choice, so the figures are: how long the attempt takes to
stop at its budget on random integer games (payoffs in [-50, 50), seed 2025) of 18x18
to 30x30, what ``--method auto`` then picks, and the whole ``solve --method auto``
command on the shipped 21x21 tariff grid (enumerated within the attempt) beside
``solve --method lemke-howson`` on it.

Run: ``python benchmarks/bench_method_choice.py [--runs 3]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from _timing import median_command, median_of

from negotiation.games.enumeration_limits import estimated_seconds
from negotiation.games.method_choice import AUTO_SECONDS, PROBE_VERTICES, choose_method
from negotiation.games.stage_game import StageGame

SIZES = (18, 20, 22, 26, 30)
GRID = "us-china-tariff-grid-2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    unit = median_command([sys.executable, "-c", "import numpy, scipy, sympy"], 5)
    print(f"unit: python -c 'import numpy, scipy, sympy' = {unit:.3f} s (median)")
    print(f"budget: {PROBE_VERTICES:,} vertices per best-response polytope")
    print(f"{'game':<8} {'estimate':>10} {'attempt':>9} {'units':>6}  auto picks")
    for n in SIZES:
        rng = np.random.default_rng(2025)
        a, b = rng.integers(-50, 50, (2, n, n))
        game = StageGame.from_payoffs(a.tolist(), b.tolist())
        picked = choose_method(game, "auto").method
        est = estimated_seconds(n, n)
        if est <= AUTO_SECONDS:  # no attempt: enumerated at once
            print(f"{n}x{n:<5} {est:>9.0f}s {'none':>9} {'':>6}  {picked}")
            continue
        t = median_of(lambda g=game: choose_method(g, "auto"), args.runs)
        print(f"{n}x{n:<5} {est:>9.0f}s {t:>8.2f}s {t / unit:>6.2f}  {picked}")
    exe = str(Path(sys.executable).with_name("negotiation"))
    for method in ("auto", "lemke-howson"):
        cmd = [exe, "solve", GRID, "--method", method, "--format", "json"]
        t = median_command(cmd, args.runs)
        print(f"solve {GRID} --method {method}: {t:.2f} s = {t / unit:.1f} units")


if __name__ == "__main__":
    main()
