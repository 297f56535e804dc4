"""The stakeholder email: plain language, written only from the fields meant for stakeholders.

What it prints: `plain_title` (the subject: what users saw), `summary.plain`, and the `plain`
field of impact statements, the resolution, timeline entries and action items. A null `plain`
means "not for stakeholders" and is never replaced by the engineering wording. Status words come
from typed facts: "Resolved" only when the timeline shows recovery or resolution and the
extraction states what ended the impact and none of its own words (plain, or engineering from
the first recovery on) say the incident is still open; never "ongoing" (an absent recovery entry
is not evidence that users are still affected); a plain sentence that states the other status,
or "ongoing", is left out. No citations, no placeholders, no sentence written as
one person, no chat debris; every string goes through `scrub_for_stakeholders`. A section with
nothing verified to say is left out.
"""

from __future__ import annotations

import re
from typing import Any

from app.models import IncidentReport, TimelineEntry, Transcript, hhmm
from app.render.engineering import split_mark
from app.render.prose import clean_text, first_person_singular
from app.render.review import UNVERIFIED_MARK, Review
from app.render.scrub import (
    chat_people,
    internal_names,
    mentioned_people,
    scrub_for_stakeholders,
)
from app.render.timing import impact_window, sorted_timeline

# Unfilled template slots: "[X]", "[Your Name]", "{{count}}", "<insert date>", TBD, TODO.
_PLACEHOLDER = re.compile(
    r"\[(?!REDACTED)[^\]\n]{1,40}+\]|\{\{|<[A-Za-z][^<>\n]{0,40}+>|\b(?:TBD|TODO|TBC|XXX?)\b"
)
_TAKEN_KINDS = ("mitigation", "recovery", "resolution", "communication")
# What a sentence says about the incident's state. The email states it once, from typed facts
# (`is_resolved`), and never calls it ongoing (an absent recovery entry is no evidence that
# users are still affected, and a chat that stops is not a live incident). A plain sentence
# that says "ongoing", "still in progress" or "not yet fixed", or says "resolved" in an email
# that cannot say so, is left out, so the email never contradicts itself or the chat.
_SAYS_ONGOING = re.compile(
    r"\b(?:ongoing|still[ \t]++(?:under[ \t]?+way|in[ \t]++progress|happening|going[ \t]++on)"
    r"|not[ \t]++yet[ \t]++(?:resolved|fixed|restored))\b",
    re.IGNORECASE,
)
# The incident's own state, said in any wording (plain or engineering): "still open", "remains
# unresolved", "not declared resolved", "the outage is still active".
_STILL_OPEN = re.compile(
    r"\b(?:still[ \t]++(?:ongoing|open|unresolved)"
    r"|remains?+[ \t]++(?:open|unresolved|ongoing)"
    r"|not[ \t]++(?:yet[ \t]++)?+(?:declared|marked|called|considered)[ \t]++"
    r"(?:resolved|closed|over)"
    r"|(?:incident|outage)[ \t]++(?:is|was)[ \t]++(?:still[ \t]++)?+"
    r"(?:ongoing|open|active|unresolved))\b",
    re.IGNORECASE,
)
# An open question that asks when service will be back ("When will logins be restored?", "how
# long until the backlog is drained?"): the extraction itself holds that the impact goes on. A
# question about the past ("When was it restored?") or about a fix ("When will the bug be
# fixed?") says nothing of the incident's state.
_ASKS_WHEN_BACK = re.compile(
    r"\b(?:when[ \t]++(?:will|would|does|do|can|is|are)|how[ \t]++long[ \t]++(?:until|before)"
    r"|ETA[ \t]++for)\b[^?\n]{0,80}?\b(?:restored|resolved|recover(?:s|ed|y)?+|drained"
    r"|caught[ \t]++up|back[ \t]++(?:up|online|to[ \t]++normal)|return[ \t]++to[ \t]++normal)\b",
    re.IGNORECASE,
)
_SAYS_RESOLVED = re.compile(r"(?<!\w)resolved\b", re.IGNORECASE)
_SAYS_EITHER = re.compile(
    f"{_SAYS_ONGOING.pattern}|{_STILL_OPEN.pattern}|{_SAYS_RESOLVED.pattern}", re.IGNORECASE
)
_SAYS_GOES_ON = re.compile(f"{_SAYS_ONGOING.pattern}|{_STILL_OPEN.pattern}", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])[ \t]++(?=[\"“(A-Z0-9])")
_RESOLVED_KINDS = ("recovery", "resolution")


def _marked(text: str) -> bool:
    return text.startswith(UNVERIFIED_MARK)


def is_resolved(
    report: IncidentReport, review: Review | None = None, transcript: Transcript | None = None
) -> bool:
    """The shipped, unmarked timeline shows recovery or resolution (a chat without times has
    no timeline: there its stated, unmarked resolution is the recovery), the extraction stated
    what ended the impact (a recovery step with the resolution left unknown is a partial one:
    "pods stable" while a backlog still drains), and its own words do not say the incident
    goes on (`_says_still_going`). A stated resolution that failed the fact check
    still counts: the check withheld its wording, not the fact that the incident ended."""
    recovered = any(
        e.kind in _RESOLVED_KINDS and not _marked(e.description) for e in report.timeline
    ) or (  # a chat that states no time has no timeline: its stated resolution is the recovery
        transcript is not None
        and not report.timeline
        and report.resolution is not None
        and not _marked(report.resolution.text)
        and all(m.time is None for m in transcript.messages)
    )
    stated = report.resolution is not None or (
        review is not None and review.extracted.get("resolution", 0) > 0
    )
    timeline = report.timeline if transcript is None else sorted_timeline(report, transcript)
    return recovered and stated and not _says_still_going(report, timeline)


def _says_still_going(report: IncidentReport, timeline: list[TimelineEntry]) -> bool:
    """The extraction's own words say the incident goes on: its plain wording anywhere ("the
    incident was still ongoing at the last update", "a fix is not yet in place"), or its
    engineering wording of the resolution, the technical summary or a timeline step from the
    first recovery on ("handover: lag dropping, incident not declared resolved"; a status
    before any recovery said so only then), or an open question asks when service will be
    back. A typed recovery next to it is a partial one, so the email is no "Resolved" one."""
    plain = [
        *(s.text for s in report.summary.plain),
        *(i.plain for i in report.impact),
        *(e.plain for e in report.timeline),
        report.resolution.plain if report.resolution else None,
        report.plain_title,
    ]
    if any(_SAYS_GOES_ON.search(t) for t in plain if t):
        return True
    first = next((n for n, e in enumerate(timeline) if e.kind in _RESOLVED_KINDS), None)
    later = [] if first is None else timeline[first:]
    engineering = [
        *(s.text for s in report.summary.technical),
        *(e.description for e in later),
        report.resolution.text if report.resolution else None,
    ]
    return any(_STILL_OPEN.search(t) for t in engineering if t) or any(
        _ASKS_WHEN_BACK.search(q) for q in report.open_questions
    )


class _Plain:
    """Scrubs plain-language text and refuses what no stakeholder should read."""

    def __init__(self, report: IncidentReport, transcript: Transcript, resolved: bool) -> None:
        authors = transcript.participants
        people = report.participants or authors
        known = {p.lower() for p in people}
        texts = [m.text for m in transcript.messages]
        owners = [a.owner for a in report.action_items if a.owner]
        named = [*mentioned_people(texts), *chat_people(texts), *owners]
        self.people = people + list(dict.fromkeys(n for n in named if n.lower() not in known))
        self.bots = [a for a in authors if a.lower() not in known]
        self.internal = internal_names(texts)
        self.contrary = _SAYS_GOES_ON if resolved else _SAYS_EITHER

    def _consistent(self, text: str) -> str:
        """`text` without the sentences that say the incident is in the other state."""
        sentences = _SENTENCE.split(text)
        return " ".join(s for s in sentences if not self.contrary.search(s))

    def text(self, plain: str | None, *, marked: bool = False) -> str | None:
        if plain is None:
            return None
        mark, body = split_mark(plain)
        body = scrub_for_stakeholders(self._consistent(body), self.people, self.bots, self.internal)
        if not body or _PLACEHOLDER.search(body) or first_person_singular(body):
            return None
        return (UNVERIFIED_MARK + " " if mark or marked else "") + body

    def question(self, question: str) -> str | None:
        """An open question is the extraction's engineering wording, not written for
        stakeholders: the email asks it only when it is already plain (nothing to scrub)."""
        body = clean_text(question)
        text = self.text(body)
        return text if text == body else None


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
    resolved = is_resolved(report, review, transcript)
    plain = _Plain(report, transcript, resolved)
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
    questions = [t for q in report.open_questions if (t := plain.question(q))]
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
