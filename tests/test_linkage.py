"""Linked accords: multi-issue scenarios, the linked game, separate vs linked enforcement."""

from __future__ import annotations

import json
import textwrap
from fractions import Fraction
from itertools import product

import pytest
from click.testing import CliRunner
from game_strategies import int_matrices
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.analysis.compare import compare
from negotiation.analysis.linkage import linkage_analysis
from negotiation.cli.main import main
from negotiation.errors import ScenarioError
from negotiation.games.certify import exact_regret
from negotiation.games.extreme_equilibria import extreme_equilibria
from negotiation.games.stage_game import StageGame
from negotiation.scenario import load_scenario, parse_scenario

F = Fraction


def two_issue_text(first, second, *, weight="1", extra=""):
    """A scenario text with two 2x2 issues given as ((A), (B)) matrices, target (c, c)."""

    def issue(name, game, w):
        (a, b) = game
        return textwrap.indent(
            textwrap.dedent(
                f"""\
                {name}:
                  moves: [c, d]
                  weight: {w}
                  target: [c, c]
                  matrices: {{us: {json.dumps(a)}, cn: {json.dumps(b)}}}
                """
            ),
            "  ",
        )

    return (
        "schema: 1\nid: two-issues\ntitle: Two issues\n"
        "players: [{id: us}, {id: cn}]\nparameters: {w: 2}\nissues:\n"
        + issue("first", first, "1")
        + issue("second", second, weight)
        + "repeated: {discount: 0.9}\n"
        + extra
    )


# Row (us) tempted in the first issue, column (cn) in the second: prisoner's dilemmas
# with R = 3, P = 0 and temptations 6 / 4 (first) and 4 / 6 (second).
ROW_TEMPTED = ([[3, -1], [6, 0]], [[3, 4], [-1, 0]])
COL_TEMPTED = ([[3, -1], [4, 0]], [[3, 6], [-1, 0]])
# Row tempted again, with the same ratio (T - R) / (T - P) = 1/2 as in ROW_TEMPTED.
ROW_TEMPTED_AGAIN = ([[1, -1], [2, 0]], [[2, 3], [-1, 0]])


def test_linkage_lowers_the_critical_discount_when_different_players_bind():
    # By hand: separately, us needs (6-3)/(6-0) = 1/2 in the first issue and
    # (4-3)/(4-0) = 1/4 in the second; cn the reverse. Linked, each player's threshold is
    # the mediant (3+1)/(6+4) = 2/5 < 1/2.
    la = linkage_analysis(parse_scenario(two_issue_text(ROW_TEMPTED, COL_TEMPTED)))
    assert [i.player_critical for i in la.issues] == [(F(1, 2), F(1, 4)), (F(1, 4), F(1, 2))]
    assert la.separate == F(1, 2)
    assert [p.linked for p in la.per_player] == [F(2, 5), F(2, 5)]
    assert la.linked == F(2, 5) and la.gain == F(1, 10) and la.effect == "lowers"
    assert [p.binding_issue for p in la.per_player] == ["first", "second"]
    assert [p.transfer for p in la.per_player] == [F(1, 10), F(1, 10)]
    assert [p.mediant for p in la.per_player] == [F(2, 5), F(2, 5)]


def test_linkage_does_not_help_when_one_player_binds_in_both_with_the_same_ratio():
    # By hand: us needs 1/2 in both issues ((6-3)/6 and (2-1)/2); linked (3+1)/(6+2) = 1/2.
    # cn needs 1/4 and (3-2)/3 = 1/3; linked (1+1)/(4+3) = 2/7.
    la = linkage_analysis(parse_scenario(two_issue_text(ROW_TEMPTED, ROW_TEMPTED_AGAIN)))
    assert [i.player_critical for i in la.issues] == [(F(1, 2), F(1, 4)), (F(1, 2), F(1, 3))]
    assert la.separate == F(1, 2) and la.linked == F(1, 2)
    assert la.gain == 0 and la.effect == "none"
    assert [p.linked for p in la.per_player] == [F(1, 2), F(2, 7)]
    assert [p.transfer for p in la.per_player] == [0, F(1, 21)]
    assert la.sustainable_at_discount() == (True, True)


