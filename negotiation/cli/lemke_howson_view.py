"""Rendering of ``negotiation solve --method lemke-howson`` and the choice of method."""

from __future__ import annotations

from typing import Any

from negotiation.cli.render import fit_lines, fmt_number, to_csv, to_json, to_table
from negotiation.cli.views import Source, _equilibrium_json, _number, _strategy_text
from negotiation.games.enumeration_limits import (
    MAX_ENUMERATION_LABELS,
    estimated_seconds,
)
from negotiation.games.stage_game import StageGame

__all__ = ["AUTO_SECONDS", "choose_method", "lemke_howson_view"]

#: Estimated seconds of complete enumeration above which ``--method auto`` uses
#: Lemke-Howson and ``--method enumerate`` warns first.
AUTO_SECONDS = 30.0


def choose_method(game: StageGame, method: str) -> tuple[str, str | None]:
    """The method to run and an optional note for stderr.

    Examples
    --------
    >>> g = StageGame.from_payoffs([[1] * 30] * 30, [[1] * 30] * 30)
    >>> choose_method(g, "auto")[0]
    'lemke-howson'
    >>> choose_method(g, "enumerate")[1].startswith("a 30x30 game")
    True
    """
    m, n = game.shape
    seconds = estimated_seconds(m, n)
    too_big = m + n > MAX_ENUMERATION_LABELS
    if method == "auto":
        if too_big or seconds > AUTO_SECONDS:
            return "lemke-howson", (
                f"a {m}x{n} game is estimated to take {_duration(seconds)} to enumerate "
                f"completely: computing one equilibrium by Lemke-Howson instead"
            )
        return "enumerate", None
    if method == "enumerate" and not too_big and seconds > AUTO_SECONDS:
        return "enumerate", (
            f"a {m}x{n} game may take {_duration(seconds)} to enumerate completely (estimate "
            f"for random games; structured ones are faster); --method lemke-howson finds "
            f"one equilibrium in seconds"
        )
    return method, None


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"about {seconds:.0f} s"
    if seconds < 7200:
        return f"about {seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"about {seconds / 3600:.0f} hours"
    if seconds < 3e7:
        return f"about {seconds / 86400:.0f} days"
    return f"longer than anyone waits (about {seconds / 3.15e7:.0e} years)"


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
