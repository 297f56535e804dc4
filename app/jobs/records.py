"""Job records: status, progress and outcome of one asynchronous draft, kept in the store.

The record (`job:<id>`) is small and rewritten at each step; the result (`job:<id>:result`,
the DraftResult JSON exactly as POST /draft would answer it) is written once, at the end, so
polling a job never copies a large body around. Both expire after PM_JOB_TTL.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from app.errors import PostmortemError
from app.metrics import JOBS
from app.progress import ProgressEvent
from app.steps import DraftOptions, Prepared
from app.store import Store

JobState = Literal["queued", "running", "done", "failed"]
TERMINAL: tuple[JobState, ...] = ("done", "failed")
_JOB_ID = re.compile(r"job_[A-Za-z0-9_-]{22}")


def new_job_id() -> str:
    """An unguessable id: holding it is what lets a caller read the job."""
    return "job_" + secrets.token_urlsafe(16)


def well_formed_job_id(job_id: str) -> bool:
    return _JOB_ID.fullmatch(job_id) is not None


class JobError(BaseModel):
    """Why a job failed, as the problem POST /draft would have answered."""

    status: int
    title: str
    detail: str
    hint: str | None = None


class JobRecord(BaseModel):
    """What GET /drafts/{id} says about a job (the result comes beside it when done)."""

    id: str
    status: JobState
    progress: ProgressEvent = Field(default_factory=lambda: ProgressEvent(step="queued"))
    audience: str
    engine: str
    created_at: dt.datetime
    updated_at: dt.datetime
    error: JobError | None = None


class JobInput(BaseModel):
    """What a job needs: the transcript parsed and redacted already (so no secret ever waits
    in a queue), its draft-cache key, and the options."""

    prepared: Prepared
    key: str | None
    options: DraftOptions


class JobNotFoundError(PostmortemError):
    status = 404
    title = "Job not found"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class JobBook:
    """Job records and results in the store."""

    def __init__(self, store: Store, ttl: float) -> None:
        self.store = store
        self.ttl = ttl

    async def create(self, job_id: str, audience: str, engine: str) -> JobRecord:
        now = _now()
        record = JobRecord(
            id=job_id,
            status="queued",
            audience=audience,
            engine=engine,
            created_at=now,
            updated_at=now,
        )
        await self._write(record)
        JOBS.labels(state="queued").inc()
        return record

    async def get(self, job_id: str) -> JobRecord:
        """The record, or `JobNotFoundError` (unknown, expired, or not a job id)."""
        raw = await self.store.get(f"job:{job_id}") if well_formed_job_id(job_id) else None
        if raw is None:
            raise JobNotFoundError(
                f"no job {job_id!r}",
                hint="job ids come from POST /drafts; a job is kept for PM_JOB_TTL seconds",
            )
        try:
            return JobRecord.model_validate_json(raw)
        except ValidationError:
            raise JobNotFoundError(f"job {job_id!r} is unreadable") from None

    async def result(self, job_id: str) -> bytes | None:
        """The DraftResult JSON of a finished job."""
        return await self.store.get(f"job:{job_id}:result")

    async def move(self, job_id: str, status: JobState, **changes: Any) -> JobRecord:
        """Set the job's status (and progress or error), counted in /metrics."""
        record = await self.get(job_id)
        updated = record.model_copy(update={"status": status, "updated_at": _now(), **changes})
        await self._write(updated)
        if status != record.status:
            JOBS.labels(state=status).inc()
        return updated

    async def progress(self, job_id: str, event: ProgressEvent) -> None:
        await self.move(job_id, "running", progress=event)

    async def finish(self, job_id: str, result: bytes) -> None:
        await self.store.put(f"job:{job_id}:result", result, self.ttl)
        await self.move(job_id, "done", progress=ProgressEvent(step="done"))

    async def fail(self, job_id: str, error: JobError) -> None:
        await self.move(job_id, "failed", error=error)

    async def _write(self, record: JobRecord) -> None:
        await self.store.put(f"job:{record.id}", record.model_dump_json().encode(), self.ttl)
