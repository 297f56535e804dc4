"""POST /verify: check every factual claim of any draft against the transcript."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api.body import TranscriptField, parse_json_model, read_text
from app.api.deps import EnginesDep, SettingsDep
from app.pipeline import VerifyOutcome, verify_text

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
        description="Let the configured LLM judge claims the rules cannot settle (when a judge "
        "is configured and PM_VERIFY_WITH_LLM is on).",
    )


@router.post(
    "/verify",
    response_model=VerifyOutcome,
    summary="Verify a draft's claims against the transcript",
    responses={422: {"description": "Unrecognised transcript or invalid field"}},
)
async def post_verify(
    request: Request, engines: EnginesDep, settings: SettingsDep
) -> VerifyOutcome:
    text = await read_text(request, settings.max_transcript_chars * 2)
    body = parse_json_model(text, VerifyRequest)
    judges = engines.claim_judge(engines.deadline()) if body.use_llm_judge else None
    return await verify_text(
        str(body.transcript),
        body.draft,
        format=body.format,
        date=body.date,
        timezone=body.timezone,
        judge=judges[0] if judges is not None else None,
    )
