"""``negotiation robustness``: verdict probabilities under the parameters' priors.

A thin command over :func:`negotiation.analysis.robustness.robustness`; heavy modules
are imported inside it, so ``negotiation --help`` stays fast.
"""

from __future__ import annotations

from typing import Any

import click

from negotiation.cli.main import (
    _Bar,
    _check_outputs,
    _check_plot,
    _emit,
    _parse_sets,
    _rules,
    _wrote,
    checked_scheduler,
    executor_options,
    format_option,
    main,
    note,
    output_option,
    plot_option,
    strategy_option,
    verdict_options,
)

__all__ = ["robustness"]


@click.command("robustness")
@click.argument("file")
@click.option(
    "--assumption",
    "-a",
    "assumptions",
    multiple=True,
    help="Assumption to analyse (repeatable; default: baseline and all named ones).",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="NAME=VALUE",
    help="Fix a parameter under every assumption (repeatable); it is not drawn.",
)
@click.option(
    "--samples",
    "-n",
    # = negotiation.limits.MAX_SAMPLES (not imported: the option is built at start-up)
    type=click.IntRange(1, 1_000_000),
    default=1024,
    show_default=True,
    help="Draws per assumption (raised to a multiple of --replicates, with a note).",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**128 - 1),
    help="Random seed (default: the file's repeated.seed, else fresh; always reported).",
)
@click.option(
    "--method",
    type=click.Choice(["sobol", "lhs", "random"]),
    default="sobol",
    show_default=True,
    help="Scrambled Sobol' points, Latin hypercubes or i.i.d. draws.",
)
@click.option(
    "--replicates",
    # = negotiation.limits.MAX_REPLICATES
    type=click.IntRange(2, 1000),
    default=16,
    show_default=True,
    help="Independent randomisations of the design; the standard errors come from them.",
)
@click.option(
    "--uniform-ranges",
    is_flag=True,
    help="Also draw every parameter with a range but no prior uniformly on its range.",
)
@strategy_option("Strategy played by both (repeatable; default: the file's list).")
@verdict_options
@executor_options
@click.option(
    "--draws",
    "draws_path",
    type=click.Path(dir_okay=False),
    help="Also write every draw (parameters, critical δ per profile, verdict) to this CSV file.",
)
@output_option
@plot_option
@format_option("table", "json", "csv")
def robustness(
    file: str,
    assumptions: tuple[str, ...],
    sets: tuple[str, ...],
    samples: int,
    seed: int | None,
    method: str,
    replicates: int,
    uniform_ranges: bool,
    strategies: tuple[str, ...],
    min_slack: float | None,
    min_share: float | None,
    jobs: int,
    executor: str,
    scheduler: str | None,
    draws_path: str | None,
    output: str | None,
    plot_path: str | None,
    plot_style: dict[str, Any],
    fmt: str,
    width: int | None,
) -> None:
    """How likely is the détente to hold, given the parameters' priors?

    Draws the parameters that carry a prior (quasi-random: scrambled Sobol' points by
    default), evaluates every draw with the sweep engine, and reports per assumption
    the probability of each verdict with its standard error, the probability that each
    strategy profile sustains the détente, quantiles of the best profile's critical δ
    and slack, and each parameter's rank correlation with the détente holding. CSV
    gives every draw. The probabilities are beliefs about the model's inputs carried
    through the model, not forecasts.
    """
    from negotiation.analysis.robustness import robustness as run_robustness
    from negotiation.cli.views_robustness import draws_csv, robustness_view
    from negotiation.scenario import load_scenario

    scheduler = checked_scheduler(executor, scheduler)
    _check_outputs(output, draws_path)
    _check_plot(plot_path)
    scenario = load_scenario(file)
    result: Any = run_robustness(
        scenario,
        list(assumptions) or None,
        _parse_sets(sets),
        samples=samples,
        seed=seed,
        method=method,
        replicates=replicates,
        strategies=list(strategies) or None,
        rules=_rules(scenario, min_slack, min_share),
        uniform_ranges=uniform_ranges,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        progress=_Bar("drawing"),
        note=note,
    )
    text = draws_csv(result) if fmt == "csv" else robustness_view(result, fmt, width)
    _emit(text, output, nl=fmt != "csv")
    if draws_path:
        from negotiation.output_files import write_text

        _wrote(write_text(draws_path, draws_csv(result)))
    if plot_path:
        from negotiation.analysis.plots import plot_robustness

        _wrote(plot_robustness(result, plot_path, **plot_style))


main.add_command(robustness)
