"""The catalogue of supported transcript formats: names, one-line descriptions, recognisers.

`SUPPORTED_FORMATS` is public (the API lists it, errors quote it). Line formats are listed in
tie-break order for auto-detection: the more specific a header shape, the earlier it comes.
Export formats (JSON, JSONL, ZIP, folders) are read by `app.ingest.exports`.
"""

from __future__ import annotations

from collections.abc import Callable

from app.errors import InvalidRequestError
from app.ingest.copy_paste import TEAMS_CLASSIC, discord_copy_format
from app.ingest.incident_timeline import incident_timeline_format
from app.ingest.line_formats import (
    LineFormat,
    irc_date_marker,
    match_bracket_header,
    match_bracket_inline,
    match_datetime_inline,
    match_irc,
    match_plain_inline,
)
from app.ingest.stacked import (
    GOOGLE_CHAT_COPY,
    MATTERMOST_COPY,
    SLACK_COPY,
    SLACK_THREAD,
    teams_copy_format,
)
from app.ingest.untimed import UNTIMED
from app.ingest.whatsapp import whatsapp_format
from app.ingest.zoom import ZOOM_CHAT

SLACK_EXPORT = "slack-export"

SUPPORTED_FORMATS: dict[str, str] = {
    "bracket-header": "A '[time] Name' line, then the message below it. e.g. '[09:14] Priya'",
    "bracket-inline": "Time in brackets, name and text on one line. e.g. '[09:14] Priya: text'",
    "plain-inline": "Time, name and text on one line. e.g. '09:14 Priya: text' or '09:14:05 ...'",
    "datetime-inline": (
        "Date-time stamp, name and text. e.g. '2025-05-20 16:02:10 name: text' or "
        "'[2025-05-20T16:02:10Z] <name> text'"
    ),
    "irc": "IRC log. e.g. '[23:48] <kofi> text', '23:48 <kofi> text', '[23:48] * kofi waves'",
    "slack-copy": (
        "Copied from Slack: a 'Name  10:02 AM' (or 'Name [10:02 AM]', 'Name, 10:02 AM') "
        "line, then the message; Markdown-quoted copies ('>Name [8:27 AM]') too; the desktop "
        "app's name line above ':status:  10:02 AM' or 'APP  10:02 AM'"
    ),
    "slack-thread": (
        "Copied from Slack's thread pane: the parent, '15 replies', then each reply as a "
        "name line and a time line. e.g. 'Ravi Kumar' / '10:03 AM' / 'looking'"
    ),
    SLACK_EXPORT: (
        'Slack export: a channel\'s JSON (e.g. [{"ts": "1716220930.000200", "user": "U1", '
        '"text": "..."}]) or the workspace ZIP/folder (users.json, channels.json, '
        "<channel>/<day>.json)"
    ),
    "teams-copy": (
        "Copied from Microsoft Teams: a name line, a date-time line, the message (with or "
        "without the '... by Name' preview line above). e.g. 'Brown, Marcus' / "
        "'1/15/2025 10:02 AM' / 'checkout is down'"
    ),
    "teams-classic": (
        "Copied from classic Teams: '[1/15/2025 10:02 AM] Brown, Marcus' (or "
        "'[Yesterday 10:02 AM] Name'), then the message"
    ),
    "teams-graph": (
        'Teams messages as Microsoft Graph returns them, e.g. {"value": [{"createdDateTime": ..., '
        '"from": {"user": {"displayName": "Priya"}}, "body": {"content": "<p>..</p>"}}]}'
    ),
    "mattermost-copy": (
        "Copied from Mattermost: a name line, a time line, the message; a bare time line for "
        "a consecutive post. e.g. 'priya.sharma' / '10:02 AM' / 'checkout is down'"
    ),
    "mattermost-export": (
        'Mattermost bulk export (JSONL), e.g. {"type": "post", "post": {"channel": "inc", '
        '"user": "priya", "message": "...", "create_at": 1716220930000}} per line'
    ),
    "google-chat-copy": (
        "Copied from Google Chat: a name line ('App' below it for an app), a time line "
        "('10:02 AM', 'Yesterday 10:02 AM', 'Jan 15, 10:02 AM'), the message"
    ),
    "zoom-chat": (
        "Zoom saved chat. e.g. '10:02:33 From Bob Li to Everyone:' then the text, or "
        "'10:02:33\\t From  Bob Li : text'; direct messages kept apart"
    ),
    "whatsapp": (
        "WhatsApp export. e.g. '[1/2/25, 10:02:33] Priya: text' (iOS) or "
        "'02/01/2025, 10:02 - Priya: text' (Android), either date order"
    ),
    "discord-copy": (
        "Copied from Discord: 'kofi — 07/02/2025 09:12' or 'kofi — Today at 9:12 AM', "
        "then the message"
    ),
    "discord-export": (
        'DiscordChatExporter JSON, e.g. {"messages": [{"timestamp": "2025-01-15T10:02:33+00:00", '
        '"author": {"name": "kofi"}, "content": "..."}]}'
    ),
    "matrix-export": (
        'Element (Matrix) room export JSON, e.g. {"room_name": ..., "messages": [{"type": '
        '"m.room.message", "sender": "@kofi:matrix.org", "origin_server_ts": ..., '
        '"content": {"body": "..."}}]}'
    ),
    "incident-timeline": (
        "A pasted incident timeline (PagerDuty, Opsgenie, incident.io or a written one). "
        "e.g. 'Jan 15, 2025 10:05 AM  Acknowledged by Priya Sharma.' or '11:01 - text'; a time "
        "alone above its entry ('10:46' / 'Alert fired') or below it ('Note added by Dana' / "
        "text / 'Mar 4, 12:17 AM · 9 hours ago')"
    ),
    "untimed": "'Name: text' lines without times. e.g. 'Priya: checkout is down'",
}

