"""AI assistants as a channel: every host and path rule of the list, utm_source, app referrers, and a log import."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from fastapi.testclient import TestClient

from socialseo.classify import attribute_relation
from socialseo.cli import main
from socialseo.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "socialseo" / "classify" / "data" / "assistants.yaml"
FIXTURES = Path(__file__).parent / "fixtures"
ASSISTANTS: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))["assistants"]
HOSTS = [(aid, host) for aid, entry in ASSISTANTS.items() for host in entry.get("hosts", ())]
PATHS = [(aid, rule) for aid, entry in ASSISTANTS.items() for rule in entry.get("paths", ())]
APPS = [(aid, app) for aid, entry in ASSISTANTS.items() for app in entry.get("apps", ())]


def classify(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    code = main(["classify", *args, "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    found: dict[str, Any] = json.loads(out)
    return found


@pytest.mark.parametrize(("assistant", "host"), HOSTS)
def test_every_listed_host_is_its_assistant(
    assistant: str, host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = classify(capsys, f"https://{host}/c/6650f1e2")
    assert (found["channel"], found["platform"], found["evidence"]) == ("ai_assistant", assistant, "referrer_host")


@pytest.mark.parametrize(("assistant", "rule"), PATHS)
def test_every_path_rule_is_its_assistant(assistant: str, rule: str, capsys: pytest.CaptureFixture[str]) -> None:
    for referrer in (f"https://{rule}", f"https://{rule}/", f"https://{rule}?conversation=1", f"https://www.{rule}"):
        found = classify(capsys, referrer)
        assert (found["channel"], found["platform"], found["evidence"]) == ("ai_assistant", assistant, "referrer_path")


@pytest.mark.parametrize(("assistant", "app"), APPS)
def test_every_listed_app_referrer_is_its_assistant(
    assistant: str, app: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = classify(capsys, f"android-app://{app}/")
    assert (found["channel"], found["platform"], found["evidence"]) == ("ai_assistant", assistant, "app_referrer")


def test_x_com_outside_grok_stays_x_social(capsys: pytest.CaptureFixture[str]) -> None:
    for referrer in ("https://x.com/", "https://x.com/i/grokking", "https://x.com/someone/status/1", "https://x.com/i/"):
        found = classify(capsys, referrer)
        assert (found["channel"], found["platform"]) == ("social", "x"), referrer


@pytest.mark.parametrize("source", ["chatgpt.com", "ChatGPT", "openai"])
def test_utm_source_chatgpt_is_chatgpt_without_a_referrer(source: str, capsys: pytest.CaptureFixture[str]) -> None:
    found = classify(capsys, "-", "--url", f"https://www.example.com/guide?utm_source={source}")
    assert (found["channel"], found["platform"], found["evidence"]) == ("ai_assistant", "chatgpt", "utm")
    assert found["label"] == "ai_assistant: chatgpt"


def test_utm_source_perplexity_beats_a_referral_medium(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify(capsys, "-", "--url", "/guide?utm_source=perplexity&utm_medium=referral")
    assert (found["channel"], found["platform"]) == ("ai_assistant", "perplexity")


def test_ga4s_ai_assistant_medium_is_the_channel_even_for_an_assistant_not_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    listed = classify(capsys, "-", "--url", "/guide?utm_source=chatgpt.com&utm_medium=ai-assistant")
    unlisted = classify(capsys, "-", "--url", "/guide?utm_source=kimi.com&utm_medium=ai-assistant")
    assert (listed["channel"], listed["platform"]) == ("ai_assistant", "chatgpt")
    assert (unlisted["channel"], unlisted["platform"]) == ("ai_assistant", None)


def test_a_paid_medium_from_an_assistant_stays_paid(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify(capsys, "-", "--url", "/guide?utm_source=chatgpt.com&utm_medium=cpc")
    assert found["channel"] == "paid_other"


@pytest.mark.parametrize("referrer", ["https://www.google.com/", "https://www.google.de/", "https://www.bing.com/"])
def test_search_engines_ai_features_stay_organic_search(referrer: str, capsys: pytest.CaptureFixture[str]) -> None:
    # AI Overviews and AI Mode answer on google.com itself: Search Console counts those clicks as search.
    found = classify(capsys, referrer, "--url", "/guide?srsltid=AfmBOop")
    assert found["channel"] == "organic_search"


def test_an_assistant_that_is_the_site_itself_is_internal(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify(capsys, "https://chatgpt.com/g/abc", "--site", "chatgpt.com")
    assert found["channel"] == "internal"


def test_a_table_gets_the_same_answers_in_bulk() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (referrer VARCHAR, user_agent VARCHAR, url VARCHAR)")
    rows = [
        ("https://x.com/i/grok?conversation=7", "Mozilla/5.0", "/a"),
        ("https://x.com/i/grok", "Mozilla/5.0", "/b"),
        ("https://x.com/home", "Mozilla/5.0", "/c"),
        ("https://chat.mistral.ai/chat/1", "Mozilla/5.0", "/d"),
        ("-", "Mozilla/5.0", "/e?utm_source=chatgpt.com"),
        ("android-app://com.anthropic.claude", "Mozilla/5.0", "/f"),
    ]
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    attribute_relation(con, "t", ["www.example.com"])
    got = con.execute("SELECT channel, platform, evidence FROM t ORDER BY url").fetchall()
    assert got == [
        ("ai_assistant", "grok", "referrer_path"),
        ("ai_assistant", "grok", "referrer_path"),
        ("social", "x", "referrer_host"),
        ("ai_assistant", "le_chat", "referrer_host"),
        ("ai_assistant", "chatgpt", "utm"),
        ("ai_assistant", "claude", "app_referrer"),
    ]


def test_log_import_shows_ai_assistant_and_open_networks_in_channels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "w.duckdb"
    log = FIXTURES / "assistants_and_open_networks.log"
    assert main(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["channels", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    sessions = {(r["channel"], r["platform"]): r["sessions"] for r in rows}
    assert sessions[("ai_assistant", "chatgpt")] == 3  # the referrer, utm_source=chatgpt.com, the Android app
    assert sessions[("ai_assistant", "perplexity")] == 1
    assert sessions[("ai_assistant", "grok")] == 1
    assert sessions[("social", "x")] == 1
    for network in ("bluesky", "threads", "mastodon"):
        assert sessions[("social", network)] == 1
    assert sum(n for (channel, _), n in sessions.items() if channel == "ai_assistant") == 5


def test_the_data_file_is_what_the_script_makes_of_matomos_list(capsys: pytest.CaptureFixture[str]) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "update_assistants.py"))
    header = DATA.read_text(encoding="utf-8")
    commit = header.split("commit ", 1)[1].split(".", 1)[0].strip()
    code = script["main"]([str(ROOT / "tests" / "data" / "matomo" / "AIAssistants.yml"), "--commit", commit])
    assert code == 0
    assert capsys.readouterr().out == DATA.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("referrer", "platform"),
    [
        ("https://bsky.app/profile/someone.bsky.social/post/3kabc", "bluesky"),
        ("https://go.bsky.app/redirect?u=https%3A%2F%2Fwww.example.com%2F", "bluesky"),
        ("android-app://xyz.blueskyweb.app/", "bluesky"),
        ("https://www.threads.com/@someone/post/C9xyz", "threads"),
        ("https://www.threads.net/", "threads"),
        ("https://l.threads.com/?u=https%3A%2F%2Fwww.example.com%2F&e=AT0", "threads"),
        ("https://mastodon.social/@someone/112233445566778899", "mastodon"),
        ("https://infosec.exchange/@someone/112233445566778899", "mastodon"),
        ("https://hachyderm.io/", "mastodon"),
        ("android-app://com.keylesspalace.tusky", "mastodon"),
    ],
)
def test_newer_networks_are_social(referrer: str, platform: str, capsys: pytest.CaptureFixture[str]) -> None:
    found = classify(capsys, referrer)
    assert (found["channel"], found["platform"]) == ("social", platform)


def test_report_and_dashboard_show_the_ai_assistant_channel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "w.duckdb"
    log = FIXTURES / "assistants_and_open_networks.log"
    assert main(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)]) == 0
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "ai_assistant" in html and "#0D9488" in html  # the channel, in its own colour in the channel chart
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        only_chatgpt = client.get("/api/channels", params={"platform": "chatgpt"}).json()
        overview = client.get("/").text
    assert {(r["channel"], r["platform"], r["sessions"]) for r in only_chatgpt} == {("ai_assistant", "chatgpt", 3)}
    assert 'value="chatgpt"' in overview and 'value="bluesky"' in overview