def test_weights_scale_the_issue_and_move_the_mediant():
    # Weight 2 on the second issue: us (3 + 2*1)/(6 + 2*4) = 5/14, cn (1 + 2*3)/(4 + 2*6).
    text = two_issue_text(ROW_TEMPTED, COL_TEMPTED, weight="w")
    la = linkage_analysis(parse_scenario(text))
    assert [i.player_critical for i in la.issues] == [(F(1, 2), F(1, 4)), (F(1, 4), F(1, 2))]
    assert [p.linked for p in la.per_player] == [F(5, 14), F(7, 16)]
    assert la.issues[1].weight == 2 and la.issues[1].temptation == (8, 12)
    la2 = linkage_analysis(parse_scenario(text), overrides={"w": "1/2"})
    assert [p.linked for p in la2.per_player] == [F(7, 16), F(5, 14)]


def test_linked_game_labels_and_weighted_sums():
    s = parse_scenario(two_issue_text(ROW_TEMPTED, COL_TEMPTED, weight="w"))
    assert s.moves == (("c+c", "c+d", "d+c", "d+d"),) * 2
    assert s.repeated.target == ("c+c", "c+c")
    assert [i.id for i in s.issues] == ["first", "second"]
    g = StageGame.from_scenario(s)
    for (r, (i1, i2)), (c, (j1, j2)) in product(
        enumerate(product(range(2), range(2))), enumerate(product(range(2), range(2)))
    ):
        want_a = ROW_TEMPTED[0][i1][j1] + 2 * COL_TEMPTED[0][i2][j2]
        want_b = ROW_TEMPTED[1][i1][j1] + 2 * COL_TEMPTED[1][i2][j2]
        assert (g.exact_A[r][c], g.exact_B[r][c]) == (want_a, want_b)


def test_per_player_move_lists_in_issues_and_row_major_order():
    text = textwrap.dedent(
        """\
        schema: 1
        id: uneven
        title: Uneven
        players: [{id: us}, {id: cn}]
        issues:
          a:
            moves: {us: [x, y], cn: [p]}
            target: [x, p]
            payoffs: {x: {p: [1, 0]}, y: {p: [2, 0]}}
          b:
            moves: {us: [u], cn: [q, r, s]}
            target: [u, q]
            payoffs: {u: {q: [0, 1], r: [0, 2], s: [0, 3]}}
        """
    )
    s = parse_scenario(text)
    assert s.moves == (("x+u", "y+u"), ("p+q", "p+r", "p+s"))
    A, B, _ = s.payoff_values()
    assert A == [[1, 1, 1], [2, 2, 2]] and B == [[1, 2, 3]] * 2


def test_linked_9x9_game_solves_fast_and_certified():
    s = load_scenario("us-china-linked-accord-2025")
    for name in s.assumptions:
        game = StageGame.from_scenario(s, name)
        assert game.shape == (9, 9)
        eqs = extreme_equilibria(game)
        assert eqs.exact and eqs.equilibria
        EA, EB = game.require_exact()
        for e in eqs.equilibria:
            assert e.exact and e.regret == 0
            assert exact_regret(EA, EB, e.row, e.col)[0] == 0
        # Products of the issues' equilibria: here (hold, hold) on both issues.
        assert [(e.row_support, e.col_support) for e in eqs.equilibria] == [((4,), (4,))]


