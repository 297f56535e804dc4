"""Validated answers kept in memory, so a second request for the same transcript (the other
audience, or a retry by the user) makes no LLM call.

Extractions are keyed by (transcript hash, model, prompt version, schema version): editing a
prompt template or the report model changes the key, so a stale extraction is never served.
`ResultCache` holds other validated answers (repairs) under a string key built the same way.
Only validated answers are ever stored: a call that failed leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from typing import Generic, NamedTuple, TypeVar

from app.models import Extraction, Message, Transcript


class CacheKey(NamedTuple):
    transcript_sha256: str
    model: str
    prompt_version: str
    schema_version: str


def transcript_hash(transcript: Transcript) -> str:
    """SHA-256 of everything the prompt and the validators see of a transcript.

    Kept per live transcript with a snapshot of every field (the messages list copied, the
    frozen messages by identity, the ingest report deep-copied): a draft asks for it
    three times (the extraction, judge and repair keys; about 20 ms each at 10,000 messages),
    and the snapshot's comparison proves the dump would be the same, so a transcript changed in
    place, or a copy with other fields, is hashed again."""
    state = _hash_state(transcript)
    kept = _HASHES.get(id(transcript))
    if kept is not None and kept[0] == state:
        return kept[1]
    digest = hashlib.sha256(transcript.model_dump_json().encode("utf-8")).hexdigest()
    if kept is None:
        weakref.finalize(transcript, _HASHES.pop, id(transcript), None)
    _HASHES[id(transcript)] = (state, digest)
    return digest


# transcript_hash per live transcript (by id; an entry leaves with its transcript).
_HASHES: dict[int, tuple[tuple[object, ...], str]] = {}


def _hash_state(transcript: Transcript) -> tuple[object, ...]:
    """What `model_dump_json` reads of `transcript`, as values that later edits cannot reach
    (every field of `Transcript`: tests/test_transcript_hash_memo.py holds the list to it)."""
    ingest = transcript.ingest
    return (
        type(transcript),
        transcript.format,
        _Identical(transcript.messages),
        transcript.date,
        transcript.timezone,
        list(transcript.warnings),
        None if ingest is None else ingest.model_copy(deep=True),
    )


class _Identical:
    """A list's items, equal to another snapshot only when they are the same objects: equal
    messages can dump differently (aware timestamps of one instant in other UTC offsets compare
    equal), and a frozen message kept by reference cannot change."""

    __slots__ = ("items",)

    def __init__(self, items: list[Message]) -> None:
        self.items = list(items)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Identical)
            and len(self.items) == len(other.items)
            and all(a is b for a, b in zip(self.items, other.items, strict=True))
        )

    __hash__ = None  # type: ignore[assignment]


class ExtractionCache:
    """A bounded least-recently-used map from `CacheKey` to `Extraction`; size 0 keeps nothing.

    Entries are copied in and out, so a caller that edits its extraction cannot change the cache.
    """

    def __init__(self, max_entries: int = 128) -> None:
        if max_entries < 0:
            raise ValueError("max_entries must be 0 or more")
        self.max_entries = max_entries
        self._entries: OrderedDict[CacheKey, Extraction] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> Extraction | None:
        """A copy of the cached extraction, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found.model_copy(deep=True)

    def put(self, key: CacheKey, extraction: Extraction) -> None:
        """Store a copy, evicting the least recently used entry when full."""
        if self.max_entries == 0:
            return
        with self._lock:
            self._entries[key] = extraction.model_copy(deep=True)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


V = TypeVar("V")


class ResultCache(Generic[V]):
    """A bounded, thread-safe LRU map from a string key to a value; size 0 keeps nothing.

    Values are stored as given: store immutable values or copies.
    """

    def __init__(self, max_entries: int = 128) -> None:
        if max_entries < 0:
            raise ValueError("max_entries must be 0 or more")
        self.max_entries = max_entries
        self._entries: OrderedDict[str, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, value: V) -> None:
        if self.max_entries == 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
