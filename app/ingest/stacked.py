"""Header recognisers for apps whose copy puts the name on one line and the time below it.

    Priya Sharma                    mattermost-copy, slack-thread (thread pane replies)
    10:02 AM
    checkout is down
    10:03 AM                        a bare time line: a consecutive post by the same person
    rolling back

    Yuki Tanaka                     slack-copy / slack-thread from the desktop app: the time line
    :flag-jp:  11:34 AM             carries the status emoji, 'APP' for a bot, or just the
    billing-alerts                  indent; 'Yesterday at 11:52 PM' or 'Dec 4th at 3:06 PM' for
    APP  11:39 AM                   an older thread parent; '4 days ago' (no clock) in old panes

    Datadog                         google-chat-copy: an 'App' line between name and time for
    App                             apps; 'Jan 15, 10:02 AM', 'Yesterday 10:02 AM' or a bare
    11:02 AM                        time ('BOT' does the same in Mattermost)

    Halle 3: kein Scanner kann...   teams-copy (current Teams): the screen-reader preview line
      by Hoffmann, Timo             ('<first words>... by <author>'), the author, a date-time
    Hoffmann, Timo                  line ('3/17/2025 6:07 AM', '17/03/2025 06:07',
    3/17/2025 6:07 AM               'Yesterday 10:02 AM', '10:02 AM'), then the text. A reply
                                    quotes its parent first: 'Begin Reference, <parent> by
                                    <parent author>', that author's name and time lines and the
                                    quoted line; the block belongs to the reply (kept as a '> '
                                    quote at the start of its text), it is not a message.

A name line must look like a name (capitalised words, 'Last, First', or one handle such as
'priya.sharma'), so a short reply above a line that is just a time stays text. A Teams preview
line is consumed only when the text below the header starts with the words it previews (or it
announces an attachment or a quoted reply), so a message that happens to end in 'by <name>'
above that person's next post keeps its last line.

Detection cues (shapes only one app writes): Slack's status, 'APP' and indented time lines,
Google Chat's 'App' line and month-day dates, Mattermost's 'BOT' line and dotted handles, and
Teams' preview lines, quoted replies and dated time lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from app.fold import word_key
from app.ingest.clock import CLOCK_PATTERN, Clock, clock_from_match
from app.ingest.copy_paste import MAX_HEADER_CHARS, match_slack_copy, match_time_only
from app.ingest.dates import MONTHS, WEEKDAYS, Order, date_order, numeric_date, safe_date
from app.ingest.line_formats import LineFormat, clean_author
from app.ingest.records import Header

_BADGE = re.compile(r"(?<!\s)\s++(?:APP|BOT|Bot|\(bot\)|\(External\)|\(Guest\))\Z")
_BADGE_LINE = re.compile(r"\A(?:App|APP|BOT|Bot|Workflow)\Z")
_HANDLE = re.compile(r"\A@?+[a-z0-9][a-z0-9._-]{0,39}+\Z")
_DOTTED_HANDLE = re.compile(r"\A[a-z0-9]++(?:[._][a-z0-9]++)++\Z")
_STATUS_SUFFIX = re.compile(r"(?<=[^\s:])(?::[a-z0-9_+'-]{1,100}+:)++\Z")
_PARTICLES = frozenset("de van von der den da di del la le al bin ibn el du dos das ter".split())
_BARE_TIME = re.compile(rf"\A\[?+{CLOCK_PATTERN}\]?+\Z")
_GOOGLE_TIME = re.compile(
    r"\A(?:(?P<rel>Yesterday|Today)|(?P<wd>[A-Z][a-z]{2,8}+)\.?(?=,?[ \t]\d{1,2}:)"
    r"|(?P<mon>[A-Z][a-z]{2,8}+)\.?[ \t](?P<d>\d{1,2}+)(?:,[ \t](?P<y>\d{4}+))?+)"
    rf",?[ \t]++(?:at[ \t]++)?{CLOCK_PATTERN}\Z"
)
_TEAMS_TIME = re.compile(
    r"\A(?:(?P<a>\d{1,2}+)[/.](?P<b>\d{1,2}+)(?:[/.](?P<y>\d{4}+|\d{2}+))?+,?"
    r"|(?P<rel>Yesterday|Today)|(?P<wd>[A-Z][a-z]{2,8}+))[ \t]++"
    rf"{CLOCK_PATTERN}\Z"
)
# 'White, Christian8/31 10:28 AM': older Teams web copies run the name into the date.
_TEAMS_JOINED = re.compile(
    r"\A(?P<name>[^\d\s][^\d]{0,62}+)(?<=[^\s\d])"
    r"(?P<a>\d{1,2}+)/(?P<b>\d{1,2}+)(?:/(?P<y>\d{4}+|\d{2}+))?+[ \t]++"
    rf"{CLOCK_PATTERN}\Z"
)
_EMOJI = (
    r"(?::[a-z0-9_+'-]{1,100}+:"
    r"|[\u2190-\u2bff\U0001f000-\U0001faff][\ufe0f\U0001f3fb-\U0001f3ff]?+)"
)
_SLACK_TIME = re.compile(
    rf"\A(?:(?P<badge>APP|BOT|Workflow)[ \t]++|(?P<status>{_EMOJI}{{1,4}}+)[ \t]++"
    r"|(?P<indent>[ \t]++))?+"
    r"(?:(?:(?P<rel>Today|Yesterday)|(?P<mon>[A-Z][a-z]{2,8}+)\.?[ \t]++(?P<d>\d{1,2}+)"
    r"(?:st|nd|rd|th)?+(?:,[ \t]++(?P<y>\d{4}+))?+|(?P<wd>[A-Z][a-z]{2,8}+))[ \t]++at[ \t]++)?+"
    rf"(?:{CLOCK_PATTERN}|(?P<ago>(?:\d{{1,3}}+|an?)[ \t](?:minute|hour|day|week|month|year)s?"
    r"[ \t]ago|just now))\Z"
)
_PREVIEW_BY = " by "
_ATTACHMENT = ", has an attachment."
_REFERENCE = "Begin Reference,"
_PROFILE = "Profile picture of "
_MAX_QUOTED = 8  # lines a Teams reply may quote before its own header
_PREVIEW_CHARS = 24  # word characters of a Teams preview compared with the message text
_NOT_WORD = re.compile(r"[\W_]++")


@dataclass(frozen=True)
class When:
    """What a time line says: the clock (None for Slack's '4 days ago'), a date or a day
    relative to the copy, and whether its shape is a detection cue."""

    clock: Clock | None
    date: dt.date | None = None
    relative_day: int | None = None
    cue: bool = False


TimeReader = Callable[[str], When | None]


def name_line(line: str) -> str | None:
    """The author a name line names, or None when the line does not look like a name."""
    if not line or len(line) > 64 or line[0].isspace() or line[-1] in ".?!:;,":
        return None
    name = _BADGE.sub("", line)
    author = clean_author(name)
    if author is None or any(ch.isdigit() for ch in author.replace(".", "")[:1]):
        return None
    words = author.replace(",", " ").split()
    if len(words) == 1:
        word = words[0]
        ok = bool(_HANDLE.match(word)) or (word[0].isupper() and word[1:2] != ":")
        return author if ok and not _BARE_TIME.match(word) else None
    if len(words) > 5:
        return None
    for word in words:
        if word[0].isupper() or word.lower() in _PARTICLES or word.startswith("("):
            continue
        return None
    return author


def _slack_name(line: str) -> str | None:
    """A Slack name line: the status emoji Slack runs into it (':turtle:') and the doubled name
    of some copies ('Clement MiaoClement Miao') are dropped."""
    line = _STATUS_SUFFIX.sub("", line) if line.endswith(":") else line
    half = len(line) // 2
    if len(line) % 2 == 0 and half >= 2 and line[:half] == line[half:]:
        line = line[:half]
    return name_line(line)


def _bare_when(line: str) -> When | None:
    match = _BARE_TIME.match(line) if len(line) <= 24 else None
    clock = clock_from_match(match) if match else None
    return When(clock) if clock else None


def _stack(
    keys: Sequence[str],
    index: int,
    read: TimeReader,
    *,
    name: Callable[[str], str | None] = name_line,
    badges: frozenset[str] = frozenset(),
    doubled: bool = False,
) -> Header | None:
    """A name line at `index` above a time line, maybe with a badge line ('App') or the name
    repeated between them; `badges` are the badge lines that are a cue for this format."""
    line = keys[index]
    if not line or len(line) > MAX_HEADER_CHARS or index + 1 >= len(keys):
        return None
    below = keys[index + 1]
    when = read(below) if below and len(below) <= 64 else None
    span, cue = 2, False
    if when is None and index + 2 < len(keys) and below:
        if _BADGE_LINE.match(below) or (doubled and below == line):
            after = keys[index + 2]
            when = read(after) if after and len(after) <= 64 else None
            span, cue = 3, below in badges
    if when is None:
        return None
    author = name(line)
    if author is None:
        return None
    return Header(
        author=author,
        clock=when.clock,
        date=when.date,
        relative_day=when.relative_day,
        span=span,
        cue=cue or when.cue,
    )


def _time_only(line: str) -> Header | None:
    return match_time_only(line) if len(line) <= 24 else None


# --- Mattermost and Google Chat ---------------------------------------------------------------


def _google_when(line: str) -> When | None:
    match = _GOOGLE_TIME.match(line)
    if not match:
        return _bare_when(line)
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["rel"]:
        return When(clock, relative_day=0 if match["rel"] == "Today" else -1)
    if match["wd"]:
        return When(clock) if word_key(match["wd"]) in WEEKDAYS else None
    month = MONTHS.get(word_key(match["mon"]))
    if month is None:
        return None
    date = safe_date(int(match["y"]), month, int(match["d"])) if match["y"] else None
    return When(clock, date=date, cue=True)


def _mattermost_stack(keys: Sequence[str], index: int) -> Header | None:
    header = _stack(keys, index, _bare_when, badges=frozenset({"BOT", "Bot"}))
    if header is not None and header.author and _DOTTED_HANDLE.match(header.author):
        return replace(header, cue=True)
    return header


MATTERMOST_COPY = LineFormat(
    "mattermost-copy", _time_only, strip_edited=True, match_stack=_mattermost_stack
)
GOOGLE_CHAT_COPY = LineFormat(
    "google-chat-copy",
    _time_only,
    strip_edited=True,
    match_stack=partial(_stack, read=_google_when, badges=frozenset({"App"})),
)


# --- Slack (channel copy and thread pane from the desktop app) --------------------------------


def _slack_when(line: str) -> When | None:
    match = _SLACK_TIME.match(line)
    if not match:
        return None
    cue = bool(match["badge"] or match["status"] or match["indent"] or match["mon"])
    if match["ago"]:
        return When(None, cue=True)
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["wd"] and word_key(match["wd"]) not in WEEKDAYS:
        return None
    if match["mon"]:
        month = MONTHS.get(word_key(match["mon"]))
        if month is None:
            return None
        date = safe_date(int(match["y"]), month, int(match["d"])) if match["y"] else None
        return When(clock, date=date, cue=True)
    if match["rel"]:
        return When(clock, relative_day=0 if match["rel"] == "Today" else -1, cue=cue)
    return When(clock, cue=cue)


_slack_stack = partial(
    _stack, read=_slack_when, name=_slack_name, badges=frozenset({"APP"}), doubled=True
)
SLACK_COPY = LineFormat("slack-copy", match_slack_copy, strip_edited=True, match_stack=_slack_stack)
SLACK_THREAD = LineFormat(
    "slack-thread", match_slack_copy, strip_edited=True, match_stack=_slack_stack
)


# --- Teams (current layout) -------------------------------------------------------------------


def _teams_when(line: str, order: Order) -> When | None:
    match = _TEAMS_TIME.match(line)
    if not match:
        return _bare_when(line)
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["rel"]:
        return When(clock, relative_day=0 if match["rel"] == "Today" else -1)
    if match["wd"]:
        return When(clock) if word_key(match["wd"]) in WEEKDAYS else None
    if match["y"] is None:
        return When(clock)  # '1/15 10:02 AM': this year, which the chat does not say
    date = numeric_date(int(match["a"]), int(match["b"]), match["y"], order)
    return When(clock, date=date, cue=True) if date else None


def _teams_joined(line: str, order: Order) -> Header | None:
    """'White, Christian8/31 10:28 AM' (name and date-time on one line), else a bare time."""
    if len(line) > MAX_HEADER_CHARS or not line[:1].isalpha():
        return _time_only(line)
    match = _TEAMS_JOINED.match(line)
    if not match:
        return None
    clock = clock_from_match(match)
    author = name_line(match["name"])
    if clock is None or author is None:
        return None
    date = None
    if match["y"]:
        date = numeric_date(int(match["a"]), int(match["b"]), match["y"], order)
        if date is None:
            return None
    return Header(author=author, clock=clock, date=date, cue=True)


def _unprofiled(line: str) -> str:
    """A Teams line without its 'Profile picture of Name.' prefix."""
    if not line.startswith(_PROFILE):
        return line
    dot = line.find(".", len(_PROFILE))
    return line[dot + 1 :].lstrip() if dot > 0 else line


def _previewed_author(line: str) -> tuple[str, str] | None:
    """(preview text, author) of a Teams preview line '<text>... by <author>'."""
    line = _unprofiled(line).removesuffix(_ATTACHMENT)
    cut = line.rfind(_PREVIEW_BY)
    if cut <= 0 or len(line) > 400:
        return None
    return line[:cut], line[cut + len(_PREVIEW_BY) :].strip()


def _words(text: str) -> str:
    return _NOT_WORD.sub("", text).casefold()


def _previews(preview: str, keys: Sequence[str], start: int) -> bool:
    """Whether the message text from line `start` on begins with the words `preview` shows."""
    if preview.startswith(_REFERENCE):
        return True
    want = _words(preview.removesuffix("...").removesuffix("…"))[:_PREVIEW_CHARS]
    if not want:
        return False
    seen = ""
    for index in range(start, min(start + 6, len(keys))):
        if keys[index]:
            seen += _words(keys[index])
            if len(seen) >= len(want):
                break
    return seen.startswith(want) or (len(seen) >= 8 and want.startswith(seen))


def _quote_text(author: str | None, lines: list[str]) -> str:
    head = f"> {author}: " if author else "> "
    return "\n".join((head if i == 0 else "> ") + line.strip() for i, line in enumerate(lines))


def _teams_reference(
    keys: Sequence[str], index: int, read: TimeReader, replier: str | None
) -> Header | None:
    """A reply whose quote block starts at `index` ('Begin Reference, ... by X', X's name and
    time lines, the quoted lines), ending at the reply's own name and time lines."""
    if not _unprofiled(keys[index]).startswith(_REFERENCE):
        return None
    quoted = _stack(keys, index + 1, read) if index + 1 < len(keys) else None
    if quoted is None:
        return None
    start = index + 1 + quoted.span
    lines: list[str] = []
    for position in range(start, min(start + _MAX_QUOTED + 1, len(keys))):
        key = keys[position]
        if lines and (replier is None or key == replier):
            reply = _stack(keys, position, read)
            if reply is not None:
                return replace(
                    reply,
                    text=_quote_text(quoted.author, lines),
                    span=position + reply.span - index,
                    cue=True,
                )
        if key and key != "End Reference":
            lines.append(key)
    return None


def _teams_stack(keys: Sequence[str], index: int, order: Order) -> Header | None:
    read: TimeReader = partial(_teams_when, order=order)
    line = keys[index]
    if not line:
        return None
    if line.startswith(_REFERENCE):
        return _teams_reference(keys, index, read, None)
    previewed = _previewed_author(line) if index + 2 < len(keys) else None
    if previewed is not None:
        preview, author = previewed
        below = _unprofiled(keys[index + 1])
        header: Header | None = None
        if below == author:
            header = _stack(keys, index + 1, read)
        elif below.startswith(_REFERENCE):
            header = _teams_reference(keys, index + 1, read, author)
        elif below.startswith(author):
            header = _teams_joined(below, order)
        if header is not None and header.author == name_line(author):
            end = index + 1 + header.span
            if preview.startswith(_REFERENCE) and header.text is None:
                # An older layout: the reply's header first, then the quoted author and time.
                quoted = _stack(keys, end, read) if end < len(keys) else None
                if quoted is not None:
                    return replace(
                        header, text=f"> {quoted.author}:", span=end + quoted.span - index, cue=True
                    )
            if _previews(preview, keys, end) or line.endswith(_ATTACHMENT):
                return replace(header, span=header.span + 1, cue=True)
    return _stack(keys, index, read)


def teams_copy_format(keys: list[str]) -> tuple[LineFormat, list[str]]:
    """The current-Teams recogniser with the date order this chat writes, plus any warning."""
    dates: list[tuple[int, int, int]] = []
    twelve_hour = False
    for number, line in enumerate(keys, start=1):
        # a Teams time line has a clock's ':'; one test in C before the pattern
        match = _TEAMS_TIME.match(line) if len(line) <= 48 and ":" in line else None
        if match and match["a"] and match["y"]:
            dates.append((number, int(match["a"]), int(match["b"])))
            twelve_hour = twelve_hour or bool(match["ampm"])
    order, warnings = date_order(
        dates, default="month-first" if twelve_hour else "day-first", format="teams-copy"
    )
    matcher = LineFormat(
        "teams-copy",
        partial(_teams_joined, order=order),
        strip_edited=True,
        match_stack=partial(_teams_stack, order=order),
    )
    return matcher, warnings
