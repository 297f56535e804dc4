"""The engineering postmortem: blameless, third person, every fact cited.

Sections follow the order postmortems are read in: summary, impact, detection, timeline, root
cause (with contributing factors), resolution, action items, open questions, and notes on the
draft itself (verification counts, what was left out or marked, redactions).

Text the engine copied from the chat, or wrote in the chat's first person, is shown as a quote
with the time it was posted; everything else is the draft's own third-person statement of a
typed fact. A section is never filled with a claim about the chat: when its content failed the
fact check it says so; when the extraction found nothing it shows the extraction's own open
question on the topic, or is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.models import IncidentReport, Statement, SummarySentence, Transcript, hhmm
from app.render.prose import (
    as_quote,
    clean_text,
    first_person,
    inline_markdown,
    posted_at,
    printed_text,
    quoted_from,
    speaks_as_chat,
    split_label,
    table_cell,
    third_person,
)
from app.render.review import SECTIONS, UNVERIFIED_MARK, Review, count_items
from app.render.timing import ImpactWindow, impact_window, sorted_timeline

# Which open questions are about which section (the extraction's own words decide).
_TOPICS: dict[str, re.Pattern[str]] = {
    "impact": re.compile(
        r"\b(?:impact|affect|customers?\b|users?\b|how many|revenue|orders?\b|requests?\b)", re.I
    ),
    "detection": re.compile(r"\b(?:detect|notic|alert|paged?\b|discover|first report)", re.I),
    "root_cause": re.compile(r"\b(?:cause|why\b|root\b|trigger)", re.I),
    "resolution": re.compile(r"\b(?:resol|fix|recover|mitigat|restor)", re.I),
    "action_items": re.compile(r"\b(?:follow[- ]up|action items?\b|owner|prevent|who will)", re.I),
    "date": re.compile(r"\b(?:date|day)\b", re.I),
}


def cite(evidence: list[int]) -> str:
    """Citation marker for a list of message ids: `[m3, m7]`."""
    return "[" + ", ".join(f"m{i}" for i in evidence) + "]"


def sources(evidence: list[int]) -> str:
    """A table's Source cell: `m3, m7`."""
    return ", ".join(f"m{i}" for i in evidence)


def split_mark(text: str) -> tuple[str, str]:
    """The "(unverified) " mark of a kept failed claim, and the text after it."""
    if text.startswith(UNVERIFIED_MARK):
        return UNVERIFIED_MARK + " ", text[len(UNVERIFIED_MARK) :].lstrip()
    return "", text


@dataclass
class Section:
    """One section of the draft, as the template lays it out."""

    heading: str
    level: int = 2
    note: str | None = None
    paragraph: str | None = None
    bullets: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


class _Writer:
    """Turns report items into the draft's sentences, quoting the chat's own voice."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def words(self, text: str, evidence: list[int], *, timed: bool = True) -> str:
        """The item's text: the chat's voice as a quote, preceded by the time it was posted
        ("At 09:17: “I merged …”"; a label stays outside: "Root cause (at 09:17): “…”");
        otherwise the text itself, as the draft's own third-person statement."""
        mark, body = split_mark(clean_text(text))
        label, rest = split_label(body)
        source = speaks_as_chat(rest, evidence, self.transcript)
        if source is None:
            return mark + inline_markdown(third_person(body))
        if first_person(label):
            if quoted_from(body, evidence, self.transcript) is None:
                # "My mistake: <copied text>": the label is the draft's, so restated outside
                label = third_person(label)
            else:  # "Correction on my numbers: ...": the label is the chat's words too
                label, rest = "", body
        # The time goes before the quote: a parenthesis after it would start the next sentence.
        when = posted_at(source, self.transcript) if timed else None
        lead = label.rstrip(": ")
        if when:
            lead = f"{lead} (at {when})" if lead else f"At {when}"
        quoted = f"{lead}: {as_quote(rest)}" if lead else as_quote(rest)
        return mark + inline_markdown(quoted)

    def fact(self, text: str, evidence: list[int], *, timed: bool = True) -> str:
        return f"{self.words(text, evidence, timed=timed)} {cite(evidence)}"

    def statement(self, statement: Statement | None) -> str | None:
        return None if statement is None else self.fact(statement.text, statement.evidence)

    def sentences(self, sentences: list[SummarySentence]) -> str:
        """A summary paragraph: quotes without times (the timeline gives them), each sentence
        with its own citation."""
        return " ".join(self.fact(s.text, s.evidence, timed=False) for s in sentences)

    def cell(self, text: str, evidence: list[int], *, copied: bool = True) -> str:
        """A table cell: the chat's voice in quotes (the row has its own time and source).
        `copied`: text copied word for word is the chat's voice (timeline events); an action
        item copied from a list is a task, quoted only when written as "I"/"we". First-person
        text no cited message says is restated in the third person, never quoted."""
        mark, body = split_mark(clean_text(text))
        said = speaks_as_chat(body, evidence, self.transcript) is not None
        chat = said and (copied or first_person(body))
        return table_cell(mark + (as_quote(body) if chat else third_person(body)))


def _lost_note(review: Review | None, section: str) -> str | None:
    """The in-place mark of a section whose every item failed the fact check."""
    if review is None or not review.all_lost(section):
        return None
    count = review.lost(section)
    singular, plural = SECTIONS[section]
    what = f"the drafted {singular}" if count == 1 else f"the {count} drafted {plural}"
    verb = "is" if count == 1 else "are"
    return (
        f"_Not confirmed: {what} failed the fact check and {verb} left out "
        "(see Notes on this draft)._"
    )


