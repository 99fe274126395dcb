"""GA4 Traffic acquisition exports: every row loaded or quarantined, each source/medium classified."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import TEST_DATA

import socialseo
from socialseo.errors import FormatNotRecognisedError
from socialseo.ingest.analytics.ga4 import classify_source_medium

EXPORT = TEST_DATA / "ga4" / "traffic_acquisition.csv"


def test_traffic_acquisition_export_is_read_and_classified(tmp_path: Path) -> None:
    data_rows = [line for line in EXPORT.read_text().splitlines() if line and not line.startswith("#")][1:]
    with socialseo.open(tmp_path / "w.duckdb") as project:
        (result,) = project.ingest_ga4([EXPORT])
        assert result.rows_read == len(data_rows) == 11
        assert (result.rows_loaded, result.rows_quarantined) == (10, 1)
        assert project.sql("SELECT line_no, reason FROM quarantine").values.tolist() == [
            [20, "sessions is not a number"]
        ]
        rows = dict(project.sql(
            "SELECT source || ' / ' || medium, channel || ':' || coalesce(platform, '') FROM ga4_traffic"
        ).values.tolist())
        assert rows["google / organic"] == "organic_search:google"
        assert rows["(direct) / (none)"] == "direct:"
        assert rows["m.facebook.com / referral"] == "social:facebook"
        assert rows["l.instagram.com / referral"] == "social:instagram"
        assert rows["t.co / referral"] == "social:x"
        assert rows["newsletter / email"] == "email:"
        assert rows["facebook / cpc"] == "paid_social:facebook"
        assert rows["blog.example.org / referral"] == "referral:"
        total = sum(int(line.split(",")[1]) for line in data_rows if line.split(",")[1].isdigit())
        assert project.sql("SELECT sum(sessions) FROM ga4_traffic").iloc[0, 0] == total
        dates = project.sql("SELECT DISTINCT CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR) FROM ga4_traffic")
        assert dates.values.tolist() == [["2026-03-01", "2026-03-31"]]
        channels = project.ga4_channels()
        social = channels[channels["channel"] == "social"].set_index("platform")
        assert social.loc["facebook", "sessions"] == 150
        assert social.loc["facebook", "engagement_rate"] == pytest.approx(60 / 150)
        again = project.ingest_ga4([EXPORT])
        assert again[0].skipped and project.warehouse.count("ga4_traffic") == 10


def test_a_csv_that_is_not_a_ga4_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("page,clicks\n/a,3\n")
    with socialseo.open(tmp_path / "w.duckdb") as project, pytest.raises(FormatNotRecognisedError, match="GA4"):
        project.ingest_ga4([path])


def test_source_that_names_a_platform_without_a_host_is_read_as_utm() -> None:
    assert classify_source_medium("linkedin", "social")[:2] == ("social", "linkedin")
    assert classify_source_medium("spring-launch", "launch") == ("referral", None, "utm")


# Tagged pairs GA4 reports as they were set on the landing URL; GA4's own "(direct) / (none)" and
# "host / referral" are left out, since a landing URL cannot say them.
_PAIRS = [("facebook", "social"), ("Facebook", "Paid_Social"), ("newsletter", "email"), ("google", "cpc"),
          ("google", "organic"), ("chatgpt.com", "(not set)"), ("perplexity", "ai-assistant"),
          ("spring sale", "launch"), ("lnkd.in", "social"), ("bing", "cpc"), ("x.com", "(not set)"),
          ("mailchimp", "newsletter")]


def test_a_source_medium_gets_the_same_channel_in_ga4_as_on_a_landing_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from urllib.parse import urlencode

    from socialseo.cli import main

    export = tmp_path / "traffic.csv"
    export.write_text("Session source / medium,Sessions\n" + "".join(f"{s} / {m},10\n" for s, m in _PAIRS),
                      encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    assert main(["ingest", "ga4", str(export), "--db", db]) == 0
    capsys.readouterr()
    assert main(["sql", "SELECT source, medium, channel, platform FROM ga4_traffic", "--db", db, "--json"]) == 0
    ga4 = {(r["source"], r["medium"]): (r["channel"], r["platform"]) for r in json.loads(capsys.readouterr().out)}
    assert len(ga4) == len(_PAIRS)
    for source, medium in _PAIRS:
        url = "/?" + urlencode({"utm_source": source, "utm_medium": medium})
        assert main(["classify", "-", "--url", url, "--json"]) == 0
        hit = json.loads(capsys.readouterr().out)
        assert ga4[(source, medium)] == (hit["channel"], hit["platform"]), (source, medium)


def _peak_growth_mib(run: Callable[[], object]) -> float | None:
    """How far ``run`` raised this process's resident memory above where it started (Linux), else ``None``."""
    clear = Path("/proc/self/clear_refs")
    if not clear.exists():
        return None

    def status(field: str) -> float:
        line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith(field))
        return int(line.split()[1]) / 1024

    clear.write_text("5")
    before = status("VmRSS")
    run()
    return status("VmHWM") - before


