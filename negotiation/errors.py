"""The one error hierarchy of the package.

Every error the library raises on purpose derives from :class:`NegotiationError`.
Problems in a scenario or game file are :class:`ScenarioError` (one located problem)
or :class:`ScenarioErrors` (all the problems found in one file). The CLI turns any
:class:`NegotiationError` into a short message on stderr and exit code 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from negotiation.limits import (
    MAX_LISTED_ITEMS,
    MAX_MESSAGE_CHARS,
    MAX_QUOTED_CHARS,
    MAX_REPORTED_PROBLEMS,
)

__all__ = [
    "EnumerationLimitError",
    "GameError",
    "NegotiationError",
    "Problem",
    "ScenarioError",
    "ScenarioErrors",
    "StrategyNameError",
    "format_path",
    "quote",
    "shorten",
    "shorten_list",
    "show_number",
]

#: Exact numbers with more bits than this (numerator plus denominator) are described
#: by their size in messages rather than written out.
_SHOWN_BITS = 400


def shorten(text: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """Text from a file cut to ``limit`` characters for a message, ending in ``...``.

    Every message that echoes file content goes through this (or :func:`quote`,
    :func:`shorten_list`), so that a 500 kB key or a 900,000-character expression gives
    a readable one-line message.

    Parameters
    ----------
    text : object
        The text (anything else is converted with ``str``; numbers with
        :func:`show_number`).
    limit : int
        Most characters kept, the ``...`` included.

    Returns
    -------
    str

    Examples
    --------
    >>> shorten("x" * 100, 10)
    'xxxxxxx...'
    >>> shorten("short")
    'short'
    """
    if isinstance(text, int | Fraction | float) and not isinstance(text, bool):
        text = show_number(text)
    s = text if isinstance(text, str) else str(text)
    if len(s) <= limit:
        return s
    return s[: max(0, limit - 3)] + "..."


def quote(text: object, limit: int = MAX_QUOTED_CHARS) -> str:
    """``repr`` of the shortened text, with the full length when it was cut.

    ``repr`` escapes control characters and lone surrogates, so a quoted text can
    always be printed.

    Examples
    --------
    >>> quote("hold")
    "'hold'"
    >>> quote("k" * 500, 12)
    "'kkkkkkkkk...' (500 characters)"
    """
    s = text if isinstance(text, str) else str(text)
    cut = shorten(s, limit)
    return repr(cut) + (f" ({len(s)} characters)" if cut != s else "")


def shorten_list(items: Iterable[object], limit: int = MAX_LISTED_ITEMS) -> str:
    """The items joined by commas, cut after ``limit`` of them with ``... and N more``.

    Each item is shortened with :func:`shorten` as well.

    Examples
    --------
    >>> shorten_list(["a", "b", "c"])
    'a, b, c'
    >>> shorten_list([f"m{k}" for k in range(1000)], 3)
    'm0, m1, m2, ... and 997 more'
    """
    listed = list(items)
    shown = ", ".join(shorten(x) for x in listed[:limit])
    if len(listed) > limit:
        shown += f", ... and {len(listed) - limit} more"
    return shown


def show_number(value: object) -> str:
    """A number written for a message: exact when short, else described by its size.

    Python refuses to write integers of more than 4300 digits, and a message should
    not hold thousands of digits anyway.

    Examples
    --------
    >>> show_number(Fraction(3, 4)), show_number(12), show_number(0.5)
    ('3/4', '12', '0.5')
    >>> show_number(Fraction(10) ** 1000)
    'a number of about 1001 digits'
    """
    if isinstance(value, bool) or not isinstance(value, int | Fraction | float):
        return shorten(repr(value))
    if isinstance(value, float):
        return repr(value)
    v = Fraction(value)
    bits = v.numerator.bit_length() + v.denominator.bit_length()
    if bits > _SHOWN_BITS:
        return f"a number of about {int(v.numerator.bit_length() * 0.30103) + 1} digits"
    return str(v.numerator) if v.denominator == 1 else str(v)


class NegotiationError(Exception):
    """Base class of every error raised on purpose by ``negotiation``.

    Examples
    --------
    >>> from negotiation import load_scenario
    >>> try:
    ...     load_scenario("no-such-scenario")
    ... except NegotiationError as exc:
    ...     print(type(exc).__name__)
    NegotiationError
    """


class GameError(NegotiationError, ValueError):
    """A stage game is malformed or a request on it cannot be met.

    Examples
    --------
    >>> raise GameError("payoff matrices must have the same shape")
    Traceback (most recent call last):
    ...
    negotiation.errors.GameError: payoff matrices must have the same shape
    """


class EnumerationLimitError(GameError):
    """Complete enumeration refused a game: too many moves for it, or more vertices
    than its budget (``max_vertices``).

    Examples
    --------
    >>> issubclass(EnumerationLimitError, GameError)
    True
    """


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path as written in messages: ``payoffs.hold.roll_back[1]``.

    Parameters
    ----------
    path : sequence of str or int
        Mapping keys (str) and list indices (int), outermost first.

    Returns
    -------
    str
        The dotted path; ``"(top level)"`` for an empty path.

    Examples
    --------
    >>> format_path(["payoffs", "hold", "roll_back", 1])
    'payoffs.hold.roll_back[1]'
    >>> format_path([])
    '(top level)'
    >>> format_path(["parameters", "k" * 500])
    'parameters.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = shorten(part)
            out += f".{text}" if out else text
    return shorten(out, 2 * MAX_QUOTED_CHARS) if out else "(top level)"


@dataclass(frozen=True)
class Problem:
    """One located problem: file, field path, line (1-based) and message."""

    file: str
    path: tuple[str | int, ...]
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {format_path(self.path)}: {shorten(self.message, MAX_MESSAGE_CHARS)}"


class ScenarioError(NegotiationError, ValueError):
    """A problem in a scenario (or game) file, located by file, field path and line.

    Parameters
    ----------
    message : str
        What is wrong and what was expected.
    file : str
        The file name as the user gave it (``"<string>"`` for text).
    path : sequence of str or int
        Field path inside the document.
    line : int or None
        1-based line number of the field, when known.

    Examples
    --------
    >>> err = ScenarioError("expected a number", file="s.yaml", path=["parameters", "t"], line=4)
    >>> str(err)
    's.yaml:4: parameters.t: expected a number'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "<string>",
        path: Sequence[str | int] = (),
        line: int | None = None,
    ) -> None:
        self.problem = Problem(file, tuple(path), line, message)
        super().__init__(str(self.problem))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The single problem, as a tuple (same interface as :class:`ScenarioErrors`)."""
        return (self.problem,)


class StrategyNameError(NegotiationError, ValueError):
    """A strategy name is malformed or its arguments are not accepted.

    Examples
    --------
    >>> raise StrategyNameError("k_period_punishment takes the argument k, not j")
    Traceback (most recent call last):
    ...
    negotiation.errors.StrategyNameError: k_period_punishment takes the argument k, not j
    """


class ScenarioErrors(ScenarioError):
    """All the problems found in one file, reported together.

    At most :data:`~negotiation.limits.MAX_REPORTED_PROBLEMS` are written out; the
    message counts the others, including ``omitted`` ones that were not even kept.

    Examples
    --------
    >>> errs = ScenarioErrors([Problem("s.yaml", ("id",), 1, "missing"),
    ...                        Problem("s.yaml", ("players",), 3, "expected two players")])
    >>> print(errs)
    s.yaml: 2 problems
      s.yaml:1: id: missing
      s.yaml:3: players: expected two players
    """

    def __init__(self, problems: Iterable[Problem], omitted: int = 0) -> None:
        self._problems = tuple(problems)
        self.omitted = omitted
        if not self._problems:
            raise ValueError("ScenarioErrors needs at least one problem")
        first = self._problems[0]
        NegotiationError.__init__(self, self._render())
        self.problem = first

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found, in document order."""
        return self._problems

    def _render(self) -> str:
        total = len(self._problems) + self.omitted
        if total == 1:
            return str(self._problems[0])
        files = sorted({p.file for p in self._problems})
        head = f"{', '.join(files)}: {total} problems"
        shown = self._problems[:MAX_REPORTED_PROBLEMS]
        lines = [head, *(f"  {p}" for p in shown)]
        if total > len(shown):
            lines.append(f"  ... and {total - len(shown)} more problems")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._render()
