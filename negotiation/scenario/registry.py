"""Finding scenario files: by path, or by the id of a scenario shipped with the package.

Shipped scenarios live in the repository's top-level ``scenarios/`` folder (found there
by an editable install); a regular install copies them to
``<prefix>/share/negotiation/scenarios``. Extra folders can be searched by listing them
in the ``NEGOTIATION_SCENARIO_PATH`` environment variable (separated by the platform's
path separator); they come first.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from negotiation.errors import NegotiationError, shorten, shorten_list

__all__ = ["ScenarioInfo", "find_scenario", "scenario_dirs", "shipped_scenarios"]

SUFFIXES = (".yaml", ".yml")


def scenario_dirs() -> list[Path]:
    """Folders searched for scenario ids, in order.

    Examples
    --------
    >>> any(d.name == "scenarios" for d in scenario_dirs())
    True
    """
    extra = [
        Path(p) for p in os.environ.get("NEGOTIATION_SCENARIO_PATH", "").split(os.pathsep) if p
    ]
    checkout = Path(__file__).resolve().parent.parent.parent / "scenarios"
    installed = Path(sys.prefix) / "share" / "negotiation" / "scenarios"
    return [*extra, checkout, installed]


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario file found in the search folders: its id (file stem) and path."""

    id: str
    path: Path


def shipped_scenarios() -> list[ScenarioInfo]:
    """Every scenario file in the search folders, sorted by id (first folder wins).

    Examples
    --------
    >>> "prisoners-dilemma" in [s.id for s in shipped_scenarios()]
    True
    """
    seen: dict[str, ScenarioInfo] = {}
    for folder in scenario_dirs():
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix in SUFFIXES and path.stem not in seen:
                seen[path.stem] = ScenarioInfo(path.stem, path)
    return sorted(seen.values(), key=lambda s: s.id)


def find_scenario(name: str) -> Path:
    """Resolve a path or a shipped scenario id to a file.

    Parameters
    ----------
    name : str
        A file path, or the id of a shipped scenario (``negotiation list``).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    NegotiationError
        When nothing is at that path and no shipped scenario has that name. Whatever
        is at the path -- a FIFO, a directory, a symbolic link to nowhere or in a loop --
        is returned, for :func:`~negotiation.scenario.files.read_limited` to say what
        is wrong with it without opening it.

    Examples
    --------
    >>> find_scenario("chicken").name
    'chicken.yaml'
    """
    path = Path(name)
    try:
        os.lstat(name)
        return path
    except (OSError, ValueError):  # nothing there (ValueError: a NUL in the name)
        pass
    for info in shipped_scenarios():
        if info.id == name:
            return info.path
    ids = shorten_list(s.id for s in shipped_scenarios()) or "none"
    raise NegotiationError(
        f"{shorten(name)}: no such file, and no shipped scenario has this id (shipped: {ids})"
    )
