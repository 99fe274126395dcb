"""Where visits come from: URL normalisation, page keys, referrers, platforms, bots and channel attribution.

The facts (platform domains, shorteners, app referrers, in-app browser tokens, click ids, search engines,
webmail hosts, bots, tracking parameters) live in ``classify/data/*.yaml``; see docs/attribution.md.

>>> from socialseo.classify import attribute
>>> attribute("https://lnkd.in/abc", "Mozilla/5.0", "/jobs", ["example.com"]).platform
'linkedin'
"""

from socialseo.classify.attribution import Attribution, attribute, combine
from socialseo.classify.bulk import attribute_relation
from socialseo.classify.campaigns import CampaignClass, classify_campaign
from socialseo.classify.channels import CHANNELS, EVIDENCE, Channel, Evidence
from socialseo.classify.hosts import parse_host, registered_domain
from socialseo.classify.referrers import ReferrerClass, classify_referrer
from socialseo.classify.urls import normalize_url, page_key, page_key_sql, tracking_evidence
from socialseo.classify.useragents import UserAgentClass, classify_user_agent

__all__ = [
    "CHANNELS",
    "EVIDENCE",
    "Attribution",
    "CampaignClass",
    "Channel",
    "Evidence",
    "ReferrerClass",
    "UserAgentClass",
    "attribute",
    "attribute_relation",
    "classify_campaign",
    "classify_referrer",
    "classify_user_agent",
    "combine",
    "normalize_url",
    "page_key",
    "page_key_sql",
    "parse_host",
    "registered_domain",
    "tracking_evidence",
]
