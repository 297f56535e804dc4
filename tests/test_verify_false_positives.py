"""Regressions: claims the checker used to flag wrongly, next to the errors it must still catch."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.models import IncidentReport, Transcript
from app.verify import ClaimVerdict, split_claims, verify_draft, verify_report
from app.verify.checker import assess_claim
from app.verify.source import SourceIndex
from app.verify.wording_checks import placeholders
from tests.llm_fakes import seed_report

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_transcript((DATA / "seed_000_checkout_chat.txt").read_text(encoding="utf-8"))


def check(claim: str, transcript: Transcript) -> ClaimVerdict:
    report = verify_draft(claim, transcript)
    assert len(report.claims) == 1, [c.text for c in report.claims]
    return report.claims[0]


def chat(*messages: tuple[str, str, str]) -> Transcript:
    return parse_transcript("\n\n".join(f"[{time}] {who}\n{text}" for time, who, text in messages))


# --- polarity: a denial is contradicted only by the same predicate stated positively ---------

ROOT_CAUSE = "Payment configs moved to a new env var whose prod values were never set."


@pytest.mark.parametrize(
    ("claim", "status"),
    [
        # message 7 never says the values were set; "without updating" denies it too
        (f"{ROOT_CAUSE} [m7]", "supported"),
        (ROOT_CAUSE, "supported"),
        ("The prod env var values were not updated. [m7]", "supported"),
        ("No other services were affected.", "supported"),
        ("catalog-service was also affected.", "contradicted"),
    ],
)
def test_polarity_on_seed(seed: Transcript, claim: str, status: str) -> None:
    verdict = check(claim, seed)
    assert verdict.status == status, verdict.reason


def test_seed_root_cause_passes_in_our_own_report(seed: Transcript) -> None:
    report = IncidentReport.model_validate(seed_report(seed), context={"transcript": seed})
    verdicts = {v.item: v for v in verify_report(report, seed)[1].claims}
    assert verdicts["root_cause"].status == "supported", verdicts["root_cause"].reason


@pytest.mark.parametrize(
    ("claim", "said", "status"),
    [
        ("No other services were affected.", "catalog-service is also down", "contradicted"),
        ("No other services were affected.", "user-service errors too", "contradicted"),
        ("The rollback did not help.", "rollback complete, errors dropping", "contradicted"),
        # both negative: they agree
        ("The alert did not fire.", "the disk alert never fired", "supported"),
        ("The backup job did not run.", "the backup job never ran", "supported"),
        # the same subject, another predicate: no contradiction
        ("The alert did not fire.", "we tuned the disk alert last week", "unsupported"),
        ("The backup job did not run.", "we moved the backup job to a new host", "unsupported"),
    ],
)
def test_polarity_needs_the_same_predicate(claim: str, said: str, status: str) -> None:
    transcript = chat(
        ("10:00", "Ana", "checkout-service is throwing 502s."), ("10:05", "Ben", said)
    )
    verdict = check(claim, transcript)
    assert verdict.status == status, verdict.reason
    if status == "contradicted":
        assert "polarity:contradicted" in verdict.checks and said in verdict.reason
    else:
        assert "polarity:contradicted" not in verdict.checks


# --- times: a real chat time near the topic, weakly linked, goes to the judge -----------------


@pytest.mark.parametrize(
    ("claim", "status", "label"),
    [
        ("A rollback restored service by 09:22.", None, "times:unsettled"),
        ("The database was restarted at 08:45.", "unsupported", "times:unsupported"),
        ("Alerts fired at 09:10 for checkout errors.", "contradicted", "times:contradicted"),
        ("The rollback started at 09:18.", "supported", "times:pass"),
    ],
)
def test_times_near_the_topic(seed: Transcript, claim: str, status: str | None, label: str) -> None:
    assessment = assess_claim(split_claims(claim)[0], SourceIndex(seed))
    assert assessment.status == status, assessment.reason
    assert label in assessment.checks


def test_unsettled_time_says_why_without_a_judge(seed: Transcript) -> None:
    verdict = check("A rollback restored service by 09:22.", seed)
    assert verdict.status == "unsupported"
    assert verdict.reason.startswith("not settled by the rules") and "09:22" in verdict.reason


# --- placeholders: tags, code, links and checkboxes are no template slots -------------------


@pytest.mark.parametrize(
    "text",
    [
        "[FIRING:1] HighErrorRate checkout",
        "[RESOLVED] HighErrorRate checkout",
        "[ERROR] connection refused",
        "[WARN] pool at 90%",
        'this["api"] was undefined',
        'config["db"] pointed at the replica',
        "see the [runbook](https://example.com/runbook)",
        "- [ ] add an alert",
        "- [x] add an alert",
        "- [X] add an alert",
        "the password was [REDACTED:password]",
        "as [m12] and [m1, m7] say",
    ],
)
def test_not_placeholders(text: str) -> None:
    assert placeholders(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("[X]", "[X]"),
        ("[X] customers could not pay", "[X]"),
        ("Revenue impact: $[amount]", "$[amount]"),
        ("On [date] checkout failed", "[date]"),
        ("Prepared by [Your Name/Team Name]", "[Your Name/Team Name]"),
        ("Customer impact: [TBD]", "[TBD]"),
        ("Started at <insert date>", "<insert date>"),
        ("{{customer_count}} customers affected", "{{customer_count}}"),
        ("XX% of requests failed", "XX"),
    ],
)
def test_placeholders(text: str, found: str) -> None:
    assert placeholders(text) == [found]


# --- owners: the person the chat assigned, not whoever posted the list -----------------------

ACTION_LIST = """Action items:
1. Add env var validation to the CI pipeline
2. Add a payment gateway health check before deploys
3. Update the runbook with config verification steps"""
ITEM_2 = "Add a payment gateway health check before deploys"


@pytest.mark.parametrize(
    "taken",
    [
        [("10:31", "Dmitri", "I'll take #2.")],
        [("10:31", "Dmitri", "2 is mine")],
        [("10:31", "Dmitri", "I can do 2")],
        [("10:31", "Sara", "Dmitri, can you handle 2?"), ("10:32", "Dmitri", "yep")],
        [("10:31", "Sara", "Dmitri to take #2")],
        [("10:31", "Dmitri", "I'll do the health check")],
    ],
)
def test_owner_is_who_took_the_item(taken: list[tuple[str, str, str]]) -> None:
    transcript = chat(("10:29", "Dmitri", "joining"), ("10:30", "Sara", ACTION_LIST), *taken)
    dmitri = check(f"{ITEM_2} (owner: Dmitri)", transcript)
    sara = check(f"{ITEM_2} (owner: Sara)", transcript)
    assert dmitri.status == "supported", dmitri.reason
    assert sara.status == "contradicted" and "Dmitri" in sara.reason


def test_list_posted_one_item_per_message() -> None:
    transcript = chat(
        ("10:30", "Sara", "so followups:"),
        ("10:30", "Sara", "1. Add env var validation to the CI pipeline"),
        ("10:30", "Sara", f"2. {ITEM_2}"),
        ("10:31", "Sara", "dmitri can you take the health check one?"),
        ("10:32", "Dmitri", "yeah that's mine"),
    )
    assert check(f"{ITEM_2} (owner: Dmitri)", transcript).status == "supported"
    assert check(f"{ITEM_2} (owner: Sara)", transcript).status == "contradicted"


@pytest.mark.parametrize(
    "answer",
    [("10:32", "Dmitri", "sorry, can't this week"), ("10:32", "Omar", "looks good")],
)
def test_request_without_acceptance_assigns_nothing(answer: tuple[str, str, str]) -> None:
    transcript = chat(
        ("10:30", "Sara", ACTION_LIST),
        ("10:31", "Sara", "Dmitri, can you handle 2?"),
        answer,
    )
    verdict = check(f"{ITEM_2} (owner: Sara)", transcript)
    assert verdict.status == "unsupported"
    assert "assigns it to no one" in verdict.reason
