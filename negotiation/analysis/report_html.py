"""One self-contained HTML page about a scenario (``negotiation report``).

The page holds, in order: the scenario (title, summary, sources, players and moves,
parameters with their units and descriptions, derived quantities, assumptions, the
stage game), the comparison across assumptions with its tipping points, the stability
of every strategy profile under each assumption (each player's critical δ and the side
that binds; the threshold formulas under the first assumption), the figures
(:func:`~negotiation.analysis.plots.plot_comparison`, a one-parameter
:func:`~negotiation.analysis.plots.plot_sweep`, a
:func:`~negotiation.analysis.plots.plot_simulation`), and the fit of strategies to the
observed history where the scenario has one.

Self-contained: the style sheet is inline, the figures are PNG images inside the page
(``data:`` addresses), and a content security policy forbids anything else (no
script, no request for any other file or address). Every text from the file is
HTML-escaped (:func:`~negotiation.analysis.paper_cells.html_text`); numbers read as in
the Markdown tables (``4/7 ≈ 0.5714``, ``-1/2 + √57/6 ≈ 0.7583``).
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation._version import __version__
from negotiation.analysis.compare import Comparison, compare
from negotiation.analysis.paper_cells import (
    Cell,
    Number,
    PaperTable,
    Symbol,
    Text,
    html_table,
    html_text,
    unicode_number,
)
from negotiation.analysis.paper_tables import comparison_tables, stability_tables
from negotiation.analysis.readable import move_title, profile_title, strategy_title
from negotiation.analysis.verdict import VerdictRules
from negotiation.errors import NegotiationError
from negotiation.scenario.discounts import discount_text
from negotiation.scenario.overrides import assumption_label, override_record

if TYPE_CHECKING:
    from negotiation.scenario.model import Scenario

__all__ = ["SWEEP_POINTS", "SWEEP_POINTS_LARGE", "html_report"]

#: Points of the report's one-parameter sweep; fewer for games with more than 16
#: move profiles (the sweep finds every point's stage equilibria, whose cost grows
#: steeply with the number of moves).
SWEEP_POINTS = 41
SWEEP_POINTS_LARGE = 11

_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"

_STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1d1d1f; background: #fff; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #1d1d1f; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
p.summary { font-size: 1.1rem; margin-top: 0; }
p.meta, p.notes, figcaption { color: #555; font-size: .9rem; }
nav ol { columns: 2; font-size: .95rem; }
.table-wrap { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; font-size: .92rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: .3rem 0; }
thead th { border-top: 2px solid #1d1d1f; border-bottom: 1px solid #1d1d1f; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: 2px solid #1d1d1f; }
th, td { padding: .3rem .7rem; text-align: left; vertical-align: top; }
tbody th { font-weight: 500; }
tbody tr:nth-child(even) { background: #f5f5f7; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em; }
figure { margin: 1rem 0 1.5rem; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
.verdict-stable { color: #1a7f37; font-weight: 600; }
.verdict-fragile { color: #b35900; font-weight: 600; }
.verdict-unsustainable { color: #c62828; font-weight: 600; }
ul.warnings li { color: #8a4b00; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; border-top: 1px solid #ccc; }
"""


def _t(text: str) -> Cell:
    return (Text(text),)


