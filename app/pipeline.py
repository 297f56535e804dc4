"""The pipeline, one direction: ingest -> redact -> extract -> verify -> render.

Routes and the CLI call `create_draft` (a draft from a transcript) and `verify_text` (check any
draft against a transcript); each step lives in its own module. Both read as the shape of the
work: prepare (parse and redact), extract, finish (verify and render). The steps are the
synchronous functions of `app.steps`, run by a `StepRunner`: inline for the CLI and the eval, in
worker processes under a per-request CPU deadline for the service (`app.workers`). Only the LLM
calls (extraction, the claim judge and the repair of failed items) are `async` and run on the
event loop, all of them within one PM_LLM_TIME_BUDGET per request. The `*_json` variants, for
the routes, return the body serialized in the worker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

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
from app.engines.llm import LLMEngine
from app.engines.registry import EngineRegistry
from app.errors import UpstreamError
from app.ingest.upload import Upload
from app.llm.concurrency import LLMBusyError, LLMSlots
from app.llm.retry import Deadline
from app.llm.review import RepairOutcome, ask_repair, ask_repair_settings
from app.metrics import llm_kind
from app.models import Extraction, IncidentReport, Transcript, Usage
from app.progress import Progress, ProgressEvent, silent
from app.steps import (
    DraftOptions,
    DraftResult,
    Prepared,
    PreparedCheck,
    RepairNeeded,
    VerifyOutcome,
    anchor_times,
    draft_judge_questions,
    extract_offline,
    finish_check,
    finish_check_json,
    ingest,
    judge_prompt,
    judge_questions,
    prepare_check,
    prepare_parcel,
    prepare_transcript,
    repair_plan,
    verify_or_finish,
)
from app.verify import MAX_CLAIMS, ClaimJudge, JudgeRequest, JudgeVerdict
from app.verify.judge_call import JudgeModelCall
from app.workers import INLINE, Parcel, Part, StepRunner

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
    "prepare",
    "verify_text",
    "verify_text_json",
]

T = TypeVar("T")
Judged = tuple[list[JudgeRequest], list[JudgeVerdict] | None, Usage, str | None]


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


async def _prepared_parcel(
    text: str | Upload, options: DraftOptions, steps: StepRunner, progress: Progress
) -> Parcel[Prepared]:
    """`prepare`, the result left pickled (a parcel) for the later steps."""
    await progress(ProgressEvent(step="parsing"))
    return await steps.run(
        "parsing and redacting the transcript",
        prepare_parcel,
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

    async def prepared() -> Parcel[Prepared]:
        return await _prepared_parcel(text, options, steps, progress)

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
    parcel = Parcel(prepared)  # pickled once, when the first step needs it

    async def given() -> Parcel[Prepared]:
        return parcel

    return await _drafted(key, given, options, engine, engines, steps, as_payload, progress)


async def _drafted(
    key: str | None,
    prepared: Callable[[], Awaitable[Parcel[Prepared]]],
    options: DraftOptions,
    engine: Engine,
    engines: EngineRegistry,
    steps: StepRunner,
    output: Callable[[DraftResult], T],
    progress: Progress,
) -> T:
    """From the cache when it holds this analysis; else drafted once however many ask at
    once (single flight), the analysis kept for the next request."""

    async def fresh() -> Finished[T]:
        return await _analysed(await prepared(), options, engine, engines, steps, output, progress)

    cache = engines.drafts
    if cache is None or key is None:
        return (await fresh()).output
    blob = await cache.get(key)
    if blob is not None:
        rendered = await _render_cached(blob, options, steps, output, progress)
        if rendered is not None:
            return rendered
    mine: list[T] = []

    async def lead() -> bytes:
        finished = await fresh()
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
        return (await fresh()).output
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
        "rendering the draft from the cache",
        render_cached,
        blob,
        options.audience,
        output,
        options.keep_items,
    )


async def _analysed(
    source: Parcel[Prepared],
    options: DraftOptions,
    engine: Engine,
    engines: EngineRegistry,
    steps: StepRunner,
    output: Callable[[DraftResult], T],
    progress: Progress,
) -> Finished[T]:
    """Extract (the LLM on the event loop, or the rules in a worker), judge, repair, verify,
    render; every LLM call of the request within one PM_LLM_TIME_BUDGET. A draft that needs no
    repair is verified with the judge's verdicts and rendered in one step."""
    deadline = engines.deadline()
    transcript: Part[Transcript] = Part(source, "transcript")
    await progress(ProgressEvent(step="extracting"))
    extraction = await _extract(transcript, engine, engines, steps, deadline, progress)
    salvaged = bool(extraction.warnings) and engine.name == "llm"
    asked, judged, usage, warning = await _judge_extraction(
        extraction.report, transcript, engine.name, engines, steps, deadline, progress
    )
    warnings = [warning] if warning else []
    repairing = engine.name == "llm" and engines.llm_verification_enabled() and warning is None
    await progress(ProgressEvent(step="verifying"))
    checked = await steps.run(
        "verifying and rendering the draft",
        verify_or_finish,
        source,
        _with_warnings(extraction, warnings),
        options,
        engine.name,
        _sum(extraction.usage, usage),
        judged,
        salvaged or bool(warnings),
        output,
        ask_repair_settings(engines) if repairing else None,
    )
    if not isinstance(checked, RepairNeeded):
        return checked
    repair, judged, repair_usage, repair_warnings = await _repair_extraction(
        extraction.report, checked, transcript, engines, steps, deadline, asked, judged
    )
    usage = _sum(usage, repair_usage)
    warnings += repair_warnings
    return await steps.run(
        "verifying and rendering the repaired draft",
        finish_and_keep,
        source,
        _with_warnings(extraction, warnings),
        options,
        engine.name,
        _sum(extraction.usage, usage),
        judged,
        repair,
        salvaged or bool(warnings),
        output,
    )


