"""Map-reduce extraction of a chat longer than the model's context.

1. Map: each chunk (`app.llm.chunking`) is extracted on its own, several at once: at most
   PM_LLM_CHUNK_CONCURRENCY, each exchange holding an LLM slot of its own (the first uses the
   draft's slot; another runs only while a free slot can be had, so a long chat slows down
   instead of failing with 429 when the service is busy). Each answer is a `PartialReport`
   validated against its chunk (re-asked quoting the errors, salvaged item by item when the
   attempts run out). Progress reports "chunk i of n" as each part finishes.
2. Merge: the parts joined in chat order, every item told twice kept once with the union of
   its evidence (`app.llm.partial.merge_partials`).
3. Reduce: one call writes the title, summaries, root cause and open questions from the merged
   findings and the messages they cite (`app.llm.long_prompt.reduce_messages`); the report is
   assembled and validated against the whole chat.

Every call goes through the seam under the request's one deadline; prompts are built, answers
checked and parts merged in worker steps (`steps`), so the event loop only waits.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.errors import ExtractionError, UpstreamError
from app.llm.answer import salvage_fields, validation_messages
from app.llm.chunking import Chunk, ChunkOf, ChunkTranscript
from app.llm.concurrency import LLMBusyError, own_slot
from app.llm.long_prompt import (
    ReducePrompt,
    chunk_messages_for,
    chunk_reask,
    reduce_messages,
    reduce_reask,
)
from app.llm.partial import Merged, PartialReport, ReduceAnswer, assemble_report, merge_partials
from app.llm.retry import Deadline
from app.llm.structured import Exchange, InvalidAnswerError, ResponseSpec, ask_structured
from app.models import Extraction, IncidentReport, Transcript, Usage
from app.progress import Progress, ProgressEvent
from app.schemas import CHUNK_SCHEMA_NAME, REDUCE_SCHEMA_NAME
from app.workers import Deferred, StepRunner, opened

if TYPE_CHECKING:
    from app.engines.llm import LLMEngine

logger = logging.getLogger("postmortem.llm")

Source = Transcript | Deferred[Transcript]


# ---- steps (plain functions, run in workers by the service) ----------------------------------


def chunk_prompt(
    transcript: Source, chunk: Chunk, chunks: int, schema: dict[str, Any] | None
) -> list[Any]:
    """The request for one chunk."""
    return chunk_messages_for(opened(transcript), chunk, chunks, schema)


def salvage_partial(
    data: dict[str, Any], part: ChunkTranscript | Deferred[ChunkTranscript]
) -> tuple[PartialReport, list[str]]:
    """The items of a chunk's invalid answer that are valid on their own, and what was dropped."""
    chunk = opened(part)
    kept, warnings = salvage_fields(data, chunk, PartialReport)
    return PartialReport.model_validate(kept, context={"transcript": chunk}), warnings


def combine_prompt(
    parts: list[PartialReport],
    transcript: Source,
    schema: dict[str, Any] | None,
    context_tokens: int,
    answer_tokens: int,
) -> tuple[Merged, ReducePrompt]:
    """The parts merged, and the reduce request that fits the context."""
    chat = opened(transcript)
    merged = merge_partials(parts, chat)
    return merged, reduce_messages(merged, chat, len(parts), schema, context_tokens, answer_tokens)


def assemble(merged: Merged, answer: ReduceAnswer, transcript: Source) -> IncidentReport:
    """The whole report, validated against the whole chat."""
    try:
        return assemble_report(merged, answer, opened(transcript))
    except ValidationError as exc:  # each part was valid; this is a safety net
        errors = validation_messages(exc)
        raise ExtractionError(
            "the parts of the long chat did not combine into a valid report: "
            + "; ".join(errors[:5]),
            hint="try a stronger model, or a larger PM_LLM_CONTEXT_TOKENS (fewer parts)",
            errors=errors,
        ) from None


