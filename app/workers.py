"""CPU steps in worker processes, each request under one deadline, so the event loop only waits.

The pipeline's synchronous steps (parse and redact, offline extraction, verify and render) are
plain functions. The CLI and the eval run them inline (`INLINE`); the service runs them in a pool
of worker processes (`WorkerPool`), each request with its own budget of `PM_CPU_DEADLINE`
seconds for all its steps together (`WorkerPool.steps`). A step past the budget has its worker
terminated and replaced by the pool, and the request gets `CpuDeadlineError` (a 503 naming the
step and how to shorten the work); every other request, and `/healthz`, carries on.

Each worker is a one-process pebble `ProcessPool`: per-task timeouts that terminate and replace
just the stuck worker, which the standard library's `ProcessPoolExecutor` cannot do without
breaking the pool. Workers come from a fork server that has already imported the pipeline, so a
replacement starts in milliseconds and no worker is forked from the threaded server process.
Steps wait in this process and go to a request's home worker (the one that ran its last step,
where its chat is already open and indexed) when it is free, to any free worker otherwise
(`WorkerPool`).

A request's parsed transcript crosses to the workers several times (each step after parsing
needs it). A `Parcel` carries it pickled once, as bytes: the server process only passes the
bytes on (no pickling of a large object graph under the GIL), and each worker keeps the last
few values it opened, so a step that lands on a worker that has seen the parcel does not even
unpickle it. Inline (CLI, eval) a parcel simply holds its value.
"""

from __future__ import annotations

import asyncio
import atexit
import itertools
import logging
import multiprocessing
import os
import pickle
import threading
import time
import traceback
import uuid
from abc import ABC, abstractmethod
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, Generic, ParamSpec, Protocol, TypeVar

from pebble import ProcessExpired, ProcessPool

from app.errors import CpuDeadlineError, PostmortemError

logger = logging.getLogger("postmortem.api")

P = ParamSpec("P")
T = TypeVar("T")

# Modules every worker needs; the fork server imports them once, before it forks any worker
# (`app.worker_warmup` also loads what the steps would load on first use: the tokenizer).
_PRELOAD = ["app.steps", "app.worker_warmup"]
# Workers run at a lower CPU priority than the server process (nice +10, PM_CPU_WORKER_NICE):
# when the CPUs are busy with steps, the event loop still runs at once, to answer /healthz and
# to send and receive the LLM calls that the other requests wait on. A step gets every CPU
# cycle the event loop does not need, as before.
WORKER_NICENESS = 10
# Parcels a worker keeps unpickled: the requests homed on it (`WorkerPool`) reopen theirs at
# each step, and under a burst a worker has a hundred requests in flight at once; at most
# _OPENED_PER_WORKER of them, and no more than _OPENED_BYTES of their pickled size together
# (a 10,000-message transcript is about 3 MB pickled).
_OPENED_PER_WORKER = 64
_OPENED_BYTES = 32 * 1024 * 1024
_opened: OrderedDict[str, tuple[Any, int]] = OrderedDict()
_opened_bytes = 0
_opened_lock = threading.Lock()
_in_worker = False


class Deferred(ABC, Generic[T]):
    """A value a step opens where it runs (a `Parcel`, or a part of one)."""

    @abstractmethod
    def open(self) -> T:
        """The value, where the step runs."""


class Parcel(Deferred[T]):
    """A value that crosses to worker processes pickled once, as bytes.

    Made from a live value (`Parcel(value)`), it is pickled the first time it is sent and keeps
    those bytes; unpickled, it holds only the bytes, and `open()` gives the value, from this
    process's few most recently opened parcels when it is one of them.
    """

    def __init__(self, value: T) -> None:
        self.key = uuid.uuid4().hex
        self._value: T | None = value
        self._data: bytes | None = None

    def open(self) -> T:
        if self._value is None:
            with _opened_lock:
                if self.key in _opened:
                    _opened.move_to_end(self.key)
                    self._value = _opened[self.key][0]
            if self._value is None:
                assert self._data is not None, "a parcel of nothing"
                self._value = pickle.loads(self._data)
                _remember(self.key, self._value, len(self._data))
        return self._value

    def __getstate__(self) -> tuple[str, bytes]:
        if self._data is None:
            self._data = pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)
            _remember(self.key, self._value, len(self._data))  # its worker may open it next
        return self.key, self._data

    def __setstate__(self, state: tuple[str, bytes]) -> None:
        self.key, self._data = state
        self._value = None


