"""Stage games: the immutable game model and its solvers (equilibria, dominance, minmax, ...)."""
