"""POST /draft: a transcript in (JSON, plain text, or an uploaded file/ZIP), a verified draft for
one audience out."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

from app.api.body import (
    TranscriptField,
    check_size,
    decode_json,
    decode_text,
    media_type,
    off_the_loop_if_large,
    parse_json_model,
    read_body,
    read_form,
    validate_fields,
)
from app.api.deps import EnginesDep, SettingsDep, StepsDep
from app.api.problems import problem_responses
from app.api.representations import DRAFT_CONTENT, JSON, MARKDOWN, choose, draft_response
from app.api.uploads import (
    TEXT_TYPES,
    WindowFields,
    body_cap,
    form_source,
    multipart_schema,
    text_source,
    unsupported,
)
from app.config import Settings
from app.ingest.upload import Upload
from app.metrics import count_verification
from app.models import Audience
from app.pipeline import DraftOptions, DraftResult, create_draft, create_draft_json

router = APIRouter(tags=["drafts"])

MAX_KEEP_ITEMS = 500
# A report item's path as the checker names it ('summary.plain[1]', 'timeline[12]', 'root_cause').
_ITEM_PATH = re.compile(
    r"summary\.(?:technical|plain)\[[0-9]{1,4}\]|plain_title|(?:(?:impact|timeline"
    r"|contributing_factors|action_items)\[[0-9]{1,4}\]|detection|root_cause|resolution)"
    r"(?:\.plain)?"
)


def _split_commas(value: Any) -> Any:
    """A query or form field carries the list as 'timeline[3],root_cause'."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _item_path(value: str) -> str:
    if not _ITEM_PATH.fullmatch(value):
        raise ValueError(
            f"{value[:60]!r} names no report item; use a verdict's `item`, e.g. 'timeline[3]', "
            "'action_items[0].plain', 'summary.technical[1]' or 'root_cause'"
        )
    return value


KeepItems = Annotated[
    list[Annotated[str, AfterValidator(_item_path)]], BeforeValidator(_split_commas)
]


class DraftFields(WindowFields):
    """The options of a draft, whatever the body's content type."""

    audience: Audience = Field(
        default="engineering",
        description="engineering: blameless technical postmortem; stakeholder: plain-language "
        "email with no names, hostnames or error classes.",
    )
    engine: Literal["extractive", "llm"] | None = Field(
        default=None,
        description="extractive (offline rules) or llm; default llm when an LLM is configured.",
    )
    format: str | None = Field(
        default=None, description="Transcript format; auto-detected when omitted."
    )
    date: dt.date | None = Field(
        default=None, description="Date (YYYY-MM-DD) for formats whose lines carry no date."
    )
    timezone: str | None = Field(
        default=None, description="IANA time zone of the transcript's times, e.g. Europe/Berlin."
    )
    keep_unverified: bool = Field(
        default=False,
        description="Keep claims that fail verification, marked (unverified), instead of "
        "dropping them.",
    )
    keep_items: KeepItems = Field(
        default_factory=list,
        max_length=MAX_KEEP_ITEMS,
        description="Report fields to keep, marked (unverified), though they failed verification "
        "(keep_unverified for the fields named): their paths as `verification.claims[].item` "
        "names them, e.g. ['timeline[3]', 'impact[0].plain', 'root_cause']; comma-separated in "
        "a query or form.",
    )

    def options(self) -> DraftOptions:
        return DraftOptions(
            audience=self.audience,
            engine=self.engine,
            format=self.format,
            date=self.date,
            timezone=self.timezone,
            keep_unverified=self.keep_unverified,
            keep_items=self.keep_items,
        )


class DraftRequest(DraftFields):
    """Body of POST /draft (JSON)."""

    model_config = ConfigDict(extra="forbid")

    transcript: TranscriptField


class DraftForm(DraftFields):
    """Fields of a multipart POST /draft beside the `file` part."""

    model_config = ConfigDict(extra="forbid")

    transcript: str | None = Field(default=None, description="The chat as text (no file).")


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DraftRequest.model_json_schema()},
            "text/plain": {
                "schema": {"type": "string", "description": "The raw transcript."},
            },
            "multipart/form-data": {"schema": multipart_schema(DraftForm, "draft")},
        },
    }
}


