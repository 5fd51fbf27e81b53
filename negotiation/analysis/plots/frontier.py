"""The payoff sets of ``frontier``: feasible, individually rational, subgame perfect."""

from __future__ import annotations

import os
from pathlib import Path

from negotiation.analysis.frontier import Frontier
from negotiation.analysis.plots.figure import check_path, figure, headline, save, text

__all__ = ["plot_frontier"]


def _closed(poly: tuple) -> tuple[list[float], list[float]]:
    xs = [float(v[0]) for v in poly]
    ys = [float(v[1]) for v in poly]
    return xs + xs[:1], ys + ys[:1]


def plot_frontier(
    result: Frontier,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    size: tuple[float, float] | None = None,
) -> Path:
    """Draw the feasible set, its individually rational part, the subgame-perfect payoff
    set (with its inner approximation when not exact), the minmax point and the
    target's payoff.

    Parameters
    ----------
    result : Frontier
        From :func:`negotiation.analysis.frontier.frontier`.
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

    Examples
    --------
    >>> import tempfile
    >>> from negotiation.analysis.frontier import frontier
    >>> from negotiation.scenario import load_scenario
    >>> f = frontier(load_scenario("prisoners-dilemma"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_frontier(f, Path(tmp) / "frontier.png")
    ...     out.suffix, out.stat().st_size > 10_000
    ('.png', True)
    """
    out = check_path(path)
    fig = figure(6.5, 6.0, size)
    headline(fig, None, title)
    ax = fig.add_subplot()
    ids = result.game.players
    xs, ys = _closed(result.feasible.feasible)
    ax.fill(xs, ys, color="#dddddd", label="feasible", zorder=1)
    if result.feasible.individually_rational:
        xs, ys = _closed(result.feasible.individually_rational)
        ax.plot(xs, ys, color="#777777", ls="--", lw=1, label="individually rational", zorder=2)
    spe = result.spe
    if spe.vertices:
        xs, ys = _closed(spe.vertices)
        label = "subgame perfect" + ("" if spe.exact else " (outer)")
        ax.fill(xs, ys, color="#4c9be8", alpha=0.55, label=label, zorder=3)
        ax.plot(xs, ys, color="#1f5fa8", lw=1.2, zorder=4, marker="o" if len(xs) < 3 else None)
    if spe.inner and not spe.exact:
        xs, ys = _closed(spe.inner)
        ax.plot(xs, ys, color="#1f5fa8", lw=1, ls=":", label="subgame perfect (inner)", zorder=4)
    m = result.feasible.minmax
    ax.plot([float(m[0])], [float(m[1])], "kx", ms=8, label="mixed minmax", zorder=5)
    t = result.target_payoff
    ax.plot(
        [float(t[0])],
        [float(t[1])],
        marker="*",
        color="#d7301f",
        ms=16,
        ls="none",
        label="target "
        + text(
            f"({result.game.row_moves[result.target[0]]}, "
            f"{result.game.col_moves[result.target[1]]})"
        ),
        zorder=6,
    )
    ax.set_xlabel(text(f"payoff of {ids[0]}"))
    ax.set_ylabel(text(f"payoff of {ids[1]}"))
    d = result.discount
    ax.set_title(
        text(
            f"{result.scenario} ({result.assumption}), δ = {float(d[0]):g}"
            + ("" if d[0] == d[1] else f" / {float(d[1]):g}")
        )
    )
    ax.legend(loc="best", fontsize=8)
    ax.grid(alpha=0.3)
    return save(fig, out)
