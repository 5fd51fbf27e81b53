"""Tariff grids in scenario files: moves from levels, payoffs as formulas of the levels.

Checks the expansion (labels, exact levels, cells equal to the formula at the levels),
the located errors for malformed grids, and that compare and sweep run on the shipped
21x21 grid scenario.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.analysis.compare import compare
from negotiation.analysis.sweep import sweep
from negotiation.errors import ScenarioError
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.scenario import load_scenario, parse_scenario
from negotiation.scenario.move_grids import GridError, grid_labels, grid_values

F = Fraction

BASE = """\
schema: 1
id: grid
title: Grid
players: [{id: us}, {id: cn}]
moves:
  us: {levels: t_us, values: "0:0.3:0.1", labels: percent}
  cn: {levels: t_cn, values: [0, 0.5]}
parameters:
  g: 1.2
payoff_formulas:
  us: "g * t_us - t_us**2 - 2 * t_cn"
  cn: "g * t_cn - t_cn**2 - t_us"
repeated:
  target: [0pct, "0"]
  strategies: [grim_trigger]
"""


def test_grid_expands_to_exact_cells() -> None:
    s = parse_scenario(BASE)
    assert s.moves == (("0pct", "10pct", "20pct", "30pct"), ("0", "0_5"))
    game = StageGame.from_scenario(s)
    EA, EB = game.require_exact()
    for i, t in enumerate(F(k, 10) for k in range(4)):
        for j, u in enumerate((F(0), F(1, 2))):
            assert EA[i][j] == F(6, 5) * t - t**2 - 2 * u
            assert EB[i][j] == F(6, 5) * u - u**2 - t


@given(
    st.integers(-50, 50),
    st.integers(0, 40),
    st.integers(1, 25),
)
def test_range_levels_are_exact_and_inclusive(start: int, width: int, step: int) -> None:
    text = f"{start / 100}:{(start + width) / 100}:{step / 100}"
    got = grid_values(text)
    want = [F(start, 100) + k * F(step, 100) for k in range(width // step + 1)]
    assert list(got) == want
    labels = grid_labels(got, "value")
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "path"),
    [
        ('"0:0.3:0.1"', '"0:0.3"', "start:stop:step", "moves.us.values"),
        ('"0:0.3:0.1"', '"0:0.3:0"', "step must be positive", "moves.us.values"),
        ('"0:0.3:0.1"', '"0:1000:0.001"', "at most 500", "moves.us.values"),
        ('"0:0.3:0.1"', '"0:x:0.1"', "not a decimal", "moves.us.values"),
        ('"0:0.3:0.1"', '"1:0:0.1"', "below the start", "moves.us.values"),
        ("[0, 0.5]", "[0, 0]", "not distinct", "moves.cn.values"),
        ('us: "g * t_us', 'us: "g * t_x', "unknown name", "payoff_formulas.us"),
        ("levels: t_cn", "levels: g", "already a parameter", "moves.cn.levels"),
        ("levels: t_cn", "levels: t_us", "used twice", "moves.cn.levels"),
        ('  cn: "g * t_cn', '  xx: "g * t_cn', "unknown player", "payoff_formulas.xx"),
    ],
)
def test_bad_grids_are_located(old: str, new: str, fragment: str, path: str) -> None:
    text = BASE.replace(old, new, 1)
    assert text != BASE
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="grid.yaml")
    problems = info.value.problems
    assert any(fragment in p.message and path in ".".join(map(str, p.path)) for p in problems), [
        str(p) for p in problems
    ]
    assert all(p.line is not None for p in problems if path in ".".join(map(str, p.path)))


def test_formulas_need_grids_on_both_sides() -> None:
    text = BASE.replace("cn: {levels: t_cn, values: [0, 0.5]}", "cn: [low, high]")
    with pytest.raises(ScenarioError, match="both players' moves as grids"):
        parse_scenario(text)


def test_grid_limit_is_checked_before_expansion() -> None:
    with pytest.raises(GridError, match="1000000001 levels"):
        grid_values("0:1:0.000000001")


def test_shipped_grid_scenario_solves_compares_and_sweeps() -> None:
    s = load_scenario("us-china-tariff-grid-2025")
    assert len(s.moves[0]) >= 21 and len(s.moves[1]) >= 21
    eqs = extreme_equilibria(StageGame.from_scenario(s))
    assert all(e.regret == 0 for e in eqs) and len(eqs) >= 1
    comp = compare(s, ["baseline"], tipping=False)
    assert comp.to_dict()
    res = sweep(s, ["r_retaliation=0:0.5:2"], strategies=["grim_trigger"])
    assert len(res.to_dict()["points"]) == 2
