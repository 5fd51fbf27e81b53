"""The phase portrait or trajectories of ``negotiation evolve``, and the basin shares."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from negotiation.analysis.dynamics import simplex_grid
from negotiation.analysis.evolution import Evolution
from negotiation.analysis.plots.figure import check_path, figure, headline, save, side_legend, text

__all__ = ["plot_evolution"]

_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")
_NONE_COLOUR = "#9e9e9e"


def _colour(k: int, none: bool) -> str:
    return _NONE_COLOUR if none else _COLOURS[k % len(_COLOURS)]


def plot_evolution(
    result: Evolution,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    size: tuple[float, float] | None = None,
) -> Path:
    """Draw the dynamics of an :func:`~negotiation.analysis.evolution.evolution`.

    Left: for a 2x2 game the phase portrait in the unit square (share of each player's
    first move), with every grid start coloured by the equilibrium its trajectory
    reaches, the chosen trajectory drawn on top and the equilibria marked (one
    population: the diagonal); for larger games each move's share along the chosen
    trajectory. Right: the basin share of each equilibrium, the détente's marked.

    Parameters
    ----------
    result : Evolution
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
    >>> from negotiation.analysis.evolution import evolution
    >>> from negotiation.games.stage_game import StageGame
    >>> stag = StageGame.from_payoffs([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_evolution(evolution(stag, grid=8), Path(tmp) / "evolve.png")
    ...     out.suffix, out.stat().st_size > 10_000
    ('.png', True)
    """
    out = check_path(path)
    game, b, t = result.game, result.basins, result.trajectory
    m, n = game.shape
    fig = figure(10, 4.2, size)
    headline(fig, None, title)
    left, right = fig.subplots(1, 2, width_ratios=[1.3, 1])
    shares = b.shares
    if m == 2 and n == 2:
        rows, cols = simplex_grid(2, b.grid), simplex_grid(2, b.grid)
        starts = (
            [(x, x) for x in rows] if b.single_population else [(x, y) for x in rows for y in cols]
        )
        xs = [s[0][0] for s in starts]
        ys = [s[1][0] for s in starts]
        colours = [_colour(k, shares[k].equilibrium is None) for k in b.outcomes]
        left.scatter(xs, ys, c=colours, s=18, alpha=0.6, linewidths=0)
        left.plot(t.row[:, 0], t.col[:, 0], color="black", lw=1.2, label="trajectory")
        left.plot([t.row[0, 0]], [t.col[0, 0]], "o", color="black", ms=4)
        for k, s in enumerate(shares):
            if s.equilibrium is not None:
                x, y = s.equilibrium
                left.plot([x[0]], [y[0]], "*", color=_colour(k, False), ms=14, mec="black")
        left.set_xlim(-0.03, 1.03)
        left.set_ylim(-0.03, 1.03)
        left.set_xlabel(text(f"{game.players[0]}: share of {game.row_moves[0]}"))
        left.set_ylabel(text(f"{game.players[1]}: share of {game.col_moves[0]}"))
        left.set_title(text(f"{b.method}: basins and a trajectory"), fontsize="medium")
    else:
        for i, move in enumerate(game.row_moves):
            left.plot(t.times, t.row[:, i], lw=1.4, label=text(f"{game.players[0]}: {move}"))
        if not t.single_population:
            for j, move in enumerate(game.col_moves):
                left.plot(
                    t.times, t.col[:, j], lw=1.0, ls="--", label=text(f"{game.players[1]}: {move}")
                )
        left.set_xlabel("time" if b.method == "replicator" else "round")
        left.set_ylabel("share")
        left.set_ylim(-0.03, 1.03)
        left.set_title(text(f"{b.method}: trajectory"), fontsize="medium")
        side_legend(left, left.get_legend_handles_labels()[0])
    labels = [text(s.label + (" (détente)" if s.detente else "")) for s in shares]
    bars = np.arange(len(shares))
    right.barh(
        bars,
        [s.share for s in shares],
        color=[_colour(k, s.equilibrium is None) for k, s in enumerate(shares)],
    )
    right.set_yticks(bars, labels, fontsize="small")
    right.invert_yaxis()
    right.set_xlim(0, 1)
    right.set_xlabel(f"share of {b.starts} starts")
    right.set_title("basins of attraction", fontsize="medium")
    return save(fig, out)
