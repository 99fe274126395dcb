"""A new filter set is built without holding up pages already built."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import httpx

from socialseo.analysis.filters import Filters
from socialseo.report.sections import Section
from socialseo.web.app import create_app
from socialseo.web.background import serving


def test_a_slow_new_filter_set_does_not_hold_up_a_built_page(demo_db: Path) -> None:
    started, release = threading.Event(), threading.Event()

    def builder(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Section]:
        if filters.platforms == ("x",):
            started.set()
            release.wait(120)
        return []

    app = create_app(demo_db, builder=builder)
    answers: list[httpx.Response] = []
    with serving(app) as url, httpx.Client(timeout=60) as client:
        app.state.warming.join(120)
        assert client.get(url + "/").status_code == 200  # the unfiltered page is built
        slow = threading.Thread(target=lambda: answers.append(client.get(url + "/", params={"platform": "x"})))
        slow.start()
        try:
            assert started.wait(60), "the build for platform x never started"
            built = client.get(url + "/")  # would wait for platform x's build under one lock for every build
            assert built.status_code == 200 and "Overview" in built.text
            assert slow.is_alive() and not answers, "platform x answered before its build was released"
        finally:
            release.set()
            slow.join(60)
    assert [a.status_code for a in answers] == [200]


def test_two_visitors_of_one_new_filter_set_share_one_build(demo_db: Path) -> None:
    builds: list[Filters] = []
    started, release = threading.Event(), threading.Event()

    def builder(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[Section]:
        builds.append(filters)
        if filters.platforms:
            started.set()
            release.wait(120)
        return []

    app = create_app(demo_db, builder=builder)
    with serving(app) as url, httpx.Client(timeout=60) as client:
        app.state.warming.join(120)
        visitors = [threading.Thread(target=client.get, args=(url + "/channels",), kwargs={"params": {"platform": "x"}})
                    for _ in range(2)]
        for visitor in visitors:
            visitor.start()
        assert started.wait(60)
        release.set()
        for visitor in visitors:
            visitor.join(60)
    assert builds.count(Filters(platforms=("x",))) == 1
