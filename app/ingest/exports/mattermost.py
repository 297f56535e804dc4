"""Mattermost's bulk export (JSONL: one JSON object per line, `mmctl export create`).

Lines used: `{"type": "post", "post": {"team", "channel", "user", "message", "create_at",
"type", "props", "replies": [{"user", "message", "create_at", "type", "props"}], "attachments":
[{"path"}]}}` and `{"type": "direct_post", "direct_post": {"channel_members", "user", "message",
"create_at", "replies"}}` (create_at: epoch milliseconds). The exporter writes posts in post-id
order, which says nothing about time.

How a careful reader credits them:
- Posts and replies are read by `create_at`: Mattermost shows replies in the channel at the
  times they were written, so threads interleave.
- Authors are usernames, as Mattermost shows them by default. A webhook's post is stored under
  the user who owns the webhook but shown under the name it sent (`props.from_webhook` with
  `props.override_username`, e.g. 'alertmanager'): it is credited to that name.
- System posts (`type` 'system_add_to_channel', 'system_join_channel', 'system_header_change'
  ...) are written by the server, not by the user they are stored under: kept unattributed.
- A post's message attachments (`props.attachments`, the Slack-style cards webhooks send) show
  their pretext, title, text and fields; file attachments show as '[file: name]'.

With posts in several channels, `channel` picks one (DMs are named by their members, 'priya,
ravi'). Line numbers are JSONL line numbers.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from app.ingest.clock import Clock
from app.ingest.exports.common import (
    ExportResult,
    Window,
    format_error,
    from_millis,
    list_of,
    text_of,
    time_order,
)
from app.ingest.records import RawMessage

FORMAT = "mattermost-export"
FIX = "Upload the JSONL file from `mmctl export create` (or its ZIP) unchanged."
_TYPES = frozenset(
    {
        "version",
        "team",
        "channel",
        "user",
        "post",
        "direct_channel",
        "direct_post",
        "emoji",
        "scheme",
        "bot",
    }
)


def looks_like_mattermost(text: str) -> bool:
    first = text.lstrip()[:2000].split("\n", 1)[0]
    try:
        data = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and text_of(data, "type") in _TYPES


def _flag(props: Any, key: str) -> bool:
    value = props.get(key) if isinstance(props, dict) else None
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _author(post: dict[str, Any]) -> str | None:
    """Who Mattermost shows as the writer (see the module docstring)."""
    if (text_of(post, "type") or "").startswith("system_"):
        return None
    props = post.get("props")
    override = text_of(props, "override_username")
    if _flag(props, "from_webhook") and override and override.strip():
        return override.strip()
    user = text_of(post, "user")
    return user.strip() if user and user.strip() else None


def _card_lines(card: Any) -> list[str]:
    lines = []
    for key in ("pretext", "author_name", "title", "text"):
        value = text_of(card, key)
        if value and value.strip():
            lines.append(value.strip())
    for field in list_of(card, "fields"):
        label, value = text_of(field, "title"), text_of(field, "value")
        if value and value.strip():
            lines.append(f"{label.strip()}: {value.strip()}" if label else value.strip())
    if not lines:
        fallback = text_of(card, "fallback")
        if fallback and fallback.strip():
            lines.append(fallback.strip())
    return lines


def _text(post: dict[str, Any]) -> str:
    parts = [text_of(post, "message") or ""]
    props = post.get("props")
    for card in list_of(props, "attachments")[:50]:
        parts.extend(_card_lines(card))
    for item in list_of(post, "attachments"):
        path = text_of(item, "path")
        if path:
            parts.append(f"[file: {path.rsplit('/', 1)[-1]}]")
    return "\n".join(p for p in parts if p.strip()).rstrip()


def _channel(kind: str, post: dict[str, Any]) -> str:
    if kind == "direct_post":
        members = [m for m in list_of(post, "channel_members") if isinstance(m, str)]
        return ", ".join(members) or "direct"
    return text_of(post, "channel") or "?"


def parse_mattermost(text: str, window: Window) -> ExportResult:
    """Posts and replies of one channel of a Mattermost bulk export, in time order."""
    posts: list[tuple[int, str, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            raise format_error(
                FORMAT, f"Line {number} of the Mattermost export is not JSON.", FIX
            ) from None
        kind = text_of(data, "type")
        if kind in ("post", "direct_post") and isinstance(data.get(kind), dict):
            posts.append((number, kind, data[kind]))
    if not posts:
        raise format_error(FORMAT, "The Mattermost export has no posts.", FIX)
    channels = sorted({_channel(kind, post) for _, kind, post in posts})
    name = _pick(channels, window.channel)
    parsed: list[tuple[dt.datetime, RawMessage]] = []
    for number, kind, post in posts:
        if _channel(kind, post) != name:
            continue
        for item in [post, *list_of(post, "replies")]:
            if not isinstance(item, dict):
                raise format_error(FORMAT, f"Line {number} has a reply that is not an object.", FIX)
            instant = from_millis(item.get("create_at"))
            if instant is None:
                raise format_error(
                    FORMAT, f"Line {number} has a post without a valid 'create_at'.", FIX
                )
            if not window.keeps(instant):
                continue
            record = RawMessage(
                author=_author(item),
                clock=Clock.from_datetime(instant, with_seconds=True),
                text=_text(item),
                line_start=number,
                line_end=number,
                instant=instant,
            )
            parsed.append((instant, record))
    if not parsed:
        raise format_error(FORMAT, "No Mattermost post falls inside the requested window.", FIX)
    return ExportResult(FORMAT, time_order(parsed), _warnings(parsed), channel=name, source="jsonl")


def _warnings(parsed: list[tuple[dt.datetime, RawMessage]]) -> list[str]:
    system = sum(1 for _, record in parsed if record.author is None)
    if not system:
        return []
    return [f"Kept {system} Mattermost system post(s) (joins, channel changes) unattributed."]


def _pick(channels: list[str], wanted: str | None) -> str:
    if wanted is not None:
        key = wanted.strip().lstrip("#~").lower()
        for name in channels:
            if name.lower() == key:
                return name
        raise format_error(
            FORMAT,
            f"The export has no channel {wanted[:80]!r}; it has: {', '.join(channels[:30])}.",
            "Name one of these channels in `channel`.",
        )
    if len(channels) == 1:
        return channels[0]
    raise format_error(
        FORMAT,
        f"The export has posts in {len(channels)} channels: {', '.join(channels[:30])}.",
        "Name the incident channel in `channel`.",
    )
