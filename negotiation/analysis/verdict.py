"""The verdict on a détente: stable, fragile or unsustainable (one module for all).

``compare``, ``sweep`` and tipping points all decide the verdict here, by the rules of
:class:`VerdictRules`:

- **unsustainable**: no strategy profile is a subgame-perfect equilibrium at the
  scenario's δ whose path of play is the détente;
- **stable**: some profile is, with δ slack ``δ - δ*`` of at least ``min_slack`` and a
  long-run détente share of at least ``min_share`` under the scenario's noise;
- **fragile**: otherwise.

The profile reported is the best one among those meeting the rules (stable), else among
those sustaining the détente (fragile): the largest slack; among equal slacks, the
larger détente share; then the first listed.

Two implementations of these rules, one meaning:

* :func:`exact_verdict` (and :func:`verdict` on a
  :class:`~negotiation.repeated.report.StabilityReport`) compares **exactly**: the slack
  is computed as an exact number (``Fraction``, or a sympy algebraic number when δ* is
  irrational) and compared with ``min_slack`` exactly, and so are the shares.
* :func:`grid_verdicts` applies the same rules to float arrays over many points (the
  sweep engine) and also says where its answer is not certain: wherever a float is
  within its error bound of a threshold, the point is ``undecided``, and the sweep
  re-decides it exactly (:meth:`negotiation.analysis.sweep.GridEvaluator.evaluate`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from negotiation.numbers import exact_sign, to_fraction
from negotiation.repeated.exact_roots import Root, compare_real
from negotiation.scenario.discounts import common_discount, discount_pair, is_pair

if TYPE_CHECKING:
    from negotiation.repeated.report import ProfileStability, StabilityReport
    from negotiation.scenario.model import Scenario

__all__ = [
    "SHARE_TOLERANCE",
    "ULPS",
    "VERDICTS",
    "GridVerdicts",
    "VerdictRules",
    "discount_slack",
    "exact_slack",
    "exact_verdict",
    "grid_verdicts",
    "pair_verdict",
    "verdict",
    "verdict_by_cover",
]

#: The verdicts, worst first.
VERDICTS = ("unsustainable", "fragile", "stable")

#: Rounding allowance of the float verdict, in units of the double-precision epsilon
#: (δ, δ* and ``min_slack`` lie in [0, 1], so this is a few ulps of each).
ULPS = 8

#: A float détente share this close to ``min_share`` is undecided.
SHARE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class VerdictRules:
    """Thresholds of the verdict (see the module docstring for the rules).

    Attributes
    ----------
    min_slack : Fraction
        Least δ slack ``δ - δ*`` of a stable détente (default 1/20).
    min_share : Fraction
        Least long-run détente share under noise of a stable détente (default 1/2).

    Examples
    --------
    >>> VerdictRules()
    VerdictRules(min_slack=Fraction(1, 20), min_share=Fraction(1, 2))
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

        Parameters
        ----------
        scenario : Scenario
        min_slack, min_share : Fraction, optional
            Replace the file's value.

        Returns
        -------
        VerdictRules

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


def _exact(value: Any) -> Any:
    """A Fraction when rational, else the (sympy) number; floats read exactly."""
    if isinstance(value, float):
        return Fraction(value)
    q = to_fraction(value)
    return value if q is None else q


def _difference(a: Any, b: Any) -> Any:
    """``a - b`` exactly: a Fraction when both are rational, else a sympy number."""
    a, b = _exact(a), _exact(b)
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return a - b
    import sympy

    def sym(x: Any) -> Any:
        return sympy.Rational(x.numerator, x.denominator) if isinstance(x, Fraction) else x

    return sym(a) - sym(b)


def _compare(a: Any, b: Any) -> int:
    """-1, 0 or 1 as ``a < b``, ``a == b``, ``a > b``, decided exactly (numbers may also
    be :class:`~negotiation.repeated.exact_roots.Root` objects, compared without sympy)."""
    if isinstance(a, Root) or isinstance(b, Root):
        return compare_real(_real(a), _real(b))
    return exact_sign(_difference(a, b))


