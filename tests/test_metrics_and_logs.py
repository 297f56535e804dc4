"""GET /metrics (Prometheus text) and JSON log lines carrying the request id."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.main import create_app
from app.store.sqlite import SqliteStore
from tests.llm_fakes import (
    MODEL,
    function_model,
    instant_retry,
    judge_verdicts,
    llm_settings,
    seed_report,
)


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def _samples(
    client: httpx.AsyncClient,
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def _value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_count_requests_llm_calls_cache_and_verification(seed_chat_text: str) -> None:
    chat = function_model(
        incident_report=seed_report(parse_transcript(seed_chat_text)),
        claim_verdicts=judge_verdicts,
        claim_repairs={"repairs": []},
    )
    settings = llm_settings(llm_max_concurrency=0)
    engines = EngineRegistry(settings, chat=chat, retry=instant_retry(), store=SqliteStore(None))
    async with _client(create_app(settings, engines=engines)) as client:
        before = await _samples(client)
        body = {"transcript": seed_chat_text, "engine": "llm"}
        first = await client.post("/draft", json=body)
        second = await client.post("/draft", json={**body, "audience": "stakeholder"})
        await client.get("/drafts/job_AAAAAAAAAAAAAAAAAAAAAA")
        after = await _samples(client)

    def delta(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert first.status_code == second.status_code == 200
    assert delta("postmortem_http_requests_total", route="/draft", method="POST", status="200") == 2
    assert (
        delta(
            "postmortem_http_requests_total", route="/drafts/{job_id}", method="GET", status="404"
        )
        == 1
    )
    assert (
        delta("postmortem_http_request_duration_seconds_count", route="/draft", method="POST") == 2
    )
    assert delta("postmortem_llm_calls_total", model=MODEL, kind="extraction", outcome="ok") == 1
    assert (
        delta("postmortem_llm_tokens_total", model=MODEL, kind="extraction", direction="prompt") > 0
    )
    judged = first.json()["usage"]["llm_calls"] - 1
    assert delta("postmortem_llm_calls_total", model=MODEL, kind="judge", outcome="ok") == judged
    assert delta("postmortem_draft_cache_lookups_total", result="miss") == 1
    assert delta("postmortem_draft_cache_lookups_total", result="hit") == 1
    claims = first.json()["verification"]["claims"]
    for status in {c["status"] for c in claims}:
        shipped = sum(c["status"] == status for c in claims)
        assert delta("postmortem_verification_claims_total", status=status) == 2 * shipped


async def test_llm_errors_are_counted_by_kind_and_error(seed_chat_text: str) -> None:
    from app.llm.reader import MalformedCompletion

    chat = function_model(incident_report=MalformedCompletion("not a completion"))
    settings = llm_settings(llm_max_concurrency=0)
    engines = EngineRegistry(settings, chat=chat, retry=instant_retry())
    async with _client(create_app(settings, engines=engines)) as client:
        before = await _samples(client)
        answer = await client.post("/draft", json={"transcript": seed_chat_text, "engine": "llm"})
        after = await _samples(client)
    assert answer.status_code == 502
    labels = {"model": MODEL, "kind": "extraction", "error": "MalformedCompletion"}
    assert (
        _value(after, "postmortem_llm_errors_total", **labels)
        - _value(before, "postmortem_llm_errors_total", **labels)
        >= 1
    )


async def test_jobs_are_counted_by_state(seed_chat_text: str) -> None:
    async with _client(create_app()) as client:
        before = await _samples(client)
        started = await client.post("/drafts", json={"transcript": seed_chat_text})
        await client.get(started.json()["links"]["events"])  # returns when the job is done
        after = await _samples(client)
    for state in ("queued", "running", "done"):
        assert (
            _value(after, "postmortem_jobs_total", state=state)
            - _value(before, "postmortem_jobs_total", state=state)
            == 1
        )


@pytest.fixture
def json_log(monkeypatch: pytest.MonkeyPatch) -> Any:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("postmortem")
    logger.addHandler(handler)
    monkeypatch.setenv("PM_LOG_FORMAT", "json")
    yield stream
    logger.removeHandler(handler)
    logging.getLogger("uvicorn.access").disabled = False


async def test_json_logs_carry_the_request_id_and_no_secret(json_log: io.StringIO) -> None:
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    transcript = f"[09:14] Priya\nrotating the token {secret} now\n[09:15] Ravi\nok\n"
    async with _client(create_app()) as client:
        answer = await client.post(
            "/draft", json={"transcript": transcript}, headers={"X-Request-ID": "req-42"}
        )
        logging.getLogger("postmortem.api").warning("seen %s", secret)  # outside any request
    assert answer.headers["X-Request-ID"] == "req-42"
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "postmortem.access"]
    assert access and access[0]["request_id"] == "req-42"
    assert access[0]["route"] == "/draft" and access[0]["status"] == answer.status_code
    assert {"time", "level", "message"} <= set(access[0])
    assert secret not in json_log.getvalue()
    assert any("seen" in line["message"] for line in lines)


def test_offline_commands_do_not_import_the_openai_sdk() -> None:
    code = "import sys, app.cli, app.pipeline, app.main; print('openai' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_service_loads_the_llm_client_at_start_up_only_when_an_llm_is_configured(
    tmp_path: Path,
) -> None:
    """Imported on the first llm draft instead, the SDK held the event loop for 0.7 s."""
    code = (
        "import asyncio, sys\n"
        "from app.config import Settings\n"
        "from app.main import create_app\n"
        "async def main():\n"
        "    app = create_app(Settings(**dict(a.split('=', 1) for a in sys.argv[1:])))\n"
        "    async with app.router.lifespan_context(app):\n"
        "        print('openai' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    store = f"store_url=sqlite:///{tmp_path}/store.sqlite3"
    llm = ["llm_base_url=http://127.0.0.1:9/v1", "llm_model=m", store]
    for args, imported in (([store], "False"), (llm, "True")):
        result = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == imported
