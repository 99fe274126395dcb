"""A small generated demo site shared by the demo tests: 40 pages, 60 days, 20k log lines, under a second."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from socialseo.demo import GeneratedFiles, generate

SMALL_SEED = 11
SMALL = {"n_pages": 40, "days": 60, "target_log_lines": 20_000}


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFiles:
    return generate(tmp_path_factory.mktemp("demo-small"), seed=SMALL_SEED, **SMALL)


@pytest.fixture(scope="session")
def small_truth(small_site: GeneratedFiles) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads(Path(small_site.truth).read_text(encoding="utf-8"))
    return truth
