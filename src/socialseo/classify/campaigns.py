"""Classify one campaign key: the utm_source, utm_medium and click id a landing URL carries.

The rules follow Google Analytics 4's default channel group, read medium first because the medium is the
tagger's explicit statement of the channel:

1. a paid medium (``cpc``, ``ppc``, ``paid*``, ``display`` ...; ``data/paid.yaml``) is ``paid_social`` when
   the source is a social platform, ``paid_search`` when it is a search engine, else ``paid_other``;
2. an email medium (``email``, ``newsletter`` ...) is ``email``; a social medium (``social``, ``sm``,
   ``social-network`` ...) is ``social``; ``organic`` is ``organic_search``; ``referral``, ``link``, ``app``
   or ``affiliate`` is ``referral`` (the spellings live in the data files);
3. otherwise the source decides: a social platform's spelling (``fb``, ``t.co``, ``linkedin``) is ``social``,
   a search engine's is ``organic_search``, an email spelling is ``email``;
4. a utm_source or utm_medium that none of this recognises leaves the channel open (evidence ``utm``), so the
   referrer can still decide; with nothing else to go on the visit is a ``referral``;
5. without utm parameters, a click id decides (``gclid`` is ``paid_search``, ``fbclid`` is ``social``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from socialseo.classify import assistants, catalog
from socialseo.classify.channels import Channel, Evidence
from socialseo.classify.urls import decode_param


@dataclass(frozen=True)
class CampaignClass:
    """What the campaign parameters say; ``channel`` None with evidence ``utm`` means tagged, unrecognised."""

    channel: Channel | None
    platform: str | None
    evidence: Evidence


NO_CAMPAIGN = CampaignClass(None, None, "none")


@lru_cache(maxsize=65536)
def classify_campaign(utm_source: str | None, utm_medium: str | None, click_id: str | None) -> CampaignClass:
    """Classify raw (still URL-encoded) utm_source and utm_medium values and a click-id parameter name.

    >>> classify_campaign("newsletter", "email", None)
    CampaignClass(channel='email', platform=None, evidence='utm')
    >>> classify_campaign(None, None, "gclid")
    CampaignClass(channel='paid_search', platform='google', evidence='click_id')
    >>> classify_campaign("spring_sale", "cpc", "msclkid")
    CampaignClass(channel='paid_search', platform='bing', evidence='utm')
    """
    source = decode_param(utm_source or "")
    medium = decode_param(utm_medium or "")
    known = catalog.click_ids().get((click_id or "").lower())
    if source or medium:
        found = _from_utm(source, medium)
        # utm says paid but names no network (utm_source=spring_sale): a search engine's ad click id says which
        if found.channel == "paid_other" and known is not None and known.channel == "paid_search":
            return CampaignClass("paid_search", known.platform, "utm")
        if found.channel is not None:
            return found
    if known is not None:
        return CampaignClass(known.channel, known.platform, "click_id")
    return CampaignClass(None, None, "utm") if source or medium else NO_CAMPAIGN


def _from_utm(source: str, medium: str) -> CampaignClass:
    social = catalog.social_utm_sources().get(source)
    search = catalog.search_utm_sources().get(source)
    email_mediums, email_sources = catalog.email_utm()
    if medium and catalog.paid_medium().fullmatch(medium):
        if social is not None or "social" in medium:
            return CampaignClass("paid_social", social, "utm")
        if search is not None or "search" in medium:
            return CampaignClass("paid_search", search, "utm")
        return CampaignClass("paid_other", None, "utm")
    if (assistant := assistants.from_utm(source, medium)) is not None:
        return CampaignClass("ai_assistant", assistant or None, "utm")
    if medium in email_mediums:
        return CampaignClass("email", None, "utm")
    if medium in catalog.social_utm_mediums():
        return CampaignClass("social", social, "utm")
    if medium in catalog.organic_utm_mediums():
        return CampaignClass("organic_search", search, "utm")
    if medium in catalog.referral_utm_mediums():
        return CampaignClass("referral", None, "utm")
    if social is not None:
        return CampaignClass("social", social, "utm")
    if search is not None:
        return CampaignClass("organic_search", search, "utm")
    if source in email_sources:
        return CampaignClass("email", None, "utm")
    return CampaignClass(None, None, "utm")
