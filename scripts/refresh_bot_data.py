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
    python scripts/refresh_bot_data.py --ranges-mirror DIR   # only the ranges, from a checkout of the mirror
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
    "google": ["https://developers.google.com/static/crawling/ipranges/common-crawlers.json"],
    "google_special": ["https://developers.google.com/static/crawling/ipranges/special-crawlers.json"],
    "bing": ["https://www.bing.com/toolbox/bingbot.json"],
    "openai": [
        "https://openai.com/gptbot.json",
        "https://openai.com/searchbot.json",
        "https://openai.com/chatgpt-user.json",
    ],
    "perplexity": ["https://www.perplexity.ai/perplexitybot.json", "https://www.perplexity.ai/perplexity-user.json"],
    "apple": ["https://search.developer.apple.com/applebot.json"],
    "duckduckgo": ["https://duckduckgo.com/duckduckbot.json"],
    "amazon": [
        "https://developer.amazon.com/amazonbot/ip-addresses/",
        "https://developer.amazon.com/amazonbot/searchbot-ip-addresses/",
        "https://developer.amazon.com/amazonbot/live-ip-addresses/",
    ],
    "commoncrawl": ["https://index.commoncrawl.org/ccbot.json"],
}
"""Each operator's own published lists, IPv4 and IPv6 (Google moved its files from /search/apis/ipranges/ to
/crawling/ipranges/ in March 2026). Google's user-triggered-fetchers.json is left out on purpose: those are the
addresses of Google Cloud customers' apps, and would verify anyone's script that claims to be Googlebot."""

MIRROR_FOLDERS = {
    "google": "googlebot",
    "bing": "bingbot",
    "openai": "gptbot",
    "perplexity": "perplexitybot",
    "apple": "applebot",
    "duckduckgo": "duckduckbot",
    "amazon": "amazonbot",
    "commoncrawl": "commoncrawl",
}
"""Operator -> folder of github.com/rezmoss/cloud-provider-ip-addresses (CC0-1.0), which fetches the lists
above daily: ``--ranges-mirror`` rebuilds the bundled snapshot from a checkout of it, without network access."""

RANGES_NOTES = [
    "#",
    "# A hit whose user agent claims one of these operators' bots (bots.yaml: operator) is `verified` from these",
    "# ranges and an impostor (bot_verified false) from anywhere else. Verification is per operator, not per",
    "# service: OpenAI, Perplexity and Amazon publish one list per agent (GPTBot, OAI-SearchBot, ChatGPT-User;",
    "# PerplexityBot, Perplexity-User; Amazonbot, Amzn-SearchBot, Amzn-User), and a ChatGPT-User fetch from a",
    "# GPTBot address is still OpenAI, so each operator's lists are merged. What the check answers is whether the",
    "# operator sent the hit; the user agent names which of its agents did.",
    "# Operators with no ranges here stay unchecked (bot_verified NULL, never an impostor): Anthropic publishes",
    "# no crawler addresses; google_special (AdsBot-Google, Mediapartners-Google, APIs-Google, which crawl from",
    "# Google's special-crawlers.json, not from the common crawlers' list) is not in the mirror.",
]
"""Said at the head of bot_ranges.yaml whichever way it was written."""

_ADDRESS = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*(?:/\d{1,3})?")


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


def prefixes_in(text: str) -> list[str]:
    """Every IPv4/IPv6 prefix a published list holds, whatever its shape.

    Most operators publish ``{"prefixes": [{"ipv4Prefix": ...} | {"ipv6Prefix": ...}]}``; others a page or a
    plain list of addresses. Anything that does not parse as an address or a network is ignored.

    >>> prefixes_in('{"prefixes": [{"ipv4Prefix": "66.249.64.0/27"}, {"ipv6Prefix": "2001:4860:4801:10::/64"}]}')
    ['66.249.64.0/27', '2001:4860:4801:10::/64']
    >>> prefixes_in("<li>3.224.62.45</li> version 1.2")
    ['3.224.62.45/32']
    """
    found: list[str] = []
    for token in _ADDRESS.findall(text):
        try:
            net = ipaddress.ip_network(token, strict=False)
        except ValueError:
            continue
        if net.is_global:  # a stray "::" or a documentation address in a page is no crawler's
            found.append(str(net))
    return found


def merged(prefixes: list[str]) -> list[str]:
    """Prefixes validated, merged where adjacent or overlapping, IPv4 first, each family in address order."""
    nets = [ipaddress.ip_network(p, strict=False) for p in prefixes]
    v4 = ipaddress.collapse_addresses(n for n in nets if n.version == 4)
    v6 = ipaddress.collapse_addresses(n for n in nets if n.version == 6)
    return [str(n) for n in itertools.chain(v4, v6)]


def _ranges_yaml(header: list[str], fetched: str, operators: dict[str, list[str]]) -> str:
    body = [f"fetched: '{fetched}'", "operators:"]
    for operator, nets in operators.items():
        body.append(f"  {operator}:")
        body.extend(f"    - {net}" for net in nets)
    return "\n".join([*header, *body]) + "\n"


def _counts(nets: list[str]) -> str:
    v6 = sum(":" in n for n in nets)
    return f"{len(nets) - v6} IPv4 + {v6} IPv6 prefixes"


def write_ranges() -> None:
    """Fetch every operator's own lists (``RANGE_SOURCES``) and rewrite bot_ranges.yaml."""
    today = dt.date.today().isoformat()
    header = [
        "# Generated by scripts/refresh_bot_data.py --ranges: the operators' published crawler addresses,",
        f"# fetched {today} from their own URLs, merged per operator (IPv4 and IPv6):",
    ]
    operators: dict[str, list[str]] = {}
    for operator, urls in RANGE_SOURCES.items():
        found: list[str] = []
        for url in urls:
            with urllib.request.urlopen(url, timeout=30) as response:
                found.extend(prefixes_in(response.read().decode("utf-8", "replace")))
        operators[operator] = merged(found)
        header.append(f"#   {operator}: {_counts(operators[operator])}, from")
        header.extend(f"#     {url}" for url in urls)
    header += RANGES_NOTES
    (DATA / "bot_ranges.yaml").write_text(_ranges_yaml(header, today, operators), encoding="utf-8")
    print(f"bot_ranges.yaml: {sum(map(len, operators.values()))} prefixes of {len(operators)} operators")


def _netset(path: Path) -> tuple[list[str], str]:
    """The prefixes of an ipset ``.netset`` file (``add NAME CIDR`` lines) and its ``Generated:`` date."""
    prefixes, generated = [], "unknown"
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if line.startswith("#") and "Generated:" in line:
            generated = line.split("Generated:", 1)[1].split("|", 1)[0].strip()
        elif len(words) == 3 and words[0] == "add":
            prefixes.append(words[2])
    return prefixes, generated


def write_ranges_from_mirror(mirror: Path) -> None:
    """Rewrite bot_ranges.yaml from a checkout of the daily mirror of the operators' lists (no network)."""
    header = [
        "# Generated by scripts/refresh_bot_data.py --ranges-mirror from a snapshot of",
        "# github.com/rezmoss/cloud-provider-ip-addresses (CC0-1.0, as its README and every file's header state),",
        "# which fetches the operators' own lists daily. Per operator: the mirror's file, the date it was",
        "# generated, what was bundled (each prefix validated, merged, IPv4 and IPv6) and the operator's URLs:",
    ]
    operators: dict[str, list[str]] = {}
    dates: set[str] = set()
    for operator, folder in MIRROR_FOLDERS.items():
        netset = mirror / folder / f"{folder}.netset"
        prefixes, generated = _netset(netset)
        meta = json.loads((mirror / folder / f"{folder}_meta.json").read_text(encoding="utf-8"))
        operators[operator] = merged(prefixes)
        dates.add(generated)
        header.append(f"#   {operator}: {folder}/{netset.name}, generated {generated}: "
                      f"{_counts(operators[operator])}, from")
        header.extend(f"#     {url}" for url in meta.get("sources") or RANGE_SOURCES[operator])
    header += RANGES_NOTES
    fetched = max(dates)
    (DATA / "bot_ranges.yaml").write_text(_ranges_yaml(header, fetched, operators), encoding="utf-8")
    print(f"bot_ranges.yaml: {sum(map(len, operators.values()))} prefixes of {len(operators)} operators, {fetched}")


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
    parser.add_argument("--ranges-mirror", type=Path, metavar="DIR",
                        help="rewrite only the address ranges, from a checkout of cloud-provider-ip-addresses")
    parser.add_argument("--browsers-json", type=Path,
                        help="dist/user-agents.json of the npm package user-agents: rewrite the benchmark's corpus")
    parser.add_argument("--browsers-version", default="unknown", help="the user-agents package's version")
    args = parser.parse_args(argv)
    if args.ranges_mirror:
        write_ranges_from_mirror(args.ranges_mirror)
        return 0
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
