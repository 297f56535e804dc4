"""The embedded store: one SQLite file, shared by every process on this machine that opens it.

Each operation is a short transaction run in a thread, so the event loop never waits on disk.
WAL mode lets readers and the writer of several server processes proceed together; expired
entries are skipped when read and purged now and then when written.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.store.base import Lease, StoreError

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires REAL);
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY, token TEXT NOT NULL, expires REAL NOT NULL
);
"""
_PURGE_EVERY = 200  # writes between purges of expired entries


class SqliteStore:
    """`Store` over a SQLite file (or memory, for this process only, when `path` is None)."""

    shared_across_machines = False

    def __init__(self, path: Path | None, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._writes = 0
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                ":memory:" if path is None else str(path),
                timeout=10.0,
                isolation_level=None,  # autocommit; each statement is its own transaction
                check_same_thread=False,
            )
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"cannot open the store file {path}: {exc}",
                hint="check PM_STORE_URL and that the folder is writable",
            ) from None

    async def _run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        def locked() -> T:
            with self._lock:
                try:
                    return operation(self._db)
                except sqlite3.Error as exc:
                    raise StoreError(
                        f"the store file {self.path or ':memory:'} failed: {exc}",
                        hint="check the disk and PM_STORE_URL",
                    ) from None

        return await asyncio.to_thread(locked)

    async def get(self, key: str) -> bytes | None:
        now = self._clock()

        def read(db: sqlite3.Connection) -> bytes | None:
            row = db.execute(
                "SELECT value FROM entries WHERE key = ? AND (expires IS NULL OR expires > ?)",
                (key, now),
            ).fetchone()
            return None if row is None else bytes(row[0])

        return await self._run(read)

    async def put(self, key: str, value: bytes, ttl: float | None = None) -> None:
        now = self._clock()
        expires = None if ttl is None else now + ttl
        self._writes += 1
        purge = self._writes % _PURGE_EVERY == 0

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO entries (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE "
                "SET value = excluded.value, expires = excluded.expires",
                (key, value, expires),
            )
            if purge:
                db.execute("DELETE FROM entries WHERE expires IS NOT NULL AND expires <= ?", (now,))
                db.execute("DELETE FROM leases WHERE expires <= ?", (now,))

        await self._run(write)

    async def delete(self, key: str) -> None:
        await self._run(lambda db: db.execute("DELETE FROM entries WHERE key = ?", (key,)))

    async def acquire(self, key: str, ttl: float) -> Lease | None:
        now = self._clock()
        token = uuid.uuid4().hex

        def take(db: sqlite3.Connection) -> bool:
            # Insert, or take over an expired lease; a live one leaves the row as it is.
            cursor = db.execute(
                "INSERT INTO leases (key, token, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE "
                "SET token = excluded.token, expires = excluded.expires "
                "WHERE leases.expires <= ?",
                (key, token, now + ttl, now),
            )
            return cursor.rowcount == 1

        return Lease(key, token) if await self._run(take) else None

    async def release(self, lease: Lease) -> None:
        await self._run(
            lambda db: db.execute(
                "DELETE FROM leases WHERE key = ? AND token = ?", (lease.key, lease.token)
            )
        )

    async def close(self) -> None:
        with self._lock:
            self._db.close()
