"""End to end through POST /draft with the LLM engine, the OpenAI API mocked with respx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.ingest import parse_transcript
from app.main import create_app
from tests.llm_fakes import COMPLETIONS_URL, api_error, llm_settings, reply, seed_report

PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    # A 1 s budget: a transient failure gets no second try, so failure tests run at once.
    with TestClient(create_app(llm_settings(llm_time_budget=1))) as test_client:
        yield test_client


def draft(client: TestClient, text: str, audience: str) -> Any:
    return client.post("/draft", json={"transcript": text, "audience": audience, "engine": "llm"})


def test_both_audiences_from_one_llm_call(
    client: TestClient, respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    answer = seed_report(parse_transcript(seed_chat_text))
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(answer))

    engineering = draft(client, seed_chat_text, "engineering")
    stakeholder = draft(client, seed_chat_text, "stakeholder")

    assert engineering.status_code == 200, engineering.text
    assert stakeholder.status_code == 200, stakeholder.text
    assert route.call_count == 1
    first, second = engineering.json(), stakeholder.json()
    assert first["engine"] == second["engine"] == "llm"
    assert first["usage"]["llm_calls"] == 1 and first["usage"]["cached"] is False
    assert second["usage"]["llm_calls"] == 0 and second["usage"]["cached"] is True
    assert first["incident"]["root_cause"] == second["incident"]["root_cause"]
    assert "09:21" in [entry["time"] for entry in first["incident"]["timeline"]]
    assert first["draft"]["text"] != second["draft"]["text"]
    sent = json.loads(route.calls.last.request.content)
    assert sent["response_format"]["type"] == "json_schema"
    assert "[m1 09:14 Priya] Heads up" in sent["messages"][1]["content"]


@pytest.mark.parametrize(
    ("upstream", "status", "says"),
    [
        (api_error(401, "Incorrect API key provided"), 502, "check PM_LLM_API_KEY"),
        (api_error(404, "model not found"), 502, "check PM_LLM_MODEL"),
        (reply(None, refusal="I can't help with that."), 502, "refused"),
        (reply('{"title": "cut', finish_reason="length"), 502, "max tokens"),
        (reply("not json"), 502, "failed validation"),
        (api_error(503, "overloaded"), 503, "kept failing (503)"),
        (api_error(429, "slow down", **{"retry-after": "30"}), 503, "rate-limiting"),
        (httpx.ReadTimeout("slow"), 504, "did not answer in time"),
        (httpx.ConnectError("refused"), 503, "could not connect"),
    ],
)
def test_upstream_failures_are_problem_details(
    client: TestClient,
    respx_mock: respx.MockRouter,
    seed_chat_text: str,
    upstream: httpx.Response | Exception,
    status: int,
    says: str,
) -> None:
    route = respx_mock.post(COMPLETIONS_URL)
    if isinstance(upstream, Exception):
        route.mock(side_effect=upstream)
    else:
        route.mock(return_value=upstream)

    response = draft(client, seed_chat_text, "engineering")

    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and says in body["detail"]
    assert body["usage"]["model"] == "test-model"
    assert "_last_completion" not in body and "Heads up" not in response.text
