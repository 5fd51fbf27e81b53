"""Hypothesis strategies and transformations shared by the game tests."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from negotiation.games.stage_game import StageGame


@st.composite
def int_matrices(draw, max_moves: int = 4, lo: int = -2, hi: int = 2):
    """Two payoff matrices (lists of rows) of small integers: ties are common."""
    m = draw(st.integers(1, max_moves))
    n = draw(st.integers(1, max_moves))
    cell = st.integers(lo, hi)
    A = draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=m, max_size=m))
    B = draw(st.lists(st.lists(cell, min_size=n, max_size=n), min_size=m, max_size=m))
    return A, B


@st.composite
def int_games(draw, max_moves: int = 4, lo: int = -2, hi: int = 2):
    """A StageGame with small integer payoffs."""
    A, B = draw(int_matrices(max_moves, lo, hi))
    return StageGame.from_payoffs(A, B)


def permuted_rescaled(game: StageGame, data, denominator: int = 7):
    """The game with moves permuted and each player's payoffs positively rescaled.

    Returns ``(new_game, row_perm, col_perm, (a, b), (c, d))`` where the row player's
    payoffs became ``a * u + b`` and the column player's ``c * u + d``.
    """
    m, n = game.shape
    pr = data.draw(st.permutations(range(m)))
    pc = data.draw(st.permutations(range(n)))
    a, c = data.draw(st.integers(1, 4)), Fraction(data.draw(st.integers(1, 4)), denominator)
    b, d = data.draw(st.integers(-5, 5)), data.draw(st.integers(-5, 5))
    EA, EB = game.require_exact()
    A = [[a * EA[pr[i]][pc[j]] + b for j in range(n)] for i in range(m)]
    B = [[c * EB[pr[i]][pc[j]] + d for j in range(n)] for i in range(m)]
    return StageGame.from_payoffs(A, B), pr, pc, (a, b), (c, d)
