"""Turn one block of parsed log lines into checked, attributed, narrow hit rows.

Everything that depends on a string is decided once per *distinct* string of the import: each string column
(request line, referrer, user agent, address) is mapped to codes by one Polars hash join against the values
already seen (:class:`_Interned`); only new values are classified (requests split and normalised by DuckDB,
referrers, user agents and campaign keys by :mod:`socialseo.classify`) and hashed, and the answers reach the
rows through NumPy ``take`` on the codes. No step runs Python once per line.

A hit whose user agent claims a crawler of an operator with published addresses is checked against them here
(:mod:`socialseo.classify.verify`), while the full address is at hand; only the masked one is stored.

The visitor id is a keyed hash of address and user agent. Each distinct address and user agent is hashed once
with BLAKE2b keyed by the warehouse's secret, and the two 64-bit halves are mixed per row with SplitMix64's
finaliser, so no raw address is ever written when addresses are masked.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from socialseo.classify.attribution import combine
from socialseo.classify.bulk import Numbering
from socialseo.classify.campaigns import classify_campaign
from socialseo.classify.hosts import site_host_set
from socialseo.classify.pageviews import pageview_rules, pageview_sql
from socialseo.classify.referrers import classify_origin, referrer_origin_sql
from socialseo.classify.urls import campaign_key_sql, page_key_sql
from socialseo.classify.useragents import classify_user_agents
from socialseo.classify.verify import verify_bot
from socialseo.store.hits import ROW_SCHEMA, HitIds, lookup_rows

EARLIEST = datetime(1995, 1, 1)
"""Timestamps before this, or more than two days ahead of now, are typos or clock faults, not traffic."""
LATEST_DAYS_AHEAD = 2

PARTS_SEPARATOR = "\x1f"
"""Joins method, target and protocol into one request key when a layout logs them apart."""

REQUEST_LINE = r"^([A-Za-z]+) (\S+)(?: (\S+))?$"
"""A logged request line: METHOD TARGET and, from HTTP/1.0 on, PROTOCOL; anything else is not a request."""
_IPV4 = re.compile(r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_CACHE_LIMIT = 1_000_000


def mask_ip(ip: str) -> str | None:
    """Matomo-style masking: IPv4 keeps two bytes (``a.b.0.0``), IPv6 its /48 network; None if not an address.

    >>> mask_ip("198.51.100.7"), mask_ip("2001:db8:85a3::8a2e:370:7334")
    ('198.51.0.0', '2001:db8:85a3::')
    """
    if _IPV4.fullmatch(ip):
        a, b, _ = ip.split(".", 2)
        return f"{a}.{b}.0.0"
    if ":" in ip:
        try:
            return str(ipaddress.IPv6Network(f"{ip}/48", strict=False).network_address)
        except ValueError:
            return None
    return None


def _mix(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """SplitMix64's finaliser over ``a`` xor a multiple of ``b``: one well-spread 64-bit id per pair."""
    x = a ^ (b * np.uint64(0x9E3779B97F4A7C15))
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x.view(np.int64)


@dataclass
class EncodedBlock:
    """What one block gave: rows for ``hit_rows``, lines set aside with their reason, the lookup rows and
    attributions first seen in it, and the counts for the import's notes."""

    rows: pa.Table
    quarantined: list[tuple[int | None, str, str]] = field(default_factory=list)
    lookups: list[tuple[str, pa.Table]] = field(default_factory=list)
    attributions: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)
    lines_read: int = 0
    recoded_lines: int = 0
    impostors: int = 0
    inferred_host: str | None = None
    source_position: int = 0


