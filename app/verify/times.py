"""Clock times written in text, and the ranges they form.

"09:10", "9:10 AM", "9:10:30", "21:05", "9 AM", "2:55 PM" and ISO 8601 times
("2026-11-01T06:30:14Z", the basic "payrun_20261101T063014Z" of a file name) are all read as
24-hour 'HH:MM'. A time written without AM/PM whose hour could be either ("2:16" in a chat of
afternoon messages) is *ambiguous* and stands for both readings (02:16 and 14:16). Two times
joined by a short connector ("14:02-14:10", "from 13:58 to 14:21", "between 9:10 and 9:23 AM",
"from 2:01 PM until the gateway refresh at 2:21 PM") form a range, and an AM/PM written on one
end applies to the other.

The pattern is linear on any input: its only unbounded parts are anchored (`(?<![\\w:.])` before
the hour) and its optional spaces are bounded and possessive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from app.models import to_24h

CLOCK = re.compile(
    r"(?:(?<![\w:.])|(?<=\dT))(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?!\d)"
    r"(?:[ \t]{0,2}+(?P<ampm>[AaPp]\.?[ \t]?[Mm]\b\.?))?(?!:\d)"
    r"|(?<![\w:.])(?P<bh>1[0-2]|0?[1-9])[ \t]{0,2}+(?P<bampm>[AaPp]\.?[Mm]\b\.?)"
    r"|(?<!\d)\d{8}+T(?P<ih>[01]\d|2[0-3])(?P<im>[0-5]\d)(?:[0-5]\d)?+(?![\d:])"
)
# What may stand between the two ends of a range ("-", " to ", " until ", " and ").
_CONNECTOR = re.compile(
    r"[ \t]{0,3}+(?:-|–|—|to|until|till|through|thru|and|et|à|bis|und)[ \t]{0,3}+"
)
# A range whose ends are apart: "from 2:01 PM until the gateway refresh at 2:21 PM".
_OPENS = ("from", "between", "since")
_LOOSE_CONNECTOR = re.compile(r"^[ \t]*+(?:until|till|to|through|and)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
LOOSE_RANGE_CHARS = 48


@dataclass(frozen=True)
class WrittenTime:
    """A clock time written in a text: 'HH:MM', and where it stands. `ambiguous` when it was
    written without AM/PM and its hour could be in the morning or the afternoon."""

    value: str
    start: int
    end: int
    ambiguous: bool = False
    marker: str | None = None

    @property
    def values(self) -> tuple[str, ...]:
        """The readings it may stand for: one, or both halves of the day when ambiguous."""
        if not self.ambiguous:
            return (self.value,)
        hours = int(self.value[:2])
        other = (hours + 12) % 24 if hours < 12 else hours - 12
        return (self.value, f"{other:02d}{self.value[2:]}")


def clock_times(text: str) -> list[WrittenTime]:
    """Clock times written in `text`, in order, 12-hour forms converted; a range's AM/PM is
    applied to its other end."""
    found: list[WrittenTime] = []
    digit = _DIGIT.search(text)
    if digit is None:
        return found  # most chat lines: no need to try the pattern at every position
    for match in CLOCK.finditer(text, digit.start()):  # its look-behind still sees the text
        if match["h"] is not None:
            hours = int(match["h"])
            marker = match["ampm"]
            value = f"{to_24h(hours, marker):02d}:{match['m']}"
            ambiguous = marker is None and 1 <= hours <= 12 and not match["h"].startswith("0")
        elif match["ih"] is not None:  # ISO 8601 basic, in a file or job name: 24-hour
            marker = None
            value = f"{match['ih']}:{match['im']}"
            ambiguous = False
        else:
            marker = match["bampm"]
            value = f"{to_24h(int(match['bh']), marker):02d}:00"
            ambiguous = False
        found.append(WrittenTime(value, match.start(), match.end(), ambiguous, marker))
    found += [  # a time both ways ("à 7 pm") is the CLOCK reading, once
        w
        for w in _clock_words(text, digit.start())
        if not any(t.start < w.end and w.start < t.end for t in found)
    ]
    if len(found) > 1:
        found = sorted(found, key=lambda t: t.start)
        found = _share_markers(text, found)
    return found


# Clock times as other languages write them: French "23h30" / "14h05" (24-hour; a one-digit
# hour only after a clock preposition, and never after a word of duration: "lasted 1h30", "for
# 23h30 total" are durations), and an hour after a clock preposition: "à 7h", "vers 16h", "a
# las 7", "às 10h", "um 9 Uhr". A bare "16h" is left alone: in English chats it is a duration.
_CLOCK_WORDS = re.compile(
    r"(?<![\w:.])(?P<h>[01]?\d|2[0-3])h(?P<m>[0-5]\d)(?![\w:])"
    r"|(?<!\w)(?:à|vers|dès|jusqu['’]à)[ \t]++(?P<fh>[01]?\d|2[0-3])[ \t]?h(?:[0-5]\d)?+\b"
    r"|(?<!\w)(?:a[ \t]las|a[ \t]la|hacia[ \t]las|hasta[ \t]las|desde[ \t]las|às|ás)[ \t]++"
    r"(?P<bh>[01]?\d|2[0-3])(?:[ \t]?h\b)?+(?![\w:.,%])"
    r"|(?<!\w)(?:um|gegen|ab)[ \t]++(?P<gh>[01]?\d|2[0-3])[ \t]?Uhr\b",
    re.IGNORECASE,
)
# A range of bare hours after a range opener is clock time in any language: "entre 7h et 14h",
# "de 7h à 14h", "between 7h and 14h", "zwischen 7h und 14h" (a lone "7h" may be a duration).
_HOUR_RANGE = re.compile(
    r"(?<!\w)(?:entre|between|from|de|zwischen|von)[ \t]++(?P<a>[01]?\d|2[0-3])[ \t]?h\b"
    r"[ \t]{0,3}+(?:et|and|à|a|to|until|bis|und|-|–)[ \t]{0,3}+(?P<b>[01]?\d|2[0-3])[ \t]?h\b",
    re.IGNORECASE,
)
# Words that make what follows a duration, and prepositions that make "7h30" a clock time.
_DURATION_WORDS = frozenset(
    "for lasted lasting took takes take during over within in after pendant durant en dans "
    "total about around ~".split()
)
_CLOCK_PREPOSITIONS = frozenset("à a at vers dès de from entre since depuis jusqu'à las".split())


def _hour_ranges(text: str, start: int) -> list[WrittenTime]:
    found: list[WrittenTime] = []
    for match in _HOUR_RANGE.finditer(text, max(0, start - 20)):
        if int(match["a"]) >= int(match["b"]):
            continue  # "from 2h to 1h" is no span of a day
        for group in ("a", "b"):
            end = text.index("h", match.end(group)) + 1
            found.append(WrittenTime(f"{int(match[group]):02d}:00", match.start(group), end))
    return found


def _clock_words(text: str, start: int) -> list[WrittenTime]:
    found: list[WrittenTime] = _hour_ranges(text, start)
    ranged = list(found)
    for match in _CLOCK_WORDS.finditer(text, max(0, start - 20)):
        if any(t.start < match.end() and match.start() < t.end for t in ranged):
            continue
        if match["h"] is not None:
            before = text[max(0, match.start() - 16) : match.start()].lower().split()
            word = before[-1].replace("’", "'") if before else ""
            if word in _DURATION_WORDS:
                continue  # "lasted 1h30"
            if len(match["h"]) == 1 and word not in _CLOCK_PREPOSITIONS:
                continue  # "1h30" alone is as likely ninety minutes
            value = f"{int(match['h']):02d}:{match['m']}"
            found.append(WrittenTime(value, match.start(), match.end()))
            continue
        if match["fh"] is not None:
            minutes = match.group(0).rsplit("h", 1)[-1] or "00"
            value = f"{int(match['fh']):02d}:{minutes}"
            found.append(WrittenTime(value, match.start(), match.end()))
            continue
        hour = match["bh"] or match["gh"]
        hours = int(hour)
        ambiguous = 1 <= hours <= 12 and not hour.startswith("0")
        found.append(WrittenTime(f"{hours:02d}:00", match.start(), match.end(), ambiguous))
    return found


def _share_markers(text: str, times: list[WrittenTime]) -> list[WrittenTime]:
    """'between 2:00 and 2:16 PM': the first end takes the second's PM."""
    shared = list(times)
    for index, (first, second) in enumerate(zip(times, times[1:], strict=False)):
        if not _joined(text, first, second):
            continue
        if first.marker is None and second.marker is not None and first.ambiguous:
            hours = to_24h(int(first.value[:2]), second.marker)
            shared[index] = replace(first, value=f"{hours:02d}{first.value[2:]}", ambiguous=False)
        elif second.marker is None and first.marker is not None and second.ambiguous:
            hours = to_24h(int(second.value[:2]), first.marker)
            shared[index + 1] = replace(
                second, value=f"{hours:02d}{second.value[2:]}", ambiguous=False
            )
    return shared


def _joined(text: str, first: WrittenTime, second: WrittenTime) -> bool:
    between = text[first.end : second.start]
    if len(between) <= 12 and _CONNECTOR.fullmatch(between):
        return True
    if len(between) > LOOSE_RANGE_CHARS:
        return False
    opener = text[max(0, first.start - 9) : first.start].lower().split()
    return bool(opener) and opener[-1] in _OPENS and bool(_LOOSE_CONNECTOR.match(between))


def time_ranges(text: str, times: list[WrittenTime]) -> list[tuple[WrittenTime, WrittenTime]]:
    """Pairs of consecutive times that form a range ("14:02-14:10", "from 13:58 to 14:21",
    "from 2:01 PM until the gateway refresh at 2:21 PM")."""
    return [(a, b) for a, b in zip(times, times[1:], strict=False) if _joined(text, a, b)]


def range_seconds(first: str, second: str) -> int:
    """Seconds from `first` to `second` ('HH:MM'), across midnight when the end is earlier."""
    a = int(first[:2]) * 3600 + int(first[3:5]) * 60
    b = int(second[:2]) * 3600 + int(second[3:5]) * 60
    return (b - a) % 86400
