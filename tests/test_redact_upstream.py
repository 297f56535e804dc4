"""Upstream error text reaches the client only redacted: an LLM server that echoes the API
key, a credential or a pasted secret back in its error message does not leak it."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from app.engines.llm import LLMEngine
from app.errors import UpstreamError
from tests.llm_fakes import (
    COMPLETIONS_URL,
    FakeClock,
    api_error,
    instant_retry,
    llm_settings,
    seed_transcript,
)

API_KEY = "local-Key-7f3a9c2e1b"


def engine(**settings: Any) -> LLMEngine:
    return LLMEngine(
        llm_settings(llm_api_key=API_KEY, **settings), retry=instant_retry(FakeClock())
    )


async def _error(respx_mock: respx.MockRouter, status: int, message: str) -> UpstreamError:
    respx_mock.post(COMPLETIONS_URL).mock(return_value=api_error(status, message))
    with pytest.raises(UpstreamError) as caught:
        await engine(llm_time_budget=1).extract(seed_transcript())
    return caught.value


async def test_a_400_that_echoes_the_api_key_does_not_pass_it_on(
    respx_mock: respx.MockRouter,
) -> None:
    error = await _error(respx_mock, 400, f"Invalid request: api key {API_KEY} is not allowed")

    assert API_KEY not in error.detail
    assert "Invalid request: api key [REDACTED:api-key] is not allowed" in error.detail
    assert error.status == 502


async def test_secrets_in_upstream_text_are_redacted(respx_mock: respx.MockRouter) -> None:
    dsn = "postgres://proxy:Pr0xy#Pass@10.0.0.5:5432/llm"
    error = await _error(respx_mock, 400, f"backend unavailable ({dsn}), REDIS_AUTH=r3dis-Auth-77")

    assert "Pr0xy#Pass" not in error.detail and "r3dis-Auth-77" not in error.detail
    assert "postgres://proxy:[REDACTED:password]@10.0.0.5:5432/llm" in error.detail


async def test_a_secret_at_the_cut_is_redacted_before_shortening(
    respx_mock: respx.MockRouter,
) -> None:
    """Shortening first would cut the key in two, and half a key is not recognised."""
    filler = "x " * 140
    error = await _error(respx_mock, 400, f"{filler} Authorization: Bearer {API_KEY}Zq9 tail")

    assert API_KEY[:8] not in error.detail


async def test_5xx_upstream_text_is_redacted_too(respx_mock: respx.MockRouter) -> None:
    error = await _error(respx_mock, 500, f"upstream auth failed for key={API_KEY}")

    assert API_KEY not in error.detail
