"""What a Teams (Graph) message shows beyond its HTML body, as text.

- Attachments (`chatMessage.attachments`): an Adaptive Card, hero/thumbnail card or Office 365
  connector card shows its titles, text blocks, facts ('Severity: High') and buttons
  ('Open in Zabbix (https://...)'); a file ('reference') shows as '[file: name]'; a quoted reply
  ('messageReference') as '> Name: preview'. Cards arrive as JSON strings; they are read
  within depth and size caps, so a hostile card cannot make the reader recurse or loop.
- System events (`messageType` 'systemEventMessage', body '<systemEventMessage/>'): the
  `eventDetail` type named in words ('Meeting ended (38m 15s)', 'Members added by Lotte: Chidi,
  Tomasz', 'Channel renamed: "inc-42"'). They stay unattributed: nobody wrote them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from app.ingest.exports.common import list_of, text_of

_MAX_DEPTH = 12
_MAX_PARTS = 400
_MAX_CARD_CHARS = 200_000
_CARD_TEXT_KEYS = (
    "title", "subtitle", "activityTitle", "activitySubtitle", "summary", "text", "activityText",
)  # fmt: skip
_CARD_CHILDREN = ("body", "items", "columns", "sections", "inlines", "card", "content")
_DURATION = re.compile(
    r"\AP(?:(?P<d>\d{1,5}+)D)?+(?:T(?:(?P<h>\d{1,5}+)H)?+(?:(?P<m>\d{1,5}+)M)?+"
    r"(?:(?P<s>\d{1,5}+)(?:\.\d{1,9}+)?+S)?+)?+\Z"
)
_WORD_BREAK = re.compile(r"(?<=[a-z])(?=[A-Z])")
_IDENTITY_KINDS = ("user", "application", "device")


def identity_name(identity: Any, names: dict[str, str] | None = None) -> str | None:
    """The display name of a Graph identitySet (`{"user": {...}}`, `{"application": ...}`),
    looked up by id in `names` when Graph left the display name out."""
    for kind in _IDENTITY_KINDS:
        who = identity.get(kind) if isinstance(identity, dict) else None
        if not isinstance(who, dict):
            continue
        name = text_of(who, "displayName")
        if name and name.strip():
            return name.strip()
        known = (names or {}).get(text_of(who, "id") or "")
        if known:
            return known
    return None


def identities(message: dict[str, Any]) -> Iterator[Any]:
    """Every identitySet a message names: sender, mentions, reactions, event members."""
    yield message.get("from")
    for mention in list_of(message, "mentions"):
        if isinstance(mention, dict):
            yield mention.get("mentioned")
    for reaction in list_of(message, "reactions"):
        if isinstance(reaction, dict):
            yield reaction.get("user")
    detail = message.get("eventDetail")
    if isinstance(detail, dict):
        yield detail.get("initiator")
        for member in list_of(detail, "members"):
            yield {"user": member}
        for participant in list_of(detail, "callParticipants"):
            if isinstance(participant, dict):
                yield participant.get("participant")


def _card_parts(node: Any, depth: int, parts: list[str]) -> None:
    if depth > _MAX_DEPTH or len(parts) >= _MAX_PARTS:
        return
    if isinstance(node, list):
        for item in node:
            _card_parts(item, depth + 1, parts)
        return
    if not isinstance(node, dict):
        return
    kind = text_of(node, "type") or ""
    if kind.startswith("Action.") or kind == "openUrl":
        title, url = text_of(node, "title"), text_of(node, "url") or text_of(node, "value")
        if title and url:
            parts.append(f"{title} ({url})")
        elif title:
            parts.append(title)
        return
    for key in _CARD_TEXT_KEYS:
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            parts.append(value.strip())
    for fact in list_of(node, "facts"):
        label = text_of(fact, "title") or text_of(fact, "name")
        value = text_of(fact, "value")
        if label and value:
            parts.append(f"{label.rstrip(':')}: {value}")
        elif value:
            parts.append(value)
    for key in _CARD_CHILDREN:
        child = node.get(key)
        if isinstance(child, dict | list):
            _card_parts(child, depth + 1, parts)
    for key in ("actions", "buttons", "potentialAction"):
        _card_parts(list_of(node, key), depth + 1, parts)


def card_text(content: Any) -> str:
    """The text a card shows (see the module docstring); '' when it shows none."""
    card = content
    if isinstance(content, str):
        if len(content) > _MAX_CARD_CHARS:
            return ""
        try:
            card = json.loads(content)
        except RecursionError:
            return ""
        except ValueError:
            return content.strip()  # not JSON: the text itself
    parts: list[str] = []
    _card_parts(card, 0, parts)
    return "\n".join(dict.fromkeys(parts))  # a title repeated as the fallback text shows once


def attachment_text(attachment: Any, names: dict[str, str]) -> str:
    """What one attachment shows (see the module docstring)."""
    kind = (text_of(attachment, "contentType") or "").lower()
    name = text_of(attachment, "name")
    content = attachment.get("content") if isinstance(attachment, dict) else None
    if kind == "messagereference":
        try:
            data = json.loads(content) if isinstance(content, str) else content
        except (ValueError, RecursionError):
            data = None
        sender = identity_name(data.get("messageSender"), names) if isinstance(data, dict) else None
        preview = " ".join((text_of(data, "messagePreview") or "").split())
        return f"> {sender or '?'}: {preview}" if preview else f"> {sender or '?'}"
    if name and (kind == "reference" or not content):
        return f"[file: {name}]"
    shown = card_text(content) if content else ""
    if shown:
        return shown
    return f"[file: {name}]" if name else "[attachment]"


def _duration(value: Any) -> str | None:
    match = _DURATION.match(value) if isinstance(value, str) and len(value) <= 40 else None
    if not match or not any(match.groups()):
        return None
    units = [(match["d"], "d"), (match["h"], "h"), (match["m"], "m"), (match["s"], "s")]
    shown = " ".join(f"{int(n)}{unit}" for n, unit in units if n and int(n))
    return shown or "0s"


def event_text(detail: Any, names: dict[str, str]) -> str:
    """A system event in words, from its `eventDetail` (see the module docstring)."""
    if not isinstance(detail, dict):
        return "(system event)"
    kind = (text_of(detail, "@odata.type") or "").rsplit(".", 1)[-1]
    kind = kind.removesuffix("EventMessageDetail") or "systemEvent"
    words = _WORD_BREAK.sub(" ", kind).lower().split()
    if words[:1] == ["call"] and (text_of(detail, "callEventType") or "").lower() == "meeting":
        words[0] = "meeting"
    text = " ".join(words).capitalize()
    initiator = identity_name(detail.get("initiator"), names)
    if initiator:
        text += f" by {initiator}"
    duration = _duration(detail.get("callDuration"))
    if duration:
        text += f" ({duration})"
    members = [identity_name({"user": m}, names) for m in list_of(detail, "members")]
    shown = [m for m in members if m]
    if shown:
        text += ": " + ", ".join(shown)
    for key in ("channelDisplayName", "chatDisplayName", "teamDisplayName"):
        value = text_of(detail, key)
        if value and value.strip():
            text += f': "{value.strip()}"'
            break
    return text
