"""Figures of the analyses (``--plot``): comparison, sweep and simulation.

* :func:`plot_comparison` -- the metrics of :func:`~negotiation.analysis.compare.compare`
  by assumption: critical δ of every profile, the best profile's détente share under
  noise and its incentive margin, each assumption coloured by its verdict;
* :func:`plot_sweep` -- a metric of :func:`~negotiation.analysis.sweep.sweep` as a
  heatmap over two axes or a line over one, with the assumption's own point marked;
* :func:`plot_simulation` -- the share of each move profile per round of a
  :func:`~negotiation.repeated.experiment.run_simulation`, with 95% bands and the exact
  long-run détente share.

matplotlib is the optional extra ``plot``; it is imported only when a figure is drawn.
Figures are built with the object-oriented API on an Agg canvas (no display, no pyplot
global state, so drawing is safe in threads) and saved as PNG (120 dpi), SVG or PDF,
chosen by the file's suffix.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiation.analysis.compare import Comparison
from negotiation.analysis.sweep import SweepResult
from negotiation.analysis.sweep_chunk import profile_label
from negotiation.errors import NegotiationError
from negotiation.repeated.experiment import SimulationRun

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_comparison", "plot_simulation", "plot_sweep"]

#: Resolution of PNG files.
_DPI = 120
#: File types a figure can be saved as.
_SUFFIXES = (".png", ".svg", ".pdf")
#: Colours of the verdicts (and of points that could not be analysed).
_VERDICT_COLOURS = {
    "unsustainable": "#d7301f",
    "fragile": "#f39a2b",
    "stable": "#1a9850",
}
_NA_COLOUR = "#9e9e9e"
#: Cells or points where a metric has no value ("never", "no sustained profile").
_MISSING_COLOUR = "#bdbdbd"
#: Metrics :func:`plot_sweep` draws, with their descriptions.
_SWEEP_METRICS = {
    "critical": "critical δ",
    "verdict": "verdict",
    "slack": "δ slack (δ − δ*) of the best profile",
    "margin": "incentive margin of the best profile",
    "share": "long-run détente share of the best profile",
}
#: A move profile is drawn when its share reaches this in some round.
_NEGLIGIBLE = 0.01


def _check_path(path: str | os.PathLike[str]) -> Path:
    out = Path(path)
    if out.suffix.lower() not in _SUFFIXES:
        raise NegotiationError(
            f"cannot draw to {str(out)!r}: the file name must end in .png, .svg or .pdf"
        )
    if not out.parent.is_dir():
        raise NegotiationError(f"cannot draw to {str(out)!r}: no directory {str(out.parent)!r}")
    return out


def _figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas, with constrained layout."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise NegotiationError("plots need matplotlib: pip install 'negotiation[plot]'") from None
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, dpi=_DPI, format=path.suffix.lower()[1:])
    return path


def _legend_patch(colour: str, label: str, **kwargs: Any) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor="0.3", label=label, **kwargs)


def _number(value: Any) -> float:
    """A float of an exact number (Fraction, sympy number) or NaN for ``None``."""
    return math.nan if value is None else float(value)


def _fmt(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3g}"


# --------------------------------------------------------------------------- compare


def plot_comparison(comparison: Comparison, path: str | os.PathLike[str]) -> Path:
    """Draw the metrics of a comparison by assumption.

    Three panels share the assumption axis (one group per assumption, its name coloured
    by its verdict): (a) the critical δ of every strategy profile as grouped bars --
    hatched full-height bars for profiles that are never sustainable -- with the
    scenario's δ as a black segment over each group; (b) the best profile's long-run
    détente share under noise, with the verdict's ``min_share`` as a dashed line; (c)
    the best profile's incentive margin. Bars in (b) and (c) take the verdict's colour;
    an assumption with no sustained profile is marked "none".

    Parameters
    ----------
    comparison : Comparison
        From :func:`negotiation.analysis.compare.compare`.
    path : str or path-like
        File to write, ending in ``.png``, ``.svg`` or ``.pdf``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    NegotiationError
        Another suffix, a missing directory, or matplotlib not installed.

    Examples
    --------
    >>> import tempfile
    >>> from negotiation.analysis.compare import compare
    >>> from negotiation.scenario import load_scenario
    >>> c = compare(load_scenario("stag-hunt"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_comparison(c, Path(tmp) / "compare.png")
    ...     out.suffix, out.stat().st_size > 10_000
    ('.png', True)
    """
    out = _check_path(path)
    columns = comparison.columns
    if not columns:
        raise NegotiationError("nothing to draw: the comparison has no assumption")
    n = len(columns)
    fig = _figure(max(8.0, 3.0 + 1.5 * n), 9.0)
    ax_crit, ax_share, ax_margin = fig.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [1.4, 1.0, 1.0]}
    )
    x = np.arange(n, dtype=float)
    _comparison_critical(ax_crit, comparison, x)
    _comparison_best(ax_share, ax_margin, comparison, x)
    names = [f"{c.assumption}\n{c.verdict}" for c in columns]
    if n <= 4:
        ax_margin.set_xticks(x, names)
    else:
        ax_margin.set_xticks(x, names, rotation=25, ha="right", rotation_mode="anchor")
    for tick, c in zip(ax_margin.get_xticklabels(), columns):
        tick.set_color(_VERDICT_COLOURS.get(c.verdict, _NA_COLOUR))
        tick.set_fontweight("bold")
    ax_margin.set_xlim(-0.6, n - 0.4)
    fig.suptitle(f"{comparison.title}: détente stability by assumption")
    return _save(fig, out)


def _comparison_critical(ax: Axes, comparison: Comparison, x: np.ndarray) -> None:
    """Panel (a): grouped bars of the critical δ, the scenario's δ over each group."""
    from matplotlib.lines import Line2D

    columns = comparison.columns
    profiles = [p.strategies for p in columns[0].report.profiles]
    P = len(profiles)
    width = 0.8 / max(P, 1)
    colours = [f"C{k % 10}" for k in range(P)]
    never = False
    handles: list[Any] = []
    for k, pair in enumerate(profiles):
        crit = np.array(
            [_number(c.report.profiles[k].sustainability.critical_discount) for c in columns]
        )
        pos = x - 0.4 + width * (k + 0.5)
        finite = ~np.isnan(crit)
        ax.bar(
            pos[finite],
            crit[finite],
            width,
            color=colours[k],
            edgecolor=colours[k],
            linewidth=1.0,
        )
        handles.append(_legend_patch(colours[k], profile_label(pair)))
        for px, value in zip(pos[finite], crit[finite]):  # values, so that 0 shows too
            ax.annotate(
                f"{value:.2f}",
                (px, value),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="x-small",
                rotation=0 if P <= 3 else 90,
            )
        if (~finite).any():
            never = True
            ax.bar(
                pos[~finite],
                np.ones(int((~finite).sum())),
                width,
                facecolor="none",
                edgecolor=colours[k],
                hatch="//",
                linewidth=1.0,
            )
            ax.plot(pos[~finite], np.full(int((~finite).sum()), 1.0), "x", color="0.2", ms=6)
    deltas = [float(c.report.discount) for c in columns]
    ax.hlines(deltas, x - 0.45, x + 0.45, colors="black", linewidth=2.0)
    handles.append(Line2D([], [], color="black", lw=2.0, label="scenario δ"))
    if never:
        handles.append(_legend_patch("white", "never sustainable (hatched, ×)", hatch="//"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    ax.set_ylim(0.0, 1.08)
    ax.set_ylabel("critical δ")
    ax.set_title("(a) critical δ of each strategy profile", loc="left", fontsize="medium")
    ax.grid(axis="y", alpha=0.3)


def _comparison_best(
    ax_share: Axes, ax_margin: Axes, comparison: Comparison, x: np.ndarray
) -> None:
    """Panels (b) and (c): détente share and incentive margin of the best profile."""
    columns = comparison.columns
    colours = [_VERDICT_COLOURS.get(c.verdict, _NA_COLOUR) for c in columns]
    share = np.array(
        [_number(c.best.noise.detente_share) if c.best else math.nan for c in columns]
    )
    margin = np.array([_number(c.best.incentive_margin) if c.best else math.nan for c in columns])
    for ax, values in ((ax_share, share), (ax_margin, margin)):
        finite = ~np.isnan(values)
        ax.bar(
            x[finite],
            values[finite],
            0.55,
            color=[c for c, f in zip(colours, finite) if f],
            edgecolor="0.3",
        )
        for i in np.flatnonzero(finite):
            va = "bottom" if values[i] >= 0 else "top"
            ax.annotate(_fmt(values[i]), (x[i], values[i]), ha="center", va=va, fontsize="small")
        for i in np.flatnonzero(~finite):
            ax.annotate(
                "none",
                (x[i], 0.0),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize="small",
                color="0.35",
            )
        ax.grid(axis="y", alpha=0.3)
    ax_share.axhline(
        float(comparison.rules.min_share),
        color="0.2",
        linestyle="--",
        label=f"min share for 'stable' ({float(comparison.rules.min_share):g})",
    )
    handles, _ = ax_share.get_legend_handles_labels()
    handles += [_legend_patch(c, v) for v, c in _VERDICT_COLOURS.items()]
    ax_share.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small"
    )
    ax_share.set_ylim(0.0, 1.1)
    ax_share.set_ylabel("détente share")
    ax_share.set_title(
        "(b) long-run détente share of the best profile under noise",
        loc="left",
        fontsize="medium",
    )
    ax_margin.axhline(0.0, color="0.2", linewidth=0.8)
    top = np.nanmax(np.abs(margin)) if (~np.isnan(margin)).any() else 1.0
    low = min(0.0, float(np.nanmin(margin)) * 1.25) if (~np.isnan(margin)).any() else 0.0
    ax_margin.set_ylim(low, max(float(top), 1e-9) * 1.25)
    ax_margin.set_ylabel("incentive margin")
    ax_margin.set_title("(c) incentive margin of the best profile", loc="left", fontsize="medium")


# --------------------------------------------------------------------------- sweep


def _sweep_values(result: SweepResult, metric: str, profile: int) -> np.ndarray:
    """The metric on the grid (shape ``result.shape``), NaN where it has no value."""
    if metric in ("critical", "verdict"):
        return result.grid(metric, profile if metric == "critical" else None)
    if metric == "slack":
        return np.asarray(result.columns["slack"], dtype=float).reshape(result.shape)
    best = np.asarray(result.columns["best"], dtype=int)
    data = np.asarray(result.columns[metric], dtype=float)
    picked = data[np.maximum(best, 0), np.arange(best.size)]
    return np.where(best >= 0, picked, np.nan).reshape(result.shape)


def _edges(values: np.ndarray) -> np.ndarray:
    """Cell edges around grid values: midpoints, half a step beyond the ends."""
    mid = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]])


