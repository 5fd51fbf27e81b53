"""What the commands print, in each output format."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.cli.render import (
    fit_lines,
    fmt_number,
    to_csv,
    to_json,
    to_records,
    to_table,
)
from negotiation.games.equilibrium import Equilibrium, EquilibriumSet
from negotiation.games.stage_game import StageGame
from negotiation.numbers import decimal_text, exact_and_decimal, exact_text, json_number
from negotiation.scenario.discounts import discount_text
from negotiation.scenario.model import Scenario
from negotiation.scenario.overrides import assumption_label

__all__ = [
    "Source",
    "compare_view",
    "fit_view",
    "linkage_view",
    "show_view",
    "simulate_view",
    "solve_view",
    "stability_view",
    "sweep_view",
]


@dataclass(frozen=True)
class Source:
    """What a FILE argument resolved to: the game, and the scenario it came from (if any)."""

    game: StageGame
    scenario: Scenario | None
    id: str
    title: str
    assumption: str | None
    overrides: dict[str, str]

    @property
    def assumption_text(self) -> str:
        """``baseline``, or ``baseline with T=7`` when ``--set`` was used."""
        return assumption_label(str(self.assumption), self.overrides)


def _cell(a: Any, b: Any, exact: bool) -> str:
    return f"{fmt_number(a, exact=exact)}, {fmt_number(b, exact=exact)}"


def _payoff_matrix(game: StageGame, exact: bool, width: int | None = None) -> str:
    A = game.exact_A if game.is_exact else game.A.tolist()
    B = game.exact_B if game.is_exact else game.B.tolist()
    assert A is not None and B is not None
    header = [f"{game.players[0]} \\ {game.players[1]}", *game.col_moves]
    rows = [
        [move, *(_cell(A[i][j], B[i][j], exact) for j in range(len(game.col_moves)))]
        for i, move in enumerate(game.row_moves)
    ]
    return to_table(header, rows, width)


def show_view(source: Source, *, fmt: str, exact: bool, width: int | None = None) -> str:
    """Render ``negotiation show``."""
    game, scenario = source.game, source.scenario
    if fmt == "csv":
        return _payoffs_csv(game, exact)
    if fmt == "json":
        data: dict[str, Any] = scenario.summary_dict() if scenario else {"id": source.id}
        data["assumption"] = source.assumption
        data["overrides"] = dict(source.overrides)
        data["game"] = game.to_dict()
        return to_json(data)
    lines = [source.title or source.id]
    if scenario is not None:
        if scenario.summary:
            lines.append(scenario.summary)
        lines += ["", f"assumption: {source.assumption_text}"]
        assert source.assumption is not None
        values = scenario.parameter_values(source.assumption, source.overrides)
        if scenario.parameters:
            rows = [
                [
                    k,
                    fmt_number(values[k], exact=exact),
                    f"[{fmt_number(p.min, exact=exact) if p.min is not None else ''}, "
                    f"{fmt_number(p.max, exact=exact) if p.max is not None else ''}]",
                    p.unit or "",
                    p.description or "",
                ]
                for k, p in scenario.parameters.items()
            ]
            lines += [
                "",
                to_table(["parameter", "value", "range", "unit", "description"], rows, width),
            ]
        if scenario.derived:
            rows = [
                [k, fmt_number(values[k], exact=exact), str(e)]
                for k, e in scenario.derived.items()
            ]
            lines += ["", to_table(["derived", "value", "expression"], rows, width)]
        others = [a for a in scenario.assumptions if a != "baseline"]
        if others:
            rows = [
                [
                    a,
                    ", ".join(
                        f"{k}={fmt_number(v, exact=exact)}"
                        for k, v in scenario.assumptions[a].overrides.items()
                    ),
                    scenario.assumptions[a].description,
                ]
                for a in others
            ]
            lines += ["", to_table(["assumption", "sets", "description"], rows, width)]
    lines += ["", "payoffs (row player, column player):", _payoff_matrix(game, exact, width)]
    return fit_lines("\n".join(lines), width)


def _payoffs_csv(game: StageGame, exact: bool) -> str:
    A = game.exact_A if game.is_exact else game.A.tolist()
    B = game.exact_B if game.is_exact else game.B.tolist()
    assert A is not None and B is not None
    p, q = game.players
    rows = [
        [r, c, _number(A[i][j], exact), _number(B[i][j], exact)]
        for i, r in enumerate(game.row_moves)
        for j, c in enumerate(game.col_moves)
    ]
    return to_csv([f"{p}_move", f"{q}_move", f"payoff_{p}", f"payoff_{q}"], rows)


def _strategy_text(moves: tuple[str, ...], probs: tuple[Any, ...], exact: bool) -> str:
    support = [(m, p) for m, p in zip(moves, probs) if p > 0]
    if len(support) == 1:
        return support[0][0]
    return ", ".join(f"{m} {fmt_number(p, exact=exact)}" for m, p in support)


def _number(value: Any, exact: bool) -> Any:
    """A number for JSON or CSV: exact text when asked and exact, else a float."""
    if exact and isinstance(value, Fraction):
        return exact_text(value)
    return json_number(value)


def _equilibrium_json(e: Equilibrium, game: StageGame, exact: bool) -> dict[str, Any]:
    p, q = game.players
    return {
        "kind": e.kind,
        "strategies": {
            p: {m: _number(x, exact) for m, x in zip(game.row_moves, e.row)},
            q: {m: _number(y, exact) for m, y in zip(game.col_moves, e.col)},
        },
        "payoffs": {p: _number(e.payoffs[0], exact), q: _number(e.payoffs[1], exact)},
    }


def solve_view(
    source: Source,
    *,
    exact: bool,
    fmt: str,
    width: int | None = None,
    equilibria: EquilibriumSet | None = None,
) -> str:
    """Render ``negotiation solve`` (``equilibria``: the game's enumeration, if done)."""
    from negotiation.games.extreme_equilibria import extreme_equilibria

    game = source.game
    if exact:
        game.require_exact()
    eqs = extreme_equilibria(game) if equilibria is None else equilibria
    if fmt == "json":
        return to_json(_solve_json(eqs, source, exact))
    if fmt == "csv":
        return _solve_csv(eqs, exact)
    return fit_lines(_solve_table(eqs, source, exact, width), width)


def _solve_json(eqs: EquilibriumSet, source: Source, exact: bool) -> dict[str, Any]:
    g = eqs.game
    full = eqs.to_dict()
    return {
        "scenario": source.id,
        "assumption": source.assumption,
        "overrides": dict(source.overrides),
        "players": list(g.players),
        "moves": {k: list(v) for k, v in g.moves.items()},
        "degenerate": eqs.degenerate,
        "certified": "exact" if eqs.exact else "floating-point",
        "equilibria": [_equilibrium_json(e, g, exact) for e in eqs],
        "components": full["components"],
        **_facts_json(g),
    }


def _facts_json(g: StageGame) -> dict[str, Any]:
    """What the table's last lines say, for programs: dominance, Pareto, security."""
    from negotiation.games.dominance import iterated_strict_dominance
    from negotiation.games.pareto import pareto_efficient_profiles
    from negotiation.games.security import mixed_security_values

    return {
        "strict_dominance": iterated_strict_dominance(g).to_dict(),
        "pareto_efficient": [
            [g.row_moves[i], g.col_moves[j]] for i, j in pareto_efficient_profiles(g)
        ],
        "security": mixed_security_values(g).to_dict(),
    }


def _solve_csv(eqs: EquilibriumSet, exact: bool) -> str:
    g = eqs.game
    rows = []
    for k, e in enumerate(eqs, start=1):
        for who, (moves, probs) in enumerate(((g.row_moves, e.row), (g.col_moves, e.col))):
            for move, p in zip(moves, probs):
                rows.append(
                    [
                        k,
                        e.kind,
                        g.players[who],
                        move,
                        _number(p, exact),
                        _number(e.payoffs[who], exact),
                    ]
                )
    return to_csv(["equilibrium", "kind", "player", "move", "probability", "payoff"], rows)


def _solve_table(
    eqs: EquilibriumSet, source: Source, exact: bool, width: int | None = None
) -> str:
    g = eqs.game
    head = source.title or source.id
    if source.assumption is not None:
        head += f" — assumption: {source.assumption_text}"
    n_pure = len(eqs.pure)
    cert = "exactly (rational arithmetic)" if eqs.exact else "to floating-point tolerance"
    lines = [
        head,
        f"row player {g.players[0]}, column player {g.players[1]}; {g.shape[0]}x{g.shape[1]} "
        f"{'DEGENERATE' if eqs.degenerate else 'non-degenerate'} game",
        f"{len(eqs)} extreme equilibri{'um' if len(eqs) == 1 else 'a'} "
        f"({n_pure} pure, {len(eqs) - n_pure} mixed), each certified {cert}",
        "",
    ]
    rows = [
        [
            k,
            e.kind,
            _strategy_text(g.row_moves, e.row, exact),
            _strategy_text(g.col_moves, e.col, exact),
            fmt_number(e.payoffs[0], exact=exact),
            fmt_number(e.payoffs[1], exact=exact),
        ]
        for k, e in enumerate(eqs, start=1)
    ]
    lines.append(
        to_table(
            [
                "#",
                "kind",
                g.players[0],
                g.players[1],
                f"payoff {g.players[0]}",
                f"payoff {g.players[1]}",
            ],
            rows,
            width,
            key=2,
        )
    )
    if eqs.degenerate or len(eqs.components) < len(eqs):
        lines += [
            "",
            "Components of the equilibrium set "
            "(every mix within a maximal Nash subset is an equilibrium):",
        ]
        for c_index, comp in enumerate(eqs.components, start=1):
            subsets = "; ".join(
                "{"
                + ", ".join(
                    str(k + 1)
                    for k, (r, s) in enumerate(eqs.pairs)
                    if r in eqs.nash_subsets[i].rows and s in eqs.nash_subsets[i].cols
                )
                + "}"
                for i in comp.subsets
            )
            members = ", ".join(str(k + 1) for k in comp.equilibria)
            lines.append(
                f"  component {c_index}: equilibria {members}; maximal Nash subsets {subsets}"
            )
    lines += ["", *_facts(g, exact)]
    return "\n".join(lines)


def _facts(g: StageGame, exact: bool) -> list[str]:
    from negotiation.games.dominance import iterated_strict_dominance
    from negotiation.games.pareto import pareto_efficient_profiles
    from negotiation.games.security import mixed_security_values

    dom = iterated_strict_dominance(g)
    rem_r = ", ".join(g.row_moves[i] for i in dom.remaining_rows)
    rem_c = ", ".join(g.col_moves[j] for j in dom.remaining_cols)
    pareto = "; ".join(
        f"({g.row_moves[i]}, {g.col_moves[j]})" for i, j in pareto_efficient_profiles(g)
    )
    sec = mixed_security_values(g)
    return [
        f"iterated strict dominance leaves: {g.players[0]}: {rem_r} | {g.players[1]}: {rem_c}"
        + ("  (dominance solvable)" if dom.solved else ""),
        f"Pareto-efficient pure profiles: {pareto}",
        "security (mixed minmax) values: "
        + ", ".join(
            f"{p} {fmt_number(sec.minmax[k], exact=exact)}" for k, p in enumerate(g.players)
        ),
    ]


#: Magnitudes from which table numbers are written in scientific notation.
_SCIENTIFIC_FROM = 1e15


def _as_float(value: Any) -> float:
    """A float of an exact number, ±inf beyond the double range (a tremble of 5e-324
    means about 1e323 rounds to breakdown)."""
    if isinstance(value, str):
        value = Fraction(value)
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _opt(value: Any, digits: int = 4) -> str:
    """A number for a table: ``-`` for none, scientific notation when huge.

    Examples
    --------
    >>> _opt(None), _opt(Fraction(1, 3)), _opt(Fraction(10**400, 3)), _opt(2.5e20)
    ('-', '0.3333', 'inf', '2.5e+20')
    """
    if value is None:
        return "-"
    x = _as_float(value)
    if math.isfinite(x) and abs(x) >= _SCIENTIFIC_FROM:
        return f"{x:.{digits}g}"
    return decimal_text(x, digits)


def stability_view(report: Any, fmt: str, width: int | None = None, players: Any = None) -> str:
    """Render ``negotiation stability`` (``players``: the players' names for the
    Markdown and LaTeX tables)."""
    if fmt in ("markdown", "latex"):
        from negotiation.analysis.paper_tables import stability_latex, stability_markdown

        return (stability_latex if fmt == "latex" else stability_markdown)(report, players=players)
    data = report.to_dict()
    if fmt == "json":
        return to_json(data)
    players = report.game.players
    header = [
        "row strategy",
        "column strategy",
        "SPE for δ in",
        "critical δ",
        f"critical δ {players[0]}",
        f"critical δ {players[1]}",
        "binds",
        "SPE at δ",
        "WRP at δ",
        "margin",
        "détente share",
        "rounds to breakdown",
        "rounds to recover",
    ]
    rows = []
    offending = []
    for profile, p in zip(report.profiles, data["profiles"]):
        s = profile.sustainability
        spe = " ∪ ".join(_interval_text(i) for i in p["spe_region"]) or "never"
        exact = fmt == "csv"  # CSV keeps the exact text alone, for programs
        binds = [
            players[k]
            for k, x in enumerate(s.player_critical)
            if s.critical_discount is not None and x == s.critical_discount
        ]
        rows.append(
            [
                *p["strategies"],
                spe,
                *(
                    (
                        p["critical_discount"] or "never",
                        *(x or "never" for x in p["player_critical_discount"]),
                    )
                    if exact
                    else (
                        exact_and_decimal(x, none="never")
                        for x in (s.critical_discount, *s.player_critical)
                    )
                ),
                " and ".join(binds) or "-",
                "yes" if p["spe_at_discount"] else "no",
                {True: "yes", False: "no", None: "-"}[p["weakly_renegotiation_proof"]],
                _opt(p["incentive_margin"]),
                _opt(p["detente_share"]),
                _opt(p["rounds_to_breakdown"], 1),
                _opt(p["rounds_to_recover"], 1),
            ]
        )
        if profile.offending_text is not None:
            names = "/".join(dict.fromkeys(p["strategies"]))
            offending.append(f"  {names}: {profile.offending_text}")
    if fmt == "csv":
        return to_csv(header, rows)
    target = ", ".join(data["target"])
    lines = [
        f"{report.game.title} — assumption: {report.label}",
        f"détente ({target}); δ = {discount_text(report.discount, players, fmt_number)}; "
        "noise ε = "
        f"{fmt_number(report.noise)}",
        "",
        to_table(header, rows, width, key=2),
        "",
        "margin: smallest gain from conforming over the best one-shot deviation, in stage-payoff",
        "units, over all states and both players (negative: some deviation pays at δ).",
        "rounds to recover: expected rounds from a breakdown back to the détente under noise;",
        "one that never forgives (grim trigger) recovers only when both tremble back at once:",
        "about ((m - 1)/ε)² rounds with m moves each.",
        "WRP: weakly renegotiation-proof at δ (Farrell & Maskin 1989): subgame perfect, and no",
        "state of the profile is strictly better for both players than another.",
        *(["not WRP, a state both prefer over another (row's, column's):"][: len(offending)]),
        *offending,
    ]
    return fit_lines("\n".join(lines), width)


def _interval_text(i: dict[str, Any]) -> str:
    left = "[" if i["low_closed"] else "("
    right = "]" if i["high_closed"] else ")"
    return f"{left}{i['low']}, {i['high']}{right}"


def simulate_view(run: Any, fmt: str, width: int | None = None) -> str:
    """Render ``negotiation simulate``."""
    sim = run.simulation
    if fmt == "csv":
        return to_csv(["round", "row_move", "col_move", "share"], sim.csv_rows())
    data = run.to_dict()
    if fmt == "json":
        return to_json(data)
    summ = data["summary"]
    exact = data["exact"]
    lines = [
        f"{run.game.title} — assumption: {run.label}",
        f"{sim.row_strategy} vs {sim.col_strategy}; {sim.runs} runs of {sim.rounds} rounds; "
        f"noise ε = {fmt_number(sim.noise)}; "
        + ("a numpy Generator (no seed)" if sim.seed is None else f"seed {sim.seed}"),
        "",
    ]
    rows = []
    for key, label, exact_value in (
        ("target_share", "share of détente rounds", exact["detente_share"]),
        ("rounds_to_breakdown", "rounds to first breakdown", exact["rounds_to_breakdown"]),
        (
            "discounted_row",
            f"discounted payoff {run.game.players[0]}",
            exact["discounted_payoffs"][0],
        ),
        (
            "discounted_col",
            f"discounted payoff {run.game.players[1]}",
            exact["discounted_payoffs"][1],
        ),
    ):
        stat = summ.get(key) or {}
        rows.append(
            [label, _opt(stat.get("mean")), _opt(stat.get("se")), _opt(_exact_float(exact_value))]
        )
    censored = (summ.get("rounds_to_breakdown") or {}).get("no_breakdown", 0)
    lines.append(to_table(["statistic", "simulated mean", "std. error", "exact"], rows, width))
    lines += [
        "",
        f"The simulated share is over {sim.rounds} rounds, the exact one is the long-run limit;",
        f"rounds to breakdown average the runs that broke down ({censored} did not).",
    ]
    return fit_lines("\n".join(lines), width)


def _exact_float(value: Any) -> Any:
    return None if value is None else _as_float(value)


def compare_view(comparison: Any, fmt: str, width: int | None = None) -> str:
    """Render ``negotiation compare``."""
    from negotiation.analysis.compare import MAX_PENAL_CODE_CELLS

    if fmt == "json":
        return to_json(comparison.to_dict())
    if fmt in ("markdown", "latex"):
        from negotiation.analysis.paper_tables import comparison_latex, comparison_markdown

        return (comparison_latex if fmt == "latex" else comparison_markdown)(comparison)
    header = ["metric", *(c.assumption for c in comparison.columns)]
    rows = [[metric, *values] for metric, values in comparison.rows()]
    if fmt == "csv":
        return to_csv(header, rows)
    rules = comparison.rules
    table = to_table(header, rows)
    if width is not None and max(map(len, table.split("\n"))) > width:
        # one block per assumption, the metrics down the side
        by_assumption = [[header[k], *(r[k] for r in rows)] for k in range(1, len(header))]
        table = to_records(["assumption", *(r[0] for r in rows)], by_assumption, width)
    text = "\n".join(
        [
            f"{comparison.title} — détente stability by assumption",
            *(
                [
                    "with "
                    + ", ".join(f"{k}={v}" for k, v in comparison.overrides)
                    + " under every assumption"
                ]
                if comparison.overrides
                else []
            ),
            "",
            table,
            "",
            "best possible δ*: least δ at which any pure-strategy SPE sustains the détente "
            "(Abreu 1988's",
            "optimal penal code; a range up from the minmax bound when the code found does "
            "not meet it;",
            f"-: not searched, the game has more than {MAX_PENAL_CODE_CELLS} move profiles).",
            "WRP: weakly renegotiation-proof at δ (Farrell & Maskin 1989); stability names "
            "the states.",
            *(
                [f"no tipping points: {comparison.tipping_skipped}."]
                * bool(comparison.tipping_skipped)
            ),
            "verdict: unsustainable if no profile is subgame perfect at δ with the détente "
            "on its path;",
            f"stable if one is, with δ slack >= {fmt_number(rules.min_slack)} and a long-run "
            f"détente share >= {fmt_number(rules.min_share)} under noise;",
            "fragile otherwise.",
        ]
    )
    return fit_lines(text, width)


def sweep_view(result: Any, fmt: str, width: int | None = None) -> str:
    """Render ``negotiation sweep``: tidy CSV (one row per point), JSON or a table."""
    if fmt == "json":
        return to_json(result.to_dict())
    header = result.header()
    rows = result.rows()
    if fmt == "csv":
        return to_csv(header, rows)

    def cell(v: Any) -> str:
        if v is None:
            return "-"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return fmt_number(v)
        return str(v)

    keep = [k for k, h in enumerate(header) if h not in ("stage_equilibria", "error", "noise")]
    if not any(r[header.index("error")] for r in rows):
        keep = [k for k in keep if header[k] != "error"]
    shown = [header[k] for k in keep]
    body = [[cell(r[k]) for k in keep] for r in rows]
    axes = ", ".join(f"{a.name} ({len(a.values)} values)" for a in result.axes)
    text = "\n".join(
        [
            f"{result.title} — sweep over {axes}, assumption {result.label}",
            "",
            to_table(shown, body, width, key=len(result.axes)),
        ]
    )
    return fit_lines(text, width)


def fit_view(result: Any, fmt: str, width: int | None = None) -> str:
    """Render ``negotiation fit``: ranked strategies per player, with warnings."""
    if fmt == "json":
        return to_json(result.to_dict())
    header = [
        "player",
        "rank",
        "strategy",
        "log_likelihood",
        "tremble",
        "mismatches",
        "class",
        "indistinguishable",
        "same_as",
    ]
    rows = [
        [
            p.player,
            k,
            f.strategy,
            f.log_likelihood,
            f.tremble,
            f.mismatches,
            f.group,
            f.indistinguishable,
            ";".join(f.same_as),
        ]
        for p in result.players
        for k, f in enumerate(p.fits, 1)
    ]
    if fmt == "csv":
        return to_csv(header, rows)
    first, last = result.dates
    lines = [
        f"{result.title} — strategies fitted to {result.rounds} observed rounds "
        f"({first} to {last})",
        f"assumption: {result.label}; détente ({', '.join(result.target)})",
        "model: each round the strategy's move is played with prob. 1-ε, each other move",
        "with prob. ε/(m-1); ranked by maximised log-likelihood (natural log)",
    ]
    for p in result.players:
        body = [
            [
                k,
                f.strategy,
                fmt_number(f.log_likelihood, digits=3),
                fmt_number(f.tremble, digits=3),
                f.mismatches,
                f.group,
                "yes" if f.indistinguishable else "",
            ]
            for k, f in enumerate(p.fits, 1)
        ]
        lines += [
            "",
            f"{p.player} ({p.rounds} rounds, {p.moves} moves)",
            to_table(
                ["rank", "strategy", "log-lik", "ε̂", "mismatches", "class", "indistinguishable"],
                body,
                width,
                key=2,
            ),
        ]
        lines += [f"warning: {w}" for w in p.warnings]
        lines += [f"skipped {name}: {why}" for name, why in p.skipped]
    lines += [
        "",
        "ε̂: maximum-likelihood tremble. Strategies of one class predict the same move in every",
        "observed round: this history cannot tell them apart (indistinguishable).",
    ]
    return fit_lines("\n".join(lines), width)


def linkage_view(result: Any, fmt: str, width: int | None = None) -> str:
    """Render ``negotiation linkage``: separate vs linked enforcement, per player."""
    data = result.to_dict()
    if fmt == "json":
        return to_json(data)
    p, q = result.players

    def crit(value: Any) -> str:
        return "never" if value is None else value

    header = [
        "enforcement",
        "weight",
        "target",
        f"critical δ {p}",
        f"critical δ {q}",
        "critical δ",
    ]
    rows: list[list[Any]] = [
        [
            f"{i['issue']} alone",
            i["weight"],
            ", ".join(i["target"]),
            *(crit(x) for x in i["player_critical_discount"]),
            crit(i["critical_discount"]),
        ]
        for i in data["issues"]
    ]
    per = data["players"]
    rows += [
        [
            "separate (worst issue)",
            "",
            "",
            *(crit(x["separate_critical_discount"]) for x in per),
            crit(data["separate_critical_discount"]),
        ],
        [
            "linked",
            "",
            "",
            *(crit(x["linked_critical_discount"]) for x in per),
            crit(data["linked_critical_discount"]),
        ],
        [
            "transfer (separate - linked)",
            "",
            "",
            *(x["transfer"] or "-" for x in per),
            data["gain"] or "-",
        ],
    ]
    if fmt == "csv":
        return to_csv(
            ["enforcement", "weight", "target", f"critical_{p}", f"critical_{q}", "critical"], rows
        )
    sep_ok, link_ok = result.sustainable_at_discount()
    binds = "; ".join(
        f"{x['player']} binds in "
        + " and ".join(
            i["issue"]
            for i in data["issues"]
            if i["player_critical_discount"][k] == x["separate_critical_discount"]
        )
        for k, x in enumerate(per)
        if x["binding_issue"]
    )
    lines = [
        f"{result.title} — assumption: {result.label}",
        f"linked détente ({', '.join(data['target'])}); "
        f"δ = {discount_text(result.discount, result.players, fmt_number)}; "
        "grim trigger with Nash reversion",
        "",
        to_table(header, rows, width),
        "",
        _linkage_effect(result) + ("," if binds else "."),
        *([f"{binds}."] if binds else []),
        f"at δ = {discount_text(result.discount, result.players, fmt_number)}: separate accord "
        f"{'sustainable' if sep_ok else 'not sustainable'}; linked accord "
        f"{'sustainable' if link_ok else 'not sustainable'}.",
        "separate: each issue punished on its own; linked: a deviation on any issue triggers",
        "Nash reversion on all. Critical δ per player is the mediant Σ(d - c) / Σ(d - n).",
    ]
    return fit_lines("\n".join(lines), width)


def _linkage_effect(result: Any) -> str:
    sep, linked = result.separate, result.linked

    def show(x: Any) -> str:
        return f"{x} ≈ {fmt_number(x)}"

    if result.effect == "lowers":
        return f"linkage lowers the accord's critical δ from {show(sep)} to {show(linked)}"
    if result.effect == "none":
        return f"linkage does not lower the accord's critical δ ({show(sep)})"
    if result.effect == "rescues":
        return (
            "only the linked accord is self-enforcing: separately, some issue never is; "
            f"linked critical δ {show(linked)}"
        )
    return "neither the separate nor the linked accord is self-enforcing at any δ < 1"
