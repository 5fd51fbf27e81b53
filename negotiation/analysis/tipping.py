"""Tipping points: where, along each parameter's range, the détente's standing changes.

For every parameter with a declared ``min`` and ``max``, holding the others at the
assumption's values, a tipping point is a value at which the verdict changes, or at
which a strategy profile starts or stops sustaining the détente at the scenario's δ.

How they are found:

* **Exactly** (:mod:`negotiation.analysis.tipping_exact`), whenever the payoffs, δ and
  the noise are rational functions of the parameter: the one-shot-deviation conditions
  and the détente share are derived as functions of it, every point where a status can
  change is an exact root of a polynomial, and the verdict is decided exactly between
  them. Nothing is missed between grid points, and every value is exact
  (method ``"exact"``).
* **By scanning**, otherwise (``exp``, ``sqrt``, ``min`` of the parameter, floats):

  1. the range is evaluated on a grid of :data:`SCAN` points with the sweep engine;
     each change of status between neighbours brackets a tipping point (two changes
     closer together than the grid spacing can hide each other);
  2. each bracket is narrowed by repeated 8-section until it is 1e-10 of the range
     wide;
  3. where the threshold is algebraic in the parameter near the assumption's values
     (:func:`~negotiation.repeated.symbolic.symbolic_thresholds`), sympy solves for it;
     a root inside the bracket is reported in closed form (method ``"exact"``),
     otherwise the bracketed value (method ``"bracketing"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np

from negotiation.analysis.grid import Axis
from negotiation.analysis.sweep import GridEvaluator, prepare
from negotiation.analysis.sweep_chunk import profile_label
from negotiation.analysis.tipping_exact import NotRational, tipping_along
from negotiation.analysis.verdict import VerdictRules
from negotiation.numbers import exact_and_decimal, json_exact, to_fraction
from negotiation.repeated.exact_roots import Root
from negotiation.repeated.report import StabilityReport, stability_report
from negotiation.scenario.model import Scenario

__all__ = [
    "SCAN",
    "TippingPoint",
    "tipping_points",
    "with_exact_values",
]

#: Grid points of the first scan of each parameter's range.
SCAN = 97
#: Points per refinement round (each round narrows a bracket 8-fold).
REFINE = 7
#: Refinement stops when a bracket is this narrow, relative to the range.
WIDTH = 1e-10


@dataclass(frozen=True)
class TippingPoint:
    """A value of one parameter at which something changes.

    Attributes
    ----------
    parameter : str
    value : float
    exact : Fraction, sympy number or None
        The exact value when ``method == "exact"``: a ``Fraction`` when rational, else
        a sympy algebraic number (e.g. ``3*sqrt(5)/4``).
    method : {"exact", "bracketing"}
    what : str
        ``"verdict"``, or the strategy profile whose sustainability changes.
    below, above : str
        The status just below and just above the value (verdicts, or ``"sustained"``
        / ``"not sustained"`` for a profile).
    """

    parameter: str
    value: float
    exact: Any
    method: str
    what: str
    below: str
    above: str

    def describe(self) -> str:
        """One line, e.g. ``"2/9 ≈ 0.2222: fragile → unsustainable"``; a bracketed value
        reads ``"≈ 0.327186 (bracketed): ..."``.

        Examples
        --------
        >>> t = TippingPoint("T", 2 / 9, Fraction(2, 9), "exact", "verdict", "fragile",
        ...                  "unsustainable")
        >>> t.describe()
        '2/9 ≈ 0.2222: fragile → unsustainable'
        """
        number = (
            exact_and_decimal(self.exact)
            if self.exact is not None
            else f"≈ {self.value:.6g} (bracketed)"
        )
        what = "" if self.what == "verdict" else f"{self.what} "
        return f"{number}: {what}{self.below} → {self.above}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "parameter": self.parameter,
            "value": self.value,
            "exact": json_exact(self.exact),
            "method": self.method,
            "what": self.what,
            "below": self.below,
            "above": self.above,
        }


def _statuses(cols: Mapping[str, Any], labels: Sequence[str]) -> list[list[str]]:
    """Per point: [verdict, then each profile's "sustained"/"not sustained"]."""
    out = []
    for g, v in enumerate(cols["verdict"]):
        row = [v]
        for k in range(len(labels)):
            row.append("sustained" if cols["sustained"][k, g] else "not sustained")
        out.append(row)
    return out


@dataclass
class _Bracket:
    """A change of status index ``k`` from ``left`` (at ``a``) to ``right`` (at ``b``)."""

    a: float
    b: float
    k: int
    left: str
    right: str = ""


def _refine(ev: GridEvaluator, brackets: list[_Bracket], span: float) -> None:
    """Narrow every bracket in place to about ``WIDTH * span``."""
    labels = [profile_label(p[0]) for p in ev.profiles]
    for _ in range(20):
        todo = [br for br in brackets if br.b - br.a > WIDTH * span]
        if not todo:
            break
        # Verdicts need the noise metrics; a profile's sustainability does not.
        todo.sort(key=lambda br: br.k != 0)
        points = []
        for br in todo:
            xs = np.linspace(br.a, br.b, REFINE + 2)[1:-1]
            points += [(Fraction(float(x)),) for x in xs]
        split = REFINE * sum(1 for br in todo if br.k == 0)
        status: list[list[str]] = []
        for part, noisy in ((points[:split], True), (points[split:], False)):
            if part:
                cols, _, _ = ev.evaluate(part, noise_metrics=noisy, equilibria=False, exact=False)
                status += _statuses(cols, labels)
        for j, br in enumerate(todo):
            xs = np.linspace(br.a, br.b, REFINE + 2)
            seg = [row[br.k] for row in status[j * REFINE : (j + 1) * REFINE]]
            first = next((i for i, x in enumerate(seg) if x != br.left), None)
            if first is None:  # the change is in the last sub-interval
                br.a = float(xs[-2])
            else:
                br.a, br.b = float(xs[first]), float(xs[first + 1])
    cols, _, _ = ev.evaluate([(Fraction(br.b),) for br in brackets], equilibria=False)
    for br, row in zip(brackets, _statuses(cols, labels)):
        br.right = row[br.k]


def _symbolic_discounts(scenario: Scenario) -> tuple[Any, Any]:
    """Each player's δ as a sympy expression in the parameters (row, column)."""
    import sympy

    assert scenario.repeated is not None
    syms = {name: sympy.Symbol(name, real=True) for name in scenario.parameters}
    vals: dict[str, Any] = dict(syms)
    for name, expr in scenario.derived.items():
        vals[name] = expr.to_sympy(vals)
    d_row, d_col = scenario.repeated.discount_exprs()
    return (d_row.to_sympy(vals), d_col.to_sympy(vals))


def _roots(sympy: Any, expr: Any, sym: Any) -> list[Any]:
    """Roots of ``expr = 0`` in ``sym``: real roots of the numerator when ``expr`` is
    rational in ``sym`` with rational coefficients, else ``sympy.solve`` (radicals); []
    when sympy gives up (the caller then reports the bracketed value)."""
    together = sympy.together(expr)
    if together.is_rational_function(sym):
        # The numerator is then a polynomial in ``sym``: ``Poly`` cannot fail, and
        # ``real_roots`` isolates the real roots of any polynomial over ZZ or QQ. Other
        # coefficient domains (sqrt(2), pi, floats: EX, ZZ[pi], RR) go to solve().
        poly = sympy.Poly(sympy.numer(together), sym)
        if poly.domain.is_QQ or poly.domain.is_ZZ:
            return list(poly.real_roots())
    if sympy.count_ops(expr) > 400:
        return []
    try:
        return list(sympy.solve(expr, sym))
    except (NotImplementedError, ValueError, TypeError):
        # sympy has no algorithm for the equation (NotImplementedError, e.g. 2**x + x**2
        # = 21: "multiple generators"), or fails inside (ValueError, TypeError; e.g.
        # x + 2**x = 21 exceeds Python's limit on digits of an int as text).
        return []


def _exact_root(
    equations: Sequence[tuple[Any, Any]],
    name: str,
    values: Mapping[str, Any],
    lo: float,
    hi: float,
    tol: float,
) -> Any:
    """The one root of some ``formula = target`` (``equations`` of such pairs) in
    ``name`` inside [lo, hi], else None."""
    import sympy

    sym = sympy.Symbol(name, real=True)
    subs = {
        sympy.Symbol(k, real=True): sympy.Rational(v.numerator, v.denominator)
        for k, v in values.items()
        if k != name and isinstance(v, Fraction)
    }
    found = []
    for f, t in equations:
        if f is None:
            continue
        expr = (f - t).xreplace(subs)
        if expr.free_symbols - {sym} or not expr.has(sym):
            continue
        for r in _roots(sympy, expr, sym):
            x = complex(sympy.N(r, 30))
            if abs(x.imag) < 1e-12 and lo - tol <= x.real <= hi + tol:
                found.append(r)
    unique = {sympy.simplify(r) for r in found}
    return unique.pop() if len(unique) == 1 else None


def tipping_points(
    scenario: Scenario,
    assumption: str = "baseline",
    overrides: Mapping[str, Any] | None = None,
    *,
    strategies: Sequence[str] | None = None,
    rules: VerdictRules | None = None,
    report: StabilityReport | None = None,
    parameters: Sequence[str] | None = None,
    by_profile: bool = False,
    as_roots: bool = False,
) -> tuple[TippingPoint, ...]:
    """Tipping points of every ranged parameter under one assumption.

    Parameters
    ----------
    scenario : Scenario
    assumption : str
    overrides : mapping, optional
        ``--set`` values.
    strategies : sequence of str, optional
        Strategies each played by both players (default: the file's list).
    rules : VerdictRules, optional
        Default: the scenario's.
    report : StabilityReport, optional
        The exact report at the assumption (its formulas are reused by the scan of a
        parameter outside the exact class); computed when needed and not given.
    parameters : sequence of str, optional
        Default: every parameter with both ``min`` and ``max``.
    by_profile : bool
        Also report where each strategy profile starts or stops sustaining the
        détente (by default only changes of the verdict, which include the détente
        becoming or ceasing to be sustainable).
    as_roots : bool
        Leave irrational exact values as
        :class:`~negotiation.repeated.exact_roots.Root` objects (picklable, no sympy
        needed: for work spread over processes), made exact numbers at the end by
        :func:`with_exact_values`.

    Returns
    -------
    tuple of TippingPoint
        By parameter (file order), then value.

    Examples
    --------
    Grim trigger in the Prisoner's Dilemma at δ = 9/10 needs (T - R)/(T - P) <= δ:
    with T = 5 and P = 1 it holds from R = T - δ(T - P) = 7/5 on, and with R = 3 up to
    P = T - (T - R)/δ = 25/9 (T = (R - δP)/(1 - δ) = 21 is outside T's range):

    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("prisoners-dilemma")
    >>> for t in tipping_points(s, strategies=["grim_trigger"], parameters=["R", "P"]):
    ...     print(t.parameter, t.describe())
    R 7/5 = 1.4: unsustainable → fragile
    P 25/9 ≈ 2.7778: fragile → unsustainable
    """
    rules = rules or VerdictRules.for_scenario(scenario)
    names = (
        list(parameters)
        if parameters is not None
        else [n for n, p in scenario.parameters.items() if p.min is not None and p.max is not None]
    )
    if not names:
        return ()
    out: list[TippingPoint] = []
    scan = []
    for name in names:
        p = scenario.parameters[name]
        assert p.min is not None and p.max is not None
        if Fraction(p.max) <= Fraction(p.min):
            continue
        try:
            changes, labels = tipping_along(
                scenario, name, assumption, overrides, strategies=strategies, rules=rules
            )
        except NotRational:
            scan.append(name)
            continue
        for c in changes:
            if c.index and not by_profile:
                continue
            what = "verdict" if c.index == 0 else profile_label(labels[c.index - 1])
            exact = (
                c.value
                if isinstance(c.value, Fraction) or c.value.value is None
                else c.value.value
            )
            out.append(TippingPoint(name, float(c.value), exact, "exact", what, c.below, c.above))
    if scan:
        out += _scanned(
            scenario, assumption, overrides, strategies, rules, report, scan, by_profile
        )
    order = {n: k for k, n in enumerate(names)}
    found = sorted(out, key=lambda t: (order[t.parameter], t.value))
    return tuple(found if as_roots else with_exact_values(found))


def with_exact_values(points: Iterable[TippingPoint]) -> list[TippingPoint]:
    """Tipping points with each ``exact`` that is a
    :class:`~negotiation.repeated.exact_roots.Root` made an exact number (a sympy
    algebraic number; see ``tipping_points(..., as_roots=True)``).

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> found = tipping_points(load_scenario("stag-hunt"), as_roots=True)
    >>> kinds = [type(t.exact).__name__ for t in found]
    >>> "Root" in kinds, "Root" in [type(t.exact).__name__ for t in with_exact_values(found)]
    (True, False)
    """
    return [replace(t, exact=t.exact.exact()) if isinstance(t.exact, Root) else t for t in points]


def _scanned(
    scenario: Scenario,
    assumption: str,
    overrides: Mapping[str, Any] | None,
    strategies: Sequence[str] | None,
    rules: VerdictRules,
    report: StabilityReport | None,
    names: Sequence[str],
    by_profile: bool,
) -> list[TippingPoint]:
    """Tipping points of parameters outside the exact class, by scan and bracketing."""
    import sympy

    if report is None or all(f == (None, None) for q in report.profiles for f in [q.formulas]):
        report = stability_report(scenario, assumption, overrides, strategies=strategies)
    formulas = {profile_label(p.strategies): p.formulas for p in report.profiles}
    discount = _symbolic_discounts(scenario)
    out: list[TippingPoint] = []
    for name in names:
        p = scenario.parameters[name]
        assert p.min is not None and p.max is not None
        lo, hi = Fraction(p.min), Fraction(p.max)
        xs = tuple(lo + (hi - lo) * k / (SCAN - 1) for k in range(SCAN))
        axis = Axis(name, "parameter", xs, p.label)
        ev = prepare(scenario, [axis], assumption, overrides, strategies=strategies, rules=rules)
        labels = [profile_label(q[0]) for q in ev.profiles]
        cols, _, _ = ev.evaluate([(x,) for x in xs], equilibria=False)
        status = _statuses(cols, labels)
        brackets: list[_Bracket] = []
        scanned: list[tuple[Fraction, Fraction, str]] = []
        for i in range(SCAN - 1):
            for k in range(1 + len(labels) if by_profile else 1):
                left, right = status[i][k], status[i + 1][k]
                if left != right and "n/a" not in (status[i][0], status[i + 1][0]):
                    brackets.append(_Bracket(float(xs[i]), float(xs[i + 1]), k, left))
                    scanned.append((xs[i], xs[i + 1], right))
        if not brackets:
            continue
        span = float(hi - lo)
        _refine(ev, brackets, span)
        values = ev.values
        fixed = {
            sympy.Symbol(k, real=True): sympy.Rational(v.numerator, v.denominator)
            for k, v in values.items()
            if k != name and isinstance(v, Fraction)
        }
        # Player i's critical δ formula is compared with player i's own δ.
        delta = [d.xreplace(fixed) for d in discount]
        slack = sympy.Rational(rules.min_slack)
        for (a0, b0, scan_right), br in zip(scanned, brackets):
            a, b, k, left, right = br.a, br.b, br.k, br.left, br.right
            what = "verdict" if k == 0 else labels[k - 1]
            fls = list(formulas.values()) if k == 0 else [formulas.get(what, (None, None))]
            equations = [
                (fl[who], target)
                for fl in fls
                for who in (0, 1)
                for target in ([delta[who]] if k else [delta[who], delta[who] - slack])
            ]
            root = _exact_root(equations, name, values, a, b, 1e-6 * span)
            x = (a + b) / 2
            # A change exactly at a scan point (e.g. a tie at the range's end) is
            # reported at that point rather than a hair beside it.
            near = min((abs(float(g) - x), g) for g in (a0, b0))
            if near[0] <= 1e-8 * span:
                # The status differs at the scan point itself (a tie there, e.g. at
                # the range's end): report that point and the status beyond it.
                # At the scan point b0 the status is the scan's own (exact) one.
                x = float(near[1])
                right = scan_right
            if root is not None:
                q = to_fraction(root)
                exact = q if q is not None else root
                out.append(TippingPoint(name, float(root), exact, "exact", what, left, right))
            else:
                out.append(TippingPoint(name, x, None, "bracketing", what, left, right))
    return out
