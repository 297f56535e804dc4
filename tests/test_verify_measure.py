"""The checker measured on planted-error cases (eval/checker/cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.verify.measure import CaseError, align, load_case, measure_checker

CASES = Path(__file__).parent.parent / "eval" / "checker" / "cases"

# Five drafts against four transcripts (one in our own draft format, with citations), 41 planted
# errors of 10 kinds and 47 true claims.
# At 0.85 a regression of two or three verdicts in either direction fails the test, while a
# single borderline paraphrase does not; every kind must still be caught at least once.
MIN_PRECISION = 0.85
MIN_RECALL = 0.85
KINDS = {
    "wrong_time",
    "wrong_figure",
    "wrong_owner",
    "negation",
    "invented_entity",
    "placeholder",
    "done_vs_planned",
    "quantifier",
    "wrong_duration",
    "bad_citation",
}


def test_cases_pair_every_claim_with_one_label() -> None:
    paths = sorted(CASES.glob("*.json"))
    assert len(paths) >= 4
    for path in paths:
        case, _, claims = load_case(path)
        assert len(align(case, claims, path.name)) == len(claims)


def test_precision_and_recall_on_planted_errors() -> None:
    score = measure_checker(CASES)
    assert score.precision >= MIN_PRECISION, score.mistakes
    assert score.recall >= MIN_RECALL, score.mistakes
    assert set(score.per_kind) == KINDS
    assert all(count.flagged >= 1 for count in score.per_kind.values()), score.per_kind


def test_misaligned_case_is_an_error() -> None:
    case, _, claims = load_case(CASES / "kafka_consumer_lag.json")
    case.claims = case.claims[:-1]
    with pytest.raises(CaseError, match="without an expectation"):
        align(case, claims, "kafka")
