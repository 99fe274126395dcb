"""The written demo files: reproducible to the byte, and consistent with the world and the truth."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from socialseo.classify.links import resolve_link
from socialseo.demo import GeneratedFiles, WorldConfig, generate, simulate_world
from socialseo.demo.platforms import PLATFORM_NAMES
from socialseo.ingest.posts.layouts import parse_export, platform_candidates

from .conftest import SMALL, SMALL_SEED


def _digests(files: GeneratedFiles) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files.all()}


def test_same_seed_writes_identical_bytes_and_another_seed_does_not(
    small_site: GeneratedFiles, tmp_path: Path
) -> None:
    again = generate(tmp_path / "again", seed=SMALL_SEED, **SMALL)
    other = generate(tmp_path / "other", seed=SMALL_SEED + 1, **SMALL)
    first = _digests(small_site)
    assert _digests(again) == first
    assert len(first) == 4 + len(PLATFORM_NAMES)
    changed = {name for name, digest in _digests(other).items() if first[name] != digest}
    assert changed == set(first)


def test_gzip_header_carries_no_name_and_no_time(small_site: GeneratedFiles) -> None:
    header = small_site.access_log.read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] & 0x08 == 0, "FNAME flag must be clear"
    assert header[4:8] == b"\x00\x00\x00\x00", "MTIME must be zero"


def test_truth_records_the_sha256_of_every_other_file(
    small_site: GeneratedFiles, small_truth: dict[str, Any]
) -> None:
    digests = _digests(small_site)
    digests.pop("truth.json")
    assert small_truth["files"] == digests


def test_log_has_about_the_requested_number_of_lines(
    small_site: GeneratedFiles, small_truth: dict[str, Any]
) -> None:
    with gzip.open(small_site.access_log, "rb") as handle:
        n_lines = sum(1 for _ in handle)
    assert n_lines == small_truth["access_log"]["total_lines"]
    assert abs(n_lines - SMALL["target_log_lines"]) <= 0.1 * SMALL["target_log_lines"]


def test_search_console_rows_sum_to_the_world_clicks_and_impressions_per_page_and_day(
    small_site: GeneratedFiles,
) -> None:
    world = simulate_world(WorldConfig(seed=SMALL_SEED, n_pages=SMALL["n_pages"], days=SMALL["days"]))
    gsc = pd.read_csv(small_site.search_console, keep_default_na=False)
    assert list(gsc.columns) == [
        "date",
        "page",
        "query",
        "country",
        "device",
        "clicks",
        "impressions",
        "ctr",
        "position",
    ]
    per_page = gsc.groupby("page")[["clicks", "impressions"]].sum()
    world_page = world.daily.groupby("url")[["clicks", "impressions"]].sum()
    world_page = world_page[world_page["impressions"] > 0]
    pd.testing.assert_frame_equal(per_page.sort_index(), world_page.sort_index(), check_names=False)

    daily = world.daily[world.daily["impressions"] > 0].copy()
    daily["date"] = daily["date"].dt.strftime("%Y-%m-%d")
    gsc["weighted"] = gsc["position"] * gsc["impressions"]
    per_day = gsc.groupby(["page", "date"], as_index=False)[["clicks", "impressions", "weighted"]].sum()
    merged = daily.merge(
        per_day.rename(columns={"page": "url"}),
        on=["url", "date"],
        how="outer",
        suffixes=("", "_gsc"),
        validate="one_to_one",
    )
    assert len(merged) == len(daily) == len(per_day)
    assert (merged["clicks"] == merged["clicks_gsc"]).all()
    assert (merged["impressions"] == merged["impressions_gsc"]).all()
    np.testing.assert_allclose(merged["weighted"] / merged["impressions_gsc"], merged["position"], rtol=1e-9)


def test_search_console_rows_are_well_formed(small_site: GeneratedFiles) -> None:
    gsc = pd.read_csv(small_site.search_console, keep_default_na=False)
    assert (gsc["impressions"] > 0).all()
    assert (gsc["clicks"] <= gsc["impressions"]).all()
    np.testing.assert_allclose(gsc["ctr"], gsc["clicks"] / gsc["impressions"])
    assert (gsc["position"] >= 1.0).all()
    assert set(gsc["device"]) == {"DESKTOP", "MOBILE", "TABLET"}
    assert set(gsc["country"]) <= {"usa", "gbr", "ind", "can", "deu"}
    assert (gsc["query"] != "").all()


def test_truth_totals_match_the_search_console_file(
    small_site: GeneratedFiles, small_truth: dict[str, Any]
) -> None:
    gsc = pd.read_csv(small_site.search_console, keep_default_na=False)
    assert small_truth["search_console"]["clicks"] == int(gsc["clicks"].sum())
    assert small_truth["search_console"]["rows"] == len(gsc)


def test_post_exports_are_in_each_platforms_layout_and_links_resolve_to_site_pages(
    small_site: GeneratedFiles, small_truth: dict[str, Any]
) -> None:
    site = "https://" + small_truth["site_host"]
    seen_shorteners: set[str] = set()
    utm = False
    for platform, path in small_site.posts.items():
        parsed = parse_export(path, platform_candidates("auto"))
        assert parsed.mapping.platform == platform
        assert parsed.bad_rows == []
        frame = parsed.frame
        assert len(frame) > 0
        assert frame["published_at"].notna().all()
        for row in frame.itertuples():
            link = row.linked_url if isinstance(row.linked_url, str) else None
            text = row.text if isinstance(row.text, str) else None
            resolved = resolve_link(link, text, small_truth["shortlinks"])
            if resolved.short_url:
                seen_shorteners.add(resolved.short_url.split("/")[2])
            if resolved.status == "none" or "reddit.com" in str(resolved.url):
                continue  # unlinked posts, and Reddit self posts whose url is the post itself
            assert str(resolved.url).startswith(site), (platform, link, text)
            utm = utm or "utm_medium=social" in f"{link} {text}"
    assert {"t.co", "lnkd.in"} <= seen_shorteners
    assert utm


def test_backlinks_are_mostly_nofollow_from_social_with_some_followed_ones(
    small_site: GeneratedFiles,
) -> None:
    links = pd.read_csv(small_site.backlinks, keep_default_na=False)
    assert list(links.columns) == ["source_url", "target_url", "anchor", "rel", "first_seen", "last_seen"]
    social = links[
        links["source_url"].str.contains(r"x\.com|facebook|linkedin|reddit|pinterest|youtube|tiktok")
    ]
    assert social["rel"].str.contains("nofollow|ugc").mean() > 0.8
    followed = links[links["rel"] == ""]
    assert followed["source_url"].str.contains("medium.com").any()
    assert (links["first_seen"] <= links["last_seen"]).all()


def test_truth_describes_every_page_and_the_planted_engagement(small_truth: dict[str, Any]) -> None:
    assert len(small_truth["pages"]) == SMALL["n_pages"]
    for key in (
        "seed",
        "config",
        "site_host",
        "start",
        "end",
        "groups",
        "effect",
        "planted_engagement",
        "access_log",
        "search_console",
        "shortlinks",
    ):
        assert key in small_truth
    page = next(p for p in small_truth["pages"] if p["group"] == "effect")
    for key in (
        "url",
        "segment",
        "group",
        "campaign_start",
        "lag_days",
        "relative_effect",
        "expected_extra_clicks_per_day",
    ):
        assert key in page
    engagement = small_truth["planted_engagement"]
    assert min(engagement, key=lambda p: engagement[p]["bounce_probability"]) == "linkedin"
    assert max(engagement, key=lambda p: engagement[p]["bounce_probability"]) == "tiktok"


@pytest.mark.parametrize("platform", PLATFORM_NAMES)
def test_post_file_exists_per_platform(small_site: GeneratedFiles, platform: str) -> None:
    assert small_site.posts[platform].name == f"posts_{platform}.csv"
    assert small_site.posts[platform].stat().st_size > 100
