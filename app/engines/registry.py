"""Choose and hold the engines for one service instance.

One registry lives for the lifetime of the app (or a CLI run), so the LLM engine's extraction
cache, the judge's verdict cache, the repair cache and the readiness probe are shared by every
request: asking for the second audience costs no LLM call, and /readyz costs none between probes.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from app.config import Settings
from app.engines.base import Engine
from app.errors import ConfigurationError, InvalidRequestError
from app.llm.cache import ResultCache
from app.llm.concurrency import LLMSlots
from app.llm.retry import Deadline, RetryPolicy

if TYPE_CHECKING:  # the SDK loads only when an LLM is used: offline commands start fast
    import httpx
    from openai import AsyncOpenAI

    from app.draft_cache import DraftCache
    from app.llm.chat import ChatModel
    from app.llm.endpoint import Endpoint
    from app.llm.readiness import ReadinessProbe
    from app.store import Store
    from app.verify import CachedJudge, JudgeCache, LLMClaimJudge

ENGINE_NAMES = ("extractive", "llm")


class EngineRegistry:
    """Builds each engine, client and endpoint once, on first use."""

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        chat: ChatModel | None = None,
        store: Store | None = None,
    ) -> None:
        """`http_client` carries every request (the eval's record/replay transports); `chat`
        replaces the model behind every endpoint (a `FunctionChatModel` in tests); `store`
        (the service's) keeps verified analyses for the draft cache and single flight."""
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self._http_client = http_client
        self._chat = chat
        self._engines: dict[str, Engine] = {}
        self._clients: dict[str, AsyncOpenAI] = {}
        self._endpoints: dict[str, Endpoint] = {}
        self._probes: dict[str, ReadinessProbe] = {}
        self.drafts: DraftCache | None = None
        if store is not None:
            from app.draft_cache import DraftCache

            self.drafts = DraftCache(store, settings)
        # With the draft cache in front, the engine, judge and repair keep nothing themselves:
        # what is cached, and for how long (a salvaged answer only briefly), is its decision.
        self._memory_cache_size = 0 if self.drafts is not None else settings.llm_cache_size
        self._judge_cache: JudgeCache | None = None
        self.repair_cache: ResultCache[object] = ResultCache(self._memory_cache_size)
        self.llm_slots = LLMSlots(settings.llm_max_concurrency)

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

        cache = ExtractionCache(self._memory_cache_size)
        return LLMEngine(self.settings, endpoint=self.llm_endpoint(), cache=cache)

    def deadline(self) -> Deadline:
        """One request's PM_LLM_TIME_BUDGET, shared by all its LLM calls."""
        return Deadline(self.settings.llm_time_budget, self.retry.clock)

    # ---- clients and endpoints -------------------------------------------------------------

    def _judge_has_own_client(self) -> bool:
        return bool(self.settings.judge_base_url or self.settings.judge_api_key)

    def llm_client(self) -> AsyncOpenAI:
        """The one OpenAI-compatible client for extraction and repair (built from settings)."""
        return self._client("llm")

    def judge_client(self) -> AsyncOpenAI:
        """The judge's client: the LLM's, unless the judge has its own endpoint or key."""
        return self._client("judge" if self._judge_has_own_client() else "llm")

    def _client(self, role: str) -> AsyncOpenAI:
        if role not in self._clients:
            from app.llm.client import build_client

            self._clients[role] = build_client(
                self.settings,
                http_client=self._http_client,
                role="judge" if role == "judge" else "llm",
            )
        return self._clients[role]

    def llm_endpoint(self) -> Endpoint:
        """The seam's endpoint for extraction and repair."""
        if "llm" not in self._endpoints:
            from app.llm.client import build_endpoint

            self._endpoints["llm"] = self._with_chat(
                build_endpoint(self.settings, self.llm_client(), retry=self.retry)
            )
        return self._endpoints["llm"]

    def judge_endpoint(self) -> Endpoint:
        """The seam's endpoint for the judge (PM_JUDGE_* or the LLM's)."""
        if "judge" not in self._endpoints:
            from app.llm.client import build_endpoint

            self._endpoints["judge"] = self._with_chat(
                build_endpoint(self.settings, self.judge_client(), role="judge", retry=self.retry)
            )
        return self._endpoints["judge"]

    def _with_chat(self, endpoint: Endpoint) -> Endpoint:
        """The endpoint under this registry's cap on concurrent LLM exchanges (and with the
        registry's chat model, when one was given)."""
        endpoint = dataclasses.replace(endpoint, limiter=self.llm_slots.slot)
        return endpoint if self._chat is None else dataclasses.replace(endpoint, chat=self._chat)

    # ---- verification with the LLM ------------------------------------------------------------

    def llm_verification_enabled(self) -> bool:
        """PM_VERIFY_WITH_LLM and a judge to ask: the same rule for /draft and /verify."""
        return self.settings.verify_with_llm and self.settings.judge_configured

    def claim_judge(
        self, deadline: Deadline | None = None
    ) -> tuple[CachedJudge, LLMClaimJudge] | None:
        """A judge for claims the rules cannot settle, or None when no LLM may be used.

        A new `LLMClaimJudge` per call counts that request's usage; the verdict cache is shared,
        so the second audience of a transcript costs no judge call.
        """
        if not self.llm_verification_enabled():
            return None
        from app.verify import CachedJudge, JudgeCache, LLMClaimJudge

        if self._judge_cache is None:
            self._judge_cache = JudgeCache(self._memory_cache_size)
        endpoint = self.judge_endpoint()
        inner = LLMClaimJudge(
            endpoint,
            deadline=deadline or self.deadline(),
            max_attempts=self.settings.llm_max_attempts,
        )
        model = endpoint.model
        return CachedJudge(inner, self._judge_cache, model), inner

    # ---- readiness ---------------------------------------------------------------------------

    async def readiness(self) -> dict[str, tuple[bool, str]]:
        """Cached probes of the LLM endpoint, and of the judge's when it is another one."""
        results: dict[str, tuple[bool, str]] = {}
        if self.settings.llm_configured:
            results["llm"] = await self._probe("llm").check()
        separate = self.settings.judge_base_url or (
            self.settings.judge_model and self.settings.judge_model != self.settings.llm_model
        )
        if self.settings.judge_configured and (separate or not self.settings.llm_configured):
            results["judge"] = await self._probe("judge").check()
        return results

    def _probe(self, role: str) -> ReadinessProbe:
        from app.llm.readiness import ReadinessProbe, probe_target

        if role not in self._probes:
            judge = role == "judge"
            client = self.judge_client() if judge else self.llm_client()
            self._probes[role] = ReadinessProbe(
                probe_target(self.settings, client, judge=judge),
                self.settings.llm_readiness_interval,
                clock=self.retry.clock,
            )
        return self._probes[role]
