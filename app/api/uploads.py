"""Turn what a request sent (text, JSON, or a multipart file) into the pipeline's source: the
transcript text, or an `Upload` when it is a file or names an export channel or window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from app.api.body import check_size
from app.config import Settings
from app.errors import InvalidRequestError, UnsupportedMediaTypeError
from app.ingest.upload import Upload

TEXT_TYPES = frozenset({"application/json", "text/plain", "text/markdown", ""})
_JSON_OVERHEAD = 1 << 20


class WindowFields(BaseModel):
    """Which part of an export to read."""

    channel: str | None = Field(
        default=None, description="Export channel to read (Slack, Mattermost; a ZIP's file)."
    )
    since: dt.datetime | dt.date | None = Field(
        default=None, description="Keep export messages from this date or time on (UTC)."
    )
    until: dt.datetime | dt.date | None = Field(
        default=None, description="Keep export messages up to this date or time (UTC)."
    )

    @property
    def windowed(self) -> bool:
        return any(v is not None for v in (self.channel, self.since, self.until))


def body_cap(kind: str, settings: Settings) -> int:
    """The most bytes a text or JSON body holding a transcript of the allowed size can take
    (UTF-8 needs up to 4 bytes a character, a JSON escape 6)."""
    per_char = 6 if kind == "application/json" else 4
    return min(settings.max_upload_bytes, settings.max_transcript_chars * per_char + _JSON_OVERHEAD)


def unsupported(kind: str) -> UnsupportedMediaTypeError:
    return UnsupportedMediaTypeError(
        f"content-type {kind[:80]!r} is not supported",
        hint='send application/json ({"transcript": ...}), text/plain (the raw chat) or '
        "multipart/form-data (a `file` part)",
    )


def text_source(text: str, fields: WindowFields, settings: Settings) -> str | Upload:
    """Text as is, or as an upload when the request cut an export down."""
    if not fields.windowed:
        return text
    return Upload(
        text.encode("utf-8", "surrogatepass"),
        filename="transcript",
        channel=fields.channel,
        since=fields.since,
        until=fields.until,
        limits=settings.archive_limits(),
    )


async def form_source(
    upload: UploadFile | None, text: str | None, fields: WindowFields, settings: Settings
) -> str | Upload:
    """The source a multipart request sent: its file part, else its `transcript` field."""
    if upload is not None:
        data = await upload.read()
        if not data:
            raise InvalidRequestError(
                f"the uploaded file {upload.filename or ''!r} is empty",
                hint="upload the chat export or text file itself",
                field="file",
            )
        return Upload(
            data,
            filename=upload.filename or "upload",
            channel=fields.channel,
            since=fields.since,
            until=fields.until,
            limits=settings.archive_limits(),
        )
    if text is None or not text.strip():
        raise InvalidRequestError(
            "the form has neither a `file` part nor a `transcript` field",
            hint="attach the chat or export as `file`, or paste it into `transcript`",
            field="file",
        )
    check_size(text, settings.max_transcript_chars, "transcript", "PM_MAX_TRANSCRIPT_CHARS")
    return text_source(text, fields, settings)


def multipart_schema(model: type[BaseModel], purpose: str) -> dict[str, Any]:
    """The OpenAPI schema of a multipart form: a `file` part plus the model's fields."""
    schema = model.model_json_schema()
    properties: dict[str, Any] = {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "The chat (.txt), an export (.json, .jsonl) or a ZIP (Slack workspace "
            "export, WhatsApp export, any export zipped).",
        }
    }
    properties.update(schema.get("properties", {}))
    if purpose == "verify":
        properties["draft"]["description"] = "The draft to check (text, or a file part)."
    form: dict[str, Any] = {"type": "object", "properties": properties}
    if schema.get("$defs"):
        form["$defs"] = schema["$defs"]
    return form
