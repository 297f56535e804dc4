"""The LLM judge: claims the rules cannot settle, decided in one batched structured-output call.

`ClaimJudge` is the seam; `LLMClaimJudge` implements it over an OpenAI-compatible endpoint
(chat.completions with a strict JSON Schema response format). Each claim travels with the
messages retrieved for it, so the prompt stays small however long the chat is. An answer that
fails validation is re-asked once, quoting the error; then `UpstreamError` carries the last raw
completion. Evidence ids are checked against the transcript by the caller (`checker._judged`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.errors import UpstreamError
from app.models import Message, Transcript
from app.resources import render_prompt
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


def _strict_schema(model: type[BaseModel]) -> dict[str, Any]:
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

    def __init__(self, client: AsyncOpenAI, model: str, *, temperature: float = 0.0) -> None:
        self._client = client
        self._model = model
        self._temperature = temperature

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
                "schema": _strict_schema(JudgeAnswer),
            },
        }
        wanted = {c.index for c in claims}
        last = ""
        for _attempt in range(MAX_ATTEMPTS):
            try:
                completion = await self._client.chat.completions.create(
                    model=self._model,
                    messages=messages,
                    temperature=self._temperature,
                    response_format=response_format,
                )
            except openai.APIError as error:
                raise UpstreamError(f"the LLM judge call failed: {error}") from error
            last = completion.choices[0].message.content or "" if completion.choices else ""
            try:
                answer = JudgeAnswer.model_validate_json(last)
            except ValidationError as error:
                messages += [
                    {"role": "assistant", "content": last},
                    {"role": "user", "content": "Your answer did not match the schema: "
                     f"{error.errors(include_url=False, include_input=False)}. "
                     "Answer again with one verdict per claim index."},
                ]
                continue
            return [v for v in answer.verdicts if v.index in wanted]
        raise UpstreamError(
            "the LLM judge's answer failed validation on every attempt",
            attempts=MAX_ATTEMPTS,
            last_completion=last,
        )
