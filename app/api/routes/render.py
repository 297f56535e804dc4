"""POST /render: a draft you already have (edited or not) as a standalone HTML page, or the
timeline picture of its report, without running the pipeline again.

The review page uses it for the timeline picture of a draft and for the `.html` download of an
edited draft; a script can use it to publish a stored `DraftResult` on a wiki page. The report
is validated against the messages it cites, exactly as an extraction is.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.api.body import check_size, decode_text, parse_json_model, read_body
from app.api.deps import SettingsDep, StepsDep
from app.api.problems import problem_responses
from app.api.representations import SVG, choose
from app.api.uploads import unsupported
from app.errors import InvalidRequestError
from app.models import Audience, IncidentReport, Message, Transcript
from app.render.page import CONTENT_SECURITY_POLICY, draft_page, timeline_picture

router = APIRouter(tags=["drafts"])

_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept",
}


class RenderRequest(BaseModel):
    """Body of POST /render: the parts of a `DraftResult` a page needs."""

    model_config = ConfigDict(extra="forbid")

    draft: str = Field(
        default="",
        description="The draft's Markdown (`draft.text`, edited or not); needed for text/html.",
    )
    audience: Audience = Field(default="engineering", description="Whose draft it is.")
    incident: dict[str, Any] | None = Field(
        default=None,
        description="The report (`incident` of a DraftResult); needed for the timeline picture.",
    )
    messages: list[Message] = Field(
        default_factory=list,
        description="The messages the report cites (`messages` of the same DraftResult).",
    )


def _report(body: RenderRequest) -> tuple[IncidentReport, Transcript] | None:
    """The report, validated against the messages (ids 1..n in order, as ingest numbers them)."""
    if body.incident is None:
        return None
    for position, message in enumerate(body.messages, start=1):
        if message.id != position:
            raise InvalidRequestError(
                f"messages[{position - 1}] has id {message.id}; ids must run 1, 2, 3, ... in order",
                hint="send `messages` exactly as the DraftResult holds them",
                field="messages",
            )
    transcript = Transcript(format="parsed", messages=body.messages)
    try:
        report = IncidentReport.model_validate(body.incident, context={"transcript": transcript})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "incident"
        raise InvalidRequestError(
            f"the incident does not fit its messages: {where}: {first['msg']}",
            hint="send `incident` and `messages` from the same DraftResult",
            field="incident",
        ) from None
    return report, transcript


@router.post(
    "/render",
    summary="Render a draft as a standalone HTML page, or its timeline picture",
    description=(
        "Send JSON (`RenderRequest`): the draft's Markdown, its audience, and (for the picture) "
        "its `incident` and `messages`. `Accept: text/html` (default) gives the standalone page "
        "`POST /draft` gives, for this text; `Accept: image/svg+xml` gives the timeline picture. "
        "No extraction and no LLM call."
    ),
    response_class=HTMLResponse,
    responses={
        200: {"content": {SVG: {"schema": {"type": "string"}}}},
        **problem_responses(
            {
                400: "Malformed body (not UTF-8, not JSON)",
                413: "Body or draft too large",
                415: "Body is not JSON",
                422: "Invalid field, a report that does not fit its messages, or nothing to render",
                503: "The CPU deadline passed (PM_CPU_DEADLINE)",
            }
        ),
    },
)
async def post_render(request: Request, settings: SettingsDep, steps: StepsDep) -> Response:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/json", ""):
        raise unsupported(kind)
    cap = settings.max_upload_bytes
    body = parse_json_model(decode_text(await read_body(request, cap)), RenderRequest)
    check_size(body.draft, settings.max_draft_chars, "draft", "PM_MAX_DRAFT_CHARS")
    found = _report(body)
    if choose(request.headers.get("accept", "")) == SVG:
        if found is None:
            raise InvalidRequestError(
                "the timeline picture needs the report",
                hint="send `incident` and `messages` from the DraftResult",
                field="incident",
            )
        report, transcript = found
        picture = await steps.run(
            "drawing the timeline", timeline_picture, report, transcript.messages
        )
        return Response(picture, media_type="image/svg+xml", headers=_HEADERS)
    if not body.draft.strip():
        raise InvalidRequestError(
            "the page needs the draft's text", hint="send the Markdown in `draft`", field="draft"
        )
    page = await steps.run(
        "rendering the page",
        draft_page,
        body.draft,
        found[0] if found else None,
        body.messages,
        body.audience,
    )
    return HTMLResponse(page, headers=_HEADERS)
