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
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from app.analysis import (
    DraftPayload,
    Finished,
    as_payload,
    as_result,
    finish_and_keep,
    render_cached,
)
from app.engines.base import Engine
from app.engines.extractive import ExtractiveEngine
from app.engines.registry import EngineRegistry
from app.errors import UpstreamError
from app.ingest.upload import Upload
from app.llm.concurrency import LLMBusyError, LLMSlots
from app.metrics import llm_kind
from app.models import IncidentReport, Transcript, Usage
from app.progress import Progress, ProgressEvent, silent
from app.steps import (
    DraftOptions,
    DraftResult,
    Prepared,
    PreparedCheck,
    VerifyOutcome,
    anchor_times,
    draft_judge_requests,
    extract_offline,
    finish_check,
    finish_check_json,
    ingest,
    prepare_check,
    prepare_transcript,
    report_judge_requests,
)
from app.verify import JudgeVerdict
from app.workers import INLINE, StepRunner

if TYPE_CHECKING:
    from openai import AsyncOpenAI

__all__ = [
    "DraftOptions",
    "DraftPayload",
    "DraftResult",
    "VerifyOutcome",
    "anchor_times",
    "create_draft",
    "create_draft_json",
    "draft_prepared",
    "ingest",
    "verify_text",
    "verify_text_json",
]

T = TypeVar("T")


async def create_draft(
    text: str | Upload,
    options: DraftOptions,
    engines: EngineRegistry,
    *,
    steps: StepRunner = INLINE,
    progress: Progress = silent,
) -> DraftResult:
    """Run the whole pipeline for one transcript and audience."""
    return await _draft(text, options, engines, steps, as_result, progress)


async def create_draft_json(
    text: str | Upload,
    options: DraftOptions,
    engines: EngineRegistry,
    *,
    steps: StepRunner = INLINE,
    progress: Progress = silent,
) -> DraftPayload:
    """`create_draft`, with the result serialized by the last step (for the routes)."""
    return await _draft(text, options, engines, steps, as_payload, progress)


async def prepare(
    text: str | Upload, options: DraftOptions, steps: StepRunner, progress: Progress = silent
) -> Prepared:
    """Step 1: parse and redact (in a worker, for the service)."""
    await progress(ProgressEvent(step="parsing"))
    return await steps.run(
        "parsing and redacting the transcript",
        prepare_transcript,
        text,
        options.format,
        options.date,
        options.timezone,
    )


async def _draft(
    text: str | Upload,
    options: DraftOptions,
    engines: EngineRegistry,
    steps: StepRunner,
    output: Callable[[DraftResult], T],
    progress: Progress,
) -> T:
    engine = engines.get(options.engine)
    key = await engines.drafts.key(text, options, engine.name) if engines.drafts else None

    async def prepared() -> Prepared:
        return await prepare(text, options, steps, progress)

    return await _drafted(key, prepared, options, engine, engines, steps, output, progress)


async def draft_prepared(
    prepared: Prepared,
    key: str | None,
    options: DraftOptions,
    engines: EngineRegistry,
    *,
    steps: StepRunner = INLINE,
    progress: Progress = silent,
) -> DraftPayload:
    """The draft of a transcript parsed already (a job), serialized for the API."""
    engine = engines.get(options.engine)

    async def given() -> Prepared:
        return prepared

    return await _drafted(key, given, options, engine, engines, steps, as_payload, progress)


async def _drafted(
    key: str | None,
    prepared: Callable[[], Awaitable[Prepared]],
    options: DraftOptions,
    engine: Engine,
    engines: EngineRegistry,
    steps: StepRunner,
    output: Callable[[DraftResult], T],
    progress: Progress,
) -> T:
    """From the cache when it holds this analysis; else drafted once however many ask at
    once (single flight), the analysis kept for the next request."""
    cache = engines.drafts
    if cache is None or key is None:
        finished = await _analysed(
            await prepared(), options, engine, engines, steps, output, progress
        )
        return finished.output
    blob = await cache.get(key)
    if blob is not None:
        rendered = await _render_cached(blob, options, steps, output, progress)
        if rendered is not None:
            return rendered
    mine: list[T] = []

    async def lead() -> bytes:
        finished = await _analysed(
            await prepared(), options, engine, engines, steps, output, progress
        )
        await cache.put(key, finished.blob, degraded=finished.degraded)
        mine.append(finished.output)
        return finished.blob

    async def found() -> bytes | None:
        return await cache.peek(key)

    if cache.flights.in_flight(key):
        await progress(ProgressEvent(step="waiting for the same draft, already in progress"))
    blob, _joined = await cache.flights.run(key, lead, found)
    if mine:
        return mine[0]
    rendered = await _render_cached(blob, options, steps, output, progress)
    if rendered is None:  # unreadable bytes from another process's version: draft afresh
        finished = await _analysed(
            await prepared(), options, engine, engines, steps, output, progress
        )
        return finished.output
    return rendered


