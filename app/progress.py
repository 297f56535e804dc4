"""Progress of one draft: which step it is in and, for a long chat, which chunk.

The pipeline reports each step to a `Progress` callback; jobs store the events (GET /drafts/{id}
and its event stream), the CLI draws a bar. Reporting never fails a draft.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import BaseModel, Field

STEPS = ("queued", "parsing", "extracting", "judging", "verifying", "rendering", "done")


class ProgressEvent(BaseModel):
    """Where a draft is: a step, and for map-reduce extraction the chunk i of n."""

    step: str = Field(description="parsing, extracting, judging, verifying, rendering, ...")
    chunk: int | None = Field(default=None, description="Chunks of the chat extracted so far.")
    chunks: int | None = Field(default=None, description="Chunks in all (long chats only).")


Progress = Callable[[ProgressEvent], Awaitable[None]]


async def silent(event: ProgressEvent) -> None:
    """The progress callback of callers that show none."""
    del event
