"""Seed 001 (a plain-LLM draft) checked against seed 000 (the chat it was written from).

Every invented claim is flagged, never supported. Those whose error is a hard fact (a time, a
figure, a placeholder, "all" against the chat's 45%) fail; those whose error only a reader can see
(tests "added" while the chat has them running, "multiple gateways", a recommendation the chat
never made) are unconfirmed: with a judge they go to it, without one they are reported as such.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.verify import VerificationReport, verify_draft

DATA = Path(__file__).parent / "data"
SEED_CHAT = DATA / "seed_000_checkout_chat.txt"
SEED_LLM_DRAFT = DATA / "seed_001_llm_written_draft.txt"


@pytest.fixture(scope="module")
def report() -> VerificationReport:
    transcript = parse_transcript(SEED_CHAT.read_text(encoding="utf-8"))
    return verify_draft(SEED_LLM_DRAFT.read_text(encoding="utf-8"), transcript)


def verdict_for(report: VerificationReport, fragment: str) -> str:
    hits = [v for v in report.claims if fragment.lower() in v.text.lower()]
    assert len(hits) == 1, f"{fragment!r} matched {[v.text for v in hits]}"
    return hits[0].status


HARD_ERRORS = [
    "thousands of transactions daily",
    "09:10 AM: Monitoring systems detected immediate spike",
    "all payment attempts",
    "[Your Name/Team Name]",
    "On [date]",
    "Estimated revenue impact of $[amount]",
    "Approximately [X] checkout attempts",
    "Support team received [X] customer inquiries",
]
SOFT_ERRORS = [
    "Automated tests have been added to validate the configuration",
    "Implemented additional automated tests for payment gateway connectivity",
    "multiple payment gateways",
    "Implement feature flags",
]


@pytest.mark.parametrize("fragment", HARD_ERRORS)
def test_invented_hard_facts_fail(report: VerificationReport, fragment: str) -> None:
    assert verdict_for(report, fragment) in {"unsupported", "contradicted"}


@pytest.mark.parametrize("fragment", HARD_ERRORS + SOFT_ERRORS)
def test_every_invented_claim_is_flagged(report: VerificationReport, fragment: str) -> None:
    assert verdict_for(report, fragment) != "supported"


@pytest.mark.parametrize(
    "fragment",
    [
        "09:18 AM: Rollback to previous stable build initiated",
        "09:21 AM: Rollback completed",
        "09:22 AM: Error rate fell below 3%",
        "Production environment variables have been updated with the correct configuration",
        "Updated production environment variables with correct payment gateway URLs",
        "We immediately initiated a rollback",
        "resolved within 13 minutes of detection",
    ],
)
def test_supported_claims_pass(report: VerificationReport, fragment: str) -> None:
    assert verdict_for(report, fragment) == "supported"


def test_reasons_say_what_is_wrong(report: VerificationReport) -> None:
    by_text = {v.text: v for v in report.claims}
    detected = next(v for t, v in by_text.items() if t.startswith("09:10 AM: Monitoring"))
    assert detected.status == "contradicted" and "09:14" in detected.reason
    tests_added = next(v for t, v in by_text.items() if t.startswith("Automated tests have"))
    assert "Running automated tests now" in tests_added.reason
    assert tests_added.evidence[0] == 16
    placeholder = next(v for t, v in by_text.items() if t.startswith("[Your Name"))
    assert "unfilled placeholder" in placeholder.reason
    everything = next(v for t, v in by_text.items() if "all payment attempts" in t)
    assert everything.status == "contradicted" and "45%" in everything.reason


def test_tally_and_lines(report: VerificationReport) -> None:
    assert report.supported + report.unconfirmed + report.unsupported + report.contradicted == len(
        report.claims
    )
    assert len(report.failed) == report.unsupported + report.contradicted
    assert all(v.judged_by == "rules" and v.line for v in report.claims)
