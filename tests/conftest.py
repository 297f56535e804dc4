"""Shared fixtures. Live network is blocked for every test: only loopback may be reached."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).parent / "data"
SEED_CHAT = DATA / "seed_000_checkout_chat.txt"
SEED_LLM_DRAFT = DATA / "seed_001_llm_written_draft.txt"

_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that tries to connect anywhere but loopback."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if (
            isinstance(host, str)
            and not host.startswith(_LOOPBACK)
            and self.family
            in (
                socket.AF_INET,
                socket.AF_INET6,
            )
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


@pytest.fixture(autouse=True)
def _clean_llm_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start with no LLM configured, whatever the developer's shell exports."""
    for name in (
        "PM_LLM_BASE_URL",
        "PM_LLM_API_KEY",
        "PM_LLM_MODEL",
        "PM_DEFAULT_ENGINE",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "PM_LOG_FORMAT",
    ):
        monkeypatch.delenv(name, raising=False)
    # Apps built in tests keep their cache and jobs in memory, never in ~/.cache.
    monkeypatch.setenv("PM_STORE_URL", "sqlite://")
    from app.config import get_settings

    get_settings.cache_clear()


@pytest.fixture
def seed_chat_text() -> str:
    """Seed 000: the real checkout-service incident chat."""
    return SEED_CHAT.read_text(encoding="utf-8")


@pytest.fixture
def seed_llm_draft_text() -> str:
    """Seed 001: an LLM-written draft of seed 000 with unsupported claims."""
    return SEED_LLM_DRAFT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """A real redis-server on loopback: PM_TEST_REDIS_URL when .ci/run started one, else one
    started here when the binary is installed; skipped locally without it, never in CI."""
    from tests.redis_server import running_redis

    with running_redis() as url:
        yield url


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The Redis URL, its database emptied for this test."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    client.close()
    return redis_server
