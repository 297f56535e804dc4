"""No request ends in a bare 500 (issue 9 item 3, service level), every response carries a request
id, internal errors are logged with their traceback (redacted) under that id, and the API
documents itself (item 9)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import respx
from fastapi.testclient import TestClient

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.main import create_app
from app.models import Extraction, Transcript
from tests.llm_fakes import COMPLETIONS_URL, llm_settings, reply, seed_report

PROBLEM = "application/problem+json"
CHAT = "[09:14] Priya: checkout errors at 45%\n[09:21] Ravi: rollback complete, errors gone"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


# ---------------------------------------------------------------------------------------------
# Request ids
# ---------------------------------------------------------------------------------------------


def test_every_response_carries_a_request_id_and_problems_repeat_it(client: TestClient) -> None:
    ok = client.get("/healthz")
    drafted = client.post("/draft", json={"transcript": CHAT})
    bad = client.post("/draft", json={"transcript": CHAT, "audience": "board"})
    assert len({r.headers["X-Request-ID"] for r in (ok, drafted, bad)}) == 3
    assert bad.status_code == 422
    assert bad.json()["request_id"] == bad.headers["X-Request-ID"]


def test_a_well_formed_incoming_request_id_is_kept_and_a_malformed_one_replaced(
    client: TestClient,
) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert kept.headers["X-Request-ID"] == "trace-42.a:b"
    replaced = client.get("/healthz", headers={"X-Request-ID": "x" * 200})
    assert replaced.headers["X-Request-ID"] != "x" * 200
    assert len(replaced.headers["X-Request-ID"]) == 32


# ---------------------------------------------------------------------------------------------
# Internal errors: logged with the traceback (redacted), the body says exactly that
# ---------------------------------------------------------------------------------------------


class _BrokenEngine:
    name = "llm"

    async def extract(self, transcript: Transcript) -> Extraction:
        del transcript
        password = "s3cr3t-Pa55word"
        raise RuntimeError(f"bug while connecting to postgres://app:{password}@db:5432/orders")


class _BrokenRegistry(EngineRegistry):
    def get(self, name: str | None = None) -> Any:
        del name
        return _BrokenEngine()


def test_an_internal_error_is_a_500_problem_logged_with_traceback_and_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(Settings(), engines=_BrokenRegistry(Settings()))
    with TestClient(app, raise_server_exceptions=False) as broken, caplog.at_level(logging.ERROR):
        response = broken.post("/draft", json={"transcript": CHAT})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    rid = response.headers["X-Request-ID"]
    assert body["request_id"] == rid
    assert f"logged with its traceback under request id {rid}" in body["detail"]
    assert "nothing about your input was logged" not in body["detail"]
    assert "RuntimeError" not in response.text and "postgres" not in response.text
    records = [r for r in caplog.records if rid in r.getMessage()]
    assert records, "the error was logged under the request id"
    logged = records[0].getMessage() + (records[0].exc_text or "")
    assert "Traceback" in logged and "in extract" in logged and "RuntimeError" in logged
    assert "s3cr3t-Pa55word" not in logged, "the log filter redacted the password"


def test_a_crash_inside_a_worker_is_logged_with_the_workers_traceback(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug in a foreign package (the checker reading `**Date:** 2025-02-30`, issue 9) ends as
    a 500 with the worker's traceback in the log; see the xfail below for the fix itself."""
    with caplog.at_level(logging.ERROR):
        response = client.post(
            "/verify",
            json={"transcript": CHAT, "draft": "**Date:** 2025-02-30\n\nAt 09:14 errors hit 45%."},
        )
    if response.status_code != 500:
        pytest.skip("the checker no longer crashes on this input")
    rid = response.headers["X-Request-ID"]
    logged = "".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert rid in logged and "check_date" in logged and "ValueError" in logged


@pytest.mark.xfail(reason="app/verify (checker rewrite helper): draft_checks.check_date crashes")
def test_verify_with_an_impossible_date_in_the_draft_is_not_a_server_error(
    client: TestClient,
) -> None:
    response = client.post(
        "/verify",
        json={"transcript": CHAT, "draft": "**Date:** 2025-02-30\n\nAt 09:14 errors hit 45%."},
    )
    assert response.status_code < 500


