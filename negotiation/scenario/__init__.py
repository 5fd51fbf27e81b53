"""Scenario files: parsing, validation, safe expressions, assumptions, and building games."""
