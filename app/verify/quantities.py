"""Figures written in text, reduced to canonical values so that equal quantities compare equal.

45%, 0.45 and "45 percent" are the ratio 0.45; "roughly half" is 0.5; 1.5s and 1500ms are 1.5
seconds; "5m12s" is 312 seconds; 2,300, 2300 and 2.3k are 2300; "~90M rows" and "90M-row" are
90,000,000; "8x" is a factor; "180 GB" a size; "$4,200" money; "thousands of orders" a magnitude
(at least 1,000). Clock times, versions, list references ("#2"), dates and numbers inside
identifiers are not figures.

Two figures are the same when their values agree to the precision they were written with ("2.3k"
covers 2,250 to 2,349) or, when either is marked approximate ("about", "~", "roughly"), within
10%.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import accumulate
from typing import Literal

from app.fold import word_key
from app.verify.text import STOPWORDS, content_stems
from app.verify.times import WrittenTime, clock_times

FigureKind = Literal["ratio", "duration", "count", "factor", "size", "money", "date"]

# A number, its multiplier and its unit. Every repeat is possessive and the number is anchored
# by its look-behind, so runs of digits, commas or dots are read in one pass.
_FIGURE = re.compile(
    r"(?:(?<![\w.#/:,\-])|(?<=(?<![^\s(])[-+−])|(?<=[\"']:))(?P<cur>[$€£])?+"
    r"(?P<num>\d{1,3}(?:,\d{3})++(?:\.\d++)?+|\d{1,3}(?:\.\d{3}){2,}+(?:,\d++)?+"
    r"|\d++,\d{1,2}(?=[ \t]?(?:%|ms\b|s\b|h\b|min|sec|[KMGT]i?B\b|x\b))|\d++(?:\.\d++)?+)"
    r"(?![.,]?\d|:\d|-\d{1,2}-\d|/7\b|(?:st|nd|rd|th)\b)"
    r"\+?+(?P<mult>[kK](?![a-zA-Z])|[MB](?![a-zA-Z])|[ \t]?(?:thousand|million|billion)\b)?+"
    r"(?:[ \t]?-?[ \t]?(?P<unit>%|percent\b|per[ \t]?cent\b|ms\b|milliseconds?\b|msec\b"
    r"|s\b|secs?\b|seconds?\b|m\b|m(?=\d{1,2}s\b)|mins?\b|minutes?\b|h\b|h(?=\d{1,2}m\b)|hrs?\b"
    r"|hours?\b|days?\b|weeks?\b"
    # the same units in the languages teams mix in ("5 jours", "3 Tage", "2 horas")
    r"|jours?\b|heures?\b|semaines?\b|Tag(?:e|en)?+\b|Stunden?+\b|Wochen?+\b"
    r"|d[ií]as?\b|horas?\b|semanas?\b|minutos?\b|segundos?\b"
    r"|x\b|times\b|fold\b|[KMGT]i?B\b|[KMGT]i\b|[GT]\b|bytes?\b|(?:kilo|mega|giga|tera)bytes?\b"
    r"|gigs?\b|USD\b|EUR\b|GBP\b|[€$£](?![\d\w])))?+",
)
# Thousands grouped by a space ("23 400 €", "€ 1 250 000") or a no-break space ("18 211"): a
# plain space groups only next to a currency, where a list of two numbers cannot be meant.
_SPACED_THOUSANDS = re.compile(
    r"(?<![\w.,])\d{1,3}+(?:[\u00a0\u202f]\d{3})++(?![\w.,])"
    r"|(?<![\w.,])\d{1,3}+(?:[ ]\d{3})++(?=[ \u00a0\u202f]?+(?:[€$£]|EUR\b|USD\b|GBP\b))"
    r"|(?<=[€$£])[ \u00a0]?+\d{1,3}+(?:[ \u00a0\u202f]\d{3})++(?![\w.,])"
)
_GROUP_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")


def _join_thousands(text: str) -> str:
    """`text` with space-grouped thousands written with commas, offsets unchanged."""
    return _SPACED_THOUSANDS.sub(lambda m: _GROUP_SPACE.sub(",", m.group(0)), text)


# A compound duration's second part right after the first ("5m12s", "1h30m", "2h 15m").
_SECOND_PART = re.compile(
    r"[ \t]?(?:and[ \t])?+(?P<num>\d{1,2})[ \t]?(?P<unit>m|s|min|mins|minutes?|secs?|seconds?)\b"
)
_WORD_FRACTION = re.compile(
    r"\b(?P<word>half|a third|one third|a quarter|one quarter|two thirds|three quarters)\b"
    r"(?P<of>[ \t]++(?:of[ \t]++)?+an?[ \t]++(?P<unit>hour|minute|day|second|week)\b)?+",
    re.IGNORECASE,
)
_WORD_FACTOR = re.compile(
    r"\b(?P<word>doubled?|twice|tripled?|threefold|quadrupled?|fourfold|fivefold|tenfold|"
    r"hundredfold)\b",
    re.IGNORECASE,
)
_FACTORS = {"double": 2, "doubled": 2, "twice": 2, "triple": 3, "tripled": 3, "threefold": 3}
_FACTORS |= {"quadruple": 4, "quadrupled": 4, "fourfold": 4, "fivefold": 5, "tenfold": 10}
_FACTORS |= {"hundredfold": 100}
_MAGNITUDE = re.compile(
    r"\b(?P<word>dozens|hundreds|thousands|millions|billions)\b(?:[ \t]of\b)?", re.IGNORECASE
)
_WORD_DURATION = re.compile(
    r"\b(?P<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|twenty|thirty|forty-five|forty|fifty|sixty|ninety|a few|an?)"
    r"[ \t-](?P<unit>seconds?|minutes?|hours?|days?|weeks?)\b",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")

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
    "week": 604800.0,
    "weeks": 604800.0,
}
for _words, _seconds in (
    ("segundo segundos", 1.0),
    ("minuto minutos", 60.0),
    ("heure heures stunde stunden hora horas", 3600.0),
    ("jour jours tag tage tagen dia dias día días", 86400.0),
    ("semaine semaines woche wochen semana semanas", 604800.0),
):
    _SECONDS |= dict.fromkeys(_words.split(), _seconds)
# Binary and decimal units are read alike: chats mix "512Mi", "512 MiB" and "512 MB" freely.
_BYTES = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "kib": 1e3, "mib": 1e6}
_BYTES |= {"gib": 1e9, "tib": 1e12, "byte": 1.0, "bytes": 1.0}
_BARE_BYTES = {"ki": 1e3, "mi": 1e6, "gi": 1e9, "ti": 1e12, "g": 1e9, "t": 1e12}
_BARE_BYTES |= {"kilobyte": 1e3, "kilobytes": 1e3, "megabyte": 1e6, "megabytes": 1e6}
_BARE_BYTES |= {"gigabyte": 1e9, "gigabytes": 1e9, "terabyte": 1e12, "terabytes": 1e12}
_BARE_BYTES |= {"gig": 1e9, "gigs": 1e9}
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "b": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_FRACTIONS = {
    "half": 0.5,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "two thirds": 2 / 3,
    "three quarters": 0.75,
}
_MAGNITUDES = {"dozens": 12.0, "hundreds": 100.0, "thousands": 1e3, "millions": 1e6}
_MAGNITUDES["billions"] = 1e9
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
    "a": 1,
    "an": 1,
}
# Words just before a figure that make it approximate, or a bound.
_APPROXIMATE = (
    "~",
    "≈",
    "about",
    "around",
    "roughly",
    "approximately",
    "approx",
    "approx.",
    "nearly",
    "almost",
    "over",
    "under",
    "some",
    "more than",
    "less than",
    "fewer than",
    "up to",
    "at least",
    "at most",
    "upwards of",
    "like",
    "circa",
    "ca.",
    "est.",
    "estimated",
)
APPROXIMATE_TOLERANCE = 0.1


@dataclass(frozen=True)
class Figure:
    """A figure in text: what kind of quantity, its canonical value, and the words around it."""

    kind: FigureKind
    value: float
    written: str
    start: int
    window: str
    precision: float = 0.0  # half the unit of its last written digit, in canonical units
    approximate: bool = False
    bound: bool = False  # "within an hour", "under 1s": a limit, not a measurement
    magnitude: bool = False  # "thousands of": at least `value`, below 1000 times it
    vague: bool = False  # "twice", "half", "an hour": everyday words, never a hard fact alone
    fraction: bool = False  # "4 of 6", "one in five", "4/6": a share written as a fraction
    # The other reading of a number whose separator is ambiguous: "3.400" is 3.4 in English
    # and 3,400 in German (or French, Dutch...): it is the same figure as either.
    alternative: float | None = None

    @cached_property
    def context(self) -> frozenset[str]:
        """Content stems of the few words on either side (computed on first use)."""
        return frozenset(content_stems(self.window))

    @property
    def key(self) -> str:
        """A coarse index key: kind and order of magnitude (equal figures share one)."""
        return f"#fig:{self.kind}:{_order(self.value)}"

    @property
    def filed_under(self) -> tuple[str, ...]:
        """The index keys of each of its readings ("3.400": 3.4 and 3,400)."""
        if self.alternative is None:
            return (self.key,)
        return (self.key, f"#fig:{self.kind}:{_order(self.alternative)}")

    @property
    def occurrences(self) -> bool:
        """A factor written "N times" with a number: it may count occurrences ("shown 1,900
        times") as well as multiply ("8 times the normal rate")."""
        return self.kind == "factor" and self.written.lower().endswith("times") and not self.vague

    def keys(self) -> list[str]:
        """Index keys that a figure equal to this one may be filed under."""
        if self.alternative is not None:
            other = replace(self, value=self.alternative, alternative=None)
            return list(dict.fromkeys(replace(self, alternative=None).keys() + other.keys()))
        order = _order(self.value)
        kinds = [self.kind]
        if self.occurrences:
            kinds.append("count")
        if self.kind == "count" and 0 < self.value < 1:
            kinds.append("ratio")  # a bare 0.45 may be 45%
        if self.kind == "ratio":
            kinds.append("count")
        if self.kind in ("size", "count"):
            kinds.append("count" if self.kind == "size" else "size")
        if self.kind == "count":
            kinds.append("factor")  # a count may be written "N times" in the chat
        return [f"#fig:{k}:{o}" for k in kinds for o in (order - 1, order, order + 1)]

    def same(self, other: Figure) -> bool:
        """True when both figures state the same quantity (in either reading of an ambiguous
        separator)."""
        for mine in _readings(self):
            for theirs in _readings(other):
                if mine._same(theirs):
                    return True
        return False

    def _same(self, other: Figure) -> bool:
        kinds = {self.kind, other.kind}
        if kinds == {"size", "count"}:
            kinds = {"count"}  # "512M" of memory is 512 MB
        if kinds == {"factor", "count"} and (self.occurrences or other.occurrences):
            kinds = {"count"}  # "about 8 times each" is "~8 each"; "1,900 times" is 1,900
        if len(kinds) > 1 and kinds != {"ratio", "count"}:
            return False
        if kinds == {"ratio", "count"}:
            count = self if self.kind == "count" else other
            if not 0 < count.value < 1:
                return False
        if self.magnitude or other.magnitude:
            low = self if self.magnitude else other
            high = other if low is self else self
            if high.magnitude:
                return low.value == high.value
            return low.value <= high.value < low.value * 1000
        tolerance = max(self.precision, other.precision, 1e-9)
        largest = max(self.value, other.value)
        if self.approximate or other.approximate:
            tolerance = max(tolerance, APPROXIMATE_TOLERANCE * largest)
            if kinds == {"ratio"}:  # "about a quarter" for 22%, "roughly half" for 48%
                tolerance = max(tolerance, 0.2 * largest, 0.03)
        if kinds == {"size"} or kinds == {"count"} and "size" in {self.kind, other.kind}:
            tolerance = max(tolerance, 0.05 * largest)  # 2 GB and 2048 MB
        return abs(self.value - other.value) <= tolerance + 1e-9


def _readings(figure: Figure) -> list[Figure]:
    if figure.alternative is None:
        return [figure]
    scale = figure.alternative / figure.value if figure.value else 1.0
    other = replace(
        figure, value=figure.alternative, precision=0.5 * scale / 1000, alternative=None
    )
    return [replace(figure, alternative=None), other]


def _number(written: str) -> tuple[float, float, float | None]:
    """The value of a written number, half the unit of its last digit, and its other reading:
    "2,300" is 2300; "3.400" is 3.4 or 3400; "1.234.567" is 1234567 and "8,4" 8.4 (German)."""
    if written.count(".") >= 2 or ("." in written and "," in written.split(".")[-1]):
        european = written.replace(".", "").replace(",", ".")
        return float(european), _precision(european), None
    if "," in written and "." not in written and len(written.split(",")[-1]) < 3:
        european = written.replace(",", ".")
        return float(european), _precision(european), None
    value = float(written.replace(",", ""))
    head, _, tail = written.partition(".")
    if len(tail) == 3 and "," not in head and 1 <= len(head) <= 3 and head != "0":
        return value, _precision(written), float(head + tail)
    return value, _precision(written), None


def _order(value: float) -> int:
    return int(math.floor(math.log10(value))) if value > 0 else -99


def _context(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 60) : start]
    after = text[end : end + 40]
    return " ".join(before.split()[-6:] + after.split()[:4])


