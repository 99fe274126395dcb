"""The PySpark backlink job in local[2] gives the inventory ``socialseo ingest warc`` gives on the same archives."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.ingest.test_backlinks import _http_record, write_archive
from warcio.warcwriter import WARCWriter

from socialseo.api import Project
from socialseo.cli import main
from socialseo.store.warehouse import Warehouse

pytestmark = pytest.mark.spark
pyspark = pytest.importorskip("pyspark")

LINK_COLUMNS = ["source_url", "source_platform", "target_url", "target_page", "anchor", "rel", "is_followed",
                "found_by", "first_seen", "last_seen", "lost", "link_tag", "raw_target"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from socialseo.spark.ccjob import session

    spark = session("socialseo-tests", "local[2]")
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


def write_second_archive(path: Path) -> None:
    """An uncompressed WARC: a Reddit thread (two links, one via the outbound wrapper) and a non-social page."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        _http_record(writer, "https://www.reddit.com/r/seo/comments/42/",
                     '<p>ExampleBrand without a link here</p>'
                     '<a href="https://out.reddit.com/t3_42?url=https%3A%2F%2Fwww.example.com%2Fpricing">p</a>'
                     '<a href="https://www.example.com/guide/?utm_source=reddit" rel="ugc">guide</a>')
        _http_record(writer, "https://blog.other.example/", '<a href="https://www.example.com/">home</a>')
        _http_record(writer, "https://www.youtube.com/watch?v=1", "<p>no links to the site</p>")


@pytest.fixture
def archives(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc"
    write_archive(first)
    write_second_archive(second)
    return [first, second]


def inventory(project: Project) -> pd.DataFrame:
    frame = project.sql(f"SELECT {', '.join(LINK_COLUMNS)} FROM backlinks ORDER BY source_url, target_url")
    return frame.astype(object)


def test_job_parquet_loads_to_the_same_inventory_as_ingest_warc(
    spark: Any, tmp_path: Path, archives: list[Path]
) -> None:
    from socialseo.spark.backlinks_job import BacklinksJob
    from socialseo.spark.ccjob import parse_args

    listing = tmp_path / "listing.txt"
    missing = tmp_path / "gone.warc.gz"
    listing.write_text("".join(f"{p}\n" for p in archives) + f"file://{missing}\n\n")
    out = tmp_path / "out"
    job = BacklinksJob(parse_args(BacklinksJob, [str(listing), str(out), "--site", "www.example.com"]))
    written = job.run_job(spark)
    assert list(out.glob("*.parquet")) and written > 0

    single = Project(Warehouse(tmp_path / "single.duckdb"))
    scaled = Project(Warehouse(tmp_path / "scaled.duckdb"))
    for project in (single, scaled):
        project.set_brand(names=["ExampleBrand"])
    single.ingest_warc(archives, site="www.example.com")
    [result] = scaled.ingest_backlinks_parquet([out], site="www.example.com")

    expected = inventory(single)
    assert len(expected) == 5 and set(expected["source_platform"]) == {"linkedin", "pinterest", "reddit"}
    pd.testing.assert_frame_equal(inventory(scaled), expected)
    assert result.rows_loaded == len(expected)
    # brand mentions and their linked/unlinked state match too
    pd.testing.assert_frame_equal(scaled.mentions(), single.mentions())
    # every error the single-machine import quarantined is there, plus the archive that was missing
    single_reasons = sorted(single.quarantine()["reason"])
    scaled_q = scaled.quarantine()
    assert sorted(r.split(": ", 1)[1] for r in scaled_q["reason"] if "gone.warc.gz" not in r) == single_reasons
    assert any("gone.warc.gz: warc: archive unreadable" in r for r in scaled_q["reason"])
    # loading the same output again changes nothing
    [again] = scaled.ingest_backlinks_parquet([out])
    assert again.skipped and len(scaled.backlinks()) == len(expected)
    single.close()
    scaled.close()


def test_cli_runs_the_job_and_refuses_to_overwrite(
    spark: Any, tmp_path: Path, archives: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "listing.txt"
    listing.write_text(f"{archives[1]}\n")
    out = tmp_path / "cli-out"
    args = ["spark", "backlinks", "--input", str(listing), "--output", str(out), "--site", "www.example.com"]
    assert main(args) == 0
    assert "rows written" in capsys.readouterr().out
    assert main(args) == 2 and "--overwrite" in capsys.readouterr().err
    db = str(tmp_path / "cli.duckdb")
    assert main(["ingest", "backlinks-parquet", str(out), "--site", "www.example.com", "--db", db]) == 0
    with Warehouse(db) as wh:
        pages = wh.sql("SELECT target_page FROM backlinks ORDER BY 1")["target_page"].tolist()
    assert pages == ["/guide", "/pricing"]
    assert main([*args, "--all-referrers", "--overwrite"]) == 0
    other = str(tmp_path / "all.duckdb")
    assert main(["ingest", "backlinks-parquet", str(out), "--db", other, "--site", "www.example.com"]) == 0
    with Warehouse(other) as wh:
        assert wh.count("backlinks") == 3
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    capsys.readouterr()
    assert main(["spark", "backlinks", "--input", str(empty), "--output", str(tmp_path / "o2"), "--site", "e.com"]) == 2
    assert "names no archive" in capsys.readouterr().err


def test_a_parquet_file_not_written_by_the_job_is_refused(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    foreign = tmp_path / "other.parquet"
    pq.write_table(pa.table({"url": ["https://x.com/a"]}), foreign)
    db = str(tmp_path / "f.duckdb")
    assert main(["ingest", "backlinks-parquet", str(foreign), "--site", "www.example.com", "--db", db]) == 2
    assert main(["ingest", "backlinks-parquet", str(tmp_path), "--site", "www.example.com", "--db", db]) == 2
    with Warehouse(db) as wh:
        assert wh.count("imports") == 0 and wh.count("backlinks") == 0


def test_io_helpers_need_no_spark(tmp_path: Path) -> None:
    from socialseo.spark.ccjob import fetch_to_temp, is_local, local_path

    assert is_local("/data/a.warc.gz") and is_local("file:///data/a.warc.gz")
    assert not is_local("s3://commoncrawl/crawl-data/CC-MAIN-2024-10/segments/x.warc.gz")
    assert local_path("file:///data/a.warc.gz") == "/data/a.warc.gz"
    # pyarrow fetches any URI it knows; a file:// URI is copied like a remote one, byte for byte (no inflating)
    source = tmp_path / "x.warc.gz"
    source.write_bytes(gzip.compress(b"abc" * 1000))
    copy = Path(fetch_to_temp(f"file://{source}", str(tmp_path)))
    assert copy.read_bytes() == source.read_bytes() and copy.name.endswith(".warc.gz")
