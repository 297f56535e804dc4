"""The resolution and the start of follow-up talk, read off the timeline's events."""

from __future__ import annotations

from dataclasses import dataclass

from app.engines.extractive.chat import Finding, Quote
from app.engines.extractive.events import Event


@dataclass(frozen=True)
class Resolution:
    """What ended the impact: the completed mitigation and the recovery it led to, or the
    statement that the incident was resolved."""

    finding: Finding
    done: Event | None
    recovered: Event | None


def find_resolution(events: list[Event]) -> Resolution | None:
    """The completed mitigation and the first recovery after it, else the resolution."""
    done = next((e for e in events if e.kind == "mitigation" and e.label == "done"), None)
    after = done.message.id if done else 0
    recovered = next((e for e in events if e.kind == "recovery" and e.message.id >= after), None)
    parts = [e for e in (done, recovered) if e is not None]
    if not parts:
        resolved = next((e for e in events if e.kind == "resolution"), None)
        if resolved is None:
            return None
        return Resolution(Finding.quote(resolved.message, resolved.description), None, None)
    # The words of the first part (the completed action, else the recovery); the other part is
    # cited as support and has its own timeline row.
    main = parts[0]
    also = [e.message.id for e in parts[1:]]
    return Resolution(
        Finding.of([Quote(main.message, [main.description])], also=also), done, recovered
    )


def follow_up_start(events: list[Event]) -> int:
    """Id of the message after which talk is mostly about follow-ups (0 when unknown)."""
    ends = [e.message.id for e in events if e.kind in ("recovery", "resolution")]
    ends += [e.message.id for e in events if e.kind == "mitigation" and e.label == "done"]
    return min(ends, default=0)