def _p(text: str, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{html_text(text)}</p>"


def _section(anchor: str, title: str, body: Sequence[str]) -> str:
    return "\n".join(
        [f'<section id="{anchor}">', f"<h2>{html_text(title)}</h2>", *body, "</section>"]
    )


# ------------------------------------------------------------------- scenario


def _value_text(value: Any) -> str:
    return unicode_number(value, none="–")


def _parameters_table(scenario: Scenario, overrides: Mapping[str, Any] | None) -> PaperTable:
    rows = []
    for name, p in scenario.parameters.items():
        low = "–" if p.min is None else _value_text(p.min)
        high = "–" if p.max is None else _value_text(p.max)
        rows.append(
            (
                (Symbol(name),),
                (
                    _t(p.description or "–"),
                    (Number(p.value),),
                    _t(f"{low} to {high}" if p.min is not None or p.max is not None else "–"),
                    _t(p.unit or "–"),
                ),
            )
        )
    notes: tuple[Cell, ...] = ()
    if overrides:
        notes = (
            _t(
                "Set for this report under every assumption: "
                + ", ".join(f"{k} = {v}" for k, v in override_record(overrides))
                + "."
            ),
        )
    return PaperTable(
        "parameters",
        "Parameters (declared values)",
        "Parameter",
        (_t("Description"), _t("Value"), _t("Range"), _t("Unit")),
        tuple(rows),
        notes,
    )


def _assumptions_table(scenario: Scenario) -> PaperTable:
    rows = []
    for name, a in scenario.assumptions.items():
        sets = ", ".join(f"{k} = {_value_text(v)}" for k, v in a.overrides.items())
        rows.append((_t(name), (_t(a.description or "–"), _t(sets or "–"))))
    return PaperTable(
        "assumptions",
        "Assumptions",
        "Assumption",
        (_t("Description"), _t("Parameters set")),
        tuple(rows),
    )


def _stage_game_table(report: Any, label: str, players: Sequence[str]) -> PaperTable:
    game = report.game
    A = game.exact_A if game.is_exact else game.A.tolist()
    B = game.exact_B if game.is_exact else game.B.tolist()
    rows = []
    for i, move in enumerate(game.row_moves):
        cells = []
        for j in range(len(game.col_moves)):
            mark = " (détente)" if (i, j) == tuple(report.target) else ""
            cells.append(
                (
                    Number(A[i][j], "decimal"),
                    Text(", "),
                    Number(B[i][j], "decimal"),
                    Text(mark),
                )
            )
        rows.append((_t(move_title(move)), tuple(cells)))
    return PaperTable(
        "stage-game",
        f"Stage game under {label}: payoffs ({players[0]}, {players[1]})",
        f"{players[0]} \\ {players[1]}",
        tuple(_t(move_title(m)) for m in game.col_moves),
        tuple(rows),
    )


def _scenario_section(scenario: Scenario, overrides: Mapping[str, Any] | None) -> str:
    row, col = scenario.players
    moves = scenario.moves
    body = [
        "<h3>Players and moves</h3>",
        "<ul>",
        f"<li>Row player: {html_text(row.name)} (<code>{html_text(row.id)}</code>), moves: "
        f"{html_text(', '.join(move_title(m) for m in moves[0]))}</li>",
        f"<li>Column player: {html_text(col.name)} (<code>{html_text(col.id)}</code>), "
        f"moves: {html_text(', '.join(move_title(m) for m in moves[1]))}</li>",
        "</ul>",
    ]
    if scenario.sources:
        body += ["<h3>Sources</h3>", "<ol>"]
        body += [f"<li>{html_text(s)}</li>" for s in scenario.sources]
        body.append("</ol>")
    body += ["<h3>Parameters</h3>", html_table(_parameters_table(scenario, overrides))]
    if scenario.derived:
        body += ["<h3>Derived quantities</h3>", "<ul>"]
        body += [
            f"<li><code>{html_text(name)}</code> = <code>{html_text(str(expr))}</code></li>"
            for name, expr in scenario.derived.items()
        ]
        body.append("</ul>")
    body += ["<h3>Assumptions</h3>", html_table(_assumptions_table(scenario))]
    if scenario.repeated is not None:
        rep = scenario.repeated
        strategies = ", ".join(strategy_title(s) for s in rep.strategies)
        body.append(
            _p(
                f"Repeated game: détente ({move_title(rep.target[0])}, "
                f"{move_title(rep.target[1])}); discount factor "
                f"{discount_text(rep.discount, scenario.player_ids)}; "
                f"tremble probability {rep.noise}; strategies: {strategies}; "
                f"punishment: {rep.punishment}."
            )
        )
    return _section("scenario", "The scenario", body)


# ---------------------------------------------------------------- analyses


def _figure(draw: Callable[[Path], Any], alt: str, caption: str) -> str:
    """A figure drawn by ``draw(path)`` to a temporary PNG, embedded in the page."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "figure.png"
        draw(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{html_text(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html_text(caption)}</figcaption></figure>"
    )


def _verdicts(comparison: Comparison) -> str:
    items = [
        f'<li>{html_text(c.assumption)}: <span class="verdict-{html_text(c.verdict)}">'
        f"{html_text(c.verdict)}</span>"
        + (f" (best profile: {html_text(profile_title(c.best.strategies))})" if c.best else "")
        + "</li>"
        for c in comparison.columns
    ]
    return "<ul>" + "".join(items) + "</ul>"


def _comparison_section(comparison: Comparison, figures: bool) -> str:
    from negotiation.analysis.plots import plot_comparison

    body = ["<h3>Verdicts</h3>", _verdicts(comparison)]
    for table in comparison_tables(comparison):
        body.append(html_table(table))
    if figures:
        body.append(
            _figure(
                lambda path: plot_comparison(comparison, path),
                "Critical δ, détente share and incentive margin by assumption",
                "Critical δ of each profile with the scenario's δ, and the best profile's "
                "détente share under noise and incentive margin, by assumption.",
            )
        )
    return _section("comparison", "Comparison across assumptions", body)


def _stability_section(
    scenario: Scenario,
    comparison: Comparison,
    overrides: Mapping[str, Any] | None,
    strategies: Sequence[str] | None,
    formulas: bool,
) -> str:
    from negotiation.repeated.report import stability_report

    names = [p.name for p in scenario.players]
    body = [
        _p(
            "Each player's critical δ, the side whose threshold binds, and the robustness "
            "of every strategy profile, per assumption."
        )
    ]
    for k, col in enumerate(comparison.columns):
        label = assumption_label(col.assumption, comparison.overrides)
        body.append(f"<h3>{html_text(label)}</h3>")
        if col.description:
            body.append(_p(col.description))
        report = col.report
        if k == 0 and formulas:
            report = stability_report(scenario, col.assumption, overrides, strategies=strategies)
        for table in stability_tables(report, players=names):
            body.append(html_table(table))
    return _section("stability", "Stability per strategy profile", body)


def _sweep_axis(scenario: Scenario, comparison: Comparison) -> str | None:
    """The parameter of the report's sweep: the first with a tipping point under the
    first assumption, else the first with a range."""
    first = comparison.columns[0]
    for name in comparison.tipping_parameters:
        if any(t.parameter == name for t in first.tipping):
            return name
    ranged = [n for n, p in scenario.parameters.items() if p.min is not None and p.max is not None]
    return ranged[0] if ranged else None


def _dynamics_section(
    scenario: Scenario,
    comparison: Comparison,
    overrides: Mapping[str, Any] | None,
    strategies: Sequence[str] | None,
    rules: VerdictRules,
) -> str:
    from negotiation.analysis.plots import plot_simulation, plot_sweep
    from negotiation.analysis.sweep import sweep
    from negotiation.repeated.experiment import run_simulation

    first = comparison.columns[0]
    label = assumption_label(first.assumption, comparison.overrides)
    body = []
    name = _sweep_axis(scenario, comparison)
    if name is not None:
        p = scenario.parameters[name]
        rows, cols = first.report.game.shape
        points = SWEEP_POINTS if rows * cols <= 16 else SWEEP_POINTS_LARGE
        result = sweep(
            scenario,
            [f"{name}={p.min}:{p.max}:{points}"],
            first.assumption,
            overrides,
            strategies=strategies,
            rules=rules,
        )
        found = [
            k for k, q in enumerate(result.profiles) if first.best and q == first.best.strategies
        ]
        best = found[0] if found else 0
        body.append(
            _figure(
                lambda path: plot_sweep(result, path, metric="critical", profile=best),
                f"Critical δ along {name}",
                f"Critical δ of {profile_title(result.profiles[best])} as {p.label} moves "
                f"over its range ({points} points), the other parameters under {label}.",
            )
        )
    pair = first.best.strategies if first.best else None
    run = run_simulation(scenario, first.assumption, overrides, pair=pair)
    sim = run.simulation
    body.append(
        _figure(
            lambda path: plot_simulation(run, path),
            "Share of each move profile per round",
            f"{strategy_title(sim.row_strategy)} against {strategy_title(sim.col_strategy)}, "
            f"{sim.runs} runs of {sim.rounds} rounds, tremble probability "
            f"{unicode_number(sim.noise, 'decimal')}, seed {sim.seed}, under {label}: "
            "the share of each move profile per round with 95% bands, and the exact "
            "long-run détente share.",
        )
    )
    return _section("figures", "Figures", body)


def _fit_section(scenario: Scenario, assumption: str, overrides: Mapping[str, Any] | None) -> str:
    from negotiation.analysis.fit import fit_strategies

    history = PaperTable(
        "history",
        "Observed rounds",
        "Date",
        (_t(scenario.players[0].name), _t(scenario.players[1].name), _t("Source"), _t("Note")),
        tuple(
            (
                _t(o.date),
                (
                    _t(move_title(o.moves[0])),
                    _t(move_title(o.moves[1])),
                    _t(o.source or "–"),
                    _t(o.note or "–"),
                ),
            )
            for o in scenario.history
        ),
    )
    body = [html_table(history)]
    result = fit_strategies(scenario, assumption, overrides)
    names = {p.id: p.name for p in scenario.players}
    for player in result.players:
        rows = tuple(
            (
                _t(str(rank)),
                (
                    _t(strategy_title(f.strategy)),
                    (Number(f.log_likelihood, "decimal", 3),),
                    (Number(f.tremble, "decimal", 3),),
                    _t(str(f.mismatches)),
                    _t(", ".join(strategy_title(s) for s in f.same_as) or "–"),
                ),
            )
            for rank, f in enumerate(player.fits, start=1)
        )
        table = PaperTable(
            f"fit-{player.player}",
            f"Strategies that explain {names.get(player.player, player.player)}'s moves, "
            f"ranked by log-likelihood ({result.rounds} rounds, {result.dates[0]} to "
            f"{result.dates[1]})",
            "Rank",
            (
                _t("Strategy"),
                _t("Log-likelihood"),
                _t("Tremble ε̂"),
                _t("Mismatches"),
                _t("Indistinguishable from"),
            ),
            rows,
        )
        body.append(html_table(table))
        if player.warnings:
            body.append(
                '<ul class="warnings">'
                + "".join(f"<li>{html_text(w)}</li>" for w in player.warnings)
                + "</ul>"
            )
    return _section("history", "Fit to the observed history", body)


# ---------------------------------------------------------------------- page


def html_report(
    scenario: Scenario,
    assumptions: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
    comparison: Comparison | None = None,
    figures: bool = True,
    formulas: bool = True,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """One self-contained HTML page about a scenario and its détente.

    Parameters
    ----------
    scenario : Scenario
    assumptions : sequence of str, optional
        The assumptions compared (default: the baseline and every named one).
    overrides : mapping, optional
        ``--set`` values applied under every assumption.
    strategies : sequence of str, optional
        Strategies each played by both players (default: the file's list).
    rules : VerdictRules, optional
        Default: the scenario's thresholds.
    comparison : Comparison, optional
        A comparison of this scenario already computed (with the same overrides), used
        instead of computing one.
    figures : bool
        Draw the figures (needs matplotlib).
    formulas : bool
        Give each player's critical δ as a formula under the first assumption.
    jobs : int, optional
        Processes for the tipping points (see :func:`~negotiation.analysis.compare.compare`).
    progress : callable, optional
        ``progress(done, total)`` while comparing.

    Returns
    -------
    str
        The page (UTF-8 text), with no script and no reference to any other file.

    Raises
    ------
    NegotiationError
        A comparison of another scenario or other overrides, and whatever the analyses
        raise (an unknown assumption, inexact payoffs, matplotlib missing).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> page = html_report(load_scenario("prisoners-dilemma"), ["baseline"], figures=False)
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page, "Critical δ" in page
    (True, False, True)
    """
    if comparison is not None and (
        comparison.scenario != scenario.id or comparison.overrides != override_record(overrides)
    ):
        raise NegotiationError(
            f"the comparison given is of {comparison.scenario!r} with overrides "
            f"{dict(comparison.overrides)}, not of {scenario.id!r} with "
            f"{dict(override_record(overrides))}"
        )
    rules = rules or VerdictRules.for_scenario(scenario)
    sections = [_scenario_section(scenario, overrides)]
    if scenario.repeated is None:
        sections.append(
            _p("The scenario has no 'repeated' section: there is no détente to analyse.")
        )
    else:
        if comparison is None:
            comparison = compare(
                scenario,
                assumptions,
                overrides,
                strategies=strategies,
                rules=rules,
                progress=progress,
                jobs=jobs,
            )
        first = comparison.columns[0]
        label = assumption_label(first.assumption, comparison.overrides)
        sections[0] = sections[0].replace(
            "</section>",
            "<h3>Stage game</h3>\n"
            + html_table(
                _stage_game_table(first.report, label, [p.name for p in scenario.players])
            )
            + "\n</section>",
        )
        sections.append(_comparison_section(comparison, figures))
        sections.append(_stability_section(scenario, comparison, overrides, strategies, formulas))
        if figures:
            sections.append(_dynamics_section(scenario, comparison, overrides, strategies, rules))
        if scenario.history:
            sections.append(_fit_section(scenario, first.assumption, overrides))
    return _page(scenario, sections)


def _page(scenario: Scenario, sections: Sequence[str]) -> str:
    anchors = [
        ("scenario", "The scenario"),
        ("comparison", "Comparison across assumptions"),
        ("stability", "Stability per strategy profile"),
        ("figures", "Figures"),
        ("history", "Fit to the observed history"),
    ]
    toc = "".join(
        f'<li><a href="#{a}">{html_text(t)}</a></li>'
        for a, t in anchors
        if any(s.startswith(f'<section id="{a}">') for s in sections)
    )
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="negotiation ' + html_text(__version__) + '">',
        f"<title>{html_text(scenario.title)} — negotiation report</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{html_text(scenario.title)}</h1>",
        _p(scenario.summary, "summary") if scenario.summary else "",
        _p(f"Scenario {scenario.id} · {Path(scenario.file).name}", "meta"),
        "</header>",
        f"<nav><ol>{toc}</ol></nav>",
    ]
    foot = [
        "<footer>",
        _p(
            f"Written by negotiation {__version__}. Exact values carry their decimal "
            "(4/7 ≈ 0.5714; √ is a square root); the noise metrics are exact, the "
            "simulation is Monte Carlo with the seed shown."
        ),
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join([*head, *sections, *foot]) + "\n"
