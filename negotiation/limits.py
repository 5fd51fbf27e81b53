"""Size limits shared by the layers (a leaf module: it imports nothing)."""

#: Largest number of moves per player. Complete enumeration of extreme equilibria
#: visits up to C(m + n, m) bases per best-response polytope (about 2.7 million for
#: 12x12), so larger games are refused with a clear message rather than run for hours.
MAX_MOVES = 12
