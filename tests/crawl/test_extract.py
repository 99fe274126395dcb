"""The HTML extractor: links with rel and text, canonical, Open Graph, Twitter Card, JSON-LD, charsets, bad input."""

from __future__ import annotations

import json

from socialseo.crawl.extract import MAX_HTML_BYTES, Link, extract_page, parse_rel

PAGE = """<!doctype html><html lang="en-GB"><head>
<title>  Our   launch </title>
<meta name="Description" content="All about it">
<meta property="og:title" content="Launch">
<meta property="og:image" content="https://cdn.example.com/a.png">
<meta property="og:image" content="https://cdn.example.com/b.png">
<meta name="twitter:card" content="summary_large_image">
<link rel="Canonical alternate" href="/launch/">
<script type="application/ld+json">{"@type": "Article", "headline": "Launch"}</script>
<script type="application/ld+json">[{"@type": "Person"}, {"@type": "Organization"}]</script>
<script type="application/ld+json">{"@type": broken}</script>
<script>var x = "<a href='/not-a-link'>";</script>
</head><body>
<p>Hello <a href="https://shop.example.com/p?id=1" rel="NOFOLLOW  noopener">Buy
   now</a>
<a href="/about">About</a>
<a href="javascript:void(0)">js</a><a href="mailto:a@b.c">mail</a><a href="#top">top</a>
<a href="https://x.com/brand" rel="ugc sponsored"><img src="i.png" alt="Brand logo"></a>
<map><area href="https://example.org/region" alt="Region" rel="noreferrer"></map>
</body></html>"""


def test_links_are_absolute_with_rel_tokens_and_collapsed_text() -> None:
    page = extract_page(PAGE, "https://www.example.com/blog/post")
    assert page.links == [
        Link("https://shop.example.com/p?id=1", "Buy now", ("nofollow", "noopener"), "a"),
        Link("https://www.example.com/about", "About", (), "a"),
        Link("https://x.com/brand", "Brand logo", ("ugc", "sponsored"), "a"),
        Link("https://example.org/region", "Region", ("noreferrer",), "area"),
    ]
    assert [link.is_followed for link in page.links] == [False, True, False, True]


def test_metadata_opengraph_twitter_and_jsonld() -> None:
    page = extract_page(PAGE, "https://www.example.com/blog/post")
    assert page.title == "Our launch"
    assert page.meta_description == "All about it"
    assert page.canonical == "https://www.example.com/launch/"
    assert page.lang == "en-GB"
    assert page.opengraph == {
        "og:title": ["Launch"],
        "og:image": ["https://cdn.example.com/a.png", "https://cdn.example.com/b.png"],
    }
    assert page.twitter == {"twitter:card": ["summary_large_image"]}
    assert [item["@type"] for item in page.jsonld] == ["Article", "Person", "Organization"]
    assert len(page.errors) == 1 and page.errors[0].startswith("jsonld: script 3")
    assert "Hello" in page.text and "not-a-link" not in page.text


def test_base_href_changes_resolution() -> None:
    page = extract_page('<base href="https://cdn.example.net/x/"><a href="y">y</a>', "https://example.com/")
    assert page.links[0].href == "https://cdn.example.net/x/y"


def test_to_dict_is_json_with_the_stable_keys() -> None:
    data = json.loads(json.dumps(extract_page(PAGE, "https://www.example.com/").to_dict()))
    assert list(data) == [
        "url",
        "title",
        "meta_description",
        "canonical",
        "lang",
        "charset",
        "links",
        "opengraph",
        "twitter",
        "jsonld",
        "errors",
    ]
    assert data["links"][0] == {
        "href": "https://shop.example.com/p?id=1",
        "text": "Buy now",
        "rel": ["nofollow", "noopener"],
        "tag": "a",
        "followed": False,
    }


def test_parse_rel_any_case_and_whitespace() -> None:
    assert parse_rel("\tUGC\nNoFollow ugc ") == ("ugc", "nofollow")
    assert parse_rel(None) == () and parse_rel("") == ()


def test_charset_from_header_meta_and_detection() -> None:
    text = "<p>Café <a href='/crème'>crème brûlée</a></p>"
    latin = text.encode("cp1252")
    assert (
        extract_page(latin, "https://e.com/", content_type="text/html; charset=windows-1252").links[0].text
        == "crème brûlée"
    )
    meta = b"<meta charset='iso-8859-1'>" + latin
    assert extract_page(meta, "https://e.com/").links[0].text == "crème brûlée"
    # no declaration, not UTF-8: detection must not produce replacement characters for plain latin text
    undeclared = ("<p>" + "Le café et la crème brûlée sont délicieux. " * 20 + "</p><a href='/x'>été</a>").encode(
        "cp1252"
    )
    page = extract_page(undeclared, "https://e.com/")
    assert "\ufffd" not in page.links[0].text and page.links[0].text == "été"
    # a wrong declared charset never raises
    assert extract_page(
        "<a href='/x'>日本</a>".encode(), "https://e.com/", content_type="text/html; charset=ascii"
    ).links


def test_broken_html_never_raises() -> None:
    for junk in [
        "<a href='/a' rel=nofollow>unclosed <b><i>",
        "<<<>>>&&&",
        "\x00\x00<a href=/z>z",
        "",
        "<a href='http://[bad/'>x</a><a href='/ok'>ok</a>",
    ]:
        page = extract_page(junk, "https://e.com/")
        assert isinstance(page.links, list)
    assert [
        link.href for link in extract_page("<a href='http://[bad/'>x</a><a href='/ok'>ok</a>", "https://e.com/").links
    ] == ["https://e.com/ok"]


def test_huge_page_is_cut_and_says_so() -> None:
    big = b"<a href='/first'>first</a>" + b"<p>" + b"x" * (MAX_HTML_BYTES + 10) + b"<a href='/last'>last</a>"
    page = extract_page(big, "https://e.com/")
    assert [link.text for link in page.links] == ["first"]
    assert page.errors and "only the first" in page.errors[0]
