"""From YAML data to a validated :class:`Scenario`: structure, then meaning.

Structure is checked by the pydantic models in :mod:`negotiation.scenario.schema`;
then every name is resolved, every shape matched and every range checked here, and
the stage game of the baseline and of each assumption is evaluated once so that a
division by zero is reported now, with its line, rather than in the middle of a
sweep. All problems found are reported together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction
from typing import Any, cast

from pydantic import ValidationError

from negotiation.errors import (
    NegotiationError,
    Problem,
    ScenarioError,
    ScenarioErrors,
    quote,
    shorten_list,
    show_number,
)
from negotiation.limits import MAX_MOVES
from negotiation.scenario.expressions import (
    Expr,
    ExpressionError,
    WorkBudget,
    constant,
    work_budget,
)
from negotiation.scenario.history import check_history
from negotiation.scenario.issues import (
    PrefixedCollector,
    check_issue,
    combined_target,
    issue_payoff_values,
    link_issues,
)
from negotiation.scenario.model import (
    BASELINE,
    MAX_PARAMETER_BITS,
    Assumption,
    Issue,
    Parameter,
    Player,
    RepeatedSettings,
    Scenario,
    Value,
)
from negotiation.scenario.move_grids import (
    GridError,
    MoveGrid,
    bind_levels,
    grid_labels,
    grid_values,
)
from negotiation.scenario.priors import Prior, check_prior
from negotiation.scenario.problems import Collector, pydantic_problems, unknown
from negotiation.scenario.schema import MoveGridModel, ScenarioModel
from negotiation.scenario.strategy_specs import (
    BUILTIN_STRATEGIES,
    check_strategy_names,
    custom_automata,
    parse_strategy_name,
)
from negotiation.scenario.yaml_source import Located, Path

__all__ = ["build_scenario"]

_RESERVED = frozenset({"min", "max", "abs", "sqrt", "exp", "log"})
#: Most work the checks may spend evaluating the file's expressions under all its
#: assumptions, in the units of :func:`~negotiation.scenario.expressions.work_budget`
#: (about five seconds): a file of a few kilobytes could otherwise keep them busy for
#: hours with exact values of thousands of digits.
MAX_CHECK_WORK = 5 * 10**9
_MISSING = "this required field is missing"


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
    negotiation.errors.ScenarioErrors: x.yaml:1: payoffs: no payoffs: give them as ...
    """
    if not isinstance(doc.data, dict):
        raise doc.error((), "a scenario file must be a mapping of fields (schema, id, title, ...)")
    try:
        model = ScenarioModel.model_validate(doc.data)
    except ValidationError as exc:
        problems, omitted = pydantic_problems(doc, exc)
        problems.sort(key=lambda p: p.line or 0)
        raise ScenarioErrors(problems, omitted) from None
    if model.moves is None and model.issues is None:
        raise ScenarioErrors([Problem(doc.file, ("moves",), doc.line(("moves",)), _MISSING)])
    return _Builder(doc, model).build()


