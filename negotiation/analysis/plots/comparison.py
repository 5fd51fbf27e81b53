"""The metrics of ``compare`` by assumption, as one figure."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from negotiation.analysis.plots.figure import (
    NA_COLOUR,
    VERDICT_COLOURS,
    check_path,
    figure,
    fmt,
    headline,
    legend_patch,
    number,
    save,
    side_legend,
    text,
)
from negotiation.analysis.sweep_chunk import profile_label
from negotiation.errors import NegotiationError
from negotiation.scenario.discounts import discount_pair

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from negotiation.analysis.compare import Comparison

__all__ = ["plot_comparison"]


def plot_comparison(
    comparison: Comparison,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    size: tuple[float, float] | None = None,
) -> Path:
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
    out = check_path(path)
    columns = comparison.columns
    if not columns:
        raise NegotiationError("nothing to draw: the comparison has no assumption")
    n = len(columns)
    fig = figure(max(8.0, 3.0 + 1.5 * n), 9.0, size)
    ax_crit, ax_share, ax_margin = fig.subplots(
        3, 1, sharex=True, gridspec_kw={"height_ratios": [1.4, 1.0, 1.0]}
    )
    x = np.arange(n, dtype=float)
    _comparison_critical(ax_crit, comparison, x)
    _comparison_best(ax_share, ax_margin, comparison, x)
    names = [text(f"{c.assumption}\n{c.verdict}") for c in columns]
    if n <= 4:
        ax_margin.set_xticks(x, names)
    else:
        ax_margin.set_xticks(x, names, rotation=25, ha="right", rotation_mode="anchor")
    for tick, c in zip(ax_margin.get_xticklabels(), columns):
        tick.set_color(VERDICT_COLOURS.get(c.verdict, NA_COLOUR))
        tick.set_fontweight("bold")
    ax_margin.set_xlim(-0.6, n - 0.4)
    headline(fig, f"{comparison.title}: détente stability by assumption", title)
    return save(fig, out)


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
            [number(c.report.profiles[k].sustainability.critical_discount) for c in columns]
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
        handles.append(legend_patch(colours[k], text(profile_label(pair))))
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
    pairs = [discount_pair(c.report.discount) for c in columns]
    if all(a == b for a, b in pairs):
        deltas = [float(a) for a, _ in pairs]
        ax.hlines(deltas, x - 0.45, x + 0.45, colors="black", linewidth=2.0)
        handles.append(Line2D([], [], color="black", lw=2.0, label="scenario δ"))
    else:  # one δ per player: each player's critical δ meets their own
        ids = columns[0].report.game.players
        styles: tuple[tuple[int, Literal["solid", "dashed"]], ...] = ((0, "solid"), (1, "dashed"))
        for who, ls in styles:
            deltas = [float(p[who]) for p in pairs]
            ax.hlines(deltas, x - 0.45, x + 0.45, colors="black", linewidth=2.0, linestyles=ls)
            handles.append(Line2D([], [], color="black", lw=2.0, ls=ls, label=f"δ {ids[who]}"))
    if never:
        handles.append(legend_patch("white", "never sustainable (hatched, ×)", hatch="//"))
    side_legend(ax, handles)
    ax.set_ylim(0.0, 1.08)
    ax.set_ylabel("critical δ")
    ax.set_title("(a) critical δ of each strategy profile", loc="left", fontsize="medium")
    ax.grid(axis="y", alpha=0.3)


def _comparison_best(
    ax_share: Axes, ax_margin: Axes, comparison: Comparison, x: np.ndarray
) -> None:
    """Panels (b) and (c): détente share and incentive margin of the best profile."""
    columns = comparison.columns
    colours = [VERDICT_COLOURS.get(c.verdict, NA_COLOUR) for c in columns]
    share = np.array([number(c.best.noise.detente_share) if c.best else math.nan for c in columns])
    margin = np.array([number(c.best.incentive_margin) if c.best else math.nan for c in columns])
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
            ax.annotate(fmt(values[i]), (x[i], values[i]), ha="center", va=va, fontsize="small")
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
    handles += [legend_patch(c, v) for v, c in VERDICT_COLOURS.items()]
    side_legend(ax_share, handles)
    ax_share.set_ylim(0.0, 1.1)
    ax_share.set_ylabel("détente share")
    ax_share.set_title(
        "(b) long-run détente share of the best profile under noise",
        loc="left",
        fontsize="medium",
    )
    ax_margin.axhline(0.0, color="0.2", linewidth=0.8)
    if np.isnan(margin).all():
        low, top = 0.0, 1.0
    else:
        low, top = min(0.0, float(np.nanmin(margin)) * 1.25), float(np.nanmax(np.abs(margin)))
    ax_margin.set_ylim(low, max(top, 1e-9) * 1.25)
    ax_margin.set_ylabel("incentive margin")
    ax_margin.set_title("(c) incentive margin of the best profile", loc="left", fontsize="medium")
