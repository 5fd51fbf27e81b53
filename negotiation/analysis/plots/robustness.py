"""The results of ``robustness``: verdict probabilities and sensitivities, one figure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from negotiation.analysis.plots.figure import (
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
from negotiation.errors import NegotiationError

if TYPE_CHECKING:
    from negotiation.analysis.robustness import Robustness

__all__ = ["plot_robustness"]


def plot_robustness(
    result: Robustness,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    size: tuple[float, float] | None = None,
) -> Path:
    """Draw the verdict probabilities by assumption and the parameters' sensitivities.

    (a) One stacked bar per assumption: the probability of each verdict (stable,
    fragile, unsustainable, n/a), each segment labelled, with ± 2 standard errors
    marked at the boundary between the verdicts where the détente holds (stable or
    fragile) and where it does not. (b) The rank correlation of each drawn parameter
    with "the détente is sustainable", grouped bars per assumption, the parameters
    labelled with their descriptions and units.

    Parameters
    ----------
    result : Robustness
        From :func:`negotiation.analysis.robustness.robustness`.
    path : str or path-like
        File to write, ending in ``.png``, ``.svg`` or ``.pdf``.

    title : str, optional
        The figure's title instead of the default (``""`` for none).
    size : (float, float), optional
        Width and height in inches (each from 2 to 40) instead of the default.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> from negotiation.analysis.robustness import robustness
    >>> from negotiation.scenario import load_scenario
    >>> r = robustness(load_scenario("prisoners-dilemma"), samples=64, seed=1,
    ...                strategies=["grim_trigger"], uniform_ranges=True)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_robustness(r, Path(tmp) / "robustness.png")
    ...     out.suffix, out.stat().st_size > 10_000
    ('.png', True)
    """
    out = check_path(path)
    cols = result.assumptions
    if not cols:
        raise NegotiationError("nothing to draw: the result has no assumption")
    names = list(dict.fromkeys(n for a in cols for n in a.parameters))
    labels: dict[str, str] = {}
    for a in cols:
        for n, label in zip(a.parameters, a.labels):
            labels.setdefault(n, label)
    n_assumptions = len(cols)
    height = 2.5 + 0.45 * n_assumptions + 0.3 * len(names) * max(1, n_assumptions) ** 0.5
    fig = figure(11.0, max(6.0, height), size)
    ax_v, ax_s = fig.subplots(
        2, 1, gridspec_kw={"height_ratios": [max(1.0, 0.5 * n_assumptions), max(1.5, len(names))]}
    )
    y = np.arange(n_assumptions, dtype=float)
    left = np.zeros(n_assumptions)
    order = ["stable", "fragile", "unsustainable", "n/a"]
    for v in order:
        p = np.array([a.verdict_probability.get(v, 0.0) for a in cols])
        if not p.any():
            continue
        colour = VERDICT_COLOURS.get(v, NA_COLOUR)
        ax_v.barh(y, p, left=left, color=colour, edgecolor="0.3", height=0.6)
        for yi, (start, width) in enumerate(zip(left, p)):
            if width >= 0.06:
                ax_v.annotate(
                    f"{width:.2f}",
                    (start + width / 2, yi),
                    ha="center",
                    va="center",
                    fontsize="small",
                    color="white" if v != "fragile" else "black",
                )
        left = left + p
    held = np.array(
        [a.verdict_probability.get("stable", 0) + a.verdict_probability["fragile"] for a in cols]
    )
    # The standard error of P(sustainable) is not the sum of the two; bound it by it.
    err = np.array([a.standard_error.get("unsustainable", 0.0) for a in cols])
    ax_v.errorbar(held, y, xerr=2 * err, fmt="none", ecolor="black", capsize=4, lw=1.2)
    ax_v.set_yticks(y, [text(a.name) for a in cols])
    ax_v.invert_yaxis()
    ax_v.set_xlim(0.0, 1.0)
    ax_v.set_xlabel("probability under the priors")
    ax_v.set_title(
        f"(a) verdict probabilities ({result.samples} draws each, {result.method}; ± 2 s.e.)",
        loc="left",
        fontsize="medium",
    )
    side_legend(ax_v, [legend_patch(VERDICT_COLOURS.get(v, NA_COLOUR), v) for v in order[:3]])
    ax_v.grid(axis="x", alpha=0.3)

    yp = np.arange(len(names), dtype=float)
    width = 0.8 / n_assumptions
    handles = []
    for k, a in enumerate(cols):
        values = np.array([a.sensitivity.get(n, np.nan) for n in names])
        pos = yp - 0.4 + width * (k + 0.5)
        colour = f"C{k % 10}"
        finite = ~np.isnan(values)
        ax_s.barh(pos[finite], values[finite], width, color=colour, edgecolor="0.3")
        handles.append(legend_patch(colour, text(a.name)))
    ax_s.axvline(0.0, color="0.2", lw=0.8)
    ax_s.set_yticks(yp, [text(labels[n]) for n in names], fontsize="small")
    ax_s.invert_yaxis()
    ax_s.set_xlim(-1.0, 1.0)
    ax_s.set_xlabel("Spearman rank correlation with 'the détente is sustainable'")
    ax_s.set_title(
        "(b) which unknown matters most (> 0: larger values help the détente)",
        loc="left",
        fontsize="medium",
    )
    side_legend(ax_s, handles)
    ax_s.grid(axis="x", alpha=0.3)
    headline(fig, f"{result.title}: how likely is the détente to hold?", title)
    return save(fig, out)
