"""A timeline page and the chat pasted one after the other (app/ingest/sections.py).

The chats here are written for these tests: a PagerDuty-style page (time first, a tab, the entry)
and a Slack desktop copy under a Markdown heading, in both orders, and look-alikes that must stay
one format.
"""

from __future__ import annotations

from app.ingest.parse import parse_transcript

PAGE = """\
#981 [Prometheus] Ledger writes failing on ledger-api
Service: Ledger API  ·  Urgency: High  ·  Status: Resolved

TIMELINE
Wed, Apr 8, 2026

9:02:11 AM\tTriggered through Prometheus
9:04:40 AM\tAcknowledged by Ines Duarte through the mobile app
9:10:05 AM\tNote added by Ines Duarte
\t\tdisk on ledger-db-2 at 100%, writes failing
9:41:30 AM\tResolved by Ines Duarte through the website
"""

CHAT = """\
Ines Duarte  9:05 AM
looking, ledger writes are failing
Pavel Kuznetsov  9:07 AM
db-2 disk is full, the wal archive stopped
Ines Duarte  9:12 AM
clearing old wal segments now
Pavel Kuznetsov  9:40 AM
writes are back, error rate at zero
"""


def test_a_timeline_page_then_the_chat_reads_both_parts() -> None:
    transcript = parse_transcript(PAGE + "\n## Slack #inc-981\n\n" + CHAT)
    authors = [m.author for m in transcript.messages]
    # the page's entries are entries (their actor where they name one), the chat's are messages
    assert "Acknowledged by Ines Duarte through the mobile app" in [
        m.text for m in transcript.messages
    ]
    assert authors[-4:] == ["Ines Duarte", "Pavel Kuznetsov", "Ines Duarte", "Pavel Kuznetsov"]
    ack = next(m for m in transcript.messages if m.text.startswith("Acknowledged"))
    assert (ack.author, ack.time) == ("Ines Duarte", "09:04:40")
    assert transcript.ingest is not None
    assert {transcript.ingest.format, *transcript.ingest.mixed_with} == {
        "incident-timeline",
        "slack-copy",
    }
    assert any(w.startswith("Read in two parts") for w in transcript.warnings)


def test_the_chat_keeps_its_own_clock_and_the_page_date() -> None:
    transcript = parse_transcript(PAGE + "\n## Slack #inc-981\n\n" + CHAT)
    chat = transcript.messages[-4:]
    # 09:05 after the page's 09:41 is not "the next day": the chat is its own sequence
    assert [m.timestamp.isoformat() for m in chat if m.timestamp] == [
        "2026-04-08T09:05:00",
        "2026-04-08T09:07:00",
        "2026-04-08T09:12:00",
        "2026-04-08T09:40:00",
    ]
    assert not any("clock went back" in w for w in transcript.warnings)


def test_the_chat_first_then_the_page() -> None:
    transcript = parse_transcript(CHAT + "\n---\n" + PAGE)
    assert [m.author for m in transcript.messages[:4]] == [
        "Ines Duarte",
        "Pavel Kuznetsov",
        "Ines Duarte",
        "Pavel Kuznetsov",
    ]
    resolved = next(m for m in transcript.messages if m.text.startswith("Resolved by"))
    assert (resolved.author, resolved.time) == ("Ines Duarte", "09:41:30")


def test_no_text_is_lost_in_either_part() -> None:
    transcript = parse_transcript(PAGE + "\n## Slack #inc-981\n\n" + CHAT)
    joined = "\n".join(m.text for m in transcript.messages)
    bodies = [line for line in CHAT.splitlines() if not line.endswith(" AM")]
    entries = [line.split("\t")[-1] for line in PAGE.splitlines() if "\t" in line]
    assert len(bodies) == 4 and len(entries) == 5
    for text in (*bodies, *entries, "#981 [Prometheus] Ledger writes failing on ledger-api"):
        assert text in joined, text


def test_a_chat_with_a_heading_and_no_page_stays_one_format() -> None:
    transcript = parse_transcript("## Notes from the bridge\n\n" + CHAT + "\n## Later\n\n" + CHAT)
    assert transcript.ingest is not None
    assert transcript.ingest.format == "slack-copy"
    assert transcript.ingest.mixed_with == []
    assert not any(w.startswith("Read in two parts") for w in transcript.warnings)


def test_a_page_alone_with_a_heading_stays_one_format() -> None:
    transcript = parse_transcript("## PagerDuty\n\n" + PAGE)
    assert transcript.ingest is not None
    assert transcript.ingest.format == "incident-timeline"
    assert not any(w.startswith("Read in two parts") for w in transcript.warnings)


def _off_their_lines(text: str) -> list[tuple[int, int, int, str]]:
    """Messages whose first line is not within the source lines they cite."""
    source = text.splitlines()
    transcript = parse_transcript(text)
    wrong = []
    for message in transcript.messages:
        cited = "\n".join(source[message.line_start - 1 : message.line_end])
        first = message.text.splitlines()[0].strip()
        if first not in cited:
            wrong.append((message.id, message.line_start, message.line_end, first))
    return wrong


def test_each_message_cites_its_own_source_lines_in_the_second_part() -> None:
    # the second part is read on its own, but its lines keep their numbers in the whole paste
    page_first = PAGE + "\n## Slack #inc-981\n\n" + CHAT
    chat_first = CHAT + "\n---\n" + PAGE
    assert len(parse_transcript(page_first).messages) >= 9
    assert _off_their_lines(page_first) == []
    assert _off_their_lines(chat_first) == []


def test_the_warnings_name_the_second_parts_lines_in_the_whole_paste() -> None:
    text = CHAT + "\n---\n## PagerDuty\n\n" + PAGE
    transcript = parse_transcript(text)
    start = text.splitlines().index("## PagerDuty") + 1
    preamble = [w for w in transcript.warnings if "before the first message header" in w]
    assert preamble and all(f"Lines {start}-" in w for w in preamble), transcript.warnings
