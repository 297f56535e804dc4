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
counts (':+1: 3', '👍 2'), thread chrome ('15 replies', 'View thread', 'Also sent to the
channel'), edit markers ('(edited)', 'Edited'), Markdown rules ('---') and date separators
('Today', 'Yesterday', 'Monday, January 15th', '15 January 2025'). Assembly drops them from
message text and counts them; a date separator dates the messages below it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
_RULE = re.compile(
    r"\A[ \t]{0,3}+(?:(?:-[ \t]*+){3,}+|(?:\*[ \t]*+){3,}+|(?:_[ \t]*+){3,}+|={3,}+)\Z"
)
_HEADING = re.compile(r"\A[ \t]{0,3}+#{1,6}+[ \t]++\S")
_REACTIONS = re.compile(
    r"\A(?:(?::[a-z0-9_+'-]{1,40}+:|[\u2190-\u2bff\U0001f000-\U0001faff][\ufe0f\U0001f3fb-\U0001f3ff]?+)"
    r"[ \t]*+\d{1,4}+[ \t]*+)++\Z"
)
_THREAD_CHROME = re.compile(
    r"\A(?:thread|thread in #[\w.-]{1,80}+|\d{1,5}+ (?:new )?repl(?:y|ies)|view thread|"
    r"view \d{1,5}+ more repl(?:y|ies)|"
    r"show \d{1,5}+ more repl(?:y|ies)|also sent to the channel|also sent as direct message|"
    r"last reply (?:today|yesterday|\d{1,3}+ (?:minutes?|hours?|days?) ago)"
    r"(?: at [0-9: apmAPM]{4,11}+)?|new messages?|unread messages?|\d{1,5}+ new messages?)\Z",
    re.IGNORECASE,
)
_EDITED = re.compile(r"\A\(?(?:edited|bearbeitet)\)?\Z", re.IGNORECASE)


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
    return text.translate(_INVISIBLE).translate(_SPACES)


def split_lines(text: str) -> list[str]:
    """Source lines (CRLF/CR normalised, BOM and trailing spaces removed), numbered from 1."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.rstrip() for line in text.split("\n")]


def ui_kind(key: str) -> str | None:
    """The kind of app decoration a normalised line is, or None for a person's words."""
    if not key or len(key) > 80:
        return None
    if _RULE.match(key):
        return "rule"
    if _REACTIONS.match(key):
        return "reaction"
    if _THREAD_CHROME.match(key):
        return "thread"
    if _EDITED.match(key):
        return "edited"
    return None


def normalise_line(number: int, raw: str) -> SourceLine:
    """Normalise one source line (see the module docstring)."""
    text = clean_invisible(raw).rstrip()
    key, depth = text, 0
    quote = _QUOTE.match(key)
    if quote:
        depth = quote.group().count(">")
        key = key[quote.end() :]
    key = key.rstrip()
    if key.endswith("\\") and not key.endswith("\\\\"):
        key = key[:-1].rstrip()
    bullet = _BULLET.match(key)
    if bullet:
        key = key[bullet.end() :]
    key = key.strip() if key.strip() == "" else key.rstrip()
    ui = ui_kind(key.strip())
    mark = read_date_separator(key.strip()) if ui is None else None
    if mark is not None:
        ui = "date"
    return SourceLine(number, text, key, depth, bool(bullet), ui, mark)


_CHANNEL_LINE = re.compile(r"\A#[\w.-]{1,80}+\Z")


def normalise(text: str) -> list[SourceLine]:
    """Every source line of `text`, normalised. The '#channel' line under Slack's 'Thread'
    title is part of that title."""
    lines = [normalise_line(i, raw) for i, raw in enumerate(split_lines(text), start=1)]
    for index in range(1, len(lines)):
        line, above = lines[index], lines[index - 1]
        if above.key.lower() == "thread" and _CHANNEL_LINE.match(line.key):
            lines[index] = SourceLine(
                line.number, line.text, line.key, line.quote_depth, False, "thread"
            )
    return lines


def is_heading(key: str) -> bool:
    """A Markdown heading line ('## Timeline')."""
    return bool(_HEADING.match(key))


def date_of(mark: DateMark | None, year_hint: int | None) -> dt.date | None:
    """The calendar date a separator names, using `year_hint` when it wrote no year."""
    return mark.resolve(year_hint) if mark else None
