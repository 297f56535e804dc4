"""The ingest entry points: raw text, or an export file/archive/folder, in; `Transcript` out.

Steps: validate the request fields, pick the reader (named, export JSON, or a detected line
format), normalise and group lines into records, then let `timeline.py` assign ids, days and
timestamps. Every transcript carries an `IngestReport`, and its warnings name the lines whose
attribution is uncertain.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.collector import pauses_collector
from app.errors import InvalidRequestError, TranscriptFormatError, UploadError
from app.ingest.assemble import Assembly, LineCounts, group_messages
from app.ingest.candidates import Tried
from app.ingest.detect import Detection, detect_format, looks_like_json, matching_keys
from app.ingest.exports import (
    ExportResult,
    Window,
    is_workspace,
    pick_member,
    read_json_export,
    read_workspace,
)
from app.ingest.exports.archive import ArchiveLimits, decode, is_zip, read_folder, read_zip
from app.ingest.formats import (
    EXPORT_FORMATS,
    SUPPORTED_FORMATS,
    check_format_name,
    formats_help,
    line_format,
)
from app.ingest.line_formats import LineFormat, datetime_problem
from app.ingest.normalise import SourceLine, normalise
from app.ingest.records import RawMessage
from app.ingest.report import IngestReport
from app.ingest.sections import split_point
from app.ingest.timeline import build_timeline
from app.models import Transcript

_HOW_TO_FIX = (
    "To fix: make each message start with its time and author as in one of the examples "
    "(paste the chat unedited from the app), or name the format in `format`."
)
_ANY_CLOCK = re.compile(r"(?<!\d)\d{1,2}:[0-5]\d(?!\d)")
_MAX_LISTED = 12


@pauses_collector
def parse_transcript(
    text: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    channel: str | None = None,
    since: dt.datetime | dt.date | None = None,
    until: dt.datetime | dt.date | None = None,
) -> Transcript:
    """Parse a chat transcript (pasted text, or export JSON/JSONL as text).

    `format=None` detects the format; a name forces that reader. `date` dates formats that do
    not write one; `timezone` (IANA) makes timestamps zone-aware and is where epoch or offset
    stamps are shown; `channel`, `since` and `until` cut an export down. Raises
    `InvalidRequestError` for a bad field and `TranscriptFormatError` when the text has no
    recognisable chat structure.
    """
    forced = check_format_name(format) if format is not None else None
    zone = _zone(timezone)
    date = date.date() if isinstance(date, dt.datetime) else date
    window = _window(channel, since, until)
    if not text.strip():
        raise _format_error("The transcript is empty.")
    return _from_text(text, forced, date, zone, window, source="text")


@pauses_collector
def parse_export(
    source: bytes | Path,
    *,
    filename: str | None = None,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    channel: str | None = None,
    since: dt.datetime | dt.date | None = None,
    until: dt.datetime | dt.date | None = None,
    limits: ArchiveLimits | None = None,
) -> Transcript:
    """Parse an export: a ZIP (Slack workspace, WhatsApp, any export zipped), a folder, or a
    file's bytes (JSON, JSONL or text). Archives are read within `limits` (`archive`)."""
    forced = check_format_name(format) if format is not None else None
    zone = _zone(timezone)
    date = date.date() if isinstance(date, dt.datetime) else date
    window = _window(channel, since, until)
    limits = limits or ArchiveLimits()
    if isinstance(source, Path) and source.is_dir():
        files, kind = read_folder(source, limits), "folder"
    else:
        data = source.read_bytes() if isinstance(source, Path) else source
        name = filename or (source.name if isinstance(source, Path) else "upload")
        if not is_zip(data):
            text = decode(name, data, limits.max_chars)
            if not text.strip():
                raise _format_error(f"{name} is empty.")
            kind = _kind(name, text)
            return _from_text(text, forced, date, zone, window, source=kind, as_json=kind != "text")
        files, kind = read_zip(data, limits), "zip"
    if is_workspace(files):
        result = read_workspace(files, window)
        result.source = kind
        return _finish_export(result, date, zone)
    member, text = pick_member(files, window, limits.max_chars)
    transcript = _from_text(text, forced, date, zone, window, source=kind)
    if transcript.ingest is not None:
        transcript.ingest.files = [member]
    return transcript


