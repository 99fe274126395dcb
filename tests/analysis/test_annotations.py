"""The dated data behind the automatic annotations: Google's confirmed ranking updates."""

from __future__ import annotations

from importlib import resources

from socialseo.analysis.annotations import search_updates


def test_search_updates_are_dated_named_and_sourced() -> None:
    updates = search_updates()
    assert len(updates) >= 13 and updates["start"].is_monotonic_increasing
    assert set(updates["kind"]) == {"core", "spam"}
    assert all(end is None or end >= start for start, end in updates[["start", "end"]].itertuples(index=False))
    assert updates.set_index("name").loc["March 2025 core update", "start"].isoformat() == "2025-03-13"
    header = resources.files("socialseo.analysis").joinpath("data", "search_updates.yaml").read_text("utf-8")
    assert "status.search.google.com" in header and "Retrieved:" in header
