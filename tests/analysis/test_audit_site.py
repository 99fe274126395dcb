"""The site audit on a fixture site with planted defects: every rule finds exactly the pages planted for it."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from tests.crawl.sites import html, png, raw, serve

from socialseo.analysis.audit import load_config, rules_frame, run_site_audit
from socialseo.crawl.crawler import CrawlOptions
from socialseo.crawl.store import run_crawl
from socialseo.store.warehouse import Warehouse

GOOD_DESCRIPTION = "Hand tools for woodworkers, tested in our own shop and shipped across Europe within two days."


def head(base: str, path: str, **override: str | None) -> str:
    """A page head with every social tag right, except what ``override`` changes (None removes a tag)."""
    tags = {
        "title": f"Acme page {path}",
        "description": GOOD_DESCRIPTION,
        "canonical": base + path,
        "og:title": f"Acme {path}",
        "og:description": "Tools that last.",
        "og:image": base + "/big.png",
        "og:url": base + path,
        "og:type": "article" if path.startswith("/blog/") else "website",
        "twitter:card": "summary_large_image",
        "jsonld": "",
    } | override
    out = []
    if tags["title"] is not None:
        out.append(f"<title>{tags['title']}</title>")
    if tags["description"] is not None:
        out.append(f'<meta name="description" content="{tags["description"]}">')
    if tags["canonical"] is not None:
        out.append(f'<link rel="canonical" href="{tags["canonical"]}">')
    for key in ("og:title", "og:description", "og:image", "og:url", "og:type"):
        if tags[key] is not None:
            out.append(f'<meta property="{key}" content="{tags[key]}">')
    if tags["twitter:card"] is not None:
        out.append(f'<meta name="twitter:card" content="{tags["twitter:card"]}">')
    if tags["jsonld"]:
        out.append(f'<script type="application/ld+json">{tags["jsonld"]}</script>')
    return "".join(out)


ORG = json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "Organization", "name": "Acme",
                  "sameAs": ["https://twitter.com/Acme", "https://www.linkedin.com/company/acme/"]}]})
SHARE = '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a>'
NAV = ('<a href="/blog/post-1">1</a><a href="/blog/post-2">2</a><a href="/blog/post-3">3</a><a href="/about">a</a>'
       '<a href="/products/widget">w</a><a href="/products/gadget">g</a><a href="/short">s</a>'
       '<a href="https://x.com/acme">Follow us on X</a>')

# rule id -> the paths planted for it
PLANTED = {
    "og-title-missing": {"/about"}, "og-description-missing": {"/about"}, "og-image-missing": {"/about"},
    "og-url-missing": {"/about"}, "og-type-missing": {"/about"}, "twitter-card-missing": {"/about"},
    "title-missing": {"/about"}, "description-missing": {"/blog/post-3"},
    "og-image-too-small": {"/blog/post-1"}, "og-url-not-canonical": {"/blog/post-1"},
    "share-buttons-missing": {"/blog/post-2", "/products/widget"},
    "og-title-duplicate": {"/blog/post-2", "/blog/post-3"}, "twitter-card-invalid": {"/blog/post-2"},
    "og-image-relative": {"/blog/post-3"}, "og-image-unreachable": {"/products/widget"},
    "og-image-not-image": {"/products/gadget"}, "title-length": {"/short"}, "description-length": {"/short"},
}


def _site(base: str) -> dict:
    return {
        "/": html(NAV, head=head(base, "/", jsonld=ORG)),
        "/big.png": raw(png(1200, 630), "image/png"),
        "/small.png": raw(png(300, 200), "image/png"),
        "/blog/post-1": html(SHARE, head=head(base, "/blog/post-1", **{"og:image": base + "/small.png",
                                                                        "og:url": base + "/blog/post-1?ref=og"})),
        "/blog/post-2": html("", head=head(base, "/blog/post-2", **{"og:title": "Same", "twitter:card": "large"})),
        "/blog/post-3": html('<script src="https://static.addtoany.com/menu/page.js"></script>',
                             head=head(base, "/blog/post-3", **{"og:title": "Same", "og:image": "/big.png",
                                                                 "description": None})),
        "/about": html("<p>about</p>", head=head(base, "/about", **dict.fromkeys(
            ["title", "og:title", "og:description", "og:image", "og:url", "og:type", "twitter:card"]))),
        "/products/widget": html("", head=head(base, "/products/widget", **{"og:image": base + "/gone.png"})),
        "/products/gadget": html(SHARE, head=head(base, "/products/gadget", **{"og:image": base + "/about"})),
        "/short": html("", head=head(base, "/short", title="Acme", description="Tools.")),
    }


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("audit") / "site.duckdb"
    routes: dict = {}
    with serve(routes) as base, Warehouse(db) as wh:
        routes.update(_site(base))
        run_crawl(wh, base + "/", CrawlOptions(allow_private=True, rate=0))
    return db


def _by_rule(findings) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, set[str]] = defaultdict(set)
    for rule_id, url in zip(findings["rule_id"], findings["url"], strict=True):
        found[rule_id].add("/" + url.split("/", 3)[3])
    return dict(found)


def test_every_page_rule_finds_exactly_the_planted_pages(crawled: Path) -> None:
    with Warehouse(crawled) as wh:
        findings = run_site_audit(wh.con, load_config(None))
    found = _by_rule(findings[findings["rule_id"].isin(PLANTED)])
    assert found == PLANTED
    page_rules = set(rules_frame().query("scope == 'page'")["id"])
    assert page_rules == set(PLANTED), "every page rule has a planted case"


def test_site_rules_read_sameas_and_profile_links_against_the_brand(crawled: Path, tmp_path: Path) -> None:
    config = tmp_path / "brand.toml"
    config.write_text(
        '[brand]\nname = "Acme"\n'
        '[[profiles]]\nplatform = "x"\nurl = "https://x.com/acme"\n'
        '[[profiles]]\nplatform = "linkedin"\nurl = "https://linkedin.com/company/acme"\n'
        '[[profiles]]\nplatform = "instagram"\nurl = "https://instagram.com/acme"\n', encoding="utf-8")
    with Warehouse(crawled) as wh:
        findings = run_site_audit(wh.con, load_config(config)).set_index("rule_id")
        stored = wh.sql("SELECT count(*) AS n FROM audit_findings")["n"].iloc[0]
    assert "sameas-missing" not in findings.index
    assert findings.loc["sameas-incomplete", "detail"] == {"missing": ["https://instagram.com/acme"]}
    assert sorted(findings.loc["social-links-missing", "detail"]["missing"]) == [
        "https://instagram.com/acme", "https://linkedin.com/company/acme"]
    assert stored >= len(findings)


def test_rules_switched_off_in_the_config_file_are_not_reported(crawled: Path, tmp_path: Path) -> None:
    config = tmp_path / "audit.toml"
    config.write_text('[audit]\ndisable = ["title-length", "og-title-duplicate"]\n', encoding="utf-8")
    with Warehouse(crawled) as wh:
        findings = run_site_audit(wh.con, load_config(config))
    assert not set(findings["rule_id"]) & {"title-length", "og-title-duplicate"}
    assert "description-length" in set(findings["rule_id"])


def test_an_unknown_rule_id_in_the_config_is_a_clear_error(tmp_path: Path) -> None:
    from socialseo.errors import SocialSeoError

    config = tmp_path / "audit.toml"
    config.write_text('[audit]\ndisable = ["og-titel-missing"]\n', encoding="utf-8")
    with pytest.raises(SocialSeoError, match="og-titel-missing"):
        load_config(config)


def test_audit_of_real_third_party_pages(warehouse: Warehouse) -> None:
    """extruct's sample pages (BSD-3, tests/data/extruct), served and crawled: findings agree with their markup."""
    data = Path(__file__).resolve().parents[1] / "data" / "extruct"
    names = ["opengraph_test.html", "expanded_OG_support_test.html", "tovestyrke.html",
             "Portfolio_Niels_Lubberman.html"]
    routes = {f"/p/{n}": raw((data / n).read_bytes(), "text/html") for n in names}
    routes["/"] = html("".join(f'<a href="/p/{n}">{n}</a>' for n in names))
    with serve(routes) as base:
        run_crawl(warehouse, base + "/", CrawlOptions(allow_private=True, rate=0, probe_images=False))
    found = _by_rule(run_site_audit(warehouse.con, load_config(None)))
    expected_og = {k for k, _ in json.loads((data / "opengraph_test.json").read_text())[0]["properties"]}
    for prop in ("og:title", "og:description", "og:image", "og:url", "og:type"):
        rule = prop.replace(":", "-") + "-missing"
        assert ("/p/opengraph_test.html" in found.get(rule, set())) == (prop not in expected_og)
    # Songkick's event page has a twitter.com/share link: a share button, so never "share buttons missing"
    assert "/p/tovestyrke.html" not in found.get("share-buttons-missing", set())
    pages = warehouse.sql("SELECT url, title FROM crawl_pages WHERE url LIKE '%tovestyrke%'")
    assert pages["title"].iloc[0].startswith("Tove Styrke")


def test_report_shows_the_audit_with_crawled_text_escaped(crawled: Path, tmp_path: Path) -> None:
    from socialseo.report.html import write_report

    with Warehouse(crawled) as wh:
        run_site_audit(wh.con, load_config(None))
        wh.con.execute("INSERT INTO audit_findings (audit_id, rule_id, severity, url, message) VALUES "
                       "('site-zz-injected', 'og-title-missing', 'error', '<script>alert(1)</script>', 'x')")
        page = write_report(wh.con, tmp_path).read_text(encoding="utf-8")
    assert "Social readiness" in page and "og-image-too-small" not in page  # only the newest audit is shown
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
