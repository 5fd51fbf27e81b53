"""The one error hierarchy of the package.

Every error the library raises on purpose derives from :class:`NegotiationError`.
Problems in a scenario or game file are :class:`ScenarioError` (one located problem)
or :class:`ScenarioErrors` (all the problems found in one file). The CLI turns any
:class:`NegotiationError` into a short message on stderr and exit code 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "GameError",
    "NegotiationError",
    "Problem",
    "ScenarioError",
    "ScenarioErrors",
    "format_path",
]


class NegotiationError(Exception):
    """Base class of every error raised on purpose by ``negotiation``."""


class GameError(NegotiationError, ValueError):
    """A stage game is malformed or a request on it cannot be met.

    Examples
    --------
    >>> raise GameError("payoff matrices must have the same shape")
    Traceback (most recent call last):
    ...
    negotiation.errors.GameError: payoff matrices must have the same shape
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
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


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
        return f"{where}: {format_path(self.path)}: {self.message}"


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


class ScenarioErrors(ScenarioError):
    """All the problems found in one file, reported together.

    Examples
    --------
    >>> errs = ScenarioErrors([Problem("s.yaml", ("id",), 1, "missing"),
    ...                        Problem("s.yaml", ("players",), 3, "expected two players")])
    >>> print(errs)
    s.yaml: 2 problems
      s.yaml:1: id: missing
      s.yaml:3: players: expected two players
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self._problems = tuple(problems)
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
        if len(self._problems) == 1:
            return str(self._problems[0])
        files = sorted({p.file for p in self._problems})
        head = f"{', '.join(files)}: {len(self._problems)} problems"
        return "\n".join([head, *(f"  {p}" for p in self._problems)])

    def __str__(self) -> str:
        return self._render()
