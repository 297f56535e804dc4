"""Slack export JSON: authors, bots, markup, system events, ordering and time zones."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.errors import TranscriptFormatError
from app.ingest import parse_transcript

EXPORT = Path(__file__).parent / "data" / "ingest" / "slack_export_checkout.json"


@pytest.fixture
def export_text() -> str:
    return EXPORT.read_text(encoding="utf-8")


def test_export_messages_are_sorted_by_ts_with_array_positions(export_text: str) -> None:
    transcript = parse_transcript(export_text)
    assert transcript.format == "slack-export"
    assert [(m.id, m.line_start, m.line_end) for m in transcript.messages] == [
        (1, 1, 1),
        (2, 3, 3),
        (3, 2, 2),
        (4, 4, 4),
        (5, 5, 5),
    ]
    assert [m.time for m in transcript.messages] == [
        "16:01:00",
        "16:01:40",
        "16:02:10",
        "16:03:25",
        "16:10:00",
    ]
    assert transcript.timezone == "UTC"
    assert transcript.date == dt.date(2024, 5, 20)
    assert transcript.messages[0].timestamp == dt.datetime(2024, 5, 20, 16, 1, 0, 100, dt.UTC)


def test_export_authors_bots_and_system_events(export_text: str) -> None:
    transcript = parse_transcript(export_text)
    authors = [m.author for m in transcript.messages]
    # A bot_message's `username` overrides the bot's default name (Slack's bot_message docs).
    assert authors == ["pagerduty", None, "Priya Raman", "Ravi K", "Priya Raman"]
    bot, join = transcript.messages[0], transcript.messages[1]
    assert bot.text == "Triggered #4471: checkout-service error rate > 40%"
    assert join.text == "@sara has joined the channel"
    assert transcript.warnings == [
        "Kept 1 Slack system message(s) as unattributed messages (channel_join x1)."
    ]


def test_export_markup_is_rendered_as_people_saw_it(export_text: str) -> None:
    messages = parse_transcript(export_text).messages
    # <@U02RAVI> resolves from the user_profile on Ravi's own message (display name).
    assert messages[2].text == (
        "@Ravi K can you look? 500s since the 16:00 deploy. "
        "Dashboard: checkout overview (https://grafana.example.com/d/checkout)"
    )
    assert messages[3].text == "on it. Rolling back per #runbook-checkout & paging @sara"
    assert messages[4].text.splitlines() == [
        "Error rate back under 1%. @Ravi K thanks!",
        "```",
        "kubectl rollout undo deploy/checkout",
        "```",
    ]


def test_export_times_follow_the_requested_zone(export_text: str) -> None:
    transcript = parse_transcript(export_text, timezone="America/Los_Angeles")
    first = transcript.messages[0]
    assert first.time == "09:01:00"
    assert first.timestamp == dt.datetime(
        2024, 5, 20, 9, 1, 0, 100, tzinfo=ZoneInfo("America/Los_Angeles")
    )
    assert transcript.timezone == "America/Los_Angeles"


def _message(ts: str, **fields: Any) -> dict[str, Any]:
    return {"type": "message", "ts": ts, **fields}


def test_export_as_a_bare_list_with_users_fallbacks_and_midnight() -> None:
    export = [
        _message("1716249590.000100", user="U1", text="db CPU 100% <!here>"),
        _message("1716249650.000200", user="U9", text="killing the long query"),
        _message(
            "1716249700.000300",
            subtype="bot_message",
            username="deploybot",
            text="rollback of api v7 &lt;done&gt;",
        ),
    ]
    transcript = parse_transcript(json.dumps(export))
    assert transcript.format == "slack-export"
    assert [(m.author, m.time, m.day) for m in transcript.messages] == [
        ("U1", "23:59:50", 0),
        ("U9", "00:00:50", 1),
        ("deploybot", "00:01:40", 1),
    ]
    assert transcript.messages[0].text == "db CPU 100% @here"
    assert transcript.messages[2].text == "rollback of api v7 <done>"


def test_app_bot_users_and_slackbot_go_by_the_names_slack_shows() -> None:
    export = [
        _message("1716220000.1", user="U0APP", bot_id="B1", bot_profile={"name": "Sentry"},
                 text="new issue"),
        _message("1716220001.1", user="USLACKBOT", text="Reminder: standup"),
        _message("1716220002.1", subtype="bot_message", bot_id="B2",
                 bot_profile={"name": "Incoming Webhooks"}, text="deploy 42 done"),
    ]  # fmt: skip
    authors = [m.author for m in parse_transcript(json.dumps(export)).messages]
    assert authors == ["Sentry", "Slackbot", "Incoming Webhooks"]


def test_export_users_list_names_authors_without_profiles() -> None:
    export = {
        "users": [{"id": "U1", "name": "jdoe", "profile": {"real_name": "Jane Doe"}}],
        "messages": [_message("1716220000.1", user="U1", text="<@U1> here, on call")],
    }
    message = parse_transcript(json.dumps(export)).messages[0]
    assert (message.author, message.text) == ("Jane Doe", "@Jane Doe here, on call")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        pytest.param('[{"ts": "1716220000.1", "text": "hi"', "line 1, column", id="truncated"),
        pytest.param('{"messages": [{"ts": 1,}]}', "line 1, column 24", id="trailing-comma"),
        pytest.param('{"channel": "ops"}', "expected a list of messages", id="not-an-export"),
        pytest.param('{"messages": []}', "has no messages", id="no-messages"),
        pytest.param('[{"text": "no ts"}]', "Message 1 has no valid 'ts'", id="missing-ts"),
        pytest.param('["just a string"]', "Item 1 of the messages array", id="not-an-object"),
    ],
)
def test_bad_exports_say_what_is_wrong(text: str, needle: str) -> None:
    with pytest.raises(TranscriptFormatError) as caught:
        parse_transcript(text)
    assert needle in caught.value.detail
    assert caught.value.status == 422
    assert caught.value.hint and "Slack export" in caught.value.hint


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<!here>", "@here"),
        ("<!channel|channel>", "@channel"),
        ("<!subteam^S0ONCALL|@sre-oncall>", "@sre-oncall"),
        ("<!date^1716220930^{time}|16:02>", "16:02"),
        ("<mailto:ops@example.com|ops@example.com>", "ops@example.com"),
        ("<https://status.example.com>", "https://status.example.com"),
        ("<#C0OPS>", "#C0OPS"),
        ("<@U404>", "@U404"),
        ("p99 &gt; 2s &amp;&amp; 5xx &lt; 1%", "p99 > 2s && 5xx < 1%"),
    ],
)
def test_slack_markup_variants(raw: str, shown: str) -> None:
    export = [_message("1716220930.000200", user="U1", text=f"see {raw}")]
    assert parse_transcript(json.dumps(export)).messages[0].text == f"see {shown}"
