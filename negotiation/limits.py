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
