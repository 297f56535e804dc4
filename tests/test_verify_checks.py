"""Each check, one table row per behaviour: hard checks decide (a failed one is unsupported or
contradicted), soft signals only ask (the claim is unconfirmed without a judge)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.models import Transcript
from app.verify import split_claims
from app.verify.assessment import assess_claim
from app.verify.quantities import figures
from app.verify.source import SourceIndex
from app.verify.times import clock_times, time_ranges
from tests.claim_checks import check

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_transcript((DATA / "seed_000_checkout_chat.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> Transcript:
    return parse_transcript((DATA / "verify" / "catalog_down_chat.txt").read_text("utf-8"))


@pytest.mark.parametrize(
    ("claim", "status", "check_label"),
    [
        # times: 12/24h, the message's own time or a time written next to the same event
        (
            "At 9:18 AM Ravi started the rollback to the 9:00 AM stable build.",
            "supported",
            "times:pass",
        ),
        ("The rollback started at 09:18.", "supported", "times:pass"),
        ("The bad deployment went out at 9:10 AM.", "supported", "times:pass"),
        ("Alerts fired at 09:10 for checkout errors.", "contradicted", "times:contradicted"),
        ("The database was restarted at 08:45.", "unsupported", "times:unsupported"),
        # a cited message decides: its own time or any time written in it
        ("The rollback started at 09:14. [m9]", "contradicted", "times:contradicted"),
        ("The deployment went out at 09:10. [m1]", "supported", "times:pass"),
        # figures: normalised; another value for the same thing contradicts
        ("Checkout errors spiked to 45%.", "supported", "figures:pass"),
        ("Checkout errors spiked to 0.45 of requests.", "supported", "figures:pass"),
        ("Checkout errors spiked to 45 percent.", "supported", "figures:pass"),
        ("Checkout latency rose from 120ms to 1500ms.", "supported", "figures:pass"),
        ("Checkout errors spiked to 60%.", "contradicted", "figures:contradicted"),
        ("About 2,300 orders were lost.", "unsupported", "figures:unsupported"),
        (
            "The service handles thousands of transactions daily.",
            "unsupported",
            "figures:unsupported",
        ),
        # durations: stated, the claim's own range, or computed from timestamps
        ("The incident was resolved in 13 minutes.", "supported", "figures:pass"),
        ("The rollback took about 3 minutes, from 09:18 to 09:21.", "supported", "figures:pass"),
        (
            "The rollback took 9 minutes, from 09:18 to 09:21.",
            "contradicted",
            "figures:contradicted",
        ),
        ("The incident was resolved in 45 minutes.", "contradicted", "figures:contradicted"),
        # identifiers and names occur in the chat
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
        (
            "The checkout pods were moved to a larger Kubernetes node pool.",
            "unsupported",
            "names:unsupported",
        ),
        # people and owners
        ("Ravi started the rollback.", "supported", "people:pass"),
        ("Alex started the rollback.", "contradicted", "people:contradicted"),
        ("Priya will update the runbook.", "supported", "owner:pass"),
        ("Ravi will update the runbook.", "contradicted", "owner:contradicted"),
        ("Alex owns the env var validation in CI/CD.", "supported", "owner:pass"),
        ("Sara owns the payment gateway health check.", "contradicted", "owner:contradicted"),
        # polarity: hard against a cited message or, citing nothing, against a clause that
        # names the same identifier; a soft signal otherwise
        ("No other services were affected.", "supported", "polarity:pass"),
        ("catalog-service was also affected. [m5]", "contradicted", "polarity:contradicted"),
        ("catalog-service was also affected.", "contradicted", "polarity:contradicted"),
        ("Support was not told.", "unconfirmed", "polarity:flag"),
        # "all": a partial figure for the same thing contradicts it; otherwise it only asks
        ("All checkout requests failed.", "contradicted", "quantifiers:contradicted"),
        ("Every customer was notified by email.", "unconfirmed", "quantifiers:flag"),
        # done versus planned: hard against a cited plan with the same verb
        # a plan ("I'll run load tests") is no "not done": it may have happened since (issue 8)
        ("Load tests have been run on staging. [m19]", "unconfirmed", "done:flag"),
        ("Load tests have been run on staging.", "unconfirmed", "done:flag"),
        ("The support team was notified.", "supported", "done:pass"),
        # placeholders and citations
        ("Revenue impact: $[amount]", "unsupported", "placeholders:unsupported"),
        ("Approximately XX checkouts failed.", "unsupported", "placeholders:unsupported"),
        ("Only checkout-service is impacted. [m5, m99]", "unsupported", "citations:unsupported"),
        # words the chat never uses: a soft signal
        ("Engineers coordinated closely across several channels.", "unconfirmed", "novelty:flag"),
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
        ("No other services were affected. [m2]", "contradicted"),
        ("catalog-service was also down.", "supported"),
        ("Failover finished at 10:05.", "supported"),
        ("Both services recovered at 10:09 with a 0.4% error rate.", "supported"),
        ("Both services recovered at 10:09 with a 4% error rate.", "contradicted"),
        ("Leo will add a replica health alert.", "contradicted"),
        ("Mia will add a replica health alert.", "supported"),
        # a request ("can you write the failover runbook?") is no "not done": it asks (issue 8)
        ("The failover runbook has been written. [m6]", "unconfirmed"),
        ("Services now read from products-db-3. [m3]", "contradicted"),
    ],
)
def test_checks_on_second_chat(catalog: Transcript, claim: str, status: str) -> None:
    verdict = check(claim, catalog)
    assert verdict.status == status, verdict.reason


def test_a_contradiction_names_the_message(seed: Transcript) -> None:
    verdict = check("Checkout errors spiked to 60%.", seed)
    assert verdict.evidence == [1]
    assert "45%" in verdict.reason and "m1" in verdict.reason


def test_a_claim_the_rules_cannot_confirm_ships_as_unconfirmed(seed: Transcript) -> None:
    verdict = check("Engineers coordinated closely across several channels.", seed)
    assert verdict.status == "unconfirmed"
    assert verdict.reason.startswith("not confirmed by the rules")


def test_open_claims_have_no_status_and_candidates(seed: Transcript) -> None:
    claim = split_claims("The rollback restored checkout for shoppers quickly.")[0]
    assessment = assess_claim(claim, SourceIndex(seed))
    assert assessment.status is None and not assessment.settled
    assert assessment.candidates


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("45%", "ratio", 0.45),
        ("45 percent", "ratio", 0.45),
        ("0.62", "count", 0.62),
        ("1.5s", "duration", 1.5),
        ("1500ms", "duration", 1.5),
        ("5m12s", "duration", 312),
        ("2,300", "count", 2300),
        ("2.3k", "count", 2300),
        ("~90M rows", "count", 90_000_000),
        ("a 90M-row table", "count", 90_000_000),
        ("13-minute", "duration", 780),
        ("within 13 minutes", "duration", 780),
        ("half an hour", "duration", 1800),
        ("flood of 500s", "count", 500),
        ("20+ seconds", "duration", 20),
        ("thirteen minutes", "duration", 780),
        ("8x normal", "factor", 8),
        ("tripled", "factor", 3),
        ("180 GB", "size", 180e9),
        ("$4,200", "money", 4200),
        ("roughly half of reads", "ratio", 0.5),
    ],
)
def test_figures_normalise(text: str, kind: str, value: float) -> None:
    found = figures(text)
    assert [(f.kind, round(f.value, 6)) for f in found] == [(kind, value)]


@pytest.mark.parametrize(
    ("one", "other", "same"),
    [
        ("45%", "0.45", True),
        ("2,300", "2.3k", True),
        ("~90M rows", "90M-row", True),
        ("2048MB", "2 GB", True),
        ("roughly half", "48%", True),
        ("about 40 minutes", "38 min", True),
        ("45%", "25%", False),
        ("5M messages", "1.2M messages", False),
        ("4.2s", "4.5s", False),
    ],
)
def test_equal_figures_compare_equal(one: str, other: str, same: bool) -> None:
    (a,), (b,) = figures(one), figures(other)
    assert a.same(b) is same


@pytest.mark.parametrize(
    "text",
    ["at 9:10 AM we shipped v2.4.1 and closed #3", "on 2025-02-30", "24/7 support", "the 1st page"],
)
def test_times_versions_dates_and_ordinals_are_not_figures(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    ("text", "times", "ranges"),
    [
        ("since 13:58", ["13:58"], 0),
        ("the 2:55 PM deploy", ["14:55"], 0),
        ("14:02-14:10", ["14:02", "14:10"], 1),
        ("from 13:58 to 14:21", ["13:58", "14:21"], 1),
        ("between 2:00 and 2:16 PM", ["14:00", "14:16"], 1),
        ("from 2:01 PM until the gateway refresh at 2:21 PM", ["14:01", "14:21"], 1),
        ("9 AM, then 21:05", ["09:00", "21:05"], 0),
    ],
)
def test_clock_times_and_ranges(text: str, times: list[str], ranges: int) -> None:
    found = clock_times(text)
    assert [t.value for t in found] == times
    assert len(time_ranges(text, found)) == ranges


def test_a_bare_12_hour_time_stands_for_both_readings() -> None:
    (written,) = clock_times("sessions from before 2:00 kept working")
    assert written.ambiguous and set(written.values) == {"02:00", "14:00"}
