"""Open networks: public posts that link to the site, found through each network's open API.

One module per network (:mod:`bluesky`, :mod:`mastodon`, :mod:`reddit`, :mod:`hackernews`), each reading its API
through the polite :class:`~socialseo.ingest.networks.client.JsonClient`; :mod:`store` keeps what they find as
social backlinks; :func:`discover` runs the chosen networks, each on its own so one failing does not stop the rest.
"""

from __future__ import annotations

from socialseo.ingest.networks.run import NETWORKS, SourceOutcome, api_base, discover

__all__ = ["NETWORKS", "SourceOutcome", "api_base", "discover"]
