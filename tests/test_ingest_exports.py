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


def _graph(*messages: dict) -> str:
    return json.dumps({"value": list(messages)})


def _teams(mid: str, when: str, sender: dict | None, html: str, **extra: object) -> dict:
    return {"id": mid, "createdDateTime": when, "messageType": "message", "from": sender,
            "body": {"contentType": "html", "content": html}, **extra}  # fmt: skip


def test_teams_graph_channel_page_reads_as_teams_shows_it() -> None:
    transcript = parse_export(FORMATS / "teams-graph-channel.json")
    texts = [m.text for m in transcript.messages]
    assert texts[0].splitlines() == [
        "FIRING: ReplicationLagHigh",
        "Cluster: pg-orders-eu",
        "Lag: 412 s",
        "Runbook (https://wiki.example.org/runbooks/pg-replication)",
    ]  # the bot's Adaptive Card, credited to the bot
    assert transcript.messages[0].author == "Grafana OnCall"
    assert (transcript.messages[2].author, texts[2]) == ("Rajesh Nair", "(deleted message)")
    assert (transcript.messages[3].author, texts[3]) == (
        None,
        "Members added by Ana Pereira: Els Janssens",  # the new member's name found by id
    )
    assert texts[4].splitlines()[0] == "Status for support"  # the subject heads its post
    assert transcript.messages[5].author == "Kim, Jae-won"  # displayName null: found by id
    assert texts[6].splitlines() == [
        "> Els Janssens: customer impact so far: checkout confirmations delayed up to 7 min",
        "thanks, that matches what we see",
    ]  # the quoted reply where the body places it
    assert texts[8].splitlines()[1:] == [
        "1. alert on WAL retained by vacuum",
        "2. move the order_events vacuum to the night window",
    ]  # '2 is mine' needs the numbers


@pytest.mark.parametrize(
    ("detail", "shown"),
    [
        ({"@odata.type": "#microsoft.graph.callStartedEventMessageDetail", "callEventType": "call",
          "initiator": {"user": {"id": "u1", "displayName": "Ana"}}}, "Call started by Ana"),
        ({"@odata.type": "#microsoft.graph.callEndedEventMessageDetail", "callEventType": "meeting",
          "callDuration": "PT1H2M5S"}, "Meeting ended (1h 2m 5s)"),
        ({"@odata.type": "#microsoft.graph.channelRenamedEventMessageDetail",
          "channelDisplayName": "inc-42 resolved"}, 'Channel renamed: "inc-42 resolved"'),
        ({"@odata.type": "#microsoft.graph.membersLeftEventMessageDetail",
          "members": [{"id": "u2", "displayName": "Kim"}]}, "Members left: Kim"),
        (None, "(system event)"),
    ],
)  # fmt: skip
def test_teams_graph_system_events_are_shown_in_words_and_credited_to_nobody(
    detail: dict | None, shown: str
) -> None:
    event = _teams("2", "2025-01-15T10:05:00Z", None, "<systemEventMessage/>")
    event.update(messageType="systemEventMessage", eventDetail=detail)
    person = _teams("1", "2025-01-15T10:00:00Z", {"user": {"displayName": "Ana"}}, "<p>hi</p>")
    transcript = parse_transcript(_graph(event, person))
    assert [(m.author, m.text) for m in transcript.messages] == [("Ana", "hi"), (None, shown)]
    assert "Kept 1 Teams system event(s) unattributed." in transcript.warnings


def test_teams_graph_html_shows_code_emoji_files_and_cards_where_the_body_puts_them() -> None:
    body = (
        '<p>dmesg <emoji id="1f62c_grimacing" alt="😬" title="Grimacing"></emoji></p>'
        '<codeblock class="Plaintext"><code>nf_conntrack: table full<br>dropping packet</code>'
        '</codeblock><attachment id="f1"></attachment><p>see above</p>'
    )
    files = [
        {"id": "f1", "contentType": "reference", "name": "dump.txt", "contentUrl": "https://x/d"},
        {"id": "c2", "contentType": "application/vnd.microsoft.card.hero",
         "content": {"title": "Build failed", "text": "main #812", "buttons": [
             {"type": "openUrl", "title": "Open", "value": "https://ci/812"}]}},
    ]  # fmt: skip
    message = _teams("1", "2025-01-15T10:00:00Z", {"user": {"displayName": "Tomasz"}}, body)
    message["attachments"] = files
    text = parse_transcript(_graph(message)).messages[0].text
    assert text.splitlines() == [
        "dmesg 😬",
        "```",
        "nf_conntrack: table full",
        "dropping packet",
        "```",
        "[file: dump.txt]",
        "see above",
        "Build failed",  # a card the body does not place comes last
        "main #812",
        "Open (https://ci/812)",
    ]


