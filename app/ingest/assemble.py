"""Group the normalised lines of a line-oriented transcript into messages.

A header starts a message; every other line belongs to the message above it, so nothing is ever
dropped: lines before the first header become one unattributed message (with a warning), and odd
lines mid-transcript are continuation lines. What is decided per message, never across messages:

- Code fences. A ``` opened in a message closes at the next ``` only when the lines between hold
  at most `MAX_CHAT_IN_FENCE` headers by people who also write outside it (a quoted snippet of
  chat); otherwise the fence was never closed and is ignored, so one stray ``` cannot swallow
  the channel. Inside a closed fence no line is a header.
- Quotes. A message whose header was quoted ('> Name [9:14 AM]') has that many quote markers
  taken off its body lines; a line quoted deeper than the chat's headers is a quote inside a
  message, never a header.
- Untimed lines. In a timed chat, a 'Name: text' line by someone who writes elsewhere in the chat
  starts a message of its own, without a time, unless it follows a line ending in ':' or another
  'Name: text' line (a list of owners inside one message), or the format writes a header for
  every message (`LineFormat.stamped`: WhatsApp, Zoom). Such lines are reported as uncertain.

A mention Slack's desktop copy put on a line of its own ('@Malte Voss' / ' kannst du ...')
rejoins the words after it. App decoration (reactions, '15 replies', 'Edited', rules) is
dropped and counted; a date
separator dates the messages below it (it stays text when no header follows it), and a rule
between two text lines of one message (a query result's '-------') stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from app.ingest.candidates import Tried, header_candidates, recorded_matcher, timeish_lines
from app.ingest.clock import nearest_half_day
from app.ingest.dates import DateMark
from app.ingest.line_formats import LineFormat
from app.ingest.normalise import SourceLine, is_heading
from app.ingest.records import Header, RawMessage
from app.ingest.untimed import untimed_parts

FENCE = "```"
FOLLOW_UP_WINDOW = 6 * 3600  # seconds after the last header a time-only line may start a message
MAX_CHAT_IN_FENCE = 2
EDITED = "(edited)"
_MENTION_LINE = re.compile(r"\A@[^\s@](?:[^\s@]|[ ](?=[^\s@])){0,60}+\Z")


@dataclass
class LineCounts:
    """What became of the source lines."""

    header_lines: int = 0
    continuation_lines: int = 0
    unattributed_lines: int = 0
    ui_lines: int = 0
    untimed_messages: int = 0
    uncertain_lines: list[int] = field(default_factory=list)
    unclosed_fences: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Assembly:
    """Messages in source order, warnings, and the line counts behind them."""

    messages: list[RawMessage]
    warnings: list[str]
    counts: LineCounts


@dataclass
class _Pending:
    header: Header
    line_no: int
    depth: int
    body: list[tuple[int, str]] = field(default_factory=list)
    untimed: bool = False
    note: str | None = None


def strip_quotes(text: str, depth: int) -> str:
    """`text` without its first `depth` Markdown quote markers."""
    for _ in range(depth):
        stripped = text.lstrip(" \t")
        if not stripped.startswith(">"):
            break
        text = stripped[1:]
        text = text[1:] if text.startswith(" ") else text
    return text


def _dedent(text: str) -> str:
    if text.startswith("\t"):
        return text[1:]
    return text[4:] if text.startswith("    ") else text.lstrip(" ") if text[:1] == " " else text


def _rejoined_mentions(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Slack's desktop copy puts an inline mention on a line of its own ('@Malte Voss', then
    ' kannst du mal schauen?'); the words after it, which start with a space, rejoin it."""
    joined: list[tuple[int, str]] = []
    for number, text in body:
        if joined and text.startswith(" ") and text.strip():
            previous = joined[-1][1]
            if _MENTION_LINE.match(previous):
                joined[-1] = (joined[-1][0], f"{previous} {text.strip()}")
                continue
        joined.append((number, text))
    return joined


