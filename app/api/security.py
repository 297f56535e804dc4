"""Who may call the service, and from where: API keys, and refusing cross-site requests.

- **API keys** (optional). With `PM_API_KEYS` (comma-separated keys) or `PM_API_KEYS_FILE` (one
  `sha256:<hex>` digest per line, made by `postmortem api-key`) set, every request but
  `GET /healthz` and the review page's static files (`/`, `/ui/...`: code, no data; the page
  asks for the key) needs a key, sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Keys
  are compared by their SHA-256 digests with `hmac.compare_digest`, against every known digest,
  so neither the time taken nor the order of the keys tells anything. A missing or wrong key is a
  401 problem.
- **Cross-site requests.** A browser page from another origin must not make a visitor's browser
  send work here (a `text/plain` or form POST needs no CORS preflight). A state-changing request
  whose `Origin` is not this service's own origin nor one of `PM_CORS_ORIGINS`, or that the
  browser marks `Sec-Fetch-Site: cross-site`, is refused with a 403 problem. Requests without
  those headers (curl, scripts, other servers) are not browsers' cross-site requests and pass.
- **CORS** is closed unless `PM_CORS_ORIGINS` names origins (`app.main` adds Starlette's
  `CORSMiddleware` for exactly those).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.problems import problem
from app.errors import ConfigurationError

OPEN_PATHS = frozenset({"/healthz", "/"})  # the liveness probe; the review page (no data)
OPEN_PREFIXES = ("/ui/",)  # the page's and the docs' static files
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DIGEST_LINE = re.compile(r"sha256:(?P<hex>[0-9a-f]{64})")
_ORIGIN = re.compile(r"https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")
MIN_KEY_LENGTH = 16


def hash_key(key: str) -> str:
    """The line that stands for `key` in a PM_API_KEYS_FILE."""
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A fresh random API key (256 bits)."""
    return secrets.token_urlsafe(32)


class ApiKeys:
    """The digests of the keys that may call the service; empty: no key needed."""

    def __init__(self, digests: Iterable[bytes] = ()) -> None:
        self._digests = tuple(digests)

    @property
    def required(self) -> bool:
        return bool(self._digests)

    @classmethod
    def load(cls, keys: str | None, keys_file: Path | None) -> ApiKeys:
        """From PM_API_KEYS and PM_API_KEYS_FILE; a malformed entry fails start-up by name."""
        digests: list[bytes] = []
        for key in (k.strip() for k in (keys or "").split(",")):
            if not key:
                continue
            if len(key) < MIN_KEY_LENGTH:
                raise ConfigurationError(
                    f"PM_API_KEYS holds a key of {len(key)} characters; each needs at least "
                    f"{MIN_KEY_LENGTH}",
                    hint="make keys with `postmortem api-key`",
                )
            digests.append(hashlib.sha256(key.encode("utf-8")).digest())
        if keys_file is not None:
            digests.extend(_digests_in(keys_file))
        return cls(digests)

    def accepts(self, presented: str | None) -> bool:
        """True when `presented` is one of the keys; constant time in the keys held."""
        if not presented:
            return False
        digest = hashlib.sha256(presented.encode("utf-8")).digest()
        found = False
        for known in self._digests:
            found |= hmac.compare_digest(digest, known)
        return found


def _digests_in(path: Path) -> list[bytes]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"PM_API_KEYS_FILE={path} cannot be read ({exc.__class__.__name__})",
            hint="point it at a readable text file of sha256:<hex> lines",
        ) from None
    digests = []
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _DIGEST_LINE.fullmatch(line.split()[0])
        if match is None:
            raise ConfigurationError(
                f"PM_API_KEYS_FILE={path}, line {number}: expected sha256:<64 hex digits>",
                hint="write each key's digest as printed by `postmortem api-key`, never the key",
            )
        digests.append(bytes.fromhex(match["hex"]))
    if not digests:
        raise ConfigurationError(
            f"PM_API_KEYS_FILE={path} holds no key digests",
            hint="add lines made by `postmortem api-key`, or unset PM_API_KEYS_FILE",
        )
    return digests


def parse_origins(value: str | None) -> tuple[str, ...]:
    """PM_CORS_ORIGINS as exact origins (`https://app.example.com`, no path, no `*`)."""
    origins = []
    for origin in (o.strip().rstrip("/") for o in (value or "").split(",")):
        if not origin:
            continue
        if not _ORIGIN.fullmatch(origin):
            raise ConfigurationError(
                f"PM_CORS_ORIGINS holds {origin!r}, which is not an origin",
                hint="list origins as scheme://host[:port], comma-separated; '*' is not allowed",
            )
        origins.append(origin.lower())
    return tuple(origins)


def _presented_key(headers: Headers) -> str | None:
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return headers.get("x-api-key") or None


def _open(path: str) -> bool:
    """Served without a key: the liveness probe, and the review page with its static files."""
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def _same_host(origin: str, headers: Headers) -> bool:
    """The Origin names the host (and port) this request was sent to: the service's own page.

    The scheme is not compared, so a TLS-terminating proxy in front does not turn the service's
    own pages into strangers; another site cannot be served from this host and port.
    """
    host = headers.get("host", "").lower()
    return bool(host) and origin.split("://", 1)[-1] == host


class AccessGuard:
    """Pure ASGI middleware: cross-site refusal first, then the API key."""

    def __init__(self, app: ASGIApp, *, keys: ApiKeys, origins: tuple[str, ...]) -> None:
        self.app = app
        self.keys = keys
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = scope.get("state", {}).get("request_id")
        refusal = self._cross_site(scope, headers)
        if refusal is not None:
            response = problem(
                403,
                "Cross-site request refused",
                refusal,
                hint="call the API from a server or script, from this service's own origin, or "
                "ask the operator to add your site's origin to PM_CORS_ORIGINS",
                request_id=request_id,
            )
            await response(scope, receive, send)
            return
        if self.keys.required and not _open(str(scope.get("path", ""))):
            presented = _presented_key(headers)
            if not self.keys.accepts(presented):
                detail = (
                    "the API key is not valid"
                    if presented
                    else "this service needs an API key and the request carried none"
                )
                response = problem(
                    401,
                    "API key required" if not presented else "API key not valid",
                    detail,
                    hint="send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
                    request_id=request_id,
                    headers={"WWW-Authenticate": 'Bearer realm="postmortem"'},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _cross_site(self, scope: Scope, headers: Headers) -> str | None:
        """Why a state-changing request is refused as cross-site, or None."""
        if scope.get("method", "GET") in SAFE_METHODS:
            return None
        origin = headers.get("origin")
        if origin is not None:
            origin = origin.strip().rstrip("/").lower()
            if _same_host(origin, headers) or origin in self.origins:
                return None
            return (
                f"a {scope.get('method')} from origin {origin!r} is refused: this service takes "
                "state-changing requests only from its own origin and PM_CORS_ORIGINS"
            )
        if headers.get("sec-fetch-site", "").lower() == "cross-site":
            return "the browser marked this request cross-site (Sec-Fetch-Site) and sent no Origin"
        return None
