"""Build the template context for each audience and render it.

Every fact line ends with its citation (`[m3, m7]`). The stakeholder draft goes through
`scrub_for_stakeholders`, so it names no individuals and shows no hosts, error classes or secrets.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.models import (
    Audience,
    Draft,
    IncidentReport,
    Statement,
    SummarySentence,
    Transcript,
    hhmm,
)
from app.render.scrub import scrub_for_stakeholders
from app.render.timing import ImpactWindow, impact_window, sorted_timeline

_TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def cite(evidence: list[int]) -> str:
    """Citation marker for a list of message ids: `[m3, m7]`."""
    return "[" + ", ".join(f"m{i}" for i in evidence) + "]"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


class _Formatter:
    """Formats facts for one audience (stakeholder text is scrubbed of names and internals)."""

    def __init__(self, audience: Audience, participants: list[str]) -> None:
        self.audience = audience
        self.participants = participants

    def words(self, text: str) -> str:
        text = _one_line(text)
        if self.audience == "stakeholder":
            text = scrub_for_stakeholders(text, self.participants)
        return text

    def fact(self, text: str, evidence: list[int]) -> str:
        return f"{self.words(text)} {cite(evidence)}"

    def statement(self, statement: Statement | None) -> str | None:
        return None if statement is None else self.fact(statement.text, statement.evidence)

    def sentences(self, sentences: list[SummarySentence]) -> str:
        """A paragraph of sentences, each followed by its own citation."""
        return " ".join(self.fact(s.text, s.evidence) for s in sentences)


def _window_context(window: ImpactWindow | None) -> dict[str, Any] | None:
    if window is None:
        return None
    evidence = list(dict.fromkeys(window.start.evidence + window.end.evidence))
    return {
        "start_time": hhmm(window.start.time),
        "end_time": hhmm(window.end.time),
        "minutes": window.minutes,
        "cite": cite(evidence),
    }


def _date_text(transcript: Transcript) -> str:
    if transcript.date is None:
        return "not stated in the chat (see open questions)"
    zone = transcript.timezone or ""
    if zone[:1] in ("+", "-"):
        zone = f"UTC{zone}"  # a fixed offset, not a clock time
    zone = f" ({zone})" if zone else ""
    return f"{transcript.date.isoformat()}{zone}"


def _engineering_context(
    report: IncidentReport, transcript: Transcript, fmt: _Formatter, notes: list[str]
) -> dict[str, Any]:
    timeline = [
        {
            "time": hhmm(entry.time),
            "event": _cell(fmt.words(entry.description)),
            "source": ", ".join(f"m{i}" for i in entry.evidence),
        }
        for entry in sorted_timeline(report, transcript)
    ]
    actions = [
        {
            "owner": item.owner or "_unassigned_",
            "item": _cell(fmt.words(item.description)),
            "source": ", ".join(f"m{i}" for i in item.evidence),
        }
        for item in report.action_items
    ]
    return {
        "title": _one_line(report.title),
        "date_text": _date_text(transcript),
        "window": _window_context(impact_window(report, transcript)),
        "participants": ", ".join(report.participants),
        "summary": fmt.sentences(report.summary.technical),
        "impact": [fmt.fact(s.text, s.evidence) for s in report.impact],
        "detection": fmt.statement(report.detection),
        "root_cause": fmt.statement(report.root_cause),
        "contributing": [fmt.fact(s.text, s.evidence) for s in report.contributing_factors],
        "resolution": fmt.statement(report.resolution),
        "timeline": timeline,
        "actions": actions,
        "open_questions": [_one_line(q) for q in report.open_questions],
        "notes": notes,
    }


def _stakeholder_context(
    report: IncidentReport, transcript: Transcript, fmt: _Formatter
) -> dict[str, Any]:
    """Only the plain-language fields: an item whose `plain` is null is not for stakeholders."""
    resolved = any(e.kind in ("recovery", "resolution") for e in report.timeline) or (
        report.resolution is not None
    )
    taken = [
        fmt.fact(e.plain, e.evidence)
        for e in sorted_timeline(report, transcript)
        if e.plain and e.kind in ("mitigation", "recovery", "resolution", "communication")
    ]
    if not taken and report.resolution is not None and report.resolution.plain:
        taken = [fmt.fact(report.resolution.plain, report.resolution.evidence)]
    opening = (
        "This is an update on a service incident. It has been resolved, and this note explains "
        "what happened and what we are doing to prevent it from happening again."
        if resolved
        else "This is an update on an ongoing service incident."
    )
    return {
        "status_word": "Resolved" if resolved else "Update",
        "title": fmt.words(report.plain_title or report.title),
        "opening": opening,
        "summary": fmt.sentences(report.summary.plain),
        "impact": [fmt.fact(s.plain, s.evidence) for s in report.impact if s.plain],
        "window": _window_context(impact_window(report, transcript)),
        "actions_taken": taken,
        "next_steps": [fmt.fact(a.plain, a.evidence) for a in report.action_items if a.plain],
        "open_questions": [fmt.words(q) for q in report.open_questions],
    }


def render_draft(
    report: IncidentReport,
    transcript: Transcript,
    audience: Audience,
    *,
    notes: list[str] | None = None,
) -> Draft:
    """Render `report` for `audience`; `notes` go to the engineering draft's last section."""
    fmt = _Formatter(audience, report.participants or transcript.participants)
    if audience == "engineering":
        context = _engineering_context(report, transcript, fmt, notes or [])
        template = "engineering.md.j2"
    else:
        context = _stakeholder_context(report, transcript, fmt)
        template = "stakeholder.md.j2"
    text = _environment().get_template(template).render(**context)
    return Draft(format="markdown", text=_tidy(text))


def _tidy(text: str) -> str:
    lines = text.splitlines()
    tidy: list[str] = []
    for line in lines:
        if not line.strip() and tidy and not tidy[-1].strip():
            continue
        tidy.append(line.rstrip())
    return "\n".join(tidy).strip() + "\n"
