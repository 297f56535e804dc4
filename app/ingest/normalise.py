"""Normalise pasted lines before any header is matched.

Chats reach us quoted in Markdown, with app decoration and invisible characters. Each source line
keeps its original text (what a message body shows) and gets a *key*, the form header matching
sees:

- invisible characters: zero-width spaces and joiners, BOM, bidi marks (WhatsApp adds them)
  are removed; non-breaking, narrow and other Unicode spaces become a plain space;
- Markdown quote markers ('>', '> ', nested '> >') are removed and counted (`quote_depth`);
- list bullets ('- ', '* ', '• ', '+ ') in front of a line and a trailing Markdown hard break
  (a backslash) are removed;
- trailing whitespace is removed.

Lines that are app decoration, not anything a person wrote, are classified (`ui`): reaction
counts (':+1: 3', '👍 2', and the desktop apps' two- and three-line forms ':+1:' / '3' and
'👍' / '2 Like reactions.' / '2'), thread chrome ('15 replies', 'View thread', 'Last reply 2
days agoView thread', 'Also sent to the channel', 'replied to a thread:'), Teams' 'Last read' and
'Has context menu', edit markers ('(edited)', 'Edited'), Markdown rules ('---') and date
separators ('Today', 'Yesterday', 'Monday, January 15th', '15 January 2025'). Assembly drops them
from message text and counts them; a date separator dates the messages below it.

Thread chrome comes in two kinds: the thread pane's own ('Thread' title, the 'N replies'
divider under the parent, 'Also sent to the channel'; `ui == "thread"`) and the channel view's
links into a thread ('N replies' followed by 'Last reply ... View thread', 'replied to a
thread:'; `ui == "thread-link"`), so detection can tell a thread pane from a channel copy. The
parent's first line that Slack repeats under 'replied to a thread:' is marked as a quote (one
level deeper, shown with '> '), never read as a header.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from app.ingest.dates import DateMark, read_date_separator

_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\u00ad",
    ),  # fmt: skip
    None,
)
_SPACES = dict.fromkeys(
    map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"),
    " ",
)
_QUOTE = re.compile(r"\A(?:[ \t]{0,3}+>)++[ \t]?+")
_BULLET = re.compile(r"\A[ \t]{0,8}+[-*•+·][ \t]++(?=\S)")
_BULLET_MARKS = frozenset("-*•+·")  # a bullet is one of these within a line's first 9
_RULE = re.compile(
    r"\A[ \t]{0,3}+(?:(?:-[ \t]*+){3,}+|(?:\*[ \t]*+){3,}+|(?:_[ \t]*+){3,}+|={3,}+)\Z"
)
_HEADING = re.compile(r"\A[ \t]{0,3}+#{1,6}+[ \t]++\S")
_REACTIONS = re.compile(
    r"\A(?:(?::[a-z0-9_+'-]{1,40}+:|[\u2190-\u2bff\U0001f000-\U0001faff][\ufe0f\U0001f3fb-\U0001f3ff]?+)"
    r"[ \t]*+\d{1,4}+[ \t]*+)++\Z"
)
_THREAD_CHROME = re.compile(
    r"\A(?:thread|thread in #[\w.-]{1,80}+|\d{1,5}+ (?:new )?repl(?:y|ies)|"
    r"also sent to the channel|also sent as direct message)\Z",
    re.IGNORECASE,
)
_AGO = r"(?:today|yesterday|(?:\d{1,3}+|an?) (?:minutes?|hours?|days?|weeks?|months?|years?) ago)"
_THREAD_LINK = re.compile(
    r"\A(?:view thread|view \d{1,5}+ more repl(?:y|ies)|show \d{1,5}+ more repl(?:y|ies)|"
    r"view (?:newer|older) replies|replied to a thread:|"
    rf"(?:last reply )?+{_AGO}(?: at [0-9: apmAPM]{{4,11}}+)?+[ \t]?+view thread|"
    rf"last reply {_AGO}(?: at [0-9: apmAPM]{{4,11}}+)?+)\Z",
    re.IGNORECASE,
)
_APP_CHROME = re.compile(
    r"\A(?:new messages?|unread messages?|\d{1,5}+ new messages?|last read|has context menu\.?)\Z",
    re.IGNORECASE,
)
_EDITED = re.compile(r"\A\(?(?:edited|bearbeitet)\)?\Z", re.IGNORECASE)
# The desktop apps write a reaction over two or three lines: the emoji (':+1:', '👍'), then
# Teams' description ('2 Like reactions.'), then the count ('2').
_EMOJI_ONLY = re.compile(
    r"\A(?::[a-z0-9_+'-]{1,100}+:|[\u2190-\u2bff\U0001f000-\U0001faff][\ufe0f\U0001f3fb-\U0001f3ff]?+)"
    r"{1,12}+\Z"
)
_COUNT_ONLY = re.compile(r"\A[ \t]*+\d{1,4}+\Z")
_TEAMS_REACTION = re.compile(
    r"\A\d{1,5}+ (?:[A-Za-z][A-Za-z'-]{0,20}+ ){1,4}?reactions?"
    r"(?: with (?:[A-Za-z-]{1,12}+ ){1,3}?skin tone)?+\.?+\Z"
)


@dataclass(frozen=True)
class SourceLine:
    """One source line: as written (`text`), and as header matching sees it (`key`)."""

    number: int
    text: str
    key: str
    quote_depth: int = 0
    bulleted: bool = False
    ui: str | None = None
    date_mark: DateMark | None = None

    @property
    def blank(self) -> bool:
        return not self.key


def clean_invisible(text: str) -> str:
    """Text without zero-width or bidi characters, with Unicode spaces as plain spaces."""
    if text.isascii():  # every character either table maps is outside ASCII
        return text
    return text.translate(_INVISIBLE).translate(_SPACES)


def split_lines(text: str) -> list[str]:
    """Source lines (CRLF/CR normalised, BOM and trailing spaces removed), numbered from 1."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