def _questions_on(topic: str, questions: list[str]) -> list[str]:
    pattern = _TOPICS.get(topic)
    if pattern is None:
        return []
    return [f"Open question: {q}" for q in questions if pattern.search(q)]


def _date_text(transcript: Transcript, questions: list[str]) -> str | None:
    if transcript.date is None:
        if any(_TOPICS["date"].search(q) for q in questions):
            return "not stated in the chat (see open questions)"
        return None
    zone = transcript.timezone or ""
    if zone[:1] in ("+", "-"):
        zone = f"UTC{zone}"  # a fixed offset, not a clock time
    zone = f" ({zone})" if zone else ""
    return f"{transcript.date.isoformat()}{zone}"


def window_context(window: ImpactWindow | None) -> dict[str, Any] | None:
    if window is None:
        return None
    evidence = list(dict.fromkeys(window.start.evidence + window.end.evidence))
    return {
        "start_time": hhmm(window.start.time),
        "end_time": hhmm(window.end.time),
        "minutes": window.minutes,
        "cite": cite(evidence),
    }


def _statement_section(
    heading: str,
    name: str,
    content: str | None,
    review: Review | None,
    questions: list[str],
) -> Section | None:
    """A one-statement section: its fact, the mark of a failed one, or the open question."""
    if content is not None:
        return Section(heading, paragraph=content)
    note = _lost_note(review, name)
    asked = _questions_on(name, questions)
    if note is None and not asked:
        return None
    return Section(heading, note=note, bullets=asked)


def _list_section(
    heading: str,
    name: str,
    bullets: list[str],
    review: Review | None,
    questions: list[str],
    level: int = 2,
) -> Section | None:
    if bullets:
        return Section(heading, level=level, bullets=bullets)
    note = _lost_note(review, name)
    asked = _questions_on(name, questions)
    if note is None and not asked:
        return None
    return Section(heading, level=level, note=note, bullets=asked)


def _notes(review: Review | None) -> list[str]:
    if review is None:
        return []
    notes = [f"**Verification:** {review.status_line()}"]
    unconfirmed = review.status_counts.get("unconfirmed", 0)
    if unconfirmed:
        notes.append(
            f"**Unconfirmed:** nothing in the chat contradicts the {unconfirmed} unconfirmed "
            "claim(s), but the checker's rules could not confirm them; they are shown as drafted."
        )
    # The plain-language summary belongs to the email, not to this draft.
    withheld = {s: n for s, n in review.withheld.items() if s != "summary.plain"}
    if withheld:
        parts = [count_items(s, n) for s, n in withheld.items()]
        listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        notes.append(
            f"**Left out:** {listed} failed the fact check and are not shown; `verification` "
            "in the JSON answer gives each verdict and its reason."
        )
    marked = sum(n for s, n in review.marked.items() if s != "summary.plain")
    if marked:
        notes.append(
            f"**Marked:** {marked} item(s) starting with {UNVERIFIED_MARK} failed "
            "the fact check and are kept for review, as asked (keep_unverified)."
        )
    if review.redactions:
        notes.append(
            f"**Redactions:** {review.redactions} secret(s) pasted in the chat were redacted."
        )
    return notes


def engineering_context(
    report: IncidentReport, transcript: Transcript, review: Review | None
) -> dict[str, Any]:
    """Everything the engineering template prints."""
    write = _Writer(transcript)
    # A question cites no message, so it is never a quote: the draft asks it in its own voice.
    questions = [inline_markdown(third_person(clean_text(q))) for q in report.open_questions]
    timeline = Section(
        "Timeline",
        header=["Time", "Event", "Source"],
        rows=[
            [hhmm(e.time), write.cell(e.description, e.evidence), sources(e.evidence)]
            for e in sorted_timeline(report, transcript)
        ],
    )
    actions = Section(
        "Action items",
        header=["Owner", "Item", "Source"],
        rows=[
            [
                table_cell(a.owner) if a.owner else "_unassigned_",
                write.cell(a.description, a.evidence, copied=False),
                sources(a.evidence),
            ]
            for a in report.action_items
        ],
    )
    summary = write.sentences(report.summary.technical)
    root_cause = _statement_section(
        "Root cause", "root_cause", write.statement(report.root_cause), review, questions
    )
    sections = [
        Section("Summary", paragraph=summary)
        if summary
        else _statement_section("Summary", "summary.technical", None, review, []),
        _list_section(
            "Impact",
            "impact",
            [write.fact(s.text, s.evidence) for s in report.impact],
            review,
            questions,
        ),
        _statement_section(
            "Detection", "detection", write.statement(report.detection), review, questions
        ),
        timeline if timeline.rows else _list_section("Timeline", "timeline", [], review, []),
        root_cause,
        _list_section(
            "Contributing factors",
            "contributing_factors",
            [write.fact(s.text, s.evidence) for s in report.contributing_factors],
            review,
            [],
            level=3 if root_cause is not None else 2,
        ),
        _statement_section(
            "Resolution", "resolution", write.statement(report.resolution), review, questions
        ),
        actions if actions.rows else _list_section("Action items", "action_items", [], review, []),
        Section("Open questions", bullets=questions or ["None recorded."]),
    ]
    notes = _notes(review)
    if notes:
        sections.append(Section("Notes on this draft", bullets=notes))
    return {
        "title": printed_text(report.title),
        "date_text": _date_text(transcript, questions),
        "window": window_context(impact_window(report, transcript)),
        "participants": ", ".join(report.participants),
        "sections": [s for s in sections if s is not None],
    }
