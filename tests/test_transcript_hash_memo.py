"""`transcript_hash` is kept per transcript and always equals the hash of its current dump."""

from __future__ import annotations

import datetime as dt
import hashlib

from app.ingest import parse_transcript
from app.llm import cache
from app.llm.cache import transcript_hash
from app.models import Transcript

CHAT = "[09:14] Priya\nerrors up\n[09:15] Ravi\nlooking\n[09:16] Priya\nrolled back\n"


def dumped(transcript: Transcript) -> str:
    return hashlib.sha256(transcript.model_dump_json().encode("utf-8")).hexdigest()


def test_the_snapshot_reads_every_field_of_the_transcript() -> None:
    transcript = parse_transcript(CHAT)
    state = cache._hash_state(transcript)
    assert len(state) == 1 + len(Transcript.model_fields)  # the type, then each field
    assert list(Transcript.model_fields) == [
        "format", "messages", "date", "timezone", "warnings", "ingest",
    ]  # fmt: skip


def test_every_change_in_place_is_hashed_again() -> None:
    transcript = parse_transcript(CHAT)
    seen = {transcript_hash(transcript)}
    assert transcript_hash(transcript) == dumped(transcript)
    changes = [
        lambda t: t.messages.__setitem__(1, t.messages[1].model_copy(update={"text": "fixed"})),
        lambda t: t.messages.append(t.messages[0].model_copy(update={"id": 4})),
        lambda t: t.warnings.append("a warning"),
        lambda t: setattr(t, "format", "irc"),
        lambda t: setattr(t, "date", dt.date(2026, 12, 1)),
        lambda t: setattr(t, "timezone", "Europe/Berlin"),
        lambda t: setattr(t.ingest, "messages", 99),
    ]
    for change in changes:
        change(transcript)
        now = transcript_hash(transcript)
        assert now == dumped(transcript)
        assert now not in seen
        seen.add(now)


def test_an_equal_copy_hashes_the_same_and_a_changed_copy_does_not() -> None:
    transcript = parse_transcript(CHAT)
    first = transcript_hash(transcript)
    assert transcript_hash(parse_transcript(CHAT)) == first
    shorter = transcript.model_copy(update={"messages": transcript.messages[:2]})
    assert transcript_hash(shorter) == dumped(shorter) != first
    assert transcript_hash(transcript) == first


def test_an_equal_message_that_dumps_differently_is_hashed_again() -> None:
    # aware datetimes of one instant compare equal in any UTC offset, but dump their offset
    transcript = parse_transcript(CHAT)
    utc = dt.datetime(2026, 12, 1, 9, 14, tzinfo=dt.UTC)
    transcript.messages[0] = transcript.messages[0].model_copy(update={"timestamp": utc})
    first = transcript_hash(transcript)
    berlin = utc.astimezone(dt.timezone(dt.timedelta(hours=1)))
    transcript.messages[0] = transcript.messages[0].model_copy(update={"timestamp": berlin})
    assert transcript_hash(transcript) == dumped(transcript) != first
