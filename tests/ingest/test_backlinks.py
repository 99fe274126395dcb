"""The backlink inventory from exports, saved and fetched pages, and web archives, with the real DuckDB."""

from __future__ import annotations

import gzip
import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from tests.conftest import TEST_DATA
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from socialseo.api import Project
from socialseo.classify.wrappers import unwrap_url
from socialseo.errors import FormatNotRecognisedError, InputFileError, SocialSeoError
from socialseo.store.warehouse import Warehouse

AHREFS = """Referring page URL,Target URL,Anchor,Nofollow,UGC,Sponsored,First seen,Last seen,Lost
https://www.reddit.com/r/seo/comments/1,https://www.example.com/guide/?utm_source=x,Great guide,true,true,false,2024-01-02,2024-03-01,
https://www.facebook.com/post/2,https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.example.com%2Fa,"Quoted, anchor",false,false,false,2024-01-05,2024-02-01,2024-02-02
not a url,https://www.example.com/b,bad,,,,,,
https://blog.other.example/p,https://www.example.com/a,Blog,false,false,true,2024-01-01,2024-01-09,
"""


@pytest.fixture
def project(warehouse: Warehouse) -> Project:
    return Project(warehouse)


def test_wrappers_are_unwrapped_where_the_target_is_in_the_url() -> None:
    assert unwrap_url("https://out.reddit.com/t3_x?url=https%3A%2F%2Fex.com%2Fp&token=1") == "https://ex.com/p"
    assert unwrap_url("https://www.youtube.com/redirect?event=v&q=https%3A%2F%2Fex.com%2Fv") == "https://ex.com/v"
    assert unwrap_url("https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fex.com%2Fl") == "https://ex.com/l"
    # a wrapper inside a wrapper
    inner = "https%3A%2F%2Fwww.youtube.com%2Fredirect%3Fq%3Dhttps%253A%252F%252Fex.com%252Fdeep"
    assert unwrap_url(f"https://l.facebook.com/l.php?u={inner}") == "https://ex.com/deep"
    # not wrappers: a q= on a watch page, pure shorteners
    assert unwrap_url("https://www.youtube.com/watch?v=1&q=https://ex.com") == "https://www.youtube.com/watch?v=1&q=https://ex.com"
    assert unwrap_url("https://t.co/abc") == "https://t.co/abc"


