"""The repeated game: strategies as automata, exact sustainability of a détente."""
