"""WhatsApp's exported chat (`_chat.txt` / 'WhatsApp Chat with X.txt'), iOS and Android.

    [1/2/25, 10:02:33] Priya: checkout is down          iOS (brackets, seconds)
    [02.01.25, 10:02:33] Priya: checkout is down         iOS, day-first locale
    1/2/25, 10:02 - Priya: checkout is down             Android
    02/01/2025, 10:02 - Priya: checkout is down         Android, day-first locale
    1/2/25, 10:05 PM - Ravi added Sara                  a system line: kept, unattributed
    02/01/2025, 22:43 - +49 151 23456789: on my way      a sender not in the contacts
    [02.01.25, 22:44:10] ~ Lena: here                     a sender shown by profile name
    02/01/2025 à 22:45 - Priya: ok                        a locale's word before the time

Dates follow the phone's locale: the whole chat is read in one order (`dates.date_order`); a chat
mixing both orders is an error. With no date to settle it, a 12-hour clock means month/day
(US), a 24-hour clock day/month, with a warning. Lines without a header continue the message:
WhatsApp writes a header for every message, so a 'Name: text' line inside one (a list of
owners, a pasted log) is its text, never a message of its own. A sender the phone has no
contact for is named by their number (the author), or by their profile name after '~' (the
'~' is WhatsApp's mark, not part of the name).
"""

from __future__ import annotations

import re
from functools import partial

from app.ingest.clock import CLOCK_PATTERN, clock_from_match
from app.ingest.dates import Order, date_order, numeric_date
from app.ingest.line_formats import LineFormat, split_inline
from app.ingest.records import Header

_STAMP = (
    r"(?P<a>\d{1,2}+)(?P<sep>[/.\-])(?P<b>\d{1,2}+)(?P=sep)(?P<y>\d{4}+|\d{2}+),?[ \t]++"
    r"(?:(?:à|a las|klo|kl\.|um|om|alle)[ \t]++)?+"
    rf"{CLOCK_PATTERN}"
)
_PHONE = re.compile(
    r"\A(?P<phone>\+\d{1,3}+(?:[ \-]?+\(?+\d{1,5}+\)?+){1,6}+):(?:[ \t]++(?P<text>.*))?+\Z"
)
_IOS = re.compile(rf"\A\[{_STAMP}\][ \t]++(?P<rest>\S.*)\Z")
_ANDROID = re.compile(rf"\A{_STAMP}[ \t]++[-–][ \t]++(?P<rest>\S.*)\Z")


def _match(line: str) -> re.Match[str] | None:
    if len(line) < 12 or not (line[0] == "[" or line[0].isdigit()):
        return None
    return _IOS.match(line) or _ANDROID.match(line)


def match_whatsapp(line: str, *, order: Order) -> Header | None:
    """One WhatsApp header line; system lines are headers without an author."""
    match = _match(line)
    if not match:
        return None
    clock = clock_from_match(match)
    a, b = int(match["a"]), int(match["b"])
    date = numeric_date(a, b, match["y"], "day-first" if match["sep"] == "." else order)
    if clock is None or date is None:
        return None
    rest = match["rest"]
    phone = _PHONE.match(rest) if rest[:1] == "+" else None
    if phone is not None:
        return Header(author=phone["phone"], clock=clock, text=phone["text"] or "", date=date)
    parts = split_inline(rest.removeprefix("~").lstrip() if rest[:1] == "~" else rest)
    if parts is None:
        return Header(author=None, clock=clock, text=rest, date=date)
    return Header(author=parts[0], clock=clock, text=parts[1], date=date)


def whatsapp_format(keys: list[str]) -> tuple[LineFormat, list[str]]:
    """The WhatsApp recogniser reading dates in the order this chat uses, plus any warning."""
    dates: list[tuple[int, int, int]] = []
    twelve_hour = False
    for number, line in enumerate(keys, start=1):
        match = _match(line)
        if match and match["sep"] != ".":
            dates.append((number, int(match["a"]), int(match["b"])))
            twelve_hour = twelve_hour or bool(match["ampm"])
    order, warnings = date_order(
        dates, default="month-first" if twelve_hour else "day-first", format="whatsapp"
    )
    return LineFormat("whatsapp", partial(match_whatsapp, order=order), stamped=True), warnings
