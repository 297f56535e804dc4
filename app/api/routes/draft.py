"""POST /draft: a transcript in, a verified draft for one audience out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.body import (
    TranscriptField,
    media_type,
    parse_json_model,
    read_text,
    validate_fields,
)
from app.api.deps import EnginesDep, SettingsDep
from app.api.representations import DRAFT_CONTENT, draft_response
from app.errors import UnsupportedMediaTypeError
from app.models import Audience
from app.pipeline import DraftOptions, DraftResult, create_draft

router = APIRouter(tags=["drafts"])


class DraftRequest(BaseModel):
    """Body of POST /draft (JSON)."""

    model_config = ConfigDict(extra="forbid")

    transcript: TranscriptField
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

    def options(self) -> DraftOptions:
        return DraftOptions(
            audience=self.audience,
            engine=self.engine,
            format=self.format,
            date=self.date,
            timezone=self.timezone,
            keep_unverified=self.keep_unverified,
        )


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DraftRequest.model_json_schema()},
            "text/plain": {
                "schema": {"type": "string", "description": "The raw transcript."},
            },
        },
    }
}


@router.post(
    "/draft",
    response_model=DraftResult,
    summary="Draft a postmortem from an incident chat",
    description=(
        "Send JSON (`DraftRequest`), or the raw transcript as `text/plain` with the options as "
        "query parameters. `Accept` picks the answer: JSON (default), `text/markdown` (the "
        "draft alone), `text/html` (a standalone page; engineering drafts embed the timeline "
        "picture) or `image/svg+xml` (the timeline picture)."
    ),
    responses={
        200: {"content": DRAFT_CONTENT},
        413: {"description": "Transcript too large"},
        415: {"description": "Body is neither JSON nor plain text"},
        422: {"description": "Unrecognised transcript or invalid field"},
        502: {"description": "The LLM failed or answered invalid output"},
        503: {"description": "LLM unavailable or not configured"},
        504: {"description": "LLM timed out"},
    },
    openapi_extra=_BODY_DOC,
)
async def post_draft(
    request: Request,
    engines: EnginesDep,
    settings: SettingsDep,
    audience: Annotated[Audience | None, Query(description="For text/plain bodies.")] = None,
    engine: Annotated[Literal["extractive", "llm"] | None, Query()] = None,
    format: Annotated[str | None, Query()] = None,
    date: Annotated[dt.date | None, Query()] = None,
    timezone: Annotated[str | None, Query()] = None,
    keep_unverified: Annotated[bool, Query()] = False,
) -> Response | DraftResult:
    text = await read_text(request, settings.max_transcript_chars)
    kind = media_type(request)
    query: dict[str, Any] = {
        key: value
        for key, value in {
            "audience": audience,
            "engine": engine,
            "format": format,
            "date": date,
            "timezone": timezone,
        }.items()
        if value is not None
    }
    if keep_unverified:
        query["keep_unverified"] = True
    if kind == "application/json" and not _is_raw_slack_export(text):
        body = parse_json_model(text, DraftRequest, extra=query)
    elif kind in ("application/json", "text/plain", "text/markdown", ""):
        body = validate_fields(DraftRequest, {"transcript": text, **query})
    else:
        raise UnsupportedMediaTypeError(
            f"content-type {kind!r} is not supported",
            hint='send application/json ({"transcript": ...}) or text/plain (the raw chat)',
        )
    result = await create_draft(str(body.transcript), body.options(), engines)
    return draft_response(request, result)


def _is_raw_slack_export(text: str) -> bool:
    """A JSON body that is itself a Slack export rather than a DraftRequest."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return True
    if not stripped.startswith("{"):
        return False
    try:
        data = json.loads(stripped)
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and "transcript" not in data and "messages" in data
