"""Known secrets found again wherever they are repeated, in time linear in the text.

Once a value is known to be a secret ("PGPASSWORD=Xk9#pq2vv psql ..."), later mentions of it
are redacted too, even in prose ("tried Xk9#pq2vv again, still 401"). A regex alternation of
every known secret would cost (text length x number of secrets), which grows quadratically
with a transcript whose messages each paste a secret. Instead each secret is indexed by its
longest run of word characters: a secret bounded by non-word characters can only occur where
that exact run is a whole word of the text, so one pass over the text's words (one dict
lookup each) finds every candidate, and each candidate is confirmed by comparing the
characters around it. The cost is linear in the text, times the few (offset, length) shapes
the secrets sharing a word have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.redact.spans import PLACEHOLDER_PREFIX, Span

_RUN = re.compile(r"\w++")
_WORD_CHAR = re.compile(r"\w")
_PLACEHOLDER = re.compile(r"\[REDACTED:[a-z0-9\-]{1,64}+\]")

MIN_LENGTH = 6
MAX_LENGTH = 256


def is_echoable(value: str) -> bool:
    """Long and odd enough not to be a word or a number that ordinary text repeats."""
    return (
        MIN_LENGTH <= len(value) <= MAX_LENGTH
        and "\n" not in value
        and any(c.isalpha() for c in value)
        and not value.isalpha()
        and any(c.isalnum() for c in value)
        and not value.startswith(PLACEHOLDER_PREFIX)
    )


def _key(value: str) -> tuple[str, int] | None:
    """The longest word run of `value` and where it starts; None if it has none."""
    best: re.Match[str] | None = None
    for run in _RUN.finditer(value):
        if best is None or len(run.group()) > len(best.group()):
            best = run
    return None if best is None else (best.group(), best.start())


def _is_boundary(text: str, position: int) -> bool:
    """No word character at `position` (or outside the text)."""
    return not (0 <= position < len(text) and _WORD_CHAR.match(text, position))


@dataclass
class EchoIndex:
    """The secrets found so far, indexed for `find`."""

    secrets: dict[str, Span] = field(default_factory=dict)
    _shapes: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def add(self, value: str, span: Span, always: bool = False) -> None:
        """Remember a secret value (first detection wins its kind); `always` skips the check
        that it is odd enough, for values known to be secrets (the service's own API key)."""
        if value in self.secrets or not (is_echoable(value) or (always and len(value) >= 4)):
            return
        key = _key(value)
        if key is None:
            return
        self.secrets[value] = span
        run, offset = key
        self._shapes.setdefault(run, set()).add((offset, len(value)))

    def find(self, text: str) -> list[tuple[int, int, Span]]:
        """Non-overlapping (start, end, span) of known secrets in `text`, leftmost longest."""
        if not self._shapes or self._shapes.keys().isdisjoint(_RUN.findall(text)):
            return []  # no word of the text is a known secret's key: one C-level pass
        hits: list[tuple[int, int, Span]] = []
        for run in _RUN.finditer(text):
            shapes = self._shapes.get(run.group())
            if shapes is None:
                continue
            for offset, length in shapes:
                start = run.start() - offset
                end = start + length
                if start < 0 or end > len(text):
                    continue
                span = self.secrets.get(text[start:end])
                if span is not None and _is_boundary(text, start - 1) and _is_boundary(text, end):
                    hits.append((start, end, span))
        if not hits:
            return []
        placeholders = (
            [m.span() for m in _PLACEHOLDER.finditer(text)] if PLACEHOLDER_PREFIX in text else []
        )
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        chosen: list[tuple[int, int, Span]] = []
        position, p = 0, 0
        for start, end, span in hits:
            if start < position:
                continue
            while p < len(placeholders) and placeholders[p][1] <= start:
                p += 1
            if p < len(placeholders) and placeholders[p][0] < end:
                continue  # inside a placeholder: already redacted
            chosen.append((start, end, span))
            position = end
        return chosen
