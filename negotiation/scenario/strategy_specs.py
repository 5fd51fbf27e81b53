"""Strategy names and custom automata in scenario files: parsing and validation.

The automata themselves are run by the repeated-game layer; here they are only
checked (states exist, moves belong to the player, keys are well formed) and frozen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from negotiation.errors import StrategyNameError, quote, shorten_list
from negotiation.limits import MAX_NUMBER_DIGITS, MAX_PUNISHMENT_ROUNDS
from negotiation.scenario.model import AutomatonSpec
from negotiation.scenario.problems import Collector, suggest
from negotiation.scenario.schema import StrategyModel
from negotiation.scenario.yaml_source import Path

__all__ = [
    "BUILTIN_STRATEGIES",
    "MAX_STRATEGY_NAME",
    "STRATEGY_ARGUMENTS",
    "check_strategy_arguments",
    "check_strategy_names",
    "custom_automata",
    "parse_strategy_name",
]

#: Longest strategy name, arguments included, in characters.
MAX_STRATEGY_NAME = 200

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
        "optimal_penal_code",
    }
)
#: The built-in strategies that take arguments: name -> argument -> what it is
#: (``"rounds"``: a whole number of rounds from 1 to MAX_PUNISHMENT_ROUNDS;
#: ``"probability"``: a decimal or a fraction a/b from 0 to 1). See
#: :mod:`negotiation.repeated.library`, which builds them.
STRATEGY_ARGUMENTS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "k_period_punishment": MappingProxyType({"k": "rounds"}),
        "generous_tit_for_tat": MappingProxyType({"q": "probability"}),
    }
)
_STRATEGY = re.compile(r"^([A-Za-z][A-Za-z0-9_+]*)(?:\((.*)\))?$")
_ARG = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([^,=\s](?:[^,=]*[^,=\s])?)\s*$")
_ROUNDS = re.compile(r"[0-9]{1,6}")
_PROBABILITY = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:/([0-9]+))?")


def parse_strategy_name(text: str) -> tuple[str, dict[str, str]]:
    """Split ``"k_period_punishment(k=2)"`` into its name and keyword arguments.

    Only the form is checked here (see :func:`check_strategy_arguments` for the
    values).

    Raises
    ------
    negotiation.errors.StrategyNameError
        (also a ``ValueError``) For text that is not ``name`` or
        ``name(arg=value, ...)``, longer than :data:`MAX_STRATEGY_NAME`, or naming an
        argument twice.

    Examples
    --------
    >>> parse_strategy_name("k_period_punishment(k=2)")
    ('k_period_punishment', {'k': '2'})
    >>> parse_strategy_name("grim_trigger")
    ('grim_trigger', {})
    >>> parse_strategy_name("always_hold+roll_back")  # a linked game's move
    ('always_hold+roll_back', {})
    """
    if not isinstance(text, str):
        raise StrategyNameError(f"a strategy name is text, got {type(text).__name__}")
    if len(text) > MAX_STRATEGY_NAME:
        raise StrategyNameError(
            f"{quote(text)} is too long for a strategy name: at most {MAX_STRATEGY_NAME}"
            " characters"
        )
    match = _STRATEGY.match(text.strip())
    if match is None:
        raise StrategyNameError(
            f"{quote(text)} is not a strategy name such as grim_trigger or"
            " k_period_punishment(k=2)"
        )
    args: dict[str, str] = {}
    if match.group(2):
        for part in match.group(2).split(","):
            arg = _ARG.match(part)
            if arg is None:
                raise StrategyNameError(
                    f"{quote(text)}: arguments are written name=value, e.g. (k=2)"
                )
            if arg.group(1) in args:
                raise StrategyNameError(
                    f"{quote(text)}: the argument {arg.group(1)} is given twice"
                )
            args[arg.group(1)] = arg.group(2)
    return match.group(1), args


def check_strategy_arguments(name: str, args: Mapping[str, str]) -> str | None:
    """What is wrong with the arguments of built-in strategy ``name``, or None.

    Every argument the strategy builders of :mod:`negotiation.repeated.library` would
    refuse later is refused here: unknown names, values of the wrong form or out of
    range.

    Parameters
    ----------
    name : str
        A built-in strategy name (``always_<move>`` included), without arguments.
    args : mapping of str to str
        From :func:`parse_strategy_name`.

    Returns
    -------
    str or None
        The problem, in one sentence.

    Examples
    --------
    >>> check_strategy_arguments("k_period_punishment", {"k": "3"}) is None
    True
    >>> check_strategy_arguments("k_period_punishment", {"k": "0"})
    'k_period_punishment needs k to be a whole number from 1 to 50, got k=0'
    >>> check_strategy_arguments("grim_trigger", {"k": "2"})
    'grim_trigger takes no arguments'
    >>> check_strategy_arguments("generous_tit_for_tat", {"q": "1/4"}) is None
    True
    """
    accepted = STRATEGY_ARGUMENTS.get(name, {})
    for key, value in args.items():
        if key not in accepted:
            if not accepted:
                return f"{name} takes no arguments"
            return (
                f"{name} takes the argument{'s' * (len(accepted) > 1)} "
                f"{', '.join(accepted)}, not {quote(key)}"
            )
        if accepted[key] == "rounds":
            k = int(value) if _ROUNDS.fullmatch(value) else None
            if k is None or not 1 <= k <= MAX_PUNISHMENT_ROUNDS:
                return (
                    f"{name} needs {key} to be a whole number from 1 to "
                    f"{MAX_PUNISHMENT_ROUNDS}, got {key}={shorten_list([value])}"
                )
        else:
            problem = _probability_problem(value)
            if problem is not None:
                return f"{name} needs {key} to be {problem}, got {key}={shorten_list([value])}"
    return None


def _probability_problem(value: str) -> str | None:
    wanted = "a probability from 0 to 1 written as a decimal or a fraction a/b"
    m = _PROBABILITY.fullmatch(value)
    if m is None or any(
        sum(c.isdigit() for c in part or "") > MAX_NUMBER_DIGITS for part in m.groups()
    ):
        return wanted
    if m.group(2) is not None and int(m.group(2)) == 0:
        return f"{wanted} (the denominator is 0)"
    q = Fraction(value)
    return None if 0 <= q <= 1 else wanted


def _listing(items: set[str] | Mapping[str, object]) -> str:
    return shorten_list(sorted(items), len(BUILTIN_STRATEGIES))


def custom_automata(
    c: Collector,
    specs: Mapping[str, StrategyModel],
    ids: list[str],
    moves: list[tuple[str, ...]],
) -> dict[str, AutomatonSpec]:
    """Validate the file's ``strategies:`` section and freeze each automaton.

    Problems are added to the collector; invalid strategies are left out.
    """
    out = {}
    for name, spec in specs.items():
        base: Path = ("strategies", name)
        if name in BUILTIN_STRATEGIES or name.startswith("always_"):
            c.add(base, f"{quote(name)} is the name of a built-in strategy; choose another")
            continue
        if spec.player is not None and spec.player not in ids:
            c.add(
                (*base, "player"),
                f"unknown player {quote(spec.player)} (players: {shorten_list(ids)})",
            )
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
) -> AutomatonSpec:
    states = spec.states
    if spec.start not in states:
        c.add((*base, "start"), f"unknown state {quote(spec.start)} (states: {_listing(states)})")
    trans: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for sname, st in states.items():
        spath: Path = (*base, "states", sname)
        if st.play not in own:
            c.add(
                (*spath, "play"),
                f"{quote(st.play)} is not a move of this player ({_listing(own)})",
            )
        rules = []
        for key, target in st.next.items():
            kpath: Path = (*spath, "next", key)
            parts = [x.strip() for x in key.split(",")]
            if len(parts) != 2:
                c.add(kpath, f"keys are 'own_move,other_move' (either may be *), got {quote(key)}")
                continue
            if parts[0] != "*" and parts[0] not in own:
                c.add(kpath, f"{quote(parts[0])} is not a move of this player ({_listing(own)})")
            if parts[1] != "*" and parts[1] not in other:
                c.add(
                    kpath,
                    f"{quote(parts[1])} is not a move of the other player ({_listing(other)})",
                )
            if target not in states:
                c.add(kpath, f"unknown state {quote(target)} (states: {_listing(states)})")
            rules.append((parts[0], parts[1], target))
        trans[sname] = tuple(rules)
    return AutomatonSpec(
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
    """Check every name in ``repeated.strategies``: built in or declared, with arguments
    that the strategy accepts, and playable by both players (each strategy listed there
    is analysed against itself).

    Examples
    --------
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> c = Collector(load_yaml("repeated: {}", file="x.yaml"))
    >>> check_strategy_names(c, ("k_period_punishment(k=10**9)",), {}, [("c", "d")] * 2)
    >>> print(c.problems[0].message)
    k_period_punishment needs k to be a whole number from 1 to 50, got k=10**9
    """
    everyone = set(moves[0]) | set(moves[1])
    always = {f"always_{x}" for x in everyone}
    for k, text in enumerate(names):
        path: Path = ("repeated", "strategies", k)
        try:
            base, args = parse_strategy_name(text)
        except StrategyNameError as exc:
            c.add(path, str(exc))
            continue
        if base in custom:
            player = getattr(custom[base], "player", None)
            if args:
                c.add(path, f"the custom strategy {quote(base)} takes no arguments")
            elif player is not None:
                c.add(
                    path,
                    f"the strategy {quote(base)} is declared for player {quote(player)} only, "
                    "but each strategy listed here is played by both players: drop its "
                    "'player:' or analyse it in a --pair",
                )
            continue
        if base in BUILTIN_STRATEGIES or base in always:
            problem = check_strategy_arguments(base, args)
            if problem is not None:
                c.add(path, problem)
            continue
        hint = suggest(base, sorted(BUILTIN_STRATEGIES | set(custom) | always))
        c.add(
            path,
            f"unknown strategy {quote(base)}{hint} (built-in: "
            f"{_listing(set(BUILTIN_STRATEGIES))}, always_<move>, or one declared under "
            "'strategies')",
        )