def _kind(name: str, text: str) -> str:
    if name.lower().endswith((".jsonl", ".ndjson")):
        return "jsonl"
    return "json" if name.lower().endswith(".json") or looks_like_json(text) else "text"


def _from_text(
    text: str,
    forced: str | None,
    date: dt.date | None,
    zone: ZoneInfo | None,
    window: Window,
    *,
    source: str,
    as_json: bool = False,
) -> Transcript:
    if forced in EXPORT_FORMATS or (forced is None and (as_json or looks_like_json(text))):
        result = read_json_export(text, window, forced)
        if source == "text":
            result.source = "jsonl" if result.format == "mattermost-export" else "json"
        else:
            result.source = source
        return _finish_export(result, date, zone)
    lines = normalise(text)
    if forced is None:
        detection = _detect(lines)
        split = split_point(lines, detection)
        if split is not None:
            return _sectioned(lines, split, date, zone, source=source)
        return _read_lines(lines, None, detection, date, zone, source=source)
    return _read_lines(lines, forced, None, date, zone, source=source)


def _read_lines(
    lines: list[SourceLine],
    forced: str | None,
    detection: Detection | None,
    date: dt.date | None,
    zone: ZoneInfo | None,
    *,
    source: str,
) -> Transcript:
    read = _assemble(lines, forced, detection)
    report = _report(read.name, read.mixed, source, read.assembly, read.stray)
    return _finish(read.name, read.assembly.messages, read.all_warnings(), report, date, zone)


def _sectioned(
    lines: list[SourceLine], split: int, date: dt.date | None, zone: ZoneInfo | None, *, source: str
) -> Transcript:
    """An incident timeline and a chat pasted one after the other (`sections`): each part is
    read in its own format, and the messages run on in source order."""
    first, second = (
        _assemble(part, None, _detect(part)) for part in (lines[:split], lines[split:])
    )
    main, other = sorted((first, second), key=lambda r: -len(r.assembly.messages))
    counts = LineCounts()
    for read in (first, second):
        for name in ("header_lines", "continuation_lines", "unattributed_lines", "ui_lines"):
            setattr(counts, name, getattr(counts, name) + getattr(read.assembly.counts, name))
        counts.uncertain_lines.extend(read.assembly.counts.uncertain_lines)
        counts.unclosed_fences.extend(read.assembly.counts.unclosed_fences)
    later = second.assembly.messages
    messages = [*first.assembly.messages, *later]
    if later:
        messages[len(first.assembly.messages)] = replace(later[0], section_start=True)
    whole = Assembly(messages, [], counts)
    report = _report(main.name, (other.name,), source, whole, (*first.stray, *second.stray))
    warnings = [
        f"Read in two parts: lines {lines[0].number}-{lines[split - 1].number} as {first.name}, "
        f"lines {lines[split].number}-{lines[-1].number} as {second.name}.",
        *first.all_warnings(),
        *second.all_warnings(),
    ]
    return _finish(main.name, messages, warnings, report, date, zone)


@dataclass(frozen=True)
class _Read:
    """Lines read in one format: its name, formats mixed in, stray lines, the messages."""

    name: str
    mixed: tuple[str, ...]
    stray: tuple[int, ...]
    assembly: Assembly
    warnings: list[str]

    def all_warnings(self) -> list[str]:
        attribution = _attribution_warnings(self.name, self.assembly, self.stray)
        return [*self.warnings, *self.assembly.warnings, *attribution]


