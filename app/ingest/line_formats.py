"""Header recognisers for the line-oriented formats where every message starts with a time.

Each recogniser looks at one line and returns a `Header` when the line starts a message in its
format, else None. They are pure, per line and regex-anchored at the start, so detection and
parsing stay linear in the size of the transcript.

Author names are cleaned the same way everywhere (`clean_author`): surrounding space and a
leading '@' are dropped, and a candidate that is too long, too wordy, starts with punctuation or
reads as a phrase (three or more words with 'a', 'the', 'via', 'added' ...) is not a name, which
keeps prose lines that happen to start with a time from becoming headers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.ingest.clock import CLOCK_PATTERN, Clock, clock_from_match
from app.ingest.records import Header

MAX_AUTHOR_CHARS = 48
MAX_AUTHOR_WORDS = 5
_NOT_A_NAME_START = set("-*#>[](){}<`\"'|/\\=+.,;!?~")
# Lower-case words that make a phrase, not a name ('Alert created via API', 'Priya added a note').
_PHRASE_WORDS = frozenset(
    "a an the to of via is was has have had added created from for with and on in at by "
    "are be been this that".split()
)


@dataclass(frozen=True)
class LineFormat:
    """A named header recogniser.

    `strip_edited` drops the apps' '(edited)' marker from message ends; `date_marker` reads a
    logger's date line (IRC '--- Day changed ...'), which dates the next message and is not
    message text. `match_stack` reads a header written over several lines from `keys[index]`
    on (a name line above a time line; `Header.span` says how many lines it takes); it is
    tried before the one-line `match_line`. `dedent` removes the one tab or indent apps put
    before body lines (Zoom, Teams). `author_from_body` names the author from the text when the
    header named none (an incident-timeline stamp on its own line). `stamped` says the app
    writes a header for every message (an export file), so a 'Name: text' line inside a message
    is never split off as an untimed message of its own. `footers` are the lines of a stamp
    written below its message (a PagerDuty entry's 'Mar 4, 12:17 AM · 9 hours ago'): part of
    the header that starts the message, neither text nor a header; `covered` are the lines
    between such a header and its footer, which are never headers.
    """

    name: str
    match_line: Callable[[str], Header | None]
    strip_edited: bool = False
    date_marker: Callable[[str], dt.date | None] | None = None
    match_stack: Callable[[Sequence[str], int], Header | None] | None = None
    dedent: bool = False
    author_from_body: Callable[[str], str | None] | None = None
    stamped: bool = False
    also: tuple[LineFormat, ...] = ()
    footers: frozenset[int] = frozenset()
    covered: frozenset[int] = frozenset()

    def match(self, keys: Sequence[str], index: int) -> Header | None:
        """The header starting at `keys[index]`: one written over several lines
        (`match_stack`) or a one-line header; then the shapes of `also` (a chat mixing
        shapes)."""
        if index in self.covered or index in self.footers:
            return None
        header = self._match_own(keys, index)
        for other in self.also:
            if header is not None:
                break
            header = other._match_own(keys, index)
        return header

    def matcher(self) -> Callable[[Sequence[str], int], Header | None]:
        """`match` as one function, for the loops that try every line: the same answer for
        every line, with the format's checks and its mixed-in shapes bound once."""
        own = self._own_matcher()
        if not (self.covered or self.footers or self.also):
            return own
        skipped = self.covered | self.footers
        shapes = (own, *(other._own_matcher() for other in self.also))

        def mixed(keys: Sequence[str], index: int) -> Header | None:
            if index in skipped:
                return None
            for shape in shapes:
                header = shape(keys, index)
                if header is not None:
                    return header
            return None

        return mixed

    def _own_matcher(self) -> Callable[[Sequence[str], int], Header | None]:
        """`_match_own` as one function."""
        line, stack = self.match_line, self.match_stack
        if stack is None:
            return lambda keys, index: line(keys[index])

        def stacked_or_line(keys: Sequence[str], index: int) -> Header | None:
            if index + 1 < len(keys):
                header = stack(keys, index)
                if header is not None:
                    return header
            return line(keys[index])

        return stacked_or_line

    def _match_own(self, keys: Sequence[str], index: int) -> Header | None:
        if self.match_stack is not None and index + 1 < len(keys):
            stacked = self.match_stack(keys, index)
            if stacked is not None:
                return stacked
        return self.match_line(keys[index])


def clean_author(raw: str) -> str | None:
    """The author name without decoration, or None when `raw` is not plausibly a name."""
    name = raw.strip()
    if name.startswith("@"):
        name = name[1:].strip()
    if not name or len(name) > MAX_AUTHOR_CHARS or len(name.split()) > MAX_AUTHOR_WORDS:
        return None
    if name[0] in _NOT_A_NAME_START or ":" in name:
        return None
    words = name.split()
    if len(words) >= 3 and any(w in _PHRASE_WORDS for w in words[1:]):
        return None
    return name


def split_inline(rest: str) -> tuple[str, str] | None:
    """Split 'name: text' at the first colon; None when there is no 'name:' prefix.

    The colon must end the line or be followed by a space, so 'see https://x' is not 'see'.
    """
    colon = rest.find(":", 0, MAX_AUTHOR_CHARS + 2)
    if colon <= 0:
        return None
    after = rest[colon + 1 :]
    if after and not after[0].isspace():
        return None
    author = clean_author(rest[:colon])
    return (author, after.strip()) if author else None


# --- bracket-header and bracket-inline: "[09:14] Priya" / "[09:14] Priya: text" --------------

_BRACKET_PREFIX = re.compile(rf"\A\[\s*{CLOCK_PATTERN}\s*\]\s+(?P<rest>\S.*)$")


def match_bracket_header(line: str) -> Header | None:
    """'[09:14] Priya' (also '[10:02 AM] Priya Sharma', Teams style) with the body below."""
    match = _BRACKET_PREFIX.match(line)
    if not match:
        return None
    author = clean_author(match["rest"].rstrip().removesuffix(":"))
    if author is None:  # the usual miss ('[09:14] Priya: text'), before building the clock
        return None
    clock = clock_from_match(match)
    if clock is None:
        return None
    return Header(author=author, clock=clock)


def _inline_header(prefix: re.Pattern[str], line: str) -> Header | None:
    """A clock matched by `prefix`, then 'Name: text' on the same line."""
    match = prefix.match(line)
    if not match:
        return None
    parts = split_inline(match["rest"])
    if parts is None:  # the usual miss ('[09:14] Priya'), before building the clock
        return None
    clock = clock_from_match(match)
    if clock is None:
        return None
    return Header(author=parts[0], clock=clock, text=parts[1])


def match_bracket_inline(line: str) -> Header | None:
    """'[09:14] Priya: text'."""
    return _inline_header(_BRACKET_PREFIX, line)


# --- plain-inline: "09:14 Priya: text", "09:14:05 - Priya: text" -----------------------------

_PLAIN_PREFIX = re.compile(rf"\A{CLOCK_PATTERN}\s+(?:[-|–]\s+)?(?P<rest>\S.*)$")


def match_plain_inline(line: str) -> Header | None:
    """'09:14 Priya: text' or '09:14:05 Priya: text'."""
    return _inline_header(_PLAIN_PREFIX, line)


# --- irc: "[23:48] <kofi> text", "23:48 * kofi restarts pods", "23:49 -!- kofi has joined" ---

_IRC_PREFIX = re.compile(rf"\A(?:\[\s*)?{CLOCK_PATTERN}(?:\s*\])?\s+(?P<rest>\S.*)$")
_IRC_SAY = re.compile(r"\A<\s*[@+%&~]?(?P<nick>[^>\s]{1,40})\s*>(?:\s(?P<text>.*))?$")
_IRC_ACTION = re.compile(r"\A\*\s+[@+%&~]?(?P<nick>[^\s*]{1,40})(?:\s.*)?$")
_IRC_EVENT = re.compile(r"\A(?:-!-|\*\*\*|-->|<--|--|<-|->)(?:\s|$)")


def match_irc(line: str) -> Header | None:
    """An IRC log line: '<nick> text', an action '* nick does', or a join/part/quit event.

    Actions keep their text as written ('* kofi restarts pods') and belong to the nick; server
    events ('-!- kofi has joined #ops') are kept as unattributed messages with their time.
    """
    match = _IRC_PREFIX.match(line)
    if not match:
        return None
    rest = match["rest"].rstrip()
    event = _IRC_EVENT.match(rest)
    said = None if event else _IRC_SAY.match(rest)
    action = None if event or said else _IRC_ACTION.match(rest)
    if not (event or said or action):
        return None  # the usual miss ('[09:14] Priya: text'), before building the clock
    clock = clock_from_match(match)
    if clock is None:
        return None
    if event:
        return Header(author=None, clock=clock, text=rest)
    if said:
        return Header(author=said["nick"], clock=clock, text=(said["text"] or "").strip())
    return Header(author=action["nick"], clock=clock, text=rest) if action else None


_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_IRC_DATE_LINE = re.compile(
    r"\A---\s+(?:Log opened|Log closed|Day changed)\s+(?:[A-Z][a-z]{2},?\s+)?"
    r"(?P<mon>[A-Z][a-z]{2})\s+(?P<d>\d{1,2})\s+(?:\d{2}:\d{2}(?::\d{2})?\s+)?(?P<y>\d{4})$"
)


def irc_date_marker(line: str) -> dt.date | None:
    """The date of an irssi '--- Log opened Tue May 20 23:30:01 2025' / '--- Day changed' line."""
    match = _IRC_DATE_LINE.match(line)
    if not match or match["mon"] not in _MONTHS:
        return None
    try:
        return dt.date(int(match["y"]), _MONTHS[match["mon"]], int(match["d"]))
    except ValueError:
        return None


# --- datetime-inline: "2025-05-20 16:02:10 name: text", "[2025-05-20T16:02:10Z] <name> text" --

_DATETIME_PREFIX = re.compile(
    r"\A\[?(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})[T ](?P<h>\d{1,2}):(?P<mi>[0-5]\d)"
    r"(?::(?P<s>[0-5]\d)(?:[.,](?P<frac>\d{1,9}))?)?"
    r"(?:\s?(?P<tz>Z|UTC|[+-]\d{2}(?::?\d{2})?))?\]?"
    r"\s+(?:[-|]\s+)?(?P<rest>\S.*)$"
)


def _stamp_from_match(match: re.Match[str]) -> dt.datetime | None:
    """The datetime a datetime-inline stamp writes; aware when it carries Z/UTC/an offset."""
    tzinfo: dt.tzinfo | None = None
    zone = match["tz"]
    if zone in ("Z", "UTC"):
        tzinfo = dt.UTC
    elif zone:
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            return None  # '+24:00' is no offset any clock uses
        tzinfo = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    micro = int((match["frac"] or "0")[:6].ljust(6, "0"))
    try:
        return dt.datetime(
            int(match["y"]), int(match["mo"]), int(match["d"]), int(match["h"]),
            int(match["mi"]), int(match["s"] or 0), micro, tzinfo=tzinfo,
        )  # fmt: skip
    except (ValueError, OverflowError):
        return None


def datetime_problem(line: str) -> str | None:
    """Why a line shaped like a datetime-inline stamp names no real moment, or None."""
    match = _DATETIME_PREFIX.match(line) if len(line) <= 400 else None
    if not match or _stamp_from_match(match) is not None:
        return None
    zone = match["tz"] or ""
    if zone[:1] in "+-" and (int(zone[1:3]) > 23 or int(zone.replace(":", "")[3:] or 0) > 59):
        return (
            f"the UTC offset {zone} is not one any clock uses (offsets run from -23:59 to +23:59)"
        )
    stamp = f"{match['y']}-{match['mo']}-{match['d']} {match['h']}:{match['mi']}"
    return f"{stamp} is not a real date and time"


def match_datetime_inline(line: str) -> Header | None:
    """A full date-time stamp then 'name: text' or '<name> text' (optionally in brackets)."""
    match = _DATETIME_PREFIX.match(line)
    if not match:
        return None
    stamp = _stamp_from_match(match)
    if stamp is None:
        return None
    rest = match["rest"].rstrip()
    said = _IRC_SAY.match(rest)
    if said:
        parts: tuple[str, str] | None = (said["nick"], (said["text"] or "").strip())
    else:
        parts = split_inline(rest)
    if parts is None:
        return None
    clock = Clock.from_datetime(stamp, with_seconds=match["s"] is not None)
    instant = stamp if stamp.tzinfo is not None else None
    return Header(author=parts[0], clock=clock, text=parts[1], date=stamp.date(), instant=instant)
