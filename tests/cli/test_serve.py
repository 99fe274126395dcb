"""``socialseo serve`` refuses what would make it unsafe before it starts, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import uvicorn
from tests.cli.test_cli import run
from tests.ingest.test_access_logs import LINES, write_log

from socialseo.cli import main


def test_a_short_token_is_refused_with_a_recipe_for_a_good_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_start(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the dashboard started with a one-character token")

    monkeypatch.setattr(uvicorn, "run", must_not_start)
    db = tmp_path / "w.duckdb"
    assert main(["ingest", "logs", str(write_log(tmp_path, LINES)), "--site", "www.example.com", "--db", str(db)]) == 0
    capsys.readouterr()
    code, out, err = run(["serve", "--token", "x", "--db", str(db), "--port", "1"], capsys)
    assert code == 2 and out == ""
    line = " ".join(err.split())
    assert "at least 16 characters, not 1" in line
    assert 'python -c "import secrets; print(secrets.token_urlsafe())"' in line
