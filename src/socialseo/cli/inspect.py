"""``socialseo inspect``: what the extractor reads from one page."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from socialseo.api import inspect as inspect_page
from socialseo.cli.common import JsonOption, print_frame
from socialseo.cli.net import (
    DEFAULT_PAGE_MAX_BYTES,
    DEFAULT_PAGE_TIMEOUT,
    AllowHostOption,
    AllowPrivateOption,
    PageMaxBytesOption,
    PageTimeoutOption,
)


def inspect(
    page: Annotated[str, typer.Argument(help="A saved HTML file or an http(s) URL.")],
    url: Annotated[str | None, typer.Option("--url", help="The address a saved file was fetched from.")] = None,
    timeout: PageTimeoutOption = DEFAULT_PAGE_TIMEOUT,
    max_bytes: PageMaxBytesOption = DEFAULT_PAGE_MAX_BYTES,
    allow_private: AllowPrivateOption = False,
    allow_host: AllowHostOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print what the extractor reads from one page: links with rel and text, canonical, OG, Twitter, JSON-LD."""
    data = inspect_page(page, url=url, allow_private=allow_private, allow_hosts=allow_host or (), timeout=timeout,
                        max_bytes=max_bytes).to_dict()
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    import pandas as pd

    summary = {k: v for k, v in data.items() if k not in ("links", "jsonld", "opengraph", "twitter")}
    summary.update(links=len(data["links"]), opengraph=len(data["opengraph"]), twitter=len(data["twitter"]),
                   jsonld=len(data["jsonld"]))
    print_frame(pd.DataFrame([{"field": k, "value": str(v)} for k, v in summary.items()]), as_json=False)
    print_frame(pd.DataFrame(data["links"], columns=["href", "text", "rel", "tag", "followed"]), as_json=False,
                title="Links")


def register(app: typer.Typer) -> None:
    app.command("inspect")(inspect)
