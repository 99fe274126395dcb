"""The outbound-request policy, through real crawls of sites on 127.0.0.1: no redirect, og:image or spelling of an
address leads a request anywhere the user did not allow, and robots.txt is asked on every hop.

Only the test's own servers on 127.0.0.1 are ever connected to: the refused targets (169.254.169.254,
[::ffff:127.0.0.1], a second local server) are refused before any connection, which their hit counts and the
"not connected" refusals show.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.crawl.sites import Handler, hits, html, png, raw, redirect, serve

import socialseo
from socialseo.crawl.policy import AddressPolicy, BlockedAddressError, address_kind, literal_address


def _host(base: str) -> str:
    return base.split("/")[2]


def _pages(project: socialseo.Project) -> dict[str, dict[str, object]]:
    frame = project.crawl_pages()
    return {str(r["url"]).split("/", 3)[3]: r for r in frame.to_dict("records")}


@pytest.fixture
def project() -> Iterator[socialseo.Project]:
    with socialseo.open(":memory:") as opened:
        yield opened


def test_redirects_to_other_private_addresses_are_refused_without_connecting(project: socialseo.Project) -> None:
    routes: dict[str, Handler] = {}
    with serve({"/secret": html("internal admin page")}) as other, serve(routes) as site:
        port = _host(other).split(":")[1]
        routes.update({
            "/": html("".join(f'<a href="/to-{name}">{name}</a>' for name in
                              ("other", "metadata", "mapped", "name", "decimal", "hex", "file"))),
            "/to-other": redirect(f"{other}/secret", 302),
            "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/", 302),
            "/to-mapped": redirect("http://[::ffff:127.0.0.1]/", 302),
            "/to-name": redirect(f"http://localhost:{port}/secret", 302),  # a name: refused by the resolver
            "/to-decimal": redirect(f"http://2130706433:{port}/secret", 302),
            "/to-hex": redirect(f"http://0x7f.1:{port}/secret", 302),
            "/to-file": redirect("file:///etc/passwd", 302),
        })
        summary = project.crawl(site + "/", allow_hosts=(_host(site),), rate=0, sitemaps=False)
    assert hits(other) == {}
    pages = _pages(project)
    assert int(summary["pages"].iloc[0]) == 8
    assert pages["to-other"]["status"] == 302
    assert pages["to-other"]["error"].startswith(f"refused {_host(other)}: 127.0.0.1 is a loopback address")
    assert pages["to-metadata"]["error"].startswith("refused 169.254.169.254:80: 169.254.169.254 is a cloud metadata")
    assert "not connected" in pages["to-metadata"]["error"]
    assert list(pages["to-metadata"]["redirects"]) == ["http://169.254.169.254/latest/meta-data/"]
    assert pages["to-mapped"]["error"].startswith("refused [::ffff:127.0.0.1]:80: ::ffff:7f00:1 is a loopback")
    assert pages["to-name"]["error"].startswith(f"refused localhost:{port}: 127.0.0.1 is a loopback address")
    assert pages["to-decimal"]["error"].startswith(f"refused 2130706433:{port}: 127.0.0.1 is a loopback")
    assert pages["to-hex"]["error"].startswith(f"refused 0x7f.1:{port}: 127.0.0.1 is a loopback")
    assert "only http and https" in pages["to-file"]["error"]


def test_allow_private_still_refuses_cloud_metadata(project: socialseo.Project) -> None:
    routes = {"/": html('<a href="/meta">m</a>'), "/meta": redirect("http://169.254.169.254/latest/meta-data/", 302)}
    with serve(routes) as site:
        project.crawl(site + "/", allow_private=True, rate=0, sitemaps=False)
    error = _pages(project)["meta"]["error"]
    assert error.startswith("refused 169.254.169.254:80: 169.254.169.254 is a cloud metadata address")
    assert "--allow-private" not in error and "--allow-host 169.254.169.254:80" in error


def test_og_image_on_a_private_address_is_not_fetched_nor_its_robots_txt(project: socialseo.Project) -> None:
    routes: dict[str, Handler] = {}
    with serve({"/hero.png": raw(png(1200, 630), "image/png")}) as cdn, serve(routes) as site:
        routes["/"] = html("", head=f'<meta property="og:image" content="{cdn}/hero.png">')
        project.crawl(site + "/", allow_hosts=(_host(site),), rate=0, sitemaps=False)
    assert hits(cdn) == {}  # neither the image nor /robots.txt
    [(url, width, error)] = project.warehouse.con.execute("SELECT url, width, error FROM crawl_images").fetchall()
    assert url == f"{cdn}/hero.png" and width is None
    assert error.startswith(f"refused {_host(cdn)}: 127.0.0.1 is a loopback address")


def test_a_redirect_into_a_path_robots_txt_disallows_is_not_followed(project: socialseo.Project) -> None:
    routes = {"/": html('<a href="/go">go</a>'), "/go": redirect("/private/report", 302),
              "/private/report": html("secret"),
              "/robots.txt": raw(b"User-agent: *\nDisallow: /private/\n", "text/plain")}
    with serve(routes) as site:
        project.crawl(site + "/", allow_hosts=(_host(site),), rate=0, sitemaps=False)
        served = hits(site)
    assert "/private/report" not in served and served["/go"] == 1
    go = _pages(project)["go"]
    assert go["status"] == 302 and list(go["redirects"]) == [f"{site}/private/report"]
    assert go["error"] == f"disallowed by robots.txt: the redirect to {site}/private/report was not followed"


def test_robots_txt_over_500_kib_is_read_for_its_first_500_kib(project: socialseo.Project) -> None:
    head = b"User-agent: *\nDisallow: /early/\n"
    filler = b"# " + b"x" * 1021 + b"\n"  # 1 KiB comment lines
    robots = head + filler * 600 + b"Disallow: /late/\n"  # ~600 KiB: the /late/ rule lies past the limit
    routes = {"/": html('<a href="/early/a">a</a> <a href="/late/b">b</a>'), "/early/a": html("a"),
              "/late/b": html("b"), "/robots.txt": raw(robots, "text/plain")}
    with serve(routes) as site:
        summary = project.crawl(site + "/", allow_hosts=(_host(site),), rate=0, sitemaps=False)
        served = hits(site)
    pages = _pages(project)
    assert pages[""]["status"] == 200 and pages["late/b"]["status"] == 200  # the host was not skipped
    assert pages["early/a"]["error"] == "disallowed by robots.txt" and "/early/a" not in served
    assert "first part was read" in summary["notes"].iloc[0]


def test_a_start_url_the_policy_refuses_raises_before_anything_is_stored(project: socialseo.Project) -> None:
    with serve({"/": html("hi")}) as site:
        port = _host(site).split(":")[1]
        for start in (site + "/", f"http://localhost:{port}/", f"http://[::ffff:127.0.0.1]:{port}/"):
            with pytest.raises(BlockedAddressError, match="loopback address"):
                project.crawl(start, rate=0)
        with pytest.raises(socialseo.errors.SocialSeoError, match="--allow-host 'http://x/y'"):
            project.crawl(site + "/", allow_hosts=("http://x/y",))
    assert hits(site) == {} and project.warehouse.count("crawls") == 0


def test_every_spelling_of_a_refused_address_is_recognised() -> None:
    assert [str(literal_address(h)) for h in ("2130706433", "017700000001", "0x7f.1", "127.1", "[::ffff:7f00:1]")] \
        == ["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1", "::ffff:7f00:1"]
    assert literal_address("example.com") is None and literal_address("cafe.example") is None
    kinds = {a: address_kind(a) for a in ("10.1.2.3", "::ffff:127.0.0.1", "fe80::1", "224.0.0.1", "0.0.0.0",
                                          "fd00:ec2::254", "100.100.100.200", "64:ff9b::a00:1", "2002:7f00:1::",
                                          "100.64.0.1", "1.1.1.1", "2606:4700::1111")}
    assert kinds == {"10.1.2.3": "private", "::ffff:127.0.0.1": "loopback", "fe80::1": "link-local",
                     "224.0.0.1": "multicast", "0.0.0.0": "unspecified", "fd00:ec2::254": "cloud metadata",
                     "100.100.100.200": "cloud metadata", "64:ff9b::a00:1": "private", "2002:7f00:1::": "loopback",
                     "100.64.0.1": "non-public", "1.1.1.1": None, "2606:4700::1111": None}
    policy = AddressPolicy(allow_hosts=("127.0.0.1:8000", "intranet.example"))
    policy.check_url("http://127.0.0.1:8000/")  # allowed: no error
    policy.check_url("http://[::ffff:127.0.0.1]:8000/")  # the same host and port, spelled as IPv6
    with pytest.raises(BlockedAddressError, match=r"--allow-host 127\.0\.0\.1:8001"):
        policy.check_url("http://127.0.0.1:8001/")
    assert policy.host_allowed("INTRANET.example.", 8080) and not policy.host_allowed("other.example", 80)
