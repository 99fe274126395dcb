"""Numbers and dates as platform exports write them, parsed once per distinct value.

Exports are written for people: counts come as ``1,234``, ``1.234`` (German locale), ``1 234``, ``1.2K``;
rates as ``3.4%`` or ``3,4 %``; dates as ``2026-03-02``, ``03/02/2026 16:33``, ``02.03.2026``,
``Mar 2, 2026`` or Excel serial numbers, sometimes several of these in one column. Each parser returns ``None``
for an empty cell and raises :class:`ValueError` with a reason for a cell it cannot read, so the importer can
quarantine the row and say why. :func:`parse_column` applies a parser to the distinct values of a column only:
an export has few distinct values per column, and that keeps per-row Python work off the hot path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from dateutil import parser as dateparser

T = TypeVar("T")

_MISSING = frozenset({"", "-", "--", "—", "–", "n/a", "na", "null", "none", "nan"})
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "mn": 1e6, "mio": 1e6, "tsd": 1e3}
_NUMBER = re.compile(r"^([+-]?)([0-9][0-9.,'\u00a0\u202f ]*|[.,][0-9]+)\s*([a-z]*)$")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _is_missing(text: str) -> bool:
    return text.strip().lower() in _MISSING


def _decimal_text(digits: str) -> str:
    """Resolve thousands and decimal separators into a plain ``1234.5``.

    With both ``,`` and ``.`` the last one is the decimal mark (``1,234.5`` and ``1.234,5``). With one kind
    used more than once it groups thousands (``1,234,567``). Used once and followed by exactly three digits it
    groups thousands too (``1,234`` and ``1.234`` are counts of one thousand and more, which is what exports
    of counts mean); otherwise it is the decimal mark (``3,4`` and ``1.25``).
    """
    text = re.sub(r"[\s'\u00a0\u202f]", "", digits)
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        return text.replace(group, "").replace(decimal, ".")
    for mark in (",", "."):
        if mark in text:
            parts = text.split(mark)
            if len(parts) > 2 or (len(parts[1]) == 3 and parts[0] not in ("", "0")):
                if any(len(p) != 3 for p in parts[1:]):
                    raise ValueError(f"{digits!r}: digit groups of uneven size")
                return text.replace(mark, "")
            return text.replace(mark, ".")
    return text


def parse_number(value: object) -> float | None:
    """A number as an export writes it; ``None`` for an empty cell.

    >>> parse_number("1,234"), parse_number("1.2K"), parse_number("3,5"), parse_number("")
    (1234.0, 1200.0, 3.5, None)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if _is_missing(text):
        return None
    match = _NUMBER.match(text.lower().replace("%", "").strip())
    if match is None:
        raise ValueError(f"{text!r} is not a number")
    sign, digits, suffix = match.groups()
    if suffix and suffix not in _SUFFIX:
        raise ValueError(f"{text!r} is not a number (unknown suffix {suffix!r})")
    number = float(_decimal_text(digits)) * _SUFFIX.get(suffix, 1.0)
    return -number if sign == "-" else number


def parse_count(value: object) -> int | None:
    """A non-negative whole count (``1,234``, ``1.2K``); negative or fractional counts are errors.

    >>> parse_count("12.5K")
    12500
    """
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"{value!r}: a count cannot be negative")
    rounded = round(number)
    # 1.2K is 1200 exactly, but float arithmetic may land a hair off; anything further off is a real fraction.
    if abs(number - rounded) > 1e-6 * max(1.0, abs(number)):
        raise ValueError(f"{value!r}: a count must be a whole number")
    return int(rounded)


def parse_rate(value: object) -> float | None:
    """A rate as a fraction: ``3.4%`` and ``3,4 %`` are 0.034; a bare number at most 1 is taken as a fraction.

    >>> parse_rate("3.4%"), parse_rate("0.25")
    (0.034, 0.25)
    """
    if isinstance(value, str) and "%" in value:
        number = parse_number(value)
        return None if number is None else round(number / 100.0, 12)
    number = parse_number(value)
    if number is None:
        return None
    return number if number <= 1.0 else round(number / 100.0, 12)


def day_first_hint(values: Iterable[object]) -> bool:
    """Whether a column's ``a/b/yyyy`` dates are day-first: yes as soon as one has a first part over 12.

    A column where every first part is 12 or less is read month-first, as US-made exports write it.
    """
    for value in values:
        match = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", str(value))
        if match and int(match[1]) > 12:
            return True
    return False


def parse_datetime(value: object, *, tz: str = "UTC", day_first: bool = False) -> datetime | None:
    """A timestamp as naive UTC; a value without a zone is taken to be in ``tz``.

    >>> parse_datetime("03/02/2026 16:33", tz="America/Los_Angeles")
    datetime.datetime(2026, 3, 3, 0, 33)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        parsed = _excel_serial(float(value))
    else:
        text = str(value).strip()
        if _is_missing(text) or text.lower() == "lifetime":
            return None
        if re.fullmatch(r"\d{5}(\.\d+)?", text):
            parsed = _excel_serial(float(text))
        else:
            # 02.03.2026 is always the day-first (German, Russian...) form; slashes follow the column's hint.
            dotted = re.match(r"^\d{1,2}\.\d{1,2}\.\d{2,4}", text) is not None
            try:
                parsed = dateparser.parse(text, dayfirst=day_first or dotted)
            except (ValueError, OverflowError) as exc:
                raise ValueError(f"{text!r} is not a date") from exc
    if _date_only(value, parsed):
        # A day without a time is placed at midday, so that no time-zone conversion moves it to another day.
        parsed = parsed.replace(hour=12)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(tz))
    result = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 1990 <= result.year <= 2100:
        raise ValueError(f"{value!r}: date out of range")
    return result


def _date_only(value: object, parsed: datetime) -> bool:
    if isinstance(value, datetime):
        return parsed.time() == datetime.min.time() and parsed.tzinfo is None
    if isinstance(value, (date, int | float)):
        return True
    return not re.search(r"\d:\d", str(value))


def parse_date(value: object, *, day_first: bool = False) -> date | None:
    """A calendar day, kept as written (no time-zone shift: Search Console days are its own Pacific days)."""
    if isinstance(value, datetime):
        return value.date()
    parsed = parse_datetime(value, tz="UTC", day_first=day_first)
    return None if parsed is None else parsed.date()


def _excel_serial(number: float) -> datetime:
    if not 20000 <= number <= 80000:
        raise ValueError(f"{number!r} is not a date")
    return _EXCEL_EPOCH + timedelta(days=number)


def parse_column(
    values: pd.Series, parser: Callable[[object], T | None]
) -> tuple[pd.Series, pd.Series]:
    """Apply ``parser`` to the distinct values of a column.

    Returns ``(parsed, errors)``: the parsed values (``None`` where empty or unreadable) and, aligned with them,
    the error message of each unreadable cell (``None`` elsewhere).
    """
    # Codes into the distinct values, then a take: Series.map with a dict costs milliseconds even on a few rows.
    codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=False)
    parsed = np.empty(len(distinct), dtype=object)
    errors = np.empty(len(distinct), dtype=object)
    for k, value in enumerate(distinct):
        try:
            parsed[k], errors[k] = parser(value), None
        except ValueError as exc:
            parsed[k], errors[k] = None, str(exc)
    return (pd.Series(parsed[codes], index=values.index, dtype=object),
            pd.Series(errors[codes], index=values.index, dtype=object))
