"""Every log layout socialseo reads, each with the real DuckDB: Nginx log_format strings, JSON lines (Nginx
escape=json, Caddy, Traefik, Cloudflare), AWS ALB and CloudFront, zstd, many files at once, detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import zstandard
from tests.ingest.test_access_logs import LINES, UA, write_log

from socialseo.errors import FormatNotRecognisedError
from socialseo.ingest.logs.formats import nginx_format
from socialseo.ingest.logs.importer import import_access_log, import_access_logs
from socialseo.store.warehouse import Warehouse

SITE = ["www.example.com"]


def hits(warehouse: Warehouse, columns: str = "url, status, channel, platform, evidence") -> list[tuple]:  # type: ignore[type-arg]
    return warehouse.con.execute(f"SELECT {columns} FROM hits ORDER BY seq").fetchall()


def test_nginx_log_format_with_extra_fields_is_read(warehouse: Warehouse, tmp_path: Path) -> None:
    spec = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" '
            '"$http_user_agent" rt=$request_time "$http_x_forwarded_for"')
    lines = [
        f'192.0.2.1 - - [01/Mar/2026:10:00:00 +0000] "GET /a?ttclid=E1 HTTP/2.0" 200 10 "-" "{UA}" rt=0.004 "-"',
        f'192.0.2.2 - bob [01/Mar/2026:10:00:05 +0100] "GET /b HTTP/1.1" 404 0 "https://lnkd.in/x" "{UA}" rt=0.1 "10.0.0.1"',
    ]
    result = import_access_log(warehouse, write_log(tmp_path, lines), nginx_spec=spec, site_hosts=SITE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    assert hits(warehouse) == [
        ("/a?ttclid=E1", 200, "social", "tiktok", "click_id"),
        ("/b", 404, "social", "linkedin", "shortener"),
    ]
    assert hits(warehouse, "CAST(ts AS VARCHAR)")[1] == ("2026-03-01 09:00:05",)


def test_nginx_log_format_with_iso_time_and_split_request() -> None:
    fmt = nginx_format('$time_iso8601 $remote_addr $request_method $request_uri $server_protocol $status')
    assert fmt.columns == ("ts", "ip", "method", "url", "protocol", "status")


def test_nginx_log_format_without_status_is_refused() -> None:
    with pytest.raises(FormatNotRecognisedError, match=r"\$status"):
        nginx_format('$remote_addr [$time_local] "$request"')


def test_json_lines_of_nginx_caddy_traefik_and_cloudflare(warehouse: Warehouse, tmp_path: Path) -> None:
    lines = [
        json.dumps({"time_iso8601": "2026-03-01T10:00:00+00:00", "remote_addr": "192.0.2.1",
                    "request": "GET /n?fbclid=Iw1 HTTP/1.1", "status": "200", "body_bytes_sent": "5",
                    "http_referer": "", "http_user_agent": UA}),
        json.dumps({"level": "info", "ts": 1772359200.25, "logger": "http.log.access",
                    "request": {"remote_ip": "192.0.2.2", "proto": "HTTP/2.0", "method": "GET", "host": "www.example.com",
                                "uri": "/c", "headers": {"User-Agent": [UA], "Referer": ["https://www.google.com/"]}},
                    "size": 12, "status": 200}),
        json.dumps({"ClientHost": "192.0.2.3", "RequestMethod": "GET", "RequestPath": "/t",
                    "RequestProtocol": "HTTP/1.1", "DownstreamStatus": 301, "DownstreamContentSize": 0,
                    "StartUTC": "2026-03-01T10:00:02.5Z", "request_User-Agent": UA,
                    "request_Referer": "https://t.co/abc"}),
        json.dumps({"ClientIP": "192.0.2.4", "ClientRequestMethod": "GET", "ClientRequestURI": "/cf",
                    "ClientRequestHost": "www.example.com", "EdgeResponseStatus": 200, "EdgeResponseBytes": 99,
                    "EdgeStartTimestamp": 1772359203000000000, "ClientRequestUserAgent": UA,
                    "ClientRequestReferer": "android-app://com.linkedin.android"}),
        '{"remote_addr": "192.0.2.5", "request": "GET /cut',
    ]
    result = import_access_log(warehouse, write_log(tmp_path, lines, "access.json"), site_hosts=SITE)
    assert result.rows_loaded == 4 and result.rows_quarantined == 1
    assert hits(warehouse) == [
        ("/n?fbclid=Iw1", 200, "social", "facebook", "click_id"),
        ("/c", 200, "organic_search", "google", "referrer_host"),
        ("/t", 301, "social", "x", "shortener"),
        ("/cf", 200, "social", "linkedin", "app_referrer"),
    ]
    times = [str(r[0]) for r in hits(warehouse, "ts")]
    assert times == [
        "2026-03-01 10:00:00", "2026-03-01 10:00:00.250000", "2026-03-01 10:00:02.500000", "2026-03-01 10:00:03"
    ]
    assert warehouse.con.execute("SELECT line_no FROM quarantine").fetchall() == [(5,)]


ALB_LINES = [
    'https 2026-03-01T10:00:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.0.2.10:46532 10.0.0.1:80 '
    '0.000 0.001 0.000 200 200 34 366 "GET https://www.example.com:443/shop?li_fat_id=abc HTTP/1.1" '
    f'"{UA}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:1:targetgroup/t/73e '
    '"Root=1-58337262-36d228ad5d99923122bbe354" "www.example.com" "arn:aws:acm:us-east-2:1:certificate/12" 0 '
    '2026-03-01T10:00:00.186000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
    'h2 2026-03-01T10:00:01.000000Z app/my-loadbalancer/50dc6c495c0c9188 [2001:db8::1]:4000 10.0.0.1:80 '
    '0.000 0.001 0.000 502 - 34 0 "GET https://www.example.com:443/ HTTP/2.0" "curl/8.5.0" - - - "-" "-" "-" 0 '
    '2026-03-01T10:00:01.000000Z "forward" "-" "-" "-" "-" "-" "-"',
]


def test_aws_alb_log_is_detected_and_read(warehouse: Warehouse, tmp_path: Path) -> None:
    result = import_access_log(warehouse, write_log(tmp_path, ALB_LINES, "alb.log"), site_hosts=SITE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 0)
    rows = hits(warehouse, "page, status, channel, platform, ip, is_bot, bot_name")
    assert rows[0] == ("/shop", 200, "social", "linkedin", "192.0.0.0", False, None)
    # IPv6 in brackets with a port: the address is found and masked to its first three groups.
    assert rows[1] == ("/", 502, "direct", None, "2001:db8::", True, "curl")


CLOUDFRONT_TEXT = (
    "#Version: 1.0\n"
    "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type\n"
    "2026-03-01\t10:00:00\tLHR62-C2\t2390\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t"
    "https://www.facebook.com/\tMozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)\t-\t-\tHit\n"
    "2026-03-01\t10:00:01\tLHR62-C2\t120\t192.0.2.101\tGET\td111111abcdef8.cloudfront.net\t/p\t304\t-\t"
    "Mozilla/5.0%20(iPhone)%20Instagram%20326.0.3.17.91\tutm_source=ig&x=1\t-\tHit\n"
)


def test_cloudfront_log_is_detected_and_user_agents_decoded(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "cf.log"
    path.write_text(CLOUDFRONT_TEXT)
    result = import_access_log(warehouse, path, site_hosts=SITE)
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (2, 2, 0)
    assert hits(warehouse, "url, status, channel, platform, user_agent") == [
        ("/index.html", 200, "social", "facebook", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"),
        ("/p?utm_source=ig&x=1", 304, "social", "instagram", "Mozilla/5.0 (iPhone) Instagram 326.0.3.17.91"),
    ]


def test_zstd_log_reads_like_plain(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "access.log.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(LINES) + "\n").encode()))
    result = import_access_log(warehouse, path, site_hosts=SITE)
    assert result.rows_loaded == len(LINES) - 2


def test_many_files_in_one_import_keep_their_own_line_numbers(warehouse: Warehouse, tmp_path: Path) -> None:
    first = write_log(tmp_path, LINES[:6], "a.log")
    second = write_log(tmp_path, LINES[6:], "b.log")
    results = import_access_logs(warehouse, [first, second], site_hosts=SITE)
    assert sum(r.rows_read for r in results) == len(LINES)
    assert warehouse.con.execute(
        "SELECT regexp_extract(source_file, '[ab]\\.log$'), line_no FROM quarantine ORDER BY 1, 2"
    ).fetchall() == [("a.log", 6), ("b.log", 2)]


def test_unknown_layout_is_refused_before_any_file_is_imported(warehouse: Warehouse, tmp_path: Path) -> None:
    good = write_log(tmp_path, LINES, "good.log")
    bad = tmp_path / "bad.log"
    bad.write_text("this is not a log\nnor is this\n")
    with pytest.raises(FormatNotRecognisedError, match="--log-format"):
        import_access_logs(warehouse, [good, bad])
    assert warehouse.count("imports") == 0