def _real(value: Any) -> Any:
    return value if isinstance(value, Root) else Fraction(_exact(value))


def exact_slack(discount: Any, critical: Any) -> Any:
    """The δ slack ``δ - δ*``, exactly; ``None`` when there is no critical δ.

    Parameters
    ----------
    discount : Fraction
        The scenario's δ.
    critical : Fraction, sympy number or None
        The critical δ (a sympy ``Rational`` is read as a ``Fraction``).

    Returns
    -------
    Fraction, sympy number or None
        A ``Fraction`` when δ* is rational, else a sympy algebraic number.

    Examples
    --------
    The issue's example: δ = 0.85 and grim trigger's δ* = 4/5 leave exactly 1/20 (in
    floats, ``0.85 - 0.8`` is ``0.04999999999999993``):

    >>> import sympy
    >>> exact_slack(Fraction(17, 20), sympy.Rational(4, 5))
    Fraction(1, 20)
    >>> exact_slack(Fraction(9, 10), sympy.sqrt(57) / 6 - sympy.S.Half)
    7/5 - sqrt(57)/6
    """
    return None if critical is None else _difference(discount, critical)


def discount_slack(discount: Any, player_critical: Sequence[Any], critical: Any) -> Any:
    """The δ slack of a profile, with one δ or one per player.

    With a common δ it is :func:`exact_slack` ``δ - δ*``. With a pair ``(δ_row, δ_col)``
    it is ``min_i (δ_i - δ_i*)``: player ``i``'s conditions involve ``δ_i`` alone, so
    the profile stays subgame perfect while each player's factor falls by less than
    that (equal factors give ``δ - max_i δ_i* = δ - δ*``). ``None`` without a critical δ.

    Examples
    --------
    >>> discount_slack((Fraction(3, 5), Fraction(2, 5)), (Fraction(1, 2), Fraction(1, 3)),
    ...                Fraction(1, 2))
    Fraction(1, 15)
    >>> discount_slack(Fraction(3, 5), (Fraction(1, 2), Fraction(1, 3)), Fraction(1, 2))
    Fraction(1, 10)
    """
    common = common_discount(discount)
    if common is not None or critical is None:
        return exact_slack(common, critical)
    a, b = (_difference(d, c) for d, c in zip(discount_pair(discount), player_critical))
    return a if _compare(a, b) <= 0 else b


def _share_key(share: Any) -> Fraction:
    return Fraction(-1) if share is None else _exact(share)


def exact_verdict(
    discount: Any,
    sustained: Sequence[bool],
    critical: Sequence[Any],
    share: Sequence[Any],
    rules: VerdictRules,
) -> tuple[str, int | None]:
    """The verdict from per-profile exact values, and the index of the profile it rests on.

    Parameters
    ----------
    discount : Fraction
        The scenario's δ.
    sustained : sequence of bool
        Per profile: a subgame-perfect equilibrium at δ with the détente on its path.
    critical : sequence of (Fraction, sympy number, Root or None)
        Per profile: the critical δ (a
        :class:`~negotiation.repeated.exact_roots.Root` is compared without sympy).
    share : sequence of (Fraction, float or None)
        Per profile: the long-run détente share under noise (floats are read exactly).
    rules : VerdictRules

    Returns
    -------
    (str, int or None)
        The verdict (one of :data:`VERDICTS`) and the best profile's index (``None``
        when unsustainable).

    Examples
    --------
    Slack exactly ``min_slack`` is stable; a hair less is fragile:

    >>> rules = VerdictRules(Fraction(1, 20), Fraction(1, 2))
    >>> exact_verdict(Fraction(17, 20), [True], [Fraction(4, 5)], [Fraction(1)], rules)
    ('stable', 0)
    >>> exact_verdict(Fraction(17, 20), [True], [Fraction(4, 5) + Fraction(1, 10**30)],
    ...               [Fraction(1)], rules)
    ('fragile', 0)

    Equal slacks: the larger share wins, then the first listed:

    >>> exact_verdict(Fraction(9, 10), [True, True, True], [Fraction(1, 2)] * 3,
    ...               [Fraction(3, 5), Fraction(4, 5), Fraction(4, 5)], rules)
    ('stable', 1)
    """
    pool = [k for k, s in enumerate(sustained) if s]
    if not pool:
        return "unsustainable", None
    # The slack is δ - δ* (0 without a critical δ, i.e. δ* = δ): comparing slacks is
    # comparing critical δs the other way round, so no difference is ever formed.
    crit = {k: discount if critical[k] is None else critical[k] for k in pool}
    bound = _difference(discount, rules.min_slack)

    def slack_ok(k: int) -> Callable[[], bool]:
        return lambda: _compare(crit[k], bound) <= 0

    good = [k for k in pool if _good(share[k], rules, slack_ok(k))]
    return _pick(pool, good, share, lambda k, b: _compare(crit[b], crit[k]))


