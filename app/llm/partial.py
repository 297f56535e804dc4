"""What one part of a long chat says, and how the parts become one report (map-reduce).

`PartialReport` is the map step's answer for one chunk (`schemas/llm_chunk_extraction.schema
.json`): the report's cited items as that part of the chat tells them, validated against the
chunk (`app.llm.chunking.ChunkTranscript`), so every id it cites is a message of that chunk.
`merge_partials` joins the parts in chat order: items told twice (in the overlap between two
chunks, or retold later) are kept once with the union of their evidence; detection comes from
the earliest part that has one, resolution from the latest. `ReduceAnswer` is the one reduce
call's answer (`schemas/llm_reduce.schema.json`): title, summaries, root cause and open
questions, written from the merged findings, citing only messages it was shown.
`assemble_report` puts the two together and validates the whole report against the whole chat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from app.models import (
    ActionItem,
    IncidentReport,
    Statement,
    Summaries,
    TimelineEntry,
    Transcript,
    clock_seconds,
)

_WORD = re.compile(r"[^\W_]+")
_SAME_TEXT = 0.5  # word overlap (Jaccard) from which two items citing a message say one thing


class PartialReport(BaseModel):
    """The facts one part of a long incident chat states, each citing messages of that part."""

    model_config = ConfigDict(extra="forbid")

    timeline: list[TimelineEntry] = Field(description="Key events of this part, in time order.")
    impact: list[Statement] = Field(
        description="What users saw, as this part says it, with the figures it gives."
    )
    detection: Statement | None = Field(
        description="How the incident was noticed, if this part says so; null otherwise."
    )
    cause_findings: list[Statement] = Field(
        description="What this part says about the cause, in chat order: hypotheses, findings, "
        "confirmations and corrections (a later correction is its own item)."
    )
    contributing_factors: list[Statement]
    resolution: Statement | None = Field(
        description="What ended the impact, if this part says so; null otherwise."
    )
    action_items: list[ActionItem]
    key_facts: list[Statement] = Field(
        description="At most five facts of this part a summary of the whole incident needs."
    )
    participants: list[str] = Field(description="People who take part in this part.")
    open_questions: list[str] = Field(
        description="What a postmortem needs that this part does not say; never guesses."
    )


class ReduceAnswer(BaseModel):
    """The reduce call's answer: what needs the whole incident at once."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, description="Short title naming the affected service.")
    plain_title: str | None = Field(
        description="What users experienced, in plain words (no service or host names); null "
        "if the findings do not say what users saw."
    )
    summary: Summaries
    root_cause: Statement | None = Field(
        description="The cause the chat settled on (a later correction wins); null if unknown."
    )
    open_questions: list[str] = Field(
        description="What a postmortem needs that the chat does not say, as questions."
    )

    @model_validator(mode="after")
    def _cites_only_what_it_was_shown(self, info: ValidationInfo) -> ReduceAnswer:
        shown = info.context.get("shown") if isinstance(info.context, dict) else None
        if shown is None:
            return self
        items: list[Any] = [*self.summary.technical, *self.summary.plain]
        if self.root_cause is not None:
            items.append(self.root_cause)
        unseen = sorted({i for item in items for i in item.evidence if i not in shown})
        if unseen:
            raise ValueError(
                f"cites messages {['m' + str(i) for i in unseen]} that were not shown; cite only "
                "messages quoted in the transcript block or cited by the findings"
            )
        return self


class Merged(BaseModel):
    """The parts of a long chat joined: every cited item once, in chat order."""

    timeline: list[TimelineEntry] = []
    impact: list[Statement] = []
    detection: Statement | None = None
    cause_findings: list[Statement] = []
    contributing_factors: list[Statement] = []
    resolution: Statement | None = None
    action_items: list[ActionItem] = []
    key_facts: list[Statement] = []
    participants: list[str] = []
    open_questions: list[str] = []

    def cited(self) -> set[int]:
        """Every message id any merged item cites."""
        items: list[Any] = [
            *self.timeline, *self.impact, *self.cause_findings, *self.contributing_factors,
            *self.action_items, *self.key_facts,
        ]  # fmt: skip
        items += [s for s in (self.detection, self.resolution) if s is not None]
        return {i for item in items for i in item.evidence}


def _words(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in _WORD.findall(text))


def _same(a: str, b: str) -> bool:
    first, second = _words(a), _words(b)
    if not first or not second:
        return a.strip().casefold() == b.strip().casefold()
    return len(first & second) / len(first | second) >= _SAME_TEXT


def _text(item: BaseModel) -> str:
    if isinstance(item, TimelineEntry | ActionItem):
        return item.description
    return str(getattr(item, "text", ""))


