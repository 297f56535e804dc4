"""Mattermost's bulk export (JSONL: one JSON object per line, `mmctl export create`).

Lines used: `{"type": "post", "post": {"team", "channel", "user", "message", "create_at",
"replies": [{"user", "message", "create_at"}], "attachments": [{"path"}]}}` and
`{"type": "direct_post", "direct_post": {"channel_members", "user", "message", "create_at",
"replies"}}` (create_at: epoch milliseconds). Authors are usernames, as Mattermost shows them by
default. Replies follow their post in time order. With posts in several channels, `channel`
picks one (DMs are named by their members, 'priya, ravi'). Line numbers are JSONL line numbers.
"""

from __future__ import annotations

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
)
from app.ingest.exports.slack import thread_order
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


def _text(post: dict[str, Any]) -> str:
    parts = [text_of(post, "message") or ""]
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
    """Posts of one channel of a Mattermost bulk export, replies under their posts."""
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
    parsed = []
    for number, kind, post in posts:
        if _channel(kind, post) != name:
            continue
        key = f"{number}"
        for item, parent in [(post, None), *((r, key) for r in list_of(post, "replies"))]:
            instant = from_millis(item.get("create_at")) if isinstance(item, dict) else None
            if instant is None:
                raise format_error(
                    FORMAT, f"Line {number} has a post without a valid 'create_at'.", FIX
                )
            if not window.keeps(instant):
                continue
            user = text_of(item, "user")
            record = RawMessage(
                author=user.strip() if user else None,
                clock=Clock.from_datetime(instant, with_seconds=True),
                text=_text(item),
                line_start=number,
                line_end=number,
                instant=instant,
            )
            parsed.append((instant, parent, key if parent is None else f"{key}r", record))
    if not parsed:
        raise format_error(FORMAT, "No Mattermost post falls inside the requested window.", FIX)
    return ExportResult(FORMAT, thread_order(parsed), channel=name, source="jsonl")


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