def test_shipped_linked_accord_assumptions():
    s = load_scenario("us-china-linked-accord-2025")
    got = {a: linkage_analysis(s, a) for a in s.assumptions}
    base = got["baseline"]
    assert (base.separate, base.linked, base.effect) == (F(33, 40), F(17, 40), "lowers")
    assert [p.binding_issue for p in base.per_player] == ["tariffs", "export_controls"]
    same = got["china-binds-both"]
    assert same.separate == same.linked == F(8, 15) and same.effect == "none"
    assert got["us-market-power"].effect == "rescues"
    assert got["china-decouples"].effect == "rescues"
    r = got["china-retaliates"]
    assert r.effect == "lowers" and r.gain < base.gain
    for la in got.values():
        for p in la.per_player:
            assert p.linked == p.mediant


def _pure_equilibria(A, B):
    return [
        (i, j)
        for i in range(len(A))
        for j in range(len(A[0]))
        if A[i][j] == max(A[k][j] for k in range(len(A)))
        and B[i][j] == max(B[i][k] for k in range(len(A[0])))
    ]


def _closed_form(issues, who):
    """The linked grim-trigger threshold by hand: target (c, c) = (0, 0) on each issue,
    punishment n = the deviator's worst pure equilibrium, d = the other move's payoff.
    Grim trigger holds iff (1 - δ) G <= δ P with G the best linked one-shot gain and
    P = Σ(c - n); when every issue tempts, G / (G + P) = Σ(d - c) / Σ(d - n)."""
    gains, loss = [], 0
    for A, B in issues:
        eqs = _pure_equilibria(A, B)
        if who == 0:
            d, c, n = A[1][0], A[0][0], min(A[i][j] for i, j in eqs)
        else:
            d, c, n = B[0][1], B[0][0], min(B[i][j] for i, j in eqs)
        gains.append(d - c)
        loss += c - n
    positive = [g for g in gains if g > 0]
    gain = sum(positive) if positive else max(gains)
    if gain <= 0 and loss >= 0:
        return F(0)
    if gain <= 0 or loss <= 0:
        return None
    return F(gain, gain + loss)


small = st.integers(-4, 6)
matrix = st.lists(st.lists(small, min_size=2, max_size=2), min_size=2, max_size=2)
game = st.tuples(matrix, matrix).filter(lambda g: bool(_pure_equilibria(*g)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=game, second=game)
def test_engine_matches_the_mediant_closed_form(first, second):
    la = linkage_analysis(parse_scenario(two_issue_text(first, second)))
    for who in (0, 1):
        expected = _closed_form([first, second], who)
        assert la.per_player[who].linked == expected
        assert la.per_player[who].mediant == expected
        separate = [i.player_critical[who] for i in la.issues]
        if expected is not None and None not in separate:
            # A mediant lies between the separate thresholds (Bernheim & Whinston 1990).
            assert expected <= max(separate)
    assert la.separate is None or (la.linked is not None and la.linked <= la.separate)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_linkage_table_and_json():
    result = run("linkage", "us-china-linked-accord-2025")
    assert result.exit_code == 0, result.output
    assert "linkage lowers the accord's critical δ from 33/40 ≈ 0.825 to 17/40" in result.output
    assert "tariffs alone" in result.output and "export_controls alone" in result.output
    result = run("linkage", "us-china-linked-accord-2025", "-a", "china-binds-both", "-f", "x")
    assert result.exit_code == 2
    result = run(
        "linkage", "us-china-linked-accord-2025", "--set", "w_tariffs=1", "--format", "json"
    )
    data = json.loads(result.output)
    assert data["separate_critical_discount"] == "33/40"
    assert data["linked_critical_discount"] == "222/485"
    assert [i["issue"] for i in data["issues"]] == ["tariffs", "export_controls"]
    assert data["players"][0]["binding_issue"] == "tariffs"
    csv = run("linkage", "us-china-linked-accord-2025", "--format", "csv").output
    assert csv.splitlines()[0].startswith("enforcement,weight,target")


def test_compare_shows_separate_and_linked_rows():
    s = parse_scenario(two_issue_text(ROW_TEMPTED, COL_TEMPTED))
    c = compare(s, strategies=["grim_trigger"], tipping=False)
    rows = dict(c.rows())
    assert rows["critical δ: separate (worst issue)"] == ["1/2 = 0.5"]
    assert rows["critical δ: linked"] == ["2/5 = 0.4"]
    col = c.to_dict()["assumptions"][0]
    assert (col["critical_discount_separate"], col["critical_discount_linked"]) == ("1/2", "2/5")
    single = compare(
        load_scenario("prisoners-dilemma"), strategies=["grim_trigger"], tipping=False
    )
    assert "critical δ: linked" not in dict(single.rows())
    assert "critical_discount_linked" not in single.to_dict()["assumptions"][0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "schema: 1\nid: one\ntitle: One\nplayers: [{id: a}, {id: b}]\nissues:\n"
            "  only:\n    moves: [c]\n    target: [c, c]\n    payoffs: {c: {c: [0, 0]}}\n"
            "repeated: {discount: 0.5}\n",
            "at least two issues (this one has 1)",
        ),
        (
            two_issue_text(ROW_TEMPTED, COL_TEMPTED).replace("repeated: {discount: 0.9}\n", ""),
            "no 'repeated' section",
        ),
    ],
)
def test_cli_linkage_refuses_without_traceback(tmp_path, text, fragment):
    assert fragment in _fails_cleanly(tmp_path / "s.yaml", text, "linkage")


