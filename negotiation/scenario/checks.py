"""From YAML data to a validated :class:`Scenario`: structure, then meaning.

Structure is checked by the pydantic models in :mod:`negotiation.scenario.schema`;
then every name is resolved, every shape matched and every range checked here, and
the stage game of the baseline and of each assumption is evaluated once so that a
division by zero is reported now, with its line, rather than in the middle of a
sweep. All problems found are reported together.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from negotiation.errors import NegotiationError, Problem, ScenarioError, ScenarioErrors
from negotiation.limits import MAX_MOVES
from negotiation.scenario.expressions import ExpressionError, Expr, constant, parse_expression
from negotiation.scenario.model import (
    BASELINE,
    Assumption,
    Automaton,
    Parameter,
    Player,
    RepeatedSettings,
    Scenario,
    Value,
)
from negotiation.scenario.schema import ScenarioModel, StrategyModel
from negotiation.scenario.yaml_source import Located, Path

__all__ = ["BUILTIN_STRATEGIES", "build_scenario", "parse_strategy_name"]

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
_RESERVED = frozenset({"min", "max", "abs", "sqrt", "exp", "log"})
_STRATEGY = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)(?:\((.*)\))?$")
_ARG = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)\s*=\s*([^,=]+?)\s*$")


def parse_strategy_name(text: str) -> tuple[str, dict[str, str]]:
    """Split ``"k_period_punishment(k=2)"`` into its name and keyword arguments.

    Examples
    --------
    >>> parse_strategy_name("k_period_punishment(k=2)")
    ('k_period_punishment', {'k': '2'})
    >>> parse_strategy_name("grim_trigger")
    ('grim_trigger', {})
    """
    match = _STRATEGY.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a strategy name such as grim_trigger or k_period_punishment(k=2)")
    args: dict[str, str] = {}
    if match.group(2):
        for part in match.group(2).split(","):
            arg = _ARG.match(part)
            if arg is None:
                raise ValueError(f"{text!r}: arguments are written name=value, e.g. (k=2)")
            args[arg.group(1)] = arg.group(2)
    return match.group(1), args


class _Collector:
    def __init__(self, doc: Located) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def add(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.doc.file, tuple(path), self.doc.line(path), message))

    def expression(self, raw: Any, names: Iterable[str], path: Path) -> Expr | None:
        if not isinstance(raw, str):
            return constant(raw) if isinstance(raw, Fraction) else _float_constant(raw)
        try:
            return parse_expression(raw, names=frozenset(names))
        except ExpressionError as exc:
            self.add(path, f"in expression {raw!r}: {exc.message}")
            return None

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0))
            raise ScenarioErrors(self.problems)


def _float_constant(value: Any) -> Expr:
    return constant(Fraction(repr(float(value))))


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _pydantic_problems(doc: Located, error: ValidationError) -> list[Problem]:
    grouped: dict[Path, list[str]] = {}
    for item in error.errors():
        path: list[str | int] = []
        node = doc.data
        for part in item["loc"]:
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                path.append(part)
            elif item["type"] in ("missing", "extra_forbidden") and part == item["loc"][-1]:
                path.append(part)
        message = _message(item, doc, tuple(path))
        grouped.setdefault(tuple(path), [])
        if message not in grouped[tuple(path)]:
            grouped[tuple(path)].append(message)
    return [
        Problem(doc.file, p, doc.line(p), "; or ".join(msgs)) for p, msgs in grouped.items()
    ]


def _message(item: Any, doc: Located, path: Path) -> str:
    kind = item["type"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        parent = path[:-1]
        allowed = _allowed_fields(parent)
        hint = _suggest(str(path[-1]), allowed)
        listing = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown field {path[-1]!r}{hint}{listing}"
    if kind == "string_pattern_mismatch":
        return (
            f"{item.get('input')!r} is not a valid name: use letters, digits and underscores, "
            "starting with a letter"
        )
    if kind == "literal_error" and path == ("schema",):
        return f"unsupported format version {item.get('input')!r}: this version reads 'schema: 1'"
    msg = str(item["msg"]).removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else kind


def _allowed_fields(parent: Path) -> list[str]:
    from negotiation.scenario import schema as s

    shape = tuple(p if isinstance(p, str) else 0 for p in parent)
    models: dict[int, Any] = {0: s.ScenarioModel}
    by_shape = {
        ("players", 0): s.PlayerModel,
        ("repeated",): s.RepeatedModel,
    }
    model = by_shape.get(shape) or models.get(len(shape))
    if model is None and len(shape) == 2:
        model = {
            "parameters": s.ParameterModel,
            "assumptions": s.AssumptionModel,
            "strategies": s.StrategyModel,
        }.get(str(shape[0]))
    if model is None and len(shape) == 4 and shape[0] == "strategies" and shape[2] == "states":
        model = s.StateModel
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def build_scenario(doc: Located) -> Scenario:
    """Validate a YAML document and build the :class:`Scenario`.

    Parameters
    ----------
    doc : Located
        From :func:`negotiation.scenario.yaml_source.load_yaml`.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioErrors
        Every problem found, each with file, field path and line.

    Examples
    --------
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> text = "schema: 1\\nid: x\\ntitle: X\\nplayers: [{id: a}, {id: b}]\\nmoves: [c, d]\\n"
    >>> build_scenario(load_yaml(text, file="x.yaml"))
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioErrors: x.yaml:1: payoffs: give the payoffs, either as 'payoffs' (cells) or as 'matrices'
    """
    if not isinstance(doc.data, dict):
        raise doc.error((), "a scenario file must be a mapping of fields (schema, id, title, ...)")
    try:
        model = ScenarioModel.model_validate(doc.data)
    except ValidationError as exc:
        problems = _pydantic_problems(doc, exc)
        problems.sort(key=lambda p: p.line or 0)
        raise ScenarioErrors(problems) from None
    return _Builder(doc, model).build()


class _Builder:
    def __init__(self, doc: Located, model: ScenarioModel) -> None:
        self.doc = doc
        self.m = model
        self.c = _Collector(doc)

    def build(self) -> Scenario:
        players = self._players()
        moves = self._moves(players)
        params = self._parameters()
        derived = self._derived(params)
        names = set(params) | set(derived)
        payoffs, paths = self._payoffs(players, moves, names)
        repeated = self._repeated(moves, names)
        strategies = self._strategies(players, moves)
        if repeated is not None:
            self._strategy_names(repeated.strategies, strategies, moves)
        assumptions = self._assumptions(params)
        self.c.raise_if_any()
        scenario = Scenario(
            id=self.m.id,
            title=self.m.title,
            summary=self.m.summary or "",
            sources=tuple(self.m.sources),
            players=(players[0], players[1]),
            moves=(moves[0], moves[1]),
            parameters=params,
            derived=derived,
            payoffs=payoffs,
            repeated=repeated,
            strategies=strategies,
            assumptions=assumptions,
            file=self.doc.file,
            payoff_paths=paths,
            lines=self.doc.lines,
        )
        self._evaluate_all(scenario)
        self.c.raise_if_any()
        return scenario

    # ----------------------------------------------------------------- parts

    def _players(self) -> list[Player]:
        out = [Player(p.id, p.name or p.id) for p in self.m.players]
        if out[0].id == out[1].id:
            self.c.add(("players", 1, "id"), f"the two players have the same id {out[0].id!r}")
        return out

    def _moves(self, players: list[Player]) -> list[tuple[str, ...]]:
        raw = self.m.moves
        ids = [p.id for p in players]
        if isinstance(raw, list):
            lists: list[tuple[Path, list[str]]] = [(("moves",), raw), (("moves",), raw)]
        else:
            for key in raw:
                if key not in ids:
                    self.c.add(("moves", key), f"unknown player {key!r} (players: {', '.join(ids)}){_suggest(key, ids)}")
            missing = [p for p in ids if p not in raw]
            for p in missing:
                self.c.add(("moves",), f"no moves are listed for player {p!r}")
            lists = [(("moves", p), raw.get(p, [])) for p in ids]
        out = []
        for path, labels in lists:
            if not labels:
                self.c.add(path, "expected at least one move")
            if len(labels) > MAX_MOVES:
                self.c.add(path, f"{len(labels)} moves is too many: at most {MAX_MOVES} per player")
            dupes = sorted({x for x in labels if labels.count(x) > 1})
            if dupes:
                self.c.add(path, f"duplicate move labels: {', '.join(dupes)}")
            out.append(tuple(labels))
        return out

    def _parameters(self) -> dict[str, Parameter]:
        out = {}
        for name, p in self.m.parameters.items():
            path: Path = ("parameters", name)
            if name in _RESERVED:
                self.c.add(path, f"{name!r} is a function name and cannot be a parameter")
            lo, hi = p.min, p.max
            if lo is not None and hi is not None and lo > hi:
                self.c.add(path, f"min {_fmt(lo)} is larger than max {_fmt(hi)}")
            elif (lo is not None and p.value < lo) or (hi is not None and p.value > hi):
                self.c.add((*path, "value"), f"value {_fmt(p.value)} is outside [{_fmt(lo)}, {_fmt(hi)}]")
            out[name] = Parameter(name, p.value, lo, hi, p.unit, p.description)
        return out

    def _derived(self, params: dict[str, Parameter]) -> dict[str, Expr]:
        raw = self.m.derived
        names = set(params) | set(raw)
        parsed: dict[str, Expr] = {}
        for name, text in raw.items():
            path: Path = ("derived", name)
            if name in params:
                self.c.add(path, f"{name!r} is already a parameter")
                continue
            if name in _RESERVED:
                self.c.add(path, f"{name!r} is a function name and cannot be a derived name")
                continue
            expr = self.c.expression(text, names - {name}, path)
            if expr is not None:
                parsed[name] = expr
        ordered: dict[str, Expr] = {}
        pending = dict(parsed)
        while pending:
            ready = [k for k, e in pending.items() if not (e.names() & set(pending))]
            if not ready:
                cycle = ", ".join(sorted(pending))
                self.c.add(("derived",), f"derived names depend on each other in a cycle: {cycle}")
                break
            for k in ready:
                ordered[k] = pending.pop(k)
        return ordered

    def _payoffs(
        self, players: list[Player], moves: list[tuple[str, ...]], names: set[str]
    ) -> tuple[Any, Any]:
        rows, cols = moves
        m = self.m
        if (m.payoffs is None) == (m.matrices is None):
            what = "both 'payoffs' and 'matrices'" if m.payoffs is not None else "no payoffs"
            self.c.add(("payoffs",), f"give the payoffs, either as 'payoffs' (cells) or as 'matrices' (found {what})")
            return (), ()
        cells: list[list[tuple[Any, Any]]] = [[(None, None)] * len(cols) for _ in rows]
        paths: list[list[tuple[Path, Path]]] = [[((), ())] * len(cols) for _ in rows]
        if m.payoffs is not None:
            for r, line in m.payoffs.items():
                if r not in rows:
                    self.c.add(("payoffs", r), f"unknown move {r!r} for player {players[0].id!r} (moves: {', '.join(rows)}){_suggest(r, rows)}")
                    continue
                for cmove, cell in line.items():
                    if cmove not in cols:
                        self.c.add(("payoffs", r, cmove), f"unknown move {cmove!r} for player {players[1].id!r} (moves: {', '.join(cols)}){_suggest(cmove, cols)}")
                        continue
                    i, j = rows.index(r), cols.index(cmove)
                    pa, pb = ("payoffs", r, cmove, 0), ("payoffs", r, cmove, 1)
                    cells[i][j] = (self.c.expression(cell[0], names, pa), self.c.expression(cell[1], names, pb))
                    paths[i][j] = (pa, pb)
            missing = [f"{r}/{c}" for i, r in enumerate(rows) for j, c in enumerate(cols) if not paths[i][j][0]]
            if missing:
                shown = ", ".join(missing[:8]) + (" ..." if len(missing) > 8 else "")
                self.c.add(("payoffs",), f"missing payoff cells (row move/column move): {shown}")
        else:
            assert m.matrices is not None
            ids = [p.id for p in players]
            for key in m.matrices:
                if key not in ids:
                    self.c.add(("matrices", key), f"unknown player {key!r} (players: {', '.join(ids)})")
            for who, pid in enumerate(ids):
                mat = m.matrices.get(pid)
                if mat is None:
                    self.c.add(("matrices",), f"no payoff matrix for player {pid!r}")
                    continue
                if len(mat) != len(rows) or any(len(row) != len(cols) for row in mat):
                    shape = f"{len(mat)}x{'/'.join(sorted({str(len(r)) for r in mat})) or 0}"
                    self.c.add(("matrices", pid), f"expected a {len(rows)}x{len(cols)} matrix (one row per move of {ids[0]!r}, one column per move of {ids[1]!r}), got {shape}")
                    continue
                for i, row in enumerate(mat):
                    for j, raw in enumerate(row):
                        path: Path = ("matrices", pid, i, j)
                        expr = self.c.expression(raw, names, path)
                        a, b = cells[i][j]
                        cells[i][j] = (expr, b) if who == 0 else (a, expr)
                        pa, pb = paths[i][j]
                        paths[i][j] = (path, pb) if who == 0 else (pa, path)
        frozen = tuple(tuple(tuple(c) for c in row) for row in cells)
        return frozen, tuple(tuple(row) for row in paths)

    def _repeated(self, moves: list[tuple[str, ...]], names: set[str]) -> RepeatedSettings | None:
        r = self.m.repeated
        if r is None:
            return None
        for who, label in enumerate(r.target):
            if label not in moves[who]:
                self.c.add(("repeated", "target", who), f"unknown move {label!r} (moves: {', '.join(moves[who])}){_suggest(label, moves[who])}")
        discount = self.c.expression(r.discount, names, ("repeated", "discount"))
        noise = self.c.expression(r.noise, names, ("repeated", "noise"))
        return RepeatedSettings(
            discount=discount or constant(Fraction(0)),
            target=(r.target[0], r.target[1]),
            strategies=tuple(r.strategies),
            noise=noise or constant(Fraction(0)),
            rounds=r.rounds,
            runs=r.runs,
            seed=r.seed,
        )

    def _strategies(self, players: list[Player], moves: list[tuple[str, ...]]) -> dict[str, Automaton]:
        out = {}
        ids = [p.id for p in players]
        for name, spec in self.m.strategies.items():
            base: Path = ("strategies", name)
            if name in BUILTIN_STRATEGIES or name.startswith("always_"):
                self.c.add(base, f"{name!r} is the name of a built-in strategy; choose another")
                continue
            if spec.player is not None and spec.player not in ids:
                self.c.add((*base, "player"), f"unknown player {spec.player!r} (players: {', '.join(ids)})")
                continue
            own = set(moves[ids.index(spec.player)]) if spec.player else set(moves[0]) & set(moves[1])
            other = set(moves[1 - ids.index(spec.player)]) if spec.player else own
            if spec.player is None and set(moves[0]) != set(moves[1]):
                self.c.add(base, "the players have different moves: say which player this strategy is for with 'player:'")
                continue
            out[name] = self._automaton(name, spec, own, other, base)
        return out

    def _automaton(self, name: str, spec: StrategyModel, own: set[str], other: set[str], base: Path) -> Automaton:
        states = spec.states
        if spec.start not in states:
            self.c.add((*base, "start"), f"unknown state {spec.start!r} (states: {', '.join(states)})")
        trans: dict[str, tuple[tuple[str, str, str], ...]] = {}
        for sname, st in states.items():
            spath: Path = (*base, "states", sname)
            if st.play not in own:
                self.c.add((*spath, "play"), f"{st.play!r} is not a move of this player (moves: {', '.join(sorted(own))})")
            rules = []
            for key, target in st.next.items():
                kpath: Path = (*spath, "next", key)
                parts = [x.strip() for x in key.split(",")]
                if len(parts) != 2:
                    self.c.add(kpath, f"transition keys are 'own_move,other_move' (either may be *), got {key!r}")
                    continue
                if parts[0] != "*" and parts[0] not in own:
                    self.c.add(kpath, f"{parts[0]!r} is not a move of this player (moves: {', '.join(sorted(own))})")
                if parts[1] != "*" and parts[1] not in other:
                    self.c.add(kpath, f"{parts[1]!r} is not a move of the other player (moves: {', '.join(sorted(other))})")
                if target not in states:
                    self.c.add(kpath, f"unknown state {target!r} (states: {', '.join(states)})")
                rules.append((parts[0], parts[1], target))
            trans[sname] = tuple(rules)
        from types import MappingProxyType

        return Automaton(
            name=name,
            description=spec.description or "",
            player=spec.player,
            start=spec.start,
            plays=MappingProxyType({k: v.play for k, v in states.items()}),
            transitions=MappingProxyType(trans),
        )

    def _strategy_names(self, names: tuple[str, ...], custom: dict[str, Automaton], moves: list[tuple[str, ...]]) -> None:
        everyone = set(moves[0]) | set(moves[1])
        for k, text in enumerate(names):
            path: Path = ("repeated", "strategies", k)
            try:
                base, _args = parse_strategy_name(text)
            except ValueError as exc:
                self.c.add(path, str(exc))
                continue
            known = base in BUILTIN_STRATEGIES or base in custom or (
                base.startswith("always_") and base.removeprefix("always_") in everyone
            )
            if not known and base not in self.m.strategies:
                options = sorted(BUILTIN_STRATEGIES | set(custom) | {f"always_{x}" for x in everyone})
                self.c.add(path, f"unknown strategy {base!r}{_suggest(base, options)} (built-in: {', '.join(sorted(BUILTIN_STRATEGIES))}, always_<move>, or one declared under 'strategies')")

    def _assumptions(self, params: dict[str, Parameter]) -> dict[str, Assumption]:
        from types import MappingProxyType

        out = {BASELINE: Assumption(BASELINE, "Parameters at their declared values", MappingProxyType({}))}
        for name, a in self.m.assumptions.items():
            base: Path = ("assumptions", name)
            if name == BASELINE:
                self.c.add(base, "'baseline' is reserved for the declared parameter values")
                continue
            overrides: dict[str, Value] = {}
            for pname, raw in a.set.items():
                path: Path = (*base, "set", pname)
                if pname not in params:
                    self.c.add(path, f"unknown parameter {pname!r}{_suggest(pname, params)} (parameters: {', '.join(params) or 'none'})")
                    continue
                expr = self.c.expression(raw, (), path)
                if expr is None:
                    continue
                try:
                    value = expr.evaluate({})
                except ExpressionError as exc:
                    self.c.add(path, exc.message)
                    continue
                p = params[pname]
                if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
                    self.c.add(path, f"{pname} = {_fmt(value)} is outside its declared range [{_fmt(p.min)}, {_fmt(p.max)}]")
                overrides[pname] = value
            out[name] = Assumption(name, a.description or "", MappingProxyType(overrides))
        return out

    def _evaluate_all(self, scenario: Scenario) -> None:
        for name in scenario.assumptions:
            try:
                scenario.payoff_values(name)
                if scenario.repeated is not None:
                    _check_probability(scenario, name)
            except ScenarioError as exc:
                for p in exc.problems:
                    if p not in self.c.problems:
                        self.c.problems.append(p)
            except NegotiationError as exc:
                self.c.add(("assumptions", name), str(exc))


def _check_probability(scenario: Scenario, assumption: str) -> None:
    assert scenario.repeated is not None
    values = scenario.parameter_values(assumption)
    for field, expr, upper_open in (
        ("discount", scenario.repeated.discount, True),
        ("noise", scenario.repeated.noise, True),
    ):
        try:
            v = expr.evaluate(values)
        except ExpressionError as exc:
            raise scenario._fail(("repeated", field), f"cannot evaluate under {assumption!r}: {exc.message}") from None
        if not (0 <= v < 1) and upper_open:
            raise scenario._fail(("repeated", field), f"{field} must be in [0, 1), got {_fmt(v)} under {assumption!r}")


def _fmt(value: Value | None) -> str:
    if value is None:
        return "unbounded"
    if isinstance(value, Fraction):
        return str(value) if value.denominator != 1 else str(value.numerator)
    return repr(value)
