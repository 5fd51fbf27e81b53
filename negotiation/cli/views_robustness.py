"""Rendering of ``negotiation robustness``: the summary table, JSON, the draws as CSV."""

from __future__ import annotations

from typing import Any

from negotiation.cli.render import fit_lines, to_csv, to_json, to_table
from negotiation.scenario.discounts import discount_text

__all__ = ["draws_csv", "robustness_view"]


def _p(value: float, error: float) -> str:
    return f"{value:.3f} ± {error:.3f}"


def _q(quantiles: Any, key: str) -> str:
    v = quantiles.get(key)
    return "-" if v is None else f"{v:.3f}"


def _spread(quantiles: Any) -> str:
    if quantiles.get("0.5") is None:
        return "-"
    return f"{_q(quantiles, '0.5')} [{_q(quantiles, '0.05')}, {_q(quantiles, '0.95')}]"


def _top(sensitivity: Any, k: int = 3) -> str:
    ranked = sorted(sensitivity.items(), key=lambda kv: -abs(kv[1]))[:k]
    return ", ".join(f"{name} ({value:+.2f})" for name, value in ranked) or "-"


def robustness_view(result: Any, fmt: str, width: int | None = None) -> str:
    """Render a :class:`~negotiation.analysis.robustness.Robustness` as a table or JSON.

    Examples
    --------
    >>> from negotiation.analysis.robustness import robustness
    >>> from negotiation.scenario import load_scenario
    >>> r = robustness(load_scenario("prisoners-dilemma"), ["baseline"], samples=32,
    ...                strategies=["grim_trigger"], uniform_ranges=True, seed=3)
    >>> print(robustness_view(r, "table").splitlines()[0])
    Prisoner's Dilemma — robustness: 32 draws per assumption (sobol, 16 replicates, seed 3)
    """
    if fmt == "json":
        return to_json(result.to_dict())
    cols = result.assumptions
    header = ["", *(a.name for a in cols)]
    verdicts = list(dict.fromkeys(v for a in cols for v in a.verdict_probability))
    rows: list[list[Any]] = [
        [
            f"P({v})",
            *(_p(a.verdict_probability.get(v, 0.0), a.standard_error.get(v, 0.0)) for a in cols),
        ]
        for v in reversed(verdicts)
    ]
    for label in cols[0].profile_probability:
        rows.append(
            [
                f"P(sustains): {label}",
                *(_p(a.profile_probability[label], a.profile_standard_error[label]) for a in cols),
            ]
        )
    rows += [
        ["δ", *(_delta(a.discount, result.players) for a in cols)],
        [
            "critical δ (best), median [5%, 95%]",
            *(_spread(a.critical_discount_quantiles) for a in cols),
        ],
        ["δ slack (best), median [5%, 95%]", *(_spread(a.slack_quantiles) for a in cols)],
        ["sustainable draws", *(str(a.sustainable_draws) for a in cols)],
        ["matters most (rank corr.)", *(_top(a.sensitivity) for a in cols)],
    ]
    names = list(dict.fromkeys(n for a in cols for n in a.parameters))
    sens_rows = [
        [
            n,
            *(f"{a.sensitivity[n]:+.3f}" if n in a.sensitivity else "fixed" for a in cols),
        ]
        for n in names
    ]
    priors = []
    for n in names:
        for a in cols:
            if n in a.parameters:
                k = a.parameters.index(n)
                priors.append([n, a.labels[k], a.priors[k].describe()])
                break
    text = "\n".join(
        [
            f"{result.title} — robustness: {result.samples} draws per assumption "
            f"({result.method}, {result.replicates} replicates, seed {result.seed})",
            "",
            to_table(header, rows, width),
            "",
            "sensitivity: " + cols[0].sensitivity_method,
            "",
            to_table(["parameter", *(a.name for a in cols)], sens_rows, width),
            "",
            "priors (baseline's, or the first assumption drawing the parameter):",
            "",
            to_table(["parameter", "meaning", "prior"], priors, width),
            "",
            "± is one standard error (from the independent replicates). The probabilities "
            "are shares of the priors' mass, beliefs about the inputs carried through the "
            "model; they are not forecasts.",
        ]
    )
    return fit_lines(text, width)


def draws_csv(result: Any) -> str:
    """Every draw as tidy CSV (:meth:`~negotiation.analysis.robustness.Robustness.draw_rows`)."""
    return to_csv(result.draw_header(), result.draw_rows())


def _delta(discount: Any, players: tuple[str, str]) -> str:
    """The assumption's δ: ``drawn``, one value, or each player's."""
    if discount is None:
        return "drawn"
    return discount_text(discount, players, lambda x: f"{x:.4g}")
