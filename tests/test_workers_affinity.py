"""Which worker runs a request's steps (issue 12 item 1): its home worker (the one that ran its
last step, where its chat is open and indexed) when that one is free, any free worker otherwise;
a step cancelled while it waits never runs."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.workers import WorkerPool


def pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def touch(path: str) -> None:
    Path(path).touch()


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    own = WorkerPool(2)
    yield own
    own.close()


async def _one_request(pool: WorkerPool, steps: int) -> list[int]:
    runner = pool.steps(30)
    return [await runner.run("step", pid_after, 0.02) for _ in range(steps)]


async def test_each_request_keeps_to_one_worker_while_it_is_free(pool: WorkerPool) -> None:
    first, second = await asyncio.gather(_one_request(pool, 8), _one_request(pool, 8))
    assert len(set(first)) == 1 and len(set(second)) == 1
    assert first[0] != second[0], "the two requests ran side by side on both workers"


async def test_a_step_whose_home_is_busy_runs_on_a_free_worker(pool: WorkerPool) -> None:
    runner = pool.steps(30)
    home = await runner.run("first", pid_after, 0)
    busy = asyncio.create_task(runner.run("long", pid_after, 0.6))
    await asyncio.sleep(0.1)
    elsewhere = await runner.run("meanwhile", pid_after, 0)
    assert await busy == home
    assert elsewhere != home, "no step waits while a worker is idle"


async def test_a_step_cancelled_while_it_waits_never_runs(tmp_path: Path) -> None:
    single = WorkerPool(1)
    try:
        runner = single.steps(30)
        await runner.run("warm", pid_after, 0)
        running = asyncio.create_task(runner.run("running", pid_after, 0.5))
        queued = asyncio.create_task(runner.run("queued", pid_after, 0))
        marker = tmp_path / "ran"
        waiting = asyncio.create_task(runner.run("waiting", touch, str(marker)))
        await asyncio.sleep(0.1)
        waiting.cancel()
        assert isinstance(await running, int) and await queued == await running
        await runner.run("after", pid_after, 0)
        assert not marker.exists()
    finally:
        single.close()
