"""Campaign keys: utm_source, utm_medium and click ids, read as GA4's default channel group reads them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialseo.classify.campaigns import NO_CAMPAIGN, CampaignClass, classify_campaign


@pytest.mark.parametrize(
    ("source", "medium", "expected"),
    [
        ("newsletter", "email", CampaignClass("email", None, "utm")),
        ("Mailchimp", None, CampaignClass("email", None, "utm")),
        ("anything", "E-Mail", CampaignClass("email", None, "utm")),
        ("fb", None, CampaignClass("social", "facebook", "utm")),
        ("facebook.com", "referral", CampaignClass("referral", None, "utm")),
        ("t.co", None, CampaignClass("social", "x", "utm")),
        ("linkedin", "social", CampaignClass("social", "linkedin", "utm")),
        ("lnkd", None, CampaignClass("social", "linkedin", "utm")),
        ("ig", None, CampaignClass("social", "instagram", "utm")),
        ("x.com", None, CampaignClass("social", "x", "utm")),
        ("partner-blog", "social", CampaignClass("social", None, "utm")),
        ("facebook", "cpc", CampaignClass("paid_social", "facebook", "utm")),
        ("instagram", "paid_social", CampaignClass("paid_social", "instagram", "utm")),
        ("google", "cpc", CampaignClass("paid_search", "google", "utm")),
        ("bing", "ppc", CampaignClass("paid_search", "bing", "utm")),
        ("some-network", "display", CampaignClass("paid_other", None, "utm")),
        ("google", None, CampaignClass("organic_search", "google", "utm")),
        ("duckduckgo", "organic", CampaignClass("organic_search", "duckduckgo", "utm")),
        ("partner", "affiliate", CampaignClass("referral", None, "utm")),
        ("News%20Letter", "e%2Dmail", CampaignClass("email", None, "utm")),
        ("+fb+", None, CampaignClass("social", "facebook", "utm")),
    ],
)
def test_utm_parameters_decide_the_channel(source: str, medium: str | None, expected: CampaignClass) -> None:
    assert classify_campaign(source, medium, None) == expected


@pytest.mark.parametrize(
    ("click_id", "expected"),
    [
        ("gclid", CampaignClass("paid_search", "google", "click_id")),
        ("GCLID", CampaignClass("paid_search", "google", "click_id")),
        ("wbraid", CampaignClass("paid_search", "google", "click_id")),
        ("msclkid", CampaignClass("paid_search", "bing", "click_id")),
        ("dclid", CampaignClass("paid_other", "google", "click_id")),
        ("fbclid", CampaignClass("social", "facebook", "click_id")),
        ("igshid", CampaignClass("social", "instagram", "click_id")),
        ("twclid", CampaignClass("social", "x", "click_id")),
        ("epik", CampaignClass("social", "pinterest", "click_id")),
        ("li_fat_id", CampaignClass("social", "linkedin", "click_id")),
        ("ttclid", CampaignClass("social", "tiktok", "click_id")),
        ("rdt_cid", CampaignClass("social", "reddit", "click_id")),
    ],
)
def test_click_ids_decide_when_there_are_no_utm_parameters(click_id: str, expected: CampaignClass) -> None:
    assert classify_campaign(None, None, click_id) == expected


def test_utm_parameters_win_over_a_click_id() -> None:
    assert classify_campaign("newsletter", "email", "fbclid") == CampaignClass("email", None, "utm")


def test_unrecognised_utm_falls_back_to_the_click_id() -> None:
    assert classify_campaign("spring", None, "gclid").channel == "paid_search"


def test_unrecognised_utm_leaves_the_channel_open_with_utm_evidence() -> None:
    assert classify_campaign("spring-launch", "qr", None) == CampaignClass(None, None, "utm")


def test_no_campaign_parameters_is_no_evidence() -> None:
    assert classify_campaign(None, None, None) == NO_CAMPAIGN
    assert classify_campaign("", "  ", "") == NO_CAMPAIGN
    assert classify_campaign(None, None, "notaclickid") == NO_CAMPAIGN


@given(st.text(), st.text(), st.text())
def test_classify_campaign_never_raises(source: str, medium: str, click_id: str) -> None:
    found = classify_campaign(source, medium, click_id)
    assert found.evidence in {"utm", "click_id", "none"}
