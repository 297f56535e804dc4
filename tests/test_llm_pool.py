"""The LLM client's connections in small pools (`app.llm.pool.ShardedTransport`)."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import httpx
import pytest
import respx

from app.llm.pool import ShardedTransport


class _Recorder(httpx.AsyncBaseTransport):
    """A pool that answers after `gate` opens, counting what it holds."""

    def __init__(self, gate: asyncio.Event) -> None:
        self.gate = gate
        self.requests = 0
        self.closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        del request
        self.requests += 1
        await self.gate.wait()
        return httpx.Response(200, stream=httpx.ByteStream(b"ok"))

    async def aclose(self) -> None:
        self.closed = True


async def test_requests_spread_over_pools_of_the_shard_size_and_free_their_slot() -> None:
    gate = asyncio.Event()
    made: list[_Recorder] = []

    def make(limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        assert limits.max_connections == limits.max_keepalive_connections == 4
        made.append(_Recorder(gate))
        return made[-1]

    transport = ShardedTransport(max_connections=12, shard_size=4, make=make)
    async with httpx.AsyncClient(transport=transport, base_url="http://llm.test") as client:
        calls = [asyncio.ensure_future(client.get("/")) for _ in range(12)]
        await asyncio.sleep(0.01)
        assert [pool.requests for pool in made] == [4, 4, 4]  # a new pool only when all are full
        gate.set()
        answers = await asyncio.gather(*calls)
        assert all(a.text == "ok" for a in answers)
        assert transport._busy == [0, 0, 0]  # every slot given back when the body was read
        await client.get("/")
        assert transport.shards == 3  # reused, not grown
    assert all(pool.closed for pool in made)


async def test_past_the_last_pool_requests_queue_in_the_least_busy_one() -> None:
    gate = asyncio.Event()
    made: list[_Recorder] = []

    def make(_limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        made.append(_Recorder(gate))
        return made[-1]

    transport = ShardedTransport(max_connections=4, shard_size=2, make=make)
    async with httpx.AsyncClient(transport=transport, base_url="http://llm.test") as client:
        calls = [asyncio.ensure_future(client.get("/")) for _ in range(7)]
        await asyncio.sleep(0.01)
        assert transport.shards == 2 and sorted(p.requests for p in made) == [3, 4]
        gate.set()
        await asyncio.gather(*calls)


async def test_a_failed_request_gives_its_slot_back() -> None:
    class Failing(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused", request=request)

    transport = ShardedTransport(max_connections=4, shard_size=2, make=lambda _: Failing())
    async with httpx.AsyncClient(transport=transport, base_url="http://llm.test") as client:
        for _ in range(3):
            try:
                await client.get("/")
            except httpx.ConnectError:
                pass
        assert transport._busy == [0]  # one pool, never left looking busy


async def test_the_pools_share_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx loads the CA bundle for each transport it builds (17 ms of CPU); the pools of a
    burst are opened on the event loop, so they share the first pool's context."""
    made: list[ssl.SSLContext] = []
    create = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(create(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    gate = asyncio.Event()
    arrived: list[httpx.Request] = []

    async def held(request: httpx.Request) -> httpx.Response:
        arrived.append(request)
        await gate.wait()
        return httpx.Response(200, text="ok")

    transport = ShardedTransport(max_connections=6, shard_size=2)
    with respx.mock(assert_all_called=True) as mock:
        mock.get("https://llm.test/").mock(side_effect=held)
        async with httpx.AsyncClient(transport=transport, base_url="https://llm.test") as client:
            calls = [asyncio.ensure_future(client.get("/")) for _ in range(6)]
            for _ in range(500):  # until all six are in flight (a loaded machine is slow)
                if len(arrived) == 6:
                    break
                await asyncio.sleep(0.01)
            assert transport.shards == 3
            gate.set()
            assert all(a.text == "ok" for a in await asyncio.gather(*calls))
    assert len(made) == 1  # one CA bundle load for three pools
