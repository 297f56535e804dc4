"""SDK exceptions and unusable completions, named as domain errors that say what to fix.

Nothing here becomes a 500: every failure is an `UpstreamError` (502), `UpstreamUnavailableError`
(503, with the upstream's `Retry-After` when it gave one) or `UpstreamTimeoutError` (504),
carrying `extra` the API shows (status, requests, usage). The endpoint is named by scheme, host
and port only; upstream error text passes through `Endpoint.scrub` (configured keys, then the
transcript redactor), since a 400 may echo the key it was sent. The raw completion, which may
quote the (redacted) chat, travels only under the private `_last_completion` key.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import openai


from app.errors import UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from app.llm.endpoint import Endpoint
from app.llm.progress import Progress
from app.llm.reader import MalformedCompletion
from app.llm.retry import BudgetExhaustedError, RequestTimeoutError, retry_after_seconds


def _upstream_message(exc: openai.APIError, endpoint: Endpoint) -> str:
    body = exc.body
    message = body.get("message") if isinstance(body, dict) else None
    text = str(message) if message else exc.message
    return endpoint.scrub(text)


def _budget(endpoint: Endpoint, budget: float) -> str:
    return f"PM_LLM_TIMEOUT={endpoint.timeout:g}s, PM_LLM_TIME_BUDGET={budget:g}s"


def _retry_after(exc: BaseException) -> dict[str, int]:
    """`retry_after_seconds` for the problem's Retry-After header, when the upstream gave one."""
    seconds = retry_after_seconds(exc)
    return {} if seconds is None else {"retry_after_seconds": max(1, math.ceil(seconds))}


def request_error(exc: Exception, endpoint: Endpoint, budget: float, **extra: Any) -> UpstreamError:
    """The domain error for an exception raised while asking the LLM (after any retries)."""
    import openai  # loaded already whenever an SDK error can exist

    where = f"the {endpoint.role} at {endpoint.name}"
    if isinstance(exc, UpstreamError):
        return exc
    if isinstance(exc, MalformedCompletion):
        return UpstreamError(
            f"{where} answered 200 with something that is not a usable chat completion: {exc}",
            hint=f"check that {endpoint.url_variable} points at an OpenAI-compatible API and "
            "that the server is healthy",
            **extra,
        )
    if isinstance(exc, BudgetExhaustedError | RequestTimeoutError | openai.APITimeoutError):
        return _timeout_error(exc, where, endpoint, budget, extra)
    if isinstance(exc, openai.APIConnectionError):
        return UpstreamUnavailableError(
            f"could not connect to {where}",
            hint=f"check {endpoint.url_variable} and that the server is running and reachable",
            **extra,
        )
    if not isinstance(exc, openai.APIStatusError):
        return UpstreamError(f"the {endpoint.role} request failed: {type(exc).__name__}", **extra)
    return _status_error(exc, where, endpoint, budget, extra)


def _timeout_error(
    exc: Exception, where: str, endpoint: Endpoint, budget: float, extra: dict[str, Any]
) -> UpstreamTimeoutError:
    progress: Progress | None = getattr(exc, "progress", None)
    what = progress.describe() if progress is not None else "no complete answer arrived"
    limit = (
        f"the {budget:g}s time budget ran out"
        if isinstance(exc, BudgetExhaustedError)
        else f"every try ran past the per-request timeout until the {budget:g}s budget was spent"
    )
    return UpstreamTimeoutError(
        f"{where} did not answer in time: {limit} ({what}; {_budget(endpoint, budget)})",
        hint="raise PM_LLM_TIMEOUT or PM_LLM_TIME_BUDGET, lower PM_LLM_MAX_TOKENS, "
        "or use a faster model or a less loaded server",
        **extra,
    )


def _status_error(
    exc: openai.APIStatusError, where: str, endpoint: Endpoint, budget: float, extra: dict[str, Any]
) -> UpstreamError:
    status = exc.status_code
    upstream = _upstream_message(exc, endpoint)
    extra = {"upstream_status": status, **extra}
    if status == 429 and exc.code == "insufficient_quota":
        return UpstreamError(
            f"the {endpoint.role} account has no quota left (429): {upstream}",
            hint=f"check the billing and quota of the account behind {endpoint.key_variable}",
            **extra,
        )
    if status == 429:
        return UpstreamUnavailableError(
            f"{where} kept rate-limiting requests (429) until the time budget ran out "
            f"({_budget(endpoint, budget)})",
            hint="try again later, or raise PM_LLM_TIME_BUDGET",
            **_retry_after(exc),
            **extra,
        )
    if status >= 500 or status in (408, 409):
        return UpstreamUnavailableError(
            f"{where} kept failing ({status}) until the time budget ran out "
            f"({_budget(endpoint, budget)}): {upstream}",
            hint="try again later; check the LLM server's logs",
            **_retry_after(exc),
            **extra,
        )
    if status == 401:
        return UpstreamError(
            f"{where} rejected the API key (401): check {endpoint.key_variable}",
            hint=f"set {endpoint.key_variable} to a valid key for this endpoint",
            **extra,
        )
    if status == 403:
        return UpstreamError(
            f"{where} refused access (403): check that {endpoint.key_variable} may use "
            f"{endpoint.model_variable}={endpoint.model!r}",
            **extra,
        )
    if status == 404:
        return UpstreamError(
            f"{where} has no model {endpoint.model!r} (404): check "
            f"{endpoint.model_variable} (and {endpoint.url_variable}, which usually ends in /v1)",
            hint=f"GET <{endpoint.url_variable}>/models lists the names the server accepts",
            **extra,
        )
    if status in (400, 413, 422):
        return _bad_request(status, upstream, endpoint, extra)
    return UpstreamError(f"the {endpoint.role} request failed ({status}): {upstream}", **extra)


def _bad_request(
    status: int, upstream: str, endpoint: Endpoint, extra: dict[str, Any]
) -> UpstreamError:
    lowered = upstream.lower()
    if "context" in lowered or "too long" in lowered or "too many tokens" in lowered:
        return UpstreamError(
            f"the transcript does not fit the model's context window ({status}): {upstream}",
            hint="use a model with a longer context (or raise the server's context size), or "
            "send a shorter excerpt of the chat",
            **extra,
        )
    if endpoint.response_format == "json_schema" and (
        "response_format" in lowered or "schema" in lowered
    ):
        return UpstreamError(
            f"the {endpoint.role} endpoint rejected the json_schema response format ({status}): "
            f"{upstream}",
            hint="this server may not support strict structured outputs: set "
            "PM_LLM_RESPONSE_FORMAT=json_object",
            **extra,
        )
    return UpstreamError(
        f"the {endpoint.role} endpoint rejected the request ({status}): {upstream}", **extra
    )


def _short(text: str) -> str:
    return " ".join(text.split())[:300]


def refusal_error(refusal: str, endpoint: Endpoint, task: str, **extra: Any) -> UpstreamError:
    """The model declined to answer (`message.refusal`)."""
    return UpstreamError(
        f"the model refused to {task}: {_short(endpoint.scrub(refusal))}",
        hint="check the transcript is an incident chat; try another model",
        **extra,
    )


def truncation_error(endpoint: Endpoint, **extra: Any) -> UpstreamError:
    """The answer hit the token limit (`finish_reason == "length"`) and is incomplete."""
    return UpstreamError(
        f"the model's answer was cut off at the max tokens limit "
        f"(PM_LLM_MAX_TOKENS={endpoint.max_tokens}) before the JSON was complete",
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
