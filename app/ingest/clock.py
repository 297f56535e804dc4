"""Wall-clock times as chats write them: 24-hour or 12-hour with AM/PM, with or without seconds.

Every parser turns the clock it finds into a `Clock`, so the rest of ingest only ever sees 24-hour
values; `Clock.text` is what ends up in `Message.time`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.models import to_24h

# A clock fragment to embed in the line patterns. Hours are range-checked in `clock_from_match`
# because the valid range depends on whether an AM/PM marker follows.
CLOCK_PATTERN = (
    r"(?P<h>\d{1,2}):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?![\d])"
    r"(?:\s?(?P<ampm>[AaPp]\.?\s?[Mm]\.?)(?![A-Za-z]))?"
)


@dataclass(frozen=True)
class Clock:
    """A 24-hour time of day; `second` is None when the chat did not write seconds."""

    hour: int
    minute: int
    second: int | None = None
    twelve_hour: bool = False

    @property
    def text(self) -> str:
        """'HH:MM' or 'HH:MM:SS', the form `Message.time` uses."""
        base = f"{self.hour:02d}:{self.minute:02d}"
        return base if self.second is None else f"{base}:{self.second:02d}"

    @property
    def seconds(self) -> int:
        """Seconds since midnight, for ordering and rollover."""
        return self.hour * 3600 + self.minute * 60 + (self.second or 0)

    def as_time(self) -> dt.time:
        """The clock as a `datetime.time` (no zone)."""
        return dt.time(self.hour, self.minute, self.second or 0)

    @classmethod
    def from_datetime(cls, value: dt.datetime, *, with_seconds: bool) -> Clock:
        """The wall-clock part of a datetime, keeping seconds only when the source had them."""
        return cls(value.hour, value.minute, value.second if with_seconds else None)


def clock_from_match(match: re.Match[str]) -> Clock | None:
    """Build a `Clock` from a match of `CLOCK_PATTERN`, or None if the hour is out of range.

    12-hour clocks are normalised: 12:05 AM is 00:05, 12:30 PM is 12:30, 1:00 PM is 13:00.
    """
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"]) if match["s"] is not None else None
    ampm = match["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        return Clock(to_24h(hour, ampm), minute, second, twelve_hour=True)
    if hour > 23:
        return None
    return Clock(hour, minute, second)


def nearest_half_day(clock: Clock, after: Clock) -> Clock:
    """Read an hour written without AM/PM in a 12-hour chat as the reading closest after `after`.

    Slack shows grouped follow-up messages as a bare '1:05' under a '12:58 PM' header; the bare
    value means 13:05 there, not 01:05.
    """
    if clock.hour > 12:
        return clock
    base = clock.hour % 12
    candidates = [Clock(h, clock.minute, clock.second, twelve_hour=True) for h in (base, base + 12)]
    return min(candidates, key=lambda c: (c.seconds - after.seconds) % 86400)
