"""Social backlinks out of many WARC/WAT archives, with PySpark; the rows ``socialseo ingest warc`` would find.

    spark-submit --py-files socialseo.zip -m socialseo.spark.backlinks_job listing.txt out/ --site www.example.com
    python -m socialseo.spark.backlinks_job listing.txt out/ --site www.example.com --master 'local[2]'

Each executor runs the same reader as the single-machine import (:func:`socialseo.ingest.archives.links.read_archive`),
so the two paths cannot drift apart. One Parquet table holds three kinds of row (column ``record``):

- ``link``: a kept link (source, raw target, anchor, rel, seen, tag), merged into the inventory on load;
- ``page``: a social page read in full, with its text: on load its missing links become lost and its brand
  mentions are found, exactly as a WARC import does;
- ``error``: a record or archive that could not be read (archive, record number, raw, reason): quarantined on load.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from socialseo.ingest.archives.links import FoundLink, LinkFilter, read_archive
from socialseo.spark.ccjob import CCSparkJob, parse_args

COLUMNS = ("record", "source_file", "record_no", "source_url", "raw_target", "anchor", "rel", "seen", "link_tag",
           "page_text", "raw", "reason")


class BacklinksJob(CCSparkJob):
    """Find links from social platforms (or, with --all-referrers, any site) to the site in WARC/WAT archives."""

    name = "socialseo-backlinks"

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--site", action="append", required=True, help="The site's own host (repeatable).")
        parser.add_argument("--all-referrers", action="store_true",
                            help="Keep links from every external site, not only social platforms.")

    def output_schema(self) -> Any:
        from pyspark.sql.types import LongType, StringType, StructField, StructType, TimestampNTZType

        types = {"record_no": LongType(), "seen": TimestampNTZType()}
        return StructType([StructField(name, types.get(name, StringType()), True) for name in COLUMNS])

    def process_file(self, path: str, uri: str) -> Iterator[tuple[Any, ...]]:
        keep = LinkFilter(self.args.site, all_referrers=self.args.all_referrers)
        errors: list[tuple[int | None, str, str]] = []

        def sink(number: int | None, raw: str, reason: str) -> None:
            errors.append((number, raw, reason))

        for item in read_archive(path, keep, sink, want_text=True):
            if isinstance(item, FoundLink):
                yield ("link", uri, None, item.source_url, item.raw_target, item.anchor, item.rel, item.seen,
                       item.link_tag, None, None, None)
            else:
                yield ("page", uri, None, item.source_url, None, None, None, item.seen, None, item.text, None, None)
        for number, raw, reason in errors:
            # A local temporary copy's name means nothing to the user: name the archive as listed.
            yield ("error", uri, number, None, None, None, None, None, None, None, raw.replace(path, uri), reason)

    def failed_file_row(self, uri: str, reason: str) -> tuple[Any, ...] | None:
        return ("error", uri, None, None, None, None, None, None, None, None, uri, f"warc: {reason}")


def run(argv: Sequence[str] | None = None) -> int:
    """Parse spark-submit style arguments and run the job; returns the number of rows written."""
    return BacklinksJob(parse_args(BacklinksJob, argv)).run()


def main() -> None:
    rows = run(sys.argv[1:])
    print(f"{rows:,} rows written")


if __name__ == "__main__":
    main()
