"""One deadline covers the whole exchange: connect, send and every read. Real servers on loopback
drip their answer (40 bytes every 1.5 s; 1 byte every 2 s), which per-read timeouts never stop;
each ends in a 504 at the budget, saying how far the exchange got (not "could not connect")."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest

from app.engines.llm import LLMEngine
from app.errors import UpstreamTimeoutError
from tests.llm_fakes import chat_completion, llm_settings, seed_report, seed_transcript

BUDGET = 2.5


def _response() -> bytes:
    body = json.dumps(chat_completion(seed_report())).encode()
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nserver: drip/1.0\r\n"
        f"x-request-id: {'0' * 64}\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()  # longer than the 80 bytes that arrive within the budget
    return head + body


Dripper = Callable[[asyncio.StreamWriter], "asyncio.Future[None] | object"]


async def drip_everything(writer: asyncio.StreamWriter) -> None:
    """The whole response, status line included, 40 bytes every 1.5 s."""
    data = _response()
    for start in range(0, len(data), 40):
        writer.write(data[start : start + 40])
        await writer.drain()
        await asyncio.sleep(1.5)


async def drip_the_body(writer: asyncio.StreamWriter) -> None:
    """Headers at once, then the body 1 byte every 2 s."""
    data = _response()
    split = data.index(b"\r\n\r\n") + 4
    writer.write(data[:split])
    await writer.drain()
    for byte in data[split:]:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(2)


@asynccontextmanager
async def dripping_server(drip: Callable[[asyncio.StreamWriter], object]) -> AsyncIterator[str]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (await reader.readline()) not in (b"\r\n", b""):
                pass  # the request line and headers
            await drip(writer)  # type: ignore[misc]
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.close()


async def _extract(base_url: str) -> tuple[UpstreamTimeoutError, float]:
    # A per-request timeout far longer than the budget: only the deadline can end this.
    settings = llm_settings(llm_base_url=base_url, llm_timeout=60, llm_time_budget=BUDGET)
    started = time.monotonic()
    with pytest.raises(UpstreamTimeoutError) as caught:
        await LLMEngine(settings).extract(seed_transcript())
    return caught.value, time.monotonic() - started


async def test_dripping_upstreams_end_in_a_504_at_the_budget() -> None:
    async with dripping_server(drip_everything) as whole, dripping_server(drip_the_body) as body:
        (slow_head, head_took), (slow_body, body_took) = await asyncio.gather(
            _extract(whole), _extract(body)
        )

    for error, took in ((slow_head, head_took), (slow_body, body_took)):
        assert error.status == 504
        assert BUDGET - 0.1 <= took < BUDGET + 1.5
        assert "could not connect" not in error.detail
        assert f"the {BUDGET:g}s time budget ran out" in error.detail
        assert "http://127.0.0.1:" in error.detail
    assert "the request was sent but no complete answer arrived" in slow_head.detail
    assert "the answer was still arriving (" in slow_body.detail
    assert "bytes of body so far" in slow_body.detail


async def test_the_readiness_probe_is_bounded_as_a_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.llm.readiness as readiness
    from app.llm.client import build_client
    from app.llm.readiness import check_llm

    monkeypatch.setattr(readiness, "READINESS_TIMEOUT", 1.0)
    async with dripping_server(drip_the_body) as base_url:
        settings = llm_settings(llm_base_url=base_url)
        started = time.monotonic()
        ok, detail = await check_llm(settings, build_client(settings))
        took = time.monotonic() - started

    assert not ok and "did not answer GET /models within 1s" in detail
    assert took < 2.5  # a 2 s drip per byte would otherwise hold it for minutes
