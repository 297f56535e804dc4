"""Render a verified incident report as a draft for one audience (Jinja2 Markdown templates).

`engineering.py` and `stakeholder.py` build each audience's context; the templates only lay it
out. The pipeline passes a `Review` (what verification did) so the draft can say which sections
lost content to the fact check instead of guessing from an empty section.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.models import Audience, Draft, IncidentReport, Transcript
from app.render.engineering import engineering_context
from app.render.review import Review
from app.render.stakeholder import stakeholder_context

_TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Markdown templates' environment (no autoescape: the output is Markdown, and chat
    text is made safe for it by `prose.inline_markdown` and `prose.table_cell`)."""
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_draft(
    report: IncidentReport,
    transcript: Transcript,
    audience: Audience,
    *,
    review: Review | None = None,
) -> Draft:
    """Render `report` for `audience`. `review` says what verification did (counts by status,
    sections that lost items, marks); without one the draft makes no statement about checks."""
    if audience == "engineering":
        context = engineering_context(report, transcript, review)
        template = "engineering.md.j2"
    else:
        context = stakeholder_context(report, transcript, review)
        template = "stakeholder.md.j2"
    text = environment().get_template(template).render(**context)
    return Draft(format="markdown", text=_tidy(text))


def _tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines."""
    tidy: list[str] = []
    for line in text.splitlines():
        if not line.strip() and tidy and not tidy[-1].strip():
            continue
        tidy.append(line.rstrip())
    return "\n".join(tidy).strip() + "\n"
