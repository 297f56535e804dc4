"""POST /drafts (a job: 202 with its id), GET /drafts/{id} (status, progress, result) and
GET /drafts/{id}/events (the same as a server-sent event stream).

The request is read and the transcript parsed and redacted before the 202, so a bad input is
answered at once, exactly as POST /draft answers it, and only redacted text ever waits in a
queue. The rest (extraction, judge, verification, rendering) is the job.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import Field

from app.api.deps import EnginesDep, JobsDep, SettingsDep, StepsDep
from app.api.problems import problem_responses
from app.api.routes.draft import _BODY_DOC, draft_query, read_draft_input
from app.jobs import JobInput, JobRecord, new_job_id
from app.jobs.records import TERMINAL
from app.models import Audience
from app.pipeline import prepare
from app.steps import DraftResult

router = APIRouter(tags=["jobs"])

_POLL_SECONDS = 0.25
_HEARTBEAT_SECONDS = 15.0


class JobStatus(JobRecord):
    """A job: its status and progress; when done, the DraftResult POST /draft would answer."""

    result: DraftResult | None = Field(default=None, description="Set when status is done.")
    links: dict[str, str] = Field(default_factory=dict, description="self and events URLs.")


def _links(job_id: str) -> dict[str, str]:
    return {"self": f"/drafts/{job_id}", "events": f"/drafts/{job_id}/events"}


def _status_json(record: JobRecord, result: bytes | None) -> bytes:
    """The JobStatus body, the stored result spliced in as it is (never parsed here)."""
    head = record.model_dump_json().encode()[:-1]
    links = JobStatus(**record.model_dump(), links=_links(record.id)).model_dump_json(
        include={"links"}
    )
    return head + b',"result":' + (result or b"null") + b"," + links.encode()[1:]


@router.post(
    "/drafts",
    status_code=202,
    response_model=JobStatus,
    summary="Start a draft as a job; poll it or follow its events",
    description=(
        "Takes exactly what POST /draft takes (JSON, text/plain, or a multipart upload). The "
        "transcript is parsed and redacted first, so a bad input gets its problem at once; "
        "then the answer is 202 with the job (`Location` and `links` point at it). "
        "GET /drafts/{id} gives its status, progress (step, chunk i of n) and, when done, the "
        "DraftResult; GET /drafts/{id}/events streams the progress as server-sent events."
    ),
    responses=problem_responses(
        {
            400: "Malformed body (not UTF-8, not JSON, broken multipart)",
            413: "Body, file, archive or transcript too large",
            415: "Body is not JSON, plain text or multipart/form-data",
            422: "Unrecognised transcript, unreadable upload or invalid field",
            429: "The job queue is full (PM_JOB_QUEUE_LIMIT); see Retry-After",
            503: "Store unavailable, LLM not configured, or the CPU deadline passed",
        }
    ),
    openapi_extra=_BODY_DOC,
)
async def post_drafts(
    request: Request,
    engines: EnginesDep,
    settings: SettingsDep,
    steps: StepsDep,
    jobs: JobsDep,
    audience: Annotated[Audience | None, Query(description="For text/plain bodies.")] = None,
    engine: Annotated[Literal["extractive", "llm"] | None, Query()] = None,
    format: Annotated[str | None, Query()] = None,
    date: Annotated[dt.date | None, Query()] = None,
    timezone: Annotated[str | None, Query()] = None,
    keep_unverified: Annotated[bool, Query()] = False,
    keep_items: Annotated[
        str | None, Query(description="Items to keep marked, comma-separated (see keep_items).")
    ] = None,
    channel: Annotated[str | None, Query(description="Export channel to read.")] = None,
    since: Annotated[str | None, Query(description="Keep export messages from then on.")] = None,
    until: Annotated[str | None, Query(description="Keep export messages up to then.")] = None,
) -> Response:
    query = draft_query(
        audience=audience,
        engine=engine,
        format=format,
        date=date,
        timezone=timezone,
        keep_unverified=keep_unverified,
        channel=channel,
        since=since,
        until=until,
        keep_items=keep_items,
    )
    source, options = await read_draft_input(request, settings, query)
    chosen = engines.get(options.engine)  # an unknown or unconfigured engine: answered now
    key = await engines.drafts.key(source, options, chosen.name) if engines.drafts else None
    prepared = await prepare(source, options, steps)
    job_id = new_job_id()
    record = await jobs.book.create(job_id, options.audience, chosen.name)
    await jobs.submit(job_id, JobInput(prepared=prepared, key=key, options=options))
    return Response(
        _status_json(record, None),
        status_code=202,
        media_type="application/json",
        headers={"Location": f"/drafts/{job_id}"},
    )


@router.get(
    "/drafts/{job_id}",
    response_model=JobStatus,
    summary="A job's status, progress and (when done) its draft",
    responses=problem_responses({404: "No such job (unknown, or expired after PM_JOB_TTL)"}),
)
async def get_draft_job(job_id: str, jobs: JobsDep) -> Response:
    record = await jobs.book.get(job_id)
    result = await jobs.book.result(job_id) if record.status == "done" else None
    return Response(_status_json(record, result), media_type="application/json")


@router.get(
    "/drafts/{job_id}/events",
    summary="A job's progress as server-sent events",
    description=(
        "`text/event-stream`: a `progress` event (the job record: status, step, chunk i of n) "
        "each time the job moves, then one `done` or `failed` event, and the stream ends. "
        "Read the draft itself from GET /drafts/{id}."
    ),
    responses={
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
        **problem_responses({404: "No such job (unknown, or expired after PM_JOB_TTL)"}),
    },
)
async def get_draft_events(job_id: str, jobs: JobsDep) -> StreamingResponse:
    first = await jobs.book.get(job_id)  # 404 before the stream starts

    async def events() -> AsyncIterator[bytes]:
        record = first
        last: str | None = None
        quiet = 0.0
        while True:
            marker = record.model_dump_json()
            if marker != last:
                last = marker
                quiet = 0.0
                yield _frame("progress", marker)
                if record.status in TERMINAL:
                    yield _frame(record.status, marker)
                    return
            elif quiet >= _HEARTBEAT_SECONDS:
                quiet = 0.0
                yield b": still working\n\n"
            await asyncio.sleep(_POLL_SECONDS)
            quiet += _POLL_SECONDS
            record = await jobs.book.get(job_id)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _frame(event: str, data: str) -> bytes:
    return f"event: {event}\ndata: {data}\n\n".encode()
