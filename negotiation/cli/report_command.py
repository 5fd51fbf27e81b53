"""``negotiation report``: one self-contained HTML page about a scenario.

The command registers itself on the main group at the end of this module, which the
end of :mod:`negotiation.cli.main` imports. The work is
:func:`negotiation.analysis.report_html.html_report`; the page is written atomically.
"""

from __future__ import annotations

import click

from negotiation.cli.main import (
    _Bar,
    _parse_sets,
    _wrote,
    assumptions_options,
    main,
    strategy_option,
)

__all__ = ["report"]


@click.command("report")
@click.argument("file")
@click.option(
    "--output",
    "-o",
    "output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write (written only when complete).",
)
@assumptions_options
@strategy_option("Strategy played by both (repeatable; default: the file's list).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def report(
    file: str,
    output: str,
    assumptions: tuple[str, ...],
    sets: tuple[str, ...],
    strategies: tuple[str, ...],
    force: bool,
) -> None:
    """Write one self-contained HTML page about the scenario and its détente.

    The page holds the scenario (sources, parameters with units, assumptions, the stage
    game), the comparison across assumptions with its tipping points, the stability of
    every strategy profile with each player's critical δ and the side that binds, the
    figures, and the fit to the observed history where the file has one. Styles and
    figures are inside the page; it has no script and loads nothing else.
    """
    import importlib.util

    from negotiation.analysis.report_html import html_report
    from negotiation.errors import NegotiationError
    from negotiation.output_files import check_target, write_text
    from negotiation.scenario import load_scenario

    path = check_target(output, force=force, probe=True)
    if importlib.util.find_spec("matplotlib") is None:
        raise NegotiationError(
            "the report's figures need matplotlib: install the 'plot' extra "
            "(in a clone: make .venv/.installed-test, or pip install -e '.[plot]')"
        )
    scenario = load_scenario(file)
    page = html_report(
        scenario,
        list(assumptions) or None,
        _parse_sets(sets),
        strategies=list(strategies) or None,
        progress=_Bar("report"),
    )
    _wrote(write_text(path, page, force=force))


main.add_command(report)
