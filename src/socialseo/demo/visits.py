"""Plan the human sessions of the access log: when, on which landing page, through which entry form, how long.

Search and social sessions are drawn from the world itself (Google sessions are a thinning of the world's
daily clicks, social sessions of its daily referral visits), so the log agrees with Search Console and with
the posts. The other channels follow page popularity. ``scale`` stretches every channel alike so that the log
reaches the requested size; at the default demo size it is close to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from socialseo.demo.platforms import BY_NAME, MAX_PAGES_PER_SESSION, PLATFORM_NAMES
from socialseo.demo.referrers import (
    AI_FORMS,
    DIRECT_FORM,
    EMAIL_FORMS,
    INTERNAL_FORM,
    OPEN_SOCIAL_FORMS,
    REFERRAL_FORMS,
    SEARCH_FORMS,
    SEARCH_SHARES,
    SOCIAL,
    SOCIAL_FORMS,
    EntryForm,
    all_forms,
)

if TYPE_CHECKING:
    from socialseo.demo.world import World

FORMS: tuple[EntryForm, ...] = all_forms()
FORM_INDEX: dict[str, int] = {form.key: i for i, form in enumerate(FORMS)}

# Planted engagement of the non-social channels: (bounce probability, stop probability per further page).
CHANNEL_ENGAGEMENT: dict[str, tuple[float, float]] = {
    "organic_search": (0.55, 0.50),
    "direct": (0.50, 0.45),
    "email": (0.42, 0.42),
    "referral": (0.50, 0.50),
    "internal": (0.45, 0.50),
    "ai_assistant": (0.38, 0.40),
    "open_social": (0.48, 0.45),
}
# Sessions per expected Google click of the same page and day, for channels that follow page popularity.
# AI assistants send a few percent of sessions; Bluesky, Threads and Mastodon ("open_social") together less.
POPULARITY_RATIOS: dict[str, float] = {
    "direct": 0.35, "referral": 0.10, "email": 0.04, "internal": 0.06, "ai_assistant": 0.06, "open_social": 0.03,
}
NEWSLETTER_PAGES = 3
_STREAM_NEWSLETTER = 101
"""Random stream of the newsletter schedule, apart from the world's streams so it never shifts them."""
# Visits per hour of the (local) day; a plain office-and-evening curve.
HOUR_WEIGHTS = np.array(
    [
        0.8,
        0.5,
        0.3,
        0.25,
        0.25,
        0.4,
        0.9,
        1.8,
        3.0,
        3.8,
        4.2,
        4.3,
        4.0,
        4.1,
        4.2,
        4.0,
        3.7,
        3.4,
        3.3,
        3.6,
        3.8,
        3.3,
        2.4,
        1.5,
    ]
)
HOUR_WEIGHTS = HOUR_WEIGHTS / HOUR_WEIGHTS.sum()


def engagement(form: EntryForm) -> tuple[float, float]:
    """Planted (bounce, stop) of visits that arrive through ``form``."""
    if form.channel == SOCIAL and form.source in BY_NAME:
        platform = BY_NAME[form.source]
        return platform.bounce, platform.stop
    if form.channel == SOCIAL:
        return CHANNEL_ENGAGEMENT["open_social"]
    return CHANNEL_ENGAGEMENT[form.channel]


_BOUNCE = np.array([engagement(f)[0] for f in FORMS])
_STOP = np.array([engagement(f)[1] for f in FORMS])


@dataclass(frozen=True)
class SessionPlan:
    """One row per human session, sorted by ``start`` (seconds after local midnight of the first day)."""

    day: npt.NDArray[np.int64]
    page: npt.NDArray[np.int64]
    form: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]
    n_pages: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.start.size)


