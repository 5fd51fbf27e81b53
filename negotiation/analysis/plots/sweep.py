"""A metric of ``sweep`` over its grid: a heatmap over two axes, a line over one."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiation.analysis.plots.figure import (
    MISSING_COLOUR,
    NA_COLOUR,
    VERDICT_COLOURS,
    check_path,
    figure,
    headline,
    legend_patch,
    save,
    side_legend,
    text,
)
from negotiation.analysis.sweep import SweepResult
from negotiation.analysis.sweep_chunk import profile_label
from negotiation.errors import NegotiationError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_sweep"]

#: Metrics :func:`plot_sweep` draws, with their descriptions.
_SWEEP_METRICS = {
    "critical": "critical δ",
    "verdict": "verdict",
    "slack": "δ slack (δ − δ*) of the best profile",
    "margin": "incentive margin of the best profile",
    "share": "long-run détente share of the best profile",
}


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
    *,
    metric: str = "critical",
    profile: int | None = None,
    title: str | None = None,
    size: tuple[float, float] | None = None,
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
    profile : int, optional
        Index into ``result.profiles`` (used by ``critical``); by default every profile
        is drawn (one line each over one axis, one heatmap each over two).
    title : str, optional
        The figure's title instead of the default (``""`` for none).
    size : (float, float), optional
        Width and height in inches (each from 2 to 40) instead of the default.

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
    out = check_path(path)
    if metric not in _SWEEP_METRICS:
        raise NegotiationError(
            f"unknown plot metric {metric!r}: choose one of {', '.join(_SWEEP_METRICS)}"
        )
    if profile is not None and (
        isinstance(profile, bool)
        or not isinstance(profile, int)
        or not 0 <= profile < len(result.profiles)
    ):
        raise NegotiationError(
            f"profile {profile!r} is not an index of the {len(result.profiles)} profiles"
        )
    drawn = [profile] if profile is not None else list(range(len(result.profiles)))
    if metric != "critical" or len(drawn) == 1:
        k = drawn[0] if metric == "critical" else 0
        values = _sweep_values(result, metric, k)
        what = _SWEEP_METRICS[metric]
        if metric == "critical":
            what = f"critical δ of {profile_label(result.profiles[k])}"
        fig = figure(8.0, 5.5, size)
        ax = fig.add_subplot()
        if len(result.axes) == 2:
            _sweep_heatmap(fig, ax, result, metric, values)
        else:
            _sweep_line(ax, result, metric, values)
    elif len(result.axes) == 1:
        what = "critical δ of each strategy profile"
        fig = figure(8.0, 5.5, size)
        _critical_lines(fig.add_subplot(), result, drawn)
    else:
        what = "critical δ of each strategy profile"
        cols = min(len(drawn), 2)
        rows = -(-len(drawn) // cols)
        fig = figure(7.0 * cols, 5.2 * rows, size)
        axes = fig.subplots(rows, cols, squeeze=False).ravel()
        for ax, k in zip(axes, drawn):
            _sweep_heatmap(fig, ax, result, metric, _sweep_values(result, metric, k))
            ax.set_title(text(profile_label(result.profiles[k])), fontsize="medium")
        for ax in axes[len(drawn) :]:
            ax.set_visible(False)
    headline(fig, f"{result.title}\n{what} ({result.assumption})", title)
    return save(fig, out)


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
        cmap = ListedColormap(list(VERDICT_COLOURS.values())).with_extremes(bad=NA_COLOUR)
        norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5], cmap.N)
        ax.pcolormesh(xe, ye, data, cmap=cmap, norm=norm, edgecolors="face")
        handles += [legend_patch(c, v) for v, c in reversed(VERDICT_COLOURS.items())]
        if data.mask.any():
            handles.append(legend_patch(NA_COLOUR, _missing_label(metric)))
    else:
        from matplotlib import colormaps

        cmap = colormaps["viridis"].with_extremes(bad=MISSING_COLOUR)
        lo, hi = (0.0, 1.0) if metric in ("critical", "share") else (None, None)
        if lo is None and data.count():
            lo, hi = float(data.min()), float(data.max())
            if lo == hi:
                lo, hi = lo - 0.5, hi + 0.5
        mesh = ax.pcolormesh(xe, ye, data, cmap=cmap, vmin=lo, vmax=hi, edgecolors="face")
        label = _SWEEP_METRICS[metric]
        if data.mask.any():
            label += f"\n(grey: {_missing_label(metric)})"
            handles.append(legend_patch(MISSING_COLOUR, _missing_label(metric)))
        fig.colorbar(mesh, ax=ax, label=label)
        if metric == "critical" and np.ndim(result.discount) == 1:
            # (with one δ per player the overall critical δ has no single δ to meet)
            slack = np.ma.masked_invalid((result.discount.reshape(result.shape) - values).T)
            if slack.count() and slack.min() < 0 < slack.max():
                ax.contour(xs, ys, slack, levels=[0.0], colors="white", linewidths=1.5)
                handles.append(Line2D([], [], color="white", lw=1.5, label="critical δ = δ"))
    handles += _mark_assumed(ax, result, xs, ys)
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    ax.set_xlabel(text(result.axes[0].label))
    ax.set_ylabel(text(result.axes[1].label))
    if handles and metric == "verdict":
        side_legend(ax, handles)
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

    name = text(result.assumption)
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
        for code, colour in enumerate(VERDICT_COLOURS.values()):
            sel = values == code
            ax.scatter(xs[sel], values[sel], color=colour, edgecolors="0.3", zorder=2)
        handles: list[Any] = [
            Line2D([], [], marker="o", ls="", color=c, markeredgecolor="0.3", label=v)
            for v, c in VERDICT_COLOURS.items()
        ]
        ax.set_yticks([0, 1, 2], list(VERDICT_COLOURS))
        ax.set_ylim(-0.5, 2.5)
        base = 0.0
    else:
        ax.plot(xs, values, "o-", color="C0", ms=4, label=_SWEEP_METRICS[metric])
        if metric in ("critical", "share"):
            ax.set_ylim(-0.02, 1.08)
        if metric == "critical":
            if np.ndim(result.discount) == 2:  # each player's own δ
                for who, ls in ((0, "--"), (1, ":")):
                    d = result.discount[:, who]
                    ax.plot(xs, d, ls, color="black", label=f"δ {result.players[who]}")
            else:
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
    ax.set_xlabel(text(result.axes[0].label))
    ax.grid(alpha=0.3)
    side_legend(ax, handles)


def _critical_lines(ax: Axes, result: SweepResult, drawn: list[int]) -> None:
    """The critical δ of several profiles over one axis, one line each."""
    from matplotlib.lines import Line2D

    xs = np.array([float(v) for v in result.axes[0].values])
    handles: list[Any] = []
    for n, k in enumerate(drawn):
        values = _sweep_values(result, "critical", k)
        colour = f"C{n % 10}"
        (line,) = ax.plot(
            xs, values, "o-", color=colour, ms=4, label=text(profile_label(result.profiles[k]))
        )
        handles.append(line)
        missing = np.isnan(values)
        if missing.any():
            ax.plot(
                xs[missing], np.full(int(missing.sum()), 1.04 - 0.02 * n), "x", color=colour, ms=7
            )
    (line,) = ax.plot(xs, result.discount, "--", color="black", label="scenario δ")
    handles.append(line)
    if any(np.isnan(_sweep_values(result, "critical", k)).any() for k in drawn):
        handles.append(Line2D([], [], marker="x", ls="", color="0.45", label="never sustainable"))
    handles += _mark_assumed(ax, result, xs, np.array([-math.inf, math.inf]))
    ax.set_ylim(-0.02, 1.08)
    ax.set_ylabel("critical δ")
    pad = (xs[-1] - xs[0]) * 0.03
    ax.set_xlim(xs[0] - pad, xs[-1] + pad)
    ax.set_xlabel(text(result.axes[0].label))
    ax.grid(alpha=0.3)
    side_legend(ax, handles)
