"""The commented starter scenario written by ``negotiation new``."""

from __future__ import annotations

import json
import re

from negotiation.errors import NegotiationError, quote

__all__ = ["starter_scenario"]

#: Scenario ids ``new`` accepts: exactly the ``id`` values a scenario file accepts.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}")

_TEMPLATE = """\
# {name}: a starter scenario. Edit it, then run `negotiation validate {name}.yaml`.
# Format reference: docs/reference/scenario-format.md. Every field below is explained there.
schema: 1
id: {id}
title: {title}
summary: "One sentence on what the scenario models."
sources:
  - "Where the numbers come from (article, data set, paper)."

# Exactly two players; the first one is the row player.
players:
  - {{id: us, name: United States}}
  - {{id: cn, name: China}}

# Moves shared by both players (or a mapping: {{us: [...], cn: [...]}}).
moves: [roll_back, hold, escalate]

# Parameters: a number, or {{value, min, max, unit, description}}. Decimals are exact.
parameters:
  gain: {{value: 2, min: 0, max: 5, description: "Gain from holding while the other rolls back"}}
  harm: {{value: 3, min: 0, max: 6, description: "Harm suffered from the other side's hold"}}
  cost: {{value: 1, min: 0, max: 4, description: "Extra self-cost of escalating"}}

# Derived names: expressions over parameters (+ - * / **, min, max, abs, sqrt, exp, log).
derived:
  war: gain - harm

# Payoffs in cell form: row move -> column move -> [row payoff, column payoff].
payoffs:
  roll_back:
    roll_back: [0, 0]
    hold: ["-harm", gain]
    escalate: ["-2 * harm", "gain - cost"]
  hold:
    roll_back: [gain, "-harm"]
    hold: [war, war]
    escalate: ["war - harm", "war - cost"]
  escalate:
    roll_back: ["gain - cost", "-2 * harm"]
    hold: ["war - cost", "war - harm"]
    escalate: ["war - cost - harm", "war - cost - harm"]

# The repeated game: how patient the sides are and which détente to test.
repeated:
  discount: 0.9
  target: [roll_back, roll_back]
  strategies: [grim_trigger, tit_for_tat]
  noise: 0.02

# Named assumptions override parameters; "baseline" (the values above) always exists.
assumptions:
  high-gain:
    description: "Holding pays more"
    set: {{gain: 4}}
"""


def starter_scenario(name: str) -> str:
    """Text of a commented starter scenario with the given id.

    Parameters
    ----------
    name : str
        Scenario id: at most 100 letters, digits, ``-``, ``_`` and ``.``, starting with a
        letter or digit. Strings the file holds are written in double quotes, so an id
        such as ``yes``, ``null``, ``123`` or ``0x10`` stays text.

    Returns
    -------
    str
        YAML text that validates.

    Raises
    ------
    NegotiationError
        For a name that no scenario id can be.

    Examples
    --------
    >>> from negotiation.scenario import parse_scenario
    >>> parse_scenario(starter_scenario("my-case")).id
    'my-case'
    >>> parse_scenario(starter_scenario("yes")).id
    'yes'
    """
    if not isinstance(name, str) or _ID.fullmatch(name) is None:
        raise NegotiationError(
            f"{quote(name)} is not a valid scenario name: use at most 100 letters, digits, "
            "'-', '_' and '.', starting with a letter or a digit"
        )
    return _TEMPLATE.format(
        name=name, id=json.dumps(name), title=json.dumps(f"{name} (edit this title)")
    )
