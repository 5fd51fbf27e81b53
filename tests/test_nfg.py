"""Gambit ``.nfg`` reading and writing: both variants, payoff order, round trips, errors.

The example games in ``tests/data/nfg`` were written for these tests. Two of them encode
the game used as the sample file in Gambit's documentation of the strategic game format
("The strategic game (.nfg) file format, payoff version / outcome version": Selten
(IJGT, 75), figure 2, normal form, a 3x2 game whose flat payoff list is
``1 1 0 2 0 2 1 1 0 3 2 0``), once in each variant.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.errors import ScenarioError
from negotiation.games.nfg import MAX_NFG_BYTES, load_nfg, read_nfg, write_nfg
from negotiation.games.stage_game import StageGame

DATA = Path(__file__).parent / "data" / "nfg"
F = Fraction


def exact(game: StageGame) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    assert game.exact_A is not None and game.exact_B is not None
    return [list(r) for r in game.exact_A], [list(r) for r in game.exact_B]


# -- hand-written files -------------------------------------------------------------------

SELTEN_A = [[1, 1], [0, 0], [0, 2]]
SELTEN_B = [[1, 1], [2, 3], [2, 0]]


def test_docs_example_payoff_version_without_labels() -> None:
    g = load_nfg(DATA / "selten_payoff.nfg")
    assert g.title == "Selten 1975, figure 2 (strategic form), payoff version"
    assert g.players == ("Player 1", "Player 2")
    assert g.row_moves == ("1", "2", "3") and g.col_moves == ("1", "2")
    assert exact(g) == (SELTEN_A, SELTEN_B)
    assert g.is_exact


def test_docs_example_outcome_version_with_labels_is_the_same_game() -> None:
    g = load_nfg(DATA / "selten_outcome.nfg")
    assert g.row_moves == ("T", "M", "B") and g.col_moves == ("l", "r")
    assert exact(g) == (SELTEN_A, SELTEN_B)
    p = load_nfg(DATA / "selten_payoff.nfg")
    assert g.A.tolist() == p.A.tolist() and g.B.tolist() == p.B.tolist()


def test_payoff_version_with_strategy_labels_and_comment() -> None:
    g = load_nfg(DATA / "labelled_payoff.nfg")
    assert g.players == ("Row", "Column")
    assert g.row_moves == ("up", "down")
    assert g.col_moves == ("left", "centre", "right")
    assert g.shape == (2, 3)


def test_payoff_order_first_player_varies_fastest() -> None:
    # Flat payoffs 0 1 | 2 3 | 4 5 | ... : profile k has row k % 2 and column k // 2.
    g = load_nfg(DATA / "labelled_payoff.nfg")
    A, B = exact(g)
    for i in range(2):
        for j in range(3):
            k = i + 2 * j
            assert A[i][j] == 2 * k and B[i][j] == 2 * k + 1
    assert A == [[0, 4, 8], [2, 6, 10]]
    # The same ordering in the outcome variant, non-square the other way round (3x2).
    text = 'NFG 1 R "" { "r" "c" } { 3 2 } { {"a" 1 2} {"b" 3 4} {"c" 5 6} } 1 2 3 0 3 1'
    A, B = exact(read_nfg(text))
    assert A == [[1, 0], [3, 5], [5, 1]]
    assert B == [[2, 0], [4, 6], [6, 2]]


def test_comments_odd_whitespace_crlf_escapes_and_number_forms() -> None:
    g = load_nfg(DATA / "odd_whitespace.nfg")
    assert g.title == 'Odd "spacing" test'
    assert g.players == ('Alice "A"', "Bob")
    # An empty label becomes its position; a backslash not before a quote is literal.
    assert g.row_moves == ("a b", "C:\\temp", "3")
    assert g.col_moves == ("x", "y")
    pay_row, pay_col = exact(g)
    assert pay_row == [[F(1, 2), F(1, 2)], [0, F(1, 2)], [25, 0]]
    assert pay_col == [[F(-1, 4), -1], [0, F(-1, 4)], [3, 0]]


def test_decimals_are_exact_and_strings_unescape() -> None:
    # A leading '+' and 'E+2' are accepted here, though Gambit refuses both.
    g = read_nfg(
        'NFG 1 R "t" { "a\\\\b" "q\\"" } { { "x\\\\" } { "1" "2" } } 0.1 1e-3 -2.50E+2 +3/6'
    )
    assert g.players == ("a\\b", 'q"')
    assert g.row_moves == ("x\\",)
    assert exact(g) == ([[F(1, 10), F(-250)]], [[F(1, 1000), F(1, 2)]])


def test_empty_player_names_become_positions() -> None:
    g = read_nfg('NFG 1 R "" { "" "" } { 1 1 } 4 5')
    assert g.players == ("1", "2") and g.title == ""


def test_bom_is_ignored() -> None:
    assert read_nfg('\ufeffNFG 1 R "" { "a" "b" } { 1 1 } 1 2').players == ("a", "b")


# -- writing ------------------------------------------------------------------------------


def test_write_outcome_variant_text() -> None:
    g = StageGame.from_payoffs(
        [[1, F(-1, 3)]], [[2, 0]], players=["P", "Q"], col_moves=["l", 'say "r"'], title="T"
    )
    assert write_nfg(g) == (
        'NFG 1 R "T" { "P" "Q" }\n'
        '{ { "1" }\n'
        '  { "l" "say \\"r\\"" } }\n'
        '""\n'
        "\n"
        "{\n"
        '{ "" 1, 2 }\n'
        '{ "" -1/3, 0 }\n'
        "}\n"
        "1 2\n"
    )


def test_written_payoff_order_matches_gambit() -> None:
    g = load_nfg(DATA / "selten_payoff.nfg")
    body = write_nfg(g, variant="payoff").split('""\n', 1)[1].split()
    assert body == ["1", "1", "0", "2", "0", "2", "1", "1", "0", "3", "2", "0"]  # Gambit's docs


def test_write_inexact_game_uses_float_repr() -> None:
    g = StageGame.from_payoffs([[0.1, 1e-5]], [[2.0, 1e300]], exact=False)
    text = write_nfg(g, variant="payoff")
    assert "0.1 2.0" in text and "1e-05 1e300" in text  # no '+': Gambit refuses it
    back = read_nfg(text)
    assert back.A.tolist() == g.A.tolist() and back.B.tolist() == g.B.tolist()


def test_write_rejects_unknown_variant() -> None:
    g = StageGame.from_payoffs([[1]], [[1]])
    with pytest.raises(ValueError, match="variant"):
        write_nfg(g, variant="table")  # type: ignore[arg-type]


def test_backslash_escaping_is_minimal() -> None:
    # Gambit reads every backslash that does not precede a quote literally, so the
    # writer escapes a backslash only before a quote, a backslash or the closing quote.
    g = StageGame.from_payoffs([[1, 2]], [[3, 4]], col_moves=["C:\\temp", "end\\"])
    assert '"C:\\temp" "end\\\\"' in write_nfg(g)
    assert read_nfg(write_nfg(g)) == g


LABEL = st.text(
    alphabet=st.one_of(st.sampled_from(' "\\{},\n\t1e/'), st.characters(codec="utf-8")),
    min_size=1,
    max_size=6,
)
PAYOFF = st.fractions(min_value=-(10**6), max_value=10**6, max_denominator=1000)


@st.composite
def games(draw: st.DrawFn) -> StageGame:
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 5))
    matrix = st.lists(st.lists(PAYOFF, min_size=n, max_size=n), min_size=m, max_size=m)
    return StageGame.from_payoffs(
        draw(matrix),
        draw(matrix),
        players=draw(st.lists(LABEL, min_size=2, max_size=2, unique=True)),
        row_moves=draw(st.lists(LABEL, min_size=m, max_size=m, unique=True)),
        col_moves=draw(st.lists(LABEL, min_size=n, max_size=n, unique=True)),
        title=draw(st.text(max_size=12)),
    )


@given(games(), st.sampled_from(["payoff", "outcome"]))
@settings(max_examples=80)
def test_round_trip(game: StageGame, variant: str) -> None:
    text = write_nfg(game, variant=variant)  # type: ignore[arg-type]
    back = read_nfg(text)
    assert back == game
    assert back.title == game.title
    assert (back.players, back.row_moves, back.col_moves) == (
        game.players,
        game.row_moves,
        game.col_moves,
    )
    assert back.exact_A == game.exact_A and back.exact_B == game.exact_B


@given(games())
@settings(max_examples=30)
def test_both_variants_read_the_same(game: StageGame) -> None:
    assert read_nfg(write_nfg(game, variant="payoff")) == read_nfg(write_nfg(game))


# -- errors ---------------------------------------------------------------------------------

HEAD = 'NFG 1 R "g" { "1" "2" }'


def located(text: str, where: str, fragment: str) -> ScenarioError:
    """``read_nfg(text)`` fails with a message starting ``where`` and containing ``fragment``."""
    with pytest.raises(ScenarioError) as info:
        read_nfg(text, file="bad.nfg")
    message = str(info.value)
    assert message.startswith(f"bad.nfg:{where}: "), message
    assert fragment in message, message
    assert "\n" not in message and "Traceback" not in message
    return info.value


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        # not an NFG file / header
        ("", "1: header", "not an NFG file"),
        ('EFG 2 R "tree" { "1" "2" }', "1: header", "not an NFG file"),
        ("\n\nhello", "3: header", "not an NFG file"),
        ('NFG 2 R "g" { "1" "2" } { 1 1 } 1 1', "1: header.version", "version"),
        ('NFG 1 X "g" { "1" "2" } { 1 1 } 1 1', "1: header.type", "'R'"),
        ('NFG 1 R { "1" "2" } { 1 1 } 1 1', "1: header.title", "title"),
        # players
        ('NFG 1 R "g"\n{ "1" }\n{ 1 } 1', "2: header.players", "1 player;"),
        ('NFG 1 R "g"\n{ "1" 2 }', "2: header.players", "found '2'"),
        ('NFG 1 R "g"\n{ "p" "p" } { 1 1 } 1 1', "2: header.players", "distinct"),
        ('NFG 1 R "g" "1" "2"', "1: header.players", "'{'"),
        # strategies
        (HEAD + "\n{ 501 2 }", "2: header.strategies[0]", "too large"),
        (HEAD + "\n{ 2 99999999999999 }", "2: header.strategies[1]", "too large"),
        (HEAD + "\n{ { " + '"s" ' * 501 + "} }", "2: header.strategies[0]", "too large"),
        (HEAD + "\n{ 0 2 }", "2: header.strategies[0]", "no strategies"),
        (HEAD + "\n{ 2.5 2 }", "2: header.strategies[0]", "whole number"),
        (HEAD + "\n{ 2 }\n1 1", "2: header.strategies", "for 1 players"),
        (HEAD + "\n{ 2 2 2 }", "2: header.strategies", "for 3 players"),
        (HEAD + '\n{ { "a" "a" } { "b" } }', "2: header.strategies[0]", "labelled 'a'"),
        (HEAD + '\n{ { "2" "" } { "b" } }', "2: header.strategies[0]", "labelled '2'"),
        (HEAD + '\n{ { } { "b" } }', "2: header.strategies[0]", "no strategies"),
        (HEAD + '\n{ { "a" 1 } { "b" } }', "2: header.strategies[0]", "found '1'"),
        # strings
        ('NFG 1 R "g" { "1" "2" }\n{ 1 1 }\n"comment\n\n1 1', "3: header.comment", "unterminated"),
        ('NFG 1 R "g" { "1" "2\\" } { 1 1 } 1 1', "1: header.players", "unterminated"),
        # payoff version
        (HEAD + " { 1 1 }", "1: payoffs", "end of the file"),
        (HEAD + " { 1 1 } ,", "1: payoffs", "found ','"),
        (HEAD + " { 2 2 }\n1 1\n2 2\n3 3", "4: payoffs[6]", "needs 8 (2 per strategy"),
        (HEAD + " { 2 1 }\n1 1\n2 2\n3 3", "4: payoffs[4]", "has 4 payoffs"),
        (HEAD + " { 2 1 }\n1 1\n2 2 }", "3: payoffs[4]", "after the end"),
        (HEAD + " { 1 2 }\n1 1\n2 x", "3: payoffs[3]", "player 2's, at row 1, column 2"),
        (HEAD + " { 1 1 }\n1\ninf", "3: payoffs[1]", "not a finite number"),
        (HEAD + " { 1 1 }\nNaN 1", "2: payoffs[0]", "not a finite number"),
        (HEAD + " { 1 1 }\n1e400 1", "2: payoffs[0]", "too large"),
        (HEAD + " { 1 1 }\n1e-99999 1", "2: payoffs[0]", "out of range"),
        (HEAD + " { 1 1 }\n1/0 1", "2: payoffs[0]", "divides by zero"),
        (HEAD + " { 1 1 }\n1/" + "0" * 5000 + " 1", "2: payoffs[0]", "divides by zero"),
        (HEAD + " { 1 1 }\n1/" + "7" * 5000 + " 1", "2: payoffs[0]", "too many digits"),
        (HEAD + " { 1 1 }\n1e" + "9" * 5000 + " 1", "2: payoffs[0]", "out of range"),
        (HEAD + " { 1 1 }\n1e-" + "0" * 5000 + "1 1", "2: payoffs[0]", "out of range"),
        (HEAD + " { 1 1 }\n" + "9" * 5000 + " 1", "2: payoffs[0]", "too many digits"),
        (HEAD + " { 1 1 }\n1_000 1", "2: payoffs[0]", "found '1_000'"),
        (HEAD + " { 1 1 }\n\u0663 1", "2: payoffs[0]", "expected a payoff"),
        (HEAD + ' { 1 1 }\n"comment" "1" 1', "2: payoffs", "found the string '1'"),
        (HEAD + ' { 1 1 }\n"comment" 1', "2: payoffs[1]", "ends after 1 payoff, but"),
        # outcome version
        (
            HEAD + " { 1 1 }\n{ 1 2 }",
            "2: outcomes",
            "opening an outcome or '}' closing the outcomes, found '1'",
        ),
        (HEAD + " { 1 1 }\n{ { 1 2 } }", "2: outcomes[0]", "quoted name of outcome 1"),
        (HEAD + ' { 1 1 }\n{ { "" 1 2 3 } } 1', "2: outcomes[0]", "has 3 payoffs, expected 2"),
        (HEAD + ' { 1 1 }\n{ { "" 1 } } 1', "2: outcomes[0]", "has 1 payoff, expected 2"),
        (HEAD + ' { 1 1 }\n{ { "" 1,, 2 } } 1', "2: outcomes[0]", "found ','"),
        (HEAD + ' { 1 1 }\n{ { "" 1 2 }\n{ "" 1', "3: outcomes[1]", "ends inside outcome 2"),
        (HEAD + ' { 1 1 }\n{ { "" 1 2 }\n{ "oops 1 2 } }', "3: outcomes[1]", "unterminated"),
        (HEAD + ' { 2 1 }\n1 2\n3 "4', "3: payoffs[3]", "quote opened on line 3"),
        (HEAD + ' { 1 1 }\n{ { "" 1 nan } } 1', "2: outcomes[0]", "not a finite number"),
        (HEAD + ' { 1 1 }\n{ { "" 1 2 } "x" } 1', "2: outcomes", "found the string 'x'"),
        (HEAD + ' { 2 1 }\n{ { "" 1 2 } }\n1 2', "3: profiles[1]", "2 is out of range"),
        (HEAD + ' { 2 1 }\n{ { "" 1 2 } }\n1 -1', "3: profiles[1]", "out of range"),
        (HEAD + " { 2 1 }\n{ }\n0\n1", "4: profiles[1]", "defines 0 outcomes"),
        (HEAD + ' { 2 1 }\n{ { "" 1 2 } }\n1 1.0', "3: profiles[1]", "not a whole number"),
        (HEAD + ' { 2 1 }\n{ { "" 1 2 } }\n1 a', "3: profiles[1]", "outcome number"),
        (HEAD + ' { 3 1 }\n{ { "" 1 2 } }\n1\n1', "4: profiles[2]", "needs 3 (one per"),
        (HEAD + ' { 1 1 }\n{ { "" 1 2 } }\n1\n1', "4: profiles[1]", "lists more outcome"),
        (HEAD + ' { 1 1 }\n{ { "" 1 2 } }\n1\nend', "4: profiles[1]", "after the end"),
    ],
)
def test_error_classes(text: str, where: str, fragment: str) -> None:
    located(text, where, fragment)


def test_three_player_file_is_refused_with_its_name_and_line() -> None:
    path = DATA / "three_players.nfg"
    with pytest.raises(ScenarioError) as info:
        load_nfg(path)
    assert str(info.value) == (
        f"{path}:1: header.players: the game has 3 players; only two-player games are supported"
    )
    assert info.value.problem.line == 1
    assert info.value.problem.path == ("header", "players")


def test_size_guard_on_text() -> None:
    text = "NFG" + " " * MAX_NFG_BYTES
    with pytest.raises(ScenarioError, match=r"^big\.nfg: \(top level\): the file is larger"):
        read_nfg(text, file="big.nfg")
    # Multi-byte characters count as bytes.
    with pytest.raises(ScenarioError, match="larger than 5 MB"):
        read_nfg('NFG 1 R "' + "é" * (MAX_NFG_BYTES // 2 + 1) + '"')


def test_size_guard_on_file(tmp_path: Path) -> None:
    path = tmp_path / "big.nfg"
    with open(path, "wb") as handle:
        handle.truncate(MAX_NFG_BYTES + 1)
    with pytest.raises(ScenarioError, match=re.escape(f"{path}: (top level): the file is larger")):
        load_nfg(path)


def test_load_errors_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.nfg"
    with pytest.raises(ScenarioError, match=re.escape(f"{missing}: (top level): cannot read")):
        load_nfg(missing)
    binary = tmp_path / "latin1.nfg"
    binary.write_bytes(b'NFG 1 R "g"\n{ "caf\xe9" "2" }')
    with pytest.raises(
        ScenarioError, match=re.escape(f"{binary}:2: (top level): the file is not")
    ):
        load_nfg(binary)
    broken = tmp_path / "broken.nfg"
    broken.write_text('NFG 1 R "g" { "1" "2" }\n{ 2 2 }\n1 1 1 1\n1 1 1', encoding="utf-8")
    with pytest.raises(ScenarioError, match=re.escape(f"{broken}:4: payoffs[7]: the file ends")):
        load_nfg(str(broken))


TOKENS = st.sampled_from(
    ["NFG", "1", "R", "D", "{", "}", ",", '"x"', '""', '"a\\"b"', "2", "0", "3/2", "-1.5e2",
     "inf", "13", '"', "\n", "x", "1/0", "99"]
)  # fmt: skip


@given(st.lists(TOKENS, max_size=40))
@settings(max_examples=150)
def test_arbitrary_token_soup_gives_a_game_or_a_located_error(tokens: list[str]) -> None:
    for text in (" ".join(tokens), HEAD + " " + " ".join(tokens)):
        try:
            game = read_nfg(text, file="soup.nfg")
        except ScenarioError as err:
            assert str(err).startswith("soup.nfg")
            assert err.problem.line is None or 1 <= err.problem.line <= text.count("\n") + 1
        else:
            assert isinstance(game, StageGame)
