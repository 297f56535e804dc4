"""The one seam for structured LLM calls: messages and a response model in, a validated model and
its usage out (instructor's `retry_async` shape).

`ask_structured` owns everything between: the request in the endpoint's response format (strict
json_schema, or JSON mode), transient faults retried with tenacity, ONE deadline for the whole
exchange (every retry, wait, re-ask and byte of every answer), the answer parsed and validated
with a context object (the transcript), a re-ask quoting the validation errors, usage counted per
completion, and every failure mapped to the same domain error whatever the caller (extraction,
judge, repair; /draft or /verify).

Callers that want to salvage partial answers pass an `Exchange` and read its `attempts` after a
failure: when every answer failed validation the seam raises `InvalidAnswerError`, and any other
failure is the mapped `UpstreamError`.

Validating an answer against a long transcript is CPU work (26 ms for an extraction answer at
10,000 messages, 0.1-0.7 ms for a 30-message chat, 0.15 ms for 30 judge verdicts, measured):
a spec marked `offload` is checked in a worker step (`steps`), the rest right here, where a
process hop would cost more than the check.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from app.errors import ExtractionError
from app.llm.answer import parse_json_object, validation_messages
from app.llm.chat import ChatRequest
from app.llm.endpoint import Endpoint
from app.llm.failures import (
    content_filter_error,
    refusal_error,
    request_error,
    truncation_error,
)
from app.llm.reader import Completion
from app.llm.retry import Deadline, RetryStats, call_with_retries
from app.metrics import observed_call
from app.models import Usage
from app.workers import INLINE, Deferred, StepRunner

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai.types.chat import ChatCompletionMessageParam

    from app.llm.chat import ResponseFormatParam

    Reask = Callable[[str, list[str]], list[ChatCompletionMessageParam]]


logger = logging.getLogger("postmortem.llm")

T = TypeVar("T", bound=BaseModel)

_MAX_REASK_ERRORS = 20
_MAX_ERRORS_SHOWN = 5


def quote_errors(answer: str, errors: list[str]) -> list[ChatCompletionMessageParam]:
    """The default re-ask: the rejected answer, then a user message quoting why."""
    shown = errors[:_MAX_REASK_ERRORS]
    if len(errors) > len(shown):
        shown.append(f"... and {len(errors) - len(shown)} more problems of the same kinds")
    lines = "\n".join(f"- {error}" for error in shown)
    return [
        {"role": "assistant", "content": answer},
        {
            "role": "user",
            "content": f"Your answer could not be accepted:\n{lines}\n\n"
            "Answer again with the complete, corrected JSON object.",
        },
    ]


@dataclass(frozen=True)
class ResponseSpec(Generic[T]):
    """What an answer must be, and how to ask again when it is not."""

    model: type[T]
    schema_name: str
    schema: dict[str, Any]  # the committed strict schema, sent in json_schema mode
    task: str  # what the model is asked to do, for messages: "extract the incident report"
    context: Mapping[str, Any] | None = None  # validation context, e.g. {"transcript": ...}
    reask: Reask = quote_errors
    max_attempts: int = 3
    offload: bool = False  # validate in a worker step: the context is large

    def check(self) -> AnswerCheck:
        """What validating an answer needs, picklable (no re-ask function)."""
        return AnswerCheck(model=self.model, context=self.context)


@dataclass(frozen=True)
class AnswerCheck:
    """A response model and its validation context (values may be `Deferred`, opened where the
    check runs)."""

    model: type[BaseModel]
    context: Mapping[str, Any] | None = None


@dataclass
class Attempt:
    """One answer: its text, the JSON object if it parsed, the errors if it did not validate."""

    content: str
    data: dict[str, Any] | None = None
    value: BaseModel | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Exchange:
    """Everything one structured call did: answers, requests and usage so far."""

    usage: Usage
    stats: RetryStats = field(default_factory=RetryStats)
    attempts: list[Attempt] = field(default_factory=list)

    def extra(self) -> dict[str, Any]:
        """Details for error responses: counts only, never transcript text."""
        last = self.attempts[-1].content if self.attempts else None
        return {
            "attempts": len(self.attempts),
            "requests": self.stats.requests,
            "usage": self.usage.model_dump(),
            "_last_completion": last,
        }


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated answer and what it cost."""

    value: T
    usage: Usage
    attempts: int


class InvalidAnswerError(ExtractionError):
    """Every answer failed validation; `answers` holds them (for salvage and diagnosis)."""

    def __init__(self, detail: str, *, answers: list[Attempt], **extra: object) -> None:
        super().__init__(detail, hint="try a stronger model, or raise PM_LLM_MAX_ATTEMPTS", **extra)
        self.answers = answers


