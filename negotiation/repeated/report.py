"""The stability of a scenario's détente under each strategy profile (``stability``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.errors import NegotiationError, ScenarioError
from negotiation.games.rational import fraction_str
from negotiation.games.stage_game import StageGame
from negotiation.html_table import html_table
from negotiation.numbers import decimal_text, exact_and_decimal
from negotiation.records import TabularResult
from negotiation.repeated.noise import NoiseMetrics, noise_metrics
from negotiation.repeated.profiles import resolve_pairs
from negotiation.repeated.regions import Interval, render_number
from negotiation.repeated.renegotiation import Renegotiation, renegotiation_check
from negotiation.repeated.sustainability import Sustainability, sustainability
from negotiation.repeated.symbolic import symbolic_thresholds
from negotiation.scenario.discounts import (
    common_discount,
    discount_json,
    discount_pair,
    discount_text,
)
from negotiation.scenario.model import Scenario
from negotiation.scenario.overrides import Overrides, assumption_label, override_record

__all__ = ["ProfileStability", "StabilityReport", "stability_report"]


def _num(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return fraction_str(value)
    if isinstance(value, float):
        return value
    return render_number(value)


def _regions(rs: tuple[Interval, ...]) -> list[dict[str, Any]]:
    return [i.to_dict() for i in rs]


@dataclass(frozen=True)
class ProfileStability:
    """Stability of one strategy profile: exact regions, the margin at δ, noise metrics,
    and weak renegotiation-proofness at δ (Farrell & Maskin 1989; ``renegotiation``).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> grim = stability_report(load_scenario("prisoners-dilemma")).profiles[0]
    >>> grim.strategies, grim.spe_at_discount, grim.to_dict()["critical_discount"]
    (('grim_trigger', 'grim_trigger'), True, '1/2')
    """

    strategies: tuple[str, str]
    sustainability: Sustainability
    spe_at_discount: bool
    incentive_margin: Fraction
    noise: NoiseMetrics
    formulas: tuple[Any, Any] = (None, None)
    moves: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
    renegotiation: Renegotiation | None = None

    @property
    def renegotiation_proof(self) -> bool | None:
        """Whether the profile is weakly renegotiation-proof at δ (``None``: not checked)."""
        r = self.renegotiation
        return None if r is None else r.weakly_renegotiation_proof

    @property
    def offending_text(self) -> str | None:
        """``"(a, b) over (c, d)"``: a joint state both players prefer to another, the
        reason the profile is not weakly renegotiation-proof (``None`` when it is, or
        when it fails only by not being subgame perfect)."""
        r = self.renegotiation
        if r is None or r.offending is None:
            return None
        better, worse = r.offending
        return f"({', '.join(better)}) over ({', '.join(worse)})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``stability --format json`` profile contract)."""
        s = self.sustainability
        rows, cols = self.moves
        return {
            "strategies": list(self.strategies),
            "spe_region": _regions(s.spe_region),
            "nash_region": _regions(s.nash_region),
            "critical_discount": _num(s.critical_discount),
            "player_critical_discount": [_num(x) for x in s.player_critical],
            "player_critical_formula": [None if f is None else str(f) for f in self.formulas],
            "spe_at_discount": self.spe_at_discount,
            "incentive_margin": float(self.incentive_margin),
            "on_target_path": s.on_target,
            "path": [[rows[a], cols[b]] for a, b in s.path],
            "cycle_start": s.cycle_start,
            "player_spe_regions": [_regions(r) for r in s.player_regions],
            "bindings": [_binding(b, self.moves) for b in s.bindings],
            "detente_share": _float(self.noise.detente_share),
            "rounds_to_breakdown": _float(self.noise.rounds_to_breakdown),
            "rounds_to_recover": _float(self.noise.rounds_to_recover),
            "weakly_renegotiation_proof": self.renegotiation_proof,
            "renegotiation_offending": (
                None
                if self.renegotiation is None or self.renegotiation.offending is None
                else [list(s) for s in self.renegotiation.offending]
            ),
        }