def test_ahrefs_export_is_detected_classified_and_quarantined(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "ahrefs.csv"
    path.write_text(AHREFS, encoding="utf-8")
    [result] = project.ingest_backlinks([path])
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    links = project.backlinks().set_index("source_url")
    reddit = links.loc["https://www.reddit.com/r/seo/comments/1"]
    assert reddit["source_platform"] == "reddit" and reddit["target_url"] == "https://www.example.com/guide"
    assert reddit["rel"] == "nofollow ugc" and not reddit["is_followed"]
    facebook = links.loc["https://www.facebook.com/post/2"]
    assert facebook["target_page"] == "/a" and facebook["anchor"] == "Quoted, anchor" and facebook["lost"]
    blog = links.loc["https://blog.other.example/p"]
    assert pd.isna(blog["source_platform"]) and blog["rel"] == "sponsored"
    quarantine = project.quarantine()
    assert quarantine["line_no"].tolist() == [4] and "not a url" in quarantine["raw"].iloc[0]
    # re-import of the same bytes changes nothing
    [again] = project.ingest_backlinks([path])
    assert again.skipped and len(project.backlinks()) == 3


def test_utf16_semrush_export_and_a_later_export_widens_dates(tmp_path: Path, project: Project) -> None:
    first = tmp_path / "semrush.csv"
    first.write_text("Source url\tTarget url\tAnchor\tNofollow\tFirst seen\tLast seen\n"
                     "https://x.com/a/status/1\thttps://www.example.com/\tEx\tfalse\t2024-02-01\t2024-02-10\n",
                     encoding="utf-16")
    second = tmp_path / "semrush-later.csv"
    second.write_text("Source url,Target url,Anchor,Nofollow,First seen,Last seen\n"
                      "https://x.com/a/status/1,https://www.example.com/,Ex,true,2024-02-05,2024-04-01\n",
                      encoding="utf-8")
    project.ingest_backlinks([first, second])
    [row] = project.backlinks().to_dict("records")
    assert row["source_platform"] == "x" and str(row["first_seen"])[:10] == "2024-02-01"
    assert str(row["last_seen"])[:10] == "2024-04-01" and not row["is_followed"]


def test_unknown_export_names_the_expected_columns(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "other.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(FormatNotRecognisedError, match="'Referring page URL' \\+ 'Target URL'"):
        project.ingest_backlinks([path])
    assert project.imports().empty


def test_gsc_links_export_uses_the_target_option(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "gsc.csv"
    path.write_text("Linking page,Last crawled\nhttps://www.pinterest.com/pin/1/,2024-05-01\n", encoding="utf-8")
    project.ingest_backlinks([path], target="https://www.example.com/guide")
    [row] = project.backlinks().to_dict("records")
    assert row["source_platform"] == "pinterest" and row["target_page"] == "/guide"


SOCIAL_PAGE = """<html><head><link rel="canonical" href="https://www.reddit.com/r/seo/comments/9/"></head><body>
<p>Has anyone tried ExampleBrand? I think examplebrand is great.</p>
<a href="https://www.example.com/tools/?utm_source=reddit" rel="nofollow ugc">the tool</a>
<a href="https://out.reddit.com/t3_9?url=https%3A%2F%2Fwww.example.com%2Fpricing">pricing</a>
<a href="https://www.reddit.com/r/seo/">r/seo</a></body></html>"""


def test_saved_page_gives_backlinks_and_a_linked_mention(tmp_path: Path, project: Project) -> None:
    project.set_brand(names=["ExampleBrand"])
    page = tmp_path / "thread.html"
    page.write_text(SOCIAL_PAGE, encoding="utf-8")
    [result] = project.ingest_pages([page], site="www.example.com")
    assert result.rows_loaded == 2
    links = project.backlinks().sort_values("target_page")
    assert links["target_page"].tolist() == ["/pricing", "/tools"]
    assert links["source_url"].unique().tolist() == ["https://www.reddit.com/r/seo/comments/9/"]
    assert links["is_followed"].tolist() == [True, False] and set(links["found_by"]) == {"crawl"}
    mentions = project.mentions()
    assert mentions.to_dict("records") == [{"platform": "reddit", "source_kind": "page", "linked": 1, "unlinked": 0}]
    assert project.link_opportunities().empty


class _Site(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=windows-1252" if self.path != "/robots.txt" else "text/plain")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetched_pages_obey_robots_mark_lost_links_and_list_opportunities(server: str, project: Project) -> None:
    project.set_brand(names=["Café Brand"], handles=["@cafebrand"])
    _Site.pages = {
        "/robots.txt": b"User-agent: *\nDisallow: /private\n",
        "/review": "<p>We tried café brand.</p><a href='https://www.example.com/a'>a</a>".encode("cp1252"),
        "/private": b"<a href='https://www.example.com/secret'>x</a>",
        "/list": "<p>Tools: CAFE BRAND and others</p>".encode("cp1252"),
    }
    project.ingest_pages([f"{server}/review", f"{server}/list"], site="www.example.com", delay=0, allow_hosts=[server.split("/")[2]])
    assert project.backlinks()["target_page"].tolist() == ["/a"]
    [refused] = project.pages_not_fetched(
        project.ingest_pages([f"{server}/private"], delay=0, allow_hosts=[server.split("/")[2]]))
    assert "robots.txt" in refused.notes[0] and refused.rows_quarantined == 1
    opportunities = project.link_opportunities()
    assert opportunities["source_url"].tolist() == [f"{server}/list"]
    # the page changes: its link is gone, so the re-check marks it lost
    _Site.pages["/review"] = b"<p>nothing here now</p>"
    project.ingest_pages([f"{server}/review"], delay=0, allow_hosts=[server.split("/")[2]])
    assert project.backlinks()["lost"].tolist() == [True]


def _http_record(writer: WARCWriter, url: str, html: str, ctype: str = "text/html; charset=utf-8") -> None:
    headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                  http_headers=headers))


def _wat_record(writer: WARCWriter, payload: bytes) -> None:
    writer.write_record(writer.create_warc_record("metadata:x", "metadata", payload=io.BytesIO(payload),
                                                  warc_content_type="application/json"))


def write_archive(path: Path) -> None:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        _http_record(writer, "https://www.linkedin.com/posts/a-1",
                     '<p>examplebrand rocks</p><a href="https://www.linkedin.com/redir/redirect?url=https%3A%2F%2Fwww.example.com%2Fjobs" rel="nofollow">jobs</a>'
                     '<a href="https://www.example.com/">home</a>')
        _http_record(writer, "https://news.other.example/story", '<a href="https://www.example.com/press">press</a>')
        _http_record(writer, "https://x.com/brand/status/1", "binary", ctype="image/png")
        wat = {"Envelope": {"WARC-Header-Metadata": {"WARC-Target-URI": "https://www.pinterest.com/pin/5/"},
                            "Payload-Metadata": {"HTTP-Response-Metadata": {"HTML-Metadata": {"Links": [
                                {"path": "A@/href", "url": "https://www.example.com/ideas", "text": "Ideas", "rel": "UGC"},
                                {"path": "IMG@/src", "url": "https://www.example.com/i.png"},
                                {"path": "A@/href", "url": "/pin/6/", "text": "next"}]}}}}}
        _wat_record(writer, json.dumps(wat).encode())
        _wat_record(writer, b'{"Envelope": {not json')


def test_warc_and_wat_records_give_social_backlinks_and_bad_records_are_quarantined(tmp_path: Path, project: Project) -> None:
    project.set_brand(names=["examplebrand"])
    archive = tmp_path / "crawl.warc.gz"
    write_archive(archive)
    [result] = project.ingest_warc([archive], site="www.example.com")
    links = project.backlinks().sort_values("target_page")
    assert links[["source_platform", "target_page", "rel", "is_followed"]].fillna("").values.tolist() == [
        ["linkedin", "/", "", True], ["pinterest", "/ideas", "ugc", False], ["linkedin", "/jobs", "nofollow", False]]
    assert set(links["found_by"]) == {"warc"}
    assert result.rows_quarantined == 1 and "bad JSON" in project.quarantine()["reason"].iloc[0]
    assert project.mentions()["linked"].tolist() == [1]
    # --all-referrers keeps the news site too
    other = Project(Warehouse(tmp_path / "all.duckdb"))
    other.ingest_warc([archive], site="www.example.com", all_referrers=True)
    assert "news.other.example" in set(other.backlinks()["source_url"].str.slice(8, 26))
    other.close()


def test_truncated_gzip_member_is_quarantined_and_earlier_records_kept(tmp_path: Path, project: Project) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_archive(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 40])
    [result] = project.ingest_warc([cut], site="www.example.com")
    assert any("truncated gzip" in r for r in project.quarantine()["reason"])
    assert result.rows_loaded >= 2


def test_real_common_crawl_warc_reads_without_errors(project: Project) -> None:
    sample = TEST_DATA / "resiliparse-warc" / "warcfile.warc.gz"
    [result] = project.ingest_warc([sample], site="www.baidu.com", all_referrers=True)
    assert result.rows_quarantined == 0
    links = project.backlinks()
    assert len(links) >= 1 and set(links["target_url"].str.slice(0, 21)) == {"https://www.baidu.com"}


def test_no_site_is_a_clear_error(tmp_path: Path, project: Project) -> None:
    page = tmp_path / "p.html"
    page.write_text("<a href='https://e.com/'>e</a>")
    with pytest.raises(InputFileError, match="--site"):
        project.ingest_pages([page])


def test_gzip_helper_is_not_fooled_by_a_whole_file(tmp_path: Path) -> None:
    from socialseo.ingest.archives.links import _gzip_ends_cleanly

    path = tmp_path / "a.gz"
    path.write_bytes(gzip.compress(b"x" * 100) + gzip.compress(b"y"))
    assert _gzip_ends_cleanly(str(path), 0)
    path.write_bytes(gzip.compress(b"x" * 100)[:-5])
    assert not _gzip_ends_cleanly(str(path), 0)
    assert datetime.now(UTC)


EXPORTS = TEST_DATA / "backlink-exports"


@pytest.mark.parametrize(
    ("name", "fmt", "expected"),
    [
        # (source platform or None, target page, followed, first seen, last seen, lost) per source, sorted by source
        ("ahrefs-backlinks.csv", "ahrefs", [("pinterest", "/ideas", True, "2023-11-05", "2024-02-01", True),
                                            ("reddit", "/tools", False, "2024-01-02", "2024-03-01", False)]),
        ("semrush-backlinks.csv", "semrush", [(None, "/guide", True, "2023-12-01", "2024-01-15", True),
                                              ("x", "/", False, "2024-01-20", "2024-04-02", False)]),
        ("moz-inbound-links.csv", "moz", [(None, "/", True, "2023-10-10", "2024-01-01", True),
                                          ("linkedin", "/pricing", False, "2024-02-01", "2024-03-30", False)]),
        ("moz-ose-inbound-links.csv", "moz", [("facebook", "/shop", False, None, None, False)]),
        ("majestic-backlinks.csv", "majestic", [(None, "/", True, "2024-01-01", "2024-02-10", False),
                                                ("youtube", "/blog", False, "2023-09-01", "2024-03-04", False)]),
        ("gsc-latest-links.csv", "gsc", [("medium", "/", True, None, "2024-04-28", False),
                                         ("pinterest", "/", True, None, "2024-05-01", False)]),
    ],
)
def test_each_tools_export_as_written_by_the_tool(
    name: str, fmt: str, expected: list[tuple[object, ...]], project: Project
) -> None:
    project.warehouse.add_site("www.example.com")
    [result] = project.ingest_backlinks([EXPORTS / name])
    assert f"format {fmt}" in result.message and result.rows_quarantined == 0
    links = project.backlinks().sort_values("source_url")

    def day(value: object) -> str | None:
        return None if pd.isna(value) else str(value)[:10]

    got = [(None if pd.isna(r.source_platform) else r.source_platform, r.target_page, bool(r.is_followed),
            day(r.first_seen), day(r.last_seen), bool(r.lost)) for r in links.itertuples()]
    assert got == expected


def test_an_export_with_lines_above_its_header_is_read_with_true_line_numbers(
    tmp_path: Path, project: Project
) -> None:
    project.warehouse.add_site("www.example.com")
    ose = (EXPORTS / "moz-ose-inbound-links.csv").read_text(encoding="utf-8").splitlines()
    export = tmp_path / "moz-with-title.csv"
    export.write_text("\n".join([
        "Open Site Explorer Inbound Links Export", "Generated on 2014-03-01 for www.example.com", "",
        ose[0], ose[1], "not a url,also not,x,1,1,1,1,1,external,nope,No,Yes,Yes,No,No",
        ose[1].replace("posts/1", "posts/2"),
    ]) + "\n", encoding="utf-8")
    [result] = project.ingest_backlinks([export])
    assert "format moz" in result.message and "header found on line 4" in result.message
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)
    quarantined = project.warehouse.con.execute("SELECT line_no FROM quarantine").fetchall()
    assert quarantined == [(6,)]
    assert sorted(project.backlinks()["source_url"]) == [
        "https://www.facebook.com/examplebrand/posts/1", "https://www.facebook.com/examplebrand/posts/2"]