class _Interned:
    """Distinct values of one column across the blocks of an import, each with a code and attributes.

    ``attributes`` are NumPy arrays indexed by code. A block's column is mapped to codes by one Polars join of
    its values' 64-bit hashes with those of the values seen so far; only values new to the import are classified
    and stored. Joining integers rather than the strings takes a quarter less time on a real site's log, where the
    values seen run to hundreds of thousands. A hash found is checked against the value itself, so two values that
    share a hash never share a code; should two values seen share one, the column is joined on its strings from
    then on.
    """

    def __init__(self, **dtypes: Any) -> None:
        self.dtypes = dtypes
        self.clear()

    def clear(self) -> None:
        self.known = pl.DataFrame(schema={"h": pl.UInt64, "code": pl.Int64})  # hashes of the values seen
        self.values = pl.Series("v", [], dtype=pl.String)  # by code
        self.by_string = False  # set when two values seen share a hash
        self.attributes: dict[str, npt.NDArray[Any]] = {k: np.empty(0, dtype=t) for k, t in self.dtypes.items()}

    def _lookup(self, column: pl.Series) -> pl.Series:
        """The code of each value of ``column`` already seen, else null."""
        if self.by_string:
            known = pl.DataFrame({"v": self.values, "code": np.arange(len(self.values), dtype=np.int64)})
            return column.alias("v").to_frame().join(
                known, on="v", how="left", maintain_order="left", nulls_equal=True).get_column("code")
        code = column.hash().alias("h").to_frame().join(
            self.known, on="h", how="left", maintain_order="left").get_column("code")
        if code.null_count() < len(code):
            same = self.values.gather(code.fill_null(0)).eq_missing(column)
            code = pl.DataFrame({"code": code, "same": same}).select(pl.when("same").then("code")).to_series()
        return code

    def codes(self, column: pl.Series) -> tuple[npt.NDArray[np.int64], pl.Series, Callable[..., None]]:
        """Per-row codes, the values new to the import (once each, in order of first appearance), and
        ``add(**attributes)`` to call with the new values' attributes, in the same order, before the codes are
        used."""
        if len(self.values) > _CACHE_LIMIT:  # bounded: distinct strings must not fill memory
            self.clear()
        code = self._lookup(column)
        codes = code.fill_null(-1).to_numpy().astype(np.int64, copy=True)
        if not code.null_count():
            return codes, pl.Series("v", [], dtype=pl.String), lambda **_: None
        missing = column.filter(code.is_null())
        new = missing.unique(maintain_order=True)
        first = len(self.values)
        added = pl.DataFrame({"v": new, "code": np.arange(first, first + len(new), dtype=np.int64)})
        self.values = self.values.append(new.alias("v")).rechunk()
        if not self.by_string:
            hashes = pl.DataFrame({"h": new.hash(), "code": added.get_column("code")})
            self.known = pl.concat([self.known, hashes])
            if self.known.get_column("h").n_unique() < self.known.height:
                self.by_string = True
        filled = missing.alias("v").to_frame().join(added, on="v", how="left", maintain_order="left",
                                                    nulls_equal=True)
        codes[codes < 0] = filled.get_column("code").to_numpy()

        def add(**attributes: Any) -> None:
            for name, values in attributes.items():
                self.attributes[name] = np.concatenate(
                    [self.attributes[name], np.asarray(values, dtype=self.dtypes[name])]
                )

        return codes, new, add


