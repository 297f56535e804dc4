"""The offline extraction engine: deterministic rules, no network, no LLM.

Every field the drafts print is filled here in its final form. Engineering fields are the chat's
own words (the renderer quotes them with their time and citation) or a typed fact written by a
rule ("Deployment at 9:10 AM"); the `plain` fields and `plain_title` are written from typed facts
with the templates in `wording`, never copied from the chat.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from app.engines.extractive import memo
from app.engines.extractive.action_items import (
    find_action_items,
    find_lists,
    list_message_ids,
    lists_only_ids,
)
from app.engines.extractive.chat import Chat, Finding
from app.engines.extractive.contributing import find_contributing_factors
from app.engines.extractive.corrections import RuledOut
from app.engines.extractive.detection import first_detection
from app.engines.extractive.events import Event
from app.engines.extractive.impact import find_impact
from app.engines.extractive.milestones import find_resolution, follow_up_start
from app.engines.extractive.questions import open_questions
from app.engines.extractive.root_cause import find_root_cause
from app.engines.extractive.service import main_service
from app.engines.extractive.summary import Facts, make_summaries
from app.engines.extractive.text import content_words
from app.engines.extractive.timeline import find_events, timeline_entries
from app.engines.extractive.title import make_plain_title, make_title
from app.engines.extractive.wording import (
    event_plain,
    impact_plain,
    next_step_plain,
    resolution_plain,
    user_thing,
)
from app.errors import TranscriptFormatError
from app.models import Extraction, IncidentReport, TimelineEntry, Transcript, Usage


class ExtractiveEngine:
    """Builds an `IncidentReport` from cue phrases in the chat; every item cites its messages."""

    name = "extractive"

    async def extract(self, transcript: Transcript) -> Extraction:
        """Extract the incident report; deterministic and offline.

        This is CPU work that never awaits: the service runs `extract_report` in a worker
        process instead (`app.pipeline.extract_offline`); this method serves the `Engine`
        protocol for callers that hold an engine.
        """
        return extract_report(transcript)


def extract_report(transcript: Transcript) -> Extraction:
    """Run every rule over the transcript and validate the result against it."""
    try:
        return _extract(transcript)
    finally:
        memo.forget()


def _extract(transcript: Transcript) -> Extraction:
    if not transcript.messages:
        raise TranscriptFormatError(
            "the transcript has no messages", hint="send a chat log with at least one message"
        )
    chat = Chat.of(transcript)
    warnings = [
        f"message {m.id} addresses a bot with an instruction; it was set aside as chat content"
        for m in chat.ignored
    ]
    lists = find_lists(chat)
    skip = list_message_ids(lists)
    ruled = RuledOut.of(chat, skip)
    impact = find_impact(chat, lists_only_ids(lists))  # a recap before its list states impact
    service = main_service(chat, impact, skip, ruled)
    search = find_root_cause(chat, lists_only_ids(lists), ruled)
    root_cause = search.cause
    focus_words = content_words(service or "")
    if root_cause is not None:
        focus_words |= content_words(root_cause.lead_text)
    if not focus_words:
        focus_words = content_words(" ".join(f.text for f in impact))
    found_in = root_cause.lead.message if root_cause and root_cause.lead else None
    detection = first_detection(chat, skip, focus_words, found_in)
    detected = detection.first.finding() if detection else None
    events = find_events(chat, skip, detection, root_cause, ruled)
    resolution = find_resolution(events)
    items = find_action_items(chat, lists, follow_up_start(events))
    focus = [f for f in (detected, *impact) if f is not None]
    thing = user_thing(service, " ".join(f.text for f in focus))
    first_id = (chat.messages or transcript.messages)[0].id
    vocabulary = frozenset(w for m in chat.messages for w in content_words(m.text))
    facts = Facts(detected, impact, root_cause, resolution, events, thing, vocabulary)
    people = transcript.participants
    steps = [next_step_plain(item.description, people) for item in items]
    resolution_data: dict[str, Any] | None = None
    if resolution is not None:
        resolution_data = resolution.finding.statement()
        resolution_data["plain"] = resolution_plain(resolution.done, resolution.recovered, people)
    data: dict[str, Any] = {
        "title": make_title(service, focus),
        "plain_title": make_plain_title(service, focus),
        "summary": make_summaries(facts, first_id),
        "impact": [_with_plain(f.statement(), impact_plain(f.text, people)) for f in impact],
        "detection": detected.statement() if detected else None,
        "timeline": _valid_entries(_timeline(events, people), transcript, warnings),
        "root_cause": root_cause.statement() if root_cause else None,
        "contributing_factors": [
            f.statement() for f in find_contributing_factors(chat, skip, root_cause, ruled)
        ],
        "resolution": resolution_data,
        "action_items": [
            _with_plain(item.data(), plain) for item, plain in zip(items, steps, strict=True)
        ],
        "participants": list(people),
        "open_questions": open_questions(
            chat,
            events=events,
            detection=detected,
            root_cause=root_cause,
            cause_guessed=search.guess is not None,
            resolution=resolution.finding if resolution else None,
            items=items,
        ),
    }
    report = IncidentReport.model_validate(data, context={"transcript": transcript})
    return Extraction(report=report, usage=Usage(model=None, llm_calls=0), warnings=warnings)


def _with_plain(data: dict[str, object], plain: str | None) -> dict[str, object]:
    data["plain"] = plain
    return data


def _timeline(events: list[Event], people: list[str]) -> list[dict[str, object]]:
    entries = timeline_entries(events)
    by_key = {(e.time, e.description): e for e in events}
    for entry in entries:
        found = by_key.get((entry["time"], entry["description"]))  # type: ignore[arg-type]
        entry["plain"] = event_plain(found, people) if found is not None else None
    return entries


def _valid_entries(
    entries: list[dict[str, Any]], transcript: Transcript, warnings: list[str]
) -> list[dict[str, Any]]:
    """Entries that pass validation; a rule slip drops one entry with a warning, not the report."""
    kept = []
    for entry in entries:
        try:
            TimelineEntry.model_validate(entry, context={"transcript": transcript})
        except ValidationError as error:
            warnings.append(f"timeline entry dropped: {error.errors()[0]['msg']}")
            continue
        kept.append(entry)
    return kept


__all__ = ["ExtractiveEngine", "Finding", "extract_report"]
