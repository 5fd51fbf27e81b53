"""Which uncertain parameter matters most? Rank correlations over the draws.

For each drawn parameter, the Spearman rank correlation between its draws and an
outcome of every draw (``robustness`` uses "the détente is sustainable": verdict stable
or fragile, as 1 or 0): the Pearson correlation of the ranks, ties ranked by their
mean rank (:func:`scipy.stats.rankdata`). It lies in [-1, 1]; its sign says whether
larger values make the outcome more likely, its size how strongly the outcome's
ranking follows the parameter's. The priors are independent, so no partial
correlation is needed: with independent inputs a parameter's rank correlation measures
its own monotone effect.

Why not variance-based (Sobol') indices, e.g. from SALib? They need their own
sampling design (Saltelli: ``N (2 d + 2)`` model runs for ``d`` parameters, 20 times
the draws for the export-control scenario's nine) and their estimates for a 0/1
outcome are noisy; the rank correlations come free with the draws already made, for
any design, and give the direction. They measure monotone association only: a
parameter whose effect reverses inside its range can show a small correlation.
"""

from __future__ import annotations

import numpy as np

from negotiation.errors import NegotiationError

__all__ = ["SENSITIVITY_METHOD", "rank_correlations"]

#: How :func:`rank_correlations` measures sensitivity (the ``sensitivity_method`` of
#: robustness results).
SENSITIVITY_METHOD = "spearman rank correlation with 'sustainable' (verdict stable or fragile)"


def rank_correlations(inputs: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Spearman rank correlation of each column of ``inputs`` with ``outcome``.

    Parameters
    ----------
    inputs : numpy.ndarray, shape (N, d)
        The draws, one column per parameter.
    outcome : numpy.ndarray, shape (N,)
        A number per draw (e.g. 1 where the détente holds, else 0).

    Returns
    -------
    numpy.ndarray, shape (d,)
        In [-1, 1]; 0 where a column or the outcome is constant (no association can
        be measured: the outcome, or the parameter, does not vary).

    Examples
    --------
    >>> x = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 4.0], [4.0, 1.0]])
    >>> rank_correlations(x, np.array([0, 0, 1, 1])).round(4).tolist()
    [0.8944, -0.4472]
    >>> rank_correlations(x, np.ones(4)).tolist()
    [0.0, 0.0]
    """
    from scipy.stats import rankdata

    X = np.asarray(inputs, dtype=float)
    y = np.asarray(outcome, dtype=float)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise NegotiationError("rank_correlations: inputs must be (N, d) and outcome (N,)")
    ry = rankdata(y)
    ry = ry - ry.mean()
    out = np.zeros(X.shape[1])
    norm_y = float(np.sqrt(ry @ ry))
    if norm_y == 0.0:
        return out
    for k in range(X.shape[1]):
        rx = rankdata(X[:, k])
        rx = rx - rx.mean()
        norm_x = float(np.sqrt(rx @ rx))
        if norm_x > 0.0:
            out[k] = float(np.clip((rx @ ry) / (norm_x * norm_y), -1.0, 1.0))
    return out
