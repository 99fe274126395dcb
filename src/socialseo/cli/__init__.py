"""The ``socialseo`` command line: thin commands over the library, one clear line on errors.

Each command parses its arguments, calls one library function and prints the result. Any
:class:`~socialseo.errors.SocialSeoError`, and any reader error bad input can cause (a CSV, encoding, zip or
decompression error), becomes one ``error: <message>`` line on stderr and exit status 2; ``--debug`` shows the
traceback instead.
"""

from __future__ import annotations

import sys
from typing import Annotated

import click
import typer
from rich.markup import escape
from typer.exceptions import TyperException

from socialseo._version import __version__
from socialseo.cli import (
    analyze,
    annotate,
    audit,
    backlinks,
    brand,
    channels,
    classify,
    crawl,
    demo,
    discover,
    export,
    generate,
    ingest,
    inspect,
    mentions,
    metrics,
    pages,
    pull,
    rebuild,
    refresh,
    report,
    search,
    serve,
    shares,
    spark,
    sql,
    validate,
)
from socialseo.cli.common import err_console, one_line, reader_errors
from socialseo.errors import SocialSeoError

app = typer.Typer(
    name="socialseo",
    help="Measure what social media links and engagement do for a site's search performance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"socialseo {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks on errors.")] = False,
) -> None:
    _state["debug"] = debug


app.add_typer(ingest.app, name="ingest")
demo.register(app)
generate.register(app)
sql.register(app)
channels.register(app)
report.register(app)
inspect.register(app)
brand.register(app)
backlinks.register(app)
mentions.register(app)
crawl.register(app)
app.add_typer(audit.app, name="audit")
export.register(app)
serve.register(app)
pages.register(app)
search.register(app)
rebuild.register(app)
metrics.register(app)
app.add_typer(spark.app, name="spark")
analyze.register(app)
validate.register(app)
classify.register(app)
pull.register(app)
discover.register(app)
refresh.register(app)
shares.register(app)
app.add_typer(annotate.app, name="annotate")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    args = sys.argv[1:] if argv is None else argv
    _state["debug"] = "--debug" in args
    try:
        status = app(args=args, prog_name="socialseo", standalone_mode=False)  # a typer.Exit(n) comes back as n
    except SocialSeoError as exc:
        if _state["debug"]:
            raise
        err_console.print(f"[bold red]error:[/bold red] {escape(one_line(str(exc)))}", highlight=False,
                          soft_wrap=True)
        return 2
    except reader_errors() as exc:
        # Bad input a reader let through unnamed: still one line, never a traceback (--debug shows it).
        if _state["debug"]:
            raise
        detail = one_line(f"{type(exc).__name__}: {exc}", 300)
        err_console.print(f"[bold red]error:[/bold red] the input could not be read ({escape(detail)})",
                          highlight=False, soft_wrap=True)
        return 2
    except (click.exceptions.Exit, typer.Exit) as exc:
        return int(exc.exit_code)
    except (click.ClickException, TyperException) as exc:
        # Usage errors: typer carries its own copy of click, so both families are caught.
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err_console.print(f"error: {escape(str(exc))}", highlight=False)
        return int(getattr(exc, "exit_code", 2))
    except (click.exceptions.Abort, typer.Abort) as exc:
        cause = exc.__cause__
        if isinstance(cause, EOFError) and str(cause) and "when reading a line" not in str(cause):
            # click turns every EOFError into Abort; one from a decompressor is bad input, not the user's ^D.
            if _state["debug"]:
                raise cause from None
            detail = one_line(f"EOFError: {cause}", 300)
            err_console.print(f"[bold red]error:[/bold red] the input could not be read ({escape(detail)})",
                              highlight=False, soft_wrap=True)
            return 2
        err_console.print("aborted")
        return 130
    except KeyboardInterrupt:
        err_console.print("interrupted; the warehouse keeps only completed imports")
        return 130
    return status if isinstance(status, int) and not isinstance(status, bool) else 0


def entry() -> None:
    sys.exit(main())
