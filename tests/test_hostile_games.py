"""Hostile input to the stage-game layer: files that block, games that run for hours,
numbers too long, too large, too small or too close, and objects of the wrong type.

Every case must end quickly in a ``NegotiationError`` with a clear message (exit code 1
from the CLI, never a traceback or "internal error"), or in a correct answer.
"""

from __future__ import annotations

import json
import os
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from capped_cli import run_capped
from reference_equilibria import reference_extreme_equilibria

import negotiation.games.extreme_equilibria as ee
import negotiation.games.security as security
from negotiation.errors import GameError, NegotiationError, ScenarioError
from negotiation.games.best_response import (
    best_responses,
    own_exact_payoffs,
    pure_best_response_table,
)
from negotiation.games.dominance import iterated_strict_dominance, iterated_weak_dominance
from negotiation.games.extreme_equilibria import (
    MAX_EXACT_DIGITS,
    check_exact_size,
    equilibria_batch,
    extreme_equilibria,
)
from negotiation.games.nfg import MAX_NFG_DIGITS, load_nfg, read_nfg, write_nfg
from negotiation.games.pareto import pareto_efficient_profiles
from negotiation.games.pure_equilibria import pure_equilibria
from negotiation.games.rational import (
    MAX_TEXT_EXPONENT,
    float_view,
    matrix_game_exact,
    short_number,
    simplex_max,
    to_fraction,
)
from negotiation.games.security import (
    _square_search,
    mixed_security_values,
    pure_security_values,
)
from negotiation.games.stage_game import MAX_PAYOFF_MAGNITUDE, PayoffCellError, StageGame
from negotiation.limits import MAX_MOVES
from negotiation.scenario import parse_scenario

F = Fraction
MEMORY = 1_500_000_000  # bytes of address space for a CLI run


# ----------------------------------------------------------------------- helpers


def nfg_text(m: int, n: int, cell) -> str:
    """A payoff-version .nfg; ``cell(i, j, player)`` gives each payoff as text. The body
    starts on line 2, one strategy profile per line (so profile k is on line k + 2)."""
    lines = [f'NFG 1 R "hostile" {{ "1" "2" }} {{ {m} {n} }}']
    for j in range(n):
        for i in range(m):  # the first player's strategy varies fastest
            lines.append(f"{cell(i, j, 0)} {cell(i, j, 1)}")
    return "\n".join(lines) + "\n"


def cli(*args: str, timeout: float = 60) -> tuple[int, str, float]:
    """Run ``negotiation ARGS`` in a fresh process with a memory cap: (code, output, s)."""
    result, seconds = run_capped(*args, memory=MEMORY, timeout=timeout)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    return result.returncode, output, seconds


def refused(path: Path, *fragments: str, timeout: float = 30) -> str:
    """``negotiation solve path`` exits 1 with one short message containing ``fragments``."""
    code, output, _ = cli("solve", str(path), timeout=timeout)
    assert code == 1, output
    message = output.strip()
    assert "\n" not in message and len(message) < 600, message
    for fragment in fragments:
        assert fragment in message, message
    return message


def timed(func, *args, **kwargs):
    """Run ``func`` and return (result or exception, seconds)."""
    start = time.monotonic()
    try:
        out = func(*args, **kwargs)
    except NegotiationError as exc:
        out = exc
    return out, time.monotonic() - start


# ------------------------------------------------ 1. files that are not regular files


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "g.nfg"
    os.mkfifo(fifo)
    refused(fifo, str(fifo), "FIFO")


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    loop = tmp_path / "loop.nfg"
    loop.symlink_to(loop)
    refused(loop, str(loop), "loop of symbolic links")


def test_directory_named_nfg_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "x.nfg"
    folder.mkdir()
    refused(folder, str(folder), "directory")


def test_load_nfg_refuses_non_paths() -> None:
    for bad in (None, 3, True, 2.5):
        with pytest.raises(ScenarioError, match=r"expected the path of an \.nfg file"):
            load_nfg(bad)  # type: ignore[arg-type]


