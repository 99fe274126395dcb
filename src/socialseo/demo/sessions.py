"""Render the planned human sessions as access-log hits, and count what a correct sessionizer must find.

Visitors are assigned in time order. A session goes to a new visitor, to a returning one (idle for over 35
minutes), or to a visitor who was just here, in one of two ways: a click from a *different* external source
2-25 minutes after their last hit (a new session by the new-referrer rule, not by the gap), or a click in
the still-open tab 31-120 minutes later (a new session by the gap, with an ``internal`` referrer). Page views
within a session are 6 seconds to 25 minutes apart, so every boundary is unambiguous whichever side of
"30 minutes" a sessionizer puts the equality.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from socialseo.demo.addresses import human_addresses
from socialseo.demo.referrers import INTERNAL, landing_params, render_referrer
from socialseo.demo.useragents import ANDROID, DESKTOP, IN_APP, IOS
from socialseo.demo.visits import FORMS, SessionPlan

if TYPE_CHECKING:
    from socialseo.demo.world import World

RETURN_MIN_GAP = 35 * 60
QUICK_MIN_GAP, QUICK_MAX_GAP = 2 * 60, 25 * 60
INTERNAL_MIN_GAP, INTERNAL_MAX_GAP = 31 * 60, 120 * 60
PAGE_GAP_MIN, PAGE_GAP_MAX = 6, 25 * 60
P_RETURNING = 0.25
P_QUICK = 0.04
P_REDIRECT = 0.02
P_SERVER_ERROR = 0.003
P_MISSING_IMAGE = 0.03
P_FAVICON = 0.4
P_LATER_IMAGE = 0.3
ASSET_LINES_FIRST_PAGE = 2 + P_FAVICON + 1.0
"""Expected asset requests on a session's first page: CSS, JS, sometimes the favicon, 0-2 images."""
ASSET_LINES_LATER_PAGE = P_LATER_IMAGE
_ALNUM = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def expected_lines_per_session(pages_per_session: float) -> float:
    """Log lines of an average session with the given mean page views (page views, assets, redirects, 5xx)."""
    return (
        pages_per_session * (1 + P_SERVER_ERROR)
        + ASSET_LINES_FIRST_PAGE
        + ASSET_LINES_LATER_PAGE * (pages_per_session - 1)
        + P_REDIRECT
    )


class Clock:
    """Renders seconds since local midnight of the first day as Apache ``%t`` text in the site's offset."""

    def __init__(self, start: date, days: int, offset: str) -> None:
        self._prefix = []
        for d in range(days + 3):
            day = start + timedelta(days=d)
            self._prefix.append(f"{day.day:02d}/{_MONTHS[day.month - 1]}/{day.year}:")
        self._offset = offset

    def stamp(self, t: int) -> str:
        day, rest = divmod(t, 86400)
        hour, rest = divmod(rest, 3600)
        minute, second = divmod(rest, 60)
        return f"{self._prefix[day]}{hour:02d}:{minute:02d}:{second:02d} {self._offset}"


@dataclass
class Tally:
    """What the generator did, in the units a sessionizer reports."""

    sessions_by_channel: Counter[str] = field(default_factory=Counter)
    sessions_by_source: Counter[tuple[str, str]] = field(default_factory=Counter)
    page_views_by_source: Counter[tuple[str, str]] = field(default_factory=Counter)
    bounces_by_source: Counter[tuple[str, str]] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    page_views: int = 0
    asset_hits: int = 0
    other_hits: int = 0
    visitors: int = 0
    returning_sessions: int = 0
    quick_reentries: int = 0
    internal_continuations: int = 0


@dataclass
class HumanHits:
    """Log lines (without order) and their times, plus the tally."""

    times: list[int]
    lines: list[str]
    tally: Tally


def _tokens(n: int, length: int, rng: np.random.Generator) -> list[str]:
    chars = _ALNUM[rng.integers(0, _ALNUM.size, size=(n, length))]
    return [str(s) for s in np.ascontiguousarray(chars).view(f"<U{length}").ravel()]


class _Visitors:
    """Visitor state: address, browser, protocol and where and when they were last seen."""

    def __init__(self, capacity: int, rng: np.random.Generator) -> None:
        self.ip = human_addresses(capacity, rng)
        self.ua: list[str] = []
        self.proto: list[str] = []
        self.android: list[bool] = []
        self.last_t: list[int] = []
        self.last_source: list[str] = []
        self.last_url: list[str] = []
        self.pool: list[int] = []
        self.recent: list[int] = []

    def new(self, ua: str, proto: str, android: bool, reusable: bool) -> int:
        v = len(self.ua)
        self.ua.append(ua)
        self.proto.append(proto)
        self.android.append(android)
        self.last_t.append(-(10**9))
        self.last_source.append("")
        self.last_url.append("")
        if reusable:
            self.pool.append(v)
        return v