@router.post(
    "/draft",
    response_model=DraftResult,
    summary="Draft a postmortem from an incident chat",
    description=(
        "Send JSON (`DraftRequest`), the raw transcript as `text/plain` with the options as "
        "query parameters, or upload a file (chat text, export JSON/JSONL, or a ZIP such as a "
        "Slack workspace export) as `multipart/form-data` with the options as form fields. "
        "`Accept` picks the answer: JSON (default), `text/markdown` (the draft alone), "
        "`text/html` (a standalone page; engineering drafts embed the timeline picture) or "
        "`image/svg+xml` (the timeline picture)."
    ),
    responses={
        200: {"content": DRAFT_CONTENT},
        **problem_responses(
            {
                400: "Malformed body (not UTF-8, not JSON, broken multipart)",
                413: "Body, file, archive or transcript too large",
                415: "Body is not JSON, plain text or multipart/form-data",
                422: "Unrecognised transcript, unreadable upload or invalid field",
                429: "All LLM slots are in use (PM_LLM_MAX_CONCURRENCY); see Retry-After",
                502: "The LLM failed or answered invalid output",
                503: "LLM unavailable or not configured, or the CPU deadline passed "
                "(PM_CPU_DEADLINE)",
                504: "LLM timed out",
            }
        ),
    },
    openapi_extra=_BODY_DOC,
)
async def post_draft(
    request: Request,
    engines: EnginesDep,
    settings: SettingsDep,
    steps: StepsDep,
    audience: Annotated[Audience | None, Query(description="For text/plain bodies.")] = None,
    engine: Annotated[Literal["extractive", "llm"] | None, Query()] = None,
    format: Annotated[str | None, Query()] = None,
    date: Annotated[dt.date | None, Query()] = None,
    timezone: Annotated[str | None, Query()] = None,
    keep_unverified: Annotated[bool, Query()] = False,
    keep_items: Annotated[
        str | None, Query(description="Items to keep marked, comma-separated (see keep_items).")
    ] = None,
    channel: Annotated[str | None, Query(description="Export channel to read.")] = None,
    since: Annotated[str | None, Query(description="Keep export messages from then on.")] = None,
    until: Annotated[str | None, Query(description="Keep export messages up to then.")] = None,
) -> Response | DraftResult:
    query = draft_query(
        audience=audience,
        engine=engine,
        format=format,
        date=date,
        timezone=timezone,
        keep_unverified=keep_unverified,
        channel=channel,
        since=since,
        until=until,
        keep_items=keep_items,
    )
    source, options = await read_draft_input(request, settings, query)
    wanted = choose(request.headers.get("accept", ""))
    if wanted not in (JSON, MARKDOWN):  # HTML or SVG: rendered from the result in this process
        result = await create_draft(source, options, engines, steps=steps)
        count_verification(Counter(claim.status for claim in result.verification.claims))
        return draft_response(request, result)
    payload = await create_draft_json(source, options, engines, steps=steps)
    count_verification(payload.statuses)
    if wanted == MARKDOWN:
        return PlainTextResponse(
            payload.markdown, media_type="text/markdown; charset=utf-8", headers={"Vary": "Accept"}
        )
    # a DraftResult, serialized in the worker
    return Response(payload.json, media_type="application/json", headers={"Vary": "Accept"})


def draft_query(*, keep_unverified: bool, **values: Any) -> dict[str, Any]:
    """The options given as query parameters (for text/plain and multipart bodies)."""
    query = {key: value for key, value in values.items() if value is not None}
    if keep_unverified:
        query["keep_unverified"] = True
    return query


async def read_draft_input(
    request: Request, settings: Settings, query: dict[str, Any]
) -> tuple[str | Upload, DraftOptions]:
    """The transcript and options of a draft request, whatever its content type."""
    kind = media_type(request)
    if kind == "multipart/form-data":
        fields, upload = await read_form(request, settings.max_upload_bytes)
        form = validate_fields(DraftForm, {**fields, **query})
        source = await form_source(upload, form.transcript, form, settings)
        options = form.options()
    else:
        if kind not in TEXT_TYPES:
            raise unsupported(kind)
        raw = await read_body(request, body_cap(kind, settings))
        body, transcript = await off_the_loop_if_large(raw, decode_draft_body, raw, kind, query)
        check_size(
            transcript, settings.max_transcript_chars, "transcript", "PM_MAX_TRANSCRIPT_CHARS"
        )
        source = text_source(transcript, body, settings)
        options = body.options()
    return source, options


def decode_draft_body(raw: bytes, kind: str, query: dict[str, Any]) -> tuple[DraftRequest, str]:
    """A JSON or text body as a `DraftRequest` (JSON: the request, or an export posted as it
    is), and its transcript text."""
    text = decode_text(raw)
    data = decode_json(text) if kind == "application/json" else None
    if kind == "application/json" and not _is_raw_export(data):
        body = parse_json_model(text, DraftRequest, extra=query, data=data)
    else:
        body = validate_fields(DraftRequest, {"transcript": text, **query})
    return body, str(body.transcript)


def _is_raw_export(data: Any) -> bool:
    """A JSON body that is itself an export (Slack list, {"messages": ...}, Graph "value")
    rather than a DraftRequest."""
    if isinstance(data, list):
        return True
    return (
        isinstance(data, dict)
        and "transcript" not in data
        and ("messages" in data or "value" in data)
    )
