"""Every supported format parses to the right messages, and auto-detection picks it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import SUPPORTED_FORMATS, parse_transcript
from app.models import Transcript

INGEST = Path(__file__).parent / "data" / "ingest"
SEED = Path(__file__).parent / "data" / "seed_000_checkout_chat.txt"

# (file, format, message count, first (time, author, text), last (time, author, text))
FORMAT_CASES = [
    (
        SEED,
        "bracket-header",
        30,
        ("09:14", "Priya", "Heads up — just got PagerDuty alerts"),
        ("09:27", "Sara", "Alright folks, incident officially resolved"),
    ),
    (
        INGEST / "bracket_inline_gateway.txt",
        "bracket-inline",
        6,
        ("14:02", "Maya", "PagerDuty: api-gateway 5xx rate 12% (threshold 2%)"),
        ("14:11", "Jonas", "rollback complete, v4.12.0 pinned out"),
    ),
    (
        INGEST / "plain_inline_cache.txt",
        "plain-inline",
        6,
        ("10:31:05", "Lena", "redis-cache-01 memory at 98%, evictions spiking"),
        ("10:41:19", "Omar", "p99 back to 85ms. Closing the alert."),
    ),
    (
        INGEST / "datetime_inline_k8s.txt",
        "datetime-inline",
        5,
        ("16:02:10", "alertmanager", "KubePodCrashLooping orders-api (namespace prod)"),
        ("16:12:02", "eli", "pods stable for 5 minutes, error rate 0%"),
    ),
    (
        INGEST / "irc_disk_full.txt",
        "irc",
        7,
        ("23:48", "kofi", "db-3 disk at 97%, WAL not being archived"),
        ("00:07", "kofi", "calling it. writing it up tomorrow"),
    ),
    (
        INGEST / "slack_export_checkout.json",
        "slack-export",
        5,
        ("16:01:00", "pagerduty", "Triggered #4471: checkout-service error rate > 40%"),
        ("16:10:00", "Priya Raman", "Error rate back under 1%. @Ravi K thanks!"),
    ),
    (
        INGEST / "slack_copy_payments.txt",
        "slack-copy",
        5,
        ("11:52", "PagerDuty", ":red_circle: Triggered: payments-api error rate above 5%"),
        ("13:10", "Nadia Okafor", "error rate back to 0.3%, resolving the incident"),
    ),
    (
        INGEST / "slack_copy_quoted.txt",
        "slack-copy",
        3,
        ("09:14", "Grace Liu", "Deploy of search-indexer 2.1 is stuck at 40%"),
        ("09:20", "Grace Liu", "Patched the probe, rollout finished"),
    ),
    (
        INGEST / "discord_copy_redis.txt",
        "discord-copy",
        3,
        ("23:58", "kofi", "redis primary in eu-west is flapping"),
        ("00:09", "kofi", "stable since the pin. latency graphs normal"),
    ),
    (
        INGEST / "bracket_header_codeblock.txt",
        "bracket-header",
        3,
        ("02:10", "Wen", "Worker crash loop again, here's the trace:"),
        ("02:15", "Wen", "Crash loop stopped."),
    ),
]
CASE_IDS = [case[0].name for case in FORMAT_CASES]


def _assert_parsed(transcript: Transcript, count: int, first: tuple, last: tuple) -> None:
    messages = transcript.messages
    assert [m.id for m in messages] == list(range(1, count + 1))
    assert (messages[0].time, messages[0].author) == first[:2]
    assert messages[0].text.startswith(first[2])
    assert (messages[-1].time, messages[-1].author) == last[:2]
    assert messages[-1].text.startswith(last[2])
    for earlier, later in zip(messages, messages[1:], strict=False):
        assert earlier.line_end >= earlier.line_start
        if transcript.format != "slack-export":
            assert later.line_start > earlier.line_end


@pytest.mark.parametrize(("path", "name", "count", "first", "last"), FORMAT_CASES, ids=CASE_IDS)
def test_auto_detection_picks_the_format_and_parses(
    path: Path, name: str, count: int, first: tuple, last: tuple
) -> None:
    transcript = parse_transcript(path.read_text(encoding="utf-8"))
    assert transcript.format == name
    _assert_parsed(transcript, count, first, last)


@pytest.mark.parametrize(("path", "name", "count", "first", "last"), FORMAT_CASES, ids=CASE_IDS)
def test_named_format_gives_the_same_result(
    path: Path, name: str, count: int, first: tuple, last: tuple
) -> None:
    text = path.read_text(encoding="utf-8")
    forced = parse_transcript(text, format=name)
    assert forced.format == name
    _assert_parsed(forced, count, first, last)
    assert forced.messages == parse_transcript(text).messages


def test_every_format_has_a_description_with_an_example() -> None:
    """Formats without a case here have a sample under tests/data/formats/."""
    covered = {case[1] for case in FORMAT_CASES}
    assert covered <= set(SUPPORTED_FORMATS)
    for description in SUPPORTED_FORMATS.values():
        assert "e.g." in description or "'" in description


def test_seed_chat_parses_to_thirty_messages_in_order(seed_chat_text: str) -> None:
    """The brief expected 33; the seed file has 30 '[HH:MM] Name' headers (counted by hand)."""
    transcript = parse_transcript(seed_chat_text)
    assert len(transcript.messages) == 30
    assert transcript.participants == ["Priya", "Ravi", "Alex", "Sara"]
    assert transcript.warnings == []
    first = transcript.messages[0]
    assert (first.line_start, first.line_end) == (2, 3)  # the file opens with a blank line
    action_items = transcript.message(22)
    assert action_items is not None
    assert action_items.author == "Sara"
    assert action_items.text.splitlines()[1] == " Add env var validation in CI/CD"
    assert action_items.line_end - action_items.line_start == 5


# Small, single-feature variants of each format: (text, format, [(time, author, text), ...])
VARIANTS = [
    pytest.param(
        "[10:02 AM] Priya Sharma\ncheckout is down\n[10:04 AM] Ravi\nrolling back\n",
        "bracket-header",
        [("10:02", "Priya Sharma", "checkout is down"), ("10:04", "Ravi", "rolling back")],
        id="teams-bracket-header-12h",
    ),
    pytest.param(
        "09:14 - Priya: alerts firing\n09:15 | Ravi: rollback started\n",
        "plain-inline",
        [("09:14", "Priya", "alerts firing"), ("09:15", "Ravi", "rollback started")],
        id="plain-inline-separators",
    ),
    pytest.param(
        "23:48 <kofi> db-3 disk full\n23:49 <+amara> on it\n23:50 --> bot (~b@h) has joined\n",
        "irc",
        [
            ("23:48", "kofi", "db-3 disk full"),
            ("23:49", "amara", "on it"),
            ("23:50", None, "--> bot (~b@h) has joined"),
        ],
        id="irc-bare-times-and-voice-prefix",
    ),
    pytest.param(
        "2025-05-20 16:02:10 dana: deploy 3.8.0 started\n"
        "[2025-05-20 16:04:00] <eli> errors climbing\n",
        "datetime-inline",
        [("16:02:10", "dana", "deploy 3.8.0 started"), ("16:04:00", "eli", "errors climbing")],
        id="datetime-inline-naive-and-bracketed",
    ),
    pytest.param(
        "Priya Sharma [10:02 AM]\ncheckout is down\nRavi, 10:03 AM\nlooking\n@alex  10:05\nfixed\n",
        "slack-copy",
        [
            ("10:02", "Priya Sharma", "checkout is down"),
            ("10:03", "Ravi", "looking"),
            ("10:05", "alex", "fixed"),
        ],
        id="slack-copy-bracket-comma-24h-at-sign",
    ),
    pytest.param(
        "GitHub BOT — 20/05/2025 14:01\nDeploy #812 failed\nmei — 20/05/2025 14:03\nretrying\n",
        "discord-copy",
        [("14:01", "GitHub", "Deploy #812 failed"), ("14:03", "mei", "retrying")],
        id="discord-day-first-with-bot-badge",
    ),
]


@pytest.mark.parametrize(("text", "name", "expected"), VARIANTS)
def test_format_variants(text: str, name: str, expected: list[tuple]) -> None:
    transcript = parse_transcript(text)
    assert transcript.format == name
    assert [(m.time, m.author, m.text) for m in transcript.messages] == expected


def test_discord_day_first_dates_are_read_day_first() -> None:
    text = "GitHub BOT — 20/05/2025 14:01\nDeploy #812 failed\nmei — 21/05/2025 09:00\nok\n"
    transcript = parse_transcript(text)
    assert transcript.date is not None and transcript.date.isoformat() == "2025-05-20"
    assert [m.day for m in transcript.messages] == [0, 1]
    assert transcript.warnings == []


MENTIONS_A_TIME = [
    pytest.param(
        "[09:14] Priya\nDeploy went out at\n"
        "09:10 deploy: checkout v2.3.1\n09:11 canary: 40% errors\n"
        "[09:16] Ravi\nrolling back\n[09:18] Alex\nok\n",
        "bracket-header",
        3,
        id="bracket-header-with-log-lines",
    ),
    pytest.param(
        "Priya Sharma  10:02 AM\nwe deployed at 9:58 AM\n[10:01] canary failed\n"
        "Ravi  10:03 AM\nrollback at 10:05 AM\n",
        "slack-copy",
        2,
        id="slack-copy-mentioning-times",
    ),
    pytest.param(
        "[14:02] Maya: deploy finished\n[14:03] Jonas: saw this in the log:\n"
        "14:02:59 gateway: TLS handshake timeout\n14:03:01 gateway: TLS handshake timeout\n"
        "14:03:02 gateway: TLS handshake timeout\n14:03:04 gateway: TLS handshake timeout\n"
        "[14:05] Maya: rolling back\n",
        "bracket-inline",
        3,
        id="unfenced-log-paste-does-not-win",
    ),
]


@pytest.mark.parametrize(("text", "name", "count"), MENTIONS_A_TIME)
def test_times_inside_messages_do_not_fool_detection(text: str, name: str, count: int) -> None:
    transcript = parse_transcript(text)
    assert transcript.format == name
    assert len(transcript.messages) == count


@pytest.mark.parametrize("spelling", ["IRC", " irc ", "Irc"])
def test_format_names_are_forgiving_about_case_and_spaces(spelling: str) -> None:
    transcript = parse_transcript("[23:48] <kofi> disk full\n", format=spelling)
    assert transcript.format == "irc"


def test_slack_copy_underscore_spelling() -> None:
    text = "Grace Liu  9:14 AM\nstuck rollout\n"
    assert parse_transcript(text, format="slack_copy").format == "slack-copy"
