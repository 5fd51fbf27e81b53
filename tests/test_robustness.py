"""negotiation robustness: verdict probabilities under priors, against a closed form;
reproducibility across executors; the verdict of a draw is compare's; the CLI."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner

from negotiation.analysis.robustness import design, robustness
from negotiation.analysis.verdict import VerdictRules, verdict
from negotiation.cli.main import main
from negotiation.errors import NegotiationError
from negotiation.repeated.report import stability_report
from negotiation.scenario import load_scenario, parse_scenario

# A Prisoner's Dilemma (T, R, P, S) = (T, 3, 1, 0) with the temptation T uniform on
# [3, 10], grim trigger and a fixed δ (Friedman 1971: grim sustains (C, C) iff
# δ >= (T - R) / (T - P), i.e. T <= (R - δ P) / (1 - δ)).
PD = """
schema: 1
id: pd-prior
title: PD with an uncertain temptation
players: [{id: row}, {id: column}]
moves: [cooperate, defect]
parameters:
  T: {value: 5, min: 3, max: 10, prior: uniform, description: Temptation, unit: payoff}
  R: 3
  P: 1
  S: 0
payoffs:
  cooperate: {cooperate: [R, R], defect: [S, T]}
  defect:    {cooperate: [T, S], defect: [P, P]}
repeated:
  discount: DELTA
  target: [cooperate, cooperate]
  strategies: [grim_trigger]
  noise: 0
  seed: 11
