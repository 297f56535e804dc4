"""Transient faults retried with backoff and jitter, all under one deadline.

Timeouts, connection errors, 408/409/429 and 5xx are retried; a `Retry-After` (or OpenAI's
`retry-after-ms`) header sets the wait. Each try runs under `asyncio.timeout` for the whole
exchange (connect, send and every read), so a server that drips its answer a byte at a time
cannot outlast the deadline the way it outlasts a per-read timeout. Retrying stops when the next
wait would pass the deadline, and the last exception is re-raised for `app.llm.failures` to name.
Sleep and clock are injectable so tests run instantly and count calls deterministically.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

from app.llm.progress import Progress, track

logger = logging.getLogger("postmortem.llm")

T = TypeVar("T")

_TRANSIENT_STATUS = frozenset({408, 409, 429})

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class RetryPolicy:
    """How to wait between tries; defaults suit real endpoints, tests inject sleep and clock."""

    initial_wait: float = 0.5
    max_wait: float = 20.0
    jitter: float = 0.5
    min_attempt_time: float = 1.0  # no try is started with less time than this left
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.monotonic
    random: Callable[[], float] = field(default=random.random)

    def backoff(self, retry_number: int) -> float:
        """Exponential wait before retry `retry_number` (1-based), plus jitter, capped."""
        exponential = self.initial_wait * 2.0 ** (retry_number - 1)
        return float(min(self.max_wait, exponential + self.jitter * self.random()))


class Deadline:
    """The time left of one request's LLM budget (PM_LLM_TIME_BUDGET), shared by every call."""

    def __init__(self, budget: float, clock: Callable[[], float]) -> None:
        self.budget = budget
        self._clock = clock
        self._end = clock() + budget

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: the same request may well succeed in a moment."""
    import openai  # loaded already whenever an SDK error can exist

    if isinstance(exc, openai.APIConnectionError | RequestTimeoutError):
        return True  # APIConnectionError includes APITimeoutError
    if isinstance(exc, openai.APIStatusError):
        if exc.code == "insufficient_quota":  # a 429 that waiting does not fix
            return False
        return exc.status_code in _TRANSIENT_STATUS or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """The wait a 429/503 asked for: `retry-after-ms`, or `Retry-After` in seconds or as a date."""
    import openai  # loaded already whenever an SDK error can exist

    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class BudgetExhaustedError(Exception):
    """The time budget ran out: before another request could be sent, or during one."""

    def __init__(self, message: str, progress: Progress | None = None) -> None:
        super().__init__(message)
        self.progress = progress


class RequestTimeoutError(Exception):
    """One request took longer than PM_LLM_TIMEOUT in all (connect, send and reads)."""

    def __init__(self, seconds: float, progress: Progress) -> None:
        super().__init__(f"no complete answer within {seconds:g}s")
        self.seconds = seconds
        self.progress = progress


@dataclass
class RetryStats:
    """What the retry loop did, for usage, error details and tests."""

    requests: int = 0
    waits: list[float] = field(default_factory=list)
    stopped_by_budget: bool = False


async def call_with_retries(
    request: Callable[[float], Awaitable[T]],
    *,
    deadline: Deadline,
    per_request_timeout: float,
    policy: RetryPolicy,
    stats: RetryStats,
) -> T:
    """Run `request(timeout)` until it succeeds, fails for good, or the budget runs out.

    Each try gets `min(per_request_timeout, time left)` for the whole exchange. A try cut off by
    the deadline raises `BudgetExhaustedError`, one cut off by the per-request timeout
    `RequestTimeoutError` (retried); both carry how far the exchange got. Other exceptions are
    re-raised as they are; `stats.stopped_by_budget` says whether the budget ended the retries.
    """

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(exc) if exc else None
        return asked if asked is not None else policy.backoff(state.attempt_number)

    def stop(state: RetryCallState) -> bool:
        left_after_wait = deadline.remaining() - state.upcoming_sleep
        if left_after_wait >= min(policy.min_attempt_time, per_request_timeout):
            return False
        stats.stopped_by_budget = True
        return True

    async def sleep(seconds: float) -> None:
        stats.waits.append(seconds)
        await policy.sleep(seconds)

    def log_retry(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        logger.warning(
            "LLM request failed (%s); retry %d in %.1fs",
            type(exc).__name__,
            state.attempt_number,
            state.upcoming_sleep,
        )

    retrying = AsyncRetrying(
        sleep=sleep,
        stop=stop,
        wait=wait,
        retry=retry_if_exception(is_transient),
        before_sleep=log_retry,
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            timeout = min(per_request_timeout, deadline.remaining())
            if timeout <= 0:
                stats.stopped_by_budget = True
                raise BudgetExhaustedError(f"the {deadline.budget:g}s time budget is spent")
            stats.requests += 1
            return await _within(request, timeout, deadline, per_request_timeout, stats)
    raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover


async def _within(
    request: Callable[[float], Awaitable[T]],
    timeout: float,
    deadline: Deadline,
    per_request_timeout: float,
    stats: RetryStats,
) -> T:
    """One try, ended by `asyncio.timeout` whatever the server does with its bytes."""
    cut_by_budget = deadline.remaining() <= per_request_timeout
    progress = track()
    limit = asyncio.timeout(timeout)
    try:
        async with limit:
            return await request(timeout)
    except TimeoutError:
        if not limit.expired():
            raise
        if cut_by_budget:
            stats.stopped_by_budget = True
            raise BudgetExhaustedError(
                f"the {deadline.budget:g}s time budget ran out during a request", progress
            ) from None
        raise RequestTimeoutError(timeout, progress) from None
