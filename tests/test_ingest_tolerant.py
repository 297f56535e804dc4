"""Tolerant paste parsing: normalisation, app chrome, date separators, mixed shapes, per-message
fences and quotes, untimed lines, and errors that say what is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.errors import TranscriptFormatError
from app.ingest import parse_export, parse_transcript

FORMATS = Path(__file__).parent / "data" / "formats"


def _read(name: str) -> str:
    return (FORMATS / name).read_text(encoding="utf-8")


def test_markdown_quoted_slack_copy_keeps_each_message_whole() -> None:
    transcript = parse_transcript(_read("slack-copy-quoted-mixed.md"))
    first, second = transcript.messages[0], transcript.messages[1]
    assert first.text == (
        "the 1.31.2 tag is built but the images never showed up in the staging registry\n"
        "checked the promoter job, it is green"
    )
    assert second.text == "looking. the manifest PR merged at 8:02"  # '> ' and ':eyes: 2' gone
    assert transcript.messages[3].text == "nope, 404 on every arch"  # '(edited)' dropped
    report = transcript.ingest
    assert report is not None
    assert (report.format, report.header_lines, report.unattributed_lines) == ("slack-copy", 7, 0)
    assert report.ui_lines >= 4  # the heading, the rule, two reaction lines
    assert any("Markdown heading" in w for w in transcript.warnings)


def test_invisible_and_unicode_spaces_do_not_break_headers() -> None:
    text = "Priya\u00a0Sharma\u202f 10:02\u202fAM\ncheckout down\u200b\nRavi  10:03 AM\nlooking\n"
    transcript = parse_transcript(text)
    assert [(m.author, m.time) for m in transcript.messages] == [
        ("Priya Sharma", "10:02"),
        ("Ravi", "10:03"),
    ]


def test_list_bullets_and_hard_breaks_around_inline_headers() -> None:
    text = "- [09:14] Priya: alerts firing\\\n- [09:15] Ravi: on it  \n* [09:16] Sara: comms\n"
    assert [m.author for m in parse_transcript(text).messages] == ["Priya", "Ravi", "Sara"]


def test_the_slack_thread_pane_credits_each_reply_to_its_author() -> None:
    transcript = parse_transcript(_read("slack-thread.txt"))
    assert transcript.format == "slack-thread"
    authors = [m.author for m in transcript.messages]
    assert authors.count("Nadia Okafor") == 3 and "Ben Adeyemi" in authors
    assert all("replies" not in m.text and "Also sent" not in m.text for m in transcript.messages)


def test_teams_copy_names_people_not_dates() -> None:
    transcript = parse_transcript(_read("teams-copy.txt"))
    assert transcript.participants == ["Brown, Marcus", "Okafor, Nadia", "Lee, Jordan"]
    assert transcript.date == dt.date(2025, 1, 15)
    assert transcript.messages[2].text.startswith("can we roll it back?")  # 'Edited' dropped


def test_zoom_direct_messages_stay_apart_and_name_the_recipient() -> None:
    transcript = parse_transcript(_read("zoom-chat.txt"))
    direct = transcript.messages[2]
    assert (direct.author, direct.time) == ("Amy Chen", "10:03:10")
    assert direct.text == "[direct message to Bob Li] can you share the grafana link privately?"
    assert (
        transcript.messages[3].text
        == "deploy 4.2 went out at 09:58\nI think it is the new payment client"
    )


def test_whatsapp_orders_dates_by_the_chat_and_rejects_mixed_orders() -> None:
    eu = parse_transcript(_read("whatsapp-android-eu.txt"))
    assert eu.date == dt.date(2025, 1, 2) and eu.messages[-1].day == 11
    us = parse_transcript(_read("whatsapp-ios-us.txt"))
    assert us.date == dt.date(2025, 1, 2) and us.messages[-1].day == 11
    mixed = "13/01/2025, 09:12 - Piotr: a\n01/14/2025, 09:13 - Anna: b\n"
    with pytest.raises(TranscriptFormatError, match="two orders: line 1 is day/month") as caught:
        parse_transcript(mixed)
    assert caught.value.hint and "one locale" in caught.value.hint


def test_untimed_chats_are_attributed_and_warned_about() -> None:
    transcript = parse_transcript(_read("untimed.txt"))
    assert transcript.format == "untimed"
    assert all(m.time is None for m in transcript.messages)
    assert transcript.messages[2].text == "the config push changed the gateway URL\nrolling it back"
    assert any("no timestamps" in w for w in transcript.warnings)


def test_untimed_lines_in_a_timed_chat_are_split_off_and_reported() -> None:
    transcript = parse_transcript(_read("bracket-inline-untimed-lines.txt"))
    sara = transcript.messages[2]
    assert (sara.author, sara.time, sara.text) == ("Sara", None, "I'll take comms")
    assert transcript.ingest is not None and transcript.ingest.uncertain_lines == [3, 5]
    assert any("uncertain at lines 3, 5" in w for w in transcript.warnings)


def test_a_list_of_owners_inside_one_message_stays_in_it() -> None:
    text = (
        "[09:20] Sara: owners:\nRavi: rollback\nPriya: comms\n[09:21] Ravi: ok\n[09:22] Priya: ok\n"
    )
    messages = parse_transcript(text).messages
    assert [m.author for m in messages] == ["Sara", "Ravi", "Priya"]
    assert messages[0].text == "owners:\nRavi: rollback\nPriya: comms"


def test_an_unclosed_fence_in_a_huge_channel_keeps_every_other_message_apart() -> None:
    lines = []
    for i in range(50_000):
        suffix = " see ``` (never closed)" if i == 100 else ""
        lines.append(f"[{(i // 60) % 24:02d}:{i % 60:02d}] user{i % 7}: step {i}{suffix}")
        if (
            i % 997 == 0 and i != 100
        ):  # real code blocks later on, which the stray ``` could pair with
            lines += ["```", "[09:14] worker-7: Traceback", "```"]
    transcript = parse_transcript("\n".join(lines))
    assert len(transcript.messages) == 50_000
    assert transcript.messages[101].text == "step 101"
    assert "worker-7" not in transcript.participants
    assert transcript.ingest is not None and transcript.ingest.uncertain_lines == [104]


def test_a_quoted_snippet_of_chat_inside_a_fence_stays_code() -> None:
    text = (
        "[09:14] Priya: yesterday's thread, for context:\n```\n[08:01] Ravi: deploying\n"
        "[08:02] Sara: ok\n```\n[09:15] Ravi: right, same thing\n[09:16] Sara: yes\n"
    )
    transcript = parse_transcript(text)
    assert [m.author for m in transcript.messages] == ["Priya", "Ravi", "Sara"]
    assert transcript.ingest is not None and transcript.ingest.uncertain_lines == []


def test_date_separators_date_the_messages_below_them() -> None:
    text = (
        "January 14, 2025\nPriya  11:58 PM\nstill failing\n"
        "----- January 15, 2025 -----\nRavi  12:03 AM\nfixed\n"
    )
    transcript = parse_transcript(text)
    assert [m.timestamp for m in transcript.messages] == [
        dt.datetime(2025, 1, 14, 23, 58),
        dt.datetime(2025, 1, 15, 0, 3),
    ]
    weekdays = "Monday\n[23:50] a: x\nTuesday\n[23:55] b: y\n"
    assert [m.day for m in parse_transcript(weekdays).messages] == [0, 1]


def test_a_date_word_answering_a_question_stays_text() -> None:
    text = "[09:14] Priya: when did it start?\n[09:15] Ravi: not sure\nYesterday\nmaybe\n"
    assert parse_transcript(text).messages[1].text == "not sure\nYesterday\nmaybe"


def test_an_am_pm_slip_does_not_move_the_rest_of_the_chat_to_the_next_day() -> None:
    text = "".join(
        f"Nadia  {clock}\nupdate {i}\n"
        for i, clock in enumerate(["11:50 AM", "11:58 AM", "12:03 AM", "12:05 PM", "12:20 PM"])
    )
    transcript = parse_transcript(text, date=dt.date(2025, 3, 4))
    assert [(m.time, m.day) for m in transcript.messages] == [
        ("11:50", 0), ("11:58", 0), ("12:03", 0), ("12:05", 0), ("12:20", 0),
    ]  # fmt: skip
    assert any("line 5 says 12:03 AM" in w and "12:03 PM" in w for w in transcript.warnings)


def test_a_real_midnight_is_not_an_am_pm_slip() -> None:
    text = "Nadia  11:58 PM\na\nNadia  12:03 AM\nb\nNadia  12:05 AM\nc\n"
    assert [m.day for m in parse_transcript(text).messages] == [0, 1, 1]


def test_two_shapes_by_the_same_people_are_read_together() -> None:
    text = (
        "[09:14] Priya: checkout down\n[09:15] Ravi: looking\n[09:16] Priya: ok\n"
        "09:18 Ravi: rolled back\n09:20 Priya: recovered\n[09:21] Ravi: closing\n"
    )
    transcript = parse_transcript(text)
    assert [m.author for m in transcript.messages] == [
        "Priya",
        "Ravi",
        "Priya",
        "Ravi",
        "Priya",
        "Ravi",
    ]
    assert transcript.ingest is not None and transcript.ingest.mixed_with == ["plain-inline"]


def test_no_timestamps_at_all_gets_its_own_message() -> None:
    with pytest.raises(TranscriptFormatError, match="no line has a timestamp"):
        parse_transcript("Note: checkout is down\nwe rolled back\n")


def test_public_timelines_attribute_actors() -> None:
    transcript = parse_export(FORMATS / "public" / "miraheze-2018-08-31-timedmediahandler.txt")
    assert transcript.format == "incident-timeline"
    assert transcript.participants == ["MacFan4000", "Paladox", "John"]