def salvage_reduce(
    data: dict[str, Any], transcript: Source, shown: set[int]
) -> tuple[ReduceAnswer | None, list[str]]:
    """What of an invalid reduce answer is valid on its own (a title and summary at least)."""
    chat = opened(transcript)
    kept, warnings = salvage_fields(data, chat, ReduceAnswer)
    context = {"transcript": chat, "shown": shown}
    try:
        return ReduceAnswer.model_validate(kept, context=context), warnings
    except ValidationError as exc:
        if kept.get("root_cause") is None:
            return None, [*warnings, *validation_messages(exc)]
    kept["root_cause"] = None  # it cited a message the call was not shown
    warnings.append("dropped the LLM's root_cause: it cites messages that were not shown")
    try:
        return ReduceAnswer.model_validate(kept, context=context), warnings
    except ValidationError as exc:
        return None, [*warnings, *validation_messages(exc)]


# ---- the orchestration ------------------------------------------------------------------------


async def extract_in_chunks(
    engine: LLMEngine,
    transcript: Source,
    chunks: tuple[Chunk, ...],
    *,
    deadline: Deadline,
    steps: StepRunner,
    progress: Progress,
) -> Extraction:
    """The report of a long chat: its chunks extracted (at most PM_LLM_CHUNK_CONCURRENCY at
    once), merged, and reduced in one more call."""
    n = len(chunks)
    usage = Usage(model=engine.model)
    warnings: list[str] = []
    parts: list[PartialReport | None] = [None] * n
    await progress(ProgressEvent(step="extracting", chunk=0, chunks=n))
    done = 0

    async def one(chunk: Chunk) -> None:
        nonlocal done
        part, spent, dropped = await _extract_chunk(engine, transcript, chunk, n, deadline, steps)
        parts[chunk.index] = part
        _add(usage, spent)
        if dropped:
            warnings.append(
                f"{chunk.label(n)}: the LLM's answer was still invalid after "
                f"{engine.settings.llm_max_attempts} attempt(s); kept the parts that were "
                "valid, dropped the rest:"
            )
            warnings.extend(dropped)
        done += 1
        await progress(ProgressEvent(step="extracting", chunk=done, chunks=n))

    await _run_bounded(engine, [functools.partial(one, chunk) for chunk in chunks])
    await progress(ProgressEvent(step="combining the parts", chunk=n, chunks=n))
    schema = engine.reduce_schema if engine.json_object else None
    merged, prompt = await steps.run(
        "merging the parts of the chat",
        combine_prompt,
        [p for p in parts if p is not None],
        transcript,
        schema,
        engine.settings.llm_context_tokens,
        engine.settings.llm_max_tokens,
    )
    answer, spent, dropped = await _reduce(engine, transcript, prompt, deadline, steps)
    _add(usage, spent)
    if dropped:
        warnings.append("the LLM's combining answer was invalid; kept the parts that were valid:")
        warnings.extend(dropped)
    report = await steps.run("assembling the report", assemble, merged, answer, transcript)
    logger.info("long chat extracted in %d parts (%d LLM calls)", n, usage.llm_calls)
    return Extraction(report=report, usage=usage, warnings=warnings)


