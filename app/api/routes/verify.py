"""POST /verify: check every factual claim of any draft against the transcript."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.body import TranscriptField, parse_json_model, read_text
from app.api.deps import EnginesDep, SettingsDep, StepsDep
from app.api.problems import problem_responses
from app.pipeline import VerifyOutcome, verify_text_json

router = APIRouter(tags=["verification"])


class VerifyRequest(BaseModel):
    """Body of POST /verify."""

    model_config = ConfigDict(extra="forbid")

    transcript: TranscriptField
    draft: str = Field(min_length=1, description="Any draft: Markdown, email text, bullets.")
    format: str | None = Field(default=None, description="Transcript format; auto when omitted.")
    date: dt.date | None = Field(default=None, description="Date for formats without one.")
    timezone: str | None = Field(default=None, description="IANA time zone of the times.")
    use_llm_judge: bool = Field(
        default=True,
        description="Let the configured LLM judge claims the rules cannot settle (if any LLM).",
    )


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": VerifyRequest.model_json_schema()}},
    }
}


@router.post(
    "/verify",
    response_model=VerifyOutcome,
    summary="Verify a draft's claims against the transcript",
    description="Send JSON (`VerifyRequest`): the transcript and any draft to check against it.",
    responses=problem_responses(
        {
            400: "The body is not valid UTF-8 JSON, or not a JSON object",
            413: "Transcript or draft too large",
            422: "Unrecognised transcript or invalid field",
            502: "The LLM judge failed or answered invalid output",
            429: "All LLM slots are in use (PM_LLM_MAX_CONCURRENCY); see Retry-After",
            503: "LLM unavailable, or the CPU deadline passed (PM_CPU_DEADLINE)",
            504: "LLM timed out",
        }
    ),
    openapi_extra=_BODY_DOC,
)
async def post_verify(
    request: Request, engines: EnginesDep, settings: SettingsDep, steps: StepsDep
) -> Response:
    text = await read_text(request, settings.max_transcript_chars * 2)
    body = parse_json_model(text, VerifyRequest)
    client = engines.llm_client() if settings.llm_configured and body.use_llm_judge else None
    outcome = await verify_text_json(
        str(body.transcript),
        body.draft,
        format=body.format,
        date=body.date,
        timezone=body.timezone,
        llm_client=client,
        model=settings.llm_model,
        steps=steps,
        llm_slots=engines.llm_slots,
    )
    return Response(outcome, media_type="application/json")  # a VerifyOutcome, serialized