# The ASCII characters a decoration line can start with: the rules' and reactions' marks, the
# digits of counts, '(' of '(edited)', and the first letters of the chrome words in either case.
# A line starting with any other ASCII character (a '[09:14]' header, most prose) is none; one
# starting with a non-ASCII character (an emoji, a Unicode digit, the 'ſ' or 'K' that
# IGNORECASE folds to 's' and 'k') is always tried.
_UI_FIRST = frozenset(" \t-*_=:(0123456789" + "tavsrlynuhebTAVSRLYNUHEB")


def ui_kind(key: str) -> str | None:
    """The kind of app decoration a normalised line is, or None for a person's words."""
    if not key or len(key) > 80:
        return None
    if key[0] not in _UI_FIRST and key[0].isascii():
        return None  # no pattern below can match (see `_UI_FIRST`)
    return decoration_kind(key)


def decoration_kind(key: str) -> str | None:
    """`ui_kind` without its first-character test: every pattern tried."""
    if not key or len(key) > 80:
        return None
    if _RULE.match(key):
        return "rule"
    if _REACTIONS.match(key):
        return "reaction"
    if _THREAD_CHROME.match(key):
        return "thread"
    if _THREAD_LINK.match(key):
        return "thread-link"
    if _TEAMS_REACTION.match(key):
        return "reaction"
    if _APP_CHROME.match(key):
        return "chrome"
    if _EDITED.match(key):
        return "edited"
    return None


def normalise_line(number: int, raw: str) -> SourceLine:
    """Normalise one source line (see the module docstring)."""
    text = clean_invisible(raw).rstrip()
    key, depth = text, 0
    quote = _QUOTE.match(key) if ">" in key[:4] else None  # a quote mark is in the first 4
    if quote:
        depth = quote.group().count(">")
        key = key[quote.end() :]
    key = key.rstrip()
    if key.endswith("\\") and not key.endswith("\\\\"):
        key = key[:-1].rstrip()
    bullet = _BULLET.match(key) if _BULLET_MARKS.intersection(key[:9]) else None
    if bullet:
        key = key[bullet.end() :]
    key = key.strip() if key.strip() == "" else key.rstrip()
    ui = ui_kind(key.strip())
    mark = read_date_separator(key.strip()) if ui is None else None
    if mark is not None:
        ui = "date"
    return SourceLine(number, text, key, depth, bool(bullet), ui, mark)


_CHANNEL_LINE = re.compile(r"\A#[\w.-]{1,80}+\Z")
_REPLY_COUNT = re.compile(r"\A\d{1,5}+ (?:new )?repl(?:y|ies)\Z", re.IGNORECASE)


def _as(line: SourceLine, ui: str) -> SourceLine:
    return replace(line, ui=ui, date_mark=None, bulleted=False)


def _next_filled(lines: list[SourceLine], index: int, limit: int = 3) -> int | None:
    """The index of the first non-blank line after `index`, within `limit` lines."""
    for following in range(index + 1, min(index + 1 + limit, len(lines))):
        if lines[following].key.strip():
            return following
    return None


def _mark_context(lines: list[SourceLine]) -> None:
    """Decoration only its neighbours reveal (see the module docstring), in one pass."""
    for index, line in enumerate(lines):
        key = line.key.strip()
        if line.ui is None and key[:1] not in (":", "#") and key[:1].isascii():
            continue  # not decoration, no '#channel' and no emoji: no branch below applies
        above = lines[index - 1] if index else None
        if above is not None and above.key.lower() == "thread" and _CHANNEL_LINE.match(key):
            lines[index] = _as(line, "thread")
        elif line.ui == "reaction" and _TEAMS_REACTION.match(key):
            if above is not None and above.ui is None and _EMOJI_ONLY.match(above.key.strip()):
                lines[index - 1] = _as(above, "reaction")
            below = index + 1
            if (
                below < len(lines)
                and lines[below].ui is None
                and _COUNT_ONLY.match(lines[below].key)
            ):
                lines[below] = _as(lines[below], "reaction")
        elif line.ui is None and _EMOJI_ONLY.match(key) and index + 1 < len(lines):
            count = lines[index + 1]
            if count.ui is None and _COUNT_ONLY.match(count.key):
                lines[index] = _as(line, "reaction")
                lines[index + 1] = _as(count, "reaction")
        elif line.ui == "thread" and _REPLY_COUNT.match(key):
            following = _next_filled(lines, index)
            if following is not None and lines[following].ui == "thread-link":
                lines[index] = _as(line, "thread-link")
        elif line.ui == "thread-link" and key.lower() == "replied to a thread:":
            following = _next_filled(lines, index, limit=1)
            if following is not None and lines[following].ui is None:
                quoted = lines[following]
                lines[following] = replace(
                    quoted, text="> " + quoted.text.lstrip(), quote_depth=quoted.quote_depth + 1
                )


def normalise(text: str) -> list[SourceLine]:
    """Every source line of `text`, normalised, with the decoration that only its neighbours
    reveal marked too (see the module docstring)."""
    lines = [normalise_line(i, raw) for i, raw in enumerate(split_lines(text), start=1)]
    _mark_context(lines)
    return lines


def is_heading(key: str) -> bool:
    """A Markdown heading line ('## Timeline')."""
    return bool(_HEADING.match(key))


def date_of(mark: DateMark | None, year_hint: int | None) -> dt.date | None:
    """The calendar date a separator names, using `year_hint` when it wrote no year."""
    return mark.resolve(year_hint) if mark else None
