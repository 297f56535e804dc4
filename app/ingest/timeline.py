"""Turn parsed records into `Message`s: ids, day offsets, time zones and full timestamps.

Day rule (`ROLLOVER_SLACK`): a message whose clock is earlier than the previous timed message's
clock by more than one hour starts the next day (23:59 then 00:03 is day 0 then day 1). A smaller
step back (09:15 then 09:14) is an out-of-order paste on the same day and only earns a warning.
Written dates always win over the heuristic: with a date on the line (datetime-inline, Discord,
Slack export) the day is the date's distance from the first message's date.

A date separator whose date cannot be read (a weekday) starts a new day (`RawMessage.day_break`).
An AM/PM slip is read as the other half-day and warned about: in a 12-hour chat, a message
whose clock would roll the day over although the messages on either side of it run on within
the same day ('11:58 AM', '12:03 AM', '12:05 PM') is read as 12:03 PM, so one typo does not throw
every later message onto the next day.

Time zones: an instant the source pins down (epoch seconds, an ISO stamp with Z or an offset) is
converted to the requested zone when one is given, so `time` and `timestamp` agree. A wall-clock
time without an offset is taken to be in the requested zone. With no date, there is no timestamp.
`Transcript.timezone` is the requested zone, else 'UTC' or the one fixed offset ('+01:00') all
pinned stamps share, else None.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from app.errors import InvalidRequestError
from app.ingest.clock import Clock
from app.ingest.records import RawMessage
from app.models import Message

ROLLOVER_SLACK = 3600  # seconds a clock may step back before it counts as the next day
_MAX_LISTED = 10


@dataclass(frozen=True)
class Timeline:
    """Messages with ids and days, plus what was learned about date and zone."""

    messages: list[Message]
    date: dt.date | None
    timezone: str | None
    warnings: list[str]


def _out_of_range(what: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"{what} falls outside the dates a timestamp can hold (years 1 to 9999).",
        hint="Check the `date` field and the dates written in the chat.",
        field="date",
    )


def _localise(message: RawMessage, zone: ZoneInfo | None) -> RawMessage:
    """Move a source-given instant into the requested zone; clock and date follow it."""
    if message.instant is None or message.instant.tzinfo is None:
        return message
    try:
        local = message.instant.astimezone(zone) if zone else message.instant
    except (OverflowError, ValueError):
        raise _out_of_range(f"Message at line {message.line_start}") from None
    with_seconds = message.clock is None or message.clock.second is not None
    clock = Clock.from_datetime(local, with_seconds=with_seconds)
    return replace(message, instant=local, clock=clock, date=local.date())


def _resolve_relative(
    messages: list[RawMessage], today: dt.date | None
) -> tuple[list[RawMessage], list[str]]:
    """Turn Discord's Today/Yesterday into dates when the request says what today is."""
    if not any(m.relative_day is not None for m in messages):
        return messages, []
    if today is not None:
        try:
            resolved = [
                replace(m, date=today + dt.timedelta(days=m.relative_day), relative_day=None)
                if m.relative_day is not None
                else m
                for m in messages
            ]
        except OverflowError:
            raise _out_of_range("'Yesterday' before the requested date") from None
        return resolved, []
    return messages, [
        "Times are written as 'Today'/'Yesterday'; pass `date` (the day the chat was copied) "
        "to get full timestamps."
    ]


