"""Connections to the LLM in small pools, so many concurrent requests stay cheap.

httpcore's connection pool re-examines every connection it holds each time a request starts or
ends (`has_expired` polls each socket; counting idle connections is itself a walk over all of
them, once per idle connection). With a few connections that costs nothing; with 200 requests
in flight it is quadratic, and it ran on the event loop: profiled with py-spy, it was a quarter
of the server's CPU in a burst of 200 drafts, and past the SDK's 100 keep-alive connections the
pool also closed and reopened connections all the time.

`ShardedTransport` spreads requests over several independent pools of at most `shard_size`
connections each (every connection kept alive), opened as they are needed, and sends each
request to the pool with the fewest requests in flight: the work per request is bounded by the
shard size, whatever the concurrency.

Every pool the transport opens shares one TLS context, made with the first: httpx builds a
context per transport (loading the CA bundle: 17 ms of CPU, measured), and the pools of a burst
are opened on the event loop in its first wave (13 of them for 200 drafts: 0.2 s during which
the loop answered nothing, not even `/healthz`).
"""

from __future__ import annotations

import math
import ssl
from collections.abc import AsyncIterator, Callable

import httpx

SHARD_SIZE = 16


class ShardedTransport(httpx.AsyncBaseTransport):
    """Up to `max_connections` connections, in pools of `shard_size`, least busy pool first."""

    def __init__(
        self,
        *,
        max_connections: int = 1000,
        shard_size: int = SHARD_SIZE,
        keepalive_expiry: float = 5.0,
        make: Callable[[httpx.Limits], httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self.shard_size = max(1, shard_size)
        self.max_shards = max(1, math.ceil(max_connections / self.shard_size))
        self._limits = httpx.Limits(
            max_connections=self.shard_size,
            max_keepalive_connections=self.shard_size,
            keepalive_expiry=keepalive_expiry,
        )
        self._make = make or self._http_pool
        self._tls: ssl.SSLContext | None = None
        self._shards: list[httpx.AsyncBaseTransport] = []
        self._busy: list[int] = []

    def _http_pool(self, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        """httpx's own transport (as `AsyncHTTPTransport(limits=limits)`), with the shared TLS
        context: the same one httpx would make (the CA bundle, SSL_CERT_FILE/SSL_CERT_DIR)."""
        if self._tls is None:
            self._tls = httpx.create_ssl_context(trust_env=True)
        return httpx.AsyncHTTPTransport(limits=limits, verify=self._tls)

    @property
    def shards(self) -> int:
        """Pools opened so far."""
        return len(self._shards)

    def _pick(self) -> int:
        if self._busy:
            index = min(range(len(self._busy)), key=self._busy.__getitem__)
            if self._busy[index] < self.shard_size or len(self._shards) >= self.max_shards:
                return index
        self._shards.append(self._make(self._limits))
        self._busy.append(0)
        return len(self._shards) - 1

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = self._pick()  # no await before the count goes up: one event loop, no race
        self._busy[index] += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._busy[index] -= 1

        try:
            response = await self._shards[index].handle_async_request(request)
        except BaseException:
            release()
            raise
        response.stream = _Releasing(response.stream, release)
        return response

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()
        self._shards.clear()
        self._busy.clear()


class _Releasing(httpx.AsyncByteStream):
    """A response body that gives its pool's slot back when it is closed."""

    def __init__(
        self, inner: httpx.SyncByteStream | httpx.AsyncByteStream, release: Callable[[], None]
    ) -> None:
        if not isinstance(inner, httpx.AsyncByteStream):
            raise TypeError("an async transport answered with a synchronous stream")
        self._inner = inner
        self._release = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            self._release()
