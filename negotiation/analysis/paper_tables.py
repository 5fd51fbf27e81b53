r"""Paper-ready tables of a comparison and a stability report, in LaTeX and Markdown.

The tables are built once as :class:`~negotiation.analysis.paper_cells.PaperTable`
(readable names: strategies as the literature writes them, parameters by their
descriptions and units from the scenario, moves as words) and written by the renderers
of :mod:`negotiation.analysis.paper_cells`:

* LaTeX: booktabs rules, numbers in maths mode (``$\frac{4}{7} \approx 0.5714$``,
  ``$-\frac{1}{2} + \frac{\sqrt{57}}{6} \approx 0.7583$``), ``tabularx`` at the text
  width with wrapping columns. A comparison is split into parts of at most three
  assumptions (so that every part fits an article's text width), the metrics down the
  side; the tipping points are a table of their own (one row per parameter that has one).
  A stability report is one column per strategy profile, in parts of at most three; each
  player's critical δ as a formula in the parameters follows as displayed equations,
  scaled down only when one is wider than the text. Preamble:
  ``\usepackage{amsmath,booktabs,tabularx,graphicx}`` (:data:`LATEX_PACKAGES`;
  :func:`latex_document` writes a whole document).
* Markdown: one table each, numbers in plain Unicode (``4/7 ≈ 0.5714``,
  ``-1/2 + √57/6 ≈ 0.7583``), formulas as code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from negotiation.analysis.paper_cells import (
    Break,
    Cell,
    Formula,
    Number,
    PaperTable,
    Symbol,
    Text,
    latex_cell,
    latex_tables,
    latex_text,
    markdown_table,
)
from negotiation.analysis.readable import move_title, profile_title
from negotiation.analysis.verdict import discount_slack
from negotiation.numbers import decimal_text
from negotiation.scenario.discounts import discount_pair, is_pair

if TYPE_CHECKING:
    from negotiation.analysis.compare import BestPossible, Comparison
    from negotiation.repeated.report import StabilityReport
    from negotiation.scenario.model import Parameter

__all__ = [
    "LATEX_PACKAGES",
    "comparison_latex",
    "comparison_markdown",
    "comparison_tables",
    "latex_document",
    "stability_latex",
    "stability_markdown",
    "stability_tables",
]

#: The packages the LaTeX tables need in the document's preamble.
LATEX_PACKAGES = ("amsmath", "booktabs", "tabularx", "graphicx")

#: Value columns per LaTeX table (assumptions of a comparison, profiles of a report).
MAX_COLUMNS = 3


def _t(text: str) -> Cell:
    return (Text(text),)


def _num(value: Any, style: str = "exact", digits: int = 4, none: str = "–") -> Cell:
    return (Number(value, style, digits, none),)


def _lines(items: Sequence[Cell]) -> Cell:
    out: list[Any] = []
    for k, item in enumerate(items):
        if k:
            out.append(Break())
        out += item
    return tuple(out)


def parameter_cell(name: str, parameter: Parameter | None) -> Cell:
    """A parameter as readers see it: its description, symbol and unit.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from negotiation.scenario.model import Parameter
    >>> p = Parameter("theta_us", Fraction(4, 5), unit="share", description="US dependence")
    >>> parameter_cell("theta_us", p)
    (Text(text='US dependence, '), Symbol(name='theta_us'), Text(text=' (share)'))
    """
    if parameter is None or not parameter.description:
        head: Cell = (Symbol(name),)
    else:
        head = (Text(f"{parameter.description}, "), Symbol(name))
    unit = parameter.unit if parameter is not None else None
    return head + ((Text(f" ({unit})"),) if unit else ())


def _range_cell(parameter: Parameter | None) -> Cell:
    if parameter is None or parameter.min is None or parameter.max is None:
        return ()
    return (
        Break(),
        Text("range "),
        Number(parameter.min, "decimal"),
        Text(" to "),
        Number(parameter.max, "decimal"),
    )


# ----------------------------------------------------------------- comparison


def comparison_tables(comparison: Comparison, *, tipping: bool = True) -> tuple[PaperTable, ...]:
    """The comparison as tables for readers: the metrics by assumption, then (when the
    comparison has them and ``tipping``) the tipping points by parameter.

    Parameters
    ----------
    comparison : Comparison
        From :func:`negotiation.analysis.compare.compare`.
    tipping : bool
        Include the tipping-point table.

    Returns
    -------
    tuple of PaperTable

    Examples
    --------
    >>> from negotiation.analysis.compare import compare
    >>> from negotiation.scenario import load_scenario
    >>> c = compare(load_scenario("prisoners-dilemma"), strategies=["grim_trigger"],
    ...             tipping=False)
    >>> (table,) = comparison_tables(c)
    >>> [r[0] for r in table.rows[:3]]
    [(Text(text='Stage equilibria'),), (Text(text='Détente is a stage equilibrium'),), (Text(text='Critical δ: grim trigger'),)]
    """  # noqa: E501
    columns = comparison.columns
    if not columns:
        return ()
    rows: list[tuple[Cell, tuple[Cell, ...]]] = [
        (
            _t("Stage equilibria"),
            tuple(_lines([_t(move_title(e)) for e in c.stage_equilibria]) for c in columns),
        ),
        (
            _t("Détente is a stage equilibrium"),
            tuple(_t("yes" if c.detente_is_stage_equilibrium else "no") for c in columns),
        ),
    ]
    # One δ per player (they differ under some assumption): each player's critical δ
    # and δ on rows of their own, as in compare's table.
    per_player = any(is_pair(c.report.discount) for c in columns)
    ids = columns[0].report.game.players
    for k, profile in enumerate(columns[0].report.profiles):
        if per_player:
            rows += [
                (
                    _t(f"Critical δ {ids[who]}: {profile_title(profile.strategies)}"),
                    tuple(
                        _num(crit, none="never")
                        for c in columns
                        for crit in [c.report.profiles[k].sustainability.player_critical[who]]
                    ),
                )
                for who in (0, 1)
            ]
            continue
        rows.append(
            (
                _t(f"Critical δ: {profile_title(profile.strategies)}"),
                tuple(
                    _num(c.report.profiles[k].sustainability.critical_discount, none="never")
                    for c in columns
                ),
            )
        )
    from negotiation.analysis.compare import MAX_PENAL_CODE_CELLS, best_possible

    bests = [best_possible(c.penal_code) for c in columns]
    for i, player in enumerate(columns[0].report.game.players):
        rows.append(
            (
                _t(f"Best possible δ*: {player}"),
                tuple(_t("–") if b is None else _best_cell(b[i]) for b in bests),
            )
        )
    for k, profile in enumerate(columns[0].report.profiles):
        rows.append(
            (
                _t(f"Renegotiation-proof: {profile_title(profile.strategies)}"),
                tuple(_t(_yes_no(c.report.profiles[k].renegotiation_proof)) for c in columns),
            )
        )
    best = [c.best for c in columns]
    if per_player:
        rows += [
            (
                _t(f"Discount factor δ {ids[who]}"),
                tuple(_num(discount_pair(c.report.discount)[who]) for c in columns),
            )
            for who in (0, 1)
        ]
    else:
        rows.append((_t("Discount factor δ"), tuple(_num(c.report.discount) for c in columns)))
    rows += [
        (
            _t("Best profile"),
            tuple(_t("none") if b is None else _t(profile_title(b.strategies)) for b in best),
        ),
        (
            _t("δ slack of the best profile"),
            tuple(
                _num(
                    None
                    if b is None
                    else discount_slack(
                        c.report.discount,
                        b.sustainability.player_critical,
                        b.sustainability.critical_discount,
                    ),
                    "decimal",
                )
                for b, c in zip(best, columns)
            ),
        ),
        (
            _t("Incentive margin (best)"),
            tuple(_num(None if b is None else b.incentive_margin, "decimal") for b in best),
        ),
        (
            _t("Détente share under noise (best)"),
            tuple(_num(None if b is None else b.noise.detente_share, "decimal") for b in best),
        ),
        (
            _t("Rounds to breakdown (best)"),
            tuple(
                _num(None if b is None else b.noise.rounds_to_breakdown, "decimal", 1)
                for b in best
            ),
        ),
        (
            _t("Rounds to recover (best)"),
            tuple(
                _num(None if b is None else b.noise.rounds_to_recover, "decimal", 1) for b in best
            ),
        ),
        (_t("Verdict"), tuple(_t(c.verdict) for c in columns)),
    ]
    if any(c.linkage is not None for c in columns):
        for label, attr in (("issues enforced separately", "separate"), ("linked", "linked")):
            rows.append(
                (
                    _t(f"Critical δ, {label}"),
                    tuple(
                        _t("–")
                        if c.linkage is None
                        else _num(getattr(c.linkage, attr), none="never")
                        for c in columns
                    ),
                )
            )
    rules = comparison.rules
    noise = columns[0].report.noise
    notes: list[Cell] = []
    if comparison.overrides:
        notes.append(
            _t(
                "With "
                + ", ".join(f"{k} = {v}" for k, v in comparison.overrides)
                + " under every assumption."
            )
        )
    notes += [
        _t(f"{c.assumption}: {c.description}." if c.description else c.assumption) for c in columns
    ]
    notes += [
        _t(
            "Critical δ: the least discount factor at which the profile is subgame perfect "
            "with the détente on its path (never: no δ < 1). The best profile is the one "
            f"with the largest δ slack; noise: each move trembles with probability "
            f"{decimal_text(noise)}."
        ),
        _t(
            "Best possible δ*: the least δ at which any pure-strategy subgame-perfect "
            "equilibrium sustains the détente, for that player (Abreu 1988): the optimal "
            "simple penal code's threshold when it meets the minmax bound, else the range "
            "between the two"
            + (
                f" (–: not searched, more than {MAX_PENAL_CODE_CELLS} move profiles)"
                if any(b is None for b in bests)
                else ""
            )
            + ". Renegotiation-proof: weakly (Farrell and Maskin 1989), at δ."
        ),
        _t(
            "Verdict: unsustainable if no profile is subgame perfect at δ; stable if one is, "
            f"with δ slack ≥ {decimal_text(rules.min_slack)} and a long-run détente share "
            f"≥ {decimal_text(rules.min_share)}; fragile otherwise."
        ),
    ]
    main = PaperTable(
        key=f"{comparison.scenario}:compare",
        caption=f"{comparison.title}: détente stability by assumption",
        corner="",
        columns=tuple(_t(c.assumption) for c in columns),
        rows=tuple(rows),
        notes=tuple(notes),
    )
    if not (tipping and comparison.tipping_parameters):
        return (main,)
    return (main, _tipping_table(comparison))


def _tipping_table(comparison: Comparison) -> PaperTable:
    columns = comparison.columns
    params = {p.name: p for p in comparison.parameters}
    rows: list[tuple[Cell, tuple[Cell, ...]]] = []
    quiet: list[str] = []
    for name in comparison.tipping_parameters:
        cells = []
        for col in columns:
            found = [t for t in col.tipping if t.parameter == name]
            items = []
            for t in found:
                what = "" if t.what == "verdict" else f"{profile_title(t.what.split(' / '))}: "
                value = t.exact if t.exact is not None else t.value
                items.append((Number(value), Text(f": {what}{t.below} → {t.above}")))
            cells.append(_lines(items) if items else _t("none"))
        if all(not any(t.parameter == name for t in col.tipping) for col in columns):
            quiet.append(name)
            continue
        rows.append(
            (parameter_cell(name, params.get(name)) + _range_cell(params.get(name)), tuple(cells))
        )
    notes: list[Cell] = [
        _t(
            "Each entry: a value of the parameter at which the verdict (or a profile's "
            "sustainability) changes, from just below to just above it, the other "
            "parameters at the assumption's values; ≈ alone: located numerically."
        )
    ]
    if quiet:
        listed: list[Any] = [Text("No tipping point in its range under any assumption: ")]
        for k, name in enumerate(quiet):
            listed += [Text(", ")] if k else []
            listed.append(Symbol(name))
        notes.append((*listed, Text(".")))
    return PaperTable(
        key=f"{comparison.scenario}:tipping",
        caption=f"{comparison.title}: tipping points by assumption",
        corner="Parameter",
        columns=tuple(_t(c.assumption) for c in columns),
        rows=tuple(rows),
        notes=tuple(notes),
        label_width=0.28,
    )


def _header_comment() -> str:
    return "% negotiation tables: \\usepackage{" + ",".join(LATEX_PACKAGES) + "} in the preamble"


def comparison_latex(
    comparison: Comparison,
    *,
    tipping: bool = True,
    max_columns: int = MAX_COLUMNS,
    label: str | None = None,
) -> str:
    r"""The comparison as LaTeX tables that fit an article's text width.

    Parameters
    ----------
    comparison : Comparison
    tipping : bool
        Include the tipping-point table (when the comparison has tipping points).
    max_columns : int
        Assumptions per table; more are split into balanced parts.
    label : str, optional
        Prefix of the ``\label`` of every table (default ``tab:<scenario id>``).

    Returns
    -------
    str
        ``table`` floats, needing :data:`LATEX_PACKAGES` in the preamble.

    Examples
    --------
    >>> from negotiation.analysis.compare import compare
    >>> from negotiation.scenario import load_scenario
    >>> c = compare(load_scenario("chicken"), strategies=["k_period_punishment(k=2)"],
    ...             tipping=False)
    >>> tex = comparison_latex(c)
    >>> tex.count(r"\begin{table}"), r"\usepackage{amsmath,booktabs,tabularx,graphicx}" in tex
    (3, True)
    >>> print(next(line for line in tex.splitlines() if "k-period" in line))
    Critical \ensuremath{\delta}: k-period punishment (k=2) & $-\frac{1}{2} + \frac{\sqrt{5}}{2} \approx 0.618$ & $-\frac{1}{2} + \frac{\sqrt{5}}{2} \approx 0.618$ & never \\
    """  # noqa: E501
    blocks = [_header_comment()]
    for table in comparison_tables(comparison, tipping=tipping):
        prefix = f"{label}:{table.key.split(':')[-1]}" if label else f"tab:{table.key}"
        blocks += latex_tables(table, max_columns=max_columns, label=prefix)
    return "\n\n".join(blocks) + "\n"


def comparison_markdown(comparison: Comparison, *, tipping: bool = True) -> str:
    """The comparison as Markdown tables (numbers in plain Unicode).

    Examples
    --------
    >>> from negotiation.analysis.compare import compare
    >>> from negotiation.scenario import load_scenario
    >>> c = compare(load_scenario("chicken"), ["baseline"], strategies=["grim_trigger"],
    ...             tipping=False)
    >>> print(comparison_markdown(c).splitlines()[6])
    | Critical δ: grim trigger | 0.5 |
    """
    return "\n\n".join(markdown_table(t) for t in comparison_tables(comparison, tipping=tipping))


# ------------------------------------------------------------------ stability


def _intervals(regions: Sequence[Any]) -> Cell:
    out: list[Any] = []
    for k, i in enumerate(regions):
        if k:
            out.append(Text(" ∪ "))
        out += [
            Text("[" if i.low_closed else "("),
            Number(i.low),
            Text(", "),
            Number(i.high),
            Text("]" if i.high_closed else ")"),
        ]
    return tuple(out) or _t("never")


def _best_cell(b: BestPossible) -> Cell:
    """The best possible δ*: exact, ``never``, or the range ``lower–upper``."""
    if b.lower is None:
        return _t("never")
    if b.exact:
        return _num(b.upper)
    return (
        Number(b.lower, "decimal"),
        Text("–"),
        *((Text("never"),) if b.upper is None else (Number(b.upper, "decimal"),)),
    )


def _yes_no(value: bool | None) -> str:
    return "–" if value is None else "yes" if value else "no"


def _binds(players: Sequence[str], profile: Any) -> str:
    s = profile.sustainability
    binds = [
        players[k]
        for k, x in enumerate(s.player_critical)
        if s.critical_discount is not None and x == s.critical_discount
    ]
    return " and ".join(binds) or "–"


def _spe_at(report: Any, players: Sequence[str]) -> Cell:
    """``Subgame perfect at δ = 0.9``, or at each player's δ when they differ."""
    if not is_pair(report.discount):
        return (Text("Subgame perfect at δ = "), Number(report.discount, "decimal"))
    (a, b), (p, q) = report.discount, players
    return (
        Text(f"Subgame perfect at δ {p} = "),
        Number(a, "decimal"),
        Text(f", δ {q} = "),
        Number(b, "decimal"),
    )