def _binding(b: Any, moves: tuple[tuple[str, ...], tuple[str, ...]]) -> Any:
    if b is None:
        return None
    return {"player": b.player, "state": list(b.state), "deviation": moves[b.player][b.deviation]}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class StabilityReport(TabularResult):
    """Stability of a détente under several strategy profiles.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> report = stability_report(load_scenario("prisoners-dilemma"), overrides={"T": 6})
    >>> report.label, len(report.profiles), report.to_dict()["overrides"]
    ('baseline with T=6', 3, {'T': '6'})
    """

    _rows_key = "profiles"
    _keep = ("scenario", "assumption", "discount")

    def _players(self) -> tuple[str, ...]:
        return tuple(self.game.players)

    scenario: str
    assumption: str
    game: StageGame
    discount: Fraction | tuple[Fraction, Fraction]
    target: tuple[int, int]
    noise: Fraction
    profiles: tuple[ProfileStability, ...]
    overrides: Overrides = ()

    @property
    def discounts(self) -> tuple[Fraction, Fraction]:
        """``(δ_row, δ_col)``: each player's own discount factor (equal when common)."""
        return discount_pair(self.discount)

    @property
    def discount_label(self) -> str:
        """``9/10`` when common, ``us 3/5, cn 9/10`` when the players' factors differ."""
        return discount_text(self.discount, self.game.players, fraction_str)

    @property
    def label(self) -> str:
        """The assumption with the overrides applied, e.g. ``baseline with T=7``."""
        return assumption_label(self.assumption, self.overrides)

    def __repr__(self) -> str:
        found = ", ".join(
            f"{p.strategies[0]}/{p.strategies[1]}: "
            + (
                "never"
                if p.sustainability.critical_discount is None
                else f"δ* = {render_number(p.sustainability.critical_discount)}"
            )
            for p in self.profiles
        )
        return (
            f"StabilityReport({self.scenario!r}, {self.label!r}, δ = {self.discount_label}; "
            f"{found})"
        )

    def _repr_html_(self) -> str:
        """One row per profile: critical δ overall and per player, SPE at δ, margin."""
        p, q = self.game.players
        header = [
            "row",
            "column",
            "critical δ",
            f"critical δ {p}",
            f"critical δ {q}",
            "SPE at δ",
            "margin",
            "détente share",
        ]
        rows = [
            [
                *prof.strategies,
                *(
                    exact_and_decimal(x, none="never")
                    for x in (
                        prof.sustainability.critical_discount,
                        *prof.sustainability.player_critical,
                    )
                ),
                "yes" if prof.spe_at_discount else "no",
                decimal_text(prof.incentive_margin),
                decimal_text(prof.noise.detente_share),
            ]
            for prof in self.profiles
        ]
        return html_table(
            header, rows, f"{self.game.title}: {self.label}, δ = {self.discount_label}"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``stability --format json`` contract)."""
        g = self.game
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "overrides": dict(self.overrides),
            "discount": discount_json(self.discount, g.players, float),
            "target": [g.row_moves[self.target[0]], g.col_moves[self.target[1]]],
            "noise": float(self.noise),
            "profiles": [p.to_dict() for p in self.profiles],
        }


def stability_report(
    scenario: Scenario,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] = (),
    punishment: str | None = None,
    formulas: bool = True,
) -> StabilityReport:
    """Analyse the scenario's détente under strategy profiles.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``repeated`` section (target, discount, noise, strategies).
    assumption : str
    overrides : mapping, optional
        ``--set`` values.
    strategies : sequence of str, optional
        Strategies each played by both players (default: the file's list, unless
        ``pairs`` is given).
    pairs : sequence of (str, str)
        Extra (row strategy, column strategy) profiles.
    punishment : {"nash", "nash-any", "minmax"}, optional
        Default punishment of the built-in strategies (default: the file's).
    formulas : bool
        Also give each player's critical δ as a formula in the parameters
        (:func:`~negotiation.repeated.symbolic.symbolic_thresholds`); it is most of the
        time of the analysis, so callers that do not show it can skip it (the formulas
        are then ``(None, None)``).

    Returns
    -------
    StabilityReport

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> r = stability_report(load_scenario("prisoners-dilemma"), strategies=["grim_trigger"])
    >>> r.profiles[0].to_dict()["critical_discount"]
    '1/2'
    """
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    rep = scenario.repeated
    game = StageGame.from_scenario(scenario, assumption, overrides)
    if not game.is_exact:  # locate the payoff that is not a rational
        scenario.require_exact_payoffs("stability", assumption, overrides)
    values = scenario.parameter_values(assumption, overrides)
    discount = rep.discount_value(values)
    noise = rep.noise.evaluate(values)
    ids = scenario.player_ids
    checked = [
        (rep.discount_path(who, ids), "discount factor", d)
        for who, d in enumerate(discount_pair(discount))
    ]
    under = assumption_label(assumption, overrides)
    for path, what, value in (*checked, (("repeated", "noise"), "noise", noise)):
        line = scenario.lines.get(path) or scenario.lines.get(path[:2])
        if not isinstance(value, Fraction):
            raise ScenarioError(
                f"the {what} must be a rational number (sqrt of a non-square, exp, log or a "
                "fractional power give floating-point numbers)",
                file=scenario.file,
                path=path,
                line=line,
            )
        if not 0 <= value < 1:  # e.g. moved there by --set
            whose = f" of {path[2]}" if len(path) > 2 else ""
            raise ScenarioError(
                f"the {what}{whose} must be in [0, 1), got {fraction_str(value)} under {under!r}",
                file=scenario.file,
                path=path,
                line=line,
            )
    assert isinstance(noise, Fraction)
    # One number when the players' factors are equal (then every answer is the
    # single-δ answer, JSON included), the (row, column) pair when they differ.
    discount = common_discount(discount) if common_discount(discount) is not None else discount
    target = (game.row_moves.index(rep.target[0]), game.col_moves.index(rep.target[1]))
    names = list(rep.strategies if strategies is None and not pairs else strategies or [])
    exact_values = {k: v for k, v in values.items() if isinstance(v, Fraction)}
    moves = (game.row_moves, game.col_moves)
    profiles = []
    for label, row, col in resolve_pairs(
        game,
        target,
        strategies=names,
        pairs=pairs,
        custom=scenario.strategies,
        punishment=punishment or rep.punishment,
    ):
        sus = sustainability(game, row, col, target)
        spe, margin = sus.at_discount(discount)
        metrics = noise_metrics(game, row, col, target, noise=noise, discount=discount)
        thresholds = (
            symbolic_thresholds(scenario, game, row, col, sus, exact_values)
            if formulas
            else (None, None)
        )
        reneg = renegotiation_check(game, row, col, target, discount)
        profiles.append(
            ProfileStability(label, sus, spe, margin, metrics, thresholds, moves, reneg)
        )
    return StabilityReport(
        scenario.id,
        assumption,
        game,
        discount,
        target,
        noise,
        tuple(profiles),
        override_record(overrides),
    )
