"""Shares and the crawl chain through the public API, on an empty warehouse and on bad arguments."""

from __future__ import annotations

import pytest

import socialseo
from socialseo.errors import SocialSeoError


def test_an_empty_warehouse_has_no_shares_in_every_shape() -> None:
    with socialseo.open(":memory:") as project:
        for by, first in (("day", "date"), ("page", "preview_fetches"), ("platform", "preview_fetches")):
            frame = project.shares(by=by)
            assert frame.empty and list(frame.columns)[1] == first


def test_an_unknown_grouping_or_window_is_refused_with_what_to_use() -> None:
    with socialseo.open(":memory:") as project:
        with pytest.raises(SocialSeoError, match="by must be one of day, page, platform"):
            project.shares(by="week")
        with pytest.raises(SocialSeoError, match="1 to 1440 minutes"):
            project.shares(window_minutes=0)


def test_crawl_chain_without_logs_says_what_would_fill_it() -> None:
    with socialseo.open(":memory:") as project:
        found = project.crawl_chain()
    assert found.summary.empty and found.verified_fetches == 0
    assert found.note.startswith("no verified search-engine fetches: import access logs")