def _remember(key: str, value: Any, size: int) -> None:
    global _opened_bytes
    if not _in_worker:  # the server process holds parcels only as long as their requests
        return
    with _opened_lock:
        if key in _opened:
            _opened_bytes -= _opened.pop(key)[1]
        _opened[key] = (value, size)
        _opened_bytes += size
        while len(_opened) > 1 and (
            len(_opened) > _OPENED_PER_WORKER or _opened_bytes > _OPENED_BYTES
        ):
            _opened_bytes -= _opened.popitem(last=False)[1][1]


class Part(Deferred[T]):
    """An attribute of a deferred value (`Part(prepared, "transcript")`), opened with it."""

    def __init__(self, whole: Deferred[Any], name: str) -> None:
        self.whole = whole
        self.name = name

    def open(self) -> T:
        value: T = getattr(self.whole.open(), self.name)
        return value


def opened(value: T | Deferred[T]) -> T:
    """`value`, opened if it is deferred."""
    return value.open() if isinstance(value, Deferred) else value


class StepCrashed(Exception):
    """A step raised something other than a domain error; carries the worker's traceback."""

    def __init__(self, kind: str, trace: str) -> None:
        super().__init__(kind, trace)
        self.kind = kind
        self.trace = trace

    def __str__(self) -> str:
        return f"{self.kind} in a worker process\n{self.trace}"


