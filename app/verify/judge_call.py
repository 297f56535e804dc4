"""The judge's one LLM call: chat messages in, a validated `JudgeAnswer` and usage out.

A prompt plus a response model on the shared seam, `app.llm.structured.ask_structured`: strict
structured output with the committed schema (`schemas/claim_verdicts.schema.json`, or JSON mode
with the schema in the system prompt), transient faults retried with tenacity, one deadline for
the whole exchange (the request's PM_LLM_TIME_BUDGET when the pipeline passes it), an answer that
fails validation re-asked quoting the errors, usage counted, and every failure the same domain
error as the extraction's (502/503/504 naming the judge's endpoint by scheme, host and port).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from app.llm.endpoint import Endpoint
from app.llm.retry import Deadline
from app.llm.structured import Exchange, ResponseSpec, ask_structured
from app.models import Usage
from app.schemas import load_judge_response_schema
from app.verify.judge_models import JudgeAnswer

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai.types.chat import ChatCompletionMessageParam


MAX_ATTEMPTS = 2
JUDGE_SCHEMA_NAME = "claim_verdicts"


class JudgeModelCall:
    """Sends judge prompts through the seam and counts what they cost."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        deadline: Deadline | None = None,
        time_budget: float = 60.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.endpoint = endpoint
        self._deadline = deadline
        self._time_budget = time_budget
        self._max_attempts = max_attempts
        self.calls = 0  # requests sent, retries and re-asks included
        self.prompt_tokens = 0
        self.completion_tokens = 0

    def spec(self) -> ResponseSpec[JudgeAnswer]:
        return ResponseSpec(
            model=JudgeAnswer,
            schema_name=JUDGE_SCHEMA_NAME,
            schema=load_judge_response_schema(),
            task="judge the claims",
            max_attempts=self._max_attempts,
        )

    async def __call__(self, messages: list[ChatCompletionMessageParam]) -> JudgeAnswer:
        """The validated answer to `messages`; the seam's `UpstreamError` when none could be had."""
        deadline = self._deadline or Deadline(self._time_budget, self.endpoint.retry.clock)
        exchange = Exchange(usage=Usage(model=self.endpoint.model))
        try:
            answer = await ask_structured(
                self.endpoint,
                _with_schema(messages, self.endpoint),
                self.spec(),
                deadline=deadline,
                exchange=exchange,
            )
        finally:
            self.calls += exchange.stats.requests
            self.prompt_tokens += exchange.usage.prompt_tokens
            self.completion_tokens += exchange.usage.completion_tokens
        return answer.value


def _with_schema(
    messages: list[ChatCompletionMessageParam], endpoint: Endpoint
) -> list[ChatCompletionMessageParam]:
    """In JSON mode the server does not enforce the schema, so the system prompt states it."""
    if endpoint.response_format != "json_object" or not messages:
        return messages
    first, *rest = messages
    schema = json.dumps(load_judge_response_schema(), ensure_ascii=False)
    system = (
        f"{first.get('content') or ''}\n\nAnswer with one JSON object and nothing else. It must "
        f"match this JSON Schema:\n{schema}"
    )
    return [{"role": "system", "content": system}, *rest]
