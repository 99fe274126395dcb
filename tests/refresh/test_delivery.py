"""Alert delivery through ``socialseo refresh``: STARTTLS with a private CA, and each channel sent each alert once."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.networks.standins import networks
from tests.refresh.receivers import free_port, self_signed, smtp_server, webhook_receiver
from tests.refresh.test_refresh_cli import project_file, run

import socialseo

RULE = '[[alerts.rules]]\nkind = "new_backlinks"\ndays = 2\n'


def email_table(port: int, extra: str = "") -> str:
    return (f'[alerts.email]\nhost = "127.0.0.1"\nport = {port}\nfrom = "alerts@example.com"\n'
            f'to = ["seo@example.com"]\n{extra}')


def alert_line(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("alerts:"))


def test_starttls_with_the_ca_file_delivers_the_alert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed(tmp_path)
    with networks() as env, smtp_server(certificate=(cert, key)) as (port, inbox):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, '[sources.discover]\nnetworks = ["hackernews"]\n'
                            + email_table(port, f'starttls = true\nca_file = "{cert.name}"\n') + RULE)
        code, out, err = run(["refresh", "--project", str(path)], capsys)
    assert code == 0, out + err
    assert "1 new alert(s) sent to email, the report" in alert_line(out)
    assert len(inbox.messages) == 1 and "1 new social backlink" in str(inbox.messages[0].get_payload())


def test_an_unknown_certificate_fails_the_email_in_one_line_and_the_webhook_still_delivers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed(tmp_path)
    with (networks() as env, smtp_server(certificate=(cert, key)) as (port, inbox),
          webhook_receiver() as (hook, posted)):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, '[sources.discover]\nnetworks = ["hackernews"]\n' + email_table(port)
                            + f'[alerts.webhook]\nurl = "{hook}"\n' + RULE)
        code, out, _ = run(["refresh", "--project", str(path)], capsys)
    line = alert_line(out)
    assert code == 1 and line.startswith("alerts: FAILED: email via 127.0.0.1:")
    assert "the server's certificate was not accepted" in line and "ca_file" in line
    assert "webhook took 1 alert(s)" in line
    assert inbox.messages == [] and len(posted) == 1


def test_ssl_verify_false_encrypts_without_checking_the_certificate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = self_signed(tmp_path)
    with networks() as env, smtp_server(certificate=(cert, key)) as (port, inbox):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, '[sources.discover]\nnetworks = ["hackernews"]\n'
                            + email_table(port, "ssl_verify = false\n") + RULE)
        code, out, err = run(["refresh", "--project", str(path)], capsys)
    assert code == 0, out + err
    assert len(inbox.messages) == 1


def test_a_server_without_starttls_is_not_sent_the_alert_and_the_webhook_still_delivers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with networks() as env, smtp_server() as (port, inbox), webhook_receiver() as (hook, posted):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, '[sources.discover]\nnetworks = ["hackernews"]\n'
                            + email_table(port, "starttls = true\n") + f'[alerts.webhook]\nurl = "{hook}"\n' + RULE)
        code, out, _ = run(["refresh", "--project", str(path)], capsys)
    line = alert_line(out)
    assert code == 1 and "the server does not offer STARTTLS, so nothing was sent" in line
    assert inbox.messages == [] and len(posted) == 1


@pytest.mark.parametrize(("setting", "expected"), [
    ('ssl_verify = "no"\n', "alerts.email.ssl_verify must be true or false"),
    ('ca_file = "missing.pem"\n', "alerts.email.ca_file"),
])
def test_a_wrong_tls_setting_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, expected: str
) -> None:
    path = project_file(tmp_path, '[sources.logs]\ndirectory = "logs"\n' + email_table(25, setting))
    code, out, err = run(["refresh", "--project", str(path)], capsys)
    assert code == 2 and out == "" and expected in err and len(err.strip().splitlines()) == 1


def test_a_channel_that_took_an_alert_is_not_sent_it_again_when_another_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    hook_port = free_port()
    with networks() as env, smtp_server() as (port, inbox):
        monkeypatch.setenv("SOCIALSEO_HN_API_BASE", env["SOCIALSEO_HN_API_BASE"])
        path = project_file(tmp_path, '[sources.discover]\nnetworks = ["hackernews"]\n'
                            + email_table(port, "starttls = false\n")
                            + f'[alerts.webhook]\nurl = "http://127.0.0.1:{hook_port}/services/T000/B000/secret"\n'
                            + RULE)
        code, out, _ = run(["refresh", "--project", str(path)], capsys)  # the webhook receiver is down
        line = alert_line(out)
        assert code == 1 and "FAILED: webhook http://127.0.0.1:" in line and "email took 1 alert(s)" in line
        assert "secret" not in line and len(inbox.messages) == 1
        with socialseo.open(tmp_path / "w.duckdb") as project:
            assert project.alerts_sent().empty

        with webhook_receiver(port=hook_port) as (_, posted):
            code, out, err = run(["refresh", "--project", str(path)], capsys)
            assert code == 0, out + err
            assert "1 new alert(s) sent to webhook, the report (email had them before)" in alert_line(out)
            code, out, _ = run(["refresh", "--project", str(path)], capsys)
            assert code == 0 and "nothing new to tell (1 alert(s) sent before)" in alert_line(out)
        assert len(inbox.messages) == 1 and len(posted) == 1
    with socialseo.open(tmp_path / "w.duckdb") as project:
        sent = project.alerts_sent()
    assert list(sent["channels"]) == ["email,webhook,report"]
