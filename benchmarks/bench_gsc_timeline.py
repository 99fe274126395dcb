"""Search Console rows -> per-page daily clicks, impressions and weighted position: socialseo vs pandas.

The workload is the one ``page_daily`` rests on: read a Search Console API export (date, page, query, country,
device, clicks, impressions, ctr, position), normalise page URLs, and aggregate per page and day with the
impression-weighted position. The peer is the way analysts usually do it: ``pandas.read_csv``, URL
normalisation with ``Series.map`` over the distinct pages, ``groupby``. Both run on the same file in one run.

    PYTHONPATH=src python benchmarks/bench_gsc_timeline.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from socialseo.analysis.timeline import rebuild_page_daily
from socialseo.classify.urls import normalize_url
from socialseo.ingest.search_console.importer import import_search_console
from socialseo.store.warehouse import Warehouse


def make_export(path: Path, rows: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    pages = np.array([f"https://www.example.com/blog/post-{i}/" for i in range(2000)])
    dates = pd.date_range("2026-01-01", periods=180).strftime("%Y-%m-%d").to_numpy()
    impressions = rng.integers(1, 50, rows)
    clicks = rng.binomial(impressions, 0.05)
    frame = pd.DataFrame({
        "date": dates[rng.integers(0, len(dates), rows)],
        "page": pages[rng.integers(0, len(pages), rows)],
        "query": np.char.add("query ", rng.integers(0, 20000, rows).astype(str)),
        "country": np.array(["usa", "gbr", "deu"])[rng.integers(0, 3, rows)],
        "device": np.array(["DESKTOP", "MOBILE"])[rng.integers(0, 2, rows)],
        "clicks": clicks, "impressions": impressions, "ctr": clicks / impressions,
        "position": rng.uniform(1, 30, rows).round(2),
    })
    frame.to_csv(path, index=False)


def ours(path: Path, workdir: Path) -> int:
    with Warehouse(workdir / "bench.duckdb") as wh:
        import_search_console(wh, [path])
        return rebuild_page_daily(wh.con)


def peer(path: Path) -> int:
    frame = pd.read_csv(path)
    distinct = frame["page"].drop_duplicates()
    frame["page_url"] = frame["page"].map(dict(zip(distinct, distinct.map(normalize_url), strict=True)))
    frame["position_sum"] = frame["position"] * frame["impressions"]
    daily = frame.groupby(["page_url", "date"], as_index=False)[["clicks", "impressions", "position_sum"]].sum()
    daily["position"] = daily["position_sum"] / daily["impressions"]
    return len(daily)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "search_console.csv"
        make_export(path, rows)
        started = time.perf_counter()
        n_ours = ours(path, workdir)
        t_ours = time.perf_counter() - started
        started = time.perf_counter()
        n_peer = peer(path)
        t_peer = time.perf_counter() - started
    print(f"rows: {rows:,}  page-days: ours {n_ours:,} (complete panel), pandas {n_peer:,} (observed days only)")
    print(f"socialseo import + page_daily: {t_ours:6.2f} s  {rows / t_ours:12,.0f} rows/s  (typed, checked, stored)")
    print(f"pandas read_csv + groupby:     {t_peer:6.2f} s  {rows / t_peer:12,.0f} rows/s  (in memory only)")
    print(f"ratio (pandas time / socialseo time): {t_peer / t_ours:.2f}")


if __name__ == "__main__":
    main()
