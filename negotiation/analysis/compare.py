"""How stable is the détente under each assumption? (``negotiation compare``)

For every assumption (one column each) the comparison collects, from the stage game
and the repeated-game analysis: the stage equilibria, whether the détente is one of
them, the critical δ of each strategy profile, the slack δ − δ*, the incentive margin,
the noise robustness, and a verdict by the rules of
:class:`~negotiation.analysis.verdict.VerdictRules`, decided exactly
(:func:`~negotiation.analysis.verdict.verdict`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from negotiation.analysis.executors import available_cpus, run_forked
from negotiation.analysis.linkage import LinkageAnalysis, linkage_analysis
from negotiation.analysis.tipping import (
    TippingPoint,
    tipping_points,
    with_exact_values,
)
from negotiation.analysis.verdict import VerdictRules, discount_slack, verdict
from negotiation.errors import GameError
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.html_table import html_table
from negotiation.numbers import decimal_text, exact_and_decimal, json_exact
from negotiation.records import TabularResult, flatten
from negotiation.repeated.penal_codes import PenalCode, optimal_penal_code
from negotiation.repeated.report import ProfileStability, StabilityReport, stability_report
from negotiation.scenario.discounts import discount_pair, is_pair
from negotiation.scenario.model import Parameter, Scenario
from negotiation.scenario.overrides import Overrides, assumption_label, override_record

# VerdictRules and verdict live in negotiation.analysis.verdict; they are re-exported
# here, where they were first defined.
__all__ = ["BestPossible", "Comparison", "VerdictRules", "best_possible", "compare", "verdict"]


@dataclass(frozen=True)
class Column:
    """One assumption's results."""

    assumption: str
    description: str
    stage_equilibria: tuple[str, ...]
    detente_is_stage_equilibrium: bool
    report: StabilityReport
    verdict: str
    best: ProfileStability | None
    tipping: tuple[TippingPoint, ...] = ()
    linkage: LinkageAnalysis | None = None
    #: The optimal simple penal code of the détente (``None``: not searched, see
    #: :func:`best_possible`), whose thresholds bound the best possible δ*.
    penal_code: PenalCode | None = None


@dataclass(frozen=True)
class BestPossible:
    """The lowest δ at which *any* pure-strategy subgame-perfect equilibrium sustains
    the détente, for one player (Abreu 1988): between ``lower`` (the minmax bound
    ``(d - c) / (d - m)``) and ``upper`` (the best simple penal code found), equal when
    ``exact``. ``lower is None``: no pure equilibrium sustains it at any δ < 1.

    Examples
    --------
    >>> from fractions import Fraction
    >>> BestPossible(Fraction(1, 2), Fraction(1, 2)).exact
    True
    """

    lower: Any
    upper: Any

    @property
    def exact(self) -> bool:
        """Whether the bounds meet (the code found is optimal)."""
        return self.lower is not None and self.upper is not None and self.lower == self.upper

    def text(self) -> str:
        """``0.5`` (exact, with the exact value when it differs), ``never``, or the
        bracket ``0.25–0.4``."""
        if self.lower is None:
            return "never"
        if self.exact:
            return exact_and_decimal(self.upper)
        upper = "never" if self.upper is None else decimal_text(self.upper)
        return f"{decimal_text(self.lower)}–{upper}"

    def to_dict(self) -> dict[str, Any]:
        """Exact strings: ``value`` (when exact), ``lower_bound``, ``upper_bound``."""
        return {
            "value": json_exact(self.upper) if self.exact else None,
            "lower_bound": json_exact(self.lower),
            "upper_bound": json_exact(self.upper),
            "exact": self.exact,
        }


def best_possible(code: PenalCode | None) -> tuple[BestPossible, BestPossible] | None:
    """Each player's :class:`BestPossible` from an optimal penal code search.

    Examples
    --------
    >>> from negotiation.games.stage_game import StageGame
    >>> pd = StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [b.text() for b in best_possible(optimal_penal_code(pd, (0, 0)))]
    ['1/2 = 0.5', '1/2 = 0.5']
    """
    if code is None:
        return None
    lo, up = code.lower_bound, code.critical
    return BestPossible(lo[0], up[0]), BestPossible(lo[1], up[1])


#: Largest stage game (moves of one player times the other's) whose optimal penal code
#: ``compare`` searches: the search pairs every stick of one player with every stick of
#: the other, about ``(2 m n)²`` exact analyses (3x3: a quarter of a second; the 9x9
#: linked accord: half a minute, so its best possible δ* is left out, "-").
MAX_PENAL_CODE_CELLS = 25


def _penal_code(report: StabilityReport) -> PenalCode | None:
    m, n = report.game.shape
    if m * n > MAX_PENAL_CODE_CELLS:
        return None
    try:
        return optimal_penal_code(report.game, report.target)
    except GameError:
        return None


