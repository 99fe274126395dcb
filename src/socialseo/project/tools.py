"""What the door offers without a warehouse: explaining one hit's attribution, and the PySpark backlink job."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from socialseo.classify.explain import explain_hit


def explain(
    referrer: str | None,
    user_agent: str | None = None,
    url: str | None = None,
    site: Sequence[str] = (),
    *,
    ip: str | None = None,
) -> dict[str, Any]:
    """The channel, platform and evidence socialseo gives one hit, and which rule decided (``site``: the site's
    own hosts, for telling internal traffic; ``ip``: the client address, to check a crawler's claim)."""
    return explain_hit(referrer, user_agent, url, site, ip=ip)


def run_spark_backlinks(argv: Sequence[str]) -> int:
    """Run the PySpark backlink job with its command-line arguments; returns the rows written.

    PySpark is an optional extra: it is imported here, only when the job runs.
    """
    from socialseo.spark.backlinks_job import run

    return int(run(list(argv)))