def _pick(
    pool: list[int], good: list[int], share: Sequence[Any], better: Callable[[int, int], int]
) -> tuple[str, int]:
    """The verdict and the best profile: among the good profiles (else all sustained),
    the one ``better`` ranks first (``better(k, b) > 0``: k beats b), ties broken by
    the larger détente share."""
    chosen = good or pool
    best = chosen[0]
    for k in chosen[1:]:
        c = better(k, best)
        if c > 0 or (c == 0 and _share_key(share[k]) > _share_key(share[best])):
            best = k
    return ("stable" if good else "fragile"), best


def _good(share: Any, rules: VerdictRules, slack_ok: Callable[[], bool]) -> bool:
    """A sustained profile is good (makes the verdict stable) when its share reaches
    ``min_share`` and its δ slack reaches ``min_slack`` (asked last: the costlier)."""
    return share is not None and _compare(share, rules.min_share) >= 0 and slack_ok()


def pair_verdict(
    discount: tuple[Any, Any],
    sustained: Sequence[bool],
    slack: Sequence[Any],
    share: Sequence[Any],
    rules: VerdictRules,
) -> tuple[str, int | None]:
    """:func:`exact_verdict` with one δ per player: the same rules on each profile's slack
    ``min_i (δ_i - δ_i*)`` (:func:`discount_slack`; ``None``, no critical δ, counts as 0).

    Examples
    --------
    >>> rules = VerdictRules(Fraction(1, 20), Fraction(1, 2))
    >>> pair_verdict((Fraction(3, 5), Fraction(2, 5)), [True, True],
    ...              [Fraction(1, 15), Fraction(1, 30)], [Fraction(1), Fraction(1)], rules)
    ('stable', 0)
    """
    pool = [k for k, s in enumerate(sustained) if s]
    if not pool:
        return "unsustainable", None
    sl = {k: Fraction(0) if slack[k] is None else slack[k] for k in pool}

    def slack_ok(k: int) -> Callable[[], bool]:
        return lambda: _compare(sl[k], rules.min_slack) >= 0

    good = [k for k in pool if _good(share[k], rules, slack_ok(k))]
    return _pick(pool, good, share, lambda k, b: _compare(sl[k], sl[b]))


