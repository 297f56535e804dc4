"""The store interface on both backends: SQLite (a file, and memory) and a real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.errors import ConfigurationError
from app.store import Store, open_store
from app.store.factory import display_url, sqlite_path
from app.store.sqlite import SqliteStore


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
    elif request.param == "sqlite-file":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        url = "sqlite://"
    opened = open_store(url)
    yield opened
    await opened.close()


async def test_values_round_trip_and_delete(store: Store) -> None:
    assert await store.get("missing") is None
    await store.put("k", b"\x00binary\xff")
    assert await store.get("k") == b"\x00binary\xff"
    await store.put("k", b"replaced")
    assert await store.get("k") == b"replaced"
    await store.delete("k")
    assert await store.get("k") is None
    await store.delete("k")  # no error when absent


async def test_values_expire(store: Store) -> None:
    await store.put("short", b"v", ttl=0.05)
    await store.put("long", b"v", ttl=60)
    assert await store.get("short") == b"v"
    await asyncio.sleep(0.15)
    assert await store.get("short") is None
    assert await store.get("long") == b"v"


async def test_a_lease_has_one_holder_until_released(store: Store) -> None:
    first = await store.acquire("job", ttl=30)
    assert first is not None
    assert await store.acquire("job", ttl=30) is None
    assert await store.acquire("other", ttl=30) is not None
    await store.release(first)
    again = await store.acquire("job", ttl=30)
    assert again is not None and again.token != first.token


async def test_an_expired_lease_can_be_taken_and_the_old_holder_cannot_free_it(
    store: Store,
) -> None:
    stale = await store.acquire("job", ttl=0.05)
    assert stale is not None
    await asyncio.sleep(0.15)
    fresh = await store.acquire("job", ttl=30)
    assert fresh is not None
    await store.release(stale)  # too late: it is someone else's now
    assert await store.acquire("job", ttl=30) is None


async def test_two_openers_of_one_sqlite_file_share_values_and_leases(tmp_path: Path) -> None:
    """Two server processes on one machine open the same file."""
    path = tmp_path / "shared.sqlite3"
    one, two = SqliteStore(path), SqliteStore(path)
    await one.put("analysis", b"x", ttl=60)
    assert await two.get("analysis") == b"x"
    lease = await one.acquire("flight", ttl=30)
    assert lease is not None
    assert await two.acquire("flight", ttl=30) is None
    await one.release(lease)
    assert await two.acquire("flight", ttl=30) is not None
    await one.close()
    await two.close()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///relative/store.sqlite3", Path("relative/store.sqlite3")),
        ("sqlite:////var/lib/pm/store.sqlite3", Path("/var/lib/pm/store.sqlite3")),
    ],
)
def test_sqlite_urls(url: str, path: Path | None) -> None:
    assert sqlite_path(url) == path


def test_an_unknown_scheme_is_a_configuration_error_without_the_password() -> None:
    with pytest.raises(ConfigurationError) as caught:
        open_store("memcached://user:hunter2@cache:11211")
    assert "hunter2" not in caught.value.detail
    assert "sqlite:///" in (caught.value.hint or "")
    assert display_url("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"


def test_the_settings_refuse_a_store_url_of_no_known_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.main import load_settings

    monkeypatch.setenv("PM_STORE_URL", "postgres://db/pm")
    with pytest.raises(ConfigurationError, match="PM_STORE_URL"):
        load_settings()
