"""The demo's backlinks.csv through the generic export format: counts equal what the generator planted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

import socialseo
from socialseo.demo import GeneratedFiles


def test_demo_backlinks_load_with_the_planted_followed_count(
    small_site: GeneratedFiles, small_truth: dict[str, Any], tmp_path: Path
) -> None:
    planted = small_truth["backlinks"]
    written = pd.read_csv(small_site.backlinks, keep_default_na=False)
    pairs = written.drop_duplicates(["source_url", "target_url"])
    with socialseo.open(tmp_path / "w.duckdb") as project:
        [result] = project.ingest_backlinks([small_site.backlinks])
        assert result.rows_read == planted["rows"] and result.rows_quarantined == 0
        links = project.backlinks()
        assert len(links) == len(pairs)
        assert int(links["is_followed"].sum()) == int((pairs["rel"] == "").sum())
        if len(pairs) == planted["rows"]:
            assert int(links["is_followed"].sum()) == planted["followed"]
        summary = project.backlink_summary().set_index("platform")
        assert summary["backlinks"].sum() == len(links)
        assert {"x", "linkedin", "pinterest"} <= set(summary.index)
        html = project.report(tmp_path / "report").read_text(encoding="utf-8")
    assert "Social backlinks" in html and "Target pages: social backlinks next to social sessions" in html