def stability_tables(
    report: StabilityReport, *, players: Sequence[str] | None = None
) -> tuple[PaperTable, ...]:
    """The stability report as tables for readers: the metrics by strategy profile,
    then (when the report has them) each player's critical δ as a formula.

    Parameters
    ----------
    report : StabilityReport
    players : (str, str), optional
        The players' names (default: the game's, which are the file's ids).

    Examples
    --------
    >>> from negotiation.repeated.report import stability_report
    >>> from negotiation.scenario import load_scenario
    >>> r = stability_report(load_scenario("prisoners-dilemma"), strategies=["grim_trigger"])
    >>> [t.key for t in stability_tables(r)]
    ['prisoners-dilemma:baseline:stability', 'prisoners-dilemma:baseline:formulas']
    """
    game = report.game
    players = tuple(players or game.players)
    profiles = report.profiles
    target = f"({move_title(game.row_moves[report.target[0]])}, "
    target += f"{move_title(game.col_moves[report.target[1]])})"
    rows: list[tuple[Cell, tuple[Cell, ...]]] = [
        (_t("SPE for δ in"), tuple(_intervals(p.sustainability.spe_region) for p in profiles)),
        (
            _t("Critical δ"),
            tuple(_num(p.sustainability.critical_discount, none="never") for p in profiles),
        ),
        *(
            (
                _t(f"Critical δ: {players[k]}"),
                tuple(_num(p.sustainability.player_critical[k], none="never") for p in profiles),
            )
            for k in range(2)
        ),
        (_t("Binding side"), tuple(_t(_binds(players, p)) for p in profiles)),
        (
            _spe_at(report, players),
            tuple(_t("yes" if p.spe_at_discount else "no") for p in profiles),
        ),
        (
            _t("Renegotiation-proof at δ"),
            tuple(_t(_yes_no(p.renegotiation_proof)) for p in profiles),
        ),
        (
            _t("Incentive margin at δ"),
            tuple(_num(p.incentive_margin, "decimal") for p in profiles),
        ),
        (
            (Text("Détente share under noise ε = "), Number(report.noise, "decimal")),
            tuple(_num(p.noise.detente_share, "decimal") for p in profiles),
        ),
        (
            _t("Rounds to breakdown"),
            tuple(_num(p.noise.rounds_to_breakdown, "decimal", 1) for p in profiles),
        ),
        (
            _t("Rounds to recover"),
            tuple(_num(p.noise.rounds_to_recover, "decimal", 1) for p in profiles),
        ),
    ]
    key = f"{report.scenario}:{report.assumption}"
    notes = (
        _t(
            "Critical δ: the least discount factor at which the profile is subgame perfect "
            "with the détente on its path (never: no δ < 1); the binding side is the "
            "player whose own critical δ it is. Margin: the smallest gain from conforming "
            "over the best one-shot deviation at δ, in stage-payoff units."
        ),
        _t(
            "Renegotiation-proof: weakly (Farrell and Maskin 1989), subgame perfect at δ "
            "with no state of the profile better for both players than another."
        ),
    )
    main = PaperTable(
        key=f"{key}:stability",
        caption=f"{game.title}: stability of the détente {target}, {report.label}",
        corner="",
        columns=tuple(_t(profile_title(p.strategies)) for p in profiles),
        rows=tuple(rows),
        notes=notes,
    )
    formula_rows = [
        (_t(profile_title(p.strategies)), tuple(_formula(f) for f in p.formulas))
        for p in profiles
        if any(f is not None for f in p.formulas)
    ]
    if not formula_rows:
        return (main,)
    formulas = PaperTable(
        key=f"{key}:formulas",
        caption=f"{game.title}: each player's critical δ in the parameters, {report.label}",
        corner="Profile",
        columns=tuple(_t(p) for p in players),
        rows=tuple(formula_rows),
        notes=(_t("–: no formula (the threshold is not algebraic in the parameters here)."),),
    )
    return (main, formulas)


