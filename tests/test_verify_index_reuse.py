"""The checker's index is built once per chat, and never reused for a chat that changed."""

from __future__ import annotations

import pytest

from app.ingest import parse_transcript
from app.verify import verify_draft
from app.verify.quantities import figures
from app.verify.source import SourceIndex

CHAT = """[10:00] Nina
checkout errors at 45% after the deploy
[10:05] Ben
rolled back, errors at 2%
[10:09] Nina
recovered, took 5m12s
"""


def test_equal_chats_share_one_index() -> None:
    first = SourceIndex.of(parse_transcript(CHAT))
    again = SourceIndex.of(parse_transcript(CHAT))  # a new object, equal in every field
    assert again is first


def test_a_chat_changed_in_place_gets_a_new_index() -> None:
    transcript = parse_transcript(CHAT + "[10:20] Ben\nall green\n")
    before = SourceIndex.of(transcript)
    changed = transcript.messages[1].model_copy(update={"text": "rolled back, errors at 9%"})
    transcript.messages[1] = changed
    after = SourceIndex.of(transcript)
    assert after is not before
    assert after.docs[changed.id].message.text == "rolled back, errors at 9%"


def test_the_cached_index_checks_like_a_fresh_one() -> None:
    transcript = parse_transcript(CHAT)
    draft = "Errors reached 45% at 10:00. Ben rolled back and errors fell to 3%."
    cached = verify_draft(draft, transcript)
    SourceIndex._kept.clear()
    fresh = verify_draft(draft, transcript)
    assert cached == fresh
    assert [c.status for c in cached.claims][-1] in {"contradicted", "unsupported"}


def test_a_figure_inside_a_compound_duration_is_counted_once() -> None:
    found = figures("recovered, took 5m12s; then 3 pods")
    assert [f.written for f in found] == ["5m12s", "3"]


def test_postings_ranked_on_first_use_score_as_ranked_up_front() -> None:
    transcript = parse_transcript(CHAT + "[10:20] Ben\nerrors gone, rollback held\n")
    SourceIndex._kept.clear()
    lazy = SourceIndex.of(transcript)
    assert lazy._postings == {}  # nothing ranked until a query asks
    SourceIndex._kept.clear()
    eager = SourceIndex.of(transcript)
    for term in sorted(eager.vocabulary):  # every term ranked, in another order
        eager.idf(term)
    queries = [["error", "rollback"], ["ben", "gone"], ["checkout", "deploy", "45"], ["absent"]]
    for terms in queries:
        assert lazy.search(terms) == eager.search(terms)
        assert [lazy.idf(t) for t in terms] == [eager.idf(t) for t in terms]
    assert lazy.search(["rollback"]) and lazy.search(["error"])  # the queries find messages
    assert lazy.idf("absent") == 0.0 and lazy.search(["absent"]) == []
    assert set(lazy._postings) < lazy.vocabulary  # only the terms asked about were ranked


def test_indexes_are_kept_by_a_budget_of_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small chats stay indexed (a burst runs their rules passes before their verify
    passes); once the budget of messages is spent the oldest go, but never the last two."""
    import app.verify.source as source

    SourceIndex._kept.clear()
    chats = [parse_transcript(CHAT + f"[10:3{i}] Ben\nnote {i}\n") for i in range(8)]
    first = [SourceIndex.of(chat) for chat in chats]
    assert all(SourceIndex.of(chat) is index for chat, index in zip(chats, first, strict=True))
    monkeypatch.setattr(source, "INDEXED_MESSAGES_KEPT", 3 * 4)
    SourceIndex.of(parse_transcript(CHAT + "[11:00] Nina\nlast one\n"))
    assert len(SourceIndex._kept) == 3  # three chats of four messages fill the budget
    assert SourceIndex.of(chats[0]) is not first[0]  # the oldest was dropped
    monkeypatch.setattr(source, "INDEXED_MESSAGES_KEPT", 0)
    SourceIndex.of(chats[1])
    assert len(SourceIndex._kept) == source.INDEXES_KEPT
    SourceIndex._kept.clear()