def _thin(counts: npt.NDArray[np.int64], scale: float, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Keep each of ``counts`` with probability ``scale``; above one, add Poisson extras (same mean law)."""
    if scale <= 1.0:
        return rng.binomial(counts, scale).astype(np.int64)
    return counts + rng.poisson(counts * (scale - 1.0)).astype(np.int64)


def _expand(counts: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(page, day) of every unit in a page x day count matrix."""
    days = counts.shape[1]
    cell = np.repeat(np.arange(counts.size, dtype=np.int64), counts.ravel())
    return cell // days, cell % days


def _pick_forms(forms: tuple[EntryForm, ...], n: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Form indices for ``n`` sessions by weight; when there are enough sessions every form appears once."""
    weights = np.array([f.weight for f in forms])
    local = rng.choice(len(forms), size=n, p=weights / weights.sum())
    if n >= len(forms):
        present = np.bincount(local, minlength=len(forms)) > 0
        if not present.all():
            slots = rng.choice(n, size=len(forms), replace=False)
            local[slots] = np.arange(len(forms))
    return np.array([FORM_INDEX[forms[i].key] for i in range(len(forms))], dtype=np.int64)[local]


def _diurnal_seconds(n: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    hours = rng.choice(24, size=n, p=HOUR_WEIGHTS)
    return (hours * 3600 + rng.integers(0, 3600, size=n)).astype(np.int64)


def _page_counts(forms: npt.NDArray[np.int64], rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Page views per session from the planted (bounce, stop) of each session's entry form."""
    bounce = rng.random(forms.size) < _BOUNCE[forms]
    longer = 1 + rng.geometric(_STOP[forms])
    return np.where(bounce, 1, np.minimum(MAX_PAGES_PER_SESSION, longer)).astype(np.int64)


def popularity_rates(world: World) -> dict[str, npt.NDArray[np.float64]]:
    """Expected sessions per page and day (before scaling) of the channels that follow page popularity."""
    base = world.search.expected_clicks_no_effect
    rates = {name: ratio * base for name, ratio in POPULARITY_RATIOS.items()}
    days = base.shape[1]
    newsletter = np.zeros_like(base)
    rng = world.config.rng(_STREAM_NEWSLETTER)
    eligible = np.flatnonzero(world.pages["segment"].isin(["blog", "guides"]).to_numpy())
    if eligible.size == 0:
        eligible = np.arange(base.shape[0])
    issue_size = 0.08 * world.config.n_pages * world.config.mean_daily_clicks
    tuesday = (1 - world.config.start.weekday()) % 7
    for day in range(tuesday, days, 7):
        featured = rng.choice(eligible, size=min(NEWSLETTER_PAGES, eligible.size), replace=False)
        newsletter[featured, day] += issue_size
        if day + 1 < days:
            newsletter[featured, day + 1] += issue_size / 2
    rates["email"] = rates["email"] + newsletter
    return rates


def expected_mix(world: World) -> list[tuple[float, float, float]]:
    """(expected sessions at scale 1, bounce, stop) per engagement group; used to size the log."""
    clicks = float(world.search.clicks.sum())
    mix = [(clicks * (1.0 + sum(SEARCH_SHARES.values())), *CHANNEL_ENGAGEMENT["organic_search"])]
    for k, name in enumerate(PLATFORM_NAMES):
        mix.append((float(world.social.sessions[:, :, k].sum()), BY_NAME[name].bounce, BY_NAME[name].stop))
    for channel, rate in popularity_rates(world).items():
        mix.append((float(rate.sum()), *CHANNEL_ENGAGEMENT[channel]))
    return mix


def plan_sessions(world: World, scale: float, rng: np.random.Generator) -> SessionPlan:
    """Draw every human session of the log."""
    pages_l: list[npt.NDArray[np.int64]] = []
    days_l: list[npt.NDArray[np.int64]] = []
    forms_l: list[npt.NDArray[np.int64]] = []
    secs_l: list[npt.NDArray[np.int64]] = []

    def add(
        counts: npt.NDArray[np.int64], forms: tuple[EntryForm, ...]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        page, day = _expand(counts)
        pages_l.append(page)
        days_l.append(day)
        forms_l.append(_pick_forms(forms, page.size, rng))
        return page, day

    clicks = world.search.clicks
    _, day = add(_thin(clicks, scale, rng), SEARCH_FORMS["google"])
    secs_l.append(_diurnal_seconds(day.size, rng))
    for engine, share in SEARCH_SHARES.items():
        _, day = add(rng.poisson(clicks * share * scale).astype(np.int64), SEARCH_FORMS[engine])
        secs_l.append(_diurnal_seconds(day.size, rng))

    post_second = _first_post_second(world)
    n_platforms = len(PLATFORM_NAMES)
    for k, name in enumerate(PLATFORM_NAMES):
        page, day = add(_thin(world.social.sessions[:, :, k], scale, rng), SOCIAL_FORMS[name])
        secs = _diurnal_seconds(day.size, rng)
        posted = post_second.get_many((page * clicks.shape[1] + day) * n_platforms + k)
        after = posted >= 0
        # Visits on the day of a post come after it, most of them soon after.
        u = rng.random(day.size) ** 2
        secs = np.where(after, posted + (u * (86399 - posted)).astype(np.int64), secs)
        secs_l.append(secs)

    groups = {
        "direct": (DIRECT_FORM,),
        "referral": REFERRAL_FORMS,
        "email": EMAIL_FORMS,
        "internal": (INTERNAL_FORM,),
        "ai_assistant": AI_FORMS,
        "open_social": OPEN_SOCIAL_FORMS,
    }
    for channel, rate in popularity_rates(world).items():
        page, day = add(rng.poisson(rate * scale).astype(np.int64), groups[channel])
        secs = _diurnal_seconds(day.size, rng)
        if channel == "direct":
            secs = _dark_social(page, day, secs, post_second, clicks.shape[1], n_platforms)
        secs_l.append(secs)

    day_all = np.concatenate(days_l)
    start = day_all * 86400 + np.concatenate(secs_l)
    forms = np.concatenate(forms_l)
    order = np.argsort(start, kind="stable")
    return SessionPlan(
        day=day_all[order],
        page=np.concatenate(pages_l)[order],
        form=forms[order],
        start=start[order],
        n_pages=_page_counts(forms, rng)[order],
    )


def _dark_social(page: npt.NDArray[np.int64], day: npt.NDArray[np.int64], secs: npt.NDArray[np.int64],
                 post_second: _Lookup, days: int, n_platforms: int) -> npt.NDArray[np.int64]:
    """Direct visits on the day a page was posted come after the post, like the social visits: people who got the
    link in a chat or an app that strips the referrer (dark social). Only their time moves, so every count stays;
    the time is derived from the drawn one, so no random stream shifts."""
    key = (page * days + day) * n_platforms
    posted = np.full(page.size, -1, dtype=np.int64)
    for k in range(n_platforms):
        found = post_second.get_many(key + k)
        posted = np.where((found >= 0) & ((posted < 0) | (found < posted)), found, posted)
    u = (secs / 86400.0) ** 6  # most of them soon after the post
    return np.where(posted >= 0, posted + 60 + (u * np.maximum(86399 - 60 - posted, 0)).astype(np.int64), secs)


@dataclass(frozen=True)
class _Lookup:
    keys: npt.NDArray[np.int64]
    values: npt.NDArray[np.int64]

    def get_many(self, query: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Value per query key, -1 where absent."""
        if self.keys.size == 0:
            return np.full(query.size, -1, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.keys, query), 0, self.keys.size - 1)
        return np.where(self.keys[pos] == query, self.values[pos], -1)


def _first_post_second(world: World) -> _Lookup:
    """Local second of the first post per (page, day, platform), keyed like the social sessions above."""
    linked = world.posts[world.posts["page"] >= 0]
    if linked.empty:
        return _Lookup(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    k = linked["platform"].map({name: i for i, name in enumerate(PLATFORM_NAMES)}).to_numpy()
    keys = (linked["page"].to_numpy() * world.config.days + linked["day"].to_numpy()) * len(
        PLATFORM_NAMES
    ) + k
    seconds = linked["local_second"].to_numpy()
    order = np.lexsort((seconds, keys))
    keys, seconds = keys[order], seconds[order]
    first = np.r_[True, keys[1:] != keys[:-1]]
    return _Lookup(keys[first].astype(np.int64), seconds[first].astype(np.int64))
