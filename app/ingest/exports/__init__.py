"""Export files: Slack (channel JSON or workspace ZIP/folder), DiscordChatExporter JSON,
Microsoft Graph chatMessage JSON, Mattermost bulk export JSONL, Element (Matrix) JSON, and the
archives they come in (`archive`). `read_json_export` picks the reader from the content;
`pick_member` chooses the file of an archive or folder to read."""

from __future__ import annotations

from app.errors import TranscriptFormatError, UploadError
from app.ingest.exports import discord, matrix, mattermost, slack, teams_graph
from app.ingest.exports.archive import decode
from app.ingest.exports.common import ExportResult, Window, list_of, load_json

__all__ = ["ExportResult", "Window", "pick_member", "read_json_export"]

_HINT = (
    "Upload the export file unchanged (a Slack export, DiscordChatExporter JSON, Teams Graph "
    "JSON, Mattermost JSONL or Element JSON), or paste the chat as text."
)


def read_json_export(text: str, window: Window, forced: str | None = None) -> ExportResult:
    """Read JSON or JSONL export text with the reader its content (or `forced`) calls for."""
    if forced == "mattermost-export" or (forced is None and mattermost.looks_like_mattermost(text)):
        return mattermost.parse_mattermost(text, window)
    fmt = forced or "slack-export"
    data = load_json(text, fmt, _HINT if forced is None else slack.FIX)
    if forced == "discord-export" or (forced is None and discord.looks_like_discord(data)):
        return discord.parse_discord(data, window)
    if forced == "matrix-export" or (forced is None and matrix.looks_like_matrix(data)):
        return matrix.parse_matrix(data, window)
    if forced == "teams-graph" or (forced is None and teams_graph.looks_like_graph(data)):
        return teams_graph.parse_graph(data, window)
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return slack.parse_slack_messages(data["messages"], list_of(data, "users"), window)
    if isinstance(data, list):
        return slack.parse_slack_messages(data, [], window)
    raise TranscriptFormatError(
        "The JSON is not a chat export this service reads: expected a list of messages (a "
        "Slack channel export), DiscordChatExporter JSON, Element JSON, or a Graph "
        '{"value": [...]} page.',
        hint=_HINT,
        format=fmt,
    )


def pick_member(
    files: dict[str, bytes], window: Window, max_chars: int | None = None
) -> tuple[str, str]:
    """The one archive member to read (path, text) when the archive is not a Slack workspace."""
    candidates = sorted(files)
    if not candidates:
        raise UploadError(
            "the archive holds no .json, .jsonl or .txt file to read",
            hint="upload the export's JSON file or the chat's .txt file",
        )
    if len(candidates) > 1 and window.channel:
        key = window.channel.strip().lstrip("#").lower()
        named = [c for c in candidates if c.lower().rsplit("/", 1)[-1].rsplit(".", 1)[0] == key]
        candidates = named or candidates
    if len(candidates) > 1:
        chats = [c for c in candidates if c.rsplit("/", 1)[-1].lower() in ("_chat.txt", "chat.txt")]
        candidates = chats or candidates
    if len(candidates) > 1:
        raise UploadError(
            f"the archive holds {len(candidates)} files that could be the chat: "
            f"{', '.join(candidates[:20])}",
            hint="name the file (without its extension) in `channel`, or upload that file alone",
        )
    name = candidates[0]
    return name, decode(name, files[name], max_chars)


def is_workspace(files: dict[str, bytes]) -> bool:
    return slack.is_workspace(files)


def read_workspace(files: dict[str, bytes], window: Window) -> ExportResult:
    texts = {
        path: decode(path, content)
        for path, content in files.items()
        if path.rsplit("/", 1)[-1] == "users.json" or slack.day_file(path)
    }
    return slack.parse_workspace(texts, window)
