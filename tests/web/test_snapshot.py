"""``socialseo serve`` and ``socialseo ingest`` run together: the dashboard shows an import once it has finished."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from tests.ingest.test_access_logs import LINES, UA, write_log

import socialseo
from socialseo.cli import main
from socialseo.web.background import free_port

SRC = Path(socialseo.__file__).resolve().parents[1]
MORE = [
    f'192.0.2.{i} - - [02/Mar/2026:11:00:{i:02d} +0000] "GET /blog/other HTTP/1.1" 200 512 '
    f'"https://t.co/abc{i}" "{UA}"'
    for i in range(1, 6)
]


def _sessions(client: httpx.Client, url: str) -> int:
    response = client.get(url + "/api/channels")
    assert response.status_code == 200, response.text
    return sum(int(r["sessions"]) for r in response.json())


@pytest.fixture
def served(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[str, Path]]:
    """``socialseo serve`` in its own process on 127.0.0.1, over a warehouse holding one small log."""
    db = tmp_path / "w.duckdb"
    assert main(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", str(db)]) == 0
    capsys.readouterr()
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC), "SOCIALSEO_NO_PROGRESS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "socialseo", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, f"serve stopped: {server.stdout.read() if server.stdout else ''}"
            try:
                if httpx.get(url + "/api/status", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not answer within 90 s"
            time.sleep(0.2)
        yield url, db
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def test_an_import_while_serving_succeeds_and_shows_up(
    served: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, db = served
    with httpx.Client(timeout=120) as client:
        before = _sessions(client, url)
        assert client.get(url + "/api/status").json()["copy"] == 1
        code = main(["ingest", "logs", str(write_log(tmp_path, MORE, name="more.log")), "--site", "www.example.com",
                     "--db", str(db)])
        out, err = capsys.readouterr()
        assert code == 0, err
        assert "5 rows loaded" in " ".join(out.split())
        assert _sessions(client, url) == before + 5
        status = client.get(url + "/api/status").json()
        assert status["copy"] == 2 and status["up_to_date"] and status["note"] is None
        assert "data as of" in client.get(url + "/").text


def test_while_a_writer_holds_the_warehouse_pages_answer_and_say_so(served: tuple[str, Path]) -> None:
    url, db = served
    with httpx.Client(timeout=120) as client:
        before = _sessions(client, url)
        writer = duckdb.connect(str(db))
        try:
            writer.execute("INSERT INTO sites (host) VALUES ('blog.example.com') ON CONFLICT DO NOTHING")
            writer.execute("CHECKPOINT")  # the file changes while the writer still holds it
            status = client.get(url + "/api/status").json()
            assert not status["up_to_date"]
            assert f"process {os.getpid()}" in status["note"] and "wait for that import to finish" in status["note"]
            page = client.get(url + "/")
            assert page.status_code == 200 and 'id="data-behind"' in page.text
            assert _sessions(client, url) == before
        finally:
            writer.close()
        status = client.get(url + "/api/status").json()
        assert status["up_to_date"] and status["copy"] == 2
