"""Package version, kept apart so ``--help`` and packaging import nothing heavy."""

__version__ = "0.1.0"
