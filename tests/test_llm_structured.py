"""The seam for structured LLM calls, faked at the model (no HTTP): validation with context,
re-ask quoting the errors, retries, one deadline for the whole exchange, usage, error mapping."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import openai
import pytest
from pydantic import BaseModel, ValidationInfo, field_validator

from app.errors import UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from app.llm.chat import ChatRequest, FunctionChatModel
from app.llm.reader import Completion
from app.llm.retry import Deadline
from app.llm.structured import (
    Exchange,
    InvalidAnswerError,
    ResponseSpec,
    ask_structured,
    check_answer,
)
from app.models import Usage
from tests.llm_fakes import FakeClock, function_endpoint


class Pick(BaseModel):
    """A toy response model whose validity depends on the context, like the report's."""

    message: int
    reason: str

    @field_validator("message")
    @classmethod
    def _exists(cls, value: int, info: ValidationInfo) -> int:
        known = (info.context or {}).get("ids", set())
        if value not in known:
            raise ValueError(f"message {value} does not exist; valid ids are {sorted(known)}")
        return value


SPEC = ResponseSpec(
    model=Pick,
    schema_name="pick",
    schema={"type": "object"},
    task="pick a message",
    context={"ids": {1, 2, 3}},
    max_attempts=3,
)
MESSAGES: list[Any] = [{"role": "user", "content": "pick one"}]


def answers(*given: Any) -> FunctionChatModel:
    queue = list(given)

    def answer(_: ChatRequest) -> Any:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, BaseException):
            raise item
        return item

    return FunctionChatModel(answer)


def status_error(status: int, **headers: str) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://llm.test/v1/chat/completions")
    response = httpx.Response(status, headers=headers, request=request)
    return openai.APIStatusError("upstream", response=response, body=None)


async def test_a_valid_answer_is_the_model_and_its_usage() -> None:
    chat = answers('{"message": 2, "reason": "it says so"}')
    clock = FakeClock()

    result = await ask_structured(
        function_endpoint(chat, clock), MESSAGES, SPEC, deadline=Deadline(30, clock)
    )

    assert (result.value.message, result.value.reason) == (2, "it says so")
    assert result.attempts == 1 and result.usage.llm_calls == 1
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    (request,) = chat.requests
    assert request.response_format == {
        "type": "json_schema",
        "json_schema": {"name": "pick", "schema": {"type": "object"}, "strict": True},
    }
    assert request.temperature == 0 and request.max_tokens == 4096


async def test_an_answer_invalid_in_context_is_reasked_quoting_the_error() -> None:
    chat = answers('{"message": 9, "reason": "x"}', '{"message": 3, "reason": "m3"}')
    clock = FakeClock()

    result = await ask_structured(
        function_endpoint(chat, clock), MESSAGES, SPEC, deadline=Deadline(30, clock)
    )

    assert result.value.message == 3 and result.attempts == 2
    assert result.usage.llm_calls == 2
    reask = chat.requests[1].messages
    assert reask[-2] == {"role": "assistant", "content": '{"message": 9, "reason": "x"}'}
    assert "message: message 9 does not exist; valid ids are [1, 2, 3]" in str(reask[-1]["content"])


async def test_every_answer_invalid_raises_with_the_answers_kept() -> None:
    chat = answers("not json", '{"message": 7, "reason": "x"}')
    exchange = Exchange(usage=Usage(model="test-model"))
    clock = FakeClock()

    with pytest.raises(InvalidAnswerError) as caught:
        await ask_structured(
            function_endpoint(chat, clock),
            MESSAGES,
            SPEC,
            deadline=Deadline(30, clock),
            exchange=exchange,
        )

    error = caught.value
    assert error.status == 502 and "failed validation after 3 attempt(s)" in error.detail
    assert [a.data for a in error.answers] == [None, {"message": 7, "reason": "x"}] + [
        {"message": 7, "reason": "x"}
    ]
    assert error.extra["attempts"] == 3 and error.extra["_last_completion"]
    assert exchange.usage.llm_calls == 3


async def test_transient_faults_are_retried_with_backoff_on_one_deadline() -> None:
    chat = answers(status_error(503), status_error(502), '{"message": 1, "reason": "ok"}')
    clock = FakeClock()

    result = await ask_structured(
        function_endpoint(chat, clock), MESSAGES, SPEC, deadline=Deadline(30, clock)
    )

    assert result.value.message == 1
    assert clock.sleeps == [0.5, 1.0] and len(chat.requests) == 3
    assert result.usage.llm_calls == 1  # completions, not failed requests


