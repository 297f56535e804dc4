"""The store interface: bytes under string keys with a time to live, and leases.

A lease is a lock with an expiry: one holder at a time across every process that shares the
store, released by its holder or freed when it expires (a holder that died frees it by itself).
Single flight across replicas takes one per cache key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.errors import PostmortemError


class StoreError(PostmortemError):
    """The shared store (SQLite file or Redis) could not be read or written."""

    status = 503
    title = "Store unavailable"


@dataclass(frozen=True)
class Lease:
    """Proof of holding the lease on `key` (`token` tells holders apart)."""

    key: str
    token: str


class Store(Protocol):
    """Bytes under string keys, each with an optional time to live, and leases on keys."""

    @property
    def shared_across_machines(self) -> bool:
        """True when other machines see the same state (Redis), False for a local file."""
        ...

    async def get(self, key: str) -> bytes | None:
        """The value under `key`, or None when absent or expired."""
        ...

    async def put(self, key: str, value: bytes, ttl: float | None = None) -> None:
        """Store `value` under `key`, for `ttl` seconds (None: until deleted)."""
        ...

    async def delete(self, key: str) -> None:
        """Remove `key` (no error when absent)."""
        ...

    async def acquire(self, key: str, ttl: float) -> Lease | None:
        """The lease on `key` for `ttl` seconds, or None when someone else holds it."""
        ...

    async def release(self, lease: Lease) -> None:
        """Give the lease back (nothing happens when it has expired and been taken since)."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
