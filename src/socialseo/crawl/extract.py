"""The one HTML extractor: links with rel and anchor text, canonical, Open Graph, Twitter Card and JSON-LD.

Every reader of HTML in socialseo (``ingest pages``, WARC responses, the crawler, ``socialseo inspect``) goes
through :func:`extract_page`, so a link means the same thing wherever it was found. Parsing is selectolax's
Lexbor engine: an HTML5 parser that repairs broken markup the way browsers do and never raises on it, and is
~45x faster than BeautifulSoup's html.parser (see benchmarks/bench_extract.py).

>>> page = extract_page('<base href="https://ex.com/a/"><a href="b" rel="UGC nofollow">Hi  there</a>', "https://x.org/")
>>> page.links[0]
Link(href='https://ex.com/a/b', text='Hi there', rel=('ugc', 'nofollow'), tag='a')
>>> page.links[0].is_followed
False
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from socialseo.crawl.charset import decode_html

# rel tokens that stop a link passing ranking credit (Google: "qualify your outbound links").
UNFOLLOWED_RELS = frozenset({"nofollow", "ugc", "sponsored"})
# Pages beyond this are cut before parsing: a 50 MB page is almost always a dump or a trap, and its first
# megabytes hold its head and most of its links. The cut is recorded in ``errors``.
MAX_HTML_BYTES = 8 * 1024 * 1024
_HTML_SPACE = re.compile(r"[ \t\n\f\r]+")
_FOLLOWABLE_SCHEMES = ("http", "https")
_JSONLD_WRAPPER = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")
_TEXT_TAGS = ("script", "style", "noscript", "template")


@dataclass(frozen=True)
class Link:
    """One ``<a>`` or ``<area>`` link: absolute ``href``, collapsed ``text``, lower-case ``rel`` tokens."""

    href: str
    text: str
    rel: tuple[str, ...]
    tag: str

    @property
    def is_followed(self) -> bool:
        """True unless rel holds nofollow, ugc or sponsored: whether the link passes ranking credit."""
        return not UNFOLLOWED_RELS.intersection(self.rel)

    def to_dict(self) -> dict[str, Any]:
        return {
            "href": self.href,
            "text": self.text,
            "rel": list(self.rel),
            "tag": self.tag,
            "followed": self.is_followed,
        }


@dataclass(frozen=True)
class PageExtract:
    """What one page says about itself and links to. ``errors`` lists what could not be read (bad JSON-LD ...)."""

    url: str
    title: str | None
    meta_description: str | None
    canonical: str | None
    lang: str | None
    opengraph: dict[str, list[str]]
    twitter: dict[str, list[str]]
    jsonld: list[Any]
    links: list[Link]
    errors: list[str]
    charset: str | None = None
    # Visible text (scripts and styles removed), for finding brand mentions; not part of ``to_dict``.
    text: str = field(default="", repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The stable shape printed by ``socialseo inspect --json``."""
        return {
            "url": self.url,
            "title": self.title,
            "meta_description": self.meta_description,
            "canonical": self.canonical,
            "lang": self.lang,
            "charset": self.charset,
            "links": [link.to_dict() for link in self.links],
            "opengraph": self.opengraph,
            "twitter": self.twitter,
            "jsonld": self.jsonld,
            "errors": self.errors,
        }


def parse_rel(value: str | None) -> tuple[str, ...]:
    """Split a rel attribute into lower-case tokens, first occurrence kept: ``"NoFollow  UGC"`` -> (nofollow, ugc).

    >>> parse_rel(" NoFollow\\tugc nofollow ")
    ('nofollow', 'ugc')
    """
    if not value:
        return ()
    return _rel_tokens(value)


@lru_cache(maxsize=4096)
def _rel_tokens(value: str) -> tuple[str, ...]:
    # A site writes the same few rel values on every link: split each once.
    return tuple(dict.fromkeys(t.lower() for t in _HTML_SPACE.split(value) if t))


def collapse(text: str | None) -> str:
    """Whitespace runs become one space; ends trimmed."""
    return " ".join(text.split()) if text else ""


