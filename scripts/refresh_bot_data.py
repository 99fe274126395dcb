"""Refresh the bundled bot data: the crawler-user-agents list and the operators' published crawler addresses.

Run by a maintainer with network access; socialseo itself never downloads anything. Writes

* ``src/socialseo/classify/data/crawler_user_agents.yaml`` from the crawler-user-agents JSON (MIT licence,
  github.com/monperrus/crawler-user-agents), as shipped in its PyPI package ``crawler-user-agents``: each
  pattern becomes plain tokens for the Aho-Corasick automaton where it is a literal in disguise (``Googlebot\\/``,
  ``[wW]get``, ``Ahrefs(Bot|SiteAudit)``), and stays a regular expression only where it truly is one;
* ``src/socialseo/classify/data/bot_ranges.yaml`` from the operators' JSON range lists (``--ranges``).

    python scripts/refresh_bot_data.py                       # downloads the PyPI package with pip
    python scripts/refresh_bot_data.py --crawler-json PATH   # from a copy of crawler-user-agents.json
    python scripts/refresh_bot_data.py --ranges              # also fetch the published address ranges
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import itertools
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "src" / "socialseo" / "classify" / "data"
PACKAGE = "crawler-user-agents"

PURPOSE_OF_TAG = {
    "ai-crawler": "training",
    "search-engine": "search_index",
    "social-preview": "preview",
    "seo": "seo_tool",
    "monitoring": "monitor",
    "http-library": "library",
    "browser-automation": "library",
}
"""crawler-user-agents tags -> our purposes; the first tag of an entry found here decides, else ``other``."""

RANGE_SOURCES = {
    "google": [
        "https://developers.google.com/static/search/apis/ipranges/googlebot.json",
        "https://developers.google.com/static/search/apis/ipranges/special-crawlers.json",
        "https://developers.google.com/static/search/apis/ipranges/user-triggered-fetchers.json",
    ],
    "bing": ["https://www.bing.com/toolbox/bingbot.json"],
    "openai": [
        "https://openai.com/gptbot.json",
        "https://openai.com/searchbot.json",
        "https://openai.com/chatgpt-user.json",
    ],
    "perplexity": ["https://www.perplexity.com/perplexitybot.json", "https://www.perplexity.com/perplexity-user.json"],
    "apple": ["https://search.developer.apple.com/applebot.json"],
}
"""Each operator's published JSON lists (``{"prefixes": [{"ipv4Prefix": ...} | {"ipv6Prefix": ...}]}``)."""


