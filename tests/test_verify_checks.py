"""Each deterministic check, one table row per behaviour (seed chat and a small second chat)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import ClaimVerdict, split_claims, verify_draft
from app.verify.checker import assess_claim
from app.verify.quantities import figures
from app.verify.source import SourceIndex

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_transcript((DATA / "seed_000_checkout_chat.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> Transcript:
    return parse_transcript((DATA / "verify" / "catalog_down_chat.txt").read_text("utf-8"))


def check(claim: str, transcript: Transcript) -> ClaimVerdict:
    report = verify_draft(claim, transcript)
    assert len(report.claims) == 1, [c.text for c in report.claims]
    return report.claims[0]


@pytest.mark.parametrize(
    ("claim", "status", "check_label"),
    [
        # times: 12/24h, message time or a time written next to the same event
        (
            "At 9:18 AM Ravi started the rollback to the 9:00 AM stable build.",
            "supported",
            "times:pass",
        ),
        ("The rollback started at 09:18.", "supported", "times:pass"),
        ("The rollback started at 09:14.", "contradicted", "times:contradicted"),
        ("The bad deployment went out at 9:10 AM.", "supported", "times:pass"),
        ("Alerts fired at 09:10 for checkout errors.", "contradicted", "times:contradicted"),
        ("The database was restarted at 08:45.", "unsupported", "times:unsupported"),
        # figures: normalised, same quantity with another value contradicts
        ("Checkout errors spiked to 45%.", "supported", "figures:pass"),
        ("Checkout errors spiked to 0.45 of requests.", "supported", "figures:pass"),
        ("Checkout latency rose from 120ms to 1500ms.", "supported", "figures:pass"),
        ("Checkout errors spiked to 60%.", "contradicted", "figures:contradicted"),
        ("About 2,300 orders were lost.", "unsupported", "figures:unsupported"),
        # durations: stated, or computed from timestamps
        ("The incident was resolved in 13 minutes.", "supported", "figures:pass"),
        ("The rollback took about 3 minutes, from 09:18 to 09:21.", "supported", "figures:pass"),
        ("The incident was resolved in 45 minutes.", "contradicted", "figures:contradicted"),
        # identifiers
        (
            "Logs showed ConnectionRefusedError for payment-gateway.internal.",
            "supported",
            "identifiers:pass",
        ),
        (
            "Logs showed ConnectionResetError for payment-gateway.internal.",
            "contradicted",
            "identifiers:contradicted",
        ),
        ("The billing-service was restarted.", "unsupported", "identifiers:unsupported"),
        # people and owners
        ("Ravi started the rollback.", "supported", "people:pass"),
        ("Alex started the rollback.", "contradicted", "people:contradicted"),
        ("Priya will update the runbook.", "supported", "people:pass"),
        ("Ravi will update the runbook.", "contradicted", "people:contradicted"),
        ("Alex owns the env var validation in CI/CD.", "supported", "people:pass"),
        ("Sara owns the payment gateway health check.", "contradicted", "people:contradicted"),
        # polarity
        ("No other services were affected.", "supported", "polarity:pass"),
        ("catalog-service was also affected.", "contradicted", "polarity:contradicted"),
        # strong quantifiers
        ("All checkout requests failed.", "contradicted", "quantifiers:contradicted"),
        ("Every customer was notified by email.", "unsupported", "quantifiers:unsupported"),
        # done versus planned
        ("Load tests have been run on staging.", "unsupported", "done:unsupported"),
        (
            "A deploy-script check for missing env vars has been added.",
            "unsupported",
            "done:unsupported",
        ),
        ("The support team was notified.", "supported", "done:pass"),
        # placeholders and novelty
        ("Revenue impact: $[amount]", "unsupported", "placeholders:unsupported"),
        ("Approximately XX checkouts failed.", "unsupported", "placeholders:unsupported"),
        (
            "The service handles thousands of transactions daily.",
            "unsupported",
            "novelty:unsupported",
        ),
    ],
)
def test_check_on_seed(seed: Transcript, claim: str, status: str, check_label: str) -> None:
    verdict = check(claim, seed)
    assert verdict.status == status, verdict.reason
    assert check_label in verdict.checks, verdict.checks
    assert verdict.reason


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        ("No other services were affected.", "contradicted"),
        ("catalog-service was also down.", "supported"),
        ("Failover finished at 10:05.", "supported"),
        ("Both services recovered at 10:09 with a 0.4% error rate.", "supported"),
        ("Both services recovered at 10:09 with a 4% error rate.", "contradicted"),
        ("Leo will add a replica health alert.", "contradicted"),
        ("Mia will add a replica health alert.", "supported"),
        ("The failover runbook has been written.", "unsupported"),
        ("Services now read from products-db-3.", "contradicted"),
    ],
)
def test_checks_on_second_chat(catalog: Transcript, claim: str, status: str) -> None:
    verdict = check(claim, catalog)
    assert verdict.status == status, verdict.reason


def test_contradiction_cites_the_message(seed: Transcript) -> None:
    verdict = check("Checkout errors spiked to 60%.", seed)
    assert verdict.evidence == [1]
    assert "45%" in verdict.reason


def test_unsettled_claims_default_to_unsupported(seed: Transcript) -> None:
    verdict = check("Engineers coordinated closely across several channels.", seed)
    assert verdict.status == "unsupported"
    assert "not settled by the rules" in verdict.reason or "never mentions" in verdict.reason


def test_unsettled_is_none_in_assessment(seed: Transcript) -> None:
    claim = split_claims("The rollback restored checkout for shoppers quickly.")[0]
    assessment = assess_claim(claim, SourceIndex(seed))
    assert assessment.status is None
    assert assessment.candidates


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("45%", "ratio", 0.45),
        ("0.62", "count", 0.62),
        ("1.5s", "duration", 1.5),
        ("1500ms", "duration", 1.5),
        ("2,300", "count", 2300),
        ("2.3k", "count", 2300),
        ("13-minute", "duration", 780),
        ("within 13 minutes", "duration", 780),
        ("flood of 500s", "count", 500),
        ("20+ seconds", "duration", 20),
        ("thirteen minutes", "duration", 780),
    ],
)
def test_figures_normalise(text: str, kind: str, value: float) -> None:
    found = figures(text)
    assert [(f.kind, round(f.value, 6)) for f in found] == [(kind, value)]


def test_times_and_versions_are_not_figures() -> None:
    assert figures("at 9:10 AM we shipped v2.4.1 and closed #3") == []
