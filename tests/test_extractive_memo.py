"""The offline engine's speed-ups change no answer: memos are emptied, gates never miss."""

from __future__ import annotations

import random

from app.engines.extractive import extract_report, memo
from app.engines.extractive.text import _TRAILING_CHATTER, _without_chatter
from app.ingest import parse_transcript

_PIECES = [
    "lol", "LOL", "btw", "BTW", "fwiw", "tbh", "fyi", "haha", "imo", "ugh", "İmo", "ımo",
    "\U0001f525", "\u2705", "\u2728", " ", "  ", "\n", "\t", "\u00a0", ",", ";", ".", "!", "?",
    "…", "-", "the fix", "rollback", "x", "olol", "lolx", "_lol", "9", "é",
]  # fmt: skip


def test_the_chatter_gate_never_skips_a_text_the_pattern_changes() -> None:
    pick = random.Random(12)
    for _ in range(20000):
        text = "".join(pick.choice(_PIECES) for _ in range(pick.randint(0, 7)))
        assert _without_chatter(text) == _TRAILING_CHATTER.sub("", text), repr(text)


def test_an_extraction_leaves_no_memo_behind_and_repeats_itself() -> None:
    transcript = parse_transcript(
        "[09:02] Priya\ncheckout is down, 45% errors lol\n\n"
        "[09:04] Ravi\nrolling back the 9:00 deploy now\n\n"
        "[09:10] Ravi\nerror rates back to normal btw 🎉\n"
    )
    first = extract_report(transcript)
    assert all(not table for table in memo._TABLES)
    again = extract_report(transcript)
    assert first.report.model_dump_json() == again.report.model_dump_json()
    assert first.warnings == again.warnings


def test_the_signal_memo_tells_a_message_opening_sign_from_a_later_one() -> None:
    """`_signal` reads whether the sentence opens its message (an alarm sign there raises the
    alarm): the same words later in another message must not take the first one's answer."""
    from app.engines.extractive.chat import Sentence
    from app.engines.extractive.detection import _reads_as_signal, _signal
    from app.models import Message

    raw = "🚨 possible credential leak, keep it in this thread pls"
    first = Message(id=1, time="09:00", author="Priya", text=raw, line_start=1, line_end=1)
    later = Message(
        id=2, time="09:05", author="Priya", text="heads up. " + raw, line_start=2, line_end=2
    )
    opening, inside = Sentence(first, 0, raw, raw), Sentence(later, 1, raw, raw)
    assert _reads_as_signal(opening) != _reads_as_signal(inside)  # the case this guards
    try:
        for order in ((opening, inside), (inside, opening)):
            memo.forget()
            for sentence in order:
                assert _signal(sentence) == _reads_as_signal(sentence), sentence.index
    finally:
        memo.forget()