Item = TypeVar("Item", Statement, TimelineEntry, ActionItem)


def _duplicate(kept: Item, new: Item) -> bool:
    """Two items say one thing: they cite a message in common and their words mostly agree
    (a timeline entry: the same time, and the same kind or words; an action item: the same
    owner), or they are worded the same."""
    if isinstance(kept, TimelineEntry) and isinstance(new, TimelineEntry):
        if kept.time[:5] != new.time[:5]:
            return False
    if isinstance(kept, ActionItem) and isinstance(new, ActionItem):
        if (kept.owner or "").casefold() != (new.owner or "").casefold():
            return False
    if not set(kept.evidence) & set(new.evidence):
        return _words(_text(kept)) == _words(_text(new))
    if isinstance(kept, TimelineEntry) and isinstance(new, TimelineEntry) and kept.kind == new.kind:
        return True
    return _same(_text(kept), _text(new))


def _with_evidence(item: Item, more: list[int]) -> Item:
    return item.model_copy(update={"evidence": list(dict.fromkeys([*item.evidence, *more]))})


def _union(items: Iterable[Item]) -> list[Item]:
    """Items in order, each one told again merged into the first telling (evidence joined).
    Only items citing a message in common, or worded the same, are compared."""
    kept: list[Item] = []
    by_message: dict[int, list[int]] = {}
    by_words: dict[frozenset[str], int] = {}
    for told in items:
        words = _words(_text(told))
        candidates = sorted(
            {i for m in told.evidence for i in by_message.get(m, [])}
            | ({by_words[words]} if words in by_words else set())
        )
        match = next((i for i in candidates if _duplicate(kept[i], told)), None)
        if match is None:
            match = len(kept)
            kept.append(told)
            by_words.setdefault(words, match)
        else:
            kept[match] = _with_evidence(kept[match], told.evidence)
        for message_id in told.evidence:
            indices = by_message.setdefault(message_id, [])
            if match not in indices:
                indices.append(match)
    return kept


def _first_cited(item: Statement | TimelineEntry | ActionItem) -> int:
    return min(item.evidence)


def _timeline_order(entry: TimelineEntry, transcript: Transcript) -> tuple[int, int]:
    """Chronological: the day of the first cited message, then the entry's own time."""
    message = transcript.message(_first_cited(entry))
    day = message.day if message is not None else 0
    return day, clock_seconds(entry.time)


def _questions(lists: Iterable[Sequence[str]]) -> list[str]:
    kept: list[str] = []
    for questions in lists:
        for question in questions:
            text = question.strip()
            if text and not any(_same(text, other) for other in kept):
                kept.append(text)
    return kept


def merge_partials(parts: Sequence[PartialReport], transcript: Transcript) -> Merged:
    """The parts (in chat order) as one set of findings, every cited item once."""
    detection = next((p.detection for p in parts if p.detection is not None), None)
    resolution = next((p.resolution for p in reversed(parts) if p.resolution is not None), None)
    timeline = _union(e for p in parts for e in p.timeline)
    timeline.sort(key=lambda entry: _timeline_order(entry, transcript))
    authors = {name.casefold(): name for name in transcript.participants}
    named = {
        authors[n.casefold()] for p in parts for n in p.participants if n.casefold() in authors
    }
    return Merged(
        timeline=timeline,
        impact=_union(s for p in parts for s in p.impact),
        detection=detection,
        cause_findings=_union(s for p in parts for s in p.cause_findings),
        contributing_factors=_union(s for p in parts for s in p.contributing_factors),
        resolution=resolution,
        action_items=_union(a for p in parts for a in p.action_items),
        key_facts=_union(s for p in parts for s in p.key_facts),
        participants=[name for name in transcript.participants if name in named],
        open_questions=_questions(p.open_questions for p in parts),
    )


def assemble_report(merged: Merged, reduce: ReduceAnswer, transcript: Transcript) -> IncidentReport:
    """The whole report, validated against the whole chat like a one-call extraction."""
    data = {
        "title": reduce.title,
        "plain_title": reduce.plain_title,
        "summary": reduce.summary.model_dump(),
        "impact": [s.model_dump() for s in merged.impact],
        "detection": merged.detection.model_dump() if merged.detection else None,
        "timeline": [e.model_dump() for e in merged.timeline],
        "root_cause": reduce.root_cause.model_dump() if reduce.root_cause else None,
        "contributing_factors": [s.model_dump() for s in merged.contributing_factors],
        "resolution": merged.resolution.model_dump() if merged.resolution else None,
        "action_items": [a.model_dump() for a in merged.action_items],
        "participants": merged.participants,
        "open_questions": _questions([reduce.open_questions]),
    }
    return IncidentReport.model_validate(data, context={"transcript": transcript})