class _Builder:
    def __init__(self, doc: Located, model: ScenarioModel) -> None:
        self.doc = doc
        self.m = model
        self.c = Collector(doc)
        self.budget: WorkBudget | None = None
        # (A, B) of each assumption, as evaluated by _evaluate_all: the later checks reuse it
        self.evaluated: dict[str, tuple[list[list[Value]], list[list[Value]]]] = {}
        self.grids: dict[str, MoveGrid] = {}

    def build(self) -> Scenario:
        """Check everything and build the scenario, evaluating within one work budget."""
        with work_budget(MAX_CHECK_WORK) as budget:
            self.budget = budget
            return self._build()

    def _spent(self) -> bool:
        return self.budget is not None and self.budget.exhausted

    def _build(self) -> Scenario:
        players = self._players()
        params = self._parameters()
        derived = self._derived(params)
        # Every declared name, even one whose own expression was refused (that problem
        # is reported once, at its definition, not again at every use).
        names = set(params) | set(derived) | set(self.m.derived)
        issues: tuple[Issue, ...] = ()
        if self.m.issues is not None:
            issues, moves, payoffs, paths = self._issues(players, names)
        else:
            moves = self._moves(players)
            payoffs, paths = self._payoffs(players, moves, names)
        ids = [p.id for p in players]
        repeated = self._repeated(moves, names, issues, (ids[0], ids[1]))
        strategies = custom_automata(self.c, self.m.strategies, ids, moves)
        if repeated is not None:
            check_strategy_names(self.c, repeated.strategies, self.m.strategies, moves)
        assumptions = self._assumptions(params)
        history = check_history(self.c, self.m.history, players, moves)
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
            history=history,
            issues=issues,
        )
        self._evaluate_all(scenario)
        self.c.raise_if_any()
        self._check_punishment(scenario)
        self.c.raise_if_any()
        return scenario

    # ----------------------------------------------------------------- parts

    def _players(self) -> list[Player]:
        out = [Player(p.id, p.name or p.id) for p in self.m.players]
        if out[0].id == out[1].id:
            self.c.add(
                ("players", 1, "id"), f"the two players have the same id {quote(out[0].id)}"
            )
        return out

    def _issues(self, players: list[Player], names: set[str]) -> tuple[Any, Any, Any, Any]:
        """Each issue checked like a top-level game (paths under ``issues.<id>``), linked."""
        built = []
        for issue_id, raw in (self.m.issues or {}).items():
            sub = _Builder(self.doc, cast(Any, raw))
            sub.c = PrefixedCollector(self.c, ("issues", issue_id))
            moves = sub._moves(players)
            payoffs, paths = sub._payoffs(players, moves, names)
            built.append(check_issue(self.c, issue_id, raw, moves, payoffs, paths, names))
        return link_issues(self.c, self.m, built, players)

    def _moves(self, players: list[Player]) -> list[tuple[str, ...]]:
        raw = self.m.moves
        if raw is None:
            self.c.add(("moves",), _MISSING)
            return [(), ()]
        ids = [p.id for p in players]
        if isinstance(raw, list):
            lists: list[tuple[Path, list[str]]] = [(("moves",), raw), (("moves",), raw)]
        else:
            for key in raw:
                if key not in ids:
                    self.c.add(
                        ("moves", key),
                        unknown("player", key, ids),
                    )
            missing = [p for p in ids if p not in raw]
            for p in missing:
                self.c.add(("moves",), f"no moves are listed for player {p!r}")
            lists = [(("moves", p), self._grid(("moves", p), raw.get(p, []))) for p in ids]
        out = []
        for path, labels in lists:
            if not labels:
                self.c.add(path, "expected at least one move")
            if len(labels) > MAX_MOVES:  # the schema refuses them first; kept as a guard
                self.c.add(
                    path, f"{len(labels)} moves are too many: at most {MAX_MOVES} per player"
                )
            dupes = sorted(x for x, n in Counter(labels).items() if n > 1)
            if dupes:
                self.c.add(path, f"duplicate move labels: {shorten_list(dupes)}")
            out.append(tuple(labels))
        return out

    def _grid(self, path: Path, moves: Any) -> list[str]:
        """A player's move labels: the list itself, or a grid expanded (and kept)."""
        if not isinstance(moves, MoveGridModel):
            return list(moves)
        try:
            values = grid_values(moves.values)
            labels = grid_labels(values, moves.labels, moves.prefix)
        except GridError as exc:
            self.c.add((*path, "values"), str(exc))
            return ["?"]
        self.grids[str(path[-1])] = MoveGrid(moves.levels, values, labels)
        return list(labels)

    def _parameters(self) -> dict[str, Parameter]:
        out = {}
        for name, p in self.m.parameters.items():
            path: Path = ("parameters", name)
            known = len(self.c.problems)
            if name in _RESERVED:
                self.c.add(path, f"{name!r} is a function name and cannot be a parameter")
            lo, hi = p.min, p.max
            if lo is not None and hi is not None and lo > hi:
                self.c.add(path, f"min {_fmt(lo)} is larger than max {_fmt(hi)}")
            elif (lo is not None and p.value < lo) or (hi is not None and p.value > hi):
                self.c.add(
                    (*path, "value"), f"value {_fmt(p.value)} is outside [{_fmt(lo)}, {_fmt(hi)}]"
                )
            out[name] = Parameter(name, p.value, lo, hi, p.unit, p.description)
            if p.prior is not None and len(self.c.problems) == known:  # a sound range
                prior = check_prior(self.c, (*path, "prior"), p.prior, out[name])
                out[name] = replace(out[name], prior=prior)
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
                cycle = shorten_list(sorted(pending))
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
        if getattr(m, "payoff_formulas", None) is not None:
            return self._formula_payoffs(players, moves, names)
        if (m.payoffs is None) == (m.matrices is None):
            if m.payoffs is None:
                self.c.add(
                    ("payoffs",), "no payoffs: give them as 'payoffs' (cells) or as 'matrices'"
                )
            else:
                self.c.add(
                    ("matrices",), "give the payoffs once: as 'payoffs' or as 'matrices', not both"
                )
            return (), ()
        cells: list[list[tuple[Any, Any]]] = [[(None, None)] * len(cols) for _ in rows]
        paths: list[list[tuple[Path, Path]]] = [[((), ())] * len(cols) for _ in rows]
        if m.payoffs is not None:
            for r, line in m.payoffs.items():
                if r not in rows:
                    self.c.add(
                        ("payoffs", r),
                        unknown("move", r, rows, f" for player {players[0].id!r}"),
                    )
                    continue
                for cmove, cell in line.items():
                    if cmove not in cols:
                        self.c.add(
                            ("payoffs", r, cmove),
                            unknown("move", cmove, cols, f" for player {players[1].id!r}"),
                        )
                        continue
                    i, j = rows.index(r), cols.index(cmove)
                    pa, pb = ("payoffs", r, cmove, 0), ("payoffs", r, cmove, 1)
                    cells[i][j] = (
                        self.c.expression(cell[0], names, pa),
                        self.c.expression(cell[1], names, pb),
                    )
                    paths[i][j] = (pa, pb)
            missing = [
                f"{r}/{c}"
                for i, r in enumerate(rows)
                for j, c in enumerate(cols)
                if not paths[i][j][0]
            ]
            if missing:
                shown = shorten_list(missing)
                self.c.add(("payoffs",), f"missing payoff cells (row move/column move): {shown}")
        else:
            assert m.matrices is not None
            ids = [p.id for p in players]
            for key in m.matrices:
                if key not in ids:
                    self.c.add(("matrices", key), unknown("player", key, ids))
            for who, pid in enumerate(ids):
                mat = m.matrices.get(pid)
                if mat is None:
                    self.c.add(("matrices",), f"no payoff matrix for player {pid!r}")
                    continue
                if len(mat) != len(rows) or any(len(row) != len(cols) for row in mat):
                    shape = f"{len(mat)}x{'/'.join(sorted({str(len(r)) for r in mat})) or 0}"
                    self.c.add(
                        ("matrices", pid),
                        f"expected a {len(rows)}x{len(cols)} matrix (a row per move of "
                        f"{ids[0]!r}, a column per move of {ids[1]!r}), got {shape}",
                    )
                    continue
                for i, row in enumerate(mat):
                    for j, raw in enumerate(row):
                        where: Path = ("matrices", pid, i, j)
                        expr = self.c.expression(raw, names, where)
                        a, b = cells[i][j]
                        cells[i][j] = (expr, b) if who == 0 else (a, expr)
                        old = paths[i][j]
                        paths[i][j] = (where, old[1]) if who == 0 else (old[0], where)
        frozen = tuple(tuple(tuple(c) for c in row) for row in cells)
        return frozen, tuple(tuple(row) for row in paths)

    def _formula_payoffs(
        self, players: list[Player], moves: list[tuple[str, ...]], names: set[str]
    ) -> tuple[Any, Any]:
        """Payoff cells from ``payoff_formulas``: each player's expression over the level
        names, with the row and the column move's levels put in."""
        m = self.m
        where: Path = ("payoff_formulas",)
        ids = [p.id for p in players]
        if m.payoffs is not None or m.matrices is not None:
            self.c.add(where, "give the payoffs once: 'payoff_formulas' or 'payoffs'/'matrices'")
            return (), ()
        grids = [self.grids.get(pid) for pid in ids]
        if grids[0] is None or grids[1] is None:
            self.c.add(
                where,
                "payoff formulas need both players' moves as grids of levels "
                "({levels: NAME, values: 'start:stop:step'})",
            )
            return (), ()
        row_grid, col_grid = grids[0], grids[1]
        level_names = {row_grid.level, col_grid.level}
        if row_grid.level == col_grid.level:
            self.c.add(("moves", ids[1], "levels"), f"level name {row_grid.level!r} is used twice")
            return (), ()
        for who, grid in enumerate((row_grid, col_grid)):
            if grid.level in names:
                self.c.add(
                    ("moves", ids[who], "levels"),
                    f"level name {grid.level!r} is already a parameter or derived name",
                )
                return (), ()
        assert m.payoff_formulas is not None
        for key in m.payoff_formulas:
            if key not in ids:
                self.c.add((*where, key), unknown("player", key, ids))
        formulas: list[Expr | None] = []
        for pid in ids:
            if pid not in m.payoff_formulas:
                self.c.add(where, f"no payoff formula for player {pid!r}")
                return (), ()
            formulas.append(
                self.c.expression(m.payoff_formulas[pid], names | level_names, (*where, pid))
            )
        fa, fb = formulas
        if fa is None or fb is None:
            return (), ()
        cells = tuple(
            tuple(
                tuple(bind_levels(f, {row_grid.level: a, col_grid.level: b}) for f in (fa, fb))
                for b in col_grid.values
            )
            for a in row_grid.values
        )
        path_pair = ((*where, ids[0]), (*where, ids[1]))
        paths = tuple(tuple(path_pair for _ in col_grid.values) for _ in row_grid.values)
        return cells, paths

    def _repeated(
        self,
        moves: list[tuple[str, ...]],
        names: set[str],
        issues: tuple[Issue, ...] = (),
        ids: tuple[str, str] = ("", ""),
    ) -> RepeatedSettings | None:
        r = self.m.repeated
        if r is None:
            return None
        if r.target is not None:
            target = (r.target[0], r.target[1])
        elif issues:
            target = combined_target(issues)
        else:
            if self.m.issues is None:
                self.c.add(("repeated", "target"), _MISSING)
            target = ("", "")
        for who, label in enumerate(target):
            if (self.m.issues is not None and not moves[who]) or not label:
                continue
            if label not in moves[who]:
                self.c.add(
                    ("repeated", "target", who),
                    unknown("move", label, moves[who]),
                )
        discount = self._discount(r.discount, names, ids)
        noise = self.c.expression(r.noise, names, ("repeated", "noise"))
        return RepeatedSettings(
            discount=discount,
            target=target,
            strategies=tuple(r.strategies),
            noise=noise or constant(Fraction(0)),
            rounds=r.rounds,
            runs=r.runs,
            seed=r.seed,
            punishment=r.punishment,
            min_slack=Fraction(r.verdict.min_slack),
            min_share=Fraction(r.verdict.min_share),
        )

    def _discount(
        self, raw: Any, names: set[str], ids: tuple[str, str]
    ) -> Expr | tuple[Expr, Expr]:
        """``repeated.discount``: one expression, or ``{player id: expression}`` naming
        each player exactly once (a ``(row, column)`` pair)."""
        where: Path = ("repeated", "discount")
        zero = constant(Fraction(0))
        if not isinstance(raw, dict):
            return self.c.expression(raw, names, where) or zero
        for key in raw:
            if key not in ids:
                self.c.add((*where, key), unknown("player", key, ids))
        pair: list[Expr] = []
        for pid in ids:
            if pid not in raw:
                self.c.add(
                    where,
                    f"no discount factor for player {pid!r}: a mapping gives one for each "
                    f"player ({', '.join(ids)}), or write one value for both",
                )
                pair.append(zero)
            else:
                pair.append(self.c.expression(raw[pid], names, (*where, pid)) or zero)
        return (pair[0], pair[1])

    def _assumptions(self, params: dict[str, Parameter]) -> dict[str, Assumption]:
        from types import MappingProxyType

        out = {
            BASELINE: Assumption(
                BASELINE, "Parameters at their declared values", MappingProxyType({})
            )
        }
        for name, a in self.m.assumptions.items():
            base: Path = ("assumptions", name)
            if name == BASELINE:
                self.c.add(base, "'baseline' is reserved for the declared parameter values")
                continue
            overrides: dict[str, Value] = {}
            for pname, raw in a.set.items():
                path: Path = (*base, "set", pname)
                if pname not in params:
                    self.c.add(
                        path,
                        unknown("parameter", pname, params),
                    )
                    continue
                expr = self.c.expression(raw, (), path)
                if expr is None:
                    continue
                try:
                    value = expr.evaluate({})
                except ExpressionError as exc:
                    self.c.add(path, exc.message)
                    if self._spent():
                        return out
                    continue
                if isinstance(value, Fraction) and (
                    value.numerator.bit_length() + value.denominator.bit_length()
                    > MAX_PARAMETER_BITS
                ):
                    self.c.add(
                        path,
                        f"the value of {pname} ({_fmt(value)}) is too large: a parameter value "
                        f"may have at most {MAX_PARAMETER_BITS} bits as a fraction (about 300 "
                        "digits)",
                    )
                    continue
                p = params[pname]
                if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
                    self.c.add(
                        path,
                        f"{pname} = {_fmt(value)} is outside its declared range "
                        f"[{_fmt(p.min)}, {_fmt(p.max)}]",
                    )
                overrides[pname] = value
            priors = self._assumption_priors(base, a, params)
            out[name] = Assumption(
                name, a.description or "", MappingProxyType(overrides), MappingProxyType(priors)
            )
        return out

    def _assumption_priors(
        self, base: Path, a: Any, params: dict[str, Parameter]
    ) -> dict[str, Prior]:
        """An assumption's priors, each checked against its parameter's range."""
        out: dict[str, Prior] = {}
        for pname, raw in a.priors.items():
            path: Path = (*base, "priors", pname)
            if pname not in params:
                self.c.add(path, unknown("parameter", pname, params))
                continue
            if pname in a.set:
                self.c.add(
                    path,
                    f"{pname} is also set to a value by this assumption: give it a value "
                    "(set) or a prior (priors), not both",
                )
                continue
            prior = check_prior(self.c, path, raw, params[pname])
            if prior is not None:
                out[pname] = prior
        return out

    def _evaluate_all(self, scenario: Scenario) -> None:
        """Evaluate everything under every assumption once, so that a division by zero
        is reported now, located; stop once the work budget is spent."""
        for name in scenario.assumptions:
            try:
                values = scenario.parameter_values(name)
                for issue in scenario.issues:  # each issue's cells, located under it
                    issue_payoff_values(scenario, issue, name, values=values)
                A, B, _ = scenario._evaluate_payoffs(
                    scenario.payoffs, scenario.payoff_paths, values, name
                )
                self.evaluated[name] = (A, B)
                if scenario.repeated is not None:
                    _check_probability(scenario, name, values)
            except ScenarioError as exc:
                for p in exc.problems:
                    if p not in self.c.problems:
                        self.c.problems.append(p)
            except NegotiationError as exc:
                self.c.add(("assumptions", name), str(exc))
            if self._spent():
                return

    def _check_punishment(self, scenario: Scenario) -> None:
        """With ``punishment: nash``, every built-in strategy listed reverts to a pure
        stage equilibrium after a deviation: the stage game must have one under every
        assumption, or every later command on the strategies would fail."""
        rep = scenario.repeated
        if rep is None or rep.punishment != "nash":
            return
        bases = [parse_strategy_name(text)[0] for text in rep.strategies]  # all valid here
        builtin = [
            text
            for text, base in zip(rep.strategies, bases)
            if base not in scenario.strategies
            and (base in BUILTIN_STRATEGIES or base.startswith("always_"))
        ]
        if not builtin:
            return
        path: Path = ("repeated", "punishment")
        for name in scenario.assumptions:
            try:
                if name in self.evaluated:  # evaluated once already, by _evaluate_all
                    A, B = self.evaluated[name]
                else:
                    A, B, _ = scenario.payoff_values(name)
            except ScenarioError as exc:
                for p in exc.problems:
                    if p not in self.c.problems:
                        self.c.problems.append(p)
                return
            except NegotiationError as exc:
                self.c.add(("assumptions", name), str(exc))
                return
            if not _has_pure_equilibrium(A, B):
                self.c.add(
                    path,
                    f"under {quote(name)} the stage game has no pure equilibrium to revert to, "
                    f"as punishment: nash needs for {shorten_list(builtin, 3)}; use "
                    "punishment: nash-any (a mixed equilibrium, for grim_trigger and "
                    "k_period_punishment) or punishment: minmax",
                )
                return


