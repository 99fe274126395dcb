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
    python scripts/refresh_bot_data.py --browsers-json PATH  # also rewrite benchmarks/data/user_agents.tsv.gz
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


BENCH_CORPUS = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "user_agents.tsv.gz"


def write_bench_corpus(browsers_json: Path, browsers_version: str, crawler_entries: list[dict[str, Any]],
                       crawler_version: str) -> None:
    """The benchmark's user agents: real browsers with their observed weights, and real crawlers' examples.

    ``browsers_json`` is ``dist/user-agents.json`` of the npm package user-agents (BSD-2-Clause).
    """
    import gzip

    weights: dict[str, float] = {}
    for row in json.loads(browsers_json.read_text(encoding="utf-8")):
        ua = str(row["userAgent"]).replace("\t", " ")
        weights[ua] = weights.get(ua, 0.0) + float(row.get("weight") or 0.0)
    crawlers = sorted({str(i).replace("\t", " ") for e in crawler_entries for i in e.get("instances", [])})
    header = (
        "# User agents for benchmarks/bench_ingest_logs.py (kind, weight, user agent; tab-separated).\n"
        f"# browser: npm package user-agents {browsers_version} (github.com/intoli/user-agents), "
        "BSD-2-Clause, weights as published.\n"
        f"# crawler: the instances of crawler-user-agents {crawler_version} (MIT), weight 1.\n"
    )
    body = [f"browser\t{w:.10g}\t{ua}" for ua, w in sorted(weights.items())] + [f"crawler\t1\t{ua}" for ua in crawlers]
    BENCH_CORPUS.parent.mkdir(parents=True, exist_ok=True)
    BENCH_CORPUS.write_bytes(gzip.compress((header + "\n".join(body) + "\n").encode("utf-8"), mtime=0))
    print(f"{BENCH_CORPUS.name}: {len(weights)} browsers, {len(crawlers)} crawlers")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--crawler-json", type=Path, help="a local crawler-user-agents.json instead of PyPI")
    parser.add_argument("--version", help="the crawler-user-agents version (PyPI) or the local file's version")
    parser.add_argument("--ranges", action="store_true", help="also fetch the operators' address ranges")
    parser.add_argument("--browsers-json", type=Path,
                        help="dist/user-agents.json of the npm package user-agents: rewrite the benchmark's corpus")
    parser.add_argument("--browsers-version", default="unknown", help="the user-agents package's version")
    args = parser.parse_args(argv)
    if args.crawler_json:
        entries, version = json.loads(args.crawler_json.read_text(encoding="utf-8")), args.version or "unknown"
    else:
        entries, version = _package_json(args.version)
    write_crawlers(entries, version)
    if args.browsers_json:
        write_bench_corpus(args.browsers_json, args.browsers_version, entries, version)
    if args.ranges:
        write_ranges()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