def _approximate(text: str, start: int) -> bool:
    before = text[max(0, start - 14) : start].lower().rstrip()
    return before.endswith(_APPROXIMATE)


def _precision(number: str) -> float:
    """Half the unit of the last written digit: "2.3" -> 0.05, "45" -> 0.5, "2,300" -> 0.5."""
    digits = number.replace(",", "")
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".", 1)[1])
    return 0.5


def _is_http_status(match: re.Match[str], text: str) -> bool:
    """'500s' in "a flood of 500s" is HTTP 500 responses, not 500 seconds."""
    return (
        match["unit"] == "s"
        and match["num"].isdigit()
        and 100 <= float(match["num"]) < 600
        and text[match.end("num") : match.end("num") + 1] == "s"
    )


def _not_a_figure(match: re.Match[str], text: str) -> bool:
    """A year ("in 2025"), or a version after its word ("version 5.3", "release 4.2")."""
    number = match["num"]
    if match["unit"] or match["mult"] or match["cur"]:
        return False
    before = text[max(0, match.start() - 12) : match.start()].lower().split()
    last = before[-1].strip("(,") if before else ""
    if len(number) == 4 and number[:2] in ("19", "20") and last in _YEAR_WORDS:
        return True
    return last in _VERSION_WORDS


_YEAR_WORDS = frozenset(
    """in since of year from until by jan feb mar apr may jun jul aug sep sept oct nov dec
    january february march april june july august september october november december""".split()
)
_VERSION_WORDS = frozenset({"version", "v", "release", "build", "patch", "rev", "revision"})
_MONTH_NUMBERS = {
    name: index % 12 + 1
    for index, name in enumerate(
        "jan feb mar apr may jun jul aug sep oct nov dec january february march april may june "
        "july august september october november december".split()
    )
} | {"sept": 9}


