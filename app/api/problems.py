"""RFC 9457 problem details for every error, so no request ends in a bare 500 or a stack trace."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import PostmortemError
from app.redact import redact_text

PROBLEM_JSON = "application/problem+json"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


class Problem(BaseModel):
    """An RFC 9457 problem document, as every error is answered."""

    type: str = "about:blank"
    title: str = Field(description="What kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What was wrong with this request.")
    hint: str | None = Field(default=None, description="How to fix it.")
    request_id: str | None = Field(
        default=None, description="Also in the X-Request-ID header; quote it in a report."
    )


def problem_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for error statuses, each an application/problem+json body."""
    schema = Problem.model_json_schema()
    return {
        status: {"description": description, "content": {PROBLEM_JSON: {"schema": schema}}}
        for status, description in described.items()
    }


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    """A problem-details response. Its text passes through the redactor: an error may quote what
    the request sent (a Slack `ts`, a line of the chat), and a secret must not come back."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    body["detail"] = _redacted(detail)
    body.update({k: _redacted(v) for k, v in extra.items() if v is not None})
    return ProblemResponse(status_code=status, content=body, headers=dict(headers or {}))


def _redacted(value: Any) -> Any:
    """Strings (also inside lists and dicts) with secrets replaced by their placeholders."""
    if isinstance(value, str):
        return redact_text(value)[0]
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    return value


def _request_id(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def internal_error(request_id: str) -> ProblemResponse:
    """The answer to an error nothing else handled; it says what was logged, and where."""
    return problem(
        500,
        "Internal error",
        "an unexpected error occurred on our side, not in your request; it was logged with its "
        f"traceback under request id {request_id} (secrets are redacted from logs, but the "
        "traceback may quote parts of the transcript)",
        hint="retry; if it happens again, report it with the request id",
        request_id=request_id,
    )


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
    async def _domain(request: Request, exc: PostmortemError) -> ProblemResponse:
        fields: dict[str, Any] = {
            "hint": exc.hint,
            "request_id": _request_id(request),
            **_public_extra(exc.extra),
        }
        retry_after = exc.extra.get("retry_after_seconds")
        headers = {"Retry-After": str(retry_after)} if isinstance(retry_after, int) else None
        return problem(exc.status, exc.title, exc.detail, headers=headers, **fields)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> ProblemResponse:
        errors = _field_errors(exc.errors())
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(
            422,
            "Invalid request",
            f"the request body does not match the schema: {summary}",
            hint="see /docs for the fields each endpoint accepts",
            errors=errors,
            request_id=_request_id(request),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> ProblemResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        detail = str(exc.detail)
        allow = (exc.headers or {}).get("Allow")
        if exc.status_code == 405 and allow:
            detail = f"{request.method} is not allowed here; use {allow}"
        return problem(
            exc.status_code,
            title,
            detail,
            headers=exc.headers,  # 405 keeps its Allow header
            request_id=_request_id(request),
        )
