"""An LLM endpoint as the seam uses it, how it may be named to callers, and what of its text
may reach them.

`Endpoint` bundles the chat model with the settings every structured call shares (model,
PM_LLM_TIMEOUT, temperature, max tokens, response format) and the variable names its errors cite,
so extraction, judge and repair fail with the same messages in /draft and /verify.

A base URL can carry credentials: `http://user:pass@host/v1`, a key in the path, or
`?api-key=...` in the query. `/readyz`, every error and every log line name an endpoint by scheme,
host and port only (`public_endpoint`). Text an upstream sends back (error messages) may echo the
key it was given, so `scrub_upstream_text` removes the configured secrets and then runs the
transcript redactor over it, before it reaches a client or a log.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from app.config import ResponseFormat
from app.llm.chat import ChatModel
from app.llm.retry import RetryPolicy
from app.redact import redact_text

OPENAI_BASE_URL = "https://api.openai.com/v1"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SECRET_MARK = "[REDACTED:api-key]"
_MIN_SECRET = 4  # shorter values ("k", "x") would blank ordinary words out of the message
_MIN_PATH_SECRET = 16
_MAX_UPSTREAM_TEXT = 300


def public_endpoint(base_url: str | None) -> str:
    """`scheme://host:port` of an endpoint: no userinfo, no path, no query, no fragment."""
    url = base_url or OPENAI_BASE_URL
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(unparseable PM_LLM_BASE_URL)"
    scheme = parts.scheme.lower() or "http"
    if not host:
        return f"{scheme}://(no host)"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = port if port is not None else _DEFAULT_PORTS.get(scheme)
    return f"{scheme}://{host}:{port}" if port is not None else f"{scheme}://{host}"


def url_secrets(base_url: str | None) -> list[str]:
    """Values in a URL that may be credentials: userinfo, path segments, query values."""
    if not base_url:
        return []
    try:
        parts = urlsplit(base_url)
        found = [parts.username, parts.password]
    except ValueError:
        return [base_url]
    # Path segments such as "v1" or "deployments" are ordinary words; a long one with digits in
    # it may be a key (some gateways take it in the path).
    found += [
        segment
        for segment in (unquote(s) for s in parts.path.split("/"))
        if len(segment) >= _MIN_PATH_SECRET and any(c.isdigit() for c in segment)
    ]
    found += [value for _, value in parse_qsl(parts.query, keep_blank_values=False)]
    found += [parts.fragment]
    return [value for value in found if value]


def scrub_upstream_text(text: str, secrets: Iterable[str]) -> str:
    """Upstream text made safe to show: secrets removed, redacted, one line, bounded."""
    cleaned = text
    for secret in sorted({s for s in secrets if len(s) >= _MIN_SECRET}, key=len, reverse=True):
        cleaned = re.sub(re.escape(secret), _SECRET_MARK, cleaned, flags=re.IGNORECASE)
    cleaned, _ = redact_text(cleaned)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > _MAX_UPSTREAM_TEXT:
        cleaned = cleaned[:_MAX_UPSTREAM_TEXT] + "..."
    return cleaned


@dataclass(frozen=True)
class Endpoint:
    """One model on one server, and the settings every structured call to it uses."""

    chat: ChatModel
    model: str
    name: str  # public: scheme://host:port, never credentials
    timeout: float = 60.0
    temperature: float = 0.0
    max_tokens: int = 4096
    response_format: ResponseFormat = "json_schema"
    secrets: tuple[str, ...] = ()  # values to scrub from upstream text (keys, URL credentials)
    role: str = "LLM"  # "LLM" or "LLM judge", as error messages name it
    model_variable: str = "PM_LLM_MODEL"
    key_variable: str = "PM_LLM_API_KEY"
    url_variable: str = "PM_LLM_BASE_URL"
    azure: bool = False
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # Held around every exchange: the service's global cap on concurrent LLM calls.
    limiter: Callable[[], AbstractAsyncContextManager[None]] | None = None

    def scrub(self, text: str) -> str:
        """Upstream text with this endpoint's secrets removed and the redactor applied."""
        return scrub_upstream_text(text, self.secrets)


class SecretsLogFilter(logging.Filter):
    """Removes the configured endpoints' secrets from the records of the HTTP libraries' loggers
    (httpx logs every request URL, userinfo, path and query included)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secrets: Iterable[str]) -> None:
        with self._lock:
            self._secrets |= {s for s in secrets if len(s) >= _MIN_SECRET}

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets
        if not secrets:
            return True
        message = record.getMessage()
        cleaned = message
        for secret in sorted(secrets, key=len, reverse=True):
            if secret in cleaned:
                cleaned = cleaned.replace(secret, _SECRET_MARK)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


# A logger's filters apply to the records it creates, not to its children's: name each one.
HTTP_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "openai",
    "openai._base_client",
)
_log_filter = SecretsLogFilter()


def protect_logs(secrets: Iterable[str]) -> None:
    """Keep these secrets out of the HTTP libraries' log records from now on."""
    _log_filter.add(secrets)
    for name in HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _log_filter not in logger.filters:
            logger.addFilter(_log_filter)
