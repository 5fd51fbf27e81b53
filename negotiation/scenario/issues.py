"""Multi-issue scenarios: the issues of a linked accord and the linked game they make.

A file with ``issues:`` describes several stage games over the same two players and
parameters (say tariffs and export controls). The **linked game** is their product:
each player's move is one move per issue, labelled by joining the issue moves with
``+`` in issue order (``roll_back+hold``), in row-major product order, and payoffs
add up over issues, each issue's times its weight. Move labels may not contain ``+``,
so a linked label names its issue moves unambiguously.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import reduce
from itertools import product
from math import prod
from typing import Any

from negotiation.errors import quote, show_number
from negotiation.limits import MAX_MOVES
from negotiation.scenario.expressions import Binary, EvaluationError, Expr, Number
from negotiation.scenario.model import BASELINE, Issue, Player, Scenario, Value
from negotiation.scenario.problems import Collector, unknown
from negotiation.scenario.yaml_source import Path

__all__ = [
    "PrefixedCollector",
    "check_issue",
    "combined_target",
    "issue_payoff_values",
    "link_issues",
    "linked_label",
    "linked_payoffs",
    "split_label",
]

#: Joins the issue moves of a linked move.
SEPARATOR = "+"

Cells = tuple[tuple[tuple[Expr, Expr], ...], ...]
Paths = tuple[tuple[tuple[Path, Path], ...], ...]


class PrefixedCollector(Collector):
    """A :class:`Collector` that files problems under a path prefix (``issues.<id>``),
    adding them to its parent's list, so an issue is checked like a top-level game.

    Examples
    --------
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> parent = Collector(load_yaml("issues: {}", file="x.yaml"))
    >>> PrefixedCollector(parent, ("issues", "one")).expression("1 +", (), ("weight",))
    >>> [p.path for p in parent.problems]
    [('issues', 'one', 'weight')]
    """

    def __init__(self, parent: Collector, prefix: Path) -> None:
        super().__init__(parent.doc)
        self.parent = parent
        self.prefix = tuple(prefix)
        self.problems = parent.problems

    def add(self, path: Path, message: str) -> None:
        self.parent.add((*self.prefix, *path), message)


def linked_label(parts: Sequence[str]) -> str:
    """The label of a linked move: the issue moves joined by ``+``.

    Examples
    --------
    >>> linked_label(["roll_back", "hold"])
    'roll_back+hold'
    """
    return SEPARATOR.join(parts)


def split_label(label: str) -> tuple[str, ...]:
    """The issue moves of a linked move label (inverse of :func:`linked_label`).

    Examples
    --------
    >>> split_label("roll_back+hold")
    ('roll_back', 'hold')
    """
    return tuple(label.split(SEPARATOR))


def _scaled(weight: Expr, e: Expr) -> Expr:
    return e if weight == Number(Fraction(1)) else Binary("*", weight, e)


def linked_payoffs(issues: Sequence[Issue]) -> tuple[tuple[tuple[str, ...], ...], Cells]:
    """Moves and payoff expressions of the linked game of some issues.

    Parameters
    ----------
    issues : sequence of Issue
        At least one issue.

    Returns
    -------
    (moves, payoffs)
        ``moves`` are the row and the column player's linked labels in row-major
        product order; ``payoffs[i][j]`` the pair of expressions
        ``sum(weight_g * payoff_g)`` over issues ``g``.

    Examples
    --------
    >>> from negotiation.scenario import parse_scenario
    >>> s = parse_scenario(LINKED_EXAMPLE)
    >>> moves, cells = linked_payoffs(s.issues)
    >>> moves[0]
    ('c+c', 'c+d', 'd+c', 'd+d')
    >>> str(cells[3][0][0])
    '3 + w * 4'
    """
    labels = tuple(
        tuple(linked_label(combo) for combo in product(*(issue.moves[who] for issue in issues)))
        for who in (0, 1)
    )
    rows = product(*(range(len(issue.moves[0])) for issue in issues))
    cols = list(product(*(range(len(issue.moves[1])) for issue in issues)))

    def total(r: tuple[int, ...], c: tuple[int, ...], who: int) -> Expr:
        terms = [_scaled(g.weight, g.payoffs[i][j][who]) for g, i, j in zip(issues, r, c)]
        return reduce(lambda a, b: Binary("+", a, b), terms)

    cells = tuple(tuple((total(r, c, 0), total(r, c, 1)) for c in cols) for r in rows)
    return labels, cells


def check_issue(
    c: Collector,
    issue_id: str,
    raw: Any,
    moves: list[tuple[str, ...]],
    payoffs: Any,
    paths: Any,
    names: Iterable[str],
) -> Issue | None:
    """Check an issue's target and weight and build the :class:`Issue`.

    Parameters
    ----------
    c : Collector
        The top-level collector (paths are given in full, ``issues.<id>...``).
    issue_id : str
    raw : IssueModel
        The issue as read from the file.
    moves, payoffs, paths
        The issue's moves and payoff expressions, checked like a top-level game, and
        the payoff paths relative to the issue (``payoffs.<row>.<column>[k]``).
    names : iterable of str
        Declared parameter and derived names.

    Returns
    -------
    Issue or None
        ``None`` when a problem was found (it is in ``c``).

    Examples
    --------
    >>> from negotiation.scenario.schema import IssueModel
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> c = Collector(load_yaml("issues: {}", file="x.yaml"))
    >>> raw = IssueModel(moves=["a"], payoffs={"a": {"a": [1, 1]}}, target=["a", "b"])
    >>> check_issue(c, "one", raw, [("a",), ("a",)], (), (), ()) is None
    True
    >>> str(c.problems[0])
    "x.yaml:1: issues.one.target[1]: unknown move 'b' (choices: a)"
    """
    base: Path = ("issues", issue_id)
    ok = True
    for who, label in enumerate(raw.target):
        if moves[who] and label not in moves[who]:
            c.add((*base, "target", who), unknown("move", label, moves[who]))
            ok = False
    weight = c.expression(raw.weight, names, (*base, "weight"))
    if weight is None or not ok or not payoffs or not all(moves):
        return None
    return Issue(
        id=issue_id,
        description=raw.description or "",
        moves=(moves[0], moves[1]),
        payoffs=payoffs,
        weight=weight,
        target=(raw.target[0], raw.target[1]),
        payoff_paths=tuple(tuple(((*base, *pa), (*base, *pb)) for pa, pb in row) for row in paths),
    )


def link_issues(
    c: Collector, model: Any, issues: list[Issue | None], players: Sequence[Player]
) -> tuple[tuple[Issue, ...], list[tuple[str, ...]], Cells, Paths]:
    """Check the top level of a multi-issue file and build its linked game.

    Parameters
    ----------
    c : Collector
    model : ScenarioModel
        The file as read (its top-level ``moves``, ``payoffs``, ``matrices`` must be
        absent).
    issues : list of Issue or None
        From :func:`check_issue`, in file order.
    players : sequence of Player

    Returns
    -------
    (issues, moves, payoffs, paths)
        The issues, the linked moves and payoffs, and for each linked cell the path
        ``issues``; empty ones when a problem was found (it is in ``c``).

    Examples
    --------
    >>> from negotiation.scenario import parse_scenario
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> s = parse_scenario(LINKED_EXAMPLE)
    >>> c = Collector(load_yaml("issues: {}", file="x.yaml"))
    >>> class Top:
    ...     moves = payoffs = matrices = None
    >>> _, moves, cells, _ = link_issues(c, Top, list(s.issues), s.players)
    >>> moves[1], len(cells), c.problems
    (('c+c', 'c+d', 'd+c', 'd+d'), 4, [])
    """
    for name in ("moves", "payoffs", "matrices"):
        if getattr(model, name) is not None:
            c.add(
                (name,),
                f"a file with 'issues' takes no top-level {name!r}: give each issue its own "
                "moves and payoffs",
            )
    if not issues:
        c.add(("issues",), "expected at least one issue")
    done = [i for i in issues if i is not None]
    for who, p in enumerate(players):
        size = prod(len(issue.moves[who]) for issue in done)
        if size > MAX_MOVES:
            c.add(
                ("issues",),
                f"the linked game gives player {p.id!r} {size} moves (one per combination of "
                f"issue moves): at most {MAX_MOVES} are supported",
            )
            return (), [(), ()], (), ()
    if len(done) != len(issues) or not done:
        return (), [(), ()], (), ()
    moves, cells = linked_payoffs(done)
    where: Path = ("issues",)
    paths = tuple(tuple((where, where) for _ in row) for row in cells)
    return tuple(done), [moves[0], moves[1]], cells, paths


def combined_target(issues: Sequence[Issue]) -> tuple[str, str]:
    """The linked détente: every issue's target, combined.

    Examples
    --------
    >>> from negotiation.scenario import parse_scenario
    >>> combined_target(parse_scenario(LINKED_EXAMPLE).issues)
    ('c+c', 'c+c')
    """
    return (
        linked_label([i.target[0] for i in issues]),
        linked_label([i.target[1] for i in issues]),
    )


def issue_payoff_values(
    scenario: Scenario,
    issue: Issue,
    assumption: str = BASELINE,
    overrides: Mapping[str, Any] | None = None,
    values: Mapping[str, Value] | None = None,
) -> tuple[list[list[Value]], list[list[Value]], bool]:
    """Evaluate one issue's payoffs, times its weight, under an assumption.

    Parameters
    ----------
    scenario : Scenario
    issue : Issue
        One of ``scenario.issues``.
    assumption : str
    overrides : mapping, optional
        ``--set``-style parameter values applied last.
    values : mapping, optional
        Parameter values already computed (skips ``assumption`` and ``overrides``).

    Returns
    -------
    (A, B, exact)
        The issue's weighted payoffs indexed (row move, column move), and whether all
        are exact rationals. Summed over issues they give the linked game.

    Raises
    ------
    ScenarioError
        A payoff or the weight cannot be evaluated, or the weight is not positive.

    Examples
    --------
    >>> from negotiation.scenario import parse_scenario
    >>> s = parse_scenario(LINKED_EXAMPLE)
    >>> A, B, exact = issue_payoff_values(s, s.issues[1])
    >>> A, exact
    ([[Fraction(2, 1), Fraction(-2, 1)], [Fraction(8, 1), Fraction(0, 1)]], True)
    """
    if values is None:
        values = scenario.parameter_values(assumption, overrides)
    base: Path = ("issues", issue.id)
    try:
        w = issue.weight.evaluate(values)
    except EvaluationError as exc:
        raise scenario._fail(
            (*base, "weight"), f"cannot evaluate under {assumption!r}: {exc.message}"
        ) from None
    if not w > 0:
        raise scenario._fail(
            (*base, "weight"),
            f"the weight must be positive, got {show_number(w)} under {quote(assumption)}",
        )
    return scenario._evaluate_payoffs(issue.payoffs, issue.payoff_paths, values, assumption, w)


LINKED_EXAMPLE = """
schema: 1
id: linked-example
title: Two linked prisoner's dilemmas
players: [{id: a}, {id: b}]
parameters: {w: 2}
issues:
  first:
    moves: [c, d]
    payoffs:
      c: {c: [2, 2], d: [0, 3]}
      d: {c: [3, 0], d: [1, 1]}
    target: [c, c]
  second:
    moves: [c, d]
    weight: w
    payoffs:
      c: {c: [1, 1], d: [-1, 4]}
      d: {c: [4, -1], d: [0, 0]}
    target: [c, c]
repeated: {discount: 0.9}
"""