def verdict_by_cover(
    discount: Any,
    sustained: Sequence[bool],
    share: Sequence[Any],
    rules: VerdictRules,
    covers: Callable[[int, Any], bool],
    critical: Callable[[int], Any],
) -> str:
    """The verdict of :func:`exact_verdict`, asking each profile's slack as a question
    about its region: ``slack >= min_slack`` is ``[δ - min_slack, 1)`` lying inside
    the region where the profile is subgame perfect (``covers(k, low)``), so no
    critical δ is computed unless ``min_slack`` is 0 (then a profile without one has
    slack 0: ``critical(k)``). Profiles are asked in order and only until one is good.

    Parameters
    ----------
    discount : Fraction, or a pair (δ_row, δ_col)
        With a pair, ``covers`` gets a pair of lower ends (one per player) and
        ``critical`` returns a pair of player critical δs.
    sustained : sequence of bool
    share : sequence of (Fraction or None)
    rules : VerdictRules
    covers : callable
        ``covers(k, low)`` for ``0 <= low < 1``: whether profile ``k`` is subgame perfect
        at every δ in ``[low, 1)``.
    critical : callable
        ``critical(k)``: profile ``k``'s critical δ or ``None`` (as for
        :func:`exact_verdict`).

    Examples
    --------
    Grim trigger in the Prisoner's Dilemma (δ* = 4/5) at δ = 17/20, slack exactly 1/20:

    >>> rules = VerdictRules(Fraction(1, 20), Fraction(1, 2))
    >>> verdict_by_cover(Fraction(17, 20), [True], [Fraction(1)], rules,
    ...                  lambda k, low: low >= Fraction(4, 5), lambda k: Fraction(4, 5))
    'stable'
    """
    if not any(sustained):
        return "unsustainable"
    if is_pair(discount):
        return _pair_by_cover(discount, sustained, share, rules, covers, critical)
    low = _exact(discount) - rules.min_slack
    for k, s in enumerate(sustained):
        if not s:
            continue

        def slack_ok(k: int = k) -> bool:
            if rules.min_slack > 0:
                return low >= 0 and covers(k, low)
            c = critical(k)
            return c is None or _compare(c, discount) <= 0

        if _good(share[k], rules, slack_ok):
            return "stable"
    return "fragile"


def _pair_by_cover(
    discount: Any,
    sustained: Sequence[bool],
    share: Sequence[Any],
    rules: VerdictRules,
    covers: Callable[[int, Any], bool],
    critical: Callable[[int], Any],
) -> str:
    """:func:`verdict_by_cover` with one δ per player: ``covers(k, (low_row, low_col))``
    asks whether each player's conditions hold on ``[low_i, 1)``, ``critical(k)`` gives
    the pair of player critical δs (the slack ``min_i (δ_i - δ_i*)`` reaches
    ``min_slack`` iff every ``[δ_i - min_slack, 1)`` lies in player ``i``'s region)."""
    pair = [_exact(d) for d in discount_pair(discount)]
    lows = (pair[0] - rules.min_slack, pair[1] - rules.min_slack)
    for k, s in enumerate(sustained):
        if not s:
            continue

        def slack_ok(k: int = k) -> bool:
            if rules.min_slack > 0:
                return min(lows) >= 0 and covers(k, lows)
            cs = critical(k)
            return all(c is None or _compare(c, d) <= 0 for c, d in zip(cs, pair))

        if _good(share[k], rules, slack_ok):
            return "stable"
    return "fragile"


def verdict(report: StabilityReport, rules: VerdictRules) -> tuple[str, ProfileStability | None]:
    """The verdict on a stability report and the profile it rests on (exact).

    Parameters
    ----------
    report : StabilityReport
    rules : VerdictRules

    Returns
    -------
    (str, ProfileStability or None)
        See :func:`exact_verdict`.

    Examples
    --------
    >>> from negotiation.repeated.report import stability_report
    >>> from negotiation.scenario import load_scenario
    >>> r = stability_report(load_scenario("prisoners-dilemma"), strategies=["grim_trigger"])
    >>> verdict(r, VerdictRules(min_share=Fraction(0)))[0]
    'stable'
    """
    profiles = report.profiles
    if is_pair(report.discount):
        v, k = pair_verdict(
            discount_pair(report.discount),
            [p.spe_at_discount and p.sustainability.on_target for p in profiles],
            [
                discount_slack(
                    report.discount,
                    p.sustainability.player_critical,
                    p.sustainability.critical_discount,
                )
                for p in profiles
            ],
            [p.noise.detente_share for p in profiles],
            rules,
        )
        return v, None if k is None else profiles[k]
    v, k = exact_verdict(
        report.discount,
        [p.spe_at_discount and p.sustainability.on_target for p in profiles],
        [p.sustainability.critical_discount for p in profiles],
        [p.noise.detente_share for p in profiles],
        rules,
    )
    return v, None if k is None else profiles[k]


