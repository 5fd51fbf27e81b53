"""The command-line interface (``negotiation``): thin Click commands over the library."""
