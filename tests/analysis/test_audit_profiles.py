"""The profile audit on saved profile pages and live local ones, with planted inconsistencies."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from PIL import Image, ImageDraw
from tests.crawl.sites import html, serve

from socialseo.analysis.audit.profiles import display_name, handle_of
from socialseo.api import Project
from socialseo.crawl.crawler import CrawlOptions
from socialseo.crawl.extract import extract_page
from socialseo.crawl.store import run_crawl
from socialseo.store.warehouse import Warehouse


def _logo(path: Path, colour: str, shape: str = "circle") -> Path:
    image = Image.new("RGB", (256, 256), "white")
    draw = ImageDraw.Draw(image)
    if shape == "circle":
        draw.ellipse((40, 40, 216, 216), fill=colour)
    else:
        draw.rectangle((0, 0, 128, 256), fill=colour)
        draw.line((0, 255, 255, 0), fill="black", width=30)
    image.save(path)
    return path


def _saved(path: Path, title: str, bio: str, links: str = "", image: str = "") -> Path:
    og_image = f'<meta property="og:image" content="{image}">' if image else ""
    path.write_text(f'<html><head><meta property="og:title" content="{title}">'
                    f'<meta property="og:description" content="{bio}">{og_image}</head>'
                    f"<body>{links}</body></html>", encoding="utf-8")
    return path


def test_display_names_and_handles_come_without_platform_decorations() -> None:
    page = extract_page('<meta property="og:title" content="Acme Tools (@acmetools) / X">', "https://x.com/acmetools")
    assert display_name(page) == "Acme Tools"
    assert handle_of("https://www.linkedin.com/company/acme-tools/") == "acme-tools"
    assert handle_of("https://www.tiktok.com/@AcmeTools") == "acmetools"


def test_profile_audit_finds_the_planted_problems(tmp_path: Path, warehouse: Warehouse) -> None:
    _logo(tmp_path / "logo.png", "red")
    _logo(tmp_path / "x-avatar.png", "red")
    _logo(tmp_path / "ig-avatar.png", "blue", shape="square")

    async def blocked(request: web.Request) -> web.Response:
        return web.Response(status=999, text="request denied")

    site_routes = {"/": html('<a href="/about">about</a>', head='<script type="application/ld+json">'
                             '{"@type": "Organization", "sameAs": ["https://x.com/acmetools"]}</script>'),
                   "/about": html("about")}
    with serve(site_routes) as site, serve({"/in/acme": blocked}) as platform:
        run_crawl(warehouse, site + "/", CrawlOptions(allow_private=True, rate=0))
        # X: links to the site (through a t.co-like wrapper), says both keywords, same logo
        _saved(tmp_path / "x.html", "Acme Tools (@acmetools) / X", "Hand tools and woodworking supplies.",
               f'<a href="https://l.example/?u={site}/">{site}</a>', "x-avatar.png")
        # Instagram: other name, other handle, no link, one keyword missing, different avatar
        _saved(tmp_path / "ig.html", "Acme Toolworks • Instagram photos and videos", "Hand tools daily.",
               image="ig-avatar.png")
        # Facebook: links to a dead page of the site
        _saved(tmp_path / "fb.html", "Acme Tools | Facebook", "Hand tools. Woodworking.",
               f'<a href="{site}/gone">website</a>')
        (tmp_path / "profiles.toml").write_text(f'''
[brand]
name = "Acme Tools"
site = "{site}"
keywords = ["hand tools", "woodworking"]
logo = "logo.png"

[[profiles]]
platform = "x"
url = "https://x.com/acmetools"
saved = "x.html"

[[profiles]]
platform = "instagram"
url = "https://www.instagram.com/acme.toolworks/"
saved = "ig.html"

[[profiles]]
platform = "facebook"
url = "https://www.facebook.com/acmetools"
saved = "fb.html"

[[profiles]]
platform = "linkedin"
url = "{platform}/in/acme"
''', encoding="utf-8")
        table, findings = Project(warehouse).audit_profiles(tmp_path / "profiles.toml", allow_private=True)
    got = {(p, r) for p, r in zip(findings["platform"], findings["rule_id"], strict=True)}
    assert got == {
        ("instagram", "profile-no-site-link"), ("instagram", "profile-keywords-missing"),
        ("instagram", "profile-name-inconsistent"), ("instagram", "profile-handle-inconsistent"),
        ("instagram", "profile-avatar-inconsistent"), ("instagram", "profile-not-in-sameas"),
        ("facebook", "profile-site-link-broken"), ("facebook", "profile-not-in-sameas"),
        ("linkedin", "profile-unreadable"),
    }
    rows = table.set_index("platform")
    assert rows.loc["x", "avatar_distance"] <= 10 < rows.loc["instagram", "avatar_distance"]
    assert rows.loc["linkedin", "source"] == "unreadable" and "999" in rows.loc["linkedin", "problem"]
    assert bool(rows.loc["x", "in_same_as"]) and rows.loc["x", "site_link_ok"]


def test_profile_text_is_kept_as_data_not_markup(tmp_path: Path, warehouse: Warehouse) -> None:
    _saved(tmp_path / "x.html", "&lt;script&gt;alert(1)&lt;/script&gt; [bold]Acme[/bold]", "bio")
    (tmp_path / "p.toml").write_text('[brand]\nname = "Acme"\n[[profiles]]\nplatform = "x"\n'
                                     'url = "https://x.com/acme"\nsaved = "x.html"\n', encoding="utf-8")
    table, _ = Project(warehouse).audit_profiles(tmp_path / "p.toml")
    assert table["name"].iloc[0] == "<script>alert(1)</script> [bold]Acme[/bold]"