def _zone_name(messages: list[RawMessage], zone: ZoneInfo | None) -> str | None:
    """The requested zone; else 'UTC' or a fixed offset like '+01:00' when every stamp the
    source pinned down shares it; else None (no stamps, or mixed offsets)."""
    if zone is not None:
        return zone.key
    offsets = {m.instant.utcoffset() for m in messages if m.instant and m.instant.tzinfo}
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    if offset is None or not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def build_timeline(
    records: list[RawMessage], *, date: dt.date | None, zone: ZoneInfo | None
) -> Timeline:
    """Assign ids, days and timestamps to `records` (already in transcript order)."""
    records = [_localise(m, zone) for m in records]
    records, warnings = _fix_half_day_slips(records)
    in_chat = next((m.date for m in records if m.date is not None), None)
    if in_chat is not None and date is not None and in_chat != date:
        warnings.append(
            f"The chat gives its own date ({in_chat.isoformat()}); the requested date "
            f"{date.isoformat()} was not used."
        )
    records, relative_warnings = _resolve_relative(records, date)
    warnings.extend(relative_warnings)
    written = next((m.date for m in records if m.date is not None), None)
    anchor = written or date
    relative = [m.relative_day for m in records if m.relative_day is not None]
    earliest_relative = min(relative, default=0)

    messages: list[Message] = []
    day, previous = 0, None
    rollovers: list[str] = []
    out_of_order: list[int] = []
    for number, record in enumerate(records, start=1):
        clock = record.clock
        if record.section_start:
            day, previous = 0, None  # a part pasted in another layout keeps its own clock
        if record.date is not None and anchor is not None:
            day = max(0, (record.date - anchor).days)
        elif record.relative_day is not None and written is None:
            day = record.relative_day - earliest_relative
        elif record.day_break:
            day += 1
        elif clock is not None and previous is not None:
            step_back = previous.seconds - clock.seconds
            if step_back > ROLLOVER_SLACK:
                day += 1
                rollovers.append(f"message {number} ({previous.text} -> {clock.text})")
            elif step_back > 0:
                out_of_order.append(number)
        previous = clock or previous
        messages.append(
            Message(
                id=number,
                time=clock.text if clock else None,
                day=day,
                timestamp=_timestamp(record, anchor, day, zone),
                author=record.author,
                text=record.text,
                line_start=record.line_start,
                line_end=record.line_end,
            )
        )
    if rollovers:
        warnings.append(
            "The clock went back past midnight; these start a new day: "
            + ", ".join(rollovers[:_MAX_LISTED])
        )
    if out_of_order:
        listed = ", ".join(str(i) for i in out_of_order[:_MAX_LISTED])
        warnings.append(
            f"Messages {listed} are slightly earlier than the message before them "
            "(out-of-order paste?); kept on the same day."
        )
    first_date = next((m.timestamp.date() for m in messages if m.timestamp), None)
    return Timeline(messages, first_date, _zone_name(records, zone), warnings)


def _timestamp(
    record: RawMessage, anchor: dt.date | None, day: int, zone: ZoneInfo | None
) -> dt.datetime | None:
    if record.instant is not None and record.instant.tzinfo is not None:
        return record.instant
    if record.clock is None:
        return None
    try:
        on = record.date or (anchor + dt.timedelta(days=day) if anchor else None)
    except OverflowError:
        raise _out_of_range(f"Day {day} of the chat (line {record.line_start})") from None
    if on is None:
        return None
    return dt.datetime.combine(on, record.clock.as_time(), tzinfo=zone)


_HALF_DAY = 12 * 3600
_SLIP_WINDOW = 2 * 3600


def _fix_half_day_slips(records: list[RawMessage]) -> tuple[list[RawMessage], list[str]]:
    """Read a lone AM/PM typo as the other half-day (see the module docstring)."""
    timed = [i for i, m in enumerate(records) if m.clock is not None and m.date is None]
    fixed = list(records)
    notes: list[str] = []
    for before, here, after in zip(timed, timed[1:], [*timed[2:], None], strict=False):
        prev_clock, clock = fixed[before].clock, fixed[here].clock
        assert prev_clock is not None and clock is not None
        if not clock.twelve_hour or prev_clock.seconds - clock.seconds <= ROLLOVER_SLACK:
            continue
        flipped = (clock.seconds + _HALF_DAY) % 86400
        if not 0 <= flipped - prev_clock.seconds <= _SLIP_WINDOW:
            continue
        if after is not None:
            next_clock = fixed[after].clock
            assert next_clock is not None
            if not 0 <= next_clock.seconds - flipped <= _SLIP_WINDOW:
                continue
        hour = flipped // 3600
        corrected = replace(clock, hour=hour)
        fixed[here] = replace(fixed[here], clock=corrected)
        notes.append(
            f"line {fixed[here].line_start} says {_ampm(clock)} between "
            f"{_ampm(prev_clock)} and the messages around it; read as {_ampm(corrected)}"
        )
    if not notes:
        return fixed, []
    return fixed, [
        "An AM/PM slip would have moved the rest of the chat to the next day: "
        + "; ".join(notes[:_MAX_LISTED])
        + ". If the chat really crossed midnight there, fix the time in the text."
    ]


def _ampm(clock: Clock) -> str:
    hour = clock.hour % 12 or 12
    return f"{hour}:{clock.minute:02d} {'PM' if clock.hour >= 12 else 'AM'}"