"""


def pd(delta: str) -> object:
    return parse_scenario(PD.replace("DELTA", delta), file="pd.yaml")


def closed_form(delta: float, low: float = 3.0, high: float = 10.0) -> float:
    """Measure of {T in [low, high] : T <= (R - δ P) / (1 - δ)} under the uniform prior."""
    bound = (3 - delta * 1) / (1 - delta)
    return min(max((bound - low) / (high - low), 0.0), 1.0)


@pytest.mark.parametrize("method", ["sobol", "lhs", "random"])
@pytest.mark.parametrize("delta", ["0.5", "0.6", "0.7"])
def test_probability_matches_the_closed_form_within_three_standard_errors(method, delta):
    exact = closed_form(float(delta))
    assert 0.05 < exact < 0.95
    r = robustness(pd(delta), samples=2048, seed=5, method=method)
    a = r.assumptions[0]
    held = a.verdict_probability["stable"] + a.verdict_probability["fragile"]
    assert a.profile_probability["grim_trigger"] == pytest.approx(held)
    se = a.standard_error["unsustainable"]
    # i.i.d. draws: within 3 standard errors. A quasi-random design of n points per
    # replicate stratifies one parameter into n cells: each replicate's error is below
    # 1/n, and all replicates may agree (standard error 0), so that resolution is added.
    resolution = 0.0 if method == "random" else 1 / (r.samples // r.replicates)
    assert abs(held - exact) <= 3 * se + resolution, (held, exact, se)
    assert abs((1 - a.verdict_probability["unsustainable"]) - exact) <= 3 * se + resolution
    if method == "random":
        assert se == pytest.approx(math.sqrt(exact * (1 - exact) / r.samples), rel=0.5)


def test_standard_error_shrinks_as_one_over_root_n_for_iid_draws():
    """With i.i.d. draws the standard error is sqrt(p (1 - p) / N) (estimated from the
    replicates): quadrupling N halves it. Averaged over seeds to tame the noise of the
    replicate estimate."""
    s = pd("0.7")
    p = closed_form(0.7)

    def mean_se(n):
        ses = [
            robustness(s, samples=n, seed=k, method="random", replicates=32)
            .assumptions[0]
            .standard_error["unsustainable"]
            for k in range(6)
        ]
        return float(np.mean(ses))

    small, large = mean_se(512), mean_se(2048)
    assert small == pytest.approx(math.sqrt(p * (1 - p) / 512), rel=0.2)
    assert small / large == pytest.approx(2.0, rel=0.2)


def test_quasi_random_error_shrinks_at_least_as_fast():
    s = pd("0.7")
    small = robustness(s, samples=512, seed=2).assumptions[0].standard_error["fragile"]
    large = robustness(s, samples=2048, seed=2).assumptions[0].standard_error["fragile"]
    assert large <= small / 2 * 1.3


def test_critical_discount_quantiles_follow_the_closed_form():
    """δ* = (T - 3)/(T - 1) for T uniform on [3, 10]: given sustainable (δ* <= 0.7), the
    median of δ* is the δ* of the median T among the sustainable draws."""
    r = robustness(pd("0.7"), samples=4096, seed=1)
    q = r.assumptions[0].critical_discount_quantiles
    t_median = (3 + (3 - 0.7) / 0.3) / 2
    assert q["0.5"] == pytest.approx((t_median - 3) / (t_median - 1), abs=0.01)
    assert 0 <= q["0.05"] <= q["0.5"] <= q["0.95"] <= 0.7


def test_sensitivity_sign_and_method():
    r = robustness(pd("0.7"), samples=512, seed=1)
    a = r.assumptions[0]
    assert a.sensitivity["T"] < -0.5  # a larger temptation breaks the détente
    assert "spearman" in a.sensitivity_method


def test_draw_verdicts_are_the_verdicts_compare_gives():
    s = load_scenario("us-china-export-controls-2025")
    r = robustness(s, ["baseline"], samples=32, seed=3, strategies=["grim_trigger"])
    a = r.assumptions[0]
    rules = VerdictRules.for_scenario(s)
    for g in range(0, 32, 4):
        point = {n: Fraction(float(v)) for n, v in zip(a.parameters, a.draws["values"][g])}
        report = stability_report(s, "baseline", point, strategies=["grim_trigger"])
        assert verdict(report, rules)[0] == a.draws["verdict"][g]


def test_set_fixes_a_parameter_and_assumption_priors_replace():
    text = PD.replace("DELTA", "0.7").replace(
        "  seed: 11\n",
        "  seed: 11\nassumptions:\n  narrow:\n    priors: {T: {kind: uniform, low: 3, "
        "high: 5}}\n  known:\n    set: {T: 9}\n",
    )
    s = parse_scenario(text)
    r = robustness(s, ["narrow"], samples=256, seed=1)
    assert r.assumptions[0].verdict_probability["unsustainable"] == 0.0  # T <= 7.67 always
    with pytest.raises(NegotiationError, match="nothing to draw under 'known'"):
        robustness(s, ["known"], samples=64)
    with pytest.raises(NegotiationError, match="nothing to draw"):
        robustness(s, ["baseline"], {"T": 4}, samples=64)


def test_same_seed_same_json_for_jobs_1_and_2_and_dask():
    from negotiation.cli.render import to_json

    s = load_scenario("us-china-rare-earth-dependence-2025")
    kw = {"samples": 6000, "seed": 9, "assumptions": ["baseline", "use-it-or-lose-it"]}
    one = to_json(robustness(s, **kw, jobs=1).to_dict())
    two = to_json(robustness(s, **kw, jobs=2).to_dict())
    assert one == two
    assert one != to_json(robustness(s, **{**kw, "seed": 10}).to_dict())
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = robustness(s, **kw, executor="dask", scheduler=cluster.scheduler_address)
    assert to_json(remote.to_dict()) == one


def test_design_is_seeded_and_independent_across_replicates():
    u = design("lhs", 16, 3, seed=0, replicates=4)
    assert (design("lhs", 16, 3, seed=0, replicates=4) == u).all()
    assert not (u[0] == u[1]).all()
    # a Latin hypercube has one point in each sixteenth of each axis
    assert sorted((u[2, :, 1] * 16).astype(int).tolist()) == list(range(16))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 0}, "samples must be at least 1"),
        ({"samples": True}, "samples must be a whole number"),
        ({"samples": 10**7}, "at most 1,000,000"),
        ({"replicates": 1}, "replicates must be at least 2"),
        ({"method": "halton"}, "unknown method 'halton'"),
        ({"seed": -1}, "seed must be at least 0"),
        ({"assumptions": ["nope"]}, "unknown assumption 'nope'"),
    ],
)
def test_bad_settings_are_refused_before_any_draw(kwargs, message):
    with pytest.raises(NegotiationError, match=message):
        robustness(pd("0.7"), **kwargs)


def test_too_many_draws_in_total_are_refused(monkeypatch):
    from negotiation import limits

    monkeypatch.setattr(limits, "MAX_TOTAL_DRAWS", 1000)
    s = load_scenario("us-china-rare-earth-dependence-2025")
    with pytest.raises(NegotiationError, match="at most 1,000 in one run"):
        robustness(s, samples=512)


def test_samples_raised_to_a_multiple_of_replicates_with_a_note():
    notes = []
    r = robustness(pd("0.7"), samples=100, seed=1, note=notes.append)
    assert r.samples == 112 and notes == ["--samples 100 raised to 112 (16 replicates of 7 draws)"]


# ------------------------------------------------------------------------- CLI


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_json_contract(tmp_path):
    path = tmp_path / "pd.yaml"
    path.write_text(PD.replace("DELTA", "0.7"), encoding="utf-8")
    res = run("robustness", str(path), "--samples", "256", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert list(data)[:5] == ["scenario", "samples", "seed", "method", "assumptions"]
    assert (data["scenario"], data["samples"], data["seed"], data["method"]) == (
        "pd-prior",
        256,
        11,
        "sobol",
    )
    a = data["assumptions"][0]
    for key in (
        "name",
        "verdict_probability",
        "standard_error",
        "profile_probability",
        "critical_discount_quantiles",
        "sensitivity",
        "sensitivity_method",
    ):
        assert key in a
    assert set(a["verdict_probability"]) == {"stable", "fragile", "unsustainable"}
    assert set(a["critical_discount_quantiles"]) == {"0.05", "0.25", "0.5", "0.75", "0.95"}
    assert list(a["sensitivity"]) == ["T"]
    assert "NaN" not in res.stdout


def test_cli_table_csv_draws_and_plot(tmp_path):
    draws, plot = tmp_path / "draws.csv", tmp_path / "r.png"
    res = run(
        "robustness",
        "prisoners-dilemma",
        "--uniform-ranges",
        "-a",
        "baseline",
        "-a",
        "mild-war",
        "--strategy",
        "grim_trigger",
        "-n",
        "64",
        "--draws",
        str(draws),
        "--plot",
        str(plot),
    )
    assert res.exit_code == 0, res.output
    assert "P(unsustainable)" in res.stdout and "mild-war" in res.stdout
    assert "not forecasts" in " ".join(res.stdout.split())  # prose wrapped to the width
    rows = draws.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * 64 and rows[0].startswith("assumption,replicate,draw,T,R,P,S")
    assert plot.stat().st_size > 10_000
    csv = run("robustness", "prisoners-dilemma", "--uniform-ranges", "-n", "32", "--format", "csv")
    assert csv.exit_code == 0, csv.output
    lines = csv.stdout.splitlines()
    assert lines[0].startswith("assumption,replicate,draw,T,R,P,S,discount,critical_delta[")
    # terms-of-trade sets all four payoffs: skipped, with a note
    assert len(lines) == 1 + 4 * 32 and "skipped terms-of-trade" in csv.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["-n", "0"], 2, "0 is not in the range"),
        (["-n", "100000000"], 2, "not in the range"),
        (["--replicates", "1"], 2, "not in the range"),
        (["--method", "halton"], 2, "halton"),
        (["--executor", "dask"], 2, "needs --scheduler"),
        (["--scheduler", "tcp://x:1"], 2, "applies to --executor dask"),
        (["-a", "nope"], 1, "unknown assumption 'nope'"),
        (["--set", "T=99"], 1, "outside its declared range"),
    ],
)
def test_cli_bad_options(args, code, message):
    res = run("robustness", "prisoners-dilemma", "--uniform-ranges", *args)
    assert res.exit_code == code, res.output
    assert message in res.output
    assert "Traceback" not in res.output


def test_cli_without_priors_says_what_to_do():
    res = run("robustness", "chicken")
    assert res.exit_code == 1
    assert "nothing to draw under 'baseline'" in res.output and "--uniform-ranges" in res.output


def test_help_stays_fast_without_heavy_imports():
    import subprocess
    import sys

    code = (
        "import sys; from negotiation.cli.main import main; "
        "heavy = [m for m in ('numpy', 'scipy', 'sympy', 'matplotlib') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
