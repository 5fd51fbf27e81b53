"""Rendering of ``negotiation solve --method lemke-howson``."""

from __future__ import annotations

from typing import Any

from negotiation.cli.render import fit_lines, fmt_number, to_csv, to_json, to_table
from negotiation.cli.views import Source, _equilibrium_json, _number, _strategy_text

__all__ = ["lemke_howson_view"]


def lemke_howson_view(
    source: Source, *, exact: bool, fmt: str, label: int | None, width: int | None = None
) -> str:
    """Render ``negotiation solve --method lemke-howson``."""
    from negotiation.games.lemke_howson import lemke_howson

    game = source.game
    if exact:
        game.require_exact()
    res = lemke_howson(game, label)
    e = res.equilibrium
    labels = [f"{game.players[0]}:{mv}" for mv in game.row_moves]
    labels += [f"{game.players[1]}:{mv}" for mv in game.col_moves]
    if fmt == "json":
        out: dict[str, Any] = {
            "scenario": source.id,
            "assumption": source.assumption,
            "method": "lemke-howson",
            "players": list(game.players),
            "moves": {k: list(v) for k, v in game.moves.items()},
            "start_label": labels[res.label],
            "pivots": res.pivots,
            "certified": "exact",
            "equilibria": [_equilibrium_json(e, game, exact)],
        }
        return to_json(out)
    if fmt == "csv":
        rows = []
        for who, (moves, probs) in enumerate(((game.row_moves, e.row), (game.col_moves, e.col))):
            for move, p in zip(moves, probs):
                rows.append(
                    [
                        1,
                        e.kind,
                        game.players[who],
                        move,
                        _number(p, exact),
                        _number(e.payoffs[who], exact),
                    ]
                )
        return to_csv(["equilibrium", "kind", "player", "move", "probability", "payoff"], rows)
    head = source.title or source.id
    if source.assumption is not None:
        head += f" — assumption: {source.assumption_text}"
    m, n = game.shape
    lines = [
        head,
        f"row player {game.players[0]}, column player {game.players[1]}; {m}x{n} game",
        f"one equilibrium by Lemke-Howson (missing label {labels[res.label]}, "
        f"{res.pivots} pivots), certified exactly (rational arithmetic)",
        "",
        to_table(
            [
                "#",
                "kind",
                game.players[0],
                game.players[1],
                f"payoff {game.players[0]}",
                f"payoff {game.players[1]}",
            ],
            [
                [
                    1,
                    e.kind,
                    _strategy_text(game.row_moves, e.row, exact),
                    _strategy_text(game.col_moves, e.col, exact),
                    fmt_number(e.payoffs[0], exact=exact),
                    fmt_number(e.payoffs[1], exact=exact),
                ]
            ],
            width,
            key=2,
        ),
    ]
    return fit_lines("\n".join(lines), width)
