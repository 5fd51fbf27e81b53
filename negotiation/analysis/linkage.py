"""Linked accords: does linking issues lower the critical discount factor?

For a scenario with several ``issues`` (say tariffs and export controls) and a détente
target on each, two ways of enforcing the accord with grim trigger and player-specific
Nash reversion are compared (Bernheim & Whinston 1990):

- **separate** enforcement: each issue has its own grim trigger, and a deviation on one
  issue is punished on that issue only, by its stage equilibrium worst for the deviator.
  Payoffs add up over issues, so such a profile is a subgame-perfect equilibrium of the
  repeated linked game iff each issue's profile is one: the separate accord's critical
  δ is the largest over issues and players;
- **linked** enforcement: a deviation on any issue triggers Nash reversion on all of
  them -- grim trigger on the linked game with the combined target.

Both are computed with the exact engine (:func:`negotiation.repeated.sustainability.
sustainability`): the separate thresholds on each issue's own stage game (payoffs times
the issue's weight), the linked ones on the linked game. With one-shot temptation
``d``, target payoff ``c`` and punishment payoff ``n`` per issue, player ``i``'s linked
threshold is the mediant ``Σ_g (d_ig - c_ig) / Σ_g (d_ig - n_ig)`` of its separate
ones, which :attr:`PlayerLinkage.mediant` reports as a cross-check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.errors import GameError, NegotiationError
from negotiation.games.stage_game import StageGame
from negotiation.numbers import json_exact, json_number, to_fraction
from negotiation.records import TabularResult, short_repr
from negotiation.repeated.library import build_strategy, context_for
from negotiation.repeated.sustainability import sustainability
from negotiation.scenario.discounts import common_discount, discount_json, is_pair
from negotiation.scenario.issues import combined_target, issue_payoff_values
from negotiation.scenario.model import BASELINE, Scenario
from negotiation.scenario.overrides import Overrides, assumption_label, override_record

__all__ = ["IssueEnforcement", "LinkageAnalysis", "PlayerLinkage", "linkage_analysis"]


def _exact(value: Any) -> Any:
    """An engine number as a Fraction when rational (sympy Rational), else unchanged."""
    q = to_fraction(value)
    return value if q is None else q


def _worst(values: list[Any]) -> Any:
    """The largest critical δ, ``None`` (never sustainable) dominating."""
    if any(v is None for v in values):
        return None
    return max(values)


def _below(high: Any, low: Any) -> Any:
    return None if high is None or low is None else high - low


@dataclass(frozen=True)
class IssueEnforcement:
    """Separate enforcement of one issue: grim trigger with Nash reversion on it alone.

    Attributes
    ----------
    issue : str
    target : (str, str)
        The issue's détente, row move first.
    weight : Fraction or float
        The issue's weight in the linked game (payoffs below include it).
    punishment : ((str, str), (str, str))
        The stage equilibrium played after a deviation by the row / the column player.
    player_critical : (Fraction or None, Fraction or None)
        Each player's critical δ on this issue alone (``None``: never sustainable).
    critical : Fraction or None
        The larger of the two.
    temptation, target_payoff, punishment_payoff : (Fraction, Fraction)
        Per player ``d`` (best stage payoff of a move other than the target move,
        against the other's target move; ``c`` when there is none), ``c`` (target
        payoff) and ``n`` (payoff in the punishment aimed at that player), weighted.
    """

    issue: str
    target: tuple[str, str]
    weight: Any
    punishment: tuple[tuple[str, str], tuple[str, str]]
    player_critical: tuple[Any, Any]
    critical: Any
    temptation: tuple[Any, Any]
    target_payoff: tuple[Any, Any]
    punishment_payoff: tuple[Any, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (exact numbers as ``"p/q"`` text).

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> from negotiation.scenario.issues import LINKED_EXAMPLE
        >>> la = linkage_analysis(parse_scenario(LINKED_EXAMPLE))
        >>> la.issues[0].to_dict()["player_critical_discount"]
        ['1/2', '1/2']
        """
        return {
            "issue": self.issue,
            "target": list(self.target),
            "weight": (
                json_exact(self.weight) if isinstance(self.weight, Fraction) else self.weight
            ),
            "punishment": [list(p) for p in self.punishment],
            "player_critical_discount": [json_exact(x) for x in self.player_critical],
            "critical_discount": json_exact(self.critical),
            "temptation": [json_exact(x) for x in self.temptation],
            "target_payoff": [json_exact(x) for x in self.target_payoff],
            "punishment_payoff": [json_exact(x) for x in self.punishment_payoff],
        }


