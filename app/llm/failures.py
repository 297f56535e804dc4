"""SDK exceptions and unusable completions, named as domain errors that say what to fix.

Nothing here becomes a 500: every failure is an `UpstreamError` (502), `UpstreamUnavailableError`
(503) or `UpstreamTimeoutError` (504), carrying `extra` the API shows (status, requests, usage).
Upstream error text is redacted (secrets, and the configured API key wherever it is echoed),
shortened, and never includes the transcript; the raw completion, which may quote the
(redacted) chat, travels only under the private `_last_completion` key.
"""

from __future__ import annotations

from typing import Any

import openai

from app.config import Settings
from app.errors import UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from app.llm.retry import BudgetExhaustedError
from app.redact import redact_text

_MAX_UPSTREAM_TEXT = 300


def _upstream_text(text: str, settings: Settings | None = None) -> str:
    """Upstream text as the client may see it: secrets redacted (before shortening, so that
    no secret is cut in two and missed), one line, at most _MAX_UPSTREAM_TEXT characters."""
    key = settings.llm_api_key.get_secret_value() if settings and settings.llm_api_key else ""
    text = redact_text(" ".join(text.split()), known_secrets=[key] if key else [])[0]
    return text if len(text) <= _MAX_UPSTREAM_TEXT else text[:_MAX_UPSTREAM_TEXT] + "..."


def _upstream_message(exc: openai.APIError, settings: Settings) -> str:
    body = exc.body
    message = body.get("message") if isinstance(body, dict) else None
    return _upstream_text(str(message) if message else exc.message, settings)


def _endpoint(settings: Settings) -> str:
    return settings.llm_base_url or "https://api.openai.com/v1"


def request_error(exc: Exception, settings: Settings, **extra: Any) -> UpstreamError:
    """The domain error for an exception raised while asking the LLM (after any retries)."""
    endpoint = _endpoint(settings)
    budget = (
        f"PM_LLM_TIMEOUT={settings.llm_timeout:g}s, "
        f"PM_LLM_TIME_BUDGET={settings.llm_time_budget:g}s"
    )
    if isinstance(exc, BudgetExhaustedError | openai.APITimeoutError):
        return UpstreamTimeoutError(
            f"the LLM at {endpoint} did not answer in time ({budget})",
            hint="raise PM_LLM_TIMEOUT or PM_LLM_TIME_BUDGET, lower PM_LLM_MAX_TOKENS, "
            "or use a faster model",
            **extra,
        )
    if isinstance(exc, openai.APIConnectionError):
        return UpstreamUnavailableError(
            f"could not connect to the LLM at {endpoint}",
            hint="check PM_LLM_BASE_URL and that the server is running and reachable",
            **extra,
        )
    if not isinstance(exc, openai.APIStatusError):
        return UpstreamError(f"the LLM request failed: {type(exc).__name__}", **extra)

    status = exc.status_code
    upstream = _upstream_message(exc, settings)
    extra = {"upstream_status": status, **extra}
    if status == 429 and exc.code == "insufficient_quota":
        return UpstreamError(
            f"the LLM account has no quota left (429): {upstream}",
            hint="check the billing and quota of the account behind PM_LLM_API_KEY",
            **extra,
        )
    if status == 429:
        return UpstreamUnavailableError(
            f"the LLM at {endpoint} kept rate-limiting requests (429) until the time budget ran "
            f"out ({budget})",
            hint="try again later, or raise PM_LLM_TIME_BUDGET",
            **extra,
        )
    if status >= 500 or status in (408, 409):
        return UpstreamUnavailableError(
            f"the LLM at {endpoint} kept failing ({status}) until the time budget ran out "
            f"({budget}): {upstream}",
            hint="try again later; check the LLM server's logs",
            **extra,
        )
    if status == 401:
        return UpstreamError(
            f"the LLM at {endpoint} rejected the API key (401): check PM_LLM_API_KEY",
            hint="set PM_LLM_API_KEY (or OPENAI_API_KEY) to a valid key for this endpoint",
            **extra,
        )
    if status == 403:
        return UpstreamError(
            f"the LLM at {endpoint} refused access (403): check that PM_LLM_API_KEY may use "
            f"PM_LLM_MODEL={settings.llm_model!r}",
            **extra,
        )
    if status == 404:
        return UpstreamError(
            f"the LLM at {endpoint} has no model {settings.llm_model!r} (404): check "
            "PM_LLM_MODEL (and PM_LLM_BASE_URL, which usually ends in /v1)",
            hint="GET <PM_LLM_BASE_URL>/models lists the names the server accepts",
            **extra,
        )
    if status in (400, 413, 422):
        return _bad_request(status, upstream, settings, extra)
    return UpstreamError(f"the LLM request failed ({status}): {upstream}", **extra)


def _bad_request(
    status: int, upstream: str, settings: Settings, extra: dict[str, Any]
) -> UpstreamError:
    lowered = upstream.lower()
    if "context" in lowered or "too long" in lowered or "too many tokens" in lowered:
        return UpstreamError(
            f"the transcript does not fit the model's context window ({status}): {upstream}",
            hint="use a model with a longer context (or raise the server's context size), or "
            "send a shorter excerpt of the chat",
            **extra,
        )
    if settings.llm_response_format == "json_schema" and (
        "response_format" in lowered or "schema" in lowered
    ):
        return UpstreamError(
            f"the LLM endpoint rejected the json_schema response format ({status}): {upstream}",
            hint="this server may not support strict structured outputs: set "
            "PM_LLM_RESPONSE_FORMAT=json_object",
            **extra,
        )
    return UpstreamError(f"the LLM endpoint rejected the request ({status}): {upstream}", **extra)


def refusal_error(refusal: str, **extra: Any) -> UpstreamError:
    """The model declined to answer (`message.refusal`)."""
    short = _upstream_text(refusal)
    return UpstreamError(
        f"the model refused to extract the report: {short}",
        hint="check the transcript is an incident chat; try another model",
        **extra,
    )


def truncation_error(settings: Settings, **extra: Any) -> UpstreamError:
    """The answer hit the token limit (`finish_reason == "length"`) and is incomplete."""
    return UpstreamError(
        f"the model's answer was cut off at the max tokens limit "
        f"(PM_LLM_MAX_TOKENS={settings.llm_max_tokens}) before the JSON was complete",
        hint="raise PM_LLM_MAX_TOKENS (or the server's context size), or use a model that "
        "writes less",
        **extra,
    )


def content_filter_error(**extra: Any) -> UpstreamError:
    """The provider's content filter stopped the answer."""
    return UpstreamError(
        "the LLM provider's content filter stopped the answer",
        hint="the transcript may contain text the provider filters; try another model",
        **extra,
    )
