"""The verdict card opens the report: the answer, its interval, the methods, what carries it and what to do next.

The card never claims more than its interval: a number is shown big only for an effect whose interval excludes
zero, and "cannot conclude" says why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.ingest.test_access_logs import LINES, write_log

import socialseo
from socialseo.analysis.impact.verdict import Headline, MethodAnswer
from socialseo.cli import main
from socialseo.report.verdict import VerdictEvidence, build_card


def _card(html: str) -> str:
    found = re.search(r'<section id="verdict".*?</section>', html, flags=re.S)
    assert found, "no verdict card"
    return found.group(0)


def _opens_with_card(html: str) -> None:
    main_part = html.split("<main>", 1)[1]
    assert main_part.lstrip().startswith('<section id="verdict"'), "the card is not the first thing on the page"


def test_empty_warehouse_card_cannot_conclude_and_says_what_to_import(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "empty.duckdb"
    with socialseo.open(db):
        pass
    assert main(["report", "--out", str(tmp_path / "out"), "--db", str(db)]) == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    _opens_with_card(html)
    card = _card(html)
    assert 'data-verdict="cannot_conclude"' in card and "Cannot conclude" in card
    assert "socialseo ingest gsc" in card and "socialseo ingest posts" in card  # the imports that would fill it
    assert "95% interval" not in card


def test_logs_without_search_data_still_cannot_conclude_but_list_actions(tmp_path: Path) -> None:
    db = tmp_path / "logs.duckdb"
    with socialseo.open(db) as project:
        project.ingest_logs([write_log(tmp_path, LINES)], site=["www.example.com"])
        path = project.report(tmp_path / "out")
    card = _card(path.read_text(encoding="utf-8"))
    assert 'data-verdict="cannot_conclude"' in card
    assert "Do next" in card


def _method(name: str, verdict: str, effect: float, low: float, high: float) -> MethodAnswer:
    return MethodAnswer(name, verdict, "", effect, low, high, 40)


def test_no_effect_shows_the_interval_and_no_big_number() -> None:
    methods = [_method("panel model", "no_effect_detected", 0.02, -0.03, 0.07),
               _method("event study", "no_effect_detected", 0.05, -0.04, 0.14)]
    head = Headline("no_effect_detected", "search_clicks", "No effect of social spikes on search clicks was "
                    "detected: +2.0% ...", True, "", methods)
    card = build_card(VerdictEvidence(head), [])
    assert card.label == "No effect detected" and card.figure == ""
    assert card.interval == "95% interval −3.0% to +7.0% (panel model): it includes zero"
    assert card.agreement == "The panel model and the event study agree."


def test_an_effect_states_the_narrower_methods_number_and_the_disagreement() -> None:
    methods = [_method("panel model", "effect", 0.13, 0.07, 0.20),
               _method("event study", "no_effect_detected", 0.05, -0.10, 0.20)]
    head = Headline("effect", "search_clicks", "Yes: ...", False, "The methods disagree: ...", methods)
    card = build_card(VerdictEvidence(head), ["a", "b", "c", "d"])
    assert (card.label, card.figure) == ("Effect", "+13.0%")
    assert card.interval == "95% interval +7.0% to +20.0% (panel model)"
    assert card.details == ["The methods disagree: ..."] and card.actions == ["a", "b", "c"]
