"""Read the packaged data files in ``classify/data/`` once per process.

Facts about the world (platform domains, search engines, bots, tracking parameters) live in YAML files so that
keeping them current is an edit to data, not to code.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed ``data/<name>.yaml``; parsed once, shared afterwards (treat it as read-only)."""
    text = resources.files("socialseo.classify").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")
    # The C loader when PyYAML has it: the pure-Python one takes most of a second for these files.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"classify/data/{name}.yaml must hold a mapping at its top level")
    return data
