"""Scenario files: parsing, validation, safe expressions, assumptions, and building games.

Examples
--------
>>> from negotiation.scenario import load_scenario
>>> s = load_scenario("prisoners-dilemma")
>>> s.moves
(('cooperate', 'defect'), ('cooperate', 'defect'))
"""

from __future__ import annotations

import os
from pathlib import Path

from negotiation.errors import ScenarioError
from negotiation.scenario.checks import build_scenario
from negotiation.scenario.files import read_limited
from negotiation.scenario.model import BASELINE, Scenario
from negotiation.scenario.registry import find_scenario, shipped_scenarios
from negotiation.scenario.yaml_source import MAX_FILE_BYTES, load_yaml

__all__ = [
    "BASELINE",
    "Scenario",
    "find_scenario",
    "load_scenario",
    "parse_scenario",
    "read_text",
    "shipped_scenarios",
]


def parse_scenario(text: str | bytes, *, file: str = "<string>") -> Scenario:
    """Validate scenario text and build the :class:`Scenario`.

    Parameters
    ----------
    text : str or bytes
        YAML text of a scenario (format 1); bytes must be UTF-8.
    file : str
        Name used in error messages.

    Returns
    -------
    Scenario

    Raises
    ------
    negotiation.errors.ScenarioError
        Text that is not a str or UTF-8 bytes, or is larger than
        :data:`~negotiation.scenario.yaml_source.MAX_FILE_BYTES`.
    negotiation.errors.ScenarioErrors
        Every problem in the text, each with field path and line.

    Examples
    --------
    >>> from negotiation.scenario.model import EXAMPLE
    >>> parse_scenario(EXAMPLE).moves
    (('hold', 'escalate'), ('hold', 'escalate'))
    >>> parse_scenario(EXAMPLE.encode("utf-8")).id
    'example'
    >>> parse_scenario(None)
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: <string>: (top level): expected the text of a scenario ...
    """
    file = file if isinstance(file, str) else str(file)
    if isinstance(text, bytes | bytearray | memoryview):
        data = bytes(text)
        if len(data) > MAX_FILE_BYTES:
            raise ScenarioError(
                f"the text is larger than {MAX_FILE_BYTES // 1000} kB; scenario files are small",
                file=file,
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise ScenarioError(
                f"the text is not UTF-8 ({exc.reason} at byte {exc.start})", file=file, line=line
            ) from None
    if not isinstance(text, str):
        raise ScenarioError(
            f"expected the text of a scenario (str or UTF-8 bytes), got {type(text).__name__}",
            file=file,
        )
    return build_scenario(load_yaml(text, file=file))


def read_text(path: Path | str, shown: str) -> str:
    """The text of a scenario file, read with
    :func:`~negotiation.scenario.files.read_limited`: regular files of at most
    :data:`~negotiation.scenario.yaml_source.MAX_FILE_BYTES` only, UTF-8, every problem
    a located :class:`ScenarioError`.

    Examples
    --------
    >>> read_text(Path("/nonexistent.yaml"), "nonexistent.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: nonexistent.yaml: (top level): cannot read the file: ...
    """
    return read_limited(path, shown, MAX_FILE_BYTES, "scenario files")


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
    text = str(name)
    path = find_scenario(text)
    shown = text if os.path.lexists(text) else str(path)
    return parse_scenario(read_text(path, shown), file=shown)