class HitEncoder:
    """Encodes the blocks of one import; holds the caches that make later blocks cheaper than the first.

    ``request_mode`` is ``"line"`` when the frame's ``request`` is the logged request line, ``"parts"`` when it
    is method, target and protocol joined by :data:`PARTS_SEPARATOR`.
    """

    def __init__(self, ids: HitIds, import_id: int, site_hosts: Sequence[str], salt: str, keep_ip: bool,
                 request_mode: str = "line", con: duckdb.DuckDBPyConnection | None = None) -> None:
        self.ids, self.import_id, self.keep_ip, self.request_mode = ids, import_id, keep_ip, request_mode
        self.site_hosts = site_hosts if isinstance(site_hosts, list) else list(site_hosts)  # shared, on purpose
        # DuckDB for the per-value SQL (request splitting, page keys, origins): a connection of its own, so that
        # encoding can run in a thread while the import's connection writes.
        self.con = con or duckdb.connect()
        self._out = EncodedBlock(ROW_SCHEMA.empty_table())
        self.key = hashlib.blake2b(salt.encode("utf-8"), digest_size=32).digest()
        self._keyed = hashlib.blake2b(key=self.key, digest_size=8)  # copied per value: the key is set up once
        self.ref_classes, self.ua_classes, self.camp_classes = Numbering(), Numbering(), Numbering()
        self.requests = _Interned(id=np.int64, valid=bool, page_like=bool, camp=np.int64)
        self.referrers = _Interned(id=np.int64, cls=np.int64)
        self.agents = _Interned(id=np.int64, cls=np.int64, hash=np.uint64, op=np.int64)
        # the full address stays in memory for the import, to check crawlers' claims; only the masked one is stored
        self.ips = _Interned(id=np.int64, hash=np.uint64, text=object)
        self._operators: list[str] = []
        self._verdicts: dict[tuple[int, str], int] = {}
        self._origin_cache: dict[str | None, tuple[int, str | None]] = {}
        self._stored_ips: dict[str, int] = {}
        self._campaign_cache: dict[tuple[str, str, str], int] = {}
        self._combos: dict[tuple[int, int, int, int], int] = {}
        self._combined: dict[tuple[int, int, int], Any] = {}
        rules = pageview_rules()["statuses"]
        self._page_status = (int(rules["min"]), int(rules["max"]), [int(s) for s in rules.get("also", [])])
        self._latest = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=LATEST_DAYS_AHEAD)

    # -- one block ----------------------------------------------------------------------------------------------
    def encode(self, frame: pl.DataFrame, line_text: Callable[[int], str]) -> EncodedBlock:
        """Rows of ``frame`` (the columns of :data:`socialseo.ingest.logs.quoted_reader.CANONICAL`) for ``hit_rows``."""
        out = self._out = EncodedBlock(ROW_SCHEMA.empty_table())
        if not frame.height:
            return out
        if not self.site_hosts:
            self._infer_site_host(frame.get_column("referrer"))
        req = self._request_codes(frame.get_column("request"))
        ref = self._referrer_codes(frame.get_column("referrer"))
        ua = self._agent_codes(frame.get_column("user_agent"))
        ip = self._ip_codes(frame.get_column("ip"))

        ts = frame.get_column("ts").to_numpy()
        status = frame.get_column("status").fill_null(-1).to_numpy().astype(np.int64)
        ts_missing = np.isnat(ts)
        ts_bad = ~ts_missing & ((ts < np.datetime64(EARLIEST)) | (ts > np.datetime64(self._latest)))
        status_bad = (status < 100) | (status > 599)
        # A control byte (NUL above all) in the address is a damaged line, not an unknown address to store as NULL.
        ip_bad = frame.get_column("ip").str.contains(r"[\x00-\x1f\x7f]").fill_null(False).to_numpy()
        problem = ts_missing | ts_bad | status_bad | ip_bad | ~self.requests.attributes["valid"][req]
        quarantined = self._reasons(frame, problem, ts_missing, ts_bad, status_bad, ip_bad, line_text)

        good = ~problem
        if not good.all():
            req, ref, ua, ip, ts, status = (a[good] for a in (req, ref, ua, ip, ts, status))
        r, f, a, i = (x.attributes for x in (self.requests, self.referrers, self.agents, self.ips))
        n_ref, n_ua = len(self.ref_classes.items), len(self.ua_classes.items)
        verified = self._verified(a["op"][ua], ip)
        out.impostors = int((verified == 0).sum())
        attribution = self._attributions(
            ((r["camp"][req] * n_ref + f["cls"][ref]) * n_ua + a["cls"][ua]) * 3 + verified, n_ref, n_ua)
        bot_of = np.zeros(max(self.ids.is_bot, default=0) + 1, dtype=bool)
        for number, flag in self.ids.is_bot.items():
            bot_of[number] = flag
        is_bot = bot_of[attribution]
        low, high, also = self._page_status
        status_page = ((status >= low) & (status <= high)) | np.isin(status, also)
        line_no = frame.get_column("line_no").to_numpy()
        size = frame.get_column("bytes").to_arrow()
        rows = pa.table({
            "import_id": pa.array(np.full(len(status), self.import_id, dtype=np.int64)),
            "seq": pa.array((line_no if good.all() else line_no[good]).astype(np.int64)),
            "ts": pa.array(ts.astype("datetime64[us]")),
            "visitor_id": pa.array(_mix(i["hash"][ip], a["hash"][ua])),
            "ip_id": _nullable(i["id"][ip]),
            "request_id": pa.array(r["id"][req]),
            "status": pa.array(status.astype(np.int16)),
            "bytes": (size if good.all() else size.filter(pa.array(good))).cast(pa.int64()),
            "referrer_id": _nullable(f["id"][ref]),
            "agent_id": _nullable(a["id"][ua]),
            "attribution_id": pa.array(attribution.astype(np.int32)),
            "is_pageview": pa.array(r["page_like"][req] & status_page & ~is_bot),
            "bot_rule": pa.nulls(len(status), pa.string()),
        }, schema=ROW_SCHEMA)
        out.rows, out.quarantined = rows, quarantined
        return out

    # -- dictionaries: each returns the per-row code into its interned attributes --------------------------------
    def _request_codes(self, column: pl.Series) -> npt.NDArray[np.int64]:
        """Requests split into method, target and protocol, normalised and classified by DuckDB, once each."""
        codes, new, add = self.requests.codes(column)
        if len(new):
            by_parts = self.request_mode == "parts"
            parts = (
                f"string_split(k, chr({ord(PARTS_SEPARATOR)})) AS p" if by_parts
                else f"regexp_extract(k, '{REQUEST_LINE}', ['m', 't', 'v']) AS r"
            )
            m, t, v = ("p[1]", "p[2]", "p[3]") if by_parts else ("r.m", "r.t", "r.v")
            key = campaign_key_sql("url")
            _keys = pa.table({"k": new.to_arrow()})
            table = self.con.sql(f"""
                SELECT method, url, protocol, {page_key_sql('url')} AS page,
                    {key.utm_source} AS utm_source, {key.utm_medium} AS utm_medium, {key.click_id} AS click_id,
                    coalesce({pageview_sql('method', '200', 'url')}, false) AS page_like
                FROM (
                    SELECT upper(nullif({m}, '')) AS method, nullif({t}, '') AS url,
                        nullif(nullif({v}, ''), '-') AS protocol
                    FROM (SELECT k, {parts} FROM _keys)
                )
            """).to_arrow_table()
            valid = pc.is_valid(table["url"]).to_numpy(zero_copy_only=False)
            camp = self._campaign_ids(table.select(["utm_source", "utm_medium", "click_id"]))
            ids = self._reserve("hit_requests", valid)
            keep = pa.array(valid)
            self._lookup("hit_requests", ids[valid],
                         {c: table[c].filter(keep) for c in ("method", "url", "page", "protocol")})
            add(id=ids, valid=valid, page_like=table["page_like"].to_numpy(), camp=camp)
        return codes

    def _campaign_ids(self, keys: pa.Table) -> npt.NDArray[np.int64]:
        """The campaign class of each row's (utm_source, utm_medium, click id), classified once per distinct key."""
        frame = pl.from_arrow(keys)
        assert isinstance(frame, pl.DataFrame)
        distinct = frame.unique(maintain_order=True)
        ids = []
        for k in distinct.iter_rows():
            found = self._campaign_cache.get(k)
            if found is None:
                found = self._campaign_cache[k] = self.camp_classes.id_of(classify_campaign(*k))
            ids.append(found)
        return _per_row(frame, distinct, {"camp": pl.Series(ids, dtype=pl.Int64)})["camp"].to_numpy()

    def _referrer_codes(self, column: pl.Series) -> npt.NDArray[np.int64]:
        """Referrers classified by their origin (cached: a few thousand origins refer, however many pages)."""
        codes, new, add = self.referrers.codes(column)
        if len(new):
            site = site_host_set(self.site_hosts)
            _refs = pa.table({"r": new.to_arrow()})
            origins = self.con.sql(
                f"SELECT CASE WHEN trim(r) IN ('', '-') THEN NULL ELSE {referrer_origin_sql('r')} END AS o, "
                "r IS NULL OR trim(r) IN ('', '-') AS blank FROM _refs"
            ).to_arrow_table()
            # Origins are few (a few thousand refer, however many pages): each is classified once.
            frame = pl.from_arrow(origins.select(["o"]))
            assert isinstance(frame, pl.DataFrame)
            distinct = frame.unique(maintain_order=True)
            cls, hosts = [], []
            for origin in distinct.get_column("o").to_list():
                found = self._origin_cache.get(origin)
                if found is None:
                    ref = classify_origin(origin, site)
                    found = self._origin_cache[origin] = (self.ref_classes.id_of(replace(ref, host=None)), ref.host)
                cls.append(found[0])
                hosts.append(found[1])
            per_row = _per_row(frame, distinct, {"cls": pl.Series(cls, dtype=pl.Int64),
                                                 "host": pl.Series(hosts, dtype=pl.String)})
            blank = origins["blank"].to_numpy(zero_copy_only=False)
            ids = self._reserve("hit_referrers", ~blank)
            keep = pl.Series(~blank)
            self._lookup("hit_referrers", ids[~blank], {
                "referrer": new.filter(keep).to_arrow(),
                "referrer_host": per_row.get_column("host").filter(keep).to_arrow(),
            })
            add(id=ids, cls=per_row.get_column("cls").to_numpy())
        return codes

    def _agent_codes(self, column: pl.Series) -> npt.NDArray[np.int64]:
        """User agents: bot or in-app browser, and the keyed hash that goes into the visitor id."""
        codes, new, add = self.agents.codes(column)
        if len(new):
            texts = [v if v and v.strip() not in ("", "-") else None for v in new.to_list()]
            blank = np.array([t is None for t in texts], dtype=bool)
            ids = self._reserve("hit_agents", ~blank)
            self._lookup("hit_agents", ids[~blank], {"user_agent": [t for t in texts if t is not None]})
            classes = classify_user_agents(texts)
            add(id=ids, cls=[self.ua_classes.id_of(c) for c in classes], hash=self._hashes([t or "" for t in texts]),
                op=[self._operator(c.operator) for c in classes])
        return codes

    def _ip_codes(self, column: pl.Series) -> npt.NDArray[np.int64]:
        """Addresses: the keyed hash for the visitor id, and the id of the address as stored (masked unless kept)."""
        codes, new, add = self.ips.codes(column)
        if len(new):
            if len(self._stored_ips) > _CACHE_LIMIT:  # with --keep-ip there is one per address: keep it bounded
                self._stored_ips.clear()
            texts, shown = self._address_texts(new)
            distinct = shown.drop_nulls().unique().to_list()
            fresh = sorted(s for s in distinct if s not in self._stored_ips)
            first = self.ids.reserve("hit_ips", len(fresh))
            self._stored_ips.update({s: first + k for k, s in enumerate(fresh)})
            self._lookup("hit_ips", np.arange(first, first + len(fresh)), {"ip": fresh})
            stored = pl.DataFrame({"s": distinct, "id": [self._stored_ips[s] for s in distinct]},
                                  schema={"s": pl.String, "id": pl.Int64})
            ids = shown.alias("s").to_frame().join(stored, on="s", how="left", maintain_order="left")
            text_list = texts.to_list()
            add(id=ids.get_column("id").fill_null(-1).to_numpy(), hash=self._hashes(text_list), text=text_list)
        return codes

    def _address_texts(self, new: pl.Series) -> tuple[pl.Series, pl.Series]:
        """Each new address trimmed (what is hashed and checked) and as stored: masked, unless addresses are kept.

        Plain IPv4 addresses, nearly all of them, are masked as columns; anything else by :func:`mask_ip`.
        """
        plain = new.str.contains(r"^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$").fill_null(False)
        masked = new.str.extract(r"^([0-9]{1,3}\.[0-9]{1,3})\.", 1) + ".0.0"
        shown_plain = new if self.keep_ip else masked
        others = new.filter(~plain).to_list()
        other_texts = [(v or "").strip() for v in others]
        other_shown = [(t or None) if self.keep_ip else mask_ip(t) for t in other_texts]
        index = pl.Series(np.flatnonzero(~plain.to_numpy()))
        texts = new.clone().scatter(index, other_texts) if others else new
        shown = shown_plain.clone().scatter(index, other_shown) if others else shown_plain
        return texts.fill_null(""), shown

    def _reserve(self, table: str, stored: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        """New ids for the values that are ``stored``, -1 for the others."""
        ids = np.full(len(stored), -1, dtype=np.int64)
        count = int(stored.sum())
        first = self.ids.reserve(table, count)
        ids[stored] = np.arange(first, first + count, dtype=np.int64)
        return ids

    def _operator(self, name: str | None) -> int:
        if name is None:
            return -1
        if name not in self._operators:
            self._operators.append(name)
        return self._operators.index(name)

    def _verified(self, op: npt.NDArray[np.int64], ip: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Per row: 1 when its crawler's claim is verified from the address, 0 for an impostor, 2 when not checked.

        Only rows whose user agent names a bot of an operator with published ranges are looked at, once per
        distinct (operator, address) of the block, and remembered for the import.
        """
        out = np.full(len(op), 2, dtype=np.int64)
        claim = np.flatnonzero(op >= 0)
        if not len(claim):
            return out
        if len(self._verdicts) > _CACHE_LIMIT:
            self._verdicts.clear()
        texts = self.ips.attributes["text"]
        pairs, inverse = np.unique(np.stack([op[claim], ip[claim]]), axis=1, return_inverse=True)
        verdicts = np.empty(pairs.shape[1], dtype=np.int64)
        for k, (o, code) in enumerate(zip(pairs[0].tolist(), pairs[1].tolist(), strict=True)):
            key = (o, texts[code])
            found = self._verdicts.get(key)
            if found is None:
                answer = verify_bot(self._operators[o], texts[code])
                found = self._verdicts[key] = 2 if answer is None else int(answer)
            verdicts[k] = found
        out[claim] = verdicts[inverse.reshape(-1)]
        return out

    def _attributions(self, combo: npt.NDArray[np.int64], n_ref: int, n_ua: int) -> npt.NDArray[np.int64]:
        """The attribution id of each row's (campaign, referrer, user agent, verified) class combination."""
        if not len(combo):
            return np.zeros(0, dtype=np.int64)
        distinct, inverse = np.unique(combo, return_inverse=True)
        out = np.empty(len(distinct), dtype=np.int64)
        for i, c in enumerate(distinct.tolist()):
            c, verdict = divmod(c, 3)
            camp_id, rest = divmod(c, n_ref * n_ua)
            ref_id, ua_id = divmod(rest, n_ua)
            key = (camp_id, ref_id, ua_id, verdict)
            found = self._combos.get(key)
            if found is None:
                agent = self.ua_classes.items[ua_id]
                a = self._combined.get(key[:3])
                if a is None:  # the verdict is not part of the attribution's rules: combined once for all three
                    a = self._combined[key[:3]] = combine(
                        self.camp_classes.items[camp_id], self.ref_classes.items[ref_id], agent)
                fields = (a.channel, a.platform, a.evidence, a.is_bot, a.bot_name, agent.bot_purpose,
                          None if verdict == 2 else bool(verdict))
                found, new = self.ids.attribution(*fields)
                if new:
                    self._out.attributions.append((found, fields))
                self._combos[key] = found
            out[i] = found
        return out[inverse]

    # -- helpers ------------------------------------------------------------------------------------------------
    def _lookup(self, table: str, ids: npt.NDArray[np.int64], values: dict[str, Any]) -> None:
        if len(ids):
            self._out.lookups.append((table, lookup_rows(table, self.import_id, ids, values)))

    def close(self) -> None:
        self.con.close()

    def _hashes(self, texts: list[str]) -> npt.NDArray[np.uint64]:
        """The keyed 64-bit BLAKE2b of each text (little-endian), one C call per text and no Python ints."""
        keyed = self._keyed

        def digest(text: str) -> bytes:
            h = keyed.copy()
            h.update(text.encode("utf-8", "surrogatepass"))
            return h.digest()

        return np.frombuffer(b"".join([digest(t) for t in texts]), dtype="<u8").astype(np.uint64)

    def _infer_site_host(self, referrers: pl.Series) -> None:
        """Guess the site's own host: on any real site, its own pages are the most common referrer."""
        _refs = referrers.value_counts(name="n").rename({referrers.name: "r"}).to_arrow()
        row = self.con.execute(
            "SELECT lower(regexp_extract(r, '^https?://([^/:?#]+)', 1)) AS host, sum(n) AS n FROM _refs "
            "WHERE host <> '' GROUP BY host ORDER BY n DESC, host LIMIT 1"
        ).fetchall()
        if row:
            self.site_hosts.append(str(row[0][0]))
            self._out.inferred_host = str(row[0][0])

    @staticmethod
    def _reasons(frame: pl.DataFrame, problem: npt.NDArray[np.bool_], ts_missing: npt.NDArray[np.bool_],
                 ts_bad: npt.NDArray[np.bool_], status_bad: npt.NDArray[np.bool_], ip_bad: npt.NDArray[np.bool_],
                 line_text: Callable[[int], str]) -> list[tuple[int | None, str, str]]:
        out: list[tuple[int | None, str, str]] = []
        rows = np.flatnonzero(problem)
        if not len(rows):
            return out
        line_nos = frame.get_column("line_no").to_numpy()
        ts = frame.get_column("ts")
        status_text = frame.get_column("status_text")
        for i in rows.tolist():
            if ts_missing[i]:
                reason = "timestamp missing or does not parse"
            elif ts_bad[i]:
                reason = f"timestamp out of range: {ts[i]}"
            elif status_bad[i]:
                reason = f"status is not an HTTP status: {status_text[i] or '(missing)'}"
            elif ip_bad[i]:
                reason = "client address holds a control character (NUL or other)"
            else:
                reason = "request is not METHOD TARGET PROTOCOL"
            line_no = int(line_nos[i])
            out.append((line_no, line_text(line_no), reason))
        return out


def _per_row(rows: pl.DataFrame, distinct: pl.DataFrame, values: dict[str, pl.Series]) -> pl.DataFrame:
    """``values`` (one per row of ``distinct``, the distinct rows of ``rows``) spread back over ``rows``."""
    keyed = distinct.with_columns(**values)
    return rows.join(keyed, on=rows.columns, how="left", maintain_order="left", nulls_equal=True)


def _nullable(ids: npt.NDArray[np.int64]) -> pa.Array:
    return pa.array(ids, pa.int64(), mask=ids < 0)
