"""Pages named the way users name them: every spelling of a page resolves to the page Search Console reported.

The warehouse is filled through the user's door, ``socialseo ingest gsc``, from a Search Console API export
(``{"request": {..., "dimensions": ["date", "page"]}, "rows": [...]}``, the layout the importer documents), so
the page keys are the ones a real import stores.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from socialseo.cli import main

START = date(2026, 3, 1)
DAYS = 70
LAUNCH = START + timedelta(days=45)
PAGES = ["/blog/launch/", "/blog/pricing-update/", "/docs/api/webhooks/", "/docs/api/errors/", "/guides/setup/",
         "/guides/migrate/", "/"]


def _export(path: Path) -> Path:
    """Daily clicks per page, with a lasting +40% on /blog/launch/ from LAUNCH on."""
    rng = np.random.default_rng(3)
    rows = []
    for day in range(DAYS):
        today = START + timedelta(days=day)
        for i, page in enumerate(PAGES):
            mean = 30.0 + 6 * i
            if page == "/blog/launch/" and today >= LAUNCH:
                mean *= 1.4
            clicks = int(rng.poisson(mean))
            impressions = clicks * 12 + int(rng.integers(1, 50))
            rows.append({"keys": [today.isoformat(), f"https://www.example.com{page}"], "clicks": clicks,
                         "impressions": impressions, "ctr": clicks / impressions, "position": 4.0 + i / 2})
    path.write_text(json.dumps({"request": {"startDate": START.isoformat(), "endDate": (
        START + timedelta(days=DAYS - 1)).isoformat(), "dimensions": ["date", "page"], "type": "web"}, "rows": rows}))
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("names")
    path = ["--db", str(out / "w.duckdb")]
    assert main(["ingest", "gsc", str(_export(out / "gsc_api.json")), *path]) == 0
    return path


@pytest.mark.parametrize("spelling", [
    "/blog/launch",
    "/blog/launch/",
    "https://www.example.com/blog/launch/",
    "https://example.com/blog/launch",
    "http://WWW.example.com/blog/launch/?utm_source=newsletter&utm_medium=email",
    "https://www.example.com/blog/launch?fbclid=IwAR0x&gclid=abc",
    "www.example.com/blog/launch/",
    "blog/launch/#comments",
])
def test_analyze_impact_answers_for_every_spelling_of_a_search_console_page(
    db: list[str], spelling: str, capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["analyze", "impact", "--page", spelling, "--after", LAUNCH.isoformat(), "--json", *db])
    out, err = capsys.readouterr()
    assert code == 0, err
    row = json.loads(out)[0]
    assert row["scope"] == "/blog/launch" and row["n_treated"] == 1
    assert row["estimable"] and row["verdict"] == "effect" and row["ci_low"] > 0
    assert "none of the pages" not in row["reason"]


def test_an_unknown_page_is_exit_2_naming_the_nearest_pages(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "impact", "--page", "/blog/lanch", "--after", LAUNCH.isoformat(), *db])
    _, err = capsys.readouterr()
    assert code == 2
    assert "no page /blog/lanch in the data" in err and "/blog/launch" in err
    assert len(err.strip().splitlines()) == 1


def test_a_page_of_another_site_is_exit_2(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "impact", "--page", "https://elsewhere.org/blog/launch", "--after",
                 LAUNCH.isoformat(), *db])
    _, err = capsys.readouterr()
    assert code == 2 and "elsewhere.org" in err and "not on this site" in err


def test_pages_url_takes_any_spelling_and_refuses_an_unknown_page(db: list[str],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pages", "--url", "https://example.com/docs/api/webhooks/?utm_campaign=x", "--json", *db]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == DAYS and {r["page"] for r in rows} == {"/docs/api/webhooks"}
    assert main(["pages", "--url", "/docs/api/webhook", *db]) == 2
    assert "/docs/api/webhooks" in capsys.readouterr().err


def test_page_daily_spans_the_search_days_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ingest", "gsc", str(_export(tmp_path / "gsc.json")), "--db", str(tmp_path / "w.duckdb")])
    out = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    end = START + timedelta(days=DAYS - 1)
    assert code == 0 and f"{START} to {end} (the Search Console days)" in out


def test_rebuild_with_a_window_narrows_the_analyses_days(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = ["--db", str(tmp_path / "w.duckdb")]
    assert main(["ingest", "gsc", str(_export(tmp_path / "gsc.json")), *path]) == 0
    capsys.readouterr()
    assert main(["rebuild", "--from", "2026-03-10", "--to", "2026-04-20", *path]) == 0
    assert "2026-03-10 to 2026-04-20 (the window set with socialseo rebuild)" in " ".join(
        capsys.readouterr().out.split())
    assert main(["pages", "--url", "/", "--json", *path]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 42
    assert main(["rebuild", "--from", "May", *path]) == 2
    assert "--from must be a date" in capsys.readouterr().err
    assert main(["rebuild", *path]) == 0
    assert "(the Search Console days)" in " ".join(capsys.readouterr().out.split())


def test_analyze_window_options_cut_the_panel(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", "impact", "--page", "/blog/launch", "--after", LAUNCH.isoformat(), "--from",
                 (LAUNCH - timedelta(days=10)).isoformat(), "--json", *db])
    row = json.loads(capsys.readouterr().out)[0]
    assert code == 0 and not row["estimable"] and row["verdict"] == "cannot_conclude"
    assert "10 days of data before" in row["verdict_reason"]
    assert main(["analyze", "panel", "--from", "2026-05-01", "--to", "2026-04-01", *db]) == 2
    assert "--from 2026-05-01 is after --to 2026-04-01" in capsys.readouterr().err
