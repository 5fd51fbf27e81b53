"""Complete exact enumeration at scale: negotiation vs QuantEcon vs Gambit, and Lemke-Howson.

Run: ``python benchmarks/bench_enumeration.py [--games 2] [--gambit-timeout 600]
[--large 16 20] [--no-small] [--only 20] [--lh-size 0]``

Random games with integer payoffs in [-50, 50), seed 2025. Sizes 8, 10 and 12: side by
side in one run, negotiation's exact enumeration (``extreme_equilibria``), QuantEcon's
float ``vertex_enumeration`` and Gambit's exact ``enummixed_solve(rational=True)``
(pygambit, run in a child process with a time limit), with ratios and counts; the counts
must equal Gambit's wherever both finish. Then negotiation alone on the ``--large``
sizes, and Lemke-Howson (``lemke_howson``) on a 200x200 game, in units of
``python -c "import numpy, scipy, sympy"`` measured in the same run.

QuantEcon and pygambit are reference libraries (the ``reference`` extra), not runtime
dependencies.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
import warnings

import numpy as np
from _timing import best_of, median_command

from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.lemke_howson import lemke_howson
from negotiation.games.stage_game import StageGame


def _gambit_count(A: np.ndarray, B: np.ndarray, queue: mp.Queue) -> None:
    import pygambit as gbt

    game = gbt.Game.from_arrays(A.astype(int).tolist(), B.astype(int).tolist())
    start = time.perf_counter()
    result = gbt.nash.enummixed_solve(game, rational=True)
    queue.put((len(result.equilibria), time.perf_counter() - start))


def gambit_timed(A: np.ndarray, B: np.ndarray, timeout: float) -> tuple[int | None, float | None]:
    """Gambit's exact enumeration in a child process; (None, None) past the limit."""
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_gambit_count, args=(A, B, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    return queue.get()


def quantecon_timed(A: np.ndarray, B: np.ndarray) -> tuple[int, float]:
    """QuantEcon's float vertex enumeration (its players' arrays are own-action first)."""
    import quantecon.game_theory as gt

    g = gt.NormalFormGame((gt.Player(A.astype(float)), gt.Player(B.T.astype(float))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gt.vertex_enumeration(g)  # compile the numba kernels first
        t = best_of(lambda: gt.vertex_enumeration(g), 3)
        return len(gt.vertex_enumeration(g)), t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, default=2, help="games per size")
    parser.add_argument("--sizes", type=int, nargs="*", default=[8, 10, 12])
    parser.add_argument("--large", type=int, nargs="*", default=[16, 20])
    parser.add_argument(
        "--no-small",
        action="store_true",
        help="draw the --sizes games (so the large ones are the same) but solve none",
    )
    parser.add_argument("--only", type=int, nargs="*", help="solve only these --large sizes")
    parser.add_argument("--gambit-timeout", type=float, default=600.0)
    parser.add_argument("--lh-size", type=int, default=200, help="0: no Lemke-Howson run")
    args = parser.parse_args()
    unit = median_command([sys.executable, "-c", "import numpy, scipy, sympy"], 5)
    print(f"unit: python -c 'import numpy, scipy, sympy' = {unit:.3f} s (median)")
    rng = np.random.default_rng(2025)
    heads = ("size", "game", "#eq", "ours s", "QE s", "#QE", "Gambit s", "#G", "QE/ours",
             "Gambit/ours")  # fmt: skip
    widths = (5, 4, 4, 8, 8, 4, 9, 4, 8, 11)
    print(" ".join(h.rjust(w) for h, w in zip(heads, widths)))
    mismatches = 0
    for n in args.sizes:
        for k in range(args.games):
            A, B = rng.integers(-50, 50, (n, n)), rng.integers(-50, 50, (n, n))
            if args.no_small:
                continue
            game = StageGame.from_payoffs(A, B)
            eqs = extreme_equilibria(game)
            t_ours = best_of(lambda g=game: extreme_equilibria(g), 3)
            c_qe, t_qe = quantecon_timed(A, B)
            c_g, t_g = gambit_timed(A, B, args.gambit_timeout)
            if c_g is not None and c_g != len(eqs):
                mismatches += 1
            cells = (
                f"{n}x{n}", k, len(eqs), f"{t_ours:.3f}", f"{t_qe:.3f}", c_qe,
                f"{t_g:.2f}" if t_g is not None else f">{args.gambit_timeout:.0f}",
                c_g if c_g is not None else "-", f"{t_qe / t_ours:.2f}",
                f"{t_g / t_ours:.0f}" if t_g is not None else "-",
            )  # fmt: skip
            print(" ".join(str(c).rjust(w) for c, w in zip(cells, widths)), flush=True)
    for n in args.large:
        A, B = rng.integers(-50, 50, (n, n)), rng.integers(-50, 50, (n, n))
        if args.only is not None and n not in args.only:
            continue
        game = StageGame.from_payoffs(A, B)
        start = time.perf_counter()
        eqs = extreme_equilibria(game)
        t = time.perf_counter() - start
        print(
            f"{n}x{n}: {len(eqs)} extreme equilibria (degenerate: {eqs.degenerate}), all "
            f"certified exactly, in {t:.1f} s = {t / unit:.0f} units; peak memory of the "
            f"process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
            flush=True,
        )
    n = args.lh_size
    if n <= 0:
        report(mismatches)
        return
    A, B = rng.integers(-50, 50, (n, n)), rng.integers(-50, 50, (n, n))
    game = StageGame.from_payoffs(A, B)
    start = time.perf_counter()
    res = lemke_howson(game)
    t = time.perf_counter() - start
    e = res.equilibrium
    print(
        f"Lemke-Howson {n}x{n}: supports {len(e.row_support)}+{len(e.col_support)}, "
        f"{res.pivots} pivots from label {res.label}, regret {e.regret} (exact), "
        f"{t:.2f} s = {t / unit:.1f} units"
    )
    report(mismatches)


def report(mismatches: int) -> None:
    """Exit with an error when some count differed from Gambit's."""
    if mismatches:
        raise SystemExit(f"{mismatches} games where the counts differ from Gambit's")
    print("equilibrium counts equal Gambit's on every game where both finished")


if __name__ == "__main__":
    main()
