"""Strategy names and custom automata in scenario files: parsing and validation.

The automata themselves are run by the repeated-game layer; here they are only
checked (states exist, moves belong to the player, keys are well formed) and frozen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from negotiation.scenario.model import Automaton
from negotiation.scenario.problems import Collector, suggest
from negotiation.scenario.schema import StrategyModel
from negotiation.scenario.yaml_source import Path

__all__ = ["BUILTIN_STRATEGIES", "check_strategy_names", "custom_automata", "parse_strategy_name"]

#: Built-in strategy names (``always_<move>`` is accepted for every move).
BUILTIN_STRATEGIES = frozenset(
    {
        "grim_trigger",
        "k_period_punishment",
        "tit_for_tat",
        "suspicious_tit_for_tat",
        "tit_for_two_tats",
        "generous_tit_for_tat",
        "win_stay_lose_shift",
        "contrite_tit_for_tat",
        "stick_and_carrot",
    }
)
_STRATEGY = re.compile(r"^([A-Za-z][A-Za-z0-9_+]*)(?:\((.*)\))?$")
_ARG = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([^,=]+?)\s*$")


def parse_strategy_name(text: str) -> tuple[str, dict[str, str]]:
    """Split ``"k_period_punishment(k=2)"`` into its name and keyword arguments.

    Examples
    --------
    >>> parse_strategy_name("k_period_punishment(k=2)")
    ('k_period_punishment', {'k': '2'})
    >>> parse_strategy_name("grim_trigger")
    ('grim_trigger', {})
    >>> parse_strategy_name("always_hold+roll_back")  # a linked game's move
    ('always_hold+roll_back', {})
    """
    match = _STRATEGY.match(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r} is not a strategy name such as grim_trigger or k_period_punishment(k=2)"
        )
    args: dict[str, str] = {}
    if match.group(2):
        for part in match.group(2).split(","):
            arg = _ARG.match(part)
            if arg is None:
                raise ValueError(f"{text!r}: arguments are written name=value, e.g. (k=2)")
            args[arg.group(1)] = arg.group(2)
    return match.group(1), args


def _listing(items: set[str] | Mapping[str, object]) -> str:
    return ", ".join(sorted(items))


def custom_automata(
    c: Collector,
    specs: Mapping[str, StrategyModel],
    ids: list[str],
    moves: list[tuple[str, ...]],
) -> dict[str, Automaton]:
    """Validate the file's ``strategies:`` section and freeze each automaton.

    Problems are added to the collector; invalid strategies are left out.
    """
    out = {}
    for name, spec in specs.items():
        base: Path = ("strategies", name)
        if name in BUILTIN_STRATEGIES or name.startswith("always_"):
            c.add(base, f"{name!r} is the name of a built-in strategy; choose another")
            continue
        if spec.player is not None and spec.player not in ids:
            c.add((*base, "player"), f"unknown player {spec.player!r} (players: {', '.join(ids)})")
            continue
        if spec.player is None and set(moves[0]) != set(moves[1]):
            c.add(base, "the players' moves differ: say whose strategy this is with 'player:'")
            continue
        who = ids.index(spec.player) if spec.player else 0
        own, other = set(moves[who]), set(moves[1 - who])
        out[name] = _automaton(c, name, spec, own, other, base)
    return out


def _automaton(
    c: Collector, name: str, spec: StrategyModel, own: set[str], other: set[str], base: Path
) -> Automaton:
    states = spec.states
    if spec.start not in states:
        c.add((*base, "start"), f"unknown state {spec.start!r} (states: {_listing(states)})")
    trans: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for sname, st in states.items():
        spath: Path = (*base, "states", sname)
        if st.play not in own:
            c.add((*spath, "play"), f"{st.play!r} is not a move of this player ({_listing(own)})")
        rules = []
        for key, target in st.next.items():
            kpath: Path = (*spath, "next", key)
            parts = [x.strip() for x in key.split(",")]
            if len(parts) != 2:
                c.add(kpath, f"keys are 'own_move,other_move' (either may be *), got {key!r}")
                continue
            if parts[0] != "*" and parts[0] not in own:
                c.add(kpath, f"{parts[0]!r} is not a move of this player ({_listing(own)})")
            if parts[1] != "*" and parts[1] not in other:
                c.add(kpath, f"{parts[1]!r} is not a move of the other player ({_listing(other)})")
            if target not in states:
                c.add(kpath, f"unknown state {target!r} (states: {_listing(states)})")
            rules.append((parts[0], parts[1], target))
        trans[sname] = tuple(rules)
    return Automaton(
        name=name,
        description=spec.description or "",
        player=spec.player,
        start=spec.start,
        plays=MappingProxyType({k: v.play for k, v in states.items()}),
        transitions=MappingProxyType(trans),
    )


def check_strategy_names(
    c: Collector,
    names: tuple[str, ...],
    custom: Mapping[str, object],
    moves: list[tuple[str, ...]],
) -> None:
    """Check that every name in ``repeated.strategies`` is built in or declared."""
    everyone = set(moves[0]) | set(moves[1])
    always = {f"always_{x}" for x in everyone}
    for k, text in enumerate(names):
        path: Path = ("repeated", "strategies", k)
        try:
            base, _args = parse_strategy_name(text)
        except ValueError as exc:
            c.add(path, str(exc))
            continue
        if base in BUILTIN_STRATEGIES or base in custom or base in always:
            continue
        hint = suggest(base, sorted(BUILTIN_STRATEGIES | set(custom) | always))
        c.add(
            path,
            f"unknown strategy {base!r}{hint} (built-in: {_listing(set(BUILTIN_STRATEGIES))}, "
            "always_<move>, or one declared under 'strategies')",
        )
