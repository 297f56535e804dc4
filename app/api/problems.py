"""RFC 9457 problem details for every error, so no request ends in a bare 500 or a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import PostmortemError, UpstreamUnavailableError

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("postmortem.api")


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(
    status: int, title: str, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> ProblemResponse:
    """A problem-details response."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return ProblemResponse(status_code=status, content=body, headers=headers)


def _field_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors without the offending input (it may hold transcript text or secrets)."""
    cleaned = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        cleaned.append({"field": ".".join(location) or "body", "message": error.get("msg", "")})
    return cleaned


def _public_extra(extra: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in extra.items() if not k.startswith("_")}


def install_problem_handlers(app: FastAPI) -> None:
    """Map domain, validation and HTTP errors (and anything unexpected) to problem details."""

    @app.exception_handler(PostmortemError)
    async def _domain(_: Request, exc: PostmortemError) -> ProblemResponse:
        headers = None
        if isinstance(exc, UpstreamUnavailableError) and exc.retry_after is not None:
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(
            exc.status,
            exc.title,
            exc.detail,
            headers=headers,
            hint=exc.hint,
            **_public_extra(exc.extra),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> ProblemResponse:
        errors = _field_errors(exc.errors())
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(
            422,
            "Invalid request",
            f"the request body does not match the schema: {summary}",
            hint="see /docs for the fields each endpoint accepts",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> ProblemResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        return problem(exc.status_code, title, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> ProblemResponse:
        logger.error("unexpected error: %s", type(exc).__name__)
        return problem(
            500,
            "Internal error",
            "an unexpected error occurred; nothing about your input was logged",
            hint="please report it with the steps that produced it",
        )
