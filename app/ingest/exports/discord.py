"""DiscordChatExporter's JSON export of a channel.

Shape: `{"guild": {...}, "channel": {"name": ...}, "messages": [{"id", "type", "timestamp",
"timestampEdited", "content", "author": {"name", "nickname", "isBot"}, "attachments",
"embeds", "reference"}]}`. The author is the nickname shown in the server, else the user name.
Messages other than 'Default' and 'Reply' (joins, pins, thread creation, calls) are kept as
unattributed messages; attachments add '[file: name]'; a bot post without text shows its
embed's title and description. Line numbers are 1-based positions in `messages`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.ingest.clock import Clock
from app.ingest.exports.common import (
    ExportResult,
    Window,
    format_error,
    list_of,
    load_json,
    parse_iso,
    text_of,
)
from app.ingest.records import RawMessage

FORMAT = "discord-export"
FIX = "Upload the JSON file DiscordChatExporter wrote (format: JSON) unchanged."
_CHAT_TYPES = frozenset({"default", "reply", "0", "19"})


def looks_like_discord(data: Any) -> bool:
    messages = list_of(data, "messages")
    first = messages[0] if messages else None
    return (
        isinstance(first, dict) and isinstance(first.get("author"), dict) and "timestamp" in first
    )


def _body(message: dict[str, Any]) -> str:
    parts = [text_of(message, "content") or ""]
    if not parts[0].strip():
        for embed in list_of(message, "embeds"):
            for key in ("title", "description"):
                value = text_of(embed, key)
                if value and value.strip():
                    parts.append(value)
    for item in list_of(message, "attachments"):
        name = text_of(item, "fileName") or text_of(item, "url")
        if name:
            parts.append(f"[file: {name}]")
    return "\n".join(p for p in parts if p.strip()).rstrip()


def parse_discord(data: Any, window: Window) -> ExportResult:
    """Messages of a DiscordChatExporter JSON export, in export order."""
    messages = list_of(data, "messages")
    if not messages:
        raise format_error(FORMAT, "The Discord export has no messages.", FIX)
    records: list[RawMessage] = []
    system: Counter[str] = Counter()
    for position, message in enumerate(messages, start=1):
        instant = parse_iso(message.get("timestamp")) if isinstance(message, dict) else None
        if not isinstance(message, dict) or instant is None:
            raise format_error(
                FORMAT, f"Message {position} has no valid 'timestamp' (ISO 8601).", FIX
            )
        if not window.keeps(instant):
            continue
        kind = str(message.get("type") or "Default").lower()
        author_data = message.get("author")
        author = text_of(author_data, "nickname") or text_of(author_data, "name")
        if kind not in _CHAT_TYPES:
            system[kind] += 1
            author = None
        records.append(
            RawMessage(
                author=author.strip() if author else None,
                clock=Clock.from_datetime(instant, with_seconds=True),
                text=_body(message),
                line_start=position,
                line_end=position,
                instant=instant,
            )
        )
    if not records:
        raise format_error(FORMAT, "No Discord message falls inside the requested window.", FIX)
    warnings = []
    if system:
        counts = ", ".join(f"{k} x{n}" for k, n in sorted(system.items()))
        warnings.append(
            f"Kept {sum(system.values())} Discord system message(s) unattributed ({counts})."
        )
    return ExportResult(FORMAT, records, warnings, channel=text_of(data, "channel", "name"))


def load_discord(text: str, window: Window) -> ExportResult:
    return parse_discord(load_json(text, FORMAT, FIX), window)
