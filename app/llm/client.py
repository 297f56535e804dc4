"""The one place the OpenAI SDK clients and the seam's endpoints are built from settings.

Two endpoints at most: the LLM that extracts and repairs (PM_LLM_*), and the judge, which is the
same unless PM_JUDGE_MODEL, PM_JUDGE_BASE_URL or PM_JUDGE_API_KEY say otherwise.
"""

from __future__ import annotations

from typing import Literal

import httpx
from openai import AsyncAzureOpenAI, AsyncOpenAI, DefaultAsyncHttpxClient

from app.config import Settings
from app.errors import ConfigurationError
from app.llm.chat import OpenAIChatModel
from app.llm.endpoint import Endpoint, protect_logs, public_endpoint, url_secrets
from app.llm.pool import ShardedTransport
from app.llm.progress import ProgressTransport
from app.llm.retry import RetryPolicy

# Local servers (llama.cpp, vLLM, Ollama, LM Studio) accept any key, but the SDK insists on one.
LOCAL_API_KEY = "not-needed"
CONNECT_TIMEOUT = 10.0

Role = Literal["llm", "judge"]


def _http_client() -> httpx.AsyncClient:
    """The SDK's default client, with a transport that records how far each request got, over
    small connection pools (`app.llm.pool`: cheap however many requests are in flight)."""
    transport = ProgressTransport(ShardedTransport())
    return DefaultAsyncHttpxClient(transport=transport)


def _base_url(settings: Settings, role: Role) -> str | None:
    if role == "judge" and settings.judge_base_url:
        return settings.judge_base_url
    return settings.llm_base_url


def _api_key(settings: Settings, role: Role) -> str:
    key = settings.llm_api_key
    if role == "judge":
        # The extraction key goes to the extraction endpoint only, never to another server.
        key = settings.judge_api_key or (None if settings.judge_base_url else key)
    return key.get_secret_value() if key else LOCAL_API_KEY


def build_client(
    settings: Settings, *, http_client: httpx.AsyncClient | None = None, role: Role = "llm"
) -> AsyncOpenAI:
    """An async client for the configured endpoint: Azure OpenAI when PM_LLM_API_VERSION is set
    (and the judge has no endpoint of its own).

    `max_retries=0` because tenacity owns retries (see `app.llm.retry`); the SDK's own two retries
    would multiply every wait and blow the time budget.
    """
    configured = settings.judge_configured if role == "judge" else settings.llm_configured
    if not configured:
        raise ConfigurationError(
            "the LLM is not configured",
            hint="set PM_LLM_MODEL and PM_LLM_BASE_URL (or PM_LLM_API_KEY for OpenAI)",
        )
    base_url = _base_url(settings, role)
    protect_logs([_api_key(settings, role), *url_secrets(base_url)])
    timeout = httpx.Timeout(
        settings.llm_timeout, connect=min(CONNECT_TIMEOUT, settings.llm_timeout)
    )
    http = http_client or _http_client()
    if settings.llm_api_version and base_url and base_url == settings.llm_base_url:
        return AsyncAzureOpenAI(
            azure_endpoint=base_url,
            api_version=settings.llm_api_version,
            api_key=_api_key(settings, role),
            timeout=timeout,
            max_retries=0,
            http_client=http,
        )
    return AsyncOpenAI(
        base_url=base_url,
        api_key=_api_key(settings, role),
        timeout=timeout,
        max_retries=0,
        http_client=http,
    )


def build_endpoint(
    settings: Settings,
    client: AsyncOpenAI,
    *,
    role: Role = "llm",
    retry: RetryPolicy | None = None,
) -> Endpoint:
    """The seam's view of one endpoint: model, shared call settings, names and secrets."""
    judge = role == "judge"
    model = settings.judge_model_name if judge else settings.llm_model
    if not model:
        raise ConfigurationError(
            "the LLM is not configured", hint="set PM_LLM_MODEL (and PM_JUDGE_MODEL for a judge)"
        )
    base_url = _base_url(settings, role)
    own_judge = judge and bool(settings.judge_base_url)
    secrets = [_api_key(settings, role), *url_secrets(base_url)]
    if settings.llm_api_key:
        secrets.append(settings.llm_api_key.get_secret_value())
    if settings.judge_api_key:
        secrets.append(settings.judge_api_key.get_secret_value())
    return Endpoint(
        chat=OpenAIChatModel(client),
        model=model,
        name=public_endpoint(base_url),
        timeout=settings.llm_timeout,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        response_format=settings.llm_response_format,
        secrets=tuple(s for s in secrets if s and s != LOCAL_API_KEY),
        role="LLM judge" if judge else "LLM",
        model_variable="PM_JUDGE_MODEL" if judge and settings.judge_model else "PM_LLM_MODEL",
        key_variable="PM_JUDGE_API_KEY"
        if own_judge or settings.judge_api_key and judge
        else "PM_LLM_API_KEY",
        url_variable="PM_JUDGE_BASE_URL" if own_judge else "PM_LLM_BASE_URL",
        azure=bool(settings.llm_api_version) and not own_judge,
        retry=retry or RetryPolicy(),
    )