@dataclass(frozen=True)
class GridVerdicts:
    """The float verdict at every point of a grid (see :func:`grid_verdicts`).

    Attributes
    ----------
    best : numpy.ndarray of int, shape (G,)
        Index of the profile the verdict rests on, -1 for none.
    slack : numpy.ndarray, shape (G,)
        The best profile's δ slack (``nan`` for none).
    verdict : list of str
        One of :data:`VERDICTS` per point.
    undecided : numpy.ndarray of bool, shape (G,)
        Where the float answer is within its error bound of a threshold: these points
        must be decided exactly.
    """

    best: np.ndarray
    slack: np.ndarray
    verdict: list[str]
    undecided: np.ndarray

    def columns(self) -> dict[str, Any]:
        """The fields as sweep columns ``best``, ``slack``, ``verdict``, ``undecided``.

        Examples
        --------
        >>> out = grid_verdicts(np.array([[0.5]]), np.array([[True]]), np.array([[1.0]]),
        ...                     np.array([0.9]), VerdictRules())
        >>> sorted(out.columns()), out.columns()["verdict"]
        (['best', 'slack', 'undecided', 'verdict'], ['stable'])
        """
        return {
            "best": self.best,
            "slack": self.slack,
            "verdict": self.verdict,
            "undecided": self.undecided,
        }