def _formula(expr: Any) -> Cell:
    return _t("–") if expr is None else (Formula(expr),)


def _latex_formulas(table: PaperTable, label: str) -> str:
    """Formulas as displayed equations in one float, each scaled down only when it is
    wider than the text."""
    lines = [
        "\\begin{table}[htbp]",
        "\\centering",
        "\\small",
        f"\\caption{{{latex_text(table.caption)}}}",
        f"\\label{{{label}}}",
        "\\begin{tabularx}{\\linewidth}{@{}>{\\raggedright\\arraybackslash}X@{}}",
        "\\toprule",
    ]
    players = [latex_cell(c) for c in table.columns]
    first = True
    for head, cells in table.rows:
        for player, cell in zip(players, cells):
            if not first:
                lines.append("\\addlinespace")
            first = False
            lines.append(f"{latex_cell(head)}, {player}: \\\\")
            if len(cell) == 1 and isinstance(cell[0], Formula):
                import sympy

                math = f"$\\displaystyle \\delta^{{*}} = {sympy.latex(cell[0].expr)}$"
                lines.append(
                    "\\resizebox{\\ifdim\\width>\\linewidth\\linewidth\\else\\width\\fi}{!}"
                    f"{{{math}}} \\\\"
                )
            else:
                lines.append(latex_cell(cell) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabularx}"]
    if table.notes:
        lines.append("\\par\\smallskip")
        lines.append(
            "{\\footnotesize\\raggedright "
            + "\\par ".join(latex_cell(n) for n in table.notes)
            + "\\par}"
        )
    lines.append("\\end{table}")
    return "\n".join(lines)