def literal_forms(pattern: str) -> list[str] | None:
    """The plain strings ``pattern`` matches (case aside), or None if it needs a real regular expression.

    >>> literal_forms(r"Ahrefs(Bot|SiteAudit)")
    ['AhrefsBot', 'AhrefsSiteAudit']
    >>> literal_forms(r"[wW]get") , literal_forms(r"^Seekbot"), literal_forms(r"a.*b")
    (['wget'], None, None)
    """
    pieces: list[list[str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            pieces.append([pattern[i + 1]])
            i += 2
        elif ch == "[":
            end = pattern.find("]", i)
            body = pattern[i + 1:end] if end > 0 else ""
            # [wW]: one letter in either case, which a case-insensitive match already covers
            if len(body) == 2 and body[0].lower() == body[1].lower() and body[0].isalpha():
                pieces.append([body[0].lower()])
                i = end + 1
            else:
                return None
        elif ch == "(":
            end = pattern.find(")", i)
            inner = pattern[i + 1:end] if end > 0 else ""
            options = [literal_forms(o) for o in inner.split("|")]
            if end < 0 or any(o is None or len(o) != 1 for o in options):
                return None
            pieces.append([o[0] for o in options if o])
            i = end + 1
        elif ch in ".^$*+?{}|)]\\":
            return None
        else:
            pieces.append([ch])
            i += 1
    forms = ["".join(p) for p in itertools.product(*pieces)]
    return forms if all(len(f) >= 3 for f in forms) else None


def _name(pattern: str, forms: list[str] | None) -> str:
    text = forms[0] if forms else re.sub(r"\\(.)", r"\1", pattern).strip("^$")
    return re.sub(r"[/ ;(]+$", "", text) or pattern


def convert(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """Our YAML entries for the JSON's entries, and how many stayed regular expressions."""
    out: list[dict[str, Any]] = []
    regexes = 0
    for entry in entries:
        pattern = str(entry["pattern"])
        forms = literal_forms(pattern)
        purpose = next((PURPOSE_OF_TAG[t] for t in entry.get("tags", []) if t in PURPOSE_OF_TAG), "other")
        item: dict[str, Any] = {"name": _name(pattern, forms), "purpose": purpose}
        if forms:
            item["tokens"] = forms
        else:
            regexes += 1
            item["pattern"] = pattern
        out.append(item)
    return out, regexes


def _package_json(version: str | None) -> tuple[list[dict[str, Any]], str]:
    with tempfile.TemporaryDirectory() as tmp:
        spec = f"{PACKAGE}=={version}" if version else PACKAGE
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", tmp, spec], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        found = re.search(r"-(\d[^-]*)-py", wheel.name)
        with zipfile.ZipFile(wheel) as zf:
            name = next(n for n in zf.namelist() if n.endswith("crawler-user-agents.json"))
            return json.loads(zf.read(name)), found[1] if found else "unknown"


def write_crawlers(entries: list[dict[str, Any]], version: str) -> None:
    items, regexes = convert(entries)
    lines = [
        "# Generated by scripts/refresh_bot_data.py: do not edit; add bots to bots.yaml instead.",
        f"# Origin: crawler-user-agents {version} (PyPI package crawler-user-agents, crawler-user-agents.json;",
        "#   github.com/monperrus/crawler-user-agents), MIT licence, Copyright (c) Martin Monperrus and contributors.",
        f"# Converted {dt.date.today().isoformat()}: {len(items)} entries, {regexes} kept as regular expressions;",
        "# purpose from the entry's tags (see PURPOSE_OF_TAG in the script).",
        f"source: {{name: crawler-user-agents, version: '{version}', license: MIT}}",
        "bots:",
    ]
    for item in items:
        lines.append("  - " + json.dumps(item, ensure_ascii=False))
    (DATA / "crawler_user_agents.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"crawler_user_agents.yaml: {len(items)} bots ({regexes} regular expressions) from {version}")


def write_ranges() -> None:
    today = dt.date.today().isoformat()
    lines = [
        "# Generated by scripts/refresh_bot_data.py --ranges: the operators' published crawler addresses.",
        f"# Fetched {today} from:",
    ]
    body = ["operators:"]
    for operator, urls in RANGE_SOURCES.items():
        body.append(f"  {operator}:")
        for url in urls:
            lines.append(f"#   {url}")
            with urllib.request.urlopen(url, timeout=30) as response:
                data = json.load(response)
            for prefix in data.get("prefixes", []):
                net = prefix.get("ipv4Prefix") or prefix.get("ipv6Prefix")
                if net:
                    body.append(f"    - {ipaddress.ip_network(net, strict=False)}")
    lines.append(f"fetched: '{today}'")
    (DATA / "bot_ranges.yaml").write_text("\n".join(lines + body) + "\n", encoding="utf-8")
    print(f"bot_ranges.yaml: {sum(1 for b in body if b.startswith('    -'))} ranges")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crawler-json", type=Path, help="a local crawler-user-agents.json instead of PyPI")
    parser.add_argument("--version", help="the crawler-user-agents version (PyPI) or the local file's version")
    parser.add_argument("--ranges", action="store_true", help="also fetch the operators' address ranges")
    args = parser.parse_args(argv)
    if args.crawler_json:
        write_crawlers(json.loads(args.crawler_json.read_text(encoding="utf-8")), args.version or "unknown")
    else:
        write_crawlers(*_package_json(args.version))
    if args.ranges:
        write_ranges()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
