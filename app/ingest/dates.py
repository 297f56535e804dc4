"""Calendar dates as chats write them: separators ('Today', 'Monday, January 15th'), numeric
dates in either order ('1/15/2025', '15/01/2025', '15.01.25') and month names.

Numeric dates are ambiguous until one proves its order: a first field over 12 is day-first, a
second field over 12 is month-first. `date_order` settles a whole chat at once and reports the
lines that contradict each other, so a chat that mixes the two orders is an error, not a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from app.errors import TranscriptFormatError
from app.fold import word_key

Order = Literal["day-first", "month-first"]

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
            ("thursday", "thu", "thurs"), ("friday", "fri"), ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}  # fmt: skip

_DECORATION = "-—–=*_ \t"  # rule characters around a separator: '----- Today -----'
_WORD_DATE = re.compile(
    r"\A(?:(?P<wd>[a-z]{3,9}+)\.?,?[ \t]++)?"
    r"(?:(?P<mon>[a-z]{3,9}+)\.?[ \t]++(?P<d1>\d{1,2}+)(?:st|nd|rd|th)?+"
    r"|(?P<d2>\d{1,2}+)(?:st|nd|rd|th)?+\.?[ \t]++(?P<mon2>[a-z]{3,9}+)\.?)"
    r"(?:,?[ \t]++(?P<y>\d{4}+))?\Z",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    r"\A(?P<a>\d{1,2}+)(?P<sep>[/.])(?P<b>\d{1,2}+)(?P=sep)(?P<y>\d{4}+|\d{2}+)\.?\Z"
    r"|\A(?P<iy>\d{4}+)-(?P<im>\d{2}+)-(?P<id>\d{2}+)\Z"
)


@dataclass(frozen=True)
class DateMark:
    """What a date separator line says: a full date, a month and day, a weekday, or a day
    relative to the day the chat was copied (0 today, -1 yesterday)."""

    date: dt.date | None = None
    month_day: tuple[int, int] | None = None
    relative_day: int | None = None
    weekday: int | None = None

    def resolve(self, year: int | None) -> dt.date | None:
        """The full date, given the year to use when the separator wrote none."""
        if self.date is not None:
            return self.date
        if self.month_day is not None and year is not None:
            return safe_date(year, *self.month_day)
        return None


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """`datetime.date` or None when the fields name no real day."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def full_year(text: str) -> int:
    """'25' -> 2025, '2025' -> 2025."""
    year = int(text)
    return 2000 + year if len(text) <= 2 else year


def read_date_separator(key: str) -> DateMark | None:
    """The date a separator line like 'Today', 'Monday, January 15th' or '15.01.2025' names."""
    if not key or len(key) > 48:
        return None
    core = key.strip(_DECORATION)
    lowered = core.lower()
    if lowered in ("today", "yesterday"):
        return DateMark(relative_day=0 if lowered == "today" else -1)
    if lowered.rstrip(".") in WEEKDAYS:
        return DateMark(weekday=WEEKDAYS[lowered.rstrip(".")])
    numeric = _NUMERIC.match(core)
    if numeric:
        if numeric["iy"]:
            date = safe_date(int(numeric["iy"]), int(numeric["im"]), int(numeric["id"]))
        else:
            a, b = int(numeric["a"]), int(numeric["b"])
            order: Order = "day-first" if numeric["sep"] == "." or a > 12 else "month-first"
            date = numeric_date(a, b, numeric["y"], order)
        return DateMark(date=date) if date else None
    worded = _WORD_DATE.match(core)
    if not worded:
        return None
    if worded["wd"] and word_key(worded["wd"]) not in WEEKDAYS:
        return None
    month = MONTHS.get((worded["mon"] or worded["mon2"]).lower())
    day = int(worded["d1"] or worded["d2"])
    if month is None or not 1 <= day <= 31:
        return None
    if worded["y"]:
        date = safe_date(int(worded["y"]), month, day)
        return DateMark(date=date) if date else None
    return DateMark(month_day=(month, day))


def numeric_date(a: int, b: int, year: str, order: Order) -> dt.date | None:
    """The date '{a}/{b}/{year}' names when read in `order`."""
    month, day = (b, a) if order == "day-first" else (a, b)
    return safe_date(full_year(year), month, day)


def proven_order(a: int, b: int) -> Order | None:
    """The order a numeric date proves on its own ('15/01' day-first, '01/15' month-first)."""
    if a > 12 >= b:
        return "day-first"
    if b > 12 >= a:
        return "month-first"
    return None


def date_order(
    dates: Iterable[tuple[int, int, int]], *, default: Order, format: str
) -> tuple[Order, list[str]]:
    """The one order a chat writes its numeric dates in, from (line, a, b) triples.

    Raises `TranscriptFormatError` when some lines prove day-first and others month-first. When
    no date proves either, `default` is used and a warning says the dates were ambiguous.
    """
    first: dict[Order, int] = {}
    ambiguous = False
    for line, a, b in dates:
        proven = proven_order(a, b)
        if proven is None:
            ambiguous = ambiguous or a != b
            continue
        first.setdefault(proven, line)
    if len(first) == 2:
        raise TranscriptFormatError(
            "The chat writes its dates in two orders: line "
            f"{first['day-first']} is day/month (e.g. 15/01) but line {first['month-first']} "
            "is month/day (e.g. 01/15), so no date can be trusted.",
            hint="Export or copy the chat again from one device (one locale), or fix the "
            "dates of the pasted part that came from elsewhere.",
            format=format,
        )
    if first:
        return next(iter(first)), []
    warnings = []
    if ambiguous:
        reading = "day/month" if default == "day-first" else "month/day"
        warnings.append(
            f"Dates like 07/02 are ambiguous and no date in the chat settles the order; they "
            f"were read as {reading}. If that is wrong, every date is wrong: pass `date` or "
            "paste a part of the chat that includes a day above 12."
        )
    return default, warnings
