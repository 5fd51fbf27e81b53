"""The HTML report (negotiation.analysis.report_html, ``negotiation report``): one
self-contained page, every file text escaped, rendered by a real headless Chromium for
every shipped scenario without console messages, with the tables and figures shown."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from shipped_results import (
    SHIPPED,
    require_program,
    shared_stability_reports,
    shipped_comparison,
    shipped_scenario,
)

import negotiation as ng
from negotiation.analysis.compare import compare
from negotiation.cli.main import main
from negotiation.errors import NegotiationError
from negotiation.scenario import load_scenario
from negotiation.terminal import UNSAFE_CHARACTERS

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>\x1b]0;pwned\x07\u202e\x9b'


def _hostile():
    s = load_scenario("prisoners-dilemma")
    first = next(iter(s.parameters.values()))
    params = dict(s.parameters)
    params[first.name] = dataclasses.replace(first, description=HOSTILE, unit=HOSTILE)
    return dataclasses.replace(
        s, title=HOSTILE, summary=HOSTILE, sources=(HOSTILE,), parameters=params
    )


def test_every_text_from_the_file_is_escaped():
    page = ng.html_report(_hostile(), ["baseline"], strategies=["grim_trigger"], figures=False)
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "onerror=alert" in page  # shown as text, inside an escaped tag
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert not UNSAFE_CHARACTERS.search(page)
    assert "\\x1b]0;pwned\\x07" in page  # control characters visible, not raw


def test_the_page_is_self_contained():
    page = ng.html_report(load_scenario("chicken"), ["baseline", "costly-crash"])
    assert page.count('<img alt="') == 3 and page.count('src="data:image/png;base64,') == 3
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    # no address but the page's own anchors and data: images
    refs = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert refs and all(r.startswith(("#", "data:image/png;base64,")) for r in refs)
    for heading in ("Parameters", "Assumptions", "Stage game", "Verdicts"):
        assert f"<h3>{heading}</h3>" in page
    assert "Critical δ: Row player" in page and "Binding side" in page


def test_the_history_fit_is_in_the_report_where_there_is_history():
    s = load_scenario("us-china-tariffs-2025")
    page = ng.html_report(s, ["baseline"], figures=False, formulas=False)
    assert 'id="history"' in page and "ranked by log-likelihood" in page
    assert 'id="history"' not in ng.html_report(
        load_scenario("chicken"), ["baseline"], figures=False, formulas=False
    )


def test_a_comparison_of_another_case_is_refused():
    c = compare(load_scenario("chicken"), ["baseline"], tipping=False)
    with pytest.raises(NegotiationError, match="not of 'stag-hunt'"):
        ng.html_report(load_scenario("stag-hunt"), comparison=c, figures=False)
    with pytest.raises(NegotiationError, match="overrides"):
        ng.html_report(load_scenario("chicken"), overrides={"g": 2}, comparison=c)


def test_the_command_writes_the_page_atomically(tmp_path):
    runner = CliRunner()
    out = tmp_path / "report.html"
    args = ["report", "stag-hunt", "-a", "baseline", "--set", "stag=5", "-o", str(out)]
    r = runner.invoke(main, args)
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "baseline with stag=5" in page
    r = runner.invoke(main, args)
    assert r.exit_code == 1 and "use --force" in r.output
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    r = runner.invoke(main, ["report", "stag-hunt", "-o", str(tmp_path / "no" / "x.html")])
    assert r.exit_code == 1 and "no directory" in r.output
    assert not list(tmp_path.glob(".*.tmp"))


# ------------------------------------------------------------- in a real browser


def _render(chromium: str, page: Path) -> dict[str, object]:
    """Chromium's DOM, screenshot and log of a page (one headless run)."""
    shot = page.with_suffix(".png")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--mute-audio",
            f"--user-data-dir={page.parent / (page.stem + '-profile')}",
            f"--screenshot={shot}",
            "--window-size=1200,3000",
            "--dump-dom",
            "--enable-logging=stderr",
            "--v=0",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return {"code": done.returncode, "dom": done.stdout, "log": done.stderr, "shot": shot}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every shipped scenario's report (and the hostile one) rendered, two browsers at
    a time, each page handed to a browser as soon as it is written (the browsers run
    while the next pages are computed). The comparisons and the baseline stability
    reports are the session's shared ones (tests/shipped_results.py)."""
    chromium = require_program("chromium", "chromium")
    folder = tmp_path_factory.mktemp("reports")
    pages = {}
    with ThreadPoolExecutor(max_workers=2) as pool, shared_stability_reports():
        futures = {}
        for name in [*SHIPPED, "hostile"]:
            if name == "hostile":
                page = ng.html_report(_hostile(), ["baseline"], strategies=["grim_trigger"])
            else:
                page = ng.html_report(shipped_scenario(name), comparison=shipped_comparison(name))
            pages[name] = folder / f"{name}.html"
            pages[name].write_text(page, encoding="utf-8")
            futures[name] = pool.submit(_render, chromium, pages[name])
        results = {name: future.result() for name, future in futures.items()}
    return pages, results


@pytest.mark.parametrize("name", [*SHIPPED, "hostile"])
def test_the_report_renders_in_headless_chromium(rendered, name):
    import matplotlib.image

    _, results = rendered
    result = results[name]
    assert result["code"] == 0, result["log"]
    log = str(result["log"])
    console = [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, "\n".join(console)  # no script error, no refused request
    dom = str(result["dom"])
    assert "<table" in dom and "Comparison across assumptions" in dom
    assert dom.count('src="data:image/png;base64,') == 3
    assert "<script" not in dom.lower()
    image = matplotlib.image.imread(result["shot"])
    assert image.shape[:2] == (3000, 1200)
    pixels = image[..., :3].reshape(-1, 3)
    assert pixels.std() > 0.05  # not one colour
    assert len(np.unique((pixels[::37] * 255).astype(np.uint8), axis=0)) > 50
    if name == "hostile":
        assert "&lt;script&gt;" in dom and '<img src="x"' not in dom
