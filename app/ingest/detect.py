"""Auto-detect the format of a line-oriented transcript.

Every line format scores the first `SAMPLE_SIZE` non-blank lines (outside code fences):

    score = headers + 2 * distinct authors + 3 if the first non-blank line is a header

Header count alone would let a pasted log ('09:14:05 app: ERROR ...' repeated forty times) beat
the real chat around it; real chats have several people and start with a message, logs repeat one
source. Ties go to the more specific format (`DETECTION_ORDER`). A format qualifies only with two
headers, or one header within the first three non-blank lines (a one-message chat), so prose that
happens to contain a time is not taken for a chat. Cost: formats x sample lines, one anchored
regex each, independent of transcript length beyond the sample.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.ingest.assemble import fenced_lines
from app.ingest.formats import DETECTION_ORDER, line_format

SAMPLE_SIZE = 400
_JSON_START = re.compile(r"\s*(?:\{|\[\s*(?:[{\]\"]|$))")


@dataclass(frozen=True)
class FormatScore:
    """How well one format fits the sample."""

    name: str
    headers: int
    authors: int
    starts_with_header: bool
    first_header_rank: int | None

    @property
    def score(self) -> int:
        """The detection score (see module docstring)."""
        return self.headers + 2 * self.authors + (3 if self.starts_with_header else 0)

    @property
    def qualifies(self) -> bool:
        """Enough structure to call the text a chat in this format."""
        early = self.first_header_rank is not None and self.first_header_rank < 3
        return self.headers >= 2 or (self.headers == 1 and early)


def looks_like_json(text: str) -> bool:
    """True for text that starts like a JSON object or array (not '[09:14] ...')."""
    return bool(_JSON_START.match(text))


def _sample(lines: list[str]) -> list[str]:
    seen = 0
    for index, line in enumerate(lines):
        if line.strip():
            seen += 1
            if seen == SAMPLE_SIZE:
                return lines[: index + 1]
    return lines


def score_format(name: str, lines: list[str]) -> FormatScore:
    """Score one line format on the sample of `lines`."""
    sample = _sample(lines)
    fmt, _ = line_format(name, sample)
    inside = fenced_lines(sample)
    headers, rank, first_rank = 0, 0, None
    authors: set[str] = set()
    starts = False
    for index, line in enumerate(sample):
        if not line.strip():
            continue
        header = None if inside[index] else fmt.match(line)
        if header is not None and not header.same_author:
            headers += 1
            if header.author:
                authors.add(header.author.lower())
            if first_rank is None:
                first_rank = rank
                starts = rank == 0
        rank += 1
    return FormatScore(name, headers, len(authors), starts, first_rank)


def detect_format(lines: list[str]) -> tuple[str | None, list[FormatScore]]:
    """The best qualifying line format (or None) and every format's score, best first."""
    scores = [score_format(name, lines) for name in DETECTION_ORDER]
    ranked = sorted(scores, key=lambda s: (-s.score, DETECTION_ORDER.index(s.name)))
    best = next((s for s in ranked if s.qualifies), None)
    return (best.name if best else None), ranked
