"""POST /verify: check every factual claim of any draft against the transcript."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ConfigDict, Field

from app.api.body import (
    TranscriptField,
    check_size,
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
from app.api.uploads import (
    WindowFields,
    body_cap,
    form_source,
    multipart_schema,
    text_source,
    unsupported,
)
from app.pipeline import VerifyOutcome, verify_text_json
from app.verify.judge_call import JudgeModelCall

router = APIRouter(tags=["verification"])


class VerifyFields(WindowFields):
    draft: str = Field(min_length=1, description="Any draft: Markdown, email text, bullets.")
    format: str | None = Field(default=None, description="Transcript format; auto when omitted.")
    date: dt.date | None = Field(default=None, description="Date for formats without one.")
    timezone: str | None = Field(default=None, description="IANA time zone of the times.")
    use_llm_judge: bool = Field(
        default=True,
        description="Let the configured LLM judge claims the rules cannot settle (when a judge "
        "is configured and PM_VERIFY_WITH_LLM is on).",
    )


class VerifyRequest(VerifyFields):
    """Body of POST /verify (JSON)."""

    model_config = ConfigDict(extra="forbid")

    transcript: TranscriptField


class VerifyForm(VerifyFields):
    """Fields of a multipart POST /verify beside the `file` part (the transcript)."""

    model_config = ConfigDict(extra="forbid")

    transcript: str | None = Field(default=None, description="The chat as text (no file).")


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": VerifyRequest.model_json_schema()},
            "multipart/form-data": {"schema": multipart_schema(VerifyForm, "verify")},
        },
    }
}


@router.post(
    "/verify",
    response_model=VerifyOutcome,
    summary="Verify a draft's claims against the transcript",
    description="Send JSON (`VerifyRequest`), or upload the transcript as the `file` part of a "
    "multipart/form-data body with the draft in the `draft` field.",
    responses=problem_responses(
        {
            400: "Malformed body (not UTF-8, not JSON, broken multipart)",
            413: "Body, transcript or draft too large, or a draft with too many claims",
            415: "Body is not JSON or multipart/form-data",
            422: "Unrecognised transcript, unreadable upload or invalid field",
            429: "All LLM slots are in use (PM_LLM_MAX_CONCURRENCY); see Retry-After",
            502: "The LLM judge failed or answered invalid output",
            503: "LLM unavailable, or the CPU deadline passed (PM_CPU_DEADLINE)",
            504: "LLM timed out",
        }
    ),
    openapi_extra=_BODY_DOC,
)
async def post_verify(
    request: Request, engines: EnginesDep, settings: SettingsDep, steps: StepsDep
) -> Response:
    kind = media_type(request)
    if kind == "multipart/form-data":
        fields, upload = await read_form(request, settings.max_upload_bytes)
        body: VerifyFields = validate_fields(VerifyForm, fields)
        check_size(body.draft, settings.max_draft_chars, "draft", "PM_MAX_DRAFT_CHARS")
        source = await form_source(upload, fields.get("transcript"), body, settings)
    elif kind in ("application/json", ""):
        cap = body_cap("application/json", settings) + settings.max_draft_chars * 6
        raw = await read_body(request, cap)
        request_body = await off_the_loop_if_large(raw, _decode_verify_body, raw)
        transcript = str(request_body.transcript)
        check_size(
            transcript, settings.max_transcript_chars, "transcript", "PM_MAX_TRANSCRIPT_CHARS"
        )
        check_size(request_body.draft, settings.max_draft_chars, "draft", "PM_MAX_DRAFT_CHARS")
        body, source = request_body, text_source(transcript, request_body, settings)
    else:
        raise unsupported(kind)
    judge = None
    if body.use_llm_judge and engines.llm_verification_enabled():
        judge = JudgeModelCall(  # its prompt is built in a worker step with the questions
            engines.judge_endpoint(),
            deadline=engines.deadline(),
            max_attempts=settings.llm_max_attempts,
        )
    outcome = await verify_text_json(
        source,
        body.draft,
        format=body.format,
        date=body.date,
        timezone=body.timezone,
        judge=judge,
        steps=steps,
        llm_slots=engines.llm_slots,
        max_claims=settings.verify_max_claims,
    )
    return Response(outcome, media_type="application/json")  # a VerifyOutcome, serialized


def _decode_verify_body(raw: bytes) -> VerifyRequest:
    """A JSON body as a `VerifyRequest`."""
    return parse_json_model(decode_text(raw), VerifyRequest)
