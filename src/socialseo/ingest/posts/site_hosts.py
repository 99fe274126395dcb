"""The site's own hosts, from everything already in the warehouse, so a post import needs no ``--site``.

A post links to a page of the site only when its link is on one of the site's hosts; the hosts are known from
``sites`` (``--site`` of any import, and the host every access-log import infers), the Search Console properties
(``sc-domain:example.com``, ``https://www.example.com/``) and the hosts of Search Console's page URLs. Each comes
with its www/non-www twin.
"""

from __future__ import annotations

import duckdb

from socialseo.classify.hosts import site_host_set
from socialseo.classify.links import is_short_link

_HOST = "regexp_extract({0}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)', 1)"


def known_site_hosts(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The site's hosts, most named first (the first is the one expansions are written on)."""
    rows = con.execute(
        f"""
        SELECT host FROM (
            SELECT lower({_HOST.format('page_url')}) AS host, count(DISTINCT page_url) AS n, 0 AS rank
            FROM search_performance WHERE page_url IS NOT NULL GROUP BY 1
            UNION ALL
            SELECT lower(CASE WHEN property ILIKE 'sc-domain:%' THEN substr(property, 11)
                              ELSE {_HOST.format('property')} END), 0, 1
            FROM (SELECT DISTINCT property FROM search_performance WHERE property IS NOT NULL)
            UNION ALL
            SELECT host, 0, 2 FROM sites
        ) WHERE host IS NOT NULL AND host <> ''
        GROUP BY host ORDER BY min(rank), max(n) DESC, host
        """
    ).fetchall()
    # A log whose host was inferred from its referrers may have named a shortener (bit.ly) as the site.
    return tuple(str(r[0]) for r in rows if not is_short_link(f"https://{r[0]}/"))


def site_set(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """:func:`known_site_hosts` with their www/non-www twins."""
    return site_host_set(known_site_hosts(con))
