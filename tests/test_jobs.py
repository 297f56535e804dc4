"""Jobs: POST /drafts answers 202, GET /drafts/{id} gives status, progress and the result, the
event stream follows the job; in-process on the embedded store, in arq workers on Redis."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.main import create_app
from app.store.sqlite import SqliteStore
from tests.llm_fakes import function_model, instant_retry, judge_verdicts, llm_settings, seed_report


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def _wait_done(client: httpx.AsyncClient, location: str) -> dict[str, Any]:
    for _ in range(400):
        status = (await client.get(location)).json()
        if status["status"] in ("done", "failed"):
            return status  # type: ignore[no-any-return]
        await asyncio.sleep(0.02)
    raise AssertionError("the job never finished")


def _events(stream: str) -> list[tuple[str, dict[str, Any]]]:
    events = []
    for frame in stream.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in frame.splitlines() if not line.startswith(":"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


async def test_a_job_answers_202_then_the_same_draft_as_post_draft(seed_chat_text: str) -> None:
    async with _client(create_app()) as client:
        started = await client.post("/drafts", json={"transcript": seed_chat_text})
        assert started.status_code == 202, started.text
        job = started.json()
        assert started.headers["Location"] == f"/drafts/{job['id']}" == job["links"]["self"]
        assert job["status"] == "queued" and job["progress"]["step"] == "queued"
        assert job["result"] is None
        done = await _wait_done(client, started.headers["Location"])
        direct = await client.post("/draft", json={"transcript": seed_chat_text})
    assert done["status"] == "done" and done["progress"]["step"] == "done"
    assert done["result"]["draft"]["text"] == direct.json()["draft"]["text"]
    assert done["result"]["audience"] == "engineering" and done["engine"] == "extractive"


async def test_the_event_stream_reports_each_step_and_ends_with_done(seed_chat_text: str) -> None:
    async with _client(create_app()) as client:
        started = await client.post(
            "/drafts", json={"transcript": seed_chat_text, "audience": "stakeholder"}
        )
        stream = await client.get(started.json()["links"]["events"])
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = _events(stream.text)
    assert events[-1][0] == "done" and events[-1][1]["status"] == "done"
    assert all(name == "progress" for name, _ in events[:-1])
    assert events[-2][1]["status"] == "done"


async def test_progress_names_steps_in_order_with_the_llm_engine(seed_chat_text: str) -> None:
    seen: list[str] = []
    release = asyncio.Event()

    async def extraction(_request: Any) -> str:
        await release.wait()
        return json.dumps(seed_report(parse_transcript(seed_chat_text)))

    chat = function_model(
        incident_report=extraction, claim_verdicts=judge_verdicts, claim_repairs={"repairs": []}
    )
    settings = llm_settings(llm_max_concurrency=0)
    engines = EngineRegistry(settings, chat=chat, retry=instant_retry(), store=SqliteStore(None))
    async with _client(create_app(settings, engines=engines)) as client:
        started = await client.post("/drafts", json={"transcript": seed_chat_text})
        location = started.headers["Location"]
        for _ in range(200):
            step = (await client.get(location)).json()["progress"]["step"]
            if not seen or seen[-1] != step:
                seen.append(step)
            if step == "extracting":
                break
            await asyncio.sleep(0.01)
        release.set()
        done = await _wait_done(client, location)
    assert "extracting" in seen
    assert done["status"] == "done" and done["result"]["engine"] == "llm"


async def test_bad_input_is_answered_at_once_and_no_job_is_made() -> None:
    async with _client(create_app()) as client:
        answer = await client.post("/drafts", json={"transcript": "no chat here at all"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/drafts/job_AAAAAAAAAAAAAAAAAAAAAA", "/drafts/../etc"])
async def test_an_unknown_job_is_a_404_problem(path: str) -> None:
    async with _client(create_app()) as client:
        status = await client.get(path)
        events = await client.get(path + "/events")
    assert status.status_code == 404 and events.status_code == 404
    assert status.headers["content-type"].startswith("application/problem+json")


async def test_a_failing_llm_fails_the_job_with_the_problem_post_draft_gives(
    seed_chat_text: str,
) -> None:
    from app.errors import UpstreamError

    chat = function_model(incident_report=UpstreamError("the LLM is down", hint="try later"))
    settings = llm_settings(llm_max_concurrency=0)
    engines = EngineRegistry(settings, chat=chat, retry=instant_retry(), store=SqliteStore(None))
    async with _client(create_app(settings, engines=engines)) as client:
        started = await client.post("/drafts", json={"transcript": seed_chat_text})
        done = await _wait_done(client, started.headers["Location"])
    assert done["status"] == "failed" and done["result"] is None
    assert done["error"] == {
        "status": 502,
        "title": "LLM upstream error",
        "detail": "the LLM is down",
        "hint": "try later",
    }


async def test_a_full_job_queue_answers_429_with_retry_after(seed_chat_text: str) -> None:
    release = asyncio.Event()

    async def stuck(_request: Any) -> str:
        await release.wait()
        return json.dumps(seed_report(parse_transcript(seed_chat_text)))

    chat = function_model(incident_report=stuck, claim_verdicts=judge_verdicts)
    settings = llm_settings(
        llm_max_concurrency=0, job_concurrency=1, job_queue_limit=1, verify_with_llm=False
    )
    engines = EngineRegistry(settings, chat=chat, retry=instant_retry())
    async with _client(create_app(settings, engines=engines)) as client:
        codes = []
        for extra in range(3):  # three different chats: running, waiting, refused
            body = {"transcript": seed_chat_text + "\n" * extra, "keep_unverified": extra == 1}
            codes.append(await client.post("/drafts", json=body))
            await asyncio.sleep(0.05)
        release.set()
    assert [c.status_code for c in codes[:2]] == [202, 202]
    assert codes[2].status_code == 429 and int(codes[2].headers["Retry-After"]) >= 1


async def test_jobs_on_redis_run_in_a_worker_process(
    seed_chat_text: str, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.jobs.queue import build_worker
    from app.main import load_settings

    monkeypatch.setenv("PM_STORE_URL", redis_url)
    settings = load_settings()
    async with _client(create_app(settings)) as client:
        started = await client.post("/drafts", json={"transcript": seed_chat_text})
        assert started.status_code == 202
        location = started.headers["Location"]
        assert (await client.get(location)).json()["status"] == "queued"  # no worker yet
        worker = build_worker(settings, burst=True)
        await worker.main()  # a `postmortem worker --burst`: runs what is queued, then stops
        await worker.close()
        done = (await client.get(location)).json()
        direct = await client.post("/draft", json={"transcript": seed_chat_text})
    assert done["status"] == "done", done
    assert done["result"]["draft"]["text"] == direct.json()["draft"]["text"]


def test_the_worker_command_needs_redis(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    assert main(["worker", "--burst"]) == 2
    assert "redis://" in capsys.readouterr().err
