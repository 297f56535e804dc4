"""End to end through POST /draft with the LLM engine, the OpenAI API mocked with respx."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from fastapi.testclient import TestClient

from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.main import create_app
from tests.llm_fakes import (
    COMPLETIONS_URL,
    MODELS_URL,
    api_error,
    llm_settings,
    reply,
    seed_report,
)

PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    # A 1 s budget: a transient failure gets no second try, so failure tests run at once.
    with TestClient(create_app(llm_settings(llm_time_budget=1))) as test_client:
        yield test_client


@pytest.fixture
def roomy_client() -> Iterator[TestClient]:
    # Tests that count judge calls: the 1 s budget above can run out on a loaded machine before
    # the judge is asked (the worker pool starts on the first request), and the draft then
    # rightly ships without it; these tests are about the calls, not the budget.
    with TestClient(create_app(llm_settings(llm_time_budget=60))) as test_client:
        yield test_client


def draft(client: TestClient, text: str, audience: str) -> Any:
    return client.post("/draft", json={"transcript": text, "audience": audience, "engine": "llm"})


def _is_judge_call(request: httpx.Request) -> bool:
    body = json.loads(request.content)
    return bool(body["response_format"]["json_schema"]["name"] == "claim_verdicts")


def _judge_reply(request: httpx.Request, status: str = "supported") -> httpx.Response:
    """Answer every claim the judge is asked about, citing the first candidate message."""
    asked = json.loads(request.content)["messages"][1]["content"]
    claims = asked.split("Claims to judge:", 1)[1]
    indexes = [int(i) for i in re.findall(r"^(\d+)\. ", claims, flags=re.MULTILINE)]
    assert indexes
    verdicts = [
        {"index": i, "status": status, "evidence": [7], "reason": "message 7 says so"}
        for i in indexes
    ]
    return reply({"verdicts": verdicts})


def test_both_audiences_from_one_extraction_and_one_judge_call(
    roomy_client: TestClient, respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    client = roomy_client
    answer = seed_report(parse_transcript(seed_chat_text))
    extraction_calls: list[httpx.Request] = []
    judge_calls: list[httpx.Request] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        if _is_judge_call(request):
            judge_calls.append(request)
            return _judge_reply(request)
        extraction_calls.append(request)
        return reply(answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=upstream)

    engineering = draft(client, seed_chat_text, "engineering")
    stakeholder = draft(client, seed_chat_text, "stakeholder")

    assert engineering.status_code == 200, engineering.text
    assert stakeholder.status_code == 200, stakeholder.text
    # One extraction serves both audiences; the judge settles the paraphrases once (cached).
    assert len(extraction_calls) == 1 and len(judge_calls) == 1
    first, second = engineering.json(), stakeholder.json()
    assert first["engine"] == second["engine"] == "llm"
    assert first["usage"]["llm_calls"] == 2 and first["usage"]["cached"] is False
    assert second["usage"]["llm_calls"] == 0 and second["usage"]["cached"] is True
    assert first["incident"]["root_cause"] == second["incident"]["root_cause"]
    assert "09:21" in [entry["time"] for entry in first["incident"]["timeline"]]
    assert first["draft"]["text"] != second["draft"]["text"]
    judged = [c for c in first["verification"]["claims"] if c["judged_by"] == "llm"]
    assert judged and all(c["status"] == "supported" for c in judged)
    assert "Undoing the change fixed it." in second["draft"]["text"]  # a judged paraphrase
    sent = json.loads(extraction_calls[0].content)
    assert sent["response_format"]["type"] == "json_schema"
    assert "[m1 09:14 Priya] Heads up" in sent["messages"][1]["content"]


def test_without_the_judge_both_drafts_cost_one_llm_call(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    answer = seed_report(parse_transcript(seed_chat_text))
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(answer))
    settings = llm_settings(llm_time_budget=1, verify_with_llm=False)
    with TestClient(create_app(settings)) as one_call:
        first = draft(one_call, seed_chat_text, "engineering")
        second = draft(one_call, seed_chat_text, "stakeholder")
    assert first.status_code == second.status_code == 200
    assert route.call_count == 1
    assert first.json()["usage"]["llm_calls"] == 1
    assert all(c["judged_by"] == "rules" for c in first.json()["verification"]["claims"])


def test_a_failing_judge_still_gives_a_draft_with_a_warning(
    client: TestClient, respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    answer = seed_report(parse_transcript(seed_chat_text))

    def upstream(request: httpx.Request) -> httpx.Response:
        if _is_judge_call(request):
            return api_error(503, "overloaded")
        return reply(answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=upstream)
    response = draft(client, seed_chat_text, "engineering")
    assert response.status_code == 200, response.text
    body = response.json()
    assert any("LLM judge was unavailable" in w for w in body["warnings"])
    assert all(c["judged_by"] == "rules" for c in body["verification"]["claims"])
    assert body["incident"]["timeline"]


def test_a_judge_verdict_of_contradicted_drops_the_claim(
    roomy_client: TestClient, respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    client = roomy_client
    answer = seed_report(parse_transcript(seed_chat_text))

    def upstream(request: httpx.Request) -> httpx.Response:
        if _is_judge_call(request):
            return _judge_reply(request, status="contradicted")
        return reply(answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=upstream)
    body = draft(client, seed_chat_text, "stakeholder").json()
    assert "Undoing the change fixed it." not in body["draft"]["text"]
    dropped = [c for c in body["verification"]["claims"] if c["status"] == "contradicted"]
    assert any(c["judged_by"] == "llm" for c in dropped)


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


def test_readyz_reports_the_llm_endpoint_and_reuses_its_probe(
    respx_mock: respx.MockRouter,
) -> None:
    from tests.llm_fakes import FakeClock, instant_retry

    listing = {
        "object": "list",
        "data": [{"id": "test-model", "object": "model", "created": 0, "owned_by": "me"}],
    }
    models = respx_mock.get(MODELS_URL)
    models.mock(return_value=httpx.Response(200, json=listing))
    clock = FakeClock()
    settings = llm_settings(llm_readiness_interval=30)
    engines = EngineRegistry(settings, retry=instant_retry(clock))
    with TestClient(create_app(settings, engines)) as with_llm:
        ready = [with_llm.get("/readyz") for _ in range(5)]
        assert models.call_count == 1  # one probe answers every call within the interval
        models.mock(return_value=api_error(401, "bad key"))
        clock.now += 29
        still_cached = with_llm.get("/readyz")
        clock.now += 2
        rejected = with_llm.get("/readyz")
    assert models.call_count == 2
    assert all(r.status_code == 200 for r in ready) and still_cached.status_code == 200
    assert ready[0].json()["status"] == "ready" and ready[0].json()["default_engine"] == "llm"
    assert ready[0].json()["llm"] == "http://llm.test:80 reachable; model 'test-model' available"
    assert rejected.status_code == 503
    assert "PM_LLM_API_KEY" in rejected.json()["llm"]


FAILED = ("unsupported", "contradicted")


def test_keep_unverified_marks_instead_of_dropping(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    answer = seed_report(parse_transcript(seed_chat_text))
    respx_mock.post(COMPLETIONS_URL).mock(return_value=reply(answer))
    settings = llm_settings(llm_time_budget=1, verify_with_llm=False)
    request = {"transcript": seed_chat_text, "engine": "llm", "audience": "stakeholder"}
    with TestClient(create_app(settings)) as rules_only:
        dropped = rules_only.post("/draft", json=request).json()
        kept = rules_only.post("/draft", json={**request, "keep_unverified": True}).json()
    # A paraphrase the rules alone cannot confirm, and nothing contradicts: it ships, reported
    # as unconfirmed; only failed claims are left out (or marked with keep_unverified).
    unsettled = "After a routine change, many customers could not complete checkout"
    statuses = [c["status"] for c in dropped["verification"]["claims"] if unsettled in c["text"]]
    assert statuses == ["unconfirmed"]
    assert unsettled in dropped["draft"]["text"] and unsettled in kept["draft"]["text"]
    assert "(unverified)" not in dropped["draft"]["text"]
    failed = [c for c in kept["verification"]["claims"] if c["status"] in FAILED]
    assert bool(failed) == ("(unverified)" in kept["draft"]["text"])


def test_pm_verify_with_llm_applies_to_verify_too(
    respx_mock: respx.MockRouter, seed_chat_text: str, seed_llm_draft_text: str
) -> None:
    route = respx_mock.post(COMPLETIONS_URL).mock(return_value=api_error(500))
    body = {"transcript": seed_chat_text, "draft": seed_llm_draft_text}
    with TestClient(create_app(llm_settings(verify_with_llm=False))) as rules_only:
        response = rules_only.post("/verify", json=body)
    assert response.status_code == 200
    assert route.call_count == 0
    assert all(c["judged_by"] == "rules" for c in response.json()["verification"]["claims"])


@pytest.mark.parametrize("path", ["/draft", "/verify"])
def test_a_failing_judge_is_the_same_warning_in_draft_and_verify(
    respx_mock: respx.MockRouter, seed_chat_text: str, seed_llm_draft_text: str, path: str
) -> None:
    answer = seed_report(parse_transcript(seed_chat_text))

    def upstream(request: httpx.Request) -> httpx.Response:
        return api_error(503, "overloaded") if _is_judge_call(request) else reply(answer)

    respx_mock.post(COMPLETIONS_URL).mock(side_effect=upstream)
    body: dict[str, Any] = {"transcript": seed_chat_text}
    body |= {"engine": "llm"} if path == "/draft" else {"draft": seed_llm_draft_text}
    with TestClient(create_app(llm_settings(llm_time_budget=1))) as test_client:
        response = test_client.post(path, json=body)

    assert response.status_code == 200, response.text
    warnings = response.json()["warnings"]
    assert any(w.startswith("the LLM judge was unavailable (") for w in warnings)
    assert all(c["judged_by"] == "rules" for c in response.json()["verification"]["claims"])
