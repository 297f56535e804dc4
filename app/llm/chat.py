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
from functools import cache
from typing import TYPE_CHECKING, Protocol

from app.llm.reader import Completion, read_completion

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai import AsyncOpenAI, RequestOptions
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
    """`ChatModel` over an OpenAI-compatible endpoint (SDK retries are off: see client.py).

    The request goes through the SDK client's generic `post` (its documented way to call any
    path: the client's base URL, auth, Azure deployment routing, timeouts and status errors all
    apply) rather than `chat.completions.create`, which first runs the SDK's `transform` over
    the whole body: it walks every message and every node of the strict JSON schema against
    the params' type hints (about 0.35 ms per call, on the event loop), and for the plain dicts
    sent here gives back the same body. The same JSON goes out
    (tests/test_llm_chat_request.py compares the bytes with `create`'s).
    """

    def __init__(self, client: AsyncOpenAI) -> None:
        self.client = client

    async def complete(self, request: ChatRequest, *, timeout: float) -> Completion:
        import httpx

        response = await self.client.post(
            "/chat/completions",
            cast_to=httpx.Response,
            body=request_body(request),
            options=_request_options(timeout),
        )
        return read_completion(response.content, response.headers.get("content-type"))


def request_body(request: ChatRequest) -> dict[str, object]:
    """The chat-completions body, its keys in the order `chat.completions.create` sends them."""
    return {
        "messages": request.messages,
        "model": request.model,
        "max_tokens": request.max_tokens,
        "response_format": request.response_format,
        "temperature": request.temperature,
    }


def _request_options(timeout: float) -> RequestOptions:
    """`create`'s options: the timeout, and (SDKs that scope auth per call) bearer auth only."""
    options: RequestOptions = {"timeout": timeout}
    if _scoped_auth():
        options["security"] = {"bearer_auth": True}
    return options


@cache
def _scoped_auth() -> bool:
    """Whether this SDK version takes `security` per request (2.x: `create` passes bearer auth
    only; 1.x has no such option)."""
    import openai

    return "security" in openai.RequestOptions.__annotations__


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
