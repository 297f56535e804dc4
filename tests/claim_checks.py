"""Helpers for the checker's rule tests: a bracket chat built from (time, author, text) triples,
and the verdict on a one-claim draft."""

from __future__ import annotations

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import ClaimVerdict, verify_draft

FAILED = ("unsupported", "contradicted")


def chat(*messages: tuple[str, str, str]) -> Transcript:
    """A chat of `[HH:MM] author` headers, one message per triple."""
    return parse_transcript("\n\n".join(f"[{time}] {who}\n{text}" for time, who, text in messages))


def check(claim: str, transcript: Transcript) -> ClaimVerdict:
    """The verdict on `claim`, which must split into exactly one claim."""
    report = verify_draft(claim, transcript)
    assert len(report.claims) == 1, [c.text for c in report.claims]
    return report.claims[0]
