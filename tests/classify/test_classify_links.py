"""Finding the page a post links to in its text cells."""

from __future__ import annotations

from socialseo.classify.links import find_post_link, urls_in_text

SITE = frozenset({"example.org", "www.example.org"})


def test_a_url_without_a_scheme_counts_only_on_the_site_or_a_shortener() -> None:
    text = "Tips for Node.js in notes.txt: example.org/blog/post/, other.com/x and buff.ly/3AbC"
    assert urls_in_text(text, SITE) == ["https://example.org/blog/post/", "https://buff.ly/3AbC"]


def test_utm_and_click_ids_are_dropped_from_the_page() -> None:
    found = find_post_link(["example.org/blog/post/?utm_source=x&fbclid=IwAR0&page=2"], site=SITE)
    assert (found.url, found.status, found.reason) == ("https://example.org/blog/post?page=2", "direct", None)


def test_google_and_facebook_redirect_wrappers_are_unwrapped() -> None:
    google = find_post_link(["see https://www.google.com/url?q=https://www.example.org/a/&sa=D"], site=SITE)
    facebook = find_post_link(["https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fb%2F&h=AT0"], site=SITE)
    assert (google.url, facebook.url) == ("https://www.example.org/a", "https://example.org/b")


def test_the_site_link_wins_over_an_earlier_link_elsewhere() -> None:
    found = find_post_link(["https://www.youtube.com/watch?v=abc", "Notes at example.org/notes"], site=SITE)
    assert found.url == "https://example.org/notes"


def test_a_short_link_is_resolved_from_known_pairs_or_says_why_not() -> None:
    known = {"https://t.co/AbC": "https://www.example.org/docs/?utm_source=twitter"}
    assert find_post_link(["Read https://t.co/AbC"], site=SITE, known=known).url == "https://www.example.org/docs"
    unknown = find_post_link(["Read https://t.co/XyZ"], site=SITE, known=known)
    assert (unknown.status, unknown.reason) == ("unresolved", "short link not seen in logs")


def test_posts_without_a_page_say_why() -> None:
    assert find_post_link(["New video! Link in bio #seo"], site=SITE).reason == "link in bio"
    assert find_post_link(["Happy Friday", ""], site=SITE).reason == "no link"
    assert find_post_link(["https://other.com/a"], site=SITE).reason == "links to another site"
    own = "https://www.reddit.com/r/x/comments/1/a/"
    assert find_post_link([own], site=SITE, post_url=own).reason == "links to the post itself"


def test_threads_and_bluesky_link_wrappers_are_unwrapped() -> None:
    threads = find_post_link(["https://l.threads.com/?u=https%3A%2F%2Fexample.org%2Fc%2F&e=AT0"], site=SITE)
    bluesky = find_post_link(["https://go.bsky.app/redirect?u=https%3A%2F%2Fexample.org%2Fd"], site=SITE)
    assert (threads.url, bluesky.url) == ("https://example.org/c", "https://example.org/d")
