"""One referrer at a time: shorteners, wrappers, app referrers, search engines, webmail, internal, garbage."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialseo.classify.referrers import NO_REFERRER, classify_referrer

SITE = ["example.com"]


@pytest.mark.parametrize(
    ("referrer", "platform"),
    [
        ("https://t.co/", "x"),
        ("https://lnkd.in/", "linkedin"),
        ("https://fb.me/", "facebook"),
        ("https://pin.it/", "pinterest"),
        ("https://redd.it/", "reddit"),
        ("https://youtu.be/", "youtube"),
        ("https://l.facebook.com/", "facebook"),
        ("https://lm.facebook.com/", "facebook"),
        ("https://l.instagram.com/", "instagram"),
        ("https://out.reddit.com/", "reddit"),
        ("https://vm.tiktok.com/", "tiktok"),
        ("https://l.threads.net/", "threads"),
        ("https://go.bsky.app/", "bluesky"),
    ],
)
def test_shortener_and_wrapper_referrers_are_social_with_shortener_evidence(
    referrer: str, platform: str
) -> None:
    found = classify_referrer(referrer, SITE)
    assert (found.channel, found.platform, found.evidence) == ("social", platform, "shortener")


def test_tco_referrer_without_target_is_x_social() -> None:
    found = classify_referrer("http://t.co/chrgFZDb", SITE)
    assert (found.channel, found.platform, found.host) == ("social", "x", "t.co")


def test_facebook_outbound_wrapper_with_target_url_is_facebook() -> None:
    found = classify_referrer("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2F&h=AT0", SITE)
    assert (found.channel, found.platform) == ("social", "facebook")


@pytest.mark.parametrize(
    ("referrer", "platform"),
    [
        ("https://www.facebook.com/", "facebook"),
        ("https://m.facebook.com/groups/123", "facebook"),
        ("https://www.instagram.com/", "instagram"),
        ("https://twitter.com/someone/status/1", "x"),
        ("https://x.com/", "x"),
        ("https://www.linkedin.com/feed/", "linkedin"),
        ("https://de.pinterest.com/pin/1/", "pinterest"),
        ("https://www.pinterest.co.uk/", "pinterest"),
        ("https://old.reddit.com/r/python/", "reddit"),
        ("https://www.youtube.com/watch?v=abc", "youtube"),
        ("https://www.tiktok.com/@someone", "tiktok"),
        ("https://psychicbazaar.tumblr.com/", "tumblr"),
        ("https://news.ycombinator.com/item?id=1", "hacker_news"),
        ("https://fosstodon.org/@someone", "mastodon"),
    ],
)
def test_platform_hosts_and_their_subdomains_are_social(referrer: str, platform: str) -> None:
    found = classify_referrer(referrer, SITE)
    assert (found.channel, found.platform, found.evidence) == ("social", platform, "referrer_host")


@pytest.mark.parametrize(
    ("referrer", "channel", "platform"),
    [
        ("android-app://com.linkedin.android", "social", "linkedin"),
        ("android-app://com.twitter.android", "social", "x"),
        ("android-app://com.facebook.katana", "social", "facebook"),
        ("android-app://com.instagram.android", "social", "instagram"),
        ("android-app://com.pinterest", "social", "pinterest"),
        ("android-app://com.reddit.frontpage", "social", "reddit"),
        ("android-app://com.google.android.youtube", "social", "youtube"),
        ("android-app://com.zhiliaoapp.musically", "social", "tiktok"),
        ("android-app://com.google.android.googlequicksearchbox", "organic_search", "google"),
        (
            "android-app://com.google.android.googlequicksearchbox/https/www.google.com",
            "organic_search",
            "google",
        ),
        ("android-app://com.google.android.gm", "email", "gmail"),
        ("android-app://com.microsoft.office.outlook", "email", "outlook"),
    ],
)
def test_android_app_referrers_are_app_referrer_evidence(referrer: str, channel: str, platform: str) -> None:
    found = classify_referrer(referrer, SITE)
    assert (found.channel, found.platform, found.evidence) == (channel, platform, "app_referrer")


def test_unknown_android_app_is_a_referral_from_that_app() -> None:
    found = classify_referrer("android-app://org.example.reader/", SITE)
    assert (found.channel, found.evidence, found.host) == ("referral", "app_referrer", "org.example.reader")


def test_a_path_containing_facebook_is_not_facebook() -> None:
    found = classify_referrer("https://blog.example.org/why-facebook.com-is-down?ref=facebook", SITE)
    assert (found.channel, found.platform, found.host) == ("referral", None, "blog.example.org")


def test_a_host_merely_containing_a_platform_name_is_not_that_platform() -> None:
    assert classify_referrer("https://facebook.com.evil.example/", SITE).channel == "referral"
    assert classify_referrer("https://notfacebook.com/", SITE).channel == "referral"
    assert classify_referrer("https://t.co.example.net/", SITE).channel == "referral"


@pytest.mark.parametrize(
    "referrer", ["https://example.com/a", "https://www.example.com/b", "http://EXAMPLE.com:8080/"]
)
def test_self_referral_on_www_and_non_www_is_internal(referrer: str) -> None:
    found = classify_referrer(referrer, SITE)
    assert (found.channel, found.evidence) == ("internal", "internal")


def test_site_given_with_www_makes_the_bare_host_internal_too() -> None:
    assert classify_referrer("https://example.com/", ["https://www.example.com/"]).channel == "internal"


def test_other_subdomains_of_the_site_are_not_internal() -> None:
    assert classify_referrer("https://blog.example.com/", SITE).channel == "referral"


@pytest.mark.parametrize(
    ("referrer", "engine"),
    [
        ("https://www.google.com/", "google"),
        ("https://www.google.co.uk/search?q=x", "google"),
        ("https://www.google.com.br/", "google"),
        ("https://news.google.com/", "google"),
        ("https://www.bing.com/search?q=x", "bing"),
        ("https://cn.bing.com/", "bing"),
        ("https://duckduckgo.com/", "duckduckgo"),
        ("https://yandex.ru/search/?text=x", "yandex"),
        ("https://es.search.yahoo.com/search", "yahoo"),
        ("https://www.ecosia.org/search?q=x", "ecosia"),
    ],
)
def test_search_engine_hosts_are_organic_search(referrer: str, engine: str) -> None:
    found = classify_referrer(referrer, SITE)
    assert (found.channel, found.platform, found.evidence) == ("organic_search", engine, "referrer_host")


@pytest.mark.parametrize(
    "referrer",
    ["https://docs.google.com/document/d/1", "https://sites.google.com/view/x", "https://disk.yandex.ru/"],
)
def test_other_services_of_search_companies_are_referrals(referrer: str) -> None:
    assert classify_referrer(referrer, SITE).channel == "referral"


@pytest.mark.parametrize(
    ("referrer", "provider"),
    [
        ("https://mail.google.com/mail/u/0/", "gmail"),
        ("https://outlook.live.com/mail/0/inbox", "outlook"),
        ("https://mail.yahoo.com/d/folders/1", "yahoo_mail"),
        ("https://mail.yandex.ru/", "yandex_mail"),
        ("https://deref-gmx.net/mail/client/x/dereferrer/", "gmx"),
    ],
)
def test_webmail_hosts_are_email_even_under_a_search_engine_domain(referrer: str, provider: str) -> None:
    found = classify_referrer(referrer, SITE)
    assert (found.channel, found.platform) == ("email", provider)


def test_a_webmail_first_label_on_an_unknown_host_is_email() -> None:
    assert classify_referrer("https://webmail.some-isp.net/", SITE).channel == "email"
    assert classify_referrer("https://mail.ru/", SITE).channel == "referral"


def test_ad_server_redirect_is_paid() -> None:
    found = classify_referrer("https://www.googleadservices.com/pagead/aclk?sa=L", SITE)
    assert (found.channel, found.platform) == ("paid_search", "google")


def test_a_referrer_without_scheme_is_read_as_a_host() -> None:
    assert classify_referrer("www.google.com/search", SITE).channel == "organic_search"


@pytest.mark.parametrize(
    "referrer",
    [None, "", "-", "   ", "(none)", "about:blank", "http://", "http:///path", "no referrer here", "\x00"],
)
def test_missing_or_meaningless_referrers_are_no_referrer(referrer: str | None) -> None:
    assert classify_referrer(referrer, SITE) == NO_REFERRER


def test_latin1_and_undecodable_bytes_do_not_crash() -> None:
    decoded = b"http://www.caf\xe9.fr/men\xfc".decode("latin-1")
    assert classify_referrer(decoded, SITE).host == "www.caf\xe9.fr"
    escaped = b"http://bad\xff\xfe.example/".decode("utf-8", errors="surrogateescape")
    assert classify_referrer(escaped, SITE) == NO_REFERRER


@given(st.text())
def test_classify_referrer_never_raises_on_arbitrary_text(text: str) -> None:
    found = classify_referrer(text, SITE)
    assert (found.channel is None) == (found.host is None)


@given(st.from_regex(r"\Ahttps?://[a-z0-9.-]{1,30}(/[^\s]{0,30})?\Z"))
def test_classify_referrer_never_raises_on_url_shaped_text(text: str) -> None:
    assert classify_referrer(text, SITE).evidence in {"referrer_host", "shortener", "internal", "none"}
