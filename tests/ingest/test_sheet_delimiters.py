"""The delimiter of a CSV export is found from its header line, whatever its quotes do further down."""

from __future__ import annotations

import pytest

from socialseo.ingest._sheets import guess_delimiter, read_csv_text


@pytest.mark.parametrize(("text", "expected"), [
    ("Post ID,Title,Impressions\n1,Hello,3\n", ","),
    ("Seite;Klicks;Impressionen\n/a;1,5;3\n", ";"),  # decimal commas in the rows, semicolons in the header
    ("Page\tClicks\n/a\t3\n", "\t"),
    ('Post ID,Title\n1,"an unclosed quote, with commas, ' + "x, " * 3000 + "\n2,b\n", ","),
    ("no delimiter at all\n", ","),
])
def test_the_delimiter_is_the_one_that_splits_the_lines_like_the_header(text: str, expected: str) -> None:
    assert guess_delimiter(text) == expected


def test_a_semicolon_export_reads_into_its_columns() -> None:
    sheet = read_csv_text("Seite;Klicks\n/a;1,5\n/b;2\n", "de.csv")
    assert sheet.rows == [["Seite", "Klicks"], ["/a", "1,5"], ["/b", "2"]]
