"""A fake of Google's token endpoint and Search Console API on 127.0.0.1, speaking their documented protocol.

The token endpoint takes the JWT bearer grant (RFC 7523) and checks the assertion as Google does: RS256 signature
against the service account's public key, ``iss``, ``aud`` (the token URL), ``scope``, ``iat``/``exp``; it also takes
an authorized user's ``refresh_token`` grant. ``searchAnalytics/query`` serves each day's rows in pages of
``rowLimit`` from ``startRow`` and refuses any request without the issued bearer token.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SCOPE = "https://www.googleapis.com/auth/webmasters.readonly"
CLIENT_EMAIL = "puller@project.iam.gserviceaccount.com"


def _b64(data: str) -> bytes:
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


@dataclass
class FakeGoogle:
    """State of one server: what it serves and what it was asked."""

    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537,
                                                                                      key_size=2048))
    rows_per_day: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    appearance_per_day: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Rows served to a request grouped by searchAppearance (alone, or with date)."""
    first_incomplete: str | None = None
    failures: list[int] = field(default_factory=list)
    """Statuses to answer with before serving normally (429, 503...), one per query request."""
    malformed: bytes | None = None
    token = "ya29.test-token"
    base: str = ""
    token_requests: list[dict[str, Any]] = field(default_factory=list)
    queries: list[dict[str, Any]] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    bad_auth: int = 0
    scope: str = SCOPE
    """The scope a service account's assertion must ask for."""

    def service_account_file(self, directory: Path, mode: int = 0o600) -> Path:
        pem = self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption()).decode()
        path = directory / "key.json"
        path.write_text(json.dumps({
            "type": "service_account", "project_id": "project", "private_key_id": "k1", "private_key": pem,
            "client_email": CLIENT_EMAIL, "client_id": "1", "token_uri": "https://elsewhere.invalid/token",
        }))
        path.chmod(mode)
        return path

    def authorized_user_file(self, directory: Path) -> Path:
        path = directory / "token.json"
        path.write_text(json.dumps({"type": "authorized_user", "client_id": "cid", "client_secret": "cs",
                                    "refresh_token": "1//refresh"}))
        path.chmod(0o600)
        return path

    def _check_assertion(self, assertion: str) -> str | None:
        try:
            header_b64, claims_b64, signature_b64 = assertion.split(".")
            header, claims = json.loads(_b64(header_b64)), json.loads(_b64(claims_b64))
            self.key.public_key().verify(_b64(signature_b64), f"{header_b64}.{claims_b64}".encode(),
                                         padding.PKCS1v15(), hashes.SHA256())
        except Exception as exc:  # any flaw is a refused assertion
            return f"bad assertion: {type(exc).__name__}"
        now = time.time()
        if header.get("alg") != "RS256":
            return "alg"
        # Google's documented audience, whichever URL the grant is posted to (a proxy forwards it to Google).
        if claims.get("iss") != CLIENT_EMAIL or claims.get("aud") != "https://oauth2.googleapis.com/token":
            return "iss/aud"
        if claims.get("scope") != self.scope or not claims["iat"] - 60 <= now <= claims["exp"]:
            return "scope/time"
        return None

    async def token_endpoint(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        if form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            problem = self._check_assertion(str(form.get("assertion", "")))
        elif form.get("grant_type") == "refresh_token":
            problem = None if form.get("refresh_token") == "1//refresh" else "refresh token"
        else:
            problem = "grant_type"
        if problem:
            return web.json_response({"error": "invalid_grant", "error_description": problem}, status=400)
        return web.json_response({"access_token": self.token, "expires_in": 3600, "token_type": "Bearer"})

    async def query_endpoint(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            self.bad_auth += 1
            return web.json_response({"error": {"code": 401, "message": "Request had invalid credentials."}},
                                     status=401)
        body = await request.json()
        self.queries.append(body)
        self.sites.append(unquote(request.match_info["site"]))
        if self.failures:
            status = self.failures.pop(0)
            return web.json_response({"error": {"code": status, "message": "Quota exceeded"}}, status=status,
                                     headers={"Retry-After": "0"})
        if self.malformed is not None:
            return web.Response(body=self.malformed, content_type="application/json")
        dims = body["dimensions"]
        if "searchAppearance" in dims and set(dims) & {"page", "query", "country", "device"}:
            # Search Console groups by searchAppearance on its own; the two-step process filters by it instead.
            return web.json_response({"error": {"code": 400, "message": "Request contains an invalid argument.",
                                                "status": "INVALID_ARGUMENT"}}, status=400)
        table = self.appearance_per_day if "searchAppearance" in dims else self.rows_per_day
        rows = table.get(body["startDate"], [])
        page = rows[body["startRow"]: body["startRow"] + body["rowLimit"]]
        answer: dict[str, Any] = {"responseAggregationType": "byPage"}
        if page:
            answer["rows"] = [{"keys": [r[d] for d in body["dimensions"]], "clicks": r["clicks"],
                               "impressions": r["impressions"], "ctr": r["clicks"] / r["impressions"],
                               "position": r["position"]} for r in page]
        if self.first_incomplete and body.get("dataState") == "all" and body["endDate"] >= self.first_incomplete:
            answer["metadata"] = {"firstIncompleteDate": self.first_incomplete}
        return web.json_response(answer)


def day_rows(day: str, n: int) -> list[dict[str, Any]]:
    """``n`` rows of one day, each a distinct page and query."""
    return [{"date": day, "page": f"https://www.example.com/p{i}", "query": f"query {i}", "country": "usa",
             "device": "DESKTOP", "clicks": i % 3, "impressions": 10 + i, "position": 1.5 + i % 7}
            for i in range(n)]


def appearance_rows(day: str, names: list[str]) -> list[dict[str, Any]]:
    """One row per search appearance of one day."""
    return [{"date": day, "searchAppearance": name, "clicks": 2 * i + 1, "impressions": 40 + i, "position": 3.25}
            for i, name in enumerate(names)]


@contextmanager
def serve_google(fake: FakeGoogle) -> Iterator[str]:
    """Serve ``fake`` on 127.0.0.1 in a thread; yields its base URL."""
    app = web.Application()
    app.router.add_post("/token", fake.token_endpoint)
    app.router.add_post("/webmasters/v3/sites/{site:.+}/searchAnalytics/query", fake.query_endpoint)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    fake.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield fake.base
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
