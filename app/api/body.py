"""Read a request body (JSON, plain text or a multipart upload) within its limits, with clear
errors for anything else.

The body is streamed with a byte cap: a `Content-Length` over the cap is refused before anything
is read, and a body without one is cut off (413) the moment it passes the cap. Transcript and
draft sizes are checked on the values themselves, so the numbers in a 413 are the transcript's
own (a JSON transcript counts as its JSON text).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, Callable
from typing import Annotated, Any, ParamSpec, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from app.errors import MalformedBodyError, PayloadTooLargeError

Model = TypeVar("Model", bound=BaseModel)
P = ParamSpec("P")
R = TypeVar("R")

# Bodies from this size are decoded (UTF-8, JSON, the request model) in a thread: 16 ms for a
# 2 MB JSON body, measured, of which json.loads holds the GIL for 4 ms at a stretch; in a thread
# the event loop still gets its turns in between. A small body takes microseconds, less than
# the hop to a thread.
DECODE_IN_THREAD_BYTES = 256 * 1024

TRANSCRIPT_HELP = (
    "The incident chat: pasted text (Slack, Teams, Mattermost, Google Chat, Zoom, WhatsApp, "
    "Discord, IRC, timelines, timestamped lines) or an export (Slack, DiscordChatExporter, Teams "
    "Graph, Element, Mattermost JSONL), as a string or as JSON. Upload files and ZIPs with "
    "multipart/form-data instead."
)
_MAX_FORM_FIELDS = 32


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


def _too_large(detail: str) -> PayloadTooLargeError:
    return PayloadTooLargeError(
        detail,
        hint="split the transcript, upload the export as a ZIP, or raise PM_MAX_UPLOAD_BYTES",
    )


async def _capped(request: Request, max_bytes: int) -> AsyncGenerator[bytes, None]:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(f"the body is {int(declared)} bytes; the limit is {max_bytes} bytes")
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(f"the body is over {max_bytes} bytes (reading stopped there)")
        yield chunk


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The raw body, read in chunks and refused (413) as soon as it passes `max_bytes`."""
    return b"".join([chunk async for chunk in _capped(request, max_bytes)])


async def off_the_loop_if_large(
    raw: bytes, decode: Callable[P, R], *args: P.args, **kwargs: P.kwargs
) -> R:
    """`decode(*args)`, in a thread when the body `raw` is large (`DECODE_IN_THREAD_BYTES`)."""
    if len(raw) >= DECODE_IN_THREAD_BYTES:
        return await asyncio.to_thread(decode, *args, **kwargs)
    return decode(*args, **kwargs)


def decode_text(raw: bytes) -> str:
    """The body as UTF-8 text (a BOM is dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedBodyError(
            f"the body is not valid UTF-8 (byte {exc.start})",
            hint="send the transcript as UTF-8 text",
        ) from None


def check_size(text: str, limit: int, what: str, setting: str) -> None:
    """413 when `text` (a transcript or a draft) has more than `limit` characters."""
    if len(text) > limit:
        raise PayloadTooLargeError(
            f"the {what} has {len(text)} characters; the limit is {limit}",
            hint=f"split the {what} or raise {setting}",
        )


async def read_form(request: Request, max_bytes: int) -> tuple[dict[str, str], UploadFile | None]:
    """A multipart/form-data body: its text fields, and its one file part (if any)."""
    parser = MultiPartParser(
        request.headers,
        _capped(request, max_bytes),
        max_files=2,
        max_fields=_MAX_FORM_FIELDS,
        max_part_size=max_bytes,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise MalformedBodyError(
            f"the multipart body cannot be read: {exc.message}",
            hint="send a form with a `file` part (the chat or export) and optional fields",
        ) from None
    fields: dict[str, str] = {}
    upload: UploadFile | None = None
    for key, value in form.multi_items():
        if isinstance(value, str):
            fields[key] = value
        elif key in ("file", "transcript") and upload is None:
            upload = value
        elif key == "draft":
            fields["draft"] = decode_text(await value.read())
        else:
            raise MalformedBodyError(
                f"unexpected file part {key!r}",
                hint="send the chat or export as the `file` part (and a draft as `draft`)",
            )
    return fields, upload


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
    return validate_fields(model, data)


def validate_fields(model: type[Model], data: dict[str, Any]) -> Model:
    """Validate field data into `model`, mapping errors to 422."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    except RecursionError:
        raise MalformedBodyError(
            "the transcript JSON is nested too deeply", hint="send the export unchanged"
        ) from None