def _day_of_date(match: re.Match[str], text: str) -> Figure | None:
    """The day of a date written with its month ("3 June", "June 3", "since Feb 20"), as a
    figure of kind "date" (month * 100 + day), or None."""
    number = match["num"]
    if match["unit"] or match["mult"] or match["cur"] or len(number) > 2 or "." in number:
        return None
    day = int(number)
    if not 1 <= day <= 31:
        return None
    before = text[max(0, match.start() - 12) : match.start()].lower().split()
    after = text[match.end() : match.end() + 12].lower().split()
    month = None
    if before and before[-1].strip(".,") in _MONTH_NUMBERS and before[-1] != "may":
        name = before[-1].strip(".,")
        month, written = _MONTH_NUMBERS[name], f"{name.title()} {day}"
    elif after and after[0].strip(".,") in _MONTH_NUMBERS:
        name = after[0].strip(".,")
        month, written = _MONTH_NUMBERS[name], f"{day} {name.title()}"
    if month is None:
        return None
    context = _context(text, match.start(), match.end())
    return Figure("date", month * 100 + day, written, match.start(), context)


# Words that make a figure a bound ("within an hour", "under 1s"), which the chat need not state.
_BOUNDS = ("within", "under", "below", "less than", "fewer than", "at most", "up to", "in under")


