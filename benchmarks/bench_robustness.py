"""100,000 draws of a 3x3 shipped scenario under its priors: negotiation robustness.

Run: ``python benchmarks/bench_robustness.py [--samples 100000] [--exact-sample 40]``

The scenario is us-china-rare-earth-dependence-2025 (3x3, nine parameters with
priors, its default strategies grim trigger and k_period_punishment(k=2)), baseline
assumption. ``robustness`` draws the parameters (scrambled Sobol', 16 replicates) and
evaluates every draw with the batched sweep engine (verdict, per-profile critical δ,
noise metrics). Times are in units of ``python -c "import numpy, scipy, sympy"``
measured in the same run (the issue's target: at most 10 units). The baseline is what
a user would do without the batched engine: the exact ``stability_report`` and verdict
per draw (as ``compare`` computes them), timed on a sample of draws and scaled; the
verdicts of that sample are compared with the batched ones.
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction

from _timing import best_of, median_command

from negotiation.analysis.robustness import robustness
from negotiation.analysis.verdict import VerdictRules, verdict
from negotiation.repeated.report import stability_report
from negotiation.scenario import load_scenario

SCENARIO = "us-china-rare-earth-dependence-2025"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--exact-sample", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    unit = median_command([sys.executable, "-c", "import numpy, scipy, sympy"], 5)
    s = load_scenario(SCENARIO)

    def run():
        return robustness(s, ["baseline"], samples=args.samples, seed=1, jobs=args.jobs)

    robustness(s, ["baseline"], samples=1024, seed=1)  # imports, lambdify, caches
    t_ours = best_of(run, args.repeat)
    result = run()
    a = result.assumptions[0]
    print(f"{SCENARIO}: {result.samples} draws of {len(a.parameters)} parameters, baseline")
    print(f"unit (python -c 'import numpy, scipy, sympy'): {unit:.3f} s")
    print(
        f"negotiation robustness (--jobs {args.jobs})      : {t_ours:8.3f} s "
        f"= {t_ours / unit:.1f} units (target <= 10)"
    )
    print(f"  verdict probabilities: {dict(a.verdict_probability)}")
    print(f"  standard errors      : {dict(a.standard_error)}")
    print(f"  decided exactly      : {a.decided_exactly}")

    rules = VerdictRules.for_scenario(s)
    step = max(1, result.samples // args.exact_sample)
    picks = list(range(0, result.samples, step))[: args.exact_sample]
    start = time.perf_counter()
    verdicts = []
    for g in picks:
        point = {n: Fraction(float(v)) for n, v in zip(a.parameters, a.draws["values"][g])}
        verdicts.append(verdict(stability_report(s, "baseline", point, formulas=False), rules)[0])
    t_sample = time.perf_counter() - start
    t_exact = t_sample / len(picks) * result.samples
    mismatched = sum(v != a.draws["verdict"][g] for v, g in zip(verdicts, picks))
    print(
        f"exact stability_report per draw (scaled from {len(picks)}): {t_exact:8.1f} s "
        f"({t_sample / len(picks) * 1e3:.1f} ms per draw)"
    )
    print(f"ratio per-draw exact / robustness : {t_exact / t_ours:8.1f}x")
    print(f"sampled draws with a different verdict: {mismatched}")


if __name__ == "__main__":
    main()
