"""The judge's one LLM call: chat messages in, a validated `JudgeAnswer` and usage out.

Strict structured output with the committed schema (`schemas/claim_verdicts.schema.json`);
transient faults (timeouts, 429, 5xx) retried under one time budget with the LLM engine's retry
policy; an answer that fails validation re-asked once, quoting the error; then an `UpstreamError`
carrying the last raw completion. This is the piece to move onto the shared structured-LLM
function in `app/llm/` (it has the same shape: messages, response model, re-ask, retries,
deadline, usage).
"""

from __future__ import annotations

from typing import Any

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import ValidationError

from app.errors import UpstreamError, UpstreamUnavailableError
from app.llm.retry import BudgetExhaustedError, Deadline, RetryPolicy, RetryStats, call_with_retries
from app.schemas import load_judge_response_schema
from app.verify.judge_models import JudgeAnswer

MAX_ATTEMPTS = 2


def _content(completion: Any) -> str:
    """The text of the first choice, or '' when the answer has none."""
    choices = getattr(completion, "choices", None) or []
    message = getattr(choices[0], "message", None) if choices else None
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else ""


class JudgeModelCall:
    """Sends judge prompts to an OpenAI-compatible endpoint and counts what they cost."""

    def __init__(
        self,
        client: AsyncOpenAI,
        model: str,
        *,
        temperature: float = 0.0,
        retry: RetryPolicy | None = None,
        time_budget: float = 60.0,
        timeout: float = 60.0,
    ) -> None:
        self._client = client
        self._model = model
        self._temperature = temperature
        self._retry = retry or RetryPolicy()
        self._time_budget = time_budget
        self._timeout = timeout
        self.calls = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0

    def _count(self, completion: Any) -> None:
        usage = getattr(completion, "usage", None)
        prompt = getattr(usage, "prompt_tokens", 0)
        answer = getattr(usage, "completion_tokens", 0)
        self.prompt_tokens += prompt if isinstance(prompt, int) else 0
        self.completion_tokens += answer if isinstance(answer, int) else 0

    async def __call__(self, messages: list[ChatCompletionMessageParam]) -> JudgeAnswer:
        """The validated answer to `messages`; `UpstreamError` when none could be had."""
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {
                "name": "claim_verdicts",
                "strict": True,
                "schema": load_judge_response_schema(),
            },
        }
        sent = list(messages)
        last = ""
        deadline = Deadline(self._time_budget, self._retry.clock)
        for _attempt in range(MAX_ATTEMPTS):
            stats = RetryStats()

            async def request(
                timeout: float, payload: list[ChatCompletionMessageParam] = sent
            ) -> Any:
                return await self._client.chat.completions.create(
                    model=self._model,
                    messages=payload,
                    temperature=self._temperature,
                    response_format=response_format,
                    timeout=timeout,
                )

            try:
                completion = await call_with_retries(
                    request,
                    deadline=deadline,
                    per_request_timeout=self._timeout,
                    policy=self._retry,
                    stats=stats,
                )
            except (openai.APIError, BudgetExhaustedError) as error:
                self.calls += stats.requests
                raise UpstreamUnavailableError(
                    f"the LLM judge call failed: {type(error).__name__}"
                ) from error
            self.calls += stats.requests
            self._count(completion)
            last = _content(completion)
            try:
                return JudgeAnswer.model_validate_json(last)
            except ValidationError as error:
                problems = error.errors(include_url=False, include_input=False)[:10]
                sent = [
                    *sent,
                    {"role": "assistant", "content": last},
                    {
                        "role": "user",
                        "content": f"Your answer did not match the schema: {problems}. "
                        "Answer again with one verdict per claim index.",
                    },
                ]
        raise UpstreamError(
            "the LLM judge's answer failed validation on every attempt",
            attempts=MAX_ATTEMPTS,
            last_completion=last,
        )
