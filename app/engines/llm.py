"""The LLM engine: one call per transcript answers the whole `IncidentReport` in our schema.

For each transcript (already redacted by the pipeline):

1. Serve a cached extraction when the same transcript was extracted with the same model, prompt
   and schema (`Usage.cached`).
2. Ask once, with the numbered transcript and `response_format` = the committed strict schema
   (or JSON mode with the schema in the prompt). Transient faults are retried under the time
   budget (`app.llm.retry`); refusals, truncation and 4xx become clear domain errors.
3. Validate the answer with the transcript as context. On failure, append the answer and a
   message quoting the errors, and ask again, up to PM_LLM_MAX_ATTEMPTS answers in all.
4. When the attempts run out, salvage the best answer: keep the items valid on their own, report
   each dropped one in `Extraction.warnings`; with no valid title and summary, raise
   `ExtractionError` carrying the attempts, the errors and (privately) the last raw answer.
"""

from __future__ import annotations

import logging
from typing import Any

from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONObject, ResponseFormatJSONSchema

from app.config import Settings
from app.errors import ConfigurationError, ExtractionError, UpstreamError
from app.llm.answer import Answer, Salvage, check_answer, salvage
from app.llm.cache import CacheKey, ExtractionCache, transcript_hash
from app.llm.client import build_client
from app.llm.failures import (
    content_filter_error,
    refusal_error,
    request_error,
    truncation_error,
)
from app.llm.prompt import build_messages, prompt_version, reask_messages
from app.llm.retry import Deadline, RetryPolicy, RetryStats, call_with_retries
from app.models import Extraction, Transcript, Usage
from app.schemas import LLM_SCHEMA_NAME, llm_schema_version, load_llm_response_schema

logger = logging.getLogger("postmortem.llm")

_MAX_ERRORS_SHOWN = 5


class _Run:
    """Bookkeeping for one extraction: usage, requests and answers so far."""

    def __init__(self, model: str) -> None:
        self.usage = Usage(model=model)
        self.stats = RetryStats()
        self.answers: list[Answer] = []

    def extra(self) -> dict[str, Any]:
        """Details for error responses: counts only, never transcript text."""
        last = self.answers[-1].content if self.answers else None
        return {
            "attempts": len(self.answers),
            "requests": self.stats.requests,
            "usage": self.usage.model_dump(),
            "_last_completion": last,
        }


