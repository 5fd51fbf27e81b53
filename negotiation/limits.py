"""Size limits shared by the layers (a leaf module: it imports nothing)."""

#: Largest number of moves per player of any game. It bounds memory (a game keeps its
#: m x n payoffs twice, as floats and as exact rationals of about 100 bytes each:
#: about 50 MB at 500x500) and the time of Lemke-Howson (its tableau has (m + n)^2
#: entries). Complete enumeration of all extreme equilibria has its own, smaller limits
#: (negotiation.games.enumeration_limits).
MAX_MOVES = 500

#: Most digits in one written number (a YAML number or an expression literal); the
#: digits of the mantissa count, those of the exponent do not.
MAX_NUMBER_DIGITS = 40
#: Largest size of the exponent of a written number, as in ``1e-40``.
MAX_NUMBER_EXPONENT = 40

#: Most rounds ``k_period_punishment(k=...)`` may punish for (its automaton has
#: ``2k + 1`` states).
MAX_PUNISHMENT_ROUNDS = 50

#: Most problems a message lists; the others are counted ("... and 12 more problems").
MAX_REPORTED_PROBLEMS = 50
#: Most problems kept in memory for one file; further ones are only counted.
MAX_KEPT_PROBLEMS = 1000
#: Most characters of file content a message quotes; longer text is cut with "...".
MAX_QUOTED_CHARS = 80
#: Most items of a list a message names; the rest are counted ("... and 5 more").
MAX_LISTED_ITEMS = 10
#: Longest message of one problem, in characters (a last guard behind the above).
MAX_MESSAGE_CHARS = 1000

#: Most agents per population in the stochastic-stability chain of ``evolve``.
MAX_POPULATION = 200
#: Most population states of that chain for the mistake-free analysis (recurrent
#: classes, resistances, stochastic potentials; graph searches, fast).
MAX_CHAIN_STATES = 20000
#: Most states for its exact stationary distribution at a given mistake rate (a dense
#: rational linear system of this size).
MAX_EXACT_CHAIN_STATES = 300
#: Finest starting-point grid of ``evolve``: each player's mixed strategies are the
#: interior points of the simplex with this denominator.
MAX_GRID = 200
#: Most starting points of one basin computation.
MAX_STARTS = 5000
#: Most steps of one trajectory (time points of the replicator dynamics, rounds of
#: fictitious play).
MAX_STEPS = 100000
#: Most starting points times steps of one basin computation (nashpy's fictitious
#: play runs about 20,000 rounds a second: at most about a minute).
MAX_DYNAMICS_WORK = 1000000
#: Most strategies in one tournament (every ordered pair is solved exactly).
MAX_ENTRANTS = 40

#: Most draws per assumption of ``negotiation robustness`` (``--samples``).
MAX_SAMPLES = 1_000_000
#: Most draws of one ``robustness`` run, all assumptions together (time and memory).
MAX_TOTAL_DRAWS = 5_000_000
#: Most independent randomisations of a ``robustness`` design (``--replicates``).
MAX_REPLICATES = 1000

#: Most applications of the payoff-set operator in exact rational arithmetic before the
#: subgame-perfect payoff set is approximated instead (each iterate's numbers grow).
MAX_EXACT_SPE_ITERATIONS = 40
#: Largest size (numerator plus denominator bits) of one exact vertex coordinate of a
#: payoff-set iterate; beyond it the approximate phase takes over.
MAX_EXACT_SPE_BITS = 2000
#: Most applications of the payoff-set operator in the approximate phase.
MAX_SPE_ITERATIONS = 5000
#: Fixed directions of the outer approximation by half-planes (Judd, Yeltekin & Conklin
#: 2003); the edge normals of the current set are added to them.
SPE_DIRECTIONS = 64
#: Longest stick (rounds of a punishment profile before the return to the target) of
#: the simple penal codes searched by ``optimal_penal_code``.
MAX_STICK_ROUNDS = 2

#: Largest joint states × transitions of a strategy profile whose conditions are
#: derived exactly (about half a minute on a 2-core machine; tit-for-tat on 9×9 is
#: 531,441, on 12×12 2,985,984).
MAX_PROFILE_WORK = 600_000
