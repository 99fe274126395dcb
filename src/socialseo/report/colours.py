"""The fixed colour of every channel and platform (``data/colours.yaml``), so charts agree across reports.

A colour picked from the order traces happen to appear in would give Facebook blue in one report and orange in the
next; readers learn a platform's colour once, so every chart looks it up here by name.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml


@cache
def _data() -> dict[str, object]:
    text = resources.files("socialseo.report").joinpath("data", "colours.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("report/data/colours.yaml must hold a mapping at its top level")
    return data


def _group(name: str) -> Mapping[str, str]:
    raw = _data().get(name) or {}
    assert isinstance(raw, dict)
    return MappingProxyType({str(k): str(v) for k, v in raw.items()})


@cache
def channel_colours() -> Mapping[str, str]:
    """Channel name -> colour (``social``, ``organic_search``, ``ai_assistant``, ...)."""
    return _group("channels")


@cache
def platform_colours() -> Mapping[str, str]:
    """Platform name -> colour: social platforms and AI assistants."""
    return MappingProxyType({**_group("platforms"), **_group("assistants")})


def fallback(name: str) -> str:
    """A colour for a name the file lacks, the same in every run (a hash of the name, not its position)."""
    palette = _data().get("fallback")
    assert isinstance(palette, list) and palette
    return str(palette[zlib.crc32(name.encode("utf-8")) % len(palette)])


def colour(name: str | None) -> str:
    """The colour of a channel or platform by name; ``None`` and unknown names get a stable fallback."""
    key = str(name or "unknown").lower()
    return channel_colours().get(key) or platform_colours().get(key) or fallback(key)


def colours_for(names: Iterable[object]) -> dict[str, str]:
    """``{name: colour}`` for the names a chart draws, e.g. a pivot table's columns."""
    return {str(n): colour(str(n)) for n in names}
