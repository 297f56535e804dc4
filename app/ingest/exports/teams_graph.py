"""Microsoft Teams messages as the Graph API returns them (`chatMessage` resources).

Shape: `{"value": [chatMessage, ...]}` (a page of `GET /chats/{id}/messages` or
`/teams/{id}/channels/{id}/messages`, optionally with `replies` expanded) or a bare list. A
chatMessage has `id`, `replyToId`, `createdDateTime`, `messageType` ('message' or
'systemEventMessage'), `from` (`user` or `application` with `displayName`), `body`
(`contentType` 'html' or 'text', `content`), `deletedDateTime` and `attachments`. HTML bodies
are shown as text (`<at>` mentions as '@Name'); replies follow their parent in time order;
system events and deleted messages are kept, unattributed and '(deleted message)' respectively.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.ingest.clock import Clock
from app.ingest.exports.common import (
    ExportResult,
    Window,
    format_error,
    html_to_text,
    list_of,
    load_json,
    parse_iso,
    text_of,
)
from app.ingest.exports.slack import thread_order
from app.ingest.records import RawMessage

FORMAT = "teams-graph"
FIX = 'Send the Graph response unchanged: {"value": [chatMessage, ...]} or the list itself.'


def _items(data: Any) -> list[Any]:
    return data if isinstance(data, list) else list_of(data, "value")


def looks_like_graph(data: Any) -> bool:
    items = _items(data)
    first = items[0] if items else None
    return isinstance(first, dict) and "createdDateTime" in first and "body" in first


def _author(message: dict[str, Any]) -> str | None:
    sender = message.get("from")
    for kind in ("user", "application", "device"):
        name = text_of(sender, kind, "displayName")
        if name and name.strip():
            return name.strip()
    return None


def _body(message: dict[str, Any]) -> str:
    if message.get("deletedDateTime"):
        return "(deleted message)"
    content = text_of(message, "body", "content") or ""
    kind = (text_of(message, "body", "contentType") or "text").lower()
    text = html_to_text(content) if kind == "html" else content.strip()
    names = [text_of(a, "name") for a in list_of(message, "attachments")]
    files = [f"[file: {n}]" for n in names if n]
    return "\n".join(p for p in [text, *files] if p)


def parse_graph(data: Any, window: Window) -> ExportResult:
    """Messages of a Graph chatMessage list, replies under their parents."""
    flat: list[tuple[int, dict[str, Any], str | None]] = []
    for position, item in enumerate(_items(data), start=1):
        if not isinstance(item, dict):
            raise format_error(FORMAT, f"Item {position} of 'value' is not an object.", FIX)
        flat.append((position, item, text_of(item, "replyToId")))
        for reply in list_of(item, "replies"):
            if isinstance(reply, dict):
                flat.append((position, reply, text_of(item, "id")))
    if not flat:
        raise format_error(FORMAT, "The Teams (Graph) export has no messages.", FIX)
    parsed = []
    system: Counter[str] = Counter()
    for position, message, parent in flat:
        instant = parse_iso(message.get("createdDateTime"))
        if instant is None:
            raise format_error(FORMAT, f"Message {position} has no valid 'createdDateTime'.", FIX)
        if not window.keeps(instant):
            continue
        kind = text_of(message, "messageType") or "message"
        author = _author(message) if kind == "message" else None
        if kind != "message":
            system[kind] += 1
        record = RawMessage(
            author=author,
            clock=Clock.from_datetime(instant, with_seconds=True),
            text=_body(message),
            line_start=position,
            line_end=position,
            instant=instant,
        )
        parsed.append((instant, parent, text_of(message, "id") or f"#{position}", record))
    if not parsed:
        raise format_error(FORMAT, "No Teams message falls inside the requested window.", FIX)
    warnings = []
    if system:
        warnings.append(f"Kept {sum(system.values())} Teams system event(s) unattributed.")
    return ExportResult(FORMAT, thread_order(parsed), warnings)


def load_graph(text: str, window: Window) -> ExportResult:
    return parse_graph(load_json(text, FORMAT, FIX), window)
