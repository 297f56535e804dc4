"""A request id on every request and response, and the last line of defence for errors.

Every response carries `X-Request-ID` (the caller's, when it sent a well-formed one, else a new
one); problem documents carry it as `request_id`. An exception that no handler turned into a
problem is logged here with its traceback and the request id (through the redacting log
filter) and answered with a 500 problem that says exactly that, instead of escaping to the
server.
"""

from __future__ import annotations

import logging
import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.problems import internal_error

REQUEST_ID_HEADER = "X-Request-ID"
_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
logger = logging.getLogger("postmortem.api")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _WELL_FORMED.fullmatch(text) else None
    return None


class RequestContext:
    """Pure ASGI middleware: assigns the request id, echoes it, catches what nothing else did."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
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
