"""Figures: each plot writes an image of the expected size with visible content."""

from __future__ import annotations

import sys

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.image import imread

from negotiation.analysis.compare import compare
from negotiation.analysis.plots import plot_comparison, plot_simulation, plot_sweep
from negotiation.analysis.sweep import sweep
from negotiation.errors import NegotiationError
from negotiation.repeated.experiment import run_simulation
from negotiation.scenario import load_scenario

DPI = 120


@pytest.fixture(scope="module")
def export_controls():
    return load_scenario("us-china-export-controls-2025")


@pytest.fixture(scope="module")
def comparison():
    return compare(load_scenario("chicken"), tipping=False)


@pytest.fixture(scope="module")
def sweep2(export_controls):
    return sweep(
        export_controls,
        ["theta_cn=0.1:0.6:6", "x_hold=0.1:0.9:5"],
        strategies=["grim_trigger", "tit_for_tat"],
    )


@pytest.fixture(scope="module")
def sweep1(export_controls):
    return sweep(export_controls, ["theta_cn=0.1:0.6:6"], strategies=["grim_trigger"])


@pytest.fixture(scope="module")
def simulation():
    return run_simulation(load_scenario("chicken"), rounds=40, runs=200, seed=1)


def check_png(path, inches):
    """The image has figsize x dpi pixels (within 3) and is not blank."""
    image = imread(path)
    height, width = image.shape[:2]
    assert abs(width - inches[0] * DPI) <= 3, (width, inches)
    assert abs(height - inches[1] * DPI) <= 3, (height, inches)
    rgb = image[..., :3]
    not_white = (rgb < 0.98).any(axis=-1)
    assert not_white.mean() > 0.02
    codes = (rgb.reshape(-1, 3) * 255).round().astype(np.int32) @ np.array([65536, 256, 1])
    assert np.unique(codes).size >= 3


def test_comparison_png(comparison, tmp_path):
    out = plot_comparison(comparison, tmp_path / "compare.png")
    assert out == tmp_path / "compare.png"
    # Chicken: five assumptions, one profile never sustainable (hatched bars); the
    # cheap crash (a Prisoner's Dilemma) and high stakes are fragile.
    verdicts = [c.verdict for c in comparison.columns]
    assert verdicts == ["stable", "stable", "fragile", "stable", "fragile"]
    check_png(out, (max(8.0, 3.0 + 1.5 * len(comparison.columns)), 9.0))


@pytest.mark.parametrize("metric", ["critical", "verdict", "slack", "share"])
def test_sweep_heatmap_png(sweep2, tmp_path, metric):
    # The grid has never-sustainable cells and every verdict but "stable"; not all blank.
    assert np.isnan(sweep2.grid("critical", 0)).any()
    out = plot_sweep(sweep2, str(tmp_path / f"{metric}.png"), metric=metric)
    assert out.suffix == ".png"
    # critical δ: one heatmap per profile, side by side (two profiles here)
    check_png(out, (14.0, 5.2) if metric == "critical" else (8.0, 5.5))


def test_sweep_heatmap_other_profile(sweep2, tmp_path):
    # tit_for_tat never sustains the détente here: an all-grey heatmap still draws.
    assert np.isnan(sweep2.grid("critical", 1)).all()
    check_png(plot_sweep(sweep2, tmp_path / "tft.png", profile=1), (8.0, 5.5))


@pytest.mark.parametrize("metric", ["critical", "verdict", "margin"])
def test_sweep_line_png(sweep1, tmp_path, metric):
    check_png(plot_sweep(sweep1, tmp_path / f"{metric}.png", metric=metric), (8.0, 5.5))


def test_simulation_png(simulation, tmp_path):
    out = plot_simulation(simulation, tmp_path / "simulate.png")
    check_png(out, (9.0, 5.0))


@pytest.mark.parametrize("suffix", [".SVG"])
def test_other_formats(simulation, tmp_path, suffix):
    out = plot_simulation(simulation, tmp_path / f"simulate{suffix}")
    assert out.stat().st_size > 1000


