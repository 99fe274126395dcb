"""``socialseo validate``: can the effect analyses be trusted? Scored on simulated sites with a planted truth."""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from socialseo.cli.common import JsonOption, print_frame, progress
from socialseo.errors import SocialSeoError


def validate(
    seeds: Annotated[int, typer.Option("--seeds", help="Simulated sites (each gives treated and placebo cases).")] = 40,
    effect: Annotated[float, typer.Option("--effect", help="Planted relative effect, e.g. 0.25.")] = 0.25,
    pages: Annotated[int, typer.Option("--pages", help="Pages per simulated site.")] = 200,
    per_site: Annotated[int, typer.Option("--pages-per-site",
                                          help="Treated and placebo single pages analysed per site.")] = 8,
    first_seed: Annotated[int | None, typer.Option(
        "--first-seed", help="Seed of the first simulated site (then one more per site), for a fresh sample.")] = None,
    crawl_chain: Annotated[bool, typer.Option(
        "--crawl-chain", help="Score the crawl chain instead: small demo sites with and without planted recrawls, "
                              "imported and estimated as 'socialseo analyze crawl-chain' does.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Score the effect analyses on simulated sites with planted effects and planted nulls, through the project."""
    if seeds < 1 or pages < 10 or effect <= -1 or per_site < 1:
        raise SocialSeoError("--seeds must be >= 1, --pages >= 10, --pages-per-site >= 1 and --effect > -1")
    if crawl_chain:
        from socialseo.demo.chain_validation import ChainValidationConfig, chain_coverage_table, run_chain_validation

        with progress("generating, importing and estimating", total=seeds) as (bar, task):
            chain_config = ChainValidationConfig(seeds=seeds) if first_seed is None else ChainValidationConfig(
                seeds=seeds, first_seed=first_seed)
            runs = run_chain_validation(chain_config,
                                        on_site=lambda done: bar.update(task, completed=done))
        print_frame(chain_coverage_table(runs), as_json=as_json,
                    title="Crawl chain on planted truth (95% intervals of the change in the wait, hours)")
        return
    from socialseo.demo.validation import ValidationConfig, coverage_table, run_validation  # slow to load

    config = ValidationConfig(seeds=seeds, relative_effect=effect, n_pages=pages, pages_per_site=per_site)
    if first_seed is not None:
        config = dataclasses.replace(config, first_seed=first_seed)
    with progress("simulating and estimating", total=seeds) as (bar, task):
        runs = run_validation(config, on_site=lambda done: bar.update(task, completed=done))
    print_frame(coverage_table(runs), as_json=as_json, title="Effect analyses on planted truth (95% intervals)")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