# -- layouts: recognised, refused when a column would be dropped, completed with --map, forced with --layout --------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from socialseo.cli import main

    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def _anchors(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str | None]:
    code, out, _ = _cli(["backlinks", "--by", "link", "--json", "--db", str(db)], capsys)
    assert code == 0
    return {row["source_url"]: row["anchor"] for row in json.loads(out)}


def test_ubersuggest_export_is_recognised_and_keeps_its_anchor_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    code, out, err = _cli(["ingest", "backlinks", str(EXPORTS / "ubersuggest-backlinks.csv"), "--db", str(db)],
                          capsys)
    assert code == 0, err
    assert "format ubersuggest" in out and "3 rows loaded" in out
    anchors = _anchors(db, capsys)
    assert anchors["https://www.reddit.com/r/HomeImprovement/comments/abc/gutter_guards/"] == "gutter guide"
    assert anchors["https://blog.other.example/2025/roofs"] == "roofs, explained"
    code, out, _ = _cli(["sql", "SELECT min(first_seen) AS first FROM backlinks", "--json", "--db", str(db)], capsys)
    assert json.loads(out)[0]["first"].startswith("2023-03-23")


def test_a_header_whose_reading_would_drop_columns_is_refused_naming_the_header_and_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    export = str(EXPORTS / "unknown-tool-backlinks.csv")
    code, out, err = _cli(["ingest", "backlinks", export, "--db", str(db)], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "No, Source Page Title, Source URL, Target URL" in err  # the header it saw
    assert "--map 'Link Anchor=anchor'" in err and "--map 'Follow=rel'" in err and "--layout semrush" in err
    code, out, _ = _cli(["sql", "SELECT count(*) AS n FROM imports", "--json", "--db", str(db)], capsys)
    assert json.loads(out) == [{"n": 0}]  # nothing half-imported

    code, out, err = _cli(["ingest", "backlinks", export, "--map", "Link Anchor=anchor", "--map", "Follow=rel",
                           "--db", str(db)], capsys)
    assert code == 0, err
    assert "2 rows loaded" in out
    anchors = _anchors(db, capsys)
    assert anchors == {"https://x.com/examplebrand/status/1790000000000000000": "example.com",
                       "https://medium.com/@someone/review-1a2b": "the shop"}
    code, out, _ = _cli(["sql", "SELECT source_url, is_followed FROM backlinks ORDER BY 1", "--json", "--db", str(db)],
                        capsys)
    assert [r["is_followed"] for r in json.loads(out)] == [True, False]  # medium: follow; x.com: nofollow


def test_a_forced_layout_reads_the_header_as_that_layout(tmp_path: Path, project: Project) -> None:
    export = EXPORTS / "unknown-tool-backlinks.csv"
    [result] = project.ingest_backlinks([export], layout="semrush")
    assert "format semrush" in result.message and result.rows_loaded == 2
    assert project.backlinks()["anchor"].isna().all()  # the user accepted the semrush reading, anchors and all


def test_map_alone_reads_a_layout_no_tool_writes(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "own.csv"
    path.write_text("From;To;Words\nhttps://www.reddit.com/r/x/1;https://www.example.com/a;\"12,5 tips\"\n",
                    encoding="utf-8")
    with pytest.raises(FormatNotRecognisedError, match="--map COLUMN=source"):
        project.ingest_backlinks([path])
    [result] = project.ingest_backlinks([path], column_map=["From=source", "To=target", "Words=anchor"])
    assert "format custom" in result.message
    assert project.backlinks()["anchor"].tolist() == ["12,5 tips"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Link Anchor=anchors"], "unknown field 'anchors'"),
        (["--map", "Nope=anchor"], "no column 'Nope' in the header"),
        (["--map", "anchor"], "expected COLUMN=FIELD"),
        (["--layout", "linkody"], "--layout 'linkody': unknown"),
    ],
)
def test_bad_map_or_layout_is_one_line_and_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli(["ingest", "backlinks", str(EXPORTS / "unknown-tool-backlinks.csv"), *args,
                         "--db", str(tmp_path / "w.duckdb")], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_refused_header_with_a_line_break_in_a_quoted_cell_is_named_on_one_line(tmp_path: Path) -> None:
    from socialseo.ingest.backlinks.exports import import_backlink_exports

    path = tmp_path / "odd.csv"
    path.write_text('"URL,Title,Spam Score\n', encoding="utf-8")  # a quote never closed: the cell keeps the \n
    with Warehouse(tmp_path / "w.duckdb") as warehouse, pytest.raises(SocialSeoError) as refused:
        import_backlink_exports(warehouse, [path])
    assert "\n" not in str(refused.value) and "(header: URL,Title,Spam Score)" in str(refused.value)


def test_a_file_the_csv_reader_cannot_get_through_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from socialseo.cli import main

    db = tmp_path / "w.duckdb"
    code = main(["ingest", "backlinks", str(TEST_DATA / "backlink-exports" / "moz-broken-quoting.csv"), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2 and "not a readable CSV file" in err and len(err.strip().splitlines()) == 1
    assert main(["sql", "SELECT count(*) AS n FROM imports", "--db", str(db), "--json"]) == 0
    assert '"n": 0' in capsys.readouterr().out


def test_a_header_that_repeats_a_name_imports_reading_the_first_of_them(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("URL,Title,Target URL,Anchor Text,Anchor Text\n"
                    "https://news.example/a,A,https://www.example.com/p,first,second\n", encoding="utf-8")
    with Warehouse(tmp_path / "w.duckdb") as warehouse:
        project = Project(warehouse)
        (result,) = project.ingest_backlinks([path])
        assert result.rows_loaded == 1
        assert warehouse.sql("SELECT anchor FROM backlinks")["anchor"].tolist() == ["first"]


@pytest.mark.parametrize("block", [8 << 20, 64], ids=["one-block", "lines-across-64-byte-blocks"])
def test_a_line_over_the_limit_is_quarantined_on_its_line_before_duckdb_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    import socialseo
    from socialseo.ingest.backlinks import long_lines

    monkeypatch.setattr(long_lines, "_BLOCK", block)

    # Commas around a non-ASCII character: DuckDB's reject table got a row per extra column and the read turned
    # quadratic (a 2 MB line took over ten minutes and a gigabyte).
    monkeypatch.setenv("SOCIALSEO_MAX_FIELD_BYTES", "8192")
    first, *rows = (TEST_DATA / "backlink-exports" / "moz-inbound-links.csv").read_text().splitlines()
    long = rows[0].replace("Why we", "Why we" + "," * 30_000 + "\ufeff" + "," * 30_000, 1)
    export = tmp_path / "moz.csv"
    export.write_text("\n".join([first, long, rows[1], "not a url,x,y"]) + "\n", encoding="utf-8")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        (result,) = project.ingest_backlinks([export], target="example.com")
        assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 1, 2)
        quarantine = project.sql("SELECT line_no, raw, reason FROM quarantine ORDER BY line_no")
        assert quarantine["line_no"].tolist() == [2, 4]
        assert quarantine["reason"][0] == ("csv: line size over the limit of 8,192 bytes (set "
                                           "SOCIALSEO_MAX_FIELD_BYTES to raise it)")
        assert quarantine["raw"][0].startswith("https://www.linkedin.com/pulse/why-we-switched-jane-doe,Why we,,,")
        assert len(quarantine["raw"][0]) == 300
        assert project.sql("SELECT source_url FROM backlinks")["source_url"].tolist() == [
            "https://news.other.example/story"]


def test_a_header_ending_in_a_delimiter_imports_its_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A trailing comma on every line makes a nameless last column: it is read as "column 9" and not used."""
    from socialseo.cli import main

    export = tmp_path / "moz.csv"
    export.write_text("URL,Title,Anchor Text,Spam Score,Domain Authority,Page Authority,Target URL,Link Type,\n"
                      "https://www.reddit.com/r/seo/comments/1/,Thread,utm guide,1,90,50,https://example.com/guide,"
                      "nofollow,\n")
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", "backlinks", str(export), "--target", "example.com", "--db", db]) == 0
    assert f"{export}: 1 rows loaded, 0 quarantined of 1 read; format moz" in capsys.readouterr().out
    assert main(["backlinks", "--by", "link", "--json", "--db", db]) == 0
    [link] = json.loads(capsys.readouterr().out)
    assert (link["source_platform"], link["target_page"], link["rel"]) == ("reddit", "/guide", "nofollow")
