"""The model behind the seam: one chat request in, one checked `Completion` out.

`ChatModel` is what `app.llm.structured.ask_structured` calls. `OpenAIChatModel` sends the
request with the OpenAI SDK (any compatible server) and reads the raw 200 body with
`app.llm.reader`, so a malformed answer is a `MalformedCompletion`, never an AttributeError.
`FunctionChatModel` answers from a Python function instead (pydantic-ai's `FunctionModel` idea):
tests and tools drive extraction, judge and repair through the real seam without HTTP.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from app.llm.reader import Completion, read_completion

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONObject, ResponseFormatJSONSchema

    ResponseFormatParam = ResponseFormatJSONSchema | ResponseFormatJSONObject


@dataclass(frozen=True)
class ChatRequest:
    """Everything one chat-completions request sends, besides the timeout."""

    model: str
    messages: list[ChatCompletionMessageParam]
    response_format: ResponseFormatParam
    temperature: float
    max_tokens: int

    @property
    def schema_name(self) -> str | None:
        """The json_schema name (`incident_report`, `claim_verdicts`, ...), if any."""
        if self.response_format["type"] == "json_schema":
            return self.response_format["json_schema"]["name"]
        return None


class ChatModel(Protocol):
    """Sends one request; raises the SDK's exceptions or `MalformedCompletion`."""

    async def complete(self, request: ChatRequest, *, timeout: float) -> Completion: ...


class OpenAIChatModel:
    """`ChatModel` over an OpenAI-compatible endpoint (SDK retries are off: see client.py)."""

    def __init__(self, client: AsyncOpenAI) -> None:
        self.client = client

    async def complete(self, request: ChatRequest, *, timeout: float) -> Completion:
        raw = await self.client.chat.completions.with_raw_response.create(
            model=request.model,
            messages=request.messages,
            response_format=request.response_format,
            temperature=request.temperature,
            max_tokens=request.max_tokens,
            timeout=timeout,
        )
        response = raw.http_response
        return read_completion(response.content, response.headers.get("content-type"))


Answerer = Callable[[ChatRequest], "str | Completion | Awaitable[str | Completion]"]


@dataclass
class FunctionChatModel:
    """A `ChatModel` whose answers come from `answer(request)`: text, a `Completion`, or an
    exception it raises. Every request is kept in `requests` for assertions."""

    answer: Answerer
    model: str = "function-model"
    requests: list[ChatRequest] = field(default_factory=list)

    async def complete(self, request: ChatRequest, *, timeout: float) -> Completion:  # noqa: ARG002
        self.requests.append(request)
        result = self.answer(request)
        if inspect.isawaitable(result):
            result = await result
        if isinstance(result, Completion):
            return result
        return Completion(
            content=result,
            finish_reason="stop",
            model=self.model,
            prompt_tokens=sum(len(str(m.get("content") or "")) for m in request.messages) // 4,
            completion_tokens=len(result) // 4,
        )
