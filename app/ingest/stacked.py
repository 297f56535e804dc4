"""Header recognisers for apps whose copy puts the name on one line and the time on the next.

    Priya Sharma                    mattermost-copy, slack-thread (thread pane replies)
    10:02 AM
    checkout is down
    10:03 AM                        a bare time line: a consecutive post by the same person
    rolling back

    Brown, Marcus                   teams-copy (current Teams): the time line carries a date
    1/15/2025 10:02 AM              ('1/15/2025 10:02 AM', 'Yesterday 10:02 AM', '10:02 AM')

    Priya Sharma                    google-chat-copy: 'Yesterday 10:02 AM', 'Mon 10:02 AM',
    Jan 15, 10:02 AM                'Jan 15, 10:02 AM', or a bare time

A name line must look like a name (capitalised words, 'Last, First', or one handle such as
'priya.sharma'), so a short reply above a line that is just a time stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import partial

from app.ingest.clock import CLOCK_PATTERN, Clock, clock_from_match
from app.ingest.copy_paste import MAX_HEADER_CHARS, match_slack_copy, match_time_only
from app.ingest.dates import MONTHS, WEEKDAYS, Order, date_order, numeric_date, safe_date
from app.ingest.line_formats import LineFormat, clean_author
from app.ingest.records import Header

_BADGE = re.compile(r"(?<!\s)\s++(?:APP|BOT|Bot|\(bot\)|\(External\)|\(Guest\))\Z")
_HANDLE = re.compile(r"\A@?+[a-z0-9][a-z0-9._-]{0,39}+\Z")
_PARTICLES = frozenset("de van von der den da di del la le al bin ibn el du dos das ter".split())
_BARE_TIME = re.compile(rf"\A\[?+{CLOCK_PATTERN}\]?+\Z")
_GOOGLE_TIME = re.compile(
    r"\A(?:(?P<rel>Yesterday|Today)|(?P<wd>[A-Z][a-z]{2,8}+)\.?(?=,?[ \t]\d{1,2}:)"
    r"|(?P<mon>[A-Z][a-z]{2,8}+)\.?[ \t](?P<d>\d{1,2}+)(?:,[ \t](?P<y>\d{4}+))?+)"
    rf",?[ \t]++(?:at[ \t]++)?{CLOCK_PATTERN}\Z"
)
_TEAMS_TIME = re.compile(
    r"\A(?:(?P<a>\d{1,2}+)[/.](?P<b>\d{1,2}+)(?:[/.](?P<y>\d{4}+|\d{2}+))?+,?"
    r"|(?P<rel>Yesterday|Today)|(?P<wd>[A-Z][a-z]{2,8}+))[ \t]++"
    rf"{CLOCK_PATTERN}\Z"
)


def name_line(line: str) -> str | None:
    """The author a name line names, or None when the line does not look like a name."""
    if not line or len(line) > 64 or line[0].isspace() or line[-1] in ".?!:;,":
        return None
    name = _BADGE.sub("", line)
    author = clean_author(name)
    if author is None or any(ch.isdigit() for ch in author.replace(".", "")[:1]):
        return None
    words = author.replace(",", " ").split()
    if len(words) == 1:
        word = words[0]
        ok = bool(_HANDLE.match(word)) or (word[0].isupper() and word[1:2] != ":")
        return author if ok and not _BARE_TIME.match(word) else None
    if len(words) > 5:
        return None
    for word in words:
        if word[0].isupper() or word.lower() in _PARTICLES or word.startswith("("):
            continue
        return None
    return author


def _bare_clock(line: str) -> Clock | None:
    match = _BARE_TIME.match(line) if len(line) <= 24 else None
    return clock_from_match(match) if match else None


def _pair(
    read_time: Callable[[str], tuple[Clock, dt.date | None, int | None] | None],
    name: str,
    time: str,
) -> Header | None:
    if len(name) > MAX_HEADER_CHARS or len(time) > 48:
        return None
    when = read_time(time)
    if when is None:
        return None
    author = name_line(name)
    if author is None:
        return None
    clock, date, relative = when
    return Header(author=author, clock=clock, date=date, relative_day=relative, span=2)


def _bare_when(line: str) -> tuple[Clock, dt.date | None, int | None] | None:
    clock = _bare_clock(line)
    return (clock, None, None) if clock else None


def _google_when(line: str) -> tuple[Clock, dt.date | None, int | None] | None:
    match = _GOOGLE_TIME.match(line)
    if not match:
        return _bare_when(line)
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["rel"]:
        return clock, None, 0 if match["rel"] == "Today" else -1
    if match["wd"]:
        return (clock, None, None) if match["wd"].lower() in WEEKDAYS else None
    month = MONTHS.get(match["mon"].lower())
    if month is None:
        return None
    date = safe_date(int(match["y"]), month, int(match["d"])) if match["y"] else None
    return clock, date, None


def _teams_when(line: str, order: Order) -> tuple[Clock, dt.date | None, int | None] | None:
    match = _TEAMS_TIME.match(line)
    if not match:
        return _bare_when(line)
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["rel"]:
        return clock, None, 0 if match["rel"] == "Today" else -1
    if match["wd"]:
        return (clock, None, None) if match["wd"].lower() in WEEKDAYS else None
    if match["y"] is None:
        return clock, None, None  # '1/15 10:02 AM': this year, which the chat does not say
    date = numeric_date(int(match["a"]), int(match["b"]), match["y"], order)
    return (clock, date, None) if date else None


def _time_only(line: str) -> Header | None:
    return match_time_only(line) if len(line) <= 24 else None


MATTERMOST_COPY = LineFormat(
    "mattermost-copy", _time_only, strip_edited=True, match_pair=partial(_pair, _bare_when)
)
GOOGLE_CHAT_COPY = LineFormat(
    "google-chat-copy", _time_only, strip_edited=True, match_pair=partial(_pair, _google_when)
)
SLACK_THREAD = LineFormat(
    "slack-thread", match_slack_copy, strip_edited=True, match_pair=partial(_pair, _bare_when)
)


def teams_copy_format(keys: list[str]) -> tuple[LineFormat, list[str]]:
    """The current-Teams recogniser with the date order this chat writes, plus any warning."""
    dates: list[tuple[int, int, int]] = []
    twelve_hour = False
    for number, line in enumerate(keys, start=1):
        match = _TEAMS_TIME.match(line) if len(line) <= 48 else None
        if match and match["a"] and match["y"]:
            dates.append((number, int(match["a"]), int(match["b"])))
            twelve_hour = twelve_hour or bool(match["ampm"])
    order, warnings = date_order(
        dates, default="month-first" if twelve_hour else "day-first", format="teams-copy"
    )
    when = partial(_teams_when, order=order)
    matcher = LineFormat(
        "teams-copy", _time_only, strip_edited=True, match_pair=partial(_pair, when)
    )
    return matcher, warnings
