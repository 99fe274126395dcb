"""The long fuzz run's script still drives every reader, and its summary holds what a note on a run needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READERS = {"logs", "gsc_csv", "gsc_json", "gsc_zip", "backlinks", "posts_csv", "posts_xlsx", "ga4", "ranks", "warc",
           "pages"}


def _run(tmp_path: Path, *options: str) -> tuple[dict, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "fuzz_readers.py"), *options, "--out", str(tmp_path / "failing")],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout[done.stdout.index("{"):]), done.stderr


def test_fuzz_script_reads_its_inputs_without_a_traceback(tmp_path: Path) -> None:
    figures, err = _run(tmp_path, "--inputs", "264", "--workers", "2", "--full-every", "40")
    assert figures["inputs"] == 264 and figures["workers"] == 2
    assert figures["through_public_api"] >= 6
    assert figures["tracebacks"] == 0, figures["tracebacks_by_reader"]
    assert figures["hangs"] == figures["out_of_memory"] == figures["crashes"] == 0, figures["findings"]
    assert figures["multi_line_messages"] == 0 and figures["workers_killed"] == 0
    # The reader mix: every reader gets its share, and each input ends in exactly one outcome.
    readers = figures["readers"]
    assert set(readers) == READERS
    assert all(row["inputs"] == 24 for row in readers.values())
    for row in readers.values():
        outcomes = ("imported", "refused_in_one_line", "traceback", "over_time", "out_of_memory", "crashed")
        assert sum(row[k] for k in outcomes) == row["inputs"]
    assert sum(row["imported"] for row in readers.values()) > 0
    # Memory per input and per worker, with the heaviest inputs named so they can be replayed.
    assert len(figures["peak_mib_per_worker"]) == 2 and all(p > 0 for p in figures["peak_mib_per_worker"])
    assert 0 < figures["peak_mib_per_input"] <= max(figures["peak_mib_per_worker"])
    heaviest = figures["heaviest_inputs"]
    assert len(heaviest) == 10 and all(0 <= h["input"] < 264 and h["reader"] in READERS for h in heaviest)
    assert figures["inputs_per_worker_cpu_second"] > 0 and figures["projected_minutes_for_1M"] > 0
    assert "reader " in err and err.splitlines()[-1].startswith("264 inputs in ")


def test_an_input_is_replayed_by_its_number_with_its_peak_memory(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "fuzz_readers.py"), "--replay", "5"],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = done.stdout.splitlines()[:2]
    assert first.startswith("input 5: posts_csv, ") and " bytes (kept at " in first
    assert second.split()[0] in ("ok", "refused") and " MiB" in second
