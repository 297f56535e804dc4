"""A chat that repeats a text (a bot's alert, an ack, a paste) is read once per distinct text by
the checker's index and by redaction: each message still gets exactly what it would alone."""

from __future__ import annotations

from app.ingest import parse_transcript
from app.redact import redact_transcript
from app.verify.source import SourceIndex

ALERT = "checkout-api errors at 45% since 10:02, p99 1.2s (from 10:02 to 10:09)"
CHAT = f"""[10:03] Nina
{ALERT}
[10:04] Ben
{ALERT}
[10:05] Ben
looking
[10:06] Nina
{ALERT}
"""


def _alone(author: str, text: str) -> SourceIndex:
    return SourceIndex(parse_transcript(f"[10:03] {author}\n{text}\n"))


def test_each_copy_of_a_repeated_text_is_indexed_as_if_alone() -> None:
    index = SourceIndex(parse_transcript(CHAT))
    copies = [index.docs[mid] for mid in (1, 2, 4)]
    for doc in copies:
        alone = _alone(doc.message.author or "", doc.message.text).docs[1]
        assert doc.term_counts == alone.term_counts  # the author's own name, not the other's
        assert doc.words == alone.words
        assert doc.figures == alone.figures
        assert doc.times == alone.times
    assert "nina" in copies[0].term_counts and "ben" not in copies[0].term_counts
    assert "ben" in copies[1].term_counts and "nina" not in copies[1].term_counts
    # every copy is filed under its figures, times and range, each its own message
    ratio = next(f for f in copies[0].figures if f.kind == "ratio")
    assert [mid for mid, _ in index.figure_holders(ratio)] == [1, 2, 4]
    assert [m.message_id for m in index.time_mentions["10:02"]] == [1, 1, 2, 2, 4, 4]  # twice each
    assert index.ranges[7] == [1, 2, 4]
    # the documents do not share what a check could change
    copies[0].term_counts["nina"] += 1
    copies[0].figures.clear()
    assert copies[2].term_counts == _alone("Nina", ALERT).docs[1].term_counts
    assert copies[2].figures


def test_a_repeated_secret_is_redacted_in_every_copy_with_a_finding_each() -> None:
    secret = "ghp_" + "R8nX2kLq9ZtW4vPm7YcB3sDf6HjK1aGe5NuQ"
    paste = f"token={secret}"
    chat = f"[10:00] Nina\n{paste}\n[10:01] Ben\n{paste}\n[10:02] Nina\nok\n[10:03] Ben\n{paste}\n"
    redaction = redact_transcript(parse_transcript(chat))
    texts = [m.text for m in redaction.transcript.messages]
    assert all(secret not in text for text in texts)
    assert texts[0] == texts[1] == texts[3] != paste
    assert sorted(f.message_id or 0 for f in redaction.findings) == [1, 2, 4]
    alone = redact_transcript(parse_transcript(f"[10:00] Nina\n{paste}\n"))
    assert texts[0] == alone.transcript.messages[0].text
    assert [f.kind for f in redaction.findings] == [alone.findings[0].kind] * 3