def render_sessions(world: World, plan: SessionPlan, clock: Clock, rng: np.random.Generator) -> HumanHits:
    """Turn every planned session into hits; see the module docstring for how visitors are chosen."""
    n = len(plan)
    host = world.config.site_host
    base_url = f"https://{host}"
    paths: list[str] = world.pages["path"].tolist()
    slugs = [p.strip("/").split("/")[-1] or "home" for p in paths]
    page_bytes = (12000 + rng.lognormal(9.8, 0.5, len(paths))).astype(np.int64).tolist()
    popularity = world.pages["base_clicks"].to_numpy() + 0.2 * world.pages["base_clicks"].mean()
    deploy_day = world.config.days // 2

    total_pv = int(plan.n_pages.sum())
    pv_offset = np.r_[0, np.cumsum(plan.n_pages)[:-1]].tolist()
    gaps = (
        np.clip(rng.lognormal(np.log(45.0), 1.1, total_pv), PAGE_GAP_MIN, PAGE_GAP_MAX).astype(int).tolist()
    )
    next_page = rng.choice(len(paths), size=total_pv, p=popularity / popularity.sum()).tolist()
    images = rng.integers(0, 3, total_pv).tolist()
    later_image = (rng.random(total_pv) < P_LATER_IMAGE).tolist()
    server_error = (rng.random(total_pv) < P_SERVER_ERROR).tolist()
    missing_image = (rng.random(total_pv) < P_MISSING_IMAGE).tolist()
    tokens = _tokens(n, 24, rng)
    u = rng.random((n, 9)).tolist()
    ua_pick = rng.integers(0, 1 << 30, n).tolist()
    internal_fallback = rng.choice(len(paths), size=n, p=popularity / popularity.sum()).tolist()

    visitors = _Visitors(n, rng)
    tally = Tally()
    times: list[int] = []
    lines: list[str] = []

    for s in range(n):
        form = FORMS[int(plan.form[s])]
        start = int(plan.start[s])
        page = int(plan.page[s])
        r = u[s]
        source_key = f"{form.channel}/{form.source}"

        visitor = -1
        kind = "new"
        if form.channel == INTERNAL:
            visitor = _find_recent(visitors, start, INTERNAL_MIN_GAP, INTERNAL_MAX_GAP, None, None)
            kind = "internal" if visitor >= 0 else "new"
        elif form.device != "inapp":
            if form.external_referrer and r[0] < P_QUICK:
                needs_android = form.device == "android"
                visitor = _find_recent(
                    visitors, start, QUICK_MIN_GAP, QUICK_MAX_GAP, source_key, needs_android
                )
                kind = "quick" if visitor >= 0 else "new"
            if visitor < 0 and form.device == "any" and r[1] < P_RETURNING and visitors.pool:
                for attempt in range(3):
                    candidate = visitors.pool[int(r[2 + attempt] * len(visitors.pool))]
                    if visitors.last_t[candidate] < start - RETURN_MIN_GAP:
                        visitor, kind = candidate, "returning"
                        break
        if visitor < 0:
            ua, android = _browser(form.device, form.source, ua_pick[s])
            visitor = visitors.new(
                ua,
                "HTTP/2.0" if r[5] < 0.7 else "HTTP/1.1",
                android,
                reusable=form.device != "inapp" and not _is_in_app(ua),
            )
            tally.visitors += 1
        else:
            tally.returning_sessions += kind == "returning"
            tally.quick_reentries += kind == "quick"
            tally.internal_continuations += kind == "internal"
        returning = kind != "new"

        ip, ua, proto = visitors.ip[visitor], visitors.ua[visitor], visitors.proto[visitor]
        params = landing_params(form, tokens[s], slugs[page], _iso_week(world.config.start, int(plan.day[s])))
        target = paths[page] + (f"?{params}" if params and r[6] < form.param_probability else "")
        if form.channel == INTERNAL:
            internal_ref = (
                visitors.last_url[visitor] if kind == "internal" else base_url + paths[internal_fallback[s]]
            )
        else:
            internal_ref = ""
        referrer = render_referrer(form, base_url + target, tokens[s], slugs[page], internal_ref)
        tally.forms[form.key] += 1

        t = start
        head = f"{ip} - - ["
        pv0 = pv_offset[s]
        n_pages = int(plan.n_pages[s])
        for j in range(n_pages):
            if j > 0:
                page = next_page[pv0 + j]
                target = paths[page]
                t += gaps[pv0 + j]
            tail = f' {proto}" '
            if (
                j == 0
                and paths[page] != "/"
                and form.channel in ("referral", "organic_search")
                and r[7] < P_REDIRECT
            ):
                times.append(t)
                lines.append(
                    f'{head}{clock.stamp(t)}] "GET {_without_slash(target)}{tail}301 238 "{referrer}" "{ua}"'
                )
                tally.other_hits += 1
                t += 1
            if server_error[pv0 + j]:
                times.append(t)
                lines.append(f'{head}{clock.stamp(t)}] "GET {target}{tail}503 299 "{referrer}" "{ua}"')
                tally.other_hits += 1
                t += 3
            times.append(t)
            lines.append(
                f'{head}{clock.stamp(t)}] "GET {target}{tail}200 {page_bytes[page] + t % 89} '
                f'"{referrer}" "{ua}"'
            )
            page_url = base_url + target
            last = t
            for path, status, size, dt in _assets(
                j,
                returning,
                slugs[page],
                images[pv0 + j],
                later_image[pv0 + j],
                missing_image[pv0 + j],
                r[8] < P_FAVICON,
                t // 86400 >= deploy_day,
            ):
                times.append(t + dt)
                lines.append(
                    f'{head}{clock.stamp(t + dt)}] "GET {path}{tail}{status} {size} "{page_url}" "{ua}"'
                )
                last = max(last, t + dt)
                if status >= 400:
                    tally.other_hits += 1
                else:
                    tally.asset_hits += 1
            referrer = page_url
        tally.page_views += n_pages

        key = (form.channel, form.source)
        tally.sessions_by_channel[form.channel] += 1
        tally.sessions_by_source[key] += 1
        tally.page_views_by_source[key] += n_pages
        tally.bounces_by_source[key] += n_pages == 1
        visitors.last_t[visitor] = last
        visitors.last_source[visitor] = source_key
        visitors.last_url[visitor] = referrer
        visitors.recent.append(visitor)
        _prune(visitors, start)
    return HumanHits(times=times, lines=lines, tally=tally)


