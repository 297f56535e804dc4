"""The offline extraction engine: deterministic rules, no network, no LLM."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from app.engines.extractive.action_items import find_action_items, list_message_ids
from app.engines.extractive.chat import Chat
from app.engines.extractive.impact import find_impact
from app.engines.extractive.milestones import find_resolution, follow_up_start
from app.engines.extractive.questions import open_questions
from app.engines.extractive.root_cause import find_contributing_factors, find_root_cause
from app.engines.extractive.service import main_service
from app.engines.extractive.summary import make_summaries, make_title
from app.engines.extractive.timeline import find_events, first_detection, timeline_entries
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
    if not transcript.messages:
        raise TranscriptFormatError(
            "the transcript has no messages", hint="send a chat log with at least one message"
        )
    chat = Chat.of(transcript)
    warnings = [
        f"message {m.id} addresses the assistant; it was treated as chat content and ignored"
        for m in chat.ignored
    ]
    skip = list_message_ids(chat)
    impact = find_impact(chat, skip)
    service = main_service(chat, impact, skip)
    detected = first_detection(chat, skip, service)
    detection = detected.finding() if detected else None
    root_cause = find_root_cause(chat, skip, after=detected.message.id if detected else 0)
    events = find_events(chat, skip, detected, root_cause)
    resolution = find_resolution(events)
    items = find_action_items(chat, follow_up_start(events))
    focus = [f for f in (detection, *impact) if f is not None]
    first_id = (chat.messages or transcript.messages)[0].id
    data: dict[str, Any] = {
        "title": make_title(service, focus),
        "summary": make_summaries(chat.roster, detection, impact, root_cause, resolution, first_id),
        "impact": [f.statement() for f in impact],
        "detection": detection.statement() if detection else None,
        "timeline": _valid_entries(timeline_entries(events), transcript, warnings),
        "root_cause": root_cause.statement() if root_cause else None,
        "contributing_factors": [
            f.statement() for f in find_contributing_factors(chat, skip, root_cause)
        ],
        "resolution": resolution.statement() if resolution else None,
        "action_items": [item.data() for item in items],
        "participants": transcript.participants,
        "open_questions": open_questions(
            chat,
            events=events,
            detection=detection,
            root_cause=root_cause,
            resolution=resolution,
            items=items,
        ),
    }
    report = _with_plain_wording(
        IncidentReport.model_validate(data, context={"transcript": transcript})
    )
    return Extraction(report=report, usage=Usage(model=None, llm_calls=0), warnings=warnings)


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


_STAKEHOLDER_EVENTS = ("mitigation", "recovery", "resolution", "communication")


def _with_plain_wording(report: IncidentReport) -> IncidentReport:
    """The stakeholder email prints only `plain` fields; the rules' wording serves for both."""
    return report.model_copy(
        update={
            "impact": [s.model_copy(update={"plain": s.text}) for s in report.impact],
            "resolution": report.resolution.model_copy(update={"plain": report.resolution.text})
            if report.resolution
            else None,
            "timeline": [
                e.model_copy(update={"plain": e.description})
                if e.kind in _STAKEHOLDER_EVENTS
                else e
                for e in report.timeline
            ],
            "action_items": [
                a.model_copy(update={"plain": a.description}) for a in report.action_items
            ],
        }
    )
