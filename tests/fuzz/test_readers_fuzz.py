"""Every importer's reader, fed generated and mutated files through the public API.

The property: a file either imports (rows loaded or quarantined) or is refused with a
:class:`~socialseo.errors.SocialSeoError` whose message is one line; no other exception ever escapes. The limits
are lowered so that the long runs the mutations insert reach them.
"""

from __future__ import annotations

import gzip
import io
import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz.mutations import mutated, mutated_zip
from tests.ingest.test_access_logs import LINES

import socialseo
from socialseo.api import Project
from socialseo.errors import SocialSeoError

DATA = Path(__file__).resolve().parents[1] / "data"
EXPORTS = DATA / "exports"
_COUNTER = itertools.count()

FUZZ = settings(
    max_examples=30, deadline=timedelta(seconds=20), derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    with socialseo.open(tmp_path_factory.mktemp("fuzz") / "w.duckdb") as opened:
        yield opened


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"MAX_LINE_BYTES": 4096, "MAX_FIELD_BYTES": 8192, "RATIO_AFTER_BYTES": 1 << 20,
                        "MAX_SHEET_CELLS": 200_000, "MAX_WHOLE_FILE_BYTES": 4 << 20}.items():
        monkeypatch.setenv(f"SOCIALSEO_{name}", str(value))


def imports_or_says_why(project: Project, data: bytes, name: str, ingest: Callable[[Project, Path], object]) -> None:
    path = Path(project.warehouse.path).parent / f"{next(_COUNTER)}-{name}"
    path.write_bytes(data)
    try:
        ingest(project, path)
    except SocialSeoError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message, repr(message)
        assert "Traceback" not in message
    finally:
        path.unlink()


def _log_seed() -> bytes:
    return ("\n".join(LINES) + "\n").encode()


@FUZZ
@given(data=mutated(_log_seed(), compress=True))
def test_fuzz_access_logs(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "access.log", lambda p, path: p.ingest_logs([path], site="www.example.com"))


@FUZZ
@given(data=mutated(b"\n".join(
    b'{"remote_addr":"198.51.100.%d","time_local":"01/Mar/2026:10:00:00 +0000","request":"GET /x HTTP/1.1",'
    b'"status":200,"http_referer":"https://t.co/x","http_user_agent":"Mozilla/5.0"}' % i for i in range(5)
) + b"\n"))
def test_fuzz_json_logs(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "access.json", lambda p, path: p.ingest_logs([path], log_format="json"))


@FUZZ
@given(data=mutated((EXPORTS / "gsc_bulk_url_impression.csv").read_bytes(), compress=True))
def test_fuzz_gsc_bulk_csv(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "gsc.csv", lambda p, path: p.ingest_gsc([path]))


@FUZZ
@given(data=mutated((EXPORTS / "gsc_api_rows.json").read_bytes()))
def test_fuzz_gsc_api_json(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "gsc.json", lambda p, path: p.ingest_gsc([path]))


@FUZZ
@given(data=mutated_zip({f.name: f.read_bytes() for f in sorted((EXPORTS / "gsc_ui").iterdir())}))
def test_fuzz_gsc_web_export_zip(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "gsc.zip", lambda p, path: p.ingest_gsc([path]))


@FUZZ
@given(data=mutated((DATA / "backlink-exports" / "moz-inbound-links.csv").read_bytes()))
def test_fuzz_backlink_csv(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "links.csv", lambda p, path: p.ingest_backlinks([path], target="example.com"))


@FUZZ
@given(data=mutated((EXPORTS / "facebook_posts.csv").read_bytes()))
def test_fuzz_posts_csv(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "posts.csv", lambda p, path: p.ingest_posts([path]))


def _posts_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (EXPORTS / "facebook_posts.csv").read_text(encoding="utf-8").splitlines()[:4]:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_members() -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(_posts_xlsx())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@FUZZ
@given(data=st.one_of(mutated(_posts_xlsx()), mutated_zip(_xlsx_members())))
def test_fuzz_posts_xlsx(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "posts.xlsx", lambda p, path: p.ingest_posts([path]))


@FUZZ
@given(data=mutated((DATA / "ga4" / "traffic_acquisition.csv").read_bytes()))
def test_fuzz_ga4_csv(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "ga4.csv", lambda p, path: p.ingest_ga4([path]))


@FUZZ
@given(data=mutated((EXPORTS / "ranks.csv").read_bytes()))
def test_fuzz_ranks_csv(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "ranks.csv", lambda p, path: p.ingest_ranks([path]))


def _warc_seed() -> bytes:
    return gzip.decompress((DATA / "resiliparse-warc" / "warcfile.warc.gz").read_bytes())[:60_000]


@FUZZ
@given(data=mutated(_warc_seed(), compress=True))
def test_fuzz_warc(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "crawl.warc", lambda p, path: p.ingest_warc([path], site="example.com"))


@FUZZ
@given(data=mutated((DATA / "extruct" / "opengraph_test.html").read_bytes()))
def test_fuzz_saved_pages(project: Project, data: bytes) -> None:
    imports_or_says_why(project, data, "page.html", lambda p, path: p.ingest_pages([path], site="example.com"))
