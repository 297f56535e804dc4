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
from app.llm.prompt import bounded_messages, prompt_version, reask_messages
from app.llm.retry import Deadline, RetryPolicy
from app.llm.structured import (
    Exchange,
    InvalidAnswerError,
    ResponseSpec,
    ask_structured,
)
from app.models import Extraction, IncidentReport, Transcript, Usage
from app.progress import Progress, silent
from app.schemas import LLM_SCHEMA_NAME, llm_schema_version, load_llm_response_schema
from app.workers import INLINE, StepRunner

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai import AsyncOpenAI


logger = logging.getLogger("postmortem.llm")

_MAX_ERRORS_SHOWN = 5


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
        self.prompt_version = prompt_version()
        self.schema_version = llm_schema_version()

    def deadline(self) -> Deadline:
        """A fresh PM_LLM_TIME_BUDGET, on the endpoint's clock."""
        return Deadline(self.settings.llm_time_budget, self.endpoint.retry.clock)

    def cache_key(self, transcript: Transcript) -> CacheKey:
        return CacheKey(
            transcript_sha256=transcript_hash(transcript),
            model=self.model,
            prompt_version=f"{self.prompt_version}/{self.endpoint.response_format}",
            schema_version=self.schema_version,
        )

    async def extract(
        self,
        transcript: Transcript,
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
        key = self.cache_key(transcript) if self.cache.max_entries > 0 else None
        cached = self.cache.get(key) if key is not None else None
        if cached is not None:
            cached.usage = Usage(model=cached.usage.model, cached=True)
            return cached
        extraction = await self._extract(transcript, deadline or self.deadline(), steps, progress)
        if key is not None and not extraction.warnings:
            self.cache.put(key, extraction)
        return extraction

    def response_spec(self, transcript: Transcript) -> ResponseSpec[IncidentReport]:
        """The report model validated against this transcript, re-asked with extract_reask.j2."""
        return ResponseSpec(
            model=IncidentReport,
            schema_name=LLM_SCHEMA_NAME,
            schema=self.schema,
            task="extract the report",
            context={"transcript": transcript},
            reask=lambda answer, errors: reask_messages(answer, errors, transcript),
            max_attempts=self.settings.llm_max_attempts,
        )

    async def _extract(
        self, transcript: Transcript, deadline: Deadline, steps: StepRunner, progress: Progress
    ) -> Extraction:
        del progress
        json_object = self.endpoint.response_format == "json_object"
        messages = await steps.run(
            "building the prompt",
            bounded_messages,
            transcript,
            self.schema if json_object else None,
            self.settings.llm_context_tokens,
            self.settings.llm_max_tokens,
        )
        exchange = Exchange(usage=Usage(model=self.model))
        try:
            answer = await ask_structured(
                self.endpoint,
                messages,
                self.response_spec(transcript),
                deadline=deadline,
                exchange=exchange,
            )
        except InvalidAnswerError:
            return self._salvage(transcript, exchange, None)
        except UpstreamError as exc:
            if not any(attempt.data for attempt in exchange.attempts):
                raise
            return self._salvage(transcript, exchange, exc)  # a re-ask failed: keep what we have
        return Extraction(report=answer.value, usage=answer.usage)

    def _salvage(
        self, transcript: Transcript, exchange: Exchange, stopped_by: UpstreamError | None
    ) -> Extraction:
        """The best partial report from the answers, or an error when none has enough."""
        best: Salvage | None = None
        for attempt in reversed(exchange.attempts):  # later answers first: they saw the errors
            if attempt.data is None:
                continue
            candidate = salvage(attempt.data, transcript)
            if candidate.report is not None and (
                best is None or len(candidate.warnings) < len(best.warnings)
            ):
                best = candidate
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
