"""The long fuzz run's script still drives every reader: a few hundred of its inputs end without a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_fuzz_script_reads_its_inputs_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "fuzz_readers.py"), "--inputs", "240", "--workers", "1",
         "--full-every", "40", "--out", str(tmp_path / "failing")],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout[done.stdout.index("{"):])
    assert figures["inputs"] == 240
    assert figures["through_public_api"] >= 6
    assert figures["tracebacks"] == 0, figures["tracebacks_by_reader"]
    assert figures["hangs"] == 0 and figures["multi_line_messages"] == 0
