"""Shared pieces of the export readers: safe JSON loading, typed field access, ISO stamps,
HTML message bodies, and the result every reader returns."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from app.errors import TranscriptFormatError
from app.ingest.records import RawMessage

_FRACTION = re.compile(r"(\.\d{6})\d++")


@dataclass
class ExportResult:
    """Records in transcript order, plus what the reader learned."""

    format: str
    records: list[RawMessage]
    warnings: list[str] = field(default_factory=list)
    channel: str | None = None
    files: list[str] = field(default_factory=list)
    source: str = "json"


@dataclass(frozen=True)
class Window:
    """Which messages of an export to keep: one channel, a time window."""

    channel: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def keeps(self, instant: dt.datetime) -> bool:
        """Whether a message at `instant` (aware) lies inside the window."""
        if self.since is not None and instant < self.since:
            return False
        return not (self.until is not None and instant > self.until)


def time_order(parsed: list[tuple[dt.datetime, RawMessage]]) -> list[RawMessage]:
    """Records in time order, replies among the posts at the times they were written (equal
    stamps keep the export's order)."""
    return [record for _, record in sorted(parsed, key=lambda item: item[0])]


def format_error(format: str, detail: str, hint: str) -> TranscriptFormatError:
    return TranscriptFormatError(detail, hint=hint, format=format)


def load_json(text: str, format: str, hint: str) -> Any:
    """Parse JSON, turning every way it can fail into a `TranscriptFormatError`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise format_error(
            format,
            f"The {format} file is not valid JSON: line {error.lineno}, column {error.colno}: "
            f"{error.msg}.",
            hint,
        ) from None
    except RecursionError:
        raise format_error(
            format, f"The {format} JSON is nested too deeply to be a chat export.", hint
        ) from None
    except ValueError as error:  # e.g. an integer with more than 4300 digits
        raise format_error(
            format, f"The {format} JSON holds an unreadable value: {error}.", hint
        ) from None


def text_of(data: Any, *keys: str) -> str | None:
    """The string at `data[k1][k2]...`, or None when any step is missing or not the right type."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data if isinstance(data, str) else None


def list_of(data: Any, key: str) -> list[Any]:
    """The list at `data[key]`, or [] when missing or not a list."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def parse_iso(value: Any) -> dt.datetime | None:
    """An ISO 8601 stamp ('2025-01-15T10:02:33.1234567Z') as an aware datetime, else None."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        stamp = dt.datetime.fromisoformat(_FRACTION.sub(r"\1", value.replace("Z", "+00:00")))
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=dt.UTC)


def from_millis(value: Any) -> dt.datetime | None:
    """Epoch milliseconds (int, float or digit string) as an aware UTC datetime, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) <= 16:
        value = int(value)
    if not isinstance(value, int | float) or not 0 <= value < 253402300800000:
        return None
    try:
        return dt.datetime.fromtimestamp(value / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


class _HTMLText(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "pre", "blockquote", "h1", "h2", "h3"})

    def __init__(self, attachments: dict[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.attachments = attachments
        self.shown: set[str] = set()
        self.lists: list[int | None] = []  # per open list: the next item number, None if <ul>

    def _line_break(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self._line_break()
        if tag == "codeblock":
            self._line_break()
            self.parts.append("```\n")
        if tag in ("ol", "ul"):
            start = dict(attrs).get("start") or ""
            self.lists.append(
                (int(start) if start.isdigit() and len(start) < 6 else 1) if tag == "ol" else None
            )
        if tag == "li":
            number = self.lists[-1] if self.lists else None
            indent = "  " * max(0, len(self.lists) - 1)
            if number is None:
                self.parts.append(f"{indent}- ")
            else:
                self.parts.append(f"{indent}{number}. ")
                self.lists[-1] = number + 1
        if tag == "at":
            self.parts.append("@")
        if tag == "img":
            self.parts.append("[image]")
        if tag == "emoji":
            self.parts.append(dict(attrs).get("alt") or "")
        if tag == "attachment":
            key = dict(attrs).get("id") or ""
            shown = self.attachments.get(key)
            if shown is None:
                self.parts.append("[attachment]")
            else:
                self.shown.add(key)
                self._line_break()
                self.parts.append(shown + "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
            self._line_break()
        if tag in self._BLOCKS and tag != "br":
            self.parts.append("\n")
        if tag == "codeblock":
            self._line_break()
            self.parts.append("```\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str, attachments: dict[str, str] | None = None) -> str:
    """The text an HTML message body shows: tags dropped, blocks as lines, '@' on mentions,
    emoji by their character, a Teams `<codeblock>` fenced with ```. `attachments` maps an
    `<attachment id>` to what it shows; those the body does not place are added at the end."""
    parser = _HTMLText(attachments or {})
    parser.feed(html)
    parser.close()
    rest = [text for key, text in (attachments or {}).items() if key not in parser.shown]
    lines = "".join(parser.parts).split("\n")
    body = "\n".join(line.rstrip() for line in lines).strip()
    return "\n".join(part for part in [body, *rest] if part)