def check_answer(content: str | None, spec: ResponseSpec[Any] | AnswerCheck) -> Attempt:
    """Parse and validate one answer against the spec's model and context; never raises."""
    attempt = Attempt(content=content or "")
    if not attempt.content.strip():
        attempt.errors = ["the answer was empty; answer with the JSON object"]
        return attempt
    try:
        attempt.data = parse_json_object(attempt.content)
    except ValueError as exc:
        attempt.errors = [str(exc)]
        return attempt
    context = None
    if spec.context is not None:
        context = {
            name: value.open() if isinstance(value, Deferred) else value
            for name, value in spec.context.items()
        }
    try:
        attempt.value = spec.model.model_validate(attempt.data, context=context)
    except ValidationError as exc:
        attempt.errors = validation_messages(exc) or ["the answer does not match the schema"]
    except RecursionError:
        attempt.errors = ["the answer is nested too deeply; answer with a flat JSON object"]
    return attempt


def response_format(endpoint: Endpoint, spec: ResponseSpec[Any]) -> ResponseFormatParam:
    """Strict json_schema with the committed schema, or JSON mode (schema in the prompt)."""
    if endpoint.response_format == "json_object":
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {"name": spec.schema_name, "schema": spec.schema, "strict": True},
    }


async def ask_structured(
    endpoint: Endpoint,
    messages: Sequence[ChatCompletionMessageParam],
    spec: ResponseSpec[T],
    *,
    deadline: Deadline,
    exchange: Exchange | None = None,
    steps: StepRunner = INLINE,
) -> Structured[T]:
    """Ask until an answer validates, at most `spec.max_attempts` answers, within `deadline`.

    The endpoint's `limiter` (the service's cap on concurrent LLM exchanges) is held for the
    whole exchange, retries and re-asks included; past the cap it raises at once. An `offload`
    spec's answers are validated by `steps` (in a worker, for the service)."""
    exchange = exchange or Exchange(usage=Usage(model=endpoint.model))
    if endpoint.limiter is None:
        return await _exchange(endpoint, messages, spec, deadline, exchange, steps)
    async with endpoint.limiter():
        return await _exchange(endpoint, messages, spec, deadline, exchange, steps)


async def _exchange(
    endpoint: Endpoint,
    messages: Sequence[ChatCompletionMessageParam],
    spec: ResponseSpec[T],
    deadline: Deadline,
    exchange: Exchange,
    steps: StepRunner,
) -> Structured[T]:
    sent = list(messages)
    for number in range(1, spec.max_attempts + 1):
        completion = await _complete(endpoint, sent, spec, deadline, exchange)
        if spec.offload:
            attempt = await steps.run(
                f"checking the LLM's answer ({spec.schema_name})",
                check_answer,
                completion.content,
                spec.check(),
            )
        else:
            attempt = check_answer(completion.content, spec)
        exchange.attempts.append(attempt)
        if attempt.value is not None:
            logger.info("LLM answer (%s) valid on attempt %d", spec.schema_name, number)
            value: T = attempt.value  # type: ignore[assignment]  # validated as spec.model
            return Structured(value=value, usage=exchange.usage, attempts=number)
        logger.warning(
            "LLM answer (%s) %d invalid (%d problems)%s",
            spec.schema_name,
            number,
            len(attempt.errors),
            "; re-asking" if number < spec.max_attempts else "",
        )
        sent = [*sent, *spec.reask(attempt.content, attempt.errors)]
    errors = exchange.attempts[-1].errors
    shown = "; ".join(errors[:_MAX_ERRORS_SHOWN])
    hidden = len(errors) - _MAX_ERRORS_SHOWN
    more = f" (and {hidden} more)" if hidden > 0 else ""
    raise InvalidAnswerError(
        f"the LLM's answer failed validation after {len(exchange.attempts)} attempt(s): "
        f"{shown}{more}",
        answers=exchange.attempts,
        errors=errors,
        **exchange.extra(),
    )


async def _complete(
    endpoint: Endpoint,
    messages: list[ChatCompletionMessageParam],
    spec: ResponseSpec[Any],
    deadline: Deadline,
    exchange: Exchange,
) -> Completion:
    """One completion: transient faults retried, everything else a domain error."""
    request = ChatRequest(
        model=endpoint.model,
        messages=messages,
        response_format=response_format(endpoint, spec),
        temperature=endpoint.temperature,
        max_tokens=endpoint.max_tokens,
    )

    async def send(timeout: float) -> Completion:
        with observed_call(endpoint.model) as observe:
            completion = await endpoint.chat.complete(request, timeout=timeout)
            observe(completion.prompt_tokens, completion.completion_tokens)
        return completion

    try:
        completion = await call_with_retries(
            send,
            deadline=deadline,
            per_request_timeout=endpoint.timeout,
            policy=endpoint.retry,
            stats=exchange.stats,
        )
    except Exception as exc:
        raise request_error(exc, endpoint, deadline.budget, **exchange.extra()) from exc
    usage = exchange.usage
    usage.llm_calls += 1
    usage.model = completion.model or usage.model
    usage.prompt_tokens += completion.prompt_tokens
    usage.completion_tokens += completion.completion_tokens
    if completion.refusal:
        raise refusal_error(completion.refusal, endpoint, spec.task, **exchange.extra())
    if completion.finish_reason == "length":
        raise truncation_error(endpoint, **exchange.extra())
    if completion.finish_reason == "content_filter":
        raise content_filter_error(**exchange.extra())
    return completion
