"""The share of each move profile per round of a simulation, with 95% bands."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from negotiation.analysis.plots.figure import (
    check_path,
    figure,
    headline,
    legend_patch,
    save,
    side_legend,
    text,
)
from negotiation.repeated.experiment import SimulationRun

__all__ = ["plot_simulation"]

#: A move profile is drawn when its share reaches this in some round.
_NEGLIGIBLE = 0.01


def plot_simulation(
    run: SimulationRun,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    size: tuple[float, float] | None = None,
) -> Path:
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
    >>> from negotiation.repeated.experiment import run_simulation
    >>> from negotiation.scenario import load_scenario
    >>> r = run_simulation(load_scenario("prisoners-dilemma"), rounds=40, runs=200, seed=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = plot_simulation(r, Path(tmp) / "simulate.png")
    ...     out.suffix, out.stat().st_size > 10_000
    ('.png', True)
    """
    out = check_path(path)
    sim = run.simulation
    shares = sim.profile_shares()
    rounds = np.arange(1, sim.rounds + 1)
    fig = figure(9.0, 5.0, size)
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
            label = text(f"({run.game.row_moves[i]}, {run.game.col_moves[j]})")
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
    handles.append(legend_patch("0.75", "95% interval of the mean", alpha=0.6))
    side_legend(ax, handles)
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
    name = f"{run.game.title or run.scenario} ({run.label}): {pair}, noise ε = {sim.noise:g}"
    headline(fig, f"{name}, {sim.runs:,} runs", title)
    return save(fig, out)
