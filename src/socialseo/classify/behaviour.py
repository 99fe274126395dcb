"""Flag bots by what they do, not only by what their user agent says.

A scraper that sends a browser's user agent still gives itself away: it reads ``/robots.txt``, which browsers
never ask for, or requests page after page faster than anyone reads. The rules and thresholds are data
(``behaviour`` in ``data/bots.yaml``). Flagged hits keep their channel; they are excluded from engagement like
every other bot hit, and ``bot_name`` says which rule fired (the ``bot_rule`` of the stored row).
"""

from __future__ import annotations

import duckdb

from socialseo.classify._data import load


def flag_bot_behaviour(con: duckdb.DuckDBPyConnection, import_id: int) -> int:
    """Mark as bots the visitors of one import that fetched robots.txt or paged too fast; returns hits flagged."""
    rules = load("bots")["behaviour"]
    robots = ", ".join("'" + str(p).replace("'", "''") + "'" for p in rules["robots_paths"])
    row = con.execute(
        f"""
        UPDATE hit_rows SET bot_rule = f.rule
        FROM (
            SELECT visitor_id, arg_min(rule, priority) AS rule FROM (
                SELECT DISTINCT h.visitor_id, ? AS rule, 1 AS priority
                FROM hit_rows h JOIN hit_requests q ON q.request_id = h.request_id
                WHERE h.import_id = ? AND q.import_id = ? AND q.page IN ({robots})
                UNION ALL
                SELECT DISTINCT visitor_id, ? AS rule, 2 AS priority FROM (
                    SELECT visitor_id FROM hit_rows
                    WHERE import_id = ? AND is_pageview AND bot_rule IS NULL
                    GROUP BY visitor_id, date_trunc('minute', ts)
                    HAVING count(*) > ?
                )
            ) GROUP BY visitor_id
        ) f
        WHERE hit_rows.import_id = ? AND hit_rows.visitor_id = f.visitor_id AND hit_rows.bot_rule IS NULL
            AND hit_rows.attribution_id IN (SELECT attribution_id FROM hit_attributions WHERE NOT is_bot)
        """,
        [rules["robots_bot_name"], import_id, import_id, rules["rate_bot_name"], import_id,
         int(rules["max_pages_per_minute"]), import_id],
    ).fetchone()
    return int(row[0]) if row else 0
