"""What the export readers make of each export's details: HTML bodies, mentions, edits,
threads, reply fallbacks, bots, files, system events and channels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.errors import TranscriptFormatError
from app.ingest import parse_export, parse_transcript

FORMATS = Path(__file__).parent / "data" / "formats"


def test_teams_graph_html_mentions_replies_and_deletions() -> None:
    transcript = parse_export(FORMATS / "teams-graph.json")
    texts = [m.text for m in transcript.messages]
    assert texts[0] == "checkout-service error rate is at 38%\npaging on-call"
    assert texts[1] == "@Marcus Brown on it & looking at the 9:55 push"
    assert texts[4] == "(deleted message)"
    assert transcript.messages[2].author is None  # a system event, kept
    assert transcript.timezone == "UTC"


def test_teams_graph_replies_are_read_at_the_times_they_were_written() -> None:
    """Graph lists roots newest first with their replies; a reader reads them by time, so a
    reply written after a later root comes after it (threads interleave)."""
    page = {
        "value": [
            {"id": "2", "createdDateTime": "2025-01-15T10:05:00Z", "body": {"content": "later"},
             "from": {"user": {"displayName": "B"}}},
            {"id": "1", "createdDateTime": "2025-01-15T10:00:00Z", "body": {"content": "parent"},
             "from": {"user": {"displayName": "A"}},
             "replies": [{"id": "1r", "createdDateTime": "2025-01-15T10:07:00Z",
                          "body": {"content": "reply"}, "from": {"user": {"displayName": "C"}}}]},
        ]
    }  # fmt: skip
    transcript = parse_transcript(json.dumps(page))
    assert [m.text for m in transcript.messages] == ["parent", "later", "reply"]


def test_matrix_edits_threads_and_reply_fallbacks() -> None:
    transcript = parse_export(FORMATS / "matrix-export.json")
    texts = [m.text for m in transcript.messages]
    assert "recreating it by hand" in texts and "recreating it by hnad" not in texts
    assert texts[3] == "the dns refactor deleted the CNAME"  # the '> <@kofi...>' fallback is gone
    assert texts[4:6] == ["recreating it by hand", "TTL was 3600, expect stragglers"]
    assert texts[0] == "Kofi Mensah join"
    assert any("1 Matrix edit" in w for w in transcript.warnings)


def test_discord_export_nicknames_embeds_files_and_system_messages() -> None:
    transcript = parse_export(FORMATS / "discord-export.json")
    assert transcript.participants == ["Kofi", "Grafana", "Amara"]
    assert transcript.messages[1].text == "[FIRING:1] RedisDown\neu-west primary unreachable"
    assert transcript.messages[4].text == "stable since the pin\n[file: latency.png]"
    assert transcript.messages[3].author is None
    assert [m.day for m in transcript.messages] == [0, 0, 1, 1, 1]


def test_mattermost_export_reads_one_channel_with_its_replies() -> None:
    transcript = parse_export(FORMATS / "mattermost-export.jsonl", channel="inc-512")
    assert [m.text for m in transcript.messages][
        -1
    ] == "rolled back, health checks green\n[file: lb.png]"
    assert [m.line_start for m in transcript.messages] == [8, 8, 8, 9]  # JSONL line numbers
    with pytest.raises(TranscriptFormatError, match="inc-512, town-square"):
        parse_export(FORMATS / "mattermost-export.jsonl")


def test_a_named_format_that_is_not_quoted_right_is_still_read() -> None:
    text = (FORMATS / "slack-copy-quoted-mixed.md").read_text(encoding="utf-8")
    forced = parse_transcript(text, format="slack-copy")
    assert [m.author for m in forced.messages] == [
        m.author for m in parse_transcript(text).messages
    ]


@pytest.mark.parametrize(
    ("line", "author", "time"),
    [
        ("[1/2/25, 10:02:33\u202fPM] Priya: checkout is down", "Priya", "22:02:33"),
        ("[02.01.25, 22:02:33] Priya: checkout is down", "Priya", "22:02:33"),
        ("1/2/25, 10:02 PM - Priya: checkout is down", "Priya", "22:02"),
        ("\u200e[1/2/25, 10:02:33] Priya: \u200eimage omitted", "Priya", "10:02:33"),
    ],
)
def test_whatsapp_variants(line: str, author: str, time: str) -> None:
    text = f"{line}\n{line.replace('Priya', 'Ravi')}\n"
    transcript = parse_transcript(text)
    assert transcript.format == "whatsapp"
    assert (transcript.messages[0].author, transcript.messages[0].time) == (author, time)
