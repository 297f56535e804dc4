"""The LLM engine: one call per transcript answers the whole `IncidentReport` in our schema.

For each transcript (already redacted by the pipeline):

1. Serve a cached extraction when the same transcript was extracted with the same model, prompt
   and schema (`Usage.cached`).
2. Otherwise ask through the seam (`app.llm.structured.ask_structured`): the numbered transcript,
   `response_format` = the committed strict schema (or JSON mode with the schema in the prompt),
   the answer validated with the transcript as context and re-asked quoting the errors, up to
   PM_LLM_MAX_ATTEMPTS answers, transient faults retried, all within the request's deadline.
3. When the attempts run out (or a re-ask fails), salvage the best answer: keep the items valid on
   their own, report each dropped one in `Extraction.warnings`; with no valid title and summary,
   raise `ExtractionError` carrying the attempts, the errors and (privately) the last raw answer.

A chat whose prompt does not fit PM_LLM_CONTEXT_TOKENS beside the answer is extracted in
overlapping parts and combined in one more call (`app.llm.map_reduce`); a chat that fits is
still one call with exactly the same request. The prompt is built and counted, and a long
chat's answers checked, in worker steps (`steps`), so the event loop only waits.

The repair step that follows verification (`app.llm.review`) asks the same endpoint.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.config import Settings
from app.errors import ConfigurationError, ExtractionError, UpstreamError
from app.llm.answer import Salvage, salvage
from app.llm.cache import CacheKey, ExtractionCache, transcript_hash
from app.llm.endpoint import Endpoint
from app.llm.long_prompt import long_prompt_version
from app.llm.prompt import ExtractionPlan, plan_extraction, prompt_version, reask_messages
from app.llm.retry import Deadline, RetryPolicy
from app.llm.structured import (
    Attempt,
    Exchange,
    InvalidAnswerError,
    ResponseSpec,
    ask_structured,
)
from app.models import Extraction, IncidentReport, Transcript, Usage
from app.progress import Progress, silent
from app.schemas import (
    LLM_SCHEMA_NAME,
    llm_schema_version,
    load_chunk_response_schema,
    load_llm_response_schema,
    load_reduce_response_schema,
    long_schema_version,
)
from app.workers import INLINE, Deferred, StepRunner, opened

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai import AsyncOpenAI


logger = logging.getLogger("postmortem.llm")

_MAX_ERRORS_SHOWN = 5
# From this many messages an answer is checked in a worker step (measured: 0.7 ms for a full
# answer at 30 messages, 2.7 ms at 1,000, 26 ms at 10,000; a process hop costs about 1 ms).
OFFLOAD_MESSAGES = 300

Source = Transcript | Deferred[Transcript]


class LLMEngine:
    """Extracts an `IncidentReport` with an OpenAI-compatible LLM, validated against the chat."""

    name = "llm"

    def __init__(
        self,
        settings: Settings,
        *,
        endpoint: Endpoint | None = None,
        client: AsyncOpenAI | None = None,
        cache: ExtractionCache | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if endpoint is None and (not settings.llm_configured or not settings.llm_model):
            raise ConfigurationError(
                "the llm engine is not configured",
                hint="set PM_LLM_MODEL and PM_LLM_BASE_URL (or PM_LLM_API_KEY for OpenAI)",
            )
        self.settings = settings
        if endpoint is None:
            from app.llm.client import build_client, build_endpoint

            endpoint = build_endpoint(settings, client or build_client(settings), retry=retry)
        self.endpoint = endpoint
        self.model: str = self.endpoint.model
        self.cache = cache if cache is not None else ExtractionCache(settings.llm_cache_size)
        self.schema = load_llm_response_schema()
        self.chunk_schema = load_chunk_response_schema()
        self.reduce_schema = load_reduce_response_schema()
        self.json_object = self.endpoint.response_format == "json_object"
        self.prompt_version = prompt_version()
        self.schema_version = llm_schema_version()

    def deadline(self) -> Deadline:
        """A fresh PM_LLM_TIME_BUDGET, on the endpoint's clock."""
        return Deadline(self.settings.llm_time_budget, self.endpoint.retry.clock)

    def cache_key(self, transcript: Transcript) -> CacheKey:
        return CacheKey(
            transcript_sha256=transcript_hash(transcript),
            model=self.model,
            prompt_version=f"{self.prompt_version}/{long_prompt_version()}/"
            f"{self.settings.llm_context_tokens}/{self.endpoint.response_format}",
            schema_version=f"{self.schema_version}/{long_schema_version()}",
        )

    async def extract(
        self,
        transcript: Source,
        *,
        deadline: Deadline | None = None,
        steps: StepRunner = INLINE,
        progress: Progress = silent,
    ) -> Extraction:
        """The validated report for `transcript`, from the cache or from the LLM.

        Only a clean extraction is cached: a salvaged one (items dropped after the attempts ran
        out) is asked for again next time. With the cache off (the service's draft cache is in
        front of it), the transcript is not even hashed.
        """
        key = self.cache_key(opened(transcript)) if self.cache.max_entries > 0 else None
        cached = self.cache.get(key) if key is not None else None
        if cached is not None:
            cached.usage = Usage(model=cached.usage.model, cached=True)
            return cached
        extraction = await self._extract(transcript, deadline or self.deadline(), steps, progress)
        if key is not None and not extraction.warnings:
            self.cache.put(key, extraction)
        return extraction

    def response_spec(
        self, transcript: Source, *, messages: int | None = None, offload: bool = False
    ) -> ResponseSpec[IncidentReport]:
        """The report model validated against this transcript (of `messages` messages),
        re-asked with extract_reask.j2; checked in a worker step when `offload`."""
        count = messages if messages is not None else len(opened(transcript).messages)
        return ResponseSpec(
            model=IncidentReport,
            schema_name=LLM_SCHEMA_NAME,
            schema=self.schema,
            task="extract the report",
            context={"transcript": transcript},
            reask=lambda answer, errors: reask_messages(answer, errors, count),
            max_attempts=self.settings.llm_max_attempts,
            offload=offload,
        )

    async def _extract(
        self, transcript: Source, deadline: Deadline, steps: StepRunner, progress: Progress
    ) -> Extraction:
        plan: ExtractionPlan = await steps.run(
            "building the prompt",
            plan_extraction,
            transcript,
            self.schema if self.json_object else None,
            self.chunk_schema if self.json_object else None,
            self.settings.llm_context_tokens,
            self.settings.llm_max_tokens,
        )
        if plan.messages is None:
            from app.llm.map_reduce import extract_in_chunks

            return await extract_in_chunks(
                self, transcript, plan.chunks, deadline=deadline, steps=steps, progress=progress
            )
        exchange = Exchange(usage=Usage(model=self.model))
        spec = self.response_spec(
            transcript,
            messages=plan.message_count,
            offload=plan.message_count >= OFFLOAD_MESSAGES,
        )
        try:
            answer = await ask_structured(
                self.endpoint,
                plan.messages,
                spec,
                deadline=deadline,
                exchange=exchange,
                steps=steps,
            )
        except InvalidAnswerError:
            return await self._salvaged(transcript, exchange, None, steps)
        except UpstreamError as exc:
            if not any(attempt.data for attempt in exchange.attempts):
                raise
            return await self._salvaged(transcript, exchange, exc, steps)  # a re-ask failed
        return Extraction(report=answer.value, usage=answer.usage)

    async def _salvaged(
        self,
        transcript: Source,
        exchange: Exchange,
        stopped_by: UpstreamError | None,
        steps: StepRunner,
    ) -> Extraction:
        best = await steps.run(
            "keeping what is valid of the answer", best_salvage, exchange.attempts, transcript
        )
        return self._salvage(best, exchange, stopped_by)

    def _salvage(
        self, best: Salvage | None, exchange: Exchange, stopped_by: UpstreamError | None
    ) -> Extraction:
        """The best partial report from the answers, or an error when none has enough."""
        attempts = len(exchange.attempts)
        if best is None or best.report is None:
            if stopped_by is not None:
                raise stopped_by
            errors = exchange.attempts[-1].errors if exchange.attempts else []
            shown = "; ".join(errors[:_MAX_ERRORS_SHOWN])
            hidden = len(errors) - _MAX_ERRORS_SHOWN
            more = f" (and {hidden} more)" if hidden > 0 else ""
            raise ExtractionError(
                f"the LLM's answer failed validation after {attempts} attempt(s) and too "
                f"little was valid to keep: {shown}{more}",
                hint="try a stronger model, or raise PM_LLM_MAX_ATTEMPTS",
                errors=errors,
                **exchange.extra(),
            )
        warnings = [
            f"the LLM's answer was still invalid after {attempts} attempt(s); "
            "kept the parts that were valid, dropped the rest:"
        ]
        if stopped_by is not None:
            warnings.append(f"stopped re-asking: {stopped_by.detail}")
        warnings.extend(best.warnings)
        return Extraction(report=best.report, usage=exchange.usage, warnings=warnings)


def best_salvage(attempts: list[Attempt], transcript: Source) -> Salvage | None:
    """A step: of the answers' valid parts, the salvage that dropped least (later answers
    first: they saw the errors)."""
    chat = opened(transcript)
    best: Salvage | None = None
    for attempt in reversed(attempts):
        if attempt.data is None:
            continue
        candidate = salvage(attempt.data, chat)
        if candidate.report is not None and (
            best is None or len(candidate.warnings) < len(best.warnings)
        ):
            best = candidate
    return best
