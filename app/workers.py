"""CPU steps in worker processes, each request under one deadline, so the event loop only waits.

The pipeline's synchronous steps (parse and redact, offline extraction, verify and render) are
plain functions. The CLI and the eval run them inline (`INLINE`); the service runs them in a pool
of worker processes (`WorkerPool`), each request with its own budget of `PM_CPU_DEADLINE`
seconds for all its steps together (`WorkerPool.steps`). A step past the budget has its worker
terminated and replaced by the pool, and the request gets `CpuDeadlineError` (a 503 naming the
step and how to shorten the work); every other request, and `/healthz`, carries on.

The pool is pebble's `ProcessPool`: per-task timeouts that terminate and replace just the stuck
worker, which the standard library's `ProcessPoolExecutor` cannot do without breaking the pool.
Workers come from a fork server that has already imported the pipeline, so a replacement starts
in milliseconds and no worker is forked from the threaded server process.

A request's parsed transcript crosses to the workers several times (each step after parsing
needs it). A `Parcel` carries it pickled once, as bytes: the server process only passes the
bytes on (no pickling of a large object graph under the GIL), and each worker keeps the last
few values it opened, so a step that lands on a worker that has seen the parcel does not even
unpickle it. Inline (CLI, eval) a parcel simply holds its value.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import os
import pickle
import threading
import time
import traceback
import uuid
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
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
_OPENED_PER_WORKER = 4  # parcels a worker keeps unpickled (a few requests' transcripts)
_opened: OrderedDict[str, Any] = OrderedDict()
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
                    self._value = _opened[self.key]
            if self._value is None:
                assert self._data is not None, "a parcel of nothing"
                self._value = pickle.loads(self._data)
                _remember(self.key, self._value)
        return self._value

    def __getstate__(self) -> tuple[str, bytes]:
        if self._data is None:
            self._data = pickle.dumps(self._value, protocol=pickle.HIGHEST_PROTOCOL)
            _remember(self.key, self._value)  # the worker that made it may open it next
        return self.key, self._data

    def __setstate__(self, state: tuple[str, bytes]) -> None:
        self.key, self._data = state
        self._value = None


def _remember(key: str, value: Any) -> None:
    if not _in_worker:  # the server process holds parcels only as long as their requests
        return
    with _opened_lock:
        _opened[key] = value
        _opened.move_to_end(key)
        while len(_opened) > _OPENED_PER_WORKER:
            _opened.popitem(last=False)


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
    """A process pool for the pipeline's CPU steps, started on first use."""

    def __init__(self, workers: int, niceness: int = WORKER_NICENESS) -> None:
        self.workers = max(1, workers)
        self.niceness = niceness
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    def _started(self) -> ProcessPool:
        with self._lock:
            if self._pool is None or not self._pool.active:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                self._pool = ProcessPool(
                    max_workers=self.workers,
                    initializer=_worker_init,
                    initargs=(self.niceness,),
                    context=context,
                )
            return self._pool

    def steps(self, deadline: float) -> RequestSteps:
        """A runner for one request: all its steps together get `deadline` seconds."""
        return RequestSteps(self, deadline)

    async def submit(
        self, step: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any], timeout: float
    ) -> tuple[float, T]:
        future = self._started().schedule(_timed, args=(step, args, kwargs), timeout=timeout)
        return await asyncio.wrap_future(future)  # cancelling the request stops the worker

    def close(self) -> None:
        """Stop the workers (running steps are abandoned)."""
        with self._lock:
            if self._pool is not None:
                self._pool.stop()  # type: ignore[no-untyped-call]
                self._pool.join(timeout=5)
                self._pool = None


class RequestSteps:
    """Runs one request's steps in the pool, all of them within one CPU deadline."""

    def __init__(self, pool: WorkerPool, deadline: float) -> None:
        self.pool = pool
        self.deadline = deadline
        self.spent = 0.0

    async def run(self, label: str, step: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        remaining = self.deadline - self.spent
        if remaining <= 0:
            raise CpuDeadlineError.for_step(label, self.deadline)
        try:
            elapsed, result = await self.pool.submit(step, args, kwargs, remaining)
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