async def _extract(
    transcript: Part[Transcript],
    engine: Engine,
    engines: EngineRegistry,
    steps: StepRunner,
    deadline: Deadline,
    progress: Progress,
) -> Extraction:
    if isinstance(engine, ExtractiveEngine):  # synchronous: its CPU work runs as a step
        return await steps.run(
            "extracting the report (extractive engine)", extract_offline, transcript
        )
    token = llm_kind.set("extraction")
    try:
        async with engines.llm_slots.slot():
            if isinstance(engine, LLMEngine):
                return await engine.extract(
                    transcript, deadline=deadline, steps=steps, progress=progress
                )
            return await engine.extract(transcript.open())
    finally:
        llm_kind.reset(token)


def _with_warnings(extraction: Extraction, warnings: list[str]) -> Extraction:
    if not warnings:
        return extraction
    return extraction.model_copy(update={"warnings": [*extraction.warnings, *warnings]})


def _sum(first: Usage, second: Usage) -> Usage:
    return first.model_copy(
        update={
            "llm_calls": first.llm_calls + second.llm_calls,
            "prompt_tokens": first.prompt_tokens + second.prompt_tokens,
            "completion_tokens": first.completion_tokens + second.completion_tokens,
        }
    )


async def _judge_extraction(
    report: IncidentReport,
    transcript: Part[Transcript],
    engine_name: str,
    engines: EngineRegistry,
    steps: StepRunner,
    deadline: Deadline,
    progress: Progress = silent,
) -> Judged:
    """The claims of the report the rules cannot settle, and the LLM judge's verdicts on them
    (llm engine only).

    The extractive engine quotes the chat, so its claims are settled by the rules alone. If the
    judge fails, or every LLM slot is busy by then, the rules' verdicts stand (claims they cannot
    confirm ship as "unconfirmed") and a warning says so: the judge never costs the user the draft.
    """
    if engine_name != "llm" or not engines.llm_verification_enabled():
        return [], None, Usage(), None
    questions = await steps.run(
        "finding the claims the rules cannot settle",
        judge_questions,
        report,
        transcript,
        _prompt_in_steps(engines),
    )
    if questions.requests:
        await progress(ProgressEvent(step="judging"))
    verdicts, usage, warning = await _ask_judge(
        questions.requests, questions.messages, transcript, engines, deadline
    )
    return questions.requests, verdicts, usage, warning


def _prompt_in_steps(engines: EngineRegistry) -> bool:
    """Whether the judge's prompt is built in a step and sent as it is: in the service, whose
    draft cache is in front; without one (the CLI, the eval) the registry's cached judge
    answers repeated questions from memory, and builds its own prompt."""
    return engines.drafts is not None


async def _ask_judge(
    requests: list[JudgeRequest],
    messages: list[Any] | None,
    transcript: Part[Transcript],
    engines: EngineRegistry,
    deadline: Deadline,
) -> tuple[list[JudgeVerdict] | None, Usage, str | None]:
    """The judge's verdicts on `requests`: asked with `messages` (the prompt, built in a step),
    or, without them, through the registry's judge, which keeps its verdicts in memory (no
    draft cache in front) and builds its own prompt."""
    if not requests:
        return None, Usage(), None
    warning = None
    cached = engines.claim_judge(deadline) if messages is None else None
    call = JudgeModelCall(
        engines.judge_endpoint(), deadline=deadline, max_attempts=engines.settings.llm_max_attempts
    )
    counter: Any = cached[1] if cached is not None else call
    token = llm_kind.set("judge")
    try:
        async with engines.llm_slots.slot():
            if cached is not None:
                verdicts: list[JudgeVerdict] | None = await cached[0].judge(
                    requests, transcript.open()
                )
            else:
                assert messages is not None
                wanted = {request.index for request in requests}
                answer = await call(messages)
                verdicts = [v for v in answer.verdicts if v.index in wanted]
    except (UpstreamError, LLMBusyError) as exc:  # the extraction is done: keep the draft
        verdicts = None
        warning = (
            f"the LLM judge was unavailable ({exc.detail}); claims the rules could not settle "
            "ship as unconfirmed"
        )
    finally:
        llm_kind.reset(token)
    usage = Usage(
        llm_calls=counter.calls,
        prompt_tokens=counter.prompt_tokens,
        completion_tokens=counter.completion_tokens,
    )
    return verdicts, usage, warning


