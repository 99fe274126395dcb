"""Whole hits: the precedence between campaign parameters, referrer and user agent."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from socialseo.classify.attribution import Attribution, attribute
from socialseo.classify.channels import CHANNELS, EVIDENCE

SITE = ["example.com"]
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0"
INSTAGRAM_APP = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 Instagram 326.0.3.17.91 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532)"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_in_app_user_agent_without_referrer_is_social_by_ua_inapp() -> None:
    assert attribute(None, INSTAGRAM_APP, "/post", SITE) == Attribution(
        "social", "instagram", "ua_inapp", False, None
    )


def test_fbclid_without_referrer_is_facebook_social_by_click_id() -> None:
    assert attribute(None, BROWSER, "/post?fbclid=IwAR0abc", SITE) == Attribution(
        "social", "facebook", "click_id", False, None
    )


def test_newsletter_email_utm_is_email() -> None:
    found = attribute(None, BROWSER, "/p?utm_source=newsletter&utm_medium=email", SITE)
    assert (found.channel, found.evidence) == ("email", "utm")


def test_googlebot_is_flagged_as_a_bot_and_still_attributed() -> None:
    found = attribute("-", GOOGLEBOT, "/", SITE)
    assert (found.is_bot, found.bot_name, found.channel, found.evidence) == (
        True,
        "Googlebot",
        "direct",
        "none",
    )


def test_google_app_referrer_is_organic_search() -> None:
    found = attribute("android-app://com.google.android.googlequicksearchbox", BROWSER, "/", SITE)
    assert (found.channel, found.platform, found.evidence) == ("organic_search", "google", "app_referrer")


def test_gclid_is_paid_search_even_with_a_google_referrer() -> None:
    found = attribute("https://www.google.com/", BROWSER, "/landing?gclid=Cj0KCQ", SITE)
    assert (found.channel, found.platform, found.evidence) == ("paid_search", "google", "click_id")


def test_utm_beats_the_referrer() -> None:
    found = attribute("https://www.facebook.com/", BROWSER, "/p?utm_source=newsletter&utm_medium=email", SITE)
    assert found.channel == "email"


def test_campaign_parameters_beat_an_internal_referrer() -> None:
    found = attribute("https://www.example.com/", BROWSER, "/p?utm_source=fb&utm_medium=social", SITE)
    assert (found.channel, found.platform) == ("social", "facebook")


def test_internal_referrer_beats_an_in_app_user_agent() -> None:
    found = attribute("https://example.com/previous", INSTAGRAM_APP, "/next", SITE)
    assert (found.channel, found.evidence) == ("internal", "internal")


def test_a_referrer_beats_the_in_app_user_agent() -> None:
    found = attribute("https://news.example.org/story", INSTAGRAM_APP, "/p", SITE)
    assert (found.channel, found.platform) == ("referral", None)


def test_unrecognised_utm_defers_to_the_referrer() -> None:
    found = attribute("https://t.co/abc", BROWSER, "/p?utm_source=spring-launch", SITE)
    assert (found.channel, found.platform, found.evidence) == ("social", "x", "shortener")


def test_unrecognised_utm_without_referrer_is_a_referral_by_utm() -> None:
    found = attribute(None, BROWSER, "/p?utm_source=spring-launch", SITE)
    assert (found.channel, found.evidence) == ("referral", "utm")


def test_no_referrer_and_no_evidence_is_direct_with_evidence_none() -> None:
    assert attribute(None, BROWSER, "/", SITE) == Attribution("direct", None, "none", False, None)
    assert attribute("-", BROWSER, None, SITE).channel == "direct"


def test_facebook_link_preview_bot_is_a_bot_not_a_social_visit() -> None:
    found = attribute(
        None, "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "/", SITE
    )
    assert (found.is_bot, found.channel) == (True, "direct")


@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_attribute_never_raises_on_arbitrary_text(
    referrer: str | None, agent: str | None, url: str | None
) -> None:
    found = attribute(referrer, agent, url, SITE)
    assert found.channel in CHANNELS
    assert found.evidence in EVIDENCE
