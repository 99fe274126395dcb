"""Bots by purpose, verified from their operators' addresses, caught on corpora the lists were not built from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialseo.classify.useragents import MAX_MATCHED_CHARS, OVER_LONG_BOT, classify_user_agents
from socialseo.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def classify_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    code, out, _ = run(["classify", "-", *args, "--json"], capsys)
    assert code == 0
    found = json.loads(out)
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize(
    ("user_agent", "name", "purpose"),
    [
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
         "GPTBot", "training"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; "
         "+https://openai.com/searchbot", "OAI-SearchBot", "search_index"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; "
         "+https://openai.com/bot", "ChatGPT-User", "user_fetch"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
         "ClaudeBot", "training"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; "
         "+Claude-User@anthropic.com)", "Claude-User", "user_fetch"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-SearchBot/1.0; "
         "+Claude-SearchBot@anthropic.com)", "Claude-SearchBot", "search_index"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
         "+https://perplexity.ai/perplexitybot)", "PerplexityBot", "search_index"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; "
         "+https://perplexity.ai/perplexity-user)", "Perplexity-User", "user_fetch"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; MistralAI-User/1.0; "
         "+https://docs.mistral.ai/robots)", "MistralAI-User", "user_fetch"),
        ("meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
         "meta-externalagent", "training"),
        ("CCBot/2.0 (https://commoncrawl.org/faq/)", "CCBot", "training"),
        (GOOGLEBOT, "Googlebot", "search_index"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebookexternalhit",
         "preview"),
        ("Twitterbot/1.0", "Twitterbot", "preview"),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "Discordbot", "preview"),
        ("WhatsApp/2.23.20.0 A", "WhatsApp", "preview"),
        ("Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)", "Bluesky Cardyb", "preview"),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "AhrefsBot", "seo_tool"),
        ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "UptimeRobot", "monitor"),
        ("python-requests/2.32.3", "python-requests", "library"),
    ],
)
def test_classify_names_each_bot_with_its_purpose(
    capsys: pytest.CaptureFixture[str], user_agent: str, name: str, purpose: str
) -> None:
    found = classify_json(capsys, "--user-agent", user_agent)
    assert (found["is_bot"], found["bot_name"], found["bot_purpose"]) == (True, name, purpose)


def test_a_crawler_from_its_operators_addresses_is_verified(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify_json(capsys, "--user-agent", GOOGLEBOT, "--ip", "66.249.66.1")
    assert (found["bot_name"], found["bot_verified"]) == ("Googlebot", True)


def test_a_crawler_claimed_from_elsewhere_is_an_impostor(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify_json(capsys, "--user-agent", GOOGLEBOT, "--ip", "203.0.113.9")
    assert (found["bot_name"], found["bot_verified"]) == ("Googlebot", False)


def test_a_bot_whose_operator_publishes_no_ranges_is_neither(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify_json(capsys, "--user-agent", "Twitterbot/1.0", "--ip", "203.0.113.9")
    assert (found["is_bot"], found["bot_verified"]) == (True, None)


def test_classify_rejects_an_address_that_is_not_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["classify", "-", "--user-agent", GOOGLEBOT, "--ip", "66.249.66"], capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--ip" in err


def _sample(name: str) -> list[str]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_crawlers_of_an_independent_corpus_are_caught_and_browsers_are_not() -> None:
    crawlers, browsers = _sample("crawlers_sample.txt"), _sample("browsers_sample.txt")
    assert len(crawlers) >= 100 and len(browsers) == 400
    caught = sum(c.is_bot for c in classify_user_agents(crawlers)) / len(crawlers)
    flagged = sum(c.is_bot for c in classify_user_agents(browsers)) / len(browsers)
    assert caught >= 0.90, f"{caught:.1%} of crawlers caught"
    assert flagged <= 0.005, f"{flagged:.1%} of browsers flagged"


def test_phone_models_named_like_bots_are_browsers() -> None:
    phone = "Mozilla/5.0 (Linux; Android 12; CUBOT KINGKONG 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 " \
            "Mobile Safari/537.36"
    assert not classify_user_agents([phone])[0].is_bot


def test_an_over_long_user_agent_is_read_on_its_start_and_flagged() -> None:
    long_bot, long_other = GOOGLEBOT + " x" * MAX_MATCHED_CHARS, CHROME + " " + "A" * 8192
    found = classify_user_agents([long_bot, long_other, CHROME])
    assert [(c.bot_name, c.over_long) for c in found] == [
        ("Googlebot", True), (OVER_LONG_BOT, True), (None, False)
    ]


def _line(n: int, ip: str, agent: str) -> str:
    return (f'{ip} - - [01/Mar/2026:10:{n // 60 % 60:02d}:{n % 60:02d} +0000] "GET /p/{n} HTTP/1.1" 200 512 '
            f'"-" "{agent}"')


def test_a_log_of_kilobyte_user_agents_imports_with_them_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agents = [f"{CHROME} build/{k} " + "A" * 8192 for k in range(500)]
    lines = [_line(n, f"198.51.100.{n % 200}", agents[n % 500]) for n in range(1000)]
    log, db = tmp_path / "access.log", tmp_path / "w.duckdb"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, _ = run(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)], capsys)
    assert code == 0
    code, out, _ = run(["sql", "SELECT bot_name, count(*) AS n, count(DISTINCT user_agent) AS agents FROM hits "
                        "GROUP BY ALL", "--db", str(db), "--json"], capsys)
    assert json.loads(out) == [{"bot_name": OVER_LONG_BOT, "n": 1000, "agents": 500}]


def test_imported_hits_keep_purpose_and_verification(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gpt = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"
    lines = [
        _line(1, "66.249.66.1", GOOGLEBOT),
        _line(2, "203.0.113.9", GOOGLEBOT),
        _line(3, "20.171.206.5", gpt),
        _line(4, "198.51.100.7", "Twitterbot/1.0"),
        _line(5, "198.51.100.8", CHROME),
    ]
    log, db = tmp_path / "access.log", tmp_path / "w.duckdb"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)], capsys)
    assert code == 0
    assert "1 hit claimed a search engine's or AI operator's crawler from outside" in out
    code, out, _ = run(["sql", "SELECT url, bot_name, bot_purpose, bot_verified, ip FROM hits ORDER BY seq",
                        "--db", str(db), "--json"], capsys)
    rows = json.loads(out)
    assert [(r["bot_name"], r["bot_purpose"], r["bot_verified"]) for r in rows] == [
        ("Googlebot", "search_index", True),
        ("Googlebot", "search_index", False),
        ("GPTBot", "training", True),
        ("Twitterbot", "preview", None),
        (None, None, None),
    ]
    assert rows[0]["ip"] == "66.249.0.0"  # verified from the full address, stored masked