@dataclass(frozen=True)
class Comparison(TabularResult):
    """The comparison table: one column per assumption, one row per metric.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> c = compare(load_scenario("chicken"), strategies=["grim_trigger"], tipping=False)
    >>> c.scenario, len(c.columns), c.rows()[0][0]
    ('chicken', 5, 'stage equilibria')
    """

    def to_records(self) -> list[dict[str, Any]]:
        """One record per assumption and strategy profile: the assumption's verdict and
        stage equilibria beside the profile's stability fields (as in the JSON form).

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> rec = compare(load_scenario("prisoners-dilemma"), tipping=False).to_records()[0]
        >>> rec["assumption"], rec["strategies"], rec["critical_discount_exact"]
        ('baseline', ('grim_trigger', 'grim_trigger'), '1/2')
        """
        out = []
        for c in self.to_dict()["assumptions"]:
            s = c["stability"]
            head = {
                "assumption": c["assumption"],
                "label": c["label"],
                "verdict": c["verdict"],
                "stage_equilibria": c["stage_equilibria"],
                "discount": s["discount"],
            }
            for p in s["profiles"]:
                best = p["strategies"] == c["best_profile"]
                out.append(flatten({**head, "best": best, **p}, self._players()))
        return out

    def _players(self) -> tuple[str, ...]:
        return tuple(self.columns[0].report.game.players) if self.columns else ()

    scenario: str
    title: str
    columns: tuple[Column, ...]
    rules: VerdictRules
    tipping_parameters: tuple[str, ...] = ()
    overrides: Overrides = ()
    #: The scenario's parameters (name, value, range, unit, description), for the
    #: readable names of tables and reports.
    parameters: tuple[Parameter, ...] = field(default=(), repr=False)
    #: Why the tipping points were left out although asked for ("" when they were not).
    tipping_skipped: str = ""

    def __repr__(self) -> str:
        verdicts = ", ".join(f"{c.assumption}: {c.verdict}" for c in self.columns)
        sets = ", ".join(f"{k}={v}" for k, v in self.overrides)
        extra = f", with {sets}" if sets else ""
        return f"Comparison({self.scenario!r}{extra}; {verdicts})"

    def _repr_html_(self) -> str:
        """The comparison table, for notebooks."""
        header = ["metric", *(c.assumption for c in self.columns)]
        rows = [[metric, *values] for metric, values in self.rows()]
        caption = f"{self.title}: détente stability by assumption"
        if self.overrides:
            caption += " (" + ", ".join(f"{k}={v}" for k, v in self.overrides) + ")"
        return html_table(header, rows, caption)

    def rows(self) -> list[tuple[str, list[Any]]]:
        """``(metric, values per assumption)`` in display order (values are plain text)."""
        out: list[tuple[str, list[Any]]] = [
            ("stage equilibria", ["; ".join(c.stage_equilibria) for c in self.columns]),
            (
                "détente is a stage equilibrium",
                ["yes" if c.detente_is_stage_equilibrium else "no" for c in self.columns],
            ),
        ]
        # With one δ per player (under some assumption the factors differ), each
        # player's critical δ is compared with that player's own δ: one row each.
        per_player = any(is_pair(c.report.discount) for c in self.columns)
        ids = self.columns[0].report.game.players
        for k, profile in enumerate(self.columns[0].report.profiles):
            if not per_player:
                out.append(
                    (
                        f"critical δ: {_profile(profile)}",
                        [
                            _text(col.report.profiles[k].sustainability.critical_discount)
                            for col in self.columns
                        ],
                    )
                )
                continue
            for who in (0, 1):
                out.append(
                    (
                        f"critical δ {ids[who]}: {_profile(profile)}",
                        [
                            _text(col.report.profiles[k].sustainability.player_critical[who])
                            for col in self.columns
                        ],
                    )
                )
        bests = [best_possible(c.penal_code) for c in self.columns]
        for i, player in enumerate(self.columns[0].report.game.players):
            out.append(
                (
                    f"best possible δ*: {player}",
                    ["-" if b is None else b[i].text() for b in bests],
                )
            )
        for k, profile in enumerate(self.columns[0].report.profiles):
            out.append(
                (
                    f"WRP at δ: {_profile(profile)}",
                    [_yes_no(col.report.profiles[k].renegotiation_proof) for col in self.columns],
                )
            )
        best = [c.best for c in self.columns]
        if per_player:
            out += [
                (
                    f"δ {ids[who]}",
                    [_num(discount_pair(c.report.discount)[who]) for c in self.columns],
                )
                for who in (0, 1)
            ]
        else:
            out.append(("δ", [_num(c.report.discount) for c in self.columns]))
        out += [
            ("best profile", ["-" if b is None else _profile(b) for b in best]),
            (
                "δ slack (best)",
                [
                    _num(
                        discount_slack(
                            c.report.discount,
                            b.sustainability.player_critical,
                            b.sustainability.critical_discount,
                        )
                    )
                    if b
                    else "-"
                    for b, c in zip(best, self.columns)
                ],
            ),
            ("incentive margin (best)", [_num(b.incentive_margin) if b else "-" for b in best]),
            (
                "détente share under noise",
                [_num(b.noise.detente_share) if b else "-" for b in best],
            ),
            (
                "rounds to breakdown",
                [_num(b.noise.rounds_to_breakdown) if b else "-" for b in best],
            ),
            ("rounds to recover", [_num(b.noise.rounds_to_recover) if b else "-" for b in best]),
            ("verdict", [c.verdict for c in self.columns]),
        ]
        if any(c.linkage is not None for c in self.columns):
            for label, attr in (("separate (worst issue)", "separate"), ("linked", "linked")):
                out.append(
                    (
                        f"critical δ: {label}",
                        [
                            "-" if c.linkage is None else _text(getattr(c.linkage, attr))
                            for c in self.columns
                        ],
                    )
                )
        if self.tipping_parameters:
            for name in self.tipping_parameters:
                cells = []
                for col in self.columns:
                    found = [t.describe() for t in col.tipping if t.parameter == name]
                    cells.append("; ".join(found) if found else "none")
                out.append((f"tipping point: {name}", cells))
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: per assumption, the stability report plus verdict."""
        return {
            "scenario": self.scenario,
            "overrides": dict(self.overrides),
            "rules": {
                "min_slack": float(self.rules.min_slack),
                "min_share": float(self.rules.min_share),
            },
            "assumptions": [
                {
                    "assumption": c.assumption,
                    "label": assumption_label(c.assumption, self.overrides),
                    "description": c.description,
                    "stage_equilibria": list(c.stage_equilibria),
                    "detente_is_stage_equilibrium": c.detente_is_stage_equilibrium,
                    "verdict": c.verdict,
                    "best_profile": None if c.best is None else list(c.best.strategies),
                    "best_possible_discount": _best_possible_keys(c),
                    "tipping_points": [t.to_dict() for t in c.tipping],
                    "stability": c.report.to_dict(),
                    **_linkage_keys(c.linkage),
                }
                for c in self.columns
            ],
        }


def _best_possible_keys(column: Column) -> dict[str, Any] | None:
    """Per player id, the best possible δ* (``None``: the penal code was not searched)."""
    found = best_possible(column.penal_code)
    if found is None:
        return None
    return {p: b.to_dict() for p, b in zip(column.report.game.players, found)}


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else "yes" if value else "no"


def _linkage_keys(linkage: LinkageAnalysis | None) -> dict[str, Any]:
    """Multi-issue scenarios: the separate and the linked accord's critical δ."""
    if linkage is None:
        return {}
    data = linkage.to_dict()
    return {
        "critical_discount_separate": data["separate_critical_discount"],
        "critical_discount_linked": data["linked_critical_discount"],
    }


