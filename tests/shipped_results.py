"""Results of every shipped scenario, computed once per test session and shared by the
tests that render them (paper tables, the HTML report)."""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil

import pytest

from negotiation.analysis.compare import Comparison, compare
from negotiation.repeated.report import StabilityReport, stability_report
from negotiation.scenario import load_scenario, shipped_scenarios

SHIPPED = sorted(info.id for info in shipped_scenarios())


@functools.cache
def shipped_comparison(name: str) -> Comparison:
    """``compare`` of a shipped scenario with the defaults (tipping points included)."""
    return compare(load_scenario(name))


def without_tipping(comparison: Comparison) -> Comparison:
    """The comparison as ``compare(..., tipping=False)`` returns it (same reports)."""
    columns = tuple(dataclasses.replace(c, tipping=()) for c in comparison.columns)
    return dataclasses.replace(comparison, columns=columns, tipping_parameters=())


@functools.cache
def shipped_stability(name: str) -> StabilityReport:
    """``stability_report`` of a shipped scenario (baseline, with the formulas)."""
    return stability_report(load_scenario(name))


def require_program(name: str, package: str) -> str:
    """The path of a program the test needs; skipped when it is missing, except under
    CI (``CI`` set), where ``.ci/run`` installs it and its absence is a failure."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package {package}; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
