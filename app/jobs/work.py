"""The body of one job, wherever it runs: the POST /draft pipeline from a parsed transcript,
its progress written to the job record, its result or its problem kept in the store."""

from __future__ import annotations

import logging

from app.engines.registry import EngineRegistry
from app.errors import PostmortemError
from app.jobs.records import JobBook, JobError, JobInput
from app.metrics import count_verification
from app.pipeline import draft_prepared
from app.progress import ProgressEvent
from app.workers import StepRunner

logger = logging.getLogger("postmortem.api")


async def run_job(
    job_id: str, job: JobInput, engines: EngineRegistry, steps: StepRunner, book: JobBook
) -> None:
    """Draft, reporting each step; never raises (the outcome is in the job record)."""

    async def progress(event: ProgressEvent) -> None:
        try:
            await book.progress(job_id, event)
        except PostmortemError:  # a lost progress update must not lose the draft
            logger.warning("job %s: could not record progress", job_id)

    try:
        await book.move(job_id, "running")
        payload = await draft_prepared(
            job.prepared, job.key, job.options, engines, steps=steps, progress=progress
        )
        count_verification(payload.statuses)
        await book.finish(job_id, payload.json)
    except PostmortemError as exc:
        await _record_failure(book, job_id, JobError(
            status=exc.status, title=exc.title, detail=exc.detail, hint=exc.hint
        ))  # fmt: skip
    except Exception as exc:  # the job's own last line of defence: logged, and said so
        logger.error("job %s failed: %s", job_id, type(exc).__name__, exc_info=exc)
        await _record_failure(book, job_id, JobError(
            status=500,
            title="Internal error",
            detail=f"an unexpected error occurred on our side; it was logged under job {job_id}",
            hint="retry; if it happens again, report it with the job id",
        ))  # fmt: skip


async def _record_failure(book: JobBook, job_id: str, error: JobError) -> None:
    try:
        await book.fail(job_id, error)
    except PostmortemError:
        logger.error("job %s failed and its record could not be written", job_id)