# ------------------------------------------ 2. degenerate and huge-number games, fast


def test_all_zero_12x12_nfg_is_solved_fast_and_right(tmp_path: Path) -> None:
    path = tmp_path / "zero.nfg"
    path.write_text(nfg_text(12, 12, lambda i, j, p: 0), encoding="utf-8")
    code, output, seconds = cli("solve", str(path), "--format", "json", timeout=60)
    assert code == 0, output
    assert seconds < 30
    data = json.loads(output)
    # Every profile is an equilibrium: the 144 pure profiles are the extreme ones.
    assert data["degenerate"] is True and data["certified"] == "exact"
    assert len(data["equilibria"]) == 144
    assert all(e["kind"] == "pure" for e in data["equilibria"])
    assert len(data["components"]) == 1
    pure = {
        (
            next(k for k, v in e["strategies"]["1"].items() if v == 1),
            next(k for k, v in e["strategies"]["2"].items() if v == 1),
        )
        for e in data["equilibria"]
    }
    assert len(pure) == 144


def test_constant_game_fast_path_equals_the_general_method() -> None:
    for m, n in [(1, 1), (1, 3), (3, 1), (2, 3), (4, 4)]:
        for exact in (True, False):
            game = StageGame.from_payoffs([[7] * n] * m, [[-2] * n] * m, exact=exact)
            fast = extreme_equilibria(game)
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(ee, "_constant_payoffs", lambda g, e: None)
                general = extreme_equilibria(game)
            assert fast == general, (m, n, exact)


def test_constant_12x12_api_is_fast() -> None:
    game = StageGame.from_payoffs([[F(1, 3)] * 12] * 12, [[5] * 12] * 12)
    result, seconds = timed(extreme_equilibria, game)
    assert seconds < 2
    assert len(result) == 144 and result.degenerate and len(result.nash_subsets) == 1
    assert {e.payoffs for e in result} == {(F(1, 3), F(5))}


def test_security_of_a_constant_12x12_game_is_fast() -> None:
    game = StageGame.from_payoffs([[0] * 12] * 12, [[0] * 12] * 12)
    result, seconds = timed(mixed_security_values, game)
    assert seconds < 10  # was about 700 s: 2.7 million square subsystems per player
    assert result.values == (0, 0)


def test_security_falls_back_to_the_exact_simplex_method() -> None:
    rng = np.random.default_rng(5)
    for _ in range(40):
        m, n = rng.integers(1, 5, 2)
        game = StageGame.from_payoffs(rng.integers(-2, 3, (m, n)), rng.integers(-2, 3, (m, n)))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(security, "MAX_SQUARE_TRIES", 0)  # the square search gives up at once
            s = mixed_security_values(game)
        for p in (0, 1):
            U = own_exact_payoffs(game, p)
            rows, cols = len(U), len(U[0])
            x, y = s.maxmin_strategies[p], s.minmax_strategies[p]
            lo = min(sum(x[k] * U[k][j] for k in range(rows)) for j in range(cols))
            hi = max(sum(U[k][j] * y[j] for j in range(cols)) for k in range(rows))
            assert lo == hi == s.values[p] == _square_search(U, range(rows), range(cols))[2]


def test_exact_simplex_matches_brute_force_on_random_matrix_games() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        m, n = rng.integers(1, 5, 2)
        U = [[F(int(v)) for v in row] for row in rng.integers(-2, 3, (m, n))]
        x, y, v = matrix_game_exact(U)
        assert min(x) >= 0 and min(y) >= 0 and sum(x) == sum(y) == 1
        assert min(sum(x[i] * U[i][j] for i in range(m)) for j in range(n)) == v
        assert max(sum(U[i][j] * y[j] for j in range(n)) for i in range(m)) == v
        assert _square_search(U, range(m), range(n))[2] == v