def stability_latex(
    report: StabilityReport,
    *,
    players: Sequence[str] | None = None,
    max_columns: int = MAX_COLUMNS,
    label: str | None = None,
) -> str:
    r"""The stability report as LaTeX tables that fit an article's text width.

    Parameters
    ----------
    report : StabilityReport
        From :func:`negotiation.repeated.report.stability_report`.
    players : (str, str), optional
        The players' names (default: the game's, which are the file's ids).
    max_columns : int
        Strategy profiles per table; more are split into balanced parts.
    label : str, optional
        Prefix of the ``\label`` of every table (default
        ``tab:<scenario id>:<assumption>``).

    Examples
    --------
    >>> from negotiation.repeated.report import stability_report
    >>> from negotiation.scenario import load_scenario
    >>> r = stability_report(load_scenario("chicken"), strategies=["grim_trigger"])
    >>> tex = stability_latex(r)
    >>> print(next(line for line in tex.splitlines() if line.startswith("Critical")))
    Critical \ensuremath{\delta} & $0.5$ \\
    >>> print(next(line for line in tex.splitlines() if "displaystyle" in line))
    \resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{$\displaystyle \delta^{*} = \frac{g}{g + s}$} \\
    """  # noqa: E501
    blocks = [_header_comment()]
    for table in stability_tables(report, players=players):
        kind = table.key.split(":")[-1]
        prefix = f"{label}:{kind}" if label else f"tab:{table.key}"
        if kind == "formulas":
            blocks.append(_latex_formulas(table, prefix))
        else:
            blocks += latex_tables(table, max_columns=max_columns, label=prefix)
    return "\n\n".join(blocks) + "\n"


