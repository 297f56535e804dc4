"""Auto-detect the format of a line-oriented transcript.

Every line format scores the whole text (lines inside short code fences excluded):

    score = headers + 2 * distinct authors + 3 if the first line is a header + shape cues

Header count alone would let a pasted log ('09:14:05 app: ERROR ...' repeated forty times) beat
the real chat around it; real chats have several people and start with a message, logs repeat one
source. Cues are header shapes only one format writes (a Teams-classic date in the brackets,
'Last, First' names); the Slack thread pane qualifies only when its chrome ('15 replies',
'View thread') is there. Ties go to the more specific format (`DETECTION_ORDER`). A format
qualifies only with two headers, or one header within the first three non-blank lines (a
one-message chat), so prose that happens to contain a time is not taken for a chat.

A chat may mix shapes: another qualifying format is used beside the best one when at least two of
its headers, on lines the best one does not explain, are by people the best one already found
(a Slack copy pasted in two layouts, a quote-marked part and an unquoted part). A single such
line stays in the message above it and is reported (`stray_lines`): its attribution is
uncertain. `untimed` is tried only when no timed format qualifies. Cost: formats x lines, one
anchored match each; but most formats are tried only where they could find a header at all
(`candidates.header_candidates`): every header they read holds a clock (or Slack's 'N minutes
ago' or 'just now') on its own line or on the one or two lines below it, so the lines far from
any are passed over without calling the recogniser, with the same scores.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.ingest.candidates import Tried, header_candidates, timeish_lines
from app.ingest.formats import DETECTION_ORDER, line_format
from app.ingest.line_formats import LineFormat
from app.ingest.normalise import SourceLine
from app.ingest.records import Header

_JSON_START = re.compile(r"\A\s*+(?:\{|\[\s*+(?:[{\]\"]|\Z))")
_MAX_FENCED = 200
_MIXABLE = frozenset(DETECTION_ORDER) - {"incident-timeline"}


@dataclass(frozen=True)
class FormatScore:
    """How well one format fits the text."""

    name: str
    headers: int
    authors: int
    starts_with_header: bool
    first_header_rank: int | None
    cues: int = 0
    by_line: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)
    # the recogniser's headers by line, and the candidate lines it was not asked about (None:
    # not scored line by line), for the grouping (`candidates.Tried`)
    hits: dict[int, Header] | None = field(default=None, repr=False, compare=False)
    unasked: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def score(self) -> int:
        """The detection score (see module docstring)."""
        return self.headers + 2 * self.authors + (3 if self.starts_with_header else 0) + self.cues

    @property
    def qualifies(self) -> bool:
        """Enough structure to call the text a chat in this format."""
        early = self.first_header_rank is not None and self.first_header_rank < 3
        return self.headers >= 2 or (self.headers == 1 and early)


@dataclass(frozen=True)
class Detection:
    """The format that explains the text best, others mixed in, and every score."""

    name: str | None
    mixed_with: tuple[str, ...]
    scores: list[FormatScore]
    stray_lines: tuple[int, ...] = ()
    tuned: dict[str, tuple[LineFormat, list[str]]] = field(
        default_factory=dict, repr=False, compare=False
    )  # each format's recogniser as `line_format` tuned it to these lines, for the parse
    tried: dict[str, Tried] = field(default_factory=dict, repr=False, compare=False)
    # what scoring asked each of them, for the grouping (`candidates.recorded_matcher`)


def looks_like_json(text: str) -> bool:
    """True for text that starts like a JSON object or array (not '[09:14] ...')."""
    return bool(_JSON_START.match(text[:4096]))


def matching_keys(lines: list[SourceLine]) -> list[str]:
    """What header matching sees per line: the normalised key, blank for app decoration."""
    return ["" if line.ui else line.key for line in lines]


def short_fences(lines: list[SourceLine]) -> list[bool]:
    """Lines inside a ``` block of at most `_MAX_FENCED` lines (a cheap view for detection)."""
    inside = [False] * len(lines)
    opening: int | None = None
    for index, line in enumerate(lines):
        if line.text.count("```") % 2 == 1:
            if opening is None:
                opening = index
            else:
                if index - opening <= _MAX_FENCED:
                    for i in range(opening + 1, index + 1):
                        inside[i] = True
                opening = None
    return inside