@pytest.mark.parametrize("name", ["plot.jpg", "plot", "plot.png.txt"])
def test_bad_suffix(comparison, sweep1, simulation, tmp_path, name):
    for call in (
        lambda p: plot_comparison(comparison, p),
        lambda p: plot_sweep(sweep1, p),
        lambda p: plot_simulation(simulation, p),
    ):
        with pytest.raises(NegotiationError, match=r"\.png, \.svg or \.pdf"):
            call(tmp_path / name)
    assert not list(tmp_path.iterdir())


def test_missing_directory(simulation, tmp_path):
    with pytest.raises(NegotiationError, match="no directory"):
        plot_simulation(simulation, tmp_path / "nowhere" / "simulate.png")


def test_bad_metric_and_profile(sweep1, tmp_path):
    with pytest.raises(NegotiationError, match="unknown plot metric"):
        plot_sweep(sweep1, tmp_path / "x.png", metric="payoff")
    for profile in (1, -1):
        with pytest.raises(NegotiationError, match="not an index"):
            plot_sweep(sweep1, tmp_path / "x.png", profile=profile)


def test_without_matplotlib(simulation, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    with pytest.raises(
        NegotiationError, match=r"plots need matplotlib: pip install -e '.*\[plot\]'"
    ):
        plot_simulation(simulation, tmp_path / "simulate.png")


def test_missing_matplotlib_names_the_install_that_fits(monkeypatch, tmp_path):
    import importlib.util

    from click.testing import CliRunner

    from negotiation.cli.main import main as cli

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    out = tmp_path / "c.png"
    result = CliRunner().invoke(cli, ["compare", "prisoners-dilemma", "--plot", str(out)])
    assert result.exit_code == 1
    assert "--plot needs matplotlib: pip install -e '" in result.output  # a source clone
    assert "[plot]' (this source clone's plot extra)" in result.output
    assert not out.exists()


def _svg_text(draw, tmp_path):
    """The text of a figure drawn to SVG with its strings kept as text."""
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none"}):
        out = draw(tmp_path / "figure.svg")
    return out.read_text(encoding="utf-8")


def test_sweep_critical_draws_every_profile(export_controls, sweep2, tmp_path):
    one_axis = sweep(
        export_controls, ["theta_cn=0.1:0.6:6"], strategies=["grim_trigger", "tit_for_tat"]
    )
    for result in (one_axis, sweep2):
        svg = _svg_text(lambda p, r=result: plot_sweep(r, p), tmp_path)
        assert "grim_trigger" in svg and "tit_for_tat" in svg
        only = _svg_text(lambda p, r=result: plot_sweep(r, p, profile=0), tmp_path)
        assert "grim_trigger" in only and "tit_for_tat" not in only


def test_title_and_size_options(comparison, sweep1, simulation, tmp_path):
    draws = [
        lambda p, **kw: plot_comparison(comparison, p, **kw),
        lambda p, **kw: plot_sweep(sweep1, p, **kw),
        lambda p, **kw: plot_simulation(simulation, p, **kw),
    ]
    for k, draw in enumerate(draws):
        check_png(draw(tmp_path / f"{k}.png", size=(6, 4)), (6.0, 4.0))
        svg = _svg_text(lambda p, d=draw: d(p, title="Figure 3: my own title"), tmp_path)
        assert "Figure 3: my own title" in svg
    with pytest.raises(NegotiationError, match="each from 2 to 40"):
        plot_simulation(simulation, tmp_path / "x.png", size=(100, 4))


def test_cli_plot_title_size_and_profile(tmp_path):
    from click.testing import CliRunner

    from negotiation.cli.main import main

    runner = CliRunner()
    out = tmp_path / "sweep.png"
    args = ["sweep", "prisoners-dilemma", "--grid", "T=4:8:3", "--format", "csv"]
    done = runner.invoke(
        main, [*args, "--plot", str(out), "--plot-size", "6x4", "--plot-profile", "2"]
    )
    assert done.exit_code == 0, done.output
    check_png(out, (6.0, 4.0))
    bad = runner.invoke(main, [*args, "--plot", str(tmp_path / "x.png"), "--plot-size", "6by4"])
    assert bad.exit_code == 2 and "for example 8x4.5" in bad.output
    assert not (tmp_path / "x.png").exists()
    far = runner.invoke(main, [*args, "--plot", str(tmp_path / "y.png"), "--plot-profile", "9"])
    assert far.exit_code == 1 and "not an index" in far.output and "Traceback" not in far.output
