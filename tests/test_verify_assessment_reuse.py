"""A draft's passes over one chat assess each claim once, and reuse answers like fresh ones."""

from __future__ import annotations

import pytest

from app.ingest import parse_transcript
from app.verify import checker
from app.verify.checker import assess_all
from app.verify.claims import Claim
from app.verify.source import SourceIndex

CHAT = """[10:00] Nina
checkout errors at 45% after the deploy
[10:05] Ben
rolled back, errors at 2%
[10:09] Nina
recovered, took 5m12s
"""

CLAIMS = [
    Claim(text="Errors reached 45% at 10:00.", evidence=[1]),
    Claim(text="Ben rolled back and errors fell to 3%.", evidence=[2]),
    Claim(text="Recovery took 5m12s.", evidence=[3]),
]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = checker.assess_claim

    def counted(claim: Claim, source: SourceIndex, *, retrieve: bool = True) -> object:
        calls.append(claim.text)
        return real(claim, source, retrieve=retrieve)

    monkeypatch.setattr(checker, "assess_claim", counted)
    return calls


def test_a_second_pass_over_the_same_chat_assesses_nothing_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting(monkeypatch)
    source = SourceIndex.of(parse_transcript(CHAT))
    first = assess_all([(c, True) for c in CLAIMS], source)
    again = assess_all([(c.model_copy(), True) for c in CLAIMS], SourceIndex.of(source.transcript))
    assert len(calls) == len(CLAIMS)
    assert again == first
    assert [a.status for a in first][1] in {"contradicted", "unsupported"}
    # A claim that differs in any field, or asked without retrieval, is assessed afresh.
    changed = CLAIMS[0].model_copy(update={"evidence": [2]})
    assess_all([(changed, True), (CLAIMS[1], False)], source)
    assert len(calls) == len(CLAIMS) + 2


def test_a_reused_assessment_is_the_fresh_one_with_lists_of_its_own() -> None:
    transcript = parse_transcript(CHAT)
    source = SourceIndex.of(transcript)
    first = assess_all([(c, True) for c in CLAIMS], source)
    for assessment in first:  # a caller changing what it got changes nothing kept
        assessment.evidence.append(99)
        assessment.checks.append("changed")
        assessment.candidates.clear()
    again = assess_all([(c, True) for c in CLAIMS], source)
    assert all(a.claim is c for a, c in zip(again, CLAIMS, strict=True))
    SourceIndex._kept.clear()
    fresh = assess_all([(c, True) for c in CLAIMS], SourceIndex.of(transcript))
    assert again == fresh
    assert all(99 not in a.evidence and "changed" not in a.checks for a in again)
