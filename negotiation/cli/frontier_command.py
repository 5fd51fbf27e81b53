"""``negotiation frontier``: what the repeated game can sustain at all."""

from __future__ import annotations

from typing import Any

import click

from negotiation.cli.main import (
    _check_plot,
    _parse_sets,
    _wrote,
    echo,
    format_option,
    main,
    plot_option,
    scenario_options,
)

__all__ = ["frontier", "frontier_view"]


def frontier_view(result: Any, fmt: str, width: int | None = None) -> str:
    """The frontier as a table or JSON text."""
    from negotiation.cli.render import fit_lines, to_json, to_table
    from negotiation.numbers import decimal_text, exact_text

    d = result.to_dict()
    if fmt == "json":
        return to_json(d)
    ids = result.game.players

    def points(vs: list[list[Any]]) -> str:
        return "  ".join(f"({x}, {y})" for x, y in vs) or "(empty)"

    def num(v: Any) -> str:
        if v is None:
            return "-"
        return v if isinstance(v, str) else decimal_text(v, 6)

    spe = d["spe_payoffs"]
    code = result.penal_code
    lines = [
        f"{result.scenario} ({result.assumption}): target ({', '.join(d['target'])}), "
        f"payoff ({', '.join(num(v) for v in d['target_payoff'].values())}), "
        f"δ = {', '.join(f'{p} {num(v)}' for p, v in d['discount'].items())}",
        "",
        f"{'feasible set:':<26}{points(d['feasible'])}",
        f"{'individually rational:':<26}{points(d['individually_rational'])}",
        f"{'subgame perfect (' + ('exact' if spe['exact'] else 'outer') + '):':<26}"
        + points([[num(x), num(y)] for x, y in spe["vertices"]]),
    ]
    if not spe["exact"]:
        inner = points([[num(x), num(y)] for x, y in spe["inner"]])
        lines.append(f"{'subgame perfect (inner):':<26}{inner}")
        tol = spe["tolerance"]
        lines.append(f"{'tolerance:':<26}{'-' if tol is None else f'{tol:.3g}'}")
    lines.append(f"{'method:':<26}{spe['method']} ({spe['iterations']} iterations)")
    lines.append("")
    rows = []
    for k, p in enumerate(ids):
        rows.append(
            [
                p,
                num(d["minmax"][p]),
                num(d["pure_minmax"][p]),
                num(d["worst_spe"][p]),
                exact_text(code.critical[k], none="never"),
                exact_text(code.lower_bound[k], none="never"),
                "yes" if code.optimal[k] else "no",
                exact_text(code.grim_critical[k], none="never"),
                code.punishments[k].describe(result.game),
            ]
        )
    lines.append(
        to_table(
            [
                "player",
                "minmax",
                "pure minmax",
                "worst SPE",
                "δ* code",
                "δ bound",
                "optimal",
                "δ* grim",
                "punishment after own deviation",
            ],
            rows,
            width,
        )
    )
    lines.append("")
    lines.append(
        "The penal code is the strategy optimal_penal_code (stability, simulate, compare)."
    )
    return fit_lines("\n".join(lines), width)


@click.command("frontier")
@click.argument("file")
@scenario_options
@plot_option
@format_option("table", "json")
def frontier(
    file: str,
    assumption: str,
    sets: tuple[str, ...],
    plot_path: str | None,
    plot_style: dict[str, Any],
    fmt: str,
    width: int | None,
) -> None:
    """What can be sustained at all: payoff sets, worst punishments, optimal penal code.

    The feasible and individually rational payoffs (exact vertices, pure and mixed
    minmax), the subgame-perfect payoff set at the scenario's δ (perfect monitoring,
    public randomisation; exact when the iteration ends, else an inner and an outer
    approximation), each player's worst subgame-perfect payoff, and the lowest δ at
    which the target is sustained by the best simple penal code found, next to grim
    trigger's (Abreu, Pearce & Stacchetti 1990; Abreu 1988).
    """
    from negotiation.analysis.frontier import frontier as run_frontier
    from negotiation.scenario import load_scenario

    _check_plot(plot_path)
    result = run_frontier(load_scenario(file), assumption, _parse_sets(sets))
    echo(frontier_view(result, fmt, width))
    if plot_path:
        from negotiation.analysis.plots.frontier import plot_frontier

        _wrote(plot_frontier(result, plot_path, **plot_style))


main.add_command(frontier)
