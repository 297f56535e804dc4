"""LLM metrics at the HTTP edge: an httpx transport that counts every request to the LLM.

Wrapping the transport (not the SDK) counts what really went over the wire, retries and
re-asks included, whichever code path made the call. The kind (extraction, judge, repair) is
what the calling task declared in `app.metrics.llm_kind`; the model is the configured one.
"""

from __future__ import annotations

import json
import time

import httpx

from app.metrics import LLM_CALLS, LLM_ERRORS, LLM_LATENCY, LLM_TOKENS, llm_kind


class MeteredTransport(httpx.AsyncBaseTransport):
    """Counts calls, latency, errors and reported tokens of the requests it forwards."""

    def __init__(self, inner: httpx.AsyncBaseTransport, model: str) -> None:
        self.inner = inner
        self.model = model

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        kind = llm_kind.get()
        started = time.perf_counter()
        try:
            response = await self.inner.handle_async_request(request)
        except Exception as exc:
            self._failed(kind, type(exc).__name__, started)
            raise
        if not request.url.path.endswith("/chat/completions"):
            return response
        if response.status_code >= 400:
            self._failed(kind, str(response.status_code), started)
            return response
        try:
            body = await response.aread()
        except Exception as exc:
            self._failed(kind, type(exc).__name__, started)
            raise
        LLM_LATENCY.labels(self.model, kind).observe(time.perf_counter() - started)
        LLM_CALLS.labels(self.model, kind, "ok").inc()
        self._count_tokens(kind, body)
        return response  # read already: the SDK gets the cached body

    def _failed(self, kind: str, error: str, started: float) -> None:
        LLM_LATENCY.labels(self.model, kind).observe(time.perf_counter() - started)
        LLM_CALLS.labels(self.model, kind, "error").inc()
        LLM_ERRORS.labels(self.model, kind, error).inc()

    def _count_tokens(self, kind: str, body: bytes) -> None:
        try:
            usage = json.loads(body).get("usage") or {}
        except (ValueError, AttributeError):
            return
        for direction in ("prompt", "completion"):
            tokens = usage.get(f"{direction}_tokens")
            if isinstance(tokens, int) and tokens > 0:
                LLM_TOKENS.labels(self.model, kind, direction).inc(tokens)

    async def aclose(self) -> None:
        await self.inner.aclose()
