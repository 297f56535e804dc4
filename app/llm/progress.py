"""How far one HTTP exchange with the LLM got, so a timeout can say what actually happened.

"Could not connect" is a lie when the server accepted the request and is dripping its answer a
few bytes at a time. `ProgressTransport` wraps the client's transport and records, for the request
being made in the current task, whether a connection was made, the request sent, the response
headers received, and how many body bytes arrived (httpcore's `trace` extension and a counting
stream). The record lives in a context variable set by `track()`, so concurrent requests never
share one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Progress:
    """What one request achieved before it ended."""

    connected: bool = False
    sent: bool = False
    headers: bool = False
    body_bytes: int = 0
    tracked: bool = False  # False: the transport could not observe it (a custom http client)

    def describe(self) -> str:
        """The furthest step reached, in words."""
        if not self.tracked:
            return "no complete answer arrived"
        if self.headers:
            return f"the answer was still arriving ({self.body_bytes} bytes of body so far)"
        if self.sent:
            return "the request was sent but no complete answer arrived"
        if self.connected:
            return "the connection was made but the request was not sent"
        return "no connection could be made"


_current: ContextVar[Progress | None] = ContextVar("llm_progress", default=None)


def track() -> Progress:
    """A fresh record for the request about to be made in this task."""
    progress = Progress()
    _current.set(progress)
    return progress


Trace = Callable[[str, dict[str, Any]], Awaitable[None]]


class _CountingStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, progress: Progress) -> None:
        self._inner = inner
        self._progress = progress

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._progress.body_bytes += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


class ProgressTransport(httpx.AsyncBaseTransport):
    """Passes requests to `inner`, recording their progress in the current `Progress`."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        progress = _current.get()
        if progress is None:
            return await self._inner.handle_async_request(request)
        progress.tracked = True
        previous: Trace | None = request.extensions.get("trace")

        async def trace(name: str, info: dict[str, Any]) -> None:
            if name.endswith(("connect_tcp.complete", "send_request_headers.started")):
                progress.connected = True  # a pooled connection skips connect_tcp
            elif name.endswith("send_request_body.complete"):
                progress.sent = True
            elif name.endswith("receive_response_headers.complete"):
                progress.headers = True
            if previous is not None:
                await previous(name, info)

        request.extensions = {**request.extensions, "trace": trace}
        response = await self._inner.handle_async_request(request)
        progress.connected = progress.sent = progress.headers = True
        if isinstance(response.stream, httpx.AsyncByteStream):
            response.stream = _CountingStream(response.stream, progress)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
