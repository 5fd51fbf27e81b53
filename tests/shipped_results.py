"""Results of every shipped scenario, computed once per test session and shared by the
tests that render them (paper tables, the HTML report)."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from negotiation.analysis.compare import Comparison, compare
from negotiation.repeated.report import StabilityReport, stability_report
from negotiation.scenario import Scenario, load_scenario, shipped_scenarios

SHIPPED = sorted(info.id for info in shipped_scenarios())


@functools.cache
def shipped_scenario(name: str) -> Scenario:
    """A shipped scenario, loaded once (the object the shared results are of)."""
    return load_scenario(name)


@functools.cache
def shipped_comparison(name: str) -> Comparison:
    """``compare`` of a shipped scenario with the defaults (tipping points included)."""
    return compare(shipped_scenario(name))


def without_tipping(comparison: Comparison) -> Comparison:
    """The comparison as ``compare(..., tipping=False)`` returns it (same reports)."""
    columns = tuple(dataclasses.replace(c, tipping=()) for c in comparison.columns)
    return dataclasses.replace(comparison, columns=columns, tipping_parameters=())


@functools.cache
def shipped_stability(name: str) -> StabilityReport:
    """``stability_report`` of a shipped scenario (baseline, with the formulas)."""
    return stability_report(shipped_scenario(name))


@contextlib.contextmanager
def shared_stability_reports() -> Iterator[None]:
    """Within the block, ``stability_report`` of a :func:`shipped_scenario` object at
    the defaults (baseline, no overrides, the file's strategies) is
    :func:`shipped_stability`, computed once per session for the paper tables and the
    HTML report alike (the function is pure: the same arguments give the same report)."""
    import negotiation.repeated.report as module

    original = module.stability_report

    def shared(
        scenario: Scenario, assumption: str = "baseline", overrides: Any = None, **options: Any
    ) -> StabilityReport:
        if (
            assumption == "baseline"
            and overrides is None
            and options in ({}, {"strategies": None})
            and scenario.id in SHIPPED
            and scenario is shipped_scenario(scenario.id)
        ):
            return shipped_stability(scenario.id)
        return original(scenario, assumption, overrides, **options)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, "stability_report", shared)
        yield


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
