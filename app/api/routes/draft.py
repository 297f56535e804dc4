"""POST /draft: a transcript in, a verified draft for one audience out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.body import (
    TranscriptField,
    decode_json,
    media_type,
    parse_json_model,
    read_text,
    validate_fields,
)
from app.api.deps import EnginesDep, SettingsDep, StepsDep
from app.api.problems import problem_responses
from app.errors import UnsupportedMediaTypeError
from app.models import Audience
from app.pipeline import DraftOptions, DraftResult, create_draft_json

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
        "query parameters. With `Accept: text/markdown` the answer is the draft alone."
    ),
    responses={
        200: {"content": {"text/markdown": {}}},
        **problem_responses(
            {
                400: "The body is not valid UTF-8, or not valid JSON",
                413: "Transcript too large",
                415: "Body is neither JSON nor plain text",
                422: "Unrecognised transcript or invalid field",
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
) -> Response:
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
    data = decode_json(text) if kind == "application/json" else None
    if kind == "application/json" and not _is_raw_slack_export(data):
        body = parse_json_model(text, DraftRequest, extra=query, data=data)
    elif kind in ("application/json", "text/plain", "text/markdown", ""):
        body = validate_fields(DraftRequest, {"transcript": text, **query})
    else:
        raise UnsupportedMediaTypeError(
            f"content-type {kind!r} is not supported",
            hint='send application/json ({"transcript": ...}) or text/plain (the raw chat)',
        )
    result = await create_draft_json(str(body.transcript), body.options(), engines, steps=steps)
    if "text/markdown" in request.headers.get("accept", ""):
        return PlainTextResponse(result.markdown, media_type="text/markdown; charset=utf-8")
    return Response(result.json, media_type="application/json")  # a DraftResult, serialized


def _is_raw_slack_export(data: Any) -> bool:
    """A JSON body that is itself a Slack export rather than a DraftRequest."""
    if isinstance(data, list):
        return True
    return isinstance(data, dict) and "transcript" not in data and "messages" in data
