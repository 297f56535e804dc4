"""Endpoint failures: transient faults retried under the budget, everything else a clear domain
error (502/503/504), never a 500. Waits are slept on a fake clock and asserted."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from app.engines.llm import LLMEngine
from app.errors import UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from app.llm.retry import RetryPolicy, retry_after_seconds
from tests.llm_fakes import (
    COMPLETIONS_URL,
    FakeClock,
    api_error,
    instant_retry,
    llm_settings,
    reply,
    seed_report,
    seed_transcript,
)


def engine(clock: FakeClock, **settings: Any) -> LLMEngine:
    return LLMEngine(llm_settings(**settings), retry=instant_retry(clock))


async def test_429_waits_as_retry_after_says_then_succeeds(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=[api_error(429, "slow down", **{"retry-after": "7"}), reply(seed_report())]
    )
    clock = FakeClock()

    extraction = await engine(clock).extract(seed_transcript())

    assert route.call_count == 2
    assert clock.sleeps == [7.0]
    assert extraction.usage.llm_calls == 1


async def test_retry_after_ms_wins_over_retry_after(respx_mock: respx.MockRouter) -> None:
    limited = api_error(429, "slow down", **{"retry-after-ms": "250", "retry-after": "9"})
    respx_mock.post(COMPLETIONS_URL).mock(side_effect=[limited, reply(seed_report())])
    clock = FakeClock()

    await engine(clock).extract(seed_transcript())

    assert clock.sleeps == [0.25]


async def test_a_retry_after_beyond_the_budget_stops_at_once(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(
        return_value=api_error(429, "slow down", **{"retry-after": "120"})
    )
    clock = FakeClock()

    with pytest.raises(UpstreamUnavailableError, match="rate-limiting") as caught:
        await engine(clock, llm_time_budget=30).extract(seed_transcript())

    assert route.call_count == 1 and clock.sleeps == []
    assert caught.value.status == 503
    assert caught.value.extra["upstream_status"] == 429


async def test_5xx_until_the_budget_runs_out_is_503(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=api_error(500, "boom"))
    clock = FakeClock()

    with pytest.raises(UpstreamUnavailableError) as caught:
        await engine(clock, llm_time_budget=10).extract(seed_transcript())

    # Waits 0.5, 1, 2, 4 fit in 10 s; the next (8 s) would end at 15.5 s, past the budget.
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert route.call_count == 5
    error = caught.value
    assert error.status == 503
    assert "kept failing (500)" in error.detail and "PM_LLM_TIME_BUDGET=10s" in error.detail
    assert error.extra["requests"] == 5


async def test_a_5xx_then_success_is_retried(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(
        side_effect=[api_error(502), api_error(503), reply(seed_report())]
    )
    clock = FakeClock()

    extraction = await engine(clock).extract(seed_transcript())

    assert route.call_count == 3 and clock.sleeps == [0.5, 1.0]
    assert extraction.report.title


async def test_timeouts_until_the_budget_runs_out_are_504(respx_mock: respx.MockRouter) -> None:
    clock = FakeClock()

    def slow(_: httpx.Request) -> httpx.Response:
        clock.now += 5  # each try spends its whole per-request timeout
        raise httpx.ReadTimeout("timed out")

    route = respx_mock.post(COMPLETIONS_URL).mock(side_effect=slow)

    with pytest.raises(UpstreamTimeoutError) as caught:
        await engine(clock, llm_timeout=5, llm_time_budget=12).extract(seed_transcript())

    assert caught.value.status == 504
    assert "did not answer in time" in caught.value.detail
    assert route.call_count == 2  # 5 s + 0.5 s wait + 5 s; one more would pass 12 s


async def test_each_request_gets_at_most_the_time_left(respx_mock: respx.MockRouter) -> None:
    clock = FakeClock()
    timeouts: list[float] = []

    def record(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        clock.now += 7
        return api_error(503)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=record)

    with pytest.raises(UpstreamUnavailableError):
        await engine(clock, llm_timeout=10, llm_time_budget=12).extract(seed_transcript())

    assert timeouts == [10, pytest.approx(4.5)]  # 12 - 7 - 0.5 s wait


async def test_connection_refused_is_503_naming_the_endpoint(
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.post(COMPLETIONS_URL).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(UpstreamUnavailableError) as caught:
        await engine(FakeClock(), llm_time_budget=2).extract(seed_transcript())

    assert "could not connect to the LLM at http://llm.test:80" in caught.value.detail
    assert caught.value.hint is not None and "PM_LLM_BASE_URL" in caught.value.hint


async def test_a_refusal_is_an_upstream_error(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(
        return_value=reply(None, refusal="I'm sorry, I can't help with that.")
    )

    with pytest.raises(UpstreamError) as caught:
        await engine(FakeClock()).extract(seed_transcript())

    assert type(caught.value) is UpstreamError and caught.value.status == 502
    assert "refused" in caught.value.detail and "can't help" in caught.value.detail
    assert route.call_count == 1
    assert "'llm_calls': 1" in str(caught.value.extra["usage"])


async def test_truncation_names_max_tokens(respx_mock: respx.MockRouter) -> None:
    cut = json.dumps(seed_report())[:500]
    respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(cut, finish_reason="length"))

    with pytest.raises(UpstreamError) as caught:
        await engine(FakeClock(), llm_max_tokens=256).extract(seed_transcript())

    assert caught.value.status == 502
    assert "max tokens" in caught.value.detail and "PM_LLM_MAX_TOKENS=256" in caught.value.detail


async def test_content_filter_is_an_upstream_error(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(COMPLETIONS_URL).mock(return_value=reply("", finish_reason="content_filter"))

    with pytest.raises(UpstreamError, match="content filter"):
        await engine(FakeClock()).extract(seed_transcript())


@pytest.mark.parametrize(
    ("status", "message", "code", "expected"),
    [
        (401, "Incorrect API key provided", None, "check PM_LLM_API_KEY"),
        (403, "no access", None, "PM_LLM_API_KEY may use PM_LLM_MODEL='test-model'"),
        (404, "The model `test-model` does not exist", None, "check PM_LLM_MODEL"),
        (429, "You exceeded your current quota", "insufficient_quota", "no quota left"),
        (400, "maximum context length is 8192 tokens", None, "context window"),
        (400, "temperature must be a number", None, "rejected the request (400)"),
    ],
)
async def test_client_errors_are_502_with_a_fix_and_not_retried(
    respx_mock: respx.MockRouter, status: int, message: str, code: str | None, expected: str
) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(
        return_value=api_error(status, message, code=code)
    )

    with pytest.raises(UpstreamError) as caught:
        await engine(FakeClock()).extract(seed_transcript())

    assert type(caught.value) is UpstreamError and caught.value.status == 502
    assert expected in caught.value.detail
    assert route.call_count == 1


async def test_a_rejected_schema_suggests_json_object(respx_mock: respx.MockRouter) -> None:
    respx_mock.post(COMPLETIONS_URL).mock(
        return_value=api_error(400, "Invalid schema for response_format 'incident_report'")
    )

    with pytest.raises(UpstreamError) as caught:
        await engine(FakeClock()).extract(seed_transcript())

    assert caught.value.hint is not None
    assert "PM_LLM_RESPONSE_FORMAT=json_object" in caught.value.hint


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "1200"}, 1.2),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_headers(headers: dict[str, str], seconds: float | None) -> None:
    import openai

    request = httpx.Request("POST", COMPLETIONS_URL)
    response = httpx.Response(429, headers=headers, request=request)
    error = openai.RateLimitError("limited", response=response, body=None)

    assert retry_after_seconds(error) == seconds


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    policy = RetryPolicy(initial_wait=0.5, max_wait=5, jitter=0.5, random=lambda: 1.0)

    assert [policy.backoff(n) for n in range(1, 6)] == [1.0, 1.5, 2.5, 4.5, 5]