def test_simplex_max_reports_unbounded_and_needs_feasible_start() -> None:
    assert simplex_max([F(1)], [[F(0)]], [F(1)]) is None
    with pytest.raises(GameError, match="b >= 0"):
        simplex_max([F(1)], [[F(1)]], [F(-1)])


def test_12x12_with_200_digit_rationals_is_refused_early(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)

    def cell(i: int, j: int, p: int) -> str:
        a, b = (int("".join(map(str, rng.integers(0, 10, 199)))) + 10**199 for _ in "ab")
        return f"{a}/{b}"

    path = tmp_path / "long.nfg"
    path.write_text(nfg_text(12, 12, cell), encoding="utf-8")
    start = time.monotonic()
    message = refused(path, "12x12", f"{MAX_EXACT_DIGITS} digits", "round the payoffs")
    assert time.monotonic() - start < 20, message


def test_long_fractions_are_refused_before_any_heavy_work() -> None:
    rng = np.random.default_rng(2)
    A = [[F(int(rng.integers(1, 10**9)), 10**40 + int(rng.integers(1, 10**9))) for _ in range(6)]
         for _ in range(6)]  # fmt: skip
    game = StageGame.from_payoffs(A, A)
    for solver in (extreme_equilibria, mixed_security_values, iterated_strict_dominance):
        result, seconds = timed(solver, game)
        assert isinstance(result, GameError) and "common denominator" in str(result)
        assert seconds < 2


def test_a_payoff_with_too_many_digits_is_named() -> None:
    game = StageGame.from_payoffs([[1, F(1, 7**1200)]], [[0, 1]], row_moves=["hold"])
    with pytest.raises(GameError, match=r"\(row move 'hold', column move '2'\) has 1015 digits"):
        extreme_equilibria(game)
    with pytest.raises(GameError, match="has 1015 digits"):
        iterated_weak_dominance(game)


def test_tiny_scaled_payoffs_are_solved_exactly() -> None:
    # Every payoff rounds to 0.0 as a float: the float stage must see the structure.
    rng = np.random.default_rng(3)
    scale = F(1, 10**400)
    for _ in range(30):
        m, n = rng.integers(1, 5, 2)
        A, B = rng.integers(-2, 3, (m, n)).tolist(), rng.integers(-2, 3, (m, n)).tolist()
        game = StageGame.from_payoffs([[v * scale for v in r] for r in A],
                                      [[v * scale for v in r] for r in B])  # fmt: skip
        assert not game.A.any() and not game.B.any()
        ref, degenerate = reference_extreme_equilibria(A, B)
        got = extreme_equilibria(game)
        assert {(e.row, e.col) for e in got} == ref and got.degenerate == degenerate
        same = iterated_strict_dominance(StageGame.from_payoffs(A, B))
        tiny = iterated_strict_dominance(game)
        assert (tiny.remaining_rows, tiny.remaining_cols) == (
            same.remaining_rows,
            same.remaining_cols,
        )


def test_payoffs_equal_as_floats_are_kept_apart() -> None:
    # 10**20 and 10**20 + 1 are the same double; the game is Matching Pennies shifted.
    big = 10**20
    A = [[big + 1, big - 1], [big - 1, big + 1]]
    B = [[big - 1, big + 1], [big + 1, big - 1]]
    game = StageGame.from_payoffs(A, B)
    assert len(set(game.A.ravel().tolist())) == 1
    (eq,) = extreme_equilibria(game)
    assert eq.row == eq.col == (F(1, 2), F(1, 2))
    assert mixed_security_values(game).values == (big, big)
    assert float_view(game.exact_A, game.A).tolist() == [[2.0, 1.0], [1.0, 2.0]]