class StepRunner(Protocol):
    """Runs one synchronous pipeline step; `label` says what it does, for errors."""

    async def run(self, label: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """The step's result (or its exception)."""
        ...


class InlineSteps:
    """Runs each step right here: for the CLI, the eval and tests of the pipeline itself."""

    async def run(self, label: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        del label
        return step(*args, **kwargs)


INLINE = InlineSteps()


def _timed(
    step: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[float, T]:
    """Runs in the worker: the step's result and how long it took; any non-domain exception
    becomes `StepCrashed` (always picklable, with the traceback as text)."""
    start = time.monotonic()
    try:
        result = step(*args, **kwargs)
    except PostmortemError:
        raise
    except Exception as exc:
        raise StepCrashed(type(exc).__name__, traceback.format_exc()) from None
    return time.monotonic() - start, result


def _worker_init(niceness: int = WORKER_NICENESS) -> None:
    """Every worker redacts its log records like the server does, keeps parcels it opens, and
    yields the CPU to the server process (`niceness`)."""
    global _in_worker
    from app.redact import RedactingFilter

    _in_worker = True
    _lower_priority(niceness)
    for name in ("", "postmortem", "postmortem.api", "postmortem.llm"):
        logging.getLogger(name).addFilter(RedactingFilter())


def _lower_priority(niceness: int) -> None:
    if niceness <= 0:
        return
    try:
        os.nice(niceness)
    except OSError:  # pragma: no cover - a platform that refuses: run at the server's priority
        logger.warning("could not lower the CPU workers' priority; they run at the server's")


class WorkerPool:
    """Worker processes for the pipeline's CPU steps, started on first use.

    Each worker is a one-process pebble pool (a slot), and steps wait here, in this process,
    until a worker is free: a free worker takes the oldest step of a request it already ran a
    step of (its home) or of a new request, and only when it has none of those the oldest
    step of any other request (so no worker idles while a step waits). A request's steps so
    mostly run where its parcel is already open and the checker's index of its chat is already
    built (`app.verify`'s caches are per process): with steps handed to whichever worker came
    first, the verify pass rebuilt the index and reassessed every claim on the other worker
    about half the time. A step whose home worker has been busy for longer than
    `STEAL_AFTER` seconds with one step (a long chat) goes to the first free worker.
    """

    STEAL_AFTER = 0.25
    QUEUED_PER_WORKER = 1

    def __init__(self, workers: int, niceness: int = WORKER_NICENESS) -> None:
        self.workers = max(1, workers)
        self.niceness = niceness
        self._slots = [_Slot(index) for index in range(self.workers)]
        self._waiting: dict[int | None, deque[_Job]] = {}
        self._order = itertools.count()
        self._lock = threading.Lock()

    def _started(self, slot: _Slot) -> ProcessPool:
        if slot.pool is None or not slot.pool.active:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            slot.pool = ProcessPool(
                max_workers=1,
                initializer=_worker_init,
                initargs=(self.niceness,),
                context=context,
            )
        return slot.pool

    def steps(self, deadline: float) -> RequestSteps:
        """A runner for one request: all its steps together get `deadline` seconds."""
        return RequestSteps(self, deadline)

    async def submit(
        self,
        step: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        timeout: float,
        home: Home | None = None,
    ) -> tuple[float, T]:
        job = _Job(next(self._order), step, args, kwargs, timeout, home or Home())
        job.result.add_done_callback(partial(self._dropped, job))
        with self._lock:
            self._waiting.setdefault(job.home.slot, deque()).append(job)
            started = self._dispatch()
        self._watch(started)
        return await asyncio.wrap_future(job.result)  # cancelling the request stops the worker

    def _dispatch(self) -> list[tuple[_Slot, _Job]]:
        """Hands waiting steps to workers (under the lock); returns what it started. An idle
        worker gets any step; a busy one also gets its next own step (`QUEUED_PER_WORKER`),
        so that it starts it without waiting for this process to hand it over."""
        started = []
        now = time.monotonic()
        for depth in range(1 + self.QUEUED_PER_WORKER):
            for slot in self._slots:
                if len(slot.jobs) != depth:
                    continue
                job = self._next_for(slot, now, own_only=depth > 0)
                if job is None:
                    continue
                if not slot.jobs:
                    slot.since = now
                slot.jobs.append(job)
                job.home.slot = slot.index
                try:
                    job.inner = self._started(slot).schedule(
                        _timed, args=(job.step, job.args, job.kwargs), timeout=job.timeout
                    )
                except Exception as exc:  # the pool would not take it (closing): fail the step
                    slot.jobs.remove(job)
                    _settle(job.result, exc)
                    continue
                started.append((slot, job))
        return started

    def _next_for(self, slot: _Slot, now: float, *, own_only: bool) -> _Job | None:
        """The step `slot` runs next: the oldest of its own, a new request's, or one whose home
        is stuck on a long step; else (unless `own_only`) the oldest of any; None: none."""
        mine: list[deque[_Job]] = []
        others: list[deque[_Job]] = []
        for home, queue in list(self._waiting.items()):
            while queue and queue[0].result.done():  # cancelled while waiting
                queue.popleft()
            if not queue:
                del self._waiting[home]
                continue
            if home == slot.index or home is None:
                mine.append(queue)
                continue
            owner = self._slots[home] if home < len(self._slots) else None
            if owner is not None and not owner.jobs:
                continue  # its home is free too and takes it in this same pass
            stuck = owner is None or now - owner.since > self.STEAL_AFTER
            (mine if stuck and not own_only else others).append(queue)
        pool = mine or ([] if own_only else others)
        if not pool:
            return None
        return min(pool, key=lambda queue: queue[0].order).popleft()

    def _watch(self, started: list[tuple[_Slot, _Job]]) -> None:
        for slot, job in started:
            assert job.inner is not None
            job.inner.add_done_callback(partial(self._finished, slot, job))

    def _finished(self, slot: _Slot, job: _Job, inner: Future[Any]) -> None:
        """A worker's step ended (a pebble thread): free the worker, pass the outcome on (in
        that order: the request may submit its next step at once), start the next steps."""
        with self._lock:
            if job in slot.jobs:
                if slot.jobs[0] is job:
                    slot.since = time.monotonic()  # the next one starts now
                slot.jobs.remove(job)
        if inner.cancelled():
            job.result.cancel()
        else:
            error = inner.exception()
            _settle(job.result, error if error is not None else None, inner)
        with self._lock:
            started = self._dispatch()
        self._watch(started)

    def _dropped(self, job: _Job, result: Future[Any]) -> None:
        """The request stopped waiting (cancelled): stop its step if a worker runs it (a
        waiting one is skipped when its turn comes)."""
        if not result.cancelled():
            return
        with self._lock:
            inner = job.inner
        if inner is not None:
            inner.cancel()

    def close(self) -> None:
        """Stop the workers (running steps are abandoned, waiting ones cancelled)."""
        with self._lock:
            waiting = [job for queue in self._waiting.values() for job in queue]
            self._waiting.clear()
            pools = [slot.pool for slot in self._slots if slot.pool is not None]
            for slot in self._slots:
                slot.pool = None
                slot.jobs.clear()
        for job in waiting:
            job.result.cancel()
        for pool in pools:
            pool.stop()  # type: ignore[no-untyped-call]
            pool.join(timeout=5)


class Home:
    """The worker a request's steps last ran on (None: none yet)."""

    __slots__ = ("slot",)

    def __init__(self) -> None:
        self.slot: int | None = None


class _Slot:
    """One worker process (a one-process pebble pool) and the step it runs."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.pool: ProcessPool | None = None
        self.jobs: list[_Job] = []  # running first, then the one queued behind it
        self.since = 0.0


class _Job:
    """A step waiting for, or running on, a worker; `result` is what the request awaits."""

    __slots__ = ("order", "step", "args", "kwargs", "timeout", "home", "result", "inner")

    def __init__(
        self,
        order: int,
        step: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        timeout: float,
        home: Home,
    ) -> None:
        self.order = order
        self.step, self.args, self.kwargs, self.timeout = step, args, kwargs, timeout
        self.home = home
        self.result: Future[Any] = Future()
        self.inner: Future[Any] | None = None


def _settle(
    result: Future[Any], error: BaseException | None, inner: Future[Any] | None = None
) -> None:
    if result.done():
        return
    try:
        if error is not None:
            result.set_exception(error)
        else:
            assert inner is not None
            result.set_result(inner.result())
    except InvalidStateError:  # cancelled meanwhile
        pass


class RequestSteps:
    """Runs one request's steps in the pool, all of them within one CPU deadline, each on the
    worker that ran its last one when that worker is free (`WorkerPool`)."""

    def __init__(self, pool: WorkerPool, deadline: float) -> None:
        self.pool = pool
        self.deadline = deadline
        self.spent = 0.0
        self.home = Home()

    async def run(self, label: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        remaining = self.deadline - self.spent
        if remaining <= 0:
            raise CpuDeadlineError.for_step(label, self.deadline)
        try:
            elapsed, result = await self.pool.submit(step, args, kwargs, remaining, self.home)
        except FutureTimeout:
            self.spent = self.deadline
            raise CpuDeadlineError.for_step(label, self.deadline) from None
        except ProcessExpired as exc:
            raise StepCrashed(
                "ProcessExpired", f"the worker for {label} died (exit code {exc.exitcode})"
            ) from None
        self.spent += elapsed
        return result


_shared: WorkerPool | None = None
_shared_lock = threading.Lock()


def shared_pool(workers: int | None = None, niceness: int = WORKER_NICENESS) -> WorkerPool:
    """The process-wide pool (one per server process; apps built in tests share it)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WorkerPool(workers or default_workers(), niceness)
            atexit.register(_shared.close)
        return _shared


def default_workers() -> int:
    """One worker per CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