def _figure_of(match: re.Match[str], text: str) -> Figure:
    start, end = match.span()
    number, precision, alternative = _number(match["num"])
    mult = (match["mult"] or "").strip().lower()
    if mult:
        number *= _MULTIPLIERS[mult]
        precision *= _MULTIPLIERS[mult]
        alternative = None  # "1.500k" is no German thousand
    unit = (match["unit"] or "").lower().replace(" ", "").replace("\t", "")
    written = match.group(0).strip()
    context = _context(text, start, end)
    approximate = _approximate(text, start) or text[match.end("num") : match.end("num") + 1] == "+"
    if match["cur"] or unit in {"usd", "eur", "gbp", "€", "$", "£"}:
        return Figure(
            "money",
            number,
            written,
            start,
            context,
            precision,
            approximate,
            alternative=alternative,
        )
    if unit == "%" or unit.startswith("per"):
        return Figure("ratio", number / 100, written, start, context, precision / 100, approximate)
    if unit in {"x", "times", "fold"}:
        return Figure("factor", number, written, start, context, precision, approximate)
    if unit in _BYTES or unit in _BARE_BYTES:
        scale = _BYTES.get(unit) or _BARE_BYTES[unit]
        return Figure("size", number * scale, written, start, context, precision * scale)
    if _is_http_status(match, text):
        return Figure("count", number, written, start, context, precision, approximate)
    if unit in _SECONDS:
        seconds = number * _SECONDS[unit]
        scaled = precision * _SECONDS[unit]
        if unit in {"h", "m", "min", "hr", "hrs", "hour", "hours", "minute", "minutes"}:
            rest = _SECOND_PART.match(text, end)
            if rest is not None:
                seconds += float(rest["num"]) * _SECONDS[rest["unit"]]
                scaled = 0.5 * _SECONDS[rest["unit"]]
                written = text[start : rest.end()].strip()
        return Figure("duration", seconds, written, start, context, scaled, approximate)
    return Figure(
        "count", number, written, start, context, precision, approximate, alternative=alternative
    )


