"""Single flight: one computation per key at a time, however many ask for it.

In one process, the first caller starts a task and later callers with the same key await that
task (a *join*). Across processes (several server workers, replicas on Redis), the task first
takes the store's lease on the key; a process that finds the lease taken polls the cache until
the holder's result appears there, and computes itself only when the holder gave up without
one (it failed, or its result was not cacheable) or the lease ran out.

The shared task outlives any one caller: a caller that goes away (a closed connection) stops
waiting, and the task is cancelled only when nobody waits any more.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from app.store import Store

T = TypeVar("T")
logger = logging.getLogger("postmortem")

_POLL_FIRST = 0.05
_POLL_MAX = 0.5


@dataclass
class _Flight(Generic[T]):
    task: asyncio.Task[T]
    waiters: int = 0
    joined: int = field(default=0)


class SingleFlight(Generic[T]):
    """At most one `lead()` per key in flight; `found()` reads a result another process left."""

    def __init__(
        self,
        store: Store | None,
        *,
        lease_ttl: float,
        on_join: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.lease_ttl = lease_ttl
        self._on_join = on_join or (lambda _where: None)
        self._clock = clock
        self._flights: dict[str, _Flight[T]] = {}

    def in_flight(self, key: str) -> bool:
        return key in self._flights

    async def run(
        self,
        key: str,
        lead: Callable[[], Awaitable[T]],
        found: Callable[[], Awaitable[T | None]],
    ) -> tuple[T, bool]:
        """The result for `key` and whether this caller joined someone else's computation."""
        flight = self._flights.get(key)
        joined = flight is not None
        if flight is None:
            task = asyncio.ensure_future(self._lead_across_processes(key, lead, found))
            flight = _Flight(task)
            self._flights[key] = flight
            task.add_done_callback(lambda _t: self._forget(key, flight))
        else:
            flight.joined += 1
            self._on_join("process")
        flight.waiters += 1
        try:
            return await asyncio.shield(flight.task), joined
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                flight.task.cancel()  # nobody is waiting any more

    def _forget(self, key: str, flight: _Flight[T]) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        if not flight.task.cancelled():
            flight.task.exception()  # retrieved: a failure is the waiters' to report, not asyncio's

    async def _lead_across_processes(
        self,
        key: str,
        lead: Callable[[], Awaitable[T]],
        found: Callable[[], Awaitable[T | None]],
    ) -> T:
        if self.store is None:
            return await lead()
        give_up = self._clock() + self.lease_ttl
        poll = _POLL_FIRST
        waited = False
        while True:
            lease = await self.store.acquire(f"flight:{key}", self.lease_ttl)
            if lease is not None:
                try:
                    if waited:  # the holder may have finished just now
                        result = await found()
                        if result is not None:
                            self._on_join("store")
                            return result
                    return await lead()
                finally:
                    await self.store.release(lease)
            waited = True
            result = await found()
            if result is not None:
                self._on_join("store")
                return result
            if self._clock() >= give_up:
                logger.warning("single flight: the lease on a draft never freed; drafting anyway")
                return await lead()
            await asyncio.sleep(poll)
            poll = min(_POLL_MAX, poll * 2)
