"""The HTTP API: request shapes, content negotiation and problem details for every error."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

PROBLEM = "application/problem+json"


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as test_client:
        yield test_client


def test_draft_json_returns_report_draft_messages_and_verification(
    client: TestClient, seed_chat_text: str
) -> None:
    response = client.post("/draft", json={"transcript": seed_chat_text, "audience": "engineering"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["audience"] == "engineering"
    assert body["engine"] == "extractive"
    assert body["draft"]["format"] == "markdown"
    assert body["draft"]["text"].startswith("# Postmortem: ")
    assert len(body["messages"]) == 30
    assert body["messages"][0] == {
        "id": 1,
        "time": "09:14",
        "day": 0,
        "timestamp": None,
        "author": "Priya",
        "text": body["messages"][0]["text"],
        "line_start": 2,
        "line_end": 3,
    }
    assert body["usage"]["llm_calls"] == 0
    assert set(body["verification"]) >= {"claims", "supported", "unsupported", "contradicted"}
    times = [entry["time"] for entry in body["incident"]["timeline"]]
    assert "09:21" in times and "09:22" in times


def test_plain_text_body_with_query_options(client: TestClient, seed_chat_text: str) -> None:
    response = client.post(
        "/draft?audience=stakeholder",
        content=seed_chat_text.encode(),
        headers={"content-type": "text/plain; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["audience"] == "stakeholder"
    assert response.json()["draft"]["text"].startswith("Subject: ")


def test_accept_markdown_returns_the_draft_alone(client: TestClient, seed_chat_text: str) -> None:
    response = client.post(
        "/draft",
        json={"transcript": seed_chat_text, "audience": "stakeholder"},
        headers={"accept": "text/markdown"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("Subject: Resolved: ")


def test_date_and_timezone_make_timeline_times_iso(client: TestClient, seed_chat_text: str) -> None:
    response = client.post(
        "/draft",
        json={"transcript": seed_chat_text, "date": "2025-03-04", "timezone": "Europe/Berlin"},
    )
    assert response.status_code == 200, response.text
    times = [entry["time"] for entry in response.json()["incident"]["timeline"]]
    assert "2025-03-04T09:21:00+01:00" in times


def test_raw_slack_export_body_is_accepted(client: TestClient) -> None:
    export = [
        {
            "type": "message",
            "user": "U1",
            "ts": "1716220800.000100",
            "user_profile": {"real_name": "Kofi Mensah"},
            "text": "API 5xx at 30% since the deploy",
        },
        {
            "type": "message",
            "user": "U2",
            "ts": "1716220920.000200",
            "user_profile": {"real_name": "Ama Owusu"},
            "text": "rolling back now <@U1>",
        },
        {
            "type": "message",
            "user": "U2",
            "ts": "1716221400.000300",
            "user_profile": {"real_name": "Ama Owusu"},
            "text": "rollback complete, errors back to 0%",
        },
    ]
    response = client.post("/draft?audience=engineering", json=export)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [m["author"] for m in body["messages"]] == ["Kofi Mensah", "Ama Owusu", "Ama Owusu"]
    assert "Kofi Mensah" in body["messages"][1]["text"]


@pytest.mark.parametrize(
    ("request_kwargs", "status", "detail_part"),
    [
        ({"json": {"transcript": "hello there, the site is down"}}, 422, "bracket-header"),
        ({"json": {"transcript": "   "}}, 422, "transcript"),
        ({"json": {"audience": "engineering"}}, 422, "transcript"),
        ({"json": {"transcript": "[09:14] a: b", "audience": "ceo"}}, 422, "audience"),
        ({"json": {"transcript": "[09:14] a: b", "engine": "gpt"}}, 422, "engine"),
        ({"json": {"transcript": "[09:14] a: b", "date": "yesterday"}}, 422, "date"),
        ({"json": {"transcript": "[09:14] a: b", "timezone": "Mars/Olympus"}}, 422, "timezone"),
        ({"json": {"transcript": "[09:14] a: b", "format": "telegram"}}, 422, "telegram"),
        ({"json": {"transcript": "[09:14] a: b", "colour": "red"}}, 422, "colour"),
        (
            {"content": b'{"transcript": ', "headers": {"content-type": "application/json"}},
            400,
            "not valid JSON",
        ),
        ({"content": b"\xff\xfe\x00bad", "headers": {"content-type": "text/plain"}}, 400, "UTF-8"),
        (
            {"content": b"<chat/>", "headers": {"content-type": "application/xml"}},
            415,
            "application/xml",
        ),
    ],
)
def test_bad_requests_get_problem_details(
    client: TestClient, request_kwargs: dict[str, object], status: int, detail_part: str
) -> None:
    response = client.post("/draft", **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert detail_part in json.dumps(body)
    assert "Traceback" not in response.text


def test_validation_errors_do_not_echo_the_input(client: TestClient) -> None:
    secret = "AKIAIOSFODNN7EXAMPLE"
    response = client.post("/draft", json={"transcript": f"[09:14] a: {secret}", "audience": 5})
    assert response.status_code == 422
    assert secret not in response.text


def test_llm_engine_without_configuration_is_a_clear_503(
    client: TestClient, seed_chat_text: str
) -> None:
    response = client.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})
    assert response.status_code == 503
    assert "PM_LLM_MODEL" in response.json()["hint"]


def test_oversized_transcript_is_413(seed_chat_text: str) -> None:
    with TestClient(create_app(Settings(max_transcript_chars=1000))) as small:
        response = small.post("/draft", json={"transcript": seed_chat_text})
    assert response.status_code == 413
    assert "PM_MAX_TRANSCRIPT_CHARS" in response.json()["hint"]


def test_unknown_route_and_method_are_problems(client: TestClient) -> None:
    assert client.get("/nope").headers["content-type"].startswith(PROBLEM)
    response = client.get("/draft")
    assert response.status_code == 405
    assert response.json()["title"] == "Method not allowed"


def test_health_and_readiness_without_llm(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "default_engine": "extractive",
        "llm": "not configured",
    }


def test_openapi_documents_every_draft_field(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/draft"]["post"]["requestBody"]["content"]
    fields = body["application/json"]["schema"]["properties"]
    assert set(fields) == {
        "transcript",
        "audience",
        "engine",
        "format",
        "date",
        "timezone",
        "keep_unverified",
        "keep_items",
        "channel",
        "since",
        "until",
    }
    assert all(field.get("description") for field in fields.values())
    assert set(body) == {"application/json", "text/plain", "multipart/form-data"}
    upload = body["multipart/form-data"]["schema"]["properties"]["file"]
    assert upload == {**upload, "type": "string", "format": "binary"}
    assert client.get("/docs").status_code == 200


def test_invalid_configuration_fails_fast_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.errors import ConfigurationError
    from app.main import load_settings

    monkeypatch.setenv("PM_LLM_BASE_URL", "http://localhost:8080/v1")
    with pytest.raises(ConfigurationError, match="PM_LLM_MODEL"):
        load_settings()


def test_service_logs_are_redacted(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    create_app(Settings())
    secret = "postgres://app:hunter2hunter2@db.internal:5432/orders"
    with caplog.at_level(logging.INFO):
        logging.getLogger("postmortem.api").error("failed to reach %s", secret)
    assert "hunter2hunter2" not in caplog.text
    assert "db.internal" in caplog.text


def test_log_redaction_keeps_uvicorn_access_records_formattable() -> None:
    import logging

    from uvicorn.logging import AccessFormatter

    from app.redact import RedactingFilter

    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        (
            "127.0.0.1:5000",
            "GET",
            "/draft?token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "1.1",
            200,
        ),
        None,
    )
    assert RedactingFilter().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(record)
    assert line.startswith('127.0.0.1:5000 - "GET /draft?token=')
    assert "ghp_abcdefghijklmnopqrstuvwxyz0123456789" not in line
