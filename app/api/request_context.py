"""A request id on every request and response, request metrics, and the last line of defence.

Every response carries `X-Request-ID` (the caller's, when it sent a well-formed one, else a new
one); problem documents carry it as `request_id`. An exception that no handler turned into a
problem is logged here with its traceback and the request id (through the redacting log
filter) and answered with a 500 problem that says exactly that, instead of escaping to the
server. Every request is counted in /metrics by route template and status, with its latency;
with JSON logs (`PM_LOG_FORMAT=json`) each also gets one `postmortem.access` line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import internal_error
from app.logs import request_id
from app.metrics import HTTP_LATENCY, HTTP_REQUESTS

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
logger = logging.getLogger("postmortem.api")
access_logger = logging.getLogger("postmortem.access")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _WELL_FORMED.fullmatch(text) else None
    return None


class RequestContext:
    """Pure ASGI middleware: assigns the request id, echoes it, catches what nothing else did."""

    def __init__(self, app: ASGIApp, *, access_log: bool = False) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        token = request_id.set(rid)
        began = time.perf_counter()
        started = False
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            logger.error(
                "internal error in %s %s (request %s): %s",
                scope.get("method", "?"),
                scope.get("path", "?"),
                rid,
                type(exc).__name__,
                exc_info=exc,
            )
            if started:
                raise  # the answer is already on its way; nothing more can be said
            await internal_error(rid)(scope, receive, send_with_id)
        finally:
            self._observe(scope, status, time.perf_counter() - began)
            request_id.reset(token)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "unmatched"
        method = str(scope.get("method", "?"))
        HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
        HTTP_LATENCY.labels(route=route, method=method).observe(seconds)
        if self.access_log:
            access_logger.info(
                "%s %s %d %.1f ms",
                method,
                route,
                status,
                seconds * 1000,
                extra={
                    "method": method,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
