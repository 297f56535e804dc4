"""The catalogue of supported transcript formats: names, one-line descriptions, recognisers.

`SUPPORTED_FORMATS` is public (the API lists it, errors quote it). Line formats are listed in
tie-break order for auto-detection: the more specific a header shape, the earlier it comes.
"""

from __future__ import annotations

from app.errors import InvalidRequestError
from app.ingest.copy_paste import SLACK_COPY, discord_copy_format
from app.ingest.line_formats import (
    LineFormat,
    irc_date_marker,
    match_bracket_header,
    match_bracket_inline,
    match_datetime_inline,
    match_irc,
    match_plain_inline,
)

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
    SLACK_EXPORT: (
        'Slack export JSON: a list of message objects or {"messages": [...], "users": [...]}'
        ', e.g. [{"ts": "1716220930.000200", "user": "U1", "text": "..."}]'
    ),
    "slack-copy": (
        "Copied from Slack/Teams: a 'Name  10:02 AM' (or 'Name [10:02 AM]', 'Name, 10:02 AM') "
        "line, then the message; '> '-quoted copies too"
    ),
    "discord-copy": (
        "Copied from Discord: 'kofi — 07/02/2025 09:12' or 'kofi — Today at 9:12 AM', "
        "then the message"
    ),
}

_FIXED: dict[str, LineFormat] = {
    "datetime-inline": LineFormat("datetime-inline", match_datetime_inline),
    "irc": LineFormat("irc", match_irc, date_marker=irc_date_marker),
    "bracket-inline": LineFormat("bracket-inline", match_bracket_inline),
    "bracket-header": LineFormat("bracket-header", match_bracket_header),
    "plain-inline": LineFormat("plain-inline", match_plain_inline),
    "slack-copy": SLACK_COPY,
}

# Auto-detection candidates in tie-break order (most specific header shape first).
DETECTION_ORDER: tuple[str, ...] = (
    "datetime-inline",
    "irc",
    "discord-copy",
    "bracket-inline",
    "bracket-header",
    "plain-inline",
    "slack-copy",
)


def line_format(name: str, lines: list[str]) -> tuple[LineFormat, list[str]]:
    """The recogniser for a line format, tuned to `lines` where the format needs it."""
    if name == "discord-copy":
        return discord_copy_format(lines)
    return _FIXED[name], []


def check_format_name(name: str) -> str:
    """The canonical format name ('IRC', 'slack_copy' are accepted), or `InvalidRequestError`."""
    canonical = name.strip().lower().replace("_", "-")
    if canonical in SUPPORTED_FORMATS:
        return canonical
    valid = ", ".join(SUPPORTED_FORMATS)
    raise InvalidRequestError(
        f"Unknown transcript format {name!r} in field `format`; valid formats are: {valid}.",
        hint="Leave `format` empty to auto-detect it.",
        field="format",
        valid=list(SUPPORTED_FORMATS),
    )


def formats_help() -> str:
    """A bullet list of every supported format with its example, for error messages."""
    return "\n".join(f"- {name}: {text}" for name, text in SUPPORTED_FORMATS.items())
