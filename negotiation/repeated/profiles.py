"""Turning strategy names (built-in or declared in a scenario file) into automata."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from negotiation.errors import GameError
from negotiation.games.stage_game import StageGame
from negotiation.repeated.automaton import Automaton, automaton_from_rule
from negotiation.repeated.library import build_strategy, context_for
from negotiation.scenario.model import AutomatonSpec
from negotiation.scenario.strategy_specs import parse_strategy_name

__all__ = ["automaton_from_spec", "resolve_pairs", "strategy_for"]


def automaton_from_spec(spec: AutomatonSpec, game: StageGame, player: int) -> Automaton:
    """The automaton of a custom strategy declared under ``strategies:`` in a file.

    Transitions take the first rule (in file order) whose own and other move match the
    realised profile (``*`` matches anything); with none the state is kept.
    """
    ids = game.players
    if spec.player is not None and spec.player != ids[player]:
        raise GameError(f"strategy {spec.name!r} is declared for player {spec.player!r} only")
    own_labels = (game.row_moves, game.col_moves)[player]
    other_labels = (game.row_moves, game.col_moves)[1 - player]
    states = list(spec.plays)
    play = [own_labels.index(spec.plays[s]) for s in states]

    def rule(s: int, a: int, b: int) -> int:
        for own, other, target in spec.transitions[states[s]]:
            if own in ("*", own_labels[a]) and other in ("*", other_labels[b]):
                return states.index(target)
        return s

    return automaton_from_rule(
        spec.name, states, play, states.index(spec.start), len(own_labels), len(other_labels), rule
    )


def strategy_for(
    text: str,
    game: StageGame,
    player: int | str,
    target: tuple[int, int] | tuple[str, str],
    *,
    custom: Mapping[str, AutomatonSpec] | None = None,
    punishment: str = "nash",
    punish: Any = None,
) -> Automaton:
    """The automaton named by ``text`` for one player: the one way to build a strategy.

    Parameters
    ----------
    text : str
        A built-in strategy (``"grim_trigger"``, ``"k_period_punishment(k=3)"``,
        ``"always_<move>"``; see :func:`negotiation.strategy_names`) or the name of a
        custom strategy in ``custom``.
    game : StageGame
    player : int or str
        0 / 1 (row / column) or the player's id.
    target : (int, int) or (str, str)
        The détente profile, as move indices or move labels (row first).
    custom : mapping of str to AutomatonSpec, optional
        A scenario's ``strategies:`` (``scenario.strategies``).
    punishment : {"nash", "nash-any", "minmax"}
        The default punishment of the built-in strategies (see ``repeated.punishment``
        in the scenario format).
    punish : pair of profiles, optional
        Explicit punishments instead: ``punish[k]`` is played after a deviation by
        player ``k``, as move indices ``(row, column)`` or, for grim trigger and
        k-period punishment, mixed ``(row probabilities, column probabilities)``.

    Examples
    --------
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                             row_moves=["C", "D"], col_moves=["C", "D"])
    >>> strategy_for("k_period_punishment(k=3)", pd, 1, (0, 0)).name
    'k_period_punishment(k=3)'
    >>> strategy_for("grim_trigger", pd, "2", ("C", "C")).size
    3
    """
    who = _player_index(game, player)
    goal = _target_indices(game, target)
    try:
        name, args = parse_strategy_name(text)
    except ValueError as exc:
        raise GameError(str(exc)) from None
    if custom and name in custom:
        if args:
            raise GameError(f"custom strategy {name!r} takes no arguments")
        return automaton_from_spec(custom[name], game, who)
    ctx = context_for(game, who, goal, punish, punishment=punishment)
    return build_strategy(name, ctx, **args)


def _player_index(game: StageGame, player: int | str) -> int:
    if isinstance(player, str):
        if player not in game.players:
            raise GameError(f"unknown player {player!r} (players: {', '.join(game.players)})")
        return game.players.index(player)
    if isinstance(player, bool) or player not in (0, 1):
        raise GameError(f"the player must be 0 (row), 1 (column) or a player id, got {player!r}")
    return int(player)


def _target_indices(game: StageGame, target: Sequence[int | str]) -> tuple[int, int]:
    if len(target) != 2:
        raise GameError(f"the target must be a (row move, column move) pair, got {target!r}")
    out = []
    for labels, move in zip((game.row_moves, game.col_moves), target):
        if isinstance(move, str):
            if move not in labels:
                raise GameError(f"unknown move {move!r} (moves: {', '.join(labels)})")
            out.append(labels.index(move))
        elif isinstance(move, bool) or not 0 <= int(move) < len(labels) or move != int(move):
            raise GameError(f"move index {move!r} out of range for {len(labels)} moves")
        else:
            out.append(int(move))
    return out[0], out[1]


def resolve_pairs(
    game: StageGame,
    target: tuple[int, int],
    *,
    strategies: Sequence[str] = (),
    pairs: Sequence[tuple[str, str]] = (),
    custom: Mapping[str, AutomatonSpec] | None = None,
    punishment: str = "nash",
) -> list[tuple[tuple[str, str], Automaton, Automaton]]:
    """Strategy profiles to analyse: each of ``strategies`` against itself, then ``pairs``.

    Returns
    -------
    list of ((row name, column name), row automaton, column automaton)
    """
    wanted = [(s, s) for s in strategies] + [tuple(p) for p in pairs]
    if not wanted:
        raise GameError(
            "no strategies to analyse: list them under repeated.strategies or pass one"
        )
    out = []
    for r, c in wanted:
        out.append(
            (
                (r, c),
                strategy_for(r, game, 0, target, custom=custom, punishment=punishment),
                strategy_for(c, game, 1, target, custom=custom, punishment=punishment),
            )
        )
    return out
