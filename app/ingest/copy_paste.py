"""Header recognisers for chats copied out of the Slack, Teams (classic) and Discord apps.

Copy-paste puts a header line (name, then time) above the message body:

    Priya Sharma  10:02 AM          Slack (also 'Name [10:02 AM]', 'Name, 10:02 AM')
    PagerDuty APP  9:14 AM          Slack app badge, dropped from the name
    10:03                           Slack follow-up by the same person (time only)
    kofi — 07/02/2025 09:12         Discord (also 'kofi — Today at 9:12 AM', 'Yesterday at')
    [1/15/2025 10:02 AM] Brown, M.  Teams classic (also '[10:02 AM] Name', '[Yesterday 9:14 AM]')

Apps append '(edited)' to edited messages; that UI marker is dropped from the message end.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

from app.fold import word_key
from app.ingest.clock import CLOCK_PATTERN, clock_from_match
from app.ingest.dates import WEEKDAYS, date_order, numeric_date
from app.ingest.line_formats import LineFormat, clean_author
from app.ingest.records import Header

# Copy-paste header lines are short; longer lines are body text and skip the regexes entirely.
MAX_HEADER_CHARS = 160
_BADGE = re.compile(r"(?<!\s)\s++(?:APP|BOT)\Z")
_STATUS_SUFFIX = re.compile(r"(?<=[^\s:])(?::[a-z0-9_+'-]{1,100}+:)++\Z")
# Words that end a phrase like "back up at 10:02 AM": such a line is prose, not a name + time.
_PROSE_TAIL = frozenset(
    "at by until till since around from to before after about approx eta is was as of on "
    "~ @ - = ->".split()
)


def _copy_author(raw: str) -> str | None:
    """Clean a copy-paste author: drop the APP/BOT badge and a Slack status emoji run into the
    name ('Justin Andrade:coffee:'); reject phrases ending in a preposition."""
    name = _BADGE.sub("", raw.strip().rstrip(",").rstrip())
    if name.endswith(":"):
        name = _STATUS_SUFFIX.sub("", name)
    cleaned = clean_author(name)
    if cleaned is None or "—" in cleaned or "–" in cleaned:
        return None
    if cleaned.split()[-1].lower() in _PROSE_TAIL:
        return None
    return cleaned


# --- slack-copy -------------------------------------------------------------------------------

_SLACK_HEADER = re.compile(
    rf"\A(?P<author>\S.{{0,60}}?)(?P<sep>\t\s*+|\s{{2,}}+|\s*+,\s++|\s++\[|\s)"
    r"(?P<on>(?:Today|Yesterday|[A-Z][a-z]{2,8}+\.?[ \t](?:\d{1,2}+)(?:st|nd|rd|th)?+"
    r"(?:,[ \t]\d{4}+)?+)[ \t]at[ \t])?+"
    rf"(?:{CLOCK_PATTERN}|(?P<ago>(?:\d{{1,3}}+|an?)[ \t](?:minute|hour|day|week|month|year)s?"
    r"[ \t]ago))(?P<close>\])?\s*$"
)
_TIME_ONLY = re.compile(rf"\A\s*(?P<open>\[\s*)?{CLOCK_PATTERN}(?P<close>\s*\])?$")


def may_end_in_time(line: str) -> bool:
    """False only for a line that cannot end in a clock or an 'N minutes ago' (so no
    `_SLACK_HEADER`, `_DISCORD_HEADER` or `_TIME_ONLY` match): without trailing space and a
    closing ']', such a line ends in a digit (any Unicode digit), an AM/PM 'm' or 'm.', or 'ago'.
    A cheap test before those patterns, which try many split points on every prose line."""
    end = line.rstrip()
    if end.endswith("]"):
        end = end[:-1].rstrip()
    last = end[-1:]
    if last.isdecimal() or last in ("M", "m") or end.endswith("ago"):
        return True
    return last == "." and end[-2:-1] in ("M", "m")


def match_time_only(line: str) -> Header | None:
    """A line holding only a time: a follow-up message by the previous author."""
    if not may_end_in_time(line):
        return None
    match = _TIME_ONLY.match(line) if len(line) <= MAX_HEADER_CHARS else None
    if not match or bool(match["open"]) != bool(match["close"]):
        return None
    clock = clock_from_match(match)
    return Header(author=None, clock=clock, same_author=True) if clock else None


def match_slack_copy(line: str) -> Header | None:
    """'Priya Sharma  10:02 AM' and variants; a bare time line continues the last author."""
    if len(line) > MAX_HEADER_CHARS or not may_end_in_time(line):
        return None
    match = _SLACK_HEADER.match(line)
    if not match:
        return match_time_only(line)
    if ("[" in match["sep"]) != bool(match["close"]):
        return None
    if match["ago"]:
        # An old thread pane's '4 days ago': the author, but no clock to read.
        if match["sep"].strip() or len(match["sep"]) < 2 or match["on"]:
            return None
        author = _copy_author(match["author"])
        return Header(author=author, clock=None, cue=True) if author else None
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["sep"] == " " and not clock.twelve_hour and not match["on"]:
        return None  # "Name 10:02" with one space is too easily prose; Slack pads or adds AM/PM
    author = _copy_author(match["author"])
    if author is None:
        return None
    if match["on"] and match["on"].startswith(("Today", "Yesterday")):
        relative = 0 if match["on"].startswith("Today") else -1
        return Header(author=author, clock=clock, relative_day=relative)
    return Header(author=author, clock=clock)


# --- discord-copy -----------------------------------------------------------------------------

_DISCORD_HEADER = re.compile(
    r"\A(?P<author>\S.{0,60}?)\s+[—–-]\s+"
    r"(?:(?P<rel>(?i:today|yesterday))\s+at\s+"
    r"|(?P<a>\d{1,2})(?P<dsep>[/.])(?P<b>\d{1,2})(?P=dsep)(?P<y>\d{4}|\d{2}),?\s+(?:at\s+)?)"
    rf"{CLOCK_PATTERN}\s*$"
)


def _discord_date(match: re.Match[str], day_first: bool) -> dt.date | None:
    """The written date; dotted dates are always day-first, slashed ones follow `day_first`."""
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    year = year + 2000 if year < 100 else year
    first_is_day = day_first or match["dsep"] == "."
    orders = [(b, a), (a, b)] if first_is_day else [(a, b), (b, a)]
    for month, day in orders:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def match_discord_copy(line: str, *, day_first: bool = False) -> Header | None:
    """'kofi — 07/02/2025 09:12' or 'kofi — Today at 9:12 AM'; a bare time continues."""
    if len(line) > MAX_HEADER_CHARS or not may_end_in_time(line):
        return None
    match = _DISCORD_HEADER.match(line)
    if not match:
        return match_time_only(line)
    clock = clock_from_match(match)
    author = _copy_author(match["author"])
    if clock is None or author is None:
        return None
    if match["rel"]:
        relative = 0 if word_key(match["rel"]) == "today" else -1
        return Header(author=author, clock=clock, relative_day=relative)
    date = _discord_date(match, day_first)
    return Header(author=author, clock=clock, date=date) if date else None


def discord_copy_format(lines: list[str]) -> tuple[LineFormat, list[str]]:
    """The Discord recogniser with the date order this transcript uses, plus any warning.

    Discord writes dates in the viewer's locale: 07/02/2025 is 2 July (US) or 7 February. A
    first field over 12 proves day-first, a second field over 12 proves month-first (both in
    one chat is an error); when no date settles it, month-first (Discord's en-US default) is
    assumed and a warning says so (`dates.date_order`).
    """
    dates: list[tuple[int, int, int]] = []
    for number, line in enumerate(lines, start=1):
        # every header has a clock's ':'; one test in C before the pattern
        fits = len(line) <= MAX_HEADER_CHARS and ":" in line
        match = _DISCORD_HEADER.match(line) if fits else None
        if match and match["a"] is not None and match["dsep"] == "/":
            dates.append((number, int(match["a"]), int(match["b"])))
    order, warnings = date_order(dates, default="month-first", format="discord-copy")
    matcher = partial(match_discord_copy, day_first=order == "day-first")
    return LineFormat("discord-copy", matcher, strip_edited=True), warnings


# --- teams-classic ----------------------------------------------------------------------------

_TEAMS_CLASSIC = re.compile(
    r"\A\[[ \t]*+(?:(?P<a>\d{1,2}+)/(?P<b>\d{1,2}+)(?:/(?P<y>\d{4}+|\d{2}+))?+[ \t]++"
    r"|(?P<rel>Yesterday|Today)[ \t]++|(?P<wd>[A-Z][a-z]{2,8}+)[ \t]++)?+"
    rf"{CLOCK_PATTERN}"
    r"(?:[ \t]*+•[ \t]*+(?P<a2>\d{1,2}+)/(?P<b2>\d{1,2}+)/(?P<y2>\d{4}+|\d{2}+))?+"
    r"[ \t]*+\][ \t]++(?P<rest>\S.*)\Z"
)


def match_teams_classic(line: str, *, day_first: bool = False) -> Header | None:
    """'[10:02 AM] Brown, Marcus', '[1/15/2025 10:02 AM] Name', '[Yesterday 10:02 AM] Name',
    '[10:42 • 13/08/2024] Name:'; the message follows on the next lines."""
    if len(line) > MAX_HEADER_CHARS or not line.startswith("["):
        return None
    match = _TEAMS_CLASSIC.match(line)
    if not match:
        return None
    author = clean_author(match["rest"].removesuffix(":"))
    if author is None:
        return None
    clock = clock_from_match(match)
    if clock is None:
        return None
    if match["wd"] and word_key(match["wd"]) not in WEEKDAYS:
        return None
    a, b, y = match["a"] or match["a2"], match["b"] or match["b2"], match["y"] or match["y2"]
    date = None
    if a and b and y:
        first = day_first or int(a) > 12
        date = numeric_date(int(a), int(b), y, "day-first" if first else "month-first")
        if date is None:
            return None
    relative = None if not match["rel"] else (0 if match["rel"] == "Today" else -1)
    distinctive = bool(a or match["rel"] or match["wd"]) or ", " in author
    return Header(author=author, clock=clock, date=date, relative_day=relative, cue=distinctive)


TEAMS_CLASSIC = LineFormat("teams-classic", match_teams_classic, strip_edited=True, dedent=True)
