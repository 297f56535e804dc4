"""Timelines pasted from incident tools (PagerDuty, Opsgenie, incident.io) and written
postmortem timelines.

    Jan 15, 2025 10:02:33 AM  Triggered through the API.            PagerDuty log entries
    Jan 15, 2025 10:05 AM  Acknowledged by Priya Sharma.
    10:07 · Priya Sharma declared the incident                      incident.io, one line
    2025-01-15 10:09:12 UTC  Priya Sharma added a note: rolling back  Opsgenie activity
    11:01 - Moritz restarts systemd-journald                         a written timeline
    Jan 15, 2025 at 10:12 AM                                         a stamp on its own line,
    Resolved by Ravi Kumar.                                          the entry below it

Two shapes write the time on a line of its own, apart from the entry:

    10:46                               incident.io's Timeline tab: a bare time line after a
    🔔 Alert fired                      blank line (or a date heading), the entry's title and
    Datadog · [P2] Checkout below ...   detail lines below it

    Note added by Dana Whitfield        a PagerDuty incident page: the entry first, its time
    ALB 5xx 40-60%, nearly all 504s     LAST ('Mar 4, 12:17 AM · 9 hours ago'), then a blank
    Mar 3, 11:58 PM · 9 hours ago       line; day headings ('TUESDAY, MARCH 4') between

A time written below its entry (a stamp with a relative age, or a dated stamp alone between a
text line and a blank line) belongs to the entry above it: the entry runs from the line after
the previous such stamp (the first one from the last blank line above it) to the line before
it, no line inside it is a header, and the stamp line itself is not text
(`incident_timeline_format` finds these in one pass). Every entry keeps its text as written;
its author is the actor the entry names (`timeline_actors`), and entries that name no actor
have none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from app.fold import word_key
from app.ingest.clock import CLOCK_PATTERN, clock_from_match
from app.ingest.dates import MONTHS, safe_date
from app.ingest.line_formats import LineFormat
from app.ingest.records import Header
from app.ingest.timeline_actors import actor_of, entry_actor, entry_actor_of_text

_STAMP = re.compile(
    r"\A(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]{0,6}+\.?+,?+[ \t]++)?+"
    r"(?:(?P<mon>[A-Z][a-z]{2,8}+)\.?[ \t](?P<d>\d{1,2}+)(?:,?[ \t](?P<y>\d{4}+))?+,?[ \t]++"
    r"(?:at[ \t]++)?+"
    r"|(?P<d2>\d{1,2}+)[ \t](?P<mon2>[A-Z][a-z]{2,8}+)\.?+(?:,?[ \t](?P<y2>\d{4}+))?+,?[ \t]++"
    r"(?:at[ \t]++)?+"
    r"|(?P<na>\d{1,2}+)/(?P<nb>\d{1,2}+)/(?P<ny>\d{4}+),?[ \t]++"
    r"|(?P<iy>\d{4}+)-(?P<im>\d{2}+)-(?P<id>\d{2}+)[T \t])?+"
    rf"(?>{CLOCK_PATTERN})(?:[ \t]?+(?:UTC|GMT|Z|[A-Z]{{3,4}}+)(?![A-Za-z]))?+"
    r"(?:(?:[ \t]*+[-–—·|•:][ \t]*+|[ \t]++)(?P<rest>\S.*))?+\Z"
)
# A written timeline's stamp in Markdown bold: '**10:02** - alert fired', '__10:02 UTC__ ...'.
_BOLD = re.compile(r"\A(\*\*|__)(?P<inner>[^*_\n]{1,60}+)\1")
# The first full 'Mar 3, 2025' date of the page (a PagerDuty header's 'Opened Mar 3, 2025 at
# 11:47 PM') gives the year to stamps that write none ('Mar 3, 11:47 PM').
_FULL_DATE = re.compile(r"\b(?P<mon>[A-Z][a-z]{2,8}+)\.?+[ \t](?P<d>\d{1,2}+),[ \t](?P<y>\d{4}+)\b")
_YEAR_LINES = 60
_AGE = re.compile(
    r"\A\(?+(?:(?:\d{1,4}+|an?|a few)[ \t]++(?:second|minute|hour|day|week|month|year)s?+"
    r"[ \t]++ago|just now|yesterday|today)\)?+\Z",
    re.IGNORECASE,
)
_BARE_TIME = re.compile(rf"\A(?>{CLOCK_PATTERN})(?:[ \t]?+(?:UTC|GMT|Z)(?![A-Za-z]))?+\Z")
_ENTRY_LOOKAHEAD = 6  # lines below a bare time line that may name the entry's actor
_TIMELINE_CUES = (
    "triggered", "acknowledged", "resolved", "escalated", "notified", "declared", "incident",
    "alert", "paged", "status changed", "severity", "mitigated", "rolled back", "restart", "deploy",
)  # fmt: skip


def _month_date(name: str, day: str, year: str | None, hint: int | None) -> dt.date | None:
    month = MONTHS.get(name.lower())
    if month is None:
        return None
    if year is not None:
        return safe_date(int(year), month, int(day))
    return safe_date(hint, month, int(day)) if hint is not None else None


def _stamp(line: str, year: int | None = None) -> tuple[Header, re.Match[str]] | None:
    """The clock and date a line starts with (and the match, for what follows them); `year`
    dates a stamp that writes a month and day only."""
    if ":" not in line:
        return None  # every stamp has a clock's ':' (the bold markers dropped below hold none)
    if line[:1] in "*_":
        line = _BOLD.sub(r"\g<inner>", line, count=1)
    if len(line) > 400 or not line[:1].isalnum():
        return None
    match = _STAMP.match(line)
    if not match:
        return None
    clock = clock_from_match(match)
    if clock is None:
        return None
    date = None
    if match["mon"] or match["mon2"]:
        if MONTHS.get((match["mon"] or match["mon2"]).lower()) is None:
            return None
        date = _month_date(
            match["mon"] or match["mon2"],
            match["d"] or match["d2"],
            match["y"] or match["y2"],
            year,
        )
    elif match["ny"]:
        date = safe_date(int(match["ny"]), int(match["na"]), int(match["nb"]))
    elif match["iy"]:
        date = safe_date(int(match["iy"]), int(match["im"]), int(match["id"]))
    return Header(author=None, clock=clock, date=date, cue=True), match


def _dated(match: re.Match[str]) -> bool:
    return bool(match["mon"] or match["mon2"] or match["ny"] or match["iy"])


def year_of_page(keys: Sequence[str]) -> int | None:
    """The year of the first full month-name date in the first lines (see `_FULL_DATE`)."""
    for key in keys[:_YEAR_LINES]:
        found = _FULL_DATE.search(key[:400])
        if found and MONTHS.get(word_key(found["mon"])):
            return int(found["y"])
    return None


def match_timeline_entry(line: str, year: int | None = None) -> Header | None:
    """A timeline entry (stamp and text), or a stamp alone with the entry on the lines below."""
    found = _stamp(line, year)
    if found is None:
        return None
    stamp, match = found
    rest = match["rest"]
    if rest is None:
        if not _dated(match):
            return None  # a bare time line is not an entry on its own
        return stamp
    return replace(
        stamp,
        author=actor_of(rest),
        text=rest,
        cue=any(cue in rest.lower() for cue in _TIMELINE_CUES),
    )


def _cued(lines: Sequence[str]) -> bool:
    return any(cue in line.lower() for line in lines for cue in _TIMELINE_CUES)


def match_time_above_entry(keys: Sequence[str], index: int) -> Header | None:
    """incident.io's bare time line, with the entry's title right below it: after a blank line
    (or a heading, blank to matching), or right under the entry before when the title reads as
    an entry (it names an actor, or says what happened: 'Alert fired', 'Status changed'), so
    a time alone inside a message's text is not an entry. The actor comes from the title and
    detail lines."""
    match = _BARE_TIME.match(keys[index]) if len(keys[index]) <= 24 else None
    if match is None or index + 1 >= len(keys) or not keys[index + 1].strip():
        return None
    clock = clock_from_match(match)
    title = keys[index + 1]
    if clock is None or _stamp(title) is not None:
        return None
    if index and keys[index - 1].strip() and not (entry_actor([title]) or _cued([title])):
        return None
    below: list[str] = []
    for key in keys[index + 1 : index + 1 + _ENTRY_LOOKAHEAD]:
        if not key.strip() or _BARE_TIME.match(key[:24]):
            break
        below.append(key)
    return Header(author=entry_actor(below), clock=clock, cue=_cued(below[:2]))


def _trailing_stamp(keys: Sequence[str], index: int, year: int | None) -> Header | None:
    """A stamp written below its entry (see the module docstring), or None."""
    key = keys[index]
    found = _stamp(key, year)
    if found is None or not index or not keys[index - 1].strip():
        return None
    stamp, match = found
    rest = match["rest"]
    if rest is not None and _AGE.match(rest.strip()):
        return stamp
    if rest is None and _dated(match) and _stamp(keys[index - 1]) is None:
        following = keys[index + 1] if index + 1 < len(keys) else ""
        return stamp if not following.strip() else None
    return None


def incident_timeline_format(keys: list[str]) -> tuple[LineFormat, list[str]]:
    """The incident-timeline reader, tuned to entries whose time is written below them (one
    pass over the lines; see the module docstring)."""
    year = year_of_page(keys)
    trailers = [(i, h) for i in range(1, len(keys)) if (h := _trailing_stamp(keys, i, year))]
    if len(trailers) < 2:
        if year is None:
            return INCIDENT_TIMELINE, []
        return replace(
            INCIDENT_TIMELINE, match_line=lambda line: match_timeline_entry(line, year)
        ), []
    starts: dict[int, Header] = {}
    covered: set[int] = set()
    previous: int | None = None
    for index, stamp in trailers:
        start = index - 1
        floor = previous if previous is not None else -1
        while start - 1 > floor and (previous is not None or keys[start - 1].strip()):
            start -= 1
        while start < index and not keys[start].strip():
            start += 1
        previous = index
        if start >= index or start in covered:
            continue
        entry = keys[start:index]
        starts[start] = replace(stamp, author=entry_actor(entry), text=keys[start], cue=True)
        covered.update(range(start + 1, index))
    footers = frozenset(i for i, _ in trailers)

    def match_stack(lines: Sequence[str], index: int) -> Header | None:
        return starts.get(index) or match_time_above_entry(lines, index)

    tuned = replace(
        INCIDENT_TIMELINE,
        match_line=lambda line: match_timeline_entry(line, year),
        match_stack=match_stack,
        covered=frozenset(covered),
        footers=footers,
    )
    return tuned, []


INCIDENT_TIMELINE = LineFormat(
    "incident-timeline",
    match_timeline_entry,
    match_stack=match_time_above_entry,
    author_from_body=entry_actor_of_text,
)