def test_a_header_of_two_million_commas_is_refused_in_one_line_without_filling_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from socialseo.cli import main

    # The seed export with a run of commas inside its header: Polars made a column of each (4.6 GB, minutes).
    lines = EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if line.startswith("Session source / medium"))
    lines[header_at] = lines[header_at].replace("per session", "per ses" + "," * 2_000_000 + "sion", 1)
    export = tmp_path / "traffic.csv"
    export.write_text("".join(lines), encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    codes: list[object] = []
    grew = _peak_growth_mib(lambda: codes.append(main(["ingest", "ga4", str(export), "--db", db])))
    assert codes == [2]
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "2,000,0" in err and "SOCIALSEO_MAX_SHEET_COLUMNS" in err, err
    assert grew is None or grew < 1024, f"peak grew {grew:.0f} MiB"
    assert main(["sql", "SELECT count(*) AS n FROM ga4_traffic", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 0}]


def test_commas_inside_a_quoted_header_are_not_columns(tmp_path: Path) -> None:
    export = tmp_path / "traffic.csv"
    export.write_text('Session source / medium,Sessions,"A title, with ' + "," * 20_000 + ' commas"\n'
                      "google / organic,12,x\n", encoding="utf-8")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        (result,) = project.ingest_ga4([export])
        assert (result.rows_read, result.rows_loaded) == (1, 1)


def test_a_row_with_a_megabyte_source_is_quarantined_not_decoded(tmp_path: Path) -> None:
    # A run of 0xFF bytes inside a source: URL-decoding it as a campaign took 3 s and 800 MB for one row.
    lines = EXPORT.read_bytes().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(b"google / organic"))
    lines[at] = b"\xff" * 1_000_000 + lines[at]
    export = tmp_path / "traffic.csv"
    export.write_bytes(b"".join(lines))
    with socialseo.open(tmp_path / "w.duckdb") as project:
        grew = _peak_growth_mib(lambda: project.ingest_ga4([export]))
        assert grew is None or grew < 512, f"peak grew {grew:.0f} MiB"
        assert project.warehouse.count("ga4_traffic") == 9
        reasons = project.sql("SELECT line_no, reason, length(raw) AS n FROM quarantine ORDER BY line_no")
        first = reasons.iloc[0]
        assert first["line_no"] == at + 1 and first["n"] == 201
        assert first["reason"].startswith("a field longer than the limit of 131,072 bytes (set SOCIALSEO_MAX_FIELD")
        assert reasons["reason"].tolist()[1:] == ["sessions is not a number"]


def test_blank_lines_by_the_million_keep_every_row_on_its_line(tmp_path: Path) -> None:
    text = EXPORT.read_text(encoding="utf-8")
    header_end = text.index("\n") + 1
    export = tmp_path / "traffic.csv"
    export.write_text(text[:header_end] + "\n" * 2_000_000 + text[header_end:], encoding="utf-8")
    with socialseo.open(tmp_path / "w.duckdb") as project:
        (result,) = project.ingest_ga4([export])
        assert (result.rows_loaded, result.rows_quarantined) == (10, 1)
        assert project.sql("SELECT line_no FROM quarantine").values.tolist() == [[2_000_020]]
        dates = project.sql("SELECT DISTINCT CAST(start_date AS VARCHAR) FROM ga4_traffic").values.tolist()
        assert dates == [["2026-03-01"]]
