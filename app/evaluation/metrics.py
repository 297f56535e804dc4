"""Per-incident quality metrics: how a draft compares with the gold annotations.

Each function takes plain model objects (timeline entries, action items, draft text), so the rules
are unit-tested on hand-made pairs; `eval/README.md` documents them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.evaluation.gold import GoldActionItem, GoldRootCause, GoldTimelineEvent
from app.evaluation.matching import contains_figure, matches_keywords, one_to_one, times_within
from app.models import (
    ActionItem,
    Statement,
    TimelineEntry,
    Transcript,
    clock_readings,
    hhmm,
    times_in_text,
)
from app.redact import redact_text


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None (not applicable) when there is nothing to count."""
    return part / whole if whole else None


@dataclass(frozen=True)
class TimelineMatch:
    """Gold events against output entries, paired one to one."""

    gold: int
    output: int
    matched: int
    missed: list[str]

    @property
    def recall(self) -> float | None:
        return ratio(self.matched, self.gold)

    @property
    def precision(self) -> float | None:
        return ratio(self.matched, self.output)


def match_timeline(
    gold: Sequence[GoldTimelineEvent], output: Sequence[TimelineEntry]
) -> TimelineMatch:
    """Pair gold events with output entries within a minute whose description has the keywords."""

    def compatible(i: int, j: int) -> bool:
        event, entry = gold[i], output[j]
        return times_within(event.time, entry.time) and matches_keywords(
            entry.description, event.keywords
        )

    pairs = one_to_one(len(gold), len(output), compatible)
    paired = {i for i, _ in pairs}
    missed = [f"{e.time} {e.event}" for i, e in enumerate(gold) if i not in paired]
    return TimelineMatch(gold=len(gold), output=len(output), matched=len(pairs), missed=missed)


def root_cause_correct(gold: GoldRootCause | None, output: Statement | None) -> bool:
    """Whether the report's root cause has the gold keywords. When the chat never settles on a
    cause (gold null), the right answer is no root cause: an open question, not a guess."""
    if gold is None:
        return output is None
    return output is not None and matches_keywords(output.text, gold.keywords)


@dataclass(frozen=True)
class ActionItemMatch:
    """Gold action items against output items, paired one to one by description."""

    gold: int
    matched: int
    owners_correct: int
    missed: list[str]
    wrong_owners: list[str]

    @property
    def recall(self) -> float | None:
        return ratio(self.matched, self.gold)

    @property
    def owner_accuracy(self) -> float | None:
        return ratio(self.owners_correct, self.matched)


def same_owner(gold: str | None, output: str | None) -> bool:
    """Owners compare case-insensitively; no owner equals no owner."""
    if gold is None or output is None:
        return gold is None and output is None
    return gold.strip().casefold() == output.strip().casefold()


def match_action_items(
    gold: Sequence[GoldActionItem], output: Sequence[ActionItem]
) -> ActionItemMatch:
    """Pair gold items with output items whose description has the keywords; then check owners."""
    pairs = one_to_one(
        len(gold),
        len(output),
        lambda i, j: matches_keywords(output[j].description, gold[i].keywords),
    )
    paired = {i for i, _ in pairs}
    wrong = [
        f"{gold[i].description}: expected {gold[i].owner}, got {output[j].owner}"
        for i, j in pairs
        if not same_owner(gold[i].owner, output[j].owner)
    ]
    return ActionItemMatch(
        gold=len(gold),
        matched=len(pairs),
        owners_correct=len(pairs) - len(wrong),
        missed=[g.description for i, g in enumerate(gold) if i not in paired],
        wrong_owners=wrong,
    )


_HEADING = re.compile(r"^#{2,}\s+(?P<title>.*)$")
_IMPACT_SECTIONS = re.compile(r"summary|impact", re.IGNORECASE)


def impact_text(markdown: str) -> str:
    """The draft's header block (title, impact window) plus its Summary and Impact sections."""
    kept: list[str] = []
    keep = True  # the header block before the first `##` heading
    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            keep = bool(_IMPACT_SECTIONS.search(heading["title"]))
        if keep:
            kept.append(line)
    return "\n".join(kept)


def figures_present(figures: Sequence[str], text: str) -> tuple[float | None, list[str]]:
    """Fraction of gold figures found in `text` (spaces removed), and the missing ones."""
    missing = [f for f in figures if not contains_figure(text, f)]
    return ratio(len(figures) - len(missing), len(figures)), missing


def transcript_times(transcript: Transcript) -> set[str]:
    """Every 'HH:MM' the transcript states: message times and times written in messages, read
    as the validators read them (a bare "4:15" may be 16:15; "midnight", "noon")."""
    known: set[str] = set()
    for message in transcript.messages:
        if message.time:
            known.add(hhmm(message.time))
        known.update(clock_readings(message.text))
    return known


def invented_times(drafts: Iterable[str], known: set[str]) -> list[str]:
    """Clock times written in each draft that the transcript never states (distinct per draft)."""
    invented: list[str] = []
    for text in drafts:
        invented.extend(sorted(set(times_in_text(text)) - known))
    return invented


_LETTER_AND_DIGIT = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")


@lru_cache(maxsize=1024)
def looks_like_secret(value: str) -> bool:
    """A must-not-appear string is a secret when the redactor flags it, or it is one token of 8+
    characters mixing letters and digits; anything else (a phrase, or personal data such as an
    email address, which the chat legitimately holds) is a claim the drafts must not make."""
    if redact_text(value)[1]:
        return True
    return (
        len(value) >= 8
        and not any(c.isspace() for c in value)
        and not _EMAIL.fullmatch(value)
        and bool(_LETTER_AND_DIGIT.match(value))
    )


def found_in(needles: Iterable[str], haystack: str) -> list[str]:
    """The needles occurring in `haystack`, case-insensitively."""
    folded = haystack.casefold()
    return [n for n in needles if n.casefold() in folded]


def json_strings(value: Any) -> Iterator[str]:
    """Every string (keys included) inside a JSON-like value: what a response actually shows."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from json_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from json_strings(item)