@dataclass(frozen=True)
class PlayerLinkage:
    """One player's thresholds, separate and linked.

    Attributes
    ----------
    player : str
    separate : Fraction or None
        The player's worst (largest) critical δ over the issues enforced separately.
    binding_issue : str or None
        The issue where that worst threshold arises.
    linked : Fraction or None
        The player's critical δ under linked enforcement (exact engine).
    mediant : Fraction or None
        The closed form ``Σ_g (d_g - c_g) / Σ_g (d_g - n_g)`` when every issue tempts
        (``d_g >= c_g``), generalised otherwise (0 when nothing tempts and the
        punishment hurts, ``None`` when no δ < 1 works); equals ``linked``.
    transfer : Fraction or None
        ``separate - linked``: how much slack linkage pools from the player's other
        issues (``None`` when either threshold is never reached).
    """

    player: str
    separate: Any
    binding_issue: str | None
    linked: Any
    mediant: Any
    transfer: Any

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form.

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> from negotiation.scenario.issues import LINKED_EXAMPLE
        >>> la = linkage_analysis(parse_scenario(LINKED_EXAMPLE))
        >>> la.per_player[0].to_dict()["linked_critical_discount"]
        '7/10'
        """
        return {
            "player": self.player,
            "separate_critical_discount": json_exact(self.separate),
            "binding_issue": self.binding_issue,
            "linked_critical_discount": json_exact(self.linked),
            "mediant": json_exact(self.mediant),
            "transfer": json_exact(self.transfer),
        }


@dataclass(frozen=True)
class LinkageAnalysis(TabularResult):
    """Separate versus linked enforcement of a multi-issue accord.

    Attributes
    ----------
    scenario, title, assumption : str
    players : (str, str)
    discount : Fraction or float, or a pair of them
        The scenario's δ under the assumption; ``(δ_row, δ_col)`` when the players'
        factors differ (then each player's critical δ is compared with their own).
    target : (str, str)
        The linked détente (the combination of the issues' targets).
    issues : tuple of IssueEnforcement
    per_player : tuple of two PlayerLinkage
    separate : Fraction or None
        The separate accord's critical δ: the largest over issues and players.
    linked : Fraction or None
        The linked accord's critical δ.
    gain : Fraction or None
        ``separate - linked`` (``None`` when either is never reached).
    effect : str
        ``"lowers"`` (linkage lowers the critical δ), ``"none"`` (it does not),
        ``"rescues"`` (only the linked accord is sustainable at some δ < 1) or
        ``"never"`` (neither is).
    """

    __repr__ = short_repr

    _rows_key = "players"
    _keep = ("scenario", "assumption", "discount")

    scenario: str
    title: str
    assumption: str
    players: tuple[str, str]
    discount: Any
    target: tuple[str, str]
    issues: tuple[IssueEnforcement, ...]
    per_player: tuple[PlayerLinkage, PlayerLinkage]
    separate: Any
    linked: Any
    gain: Any
    effect: str
    overrides: Overrides = ()

    @property
    def label(self) -> str:
        """The assumption with the overrides applied, e.g. ``baseline with T=7``."""
        return assumption_label(self.assumption, self.overrides)

    def sustainable_at_discount(self) -> tuple[bool, bool]:
        """Whether the separate and the linked accord are SPE at the scenario's δ.

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> from negotiation.scenario.issues import LINKED_EXAMPLE
        >>> linkage_analysis(parse_scenario(LINKED_EXAMPLE)).sustainable_at_discount()
        (True, True)
        """
        if is_pair(self.discount):
            # Player i's conditions involve δ_i only: each against their own critical δ.
            d = self.discount
            sep = all(
                p.separate is not None and d[k] >= p.separate
                for k, p in enumerate(self.per_player)
            )
            link = all(
                p.linked is not None and d[k] >= p.linked for k, p in enumerate(self.per_player)
            )
            return sep, link
        separate, linked = (
            x is not None and self.discount >= x for x in (self.separate, self.linked)
        )
        return separate, linked

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the ``linkage --format json`` contract).

        Examples
        --------
        >>> from negotiation.scenario import parse_scenario
        >>> from negotiation.scenario.issues import LINKED_EXAMPLE
        >>> d = linkage_analysis(parse_scenario(LINKED_EXAMPLE)).to_dict()
        >>> d["separate_critical_discount"], d["linked_critical_discount"], d["effect"]
        ('3/4', '7/10', 'lowers')
        """
        sep_ok, link_ok = self.sustainable_at_discount()
        return {
            "scenario": self.scenario,
            "assumption": self.assumption,
            "overrides": dict(self.overrides),
            "discount": discount_json(self.discount, self.players, json_number),
            "target": list(self.target),
            "issues": [i.to_dict() for i in self.issues],
            "players": [p.to_dict() for p in self.per_player],
            "separate_critical_discount": json_exact(self.separate),
            "linked_critical_discount": json_exact(self.linked),
            "gain": json_exact(self.gain),
            "effect": self.effect,
            "separate_sustainable_at_discount": sep_ok,
            "linked_sustainable_at_discount": link_ok,
        }


def _discount(value: Any) -> Any:
    """One δ when the players' factors are equal, else the pair."""
    common = common_discount(value)
    return value if common is None else common


def _grim(
    game: StageGame, labels: tuple[str, str]
) -> tuple[tuple[int, int], tuple[tuple[int, int], tuple[int, int]], tuple[Any, Any], Any]:
    """Grim trigger with Nash reversion toward the target move ``labels``.

    Returns the target profile, the punishment profiles (after a deviation by the row /
    the column player), each player's critical δ and the profile's, exact.
    """
    target = (game.row_moves.index(labels[0]), game.col_moves.index(labels[1]))
    ctxs = [context_for(game, p, target, punishment="nash") for p in (0, 1)]
    row, col = (build_strategy("grim_trigger", ctx) for ctx in ctxs)
    sus = sustainability(game, row, col, target)
    player = (_exact(sus.player_critical[0]), _exact(sus.player_critical[1]))
    return target, ctxs[0].punish, player, _exact(sus.critical_discount)


def _separate(
    scenario: Scenario, issue: Any, values: Mapping[str, Any], assumption: str
) -> IssueEnforcement:
    A, B, exact = issue_payoff_values(scenario, issue, assumption, values=values)
    if not exact:
        raise GameError(f"issue {issue.id!r}: linkage needs rational payoffs")
    rows, cols = issue.moves
    game = StageGame.from_payoffs(
        A, B, players=scenario.player_ids, row_moves=rows, col_moves=cols, title=issue.id
    )
    (t0, t1), punish, player, critical = _grim(game, issue.target)
    c = (A[t0][t1], B[t0][t1])
    d = (
        max((A[i][t1] for i in range(len(rows)) if i != t0), default=c[0]),
        max((B[t0][j] for j in range(len(cols)) if j != t1), default=c[1]),
    )
    (r0, c0), (r1, c1) = punish
    return IssueEnforcement(
        issue=issue.id,
        target=issue.target,
        weight=issue.weight.evaluate(values),
        punishment=((rows[r0], cols[c0]), (rows[r1], cols[c1])),
        player_critical=player,
        critical=critical,
        temptation=d,
        target_payoff=c,
        punishment_payoff=(A[r0][c0], B[r1][c1]),
    )


def _mediant(issues: tuple[IssueEnforcement, ...], who: int) -> Any:
    """Closed-form linked threshold: grim trigger needs ``(1-δ) G <= δ P``.

    ``G`` is the best one-shot gain in the linked game (deviate on every issue that
    tempts; on the least costly one when none does) and ``P = Σ_g (c_g - n_g)`` the
    loss from the punishment. With ``d_g >= c_g`` on every issue this is the mediant
    ``Σ_g (d_g - c_g) / Σ_g (d_g - n_g)``.
    """
    gains = [i.temptation[who] - i.target_payoff[who] for i in issues]
    positive = [g for g in gains if g > 0]
    gain = sum(positive, Fraction(0)) if positive else max(gains)
    loss = sum((i.target_payoff[who] - i.punishment_payoff[who] for i in issues), Fraction(0))
    if gain <= 0 and loss >= 0:
        return Fraction(0)
    if gain <= 0 or loss <= 0:
        return None
    return gain / (gain + loss)


def linkage_analysis(
    scenario: Scenario,
    assumption: str = BASELINE,
    overrides: Mapping[str, Any] | None = None,
) -> LinkageAnalysis:
    """Compare separate and linked enforcement of a multi-issue accord, exactly.

    Parameters
    ----------
    scenario : Scenario
        A scenario with at least two ``issues`` and a ``repeated`` section.
    assumption : str
        ``"baseline"`` or a named assumption.
    overrides : mapping, optional
        ``--set``-style parameter values applied last.

    Returns
    -------
    LinkageAnalysis

    Raises
    ------
    NegotiationError
        Fewer than two issues, or no ``repeated`` section.
    GameError
        Irrational payoffs, or an issue without a pure stage equilibrium to revert to.

    Examples
    --------
    Two prisoner's dilemmas: the second (weight 2) tempts less, so linking pools its
    slack into the first:

    >>> from negotiation.scenario import parse_scenario
    >>> from negotiation.scenario.issues import LINKED_EXAMPLE
    >>> la = linkage_analysis(parse_scenario(LINKED_EXAMPLE))
    >>> [str(i.critical) for i in la.issues], str(la.linked), la.effect
    (['1/2', '3/4'], '7/10', 'lowers')
    """
    if len(scenario.issues) < 2:
        raise NegotiationError(
            f"{scenario.file}: linkage needs a scenario with at least two issues "
            f"(this one has {len(scenario.issues)}); see the 'issues' section of the "
            "scenario format"
        )
    if scenario.repeated is None:
        raise NegotiationError(f"{scenario.file}: the scenario has no 'repeated' section")
    values = scenario.parameter_values(assumption, overrides)
    issues = tuple(_separate(scenario, i, values, assumption) for i in scenario.issues)
    game = StageGame.from_scenario(scenario, assumption, overrides)
    target = combined_target(scenario.issues)
    _, _, linked_player, linked = _grim(game, target)
    players = []
    for who, pid in enumerate(scenario.player_ids):
        per_issue = [i.player_critical[who] for i in issues]
        worst = _worst(per_issue)
        # The first issue where the worst threshold (or "never", None) arises; none at 0.
        binding = None if worst == 0 else issues[per_issue.index(worst)].issue
        players.append(
            PlayerLinkage(
                player=pid,
                separate=worst,
                binding_issue=binding,
                linked=linked_player[who],
                mediant=_mediant(issues, who),
                transfer=_below(worst, linked_player[who]),
            )
        )
    separate = _worst([i.critical for i in issues])
    if separate is None:
        effect = "never" if linked is None else "rescues"
    else:
        effect = "lowers" if linked is not None and linked < separate else "none"
    return LinkageAnalysis(
        scenario=scenario.id,
        title=scenario.title,
        assumption=assumption,
        players=scenario.player_ids,
        discount=_discount(scenario.repeated.discount_value(values)),
        target=target,
        issues=issues,
        per_player=(players[0], players[1]),
        separate=separate,
        linked=linked,
        gain=_below(separate, linked),
        effect=effect,
        overrides=override_record(overrides),
    )