def score_format(
    name: str,
    fmt: LineFormat,
    keys: list[str],
    inside: list[bool],
    thread_chrome: bool,
    candidates: Sequence[int] | None = None,
) -> FormatScore:
    """Score one line format on every line of the text (on `candidates` only, when given:
    lines where the format can find a header; the others cannot change the score)."""
    if name == "slack-thread" and not thread_chrome:
        return FormatScore(name, 0, 0, False, None)  # decided before scoring every line
    headers, first_rank, cues = 0, None, 0
    authors: set[str] = set()
    by_line: dict[int, str | None] = {}
    hits: dict[int, Header] = {}
    unasked: list[int] = []
    starts = False
    free = 0  # the first line not taken by the last header's span
    match = fmt.matcher()
    for index in range(len(keys)) if candidates is None else candidates:
        if index < free or not keys[index] or inside[index]:
            if keys[index]:
                unasked.append(index)  # a short fence's line is no header here, a span's either
            continue
        header = match(keys, index)
        if header is not None:
            hits[index] = header
        if header is not None and not header.same_author:
            headers += 1
            cues += header.cue
            by_line[index] = header.author
            free = index + header.span
            if header.author:
                authors.add(header.author.lower())
            if first_rank is None:  # no line before the first header is taken by a span
                first_rank = sum(1 for key in keys[:index] if key)
                starts = first_rank == 0
    return FormatScore(
        name, headers, len(authors), starts, first_rank, cues, by_line, hits, unasked
    )


def detect_format(lines: list[SourceLine]) -> Detection:
    """The best qualifying line format (or None), the formats mixed into it, every score."""
    keys = matching_keys(lines)
    inside = short_fences(lines)
    thread_chrome = any(line.ui == "thread" for line in lines)
    tuned = {name: line_format(name, keys) for name in DETECTION_ORDER}
    timeish = timeish_lines(keys)
    candidates = {name: header_candidates(name, tuned[name][0], keys, timeish) for name in tuned}
    scores = [
        score_format(name, tuned[name][0], keys, inside, thread_chrome, candidates[name])
        for name in DETECTION_ORDER
    ]
    tried = {
        score.name: Tried(
            tuned[score.name][0], keys, score.hits, frozenset(score.unasked), candidates[score.name]
        )
        for score in scores
        if _plain(tuned[score.name][0]) and score.hits is not None
    }
    ranked = sorted(scores, key=lambda s: (-s.score, DETECTION_ORDER.index(s.name)))
    best = next((s for s in ranked if s.qualifies), None)
    if best is None:
        untimed = score_format("untimed", line_format("untimed", keys)[0], keys, inside, False)
        filled = sum(1 for key in keys if key)
        if untimed.qualifies and untimed.authors >= 2 and untimed.headers * 10 >= filled * 3:
            return Detection("untimed", (), [untimed, *ranked], tuned=tuned, tried=tried)
        return Detection(None, (), ranked, tuned=tuned, tried=tried)
    known = {a.lower() for a in best.by_line.values() if a}
    mixed = []
    for other in ranked:
        if other is best or not other.qualifies or other.name not in _MIXABLE:
            continue
        extra = [
            author
            for line, author in other.by_line.items()
            if line not in best.by_line and author and author.lower() in known
        ]
        if len(extra) >= 2:
            mixed.append(other.name)
    explained = set(best.by_line)
    for other in ranked:
        if other.name in mixed:
            explained.update(other.by_line)
    stray = sorted(
        {
            lines[line].number  # its number in the whole text (a section starts later)
            for other in ranked
            if other is not best and other.name not in mixed and other.name in _MIXABLE
            for line, author in other.by_line.items()
            if line not in explained and author and author.lower() in known
        }
    )
    return Detection(best.name, tuple(mixed), ranked, tuple(stray), tuned=tuned, tried=tried)


def _plain(fmt: LineFormat) -> bool:
    """Nothing mixed in, covered or skipped: `fmt.matcher()` is its own recogniser."""
    return not (fmt.also or fmt.covered or fmt.footers)
