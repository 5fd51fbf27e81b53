"""Reading and writing Gambit strategic-form game files (``.nfg``) for two-player games.

Format facts used here were checked against Gambit's own documentation and source
(the ``gambitproject/gambit`` repository): the pages "The strategic game (.nfg) file
format, payoff version" and "..., outcome version" (``doc/formats.nfgpay.rst``,
``doc/formats.nfgout.rst`` and the combined ``doc/formats.rst``, also published as
"Game representation formats" on gambit.sourceforge.net), the reader in
``src/games/file.cc`` (``ParseNfgHeader``, ``ReadStrategies``, ``BuildNfg``) and the
writers ``GameRep::WriteNfgFile`` / ``GameTableRep::WriteNfgFile``. No Gambit code or
text is reused; the tokenizer and parser below are written from those facts. Files
written here were also read by pygambit 16.7 with the same payoffs, labels and title,
and files it wrote were read back here as the same game.

The format, as read here::

    NFG 1 R "title" { "Player 1" "Player 2" }
    { 3 2 }                                       # numbers of strategies, or
    { { "U" "M" "D" } { "L" "R" } }               # one list of labels per player
    "optional comment"
    1 1  0 2  0 2  1 1  0 3  2 0                  # payoff body, or
    { { "" 1, 1 } { "o2" 0 2 } ... } 1 2 0 ...    # outcome body

* The header is ``NFG``, the version ``1`` and a data-type letter: ``R`` (what Gambit
  writes) or the obsolete ``D``; both are accepted, every number is read exactly.
* The strategy block is either the numbers of strategies or the nested label lists, and
  the body is either flat payoffs or outcomes, *independently*: Gambit's reader picks the
  body from its first token (``{`` starts outcomes, a number starts payoffs), and current
  Gambit writes strategy labels in both variants. The documentation shows the payoff
  version with numbers and the outcome version with labels.
* Strategy profiles are listed with the **first player's strategy varying fastest**
  (like counting, least significant digit first). The first player is the row player
  here, so the flat index ``k`` is row ``k % m``, column ``k // m``.
* Payoff body: one payoff per player per profile, in player order.
* Outcome body: a brace-enclosed list of outcomes ``{ "name" p1 p2 }`` (a comma may
  follow each payoff), numbered 1, 2, ... in order, then one outcome number per profile;
  ``0`` is the null outcome, paying 0 to everybody.
* Numbers are integers, decimals (``.5``, ``1.``, ``2.5e-3``) or rationals ``p/q``, with
  an optional minus sign. Gambit refuses a ``+`` (``+3``, ``1e+16``); this reader accepts
  it and the writer never writes one. Strings are double-quoted; ``\\"`` is a quote inside
  a string. Gambit treats every other backslash literally; this reader also reads
  ``\\\\`` as one backslash, and the writer escapes a backslash only where it is followed
  by a quote, a backslash or the end of the label, so a label like ``C:\\temp`` is read
  identically by Gambit (those three cases have no spelling Gambit reads back). Gambit
  16.7 also refuses labels that are not printable ASCII or that have leading, trailing
  or doubled spaces; the writer does not check for that.
* Whitespace outside strings is insignificant; the file has no end marker, and nothing
  may follow the body.

Deviations from Gambit: only two-player games with at most
:data:`~negotiation.limits.MAX_MOVES` strategies per player are accepted; every number
must be zero or have a magnitude between ``1e-300`` and ``1e300``
(:data:`~negotiation.games.stage_game.MAX_PAYOFF_MAGNITUDE`) and, as an exact fraction
in lowest terms, a numerator and a denominator of at most :data:`MAX_NFG_DIGITS` digits
(an error names the line of the first number that is not); the comment
is read but dropped (a :class:`StageGame` has no place for it); empty player or
strategy labels become their 1-based position, and labels must then be distinct (Gambit
16.7 renames empty and duplicate labels to ``_1``, ``x_1``, ...); an outcome index must
be written as a whole number. The payoff documentation's walk-through says the fourth
profile has player 1 on "his second strategy"; the rule it states (and Gambit's code and
sample payoffs) put player 1 back on the first strategy there, as read here.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, NoReturn

from negotiation.errors import GameError, ScenarioError
from negotiation.games.extreme_equilibria import MAX_EXACT_DIGITS
from negotiation.games.rational import digits, fraction_str
from negotiation.games.stage_game import MAX_PAYOFF_MAGNITUDE, StageGame, require_game
from negotiation.limits import MAX_MOVES
from negotiation.scenario.files import read_limited

__all__ = ["MAX_NFG_BYTES", "MAX_NFG_DIGITS", "load_nfg", "read_nfg", "write_nfg"]

#: Largest ``.nfg`` text accepted, in bytes of UTF-8 (5 MB).
MAX_NFG_BYTES = 5_000_000

#: Most digits in the numerator or the denominator of one number of an ``.nfg`` file
#: (in lowest terms; ``1e300`` has 301). A longer number could not be solved exactly
#: anyway (:data:`~negotiation.games.extreme_equilibria.MAX_EXACT_DIGITS`), so it is
#: refused where it is written.
MAX_NFG_DIGITS = MAX_EXACT_DIGITS

# Smallest magnitude of a non-zero number: 1 / MAX_PAYOFF_MAGNITUDE.
_MIN_MAGNITUDE = Fraction(1, 10**300)
_MAX_MAGNITUDE = Fraction(10**300)

# Largest decimal exponent accepted in a number literal (float overflows far earlier).
_MAX_EXPONENT = 10_000

_TOKEN = re.compile(
    r'(?P<ws>[ \t\n\r\f\v]+)|(?P<punct>[{},])|(?P<quote>")|(?P<word>[^ \t\n\r\f\v{},"]+)'
)
# The inside of a string: runs of ordinary characters and backslash pairs, possessively
# (a string that is never closed fails in linear time).
_STRING_BODY = re.compile(r'(?:[^"\\]++|\\.)*+', re.DOTALL)
_UNESCAPE = re.compile(r"\\([\"\\])")
_NUMBER = re.compile(
    r"[+-]?(?:(?P<num>\d+)/(?P<den>\d+)|(?:\d+\.?\d*|\.\d+)(?:[eE](?P<exp>[+-]?\d+))?)",
    re.ASCII,
)
_NON_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)
_ESCAPE = re.compile(r'\\(?=["\\]|$)|"')


def _unescape(match: re.Match[str]) -> str:
    return match.group(1)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class _Token:
    kind: str  # "{", "}", ",", "text", "word", "eof" or "unterminated"
    value: str
    line: int

    def describe(self) -> str:
        if self.kind == "eof":
            return "the end of the file"
        shown = self.value if len(self.value) <= 30 else self.value[:27] + "..."
        return f"the string {shown!r}" if self.kind == "text" else repr(shown)


def _tokens(text: str) -> Iterator[_Token]:
    """Tokens of ``text`` in order, each with its 1-based line; a final ``eof`` token.

    A quote that is never closed gives an ``unterminated`` token and ends the stream.
    """
    pos, line, end = 0, 1, len(text)
    while pos < end:
        match = _TOKEN.match(text, pos)
        assert match is not None  # the alternatives cover every character
        kind = match.lastgroup
        if kind == "quote":
            body = _STRING_BODY.match(text, match.end())
            assert body is not None  # it may match the empty string
            if body.end() >= end or text[body.end()] != '"':  # the text ends first
                yield _Token("unterminated", "", line)
                return
            yield _Token("text", _UNESCAPE.sub(_unescape, body.group()), line)
            line += text.count("\n", pos, body.end() + 1)
            pos = body.end() + 1
            continue
        if kind == "punct":
            yield _Token(match.group(), match.group(), line)
        elif kind == "word":
            yield _Token("word", match.group(), line)
        line += text.count("\n", pos, match.end())
        pos = match.end()
    last = line - 1 if text.endswith("\n") and line > 1 else line
    yield _Token("eof", "", last)


class _Parser:
    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self._tokens = _tokens(text)
        self._ahead: _Token | None = None
        self.last_line = 1
        self.section: tuple[str | int, ...] = ("header",)  # where the next token belongs

    # -- token access -------------------------------------------------------------
    def peek(self) -> _Token:
        if self._ahead is None:
            self._ahead = next(self._tokens)
            if self._ahead.kind == "unterminated":
                line = self._ahead.line
                self.fail(
                    f"unterminated string: the quote opened on line {line} is never closed",
                    self.section,
                    line,
                )
        return self._ahead

    def take(self) -> _Token:
        token = self.peek()
        if token.kind != "eof":
            self._ahead = None
            self.last_line = token.line
        return token

    def fail(self, message: str, path: tuple[str | int, ...], line: int) -> NoReturn:
        raise ScenarioError(message, file=self.file, path=path, line=line)

    def expect(self, kind: str, what: str, path: tuple[str | int, ...]) -> _Token:
        token = self.take()
        if token.kind != kind:
            self.fail(f"expected {what}, found {token.describe()}", path, token.line)
        return token

    def number(self, token: _Token, what: str, path: tuple[str | int, ...]) -> Fraction:
        """The exact value of a number token, or a located error."""
        if token.kind != "word":
            self.fail(f"expected {what}, found {token.describe()}", path, token.line)
        word = token.value
        shown = word if len(word) <= 30 else word[:27] + "..."  # never echo a long number
        if _NON_FINITE.fullmatch(word):
            self.fail(f"{shown!r} is not a finite number; {what} must be finite", path, token.line)
        match = _NUMBER.fullmatch(word)
        if match is None:
            self.fail(f"expected {what}, found {token.describe()}", path, token.line)
        exponent = (match.group("exp") or "0").lstrip("+-")
        if len(exponent) > 6 or int(exponent) > _MAX_EXPONENT:
            self.fail(f"the number {shown!r} is out of range", path, token.line)
        if match.group("den") is not None and not match.group("den").strip("0"):
            self.fail(f"the number {shown!r} divides by zero", path, token.line)
        try:
            value = Fraction(word)
        except ValueError:  # e.g. more digits than int() converts
            self.fail(f"the number {shown!r} has too many digits", path, token.line)
        if abs(value) > _MAX_MAGNITUDE:
            self.fail(
                f"the number {shown!r} is too large: payoffs must lie within "
                f"±{MAX_PAYOFF_MAGNITUDE:.0e}",
                path,
                token.line,
            )
        if value != 0 and abs(value) < _MIN_MAGNITUDE:
            self.fail(
                f"the number {shown!r} is too small: a non-zero payoff must be at least "
                f"{1 / MAX_PAYOFF_MAGNITUDE:.0e} in magnitude (write 0 for zero)",
                path,
                token.line,
            )
        if digits(value) > MAX_NFG_DIGITS:
            self.fail(
                f"the number {shown!r} has too many digits: at most {MAX_NFG_DIGITS} in its "
                "numerator and in its denominator are supported; round it",
                path,
                token.line,
            )
        return value

    # -- header -------------------------------------------------------------------
    def header(self) -> tuple[str, tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
        first = self.take()
        if first.kind == "eof":
            self.fail("not an NFG file: the text is empty", ("header",), first.line)
        if first.kind != "word" or first.value != "NFG":
            extra = " (an extensive-form game)" if first.value == "EFG" else ""
            self.fail(
                f"not an NFG file: expected it to start with 'NFG', found "
                f"{first.describe()}{extra}",
                ("header",),
                first.line,
            )
        version = self.take()
        if version.kind != "word" or version.value != "1":
            self.fail(
                f"unsupported NFG version: expected '1', found {version.describe()}",
                ("header", "version"),
                version.line,
            )
        dtype = self.take()
        if dtype.kind != "word" or dtype.value not in ("R", "D"):
            self.fail(
                f"expected the data type 'R' (or the obsolete 'D'), found {dtype.describe()}",
                ("header", "type"),
                dtype.line,
            )
        self.section = ("header", "title")
        title = self.expect("text", "the game title as a quoted string", self.section)
        players = self.players()
        strategies = self.strategies()
        self.section = ("header", "comment")
        if self.peek().kind == "text":  # the optional comment
            self.take()
        return title.value, players, strategies

    def players(self) -> tuple[str, str]:
        path: tuple[str | int, ...] = ("header", "players")
        self.section = path
        opening = self.expect("{", "'{' opening the list of players", path)
        labels: list[str] = []
        while self.peek().kind == "text":
            labels.append(self.take().value)
        closing = self.take()
        if closing.kind != "}":
            self.fail(
                f"expected a quoted player name or '}}' closing the list of players, "
                f"found {closing.describe()}",
                path,
                closing.line,
            )
        if len(labels) != 2:
            self.fail(
                f"the game has {len(labels)} player{'s' if len(labels) != 1 else ''}; "
                "only two-player games are supported",
                path,
                opening.line,
            )
        ids = [label if label else str(k + 1) for k, label in enumerate(labels)]
        if ids[0] == ids[1]:
            self.fail(
                f"both players are called {ids[0]!r}; player names must be distinct",
                path,
                opening.line,
            )
        return ids[0], ids[1]

    def strategies(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Strategy labels of both players (``"1", "2", ...`` for bare numbers)."""
        path: tuple[str | int, ...] = ("header", "strategies")
        self.section = path
        opening = self.expect("{", "'{' opening the strategies", path)
        out: list[tuple[str, ...]] = []
        if self.peek().kind == "{":
            while self.peek().kind == "{":
                player = len(out)
                where: tuple[str | int, ...] = (*path, player)
                self.section = where
                inner = self.take()
                labels: list[str] = []
                while self.peek().kind == "text":
                    labels.append(self.take().value)
                    self.check_size(len(labels), player, where, inner.line)
                closing = self.take()
                if closing.kind != "}":
                    self.fail(
                        f"expected a quoted strategy label or '}}', found {closing.describe()}",
                        where,
                        closing.line,
                    )
                if not labels:
                    self.fail(f"player {player + 1} has no strategies", where, inner.line)
                out.append(self.distinct(labels, player, where, inner.line))
                self.section = path
        else:
            while self.peek().kind == "word":
                player = len(out)
                token = self.take()
                where = (*path, player)
                if not token.value.isdigit() or not token.value.isascii():
                    self.fail(
                        f"expected a positive whole number of strategies, found "
                        f"{token.describe()}",
                        where,
                        token.line,
                    )
                count = int(token.value) if len(token.value) <= 6 else MAX_MOVES + 1
                if count == 0:
                    self.fail(f"player {player + 1} has no strategies", where, token.line)
                self.check_size(count, player, where, token.line)
                out.append(tuple(str(k + 1) for k in range(count)))
        closing = self.take()
        if closing.kind != "}":
            self.fail(
                f"expected '}}' closing the strategies, found {closing.describe()}",
                path,
                closing.line,
            )
        if len(out) != 2:
            self.fail(
                f"the strategies are given for {len(out)} players, expected 2",
                path,
                opening.line,
            )
        return out[0], out[1]

    def distinct(
        self, labels: list[str], player: int, path: tuple[str | int, ...], line: int
    ) -> tuple[str, ...]:
        """Labels with empty ones replaced by their position; duplicates are an error."""
        out = tuple(label if label else str(k + 1) for k, label in enumerate(labels))
        seen: set[str] = set()
        for label in out:
            if label in seen:
                self.fail(
                    f"player {player + 1} has two strategies labelled {label!r}; "
                    "strategy labels must be distinct",
                    path,
                    line,
                )
            seen.add(label)
        return out

    def check_size(self, count: int, player: int, path: tuple[str | int, ...], line: int) -> None:
        if count > MAX_MOVES:
            self.fail(
                f"the game is too large: player {player + 1} has more than {MAX_MOVES} "
                f"strategies (at most {MAX_MOVES} per player are supported)",
                path,
                line,
            )

    # -- body ---------------------------------------------------------------------
    def payoff_body(self, m: int, n: int) -> list[tuple[Fraction, Fraction]]:
        """Flat payoffs, player 1's strategy varying fastest."""
        size = 2 * m * n
        values: list[Fraction] = []
        for k in range(size):
            self.section = ("payoffs", k)
            token = self.take()
            if token.kind == "eof":
                self.fail(
                    f"the file ends after {_plural(k, 'payoff')}, but a {m}x{n} game needs "
                    f"{size} (2 per strategy profile)",
                    ("payoffs", k),
                    self.last_line,
                )
            row, col = (k // 2) % m + 1, (k // 2) // m + 1
            what = f"a payoff (player {k % 2 + 1}'s, at row {row}, column {col})"
            values.append(self.number(token, what, ("payoffs", k)))
        self.end(
            ("payoffs", size),
            f"a {m}x{n} game has {size} payoffs (2 per strategy profile), but the file has more",
        )
        return [(values[2 * p], values[2 * p + 1]) for p in range(m * n)]

    def outcome_body(self, m: int, n: int) -> list[tuple[Fraction, Fraction]]:
        self.section = ("outcomes",)
        self.expect("{", "'{' opening the list of outcomes", self.section)
        outcomes: list[tuple[Fraction, Fraction]] = []
        while self.peek().kind == "{":
            index = len(outcomes)
            path: tuple[str | int, ...] = ("outcomes", index)
            self.section = path
            opening = self.take()
            self.expect("text", f"the quoted name of outcome {index + 1}", path)
            payoffs: list[Fraction] = []
            while True:
                token = self.take()
                if token.kind == "}":
                    break
                if token.kind == "eof":
                    self.fail(
                        f"the file ends inside outcome {index + 1} (opened on line "
                        f"{opening.line}); expected '}}'",
                        path,
                        self.last_line,
                    )
                payoffs.append(self.number(token, "a payoff or '}'", path))
                if self.peek().kind == ",":
                    self.take()
            if len(payoffs) != 2:
                self.fail(
                    f"outcome {index + 1} has {len(payoffs)} payoff"
                    f"{'s' if len(payoffs) != 1 else ''}, expected 2 (one per player)",
                    path,
                    opening.line,
                )
            outcomes.append((payoffs[0], payoffs[1]))
            self.section = ("outcomes",)
        self.expect("}", "'{' opening an outcome or '}' closing the outcomes", ("outcomes",))
        table: list[tuple[Fraction, Fraction]] = []
        null = (Fraction(0), Fraction(0))
        for k in range(m * n):
            path = ("profiles", k)
            self.section = path
            token = self.take()
            if token.kind == "eof":
                self.fail(
                    f"the file ends after {_plural(k, 'outcome number')}, but a {m}x{n} game "
                    f"needs {m * n} (one per strategy profile)",
                    path,
                    self.last_line,
                )
            if token.kind != "word" or not _NUMBER.fullmatch(token.value):
                self.fail(
                    f"expected an outcome number, found {token.describe()}", path, token.line
                )
            if not re.fullmatch(r"[+-]?\d+", token.value, re.ASCII):
                self.fail(
                    f"the outcome number {token.value!r} is not a whole number", path, token.line
                )
            number = int(token.value) if len(token.value) <= 12 else len(outcomes) + 1
            if not 0 <= number <= len(outcomes):
                self.fail(
                    f"outcome number {token.value} is out of range: the file defines "
                    f"{len(outcomes)} outcome{'s' if len(outcomes) != 1 else ''} "
                    "(0 is the null outcome)",
                    path,
                    token.line,
                )
            table.append(outcomes[number - 1] if number else null)
        self.end(
            ("profiles", m * n),
            f"a {m}x{n} game has {m * n} strategy profiles, but the file lists more "
            "outcome numbers",
        )
        return table

    def end(self, path: tuple[str | int, ...], message: str) -> None:
        self.section = path
        token = self.peek()
        if token.kind == "word" and _NUMBER.fullmatch(token.value):
            self.fail(f"{message}: unexpected {token.describe()}", path, token.line)
        if token.kind != "eof":
            self.fail(f"unexpected {token.describe()} after the end of the game", path, token.line)


def _too_large(file: str) -> ScenarioError:
    return ScenarioError(
        f"the file is larger than {MAX_NFG_BYTES // 1_000_000} MB; too large for a "
        "two-player game file",
        file=file,
    )


def _check_size(text: str, file: str) -> None:
    if len(text) > MAX_NFG_BYTES or (
        4 * len(text) > MAX_NFG_BYTES
        and len(text.encode("utf-8", "surrogatepass")) > MAX_NFG_BYTES
    ):
        raise _too_large(file)


def read_nfg(text: str, *, file: str = "<string>") -> StageGame:
    """Read a two-player game from the text of a Gambit ``.nfg`` file.

    Both the payoff and the outcome version are read, with strategy labels or numbers
    of strategies. Payoffs are exact: ``0.1`` is read as ``1/10``.

    Parameters
    ----------
    text : str
        The file's contents.
    file : str
        Name used in error messages.

    Returns
    -------
    StageGame
        An exact game. The first player of the file is the row player; player ids are
        the file's player names, moves its strategy labels (``"1", "2", ...`` when the
        file gives only numbers of strategies; an empty name or label becomes its
        1-based position). The title is the file's title; the comment is dropped.

    Raises
    ------
    ScenarioError
        Any problem, located by file, path (``header.players``, ``payoffs[7]``,
        ``outcomes[2]``, ``profiles[3]``, ...) and 1-based line: not an NFG file,
        an unexpected token, an unterminated string, a non-finite number, a wrong
        number of payoffs or outcome numbers for the declared shape, an outcome
        number out of range, not two players, more than ``MAX_MOVES`` strategies for
        a player, a number beyond the limits above (magnitude, :data:`MAX_NFG_DIGITS`),
        text over :data:`MAX_NFG_BYTES`, or ``text`` that is not a ``str``.

    Examples
    --------
    Payoff version (the first player's strategy varies fastest):

    >>> g = read_nfg('NFG 1 R "PD" { "Ann" "Bob" } { { "C" "D" } { "C" "D" } }'
    ...              ' 3 3  5 0  0 5  1 1')
    >>> g.players, g.row_moves, g.title
    (('Ann', 'Bob'), ('C', 'D'), 'PD')
    >>> g.A.tolist(), g.B.tolist()
    ([[3.0, 0.0], [5.0, 1.0]], [[3.0, 5.0], [0.0, 1.0]])

    Outcome version, with a rational and a decimal payoff:

    >>> g = read_nfg('NFG 1 R "" { "" "" } { { "a" "b" } { "x" } }'
    ...              ' { { "" 1/2, 0.25 } } 1 0')
    >>> g.players, g.col_moves, g.exact_A[0][0], g.exact_B[0][0], g.exact_B[1][0]
    (('1', '2'), ('x',), Fraction(1, 2), Fraction(1, 4), Fraction(0, 1))

    Errors name the file, the place and the line:

    >>> read_nfg('NFG 1 R "g" { "1" "2" } { 2 2 }\\n1 1 2 2 3 3', file="g.nfg")
    Traceback (most recent call last):
    ...
    negotiation.errors.ScenarioError: g.nfg:2: payoffs[6]: the file ends after 6 payoffs, \
but a 2x2 game needs 8 (2 per strategy profile)
    """
    if not isinstance(file, str):
        file = str(file)
    if not isinstance(text, str):
        hint = (
            "decode it first (text.decode('utf-8')) or give the path to load_nfg"
            if isinstance(text, bytes | bytearray)
            else "give the file's text, or its path to load_nfg"
        )
        raise ScenarioError(
            f"expected the text of an .nfg file as a str, got {type(text).__name__}; {hint}",
            file=file,
        )
    _check_size(text, file)
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = _Parser(text, file)
    title, players, strategies = parser.header()
    row_moves, col_moves = strategies
    m, n = len(row_moves), len(col_moves)
    start = parser.peek()
    if start.kind == "{":
        table = parser.outcome_body(m, n)
    elif start.kind == "word":
        table = parser.payoff_body(m, n)
    else:
        parser.fail(
            "expected the payoffs (numbers) or the list of outcomes ('{'), found "
            f"{start.describe()}",
            ("payoffs",),
            start.line if start.kind != "eof" else parser.last_line,
        )
    A = [[table[i + m * j][0] for j in range(n)] for i in range(m)]
    B = [[table[i + m * j][1] for j in range(n)] for i in range(m)]
    try:
        return StageGame.from_payoffs(
            A, B, players=players, row_moves=row_moves, col_moves=col_moves, title=title
        )
    except GameError as exc:  # not expected: everything is checked above
        raise ScenarioError(str(exc), file=file, path=("header",), line=1) from None


def load_nfg(path: str | os.PathLike[str]) -> StageGame:
    """Read a two-player game from a Gambit ``.nfg`` file (UTF-8).

    Parameters
    ----------
    path : str or os.PathLike
        The file; errors name it as given.

    Returns
    -------
    StageGame
        See :func:`read_nfg`.

    Raises
    ------
    ScenarioError
        The file cannot be read (missing, a loop of symbolic links, a directory, a
        FIFO or a device -- refused before opening, so a FIFO does not block), is
        not UTF-8, is larger than :data:`MAX_NFG_BYTES`, or any problem
        :func:`read_nfg` reports (see :func:`negotiation.scenario.files.read_limited`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp) / "mp.nfg"
    ...     _ = p.write_text('NFG 1 R "Matching pennies" { "1" "2" } { 2 2 }\\n'
    ...                      '1 -1 -1 1 -1 1 1 -1\\n', encoding="utf-8")
    ...     load_nfg(p).A.tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    if isinstance(path, bool | int) or not isinstance(path, str | os.PathLike):
        kind = type(path).__name__
        raise ScenarioError(
            f"expected the path of an .nfg file (a str or os.PathLike), got {kind}",
            file=f"<{kind}>",
        )
    shown = os.fsdecode(os.fspath(path))
    text = read_limited(path, shown, MAX_NFG_BYTES, "two-player game files")
    return read_nfg(text, file=shown)


def _quote(label: str) -> str:
    """A double-quoted NFG string whose reading gives back ``label``."""
    return '"' + _ESCAPE.sub(lambda m: "\\" + m.group(), label) + '"'


def _number_texts(game: StageGame) -> tuple[list[list[str]], list[list[str]]]:
    if game.exact_A is not None and game.exact_B is not None:
        return (
            [[fraction_str(v) for v in row] for row in game.exact_A],
            [[fraction_str(v) for v in row] for row in game.exact_B],
        )

    def text(x: float) -> str:
        if not math.isfinite(x):  # StageGame forbids this; guard the file anyway
            raise GameError(f"payoff {x!r} is not a finite number")
        return repr(float(x)).replace("e+", "e")  # Gambit refuses a '+' in numbers

    return (
        [[text(v) for v in row] for row in game.A.tolist()],
        [[text(v) for v in row] for row in game.B.tolist()],
    )


def write_nfg(game: StageGame, *, variant: Literal["payoff", "outcome"] = "outcome") -> str:
    """Write a two-player game as the text of a Gambit ``.nfg`` file.

    Parameters
    ----------
    game : StageGame
        The game; the row player becomes Gambit's player 1.
    variant : {"outcome", "payoff"}
        ``"outcome"`` (default, what Gambit writes for a table game): one outcome per
        strategy profile and a list of outcome numbers. ``"payoff"``: a flat list of
        payoffs. Both carry the player names and strategy labels.

    Returns
    -------
    str
        The file's text. Payoffs are exact rationals (``p/q``) when the game is exact,
        otherwise the ``repr`` of the floats. For exact games
        ``read_nfg(write_nfg(game)) == game``, with the same title (empty labels aside,
        which are read back as their positions).

    Raises
    ------
    GameError
        For an unknown ``variant`` (a ``ValueError`` too), or when ``game`` is not a
        :class:`StageGame`.

    Examples
    --------
    >>> g = StageGame.from_payoffs([[3, 0], [5, "1/2"]], [[3, 5], [0, 1]],
    ...                            players=["Ann", "Bob"], row_moves=["C", "D"],
    ...                            col_moves=["C", "D"], title='The "PD"')
    >>> print(write_nfg(g, variant="payoff"))
    NFG 1 R "The \\"PD\\"" { "Ann" "Bob" }
    { { "C" "D" }
      { "C" "D" } }
    ""
    <BLANKLINE>
    3 3
    5 0
    0 5
    1/2 1
    <BLANKLINE>
    >>> read_nfg(write_nfg(g)) == g
    True
    """
    require_game(game, "write_nfg")
    if variant not in ("payoff", "outcome"):
        raise GameError(f"variant must be 'payoff' or 'outcome', not {variant!r:.40}")
    m, n = game.shape
    pa, pb = _number_texts(game)
    profiles = [(i, j) for j in range(n) for i in range(m)]  # player 1 fastest
    head = [
        f"NFG 1 R {_quote(game.title)} {{ {_quote(game.players[0])} {_quote(game.players[1])} }}",
        "{ { " + " ".join(_quote(s) for s in game.row_moves) + " }",
        "  { " + " ".join(_quote(s) for s in game.col_moves) + " } }",
        '""',
        "",
    ]
    if variant == "payoff":
        body = [f"{pa[i][j]} {pb[i][j]}" for i, j in profiles]
    else:
        body = ["{", *(f'{{ "" {pa[i][j]}, {pb[i][j]} }}' for i, j in profiles), "}"]
        body.append(" ".join(str(k + 1) for k in range(len(profiles))))
    return "\n".join([*head, *body]) + "\n"