def figures(text: str, *, clocks: list[WrittenTime] | None = None) -> list[Figure]:
    """Every figure written in `text`, in order (`clocks`: its clock times, if already found)."""
    found: list[Figure] = []
    folded = text.casefold()
    digit = _DIGIT.search(text)
    if digit is not None:
        text = _join_thousands(text)
        taken = [(t.start, t.end) for t in (clock_times(text) if clocks is None else clocks)]
        # A figure starts at a digit or a currency sign just before one.
        begin = max(0, digit.start() - 1)
        for match in _FIGURE.finditer(text, begin):
            start = match.start("num")
            if taken and any(s <= start < e for s, e in taken):
                continue
            day = _day_of_date(match, text)
            if day is not None:
                found.append(day)
                continue
            if _not_a_figure(match, text):
                continue
            found.append(_figure_of(match, text))
        found = _outside_compounds(found)
    if "half" in folded or "third" in folded or "quarter" in folded:
        for match in _WORD_FRACTION.finditer(text):
            context = _context(text, match.start(), match.end())
            value = _FRACTIONS[word_key(match["word"])]
            if match["unit"]:  # "half an hour", "a quarter of an hour"
                seconds = value * _SECONDS[word_key(match["unit"])]
                figure = Figure(
                    "duration", seconds, match.group(0), match.start(), context, 60, vague=True
                )
                found.append(figure)
                continue
            found.append(
                Figure(
                    "ratio", value, match.group(0), match.start(), context, 0.01, True, vague=True
                )
            )
    if "doubl" in folded or "twice" in folded or "tripl" in folded or "fold" in folded:
        for match in _WORD_FACTOR.finditer(text):
            context = _context(text, match.start(), match.end())
            value = float(_FACTORS[word_key(match["word"])])
            found.append(
                Figure("factor", value, match["word"], match.start(), context, 0.5, vague=True)
            )
    if "ions" in folded or "dreds" in folded or "sands" in folded or "dozens" in folded:
        for match in _MAGNITUDE.finditer(text):
            context = _context(text, match.start(), match.end())
            value = _MAGNITUDES[word_key(match["word"])]
            found.append(
                Figure("count", value, match["word"], match.start(), context, magnitude=True)
            )
    if "second" in folded or "minute" in folded or "hour" in folded or "day" in folded:
        fractions = [f.start for f in found if f.kind == "duration" and "half" in f.written.lower()]
        for match in _WORD_DURATION.finditer(text):
            word = word_key(match["word"])
            if any(s <= match.start() <= s + 12 for s in fractions):
                continue  # the "an hour" of "half an hour"
            if word == "a few" or (word in {"a", "an"} and word_key(match["unit"]) == "second"):
                continue  # "a few minutes" states no figure; "a second replica" is no duration
            if _is_frequency(text, match.start()):
                continue  # "once a day", "every hour": how often, not how long
            unit = word_key(match["unit"])
            context = _context(text, match.start(), match.end())
            seconds = _WORD_NUMBERS[word] * _SECONDS[unit]
            precision = 0.5 * _SECONDS[unit]
            vague = word in {"a", "an"}  # "an hour", "a day": a manner of speaking as often
            found.append(
                Figure(
                    "duration",
                    seconds,
                    match.group(0),
                    match.start(),
                    context,
                    precision,
                    vague=vague,
                )
            )
    if "/" in text or " of " in folded or " in " in folded:
        found = _with_fractions(text, found)
    return sorted((_with_bound(text, f) for f in found), key=lambda f: f.start)


