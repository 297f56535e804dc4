"""Prometheus metrics of the service (`GET /metrics`), defined once per process.

What is counted: HTTP requests by route and status with latency histograms; LLM calls, tokens,
latency and errors by model and kind (extraction, judge, repair); draft-cache hits and misses;
single-flight joins; jobs by state; verification outcomes by status. Labels are closed sets
(route templates, never raw paths; model names from settings), so no label can carry chat text.

Under `postmortem serve --workers N` each server process counts its own requests; set
`PROMETHEUS_MULTIPROC_DIR` (prometheus-client's multiprocess mode) to add them up (README).
"""

from __future__ import annotations

import contextvars
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

HTTP_REQUESTS = Counter(
    "postmortem_http_requests",
    "HTTP requests answered, by route template, method and status code.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "postmortem_http_request_duration_seconds",
    "Time from request to the end of the response, by route template and method.",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
LLM_CALLS = Counter(
    "postmortem_llm_calls",
    "HTTP requests sent to the LLM, by model, kind and outcome (ok or error).",
    ["model", "kind", "outcome"],
)
LLM_ERRORS = Counter(
    "postmortem_llm_errors",
    "Failed LLM requests, by model, kind and error (HTTP status or exception class).",
    ["model", "kind", "error"],
)
LLM_TOKENS = Counter(
    "postmortem_llm_tokens",
    "Tokens the LLM reported, by model, kind and direction (prompt or completion).",
    ["model", "kind", "direction"],
)
LLM_LATENCY = Histogram(
    "postmortem_llm_request_duration_seconds",
    "Time of one LLM HTTP request, by model and kind.",
    ["model", "kind"],
    buckets=_LATENCY_BUCKETS,
)
DRAFT_CACHE = Counter(
    "postmortem_draft_cache_lookups",
    "Draft-cache lookups by result (hit or miss).",
    ["result"],
)
SINGLE_FLIGHT_JOINS = Counter(
    "postmortem_single_flight_joins",
    "Requests that shared an identical draft already in progress, by where it ran "
    "(process: this server process; store: another process, through the store).",
    ["where"],
)
JOBS = Counter(
    "postmortem_jobs",
    "Jobs that reached a state (queued, running, done, failed), counted by the process that "
    "moved them there.",
    ["state"],
)
JOBS_NOW = Gauge(
    "postmortem_jobs_in_process",
    "Jobs of this process now queued or running (embedded job runner).",
    ["state"],
)
VERIFICATION = Counter(
    "postmortem_verification_claims",
    "Claims of drafts served, by verification status.",
    ["status"],
)

# The kind of LLM exchange the current task is in: extraction, judge or repair.
llm_kind: contextvars.ContextVar[str] = contextvars.ContextVar("llm_kind", default="other")


@contextmanager
def observed_call(model: str) -> Iterator[Callable[[int, int], None]]:
    """Count one LLM request of the current `llm_kind`: latency, outcome, error and the
    tokens passed to the callback (the seam calls it with the completion's usage)."""
    kind = llm_kind.get()
    started = time.perf_counter()

    def tokens(prompt: int, completion: int) -> None:
        if prompt > 0:
            LLM_TOKENS.labels(model, kind, "prompt").inc(prompt)
        if completion > 0:
            LLM_TOKENS.labels(model, kind, "completion").inc(completion)

    try:
        yield tokens
    except BaseException as exc:
        status = getattr(exc, "status_code", None)
        error = str(status) if isinstance(status, int) else type(exc).__name__
        LLM_CALLS.labels(model, kind, "error").inc()
        LLM_ERRORS.labels(model, kind, error).inc()
        raise
    else:
        LLM_CALLS.labels(model, kind, "ok").inc()
    finally:
        LLM_LATENCY.labels(model, kind).observe(time.perf_counter() - started)


def count_verification(statuses: Mapping[str, int]) -> None:
    """Add one draft's verification outcomes."""
    for status, count in statuses.items():
        VERIFICATION.labels(status=status).inc(count)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus text format, and its content type."""
    registry: CollectorRegistry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST
