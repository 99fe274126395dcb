"""Refresh ``src/socialseo/analysis/data/search_updates.yaml`` from Google Search Status Dashboard's history.

Run by a maintainer with network access; socialseo itself never downloads anything. The dashboard publishes its
incidents as JSON (the "JSON history" link at the foot of status.search.google.com). Save it, then:

    curl -o incidents.json https://status.search.google.com/incidents.json
    python scripts/refresh_search_updates.py incidents.json            # prints the entries
    python scripts/refresh_search_updates.py incidents.json --write    # rewrites the data file's entries

Only incidents of the Ranking product whose description names a core or spam update are kept (Discover-only
updates do not move web search). Check the printout against the dashboard, then update the header's "Retrieved"
date by hand.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "src" / "socialseo" / "analysis" / "data" / "search_updates.yaml"
_NAME = re.compile(r"((?:January|February|March|April|May|June|July|August|September|October|November|December)"
                   r" \d{4} (core|spam) update)", re.IGNORECASE)


def entries(incidents: list[dict[str, Any]]) -> list[str]:
    """One YAML flow mapping per confirmed core or spam update, oldest first."""
    found = []
    for incident in incidents:
        products = {str(p.get("title", "")).lower() for p in incident.get("affected_products", [])}
        text = str(incident.get("external_desc", ""))
        match = _NAME.search(text)
        if "ranking" not in products or match is None or "discover" in text.lower():
            continue
        start = str(incident.get("begin", ""))[:10]
        end = str(incident.get("end") or "")[:10] or "null"
        name = match.group(1)[0].upper() + match.group(1)[1:]
        found.append(f"  - {{name: {name}, kind: {match.group(2).lower()}, start: {start}, end: {end}}}")
    return sorted(found, key=lambda line: line.split("start: ")[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("incidents", type=Path, help="the dashboard's incidents.json, saved beforehand")
    parser.add_argument("--write", action="store_true", help="replace the entries of the data file")
    args = parser.parse_args()
    lines = entries(json.loads(args.incidents.read_text(encoding="utf-8")))
    if not args.write:
        print("\n".join(lines))
        return
    header = DATA.read_text(encoding="utf-8").split("updates:\n", 1)[0]
    DATA.write_text(header + "updates:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} updates written to {DATA}")


if __name__ == "__main__":
    main()
