"""Element's export of a Matrix room (Export chat -> JSON).

Shape: `{"room_name", "room_creator", "topic", "export_date", "exported_by", "messages":
[event, ...]}` (or a bare list of events). Events: `type`, `sender` ('@kofi:matrix.org'),
`origin_server_ts` (epoch ms), `event_id`, `content`. Authors are display names from the
room's `m.room.member` events, else the user id's local part. Edits (`m.replace`) replace the
text of the event they edit; thread replies (`m.thread`) follow their root in time order; reply
fallbacks ('> <@a:b> quoted' above the reply) are removed; redacted events read
'(deleted message)'; membership and other state events are kept unattributed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.ingest.clock import Clock
from app.ingest.exports.common import (
    ExportResult,
    Window,
    format_error,
    from_millis,
    list_of,
    load_json,
    text_of,
)
from app.ingest.exports.slack import thread_order
from app.ingest.records import RawMessage

FORMAT = "matrix-export"
FIX = "Upload the JSON file Element's 'Export chat' wrote (format: JSON) unchanged."


def _events(data: Any) -> list[Any]:
    return data if isinstance(data, list) else list_of(data, "messages")


def looks_like_matrix(data: Any) -> bool:
    events = _events(data)
    first = events[0] if events else None
    return isinstance(first, dict) and "origin_server_ts" in first and "sender" in first


def _relation(content: Any) -> tuple[str | None, str | None]:
    rel = content.get("m.relates_to") if isinstance(content, dict) else None
    return text_of(rel, "rel_type"), text_of(rel, "event_id")


def _without_fallback(body: str) -> str:
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    return "\n".join(lines[index:]).strip() or body


def _localpart(sender: str) -> str:
    return sender.lstrip("@").split(":", 1)[0]


def parse_matrix(data: Any, window: Window) -> ExportResult:
    """Messages of an Element room export, edits applied, threads under their roots."""
    events = [e for e in _events(data) if isinstance(e, dict)]
    if not events:
        raise format_error(FORMAT, "The Matrix export has no events.", FIX)
    names: dict[str, str] = {}
    for event in events:
        if event.get("type") == "m.room.member":
            key, name = text_of(event, "state_key"), text_of(event, "content", "displayname")
            if key and name:
                names.setdefault(key, name)
    edits: dict[str, str] = {}
    for event in events:
        content = event.get("content")
        rel, target = _relation(content)
        new = text_of(content, "m.new_content", "body")
        if rel == "m.replace" and target and new is not None:
            edits[target] = new
    parsed = []
    system: Counter[str] = Counter()
    for position, event in enumerate(_events(data), start=1):
        if not isinstance(event, dict):
            continue
        content = event.get("content")
        rel, target = _relation(content)
        if rel == "m.replace":
            continue
        instant = from_millis(event.get("origin_server_ts"))
        if instant is None:
            raise format_error(FORMAT, f"Event {position} has no valid 'origin_server_ts'.", FIX)
        if not window.keeps(instant):
            continue
        sender = text_of(event, "sender") or ""
        kind = text_of(event, "type") or ""
        event_id = text_of(event, "event_id") or f"#{position}"
        if kind in ("m.room.message", "m.sticker"):
            body = edits.get(event_id) or text_of(content, "body")
            if body is None:
                body = "(deleted message)"
            if text_of(content, "msgtype") == "m.emote":
                body = f"* {names.get(sender, _localpart(sender))} {body}"
            author: str | None = names.get(sender) or _localpart(sender) or None
            text = _without_fallback(body)
        else:
            system[kind] += 1
            author = None
            member = text_of(content, "membership")
            who = names.get(text_of(event, "state_key") or "", text_of(event, "state_key") or "")
            text = f"{who} {member}".strip() if member else kind
        parent = target if rel == "m.thread" else None
        parsed.append((instant, parent, event_id, RawMessage(
            author=author, clock=Clock.from_datetime(instant, with_seconds=True), text=text,
            line_start=position, line_end=position, instant=instant,
        )))  # fmt: skip
    if not parsed:
        raise format_error(FORMAT, "No Matrix event falls inside the requested window.", FIX)
    warnings = []
    if edits:
        warnings.append(f"Applied {len(edits)} Matrix edit(s) to the messages they changed.")
    if system:
        warnings.append(f"Kept {sum(system.values())} Matrix state event(s) unattributed.")
    return ExportResult(FORMAT, thread_order(parsed), warnings, channel=text_of(data, "room_name"))


def load_matrix(text: str, window: Window) -> ExportResult:
    return parse_matrix(load_json(text, FORMAT, FIX), window)