def test_near_ties_do_not_lose_equilibria() -> None:
    # Two vertices of the row player's polytope are closer than the rounding grid that
    # used to merge degenerate vertices (1e-4): one equilibrium went missing.
    A = [[F(1001, 500), F(1, 1000), F(501, 500)], [F(0), F(501, 500), F(1, 500)],
         [F(501, 500)] * 3]  # fmt: skip
    B = [[F(1, 1000), F(1001, 500), F(0)], [F(1, 500), F(2), F(2001, 1000)],
         [F(2001, 1000), F(1, 500), F(1001, 500)]]  # fmt: skip
    missed = ((F(1000, 2001), F(0), F(1001, 2001)), (F(0), F(0), F(1)))
    ref, _ = reference_extreme_equilibria(A, B)
    got = {(e.row, e.col) for e in extreme_equilibria(StageGame.from_payoffs(A, B))}
    assert missed in ref and got == ref


@pytest.mark.parametrize("eps", [F(1, 10**3), F(1, 10**6), F(1, 10**8)])
def test_near_tie_games_match_the_exact_reference(eps: Fraction) -> None:
    rng = np.random.default_rng(int(1 / eps) % 2**32)
    for _ in range(60):
        m, n = rng.integers(2, 5, 2)
        A = [[F(int(rng.integers(0, 3))) + eps * int(rng.integers(-2, 3)) for _ in range(n)]
             for _ in range(m)]  # fmt: skip
        B = [[F(int(rng.integers(0, 3))) + eps * int(rng.integers(-2, 3)) for _ in range(n)]
             for _ in range(m)]  # fmt: skip
        ref, degenerate = reference_extreme_equilibria(A, B)
        got = extreme_equilibria(StageGame.from_payoffs(A, B))
        assert {(e.row, e.col) for e in got} == ref and got.degenerate == degenerate


def test_payoffs_closer_than_floats_resolve_are_solved_exactly() -> None:
    # Payoffs 1e-12 apart used to be refused (the float stage could not see them apart);
    # the vertex search now proves or recomputes every vertex exactly.
    A = [[1, 1 + F(1, 10**12)], [0, 2]]
    B = [[0, 1], [1, 0]]
    ref, degenerate = reference_extreme_equilibria(A, B)
    got = extreme_equilibria(StageGame.from_payoffs(A, B))
    assert {(e.row, e.col) for e in got} == ref and got.degenerate == degenerate
    for eps in (F(1, 10**15), F(1, 10**30)):
        A = [[1, 1 + eps, 1], [1 - eps, 1, 1 + 2 * eps], [1, 1 - eps, 1]]
        B = [[1 + eps, 1, 1 - eps], [1, 1, 1 + eps], [1 - eps, 1 + eps, 1]]
        ref, degenerate = reference_extreme_equilibria(A, B)
        got = extreme_equilibria(StageGame.from_payoffs(A, B))
        assert {(e.row, e.col) for e in got} == ref and got.degenerate == degenerate


def test_check_exact_size_accepts_ordinary_games() -> None:
    assert (
        check_exact_size(StageGame.from_payoffs([[3, 0], [5, 1]], [[3, 5], [0, 1]]), "x") is None
    )


# -------------------------------------------------- 3. numbers in .nfg files: located


@pytest.mark.parametrize(
    ("payoff", "fragment"),
    [
        ("1e308", "too large"),
        ("1" + "0" * 400, "too large"),
        ("-7e-9000", "too small"),
        ("1e-301", "too small"),
        ("7" * 5000, "too many digits"),
        ("0." + "3" * (MAX_NFG_DIGITS + 5), "too many digits"),
        (f"{10**MAX_NFG_DIGITS + 1}/{10**MAX_NFG_DIGITS + 3}", "too many digits"),  # coprime
    ],
    ids=[
        "1e308",
        "1e400 written out",
        "-7e-9000",
        "1e-301",
        "5000-digit integer",
        "long decimal",
        "long denominator",
    ],
)
def test_out_of_range_numbers_in_nfg_are_located(
    tmp_path: Path, payoff: str, fragment: str
) -> None:
    # The offending payoff is player 2's at row 2, column 1: profile 1, line 3.
    path = tmp_path / "n.nfg"
    path.write_text(nfg_text(2, 2, lambda i, j, p: payoff if (i, j, p) == (1, 0, 1) else 1),
                    encoding="utf-8")  # fmt: skip
    message = refused(path, f"{path}:3: payoffs[3]", fragment)
    assert len(message) < 300  # a short echo of the number, never its digits


