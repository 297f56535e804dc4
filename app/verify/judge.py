"""The LLM judge: claims the rules cannot settle, decided in one batched structured-output call.

`ClaimJudge` is the seam; `LLMClaimJudge` implements it over an OpenAI-compatible endpoint
(chat.completions with a strict JSON Schema response format). Each claim travels with the
messages retrieved for it, so the prompt stays small however long the chat is. An answer that
fails validation is re-asked once, quoting the error; then `UpstreamError` carries the last raw
completion. Evidence ids are checked against the transcript by the caller (`checker._judged`).
Transient faults (timeouts, 429, 5xx) are retried under a time budget with the LLM engine's retry
policy. `CachedJudge` keeps verdicts per (transcript, claims), so a draft for a second audience
costs no judge call.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Protocol

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import UpstreamError, UpstreamUnavailableError
from app.llm.cache import transcript_hash
from app.llm.retry import (
    BudgetExhaustedError,
    Deadline,
    RetryPolicy,
    RetryStats,
    call_with_retries,
)
from app.models import Message, Transcript
from app.resources import render_prompt
from app.schemas import load_judge_response_schema
from app.verify.verdicts import ClaimStatus

MAX_ATTEMPTS = 2


class JudgeRequest(BaseModel):
    """One unsettled claim and the messages retrieved for it."""

    index: int
    claim: str
    candidates: list[int]


class JudgeVerdict(BaseModel):
    """The judge's answer for one claim."""

    model_config = ConfigDict(extra="forbid")

    index: int = Field(description="The claim's index as given in the request.")
    status: ClaimStatus
    evidence: list[int] = Field(description="Ids of the messages that support or contradict it.")
    reason: str = Field(description="One sentence: why.")


class JudgeAnswer(BaseModel):
    """The whole structured answer: one verdict per claim."""

    model_config = ConfigDict(extra="forbid")

    verdicts: list[JudgeVerdict]


class ClaimJudge(Protocol):
    """Decides claims the deterministic checks could not."""

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        """One verdict per claim (claims left out keep the rules' default)."""
        ...


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema in the form OpenAI's strict mode accepts."""
    schema = model.model_json_schema()

    def tighten(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("title", None)
            if node.get("type") == "object":
                node["additionalProperties"] = False
                node["required"] = list(node.get("properties", {}))
            for value in node.values():
                tighten(value)
        elif isinstance(node, list):
            for value in node:
                tighten(value)

    tighten(schema)
    return schema


def _message_line(message: Message) -> str:
    when = message.time or "--:--"
    return f"[{message.id}] {when} {message.author or '(unknown)'}: {message.text}"


class LLMClaimJudge:
    """`ClaimJudge` over an OpenAI-compatible chat completions endpoint."""

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

    def messages_for(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[ChatCompletionMessageParam]:
        """The system and user messages for one batch."""
        ids = sorted({i for c in claims for i in c.candidates})
        excerpt = [m for i in ids if (m := transcript.message(i)) is not None]
        return [
            {"role": "system", "content": render_prompt("judge_system.j2")},
            {
                "role": "user",
                "content": render_prompt(
                    "judge_user.j2",
                    claims=list(claims),
                    messages=[_message_line(m) for m in excerpt],
                ),
            },
        ]

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        """Ask once for all claims; re-ask once if the answer does not validate."""
        if not claims:
            return []
        messages = self.messages_for(claims, transcript)
        response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {
                "name": "claim_verdicts",
                "strict": True,
                "schema": load_judge_response_schema(),
            },
        }
        wanted = {c.index for c in claims}
        last = ""
        deadline = Deadline(self._time_budget, self._retry.clock)
        for _attempt in range(MAX_ATTEMPTS):
            stats = RetryStats()

            async def request(
                timeout: float, sent: list[ChatCompletionMessageParam] = messages
            ) -> Any:
                return await self._client.chat.completions.create(
                    model=self._model,
                    messages=sent,
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
            if completion.usage is not None:
                self.prompt_tokens += completion.usage.prompt_tokens
                self.completion_tokens += completion.usage.completion_tokens
            last = completion.choices[0].message.content or "" if completion.choices else ""
            try:
                answer = JudgeAnswer.model_validate_json(last)
            except ValidationError as error:
                messages += [
                    {"role": "assistant", "content": last},
                    {
                        "role": "user",
                        "content": "Your answer did not match the schema: "
                        f"{error.errors(include_url=False, include_input=False)}. "
                        "Answer again with one verdict per claim index.",
                    },
                ]
                continue
            return [v for v in answer.verdicts if v.index in wanted]
        raise UpstreamError(
            "the LLM judge's answer failed validation on every attempt",
            attempts=MAX_ATTEMPTS,
            last_completion=last,
        )


class JudgeCache:
    """Bounded LRU of judge verdicts keyed by transcript and the exact claims asked about."""

    def __init__(self, max_entries: int = 128) -> None:
        self._entries: OrderedDict[str, list[JudgeVerdict]] = OrderedDict()
        self._max = max_entries

    @staticmethod
    def key(claims: Sequence[JudgeRequest], transcript: Transcript, model: str) -> str:
        asked = json.dumps([c.model_dump() for c in claims], sort_keys=True)
        text = f"{model}\n{transcript_hash(transcript)}\n{asked}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> list[JudgeVerdict] | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: str, verdicts: list[JudgeVerdict]) -> None:
        if self._max <= 0:
            return
        self._entries[key] = verdicts
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)


class CachedJudge:
    """A `ClaimJudge` that answers repeated questions from a shared `JudgeCache`."""

    def __init__(self, inner: ClaimJudge, cache: JudgeCache, model: str) -> None:
        self._inner = inner
        self._cache = cache
        self._model = model
        self.hits = 0

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        key = JudgeCache.key(claims, transcript, self._model)
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        verdicts = await self._inner.judge(claims, transcript)
        self._cache.put(key, verdicts)
        return verdicts
