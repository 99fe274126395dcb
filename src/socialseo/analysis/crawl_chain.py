"""The crawl chain: does a page's social spike bring search engines back to it sooner?

Social activity can only move search through what search engines see: social spike -> recrawl -> impressions ->
clicks. This module measures the first link. For each page with a social spike (as
:func:`~socialseo.analysis.impact.panel.detect_spikes` dates it), it counts the *verified* search-engine fetches
(``bot_purpose = 'search_index' AND bot_verified``: from the operator's published addresses) in the ``pre_days``
before the spike day and the ``post_days`` from it, and the hours from the start of the spike day to the first
such fetch. The same is read for matched pages without social activity in that window, chosen by the nearest
crawl rate outside the window, at the same date: what would have happened anyway.

Method: a matched difference in differences. Per spiked page, the change in its wait (the wait from the spike
day's start against its usual wait, read from each day start of the before period) minus the mean change of its
controls, and its change in fetches per day (after minus before) minus that of its controls; pages that crawlers
first fetched over a week into the before period are left out (a new page is shared and discovered at
once, which says nothing about recrawls); the effect is the mean over spiked
pages, with a Student-t 95% interval whose standard error comes from a jackknife that leaves out one page at a
time, as a spiked page and as a control wherever it serves (spikes close in time share controls, so their
differences are not independent; with a handful of spikes a bootstrap interval would be too narrow). A page not
fetched within ``post_days`` has its latency censored at ``post_days`` days, which shortens the latencies of
rarely crawled pages and controls alike. Fetches claiming a search engine from other addresses (impostors) or
from an operator whose ranges are not bundled (cannot be checked) are counted apart and never used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from socialseo.analysis.impact.panel import detect_spikes, load_panel, table_exists, to_grid

METHOD = ("matched difference in differences: each spiked page's wait on its spike day minus its usual wait (from "
          "each day start of the before period), against the same for the pages without social activity nearest "
          "to it in verified crawls outside the window; mean over spiked pages with a Student-t 95% interval from a "
          "jackknife over pages (spiked and matched)")
ASSUMPTIONS = ("Without the spike, a page would have been crawled like pages that were crawled as often before "
               "it; the spike is dated to its first social day, so latency counts from 00:00 UTC of that day; a "
               "page not fetched after the spike counts as fetched at the end of the after period. Checked on "
               "simulated demo sites (socialseo validate --crawl-chain): the 95% interval covered the planted "
               "change on 115 of 115 sites with planted recrawls and on 112 of 115 without, so it errs wide, and a "
               "small change (about 12 hours sooner on those sites) is rarely told apart from zero.")
VALIDATED = True
"""Whether the interval has passed its coverage check on planted truth; until it has, results are associations."""
MIN_SPIKES = 3
KNOWN_WITHIN_DAYS = 7
"""A page counts only when verified crawlers fetched it within this many days of the before period's start."""
SUMMARY_COLUMNS: tuple[str, ...] = (
    "measure", "description", "unit", "spiked", "controls", "treated", "control", "effect", "ci_low", "ci_high",
    "verdict", "verdict_reason", "method", "assumptions",
)
PAGE_COLUMNS: tuple[str, ...] = (
    "page", "spike_date", "fetches_before", "fetches_after", "first_fetch_after", "usual_wait_hours", "latency_hours",
    "control_latency_hours", "control_pages",
)
_VERIFIED = "bot_purpose = 'search_index' AND bot_verified AND page IS NOT NULL AND status BETWEEN 200 AND 299 " \
    "AND NOT regexp_matches(page, '\\.(txt|xml)$')"


@dataclass
class CrawlChain:
    """What the crawl chain found: the effects, one row per spiked page, and the fetches that were not used.

    ``note`` says in a sentence why there is no estimate (empty when there is one).
    """

    summary: pd.DataFrame
    pages: pd.DataFrame
    unverified: pd.DataFrame
    verified_fetches: int = 0
    note: str = ""
    days: dict[str, int] = field(default_factory=dict)


