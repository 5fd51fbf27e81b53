"""How stable is the détente under each assumption? (``negotiation compare``)

For every assumption (one column each) the comparison collects, from the stage game
and the repeated-game analysis: the stage equilibria, whether the détente is one of
them, the critical δ of each strategy profile, the slack δ − δ*, the incentive margin,
the noise robustness, and a verdict by the rules of :class:`VerdictRules`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from negotiation.errors import GameError
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.repeated.regions import render_number
from negotiation.repeated.report import ProfileStability, StabilityReport, stability_report
from negotiation.scenario.model import Scenario

if TYPE_CHECKING:
    from negotiation.analysis.linkage import LinkageAnalysis
    from negotiation.analysis.tipping import TippingPoint

__all__ = ["Comparison", "VerdictRules", "compare", "verdict"]


@dataclass(frozen=True)
class VerdictRules:
    """Rules of the verdict over the strategy profiles considered.

    - **unsustainable**: no profile is a subgame-perfect equilibrium at the scenario's δ
      whose path of play is the détente;
    - **stable**: some profile is, with δ slack of at least ``min_slack`` and a long-run
      détente share of at least ``min_share`` under the scenario's noise (the best such
      profile, by slack, is reported);
    - **fragile**: otherwise -- sustainable, but close to the threshold or easily broken
      by mistakes (the profile with the most slack is reported).
    """

    min_slack: Fraction = Fraction(1, 20)
    min_share: Fraction = Fraction(1, 2)

    @classmethod
    def for_scenario(
        cls,
        scenario: Scenario,
        min_slack: Fraction | None = None,
        min_share: Fraction | None = None,
    ) -> VerdictRules:
        """The scenario's thresholds (``repeated.verdict``), each overridable.

        Examples
        --------
        >>> from negotiation.scenario import load_scenario
        >>> VerdictRules.for_scenario(load_scenario("chicken"), min_share=Fraction(9, 10))
        VerdictRules(min_slack=Fraction(1, 20), min_share=Fraction(9, 10))
        """
        rep = scenario.repeated
        default = cls() if rep is None else cls(rep.min_slack, rep.min_share)
        return cls(
            default.min_slack if min_slack is None else Fraction(min_slack),
            default.min_share if min_share is None else Fraction(min_share),
        )


def _slack(p: ProfileStability, discount: Fraction) -> float | None:
    crit = p.sustainability.critical_discount
    return None if crit is None else float(discount) - float(crit)


def verdict(report: StabilityReport, rules: VerdictRules) -> tuple[str, ProfileStability | None]:
    """The verdict and the profile it rests on.

    The profile is the one with the largest δ slack among those that meet the rules
    (stable), else among those that sustain the détente (fragile); ties go to the larger
    détente share under noise.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = stability_report(load_scenario("prisoners-dilemma"), strategies=["grim_trigger"])
    >>> verdict(r, VerdictRules(min_share=Fraction(0)))[0]
    'stable'
    """
    sustained = [p for p in report.profiles if p.spe_at_discount and p.sustainability.on_target]
    if not sustained:
        return "unsustainable", None

    def slack(p: ProfileStability) -> float:
        return _slack(p, report.discount) or 0.0

    good = [
        p
        for p in sustained
        if slack(p) >= rules.min_slack
        and p.noise.detente_share is not None
        and p.noise.detente_share >= rules.min_share
    ]
    return ("stable", _best(good, slack)) if good else ("fragile", _best(sustained, slack))


#: Slacks closer than this count as equal when choosing the best profile.
TIE = 1e-9


def _best(
    profiles: Sequence[ProfileStability], slack: Callable[[ProfileStability], float]
) -> ProfileStability:
    """The profile with the largest δ slack; among ties, the largest détente share under
    noise; then the first listed."""
    top = max(slack(p) for p in profiles)
    tied = [p for p in profiles if slack(p) >= top - TIE]

    def share(p: ProfileStability) -> float:
        s = p.noise.detente_share
        return -1.0 if s is None else float(s)

    return max(tied, key=share)


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


@dataclass(frozen=True)
class Comparison:
    """The comparison table: one column per assumption, one row per metric."""

    scenario: str
    title: str
    columns: tuple[Column, ...]
    rules: VerdictRules
    tipping_parameters: tuple[str, ...] = ()

    def rows(self) -> list[tuple[str, list[Any]]]:
        """``(metric, values per assumption)`` in display order (values are plain text)."""
        out: list[tuple[str, list[Any]]] = [
            ("stage equilibria", ["; ".join(c.stage_equilibria) for c in self.columns]),
            (
                "détente is a stage equilibrium",
                ["yes" if c.detente_is_stage_equilibrium else "no" for c in self.columns],
            ),
        ]
        for k, profile in enumerate(self.columns[0].report.profiles):
            out.append(
                (
                    f"critical δ: {_profile(profile)}",
                    [
                        _text(col.report.profiles[k].sustainability.critical_discount)
                        for col in self.columns
                    ],
                )
            )
        best = [c.best for c in self.columns]
        out += [
            ("δ", [_num(c.report.discount) for c in self.columns]),
            ("best profile", ["-" if b is None else _profile(b) for b in best]),
            (
                "δ slack (best)",
                [
                    _num(_slack(b, c.report.discount)) if b else "-"
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
            "rules": {
                "min_slack": float(self.rules.min_slack),
                "min_share": float(self.rules.min_share),
            },
            "assumptions": [
                {
                    "assumption": c.assumption,
                    "description": c.description,
                    "stage_equilibria": list(c.stage_equilibria),
                    "detente_is_stage_equilibrium": c.detente_is_stage_equilibrium,
                    "verdict": c.verdict,
                    "best_profile": None if c.best is None else list(c.best.strategies),
                    "tipping_points": [t.to_dict() for t in c.tipping],
                    "stability": c.report.to_dict(),
                    **_linkage_keys(c.linkage),
                }
                for c in self.columns
            ],
        }


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
    return "never" if value is None else render_number(value)


def _num(value: Any) -> str:
    if value is None:
        return "-"
    x = float(value)
    text = f"{x:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _linkage(
    scenario: Scenario, name: str, overrides: Mapping[str, Any] | None
) -> LinkageAnalysis | None:
    """Separate vs linked enforcement for a scenario with two or more issues, else None."""
    if len(scenario.issues) < 2:
        return None
    from negotiation.analysis.linkage import linkage_analysis

    try:
        return linkage_analysis(scenario, name, overrides)
    except GameError:  # e.g. an issue without a pure equilibrium to revert to
        return None


def compare(
    scenario: Scenario,
    assumptions: Sequence[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
    progress: Callable[[int, int], None] | None = None,
    tipping: bool = True,
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
        assumption (:func:`negotiation.analysis.tipping.tipping_points`). Without
        them the threshold formulas in the parameters are not derived either (each
        profile's ``formulas`` is ``(None, None)``).

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
    names = list(assumptions) if assumptions else list(scenario.assumptions)
    columns: list[Column] = []
    for name in names:
        if progress is not None and columns:
            progress(len(columns), len(names))
        # The formulas in the parameters serve the tipping points only (and cost most
        # of the exact analysis): without tipping points they are left out.
        report = stability_report(
            scenario, name, overrides, strategies=strategies, formulas=tipping
        )
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
        tips: tuple[TippingPoint, ...] = ()
        if tipping:
            from negotiation.analysis.tipping import tipping_points

            tips = tipping_points(
                scenario, name, overrides, strategies=strategies, rules=rules, report=report
            )
        columns.append(
            Column(
                name,
                scenario.assumptions[name].description,
                tuple(labels),
                target_eq,
                report,
                v,
                best,
                tips,
                _linkage(scenario, name, overrides),
            )
        )
    if progress is not None:
        progress(len(columns), len(names))
    ranged = tuple(
        n for n, p in scenario.parameters.items() if p.min is not None and p.max is not None
    )
    return Comparison(
        scenario.id, scenario.title, tuple(columns), rules, ranged if tipping else ()
    )