def _has_pure_equilibrium(A: list[list[Value]], B: list[list[Value]]) -> bool:
    """Whether some cell is a best reply for both players (exact comparisons).

    Examples
    --------
    >>> _has_pure_equilibrium([[1, 0], [0, 1]], [[0, 1], [1, 0]])
    False
    >>> _has_pure_equilibrium([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    True
    """
    rows, cols = len(A), len(A[0])
    best_row = [max(A[i][j] for i in range(rows)) for j in range(cols)]
    best_col = [max(B[i]) for i in range(rows)]
    return any(
        A[i][j] == best_row[j] and B[i][j] == best_col[i] for i in range(rows) for j in range(cols)
    )


def _check_probability(scenario: Scenario, assumption: str, values: dict[str, Value]) -> None:
    rep = scenario.repeated
    assert rep is not None
    ids = scenario.player_ids
    exprs = rep.discount_exprs()
    checks = [
        (rep.discount_path(who, ids), exprs[who], f"discount of {ids[who]}")
        for who in ((0, 1) if rep.per_player else (0,))
    ]
    for path, expr, field in (*checks, (("repeated", "noise"), rep.noise, "noise")):
        if not rep.per_player and field.startswith("discount"):
            field = "discount"
        try:
            v = expr.evaluate(values)
        except ExpressionError as exc:
            raise scenario._fail(
                path, f"cannot evaluate under {assumption!r}: {exc.message}"
            ) from None
        if not (0 <= v < 1):
            raise scenario._fail(
                path,
                f"{field} must be in [0, 1), got {_fmt(v)} under {assumption!r}",
            )


def _fmt(value: Value | None) -> str:
    if value is None:
        return "unbounded"
    return show_number(value)