def test_limits_in_nfg_are_inclusive() -> None:
    text = nfg_text(1, 2, lambda i, j, p: ["1e300", "-1e-300"][j])
    game = read_nfg(text)
    assert game.exact_A == ((F(10**300), F(-1, 10**300)),)
    longest = f"{10 ** (MAX_NFG_DIGITS - 1) + 1}/{10 ** (MAX_NFG_DIGITS - 1) + 3}"
    assert read_nfg(nfg_text(1, 1, lambda i, j, p: longest)).shape == (1, 1)


def test_read_nfg_refuses_non_text() -> None:
    with pytest.raises(ScenarioError, match="got NoneType"):
        read_nfg(None)  # type: ignore[arg-type]
    with pytest.raises(ScenarioError, match=r"got bytes; decode it first"):
        read_nfg(b'NFG 1 R "g" { "1" "2" } { 1 1 } 1 1')  # type: ignore[arg-type]


def test_write_nfg_refuses_bad_arguments() -> None:
    with pytest.raises(GameError, match="write_nfg needs a StageGame"):
        write_nfg([[1]])  # type: ignore[arg-type]
    with pytest.raises(GameError, match="variant"):
        write_nfg(StageGame.from_payoffs([[1]], [[1]]), variant="x" * 10_000)  # type: ignore[arg-type]


# ----------------------------------------- 4. the Python API: wrong types and bad games


@pytest.mark.parametrize(
    "call",
    [
        lambda g: extreme_equilibria(g),
        lambda g: pure_equilibria(g),
        lambda g: mixed_security_values(g),
        lambda g: pure_security_values(g),
        lambda g: iterated_strict_dominance(g),
        lambda g: iterated_weak_dominance(g),
        lambda g: best_responses(g, 0, [1]),
        lambda g: pure_best_response_table(g),
        lambda g: pareto_efficient_profiles(g),
        lambda g: write_nfg(g),
    ],
)
@pytest.mark.parametrize("bad", [[[1]], None, np.zeros((2, 2)), "game"])
def test_solvers_refuse_what_is_not_a_game(call, bad) -> None:
    with pytest.raises(GameError, match="needs a StageGame"):
        call(bad)


Z = np.zeros((2, 2))


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"A": np.zeros((501, 1)), "B": np.zeros((501, 1))}, "501x1 game is too large"),
        ({"A": np.array([[np.nan]]), "B": np.zeros((1, 1))}, "is nan, not finite"),
        ({"A": np.zeros((1, 1)), "B": np.array([[-np.inf]])}, "is -inf, not finite"),
        ({"A": np.array([[2e300]]), "B": np.zeros((1, 1))}, "too large for floating point"),
        ({"A": Z, "B": np.zeros((2, 3))}, "different shapes: A is 2x2, B is 2x3"),
        ({"A": np.zeros(2), "B": np.zeros(2)}, "2-dimensional"),
        ({"A": np.zeros((0, 2)), "B": np.zeros((0, 2))}, "is empty"),
        ({"A": np.array([["a"]]), "B": np.zeros((1, 1))}, "must hold real numbers"),
        ({"A": [[1, 2], [3]], "B": [[1, 2], [3]]}, "ragged"),
        ({"A": [["x"]], "B": [[1]]}, "not a number"),
        ({"A": Z, "B": Z, "row_moves": ("a",)}, "2 moves in the payoffs but 1 labels"),
        ({"A": Z, "B": Z, "col_moves": ("a", "a")}, "not unique"),
        ({"A": Z, "B": Z, "players": ("p", "p")}, "two distinct player ids"),
        ({"A": Z, "B": Z, "players": ("p",)}, "two distinct player ids"),
        ({"A": Z, "B": Z, "exact_A": ((F(1), F(0)), (F(0), F(0)))}, "both players"),
        (
            {
                "A": Z,
                "B": Z,
                "exact_A": ((F(1), F(0)), (F(0), F(0))),
                "exact_B": ((F(0),) * 2,) * 2,
            },
            "does not match the float payoff",
        ),
        (
            {"A": Z, "B": Z, "exact_A": ((0.0, 0.0), (0.0, 0.0)), "exact_B": ((F(0),) * 2,) * 2},
            "is not a Fraction",
        ),
        ({"A": Z, "B": Z, "exact_A": ((F(0),),), "exact_B": ((F(0),),)}, "rows"),
        ({"A": Z, "B": Z, "title": 5}, "title"),
    ],
)
def test_constructor_validates(kwargs: dict, fragment: str) -> None:
    kwargs = {"exact_A": None, "exact_B": None, **kwargs}
    with pytest.raises(GameError, match=None) as info:
        StageGame(**kwargs)
    assert fragment in str(info.value)


