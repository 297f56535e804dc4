"""Choose and hold the engines for one service instance.

One registry lives for the lifetime of the app (or a CLI run), so the LLM engine's extraction
cache is shared by every request: asking for the second audience costs no LLM call.
"""

from __future__ import annotations

import httpx
from openai import AsyncOpenAI

from app.config import Settings
from app.engines.base import Engine
from app.errors import ConfigurationError, InvalidRequestError

ENGINE_NAMES = ("extractive", "llm")


class EngineRegistry:
    """Builds each engine once, on first use."""

    def __init__(self, settings: Settings, *, http_client: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self._http_client = http_client
        self._engines: dict[str, Engine] = {}
        self._llm_client: AsyncOpenAI | None = None

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

        return LLMEngine(self.settings, client=self.llm_client())

    def llm_client(self) -> AsyncOpenAI:
        """The one OpenAI-compatible client of this registry (built from settings)."""
        if self._llm_client is None:
            from app.llm.client import build_client

            self._llm_client = build_client(self.settings, http_client=self._http_client)
        return self._llm_client
