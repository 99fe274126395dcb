"""``socialseo refresh`` through the console entry point: sources on their own, the lock, alerts delivered once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from tests.crawl.sites import serve
from tests.ingest.google_api import FakeGoogle, day_rows, serve_google
from tests.ingest.networks.standins import networks
from tests.refresh.receivers import smtp_server, webhook_receiver

import socialseo
from socialseo.cli import main
from socialseo.refresh.lock import refresh_lock

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
LOG = "\n".join([
    f'198.51.100.7 - - [01/Mar/2026:10:00:00 +0000] "GET /blog/launch HTTP/1.1" 200 512 "https://bsky.app/" "{UA}"',
    f'203.0.113.9 - - [01/Mar/2026:10:02:00 +0000] "GET / HTTP/1.1" 200 512 "https://www.google.com/" "{UA}"',
]) + "\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def project_file(tmp_path: Path, body: str) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir(exist_ok=True)
    (logs / "access.log").write_text(LOG, encoding="utf-8")
    path = tmp_path / "socialseo.toml"
    path.write_text('site = "www.example.com"\ndb = "w.duckdb"\nreport = "out"\n'
                    'dashboard_url = "https://dash.example.com"\nschedule = "daily 06:30"\n' + body, encoding="utf-8")
    return path


async def _broken(request: web.Request) -> web.Response:
    return web.Response(status=500, text="down")


def test_a_failing_source_does_not_stop_the_others_and_the_run_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project_file(tmp_path, '[sources.logs]\ndirectory = "logs"\n'
                                  '[sources.discover]\nnetworks = ["bluesky"]\n')
    with serve({"/xrpc/app.bsky.feed.searchPosts": _broken}) as base:
        monkeypatch.setenv("SOCIALSEO_BLUESKY_API_BASE", base)
        code, out, err = run(["refresh", "--project", str(path)], capsys)
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[0].startswith("logs: ok: 1 file(s)") and "1 imported (2 rows" in lines[0]
    assert lines[1].startswith("discover bluesky: FAILED:") and "HTTP 500" in lines[1]
    assert lines[2].startswith("report: ok: wrote") and (tmp_path / "out" / "report.html").exists()
    assert len(lines) == 3
    assert "1 of 3 steps failed: discover bluesky" in err
    with socialseo.open(tmp_path / "w.duckdb") as project:
        assert len(project.sessions()) == 2

    code, out, _ = run(["refresh", "--project", str(path)], capsys)
    assert "0 imported" in out.splitlines()[0] and "nothing new since the last refresh" in out.splitlines()[0]


def test_gsc_is_pulled_beside_a_failing_source_and_its_rows_are_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeGoogle()
    day = (date.today() - timedelta(days=5)).isoformat()
    fake.rows_per_day = {day: day_rows(day, 3)}
    key = fake.service_account_file(tmp_path)
    path = project_file(tmp_path, f'[sources.gsc]\ncredentials = "{key}"\nsite = "sc-domain:example.com"\n'
                                  '[sources.discover]\nnetworks = ["bluesky"]\n')
    with serve_google(fake) as google, serve({"/xrpc/app.bsky.feed.searchPosts": _broken}) as bluesky:
        monkeypatch.setenv("SOCIALSEO_GOOGLE_API_BASE", google)
        monkeypatch.setenv("SOCIALSEO_GOOGLE_TOKEN_URL", f"{google}/token")
        monkeypatch.setenv("SOCIALSEO_BLUESKY_API_BASE", bluesky)
        code, out, _ = run(["refresh", "--project", str(path)], capsys)
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[0].startswith("gsc: ok") and "3 rows loaded" in lines[0]
    assert lines[1].startswith("discover bluesky: FAILED:")
    assert fake.bad_auth == 0 and {q["startDate"] for q in fake.queries} >= {day}
    with socialseo.open(tmp_path / "w.duckdb") as project:
        assert project.warehouse.count("search_performance") == 3


def test_an_alert_fires_once_by_email_and_webhook_and_a_second_refresh_does_not_resend_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD_FOR_TEST", "s3cret-never-printed")
    with networks() as env, smtp_server() as (port, inbox), webhook_receiver() as (hook, posted):
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        path = project_file(tmp_path, f"""
[sources.discover]
networks = ["hackernews", "reddit"]
[alerts.email]
host = "127.0.0.1"
port = {port}
starttls = false
from = "alerts@example.com"
to = ["seo@example.com"]
[alerts.webhook]
url = "{hook}"
[[alerts.rules]]
kind = "new_backlinks"
days = 2
""")
        code, out, err = run(["refresh", "--project", str(path)], capsys)
        assert code == 0, out + err
        alert_line = next(line for line in out.splitlines() if line.startswith("alerts:"))
        assert "2 new alert(s) sent to email, webhook, the report" in alert_line
        assert len(inbox.messages) == 1 and len(posted) == 1
        mail = inbox.messages[0]
        assert mail["To"] == "seo@example.com" and "2 alerts for www.example.com" in mail["Subject"]
        payload = mail.get_payload(decode=True)
        assert isinstance(payload, bytes)
        body = payload.decode()
        assert "2 new social backlinks to /blog/launch" in body and "news.ycombinator.com/item?id=4100" in body
        assert "https://dash.example.com/pages?page=%2Fblog%2Flaunch" in body
        assert "1 new social backlink to /about" in posted[0]["text"]

        code, out, _ = run(["refresh", "--project", str(path)], capsys)
        assert code == 0
        assert "nothing new to tell (2 alert(s) sent before)" in out
        assert len(inbox.messages) == 1 and len(posted) == 1
    assert "s3cret" not in out + err
    with socialseo.open(tmp_path / "w.duckdb") as project:
        sent = project.alerts_sent()
    assert sorted(sent["subject"]) == ["/about", "/blog/launch"]
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "2 new social backlinks to /blog/launch" in report


def test_a_failed_delivery_is_tried_again_on_the_next_refresh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with networks() as env, webhook_receiver(status=500) as (hook, posted):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, f'[sources.discover]\nnetworks = ["hackernews"]\n[alerts.webhook]\n'
                                      f'url = "{hook}"\n[[alerts.rules]]\nkind = "new_backlinks"\n')
        code, out, _ = run(["refresh", "--project", str(path)], capsys)
    assert code == 1
    line = next(line for line in out.splitlines() if line.startswith("alerts:"))
    assert "FAILED" in line and "HTTP 500" in line and "secret" not in line and len(posted) == 1
    with socialseo.open(tmp_path / "w.duckdb") as project:
        assert project.alerts_sent().empty


def test_a_second_refresh_while_one_runs_exits_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project_file(tmp_path, '[sources.logs]\ndirectory = "logs"\n')
    with refresh_lock(tmp_path / "w.duckdb.refresh.lock"):
        code, out, err = run(["refresh", "--project", str(path)], capsys)
    assert code == 75 and out == ""
    assert len(err.strip().splitlines()) == 1 and "another refresh is running (pid" in err
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize(("body", "expected"), [
    ('[sources.logs]\ndirectory = "logs"\nsite = 3\n', "unknown setting 'site'"),
    ("[sources.ftp]\n", "unknown source [sources.ftp]"),
    ('[sources.logs]\ndirectory = "logs"\n[alerts.email]\nhost = "h"\nto = ["a@b"]\npassword = "x"\n',
     "never a password"),
    ('[sources.logs]\ndirectory = "logs"\n[[alerts.rules]]\nkind = "vibes"\n', "kind must be one of"),
    ("[sources.logs\n", "not valid TOML"),
    ('[sources.discover]\nnetworks = ["myspace"]\n', "sources.discover.networks must list some of bluesky"),
])
def test_a_bad_project_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, expected: str
) -> None:
    path = project_file(tmp_path, body)
    code, out, err = run(["refresh", "--project", str(path)], capsys)
    assert code == 2 and out == "" and expected in err and len(err.strip().splitlines()) == 1


def test_print_cron_shows_the_crontab_line_for_the_schedule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project_file(tmp_path, '[sources.logs]\ndirectory = "logs"\n')
    code, out, _ = run(["refresh", "--project", str(path), "--print-cron"], capsys)
    assert code == 0
    assert out.startswith("30 6 * * * cd ") and f"-m socialseo refresh --project {path}" in out
    assert out.rstrip().endswith("socialseo-refresh.log 2>&1")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the test server has no TLS
@pytest.mark.parametrize("given", ["right-horse-battery", "wrong-horse"])
def test_the_smtp_password_comes_from_its_file_and_is_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    (tmp_path / "smtp-password").write_text(given + "\n", encoding="utf-8")
    with networks() as env, smtp_server(password="right-horse-battery") as (port, inbox):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, f"""
[sources.discover]
networks = ["hackernews"]
[alerts.email]
host = "127.0.0.1"
port = {port}
starttls = false
username = "alerts"
password_file = "smtp-password"
to = "seo@example.com"
[[alerts.rules]]
kind = "new_backlinks"
""")
        code, out, err = run(["refresh", "--project", str(path)], capsys)
    alert_line = next(line for line in out.splitlines() if line.startswith("alerts:"))
    assert given not in out + err
    if given == "wrong-horse":
        assert code == 1 and "FAILED: email via 127.0.0.1" in alert_line and "login refused (SMTP 535)" in alert_line
        assert inbox.messages == []
    else:
        assert code == 0 and "1 new alert(s) sent to email" in alert_line and len(inbox.messages) == 1