async def test_the_deadline_covers_re_asks_as_well_as_retries() -> None:
    clock = FakeClock()

    def slow_and_wrong(_: ChatRequest) -> str:
        clock.now += 4  # each answer takes 4 s of the 10 s budget
        return '{"message": 9, "reason": "x"}'

    chat = FunctionChatModel(slow_and_wrong)
    spec = ResponseSpec(
        model=Pick, schema_name="pick", schema={}, task="pick", context={"ids": {1}}, max_attempts=5
    )

    with pytest.raises(UpstreamTimeoutError) as caught:
        await ask_structured(
            function_endpoint(chat, clock, timeout=5), MESSAGES, spec, deadline=Deadline(10, clock)
        )

    # Answers at 4 s and 8 s; the third is sent with the 2 s left and lands at 12 s; no fourth
    # is sent, though five attempts were allowed.
    assert len(chat.requests) == 3
    assert caught.value.status == 504 and "10s time budget" in caught.value.detail
    assert caught.value.extra["attempts"] == 3


async def test_a_spent_budget_is_a_504_naming_both_settings() -> None:
    clock = FakeClock()
    chat = answers(status_error(503))
    clock.now = 0

    with pytest.raises(UpstreamUnavailableError) as caught:
        await ask_structured(
            function_endpoint(chat, clock, timeout=5), MESSAGES, SPEC, deadline=Deadline(2, clock)
        )
    assert "PM_LLM_TIMEOUT=5s, PM_LLM_TIME_BUDGET=2s" in caught.value.detail

    spent = Deadline(1, clock)
    clock.now += 5
    with pytest.raises(UpstreamTimeoutError) as timed_out:
        await ask_structured(
            function_endpoint(answers("{}"), clock), MESSAGES, SPEC, deadline=spent
        )
    assert timed_out.value.status == 504 and "1s time budget" in timed_out.value.detail


@pytest.mark.parametrize(
    ("completion", "says"),
    [
        (Completion(content=None, refusal="I can't help with that."), "refused to pick a message"),
        (Completion(content='{"message": 1', finish_reason="length"), "PM_LLM_MAX_TOKENS=4096"),
        (Completion(content="", finish_reason="content_filter"), "content filter"),
    ],
)
async def test_refusal_truncation_and_filter_are_502_without_a_reask(
    completion: Completion, says: str
) -> None:
    chat = answers(completion)
    clock = FakeClock()

    with pytest.raises(UpstreamError) as caught:
        await ask_structured(
            function_endpoint(chat, clock), MESSAGES, SPEC, deadline=Deadline(30, clock)
        )

    assert type(caught.value) is UpstreamError and caught.value.status == 502
    assert says in caught.value.detail
    assert len(chat.requests) == 1
    assert caught.value.extra["usage"]["llm_calls"] == 1


async def test_json_object_mode_sends_json_mode() -> None:
    chat = answers('{"message": 1, "reason": "ok"}')

    await ask_structured(
        function_endpoint(chat, response_format="json_object"),
        MESSAGES,
        SPEC,
        deadline=Deadline(30, FakeClock()),
    )

    assert chat.requests[0].response_format == {"type": "json_object"}


async def test_the_limiter_is_held_around_the_whole_exchange() -> None:
    held: list[str] = []

    @asynccontextmanager
    async def limiter() -> AsyncIterator[None]:
        held.append("enter")
        yield
        held.append("exit")

    def answer(_: ChatRequest) -> str:
        held.append("request")
        return '{"message": 5, "reason": "x"}' if len(held) < 3 else '{"message": 1, "reason": "y"}'

    clock = FakeClock()
    await ask_structured(
        function_endpoint(FunctionChatModel(answer), clock, limiter=limiter),
        MESSAGES,
        SPEC,
        deadline=Deadline(30, clock),
    )

    assert held == ["enter", "request", "request", "exit"]  # a re-ask keeps its slot


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("", "empty"),
        ("[1, 2]", "one JSON object, not a JSON list"),
        ('{"message": ' * 100_000, "nested too deeply"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"message": ' + "9" * 5000 + "}", "number is far too long"),
        ("no json here", "not valid JSON"),
    ],
)
def test_unreadable_answers_become_errors_to_quote(content: str, says: str) -> None:
    attempt = check_answer(content, SPEC)

    assert attempt.value is None
    assert says in " ".join(attempt.errors)


def test_lone_surrogates_in_an_answer_are_replaced() -> None:
    attempt = check_answer(json.dumps({"message": 1, "reason": "\ud800 bad"}), SPEC)

    assert attempt.value is not None
    json.dumps(attempt.value.model_dump(), ensure_ascii=False).encode("utf-8")  # no error
