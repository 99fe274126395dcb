"""``socialseo brand set|show``: the brand's names and handles, looked for as mentions."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from socialseo.cli.common import DEFAULT_DB, DbOption, JsonOption, console, err_console, open_project, print_frame

app = typer.Typer(help="The brand's names and handles, looked for as mentions.", no_args_is_help=True)


@app.command("set")
def brand_set(
    name: Annotated[list[str] | None, typer.Option("--name", help="A brand name (repeat for several).")] = None,
    handle: Annotated[list[str] | None, typer.Option("--handle", help="A social handle, e.g. @brand.")] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Replace the brand's names and handles; mentions in imported posts and saved pages are found again.

    Pages keep their visible text at import, so fetched pages are not fetched again. A page imported by an older
    release from a URL kept only its links: the output names how many such pages were not
    read again, and ``socialseo ingest pages URL`` on them finds their mentions.
    """
    with open_project(db) as project:
        brand = project.set_brand(name or [], handle or [], refind=False)
        scan = project.refind_mentions()
        found = int(project.mentions()[["linked", "unlinked"]].sum().sum()) if not brand.empty else 0
    print_frame(brand, as_json=as_json, title="Brand")
    say = err_console.print if as_json else console.print
    if brand.empty:
        say("no brand terms left: mentions are no longer looked for", highlight=False)
        return
    say(f"brand mentions: {found:,} imported post(s) and page(s) name the brand ({scan.pages_read:,} imported "
        "page(s) read again)", highlight=False, soft_wrap=True)
    if scan.not_read:
        shown = ", ".join(scan.not_read[:3]) + (" …" if len(scan.not_read) > 3 else "")
        say(f"{len(scan.not_read):,} page(s) imported before could not be read again (imported by an older "
            "release from a URL, or the file moved or changed; only their links were kept): run socialseo ingest "
            f"pages on them again to find their mentions ({escape(shown)})", highlight=False, soft_wrap=True)


@app.command("show")
def brand_show(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Print the brand's names and handles."""
    with open_project(db, read_only=True) as project:
        print_frame(project.brand(), as_json=as_json, title="Brand",
                    empty="no brand set: run socialseo brand set --name NAME --handle @HANDLE")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="brand")