def test_teams_graph_pages_and_repeated_messages_are_read_once_each() -> None:
    root = _teams("1", "2025-01-15T10:00:00Z", {"user": {"displayName": "A"}}, "root")
    reply = _teams("1r", "2025-01-15T10:02:00Z", {"user": {"displayName": "B"}}, "reply")
    reply["replyToId"] = "1"
    later = _teams("2", "2025-01-15T10:01:00Z", {"user": {"displayName": "C"}}, "later")
    pages = [{"value": [later, {**root, "replies": [reply]}]}, {"value": [reply]}]
    transcript = parse_transcript(json.dumps(pages))
    assert [m.text for m in transcript.messages] == ["root", "later", "reply"]


def test_teams_graph_a_hostile_card_is_read_within_limits() -> None:
    deep: dict = {"type": "TextBlock", "text": "leaf"}
    for _ in range(40):
        deep = {"type": "Container", "items": [deep]}
    nested = {"type": "AdaptiveCard", "body": [deep, {"type": "TextBlock", "text": "top"}]}
    bomb = '{"type": "Container", "items": [' * 100_000 + "{}" + "]}" * 100_000
    cards = [
        {"id": "c1", "contentType": "application/vnd.microsoft.card.adaptive", "content": nested},
        {"id": "c2", "contentType": "application/vnd.microsoft.card.adaptive", "content": bomb},
    ]
    message = _teams("1", "2025-01-15T10:00:00Z", {"application": {"displayName": "Bot"}}, "")
    message["attachments"] = cards
    assert parse_transcript(json.dumps({"value": [message]})).messages[0].text == (
        "top\n[attachment]"  # too deep to be a card a person reads; the oversized one not read
    )


def _mattermost(*posts: dict) -> str:
    return "\n".join(json.dumps({"type": "post", "post": p}) for p in posts)


def test_mattermost_export_reads_posts_by_time_with_webhook_names_and_system_posts() -> None:
    transcript = parse_export(FORMATS / "mattermost-export-webhooks.jsonl")
    messages = transcript.messages
    assert messages[0].author == "blackbox-exporter"  # stored under lucia.romero's account
    assert messages[0].text.splitlines() == [
        "[FIRING:1] ProbeFailed api.acme.example",
        "DNS lookup failed from 3/3 probes",
        "severity: page",
    ]
    assert (messages[2].author, messages[2].text) == (
        None,
        "nils added to the channel by lucia.romero.",
    )
    assert [m.time for m in messages] == sorted(m.time or "" for m in messages)
    assert "Kept 1 Mattermost system post(s) (joins, channel changes) unattributed." in (
        transcript.warnings
    )


def test_mattermost_override_username_counts_only_on_webhook_posts() -> None:
    text = _mattermost(
        {"channel": "c", "user": "priya", "message": "a", "create_at": 1736935320000,
         "props": {"override_username": "not-shown"}},
        {"channel": "c", "user": "priya", "message": "b", "create_at": 1736935330000,
         "props": {"from_webhook": True, "override_username": "grafana"}},
        {"channel": "c", "user": "priya", "message": "", "create_at": 1736935340000,
         "props": {"from_webhook": "true", "attachments": [{"fallback": "only a fallback"}]}},
    )  # fmt: skip
    transcript = parse_transcript(text)
    assert [(m.author, m.text) for m in transcript.messages] == [
        ("priya", "a"),
        ("grafana", "b"),
        ("priya", "only a fallback"),
    ]
