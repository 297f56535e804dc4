"""CPU steps in worker processes under a per-request deadline (issue 9 item 2, issue 12 item 1).

Real processes and real timeouts: a step past its request's deadline is stopped, its worker is
replaced, the other requests and /healthz carry on.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator

import httpx
import pytest

from app.config import Settings
from app.errors import CpuDeadlineError, TranscriptFormatError
from app.main import create_app
from app.workers import INLINE, WORKER_NICENESS, StepCrashed, WorkerPool

PROBLEM = "application/problem+json"


def sleepy_pid(seconds: float) -> int:
    """A step that takes `seconds` and says which worker ran it."""
    time.sleep(seconds)
    return os.getpid()


def priority_and_tokenizer() -> tuple[int, int]:
    """A step: this worker's niceness, and whether the tokenizer was loaded before any step."""
    from app.llm.tokens import _encoding

    return os.getpriority(os.PRIO_PROCESS, 0), _encoding.cache_info().currsize


def fails_with(kind: str) -> None:
    if kind == "domain":
        raise TranscriptFormatError("no messages", hint="send a chat")
    raise ValueError("a bug in a step")


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    own = WorkerPool(2)
    yield own
    own.close()


async def _worker_pids(pool: WorkerPool) -> set[int]:
    steps = pool.steps(30)
    return set(await asyncio.gather(*(steps.run("probe", sleepy_pid, 0.3) for _ in range(2))))


async def test_a_step_past_the_deadline_is_stopped_and_its_worker_replaced(
    pool: WorkerPool,
) -> None:
    before = await _worker_pids(pool)
    assert len(before) == 2
    started = time.monotonic()
    with pytest.raises(CpuDeadlineError) as caught:
        await pool.steps(0.5).run("stalling on purpose", sleepy_pid, 60)
    assert time.monotonic() - started < 30  # stopped at the deadline, not after the step
    assert caught.value.status == 503
    assert "stalling on purpose" in caught.value.detail
    assert "PM_CPU_DEADLINE" in caught.value.detail
    assert caught.value.hint and "shorter transcript" in caught.value.hint
    after = await _worker_pids(pool)
    assert len(after) == 2, "the pool is back to full strength"
    assert after != before, "the stuck worker was replaced by a new process"


async def test_other_work_carries_on_while_one_request_is_stuck(pool: WorkerPool) -> None:
    stuck = asyncio.create_task(pool.steps(1.5).run("stuck", sleepy_pid, 60))
    await asyncio.sleep(0.2)
    quick = await pool.steps(30).run("quick", sleepy_pid, 0)
    assert isinstance(quick, int)
    assert not stuck.done(), "the quick request finished while the stuck one still ran"
    with pytest.raises(CpuDeadlineError):
        await stuck


async def test_one_deadline_covers_all_the_steps_of_a_request(pool: WorkerPool) -> None:
    steps = pool.steps(1.0)
    await steps.run("first step", sleepy_pid, 0.6)
    with pytest.raises(CpuDeadlineError, match="second step"):
        await steps.run("second step", sleepy_pid, 0.6)
    with pytest.raises(CpuDeadlineError, match="third step"):
        await steps.run("third step", sleepy_pid, 0)  # nothing left: not even started


async def test_errors_in_a_step_come_back_as_domain_errors_or_a_crash_with_traceback(
    pool: WorkerPool,
) -> None:
    steps = pool.steps(30)
    with pytest.raises(TranscriptFormatError) as domain:
        await steps.run("parsing", fails_with, "domain")
    assert (domain.value.detail, domain.value.hint) == ("no messages", "send a chat")
    with pytest.raises(StepCrashed) as crash:
        await steps.run("parsing", fails_with, "bug")
    assert crash.value.kind == "ValueError"
    assert "a bug in a step" in crash.value.trace and "fails_with" in crash.value.trace


