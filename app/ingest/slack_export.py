"""Parse a Slack export (the JSON a workspace export writes per channel per day).

Accepted shapes: a list of message objects, or `{"messages": [...], "users": [...]}`. Authors
come from `user_profile.real_name`, then `display_name`, then the `users` list, then the raw
user id; bot posts keep the bot's name. Slack markup is turned back into what people saw:
`<@U1>` -> '@Priya', `<#C1|ops>` -> '#ops', `<https://x|label>` -> 'label (https://x)', and
HTML entities are unescaped. System events (joins, topic changes) are kept as unattributed
messages and counted in a warning. Line numbers are 1-based positions in the messages array.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from typing import Any

from app.errors import TranscriptFormatError
from app.ingest.clock import Clock
from app.ingest.records import RawMessage

# Subtypes that are still someone's message; any other subtype is a system event.
_USER_SUBTYPES = frozenset({"me_message", "thread_broadcast", "file_share", "file_comment"})
_BOT_SUBTYPES = frozenset({"bot_message"})
_MARKUP = re.compile(r"<([^<>]*)>")
_LABELLED_MENTION = re.compile(r"<@([A-Z0-9]+)\|([^<>|]+)>")

_FIX = (
    "Upload the channel's JSON file from the Slack export unchanged, or paste the chat as text "
    "and let the format be detected."
)


def _error(detail: str) -> TranscriptFormatError:
    return TranscriptFormatError(detail, hint=_FIX, format="slack-export")


def _load(text: str) -> tuple[list[Any], list[Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _error(
            f"The Slack export is not valid JSON: line {error.lineno}, column {error.colno}: "
            f"{error.msg}."
        ) from error
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        users = data.get("users")
        return data["messages"], users if isinstance(users, list) else []
    if isinstance(data, list):
        return data, []
    raise _error(
        "The JSON is not a Slack export: expected a list of messages or an object with a "
        "'messages' list."
    )


def _profile_name(profile: Any) -> str | None:
    if not isinstance(profile, dict):
        return None
    for key in ("real_name", "display_name"):
        value = profile.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _user_names(messages: list[Any], users: list[Any]) -> dict[str, str]:
    """User id -> display name: the users list, overridden by the names on messages, and as a
    last resort the label of a `<@U1|name>` mention."""
    names: dict[str, str] = {}
    for user in users:
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            name = user.get("real_name") or _profile_name(user.get("profile")) or user.get("name")
            if isinstance(name, str) and name.strip():
                names[user["id"]] = name.strip()
    for message in messages:
        if isinstance(message, dict) and isinstance(message.get("user"), str):
            name = _profile_name(message.get("user_profile"))
            if name:
                names[message["user"]] = name
    for message in messages:
        text = message.get("text") if isinstance(message, dict) else None
        for user_id, label in _LABELLED_MENTION.findall(text if isinstance(text, str) else ""):
            names.setdefault(user_id, label)
    return names


def _render_markup(text: str, names: dict[str, str]) -> str:
    """Slack's `<...>` markup as people saw it, then entities unescaped."""

    def render(match: re.Match[str]) -> str:
        target, _, label = match[1].partition("|")
        if target.startswith("@"):
            return "@" + (label or names.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!date"):
            return label or target
        if target.startswith("!"):
            name = label or target[1:].split("^")[0]
            return name if name.startswith("@") else "@" + name
        if label and label != target and target != f"mailto:{label}":
            return f"{label} ({target})"
        return label or target

    rendered = _MARKUP.sub(render, text)
    return rendered.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _body(message: dict[str, Any], names: dict[str, str]) -> str:
    """The message text; attachment and file titles stand in when a bot posted no text."""
    parts = [message.get("text") or ""]
    if not parts[0].strip():
        for attachment in message.get("attachments") or []:
            if isinstance(attachment, dict):
                for key in ("pretext", "title", "text", "fallback"):
                    value = attachment.get(key)
                    if isinstance(value, str) and value.strip():
                        parts.append(value)
                        break
    for item in message.get("files") or []:
        if isinstance(item, dict) and (item.get("title") or item.get("name")):
            parts.append(f"[file: {item.get('title') or item.get('name')}]")
    return _render_markup("\n".join(p for p in parts if p.strip()), names).rstrip()


def _instant(value: Any, position: int) -> dt.datetime:
    """Slack's `ts` ('1716220930.000200', epoch seconds in UTC) as an aware datetime."""
    seconds, _, fraction = str(value).partition(".")
    if not seconds.isdigit() or (fraction and not fraction.isdigit()):
        raise _error(f"Message {position} has no valid 'ts' (epoch seconds): {value!r}.")
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    base = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    return base + dt.timedelta(microseconds=micro)


def _author(message: dict[str, Any], names: dict[str, str], bot: bool) -> str | None:
    if bot:
        profile = message.get("bot_profile")
        name = profile.get("name") if isinstance(profile, dict) else None
        return name or message.get("username") or message.get("bot_id") or "bot"
    return (
        _profile_name(message.get("user_profile"))
        or names.get(message.get("user") or "")
        or message.get("user")
    )


def parse_slack_export(text: str) -> tuple[list[RawMessage], list[str]]:
    """Messages of a Slack export sorted by time, and warnings (system events kept)."""
    items, users = _load(text)
    if not items:
        raise _error("The Slack export has no messages.")
    names = _user_names(items, users)
    parsed: list[tuple[dt.datetime, RawMessage]] = []
    system: Counter[str] = Counter()
    for position, message in enumerate(items, start=1):
        if not isinstance(message, dict):
            raise _error(f"Item {position} of the messages array is not an object.")
        instant = _instant(message.get("ts"), position)
        subtype = message.get("subtype")
        bot = subtype in _BOT_SUBTYPES or (bool(message.get("bot_id")) and not message.get("user"))
        is_system = bool(subtype) and not bot and subtype not in _USER_SUBTYPES
        if is_system:
            system[str(subtype)] += 1
        author = None if is_system else _author(message, names, bot)
        record = RawMessage(
            author=author,
            clock=Clock.from_datetime(instant, with_seconds=True),
            text=_body(message, names),
            line_start=position,
            line_end=position,
            instant=instant,
        )
        parsed.append((instant, record))
    parsed.sort(key=lambda pair: pair[0])  # stable: equal stamps keep export order
    warnings = []
    if system:
        counts = ", ".join(f"{kind} x{count}" for kind, count in sorted(system.items()))
        warnings.append(
            f"Kept {sum(system.values())} Slack system message(s) as unattributed messages "
            f"({counts})."
        )
    return [record for _, record in parsed], warnings