def grid_verdicts(
    critical: np.ndarray,
    sustained: np.ndarray,
    share: np.ndarray,
    discount: np.ndarray,
    rules: VerdictRules,
    *,
    critical_error: np.ndarray | float = 0.0,
    uncertain: np.ndarray | None = None,
    player_critical: np.ndarray | None = None,
) -> GridVerdicts:
    """The verdict rules on float arrays over ``G`` points and ``P`` profiles.

    Comparisons are plain float comparisons (no tolerance); a point is flagged
    ``undecided`` wherever that answer could differ from the exact one:

    - a sustaining profile's slack within its error of ``min_slack``:
      ``|slack - min_slack| <= critical_error + ULPS * eps``;
    - δ within that error of the critical δ of a profile found sustaining (whether it
      is an SPE at δ is then in doubt; for the others ``uncertain`` says so);
    - a sustaining profile's share within :data:`SHARE_TOLERANCE` of ``min_share``;
    - the caller's ``uncertain`` for any profile at the point;
    - a tie for the best profile within error: another candidate's slack within the
      two errors of the best one's, unless all such slacks are equal floats with no
      error (then they are taken as equal, and the tie rule of the exact verdict
      applies as it stands).

    Parameters
    ----------
    critical : numpy.ndarray, shape (P, G)
        Critical δ of each profile at each point (``nan`` for none).
    sustained : numpy.ndarray of bool, shape (P, G)
        SPE at δ with the détente on the path.
    share : numpy.ndarray, shape (P, G)
        Long-run détente share under noise (``nan`` where not computed).
    discount : numpy.ndarray, shape (G,) or (G, 2)
        δ at each point, or each player's δ (then ``player_critical`` is needed, and
        a profile's slack is ``min_i (δ_i - δ_i*)``, see :func:`discount_slack`).
    rules : VerdictRules
    critical_error : float or numpy.ndarray broadcastable to (P, G)
        A bound on the error of each ``critical`` value (0: exact up to rounding).
    uncertain : numpy.ndarray of bool, shape (P, G), optional
        Where the float engine could not decide whether the profile is an SPE at δ.
    player_critical : numpy.ndarray, shape (P, G, 2), optional
        Each player's critical δ, for a per-player ``discount``.

    Returns
    -------
    GridVerdicts

    Examples
    --------
    Grim trigger with δ* = 4/5 at δ = 0.85, 0.9: in floats the first slack is
    ``0.04999999999999993``, a few ulps below ``min_slack`` = 1/20, so that point is
    undecided (it is exactly 1/20: stable):

    >>> crit = np.array([[0.8, 0.8]])
    >>> out = grid_verdicts(crit, np.array([[True, True]]), np.array([[1.0, 1.0]]),
    ...                     np.array([0.85, 0.9]), VerdictRules())
    >>> out.verdict, out.undecided.tolist()
    (['fragile', 'stable'], [True, False])
    """
    crit = np.asarray(critical, dtype=float)
    P, G = crit.shape
    sus = np.asarray(sustained, dtype=bool)
    shares = np.asarray(share, dtype=float)
    delta2 = np.asarray(discount, dtype=float)
    per_player = delta2.ndim == 2
    delta = delta2[:, 0] if per_player else delta2.reshape(G)
    err = np.broadcast_to(np.asarray(critical_error, dtype=float), (P, G))
    tol = err + ULPS * np.finfo(float).eps
    min_slack, min_share = float(rules.min_slack), float(rules.min_share)

    if P == 0:
        return GridVerdicts(
            np.full(G, -1), np.full(G, np.nan), ["unsustainable"] * G, np.zeros(G, dtype=bool)
        )
    has_crit = ~np.isnan(crit)
    crit0 = np.where(has_crit, crit, 0.0)
    if per_player:
        assert player_critical is not None
        pc = np.asarray(player_critical, dtype=float)
        # Each player's own slack; the profile's is the smaller (equal factors give
        # exactly δ - max_i δ_i*: float subtraction is monotone).
        diff = delta2[None, :, :] - np.where(np.isnan(pc), 0.0, pc)
        slack = np.where(has_crit, diff.min(axis=2), 0.0)
    else:
        slack = np.where(has_crit, delta[None, :] - crit0, 0.0)
    has_share = ~np.isnan(shares)
    good = sus & (slack >= min_slack) & has_share & (shares >= min_share)
    any_good = np.asarray(good.any(axis=0), dtype=bool)
    pool = np.where(any_good[None, :], good, sus)
    any_pool = np.asarray(pool.any(axis=0), dtype=bool)

    # The best profile: the largest slack, then the larger share, then the first listed.
    top = np.where(pool, slack, -np.inf).max(axis=0)
    tied = pool & (slack == top[None, :])
    share_key = np.where(tied, np.where(has_share, shares, -1.0), -np.inf)
    best = np.where(any_pool, np.argmax(share_key, axis=0), -1)
    rows = np.arange(G)
    pick = np.maximum(best, 0)
    best_slack = np.where(best >= 0, slack[pick, rows], np.nan)
    verdicts = [
        "stable" if any_good[g] else ("fragile" if any_pool[g] else "unsustainable")
        for g in range(G)
    ]

    near_slack = sus & (np.abs(slack - min_slack) <= tol)
    # δ near the critical δ of a profile the floats find sustaining (a gain computed as
    # exactly 0 may be a small positive one). Elsewhere whether the profile is an SPE
    # at δ is certain unless the engine says ``uncertain`` (its gains at δ are beyond
    # their error bounds), and a profile that does not sustain the détente plays no
    # part in the verdict, whatever its critical δ.
    if per_player:
        near_delta = sus & has_crit & (np.abs(diff) <= tol[..., None]).any(axis=2)
    else:
        near_delta = sus & has_crit & (np.abs(delta[None, :] - crit0) <= tol)
    share0 = np.where(has_share, shares, 0.0)
    near_share = sus & has_share & (np.abs(share0 - min_share) <= SHARE_TOLERANCE)
    flagged = near_slack | near_delta | near_share
    if uncertain is not None:
        flagged = flagged | np.asarray(uncertain, dtype=bool)
    candidates = pool & (slack >= (top - tol[pick, rows])[None, :] - tol)
    certain = tied & (err == 0)
    tie = any_pool & (candidates.sum(axis=0) > 1) & (candidates & ~certain).any(axis=0)
    undecided = flagged.any(axis=0) | tie
    return GridVerdicts(best.astype(int), best_slack, verdicts, undecided)