def _fails_cleanly(f, text, command):
    """Run ``command`` on ``text`` saved as ``f``: exit code 1, no traceback; the output."""
    f.write_text(text, encoding="utf-8")
    result = run(command, str(f))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    return result.output


def _bad(text, path, line, fragment):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="bad.yaml")
    shown = [str(p) for p in info.value.problems]
    want = f"bad.yaml:{line}: {path}: " if line else f"{path}: "
    assert any(want in s and fragment in s for s in shown), shown


GOOD = two_issue_text(ROW_TEMPTED, COL_TEMPTED, weight="w")
CELLS = textwrap.dedent(
    """\
    schema: 1
    id: cells
    title: Cells
    players: [{id: us}, {id: cn}]
    parameters: {gain: 2}
    issues:
      tariffs:
        moves: [roll_back, hold]
        target: [roll_back, roll_back]
        payoffs:
          roll_back: {roll_back: [1, 1], hold: [-1, gain]}
          hold: {roll_back: [gain, gian], hold: [0, 0]}
      controls:
        moves: [roll_back, hold]
        target: [roll_back, roll_back]
        payoffs:
          roll_back: {roll_back: [1, 1], hold: [-1, gain]}
          hodl: {roll_back: [gain, -1], hold: [0, 0]}
    """
)


@pytest.mark.parametrize(
    ("text", "path", "line", "fragment"),
    [
        (CELLS, "issues.tariffs.payoffs.hold.roll_back[1]", 12, "unknown name 'gian'"),
        (CELLS, "issues.controls.payoffs.hodl", 18, "did you mean 'hold'"),
        (
            GOOD.replace("parameters:", "moves: [c, d]\nparameters:"),
            "moves",
            5,
            "a file with 'issues' takes no top-level 'moves'",
        ),
        (
            GOOD.replace("repeated:", "payoffs: {c: {c: [0, 0]}}\nrepeated:"),
            "payoffs",
            None,
            "takes no top-level 'payoffs'",
        ),
        (GOOD.replace("weight: w", "weight: -w"), "issues.second.weight", 14, "positive"),
        (GOOD.replace("weight: w", "weight: v"), "issues.second.weight", 14, "unknown name"),
        (
            GOOD.replace("target: [c, c]", "target: [c, x]", 1),
            "issues.first.target[1]",
            10,
            "unknown move 'x'",
        ),
        (
            GOOD.replace("moves: [c, d]", "moves: [c, d+e]", 1),
            "issues.first.moves[1]",
            None,
            "not a valid name",
        ),
        (
            GOOD.replace(
                "moves: [c, d]", "moves: [c, d, " + ", ".join(f"m{k}" for k in range(21)) + "]"
            ),
            "issues",
            None,
            "gives player 'us' 529 moves",
        ),
        (
            GOOD.replace("weight: 1\n", "wieght: 1\n", 1),
            "issues.first.wieght",
            None,
            "did you mean 'weight'",
        ),
        (
            GOOD.replace("repeated: {discount: 0.9}", "repeated: {target: [c+c, c+e]}"),
            "repeated.target[1]",
            None,
            "unknown move 'c+e'",
        ),
        (
            "schema: 1\nid: x\ntitle: X\nplayers: [{id: a}, {id: b}]\nissues: {}\n",
            "issues",
            5,
            "at least one issue",
        ),
        (
            "schema: 1\nid: x\ntitle: X\nplayers: [{id: a}, {id: b}]\n",
            "moves",
            None,
            "this required field is missing",
        ),
        (
            "schema: 1\nid: x\ntitle: X\nplayers: [{id: a}, {id: b}]\nmoves: [c]\n"
            "payoffs: {c: {c: [0, 0]}}\nrepeated: {discount: 0.5}\n",
            "repeated.target",
            7,
            "this required field is missing",
        ),
    ],
)
def test_bad_multi_issue_input_is_located(text, path, line, fragment):
    _bad(text, path, line, fragment)


