"""Figures written in text, reduced to canonical values so that equal quantities compare equal.

45% and 0.45 are both the ratio 0.45; 1.5s and 1500ms are both 1.5 seconds; 2,300 and 2.3k are
both 2300; "13 minutes", "13-minute" and "13 min" are all 780 seconds. Clock times, versions,
list references ("#2") and numbers inside identifiers are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from app.verify.text import clock_times, content_stems

FigureKind = Literal["ratio", "duration", "count"]

_FIGURE = re.compile(
    r"(?<![\w.#/:,-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]\d)\+?"
    r"(?P<mult>[kK]\b|M\b)?"
    r"(?:\s?-?\s?(?P<unit>%|percent\b|per\s?cent\b|ms\b|milliseconds?\b|msec\b|s\b|secs?\b"
    r"|seconds?\b|m\b|mins?\b|minutes?\b|h\b|hrs?\b|hours?\b|days?\b))?",
    re.IGNORECASE,
)

_SECONDS = {
    "ms": 0.001,
    "millisecond": 0.001,
    "milliseconds": 0.001,
    "msec": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "secs": 1.0,
    "second": 1.0,
    "seconds": 1.0,
    "m": 60.0,
    "min": 60.0,
    "mins": 60.0,
    "minute": 60.0,
    "minutes": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hrs": 3600.0,
    "hour": 3600.0,
    "hours": 3600.0,
    "day": 86400.0,
    "days": 86400.0,
}

_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}
_UNIT_WORD = re.compile(r"second|minute|hour|day", re.IGNORECASE)
_WORD_SPAN = max(map(len, _WORD_NUMBERS)) + 1  # "forty-five" and the space or hyphen after it
_WORD_DURATION = re.compile(
    r"\b(?P<word>" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")"
    r"[\s-](?P<unit>seconds?|minutes?|hours?|days?)\b",
    re.IGNORECASE,
)


def _names_a_unit(folded: str) -> bool:
    """True when a case-folded text could hold "ten minutes" (a cheap test before the pattern)."""
    return "second" in folded or "minute" in folded or "hour" in folded or "day" in folded


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Figure:
    """A figure in text: what kind of quantity, its canonical value, and the words around it."""

    kind: FigureKind
    value: float
    written: str
    start: int
    window: str

    @cached_property
    def context(self) -> frozenset[str]:
        """Content stems of the few words on either side (computed on first use)."""
        return frozenset(content_stems(self.window))

    def keys(self) -> set[tuple[FigureKind, float]]:
        """Canonical keys this figure may be compared under (a bare 0.62 is also 62%)."""
        found: set[tuple[FigureKind, float]] = {(self.kind, round(self.value, 6))}
        if self.kind == "count" and 0 < self.value < 1:
            found.add(("ratio", round(self.value, 6)))
        return found

    def same(self, other: Figure) -> bool:
        """True when both figures state the same quantity value."""
        return bool(self.keys() & other.keys())


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 60) : start]
    after = text[end : end + 40]
    return " ".join(before.split()[-6:] + after.split()[:4])


def figures(text: str, *, clocks: list[tuple[str, int, int]] | None = None) -> list[Figure]:
    """Every figure written in `text`, in order (`clocks`: its clock times, if already found)."""
    found: list[Figure] = []
    digit = _DIGIT.search(text)
    folded = text.casefold()
    if digit is None and not _names_a_unit(folded):
        return found  # most chat lines: no number, no "ten minutes"
    taken = [(start, end) for _, start, end in (clock_times(text) if clocks is None else clocks)]
    # A figure starts at a digit; the look-behind still sees the text before the first one.
    for match in _FIGURE.finditer(text, digit.start()) if digit else ():
        start, end = match.span()
        if any(s <= start < e for s, e in taken):
            continue
        number = float(match["num"].replace(",", ""))
        mult = (match["mult"] or "").lower()
        if mult == "k":
            number *= 1000
        elif mult == "m":
            number *= 1_000_000
        unit = (match["unit"] or "").lower().replace(" ", "")
        written = match.group(0).strip()
        context = _context(text, start, end)
        if unit == "%" or unit.startswith("per"):
            found.append(Figure("ratio", number / 100, written, start, context))
        elif (
            unit == "s"
            and not match["num"].count(".")
            and 100 <= number < 600
            and (text[match.end("num") : match.end("num") + 1] == "s")
        ):
            found.append(Figure("count", number, written, start, context))  # "500s": HTTP 500s
        elif unit in _SECONDS:
            found.append(Figure("duration", number * _SECONDS[unit], written, start, context))
        else:
            found.append(Figure("count", number, written, start, context))
    unit = _UNIT_WORD.search(text) if _names_a_unit(folded) else None
    if unit is None:
        return found
    # A match ends in a unit word and starts at most `_WORD_SPAN` characters before it.
    for match in _WORD_DURATION.finditer(text, max(0, unit.start() - _WORD_SPAN)):
        number = float(_WORD_NUMBERS[match["word"].lower()])
        unit = match["unit"].casefold()  # "ſeconds" matches the pattern too
        context = _context(text, match.start(), match.end())
        found.append(
            Figure("duration", number * _SECONDS[unit], match.group(0), match.start(), context)
        )
    return found
