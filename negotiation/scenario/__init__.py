"""Scenario files: parsing, validation, safe expressions, assumptions, and building games.

Examples
--------
>>> from negotiation.scenario import load_scenario
>>> s = load_scenario("prisoners-dilemma")
>>> s.moves
(('cooperate', 'defect'), ('cooperate', 'defect'))
"""

from __future__ import annotations

from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.scenario.checks import build_scenario
from negotiation.scenario.model import BASELINE, Scenario
from negotiation.scenario.registry import find_scenario, shipped_scenarios
from negotiation.scenario.yaml_source import load_yaml

__all__ = [
    "BASELINE",
    "Scenario",
    "find_scenario",
    "load_scenario",
    "parse_scenario",
    "read_text",
    "shipped_scenarios",
]


def parse_scenario(text: str, *, file: str = "<string>") -> Scenario:
    """Validate scenario text and build the :class:`Scenario`.

    Parameters
    ----------
    text : str
        YAML text of a scenario (format 1).
    file : str
        Name used in error messages.

    Returns
    -------
    Scenario

    Raises
    ------
    negotiation.errors.ScenarioErrors
        Every problem in the text, each with field path and line.

    Examples
    --------
    >>> from negotiation.scenario.model import EXAMPLE
    >>> parse_scenario(EXAMPLE).moves
    (('hold', 'escalate'), ('hold', 'escalate'))
    """
    return build_scenario(load_yaml(text, file=file))


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 file, turning I/O problems into a located :class:`ScenarioError`."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"the file is not UTF-8 text ({exc.reason})", file=shown) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror}", file=shown) from None


def load_scenario(name: str | Path) -> Scenario:
    """Load a scenario from a path or a shipped scenario id.

    Parameters
    ----------
    name : str or pathlib.Path
        File path, or an id from ``negotiation list``.

    Returns
    -------
    Scenario

    Examples
    --------
    >>> load_scenario("chicken").player_ids
    ('row', 'column')
    """
    path = find_scenario(str(name))
    shown = str(name) if Path(str(name)).is_file() else str(path)
    return parse_scenario(read_text(path, shown), file=shown)
