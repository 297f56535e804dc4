"""The pipeline, one direction: ingest -> redact -> extract -> verify -> render.

Routes and the CLI call `create_draft` (a draft from a transcript) and `verify_text` (check any
draft against a transcript); each step lives in its own module. Both read as the shape of the
work: prepare (parse and redact), extract, finish (verify and render). The steps are the
synchronous functions of `app.steps`, run by a `StepRunner`: inline for the CLI and the eval, in
worker processes under a per-request CPU deadline for the service (`app.workers`). Only the LLM
calls (extraction and the claim judge) are `async` and run on the event loop. The `*_json`
variants, for the routes, return the body serialized in the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from openai import AsyncOpenAI

from app.engines.extractive import ExtractiveEngine
from app.engines.registry import EngineRegistry
from app.errors import UpstreamError
from app.ingest.upload import Upload
from app.llm.concurrency import LLMBusyError, LLMSlots
from app.models import Extraction, IncidentReport, Transcript, Usage
from app.steps import (
    DraftOptions,
    DraftPayload,
    DraftResult,
    Prepared,
    PreparedCheck,
    VerifyOutcome,
    anchor_times,
    draft_judge_requests,
    extract_offline,
    finish_check,
    finish_check_json,
    finish_draft,
    finish_draft_json,
    ingest,
    prepare_check,
    prepare_transcript,
    report_judge_requests,
)
from app.verify import MAX_CLAIMS, JudgeVerdict, LLMClaimJudge
from app.workers import INLINE, StepRunner

__all__ = [
    "DraftOptions",
    "DraftPayload",
    "DraftResult",
    "VerifyOutcome",
    "anchor_times",
    "create_draft",
    "create_draft_json",
    "ingest",
    "verify_text",
    "verify_text_json",
]

T = TypeVar("T")
Finish = Callable[[Prepared, Extraction, DraftOptions, str, Usage, list[JudgeVerdict] | None], T]


async def create_draft(
    text: str | Upload,
    options: DraftOptions,
    engines: EngineRegistry,
    *,
    steps: StepRunner = INLINE,
) -> DraftResult:
    """Run the whole pipeline for one transcript and audience."""
    return await _draft(text, options, engines, steps, finish_draft)


async def create_draft_json(
    text: str | Upload,
    options: DraftOptions,
    engines: EngineRegistry,
    *,
    steps: StepRunner = INLINE,
) -> DraftPayload:
    """`create_draft`, with the result serialized by the last step (for the routes)."""
    return await _draft(text, options, engines, steps, finish_draft_json)


async def _draft(
    text: str | Upload,
    options: DraftOptions,
    engines: EngineRegistry,
    steps: StepRunner,
    finish: Finish[T],
) -> T:
    prepared = await steps.run(
        "parsing and redacting the transcript",
        prepare_transcript,
        text,
        options.format,
        options.date,
        options.timezone,
    )
    engine = engines.get(options.engine)
    if isinstance(engine, ExtractiveEngine):  # synchronous: its CPU work runs as a step
        extraction = await steps.run(
            "extracting the report (extractive engine)", extract_offline, prepared.transcript
        )
    else:
        async with engines.llm_slots.slot():
            extraction = await engine.extract(prepared.transcript)
    judged, judge_usage, judge_warning = await _judge_extraction(
        extraction.report, prepared.transcript, engine.name, engines, steps
    )
    if judge_warning:
        extraction = extraction.model_copy(
            update={"warnings": [*extraction.warnings, judge_warning]}
        )
    usage = extraction.usage.model_copy(
        update={
            "llm_calls": extraction.usage.llm_calls + judge_usage.llm_calls,
            "prompt_tokens": extraction.usage.prompt_tokens + judge_usage.prompt_tokens,
            "completion_tokens": extraction.usage.completion_tokens + judge_usage.completion_tokens,
        }
    )
    return await steps.run(
        "verifying and rendering the draft",
        finish,
        prepared,
        extraction,
        options,
        engine.name,
        usage,
        judged,
    )


async def _judge_extraction(
    report: IncidentReport,
    transcript: Transcript,
    engine_name: str,
    engines: EngineRegistry,
    steps: StepRunner,
) -> tuple[list[JudgeVerdict] | None, Usage, str | None]:
    """The LLM judge's verdicts on the claims the rules cannot settle (llm engine only).

    The extractive engine quotes the chat, so its claims are settled by the rules alone. If the
    judge fails, or every LLM slot is busy by then, the rules' verdicts stand (claims they cannot
    confirm ship as "unconfirmed") and a warning says so: the judge never costs the user the draft.
    """
    judges = engines.claim_judge() if engine_name == "llm" else None
    if judges is None:
        return None, Usage(), None
    judge, counter = judges
    requests = await steps.run(
        "finding the claims the rules cannot settle", report_judge_requests, report, transcript
    )
    if not requests:
        return None, Usage(), None
    warning = None
    try:
        async with engines.llm_slots.slot():
            verdicts: list[JudgeVerdict] | None = await judge.judge(requests, transcript)
    except (UpstreamError, LLMBusyError) as exc:  # the extraction is done: keep the draft
        verdicts = None
        warning = (
            f"the LLM judge was unavailable ({exc.detail}); claims the rules could not settle "
            "ship as unconfirmed"
        )
    usage = Usage(
        llm_calls=counter.calls,
        prompt_tokens=counter.prompt_tokens,
        completion_tokens=counter.completion_tokens,
    )
    return verdicts, usage, warning


async def verify_text(
    transcript_text: str | Upload,
    draft: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    llm_client: AsyncOpenAI | None = None,
    model: str | None = None,
    steps: StepRunner = INLINE,
    llm_slots: LLMSlots | None = None,
    max_claims: int = MAX_CLAIMS,
) -> VerifyOutcome:
    """Check `draft` against the transcript; an LLM judge settles what the rules cannot."""
    check = await _prepared_check(transcript_text, draft, format, date, timezone, steps, max_claims)
    judged = await _judge_draft(check, llm_client, model, steps, llm_slots)
    return await steps.run("verifying the draft", finish_check, check, judged)


async def verify_text_json(
    transcript_text: str | Upload,
    draft: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    llm_client: AsyncOpenAI | None = None,
    model: str | None = None,
    steps: StepRunner = INLINE,
    llm_slots: LLMSlots | None = None,
    max_claims: int = MAX_CLAIMS,
) -> bytes:
    """`verify_text`, with the outcome serialized by the last step (for the routes)."""
    check = await _prepared_check(transcript_text, draft, format, date, timezone, steps, max_claims)
    judged = await _judge_draft(check, llm_client, model, steps, llm_slots)
    return await steps.run("verifying the draft", finish_check_json, check, judged)


async def _prepared_check(
    transcript_text: str | Upload,
    draft: str,
    format: str | None,
    date: dt.date | None,
    timezone: str | None,
    steps: StepRunner,
    max_claims: int,
) -> PreparedCheck:
    """The transcript parsed and redacted, the draft redacted; a draft of more than
    `max_claims` claims is refused (`TooManyClaimsError`) when it is checked."""
    return await steps.run(
        "parsing the transcript and the draft",
        prepare_check,
        transcript_text,
        draft,
        format,
        date,
        timezone,
        max_claims,
    )


async def _judge_draft(
    check: PreparedCheck,
    llm_client: AsyncOpenAI | None,
    model: str | None,
    steps: StepRunner,
    llm_slots: LLMSlots | None,
) -> list[JudgeVerdict] | None:
    """The LLM judge's verdicts on the draft's claims the rules cannot settle, if it is asked."""
    if llm_client is None or not model:
        return None
    requests = await steps.run(
        "finding the claims the rules cannot settle", draft_judge_requests, check
    )
    if not requests:
        return None
    judge = LLMClaimJudge(llm_client, model)
    async with (llm_slots or LLMSlots(0)).slot():
        return await judge.judge(requests, check.prepared.transcript)
