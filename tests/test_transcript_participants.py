"""`Transcript.participants` is kept between calls and is never stale."""

from __future__ import annotations

import gc
import pickle

from app import models
from app.ingest import parse_transcript
from app.models import Transcript

CHAT = "[09:14] Priya\nerrors up\n[09:15] Ravi\nlooking\n[09:16] Priya\nrolled back\n"


def fresh(transcript: Transcript) -> list[str]:
    seen: dict[str, None] = {}
    for message in transcript.messages:
        if message.author:
            seen.setdefault(message.author, None)
    return list(seen)


def test_participants_follow_changes_in_place_and_copies() -> None:
    transcript = parse_transcript(CHAT)
    assert transcript.participants == ["Priya", "Ravi"]
    transcript.participants.append("Mallory")  # the caller's list, not the kept one
    assert transcript.participants == ["Priya", "Ravi"]
    transcript.messages[1] = transcript.messages[1].model_copy(update={"author": "Sara"})
    assert transcript.participants == fresh(transcript) == ["Priya", "Sara"]
    transcript.messages.append(transcript.messages[0].model_copy(update={"id": 4, "author": "Al"}))
    assert transcript.participants == ["Priya", "Sara", "Al"]
    copy = transcript.model_copy(update={"messages": transcript.messages[:1]})
    assert copy.participants == ["Priya"]
    assert transcript.participants == ["Priya", "Sara", "Al"]


def test_the_kept_list_changes_nothing_the_model_shows() -> None:
    transcript = parse_transcript(CHAT)
    other = parse_transcript(CHAT)
    before = pickle.dumps(transcript), transcript.model_dump_json()
    assert transcript.participants
    assert (pickle.dumps(transcript), transcript.model_dump_json()) == before
    assert transcript == other
    assert pickle.loads(before[0]).participants == ["Priya", "Ravi"]


def test_an_entry_leaves_with_its_transcript() -> None:
    transcript = parse_transcript(CHAT)
    assert transcript.participants
    key = id(transcript)
    assert key in models._PARTICIPANTS
    del transcript
    gc.collect()
    assert key not in models._PARTICIPANTS
