"""One user agent at a time: bots (including social link-preview bots) and in-app browsers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialseo.classify.useragents import OTHER_BOT, classify_user_agent

CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UD1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot"),
        (
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 "
            "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Googlebot",
        ),
        ("Googlebot-Image/1.0", "Googlebot-Image"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot"),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "AhrefsBot"),
        ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "SemrushBot"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebookexternalhit"),
        ("Twitterbot/1.0", "Twitterbot"),
        (
            "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
            "LinkedInBot",
        ),
        ("Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)", "Pinterestbot"),
        ("python-requests/2.32.3", "python-requests"),
        ("curl/8.5.0", "curl"),
        ("Wget/1.21.4", "Wget"),
        ("Go-http-client/2.0", "Go-http-client"),
        ("Scrapy/2.11.2 (+https://scrapy.org)", "Scrapy"),
        (CHROME.replace("Chrome/", "HeadlessChrome/"), "HeadlessChrome"),
        (
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            "GPTBot",
        ),
    ],
)
def test_known_bots_are_named(user_agent: str, name: str) -> None:
    found = classify_user_agent(user_agent)
    assert (found.is_bot, found.bot_name, found.inapp_platform) == (True, name, None)


def test_googlebot_is_a_bot() -> None:
    assert classify_user_agent(
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    ).is_bot


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; SomeNewCrawler/0.1)",
        "Mozilla/5.0 (compatible; examplebot/3.0)",
        "FeedReader 1.0 (https://reader.example.net/about)",
        "Fetcher/1.0 (ops@example.net)",
    ],
)
def test_unknown_automated_clients_are_other_bots(user_agent: str) -> None:
    assert classify_user_agent(user_agent).bot_name == OTHER_BOT


@pytest.mark.parametrize(
    "user_agent",
    [
        CHROME,
        IPHONE,
        ANDROID,
        "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 Chrome/90.0 Mobile",
    ],
)
def test_browsers_are_not_bots(user_agent: str) -> None:
    assert classify_user_agent(user_agent) == classify_user_agent(None)
    assert not classify_user_agent(user_agent).is_bot


@pytest.mark.parametrize(
    ("user_agent", "platform"),
    [
        (
            IPHONE
            + " [FBAN/FBIOS;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/en_US]",
            "facebook",
        ),
        (ANDROID + " [FB_IAB/FB4A;FBAV/458.0.0.54.108;]", "facebook"),
        (
            IPHONE
            + " Instagram 326.0.3.17.91 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532; 585196636)",
            "instagram",
        ),
        (
            ANDROID + " Instagram 326.0.0.42.90 Android (34/14; 420dpi; 1080x2400; Google; Pixel 8)",
            "instagram",
        ),
        (IPHONE + " LinkedInApp/9.29.8127", "linkedin"),
        (IPHONE + " [Pinterest/iOS]", "pinterest"),
        (ANDROID + " [Pinterest/Android]", "pinterest"),
        (
            IPHONE + " musical_ly_34.1.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US",
            "tiktok",
        ),
        (ANDROID + " trill_340103 BytedanceWebview/d8a21c6", "tiktok"),
        (IPHONE + " Twitter for iPhone/10.40", "x"),
        ("TwitterAndroid/10.40.0-release.0 (310400000-r-0) Pixel 8/14", "x"),
        (IPHONE + " Snapchat/13.2.0.43 (like Safari/8617.2.4.10.8, panda)", "snapchat"),
        (IPHONE + " Barcelona 326.0.0.31.109 (iPhone14,5; iOS 17_4; en_US; en)", "threads"),
    ],
)
def test_in_app_browsers_name_their_platform(user_agent: str, platform: str) -> None:
    found = classify_user_agent(user_agent)
    assert (found.is_bot, found.inapp_platform) == (False, platform)


def test_instagram_word_alone_is_not_the_in_app_browser() -> None:
    assert classify_user_agent("Mozilla/5.0 (compatible) InstagramFan").inapp_platform is None


@pytest.mark.parametrize("user_agent", [None, "", "-", "   "])
def test_missing_user_agent_is_neither_bot_nor_in_app(user_agent: str | None) -> None:
    found = classify_user_agent(user_agent)
    assert (found.is_bot, found.bot_name, found.inapp_platform) == (False, None, None)


@given(st.text())
def test_classify_user_agent_never_raises_on_arbitrary_text(text: str) -> None:
    found = classify_user_agent(text)
    assert found.is_bot == (found.bot_name is not None)
    assert not (found.is_bot and found.inapp_platform)
