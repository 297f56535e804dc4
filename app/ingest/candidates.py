"""Where a line format can find a header at all, so that the loops trying every line skip the rest.

Every header the clock-reading formats recognise holds a clock (`clock.CLOCK_PATTERN`), or for
Slack 'N minutes ago' / 'just now', on a line the recogniser reads: its own line for the one-line
formats, or the one or two lines below it for a name line above a time line. A line with none of
them there is passed over without calling the recogniser; the answers on the other lines are the
same, so detection's scores and the grouping's headers are too (tests/test_ingest_gates.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.ingest.line_formats import LineFormat
from app.ingest.records import Header
from app.ingest.stacked import _PREVIEW_BY, _REFERENCE

# What every header of the formats below holds on one of the lines it reads: a clock
# (`clock.CLOCK_PATTERN`, whose hour and minute always read `\d:[0-5]\d`), or Slack's 'N minutes
# ago' / 'just now' (which `_SLACK_HEADER` and `_SLACK_TIME` accept instead). Literals and one
# class each: linear.
_TIMEISH = re.compile(r"\d:[0-5]\d|ago|just now")
# Formats whose recogniser reads the header line alone (`match_line`, no stack, no covered or
# footer lines): a header needs a clock on its own line.
_ONE_LINE = frozenset(
    {
        "datetime-inline", "whatsapp", "zoom-chat", "irc", "discord-copy", "bracket-inline",
        "bracket-header", "teams-classic", "plain-inline",
    }
)  # fmt: skip
# Formats that add `stacked._stack` (a name line above a time line, or above a badge line or the
# repeated name and then the time line) to a one-line time or header line: a header at line i
# needs the clock on line i, on line i + 1, or on line i + 2 with a line i + 1 that is not blank.
# Current Teams (`stacked._teams_stack`) reads the same, except from a preview line (it holds
# ' by ', the author after it) or a quoted reply's 'Begin Reference,' line, which are kept too.
# The incident timeline (stamps below their entries; a bold stamp's markers split its clock) is
# tried on every line.
_NAME_ABOVE_TIME = frozenset({"slack-thread", "mattermost-copy", "google-chat-copy", "slack-copy"})
_TEAMS = "teams-copy"


def timeish_lines(keys: list[str]) -> list[bool]:
    """Per line: whether it holds a clock, 'ago' or 'just now' (see `header_candidates`)."""
    search = _TIMEISH.search
    return [bool(key) and search(key) is not None for key in keys]


def header_candidates(
    name: str, fmt: LineFormat, keys: list[str], timeish: list[bool]
) -> Sequence[int]:
    """The lines on which `fmt` can find a header, in order: every line, or for the formats of
    `_ONE_LINE` and `_NAME_ABOVE_TIME` (as built, with nothing mixed in) only those whose
    header would hold its clock where the recogniser reads it. A superset of the lines where
    `fmt.matcher()` answers, so scoring these lines only gives the same score."""
    plain = not (fmt.also or fmt.covered or fmt.footers)
    if plain and name in _ONE_LINE and fmt.match_stack is None:
        return [index for index, hit in enumerate(timeish) if hit]
    if plain and (name in _NAME_ABOVE_TIME or name == _TEAMS):
        last = len(keys) - 1
        stacked = [
            hit
            or (
                index < last
                and (
                    timeish[index + 1]
                    or (index + 1 < last and keys[index + 1] != "" and timeish[index + 2])
                )
            )
            for index, hit in enumerate(timeish)
        ]
        if name == _TEAMS:
            return [
                index
                for index, key in enumerate(keys)
                if stacked[index] or _PREVIEW_BY in key or key.startswith(_REFERENCE)
            ]
        return [index for index, hit in enumerate(stacked) if hit]
    return range(len(keys))


@dataclass(frozen=True)
class Tried:
    """What detection's scoring of one format asked its recogniser, for the grouping to reuse:
    `hits` holds every header `fmt.matcher()` gave, `unasked` the candidate lines (not blank)
    it was not called on (inside a short fence, under a header's span), `candidates` the lines
    it could answer on at all (`header_candidates`; a `range` when that is every line), `keys`
    the lines it read. Every other line that is not blank has no header: it was asked and
    answered None, or it is no candidate. Only a format built with nothing mixed in or skipped
    is recorded, so its `matcher()` is its own recogniser."""

    fmt: LineFormat
    keys: list[str]
    hits: dict[int, Header]
    unasked: frozenset[int]
    candidates: Sequence[int]


_Matcher = Callable[[Sequence[str], int], Header | None]


def recorded_matcher(
    shapes: Sequence[Tried], keys: list[str]
) -> tuple[_Matcher, Sequence[int]] | None:
    """A matcher that answers like trying each shape's own recogniser in turn (what
    `LineFormat.matcher()` does for a format with `also` and nothing covered or skipped), from
    detection's answers where it has them: a line outside a shape's candidates has no header in
    it, and any other line not answered yet is asked. With the lines that can hold a header
    (the candidates of all shapes, in order). None when any shape read other lines."""
    if any(shape.keys is not keys and shape.keys != keys for shape in shapes):
        return None
    plans = [(shape.hits, shape.unasked, shape.fmt.matcher()) for shape in shapes]
    lines: Sequence[int]
    if len(shapes) == 1 or any(isinstance(shape.candidates, range) for shape in shapes):
        lines = shapes[0].candidates if len(shapes) == 1 else range(len(keys))
    else:
        lines = sorted(set().union(*(shape.candidates for shape in shapes)))

    def match(keys: Sequence[str], index: int) -> Header | None:
        for hits, unasked, ask in plans:
            header = hits.get(index)
            if header is None and (index in unasked or not keys[index]):
                header = ask(keys, index)  # a line detection passed over is asked now
            if header is not None:
                return header
        return None

    return match, lines
