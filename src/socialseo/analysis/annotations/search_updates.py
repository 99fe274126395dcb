"""Google's confirmed ranking updates, from ``analysis/data/search_updates.yaml`` (its header names the source).

A fall in search clicks during a core update says little about a social campaign that started the same week: the
updates are drawn on the charts so nobody credits (or blames) social for them.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import pandas as pd
import yaml


@cache
def search_updates() -> pd.DataFrame:
    """One row per update: ``name``, ``kind`` (core, spam), ``start`` and ``end`` (``end`` None while rolling out).

    >>> search_updates().iloc[0][["name", "start"]].tolist()
    ['March 2024 core update', datetime.date(2024, 3, 5)]
    """
    text = resources.files("socialseo.analysis").joinpath("data", "search_updates.yaml").read_text("utf-8")
    rows = (yaml.safe_load(text) or {}).get("updates") or []
    frame = pd.DataFrame(
        [{"name": str(r["name"]), "kind": str(r["kind"]), "start": _day(r["start"]), "end": _day(r.get("end"))}
         for r in rows],
        columns=["name", "kind", "start", "end"],
    )
    return frame.sort_values("start", kind="stable").reset_index(drop=True)


def _day(value: object) -> date | None:
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))
