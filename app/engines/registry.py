"""Choose and hold the engines for one service instance.

One registry lives for the lifetime of the app (or a CLI run), so the LLM engine's extraction
cache is shared by every request: asking for the second audience costs no LLM call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.config import Settings
from app.engines.base import Engine
from app.errors import ConfigurationError, InvalidRequestError
from app.llm.concurrency import LLMSlots

if TYPE_CHECKING:
    import httpx
    from openai import AsyncOpenAI

    from app.draft_cache import DraftCache
    from app.store import Store
    from app.verify import CachedJudge, JudgeCache, LLMClaimJudge

ENGINE_NAMES = ("extractive", "llm")


class EngineRegistry:
    """Builds each engine once, on first use."""

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx.AsyncClient | None = None,
        store: Store | None = None,
    ) -> None:
        self.settings = settings
        self._http_client = http_client
        self._engines: dict[str, Engine] = {}
        self._llm_client: AsyncOpenAI | None = None
        self._judge_cache: JudgeCache | None = None
        self.llm_slots = LLMSlots(settings.llm_max_concurrency)
        self.drafts: DraftCache | None = None
        if store is not None:  # the service: analyses cached in the store, single flight
            from app.draft_cache import DraftCache

            self.drafts = DraftCache(store, settings)

    def default_name(self) -> str:
        """The engine used when a request names none."""
        return self.settings.engine

    def get(self, name: str | None = None) -> Engine:
        """The engine called `name` (or the default); a clear error for unknown or unconfigured."""
        chosen = name or self.default_name()
        if chosen not in ENGINE_NAMES:
            raise InvalidRequestError(
                f"unknown engine {chosen!r}",
                hint=f"use one of: {', '.join(ENGINE_NAMES)}",
            )
        if chosen not in self._engines:
            self._engines[chosen] = self._build(chosen)
        return self._engines[chosen]

    def _build(self, name: str) -> Engine:
        if name == "extractive":
            from app.engines.extractive import ExtractiveEngine

            return ExtractiveEngine()
        if not self.settings.llm_configured:
            raise ConfigurationError(
                "the llm engine is not configured",
                hint="set PM_LLM_MODEL and PM_LLM_BASE_URL (or PM_LLM_API_KEY for OpenAI), "
                "or use engine 'extractive'",
            )
        from app.engines.llm import LLMEngine
        from app.llm.cache import ExtractionCache

        # With the draft cache in front, the engine keeps nothing itself: what is cached, and
        # for how long (never a salvaged answer for long), is the draft cache's decision.
        cache = ExtractionCache(0) if self.drafts is not None else None
        return LLMEngine(self.settings, client=self.llm_client(), cache=cache)

    def llm_client(self) -> AsyncOpenAI:
        """The one OpenAI-compatible client of this registry (built from settings)."""
        if self._llm_client is None:
            from app.llm.client import build_client

            self._llm_client = build_client(
                self.settings, http_client=self._http_client or self._metered_http_client()
            )
        return self._llm_client

    def _metered_http_client(self) -> httpx.AsyncClient:
        """The SDK's default HTTP client over a transport that feeds /metrics."""
        import httpx
        from openai import DefaultAsyncHttpxClient

        from app.llm_metrics import MeteredTransport

        # The SDK's own pool limits: a burst of drafts must not queue for a connection.
        limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
        inner = httpx.AsyncHTTPTransport(limits=limits)
        transport = MeteredTransport(inner, self.settings.llm_model or "")
        return DefaultAsyncHttpxClient(transport=transport)

    def claim_judge(self) -> tuple[CachedJudge, LLMClaimJudge] | None:
        """A judge for claims the rules cannot settle, or None when no LLM may be used.

        A new `LLMClaimJudge` per call counts that request's usage; the verdict cache is shared,
        so the second audience of a transcript costs no judge call.
        """
        if not (self.settings.llm_configured and self.settings.verify_with_llm):
            return None
        from app.verify import CachedJudge, JudgeCache, LLMClaimJudge

        if self._judge_cache is None:
            size = 0 if self.drafts is not None else self.settings.llm_cache_size
            self._judge_cache = JudgeCache(size)
        model = self.settings.llm_model or ""
        inner = LLMClaimJudge(
            self.llm_client(),
            model,
            temperature=self.settings.llm_temperature,
            time_budget=self.settings.llm_time_budget,
            timeout=self.settings.llm_timeout,
        )
        return CachedJudge(inner, self._judge_cache, model), inner
