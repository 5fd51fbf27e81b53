"""Exact real-root isolation in [0, 1): python-flint against sympy, on the conditions
the shipped scenarios actually produce (why the exact core uses python-flint).

Both sides get the same deduplicated numerators ``N_c`` of every strategy profile of
every shipped single-issue scenario under every assumption, and the k-period
punishments of the Prisoner's Dilemma up to k = 20; both return every root in [0, 1).

Run: ``python benchmarks/bench_root_isolation.py``
"""

from __future__ import annotations

import time

import sympy
from _timing import SINGLE_ISSUE

from negotiation.games.stage_game import StageGame
from negotiation.repeated.conditions import conditions
from negotiation.repeated.exact_roots import real_roots_in_unit
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.profiles import resolve_pairs
from negotiation.scenario import load_scenario


def _polys() -> list:
    out = {}
    for sid in SINGLE_ISSUE:
        s = load_scenario(sid)
        assert s.repeated is not None
        for name in s.assumptions:
            g = StageGame.from_scenario(s, name)
            t = (g.row_moves.index(s.repeated.target[0]), g.col_moves.index(s.repeated.target[1]))
            for _, r, c in resolve_pairs(
                g,
                t,
                strategies=list(s.repeated.strategies),
                pairs=(),
                custom=s.strategies,
                punishment=s.repeated.punishment,
            ):
                for p in conditions(r, c).numerators(*g.require_exact()):
                    out.setdefault(str(p), p)
    pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    for k in (2, 6, 10, 20):
        r, c = (
            build_strategy("k_period_punishment", context_for(pd, p, (0, 0)), k=k) for p in (0, 1)
        )
        for p in conditions(r, c).numerators(*pd.require_exact()):
            out.setdefault(str(p), p)
    return list(out.values())


def main() -> None:
    polys = [p for p in _polys() if p.degree() > 0]
    x = sympy.Symbol("x")
    as_sympy = [
        sympy.Poly([sympy.Rational(int(c.p), int(c.q)) for c in reversed(p.coeffs())], x)
        for p in polys
    ]
    start = time.perf_counter()
    flint_roots = [len(real_roots_in_unit(p)) for p in polys]
    t_flint = time.perf_counter() - start
    start = time.perf_counter()
    sympy_roots = []
    for p in as_sympy:
        roots = {r for r in p.real_roots() if 0 <= r.evalf(30) < 1}
        sympy_roots.append(len(roots))
    t_sympy = time.perf_counter() - start
    assert flint_roots == sympy_roots, "the two disagree on the number of roots"
    degrees = sorted(p.degree() for p in polys)
    print(
        f"{len(polys)} distinct numerators, degrees {degrees[0]}..{degrees[-1]}, "
        f"{sum(flint_roots)} roots in [0, 1)"
    )
    print(f"python-flint : {t_flint:8.3f} s")
    print(f"sympy        : {t_sympy:8.3f} s")
    print(f"ratio        : {t_sympy / t_flint:8.1f}x (sympy / flint)")


if __name__ == "__main__":
    main()