def _profile(p: ProfileStability) -> str:
    r, c = p.strategies
    return r if r == c else f"{r} / {c}"


def _text(value: Any) -> str:
    return exact_and_decimal(value, none="never")


def _num(value: Any) -> str:
    return decimal_text(value)


def _linkage(
    scenario: Scenario, name: str, overrides: Mapping[str, Any] | None
) -> LinkageAnalysis | None:
    """Separate vs linked enforcement for a scenario with two or more issues, else None."""
    if len(scenario.issues) < 2:
        return None
    try:
        return linkage_analysis(scenario, name, overrides)
    except GameError:  # e.g. an issue without a pure equilibrium to revert to
        return None


#: Seconds of estimated serial work (the first task's time, which includes filling the
#: caches, times the tasks left) from which ``compare`` starts processes by default.
PARALLEL_FROM = 0.5


def _all_tipping_points(
    scenario: Scenario,
    names: Sequence[str],
    ranged: Sequence[str],
    overrides: Mapping[str, Any] | None,
    strategies: Sequence[str] | None,
    rules: VerdictRules,
    reports: Sequence[Any],
    jobs: int | None,
    progress: Callable[[int, int], None],
) -> list[tuple[TippingPoint, ...]]:
    """Every assumption's tipping points, one parameter per task: the first runs here
    (it fills the caches of automata and conditions), the rest in ``jobs`` forked
    processes that inherit them. The order is that of :func:`tipping_points`."""
    tasks = [(a, p) for a in range(len(names)) for p in ranged]
    if not tasks:
        return [()] * len(names)

    def run(task: tuple[int, str]) -> tuple[TippingPoint, ...]:
        a, p = task
        return tipping_points(
            scenario,
            names[a],
            overrides,
            strategies=strategies,
            rules=rules,
            report=reports[a],
            parameters=[p],
            as_roots=True,
        )

    workers = min(4 if jobs is None else max(1, jobs), available_cpus())
    started = time.perf_counter()
    first = run(tasks[0])
    progress(1, len(tasks))
    if jobs is None and (time.perf_counter() - started) * (len(tasks) - 1) < PARALLEL_FROM:
        workers = 1  # too little work to pay for starting processes
    rest = run_forked(run, tasks[1:], workers, lambda done, _: progress(1 + done, len(tasks)))
    found = [first, *rest]
    out: list[list[TippingPoint]] = [[] for _ in names]
    for (a, _), tp in zip(tasks, found):
        out[a].extend(tp)
    return [tuple(with_exact_values(t)) for t in out]