def _origin(base: str) -> str | None:
    """``scheme://host`` of an http(s) base, for resolving root-relative links without urljoin's cost."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme.lower() in _FOLLOWABLE_SCHEMES else None


def _resolve(base: str, href: str, origin: str | None = None) -> str | None:
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    lowered = href[:8].lower()
    # Fast paths for the two shapes nearly every link has; anything else (dot segments, relative paths,
    # scheme-relative) goes through urljoin.
    if lowered.startswith(("http://", "https://")) and "/." not in href and "[" not in href:
        return href
    if origin is not None and href[0] == "/" and not href.startswith("//") and "/." not in href:
        return origin + href
    try:
        absolute = urljoin(base, href)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:  # "http://[bad" and other unparseable authorities
        return None
    return absolute if scheme in _FOLLOWABLE_SCHEMES else None


def _link_text(node: LexborNode) -> str:
    text = collapse(node.text(deep=True, separator=" "))
    if text:
        return text
    if node.tag == "area":
        return collapse(node.attributes.get("alt"))
    image = node.css_first("img[alt]")  # an image link's anchor text is its alt text
    return collapse(image.attributes.get("alt")) if image is not None else ""


def _meta(tree: LexborHTMLParser) -> tuple[str | None, dict[str, list[str]], dict[str, list[str]]]:
    description: str | None = None
    opengraph: dict[str, list[str]] = {}
    twitter: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if content is None:
            continue
        # Sites write og: under name= and twitter: under property= often enough that both are read for both.
        key = (attrs.get("property") or attrs.get("name") or "").strip().lower()
        if not key:
            continue
        if key == "description" and description is None:
            description = collapse(content)
        elif key.startswith("twitter:"):
            twitter.setdefault(key, []).append(content.strip())
        elif key.startswith(("og:", "article:", "book:", "profile:", "music:", "video:", "fb:")):
            opengraph.setdefault(key, []).append(content.strip())
    return description, opengraph, twitter


def _jsonld(tree: LexborHTMLParser, errors: list[str]) -> list[Any]:
    found: list[Any] = []
    for index, node in enumerate(tree.css("script[type]")):
        if (node.attributes.get("type") or "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        raw = _JSONLD_WRAPPER.sub("", node.text(deep=True) or "").strip()
        if not raw:
            continue
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            errors.append(f"jsonld: script {index + 1} is not valid JSON ({str(exc)[:80]})")
            continue
        found.extend(value if isinstance(value, list) else [value])
    return found


def _canonical(tree: LexborHTMLParser, base: str) -> str | None:
    for node in tree.css("link[rel][href]"):
        if "canonical" in parse_rel(node.attributes.get("rel")):
            return _resolve(base, node.attributes.get("href") or "")
    return None


def extract_page(html: str | bytes, url: str, *, content_type: str | None = None) -> PageExtract:
    """Extract links and metadata from one page; never raises on broken HTML (problems go to ``errors``).

    ``url`` is the page's own address: relative links resolve against it, or against ``<base href>``.
    Bytes are decoded with the charset from ``content_type``, ``<meta charset>``, or detection.
    Only http(s) links are kept; ``javascript:``, ``mailto:`` and in-page ``#`` links are not links to a page.
    """
    errors: list[str] = []
    charset: str | None = None
    if isinstance(html, bytes):
        if len(html) > MAX_HTML_BYTES:
            errors.append(f"page is {len(html):,} bytes; only the first {MAX_HTML_BYTES:,} were read")
            html = html[:MAX_HTML_BYTES]
        html, charset = decode_html(html, content_type)
    elif len(html) > MAX_HTML_BYTES:
        errors.append(f"page is {len(html):,} characters; only the first {MAX_HTML_BYTES:,} were read")
        html = html[:MAX_HTML_BYTES]
    try:
        tree = LexborHTMLParser(html)
    except Exception as exc:  # selectolax raises on pathological input (e.g. lone surrogates); keep going
        errors.append(f"html: could not be parsed ({str(exc)[:80]})")
        return PageExtract(url, None, None, None, None, {}, {}, [], [], errors, charset)

    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        base = _resolve(url, base_node.attributes.get("href") or "") or url
    links = []
    origin = _origin(base)
    for node in tree.css("a[href], area[href]"):
        attrs = node.attributes  # built anew on every access
        href = _resolve(base, attrs.get("href") or "", origin)
        if href is not None:
            links.append(Link(href, _link_text(node), parse_rel(attrs.get("rel")), node.tag or "a"))

    title_node = tree.css_first("title")
    html_node = tree.css_first("html")
    description, opengraph, twitter = _meta(tree)
    jsonld = _jsonld(tree, errors)
    canonical = _canonical(tree, base)
    tree.strip_tags(list(_TEXT_TAGS))
    body = tree.body
    return PageExtract(
        url=url,
        title=collapse(title_node.text()) or None if title_node is not None else None,
        meta_description=description,
        canonical=canonical,
        lang=(html_node.attributes.get("lang") or None) if html_node is not None else None,
        opengraph=opengraph,
        twitter=twitter,
        jsonld=jsonld,
        links=links,
        errors=errors,
        charset=charset,
        text=collapse(body.text(separator=" ")) if body is not None else "",
    )
