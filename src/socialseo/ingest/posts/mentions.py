"""Brand mentions: where a text names the brand, with or without a link to the site.

Terms come from the ``brand_terms`` table (``socialseo brand set``). Matching is case- and accent-insensitive and
word-bounded: "Café Brand" matches "cafe brand" but "brandname" does not match "brand". Both sides are folded the
same way (NFKD, combining marks removed, casefold), so a snippet's offsets are found in the folded text and cut from
the original with the same offsets only when folding kept the length; otherwise the folded snippet is stored.

Posts are matched in DuckDB in one statement (``strip_accents``/``lower`` with a Unicode word-boundary regex); page
and WARC texts arrive one document at a time and are matched here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import duckdb

_SNIPPET = 80


def fold(text: str) -> str:
    """Case- and accent-insensitive form: ``"Ça Brûle"`` -> ``"ca brule"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=256)
def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w@])" + re.escape(fold(term)) + r"(?!\w)")


def brand_terms(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in con.execute("SELECT term FROM brand_terms ORDER BY term").fetchall()]


def find_mentions(text: str, terms: Sequence[str]) -> list[tuple[str, str]]:
    """``(term, snippet)`` for each term the text mentions (first occurrence's surroundings).

    >>> text = "We loved the Café Brand launch, said @cafebrand."
    >>> [term for term, _ in find_mentions(text, ["cafe brand", "@CafeBrand", "cafeb"])]
    ['cafe brand', '@CafeBrand']
    """
    if not text or not terms:
        return []
    folded = fold(text)
    same = len(folded) == len(text)
    found = []
    for term in terms:
        match = _pattern(term).search(folded)
        if match is None:
            continue
        source = text if same else folded
        start, end = max(0, match.start() - _SNIPPET), min(len(source), match.end() + _SNIPPET)
        found.append((term, source[start:end].strip()))
    return found


def record_post_mentions(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild the post mentions from ``social_posts``; a post linking to the site is a linked mention."""
    con.execute("DELETE FROM mentions WHERE source_kind = 'post'")
    terms = brand_terms(con)
    if not terms:
        return 0
    for term in terms:
        # RE2 has no look-behind: the boundary is matched as a character (or the start/end) around the term.
        pattern = r"(^|[^\pL\pN_@])" + re.escape(fold(term)) + r"($|[^\pL\pN_])"
        con.execute(
            """
            INSERT INTO mentions (source_url, source_kind, platform, source_domain, term, is_linked, snippet, seen_at,
                                  import_id)
            SELECT coalesce(post_url, platform || ':' || post_id), 'post', platform, NULL, ?, linked_page IS NOT NULL,
                   left(text, 200), published_at, import_id
            FROM social_posts WHERE regexp_matches(lower(strip_accents(coalesce(text, ''))), ?)
            """,
            [term, pattern],
        )
    return int(con.execute("SELECT count(*) FROM mentions WHERE source_kind = 'post'").fetchall()[0][0])