async def _repair_extraction(
    report: IncidentReport,
    needed: RepairNeeded,
    transcript: Part[Transcript],
    engines: EngineRegistry,
    steps: StepRunner,
    deadline: Deadline,
    asked: list[JudgeRequest],
    judged: list[JudgeVerdict] | None,
) -> tuple[RepairOutcome, list[JudgeVerdict] | None, Usage, list[str]]:
    """Items that failed a hard check or the judge go back to the model once
    (`app.llm.review`); corrected items the rules cannot settle go to the judge, the rest keep
    their verdicts. Returns the outcome and the verdicts for the repaired report."""
    outcome = RepairOutcome(problems=needed.problems)
    token = llm_kind.set("repair")
    try:
        answer, usage, warning = await ask_repair(
            needed.problems, needed.request, transcript, engines, deadline, steps=steps
        )
    finally:
        llm_kind.reset(token)
    if answer is None:
        return outcome, judged, usage, [warning] if warning else []
    plan = await steps.run(
        "applying the repairs", repair_plan, outcome, answer, report, transcript, asked, judged
    )
    warnings: list[str] = []
    verdicts = list(plan.known)
    if plan.ask:
        messages = None
        if _prompt_in_steps(engines):
            messages = await steps.run(
                "building the judge's prompt", judge_prompt, plan.ask, transcript
            )
        fresh, judge_usage, judge_warning = await _ask_judge(
            plan.ask, messages, transcript, engines, deadline
        )
        verdicts += fresh or []
        usage = _sum(usage, judge_usage)
        if judge_warning:
            warnings.append(judge_warning.replace("claims the rules", "corrected claims the rules"))
    return plan.outcome, verdicts, usage, warnings


async def verify_text(
    transcript_text: str | Upload,
    draft: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    judge: ClaimJudge | JudgeModelCall | None = None,
    steps: StepRunner = INLINE,
    llm_slots: LLMSlots | None = None,
    max_claims: int = MAX_CLAIMS,
) -> VerifyOutcome:
    """Check `draft` against the transcript; an LLM judge settles what the rules cannot.

    `judge` is a `ClaimJudge` (which builds its own prompt), or the judge's model call, whose
    prompt is then built in a step with the questions (the service). A failing judge fails
    nothing: the rules' verdicts stand and a warning says why, as in /draft."""
    check = await _prepared_check(transcript_text, draft, format, date, timezone, steps, max_claims)
    judged = await _judge_draft(check, judge, steps, llm_slots)
    return await steps.run("verifying the draft", finish_check, check, judged)


async def verify_text_json(
    transcript_text: str | Upload,
    draft: str,
    *,
    format: str | None = None,
    date: dt.date | None = None,
    timezone: str | None = None,
    judge: ClaimJudge | JudgeModelCall | None = None,
    steps: StepRunner = INLINE,
    llm_slots: LLMSlots | None = None,
    max_claims: int = MAX_CLAIMS,
) -> bytes:
    """`verify_text`, with the outcome serialized by the last step (for the routes)."""
    check = await _prepared_check(transcript_text, draft, format, date, timezone, steps, max_claims)
    judged = await _judge_draft(check, judge, steps, llm_slots)
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
    judge: ClaimJudge | JudgeModelCall | None,
    steps: StepRunner,
    llm_slots: LLMSlots | None,
) -> list[JudgeVerdict] | None:
    """The LLM judge's verdicts on the draft's claims the rules cannot settle, if it is asked;
    a failing or busy judge leaves the rules' verdicts and a warning in the outcome."""
    if judge is None:
        return None
    call = judge if isinstance(judge, JudgeModelCall) else None
    questions = await steps.run(
        "finding the claims the rules cannot settle",
        draft_judge_questions,
        check,
        call is not None,
    )
    requests = questions.requests
    if not requests:
        return None
    token = llm_kind.set("judge")
    try:
        async with (llm_slots or LLMSlots(0)).slot():
            if call is None:
                assert not isinstance(judge, JudgeModelCall)
                return await judge.judge(requests, check.prepared.transcript)
            assert questions.messages is not None
            wanted = {request.index for request in requests}
            answer = await call(questions.messages)
            return [v for v in answer.verdicts if v.index in wanted]
    except (UpstreamError, LLMBusyError) as exc:
        check.prepared.warnings.append(
            f"the LLM judge was unavailable ({exc.detail}); claims the rules could not settle "
            "were treated as unverified"
        )
        return None
    finally:
        llm_kind.reset(token)
