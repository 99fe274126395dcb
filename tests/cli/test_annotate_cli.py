"""``socialseo annotate`` and the annotations on ``pages --url`` and the report, through the real entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from tests.cli.annotated_site import build
from tests.cli.test_cli import run

from socialseo.report.sections import PROVIDERS


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return build(tmp_path, capsys)


def test_add_list_remove_round_trip(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(site)]
    code, out, _ = run(["annotate", "add", "--date", "2026-03-04", "--text", "newsletter sent",
                        "--page", "https://www.example.com/blog/spring-launch/?utm_source=x", *db], capsys)
    assert code == 0 and out.strip() == "annotation 1 added: 2026-03-04 newsletter sent (/blog/spring-launch)"
    code, out, _ = run(["annotate", "add", "--date", "2026-03-06", "--text", "LinkedIn ad", "--platform", "LinkedIn",
                        *db], capsys)
    assert code == 0 and "annotation 2 added" in out and "(linkedin)" in out
    code, out, _ = run(["annotate", "list", "--json", *db], capsys)
    mine = [r for r in json.loads(out) if r["source"] == "user"]
    assert [(r["id"], r["date"], r["text"], r["page"], r["platform"]) for r in mine] == [
        (1, "2026-03-04", "newsletter sent", "/blog/spring-launch", None),
        (2, "2026-03-06", "LinkedIn ad", None, "linkedin")]
    code, out, _ = run(["annotate", "remove", "1", *db], capsys)
    assert code == 0 and out.strip() == "annotation 1 removed: 2026-03-04 newsletter sent"
    code, out, _ = run(["annotate", "list", "--json", *db], capsys)
    assert [r["id"] for r in json.loads(out) if r["source"] == "user"] == [2]


@pytest.mark.parametrize(("args", "message"), [
    (["add", "--date", "2026-13-01", "--text", "x"], "error: date must be a day written YYYY-MM-DD, not '2026-13-01'"),
    (["add", "--date", "2026-03-01", "--text", "x", "--platform", "linkdin"],
     "error: no platform linkdin; did you mean linkedin?"),
    (["add", "--date", "2026-03-01", "--text", "   "], "error: an annotation needs a text: say what happened that day"),
    (["list", "--start", "2026-03-10", "--end", "2026-03-01"], "error: start (2026-03-10) is after end (2026-03-01): "
                                                                "swap them"),
    (["list", "--platform", "facebok"], "error: no platform facebok; did you mean facebook?"),
    (["remove", "99"], "error: no annotation 99; there are no notes of yours yet (see socialseo annotate list; "
                       "automatic annotations come from the data and cannot be removed)"),
])
def test_bad_input_is_one_line_and_exit_2(site: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    code, out, err = run(["annotate", *args, "--db", str(site)], capsys)
    assert (code, out, err.strip()) == (2, "", message)
    code, out, _ = run(["annotate", "list", "--json", "--db", str(site)], capsys)
    assert [r for r in json.loads(out) if r["source"] == "user"] == []  # nothing half-written


def test_an_unknown_page_names_the_nearest_pages(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["annotate", "add", "--date", "2026-03-01", "--text", "x", "--page", "/blog/spring-lunch",
                          "--db", str(site)], capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "/blog/spring-launch" in err


def test_automatic_annotations_come_from_posts_spikes_imports_and_search_updates(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["annotate", "list", "--json", "--db", str(site)], capsys)
    rows = json.loads(out)
    assert code == 0
    by_source = {s: [r for r in rows if r["source"] == s] for s in ("post", "spike", "import", "search_update")}
    assert [(r["date"], r["text"]) for r in by_source["post"]] == [
        ("2026-03-02", "campaign spring-launch starts: first post on facebook, linking /blog/spring-launch"),
        ("2026-03-04", "first post linking /docs/api/webhooks, on facebook")]
    assert [(r["date"], r["page"], r["platform"]) for r in by_source["spike"]] == [
        ("2026-03-02", "/blog/spring-launch", "facebook")]
    code, out, _ = run(["sql", "SELECT DISTINCT CAST(started_at AS DATE)::VARCHAR AS day FROM imports", "--json",
                        "--db", str(site)], capsys)
    assert [r["date"] for r in by_source["import"]] == [r["day"] for r in json.loads(out)]
    assert "gsc (1 file, 32 rows)" in by_source["import"][0]["text"]
    assert "posts (1 file, 4 rows)" in by_source["import"][0]["text"]
    assert ("2026-03-27", "Google March 2026 core update (rolled out 2026-03-27 to 2026-04-08)") in [
        (r["date"], r["text"]) for r in by_source["search_update"]]


def test_list_narrows_by_page_and_period(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["annotate", "list", "--page", "/docs/api/webhooks/", "--start", "2026-03-01", "--end",
                        "2026-03-31", "--json", "--db", str(site)], capsys)
    assert code == 0
    assert [(r["date"], r["source"]) for r in json.loads(out)] == [
        ("2026-03-04", "post"), ("2026-03-24", "search_update"), ("2026-03-27", "search_update")]
    code, out, err = run(["annotate", "list", "--start", "2023-01-01", "--end", "2023-01-31", "--db", str(site)], capsys)
    assert code == 0 and out == "" and err.strip() == (
        "nothing to show: no annotation in this period; add one with socialseo annotate add --date D --text T")


def test_pages_timeline_lists_the_page_annotations_under_it(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["annotate", "add", "--date", "2026-03-05", "--text", "price cut", "--page", "/blog/spring-launch",
         "--db", str(site)], capsys)
    code, out, _ = run(["pages", "--url", "www.example.com/blog/spring-launch", "--granularity", "day",
                        "--db", str(site)], capsys)
    assert code == 0
    lines = out[out.index("annotations on these days:"):].splitlines()
    assert [line.split()[:2] for line in lines[1:]] == [
        ["2026-03-02", "post"], ["2026-03-02", "spike"], ["2026-03-05", "user"]]
    assert lines[3].endswith("price cut")


def test_report_draws_the_annotations_on_its_time_charts(site: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    run(["annotate", "add", "--date", "2026-03-05", "--text", "<b>price</b> cut", "--db", str(site)], capsys)
    code, out, err = run(["report", "--quiet", "--out", str(tmp_path / "r"), "--db", str(site)], capsys)
    assert code == 0 and err == ""
    assert out.strip() == f"report written to {(tmp_path / 'r' / 'report.html').resolve()}"
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "annotation-user" in html and "annotation-post" in html
    # the charts span the logs' days (2026-03-03 to 03-06): the docs page's first post is on them, the spike of
    # 2026-03-02 is not (Plotly's JSON writes "/" as \u002f)
    assert "post: first post linking \\u002fdocs\\u002fapi\\u002fwebhooks, on facebook" in html
    assert "spike: social spike on" not in html
    assert "user: &lt;b&gt;price&lt;\\u002fb&gt; cut" in html and "<b>price" not in html  # a note is text, not markup


def test_report_shows_a_progress_bar_on_a_terminal(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    screen = io.StringIO()
    monkeypatch.setattr("socialseo.cli.common.err_console", Console(file=screen, force_terminal=True, width=120))
    monkeypatch.delenv("SOCIALSEO_NO_PROGRESS", raising=False)
    code, out, _ = run(["report", "--out", str(tmp_path / "r"), "--db", str(site)], capsys)
    assert code == 0 and "report written to" in out
    drawn = screen.getvalue()
    assert "building the report: impact" in drawn
    total = len(PROVIDERS)
    assert f"{total}/{total}" in drawn  # every section group counted, and the bar ends full
