"""Structure of the equilibrium set: maximal Nash subsets and connected components.

Extreme equilibria form a bipartite graph between the row player's and the column
player's extreme strategies. Any convex combination within a complete bipartite
subgraph ("Nash subset") is again an equilibrium; the maximal ones are the maximal
bicliques, and the equilibrium set's connected components are the connected
components of the graph (Avis, Rosenberg, Savani and von Stengel 2010, section 6;
Winkels 1979; Jansen 1981).
"""

from __future__ import annotations

from collections.abc import Sequence

from negotiation.games.equilibrium import Component, NashSubset

__all__ = ["components", "maximal_nash_subsets"]


def maximal_nash_subsets(pairs: Sequence[tuple[int, int]]) -> tuple[NashSubset, ...]:
    """Maximal bicliques of the bipartite graph of extreme equilibria.

    Parameters
    ----------
    pairs : sequence of (int, int)
        Extreme equilibria as (row strategy index, column strategy index).

    Returns
    -------
    tuple of NashSubset
        Sorted by their row and column index tuples.

    Examples
    --------
    A segment of equilibria (one row strategy against two column strategies) and an
    isolated equilibrium:

    >>> maximal_nash_subsets([(0, 0), (0, 1), (1, 2)])
    (NashSubset(rows=(0,), cols=(0, 1)), NashSubset(rows=(1,), cols=(2,)))
    """
    nbrs: dict[int, frozenset[int]] = {}
    for r, c in pairs:
        nbrs[r] = nbrs.get(r, frozenset()) | {c}
    base = set(nbrs.values())
    intents = set(base)
    frontier = set(base)
    while frontier:
        grown = {a & b for a in frontier for b in base} - intents - {frozenset()}
        intents |= grown
        frontier = grown
    out = []
    for cols in intents:
        rows = tuple(sorted(r for r, nb in nbrs.items() if cols <= nb))
        out.append(NashSubset(rows=rows, cols=tuple(sorted(cols))))
    return tuple(sorted(out, key=lambda s: (s.rows, s.cols)))


def components(
    pairs: Sequence[tuple[int, int]], subsets: Sequence[NashSubset]
) -> tuple[Component, ...]:
    """Connected components of the equilibrium set.

    Parameters
    ----------
    pairs : sequence of (int, int)
        Extreme equilibria as (row strategy index, column strategy index).
    subsets : sequence of NashSubset
        The maximal Nash subsets of ``pairs``.

    Returns
    -------
    tuple of Component
        Each with the indices of its equilibria and of its maximal Nash subsets.

    Examples
    --------
    >>> ps = [(0, 0), (0, 1), (1, 2)]
    >>> components(ps, maximal_nash_subsets(ps))
    (Component(equilibria=(0, 1), subsets=(0,)), Component(equilibria=(2,), subsets=(1,)))
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(a: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r, c in pairs:
        parent[find(("r", r))] = find(("c", c))
    groups: dict[tuple[str, int], list[int]] = {}
    for k, (r, _) in enumerate(pairs):
        groups.setdefault(find(("r", r)), []).append(k)
    out = []
    for eqs in groups.values():
        root = find(("r", pairs[eqs[0]][0]))
        subs = tuple(i for i, s in enumerate(subsets) if find(("r", s.rows[0])) == root)
        out.append(Component(equilibria=tuple(eqs), subsets=subs))
    return tuple(sorted(out, key=lambda c: c.equilibria))