def _without_slash(target: str) -> str:
    """``/blog/x/?a=1`` -> ``/blog/x?a=1``: the old link form the server redirects to the canonical one."""
    path, sep, query = target.partition("?")
    return path.rstrip("/") + sep + query


def _iso_week(start: date, day: int) -> int:
    return (start + timedelta(days=day)).isocalendar().week


def _is_in_app(ua: str) -> bool:
    return any(ua in variants for variants in IN_APP.values())


def _browser(device: str, platform: str, pick: int) -> tuple[str, bool]:
    """(user agent, is Android) for a new visitor arriving through a form that needs ``device``."""
    if device == "inapp":
        variants = IN_APP[platform]
        ua = variants[pick % len(variants)]
        return ua, "Android" in ua
    if device == "android":
        return ANDROID[pick % len(ANDROID)], True
    bucket = pick % 10
    if bucket < 5:
        return DESKTOP[(pick // 10) % len(DESKTOP)], False
    if bucket < 8:
        return IOS[(pick // 10) % len(IOS)], False
    return ANDROID[(pick // 10) % len(ANDROID)], True


def _find_recent(
    visitors: _Visitors, start: int, min_gap: int, max_gap: int, other_than: str | None, android: bool | None
) -> int:
    """A recently seen visitor idle for between ``min_gap`` and ``max_gap`` seconds, or -1."""
    for v in visitors.recent:
        idle = start - visitors.last_t[v]
        if not min_gap <= idle <= max_gap:
            continue
        if other_than is not None and visitors.last_source[v] == other_than:
            continue
        if android is not None and android and not visitors.android[v]:
            continue
        if other_than is not None and _is_in_app(visitors.ua[v]):
            continue
        return v
    return -1


def _prune(visitors: _Visitors, start: int) -> None:
    """Forget visitors idle for longer than any continuation looks back, and duplicates."""
    horizon = start - INTERNAL_MAX_GAP - 3600
    if len(visitors.recent) > 64:
        seen: set[int] = set()
        kept: list[int] = []
        for v in reversed(visitors.recent):
            if v not in seen and visitors.last_t[v] >= horizon:
                seen.add(v)
                kept.append(v)
        visitors.recent = kept[::-1]


def _assets(
    page_index: int,
    returning: bool,
    slug: str,
    n_images: int,
    later_image: bool,
    missing: bool,
    favicon: bool,
    deployed: bool,
) -> list[tuple[str, int, str, int]]:
    """(path, status, size, seconds after the page) of the assets a page view pulls from this server."""
    out: list[tuple[str, int, str, int]] = []
    if page_index == 0:
        css = "/static/css/site.b71e0d52.css" if deployed else "/static/css/site.4f2a91c3.css"
        js = "/static/js/app.2d4f6a18.js" if deployed else "/static/js/app.9c1e77b0.js"
        out.append((css, 304, "-", 0) if returning else (css, 200, "48213", 0))
        out.append((js, 304, "-", 1) if returning else (js, 200, "131584", 1))
        if favicon:
            out.append(("/favicon.ico", 200, "15086", 1))
        for i in range(n_images):
            out.append(
                (f"/static/img/{slug}-{i + 1}.png", 200, str(20480 + 7919 * (len(slug) + i) % 180000), 2)
            )
    elif later_image:
        out.append((f"/static/img/{slug}-1.png", 200, str(20480 + 7919 * len(slug) % 180000), 1))
    if missing:
        out.append(("/static/img/old-banner-2024.png", 404, "196", 2))
    return out