def _trimmed(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    start, end = 0, len(body)
    while start < end and not body[start][1].strip():
        start += 1
    while end > start and not body[end - 1][1].strip():
        end -= 1
    return body[start:end]


def _candidates(
    keys: list[str], lines: list[SourceLine], fmt: LineFormat, tried: Sequence[Tried] = ()
) -> tuple[list[Header | None], int]:
    """Every line's header (ignoring fences), and the quote depth the chat's headers share.

    `tried`: what detection asked the recognisers of `fmt` and of each format in `fmt.also`
    (in that order), reused (`candidates.recorded_matcher`) instead of asking again."""
    found: list[Header | None] = [None] * len(keys)
    depths: Counter[int] = Counter()
    free = 0  # the first line not taken by the last header's span
    recorded = recorded_matcher(tried, keys) if tried else None
    candidates: Sequence[int]
    if recorded is not None:
        match, candidates = recorded
    else:
        match = fmt.matcher()
        candidates = header_candidates(fmt.name, fmt, keys, timeish_lines(keys))
    for index in candidates:
        if index < free or not keys[index]:
            continue  # the lines left out of the candidates have no header either
        header = match(keys, index)
        if header is not None:
            found[index] = header
            depths[lines[index].quote_depth] += 1
            free = index + header.span
    _unstack_bare_times(found, keys, match)
    base = depths.most_common(1)[0][0] if depths else 0
    return found, base


def _unstack_bare_times(
    found: list[Header | None],
    keys: list[str],
    match: Callable[[Sequence[str], int], Header | None],
) -> None:
    """In a chat whose headers show AM/PM, a name line above a bare '3:01' is no header: apps
    that write 12-hour headers show a consecutive post's time bare, so the line above is the
    end of the previous message ('CHECKPOINT', 'done') and the time line a follow-up post.
    A name line that names the author of another header stays a header: moving that person's
    post to the author above would misattribute it."""
    clocks = [h.clock for h in found if h is not None and h.clock is not None]
    twelve = sum(c.twelve_hour for c in clocks)
    if twelve * 2 <= len(clocks):
        return
    authors = Counter(h.author for h in found if h is not None and h.author)
    for index, header in enumerate(found):
        if header is None or header.span != 2 or header.clock is None:
            continue
        if header.clock.twelve_hour or index + 1 >= len(keys):
            continue
        if header.author and authors[header.author] > 1:
            continue
        follow_up = match(keys, index + 1)
        if follow_up is not None and follow_up.same_author:
            found[index], found[index + 1] = None, follow_up


class _Grouper:
    """One pass over the lines (see the module docstring)."""

    def __init__(
        self, lines: list[SourceLine], keys: list[str], fmt: LineFormat, tried: Sequence[Tried]
    ) -> None:
        self.lines, self.keys, self.fmt = lines, keys, fmt
        self.found, self.base_depth = _candidates(keys, lines, fmt, tried)
        for index, header in enumerate(self.found):
            if header is not None and lines[index].quote_depth > self.base_depth:
                self.found[index] = None  # a quote inside a message
        self.author_totals: Counter[str] = Counter(
            h.author.lower() for h in self.found if h is not None and h.author
        )
        self.timed = any(h is not None and h.clock is not None for h in self.found)
        self.fences = [i for i, line in enumerate(lines) if line.text.count(FENCE) % 2 == 1]
        self.counts = LineCounts()
        self.messages: list[RawMessage] = []
        self.preamble: list[tuple[int, str]] = []
        self.pending: _Pending | None = None
        self.previous: Header | None = None
        self.mark: DateMark | None = None
        self.irc_date: dt.date | None = None

    # -- fences ----------------------------------------------------------------------------

    def _closing_fence(self, opening: int, position: int) -> int | None:
        """The line that closes the fence opened at `opening`, or None if it stays open."""
        if position + 1 >= len(self.fences):
            return None
        closing = self.fences[position + 1]
        inside: Counter[str] = Counter()
        for index in range(opening + 1, closing):
            header = self.found[index]
            if header is not None and header.author:
                inside[header.author.lower()] += 1
        chat_like = sum(n for a, n in inside.items() if self.author_totals[a] > n)
        return closing if chat_like <= MAX_CHAT_IN_FENCE else None

    # -- messages --------------------------------------------------------------------------

    def _finish(self) -> None:
        pending = self.pending
        if pending is None:
            return
        body = _rejoined_mentions(_trimmed(pending.body))
        if pending.note:
            first = f"{pending.note} {body[0][1]}" if body else pending.note
            body = [(body[0][0] if body else pending.line_no, first), *body[1:]]
        if self.fmt.strip_edited and body:
            number, last = body[-1]
            if last.endswith(EDITED):
                body = _trimmed([*body[:-1], (number, last.removesuffix(EDITED).rstrip())])
        header = pending.header
        text = "\n".join(t for _, t in body)
        author = header.author
        if author is None and self.fmt.author_from_body is not None and text:
            author = self.fmt.author_from_body(text)
        self.messages.append(
            RawMessage(
                author=author,
                clock=header.clock,
                text=text,
                line_start=pending.line_no,
                line_end=max([pending.line_no, *(n for n, _ in body[-1:])]),
                date=header.date,
                relative_day=header.relative_day,
                instant=header.instant,
                day_break=self._day_break,
            )
        )
        if author is None:
            self.counts.unattributed_lines += sum(1 for _, t in body if t.strip()) or 1
        self.pending = None

    def _start(self, header: Header, index: int, untimed: bool = False) -> None:
        self._finish()
        self._day_break = False
        if self.mark is not None:
            header = self._dated(header, self.mark)
            self.mark = None
        if self.irc_date is not None and header.date is None:
            header = replace(header, date=self.irc_date)
            self.irc_date = None
        depth = self.lines[index].quote_depth
        self.pending = _Pending(header, self.lines[index].number, depth, untimed=untimed)
        self.pending.note = header.note
        if header.text:
            self.pending.body.append((self.lines[index].number, header.text))
        self.counts.header_lines += header.span
        if not untimed:
            self.previous = header

    def _dated(self, header: Header, mark: DateMark) -> Header:
        if header.date is not None or header.relative_day is not None:
            return header
        if mark.relative_day is not None:
            return replace(header, relative_day=mark.relative_day)
        year = self.previous.date.year if self.previous and self.previous.date else None
        date = mark.resolve(year)
        if date is not None:
            return replace(header, date=date)
        self._day_break = bool(self.messages)
        return header

    def _follow_up(self, header: Header, index: int) -> Header | None:
        """A time-only line as a follow-up by the previous author, or None when it is text.

        It counts only after a header, at most `FOLLOW_UP_WINDOW` later (apps group messages
        sent close together) and with text right below it; so a reply that is just a time
        ('9:58') stays in the message it answers. A bare '1:05' under '12:58 PM' reads as 13:05.
        """
        previous = self.previous
        if previous is None or previous.clock is None or header.clock is None:
            return None
        following = index + 1
        if following >= len(self.keys) or not self.keys[following].strip():
            return None
        if self.found[following] is not None:
            return None
        clock = header.clock
        if previous.clock.twelve_hour and not clock.twelve_hour:
            clock = nearest_half_day(clock, previous.clock)
        if (clock.seconds - previous.clock.seconds) % 86400 > FOLLOW_UP_WINDOW:
            return None
        return Header(
            author=previous.author, clock=clock, date=previous.date,
            relative_day=previous.relative_day,
        )  # fmt: skip

    def _untimed_header(self, index: int) -> Header | None:
        """A 'Name: text' line in a timed chat that starts a message of its own."""
        line, pending = self.lines[index], self.pending
        if self.fmt.stamped or not self.timed or pending is None:
            return None
        if line.bulleted or line.text[:1].isspace():
            return None
        if line.quote_depth > pending.depth:
            return None
        parts = untimed_parts(line.key)
        if parts is None or not self.author_totals[parts[0].lower()]:
            return None
        current = (pending.header.author or "").lower()
        if parts[0].lower() == current:
            return None
        filled = [t for _, t in pending.body if t.strip()]
        if filled and (filled[-1].rstrip().endswith(":") or untimed_parts(filled[-1]) is not None):
            return None  # a list of 'Name: task' lines inside one message
        return Header(author=parts[0], clock=None, text=parts[1])

    def _body_line(self, index: int) -> None:
        line = self.lines[index]
        depth = self.pending.depth if self.pending else self.base_depth
        text = strip_quotes(line.text, depth)
        if self.fmt.dedent:
            text = _dedent(text)
        target = self.pending.body if self.pending else self.preamble
        target.append((line.number, text))
        if line.key:
            if self.pending is not None:
                self.counts.continuation_lines += 1

    def run(self) -> Assembly:
        self._day_break = False
        fence_position = {line: i for i, line in enumerate(self.fences)}
        closed_until = -1
        index, total = 0, len(self.lines)
        while index < total:
            line = self.lines[index]
            if index <= closed_until:
                self._body_line(index)
                index += 1
                continue
            if index in self.fmt.footers and self.pending is not None:
                self.counts.header_lines += 1  # the time below a message, read with its header
                index += 1
                continue
            header = self.found[index]
            if header is not None and header.same_author:
                header = self._follow_up(header, index)
            if header is None and line.ui:
                if self._decoration(index):
                    index += 1
                    continue
            if header is None and self.fmt.date_marker is not None and line.key:
                marked = self.fmt.date_marker(line.key)
                if marked is not None:
                    self.irc_date = marked
                    index += 1
                    continue
            if header is None and line.key:
                untimed = self._untimed_header(index)
                if untimed is not None:
                    self._start(untimed, index, untimed=True)
                    self.counts.untimed_messages += 1
                    self.counts.uncertain_lines.append(self.lines[index].number)
                    closed_until = max(closed_until, self._fence_end(index, fence_position))
                    index += 1
                    continue
            if header is None:
                self._body_line(index)
                closed_until = max(closed_until, self._fence_end(index, fence_position))
                index += 1
                continue
            self._start(header, index)
            end = index + header.span - 1
            closed_until = max(closed_until, self._fence_end(index, fence_position))
            index = end + 1
        self._finish()
        return self._result()

    def _fence_end(self, index: int, positions: dict[int, int]) -> int:
        """The last line of a closed fence opened on line `index`, else -1."""
        if index not in positions:
            return -1
        closing = self._closing_fence(index, positions[index])
        if closing is None:
            self.counts.unclosed_fences.append(self.lines[index].number)
            return -1
        return closing

    def _inside_text(self, index: int) -> bool:
        """A rule line between two text lines of one message (a table's or a query result's
        underline) is text, not a Markdown rule around the chat."""
        if self.pending is None or index == 0 or index + 1 >= len(self.lines):
            return False
        before, after = self.lines[index - 1], self.lines[index + 1]
        return bool(
            before.key.strip()
            and not before.ui
            and after.key.strip()
            and not after.ui
            and self.found[index + 1] is None
        )

    def _decoration(self, index: int) -> bool:
        """Drop an app-decoration line (True), or keep it as text (False): a date separator
        counts only with a header below it."""
        line = self.lines[index]
        if line.ui == "rule" and self._inside_text(index):
            return False
        if line.ui != "date":
            self.counts.ui_lines += 1
            return True
        following = index + 1
        while following < len(self.lines) and (
            not self.keys[following] or self.lines[following].ui
        ):
            following += 1
        if following < len(self.lines) and self.found[following] is not None:
            self.mark = line.date_mark
            self.counts.ui_lines += 1
            return True
        return False

    def _result(self) -> Assembly:
        warnings: list[str] = []
        kept = _trimmed(self.preamble)
        if kept and all(is_heading(t.strip()) or not t.strip() for _, t in kept):
            self.counts.ui_lines += sum(1 for _, t in kept if t.strip())
            warnings.append(
                f"Skipped {sum(1 for _, t in kept if t.strip())} Markdown heading line(s) above "
                "the chat."
            )
            kept = []
        if kept:
            first, last = kept[0][0], kept[-1][0]
            text = "\n".join(t for _, t in kept)
            self.messages.insert(0, RawMessage(None, None, text, first, last))
            self.counts.unattributed_lines += sum(1 for _, t in kept if t.strip())
            where = f"Line {first} comes" if first == last else f"Lines {first}-{last} come"
            warnings.append(
                f"{where} before the first message header and could not be "
                "attributed; kept as message 1 with no author or time."
            )
        return Assembly(self.messages, warnings, self.counts)


def group_messages(
    lines: list[SourceLine], keys: list[str], fmt: LineFormat, tried: Sequence[Tried] = ()
) -> Assembly:
    """Messages in source order, warnings, and counts (see the module docstring). `tried`:
    detection's answers for `fmt` and each format of `fmt.also`, in that order (`_candidates`),
    or nothing (every line is asked)."""
    return _Grouper(lines, keys, fmt, tried).run()