class LLMEngine:
    """Extracts an `IncidentReport` with an OpenAI-compatible LLM, validated against the chat."""

    name = "llm"

    def __init__(
        self,
        settings: Settings,
        *,
        client: AsyncOpenAI | None = None,
        cache: ExtractionCache | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if not settings.llm_configured or not settings.llm_model:
            raise ConfigurationError(
                "the llm engine is not configured",
                hint="set PM_LLM_MODEL and PM_LLM_BASE_URL (or PM_LLM_API_KEY for OpenAI)",
            )
        self.settings = settings
        self.model: str = settings.llm_model
        self.client = client or build_client(settings)
        self.cache = cache if cache is not None else ExtractionCache(settings.llm_cache_size)
        self.retry = retry or RetryPolicy()
        self.schema = load_llm_response_schema()
        self.prompt_version = prompt_version()
        self.schema_version = llm_schema_version()

    def cache_key(self, transcript: Transcript) -> CacheKey:
        return CacheKey(
            transcript_sha256=transcript_hash(transcript),
            model=self.model,
            prompt_version=f"{self.prompt_version}/{self.settings.llm_response_format}",
            schema_version=self.schema_version,
        )

    async def extract(self, transcript: Transcript) -> Extraction:
        """The validated report for `transcript`, from the cache or from the LLM."""
        key = self.cache_key(transcript)
        cached = self.cache.get(key)
        if cached is not None:
            cached.usage = Usage(model=cached.usage.model, cached=True)
            return cached
        extraction = await self._extract(transcript)
        self.cache.put(key, extraction)
        return extraction

    async def _extract(self, transcript: Transcript) -> Extraction:
        run = _Run(self.model)
        deadline = Deadline(self.settings.llm_time_budget, self.retry.clock)
        json_object = self.settings.llm_response_format == "json_object"
        messages = build_messages(transcript, schema=self.schema if json_object else None)
        stopped_by: UpstreamError | None = None
        for attempt in range(1, self.settings.llm_max_attempts + 1):
            try:
                content = await self._ask(messages, deadline, run)
            except UpstreamError as exc:
                if not any(answer.data for answer in run.answers):
                    raise
                stopped_by = exc  # a re-ask failed: salvage what the earlier answers hold
                break
            answer = check_answer(content, transcript)
            run.answers.append(answer)
            if answer.report is not None:
                logger.info("LLM answer valid on attempt %d", attempt)
                return Extraction(report=answer.report, usage=run.usage)
            logger.warning(
                "LLM answer %d invalid (%d problems); %s",
                attempt,
                len(answer.errors),
                "re-asking" if attempt < self.settings.llm_max_attempts else "salvaging",
            )
            messages = [*messages, *reask_messages(answer.content, answer.errors, transcript)]
        return self._salvage(transcript, run, stopped_by)

    async def _ask(
        self, messages: list[ChatCompletionMessageParam], deadline: Deadline, run: _Run
    ) -> str | None:
        """One answer's text; transient faults retried, everything else a domain error."""
        response_format: ResponseFormatJSONSchema | ResponseFormatJSONObject
        if self.settings.llm_response_format == "json_object":
            response_format = {"type": "json_object"}
        else:
            response_format = {
                "type": "json_schema",
                "json_schema": {"name": LLM_SCHEMA_NAME, "schema": self.schema, "strict": True},
            }

        async def request(timeout: float) -> ChatCompletion:
            return await self.client.chat.completions.create(
                model=self.model,
                messages=messages,
                response_format=response_format,
                temperature=self.settings.llm_temperature,
                max_tokens=self.settings.llm_max_tokens,
                timeout=timeout,
            )

        try:
            completion = await call_with_retries(
                request,
                deadline=deadline,
                per_request_timeout=self.settings.llm_timeout,
                policy=self.retry,
                stats=run.stats,
            )
        except Exception as exc:
            raise request_error(exc, self.settings, **run.extra()) from exc
        self._count(completion, run)
        if not completion.choices:
            raise UpstreamError("the LLM answered with no choices", **run.extra())
        choice = completion.choices[0]
        if choice.message.refusal:
            raise refusal_error(choice.message.refusal, **run.extra())
        if choice.finish_reason == "length":
            raise truncation_error(self.settings, **run.extra())
        if choice.finish_reason == "content_filter":
            raise content_filter_error(**run.extra())
        return choice.message.content

    def _count(self, completion: ChatCompletion, run: _Run) -> None:
        usage = run.usage
        usage.llm_calls += 1
        usage.model = completion.model or usage.model
        if completion.usage is not None:
            usage.prompt_tokens += completion.usage.prompt_tokens or 0
            usage.completion_tokens += completion.usage.completion_tokens or 0

    def _salvage(
        self, transcript: Transcript, run: _Run, stopped_by: UpstreamError | None
    ) -> Extraction:
        """The best partial report from the answers, or an error when none has enough."""
        best: Salvage | None = None
        for answer in reversed(run.answers):  # later answers first: they saw the error list
            if answer.data is None:
                continue
            candidate = salvage(answer.data, transcript)
            if candidate.report is not None and (
                best is None or len(candidate.warnings) < len(best.warnings)
            ):
                best = candidate
        attempts = len(run.answers)
        if best is None or best.report is None:
            if stopped_by is not None:
                raise stopped_by
            errors = run.answers[-1].errors if run.answers else []
            shown = "; ".join(errors[:_MAX_ERRORS_SHOWN])
            hidden = len(errors) - _MAX_ERRORS_SHOWN
            more = f" (and {hidden} more)" if hidden > 0 else ""
            raise ExtractionError(
                f"the LLM's answer failed validation after {attempts} attempt(s) and too "
                f"little was valid to keep: {shown}{more}",
                hint="try a stronger model, or raise PM_LLM_MAX_ATTEMPTS",
                errors=errors,
                **run.extra(),
            )
        warnings = [
            f"the LLM's answer was still invalid after {attempts} attempt(s); "
            "kept the parts that were valid, dropped the rest:"
        ]
        if stopped_by is not None:
            warnings.append(f"stopped re-asking: {stopped_by.detail}")
        warnings.extend(best.warnings)
        return Extraction(report=best.report, usage=run.usage, warnings=warnings)