def plot_sweep(
    result: SweepResult,
    path: str | os.PathLike[str],
    metric: str = "critical",
    profile: int = 0,
) -> Path:
    """Draw a metric of a sweep: a heatmap over two axes, a line over one.

    Parameters
    ----------
    result : SweepResult
        From :func:`negotiation.analysis.sweep.sweep`.
    path : str or path-like
        File to write, ending in ``.png``, ``.svg`` or ``.pdf``.
    metric : {"critical", "verdict", "slack", "margin", "share"}
        ``critical``: the critical δ of strategy profile ``profile`` (grey where it is
        never sustainable); ``verdict``: unsustainable / fragile / stable (grey where a
        point could not be analysed); ``slack``, ``margin``, ``share``: the best
        profile's δ slack, incentive margin and long-run détente share under noise
        (grey where no profile sustains the détente).
    profile : int
        Index into ``result.profiles`` (used by ``critical``).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    NegotiationError
        Unknown metric or profile, another suffix, a missing directory, or matplotlib
        not installed.

    Notes
    -----
    The x axis is the first grid axis, the y axis the second (or the metric); axes are
    labelled with the parameters' descriptions and units. The assumption's own point
    (``result.assumed``) is marked with a star, or a line when only one of its
    coordinates is known; with ``critical`` the scenario's δ is drawn too (a contour
    ``critical δ = δ`` on a heatmap).

    Examples
    --------
    >>> import tempfile
    >>> from negotiation.analysis.sweep import sweep
    >>> from negotiation.scenario import load_scenario
    >>> r = sweep(load_scenario("prisoners-dilemma"), ["T=4:8:5", "delta=0.3:0.9:4"],
    ...           strategies=["grim_trigger"])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_sweep(r, Path(tmp) / "sweep.png", metric="verdict")
    ...     out.name, out.stat().st_size > 10_000
    ('sweep.png', True)
    """
    out = _check_path(path)
    if metric not in _SWEEP_METRICS:
        raise NegotiationError(
            f"unknown plot metric {metric!r}: choose one of {', '.join(_SWEEP_METRICS)}"
        )
    if isinstance(profile, bool) or not 0 <= int(profile) < len(result.profiles):
        raise NegotiationError(
            f"profile {profile!r} is not an index of the {len(result.profiles)} profiles"
        )
    values = _sweep_values(result, metric, int(profile))
    what = _SWEEP_METRICS[metric]
    if metric == "critical":
        what = f"critical δ of {profile_label(result.profiles[profile])}"
    fig = _figure(8.0, 5.5)
    ax = fig.add_subplot()
    if len(result.axes) == 2:
        _sweep_heatmap(fig, ax, result, metric, values)
    else:
        _sweep_line(ax, result, metric, values)
    fig.suptitle(f"{result.title}\n{what} ({result.assumption})")
    return _save(fig, out)


