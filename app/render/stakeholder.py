"""The stakeholder email: plain language, written only from the fields meant for stakeholders.

What it prints: `plain_title` (the subject: what users saw), `summary.plain`, and the `plain`
field of impact statements, the resolution, timeline entries and action items. A null `plain`
means "not for stakeholders" and is never replaced by the engineering wording. Status words come
from typed facts: "Resolved" only when the timeline shows recovery or resolution and the
extraction states what ended the impact, and never "ongoing" (an absent recovery entry is not
evidence that users are still affected). No citations, no placeholders, no sentence written as
one person, no chat debris; every string goes through `scrub_for_stakeholders`. A section with
nothing verified to say is left out.
"""

from __future__ import annotations

import re
from typing import Any

from app.models import IncidentReport, TimelineEntry, Transcript, hhmm
from app.render.engineering import split_mark
from app.render.prose import first_person_singular
from app.render.review import UNVERIFIED_MARK, Review
from app.render.scrub import mentioned_people, scrub_for_stakeholders
from app.render.timing import impact_window, sorted_timeline

# Unfilled template slots: "[X]", "[Your Name]", "{{count}}", "<insert date>", TBD, TODO.
_PLACEHOLDER = re.compile(
    r"\[(?!REDACTED)[^\]\n]{1,40}+\]|\{\{|<[A-Za-z][^<>\n]{0,40}+>|\b(?:TBD|TODO|TBC|XXX?)\b"
)
_TAKEN_KINDS = ("mitigation", "recovery", "resolution", "communication")
_RESOLVED_KINDS = ("recovery", "resolution")


def _marked(text: str) -> bool:
    return text.startswith(UNVERIFIED_MARK)


def is_resolved(report: IncidentReport, review: Review | None = None) -> bool:
    """The shipped, unmarked timeline shows recovery or resolution, and the extraction stated
    what ended the impact (a recovery step with the resolution left unknown is a partial one:
    "pods stable" while a backlog still drains). A stated resolution that failed the fact check
    still counts: the check withheld its wording, not the fact that the incident ended."""
    recovered = any(
        e.kind in _RESOLVED_KINDS and not _marked(e.description) for e in report.timeline
    )
    stated = report.resolution is not None or (
        review is not None and review.extracted.get("resolution", 0) > 0
    )
    return recovered and stated


class _Plain:
    """Scrubs plain-language text and refuses what no stakeholder should read."""

    def __init__(self, report: IncidentReport, transcript: Transcript) -> None:
        authors = transcript.participants
        people = report.participants or authors
        known = {p.lower() for p in people}
        mentioned = mentioned_people(m.text for m in transcript.messages)
        self.people = people + [n for n in mentioned if n.lower() not in known]
        self.bots = [a for a in authors if a.lower() not in known]

    def text(self, plain: str | None, *, marked: bool = False) -> str | None:
        if plain is None:
            return None
        mark, body = split_mark(plain)
        body = scrub_for_stakeholders(body, self.people, self.bots)
        if not body or _PLACEHOLDER.search(body) or first_person_singular(body):
            return None
        return (UNVERIFIED_MARK + " " if mark or marked else "") + body


def _zone(transcript: Transcript) -> str:
    zone = transcript.timezone or ""
    if zone[:1] in ("+", "-"):
        zone = f"UTC{zone}"
    return f" ({zone})" if zone else ""


def _opening(resolved: bool, parts: list[str]) -> str:
    first = "This is an update on a service incident."
    if not resolved:
        return first
    if not parts:
        return f"{first} It has been resolved."
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"{first} It has been resolved, and this note explains {listed}."


def _taken(entries: list[TimelineEntry], plain: _Plain) -> list[str]:
    found = []
    for entry in entries:
        if entry.kind not in _TAKEN_KINDS:
            continue
        text = plain.text(entry.plain, marked=_marked(entry.description))
        if text:
            found.append(f"{hhmm(entry.time)}: {text}")
    return found


# A sentence that states how long the incident lasted, by its window ("from 09:14 to 09:22").
_STATES_WINDOW = re.compile(r"\bfrom[ \t]++\d{1,2}:\d{2}\b[^.\n]{0,40}?\bto[ \t]++\d{1,2}:\d{2}\b")


def stakeholder_context(
    report: IncidentReport, transcript: Transcript, review: Review | None
) -> dict[str, Any]:
    """Everything the stakeholder template prints (a failed section is simply left out of an
    email; `review` only tells whether a resolution was stated at all)."""
    plain = _Plain(report, transcript)
    resolved = is_resolved(report, review)
    summary = [t for s in report.summary.plain if (t := plain.text(s.text))]
    impact = [t for s in report.impact if (t := plain.text(s.plain, marked=_marked(s.text)))]
    window = impact_window(report, transcript)
    if (
        window is not None
        and not (_marked(window.start.description) or _marked(window.end.description))
        and not any(_STATES_WINDOW.search(t) for t in summary)
    ):  # one window per email: a summary that already says how long it lasted keeps its own
        impact.append(
            f"The impact lasted about {window.minutes} minutes, from {hhmm(window.start.time)} "
            f"to {hhmm(window.end.time)}{_zone(transcript)}."
        )
    taken = _taken(sorted_timeline(report, transcript), plain)
    if not taken and report.resolution is not None:
        fix = plain.text(report.resolution.plain, marked=_marked(report.resolution.text))
        taken = [fix] if fix else []
    next_steps = [
        t for a in report.action_items if (t := plain.text(a.plain, marked=_marked(a.description)))
    ]
    questions = [t for q in report.open_questions if (t := plain.text(q))]
    parts = [
        label
        for label, present in (
            ("what happened", summary),
            ("how customers were affected", impact),
            ("what was done", taken),
            ("what happens next", next_steps),
        )
        if present
    ]
    title = plain.text(report.plain_title) if report.plain_title else None
    return {
        "status_word": "Resolved" if resolved else "Update",
        "title": title or "service incident",
        "opening": _opening(resolved, parts),
        "summary": " ".join(summary),
        "impact": impact,
        "actions_taken": taken,
        "next_steps": next_steps,
        "open_questions": questions,
    }
