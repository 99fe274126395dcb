"""Attribute one hit to a channel, combining what its URL, referrer and user agent say.

Precedence (see docs/attribution.md for the reasons), as Matomo and GA4 apply it:

1. campaign parameters: utm_* first, then click ids (``gclid``, ``fbclid`` ...); within the utm tags a paid
   medium first, then an AI assistant's utm_source (``chatgpt.com``) or GA4's ``ai-assistant`` medium, then the
   other mediums and sources;
2. internal: the referrer is one of the site's own hosts or its www/non-www twin;
3. the referrer's host: an AI assistant (its hosts, path rules such as ``x.com/i/grok`` and Android apps, as
   GA4 evaluates AI Assistant before Organic Social, Organic Search, Email and Referral), then a search engine,
   then a social platform (its domains, shorteners and Android apps), then webmail, then an ad server, then any
   other site (``referral``);
4. dark social, when there is no referrer: a social platform's in-app browser;
5. campaign parameters that named no known channel: ``referral``;
6. nothing: ``direct`` with evidence ``none`` (the report calls it "no referrer").

Whether the client is a bot is reported beside the channel, never instead of it.

:func:`combine` holds the precedence and is the one place it is written: :func:`attribute` calls it for one
hit, :func:`socialseo.classify.bulk.attribute_relation` for each distinct combination in a table, and
:func:`attribute_source_medium` for a source/medium pair an analytics tool reports (GA4), so the same
source/medium gets the same channel whether it came in a log's landing URL or in an analytics export.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from socialseo.classify.campaigns import CampaignClass, classify_campaign
from socialseo.classify.channels import Channel, Evidence
from socialseo.classify.referrers import ReferrerClass, classify_referrer
from socialseo.classify.urls import campaign_key
from socialseo.classify.useragents import UserAgentClass, classify_user_agent


@dataclass(frozen=True)
class Attribution:
    """Where a hit came from and how we know.

    ``platform`` names the source within the channel: a social platform id (``facebook``), a search engine
    (``google``), an email provider (``gmail``) or an ad network; None when unknown or not applicable.
    """

    channel: Channel
    platform: str | None
    evidence: Evidence
    is_bot: bool
    bot_name: str | None


def combine(campaign: CampaignClass, referrer: ReferrerClass, user_agent: UserAgentClass) -> Attribution:
    """Apply the precedence to the three component classifications of one hit."""
    channel: Channel
    platform: str | None
    evidence: Evidence
    if campaign.channel is not None:
        channel, platform, evidence = campaign.channel, campaign.platform, campaign.evidence
    elif referrer.channel is not None:
        channel, platform, evidence = referrer.channel, referrer.platform, referrer.evidence
    elif user_agent.inapp_platform is not None:
        channel, platform, evidence = "social", user_agent.inapp_platform, "ua_inapp"
    elif campaign.evidence == "utm":
        channel, platform, evidence = "referral", None, "utm"
    else:
        channel, platform, evidence = "direct", None, "none"
    return Attribution(channel, platform, evidence, user_agent.is_bot, user_agent.bot_name)


def attribute(
    referrer: str | None, user_agent: str | None, url: str | None, site_hosts: Sequence[str]
) -> Attribution:
    """Attribute one hit.

    ``url`` is the landing URL or the logged request target (``/path?query``); ``site_hosts`` are the site's
    own hosts (``example.com``; the www/non-www twin is implied).

    >>> attribute("https://t.co/", "Mozilla/5.0", "/post", ["example.com"])
    Attribution(channel='social', platform='x', evidence='shortener', is_bot=False, bot_name=None)
    >>> attribute(None, "Mozilla/5.0", "/post?fbclid=IwAR0abc", ["example.com"]).platform
    'facebook'
    """
    key = campaign_key(url)
    return combine(
        classify_campaign(key.utm_source, key.utm_medium, key.click_id),
        classify_referrer(referrer, site_hosts),
        classify_user_agent(user_agent),
    )


def attribute_source_medium(source: str | None, medium: str | None, referrer: str | None = None) -> Attribution:
    """Attribute a visit known only by its decoded source and medium (and, where the tool says it, the referrer),
    through the same precedence as a hit whose landing URL carries them as ``utm_source``/``utm_medium``.

    >>> attribute_source_medium("newsletter", "email").channel
    'email'
    >>> attribute_source_medium(None, None, "https://m.facebook.com/").platform
    'facebook'
    """
    # The values arrive decoded; classify_campaign decodes what it is given, so they go back to URL form first.
    return combine(
        classify_campaign(quote(source or "", safe=""), quote(medium or "", safe=""), None),
        classify_referrer(referrer, ()),
        classify_user_agent(None),
    )
