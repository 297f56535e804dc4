"""The draft cache: verified analyses in the store, keyed by what produced them.

A key covers everything an analysis depends on: the transcript exactly as sent (text, or an
upload's bytes and what to read from it), the parse options, the engine and its settings
(model, response format, judge on or off), `keep_unverified`, and a fingerprint of the code,
prompts and schemas (a deploy never serves an analysis the old code made). The audience is not
in the key: the second audience of a chat renders from the same analysis.

Only clean analyses are kept for `PM_CACHE_TTL`; a degraded one (a salvaged LLM answer, or the
judge unavailable) only for `PM_DEGRADED_CACHE_TTL`, long enough for a burst of retries to
share it, short enough that the next request tries the LLM again.
"""

from __future__ import annotations

import asyncio
import hashlib
from functools import lru_cache
from pathlib import Path

from app.config import Settings
from app.ingest.upload import Upload
from app.metrics import DRAFT_CACHE, SINGLE_FLIGHT_JOINS
from app.resources import prompts_dir, schemas_dir
from app.single_flight import SingleFlight
from app.steps import DraftOptions
from app.store import Store

_HASH_IN_THREAD = 1 << 16  # inputs larger than this are hashed off the event loop


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the package's source, prompts and schemas."""
    digest = hashlib.sha256()
    roots = [Path(__file__).resolve().parent, prompts_dir(), schemas_dir()]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".j2", ".json") and path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def engine_identity(engine: str, settings: Settings) -> str:
    """What, besides the code, decides an engine's output."""
    if engine != "llm":
        return engine
    parts = (
        settings.llm_model,
        settings.llm_base_url,
        settings.llm_api_version,
        settings.llm_response_format,
        settings.llm_temperature,
        settings.llm_max_tokens,
        settings.llm_max_attempts,
        settings.verify_with_llm,
        getattr(settings, "llm_context_tokens", None),
    )
    return "llm:" + "|".join(str(p) for p in parts)


def _input_digest(source: str | Upload) -> str | None:
    digest = hashlib.sha256()
    if isinstance(source, str):
        digest.update(b"text\0")
        digest.update(source.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()
    if not isinstance(source.data, bytes):  # a folder on disk: it may change under us
        return None
    meta = (source.filename, source.channel, source.since, source.until, source.limits)
    digest.update(f"upload\0{meta!r}\0".encode())
    digest.update(source.data)
    return digest.hexdigest()


class DraftCache:
    """Analyses in the store, plus single flight over the same keys."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.flights: SingleFlight[bytes] = SingleFlight(
            store,
            lease_ttl=settings.llm_time_budget * 2 + settings.cpu_deadline,
            on_join=lambda where: SINGLE_FLIGHT_JOINS.labels(where=where).inc(),
        )

    async def key(self, source: str | Upload, options: DraftOptions, engine: str) -> str | None:
        """The cache key of this request's analysis, or None when it must not be cached."""
        size = len(source) if isinstance(source, str) else 0
        if isinstance(source, Upload) and isinstance(source.data, bytes):
            size = len(source.data)
        if size > _HASH_IN_THREAD:
            digest = await asyncio.to_thread(_input_digest, source)
        else:
            digest = _input_digest(source)
        if digest is None:
            return None
        parts = (
            code_fingerprint(),
            engine_identity(engine, self.settings),
            options.format,
            options.date,
            options.timezone,
            options.keep_unverified,
            digest,
        )
        return "analysis:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    async def get(self, key: str) -> bytes | None:
        """The stored analysis under `key`, counted as a hit or a miss."""
        if self.settings.cache_ttl <= 0:
            return None
        blob = await self.store.get(key)
        DRAFT_CACHE.labels(result="miss" if blob is None else "hit").inc()
        return blob

    async def peek(self, key: str) -> bytes | None:
        """The stored analysis, uncounted (single flight polling for another process)."""
        return await self.store.get(key)

    async def put(self, key: str, blob: bytes, *, degraded: bool) -> None:
        """Keep an analysis: a clean one for PM_CACHE_TTL, a degraded one briefly."""
        ttl = self.settings.degraded_cache_ttl if degraded else self.settings.cache_ttl
        if ttl > 0 and self.settings.cache_ttl > 0:
            await self.store.put(key, blob, ttl)