async def _render_cached(
    blob: bytes,
    options: DraftOptions,
    steps: StepRunner,
    output: Callable[[DraftResult], T],
    progress: Progress,
) -> T | None:
    await progress(ProgressEvent(step="rendering"))
    return await steps.run(
        "rendering the draft from the cache", render_cached, blob, options.audience, output
    )


async def _analysed(
    prepared: Prepared,
    options: DraftOptions,
    engine: Engine,
    engines: EngineRegistry,
    steps: StepRunner,
    output: Callable[[DraftResult], T],
    progress: Progress,
) -> Finished[T]:
    """Extract (the LLM on the event loop, or the rules in a worker), judge, verify, render."""
    await progress(ProgressEvent(step="extracting"))
    if isinstance(engine, ExtractiveEngine):  # synchronous: its CPU work runs as a step
        extraction = await steps.run(
            "extracting the report (extractive engine)", extract_offline, prepared.transcript
        )
    else:
        token = llm_kind.set("extraction")
        try:
            async with engines.llm_slots.slot():
                extraction = await engine.extract(prepared.transcript)
        finally:
            llm_kind.reset(token)
    judged, judge_usage, judge_warning = await _judge_extraction(
        extraction.report, prepared.transcript, engine.name, engines, steps, progress
    )
    degraded = engine.name == "llm" and (bool(extraction.warnings) or judge_warning is not None)
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
    await progress(ProgressEvent(step="verifying"))
    return await steps.run(
        "verifying and rendering the draft",
        finish_and_keep,
        prepared,
        extraction,
        options,
        engine.name,
        usage,
        judged,
        degraded,
        output,
    )


async def _judge_extraction(
    report: IncidentReport,
    transcript: Transcript,
    engine_name: str,
    engines: EngineRegistry,
    steps: StepRunner,
    progress: Progress = silent,
) -> tuple[list[JudgeVerdict] | None, Usage, str | None]:
    """The LLM judge's verdicts on the claims the rules cannot settle (llm engine only).

    The extractive engine quotes the chat, so its claims are settled by the rules alone. If the
    judge fails, or every LLM slot is busy by then, the rules' verdicts stand (unsettled claims
    count as unverified) and a warning says so: the judge never costs the user the draft.
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
    await progress(ProgressEvent(step="judging"))
    token = llm_kind.set("judge")
    try:
        async with engines.llm_slots.slot():
            verdicts: list[JudgeVerdict] | None = await judge.judge(requests, transcript)
    except (UpstreamError, LLMBusyError) as exc:  # the extraction is done: keep the draft
        verdicts = None
        warning = (
            f"the LLM judge was unavailable ({exc.detail}); claims the rules could not settle "
            "were treated as unverified"
        )
    finally:
        llm_kind.reset(token)
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
) -> VerifyOutcome:
    """Check `draft` against the transcript; an LLM judge settles what the rules cannot."""
    check = await _prepared_check(transcript_text, draft, format, date, timezone, steps)
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
) -> bytes:
    """`verify_text`, with the outcome serialized by the last step (for the routes)."""
    check = await _prepared_check(transcript_text, draft, format, date, timezone, steps)
    judged = await _judge_draft(check, llm_client, model, steps, llm_slots)
    return await steps.run("verifying the draft", finish_check_json, check, judged)


async def _prepared_check(
    transcript_text: str | Upload,
    draft: str,
    format: str | None,
    date: dt.date | None,
    timezone: str | None,
    steps: StepRunner,
) -> PreparedCheck:
    return await steps.run(
        "parsing the transcript and the draft",
        prepare_check,
        transcript_text,
        draft,
        format,
        date,
        timezone,
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
    from app.verify import LLMClaimJudge

    judge = LLMClaimJudge(llm_client, model)
    token = llm_kind.set("judge")
    try:
        async with (llm_slots or LLMSlots(0)).slot():
            return await judge.judge(requests, check.prepared.transcript)
    finally:
        llm_kind.reset(token)
