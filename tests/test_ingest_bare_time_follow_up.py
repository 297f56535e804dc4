"""A bare time line under a one-word line, in a chat whose headers show AM/PM, is a follow-up post
by the same author; the one-word line ends the message above (it is not a name)."""

from __future__ import annotations

import pytest

from app.ingest import parse_transcript

_CHAT = """Mei Tanaka  9:40 PM
restarting the consumer group now
Oskar Lind  9:41 PM
lag still climbing on partition 7
Mei Tanaka  9:44 PM
kafka-consumer-groups --reset-offsets --to-latest --execute
{last}
9:46
lag back to 0 on every partition
Oskar Lind  9:47 PM
confirmed from the dashboard
"""


@pytest.mark.parametrize("last", ["DONE", "ok", "Reset", "finished"])
def test_one_word_line_above_a_bare_time_stays_in_the_message(last: str) -> None:
    messages = parse_transcript(_CHAT.format(last=last)).messages
    assert [(m.author, m.time) for m in messages] == [
        ("Mei Tanaka", "21:40"),
        ("Oskar Lind", "21:41"),
        ("Mei Tanaka", "21:44"),
        ("Mei Tanaka", "21:46"),
        ("Oskar Lind", "21:47"),
    ]
    assert messages[2].text.endswith(f"\n{last}")
    assert messages[3].text == "lag back to 0 on every partition"


def test_a_thread_pane_with_am_pm_times_keeps_its_name_lines() -> None:
    pane = (
        "Noor Haddad\n11:02 AM\nis the retry storm over?\n"
        "Leo Brandt\n11:04 AM\nyes, queue drained\n"
    )
    messages = parse_transcript(pane).messages
    assert [(m.author, m.time, m.text) for m in messages] == [
        ("Noor Haddad", "11:02", "is the retry storm over?"),
        ("Leo Brandt", "11:04", "yes, queue drained"),
    ]


def test_a_24_hour_chat_keeps_name_lines_above_bare_times() -> None:
    pane = "Noor Haddad\n23:02\nis the retry storm over?\nLeo Brandt\n23:04\nyes, queue drained\n"
    messages = parse_transcript(pane).messages
    assert [(m.author, m.time) for m in messages] == [
        ("Noor Haddad", "23:02"),
        ("Leo Brandt", "23:04"),
    ]


def test_a_known_author_above_a_bare_time_keeps_the_post() -> None:
    # the name line names someone who posts elsewhere in the chat: it is their header, and
    # folding it into the message above would give their post to the previous author
    chat = _CHAT.replace("{last}\n", "Oskar Lind\n")
    messages = parse_transcript(chat).messages
    assert [m.author for m in messages] == [
        "Mei Tanaka", "Oskar Lind", "Mei Tanaka", "Oskar Lind", "Oskar Lind",
    ]  # fmt: skip
    assert messages[2].text == "kafka-consumer-groups --reset-offsets --to-latest --execute"
    assert messages[3].text == "lag back to 0 on every partition"
