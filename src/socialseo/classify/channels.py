"""The vocabulary of attribution: channel and evidence names.

Channel names follow Google Analytics 4's default channel group, written in snake case: "Organic Social" is
``social``, "Organic Search" is ``organic_search``, "Paid Search" is ``paid_search``, "Paid Social" is
``paid_social``; GA4's other paid groups (Display, Paid Other, Paid Video, Paid Shopping) are ``paid_other``;
"AI Assistant" (in GA4's default group since May 2026) is ``ai_assistant``.
"No referrer" is not a channel: such a visit is ``direct`` with evidence ``none``.
"""

from __future__ import annotations

from typing import Literal, get_args

Channel = Literal[
    "ai_assistant",
    "social",
    "paid_social",
    "organic_search",
    "paid_search",
    "paid_other",
    "email",
    "referral",
    "internal",
    "direct",
]
"""Where a visit came from."""

Evidence = Literal[
    "utm", "click_id", "internal", "referrer_host", "referrer_path", "referrer_shape",
    "shortener", "app_referrer", "ua_inapp", "none"
]
"""What told us: a campaign parameter, a click id, the referrer's host (or its host and path, as for Grok inside
x.com, or the shape of a post's path on a Mastodon server no list names, or a platform's shortener, or an Android
app referrer), the user agent of a platform's in-app browser, or nothing at all."""

CHANNELS: tuple[Channel, ...] = get_args(Channel)
EVIDENCE: tuple[Evidence, ...] = get_args(Evidence)