async def _run_bounded(engine: LLMEngine, jobs: list[Callable[[], Awaitable[None]]]) -> None:
    """Run `jobs` with at most PM_LLM_CHUNK_CONCURRENCY at once. The first runner works in
    the caller's context (its LLM slot, if it holds one); each other runner starts only if it
    can hold a slot of its own, and all stop at the first failure."""
    queue = list(reversed(jobs))
    limiter = engine.endpoint.limiter

    async def runner() -> None:
        while queue:
            await queue.pop()()

    async def extra_runner() -> None:
        if limiter is None:
            await runner()
            return
        try:
            async with own_slot(limiter):
                await runner()
        except LLMBusyError:  # every slot is busy: the other runners carry on without this one
            return

    wanted = max(1, min(engine.settings.llm_chunk_concurrency, len(jobs)))
    tasks = [asyncio.ensure_future(runner())]
    tasks += [asyncio.ensure_future(extra_runner()) for _ in range(wanted - 1)]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def _extract_chunk(
    engine: LLMEngine,
    transcript: Source,
    chunk: Chunk,
    chunks: int,
    deadline: Deadline,
    steps: StepRunner,
) -> tuple[PartialReport, Usage, list[str]]:
    schema = engine.chunk_schema if engine.json_object else None
    messages = await steps.run(
        "building the prompt of a part of the chat", chunk_prompt, transcript, chunk, chunks, schema
    )
    part = ChunkOf(transcript, chunk)
    spec: ResponseSpec[PartialReport] = ResponseSpec(
        model=PartialReport,
        schema_name=CHUNK_SCHEMA_NAME,
        schema=engine.chunk_schema,
        task=f"extract {chunk.label(chunks)}",
        context={"transcript": part},
        reask=lambda answer, errors: chunk_reask(answer, errors, chunk),
        max_attempts=engine.settings.llm_max_attempts,
        offload=True,
    )
    exchange = Exchange(usage=Usage(model=engine.model))
    try:
        answer = await ask_structured(
            engine.endpoint, messages, spec, deadline=deadline, exchange=exchange, steps=steps
        )
    except InvalidAnswerError:
        return await _salvaged_chunk(exchange, part, steps)
    except UpstreamError:
        if not any(attempt.data for attempt in exchange.attempts):
            raise
        return await _salvaged_chunk(exchange, part, steps)  # a re-ask failed: keep what we have
    return answer.value, answer.usage, []


async def _salvaged_chunk(
    exchange: Exchange, part: ChunkOf, steps: StepRunner
) -> tuple[PartialReport, Usage, list[str]]:
    data = next((a.data for a in reversed(exchange.attempts) if a.data is not None), None)
    if data is None:  # no answer was even JSON: nothing of this part can be kept
        empty = PartialReport.model_validate(_EMPTY_PART)
        return empty, exchange.usage, ["no answer was readable JSON; its facts are missing"]
    report, warnings = await steps.run(
        "keeping what is valid of a part", salvage_partial, data, part
    )
    return report, exchange.usage, warnings


_EMPTY_PART: dict[str, Any] = {
    "timeline": [], "impact": [], "detection": None, "cause_findings": [],
    "contributing_factors": [], "resolution": None, "action_items": [], "key_facts": [],
    "participants": [], "open_questions": [],
}  # fmt: skip


async def _reduce(
    engine: LLMEngine,
    transcript: Source,
    prompt: ReducePrompt,
    deadline: Deadline,
    steps: StepRunner,
) -> tuple[ReduceAnswer, Usage, list[str]]:
    spec: ResponseSpec[ReduceAnswer] = ResponseSpec(
        model=ReduceAnswer,
        schema_name=REDUCE_SCHEMA_NAME,
        schema=engine.reduce_schema,
        task="combine the parts of the chat",
        context={"transcript": transcript, "shown": prompt.shown},
        reask=reduce_reask,
        max_attempts=engine.settings.llm_max_attempts,
        offload=True,
    )
    exchange = Exchange(usage=Usage(model=engine.model))
    try:
        answer = await ask_structured(
            engine.endpoint, prompt.messages, spec, deadline=deadline, exchange=exchange,
            steps=steps,
        )  # fmt: skip
    except (InvalidAnswerError, UpstreamError) as exc:
        data = next((a.data for a in reversed(exchange.attempts) if a.data is not None), None)
        if data is None:
            raise
        salvaged, warnings = await steps.run(
            "keeping what is valid of the combining answer",
            salvage_reduce,
            data,
            transcript,
            prompt.shown,
        )
        if salvaged is None:
            if isinstance(exc, UpstreamError):
                raise
            raise ExtractionError(
                f"the LLM's answer combining the parts failed validation after "
                f"{len(exchange.attempts)} attempt(s) and too little was valid to keep: "
                + "; ".join(warnings[:5]),
                hint="try a stronger model, or raise PM_LLM_MAX_ATTEMPTS",
                errors=warnings,
                **exchange.extra(),
            ) from None
        return salvaged, exchange.usage, warnings
    return answer.value, answer.usage, []


def _add(usage: Usage, spent: Usage) -> None:
    usage.llm_calls += spent.llm_calls
    usage.prompt_tokens += spent.prompt_tokens
    usage.completion_tokens += spent.completion_tokens
    usage.model = spent.model or usage.model
