"""The shared store: Redis, for several server processes, job workers or machines.

Values are plain keys with a millisecond expiry (`SET ... PX`); a lease is redis-py's `Lock`
(`SET NX PX` with a random token, released by a compare-and-delete script), so single flight
holds across every replica that talks to the same Redis.
"""

from __future__ import annotations

import math
import uuid
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import LockError, LockNotOwnedError, RedisError

from app.store.base import Lease, StoreError
from app.store.factory import display_url

PREFIX = "postmortem:"


class RedisStore:
    """`Store` over a Redis server (`redis://host:port/db`, `rediss://` for TLS)."""

    shared_across_machines = True

    def __init__(self, url: str) -> None:
        self.url = url
        self._client: aioredis.Redis = aioredis.Redis.from_url(url)
        self._locks: dict[tuple[str, str], Any] = {}

    def _failed(self, exc: Exception) -> StoreError:
        return StoreError(
            f"Redis at {display_url(self.url)} failed: {type(exc).__name__}: {exc}",
            hint="check that Redis is up and PM_STORE_URL points at it",
        )

    async def get(self, key: str) -> bytes | None:
        try:
            value: bytes | None = await self._client.get(PREFIX + key)
        except RedisError as exc:
            raise self._failed(exc) from None
        return value

    async def put(self, key: str, value: bytes, ttl: float | None = None) -> None:
        try:
            if ttl is None:
                await self._client.set(PREFIX + key, value)
            else:
                await self._client.set(PREFIX + key, value, px=max(1, math.ceil(ttl * 1000)))
        except RedisError as exc:
            raise self._failed(exc) from None

    async def delete(self, key: str) -> None:
        try:
            await self._client.delete(PREFIX + key)
        except RedisError as exc:
            raise self._failed(exc) from None

    async def acquire(self, key: str, ttl: float) -> Lease | None:
        lock = self._client.lock(f"{PREFIX}lease:{key}", timeout=ttl, blocking=False)
        token = uuid.uuid4().hex
        try:
            taken = await lock.acquire(token=token)
        except RedisError as exc:
            raise self._failed(exc) from None
        if not taken:
            return None
        self._locks[(key, token)] = lock
        return Lease(key, token)

    async def release(self, lease: Lease) -> None:
        lock = self._locks.pop((lease.key, lease.token), None)
        if lock is None:
            return
        try:
            await lock.release()
        except (LockNotOwnedError, LockError):
            pass  # it expired and someone else may hold it now: theirs to release
        except RedisError as exc:
            raise self._failed(exc) from None

    async def ping(self) -> None:
        """Raise `StoreError` unless Redis answers."""
        try:
            await self._client.ping()
        except RedisError as exc:
            raise self._failed(exc) from None

    async def close(self) -> None:
        await self._client.aclose()
