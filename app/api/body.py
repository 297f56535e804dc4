"""Read a request body that may be JSON or plain text, with clear errors for anything else."""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, Field, ValidationError

from app.errors import MalformedBodyError, PayloadTooLargeError

Model = TypeVar("Model", bound=BaseModel)

TRANSCRIPT_HELP = (
    "The incident chat: pasted text (Slack, Teams, Discord, IRC, timestamped lines) or a Slack "
    'export (a JSON array of messages or {"messages": [...]}, as a string or as JSON).'
)


def _transcript_text(value: str | list[Any] | dict[str, Any]) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    if not text.strip():
        raise ValueError("the transcript is empty; paste the incident channel's messages")
    return text


TranscriptField = Annotated[
    str | list[Any] | dict[str, Any],
    AfterValidator(_transcript_text),
    Field(description=TRANSCRIPT_HELP),
]


async def read_text(request: Request, max_chars: int) -> str:
    """The raw body as UTF-8 text, bounded in size."""
    raw = await request.body()
    if len(raw) > max_chars * 4:
        raise PayloadTooLargeError(
            f"the body is {len(raw)} bytes; the limit is about {max_chars} characters",
            hint="split the transcript or raise PM_MAX_TRANSCRIPT_CHARS",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedBodyError(
            f"the body is not valid UTF-8 (byte {exc.start})",
            hint="send the transcript as UTF-8 text",
        ) from None
    if len(text) > max_chars:
        raise PayloadTooLargeError(
            f"the transcript has {len(text)} characters; the limit is {max_chars}",
            hint="split the transcript or raise PM_MAX_TRANSCRIPT_CHARS",
        )
    return text


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def decode_json(text: str) -> Any:
    """The JSON value of a body; anything JSON cannot hold here is a 400, never a crash."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedBodyError(
            f"the body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            hint="send a JSON object, or the raw transcript with content-type text/plain",
        ) from None
    except RecursionError:
        raise MalformedBodyError(
            "the body's JSON is nested too deeply to read",
            hint="send the transcript as a string or a flat list of messages",
        ) from None
    except ValueError:  # Python refuses integers of more than 4300 digits
        raise MalformedBodyError(
            "the body's JSON holds a number too long to read (thousands of digits)",
            hint="send numbers of ordinary size",
        ) from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise MalformedBodyError(
            "the body's JSON has an unpaired surrogate escape "
            f"(\\u{ord(exc.object[exc.start]):04x}), which is not a character",
            hint="send the text as UTF-8; an emoji written as an escape needs both halves",
        ) from None
    except RecursionError:
        raise MalformedBodyError(
            "the body's JSON is nested too deeply to read",
            hint="send the transcript as a string or a flat list of messages",
        ) from None
    return data


def parse_json_model(
    text: str, model: type[Model], extra: dict[str, Any] | None = None, *, data: Any = None
) -> Model:
    """Validate a JSON body into `model`; errors become 400/422 problem details. `data`: the
    body already decoded by `decode_json`, so it is not decoded twice."""
    if data is None:
        data = decode_json(text)
    if not isinstance(data, dict):
        raise MalformedBodyError(
            f"the JSON body must be an object, not {type(data).__name__}",
            hint='wrap it: {"transcript": "...", "audience": "engineering"}',
        )
    data.update(extra or {})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


def validate_fields(model: type[Model], data: dict[str, Any]) -> Model:
    """Validate query-parameter data into `model`, mapping errors to 422."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
