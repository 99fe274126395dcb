"""Report section: the crawl chain, beside the search-impact results.

Social activity can only move search through what search engines see; this section shows whether verified
search-engine crawlers came back sooner after a page's social spike (see :mod:`socialseo.analysis.crawl_chain`).
"""

from __future__ import annotations

import duckdb

from socialseo.analysis.crawl_chain import crawl_chain, name_unverified
from socialseo.report.sections.base import Section, Table, num


def sections(con: duckdb.DuckDBPyConnection) -> list[Section]:
    found = crawl_chain(con)
    section = Section(
        "impact-crawl-chain", "Do social spikes bring search engines back sooner?",
        "verified search-engine fetches in the access logs (from the operators' published addresses) around each "
        "page's social spike, against matched pages without one", not found.note,
        missing=f"No crawl-chain estimate: {found.note}." if found.note else "",
    )
    if found.note:
        return [section]
    latency = found.summary.iloc[0]
    section.summary.append(
        f"After {int(latency['spiked'])} social spikes, verified search engines fetched the page "
        f"{found.pages['latency_hours'].mean():.1f} hours into the spike day on average, against a usual wait of "
        f"{found.pages['usual_wait_hours'].mean():.1f} hours; against matched pages the wait changed by "
        f"{latency['effect']:+.1f} hours (95% interval {latency['ci_low']:+.1f} to {latency['ci_high']:+.1f}).")
    section.paragraphs.append(f"Method — {latency['method']}. Assumes: {latency['assumptions']}")
    section.tables.append(Table("The first link of the chain: social spike → recrawl", [
        "measure", "unit", "spiked pages", "matched pages", "difference", "95% interval", "verdict",
    ], [[r["description"], r["unit"], f"{r['treated']:.2f}", f"{r['control']:.2f}", f"{r['effect']:+.2f}",
         f"{r['ci_low']:+.2f} to {r['ci_high']:+.2f}", str(r["verdict"]).replace("_", " ")]
        for r in found.summary.to_dict("records")]))
    section.tables.append(Table("Each spiked page", [
        "page", "spike", "fetches before", "fetches after", "usual wait (hours)", "wait after the spike (hours)",
        "matched pages' wait (hours)",
    ], [[r["page"], r["spike_date"], num(r["fetches_before"]), num(r["fetches_after"]), f"{r['usual_wait_hours']:.1f}",
         f"{r['latency_hours']:.1f}", f"{r['control_latency_hours']:.1f}"] for r in found.pages.to_dict("records")]))
    if not found.unverified.empty:
        section.paragraphs.append("Not used, because their addresses could not vouch for them: "
                                  f"{name_unverified(found.unverified)}.")
    return [section]
