"""A draft as a standalone HTML page: the Markdown rendered (CommonMark and tables, by
markdown-it-py), the timeline picture inline after the Timeline heading, inline styles only.

Safety: the Markdown is rendered with raw HTML off, and links, images and autolinks disabled,
so no string from the chat can add markup, a script, a link target or an external asset; the
page's own Content-Security-Policy forbids every external load as a second line of defence. The
only raw markup inserted is the SVG this package draws, whose text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from app.models import Audience, IncidentReport, Message, Transcript
from app.render.draft import _TEMPLATES
from app.render.timeline_svg import timeline_svg

# No external load of any kind; inline styles only (the SVG carries its own <style>).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
_CAPTION = (
    "Timeline picture: one mark per timeline entry (its shape and label name its kind); "
    "dashed lines mark detection, mitigation and recovery; the hatched band is the impact window."
)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """CommonMark plus tables; a line break is kept (the draft's header lines are one per
    line, and no paragraph of a draft is wrapped)."""
    return (
        MarkdownIt(
            "commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True}
        )
        .enable("table")
        .disable(["link", "image", "autolink"])
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(_TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _transcript(messages: Sequence[Message]) -> Transcript:
    return Transcript(format="parsed", messages=list(messages))


def timeline_picture(report: IncidentReport, messages: Sequence[Message]) -> str:
    """The timeline SVG of a drafted report, from the messages the draft cites."""
    return timeline_svg(report, _transcript(messages))


def markdown_to_html(markdown: str, *, svg: str | None = None) -> str:
    """Rendered Markdown; `svg` goes in a figure right after the "Timeline" heading."""
    md = _markdown()
    tokens = md.parse(markdown)
    if svg is not None:
        for index, token in enumerate(tokens):
            if (
                token.type == "heading_open"
                and token.tag == "h2"
                and index + 2 < len(tokens)
                and tokens[index + 1].content.strip() == "Timeline"
            ):
                figure = Token("html_block", "", 0)
                figure.content = (
                    f'<figure class="timeline">{svg}<figcaption>{_CAPTION}</figcaption></figure>\n'
                )
                tokens.insert(index + 3, figure)
                break
    html: str = md.renderer.render(tokens, md.options, {})
    return html


def _page_title(markdown: str) -> str:
    first = markdown.lstrip().split("\n", 1)[0]
    for prefix in ("# ", "Subject: "):
        if first.startswith(prefix):
            return first[len(prefix) :].strip()
    return first.strip() or "Postmortem draft"


def draft_page(
    markdown: str,
    report: IncidentReport | None,
    messages: Sequence[Message],
    audience: Audience,
) -> str:
    """The draft as one self-contained HTML document (the engineering draft with its timeline
    picture, when the report is given; the stakeholder email as it reads)."""
    svg = None
    if audience == "engineering" and report is not None and report.timeline:
        svg = timeline_picture(report, messages)
    body = markdown_to_html(markdown, svg=svg)
    template = _environment().get_template("page.html.j2")
    return template.render(
        title=_page_title(markdown),
        audience=audience,
        body=Markup(body),  # rendered with raw HTML disabled, see the module docstring
        policy=CONTENT_SECURITY_POLICY,
    )
