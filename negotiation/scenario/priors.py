"""Priors on parameters: beliefs about the inputs, for ``negotiation robustness``.

A parameter may carry a ``prior`` (its structure is
:class:`~negotiation.scenario.schema.PriorModel`); an assumption may replace priors
(``assumptions.NAME.priors``). This module checks their meaning -- which fields a kind
takes, that the support lies inside the parameter's declared range, that shapes are
positive and probabilities sum to 1 -- with located problems, and turns uniform numbers
in ``[0, 1)`` into draws (:meth:`Prior.ppf`, the inverse distribution function, so
quasi-random designs keep their structure).

Kinds (``low`` and ``high`` default to the parameter's ``min`` and ``max``):

* ``uniform`` on ``[low, high]``;
* ``triangular`` on ``[low, high]`` with peak ``mode``;
* ``beta`` with shapes ``a``, ``b`` rescaled to ``[low, high]``;
* ``normal`` with ``mean`` (default: the parameter's value) and ``sd``, truncated to
  ``[low, high]``;
* ``log_uniform`` on ``[low, high]``, ``low > 0`` (uniform in the logarithm);
* ``discrete``: ``values`` with ``probabilities`` (default: equal), summing to 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from negotiation.errors import NegotiationError, quote, show_number
from negotiation.scenario.model import BASELINE, Parameter, Scenario, Value
from negotiation.scenario.problems import Collector, unknown
from negotiation.scenario.yaml_source import Path

if TYPE_CHECKING:
    import numpy as np

    from negotiation.scenario.schema import PriorModel

__all__ = ["KINDS", "MIN_NORMAL_MASS", "Prior", "check_prior", "effective_priors", "uniform_prior"]

#: The kinds of prior and the fields each takes.
KINDS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"),
    "triangular": ("low", "high", "mode"),
    "beta": ("low", "high", "a", "b"),
    "normal": ("low", "high", "mean", "sd"),
    "log_uniform": ("low", "high"),
    "discrete": ("values", "probabilities"),
}
_FIELDS = ("low", "high", "mode", "a", "b", "mean", "sd", "values", "probabilities")

#: Least probability a truncated normal prior must give its support ``[low, high]``
#: (below it the truncated distribution cannot be drawn accurately: the mean lies
#: many standard deviations outside).
MIN_NORMAL_MASS = 1e-9


@dataclass(frozen=True)
class Prior:
    """A checked prior: its kind, its support ``[low, high]`` and its shape.

    Examples
    --------
    >>> import numpy as np
    >>> p = Prior("triangular", Fraction(0), Fraction(1), mode=Fraction(1, 2))
    >>> p.ppf(np.array([0.0, 0.125, 0.5, 0.875])).tolist()
    [0.0, 0.25, 0.5, 0.75]
    >>> p.describe()
    'triangular on [0, 1], mode 0.5'
    """

    kind: str
    low: Value
    high: Value
    mode: Value | None = None
    a: Value | None = None
    b: Value | None = None
    mean: Value | None = None
    sd: Value | None = None
    values: tuple[Value, ...] = ()
    probabilities: tuple[Value, ...] = ()

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Draws from uniform numbers in ``[0, 1)``: the inverse distribution function,
        clipped to the support.

        Parameters
        ----------
        u : numpy.ndarray
            Numbers in ``[0, 1)``.

        Returns
        -------
        numpy.ndarray of float, the shape of ``u``

        Examples
        --------
        >>> import numpy as np
        >>> Prior("log_uniform", Fraction(1), Fraction(100)).ppf(np.array([0.5])).round(9)
        array([10.])
        >>> d = Prior("discrete", Fraction(1), Fraction(3), values=(Fraction(1), Fraction(3)),
        ...           probabilities=(Fraction(1, 4), Fraction(3, 4)))
        >>> d.ppf(np.array([0.1, 0.3, 0.9])).tolist()
        [1.0, 3.0, 3.0]
        """
        import numpy as np

        u = np.asarray(u, dtype=float)
        lo, hi = float(self.low), float(self.high)
        if self.kind == "uniform":
            x = lo + u * (hi - lo)
        elif self.kind == "triangular":
            assert self.mode is not None
            c = float(self.mode)
            split = (c - lo) / (hi - lo)
            with np.errstate(invalid="ignore"):
                left = lo + np.sqrt(u * (hi - lo) * (c - lo))
                right = hi - np.sqrt((1 - u) * (hi - lo) * (hi - c))
            x = np.where(u < split, left, right)
        elif self.kind == "beta":
            from scipy.stats import beta

            assert self.a is not None and self.b is not None
            x = lo + (hi - lo) * beta.ppf(u, float(self.a), float(self.b))
        elif self.kind == "normal":
            from scipy.stats import truncnorm

            assert self.mean is not None and self.sd is not None
            mu, sd = float(self.mean), float(self.sd)
            x = truncnorm.ppf(u, (lo - mu) / sd, (hi - mu) / sd, loc=mu, scale=sd)
        elif self.kind == "log_uniform":
            x = np.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
        elif self.kind == "discrete":
            values = np.array([float(v) for v in self.values])
            cum = np.cumsum([float(p) for p in self.probabilities])
            index = np.searchsorted(cum, u, side="right")
            x = values[np.minimum(index, len(values) - 1)]
        else:  # pragma: no cover - refused by check_prior
            raise NegotiationError(f"unknown prior kind {self.kind!r}")
        return np.clip(np.nan_to_num(x, nan=lo), lo, hi)

    def describe(self) -> str:
        """The prior in a few words, for tables and figures."""

        def num(v: Value | None) -> str:
            return "-" if v is None else f"{float(v):.4g}"

        where = f"on [{num(self.low)}, {num(self.high)}]"
        if self.kind == "triangular":
            return f"triangular {where}, mode {num(self.mode)}"
        if self.kind == "beta":
            return f"beta(a={num(self.a)}, b={num(self.b)}) {where}"
        if self.kind == "normal":
            return f"normal(mean={num(self.mean)}, sd={num(self.sd)}) truncated to {where[3:]}"
        if self.kind == "discrete":
            pairs = ", ".join(
                f"{num(v)}: {num(p)}" for v, p in zip(self.values, self.probabilities)
            )
            return f"discrete {{{pairs}}}"
        return f"{self.kind.replace('_', '-')} {where}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (numbers as floats; only the fields the kind takes).

        Examples
        --------
        >>> Prior("uniform", Fraction(0), Fraction(1, 2)).to_dict()
        {'kind': 'uniform', 'low': 0.0, 'high': 0.5}
        """
        out: dict[str, Any] = {"kind": self.kind}
        for name in KINDS[self.kind]:
            value = getattr(self, name)
            if isinstance(value, tuple):
                out[name] = [float(v) for v in value]
            elif value is not None:
                out[name] = float(value)
        if self.kind == "discrete":
            out["low"], out["high"] = float(self.low), float(self.high)
        return out


def uniform_prior(parameter: Parameter) -> Prior:
    """The uniform prior on a parameter's declared range.

    Raises
    ------
    NegotiationError
        The parameter has no range (or an empty one).

    Examples
    --------
    >>> uniform_prior(Parameter("t", Fraction(1, 2), Fraction(0), Fraction(1))).describe()
    'uniform on [0, 1]'
    """
    lo, hi = parameter.min, parameter.max
    if lo is None or hi is None or not lo < hi:
        raise NegotiationError(
            f"parameter {quote(parameter.name)} has no range [min, max] to draw uniformly from"
        )
    return Prior("uniform", lo, hi)


def _normal_mass(lo: float, hi: float, mu: float, sd: float) -> float:
    def cdf(x: float) -> float:
        return 0.5 * math.erfc(-(x - mu) / (sd * math.sqrt(2)))

    return cdf(hi) - cdf(lo)


def check_prior(c: Collector, path: Path, model: PriorModel, parameter: Parameter) -> Prior | None:
    """Check a prior's meaning for ``parameter``; add every problem to ``c`` (located at
    ``path`` and its fields) and return the :class:`Prior`, or None if it has problems.

    Examples
    --------
    >>> from negotiation.scenario.yaml_source import load_yaml
    >>> from negotiation.scenario.schema import PriorModel
    >>> c = Collector(load_yaml("p: 1", file="x.yaml"))
    >>> par = Parameter("p", Fraction(1), Fraction(0), Fraction(2))
    >>> check_prior(c, ("p",), PriorModel(kind="uniform", low=Fraction(-1)), par)
    >>> print(c.problems[0])
    x.yaml:1: p.low: the prior's low -1 is below the parameter's min 0
    """
    before = len(c.problems)
    kind = model.kind
    if kind not in KINDS:
        c.add((*path, "kind"), unknown("prior kind", kind, KINDS))
        return None
    takes = KINDS[kind]
    for name in _FIELDS:
        if getattr(model, name) is not None and name not in takes:
            c.add(
                (*path, name),
                f"{quote(name)} does not apply to a {kind} prior (it takes: {', '.join(takes)})",
            )
    if kind == "discrete":
        return _discrete(c, path, model, parameter, before)
    lo = model.low if model.low is not None else parameter.min
    hi = model.high if model.high is not None else parameter.max
    if lo is None or hi is None:
        c.add(
            path,
            f"a {kind} prior needs a lower and an upper end: give the parameter min and max, "
            "or the prior low and high",
        )
        return None
    for name, value, bound, below in (
        ("low", model.low, parameter.min, True),
        ("low", model.low, parameter.max, False),
        ("high", model.high, parameter.max, False),
        ("high", model.high, parameter.min, True),
    ):
        if value is None or bound is None:
            continue
        if (below and value < bound) or (not below and value > bound):
            side, limit = ("below", "min") if below else ("above", "max")
            c.add(
                (*path, name),
                f"the prior's {name} {show_number(value)} is {side} the parameter's {limit} "
                f"{show_number(bound)}",
            )
    if not lo < hi:
        c.add(
            path,
            f"the prior's low {show_number(lo)} must be below its high {show_number(hi)}",
        )
    if kind == "triangular":
        if model.mode is None:
            c.add(path, "a triangular prior needs its mode (the peak)")
        elif lo <= hi and not lo <= model.mode <= hi:
            c.add(
                (*path, "mode"),
                f"the mode {show_number(model.mode)} is outside [{show_number(lo)}, "
                f"{show_number(hi)}]",
            )
    elif kind == "beta":
        for name in ("a", "b"):
            value = getattr(model, name)
            if value is None:
                c.add(path, f"a beta prior needs its shape {name} (a positive number)")
            elif not value > 0:
                c.add(
                    (*path, name), f"the shape {name} must be positive, got {show_number(value)}"
                )
    elif kind == "normal":
        if model.sd is None:
            c.add(path, "a normal prior needs its sd (a positive number)")
        elif not model.sd > 0:
            c.add((*path, "sd"), f"the sd must be positive, got {show_number(model.sd)}")
        elif lo < hi:
            centre = parameter.value if model.mean is None else model.mean
            mass = _normal_mass(float(lo), float(hi), float(centre), float(model.sd))
            if not mass >= MIN_NORMAL_MASS:
                c.add(
                    path,
                    f"the normal prior (mean {show_number(centre)}, sd {show_number(model.sd)}) "
                    f"puts almost no probability ({mass:.2g}) on [{show_number(lo)}, "
                    f"{show_number(hi)}]: move the mean or widen the sd",
                )
    elif kind == "log_uniform" and not lo > 0:
        c.add(
            path,
            f"a log_uniform prior needs a positive low end, got {show_number(lo)}",
        )
    if len(c.problems) > before:
        return None
    mean: Value | None = None
    if kind == "normal":
        mean = parameter.value if model.mean is None else model.mean
    return Prior(kind, lo, hi, mode=model.mode, a=model.a, b=model.b, mean=mean, sd=model.sd)


def _discrete(
    c: Collector, path: Path, model: PriorModel, parameter: Parameter, before: int
) -> Prior | None:
    values = model.values
    if not values:
        c.add((*path, "values") if values is not None else path, _EMPTY)
        return None
    probs: list[Value] | None = model.probabilities
    if probs is None:
        probs = [Fraction(1, len(values))] * len(values)
    elif len(probs) != len(values):
        c.add(
            (*path, "probabilities"),
            f"{len(probs)} probabilities for {len(values)} values: give one per value",
        )
        return None
    for k, v in enumerate(values):
        lo, hi = parameter.min, parameter.max
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            c.add(
                (*path, "values", k),
                f"the value {show_number(v)} is outside the parameter's range "
                f"[{_bound(lo)}, {_bound(hi)}]",
            )
    for k, p in enumerate(probs):
        if not 0 <= p <= 1:
            c.add(
                (*path, "probabilities", k),
                f"a probability must be in [0, 1], got {show_number(p)}",
            )
    if len(c.problems) == before:
        total = sum(Fraction(p) for p in probs)
        if total != 1 and not (
            any(isinstance(p, float) for p in probs) and abs(float(total) - 1) <= 1e-9
        ):
            c.add(
                (*path, "probabilities"),
                f"the probabilities sum to {show_number(total)}, not 1",
            )
    if len(c.problems) > before:
        return None
    return Prior(
        "discrete",
        min(values),
        max(values),
        values=tuple(values),
        probabilities=tuple(probs),
    )


_EMPTY = "a discrete prior needs at least one value (values: [...])"


def _bound(value: Value | None) -> str:
    return "unbounded" if value is None else show_number(value)


def effective_priors(
    scenario: Scenario,
    assumption: str = BASELINE,
    overrides: Mapping[str, Any] | None = None,
    *,
    uniform_ranges: bool = False,
) -> dict[str, Prior]:
    """The priors in force under an assumption, in parameter order.

    A parameter's own prior, replaced by the assumption's ``priors``; a parameter the
    assumption (or ``overrides``, as ``--set``) sets to a value is fixed there, not
    drawn. With ``uniform_ranges``, every other parameter with a range and no prior is
    drawn uniformly on it.

    Parameters
    ----------
    scenario : Scenario
    assumption : str
    overrides : mapping, optional
        ``--set`` names (their values are not looked at here).
    uniform_ranges : bool

    Returns
    -------
    dict
        Parameter name -> Prior.

    Raises
    ------
    NegotiationError
        Unknown assumption.

    Examples
    --------
    >>> from negotiation.scenario import load_scenario
    >>> s = load_scenario("prisoners-dilemma")
    >>> sorted(effective_priors(s, uniform_ranges=True))
    ['P', 'R', 'S', 'T']
    >>> effective_priors(s, overrides={"T": 6}, uniform_ranges=True)["R"].describe()
    'uniform on [1, 5]'
    """
    if not isinstance(assumption, str) or assumption not in scenario.assumptions:
        raise NegotiationError(
            f"{scenario.file}: unknown assumption {quote(assumption)} "
            f"(this scenario has: {', '.join(scenario.assumptions)})"
        )
    a = scenario.assumptions[assumption]
    fixed = set(a.overrides) | set(overrides or {})
    own = a.priors
    out: dict[str, Prior] = {}
    for name, p in scenario.parameters.items():
        if name in fixed:
            continue
        prior = own.get(name, p.prior)
        ranged = p.min is not None and p.max is not None and p.min < p.max
        if prior is None and uniform_ranges and ranged:
            prior = uniform_prior(p)
        if prior is not None:
            out[name] = prior
    return out