# ---------------------------------------------------------------------------------------------
# Bodies JSON cannot hold, and the edge cases that reach this layer
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ('{"transcript":' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
        ("[" * 100_000, "nested too deeply"),
        ('{"transcript":"[09:14] P: x","keep_unverified":' + "9" * 5000 + "}", "number too long"),
        ('{"transcript":"[09:14] P: x \\ud800"}', "unpaired surrogate escape (\\ud800)"),
    ],
    ids=["nested transcript", "nested array", "5000-digit integer", "lone surrogate"],
)
def test_bodies_json_cannot_hold_are_400_problems(
    client: TestClient, body: str, detail: str
) -> None:
    for path in ("/draft", "/verify"):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400, (path, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert detail in response.json()["detail"]


def test_a_midnight_rollover_on_the_first_day_ever_keeps_the_wall_clock_time(
    client: TestClient,
) -> None:
    chat = "[00:10] Priya: the 23:50 deploy broke checkout\n[00:20] Ravi: rolled back, fixed"
    response = client.post("/draft", json={"transcript": chat, "date": "0001-01-01"})
    assert response.status_code == 200, response.text


def test_an_llm_time_with_an_offset_is_re_asked_and_never_crashes_rendering(
    respx_mock: respx.MockRouter, seed_chat_text: str
) -> None:
    """`"09:14+00:00"` passed the model and crashed rendering (`int("14+00")`); now it is a
    validation error that the engine quotes back to the model, which then answers well."""
    good = seed_report(parse_transcript(seed_chat_text))
    bad = json.loads(json.dumps(good))
    bad["timeline"][1]["time"] = "09:14+00:00"
    answers = iter([reply(bad), reply(good)])
    route = respx_mock.post(COMPLETIONS_URL).mock(side_effect=lambda _: next(answers))
    settings = llm_settings(llm_time_budget=5, verify_with_llm=False)
    with TestClient(create_app(settings)) as llm:
        response = llm.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})
    assert response.status_code == 200, response.text
    assert route.call_count == 2
    reask = json.loads(route.calls[1].request.content)["messages"][-1]["content"]
    assert "09:14+00:00" in reask and "UTC offset but no date" in reask
    assert "| 09:14 |" in response.json()["draft"]["text"]


# ---------------------------------------------------------------------------------------------
# The API documents itself (item 9)
# ---------------------------------------------------------------------------------------------


def test_405_carries_allow(client: TestClient) -> None:
    response = client.put("/draft", content="x")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.headers["content-type"].startswith(PROBLEM)
    assert "use POST" in response.json()["detail"]
    assert client.post("/healthz").headers["Allow"] == "GET"


def test_openapi_has_the_verify_body_and_documents_400(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    verify = spec["paths"]["/verify"]["post"]
    body = verify["requestBody"]["content"]["application/json"]["schema"]
    assert {"transcript", "draft", "use_llm_judge"} <= set(body["properties"])
    assert set(body["required"]) == {"transcript", "draft"}
    for operation in (verify, spec["paths"]["/draft"]["post"]):
        assert "400" in operation["responses"]
        problem = operation["responses"]["400"]["content"][PROBLEM]["schema"]
        assert "request_id" in problem["properties"]


def test_problem_documents_never_echo_a_secret_the_request_sent(client: TestClient) -> None:
    """Errors quote what was wrong (a Slack `ts`, a time zone); a secret in it is redacted."""
    token = "ghp_R4fT9qLmZ2xR7vB1nK8sW3yH6dJ0cP5aE2gU"
    bad_ts = client.post(
        "/draft",
        content=json.dumps([{"ts": token, "user": "U1", "text": "x"}]),
        headers={"content-type": "application/json"},
    )
    bad_zone = client.post(
        "/draft", json={"transcript": "[09:14] P: x", "timezone": f"Europe/{token}"}
    )
    for response in (bad_ts, bad_zone):
        assert response.status_code == 422
        assert token not in response.text
        assert "[REDACTED:" in response.json()["detail"]