def _assemble(lines: list[SourceLine], forced: str | None, detection: Detection | None) -> _Read:
    keys = matching_keys(lines)
    name = forced or (detection.name if detection else None) or ""
    mixed: tuple[str, ...] = () if forced or detection is None else detection.mixed_with
    stray: tuple[int, ...] = () if forced or detection is None else detection.stray_lines
    tuned = {} if forced or detection is None else detection.tuned

    def recogniser(of: str) -> tuple[LineFormat, list[str]]:
        return tuned.get(of) or line_format(of, keys)  # detection tuned it to these lines

    fmt, warnings = recogniser(name)
    if mixed:
        fmt = replace(fmt, also=tuple(recogniser(other)[0] for other in mixed))
    assembly = group_messages(lines, keys, fmt, _tried(detection, fmt, (name, *mixed)))
    if forced and not any(r.author or r.clock for r in assembly.messages[1:] or assembly.messages):
        guess = detect_format(lines).name
        looks = f" It looks like {guess!r}; try that or leave `format` empty." if guess else ""
        raise _format_error(
            f"No line matches the {name!r} format ({SUPPORTED_FORMATS[name]}).{looks}"
        )
    stray = tuple(n for n in stray if n not in {m.line_start for m in assembly.messages})
    return _Read(name, mixed, stray, assembly, warnings)


def _tried(detection: Detection | None, fmt: LineFormat, names: tuple[str, ...]) -> list[Tried]:
    """Detection's answers for the recognisers `fmt` tries (its own, then those of `also`),
    when it recorded each of these very recognisers with nothing covered or skipped; else none."""
    if detection is None or fmt.covered or fmt.footers:
        return []
    shapes = [detection.tried.get(name) for name in names]
    recognisers = (replace(fmt, also=()), *fmt.also)
    if any(
        shape is None or shape.fmt != own for shape, own in zip(shapes, recognisers, strict=True)
    ):
        return []
    return [shape for shape in shapes if shape is not None]


def _report(
    name: str, mixed: tuple[str, ...], source: str, assembly: Assembly, stray: tuple[int, ...]
) -> IngestReport:
    counts = assembly.counts
    uncertain = sorted({*counts.uncertain_lines, *counts.unclosed_fences, *stray})
    return IngestReport(
        format=name,
        mixed_with=list(mixed),
        source=source,
        header_lines=counts.header_lines,
        continuation_lines=counts.continuation_lines,
        unattributed_lines=counts.unattributed_lines,
        ui_lines=counts.ui_lines,
        untimed_messages=sum(1 for m in assembly.messages if m.clock is None and m.author),
        uncertain_lines=uncertain,
    )


def _listed(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_MAX_LISTED])
    return shown + (f" and {len(numbers) - _MAX_LISTED} more" if len(numbers) > _MAX_LISTED else "")


def _attribution_warnings(name: str, assembly: Assembly, stray: tuple[int, ...]) -> list[str]:
    counts, warnings = assembly.counts, []
    if stray:
        warnings.append(
            "Attribution is uncertain at lines " + _listed(list(stray)) + ": each looks like a "
            "message by someone in this chat written in another layout, and was kept as part of "
            "the message above it."
        )
    if name == "untimed":
        warnings.append(
            f"The chat has no timestamps: {len(assembly.messages)} message(s) are attributed to "
            "their authors but have no time, so the draft's timeline cannot place them. Paste "
            "the chat with its times (copy it from the app, or export it) if you can."
        )
    if counts.uncertain_lines:
        warnings.append(
            "Attribution is uncertain at lines " + _listed(counts.uncertain_lines) + ": "
            "'Name: text' lines without a time inside a timed chat were kept as messages by "
            "those people, without a time. If they belong to the message above, paste the "
            "chat with its times."
        )
    if counts.unclosed_fences:
        warnings.append(
            "Attribution is uncertain after lines " + _listed(counts.unclosed_fences) + ": a "
            "``` code fence there is never closed within its message, so the lines after it "
            "were read as chat, not as code."
        )
    if counts.ui_lines:
        warnings.append(
            f"Dropped {counts.ui_lines} line(s) of app decoration (reactions, reply counts, "
            "'Edited', rules, date separators); date separators dated the messages below them."
        )
    return warnings


