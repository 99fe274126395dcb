"""The options every command that fetches from the network shares: where it may connect, and its limits."""

from __future__ import annotations

from typing import Annotated

import typer

from socialseo.api import FETCH_TIMEOUT, MAX_FETCH_BYTES

AllowPrivateOption = Annotated[bool, typer.Option(
    "--allow-private",
    help="Allow private, loopback and link-local addresses (never cloud metadata ones); checked on every hop.",
)]
AllowHostOption = Annotated[list[str] | None, typer.Option(
    "--allow-host",
    help="Allow this HOST or HOST:PORT even on a private address, and no other (repeatable).",
)]
PageTimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, help="Seconds for the whole request, redirects and body included.")]
PageMaxBytesOption = Annotated[int, typer.Option(
    "--max-bytes", min=1024, help="Largest page read; a larger one is refused.")]

DEFAULT_PAGE_TIMEOUT = FETCH_TIMEOUT
DEFAULT_PAGE_MAX_BYTES = MAX_FETCH_BYTES
