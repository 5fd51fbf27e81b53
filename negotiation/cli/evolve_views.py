"""What ``negotiation evolve`` and ``negotiation tournament`` print, in each format."""

from __future__ import annotations

from typing import Any

from negotiation.cli.render import fit_lines, fmt_number, to_csv, to_json, to_table
from negotiation.scenario.discounts import discount_text

__all__ = ["evolve_view", "tournament_view"]


def _fit(width: int | None, header: Any, rows: Any) -> str:
    return to_table(header, rows, width)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def evolve_view(result: Any, fmt: str, title: str, width: int | None = None) -> str:
    """The :class:`~negotiation.analysis.evolution.Evolution` as text, JSON or CSV
    (CSV: one row per basin)."""
    b, t, sel, st = result.basins, result.trajectory, result.selection, result.stability
    if fmt == "json":
        return to_json(result.to_dict())
    header = ["method", "outcome", "starts", "share", "detente"]
    rows = [[b.method, s.label, s.count, f"{s.share:.6g}", s.detente] for s in b.shares]
    if fmt == "csv":
        return to_csv(header, rows)
    g = result.game
    kind = "one population" if b.single_population else "two populations"
    out = [
        title,
        f"dynamics: {b.method} ({kind}), grid {b.grid} ({b.starts} starts), "
        f"{b.steps} steps, seed {b.seed}",
        "",
        "basins of attraction (share of starts reaching each stage equilibrium)",
        _fit(
            width,
            ["outcome", "starts", "share"],
            [
                [s.label + (" (détente)" if s.detente else ""), s.count, _pct(s.share)]
                for s in b.shares
            ],
        ),
    ]
    if result.detente is not None:
        d = result.detente
        out.append(
            f"détente ({g.row_moves[d[0]]}, {g.col_moves[d[1]]}): basin {_pct(b.detente_share)}"
        )
    reached = "none" if t.reached is None else b.shares[t.reached].label
    end = "; ".join(
        ", ".join(f"{m} {v:.3f}" for m, v in zip(moves, point))
        for moves, point in ((g.row_moves, t.row[-1]), (g.col_moves, t.col[-1]))
    )
    begin = "; ".join(", ".join(f"{v:.3g}" for v in s) for s in t.start)
    out += ["", f"trajectory from ({begin}): ends at ({end}), reaches {reached}", ""]
    out.append("equilibrium selection (strict pure equilibria)")
    if len(sel.strict) < 2:
        names = ", ".join(f"({a}, {c})" for a, c in sel.labels) or "none"
        out.append(f"strict equilibria: {names}; nothing to select between")
    else:
        rows = [
            [
                f"({c.labels[0][0]}, {c.labels[0][1]})",
                f"({c.labels[1][0]}, {c.labels[1][1]})",
                fmt_number(c.first_product, exact=True),
                fmt_number(c.second_product, exact=True),
                "tie"
                if c.dominant is None
                else "({}, {})".format(*dict(zip((c.first, c.second), c.labels))[c.dominant]),
            ]
            for c in sel.comparisons
        ]
        out.append(
            _fit(
                width,
                ["first", "second", "loss product 1", "loss product 2", "risk-dominant"],
                rows,
            )
        )

        def name(p: Any) -> str:
            lab = sel.label(p)
            return "none" if lab is None else f"({lab[0]}, {lab[1]})"

        out.append(
            f"risk-dominant: {name(sel.risk_dominant)}; payoff-dominant: "
            f"{name(sel.payoff_dominant)}" + ("  (they disagree)" if sel.disagree else "")
        )
    kind = "one population" if st.single_population else "two populations"
    rate = "" if st.mistake_rate is None else f", mass at ε = {fmt_number(st.mistake_rate)}"
    out += [
        "",
        f"stochastic stability (best reply with mistakes, {kind} of {st.population}, "
        f"{st.states} states)",
        _fit(
            width,
            ["recurrent class", "potential", "stable"] + (["mass"] if rate else []),
            [
                [c.label, c.potential, "yes" if k in st.stable else "no"]
                + ([fmt_number(c.mass, digits=6)] if rate else [])
                for k, c in enumerate(st.classes)
            ],
        ),
        "stochastically stable: " + ", ".join(st.classes[k].label for k in st.stable) + rate,
    ]
    return fit_lines("\n".join(out), width)


def tournament_view(result: Any, fmt: str, title: str, width: int | None = None) -> str:
    """The :class:`~negotiation.analysis.tournament.Tournament` as a ranking table, JSON
    or CSV (CSV: one row per match)."""
    if fmt == "json":
        return to_json(result.to_dict())
    names = result.entrants
    if fmt == "csv":
        header = ["row", "column", "payoff_row", "payoff_column", "detente_share"]
        rows = [
            [names[i], names[j], float(p[0]), float(p[1]), float(result.detente_shares[i][j])]
            for i, row in enumerate(result.payoffs)
            for j, p in enumerate(row)
        ]
        return to_csv(header, rows)
    what = (
        "discounted payoff at δ = " + discount_text(result.discount, result.players, fmt_number)
        if (result.score == "discounted")
        else "long-run average payoff"
    )
    out = [
        title,
        f"{len(names)} strategies, each against each in both roles; score: {what}; "
        f"noise ε = {fmt_number(result.noise)}; exact: {'yes' if result.exact else 'no'}",
        "",
    ]
    share = {}
    if result.evolution is not None:
        share = dict(enumerate(result.evolution.shares))
    rows = [
        [r + 1, names[k], fmt_number(result.scores[k], digits=6)]
        + ([_pct(share[k])] if share else [])
        for r, k in enumerate(result.ranking)
    ]
    header = ["rank", "strategy", "score"] + (["replicator share"] if share else [])
    out.append(_fit(width, header, rows))
    if result.evolution is not None:
        ev = result.evolution
        out.append(
            f"replicator dynamics on the score matrix (time {ev.horizon:g}): "
            + (", ".join(names[k] for k in ev.survivors) or "none")
            + " keep at least 1%"
        )
    for name, reason in result.skipped:
        out.append(f"skipped {name}: {reason}")
    return fit_lines("\n".join(out), width)