def _finish_export(result: ExportResult, date: dt.date | None, zone: ZoneInfo | None) -> Transcript:
    report = IngestReport(
        format=result.format,
        source=result.source,
        files=result.files,
        channel=result.channel,
        header_lines=len(result.records),
        unattributed_lines=sum(1 for r in result.records if r.author is None),
    )
    return _finish(result.format, result.records, result.warnings, report, date, zone)


def _finish(
    name: str,
    records: list[RawMessage],
    warnings: list[str],
    report: IngestReport,
    date: dt.date | None,
    zone: ZoneInfo | None,
) -> Transcript:
    if not any(r.text.strip() for r in records):
        raise _format_error(
            f"Every message of the {name} transcript is empty: there is no text to draft from."
        )
    _check_encodable(records)
    timeline = build_timeline(records, date=date, zone=zone)
    report.messages = len(timeline.messages)
    report.untimed_messages = sum(1 for m in timeline.messages if m.time is None and m.author)
    return Transcript(
        format=name,
        messages=timeline.messages,
        date=timeline.date,
        timezone=timeline.timezone,
        warnings=[*warnings, *timeline.warnings],
        ingest=report,
    )


def _check_encodable(records: list[RawMessage]) -> None:
    """Refuse text holding a lone surrogate (JSON '\\ud800' escapes): nothing could show it."""
    for record in records:
        for value in (record.text, record.author or ""):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise TranscriptFormatError(
                    f"Message at line {record.line_start} holds an unpaired UTF-16 surrogate "
                    f"(\\u{ord(value[error.start]):04x} at character {error.start}), which is "
                    "not text.",
                    hint="Send the transcript as UTF-8 text, or fix the JSON \\u escape.",
                ) from None


def _detect(lines: list[SourceLine]) -> Detection:
    detection = detect_format(lines)
    if detection.name is None:
        for line in lines[:200]:
            problem = datetime_problem(line.key) if line.key else None
            if problem:
                raise _format_error(
                    f"Line {line.number} looks like a timestamped message, but {problem}."
                )
        if not any(_ANY_CLOCK.search(line.key) for line in lines if line.key):
            raise _format_error(
                "No chat messages recognised: no line has a timestamp, and the lines are not "
                "'Name: text' lines by two or more people either."
            )
        raise _format_error(
            "No chat messages recognised: no line looks like a message header (a time and an "
            "author) in any supported format."
        )
    return detection


def _format_error(problem: str) -> TranscriptFormatError:
    return TranscriptFormatError(
        f"{problem}\nSupported formats:\n{formats_help()}\n{_HOW_TO_FIX}",
        hint=_HOW_TO_FIX,
        supported_formats=list(SUPPORTED_FORMATS),
    )


def _window(
    channel: str | None, since: dt.datetime | dt.date | None, until: dt.datetime | dt.date | None
) -> Window:
    start = _instant(since, end=False)
    end = _instant(until, end=True)
    if start and end and start > end:
        raise InvalidRequestError(
            f"`since` ({start.isoformat()}) is after `until` ({end.isoformat()}).",
            hint="Swap them, or leave one out.",
            field="since",
        )
    return Window(channel=channel, since=start, until=end)


def _instant(value: dt.datetime | dt.date | None, *, end: bool) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    clock = dt.time.max if end else dt.time.min
    return dt.datetime.combine(value, clock, tzinfo=dt.UTC)


def _zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise InvalidRequestError(
            f"Unknown time zone {name[:60]!r} in field `timezone`; use an IANA name such as "
            "'Europe/Berlin', 'America/New_York' or 'UTC'.",
            hint="See https://en.wikipedia.org/wiki/List_of_tz_database_time_zones",
            field="timezone",
        ) from error


__all__ = ["UploadError", "parse_export", "parse_transcript"]