def compare(
    scenario: Scenario,
    assumptions: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
    progress: Callable[[int, int], None] | None = None,
    tipping: bool = True,
    jobs: int | None = None,
) -> Comparison:
    """Compare the détente's stability across assumptions.

    Parameters
    ----------
    scenario : Scenario
    assumptions : sequence of str, optional
        Default: the baseline and every named assumption.
    overrides : mapping, optional
        ``--set`` values applied on top of every assumption.
    strategies : sequence of str, optional
        Strategies each played by both players (default: the file's list).
    rules : VerdictRules, optional
        Default: the scenario's thresholds (``repeated.verdict``).
    progress : callable, optional
        Called as ``progress(done, total)`` after each assumption.
    tipping : bool
        Also find the tipping points of every ranged parameter under each
        assumption (:func:`negotiation.analysis.tipping.tipping_points`). The
        threshold formulas in the parameters are not derived (each profile's
        ``formulas`` is ``(None, None)``; ``stability`` gives them).
    jobs : int, optional
        Processes for the tipping points (one parameter under one assumption per
        task; the result does not depend on it), never more than the CPUs
        available. Default: at most 4; 1 runs everything in this process.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> c = compare(load_scenario("prisoners-dilemma"), strategies=["grim_trigger"], tipping=False)
    >>> [col.assumption for col in c.columns]
    ['baseline', 'high-temptation', 'mild-war', 'valuable-truce', 'terms-of-trade']
    >>> c.rows()[-1]
    ('verdict', ['fragile', 'fragile', 'fragile', 'fragile', 'fragile'])
    """
    rules = rules or VerdictRules.for_scenario(scenario)
    skipped = ""
    if tipping and scenario.repeated is not None and scenario.repeated.punishment == "nash-any":
        # The tipping points follow the punishments as functions of a parameter: pure
        # profiles only (a mixed equilibrium's probabilities move with the payoffs).
        tipping = False
        skipped = "punishment: nash-any (the tipping points follow pure punishments only)"
    names = list(assumptions) if assumptions else list(scenario.assumptions)
    ranged = tuple(
        n for n, p in scenario.parameters.items() if p.min is not None and p.max is not None
    )
    steps = len(names) * (1 + (len(ranged) if tipping else 0))
    report_progress = progress or (lambda done, total: None)
    reports = []
    for k, name in enumerate(names):
        if k:
            report_progress(k, steps)
        # The threshold formulas in the parameters are the ``stability`` command's;
        # the tipping points are found without them.
        reports.append(
            stability_report(scenario, name, overrides, strategies=strategies, formulas=False)
        )
    tips = (
        _all_tipping_points(
            scenario,
            names,
            ranged,
            overrides,
            strategies,
            rules,
            reports,
            jobs,
            lambda done, total: report_progress(len(names) + done, steps),
        )
        if tipping
        else [()] * len(names)
    )
    columns: list[Column] = []
    for name, report, tp in zip(names, reports, tips):
        game = report.game
        eqs = extreme_equilibria(game)
        labels = []
        for e in eqs:
            if e.kind == "pure":
                labels.append(
                    f"({game.row_moves[e.row_support[0]]}, {game.col_moves[e.col_support[0]]})"
                )
            else:
                labels.append("mixed")
        target_eq = any(
            e.kind == "pure" and (e.row_support[0], e.col_support[0]) == report.target for e in eqs
        )
        v, best = verdict(report, rules)
        columns.append(
            Column(
                name,
                scenario.assumptions[name].description,
                tuple(labels),
                target_eq,
                report,
                v,
                best,
                tp,
                _linkage(scenario, name, overrides),
                _penal_code(report),
            )
        )
    report_progress(steps, steps)
    return Comparison(
        scenario.id,
        scenario.title,
        tuple(columns),
        rules,
        ranged if tipping else (),
        override_record(overrides),
        tuple(scenario.parameters.values()),
        skipped,
    )
