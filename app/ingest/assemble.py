"""Group the lines of a line-oriented transcript into messages.

A header line starts a message; every other line belongs to the message above it, so nothing is
ever dropped: lines before the first header become one unattributed message (with a warning), and
odd lines mid-transcript are continuation lines. (Logger date lines such as IRC '--- Day changed'
are read as the date of the next message instead.) Lines inside fenced code blocks (```) are never
headers, so a stack trace that happens to contain '[09:14] worker' stays in its message.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from app.ingest.clock import nearest_half_day
from app.ingest.line_formats import LineFormat
from app.ingest.records import Header, RawMessage

FENCE = "```"
FOLLOW_UP_WINDOW = 6 * 3600  # seconds after the last header a time-only line may start a message
EDITED = "(edited)"
_QUOTE = re.compile(r"^>[ \t]?")


def split_lines(text: str) -> list[str]:
    """Source lines (CRLF/CR normalised, BOM and trailing spaces removed), numbered from 1."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


def unquote(lines: list[str]) -> list[str]:
    """Remove markdown '> ' quoting when (nearly) every non-blank line carries it.

    Pasting a Slack conversation into a Slack or GitHub reply quotes every line; a chat where
    only some lines are quotes is left alone. Line numbers do not change.
    """
    filled = [line for line in lines if line.strip()]
    quoted = sum(1 for line in filled if line.lstrip().startswith(">"))
    if not filled or quoted < 0.8 * len(filled):
        return lines
    return [_QUOTE.sub("", line.lstrip()) if line.lstrip().startswith(">") else line
            for line in lines]  # fmt: skip


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside a ``` code block (after the opening fence).

    Fences pair up in order; an opening fence that is never closed is ignored, so one stray
    ``` cannot swallow the rest of the chat.
    """
    markers = [i for i, line in enumerate(lines) if line.count(FENCE) % 2 == 1]
    inside = [False] * len(lines)
    for opening, closing in zip(markers[::2], markers[1::2], strict=False):
        for i in range(opening + 1, closing + 1):
            inside[i] = True
    return inside


@dataclass
class _Pending:
    header: Header
    line_no: int
    body: list[tuple[int, str]] = field(default_factory=list)


def _trimmed(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    start, end = 0, len(body)
    while start < end and not body[start][1].strip():
        start += 1
    while end > start and not body[end - 1][1].strip():
        end -= 1
    return body[start:end]


def _finish(pending: _Pending, strip_edited: bool) -> RawMessage:
    body = _trimmed(pending.body)
    if strip_edited and body:
        number, last = body[-1]
        if last.endswith(EDITED):
            body = _trimmed([*body[:-1], (number, last.removesuffix(EDITED).rstrip())])
    header = pending.header
    return RawMessage(
        author=header.author,
        clock=header.clock,
        text="\n".join(text for _, text in body),
        line_start=pending.line_no,
        line_end=max([pending.line_no, *(number for number, _ in body[-1:])]),
        date=header.date,
        relative_day=header.relative_day,
        instant=header.instant,
    )


def _follow_up(
    header: Header, previous: Header | None, next_line: str, fmt: LineFormat
) -> Header | None:
    """A time-only line as a follow-up by the previous author, or None when it is body text.

    It counts only after a header, at most `FOLLOW_UP_WINDOW` later (apps group messages sent
    close together) and with text right below it; so a reply that is just a time ('9:58')
    stays in the message it answers. A bare '1:05' under '12:58 PM' reads as 13:05.
    """
    if previous is None or previous.clock is None or header.clock is None:
        return None
    if not next_line.strip() or fmt.match(next_line) is not None:
        return None
    clock = header.clock
    if previous.clock.twelve_hour and not clock.twelve_hour:
        clock = nearest_half_day(clock, previous.clock)
    if (clock.seconds - previous.clock.seconds) % 86400 > FOLLOW_UP_WINDOW:
        return None
    return Header(
        author=previous.author,
        clock=clock,
        date=previous.date,
        relative_day=previous.relative_day,
    )


def group_messages(lines: list[str], fmt: LineFormat) -> tuple[list[RawMessage], list[str]]:
    """Messages in source order, and warnings about lines that could not be attributed."""
    inside_fence = fenced_lines(lines)
    messages: list[RawMessage] = []
    preamble: list[tuple[int, str]] = []
    pending: _Pending | None = None
    previous: Header | None = None
    next_date: dt.date | None = None
    for index, line in enumerate(lines):
        number = index + 1
        header = None if inside_fence[index] else fmt.match(line)
        if header is not None and header.same_author:
            next_line = lines[index + 1] if index + 1 < len(lines) else ""
            header = _follow_up(header, previous, next_line, fmt)
        if header is None and fmt.date_marker and not inside_fence[index]:
            marked = fmt.date_marker(line)
            if marked is not None:
                next_date = marked
                continue
        if header is None:
            target = pending.body if pending else preamble
            target.append((number, line))
            continue
        if pending:
            messages.append(_finish(pending, fmt.strip_edited))
        if next_date is not None and header.date is None:
            header = replace(header, date=next_date)
        next_date = None
        pending = _Pending(header, number)
        if header.text is not None:
            pending.body.append((number, header.text))
        previous = header
    if pending:
        messages.append(_finish(pending, fmt.strip_edited))

    warnings: list[str] = []
    kept = _trimmed(preamble)
    if kept:
        first, last = kept[0][0], kept[-1][0]
        messages.insert(0, RawMessage(None, None, "\n".join(t for _, t in kept), first, last))
        warnings.append(
            f"Lines {first}-{last} come before the first message header and could not be "
            "attributed; kept as message 1 with no author or time."
        )
    return messages, warnings
