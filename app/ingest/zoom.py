"""Zoom's saved meeting chat ('Save chat' / meeting_saved_chat.txt).

    10:02:33 From Bob Li to Everyone:                      current layout, text on the next
        checkout is failing for me too                     lines (tab-indented)
    10:03:01 From Amy Chen to Bob Li(direct message):     a direct message
    10:02:33<tab> From  Bob Li : checkout is failing        older layout, text on the line
    10:04:10<tab> From  Amy Chen to  Bob Li(Privately) : ok   older direct message

The author is the sender alone ('Bob Li', not 'From Bob Li to Everyone'). A message to anyone
but Everyone is a direct message: it stays a message of its own, and its text starts with
'[direct message to Bob Li]' so the recipient is not lost.
"""

from __future__ import annotations

import re

from app.ingest.clock import CLOCK_PATTERN, clock_from_match
from app.ingest.line_formats import LineFormat, clean_author
from app.ingest.records import Header

_PREFIX = re.compile(rf"\A{CLOCK_PATTERN}[ \t]++From[ \t]++(?P<rest>\S.*)\Z")
_PRIVATE = ("direct message", "privately", "privatly", "private")


def _recipient(head: str) -> tuple[str, str | None, bool]:
    """'Bob Li to Amy(Direct Message)' -> ('Bob Li', 'Amy', True)."""
    sender, found, to = head.partition(" to ")
    if not found:
        return head.strip(), None, False
    to = to.strip()
    private = False
    if to.endswith(")") and "(" in to:
        inner = to[to.rindex("(") + 1 : -1].strip().lower()
        if inner in _PRIVATE:
            private = True
            to = to[: to.rindex("(")].strip()
    return sender.strip(), to, private


def match_zoom(line: str) -> Header | None:
    """One Zoom chat header line."""
    if len(line) < 12 or not line[0].isdigit():
        return None
    match = _PREFIX.match(line)
    if not match:
        return None
    clock = clock_from_match(match)
    head, colon, text = match["rest"].partition(":")
    if clock is None or not colon:
        return None
    sender, to, private = _recipient(head)
    author = clean_author(sender)
    if author is None:
        return None
    direct = private or (to is not None and not to.lower().startswith("everyone"))
    note = f"[direct message to {to}]" if direct and to else None
    return Header(author=author, clock=clock, text=text.strip(), note=note)


ZOOM_CHAT = LineFormat("zoom-chat", match_zoom, dedent=True, stamped=True)
