"""The resolution statement and the start of follow-up talk, read off the timeline's events."""

from __future__ import annotations

from app.engines.extractive.chat import Finding
from app.engines.extractive.text import join_sentences
from app.engines.extractive.timeline import Event


def find_resolution(events: list[Event]) -> Finding | None:
    """What ended the impact: the completed mitigation and the recovery it led to, else the
    statement that the incident was resolved."""
    done = next((e for e in events if e.kind == "mitigation" and e.label == "done"), None)
    after = done.message.id if done else 0
    recovered = next((e for e in events if e.kind == "recovery" and e.message.id >= after), None)
    parts = [e for e in (done, recovered) if e is not None]
    if not parts:
        parts = [e for e in events if e.kind == "resolution"][:1]
    if not parts:
        return None
    text = join_sentences([e.description for e in parts], limit=400)
    return Finding(text, [i for e in parts for i in e.evidence])


def follow_up_start(events: list[Event]) -> int:
    """Id of the message after which talk is mostly about follow-ups (0 when unknown)."""
    ends = [e.message.id for e in events if e.kind in ("recovery", "resolution")]
    ends += [e.message.id for e in events if e.kind == "mitigation" and e.label == "done"]
    return min(ends, default=0)
