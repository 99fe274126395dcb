"""``socialseo spark backlinks``: run the PySpark backlink job locally (or on a master you name)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from socialseo.api import run_spark_backlinks
from socialseo.cli.common import console, progress
from socialseo.errors import InputFileError, SocialSeoError

app = typer.Typer(help="PySpark jobs for inputs that do not fit one machine.", no_args_is_help=True)


@app.command("backlinks")
def backlinks(
    input_listing: Annotated[
        Path, typer.Option("--input", help="Listing: a text file with one WARC/WAT path or URI per line.")
    ],
    output: Annotated[str, typer.Option("--output", help="Output directory for the Parquet part files.")],
    site: Annotated[list[str], typer.Option("--site", help="The site's own host (repeat for several).")],
    master: Annotated[str, typer.Option("--master", help="Spark master URL.")] = "local[2]",
    all_referrers: Annotated[
        bool, typer.Option("--all-referrers", help="Keep links from every external site, not only social platforms.")
    ] = False,
    partitions: Annotated[
        int | None, typer.Option("--partitions", help="Partitions of the listing (default: one per archive).")
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output directory.")] = False,
) -> None:
    """Find social backlinks in many WARC/WAT archives with PySpark; load the result with ingest backlinks-parquet."""
    if not input_listing.is_file():
        raise InputFileError(f"{input_listing}: no such listing file (one archive path per line)")
    if "://" not in output and Path(output).exists() and not overwrite:
        raise InputFileError(f"{output} exists: pass --overwrite to replace it, or choose another --output")
    if importlib.util.find_spec("pyspark") is None:  # an optional extra
        raise SocialSeoError("PySpark is not installed: pip install 'socialseo[spark]' (Java 17 is needed too)")
    from pyspark.errors import PySparkException


    argv = [str(input_listing), output, "--master", master, *[a for host in site for a in ("--site", host)]]
    argv += ["--all-referrers"] * all_referrers + ["--overwrite"] * overwrite
    argv += ["--num-input-partitions", str(partitions)] if partitions else []
    with progress("running the Spark job"):
        try:
            rows = run_spark_backlinks(argv)
        except (PySparkException, ValueError) as exc:  # no Java, a listing naming nothing, an unwritable output
            raise SocialSeoError(f"the Spark job failed: {str(exc).splitlines()[0][:300]}") from exc
    console.print(f"{rows:,} rows written to {escape(output)}; load them with: socialseo ingest backlinks-parquet "
                  f"{escape(output)}", highlight=False, soft_wrap=True)
