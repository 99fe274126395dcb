"""Every channel and platform has one colour, kept in a data file, and every chart draws it in that colour."""

from __future__ import annotations

import itertools
import math
from importlib import resources

import pandas as pd
import pytest

from socialseo.classify.channels import CHANNELS
from socialseo.report import charts
from socialseo.report.colours import channel_colours, colour, fallback, platform_colours


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB colour (D65), for the CIE76 colour difference."""
    rgb = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb)
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _closest(colours: dict[str, str]) -> tuple[float, str, str]:
    return min((math.dist(_lab(colours[a]), _lab(colours[b])), a, b) for a, b in itertools.combinations(colours, 2))


def test_the_colour_file_names_where_brand_colours_come_from() -> None:
    text = resources.files("socialseo.report").joinpath("data", "colours.yaml").read_text(encoding="utf-8")
    assert text.startswith("# ") and "Sources:" in text and "brand" in text


def test_every_channel_has_its_own_colour_including_ai_assistant() -> None:
    assert set(CHANNELS) | {"ai_assistant"} <= set(channel_colours())
    distance, a, b = _closest(dict(channel_colours()))
    assert distance >= 20, f"{a} and {b} look alike"


def test_platforms_are_all_distinguishable_and_pinterest_is_not_youtube_red() -> None:
    social = {k: v for k, v in platform_colours().items()
              if k in ("facebook", "instagram", "threads", "x", "linkedin", "pinterest", "reddit", "youtube",
                       "tiktok", "snapchat", "bluesky", "mastodon", "tumblr", "whatsapp", "telegram")}
    assert len(social) == 15
    distance, a, b = _closest(social)
    assert distance >= 20, f"{a} and {b} look alike"
    assert math.dist(_lab(colour("pinterest")), _lab(colour("youtube"))) >= 30
    assert colour("youtube") == "#FF0000" and colour("facebook") == "#1877F2"


def test_unknown_names_get_the_same_colour_every_time() -> None:
    assert colour("myspace") == fallback("myspace") == colour("MySpace")
    assert colour(None) == fallback("unknown")


@pytest.mark.parametrize("order", [["facebook", "x", "youtube"], ["youtube", "facebook"]])
def test_stacked_chart_colours_follow_the_name_not_the_order(order: list[str]) -> None:
    frame = pd.DataFrame({"day": ["2026-03-01"] * len(order), "platform": order, "sessions": [1] * len(order)})
    fig = charts.stacked_daily(frame, "platform", "t")
    assert {t.name: t.line.color for t in fig.data} == {name: colour(name) for name in order}
    assert fig.layout.yaxis.title.text == "sessions per day"


def test_engagement_bars_use_the_platform_colours() -> None:
    frame = pd.DataFrame({"platform": ["pinterest", "youtube"], "bounce_rate": [0.5, 0.4],
                          "avg_duration_s": [60.0, 90.0], "pages_per_session": [1.5, 2.0]})
    fig = charts.engagement_bars(frame)
    assert list(fig.data[0].marker.color) == [colour("pinterest"), colour("youtube")]
