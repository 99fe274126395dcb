"""--compare on channels, metrics, pages and report, run through the command line on two weeks of fixture exports.

The figures are checked by hand from tests/data/compare: the week of 2026-03-08 against the week before it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.two_weeks import WEEK, run, two_weeks_db, wide_terminal  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("wide_terminal")  # every test here reads tables a row per line


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = two_weeks_db(tmp_path / "w.duckdb")
    capsys.readouterr()
    return path


def test_channels_compare_previous_prints_both_weeks_and_the_change(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["channels", *WEEK, "--compare", "previous", "--db", db], capsys)
    assert code == 0
    assert "2026-03-08 to 2026-03-14 (7 days) against 2026-03-01 to 2026-03-07 (7 days, the previous period)" in \
        " ".join(out.split())
    facebook = next(line for line in out.splitlines() if "facebook" in line and " sessions " in line)
    # 5 facebook sessions against 2: +3, +150%, conditional binomial p = P(X>=5 or X<=2 | n=7, 0.5) = 0.453
    assert [c.strip() for c in facebook.split("│")[3:9]] == ["sessions", "5", "2", "+3", "+150.0%", "0.453"]
    bounce = next(line for line in out.splitlines() if "facebook" in line and "bounce_rate" in line)
    assert "60.0%" in bounce and "50.0%" in bounce and "+10.0 pt" in bounce


def test_channels_compare_json_carries_both_periods_raw(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["channels", *WEEK, "--compare", "previous", "--json", "--db", db], capsys)
    body = json.loads(out)
    assert code == 0
    assert body["period"] == {"start": "2026-03-08", "end": "2026-03-14", "days": 7}
    assert body["compared_with"] == {"start": "2026-03-01", "end": "2026-03-07", "days": 7, "compare": "previous",
                                     "has_data": True}
    assert body["tests"]["sessions"].startswith("conditional binomial")
    assert body["tests"]["bounce_rate"] == "two-proportion z-test"
    row = next(r for r in body["rows"] if r["platform"] == "facebook")
    assert (row["sessions"], row["sessions_before"], row["sessions_change"]) == (5, 2, 3)
    assert row["sessions_change_pct"] == pytest.approx(1.5)
    assert row["sessions_p"] == pytest.approx(0.453125)
    assert row["bounce_rate_change"] == pytest.approx(0.1)


def test_metrics_compare_counts_and_ctr(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["metrics", *WEEK, "--compare", "previous", "--json", "--db", db], capsys)
    (row,) = json.loads(out)["rows"]
    assert code == 0
    # posts of 9, 10 and 12 March against 2 and 4 March; link clicks 120 + 40 + 20 against 50 + 10
    assert (row["posts"], row["posts_before"]) == (3, 2)
    assert (row["link_clicks"], row["link_clicks_before"], row["link_clicks_change_pct"]) == (180, 60, 2.0)
    assert row["ctr"] == pytest.approx(180 / 3500) and row["ctr_before"] == pytest.approx(60 / 1500)
    assert row["link_clicks_p"] < 0.001


def test_pages_compare_shows_a_page_new_in_the_period(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["pages", *WEEK, "--compare", "previous", "--url", "/guides/campaign-tracking/",
                        "--db", db], capsys)
    assert code == 0
    clicks = next(line for line in out.splitlines() if "search_clicks" in line)
    assert [c.strip() for c in clicks.split("│")[2:7]] == ["search_clicks", "50", "0", "+50", "new"]


def test_year_comparison_without_data_says_so_instead_of_infinite_change(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["channels", *WEEK, "--compare", "year", "--db", db], capsys)
    assert code == 0
    assert "the comparison period 2025-03-08 to 2025-03-14 holds no sessions" in " ".join(err.split())
    assert "inf" not in out and "+150.0%" not in out
    code, out, _ = run(["channels", *WEEK, "--compare", "year", "--json", "--db", db], capsys)
    body = json.loads(out)
    assert body["compared_with"]["has_data"] is False and body["note"]
    assert all(r["sessions_change"] is None for r in body["rows"])


def test_explicit_comparison_period(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["metrics", *WEEK, "--compare", "2026-03-03..2026-03-03", "--json", "--db", db], capsys)
    body = json.loads(out)
    assert code == 0 and body["compared_with"]["days"] == 1
    # the post of 2 March 16:00 Pacific time is stored on 3 March (UTC): one post against three in seven days
    assert (body["rows"][0]["posts"], body["rows"][0]["posts_before"]) == (3, 1)


@pytest.mark.parametrize("args", [
    ["channels", "--compare", "last-week"],
    ["channels", "--compare", "2026-03-07..2026-03-01"],
    ["channels", "--compare", "2026-02-30..2026-03-01"],
    ["metrics", "--compare", "previous", "--by", "day"],
    ["pages", "--compare", "previous", "--granularity", "day"],
    ["channels", "--compare", "previous", "--source", "ga4"],
    ["report", "--compare", "someday"],
    ["search", "--compare", "nope"],
    ["channels", "--from", "2026-03-14", "--to", "2026-03-08", "--compare", "previous"],
    ["channels", *WEEK, "--compare", "2026-03-10..2026-03-20"],
    ["search", "--show", "bogus"],
])
def test_bad_comparison_is_one_line_and_exit_2(db: str, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*args, "--db", db], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and err.startswith("error: ")


def test_report_with_comparison_shows_headline_changes(db: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(["report", *WEEK, "--compare", "previous", "--out", str(tmp_path / "r"), "--db", db], capsys)
    html = (tmp_path / "r" / "report.html").read_text()
    assert code == 0
    section = html[html.index('<section id="compare"'):]
    section = section[:section.index("</section>")]
    cells = [c.strip() for c in section.split("<td")]
    # search clicks 261 against 180: +81, +45.0%, p < 0.001
    row = next(i for i, c in enumerate(cells) if c.endswith(">search clicks</td>"))
    assert [c[c.index(">") + 1:c.index("</td>")] for c in cells[row + 1:row + 6]] == \
        ["261", "180", "+81", "+45.0%", "&lt;0.001 *"]
    # per platform too: facebook's link clicks 180 against 60
    assert "Social posts by platform" in section and "Social sessions by platform" in section
    row = next(i for i, c in enumerate(cells) if c.endswith(">link clicks</td>"))
    assert [c[c.index(">") + 1:c.index("</td>")] for c in cells[row + 1:row + 5]] == ["180", "60", "+120", "+200.0%"]
