"""Social-readiness audits: page rules over a crawl, site-wide sameAs/profile-link checks, and the profile audit.

Rules, severities and fixes live in ``data/rules.yaml`` (``socialseo audit rules`` lists them); a config file's
``[audit] disable = [...]`` switches rules off.
"""

from socialseo.analysis.audit.rules import AuditConfig, load_config, rules_frame
from socialseo.analysis.audit.site import run_site_audit, summarise

__all__ = ["AuditConfig", "load_config", "rules_frame", "run_site_audit", "summarise"]
