"""Slack exports: one channel's JSON, or the whole workspace export (ZIP or folder).

Accepted: a list of message objects; `{"messages": [...], "users": [...]}`; or the workspace
export's files (`users.json`, `channels.json` / `groups.json` / `mpims.json` / `dms.json`, and
`<channel>/<YYYY-MM-DD>.json` per channel and day). Authors come from `user_profile.real_name`,
then `display_name`, then the users list, then an app's bot profile, then the raw user id; bot
posts keep the name they were posted as (`username`, else the bot profile's name).

Thread replies (`thread_ts` differing from `ts`) are placed right under their parent, in time
order; a reply whose parent is outside the export or the window stays at its own time. Edits
(`message_changed` events) replace the text of the message they edit; deletions and other system
events (joins, topic changes) are kept as unattributed messages and counted in a warning. File
shares add '[file: name]'. Slack markup is shown as people saw it: `<@U1>` -> '@Priya',
`<#C1|ops>` -> '#ops', `<https://x|label>` -> 'label (https://x)', entities unescaped.
Line numbers are 1-based positions in the export's message list (all days, in file order).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from app.ingest.clock import Clock
from app.ingest.exports.common import (
    ExportResult,
    Window,
    format_error,
    list_of,
    load_json,
    text_of,
)
from app.ingest.records import RawMessage

FORMAT = "slack-export"
_USER_SUBTYPES = frozenset({"me_message", "thread_broadcast", "file_share", "file_comment"})
_BOT_SUBTYPES = frozenset({"bot_message"})
_MARKUP = re.compile(r"<([^<>]{0,2000}+)>")
_LABELLED_MENTION = re.compile(r"<@([A-Z0-9]{1,40}+)\|([^<>|]{1,200}+)>")
_DAY_FILE = re.compile(r"\A(?:.*/)?(?P<channel>[^/]{1,200}+)/(?P<day>\d{4}-\d{2}-\d{2})\.json\Z")
_MAX_TS_DIGITS = 12
_SLACKBOT = "Slackbot"

FIX = (
    "Upload the Slack export unchanged (the ZIP, its folder, or one channel's JSON), or paste "
    "the chat as text and let the format be detected."
)


def _error(detail: str) -> Exception:
    return format_error(FORMAT, detail, FIX)


def _load(text: str) -> tuple[list[Any], list[Any]]:
    data = load_json(text, FORMAT, FIX)
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return data["messages"], list_of(data, "users")
    if isinstance(data, list):
        return data, []
    raise _error(
        "The JSON is not a Slack export: expected a list of messages or an object with a "
        "'messages' list."
    )


def _profile_name(profile: Any) -> str | None:
    for key in ("real_name", "display_name"):
        value = text_of(profile, key)
        if value and value.strip():
            return value.strip()
    return None


def user_names(messages: list[Any], users: list[Any]) -> dict[str, str]:
    """User id -> display name: the users list, overridden by the names on messages, and as a
    last resort the label of a `<@U1|name>` mention."""
    names: dict[str, str] = {}
    for user in users:
        user_id = text_of(user, "id")
        if user_id:
            name = text_of(user, "real_name") or _profile_name(user.get("profile"))
            name = name or text_of(user, "name")
            if name and name.strip():
                names[user_id] = name.strip()
    for message in messages:
        user_id = text_of(message, "user")
        name = _profile_name(message.get("user_profile")) if user_id else None
        if user_id and name:
            names[user_id] = name
    for message in messages:
        for user_id, label in _LABELLED_MENTION.findall(text_of(message, "text") or ""):
            names.setdefault(user_id, label)
    return names


def render_markup(text: str, names: dict[str, str]) -> str:
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
    parts = [text_of(message, "text") or ""]
    if not parts[0].strip():
        for attachment in list_of(message, "attachments"):
            for key in ("pretext", "title", "text", "fallback"):
                value = text_of(attachment, key)
                if value and value.strip():
                    parts.append(value)
                    break
    for item in list_of(message, "files"):
        title = text_of(item, "title") or text_of(item, "name")
        if title:
            parts.append(f"[file: {title}]")
    return render_markup("\n".join(p for p in parts if p.strip()), names).rstrip()


def instant_of(value: Any, position: int) -> dt.datetime:
    """Slack's `ts` ('1716220930.000200', epoch seconds in UTC) as an aware datetime."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _error(f"Message {position} has no valid 'ts' (epoch seconds): {str(value)[:40]!r}.")
    raw = value if isinstance(value, str) else repr(value)
    seconds, _, fraction = raw.partition(".")
    if (
        not seconds.isdigit()
        or len(seconds) > _MAX_TS_DIGITS
        or (fraction and not fraction.isdigit())
        or not seconds.isascii()
    ):
        raise _error(f"Message {position} has no valid 'ts' (epoch seconds): {raw[:40]!r}.")
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    try:
        base = dt.datetime.fromtimestamp(int(seconds), dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise _error(
            f"Message {position} has a 'ts' outside any real date: {raw[:40]!r}."
        ) from None
    return base + dt.timedelta(microseconds=micro)


def _author(message: dict[str, Any], names: dict[str, str], bot: bool) -> str | None:
    """The name Slack shows: a bot post's own `username` (what a webhook or app posted as),
    else the bot's profile name; a person's profile or users-list name; an app's bot user
    that no list names goes by its bot profile; Slack's own user is 'Slackbot'."""
    profile = text_of(message, "bot_profile", "name")
    if bot:
        name = text_of(message, "username") or profile
        return name or text_of(message, "bot_id") or "bot"
    user = text_of(message, "user")
    name = _profile_name(message.get("user_profile")) or (names.get(user) if user else None)
    if name:
        return name
    if profile and profile.strip():
        return profile.strip()
    return _SLACKBOT if user == "USLACKBOT" else user


def _apply_edits(
    items: list[tuple[int, dict[str, Any]]],
) -> tuple[list[tuple[int, dict[str, Any]]], int]:
    """Fold `message_changed` events into the messages they edit."""
    by_ts = {str(m.get("ts")): m for _, m in items if m.get("subtype") != "message_changed"}
    kept, edits = [], 0
    for position, message in items:
        if message.get("subtype") != "message_changed":
            kept.append((position, message))
            continue
        new = message.get("message")
        target = by_ts.get(str(new.get("ts"))) if isinstance(new, dict) else None
        if target is not None and isinstance(new, dict) and isinstance(new.get("text"), str):
            target["text"] = new["text"]
            edits += 1
        else:
            kept.append((position, {**message, "subtype": "message_changed"}))
    return kept, edits


def parse_slack_messages(
    items: list[Any], users: list[Any], window: Window, *, channel: str | None = None
) -> ExportResult:
    """Messages of a Slack export in thread order, and warnings (system events kept)."""
    if not items:
        raise _error("The Slack export has no messages.")
    for position, message in enumerate(items, start=1):
        if not isinstance(message, dict):
            raise _error(f"Item {position} of the messages array is not an object.")
    for position, message in enumerate(items, start=1):
        for key in ("text", "user", "subtype", "username"):
            value = message.get(key)
            if value is not None and not isinstance(value, str):
                raise _error(
                    f"Message {position} has a '{key}' that is a {type(value).__name__}, not a "
                    "string."
                )
    names = user_names(items, users)
    edited, edits = _apply_edits([(i, dict(m)) for i, m in enumerate(items, start=1)])
    system: Counter[str] = Counter()
    parsed: list[tuple[dt.datetime, str | None, str, RawMessage]] = []
    for position, message in edited:
        instant = instant_of(message.get("ts"), position)
        if not window.keeps(instant):
            continue
        subtype = message.get("subtype")
        subtype = subtype if isinstance(subtype, str) else None
        bot = subtype in _BOT_SUBTYPES or (bool(message.get("bot_id")) and not message.get("user"))
        is_system = bool(subtype) and not bot and subtype not in _USER_SUBTYPES
        if is_system:
            system[str(subtype)] += 1
        record = RawMessage(
            author=None if is_system else _author(message, names, bot),
            clock=Clock.from_datetime(instant, with_seconds=True),
            text=_body(message, names),
            line_start=position,
            line_end=position,
            instant=instant,
        )
        ts = str(message.get("ts"))
        thread = message.get("thread_ts")
        parent = (
            str(thread) if isinstance(thread, str | int | float) and str(thread) != ts else None
        )
        parsed.append((instant, parent, ts, record))
    if not parsed:
        raise _error("No message of the Slack export falls inside the requested window.")
    warnings = []
    if edits:
        warnings.append(f"Applied {edits} Slack edit(s) to the messages they changed.")
    if system:
        counts = ", ".join(f"{kind} x{count}" for kind, count in sorted(system.items()))
        warnings.append(
            f"Kept {sum(system.values())} Slack system message(s) as unattributed messages "
            f"({counts})."
        )
    return ExportResult(FORMAT, thread_order(parsed), warnings, channel=channel)


def thread_order(
    parsed: list[tuple[dt.datetime, str | None, str, RawMessage]],
) -> list[RawMessage]:
    """Top-level messages in time order, each followed by its replies in time order."""
    present = {ts for _, _, ts, _ in parsed}
    replies: dict[str, list[tuple[dt.datetime, RawMessage]]] = {}
    top: list[tuple[dt.datetime, str, RawMessage]] = []
    for instant, parent, ts, record in parsed:
        if parent is not None and parent in present:
            replies.setdefault(parent, []).append((instant, record))
        else:
            top.append((instant, ts, record))
    top.sort(key=lambda item: item[0])  # stable: equal stamps keep export order
    ordered: list[RawMessage] = []
    for _, ts, record in top:
        ordered.append(record)
        for _, reply in sorted(replies.get(ts, []), key=lambda item: item[0]):
            ordered.append(reply)
    return ordered


def parse_slack_json(text: str, window: Window) -> ExportResult:
    """One channel's Slack JSON (a list of messages or {"messages": [...]})."""
    items, users = _load(text)
    return parse_slack_messages(items, users, window)


def day_file(path: str) -> bool:
    """Whether `path` is a workspace export's '<channel>/<YYYY-MM-DD>.json'."""
    return bool(_DAY_FILE.match(path))


def is_workspace(files: dict[str, bytes]) -> bool:
    """Whether archive members look like a Slack workspace export."""
    names = {path.rsplit("/", 1)[-1] for path in files}
    return bool({"users.json", "channels.json"} & names) and any(
        _DAY_FILE.match(path) for path in files
    )


def parse_workspace(files: dict[str, str], window: Window) -> ExportResult:
    """A workspace export: pick the channel, merge its day files, resolve users."""
    users: list[Any] = []
    for path, text in files.items():
        if path.rsplit("/", 1)[-1] == "users.json":
            data = load_json(text, FORMAT, FIX)
            users = data if isinstance(data, list) else []
    days: dict[str, list[tuple[str, str]]] = {}
    for path in files:
        match = _DAY_FILE.match(path)
        if match:
            days.setdefault(match["channel"], []).append((match["day"], path))
    if not days:
        raise _error(
            "The Slack export has no channel folders with day files (<channel>/<day>.json)."
        )
    name = _pick_channel(sorted(days), window.channel)
    items: list[Any] = []
    read: list[str] = []
    for _, path in sorted(days[name]):
        data = load_json(files[path], FORMAT, FIX)
        if not isinstance(data, list):
            raise _error(f"{path} is not a list of messages.")
        items.extend(data)
        read.append(path)
    result = parse_slack_messages(items, users, window, channel=name)
    result.files = read
    return result


def _pick_channel(names: list[str], wanted: str | None) -> str:
    if wanted is not None:
        key = wanted.strip().lstrip("#").lower()
        for name in names:
            if name.lower() == key:
                return name
        raise format_error(
            FORMAT,
            f"The export has no channel {wanted[:80]!r}; it has: {', '.join(names[:30])}.",
            "Name one of these channels in `channel`.",
        )
    if len(names) == 1:
        return names[0]
    raise format_error(
        FORMAT,
        f"The export has {len(names)} channels: {', '.join(names[:30])}. Which one is the "
        "incident's?",
        "Name the incident channel in `channel` (e.g. channel=inc-4471).",
    )
