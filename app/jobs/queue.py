"""Jobs run by `postmortem worker` processes, queued in Redis through arq.

The server enqueues the job's input (the redacted, parsed transcript and the options) as JSON,
never pickle, and any worker on any machine that reaches the same Redis picks it up. Workers
write progress, results and failures to the same store the server reads GET /drafts from.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from arq import create_pool
from arq.connections import ArqRedis, RedisSettings
from arq.worker import Worker

from app.config import Settings
from app.jobs.records import JobBook, JobInput
from app.jobs.work import run_job

logger = logging.getLogger("postmortem.api")

QUEUE_NAME = "postmortem:jobs"
FUNCTION = "draft_job"


def _serialize(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


def _deserialize(data: bytes) -> Any:
    return json.loads(data)


def redis_settings(settings: Settings) -> RedisSettings:
    return RedisSettings.from_dsn(settings.store_url)


class QueuedJobs:
    """Hands jobs to worker processes through arq."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: ArqRedis | None = None

    async def submit(self, job_id: str, job: JobInput) -> None:
        if self._pool is None:
            self._pool = await create_pool(
                redis_settings(self.settings),
                job_serializer=_serialize,
                job_deserializer=_deserialize,
                default_queue_name=QUEUE_NAME,
            )
        await self._pool.enqueue_job(FUNCTION, job_id, job.model_dump_json(), _job_id=job_id)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


async def draft_job(ctx: dict[str, Any], job_id: str, job_json: str) -> None:
    """The arq task: one job, in a worker process."""
    job = JobInput.model_validate_json(job_json)
    engines = ctx["engines"]
    await run_job(
        job_id, job, engines, ctx["pool"].steps(ctx["settings"].cpu_deadline), ctx["book"]
    )


async def _startup(ctx: dict[str, Any]) -> None:
    from app.engines.registry import EngineRegistry
    from app.store import open_store
    from app.workers import shared_pool

    settings: Settings = ctx["settings"]
    store = open_store(settings.store_url)
    ctx["store"] = store
    ctx["engines"] = EngineRegistry(settings, store=store)
    ctx["book"] = JobBook(store, settings.job_ttl)
    ctx["pool"] = shared_pool(settings.cpu_workers or None, settings.cpu_worker_nice)
    logger.info("postmortem worker ready: %d jobs at a time", settings.job_concurrency)


async def _shutdown(ctx: dict[str, Any]) -> None:
    await ctx["store"].close()
    ctx["pool"].close()


def build_worker(settings: Settings, *, burst: bool = False) -> Worker:
    """An arq worker for the drafts queue (`postmortem worker`)."""
    return Worker(
        functions=[draft_job],
        queue_name=QUEUE_NAME,
        redis_settings=redis_settings(settings),
        job_serializer=_serialize,
        job_deserializer=_deserialize,
        on_startup=_startup,
        on_shutdown=_shutdown,
        ctx={"settings": settings},
        max_jobs=settings.job_concurrency,
        job_timeout=int(settings.llm_time_budget * 3 + settings.cpu_deadline + 60),
        keep_result=0,
        max_tries=1,
        burst=burst,
        handle_signals=not burst,
    )
