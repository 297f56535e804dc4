"""Microsoft Teams messages as the Graph API returns them (`chatMessage` resources).

Shape: `{"value": [chatMessage, ...]}` (a page of `GET /chats/{id}/messages` or
`/teams/{id}/channels/{id}/messages`, optionally with `replies` expanded), several such pages in
a list (a paged download), or a bare list of messages. A chatMessage has `id`, `replyToId`,
`createdDateTime`, `messageType` ('message', 'systemEventMessage', 'chatEvent'), `from`
(`user`, `application` or `device`, each with `displayName`), `subject`, `body` (`contentType`
'html' or 'text'), `deletedDateTime`, `attachments` and `eventDetail`.

How a careful reader credits them:
- Messages are read in time order (`createdDateTime`), replies among the root posts at the
  times they were written: Graph lists roots and replies newest first, and two threads that run
  at the same time interleave.
- A bot's post (`from.application`) is the bot's (e.g. 'Zabbix Alerts'). A display name Graph
  left out is found by the sender's id elsewhere in the export (mentions, reactions, events).
- A deleted message still shows under its author ('(deleted message)'), as Teams shows 'This
  message has been deleted'.
- System events (meeting started, members added) name nobody as their writer: they are kept
  unattributed, with the event in words (`teams_content`).
- Bodies are shown as text: the subject as the first line, `<at>` mentions as '@Name', code
  blocks fenced, cards and files where the body places them (`teams_content`).
A message listed twice (a page with expanded replies plus the replies page) is read once.
"""

from __future__ import annotations

import datetime as dt
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
    time_order,
)
from app.ingest.exports.teams_content import (
    attachment_text,
    event_text,
    identities,
    identity_name,
)
from app.ingest.records import RawMessage

FORMAT = "teams-graph"
FIX = 'Send the Graph response unchanged: {"value": [chatMessage, ...]} or the list itself.'


def _items(data: Any) -> list[Any]:
    if isinstance(data, list) and data and all(_is_page(page) for page in data):
        return [item for page in data for item in list_of(page, "value")]
    return data if isinstance(data, list) else list_of(data, "value")


def _is_page(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("value"), list)


def looks_like_graph(data: Any) -> bool:
    items = _items(data)
    first = items[0] if items else None
    return isinstance(first, dict) and "createdDateTime" in first and "body" in first


def _names(messages: list[dict[str, Any]]) -> dict[str, str]:
    """User/app id -> display name, from every identity the export names."""
    names: dict[str, str] = {}
    for message in messages:
        for identity in identities(message):
            for kind in ("user", "application", "device"):
                who = identity.get(kind) if isinstance(identity, dict) else None
                key, name = text_of(who, "id"), text_of(who, "displayName")
                if key and name and name.strip():
                    names.setdefault(key, name.strip())
    return names


def _body(message: dict[str, Any], names: dict[str, str]) -> str:
    if message.get("deletedDateTime"):
        return "(deleted message)"
    shown = {}
    for position, attachment in enumerate(list_of(message, "attachments")):
        if isinstance(attachment, dict):
            key = text_of(attachment, "id") or f"#{position}"
            text = attachment_text(attachment, names)
            if text:
                shown[key] = text
    content = text_of(message, "body", "content") or ""
    kind = (text_of(message, "body", "contentType") or "text").lower()
    if kind == "html":
        text = html_to_text(content, shown)
    else:
        text = "\n".join(p for p in [content.strip(), *shown.values()] if p)
    subject = (text_of(message, "subject") or "").strip()
    return "\n".join(p for p in [subject, text] if p)


def _flatten(data: Any) -> list[tuple[int, dict[str, Any]]]:
    flat: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()
    for position, item in enumerate(_items(data), start=1):
        if not isinstance(item, dict):
            raise format_error(FORMAT, f"Item {position} of 'value' is not an object.", FIX)
        for message in [item, *(r for r in list_of(item, "replies") if isinstance(r, dict))]:
            key = text_of(message, "id")
            if key is not None and key in seen:
                continue
            if key is not None:
                seen.add(key)
            flat.append((position, message))
    return flat


def parse_graph(data: Any, window: Window) -> ExportResult:
    """Messages of a Graph chatMessage list, in time order (see the module docstring)."""
    flat = _flatten(data)
    if not flat:
        raise format_error(FORMAT, "The Teams (Graph) export has no messages.", FIX)
    names = _names([message for _, message in flat])
    parsed: list[tuple[dt.datetime, RawMessage]] = []
    system: Counter[str] = Counter()
    for position, message in flat:
        instant = parse_iso(message.get("createdDateTime"))
        if instant is None:
            raise format_error(FORMAT, f"Message {position} has no valid 'createdDateTime'.", FIX)
        if not window.keeps(instant):
            continue
        kind = text_of(message, "messageType") or "message"
        if kind == "message":
            author, text = identity_name(message.get("from"), names), _body(message, names)
        else:
            system[kind] += 1
            author, text = None, _body(message, names)
            if not text or kind == "systemEventMessage":
                text = event_text(message.get("eventDetail"), names)
        record = RawMessage(
            author=author,
            clock=Clock.from_datetime(instant, with_seconds=True),
            text=text,
            line_start=position,
            line_end=position,
            instant=instant,
        )
        parsed.append((instant, record))
    if not parsed:
        raise format_error(FORMAT, "No Teams message falls inside the requested window.", FIX)
    warnings = []
    if system:
        warnings.append(f"Kept {sum(system.values())} Teams system event(s) unattributed.")
    return ExportResult(FORMAT, time_order(parsed), warnings)


def load_graph(text: str, window: Window) -> ExportResult:
    return parse_graph(load_json(text, FORMAT, FIX), window)
