"""Priors in scenario files: parsing, located errors, and draws against scipy's
distributions (an independent reference)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from negotiation.cli.main import main
from negotiation.errors import ScenarioError, ScenarioErrors
from negotiation.scenario import load_scenario, parse_scenario
from negotiation.scenario.priors import Prior, effective_priors

BASE = """schema: 1
id: priors
title: Priors
players: [{id: a}, {id: b}]
moves: [c, d]
parameters:
  T: {value: 5, min: 3, max: 10, PRIOR}
  R: 3
payoffs:
  c: {c: [R, R], d: [0, T]}
  d: {c: [T, 0], d: [1, 1]}
repeated: {discount: 0.9, target: [c, c], strategies: [grim_trigger]}
"""


def scenario(prior: str):
    return parse_scenario(BASE.replace("PRIOR", f"prior: {prior}"), file="p.yaml")


def problems(prior: str) -> list[str]:
    with pytest.raises(ScenarioErrors) as info:
        scenario(prior)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("prior", "where", "message"),
    [
        ("{kind: triangle, mode: 4}", "parameters.T.prior.kind", "did you mean 'triangular'"),
        ("{kind: uniform, low: 2}", "parameters.T.prior.low", "below the parameter's min 3"),
        ("{kind: uniform, high: 11}", "parameters.T.prior.high", "above the parameter's max 10"),
        ("{kind: uniform, low: 6, high: 4}", "parameters.T.prior", "must be below its high"),
        ("{kind: uniform, mode: 4}", "parameters.T.prior.mode", "does not apply to a uniform"),
        ("{kind: triangular}", "parameters.T.prior", "needs its mode"),
        ("{kind: triangular, mode: 11}", "parameters.T.prior.mode", "outside [3, 10]"),
        ("{kind: beta, a: 2}", "parameters.T.prior", "needs its shape b"),
        ("{kind: beta, a: 0, b: 1}", "parameters.T.prior.a", "must be positive"),
        ("{kind: normal, sd: -1}", "parameters.T.prior.sd", "must be positive, got -1"),
        ("{kind: normal, mean: 100, sd: 1}", "parameters.T.prior", "almost no probability"),
        ("{kind: normal, sd: .nan}", "parameters.T.prior.sd", "nan is not allowed"),
        ("{kind: log_uniform, low: 3, high: .inf}", "parameters.T.prior.high", "must be finite"),
        ("{kind: discrete, values: []}", "parameters.T.prior.values", "at least one value"),
        ("{kind: discrete}", "parameters.T.prior", "at least one value"),
        ("{kind: discrete, values: [4, 12]}", "parameters.T.prior.values[1]", "outside"),
        (
            "{kind: discrete, values: [4, 5], probabilities: [0.5, 0.4]}",
            "parameters.T.prior.probabilities",
            "sum to 9/10, not 1",
        ),
        (
            "{kind: discrete, values: [4, 5], probabilities: [1]}",
            "parameters.T.prior.probabilities",
            "1 probabilities for 2 values",
        ),
        (
            "{kind: discrete, values: [4, 5], probabilities: [1.5, -0.5]}",
            "parameters.T.prior.probabilities[0]",
            "must be in [0, 1]",
        ),
        ("{kind: uniform, colour: 1}", "parameters.T.prior.colour", "unknown field 'colour'"),
        ("{kind: uniform, low: '3'}", "parameters.T.prior.low", "expected a number"),
    ],
)
def test_bad_priors_are_located(prior, where, message):
    found = problems(prior)
    assert any(f"p.yaml:7: {where}: " in p and message in p for p in found), found


def test_uniform_prior_needs_bounds():
    text = BASE.replace("T: {value: 5, min: 3, max: 10, PRIOR}", "T: {value: 5, prior: uniform}")
    with pytest.raises(ScenarioErrors, match=r"needs a lower and an upper end"):
        parse_scenario(text)


def test_assumption_priors_are_checked_and_located():
    text = BASE.replace("PRIOR", "prior: uniform") + (
        "assumptions:\n"
        "  a1: {set: {T: 4}, priors: {T: uniform}}\n"
        "  a2: {priors: {Z: uniform}}\n"
        "  a3: {priors: {T: {kind: uniform, low: 1}}}\n"
    )
    with pytest.raises(ScenarioErrors) as info:
        parse_scenario(text, file="p.yaml")
    shown = [str(p) for p in info.value.problems]
    assert any("p.yaml:14: assumptions.a1.priors.T: T is also set" in p for p in shown), shown
    assert any("assumptions.a2.priors.Z: unknown parameter 'Z'" in p for p in shown), shown
    assert any("assumptions.a3.priors.T.low: the prior's low 1 is below" in p for p in shown)


def test_validate_reports_bad_priors_without_traceback(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BASE.replace("PRIOR", "prior: {kind: normal, sd: 0}"), encoding="utf-8")
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert res.exit_code == 1
    assert "bad.yaml:7: parameters.T.prior.sd: the sd must be positive, got 0" in res.output
    assert "Traceback" not in res.output


def test_effective_priors_follow_assumptions_and_sets():
    text = BASE.replace("PRIOR", "prior: uniform") + (
        "assumptions:\n  narrow: {priors: {T: {kind: uniform, low: 4, high: 5}}}\n"
        "  fixed: {set: {T: 4}}\n"
    )
    s = parse_scenario(text)
    assert effective_priors(s)["T"] == Prior("uniform", Fraction(3), Fraction(10))
    assert effective_priors(s, "narrow")["T"].describe() == "uniform on [4, 5]"
    assert effective_priors(s, "fixed") == {}
    assert effective_priors(s, overrides={"T": 6}) == {}


def test_shipped_export_control_scenario_has_priors_inside_its_ranges():
    s = load_scenario("us-china-export-controls-2025")
    priors = effective_priors(s)
    assert len(priors) == 10
    for name, prior in priors.items():
        p = s.parameters[name]
        assert p.min <= prior.low < prior.high <= p.max
    assert priors["theta_us"].kind == "triangular" and priors["theta_us"].mode == Fraction(4, 5)


U = np.linspace(0.0005, 0.9995, 999)


@pytest.mark.parametrize(
    ("prior", "reference"),
    [
        (Prior("uniform", Fraction(2), Fraction(5)), stats.uniform(2, 3)),
        (
            Prior("triangular", Fraction(0), Fraction(4), mode=Fraction(1)),
            stats.triang(0.25, loc=0, scale=4),
        ),
        (
            Prior("beta", Fraction(1), Fraction(3), a=Fraction(2), b=Fraction(5)),
            stats.beta(2, 5, loc=1, scale=2),
        ),
        (
            Prior("normal", Fraction(4), Fraction(16), mean=Fraction(10), sd=Fraction(3)),
            stats.truncnorm(-2, 2, loc=10, scale=3),
        ),
        (Prior("log_uniform", Fraction(1, 4), Fraction(3, 2)), stats.loguniform(0.25, 1.5)),
    ],
)
def test_draws_follow_the_reference_distribution(prior, reference):
    assert np.allclose(prior.ppf(U), reference.ppf(U), atol=1e-9)


def test_discrete_draws_have_the_probabilities():
    p = Prior(
        "discrete",
        Fraction(1),
        Fraction(3),
        values=(Fraction(1), Fraction(2), Fraction(3)),
        probabilities=(Fraction(1, 5), Fraction(1, 2), Fraction(3, 10)),
    )
    u = (np.arange(10_000) + 0.5) / 10_000
    x = p.ppf(u)
    assert [float((x == v).mean()) for v in (1, 2, 3)] == pytest.approx([0.2, 0.5, 0.3])


@given(
    low=st.fractions(-10, 10, max_denominator=100),
    width=st.fractions(Fraction(1, 100), 10, max_denominator=100),
    at=st.fractions(0, 1, max_denominator=100),
)
def test_triangular_draws_match_scipy_and_stay_inside(low, width, at):
    high, mode = low + width, low + at * width
    p = Prior("triangular", low, high, mode=mode)
    x = p.ppf(U)
    ref = stats.triang(float(at), loc=float(low), scale=float(width)).ppf(U)
    assert np.allclose(x, ref, atol=1e-9 * float(width + 1))
    assert (x >= float(low)).all() and (x <= float(high)).all()
    assert (np.diff(x) >= -1e-12).all()


def test_schema_describes_priors():
    from negotiation.scenario.schema import json_schema

    defs = json_schema()["$defs"]
    assert "PriorModel" in defs and "kind" in defs["PriorModel"]["properties"]


_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6),
    st.text(max_size=6),
    st.lists(st.floats(-20, 20), max_size=4),
    st.none(),
)
_fields = st.sampled_from(
    ["low", "high", "mode", "a", "b", "mean", "sd", "values", "probabilities", "what"]
)


@given(
    kind=st.sampled_from(
        ["uniform", "triangular", "beta", "normal", "log_uniform", "discrete", "x"]
    ),
    fields=st.dictionaries(_fields, _values, max_size=4),
)
def test_random_priors_are_accepted_or_refused_cleanly(kind, fields):
    """Any prior mapping either builds, with draws inside the parameter's range, or is
    refused with located problems (never another exception)."""
    import yaml

    prior = yaml.safe_dump({"kind": kind, **fields}, default_flow_style=True).strip()
    try:
        s = scenario(prior)
    except ScenarioError as exc:  # ScenarioErrors too
        assert "p.yaml:" in str(exc) and "parameters.T.prior" in str(exc), str(exc)
        return
    p = s.parameters["T"].prior
    x = p.ppf(U)
    assert np.isfinite(x).all() and (x >= 3).all() and (x <= 10).all()
