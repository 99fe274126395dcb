"""Exports read within the reader limits and failing in one line: zips, workbooks, encodings, long fields."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from socialseo.cli import main

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"
BACKLINKS = Path(__file__).resolve().parents[1] / "data" / "backlink-exports"
BULK_HEADER = (
    "data_date,site_url,url,query,is_anonymized_query,is_anonymized_discover,country,search_type,device,"
    "is_amp_top_stories,is_amp_blue_link,is_job_listing,is_job_details,impressions,clicks,sum_position"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sql(db: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, err = run(["sql", query, "--db", str(db), "--json"], capsys)
    assert code == 0, err
    return list(json.loads(out))


def one_line_exit_2(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err


def no_imports(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if db.exists():
        assert sql(db, "SELECT count(*) AS n FROM imports", capsys) == [{"n": 0}]


# -- Search Console ---------------------------------------------------------------------------------------------

def test_gsc_zip_of_zeros_is_refused_as_a_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Dates.csv", "Date,Clicks,Impressions,CTR,Position\n2026-03-02,1,10,10%,2\n")
        z.writestr("Queries.csv", b"\0" * (80 << 20))
    assert archive.stat().st_size < 200_000
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "gsc", str(archive), "--db", str(db)], capsys)
    one_line_exit_2(code, err)
    assert "compression bomb" in err and "SOCIALSEO_MAX_RATIO" in err
    no_imports(db, capsys)


@pytest.mark.parametrize("name", ["../Dates.csv", "/tmp/Dates.csv", "..\\Dates.csv"])
def test_gsc_zip_member_with_an_unsafe_name_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(name, "Date,Clicks,Impressions,CTR,Position\n2026-03-02,1,10,10%,2\n")
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "gsc", str(archive), "--db", str(db)], capsys)
    one_line_exit_2(code, err)
    assert "unsafe name" in err
    no_imports(db, capsys)


def test_gsc_zip_without_a_search_console_sheet_is_refused_not_imported_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.csv", "a,b\n1,2\n")
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "gsc", str(archive), "--db", str(db)], capsys)
    one_line_exit_2(code, err)
    assert "no Performance sheet" in err and "notes.csv" in err
    no_imports(db, capsys)


def test_gsc_zip_with_too_many_members_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_ZIP_MEMBERS", "3")
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "gsc", str(EXPORTS / "gsc_web_export.zip"), "--db", str(db)], capsys)
    one_line_exit_2(code, err)
    assert "6 members" in err and "SOCIALSEO_MAX_ZIP_MEMBERS" in err


def test_latin1_gsc_bulk_csv_is_read_with_its_accents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        "2026-03-02,sc-domain:example.com,https://www.example.com/caf%C3%A9/,café crème,false,false,fra,WEB,MOBILE,"
        "false,false,false,false,40,4,80",
        "2026-03-02,sc-domain:example.com,https://www.example.com/,déjà vu,false,false,fra,WEB,DESKTOP,"
        "false,false,false,false,10,1,10",
    ]
    path = tmp_path / "bulk.csv"
    path.write_bytes(("\n".join([BULK_HEADER, *rows]) + "\n").encode("latin-1"))
    db = tmp_path / "w.duckdb"
    code, out, err = run(["ingest", "gsc", str(path), "--db", str(db)], capsys)
    assert code == 0, err
    assert "2 rows loaded" in out
    queries = sql(db, "SELECT query FROM search_performance ORDER BY query", capsys)
    assert [q["query"] for q in queries] == ["café crème", "déjà vu"]


def test_gsc_garbage_is_refused_with_its_start_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\x00\x01\x02\xff\xfe garbage \x1b[31m red \x07" * 50)
    code, _out, err = run(["ingest", "gsc", str(path), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "binary data" in err and "\\x00\\x01" in err and "\x1b" not in err and "\x00" not in err


# -- workbooks ------------------------------------------------------------------------------------------------

def _xlsx(path: Path, sheet_xml: str) -> Path:
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'<Types xmlns="{pkg}/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
                   f'Type="{rel_ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{main_ns}" xmlns:r="{rel_ns}"><sheets>'
                   '<sheet name="Posts" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}/relationships"><Relationship '
                   f'Id="rId1" Type="{rel_ns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main_ns}">{sheet_xml}</worksheet>')
    return path


def _row(n: int, *cells: str) -> str:
    return f'<row r="{n}">' + "".join(
        f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{c}</t></is></c>' for i, c in enumerate(cells)
    ) + "</row>"


def test_xlsx_without_dimension_over_the_cell_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_SHEET_CELLS", "5000")
    rows = "".join(_row(n, "https://x.com/p", "x", "y", "z") for n in range(1, 3000))
    book = _xlsx(tmp_path / "posts.xlsx", f"<sheetData>{rows}</sheetData>")  # no <dimension>
    code, _out, err = run(["ingest", "posts", str(book), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "more cells" in err and "SOCIALSEO_MAX_SHEET_CELLS" in err


def test_xlsx_with_a_bogus_dimension_is_refused_not_padded_without_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _row(1, "Post ID") + "".join(_row(n, str(n)) for n in range(2, 2000))
    book = _xlsx(tmp_path / "posts.xlsx", f'<dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData>')
    code, _out, err = run(["ingest", "posts", str(book), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "more cells" in err


def test_xlsx_zip_bomb_is_refused_before_openpyxl_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_RATIO_AFTER_BYTES", str(1 << 20))
    padding = "<sheetData>" + " " * (20 << 20) + "</sheetData>"
    book = _xlsx(tmp_path / "posts.xlsx", padding)
    code, _out, err = run(["ingest", "posts", str(book), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "compression bomb" in err


# -- backlinks ------------------------------------------------------------------------------------------------

def test_backlink_row_with_a_1mb_field_is_quarantined_and_the_rest_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        "Source URL,Target URL,Anchor Text\n"
        "https://www.reddit.com/r/a/,https://www.example.com/,one\n"
        f"https://www.reddit.com/r/b/,https://www.example.com/,{'x' * 1_000_000}\n"
        "https://www.reddit.com/r/c/,https://www.example.com/,three\n"
    )
    db = tmp_path / "w.duckdb"
    code, out, err = run(["ingest", "backlinks", str(path), "--db", str(db)], capsys)
    assert code == 0, err
    assert "1 quarantined of 3 read" in out
    rows = sql(db, "SELECT line_no, length(raw) AS n, reason FROM quarantine", capsys)
    assert rows[0]["line_no"] == 3 and int(str(rows[0]["n"])) <= 300 and "line size" in str(rows[0]["reason"])


def test_backlink_header_line_of_1mb_is_one_line_not_a_csv_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "links.csv"
    path.write_text("Source URL," + "y" * 1_000_000 + "\nhttps://a.com/,b\n")
    code, _out, err = run(["ingest", "backlinks", str(path), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "_csv.Error" not in err and "field larger" not in err and len(err) < 3000


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("links.csv", "Source URL,Target URL\n")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "kind"), [
    (b"\x00\x9f\x92\x96garbage\x00\x01\x02" * 100, "binary data"),
    (_zip_bytes(), "zip archive"),
    (b"\x28\xb5\x2f\xfd" + bytes(range(256)) * 4, "zstd-compressed"),
])
def test_binary_given_to_ingest_backlinks_is_named_and_shown_escaped(
    content: bytes, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes(content)
    code, _out, err = run(["ingest", "backlinks", str(path), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert kind in err and "starts b'" in err
    assert all(ch == "\n" or ch.isprintable() for ch in err), err
    assert len(err) < 400


def test_real_xlsx_given_to_ingest_backlinks_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _xlsx(tmp_path / "links.xlsx", "<sheetData>" + _row(1, "Source URL", "Target URL") + "</sheetData>")
    code, _out, err = run(["ingest", "backlinks", str(book), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "zip archive (or an XLSX workbook)" in err


def test_latin1_backlink_export_keeps_its_accents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "links.csv"
    path.write_bytes("Source URL,Target URL,Anchor Text\nhttps://www.reddit.com/r/a/,https://www.example.com/,"
                     "crème brûlée\n".encode("latin-1"))
    db = tmp_path / "w.duckdb"
    code, _out, err = run(["ingest", "backlinks", str(path), "--db", str(db)], capsys)
    assert code == 0, err
    assert sql(db, "SELECT anchor FROM backlinks", capsys) == [{"anchor": "crème brûlée"}]


# -- sheets read as CSV -------------------------------------------------------------------------------------------

def test_post_export_row_with_a_field_over_the_limit_is_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_FIELD_BYTES", "1000")
    lines = (EXPORTS / "facebook_posts.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    long_row = ",".join([cells[0].replace("2234", "9234"), *cells[1:4], '"' + "z" * 5000 + '"', *cells[5:]])
    path = tmp_path / "facebook.csv"
    path.write_text("\n".join([*lines[:3], long_row, *lines[3:]]) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    code, out, err = run(["ingest", "posts", str(path), "--db", str(db)], capsys)
    assert code == 0, err
    rows = sql(db, "SELECT line_no, reason FROM quarantine", capsys)
    assert {"line_no": 4, "reason": "csv: a field longer than the limit of 1,000 bytes "
            "(set SOCIALSEO_MAX_FIELD_BYTES to raise it)"} in rows
    assert "quarantined" in out


def test_file_over_the_whole_file_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_WHOLE_FILE_BYTES", "100")
    code, _out, err = run(["ingest", "ranks", str(EXPORTS / "ranks.csv"), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "SOCIALSEO_MAX_WHOLE_FILE_BYTES" in err


def test_a_limit_that_is_not_a_number_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_LINE_BYTES", "lots")
    code, _out, err = run(["ingest", "ranks", str(EXPORTS / "ranks.csv"), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "SOCIALSEO_MAX_LINE_BYTES='lots': not a whole number" in err


def test_gsc_header_with_a_field_over_the_limit_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALSEO_MAX_FIELD_BYTES", "1000")
    path = tmp_path / "gsc.csv"
    path.write_text("data_date," + "q" * 5000 + "\n2026-03-02,1\n")
    code, _out, err = run(["ingest", "gsc", str(path), "--db", str(tmp_path / "w.duckdb")], capsys)
    one_line_exit_2(code, err)
    assert "header row cannot be read" in err and "SOCIALSEO_MAX_FIELD_BYTES" in err