def test_constructor_fills_default_labels_and_freezes_arrays() -> None:
    game = StageGame(A=[[1, 2]], B=[[3, 4]], exact_A=None, exact_B=None)
    assert game.row_moves == ("1",) and game.col_moves == ("1", "2")
    assert not game.A.flags.writeable and game.A.dtype == float


def test_oversized_constructor_game_is_refused_at_once() -> None:
    big = MAX_MOVES + 1
    result, seconds = timed(StageGame, np.zeros((big, 2)), np.zeros((big, 2)), None, None)
    assert isinstance(result, GameError) and seconds < 1
    assert f"at most {MAX_MOVES} moves" in str(result)


@pytest.mark.parametrize(
    ("A", "fragment"),
    [
        ([[float("nan")]], "is nan, not a finite number"),
        ([[float("inf")]], "is inf, not a finite number"),
        ([[True]], "a boolean"),
        ([[1j]], "not a number"),
        ([["1/0"]], "cannot be read exactly"),
        ([["1e-99999999"]], f"beyond ±{MAX_TEXT_EXPONENT}"),
        (None, "must be a list of rows"),
        ("12", "must be a list of rows, got str"),
        ({"r": [1]}, "must be a list of rows, got dict"),
        ([[1], "2"], "row 1 is '2'"),
        ([[1] * (MAX_MOVES + 1)], "too large"),
        (([0] for _ in range(10**9)), "too large"),
        ([range(10**9)], "too large"),
        (np.zeros((1, 1, 1)), "2-dimensional"),
    ],
)
def test_from_payoffs_validates(A, fragment: str) -> None:
    result, seconds = timed(StageGame.from_payoffs, A, [[1]])
    assert isinstance(result, GameError), result
    assert fragment in str(result) and seconds < 1


# ------------------------------------------ 5. exact -> float conversion never overflows


@pytest.mark.parametrize(
    ("value", "exact", "shown"),
    [
        (10**309, True, "about 1e+309 (a 310-digit integer)"),
        (2**9000, False, "about 1.9e+2709 (a 2710-digit integer)"),
        (F(10**40) ** 8, True, "about 1e+320"),
        (int("9" * 4000), True, "about 1e+4000 (an integer of about 4000 digits)"),
        ("1e400", True, "about 1e+400"),
        (F(-(10**301), 3), True, "about -3.3e+300"),
        (-1e301, False, "-1e+301"),
    ],
    ids=["10**309", "2**9000", "1e40**8", "4000 digits", "text 1e400", "-10**301/3", "-1e301"],
)
def test_too_large_payoffs_name_their_cell(value, exact: bool, shown: str) -> None:
    with pytest.raises(PayoffCellError) as info:
        StageGame.from_payoffs([[0, 0], [0, value]], [[0, 0], [0, 0]], exact=exact,
                               players=["us", "them"], row_moves=["hold", "press"],
                               col_moves=["hold", "press"])  # fmt: skip
    err = info.value
    assert (err.row, err.col, err.player) == (1, 1, 0)
    message = str(err)
    assert message.startswith(
        "the payoff of player 'us' at (row move 'press', column move 'press')"
    )
    assert shown in message and f"±{MAX_PAYOFF_MAGNITUDE:.0e}" in message
    assert len(message) < 300


