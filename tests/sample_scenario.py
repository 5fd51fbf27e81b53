"""A small valid scenario file that the bad-input tests mutate one field at a time."""

from __future__ import annotations

import textwrap

GOOD = textwrap.dedent(
    """\
    schema: 1
    id: sample
    title: Sample
    players: [{id: us}, {id: cn}]
    moves: [roll_back, hold]
    parameters:
      gain: {value: 2, min: 0, max: 5}
      harm: 3
    derived:
      net: gain - harm
    payoffs:
      roll_back: {roll_back: [0, 0], hold: ["-harm", gain]}
      hold: {roll_back: [gain, "-harm"], hold: [net, net]}
    repeated:
      discount: 0.9
      target: [roll_back, roll_back]
      strategies: [grim_trigger]
    assumptions:
      big-gain: {description: "more gain", set: {gain: 4}}
    """
)


def mutate(old: str, new: str, text: str = GOOD) -> str:
    """``text`` (GOOD) with the first ``old`` replaced by ``new`` (``old`` must be there)."""
    assert old in text, old
    return text.replace(old, new, 1)
