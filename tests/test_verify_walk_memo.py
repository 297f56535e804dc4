"""The follow-up walk skips what it read before only where reading it again changes nothing.

`find_follow_ups` remembers the clauses and messages (by text and author) whose reading is inert
whatever the walk holds (`_Walk.inert_clauses`, `inert_messages`): the walk with that memory
must find exactly the follow-ups of a walk that reads every clause, on the fixtures, the dev
chats, a long replayed chat, and chats that repeat requests, acceptances, proposals and
deferrals at every distance.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.errors import TranscriptFormatError
from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import assignments
from app.verify.assignments import FollowUp, find_follow_ups
from app.verify.people import PeopleIndex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_verify import build_chat  # noqa: E402


class _Forgetful(set[tuple[str, str | None]]):
    """A memory that keeps nothing."""

    def add(self, item: tuple[str, str | None]) -> None:
        pass


@dataclass
class _ReadsEverything(assignments._Walk):
    inert_clauses: set[tuple[str, str | None]] = field(default_factory=_Forgetful)
    inert_messages: set[tuple[str, str | None]] = field(default_factory=_Forgetful)


def _both(transcript: Transcript, monkeypatch: pytest.MonkeyPatch) -> tuple[list[FollowUp], ...]:
    people = PeopleIndex.of(transcript.participants)
    remembered = find_follow_ups(transcript.messages, people)
    with monkeypatch.context() as patched:
        patched.setattr(assignments, "_Walk", _ReadsEverything)
        every = find_follow_ups(transcript.messages, PeopleIndex.of(transcript.participants))
    return remembered, every


def _chats() -> list[str]:
    texts = [p.read_text("utf-8-sig") for p in sorted((ROOT / "tests" / "data").rglob("*.txt"))]
    for gold in sorted((ROOT / "eval" / "incidents").glob("*/gold.json")):
        if json.loads(gold.read_text("utf-8")).get("split") != "dev":
            continue  # (test-split chats are never read)
        texts += [p.read_text("utf-8") for p in sorted(gold.parent.glob("transcript.*"))]
    return texts


_LINES = [
    ("Ana", "Ben, can you add the disk alert?"),
    ("Ben", "sure"),
    ("Ben", "on it"),
    ("Cleo", "we should add a runbook for the failover"),
    ("Ana", "I'll take it"),
    ("Ben", "that's mine"),
    ("Cleo", "Ben can you take that one?"),
    ("Ana", "not me, later"),
    ("Ben", "leaving the contract tests unassigned"),
    ("Cleo", "follow-ups:"),
    ("Ana", "1. rotate the keys"),
    ("Ben", "2. pin the client version"),
    ("Cleo", "I'll do 2"),
    ("Ana", "runbook: Cleo"),
    ("Ben", "the error rate is back to normal."),
    ("Cleo", "ok"),
    ("Ana", "deploy finished"),
    ("Ben", "nobody owns the dashboards yet"),
    ("Ana", "Ben, 2?"),  # an item by number: what it does depends on the list
    ("Cleo", "Ana 1 then"),
]


def _shuffled_chat(seed: int) -> str:
    picked = random.Random(seed).choices(_LINES, k=300)
    return "\n".join(
        f"[{9 + i // 60:02d}:{i % 60:02d}] {who}\n{text}" for i, (who, text) in enumerate(picked)
    )


def test_the_memory_changes_no_follow_up_on_the_fixtures_and_dev_chats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compared = 0
    for text in _chats():
        try:
            transcript = parse_transcript(text)
        except TranscriptFormatError:
            continue  # (the fixtures of refused inputs)
        remembered, every = _both(transcript, monkeypatch)
        assert remembered == every
        compared += bool(every)
    assert compared > 20


def test_the_memory_changes_no_follow_up_on_repeated_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = 0
    for chat in [build_chat(2000)] + [_shuffled_chat(seed) for seed in range(8)]:
        remembered, every = _both(parse_transcript(chat), monkeypatch)
        assert remembered == every
        found += len(every)
    assert found > 100


def test_inert_texts_are_remembered_and_active_ones_are_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    walks: list[assignments._Walk] = []

    @dataclass
    class _Kept(assignments._Walk):
        def __post_init__(self) -> None:
            walks.append(self)

    transcript = parse_transcript(_shuffled_chat(0))
    monkeypatch.setattr(assignments, "_Walk", _Kept)
    find_follow_ups(transcript.messages, PeopleIndex.of(transcript.participants))
    (walk,) = walks
    texts = {text for text, _ in walk.inert_messages}
    assert "the error rate is back to normal." in texts
    assert "deploy finished" in texts
    for active in ("we should add a runbook for the failover", "I'll take it", "I'll do 2"):
        assert active not in texts
    assert ("Ben, can you add the disk alert?", "Ana") not in walk.inert_clauses
