"""How a visit arrives: the referrer, the browser and the landing-URL parameters of each entry form.

Each channel and source has several *forms*, in the proportions real logs show: X visits come as ``t.co``
short links, as the Android app's ``android-app://`` referrer, or with nothing but a ``twclid`` or the Twitter
in-app browser to tell where they came from. The forms never contradict themselves (an Instagram visit never
carries a Facebook ``fbclid``), so the truth has exactly one right answer for every session.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from socialseo.demo.platforms import BY_NAME

SOCIAL, ORGANIC, EMAIL, REFERRAL, DIRECT, INTERNAL, AI_ASSISTANT = (
    "social",
    "organic_search",
    "email",
    "referral",
    "direct",
    "internal",
    "ai_assistant",
)
CHANNELS: tuple[str, ...] = (SOCIAL, ORGANIC, EMAIL, REFERRAL, DIRECT, INTERNAL, AI_ASSISTANT)


@dataclass(frozen=True)
class EntryForm:
    """One way of arriving.

    ``referrer`` is a template (empty = no referrer, logged as ``-``) with ``{tok}`` (a random code),
    ``{enc}`` (the landing URL, percent-encoded) and ``{b36}`` (a Reddit id). ``device`` says which browser
    can produce it: ``any`` browser, an ``android`` one (``android-app://`` referrers), or the platform's
    ``inapp`` browser.
    ``param`` names the landing-URL parameter added with probability ``param_probability``.
    """

    key: str
    channel: str
    source: str
    referrer: str
    device: str
    param: str
    param_probability: float
    weight: float

    @property
    def external_referrer(self) -> bool:
        """True when the landing hit carries a referrer from another site."""
        return bool(self.referrer)


def _f(
    channel: str,
    source: str,
    name: str,
    referrer: str,
    device: str = "any",
    param: str = "",
    param_probability: float = 0.0,
    weight: float = 1.0,
) -> EntryForm:
    return EntryForm(f"{source}/{name}", channel, source, referrer, device, param, param_probability, weight)


_S = SOCIAL
SOCIAL_FORMS: dict[str, tuple[EntryForm, ...]] = {
    "facebook": (
        _f(
            _S,
            "facebook",
            "l.php",
            "https://l.facebook.com/l.php?u={enc}&h=AT{tok}",
            "any",
            "fbclid",
            0.9,
            0.16,
        ),
        _f(
            _S,
            "facebook",
            "lm.php",
            "https://lm.facebook.com/l.php?u={enc}&h=AT{tok}",
            "any",
            "fbclid",
            0.9,
            0.10,
        ),
        _f(_S, "facebook", "l", "https://l.facebook.com/", "any", "fbclid", 0.7, 0.12),
        _f(_S, "facebook", "m", "https://m.facebook.com/", "any", "fbclid", 0.5, 0.12),
        _f(_S, "facebook", "www", "https://www.facebook.com/", "any", "utm", 0.3, 0.14),
        _f(_S, "facebook", "inapp-fbclid", "", "inapp", "fbclid", 1.0, 0.10),
        _f(_S, "facebook", "inapp", "", "inapp", "", 0.0, 0.10),
        _f(_S, "facebook", "fbclid", "", "any", "fbclid", 1.0, 0.08),
        _f(_S, "facebook", "utm", "", "any", "utm", 1.0, 0.08),
    ),
    "x": (
        _f(_S, "x", "t.co", "https://t.co/{tok}", "any", "utm", 0.35, 0.42),
        _f(_S, "x", "android", "android-app://com.twitter.android/", "android", "", 0.0, 0.12),
        _f(_S, "x", "x.com", "https://x.com/", "any", "", 0.0, 0.08),
        _f(_S, "x", "inapp", "", "inapp", "", 0.0, 0.13),
        _f(_S, "x", "twclid", "", "any", "twclid", 1.0, 0.12),
        _f(_S, "x", "utm", "", "any", "utm", 1.0, 0.13),
    ),
    "instagram": (
        _f(_S, "instagram", "www", "https://www.instagram.com/", "any", "utm", 0.3, 0.25),
        _f(_S, "instagram", "l", "https://l.instagram.com/", "any", "utm", 0.3, 0.25),
        _f(_S, "instagram", "inapp", "", "inapp", "", 0.0, 0.35),
        _f(_S, "instagram", "utm", "", "any", "utm", 1.0, 0.15),
    ),
    "linkedin": (
        _f(_S, "linkedin", "android", "android-app://com.linkedin.android/", "android", "", 0.0, 0.20),
        _f(_S, "linkedin", "www", "https://www.linkedin.com/", "any", "utm", 0.3, 0.30),
        _f(_S, "linkedin", "lnkd.in", "https://lnkd.in/{tok}", "any", "utm", 0.3, 0.15),
        _f(_S, "linkedin", "inapp", "", "inapp", "", 0.0, 0.15),
        _f(_S, "linkedin", "li_fat_id", "", "any", "li_fat_id", 1.0, 0.10),
        _f(_S, "linkedin", "utm", "", "any", "utm", 1.0, 0.10),
    ),
    "pinterest": (
        _f(_S, "pinterest", "www", "https://www.pinterest.com/", "any", "utm", 0.2, 0.45),
        _f(_S, "pinterest", "pin.it", "https://pin.it/{tok}", "any", "", 0.0, 0.15),
        _f(_S, "pinterest", "inapp", "", "inapp", "", 0.0, 0.25),
        _f(_S, "pinterest", "utm", "", "any", "utm", 1.0, 0.15),
    ),
    "reddit": (
        _f(
            _S,
            "reddit",
            "post",
            "https://www.reddit.com/r/{sub}/comments/{b36}/{slug}/",
            "any",
            "",
            0.0,
            0.35,
        ),
        _f(
            _S, "reddit", "out", "https://out.reddit.com/t3_{b36}?url={enc}&token={tok}", "any", "", 0.0, 0.25
        ),
        _f(_S, "reddit", "www", "https://www.reddit.com/", "any", "", 0.0, 0.25),
        _f(_S, "reddit", "utm", "", "any", "utm", 1.0, 0.15),
    ),
    "youtube": (
        _f(_S, "youtube", "www", "https://www.youtube.com/", "any", "utm", 0.3, 0.55),
        _f(_S, "youtube", "m", "https://m.youtube.com/", "any", "", 0.0, 0.20),
        _f(_S, "youtube", "android", "android-app://com.google.android.youtube/", "android", "", 0.0, 0.15),
        _f(_S, "youtube", "utm", "", "any", "utm", 1.0, 0.10),
    ),
    "tiktok": (
        _f(_S, "tiktok", "www", "https://www.tiktok.com/", "any", "", 0.0, 0.35),
        _f(_S, "tiktok", "inapp", "", "inapp", "", 0.0, 0.30),
        _f(_S, "tiktok", "inapp-ttclid", "", "inapp", "ttclid", 1.0, 0.20),
        _f(_S, "tiktok", "ttclid", "", "any", "ttclid", 1.0, 0.15),
    ),
}

SEARCH_FORMS: dict[str, tuple[EntryForm, ...]] = {
    "google": (
        _f(ORGANIC, "google", "www", "https://www.google.com/", weight=0.9),
        _f(
            ORGANIC,
            "google",
            "app",
            "android-app://com.google.android.googlequicksearchbox/",
            "android",
            weight=0.1,
        ),
    ),
    "bing": (_f(ORGANIC, "bing", "www", "https://www.bing.com/"),),
    "duckduckgo": (_f(ORGANIC, "duckduckgo", "www", "https://duckduckgo.com/"),),
    "yandex": (_f(ORGANIC, "yandex", "www", "https://yandex.ru/"),),
}
SEARCH_SHARES: dict[str, float] = {"bing": 0.08, "duckduckgo": 0.03, "yandex": 0.01}
"""Sessions from other engines, relative to Google's."""

EMAIL_FORMS: tuple[EntryForm, ...] = (
    _f(
        EMAIL, "email", "gmail-app", "android-app://com.google.android.gm/", "android", "utm_email", 0.5, 0.25
    ),
    _f(EMAIL, "email", "gmail-web", "https://mail.google.com/", "any", "utm_email", 0.5, 0.25),
    _f(EMAIL, "email", "outlook", "https://outlook.live.com/", "any", "utm_email", 0.5, 0.15),
    _f(EMAIL, "email", "utm", "", "any", "utm_email", 1.0, 0.35),
)
REFERRAL_FORMS: tuple[EntryForm, ...] = (
    _f(REFERRAL, "en.wikipedia.org", "www", "https://en.wikipedia.org/", weight=0.20),
    _f(REFERRAL, "www.searchenginejournal.com", "www", "https://www.searchenginejournal.com/", weight=0.20),
    _f(REFERRAL, "moz.com", "www", "https://moz.com/", weight=0.15),
    _f(
        REFERRAL,
        "blog.partner-site.example",
        "post",
        "https://blog.partner-site.example/posts/tools-we-use",
        weight=0.20,
    ),
    _f(REFERRAL, "news.example.org", "www", "https://news.example.org/", weight=0.10),
    _f(
        REFERRAL,
        "forum.example.net",
        "thread",
        "https://forum.example.net/t/social-analytics/8812",
        weight=0.15,
    ),
)
# AI assistants, in the proportions 2026 logs show: ChatGPT first, by its referrer, its utm_source=chatgpt.com
# tag (the chat app sends no referrer) or its Android app; then Perplexity, Gemini, Copilot, Claude, Grok (inside
# x.com, told apart from X only by the path /i/grok) and Deepseek.
_A = AI_ASSISTANT
AI_FORMS: tuple[EntryForm, ...] = (
    _f(_A, "chatgpt", "web", "https://chatgpt.com/", weight=0.30),
    _f(_A, "chatgpt", "utm", "", "any", "utm_chatgpt", 1.0, 0.22),
    _f(_A, "chatgpt", "android", "android-app://com.openai.chatgpt/", "android", weight=0.05),
    _f(_A, "perplexity", "www", "https://www.perplexity.ai/", weight=0.15),
    _f(_A, "gemini", "app", "https://gemini.google.com/", weight=0.10),
    _f(_A, "copilot", "www", "https://copilot.microsoft.com/", weight=0.07),
    _f(_A, "claude", "web", "https://claude.ai/", weight=0.05),
    _f(_A, "grok", "x.com", "https://x.com/i/grok?conversation={tok}", weight=0.03),
    _f(_A, "deepseek", "chat", "https://chat.deepseek.com/", weight=0.03),
)
# The open and newer networks the site does not post on: people share its pages there themselves.
OPEN_SOCIAL_FORMS: tuple[EntryForm, ...] = (
    _f(_S, "bluesky", "bsky.app", "https://bsky.app/", weight=0.20),
    _f(_S, "bluesky", "go.bsky.app", "https://go.bsky.app/redirect?u={enc}", weight=0.08),
    _f(_S, "bluesky", "android", "android-app://xyz.blueskyweb.app/", "android", weight=0.04),
    _f(_S, "threads", "www", "https://www.threads.com/", weight=0.18),
    _f(_S, "threads", "l", "https://l.threads.com/?u={enc}&e=AT{tok}", weight=0.10),
    _f(_S, "mastodon", "mastodon.social", "https://mastodon.social/", weight=0.22),
    _f(_S, "mastodon", "hachyderm.io", "https://hachyderm.io/", weight=0.10),
    _f(_S, "mastodon", "infosec.exchange", "https://infosec.exchange/", weight=0.08),
)
OPEN_SOCIAL: tuple[str, ...] = ("bluesky", "threads", "mastodon")
"""Social platforms whose visits follow page popularity rather than the site's own posts."""
ASSISTANTS: tuple[str, ...] = tuple(dict.fromkeys(f.source for f in AI_FORMS))
DIRECT_FORM = _f(DIRECT, "direct", "none", "")
INTERNAL_FORM = _f(INTERNAL, "internal", "link", "{internal}")

_SUBREDDITS = ("SEO", "marketing", "socialmedia", "analytics", "bigseo")


def all_forms() -> tuple[EntryForm, ...]:
    """Every form, in a fixed order (the order is part of the deterministic output)."""
    forms: list[EntryForm] = []
    for platform_forms in SOCIAL_FORMS.values():
        forms.extend(platform_forms)
    for engine_forms in SEARCH_FORMS.values():
        forms.extend(engine_forms)
    forms.extend(EMAIL_FORMS)
    forms.extend(REFERRAL_FORMS)
    forms.extend((DIRECT_FORM, INTERNAL_FORM))
    forms.extend(AI_FORMS)
    forms.extend(OPEN_SOCIAL_FORMS)
    return tuple(forms)


def render_referrer(form: EntryForm, landing_url: str, token: str, slug: str, internal: str) -> str:
    """The ``Referer`` header of the landing hit, ``-`` when there is none."""
    if not form.referrer:
        return "-"
    return form.referrer.format(
        tok=token[:10] if form.source == "x" else token[:7] if form.source != "facebook" else token,
        enc=quote(landing_url, safe=""),
        b36=token[:7].lower(),
        sub=_SUBREDDITS[len(slug) % len(_SUBREDDITS)],
        slug=slug.replace("-", "_")[:40],
        internal=internal,
    )


def landing_params(form: EntryForm, token: str, campaign: str, week: int) -> str:
    """Query string (without ``?``) that ``form`` puts on the landing URL."""
    if form.param == "fbclid":
        return f"fbclid=IwAR{token}{token[::-1]}"
    if form.param == "ttclid":
        return f"ttclid=E.C.P.{token}{token[:8]}"
    if form.param == "twclid":
        return f"twclid=2-{token[:25].lower()}"
    if form.param == "li_fat_id":
        t = "".join(f"{ord(c) % 16:x}" for c in (token + token[::-1])[:32])
        return f"li_fat_id={t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:32]}"
    if form.param == "utm":
        return f"utm_source={BY_NAME[form.source].utm_source}&utm_medium=social&utm_campaign={campaign}"
    if form.param == "utm_chatgpt":
        return "utm_source=chatgpt.com"
    if form.param == "utm_email":
        return f"utm_source=newsletter&utm_medium=email&utm_campaign=weekly-2026-w{week:02d}"
    return ""
