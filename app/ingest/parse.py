"""The ingest entry point: raw transcript text in, `Transcript` out.

Steps: validate the request fields, pick the format (named, JSON, or detected), group source
lines into records, then let `timeline.py` assign ids, days and timestamps.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import InvalidRequestError, TranscriptFormatError
from app.ingest.assemble import group_messages, split_lines, unquote
from app.ingest.detect import detect_format, looks_like_json
from app.ingest.formats import (
    SLACK_EXPORT,
    SUPPORTED_FORMATS,
    check_format_name,
    formats_help,
    line_format,
)
from app.ingest.records import RawMessage
from app.ingest.slack_export import parse_slack_export
from app.ingest.timeline import build_timeline
from app.models import Transcript

_HOW_TO_FIX = (
    "To fix: make each message start with its time and author as in one of the examples "
    "(paste the chat unedited from the app), or name the format in `format`."
)


def parse_transcript(
    text: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
) -> Transcript:
    """Parse a chat transcript into messages with stable ids and normalised times.

    `format=None` detects the format; a name forces that parser. `date` dates formats that do
    not write one; `timezone` (IANA) makes timestamps zone-aware and is where epoch or offset
    stamps are shown. Raises `InvalidRequestError` for a bad `format` or `timezone`, and
    `TranscriptFormatError` when the text has no recognisable chat structure.
    """
    forced = check_format_name(format) if format is not None else None
    zone = _zone(timezone)
    if isinstance(date, dt.datetime):
        date = date.date()
    if not text.strip():
        raise _format_error("The transcript is empty.")

    if forced == SLACK_EXPORT or (forced is None and looks_like_json(text)):
        name = SLACK_EXPORT
        records, warnings = parse_slack_export(text)
    else:
        lines = unquote(split_lines(text))
        name = forced or _detect(lines)
        records, warnings = _parse_lines(name, lines, forced=forced is not None)

    timeline = build_timeline(records, date=date, zone=zone)
    return Transcript(
        format=name,
        messages=timeline.messages,
        date=timeline.date,
        timezone=timeline.timezone,
        warnings=[*warnings, *timeline.warnings],
    )


def _parse_lines(
    name: str, lines: list[str], *, forced: bool
) -> tuple[list[RawMessage], list[str]]:
    fmt, warnings = line_format(name, lines)
    records, more = group_messages(lines, fmt)
    if forced and not any(record.clock for record in records):
        guess, _ = detect_format(lines)
        looks = f" It looks like {guess!r}; try that or leave `format` empty." if guess else ""
        raise _format_error(
            f"No line matches the {name!r} format ({SUPPORTED_FORMATS[name]}).{looks}"
        )
    return records, [*warnings, *more]


def _detect(lines: list[str]) -> str:
    name, _ = detect_format(lines)
    if name is None:
        raise _format_error(
            "No chat messages recognised: no line looks like a message header (a time and an "
            "author) in any supported format."
        )
    return name


def _format_error(problem: str) -> TranscriptFormatError:
    return TranscriptFormatError(
        f"{problem}\nSupported formats:\n{formats_help()}\n{_HOW_TO_FIX}",
        hint=_HOW_TO_FIX,
        supported_formats=list(SUPPORTED_FORMATS),
    )


def _zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidRequestError(
            f"Unknown time zone {name!r} in field `timezone`; use an IANA name such as "
            "'Europe/Berlin', 'America/New_York' or 'UTC'.",
            hint="See https://en.wikipedia.org/wiki/List_of_tz_database_time_zones",
            field="timezone",
        ) from error