def test_payoffs_at_the_magnitude_limit_are_accepted() -> None:
    game = StageGame.from_payoffs([[10**300, -(10**300)]], [[0, 1]])
    assert game.A.tolist() == [[1e300, -1e300]]
    assert len(extreme_equilibria(game)) >= 1


SCENARIO = """\
schema: 1
id: big
title: Big payoff
players:
  - {id: us, name: Us}
  - {id: them, name: Them}
moves: [hold, press]
parameters:
  u: {value: 1}
payoffs:
  hold:  {hold: [1, 1], press: [0, 2]}
  press: {hold: [2, 0], press: [u*1e40*1e40*1e40*1e40*1e40*1e40*1e40*1e40, 1]}
"""


def test_scenario_payoff_beyond_floats_is_located() -> None:
    scenario = parse_scenario(SCENARIO)
    with pytest.raises(ScenarioError) as info:
        StageGame.from_scenario(scenario)
    problem = info.value.problem
    assert problem.line == 12 and problem.path == ("payoffs", "press", "press", 0)
    assert "(row move 'press', column move 'press')" in problem.message
    assert "too large for floating point" in problem.message


def test_scenario_payoff_beyond_floats_via_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    refused(path, f"{path}:12: payoffs.press.press[0]", "too large for floating point", "'us'")


def test_best_responses_guard_their_conversions() -> None:
    game = StageGame.from_payoffs([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    for strategy in ([10**400, 0], ["1e-99999999", "1"], [float("nan"), 1.0], "ab"):
        result, seconds = timed(best_responses, game, 0, strategy, exact=False)
        assert isinstance(result, GameError), result
        assert len(str(result)) < 200 and seconds < 1


def test_batch_solver_validates_its_arrays() -> None:
    ok = np.zeros((1, 2, 2))
    cases = [
        ((np.zeros((2, 2)), np.zeros((2, 2))), "shape (G, m, n)"),
        ((ok, np.zeros((1, 3, 2))), "same shape"),
        ((np.full((1, 2, 2), np.nan), ok), "A[0, 0, 0] = nan"),
        ((np.zeros((1, 40, 40)), np.zeros((1, 40, 40))), "too large for complete enumeration"),
        (([[["x"]]], [[[1.0]]]), "real payoffs"),
    ]
    for (A, B), fragment in cases:
        with pytest.raises(GameError, match=None) as info:
            equilibria_batch(A, B)
        assert fragment in str(info.value)


def test_messages_never_echo_long_numbers() -> None:
    assert len(short_number(F(10**5000 + 1, 3))) < 60
    assert len(short_number(F(7) ** 20000)) < 60
    assert short_number("x" * 10_000).endswith("...'")
    with pytest.raises(GameError) as info:
        to_fraction("7" * 10_000)
    assert len(str(info.value)) < 100


def test_a_profile_too_large_to_derive_is_refused_at_once():
    from negotiation.limits import MAX_PROFILE_WORK
    from negotiation.repeated.joint import joint_automaton
    from negotiation.repeated.profiles import strategy_for
    from negotiation.repeated.sustainability import sustainability

    rng = np.random.default_rng(3)
    A = rng.integers(-9, 9, (12, 12)).tolist()
    game = StageGame.from_payoffs(A, A)
    tft = [strategy_for("tit_for_tat", game, p, (0, 0)) for p in (0, 1)]
    joint = joint_automaton(*tft)
    assert (len(joint.states), joint.edges) == (144, 144 * 144)  # copies the other's move
    assert len(joint.states) * joint.edges > MAX_PROFILE_WORK
    start = time.perf_counter()
    with pytest.raises(GameError, match="too large to analyse exactly: 144 joint states"):
        sustainability(game, tft[0], tft[1], (0, 0))
    assert time.perf_counter() - start < 5  # instead of minutes and gigabytes
