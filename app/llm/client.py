"""The one place the OpenAI SDK client is built."""

from __future__ import annotations

import httpx
from openai import AsyncAzureOpenAI, AsyncOpenAI

from app.config import Settings
from app.errors import ConfigurationError

# Local servers (llama.cpp, vLLM, Ollama, LM Studio) accept any key, but the SDK insists on one.
LOCAL_API_KEY = "not-needed"
CONNECT_TIMEOUT = 10.0


def build_client(
    settings: Settings, *, http_client: httpx.AsyncClient | None = None
) -> AsyncOpenAI:
    """An async client for the configured endpoint: Azure OpenAI when PM_LLM_API_VERSION is set.

    `max_retries=0` because tenacity owns retries (see `app.llm.retry`); the SDK's own two retries
    would multiply every wait and blow the time budget.
    """
    if not settings.llm_configured:
        raise ConfigurationError(
            "the LLM is not configured",
            hint="set PM_LLM_MODEL and PM_LLM_BASE_URL (or PM_LLM_API_KEY for OpenAI)",
        )
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else LOCAL_API_KEY
    timeout = httpx.Timeout(
        settings.llm_timeout, connect=min(CONNECT_TIMEOUT, settings.llm_timeout)
    )
    if settings.llm_api_version and settings.llm_base_url:
        return AsyncAzureOpenAI(
            azure_endpoint=settings.llm_base_url,
            api_version=settings.llm_api_version,
            api_key=api_key,
            timeout=timeout,
            max_retries=0,
            http_client=http_client,
        )
    return AsyncOpenAI(
        base_url=settings.llm_base_url,
        api_key=api_key,
        timeout=timeout,
        max_retries=0,
        http_client=http_client,
    )