def _missing_label(metric: str) -> str:
    if metric == "critical":
        return "never sustainable"
    if metric == "verdict":
        return "not analysable"
    return "no sustained profile"


def _sweep_heatmap(
    fig: Figure, ax: Axes, result: SweepResult, metric: str, values: np.ndarray
) -> None:
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D

    xs = np.array([float(v) for v in result.axes[0].values])
    ys = np.array([float(v) for v in result.axes[1].values])
    xe, ye = _edges(xs), _edges(ys)
    data = np.ma.masked_invalid(values.T)  # rows = y (second axis), columns = x
    handles: list[Any] = []
    if metric == "verdict":
        cmap = ListedColormap(list(_VERDICT_COLOURS.values())).with_extremes(bad=_NA_COLOUR)
        norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5], cmap.N)
        ax.pcolormesh(xe, ye, data, cmap=cmap, norm=norm, edgecolors="face")
        handles += [_legend_patch(c, v) for v, c in reversed(_VERDICT_COLOURS.items())]
        if data.mask.any():
            handles.append(_legend_patch(_NA_COLOUR, _missing_label(metric)))
    else:
        from matplotlib import colormaps

        cmap = colormaps["viridis"].with_extremes(bad=_MISSING_COLOUR)
        lo, hi = (0.0, 1.0) if metric in ("critical", "share") else (None, None)
        if lo is None and data.count():
            lo, hi = float(data.min()), float(data.max())
            if lo == hi:
                lo, hi = lo - 0.5, hi + 0.5
        mesh = ax.pcolormesh(xe, ye, data, cmap=cmap, vmin=lo, vmax=hi, edgecolors="face")
        label = _SWEEP_METRICS[metric]
        if data.mask.any():
            label += f"\n(grey: {_missing_label(metric)})"
            handles.append(_legend_patch(_MISSING_COLOUR, _missing_label(metric)))
        fig.colorbar(mesh, ax=ax, label=label)
        if metric == "critical":
            slack = np.ma.masked_invalid((result.discount.reshape(result.shape) - values).T)
            if slack.count() and slack.min() < 0 < slack.max():
                ax.contour(xs, ys, slack, levels=[0.0], colors="white", linewidths=1.5)
                handles.append(Line2D([], [], color="white", lw=1.5, label="critical δ = δ"))
    handles += _mark_assumed(ax, result, xs, ys)
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    ax.set_xlabel(result.axes[0].label)
    ax.set_ylabel(result.axes[1].label)
    if handles and metric == "verdict":
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    elif handles:  # the colorbar is on the right: put the legend below
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncols=min(len(handles), 4),
            fontsize="small",
            facecolor="0.85",
        )


