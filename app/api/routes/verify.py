"""POST /verify: check every factual claim of any draft against the transcript."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import ConfigDict, Field

from app.api.body import (
    TranscriptField,
    check_size,
    decode_text,
    media_type,
    parse_json_model,
    read_body,
    read_form,
    validate_fields,
)
from app.api.deps import EnginesDep, SettingsDep
from app.api.uploads import (
    WindowFields,
    body_cap,
    form_source,
    multipart_schema,
    text_source,
    unsupported,
)
from app.pipeline import VerifyOutcome, verify_text

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
    responses={
        400: {"description": "Malformed body"},
        413: {"description": "Body, transcript or draft too large"},
        415: {"description": "Body is not JSON or multipart/form-data"},
        422: {"description": "Unrecognised transcript, unreadable upload or invalid field"},
    },
    openapi_extra=_BODY_DOC,
)
async def post_verify(
    request: Request, engines: EnginesDep, settings: SettingsDep
) -> VerifyOutcome:
    kind = media_type(request)
    if kind == "multipart/form-data":
        fields, upload = await read_form(request, settings.max_upload_bytes)
        body: VerifyFields = validate_fields(VerifyForm, fields)
        check_size(body.draft, settings.max_draft_chars, "draft", "PM_MAX_DRAFT_CHARS")
        source = await form_source(upload, fields.get("transcript"), body, settings)
    elif kind in ("application/json", ""):
        cap = body_cap("application/json", settings) + settings.max_draft_chars * 6
        request_body = parse_json_model(decode_text(await read_body(request, cap)), VerifyRequest)
        transcript = str(request_body.transcript)
        check_size(
            transcript, settings.max_transcript_chars, "transcript", "PM_MAX_TRANSCRIPT_CHARS"
        )
        check_size(request_body.draft, settings.max_draft_chars, "draft", "PM_MAX_DRAFT_CHARS")
        body, source = request_body, text_source(transcript, request_body, settings)
    else:
        raise unsupported(kind)
    judges = engines.claim_judge(engines.deadline()) if body.use_llm_judge else None
    return await verify_text(
        source,
        body.draft,
        format=body.format,
        date=body.date,
        timezone=body.timezone,
        judge=judges[0] if judges is not None else None,
    )
