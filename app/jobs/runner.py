"""The job service of one server process: the records, and where jobs run.

Embedded store (SQLite): in this process (`LocalJobs`). Redis: in `postmortem worker`
processes (`QueuedJobs`), on this machine or any other that reaches the same Redis.
"""

from __future__ import annotations

from typing import Protocol

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.jobs.records import JobBook, JobInput
from app.store import Store
from app.workers import WorkerPool


class JobRunner(Protocol):
    async def submit(self, job_id: str, job: JobInput) -> None: ...

    async def close(self) -> None: ...


class Jobs:
    """Job records plus the runner that does the work."""

    def __init__(self, book: JobBook, runner: JobRunner) -> None:
        self.book = book
        self.runner = runner

    async def submit(self, job_id: str, job: JobInput) -> None:
        await self.runner.submit(job_id, job)

    async def close(self) -> None:
        await self.runner.close()


def build_jobs(settings: Settings, store: Store, engines: EngineRegistry, pool: WorkerPool) -> Jobs:
    """Jobs for this server, run where the settings say."""
    book = JobBook(store, settings.job_ttl)
    runner: JobRunner
    if settings.uses_redis:
        from app.jobs.queue import QueuedJobs

        runner = QueuedJobs(settings)
    else:
        from app.jobs.local import LocalJobs

        runner = LocalJobs(
            engines,
            book,
            lambda: pool.steps(settings.cpu_deadline),
            concurrency=settings.job_concurrency,
            limit=settings.job_queue_limit,
        )
    return Jobs(book, runner)
