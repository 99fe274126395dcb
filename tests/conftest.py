"""Shared fixtures: real DuckDB warehouses in temporary directories, and paths to third-party samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from socialseo.store.warehouse import Warehouse

# Speed is measured in benchmarks, never in tests: no example may fail for taking long (a first example also pays
# for loading data files and building matchers once per process, which a loaded machine makes slower still).
settings.register_profile("socialseo", deadline=None)
settings.load_profile("socialseo")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
TEST_DATA = REPO / "tests" / "data"


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    wh = Warehouse(tmp_path / "test.duckdb")
    yield wh
    wh.close()


def shared_sample(*parts: str) -> Path:
    """A file under ../shared/data, or a skip saying why it is absent (it is not part of a user's clone)."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"third-party sample {path} is not present (it lives beside the repository, in ../shared)")
    return path