def stability_markdown(report: StabilityReport, *, players: Sequence[str] | None = None) -> str:
    """The stability report as Markdown tables (numbers in plain Unicode).

    Examples
    --------
    >>> from negotiation.repeated.report import stability_report
    >>> from negotiation.scenario import load_scenario
    >>> r = stability_report(load_scenario("chicken"), strategies=["grim_trigger"])
    >>> print(stability_markdown(r).splitlines()[5])
    | Critical δ | 0.5 |
    """
    return "\n\n".join(markdown_table(t) for t in stability_tables(report, players=players))


# ------------------------------------------------------------------- documents


def latex_document(*bodies: str, title: str | None = None) -> str:
    r"""A whole article (standard class, default text width) around LaTeX tables,
    with the packages they need.

    Examples
    --------
    >>> doc = latex_document("Hello.", title="Tables & more")
    >>> print(doc.splitlines()[0]); print(doc.splitlines()[-1])
    \documentclass{article}
    \end{document}
    >>> r"\section*{Tables \& more}" in doc
    True
    """
    lines = ["\\documentclass{article}"]
    lines += [f"\\usepackage{{{p}}}" for p in LATEX_PACKAGES]
    lines.append("\\begin{document}")
    if title:
        lines.append(f"\\section*{{{latex_text(title)}}}")
    for body in bodies:
        lines += [body, ""]
    lines.append("\\end{document}")
    return "\n".join(lines)
