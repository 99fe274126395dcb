"""The number and date parsers, checked on every way exports write values (property-based)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialseo.ingest._values import (
    day_first_hint,
    parse_count,
    parse_date,
    parse_datetime,
    parse_number,
    parse_rate,
)


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", ".", " ", "\u00a0", "'"]))
def test_counts_with_any_thousands_separator_read_back_exactly(n: int, sep: str) -> None:
    assert parse_count(_grouped(n, sep)) == n


@given(st.integers(min_value=0, max_value=10**9))
def test_plain_counts_and_python_ints_read_back(n: int) -> None:
    assert parse_count(str(n)) == n
    assert parse_count(n) == n


@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("K", 1_000), ("M", 1_000_000), ("k", 1_000)]))
def test_abbreviated_counts_scale(tenths: int, suffix: tuple[str, int]) -> None:
    text = f"{tenths // 10}.{tenths % 10}{suffix[0]}"
    assert parse_count(text) == tenths * suffix[1] // 10


@given(st.integers(min_value=0, max_value=10_000))
def test_percentages_with_either_decimal_mark_are_fractions(hundredths: int) -> None:
    whole, frac = divmod(hundredths, 100)
    assert parse_rate(f"{whole}.{frac:02d}%") == pytest.approx(hundredths / 10_000)
    assert parse_rate(f"{whole},{frac:02d} %") == pytest.approx(hundredths / 10_000)


@given(st.integers(min_value=1, max_value=10**6))
def test_negative_counts_are_refused_with_a_reason(n: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_count(f"-{n}")


@given(st.text(alphabet="abcxyz!?#", min_size=1, max_size=8))
def test_words_are_not_numbers(word: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(word)


@pytest.mark.parametrize("empty", ["", "  ", "-", "--", "N/A", None])
def test_empty_cells_are_none_not_zero(empty: object) -> None:
    assert parse_count(empty) is None


def test_both_marks_the_last_one_is_decimal() -> None:
    assert parse_number("1.234.567,89") == pytest.approx(1234567.89)
    assert parse_number("1,234,567.89") == pytest.approx(1234567.89)
    assert parse_number("3,5") == pytest.approx(3.5)


def test_fractional_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="whole"):
        parse_count("2.5")


_moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%SZ", "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M +0000", "%d %b %Y %H:%M")


@given(_moments, st.sampled_from(_FORMATS))
def test_utc_timestamps_in_any_export_format_read_back(moment: datetime, fmt: str) -> None:
    assert parse_datetime(moment.strftime(fmt), tz="UTC") == moment


@given(_moments)
def test_local_times_are_converted_to_utc(moment: datetime) -> None:
    parsed = parse_datetime(moment.strftime("%m/%d/%Y %H:%M"), tz="Asia/Kolkata")
    assert parsed == moment - timedelta(hours=5, minutes=30)


@given(st.dates(min_value=datetime(2000, 1, 1).date(), max_value=datetime(2090, 1, 1).date()))
def test_day_first_columns_and_dotted_dates_read_the_right_day(day: datetime) -> None:
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.strftime("%d/%m/%Y"), day_first=True) == day
    assert parse_date(day.strftime("%b %d, %Y")) == day
    assert parse_date(day.strftime("%Y-%m-%d")) == day


def test_a_column_with_a_day_over_12_first_is_read_day_first() -> None:
    assert day_first_hint(["03/02/2026", "25/02/2026"]) is True
    assert day_first_hint(["03/02/2026", "12/25/2026"]) is False


def test_excel_serial_dates_and_lifetime() -> None:
    assert parse_date("46083") == datetime(2026, 3, 2).date()
    assert parse_datetime("Lifetime") is None
    with pytest.raises(ValueError, match="not a date"):
        parse_datetime("next tuesday-ish")