async def test_workers_yield_the_cpu_to_the_server_and_start_with_the_tokenizer_loaded(
    pool: WorkerPool,
) -> None:
    """Steps run at a lower priority than the event loop (nice +10), so /healthz and the LLM
    calls of other requests are served at once however busy the CPUs are; and a fresh worker's
    first llm draft does not load the tokenizer (the fork server did, once)."""
    niceness, tokenizer = await pool.steps(30).run("probe", priority_and_tokenizer)
    server = os.getpriority(os.PRIO_PROCESS, 0)
    assert niceness == min(19, server + WORKER_NICENESS) and niceness > server or server == 19
    assert tokenizer == 1


async def test_pm_cpu_worker_nice_0_runs_the_workers_at_the_servers_priority() -> None:
    settings = Settings(cpu_worker_nice=0)
    assert Settings.model_fields["cpu_worker_nice"].default == WORKER_NICENESS
    even = WorkerPool(1, settings.cpu_worker_nice)
    try:
        niceness, _ = await even.steps(30).run("probe", priority_and_tokenizer)
    finally:
        even.close()
    assert niceness == os.getpriority(os.PRIO_PROCESS, 0)


async def test_the_inline_runner_runs_the_step_in_place() -> None:
    assert await INLINE.run("here", sleepy_pid, 0) == os.getpid()


# ---------------------------------------------------------------------------------------------
# Through the API
# ---------------------------------------------------------------------------------------------


def _long_chat(messages: int) -> str:
    lines = []
    for i in range(messages):
        minute = i % 60
        lines.append(
            f"[{9 + (i // 60) % 12:02d}:{minute:02d}] Priya: checkout errors at {i % 90}% for "
            f"users after deploy {i}; rolling back payments-api and checking the logs"
        )
    return "\n".join(lines)


async def test_healthz_answers_while_a_draft_runs_and_the_draft_gets_a_503_at_the_deadline() -> (
    None
):
    app = create_app(Settings(cpu_deadline=0.3))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        finished: list[str] = []

        async def draft() -> httpx.Response:
            response = await client.post(
                "/draft", content=_long_chat(4000), headers={"content-type": "text/plain"}
            )
            finished.append("draft")
            return response

        async def health() -> httpx.Response:
            await asyncio.sleep(0.1)
            response = await client.get("/healthz")
            finished.append("healthz")
            return response

        drafted, healthy = await asyncio.gather(draft(), health())
    assert healthy.status_code == 200
    assert finished[0] == "healthz", "/healthz did not wait for the draft"
    assert drafted.status_code == 503
    assert drafted.headers["content-type"].startswith(PROBLEM)
    body = drafted.json()
    assert body["title"] == "Processing took too long"
    assert "PM_CPU_DEADLINE" in body["detail"] and body["deadline_seconds"] == 0.3
    assert body["step"] in body["detail"]
    assert "shorter transcript" in body["hint"]


async def test_after_a_deadline_the_service_keeps_drafting() -> None:
    strict = create_app(Settings(cpu_deadline=0.3))
    relaxed = create_app(Settings(cpu_deadline=60))
    chat = "[09:14] Priya: checkout errors at 45%\n[09:21] Ravi: rollback complete, errors gone"
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=strict), base_url="http://t") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=relaxed), base_url="http://t") as b,
    ):
        stalled = await a.post(
            "/draft", content=_long_chat(4000), headers={"content-type": "text/plain"}
        )
        drafts = await asyncio.gather(
            *(b.post("/draft", json={"transcript": chat}) for _ in range(4))
        )
    assert stalled.status_code == 503
    assert [d.status_code for d in drafts] == [200] * 4


def test_serve_passes_workers_to_uvicorn(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from app.cli import main

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: seen.update(kwargs, app=target))
    assert main(["serve", "--workers", "3", "--port", "8123"]) == 0
    assert seen["workers"] == 3 and seen["port"] == 8123 and seen["app"] == "app.main:app"
    with pytest.raises(SystemExit):
        main(["serve", "--workers", "0"])