def _mark_assumed(ax: Axes, result: SweepResult, xs: np.ndarray, ys: np.ndarray) -> list[Any]:
    """Mark the assumption's own point; the legend handles drawn."""
    from matplotlib.lines import Line2D

    name = result.assumption
    ax0 = result.assumed[0]
    ax1 = result.assumed[1] if len(result.assumed) > 1 else None
    spans = [(float(xs[0]), float(xs[-1])), (float(ys[0]), float(ys[-1]))]

    def inside(value: float | None, k: int) -> bool:
        return value is not None and spans[k][0] <= value <= spans[k][1]

    style: dict[str, Any] = {
        "color": "black",
        "markerfacecolor": "white",
        "markeredgecolor": "black",
    }
    if ax0 is not None and ax1 is not None:
        if inside(ax0, 0) and inside(ax1, 1):
            ax.plot([ax0], [ax1], "*", ms=16, markeredgewidth=1.2, label=name, **style)
            return [Line2D([], [], marker="*", ms=12, ls="", label=name, **style)]
        label = f"{name} ({ax0:g}, {ax1:g}): outside the grid"
        return [Line2D([], [], marker="*", ms=12, ls="", label=label, **style)]
    handles = []
    for k, value in enumerate((ax0, ax1)):
        if value is not None and inside(value, k):
            line = ax.axvline if k == 0 else ax.axhline
            line(value, color="black", linestyle=":", linewidth=1.8)
            handles.append(Line2D([], [], color="black", ls=":", lw=1.8, label=name))
    return handles


