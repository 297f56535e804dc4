"""Intermediate records: what a parser saw, before days and timestamps are worked out.

Parsers only report what the source says (a clock, maybe a date, maybe a zone-aware instant);
`timeline.py` turns these into `Message`s, so day rollover and time zones live in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.ingest.clock import Clock


@dataclass(frozen=True)
class Header:
    """A line (or a name line plus a time line) that starts a message.

    `text` is the message text written on the header line itself (inline formats) or None when
    the body follows on the next lines. `same_author` marks a time-only line that continues the
    previous author (Slack, Discord and Mattermost group follow-ups that way). `span` is how many
    source lines the header takes (2 for a name line above a time line). `note` is context the
    shape carries that belongs in front of the text, e.g. Zoom's '[direct message to Amy]'.
    `cue` marks a header shape only one format writes (detection counts it in that format's
    favour).
    """

    author: str | None
    clock: Clock | None
    text: str | None = None
    date: dt.date | None = None
    relative_day: int | None = None
    instant: dt.datetime | None = None
    same_author: bool = False
    span: int = 1
    note: str | None = None
    cue: bool = False


@dataclass(frozen=True)
class RawMessage:
    """One message with its source lines, before ids, days and timestamps are assigned.

    `date` is a calendar date written in the chat; `relative_day` is Today (0) or Yesterday
    (-1); `instant` is a full datetime the source gave (zone-aware when it had an offset or was
    epoch seconds). `day_break` marks the first message under a date separator whose date could
    not be read (a weekday or a date without a year): it starts a new day.
    """

    author: str | None
    clock: Clock | None
    text: str
    line_start: int
    line_end: int
    date: dt.date | None = None
    relative_day: int | None = None
    instant: dt.datetime | None = None
    day_break: bool = False
    section_start: bool = False