def unverified_fetches(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Fetches claiming a search engine that could not be trusted, by bot and why: counted apart, never used."""
    if not table_exists(con, "hit_rows"):
        return pd.DataFrame(columns=["bot_name", "status", "fetches"])
    return con.execute(
        "SELECT bot_name, CASE WHEN bot_verified IS NULL THEN 'cannot be checked' ELSE 'impostor' END AS status, "
        "count(*) AS fetches FROM hits WHERE bot_purpose = 'search_index' AND bot_verified IS NOT TRUE "
        "GROUP BY ALL ORDER BY fetches DESC, bot_name"
    ).df()


def _verified(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    if not table_exists(con, "hit_rows"):
        return pd.DataFrame({"page": pd.Series(dtype=object), "ts": pd.Series(dtype="datetime64[ns]")})
    frame = con.execute(f"SELECT page, ts FROM hits WHERE {_VERIFIED} ORDER BY ts").df()
    frame["ts"] = pd.to_datetime(frame["ts"])
    return frame


def _empty(note: str, unverified: pd.DataFrame, fetches: int = 0) -> CrawlChain:
    return CrawlChain(pd.DataFrame(columns=list(SUMMARY_COLUMNS)), pd.DataFrame(columns=list(PAGE_COLUMNS)),
                      unverified, fetches, note)


def crawl_chain(con: duckdb.DuckDBPyConnection, *, pre_days: int = 28, post_days: int = 14,
                n_controls: int = 5) -> CrawlChain:
    """Verified search-engine fetches around each page's social spike, against matched pages without one."""
    unverified = unverified_fetches(con)
    fetches = _verified(con)
    if fetches.empty:
        return _empty(_no_verified_note(unverified), unverified)
    panel = load_panel(con) if table_exists(con, "page_daily") else pd.DataFrame()
    if panel.empty:
        return _empty("no page has social activity per day: import social post exports or logs with social "
                      "visits, so spikes can be dated", unverified, len(fetches))
    grid = to_grid(panel)
    spikes = detect_spikes(grid)
    social = (grid.matrix("social_posts") + grid.matrix("social_sessions")) > 0
    first_day = min(fetches["ts"].min().normalize(), grid.dates[0])
    last_day = max(fetches["ts"].max().normalize(), grid.dates[-1])
    dates = pd.date_range(first_day, last_day, freq="D")
    pages = np.array(sorted(set(fetches["page"]) | set(grid.pages)), dtype=object)
    index = {p: k for k, p in enumerate(pages)}
    counts = np.zeros((len(pages), len(dates)))
    np.add.at(counts, (fetches["page"].map(index).to_numpy(),
                       (fetches["ts"].dt.normalize() - first_day).dt.days.to_numpy()), 1)
    busy = np.zeros((len(pages), len(dates)), dtype=bool)
    offset = (grid.dates[0] - first_day).days
    busy[[index[p] for p in grid.pages], offset:offset + len(grid.dates)] = social
    # the day of each page's first verified fetch: a page new to the crawler is shared and discovered at once, so
    # its spike says nothing about recrawls; pages (spiked or control) must be known from the before period's start
    first_seen = np.where(counts.any(axis=1), np.argmax(counts > 0, axis=1), len(dates))
    cum = np.concatenate([np.zeros((len(pages), 1)), np.cumsum(counts, axis=1)], axis=1)
    cum_busy = np.concatenate([np.zeros((len(pages), 1)), np.cumsum(busy, axis=1)], axis=1)
    events: list[tuple[int, int, npt.NDArray[np.int64]]] = []
    spiked_pages = 0
    for g, s_grid in enumerate(spikes):  # one small match per spiked page: tens of pages, not rows
        if s_grid < 0:
            continue
        spiked_pages += 1
        i, s = index[grid.pages[g]], int(s_grid) + offset
        known = first_seen <= s - pre_days + KNOWN_WITHIN_DAYS
        if s < pre_days or s + post_days > len(dates) or not known[i]:
            continue
        clean = known & ((cum_busy[:, s + post_days] - cum_busy[:, s - pre_days]) == 0)
        clean[i] = False
        candidates = np.flatnonzero(clean)
        if len(candidates) == 0:
            continue
        # matched on the crawl rate outside the window: matched on the before period itself, a control picked for
        # a lucky run of fetches there regresses afterwards and passes for a slower recrawl (as in the event study)
        inside = cum[:, s + post_days] - cum[:, s - pre_days]
        outside = (cum[:, -1] - inside) / max(1, len(dates) - pre_days - post_days)
        distance = np.abs(np.log1p(outside[candidates]) - np.log1p(outside[i]))
        events.append((i, s, candidates[np.argsort(distance, kind="stable")[:n_controls]]))
    if len(events) < MIN_SPIKES:
        return _empty(
            f"{len(events)} of {spiked_pages} social spikes were on pages verified crawlers already knew {pre_days} "
            f"days before them, with {post_days} days of logs after, and control pages; at least {MIN_SPIKES} are "
            "needed (more days of logs: socialseo ingest logs PATH; more posts: socialseo ingest posts PATH)",
            unverified, len(fetches))
    return _estimate(events, pages, dates, fetches, cum, pre_days, post_days, unverified)


def _first_after(fetches: pd.DataFrame, pages: list[str], starts: list[pd.Timestamp]) -> pd.Series:
    """The first verified fetch of each page at or after its start: one forward as-of merge, no loop."""
    left = pd.DataFrame({"page": pages, "start": pd.to_datetime(starts), "k": range(len(pages))})
    right = fetches.rename(columns={"ts": "fetched"}).sort_values("fetched")
    right["start"] = right["fetched"]
    merged = pd.merge_asof(left.sort_values("start"), right, on="start", by="page", direction="forward")
    return merged.sort_values("k")["fetched"].reset_index(drop=True)


def _hours(first: pd.Series, starts: list[pd.Timestamp], cap: float) -> npt.NDArray[np.float64]:
    waited = (first - pd.Series(pd.to_datetime(starts))).dt.total_seconds() / 3600
    return np.asarray(waited.clip(upper=cap).fillna(cap).to_numpy(), dtype=np.float64)


def _estimate(events: list[tuple[int, int, npt.NDArray[np.int64]]], pages: npt.NDArray[np.object_],
              dates: pd.DatetimeIndex, fetches: pd.DataFrame, cum: npt.NDArray[np.float64], pre_days: int,
              post_days: int, unverified: pd.DataFrame) -> CrawlChain:
    cap = 24.0 * post_days
    owners = [k for k, (_, _, ctrl) in enumerate(events) for _ in range(len(ctrl) + 1)]
    who = [int(i) for i, _, ctrl in events for i in (i, *ctrl)]
    starts = [dates[s] for _, s, ctrl in events for _ in range(len(ctrl) + 1)]
    names = [str(pages[w]) for w in who]
    first = _first_after(fetches, names, starts)
    hours = _hours(first, starts, cap)
    # the same wait read from each day start of the before period: the page's usual wait, so that a page crawled
    # more often than its controls does not pass for a quicker recrawl (a difference in differences)
    earlier = [start - pd.Timedelta(days=d) for start in starts for d in range(1, pre_days + 1)]
    usual = _hours(_first_after(fetches, [n for n in names for _ in range(pre_days)], earlier), earlier, cap)
    before = usual.reshape(len(who), pre_days).mean(axis=1)
    change = hours - before
    s_of = np.array([events[k][1] for k in owners])
    w_arr = np.array(who)
    rate_change = ((cum[w_arr, s_of + post_days] - cum[w_arr, s_of]) / post_days
                   - (cum[w_arr, s_of] - cum[w_arr, s_of - pre_days]) / pre_days)
    is_treated = np.zeros(len(who), dtype=bool)
    pos = 0
    for _, _, ctrl in events:
        is_treated[pos] = True
        pos += len(ctrl) + 1
    owner = np.array(owners)
    n = len(events)
    ctrl_latency = np.bincount(owner[~is_treated], hours[~is_treated], minlength=n) / np.bincount(
        owner[~is_treated], minlength=n)
    ctrl_change = np.bincount(owner[~is_treated], change[~is_treated], minlength=n) / np.bincount(
        owner[~is_treated], minlength=n)
    ctrl_rate = np.bincount(owner[~is_treated], rate_change[~is_treated], minlength=n) / np.bincount(
        owner[~is_treated], minlength=n)
    latency, rate, latency_change = hours[is_treated], rate_change[is_treated], change[is_treated]
    t_crit = float(stats.t.ppf(0.975, n - 1))
    rows = []
    for measure, description, unit, treated, control, values in (
        ("first_fetch_hours", "change in the wait for a verified search-engine fetch, from the spike day's start "
         "against the days before", "hours", latency_change, ctrl_change, change),
        ("fetch_rate_change", "change in verified search-engine fetches, after the spike against before",
         "fetches per day", rate, ctrl_rate, rate_change),
    ):
        diff = treated - control
        spread = t_crit * _page_jackknife_se(values, w_arr, owner, is_treated, n)
        lo, hi = float(diff.mean()) - spread, float(diff.mean()) + spread
        excludes = lo > 0 or hi < 0
        rows.append({
            "measure": measure, "description": description, "unit": unit, "spiked": n,
            "controls": int((~is_treated).sum()),
            "treated": float(treated.mean()), "control": float(control.mean()), "effect": float(diff.mean()),
            "ci_low": lo, "ci_high": hi, "verdict": "effect" if excludes else "no_effect_detected",
            "verdict_reason": (("" if VALIDATED else "an association, not a validated effect: ")
                               + f"the 95% interval, {lo:+.2f} to {hi:+.2f} {unit}, "
                               f"{'excludes' if excludes else 'includes'} zero"),
            "method": METHOD, "assumptions": ASSUMPTIONS,
        })
    t_idx = np.flatnonzero(is_treated)
    page_rows = pd.DataFrame({
        "page": [str(pages[i]) for i, _, _ in events],
        "spike_date": [dates[s].date().isoformat() for _, s, _ in events],
        "fetches_before": [int(cum[i, s] - cum[i, s - pre_days]) for i, s, _ in events],
        "fetches_after": [int(cum[i, s + post_days] - cum[i, s]) for i, s, _ in events],
        "first_fetch_after": [None if pd.isna(first[k]) else first[k].isoformat() for k in t_idx],
        "usual_wait_hours": np.round(before[is_treated], 2),
        "latency_hours": np.round(latency, 2),
        "control_latency_hours": np.round(ctrl_latency, 2),
        "control_pages": [len(ctrl) for _, _, ctrl in events],
    })
    summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    return CrawlChain(summary, page_rows[list(PAGE_COLUMNS)], unverified, len(fetches), "",
                      {"pre_days": pre_days, "post_days": post_days})


def _matched_mean(values: npt.NDArray[np.float64], owner: npt.NDArray[np.int64],
                  is_treated: npt.NDArray[np.bool_], keep: npt.NDArray[np.bool_], n: int) -> float:
    """Mean over spiked pages of their value minus their controls' mean, using only the ``keep`` appearances
    (a spike left with no control, or whose own page is dropped, is left out)."""
    ctrl = keep & ~is_treated
    total = np.bincount(owner[ctrl], values[ctrl], minlength=n)
    count = np.bincount(owner[ctrl], minlength=n)
    treated = np.full(n, np.nan)
    treated[owner[keep & is_treated]] = values[keep & is_treated]
    usable = (count > 0) & ~np.isnan(treated)
    return float(np.mean(treated[usable] - total[usable] / count[usable])) if usable.any() else np.nan


def _page_jackknife_se(values: npt.NDArray[np.float64], who: npt.NDArray[np.int64], owner: npt.NDArray[np.int64],
                       is_treated: npt.NDArray[np.bool_], n: int) -> float:
    """Standard error of the matched mean, from a delete-one-page jackknife over every page used.

    Spikes close in time share matched pages, so their differences are not independent: one unlucky control
    moves several of them at once. Leaving out a whole page at a time (as a spiked page and as a control
    everywhere it serves) carries that dependence into the error, where a Student-t over the spiked pages'
    differences alone would treat them as independent and come out too narrow.
    """
    units = np.unique(who)
    estimates = np.array([_matched_mean(values, owner, is_treated, who != u, n) for u in units])
    estimates = estimates[~np.isnan(estimates)]
    g = len(estimates)
    return float(np.sqrt((g - 1) / g * np.sum((estimates - estimates.mean()) ** 2))) if g > 1 else np.nan


def _no_verified_note(unverified: pd.DataFrame) -> str:
    text = ("no verified search-engine fetches: import access logs that include search-engine crawlers with their "
            "full client addresses (socialseo ingest logs PATH; Googlebot is checked against Google's published "
            "ranges)")
    if not unverified.empty:
        text += f"; fetches that could not be used: {name_unverified(unverified)}"
    return text


def name_unverified(unverified: pd.DataFrame) -> str:
    """The unverified fetches in words: ``3 Googlebot (impostor), 2 bingbot (cannot be checked)``."""
    return ", ".join(f"{int(r['fetches']):,} {r['bot_name']} ({r['status']})" for r in unverified.to_dict("records"))
