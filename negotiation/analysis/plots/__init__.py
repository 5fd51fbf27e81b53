"""Figures of the analyses (``--plot``): comparison, sweep and simulation.

* :func:`plot_comparison` -- the metrics of :func:`~negotiation.analysis.compare.compare`
  by assumption: critical δ of every profile, the best profile's détente share under
  noise and its incentive margin, each assumption coloured by its verdict;
* :func:`plot_sweep` -- a metric of :func:`~negotiation.analysis.sweep.sweep` as a
  heatmap over two axes or a line over one, with the assumption's own point marked;
* :func:`plot_simulation` -- the share of each move profile per round of a
  :func:`~negotiation.repeated.experiment.run_simulation`, with 95% bands and the exact
  long-run détente share;
* :func:`plot_robustness` -- the verdict probabilities by assumption of
  :func:`~negotiation.analysis.robustness.robustness` and the parameters'
  sensitivities, labelled with their descriptions and units.

matplotlib is the optional extra ``plot``; it is imported only when a figure is drawn.
Figures are built with the object-oriented API on an Agg canvas (no display, no pyplot
global state, so drawing is safe in threads) and saved as PNG (120 dpi), SVG or PDF,
chosen by the file's suffix.
"""

from negotiation.analysis.plots.comparison import plot_comparison
from negotiation.analysis.plots.robustness import plot_robustness
from negotiation.analysis.plots.simulation import plot_simulation
from negotiation.analysis.plots.sweep import plot_sweep

__all__ = ["plot_comparison", "plot_robustness", "plot_simulation", "plot_sweep"]