EXPORT_FORMATS = frozenset(
    {SLACK_EXPORT, "teams-graph", "mattermost-export", "discord-export", "matrix-export"}
)

_FIXED: dict[str, LineFormat] = {
    "datetime-inline": LineFormat("datetime-inline", match_datetime_inline),
    "irc": LineFormat("irc", match_irc, date_marker=irc_date_marker),
    "bracket-inline": LineFormat("bracket-inline", match_bracket_inline),
    "bracket-header": LineFormat("bracket-header", match_bracket_header),
    "plain-inline": LineFormat("plain-inline", match_plain_inline),
    "slack-copy": SLACK_COPY,
    "slack-thread": SLACK_THREAD,
    "teams-classic": TEAMS_CLASSIC,
    "mattermost-copy": MATTERMOST_COPY,
    "google-chat-copy": GOOGLE_CHAT_COPY,
    "zoom-chat": ZOOM_CHAT,
    "untimed": UNTIMED,
}
_TUNED: dict[str, Callable[[list[str]], tuple[LineFormat, list[str]]]] = {
    "discord-copy": discord_copy_format,
    "incident-timeline": incident_timeline_format,
    "teams-copy": teams_copy_format,
    "whatsapp": whatsapp_format,
}

# Auto-detection candidates in tie-break order (most specific header shape first). `untimed`
# is tried only when no timed format fits.
DETECTION_ORDER: tuple[str, ...] = (
    "datetime-inline",
    "whatsapp",
    "zoom-chat",
    "irc",
    "discord-copy",
    "bracket-inline",
    "bracket-header",
    "teams-classic",
    "plain-inline",
    "slack-thread",
    "mattermost-copy",
    "google-chat-copy",
    "teams-copy",
    "slack-copy",
    "incident-timeline",
)
LINE_FORMATS = frozenset(SUPPORTED_FORMATS) - EXPORT_FORMATS


def line_format(name: str, keys: list[str]) -> tuple[LineFormat, list[str]]:
    """The recogniser for a line format, tuned to the chat's lines where the format needs it
    (the date order of Discord, Teams and WhatsApp dates)."""
    if name in _TUNED:
        return _TUNED[name](keys)
    return _FIXED[name], []


def check_format_name(name: str) -> str:
    """The canonical format name ('IRC', 'slack_copy' are accepted), or `InvalidRequestError`."""
    canonical = name.strip().lower().replace("_", "-").replace(" ", "-")
    if canonical in SUPPORTED_FORMATS:
        return canonical
    valid = ", ".join(SUPPORTED_FORMATS)
    raise InvalidRequestError(
        f"Unknown transcript format {name[:60]!r} in field `format`; valid formats are: {valid}.",
        hint="Leave `format` empty to auto-detect it.",
        field="format",
        valid=list(SUPPORTED_FORMATS),
    )


def formats_help() -> str:
    """A bullet list of every supported format with its example, for error messages."""
    return "\n".join(f"- {name}: {text}" for name, text in SUPPORTED_FORMATS.items())
