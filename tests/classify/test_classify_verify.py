"""A crawler's claim is checked against the addresses its operator publishes (classify/data/bot_ranges.yaml).

The addresses below are taken from the bundled snapshot (the operators' lists as mirrored 2026-07-02), one inside
each operator's ranges, and from documentation ranges (RFC 5737, RFC 3849) for the impostors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialseo.cli import main

BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
APPLEBOT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
    "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)"
)
PERPLEXITYBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
    "+https://perplexity.ai/perplexitybot)"
)
PERPLEXITY_USER = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; "
    "+https://perplexity.ai/perplexity-user)"
)
DUCKDUCKBOT = "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)"
AMAZONBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; "
    "+https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36"
)
CCBOT = "CCBot/2.0 (https://commoncrawl.org/faq/)"
CHATGPT_USER = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
CLAUDEBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)"
ADSBOT = "AdsBot-Google (+http://www.google.com/adsbot.html)"
ELSEWHERE_V4, ELSEWHERE_V6 = "203.0.113.9", "2001:db8::9"


def classify(capsys: pytest.CaptureFixture[str], user_agent: str, ip: str) -> dict[str, object]:
    code = main(["classify", "-", "--user-agent", user_agent, "--ip", ip, "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    found = json.loads(out)
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize(
    ("user_agent", "name", "inside"),
    [
        (BINGBOT, "bingbot", "157.55.39.1"),  # 157.55.39.0/24
        (APPLEBOT, "Applebot", "17.241.75.10"),  # 17.241.75.0/24
        (PERPLEXITYBOT, "PerplexityBot", "18.97.9.100"),  # 18.97.9.96/29
        (PERPLEXITY_USER, "Perplexity-User", "107.20.236.150"),  # 107.20.236.150/32
        (DUCKDUCKBOT, "DuckDuckBot", "20.191.45.212"),  # 20.191.45.212/32
        (AMAZONBOT, "Amazonbot", "52.70.240.171"),  # 52.70.240.171/32
        (CCBOT, "CCBot", "18.97.14.84"),  # 18.97.14.80/29
        (CCBOT, "CCBot", "2600:1f28:365:80b3::7"),  # 2600:1f28:365:80b0::/60
        (GOOGLEBOT, "Googlebot", "2001:4860:4801:10::1"),  # 2001:4860:4801:10::/60
    ],
)
def test_a_crawler_from_its_operators_published_addresses_is_verified(
    capsys: pytest.CaptureFixture[str], user_agent: str, name: str, inside: str
) -> None:
    found = classify(capsys, user_agent, inside)
    assert (found["bot_name"], found["bot_verified"]) == (name, True)


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [(BINGBOT, "bingbot"), (APPLEBOT, "Applebot"), (PERPLEXITYBOT, "PerplexityBot"), (DUCKDUCKBOT, "DuckDuckBot"),
     (AMAZONBOT, "Amazonbot"), (CCBOT, "CCBot")],
)
def test_a_crawler_claimed_from_outside_its_operators_addresses_is_an_impostor(
    capsys: pytest.CaptureFixture[str], user_agent: str, name: str
) -> None:
    found = classify(capsys, user_agent, ELSEWHERE_V4)
    assert (found["bot_name"], found["bot_verified"]) == (name, False)


def test_googlebot_claimed_from_an_ipv6_address_outside_googles_is_an_impostor(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = classify(capsys, GOOGLEBOT, ELSEWHERE_V6)
    assert (found["bot_name"], found["bot_verified"]) == ("Googlebot", False)


def test_one_operators_addresses_do_not_verify_anothers_crawler(capsys: pytest.CaptureFixture[str]) -> None:
    found = classify(capsys, BINGBOT, "66.249.66.1")  # Googlebot's address, claiming to be bingbot
    assert (found["bot_name"], found["bot_verified"]) == ("bingbot", False)


def test_an_agent_from_another_list_of_the_same_operator_is_still_verified(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = classify(capsys, CHATGPT_USER, "20.171.206.5")  # 20.171.206.0/23, published for GPTBot
    assert (found["bot_name"], found["bot_verified"]) == ("ChatGPT-User", True)


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [(CLAUDEBOT, "ClaudeBot"),  # Anthropic publishes no addresses
     (ADSBOT, "AdsBot-Google")],  # special-case crawlers' list not bundled
)
def test_a_crawler_whose_list_is_not_bundled_is_never_called_an_impostor(
    capsys: pytest.CaptureFixture[str], user_agent: str, name: str
) -> None:
    found = classify(capsys, user_agent, ELSEWHERE_V4)
    assert (found["is_bot"], found["bot_name"], found["bot_verified"]) == (True, name, None)


def _line(n: int, ip: str, agent: str) -> str:
    return (f'{ip} - - [01/Mar/2026:10:00:{n:02d} +0000] "GET /p/{n} HTTP/1.1" 200 512 "-" "{agent}"')


def test_an_imported_log_counts_the_bingbot_impostor_and_keeps_the_real_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, db = tmp_path / "access.log", tmp_path / "w.duckdb"
    log.write_text("\n".join([
        _line(1, "157.55.39.1", BINGBOT),  # Bing's 157.55.39.0/24
        _line(2, "45.155.205.3", BINGBOT),  # a hosting range, not Bing's
        _line(3, "2600:1f28:365:80b3::7", CCBOT),
    ]) + "\n", encoding="utf-8")
    code = main(["ingest", "logs", str(log), "--site", "www.example.com", "--db", str(db)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "1 hit claimed a search engine's or AI operator's crawler from outside its published addresses" in out
    code = main(["sql", "SELECT bot_name, bot_verified, ip FROM hits ORDER BY seq", "--db", str(db), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert json.loads(out) == [
        {"bot_name": "bingbot", "bot_verified": True, "ip": "157.55.0.0"},
        {"bot_name": "bingbot", "bot_verified": False, "ip": "45.155.0.0"},
        {"bot_name": "CCBot", "bot_verified": True, "ip": "2600:1f28:365::"},
    ]