def _sweep_line(ax: Axes, result: SweepResult, metric: str, values: np.ndarray) -> None:
    from matplotlib.lines import Line2D

    xs = np.array([float(v) for v in result.axes[0].values])
    missing = np.isnan(values)
    if metric == "verdict":
        ax.step(xs, values, where="mid", color="0.6", linewidth=1.0, zorder=1)
        for code, colour in enumerate(_VERDICT_COLOURS.values()):
            sel = values == code
            ax.scatter(xs[sel], values[sel], color=colour, edgecolors="0.3", zorder=2)
        handles: list[Any] = [
            Line2D([], [], marker="o", ls="", color=c, markeredgecolor="0.3", label=v)
            for v, c in _VERDICT_COLOURS.items()
        ]
        ax.set_yticks([0, 1, 2], list(_VERDICT_COLOURS))
        ax.set_ylim(-0.5, 2.5)
        base = 0.0
    else:
        ax.plot(xs, values, "o-", color="C0", ms=4, label=_SWEEP_METRICS[metric])
        handles, _ = ax.get_legend_handles_labels()
        if metric in ("critical", "share"):
            ax.set_ylim(-0.02, 1.08)
        if metric == "critical":
            ax.plot(xs, result.discount, "--", color="black", label="scenario δ")
        elif metric == "share":
            ax.axhline(float(result.rules.min_share), color="0.2", ls="--", label="min share")
        elif metric == "slack":
            ax.axhline(float(result.rules.min_slack), color="0.2", ls="--", label="min slack")
        else:
            ax.axhline(0.0, color="0.2", linewidth=0.8)
        handles, _ = ax.get_legend_handles_labels()
        low, high = ax.get_ylim()
        base = high - 0.03 * (high - low) if metric == "critical" else low + 0.03 * (high - low)
        ax.set_ylabel(_SWEEP_METRICS[metric])
    if missing.any():
        ax.plot(xs[missing], np.full(int(missing.sum()), base), "x", color="0.45", ms=7)
        handles.append(
            Line2D([], [], marker="x", ls="", color="0.45", label=_missing_label(metric))
        )
    handles += _mark_assumed(ax, result, xs, np.array([-math.inf, math.inf]))
    pad = (xs[-1] - xs[0]) * 0.03
    ax.set_xlim(xs[0] - pad, xs[-1] + pad)
    ax.set_xlabel(result.axes[0].label)
    ax.grid(alpha=0.3)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")


