"""The data files: their headers name their sources, and Matomo's lists survive the derivation intact.

tests/data/matomo holds Matomo's CC0 lists as of the commit recorded in its SOURCE.txt.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from socialseo.classify import catalog
from socialseo.classify.referrers import classify_referrer

MATOMO = Path(__file__).resolve().parents[1] / "data" / "matomo"
DATA_FILES = ["platforms", "search_engines", "email", "paid", "bots", "tracking_params"]

# Left out on purpose, as the headers of platforms.yaml and search_engines.yaml explain.
SOCIAL_LEFT_OUT = {"login.live.com", "url.google.com"}
SEARCH_ENGINES_LEFT_OUT = {
    "Facebook",
    "MySpace",
    "Digg",
    "dmoz",
    "FriendFeed",
    "Google Maps",
    "Google Translations",
    "Mister Wong",
    "Meinestadt.de",
    "Alexa",
    "Skynet",
    "TalkTalk",
    "Arcor",
    "Charter",
    "ICQ",
    "Online.no",
    "Kataweb",
    "ChatGPT",
    "Perplexity",
    "You",
}
SEARCH_HOSTS_LEFT_OUT = {
    "www.cnn.com",
    "www.fastweb.it",
    "msnbc.msn.com",
    "dizionario.it.msn.com",
    "enciclopedia.it.msn.com",
    "tieba.baidu.com",
    "www.so-net.ne.jp",
    "you.com",
    "www.perplexity.ai",
    "chatgpt.com",
    "chat.openai.com",
}
_PACKAGE = re.compile(r"(com|org)\.[a-z0-9.]+|linkedin\.android")


def _text(name: str) -> str:
    return resources.files("socialseo.classify").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")


def _matomo_commit() -> str:
    found = re.search(r"commit: ([0-9a-f]{40})", (MATOMO / "SOURCE.txt").read_text(encoding="utf-8"))
    assert found
    return found[1]


@pytest.mark.parametrize("name", DATA_FILES)
def test_every_data_file_opens_with_a_header_naming_its_sources(name: str) -> None:
    header = _text(name).split("\n\n")[0]
    assert header.startswith("# ")
    assert re.search(r"^# Sources?:", _text(name), re.MULTILINE), name


@pytest.mark.parametrize("name", ["platforms", "search_engines"])
def test_files_derived_from_matomo_record_its_commit(name: str) -> None:
    assert _matomo_commit() in _text(name)


def test_every_matomo_social_host_is_social() -> None:
    socials = yaml.safe_load((MATOMO / "Socials.yml").read_text(encoding="utf-8"))
    hosts = [
        h for hs in socials.values() for h in hs if h not in SOCIAL_LEFT_OUT and not _PACKAGE.fullmatch(h)
    ]
    assert len(hosts) > 200
    wrong = [h for h in hosts if classify_referrer(f"https://{h}/", ()).channel != "social"]
    assert wrong == []


def test_every_matomo_social_app_is_a_social_app_referrer() -> None:
    apps = [p for platform in catalog.platforms().values() for p in platform.apps]
    for package in (
        "com.reddit.frontpage",
        "com.linkedin.android",
        "com.snapchat.android",
        "org.telegram.messenger",
        "org.joinmastodon.android",
        "com.google.android.apps.plus",
    ):
        assert package in apps
        assert classify_referrer(f"android-app://{package}", ()).channel == "social"


def _concrete(pattern: str) -> str:
    """A real host a Matomo pattern stands for: google.{}/imgres gives google.de, {}.bing.com de.bing.com."""
    return pattern.split("/")[0].replace("{}", "de")


def test_every_matomo_search_host_kept_is_organic_search() -> None:
    engines = yaml.safe_load((MATOMO / "SearchEngines.yml").read_text(encoding="utf-8"))
    hosts = [
        _concrete(url)
        for name, entries in engines.items()
        if name not in SEARCH_ENGINES_LEFT_OUT
        for entry in entries
        for url in entry["urls"]
        if not url.startswith(("android-app", "com.")) and url.split("/")[0] not in SEARCH_HOSTS_LEFT_OUT
    ]
    assert len(hosts) > 550
    wrong = [h for h in hosts if classify_referrer(f"https://{h}/", ()).channel != "organic_search"]
    assert wrong == []


def test_no_host_belongs_to_two_platforms() -> None:
    seen: dict[str, str] = {}
    for platform in catalog.platforms().values():
        for host in platform.domains + platform.shorteners:
            assert seen.setdefault(host, platform.id) == platform.id, host


def test_every_click_id_is_also_stripped_from_page_keys() -> None:
    _, names = catalog.tracking_params()
    assert set(catalog.click_ids()) <= set(names)
    assert {
        "fbclid",
        "gclid",
        "msclkid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "twclid",
        "epik",
        "rdt_cid",
    } <= set(names)
