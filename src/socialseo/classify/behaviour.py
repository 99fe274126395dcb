"""Flag bots by what they do, not only by what their user agent says.

A scraper that sends a browser's user agent still gives itself away: it reads ``/robots.txt``, which browsers
never ask for, or requests page after page faster than anyone reads. The rules and thresholds are data
(``behaviour`` in ``data/bots.yaml``). Flagged hits keep their channel; they are excluded from engagement like
every other bot hit, and ``bot_name`` says which rule fired.
"""

from __future__ import annotations

import duckdb

from socialseo.classify._data import load


def flag_bot_behaviour(con: duckdb.DuckDBPyConnection, import_id: int, table: str = "hits") -> int:
    """Mark as bots the visitors of one import that fetched robots.txt or paged too fast; returns hits flagged."""
    rules = load("bots")["behaviour"]
    robots = ", ".join("'" + str(p).replace("'", "''") + "'" for p in rules["robots_paths"])
    before = con.execute(f"SELECT count(*) FROM {table} WHERE import_id = ? AND is_bot", [import_id]).fetchone()
    con.execute(
        f"""
        UPDATE {table} SET is_bot = true, is_pageview = false, bot_name = f.rule
        FROM (
            SELECT visitor_id, ? AS rule FROM {table}
            WHERE import_id = ? AND NOT is_bot AND page IN ({robots})
            GROUP BY visitor_id
            UNION ALL
            SELECT visitor_id, ? AS rule FROM (
                SELECT visitor_id FROM {table}
                WHERE import_id = ? AND is_pageview
                GROUP BY visitor_id, date_trunc('minute', ts)
                HAVING count(*) > ?
            ) GROUP BY visitor_id
        ) f
        WHERE {table}.import_id = ? AND {table}.visitor_id = f.visitor_id AND NOT {table}.is_bot
        """,
        [rules["robots_bot_name"], import_id, rules["rate_bot_name"], import_id,
         int(rules["max_pages_per_minute"]), import_id],
    )
    after = con.execute(f"SELECT count(*) FROM {table} WHERE import_id = ? AND is_bot", [import_id]).fetchone()
    return int(after[0] if after else 0) - int(before[0] if before else 0)
