"""Judge verdicts kept in memory, so a draft for the second audience costs no judge call.

The key is (model, judge prompt version, transcript hash, the exact requests): editing a judge
template changes the key. Only a complete, validated answer is stored: a call that failed, or an
answer that left claims out, is never cached as a result, so the next request asks again.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence

from app.llm.cache import transcript_hash
from app.models import Transcript
from app.verify.judge_models import ClaimJudge, JudgeRequest, JudgeVerdict
from app.verify.judge_prompt import judge_prompt_version


class JudgeCache:
    """Bounded LRU of judge verdicts keyed by model, prompt, transcript and the claims asked."""

    def __init__(self, max_entries: int = 128) -> None:
        self._entries: OrderedDict[str, list[JudgeVerdict]] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def key(claims: Sequence[JudgeRequest], transcript: Transcript, model: str) -> str:
        """The cache key of one batch."""
        asked = json.dumps([c.model_dump() for c in claims], sort_keys=True)
        text = f"{model}\n{judge_prompt_version()}\n{transcript_hash(transcript)}\n{asked}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> list[JudgeVerdict] | None:
        """Copies of the cached verdicts, or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return [v.model_copy() for v in found]

    def put(self, key: str, verdicts: list[JudgeVerdict]) -> None:
        """Store verdicts, evicting the least recently used entry when full."""
        if self._max <= 0:
            return
        with self._lock:
            self._entries[key] = [v.model_copy() for v in verdicts]
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)


class CachedJudge:
    """A `ClaimJudge` that answers repeated questions from a shared `JudgeCache`."""

    def __init__(self, inner: ClaimJudge, cache: JudgeCache, model: str) -> None:
        self._inner = inner
        self._cache = cache
        self._model = model
        self.hits = 0

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        """Cached verdicts, or the inner judge's (stored only when every claim was answered)."""
        key = JudgeCache.key(claims, transcript, self._model)
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        verdicts = await self._inner.judge(claims, transcript)  # a failure raises: not stored
        if {c.index for c in claims} <= {v.index for v in verdicts}:
            self._cache.put(key, verdicts)
        return verdicts
