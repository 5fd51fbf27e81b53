"""An independent, slow, fully exact reference for extreme equilibria (tests only).

Brute force over every choice of tight constraints of both best-response polytopes,
in rational arithmetic from start to end (no floating point anywhere), following the
characterisation of extreme equilibria as completely labelled vertex pairs (Avis,
Rosenberg, Savani and von Stengel 2010). Written separately from the package's solver.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations


def _solve(rows: list[list[Fraction]]) -> list[Fraction] | None:
    """Solve an augmented k x (k+1) system by Gauss-Jordan; None if singular."""
    k = len(rows)
    work = [r[:] for r in rows]
    for c in range(k):
        p = next((r for r in range(c, k) if work[r][c] != 0), None)
        if p is None:
            return None
        work[c], work[p] = work[p], work[c]
        piv = work[c][c]
        work[c] = [v / piv for v in work[c]]
        for r in range(k):
            if r != c and work[r][c] != 0:
                f = work[r][c]
                work[r] = [a - f * b for a, b in zip(work[r], work[c])]
    return [work[r][k] for r in range(k)]


def _vertices(M: list[list[Fraction]]) -> dict[tuple[Fraction, ...], frozenset[int]]:
    """Vertices of {x >= 0 : M^T x <= 1} (M positive, d x c) with their label sets.

    Labels: variable i at zero -> i; constraint j tight -> d + j.
    """
    d, c = len(M), len(M[0])
    out: dict[tuple[Fraction, ...], frozenset[int]] = {}
    for k in range(0, min(d, c) + 1):
        for S in combinations(range(d), k):
            for T in combinations(range(c), k):
                sol = _solve([[M[i][j] for i in S] + [Fraction(1)] for j in T]) if k else []
                if sol is None or any(v < 0 for v in sol):
                    continue
                x = [Fraction(0)] * d
                for i, v in zip(S, sol):
                    x[i] = v
                loads = [sum(x[i] * M[i][j] for i in range(d)) for j in range(c)]
                if any(v > 1 for v in loads):
                    continue
                labels = {i for i in range(d) if x[i] == 0} | {
                    d + j for j in range(c) if loads[j] == 1
                }
                out[tuple(x)] = frozenset(labels)
    return out


def reference_extreme_equilibria(A, B):
    """Set of extreme equilibria ((x...), (y...)) as Fractions, and the degeneracy flag."""
    A = [[Fraction(v) for v in r] for r in A]
    B = [[Fraction(v) for v in r] for r in B]
    m, n = len(A), len(A[0])
    shift_a = 1 - min(min(r) for r in A)
    shift_b = 1 - min(min(r) for r in B)
    P = _vertices([[v + shift_b for v in r] for r in B])  # over rows, constraints = columns
    Qraw = _vertices([[A[i][j] + shift_a for i in range(m)] for j in range(n)])
    # relabel Q: its variables are columns (labels m + j), its constraints rows (labels i)
    Q = {
        y: frozenset((m + lab) if lab < n else (lab - n) for lab in labs)
        for y, labs in Qraw.items()
    }
    full = frozenset(range(m + n))
    eqs = set()
    for x, lx in P.items():
        if not any(x):
            continue
        for y, ly in Q.items():
            if any(y) and lx | ly == full:
                sx, sy = sum(x), sum(y)
                eqs.add((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    degenerate = any(len(lx) > m for lx in P.values()) or any(len(ly) > n for ly in Q.values())
    return eqs, degenerate
