"""The dashboard answers through the Project door: its JSON is what a notebook gets from the same method."""

from __future__ import annotations

from pathlib import Path

import httpx

import socialseo
from socialseo.api import Filters

HTTP = httpx.Client(timeout=120)


def test_api_channels_with_a_platform_filter_is_project_channels_with_the_same_filter(
    dashboard: str, demo_db: Path
) -> None:
    served = HTTP.get(dashboard + "/api/channels", params={"platform": "x", "by": "day"}).json()
    with socialseo.open(demo_db, read_only=True) as project:
        frame = project.channels(by="day", filters=Filters(platforms=("x",)))
    assert len(served) == len(frame) > 0
    assert sum(r["sessions"] for r in served) == int(frame["sessions"].sum())
    assert {r["platform"] for r in served} == set(frame["platform"]) == {"x"}


def test_api_actions_is_the_project_action_plan(dashboard: str, demo_db: Path) -> None:
    served = HTTP.get(dashboard + "/api/actions").json()
    with socialseo.open(demo_db, read_only=True) as project:
        plan = project.action_plan()
    assert [a["rule_id"] for a in served["actions"]] == [a["rule_id"] for a in plan["actions"]]
    assert served["actions"], "the demo site has actions to recommend"


def test_an_unknown_table_is_a_400_naming_the_tables(dashboard: str, demo_db: Path) -> None:
    answer = HTTP.get(dashboard + "/api/tables/no_such_table")
    assert answer.status_code == 400
    assert "no table 'no_such_table'" in answer.json()["detail"] and "sessions" in answer.json()["detail"]
    sizes = {r["table"]: r["rows"] for r in HTTP.get(dashboard + "/api/tables").json()}
    with socialseo.open(demo_db, read_only=True) as project:
        assert sizes["sessions"] == project.count("sessions") > 0
