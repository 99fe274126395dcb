"""Who the dashboard answers: only the names it is reachable under (no DNS rebinding), and long tokens only."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from socialseo.errors import SocialSeoError
from socialseo.web.app import create_app
from socialseo.web.guard import host_name

HTTP = httpx.Client(timeout=120)


def test_a_forged_host_is_refused_by_the_running_dashboard(dashboard: str) -> None:
    port = dashboard.rsplit(":", 1)[1]
    refused = HTTP.get(dashboard + "/api/tables", headers={"Host": f"rebind.attacker.example:{port}"})
    assert refused.status_code == 400
    assert "rebind.attacker.example" in refused.json()["detail"] and "127.0.0.1" in refused.json()["detail"]
    assert HTTP.get(dashboard + "/", headers={"Host": "127.0.0.1.attacker.example"}).status_code == 400
    for name in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}", "LOCALHOST:9000"):
        assert HTTP.get(dashboard + "/api/tables", headers={"Host": name}).status_code == 200, name


def test_the_bound_name_and_allowed_names_are_accepted(demo_db: Path) -> None:
    app = create_app(demo_db, host="192.0.2.10", token="k2Vq8wR4pT7yZ1nBx", allow_hosts=["stats.internal"])
    bearer = {"Authorization": "Bearer k2Vq8wR4pT7yZ1nBx"}
    with TestClient(app, base_url="http://192.0.2.10:8000") as client:
        assert client.get("/api/tables", headers=bearer).status_code == 200
        assert client.get("/api/tables", headers={**bearer, "Host": "stats.internal:8000"}).status_code == 200
        assert client.get("/api/tables", headers={**bearer, "Host": "evil.example"}).status_code == 400
        assert client.get("/api/tables", headers={"Host": "evil.example"}).status_code == 400  # before the token


def test_host_names_are_read_without_their_port() -> None:
    assert host_name("[::1]:8000") == "::1" and host_name("Example.COM:80") == "example.com"
    assert host_name("localhost") == "localhost" and host_name("") == ""


def test_a_short_token_is_refused(demo_db: Path) -> None:
    with pytest.raises(SocialSeoError, match="at least 16 characters"):
        create_app(demo_db, token="s3cret")