# --------------------------------------------------------------------------- simulate


def plot_simulation(run: SimulationRun, path: str | os.PathLike[str]) -> Path:
    """Draw the share of each move profile per round of a simulation.

    One line per realised move profile whose share reaches 1% in some round, labelled
    ``(row move, column move)`` (the détente drawn thicker), each with the 95% interval
    of the mean over runs, ``p ± 1.96 sqrt(p (1 - p) / runs)`` clipped to [0, 1]; a
    dashed line marks the exact long-run détente share.

    Parameters
    ----------
    run : SimulationRun
        From :func:`negotiation.repeated.experiment.run_simulation`.
    path : str or path-like
        File to write, ending in ``.png``, ``.svg`` or ``.pdf``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    NegotiationError
        Another suffix, a missing directory, or matplotlib not installed.

    Examples
    --------
    >>> import tempfile
    >>> from negotiation.repeated.experiment import run_simulation
    >>> from negotiation.scenario import load_scenario
    >>> r = run_simulation(load_scenario("prisoners-dilemma"), rounds=40, runs=200, seed=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_simulation(r, Path(tmp) / "simulate.png")
    ...     out.suffix, out.stat().st_size > 10_000
    ('.png', True)
    """
    out = _check_path(path)
    sim = run.simulation
    shares = sim.profile_shares()
    rounds = np.arange(1, sim.rounds + 1)
    fig = _figure(9.0, 5.0)
    ax = fig.add_subplot()
    half = 1.96 * np.sqrt(shares * (1.0 - shares) / sim.runs)
    m, n = shares.shape[1:]
    k = 0
    for i in range(m):
        for j in range(n):
            p = shares[:, i, j]
            if p.max() < _NEGLIGIBLE:
                continue
            colour = f"C{k % 10}"
            k += 1
            target = (i, j) == tuple(run.target)
            label = f"({run.game.row_moves[i]}, {run.game.col_moves[j]})"
            ax.plot(
                rounds,
                p,
                color=colour,
                linewidth=2.2 if target else 1.3,
                label=f"{label}: détente" if target else label,
            )
            ax.fill_between(
                rounds,
                np.clip(p - half[:, i, j], 0.0, 1.0),
                np.clip(p + half[:, i, j], 0.0, 1.0),
                color=colour,
                alpha=0.2,
                linewidth=0,
            )
    exact = float(run.exact.detente_share)
    ax.axhline(
        exact, color="black", linestyle="--", label=f"exact long-run détente share {exact:.3g}"
    )
    handles, _ = ax.get_legend_handles_labels()
    handles.append(_legend_patch("0.75", "95% interval of the mean", alpha=0.6))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    ax.set_xlim(1, max(sim.rounds, 2))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("round")
    ax.set_ylabel(f"share of runs (of {sim.runs:,})")
    ax.grid(alpha=0.3)
    pair = (
        sim.row_strategy
        if sim.row_strategy == sim.col_strategy
        else f"{sim.row_strategy} (row) vs {sim.col_strategy} (column)"
    )
    fig.suptitle(
        f"{run.scenario} ({run.assumption}): {pair}, noise ε = {sim.noise:g}, {sim.runs:,} runs"
    )
    return _save(fig, out)
