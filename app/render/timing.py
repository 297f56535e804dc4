"""Incident durations computed from message timestamps, never guessed."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import IncidentReport, TimelineEntry, Transcript, clock_seconds

_START_KINDS = ("trigger", "detection")


@dataclass(frozen=True)
class ImpactWindow:
    """When impact started and ended, as shown in the timeline."""

    start: TimelineEntry
    end: TimelineEntry
    minutes: int


def entry_seconds(entry: TimelineEntry, transcript: Transcript) -> int:
    """Seconds since the first day's midnight, using the cited message's day for rollovers."""
    seconds = clock_seconds(entry.time)
    message = transcript.message(entry.evidence[0])
    if message is None or message.time is None:
        return seconds
    day = message.day
    if seconds - clock_seconds(message.time) > 12 * 3600:
        day -= 1  # "the 23:50 deploy" written in a message sent after midnight
    return day * 86400 + seconds


def impact_window(report: IncidentReport, transcript: Transcript) -> ImpactWindow | None:
    """From the first trigger/detection entry to the last recovery entry (service back to
    normal). Without a recovery entry there is no window: when the incident was declared
    resolved says nothing about when users stopped being affected, so no duration is guessed.
    """
    starts = [e for e in report.timeline if e.kind in _START_KINDS]
    ends = [e for e in report.timeline if e.kind == "recovery"]
    if not starts or not ends:
        return None
    start = min(starts, key=lambda e: entry_seconds(e, transcript))
    end = max(ends, key=lambda e: entry_seconds(e, transcript))
    elapsed = entry_seconds(end, transcript) - entry_seconds(start, transcript)
    if elapsed < 0:
        return None
    return ImpactWindow(start=start, end=end, minutes=round(elapsed / 60))


def sorted_timeline(report: IncidentReport, transcript: Transcript) -> list[TimelineEntry]:
    """Timeline entries in time order (stable for equal times)."""
    return sorted(report.timeline, key=lambda e: entry_seconds(e, transcript))
