"""Intermediate records: what a line parser saw, before days and timestamps are worked out.

Parsers only report what the source says (a clock, maybe a date, maybe a zone-aware instant);
`timeline.py` turns these into `Message`s, so day rollover and time zones live in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.ingest.clock import Clock


@dataclass(frozen=True)
class Header:
    """A line that starts a message.

    `text` is the message text written on the header line itself (inline formats) or None when
    the body follows on the next lines (header formats). `same_author` marks a time-only line
    that continues the previous author (Slack and Discord group follow-ups that way).
    """

    author: str | None
    clock: Clock | None
    text: str | None = None
    date: dt.date | None = None
    relative_day: int | None = None
    instant: dt.datetime | None = None
    same_author: bool = False


@dataclass(frozen=True)
class RawMessage:
    """One message with its source lines, before ids, days and timestamps are assigned.

    `date` is a calendar date written in the chat; `relative_day` is Discord's Today (0) or
    Yesterday (-1); `instant` is a full datetime the source gave (zone-aware when it had an
    offset or was epoch seconds).
    """

    author: str | None
    clock: Clock | None
    text: str
    line_start: int
    line_end: int
    date: dt.date | None = None
    relative_day: int | None = None
    instant: dt.datetime | None = None