_FREQUENCY_WORDS = ("once", "twice", "times", "per", "every", "each")


def _is_frequency(text: str, start: int) -> bool:
    """True when a worded duration says how often ("once a day", "twice an hour", "every
    hour"), read from the word before it."""
    before = text[max(0, start - 10) : start].lower().split()
    return bool(before) and before[-1].strip("-") in _FREQUENCY_WORDS


# "4 of 6", "4 out of 6", "6 in 10", "one in five", "4/6": a share written as a fraction. Every
# repeat is bounded or possessive.
_FRACTION = re.compile(
    r"(?<![\w.,/])(?P<n>\d{1,6}+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"(?:[ \t]++(?P<word>out[ \t]++of|of|in)[ \t]++(?:the[ \t]++|every[ \t]++)?+|/)"
    r"(?P<m>\d{1,6}+|two|three|four|five|six|seven|eight|nine|ten|a[ \t]++hundred)"
    r"(?![\w.,/:])",
    re.IGNORECASE,
)
_FRACTION_WORDS = _WORD_NUMBERS | {"a hundred": 100}


def _fraction_number(word: str) -> float | None:
    lowered = " ".join(word.lower().split())
    if lowered.isdigit():
        return float(lowered)
    found = _FRACTION_WORDS.get(lowered)
    return float(found) if found is not None else None


def _with_fractions(text: str, found: list[Figure]) -> list[Figure]:
    """Figures with each fraction read as the share it states ("4 of 6 regions" is 4/6, "6 in
    10 customers" is 60%): its denominator is no count of its own, and in "6 in 10" neither is
    its numerator. A slash is a fraction only before a word ("4/6 regions", not a date "6/3")."""
    fractions: list[Figure] = []
    consumed: set[int] = set()
    for match in _FRACTION.finditer(text):
        numerator, denominator = _fraction_number(match["n"]), _fraction_number(match["m"])
        if numerator is None or denominator is None or not 0 < numerator <= denominator:
            continue
        if match["word"] is None and not _followed_by_noun(text, match.end()):
            continue
        context = _context(text, match.start(), match.end())
        approximate = _approximate(text, match.start())
        fractions.append(
            Figure(
                "ratio",
                numerator / denominator,
                match.group(0),
                match.start(),
                context,
                0.005,
                approximate,
                fraction=True,
            )
        )
        consumed.add(match.start("m"))
        if (match["word"] or "").lower() == "in":
            consumed.add(match.start("n"))
    if not fractions:
        return found
    kept = [f for f in found if f.start not in consumed]
    return sorted(kept + fractions, key=lambda f: f.start)


def _followed_by_noun(text: str, end: int) -> bool:
    """True when a word of three letters or more, not a function word, follows `end` after a
    space ("4/6 regions", not "6/3 we deployed")."""
    if text[end : end + 1] not in (" ", "\t"):
        return False
    after = text[end : end + 24].split()
    word = after[0] if after else ""
    return len(word) >= 3 and word.isalpha() and word.islower() and word not in STOPWORDS


def _with_bound(text: str, figure: Figure) -> Figure:
    before = text[max(0, figure.start - 12) : figure.start].lower().rstrip()
    if before.endswith(_BOUNDS):
        return replace(figure, bound=True, approximate=True)
    return figure


def _outside_compounds(found: list[Figure]) -> list[Figure]:
    """The figures not inside a compound duration: the "12s" of "5m12s" is already counted in
    it. A figure is inside when a duration starts before it and ends after its start; with the
    durations sorted by start and the furthest end reached so far, that is one bisection per
    figure (a message with thousands of figures is not compared pair by pair)."""
    durations = sorted((f.start, f.start + len(f.written)) for f in found if f.kind == "duration")
    if not durations:
        return found
    starts = [start for start, _ in durations]
    reach = list(accumulate((end for _, end in durations), max))

    def inside(figure: Figure) -> bool:
        before = bisect_left(starts, figure.start)  # durations starting before the figure
        return before > 0 and reach[before - 1] > figure.start

    return [f for f in found if not inside(f)]
