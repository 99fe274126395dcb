"""Agreement with the Snowplow referer-parser's labelled test cases, which nobody on this project wrote.

The cases are GPL-3 and are read from ../shared beside the repository, never copied in; without that folder
these tests skip. Known disagreements are listed in docs/attribution.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from socialseo.classify.referrers import classify_referrer

CASES = Path(__file__).resolve().parents[2] / "../shared/data/snowplow-referer-parser/referer-tests.json"
SITE = ["www.psychicbazaar.com"]  # the shop whose referrers the cases were collected from

# Snowplow medium -> the channels that mean the same here.
SAME = {
    "search": {"organic_search"},
    "social": {"social"},
    "email": {"email"},
    "paid": {"paid_search", "paid_social", "paid_other"},
}


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    if not CASES.exists():
        pytest.skip(f"Snowplow referer-parser cases not found at {CASES.resolve()} (they live in ../shared)")
    loaded: list[dict[str, Any]] = json.loads(CASES.read_text(encoding="utf-8"))
    return loaded


def _agreement(cases: list[dict[str, Any]], media: set[str]) -> tuple[float, list[str]]:
    chosen = [c for c in cases if c["medium"] in media]
    disagreements = [
        f"{c['uri']} ({c['medium']}): {classify_referrer(c['uri'], SITE).channel}"
        for c in chosen
        if classify_referrer(c["uri"], SITE).channel not in SAME[c["medium"]]
    ]
    return 1 - len(disagreements) / len(chosen), disagreements


def test_social_and_search_cases_agree_at_least_94_percent(cases: list[dict[str, Any]]) -> None:
    rate, disagreements = _agreement(cases, {"social", "search"})
    print(f"social+search agreement {rate:.1%}; disagreements: {disagreements}")
    assert rate >= 0.94, disagreements


def test_every_social_case_is_social(cases: list[dict[str, Any]]) -> None:
    rate, disagreements = _agreement(cases, {"social"})
    assert rate == 1.0, disagreements


def test_paid_cases_are_paid(cases: list[dict[str, Any]]) -> None:
    rate, disagreements = _agreement(cases, {"paid"})
    assert rate == 1.0, disagreements


def test_email_cases_mostly_agree(cases: list[dict[str, Any]]) -> None:
    rate, disagreements = _agreement(cases, {"email"})
    print(f"email agreement {rate:.1%}; disagreements: {disagreements}")
    assert rate >= 0.75, disagreements


def test_every_chatbot_case_is_an_ai_assistant(cases: list[dict[str, Any]]) -> None:
    chatbots = [c["uri"] for c in cases if c["medium"] == "chatbot"]
    assert chatbots
    assert {classify_referrer(uri, SITE).channel for uri in chatbots} == {"ai_assistant"}
