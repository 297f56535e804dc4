"""A cap on concurrent LLM exchanges in one server process, so one client cannot exhaust the
provider's quota (`PM_LLM_MAX_CONCURRENCY`).

The interface is one async context manager: code about to talk to the LLM does

    async with slots.slot():
        ...

and past the cap gets `LLMBusyError` at once (a 429 problem with `Retry-After`), instead of
queueing behind everyone else. Holding a slot is re-entrant within one task: the pipeline holds
one around the whole extraction (and around the judge call), so an engine that also asks for a
slot inside does not count twice. `Retry-After` is the recent average time a slot was held.
"""

from __future__ import annotations

import contextvars
import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from app.errors import PostmortemError

_held: contextvars.ContextVar[LLMSlots | None] = contextvars.ContextVar("llm_slot", default=None)
_DEFAULT_WAIT = 5.0


class LLMBusyError(PostmortemError):
    """Every LLM slot of this server is in use."""

    status = 429
    title = "Too many LLM requests"


class LLMSlots:
    """At most `limit` LLM exchanges at once (0: no cap)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0
        self._average_hold: float | None = None

    def retry_after(self) -> int:
        """Seconds after which a slot is likely free again."""
        return max(1, min(60, math.ceil(self._average_hold or _DEFAULT_WAIT)))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the block; raises `LLMBusyError` when all are taken."""
        if self.limit <= 0 or _held.get() is self:
            yield
            return
        if self.in_use >= self.limit:
            wait = self.retry_after()
            raise LLMBusyError(
                f"all {self.limit} LLM slots of this server are in use "
                "(PM_LLM_MAX_CONCURRENCY); the request was not sent to the LLM",
                hint=f"retry in about {wait} s, or use engine 'extractive', which needs no LLM",
                retry_after_seconds=wait,
            )
        self.in_use += 1  # no await between the check and here: one event loop, no race
        token = _held.set(self)
        started = time.monotonic()
        try:
            yield
        finally:
            _held.reset(token)
            self.in_use -= 1
            held = time.monotonic() - started
            previous = self._average_hold
            self._average_hold = held if previous is None else 0.8 * previous + 0.2 * held


@asynccontextmanager
async def own_slot(
    limiter: Callable[[], AbstractAsyncContextManager[None]],
) -> AsyncIterator[None]:
    """A slot of its own for a task that works beside the one that started it (one chunk of a
    long chat among several): the parent's slot is not shared. `LLMBusyError` when none is
    free. Inside, the task's LLM calls use this slot."""
    token = _held.set(None)
    try:
        async with limiter():
            yield
    finally:
        _held.reset(token)
