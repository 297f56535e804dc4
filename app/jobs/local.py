"""Jobs run inside this server process (the embedded store): a bounded queue and a few tasks.

The tasks only wait (the CPU steps run in the worker pool, the LLM calls are I/O), so a job
never slows `/healthz`. A full queue refuses new jobs with 429 and Retry-After instead of
growing without bound. Jobs in this process end with it; their records then say so.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from app.engines.registry import EngineRegistry
from app.errors import PostmortemError
from app.jobs.records import JobBook, JobError, JobInput
from app.jobs.work import run_job
from app.metrics import JOBS_NOW
from app.workers import StepRunner

logger = logging.getLogger("postmortem.api")


class JobQueueFullError(PostmortemError):
    """This server's job queue is full (PM_JOB_QUEUE_LIMIT)."""

    status = 429
    title = "Too many jobs"


class LocalJobs:
    """Runs jobs on this event loop, `concurrency` at a time, at most `limit` waiting."""

    def __init__(
        self,
        engines: EngineRegistry,
        book: JobBook,
        steps: Callable[[], StepRunner],
        *,
        concurrency: int,
        limit: int,
    ) -> None:
        self.engines = engines
        self.book = book
        self._steps = steps
        self.concurrency = concurrency
        self._queue: asyncio.Queue[tuple[str, JobInput]] = asyncio.Queue(limit)
        self._tasks: list[asyncio.Task[None]] = []
        self._running: set[str] = set()

    def _start(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.ensure_future(self._work()) for _ in range(self.concurrency)]

    async def submit(self, job_id: str, job: JobInput) -> None:
        """Queue a job whose record exists already."""
        self._start()
        try:
            self._queue.put_nowait((job_id, job))
        except asyncio.QueueFull:
            raise JobQueueFullError(
                f"{self._queue.maxsize} jobs are already waiting in this server "
                "(PM_JOB_QUEUE_LIMIT); the job was not queued",
                hint="retry later, or run jobs in `postmortem worker` processes on Redis",
                retry_after_seconds=30,
            ) from None
        JOBS_NOW.labels(state="queued").inc()

    async def _work(self) -> None:
        while True:
            job_id, job = await self._queue.get()
            JOBS_NOW.labels(state="queued").dec()
            JOBS_NOW.labels(state="running").inc()
            self._running.add(job_id)
            try:
                await run_job(job_id, job, self.engines, self._steps(), self.book)
            finally:
                self._running.discard(job_id)
                JOBS_NOW.labels(state="running").dec()
                self._queue.task_done()

    async def close(self) -> None:
        """Stop: jobs still queued or running are marked failed (the server is going away)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        abandoned = list(self._running)
        while not self._queue.empty():
            job_id, _job = self._queue.get_nowait()
            JOBS_NOW.labels(state="queued").dec()
            abandoned.append(job_id)
        for job_id in abandoned:
            with contextlib.suppress(PostmortemError):
                await self.book.fail(job_id, JobError(
                    status=503,
                    title="Server stopped",
                    detail="the server stopped before this job finished",
                    hint="submit it again",
                ))  # fmt: skip
