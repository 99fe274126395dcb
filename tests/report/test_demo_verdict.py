"""The demo tells a new user its planted truth, and every ``socialseo analyze`` example in the docs runs on it.

``socialseo demo --out DIR`` is what ``make demo`` runs: the test goes through the same door, then reads the one
reconciled answer (``socialseo analyze verdict --json``) and the report.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from tests.conftest import REPO

import socialseo
from socialseo.cli import main


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out)]) == 0
    return out


def _examples(path: Path) -> list[tuple[list[str], bool]]:
    """Each ``socialseo analyze|pages ...`` command in a code block of ``path``, as printed ($ prompt or not), and
    whether the docs show it failing (its next line starts with ``error:``)."""
    commands = []
    for block in re.findall(r"```(?:sh|text|console)?\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S):
        lines = block.splitlines()
        for k, raw in enumerate(lines):
            line = raw.removeprefix("$ ").split("  #")[0].strip()
            if line.startswith(("socialseo analyze ", "socialseo pages ")):
                fails = k + 1 < len(lines) and lines[k + 1].startswith("error:")
                commands.append((shlex.split(line)[1:], fails))
    return commands


def test_the_demo_states_its_planted_effect_as_significant(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truth = json.loads((demo_dir / "data" / "truth.json").read_text())
    assert truth["effect"]["relative_effect"] > 0, "the demo plants a positive effect"
    capsys.readouterr()
    assert main(["analyze", "verdict", "--json", "--db", str(demo_dir / "socialseo.duckdb")]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["verdict"] == "effect" and answer["sentence"].startswith("Yes: social spikes raised search clicks")
    panel = next(m for m in answer["methods"] if m["method"] == "panel model")
    assert panel["verdict"] == "effect" and panel["ci_low"] > 0
    html = (demo_dir / "report.html").read_text(encoding="utf-8")
    assert "Yes: social spikes raised search clicks" in html
    assert "no effect distinguishable from zero" not in html
    # the backlinks' first-seen dates (years back) do not stretch the analysed days beyond the search days
    assert f"Days analysed: {truth['start']} to 2026-08-27, the days Search Console covers" in html


def test_the_demo_report_opens_with_the_planted_effect_and_its_interval(demo_dir: Path) -> None:
    truth = json.loads((demo_dir / "data" / "truth.json").read_text())
    html = (demo_dir / "report.html").read_text(encoding="utf-8")
    assert html.split("<main>", 1)[1].lstrip().startswith('<section id="verdict" class="verdict effect"')
    card = re.search(r'<section id="verdict".*?</section>', html, flags=re.S)
    assert card is not None
    text = re.sub(r"<[^>]+>", " ", card.group(0))
    assert truth["effect"]["relative_effect"] > 0
    figure = re.search(r"Effect\s+\+(\d+\.\d)%\s+search clicks after a social spike", text)
    interval = re.search(r"95% interval \+(\d+\.\d)% to \+(\d+\.\d)% \((panel model|event study)\)", text)
    assert figure and interval, text
    low, high = float(interval.group(1)), float(interval.group(2))
    assert 0 < low <= float(figure.group(1)) <= high
    assert "Platforms that carry it" in text and "Pages where it shows" in text and "Do next" in text
    assert re.search(r"The panel model and the event study agree|The methods disagree", text)


def test_backlinks_without_search_days_do_not_change_the_estimate(demo_dir: Path, tmp_path: Path) -> None:
    data = demo_dir / "data"
    truth = json.loads((data / "truth.json").read_text())
    with socialseo.open(demo_dir / "socialseo.duckdb", read_only=True) as project:
        with_links = project.panel_model().iloc[0]
        assert project.warehouse.count("backlinks") > 0
    with socialseo.open(tmp_path / "no-links.duckdb") as project:
        project.ingest_logs([data / "access.log.gz"], site=truth["site_host"])
        project.ingest_gsc([data / "search_console.csv"])
        project.ingest_posts(sorted(data.glob("posts_*.csv")),
                             link_map={str(k): str(v) for k, v in truth["shortlinks"].items()})
        without = project.panel_model().iloc[0]
    assert with_links["relative_effect"] == pytest.approx(without["relative_effect"], rel=1e-9)
    assert with_links["ci_low"] == pytest.approx(without["ci_low"], rel=1e-9)


@pytest.mark.parametrize("doc", ["docs/impact.md", "README.md"])
def test_every_analyze_example_in_the_docs_runs_on_the_demo(demo_dir: Path, doc: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    examples = _examples(REPO / doc)
    assert examples, f"no socialseo analyze example found in {doc}"
    for args, fails in examples:
        capsys.readouterr()
        code = main([*args, "--db", str(demo_dir / "socialseo.duckdb")])
        out, err = capsys.readouterr()
        if fails:  # the docs show an unknown page's one-line error and its nearest pages
            assert code == 2 and err.startswith("error: no page") and "nearest stored pages: /" in err, err
            continue
        assert code == 0, f"{' '.join(args)}: {err}"
        assert out.strip(), f"{' '.join(args)} printed nothing"
        assert "none of the pages" not in out
