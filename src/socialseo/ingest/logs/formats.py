"""The access-log layouts socialseo reads, and Nginx ``log_format`` strings turned into one.

A *delimited* layout is a list of fields split on a separator with double quotes honoured (Apache/Nginx
``combined`` and ``common``, AWS ALB, CloudFront's tab-separated files, any Nginx ``log_format``); a *JSON*
layout maps JSON paths to the same roles (Nginx ``escape=json``, Caddy, Traefik, Cloudflare Logpush). Every
layout ends in the same canonical columns (``ip, ts, method, url, protocol, status, bytes, referrer,
user_agent``), so parsing, classification and storage are written once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from socialseo.errors import FormatNotRecognisedError

# SQL for the timestamp roles. Each takes the text of the field(s) and returns a TIMESTAMPTZ or NULL.
TS_CLF = "try_strptime({ts_day} || ' ' || {ts_zone}, '[%d/%b/%Y:%H:%M:%S %z]')"
TS_CLF_ONE = "try_strptime({ts}, '%d/%b/%Y:%H:%M:%S %z')"
TS_CLF_BARE = "try_strptime({ts_day} || ' ' || {ts_zone}, '%d/%b/%Y:%H:%M:%S %z')"
TS_ISO = "TRY_CAST({ts} AS TIMESTAMPTZ)"
TS_CLOUDFRONT = "TRY_CAST({date} || ' ' || {time} || '+00' AS TIMESTAMPTZ)"
# Caddy writes seconds as a float, Cloudflare nanoseconds as an integer, others ISO 8601 or the CLF form.
TS_ANY = (
    "CASE WHEN regexp_full_match({ts}, '[0-9]+(\\.[0-9]*)?') THEN "
    "CASE WHEN TRY_CAST({ts} AS DOUBLE) > 1e17 THEN to_timestamp(TRY_CAST({ts} AS DOUBLE) / 1e9) "
    "WHEN TRY_CAST({ts} AS DOUBLE) > 1e14 THEN to_timestamp(TRY_CAST({ts} AS DOUBLE) / 1e6) "
    "WHEN TRY_CAST({ts} AS DOUBLE) > 1e11 THEN to_timestamp(TRY_CAST({ts} AS DOUBLE) / 1e3) "
    "ELSE to_timestamp(TRY_CAST({ts} AS DOUBLE)) END "
    "ELSE coalesce(try_strptime({ts}, '%d/%b/%Y:%H:%M:%S %z'), TRY_CAST({ts} AS TIMESTAMPTZ)) END"
)


@dataclass(frozen=True)
class LogFormat:
    """One layout. ``columns`` name the fields in order; names starting with ``_`` are read and ignored.

    Roles a delimited layout may fill: ``ip`` (``client_port`` for ``ip:port``), ``ts``/``ts_day``+``ts_zone``/
    ``date``+``time``, ``request`` (``METHOD TARGET PROTOCOL``) or ``method``+``url``(+``query``)+``protocol``,
    ``status``, ``bytes``, ``referrer``, ``user_agent``, ``host``.
    """

    name: str
    columns: tuple[str, ...] = ()
    separator: str = " "
    ts_sql: str = TS_CLF
    sniff: re.Pattern[str] | None = None
    json_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    url_encoded: tuple[str, ...] = ()
    comment: str | None = None
    quoted: tuple[str, ...] = ()
    """Columns written inside double quotes, when the line holds nothing after its last column."""

    @property
    def is_json(self) -> bool:
        return bool(self.json_paths)


_COMMON_HEAD = r'^\S+ \S+ \S+ \[[^\]]+\] "(?:[^"\\]|\\.)*" \d{3} (?:\d+|-)'
_CLF = ("ip", "_ident", "_authuser", "ts_day", "ts_zone", "request", "status", "bytes")
COMBINED = LogFormat(
    "combined", (*_CLF, "referrer", "user_agent"), sniff=re.compile(_COMMON_HEAD + r' "[^"]*" "'),
    quoted=("request", "referrer", "user_agent"),
)
COMMON = LogFormat("common", _CLF, sniff=re.compile(_COMMON_HEAD + r"\s*$"), quoted=("request",))
# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html
ALB = LogFormat(
    "alb",
    ("_type", "ts", "_elb", "client_port", "_target", "_t1", "_t2", "_t3", "status", "_target_status",
     "_received", "bytes", "request", "user_agent"),
    ts_sql=TS_ISO,
    sniff=re.compile(r'^(?:https?|h2|grpcs|ws|wss) \d{4}-\d\d-\d\dT\S+ \S+ [0-9a-f.:\[\]]+:\d+ '),
)
# https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html
CLOUDFRONT = LogFormat(
    "cloudfront",
    ("date", "time", "_edge", "bytes", "ip", "method", "host", "url", "status", "referrer", "user_agent",
     "query"),
    separator="\t",
    ts_sql=TS_CLOUDFRONT,
    sniff=re.compile(r"^(?:#Version: |#Fields: date time x-edge-location|\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\t)"),
    url_encoded=("user_agent", "referrer"),
    comment="#",
)

_JSON_ROLES: dict[str, tuple[str, ...]] = {
    # Nginx escape=json (variable names as keys, the usual convention), Caddy, Traefik, Cloudflare Logpush.
    "ip": ("$.remote_addr", "$.request.remote_ip", "$.request.client_ip", "$.ClientHost", "$.ClientIP"),
    "ts": ("$.time_iso8601", "$.time_local", "$.ts", "$.StartUTC", "$.time", "$.EdgeStartTimestamp",
           "$.timestamp", "$.msec"),
    "request": ("$.request",),
    "method": ("$.request_method", "$.request.method", "$.RequestMethod", "$.ClientRequestMethod"),
    "url": ("$.request_uri", "$.request.uri", "$.RequestPath", "$.ClientRequestURI", "$.uri"),
    "protocol": ("$.server_protocol", "$.request.proto", "$.RequestProtocol", "$.ClientRequestProtocol"),
    "status": ("$.status", "$.DownstreamStatus", "$.EdgeResponseStatus"),
    "bytes": ("$.body_bytes_sent", "$.size", "$.DownstreamContentSize", "$.EdgeResponseBytes", "$.bytes_sent"),
    "referrer": ("$.http_referer", "$.request.headers.Referer[0]", "$.request_Referer", "$.ClientRequestReferer",
                 "$.referer", "$.referrer"),
    "user_agent": ("$.http_user_agent", "$.request.headers.User-Agent[0]", "$.\"request_User-Agent\"",
                   "$.ClientRequestUserAgent", "$.user_agent"),
    "host": ("$.host", "$.request.host", "$.RequestHost", "$.ClientRequestHost", "$.http_host"),
}
JSON = LogFormat("json", ts_sql=TS_ANY, json_paths=_JSON_ROLES, sniff=re.compile(r"^\s*\{.*\}\s*$"))

FORMATS: dict[str, LogFormat] = {f.name: f for f in (COMBINED, COMMON, ALB, CLOUDFRONT, JSON)}

# Nginx variables and the role they fill. Anything else is read and ignored.
_NGINX_VARS = {
    "remote_addr": "ip", "http_x_forwarded_for": "_xff", "http_x_real_ip": "ip", "realip_remote_addr": "ip",
    "request": "request", "request_method": "method", "request_uri": "url", "uri": "url",
    "server_protocol": "protocol", "status": "status", "body_bytes_sent": "bytes", "bytes_sent": "bytes",
    "http_referer": "referrer", "http_user_agent": "user_agent", "host": "host", "http_host": "host",
    "time_iso8601": "ts", "msec": "ts",
}


def nginx_format(spec: str) -> LogFormat:
    """Turn an Nginx ``log_format`` string into a layout.

    >>> nginx_format('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent').columns
    ('ip', '_f1', '_f2', 'ts_day', 'ts_zone', 'request', 'status', 'bytes')
    """
    fields = re.findall(r'"[^"]*"|\[[^\]]*\]|\S+', spec.strip())
    if not fields:
        raise FormatNotRecognisedError("--log-format is empty")
    columns: list[str] = []
    quoted: list[str] = []
    split_quote = False  # a quoted field that holds two columns: not a layout of one column per quoted field
    ts_sql = TS_CLF
    for i, text in enumerate(fields):
        inner = text.strip('"[]')
        var = re.fullmatch(r"\$\{?(\w+)\}?", inner)
        name = var.group(1) if var else ""
        if name == "time_local":  # "01/Mar/2026:10:00:00 +0000" holds a space: two fields
            columns += ["ts_day", "ts_zone"]
            split_quote = split_quote or text.startswith('"')
            continue
        role = _NGINX_VARS.get(name, f"_f{i}")
        if role == "ts":
            ts_sql = TS_ANY
        if role in columns and not role.startswith("_"):
            role = f"_f{i}"
        columns.append(role)
        if text.startswith('"') and text.endswith('"') and len(text) > 1:
            quoted.append(role)
    if "ts_day" in columns and "[" not in spec:
        # $time_local without brackets: the two halves have no brackets to strip.
        ts_sql = TS_CLF_BARE
    needs = {
        "$status": "status" in columns,
        "$time_local or $time_iso8601": "ts" in columns or "ts_day" in columns,
        "$request or $request_uri": "request" in columns or "url" in columns,
    }
    missing = [name for name, present in needs.items() if not present]
    if missing:
        raise FormatNotRecognisedError(
            f"--log-format {spec!r} has no {', '.join(missing)}; "
            "socialseo needs the time, the request and the status of each hit"
        )
    return LogFormat("nginx", tuple(columns), ts_sql=ts_sql, quoted=() if split_quote else tuple(quoted))


def named_format(name: str) -> LogFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatNotRecognisedError(
            f"unknown log format {name!r}; choose one of: auto, {', '.join(FORMATS)} (or give --log-format)"
        ) from None


def detect_format(lines: list[str], source: str) -> LogFormat:
    """Pick the layout most of ``lines`` match; fail clearly when none fits."""
    if not lines:
        raise FormatNotRecognisedError(f"{source}: file is empty")
    scores = {name: sum(bool(f.sniff and f.sniff.match(line)) for line in lines) for name, f in FORMATS.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] * 2 < len(lines):
        raise FormatNotRecognisedError(
            f"{source}: not an access log in a known format (tried {', '.join(FORMATS)}); give --format or "
            f"--log-format; first line: {lines[0][:120]!r}"
        )
    return FORMATS[best]
