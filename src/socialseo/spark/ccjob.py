"""A Common Crawl style PySpark job: a listing of archive paths in, one Parquet table out.

Organised like Common Crawl's own PySpark examples (cc-pyspark's ``CCSparkJob``): the input is a text file with one
WARC/WAT path per line (local paths, ``file://``, ``s3://``, ``hdfs://``, ``gs://`` ...), Spark splits the listing
into partitions, each partition opens its archives one after the other (``mapPartitions``) and yields rows, and the
rows are written as Parquet. Subclasses say what a file gives (:meth:`CCSparkJob.process_file`) and the row schema.

Remote archives are copied to a local temporary file first, as cc-pyspark does: the readers then see a seekable
local file, and a Common Crawl WARC (~1 GiB) never has to fit in memory. pyarrow's file systems open the remote
URIs, so no extra client library is needed on the executors.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

LOG = logging.getLogger("socialseo.spark")


def is_local(uri: str) -> bool:
    return "://" not in uri or uri.startswith("file://")


def local_path(uri: str) -> str:
    return uri[len("file://"):] if uri.startswith("file://") else uri


def fetch_to_temp(uri: str, temp_dir: str | None) -> str:
    """Copy a remote archive to a local temporary file (the caller removes it); pyarrow picks the file system."""
    from pyarrow import fs

    filesystem, path = fs.FileSystem.from_uri(uri)
    suffix = "".join(Path(path).suffixes[-2:])
    handle, name = tempfile.mkstemp(suffix=suffix, dir=temp_dir)
    with os.fdopen(handle, "wb") as out, filesystem.open_input_stream(path, compression=None) as source:
        shutil.copyfileobj(source, out, 1 << 20)
    return name


class CCSparkJob:
    """Base class: parse arguments, read the listing, run :meth:`process_file` per archive, write Parquet."""

    name = "CCSparkJob"

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    # -- what a subclass provides -------------------------------------------------------------------------------
    def output_schema(self) -> Any:
        raise NotImplementedError

    def process_file(self, path: str, uri: str) -> Iterable[tuple[Any, ...]]:
        """Rows from one archive, read from the local ``path`` (``uri`` is where it came from)."""
        raise NotImplementedError

    def failed_file_row(self, uri: str, reason: str) -> tuple[Any, ...] | None:
        """A row recording an archive that could not be opened at all (None: only log it)."""
        return None

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Job-specific options."""

    # -- the common frame -----------------------------------------------------------------------------------------
    @classmethod
    def parser(cls) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog=cls.name, description=cls.__doc__)
        parser.add_argument("input", help="Listing: a text file with one WARC/WAT path or URI per line.")
        parser.add_argument("output", help="Output directory of Parquet part files (any Hadoop-writable URI).")
        parser.add_argument("--num-input-partitions", type=int, default=None,
                            help="Partitions of the listing (default: one per archive, at most 400).")
        parser.add_argument("--num-output-partitions", type=int, default=1, help="Parquet part files written.")
        parser.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's).")
        parser.add_argument("--overwrite", action="store_true", help="Replace an existing output directory.")
        parser.add_argument("--local-temp-dir", default=None, help="Where remote archives are copied while read.")
        cls.add_arguments(parser)
        return parser

    def process_partition(self, uris: Iterable[str]) -> Iterator[tuple[Any, ...]]:
        """Runs on an executor: every archive of one partition, one at a time."""
        for line in uris:
            uri = line.strip()
            if not uri or uri.startswith("#"):
                continue
            temp: str | None = None
            try:
                path = local_path(uri) if is_local(uri) else fetch_to_temp(uri, self.args.local_temp_dir)
                temp = None if is_local(uri) else path
                if not os.path.exists(path):
                    raise OSError(f"no such file: {path}")
                yield from self.process_file(path, uri)
            except OSError as exc:
                LOG.warning("%s: cannot be read (%s)", uri, exc)
                row = self.failed_file_row(uri, f"archive unreadable: {str(exc)[:200]}")
                if row is not None:
                    yield row
            finally:
                if temp is not None:
                    os.unlink(temp)

    def listing(self, spark: Any) -> Any:
        """The listing as an RDD with one archive per partition (at most 400 partitions unless told otherwise).

        The listing is read on the driver: even a whole Common Crawl (~90,000 paths) is a few MB, and spreading it
        by count, not by bytes, keeps every partition busy without a shuffle.
        """
        sc = spark.sparkContext
        uris = [u.strip() for u in sc.textFile(self.args.input).collect()]
        uris = [u for u in uris if u and not u.startswith("#")]
        if not uris:
            raise ValueError(f"{self.args.input}: the listing names no archive")
        count = self.args.num_input_partitions or min(len(uris), 400)
        return sc.parallelize(uris, numSlices=count)

    def run_job(self, spark: Any) -> int:
        """Run on an existing SparkSession; returns the number of rows written."""
        rows = self.listing(spark).mapPartitions(self.process_partition)
        frame = spark.createDataFrame(rows, schema=self.output_schema())
        mode = "overwrite" if self.args.overwrite else "errorifexists"
        frame.coalesce(self.args.num_output_partitions).write.mode(mode).parquet(self.args.output)
        # Counting the written files reads only their footers; counting the rows before writing would run the job
        # twice.
        return int(spark.read.parquet(self.args.output).count())

    def run(self) -> int:
        """Start (or join) a SparkSession and run the job."""
        spark = session(self.name, self.args.master)
        return self.run_job(spark)


def session(app_name: str, master: str | None = None) -> Any:
    """A SparkSession whose Python workers can import socialseo, with UTC as the session time zone."""
    from pyspark.sql import SparkSession

    if master is not None and master.startswith("local"):
        # Local workers are forked from this interpreter's environment: make sure they see the same socialseo.
        here = str(Path(__file__).resolve().parents[2])
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).config("spark.sql.session.timeZone", "UTC")
    if master is not None:
        builder = builder.master(master)
    return builder.getOrCreate()


def parse_args(job: type[CCSparkJob], argv: Sequence[str] | None = None) -> argparse.Namespace:
    return job.parser().parse_args(argv)