def test_bad_multi_issue_file_exits_one_without_traceback(tmp_path):
    f = tmp_path / "bad.yaml"
    assert f"{f}:12: issues.tariffs.payoffs.hold.roll_back[1]" in _fails_cleanly(
        f, CELLS, "validate"
    )


def test_issue_payoff_that_fails_under_an_assumption_is_located_in_its_issue():
    # The second issue's matrices are on line 16; w = 3 divides by zero.
    text = GOOD.replace("cn: [[3, 6], [-1, 0]]", "cn: [[3, 6], [-1, 1/(w-3)]]").replace(
        "repeated:", "assumptions: {zero: {set: {w: 3}}}\nrepeated:"
    )
    _bad(text, "issues.second.matrices.cn[1][1]", 16, "cannot evaluate under 'zero'")


def _sum_game(first, second):
    """The linked game of two issues given as (A, B) lists: move (i1, i2) vs (j1, j2)
    pays A1[i1][j1] + A2[i2][j2] (issue-major order, as the scenario's "a+b" moves)."""
    (A1, B1), (A2, B2) = first, second
    m1, n1, m2, n2 = len(A1), len(A1[0]), len(A2), len(A2[0])
    rows = list(product(range(m1), range(m2)))
    cols = list(product(range(n1), range(n2)))
    A = [[A1[i1][j1] + A2[i2][j2] for j1, j2 in cols] for i1, i2 in rows]
    B = [[B1[i1][j1] + B2[i2][j2] for j1, j2 in cols] for i1, i2 in rows]
    return StageGame.from_payoffs(A, B), rows, cols


def _pure(game):
    return {
        (e.row_support[0], e.col_support[0])
        for e in extreme_equilibria(game).equilibria
        if e.kind == "pure"
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=int_matrices(max_moves=3, lo=-3, hi=3),
    second=int_matrices(max_moves=3, lo=-3, hi=3),
)
def test_linked_game_pure_equilibria_are_products_of_the_issues(first, second):
    """Payoffs separate over issues, so a pure profile of the linked game is a Nash
    equilibrium iff it is one on each issue (a best response to a separable payoff is a
    best response on each issue): the solver must find exactly the products, and every
    extreme equilibrium it reports is certified with exact regret 0."""
    game, rows, cols = _sum_game(first, second)
    want = {
        (rows.index((i1, i2)), cols.index((j1, j2)))
        for (i1, j1), (i2, j2) in product(
            _pure(StageGame.from_payoffs(*first)), _pure(StageGame.from_payoffs(*second))
        )
    }
    assert _pure(game) == want
    EA, EB = game.require_exact()
    for e in extreme_equilibria(game).equilibria:
        assert exact_regret(EA, EB, e.row, e.col)[0] == 0
