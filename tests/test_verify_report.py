"""verify_report: our own extraction checked item by item against the messages it cites."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.ingest import parse_transcript
from app.models import IncidentReport, Transcript
from app.render import render_draft
from app.verify import verify_report

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_transcript((DATA / "seed_000_checkout_chat.txt").read_text(encoding="utf-8"))


def report(_seed: Transcript | None = None) -> IncidentReport:
    data = {
        "title": "Checkout-service errors after a config change",
        "summary": {
            "technical": [
                {
                    "text": "A deploy pointed checkout-service at a non-existent payment gateway "
                    "endpoint and errors spiked to 45%.",
                    "evidence": [1, 7],
                },
                {"text": "Ravi rolled back to the 9:00 AM stable build.", "evidence": [9]},
                {"text": "Errors were back below 3% at 09:40.", "evidence": [17]},
            ],
            "plain": [
                {"text": "Checkout handled thousands of transactions daily.", "evidence": [1]},
                {"text": "Checkout errors spiked to 45% after a deployment.", "evidence": [1]},
            ],
        },
        "impact": [
            {
                "text": "Checkout errors spiked to 45%.",
                "plain": "Almost half of checkout attempts failed.",
                "evidence": [1],
            },
            {"text": "Checkout errors spiked to 80%.", "evidence": [1]},
        ],
        "detection": {"text": "PagerDuty alerts on checkout-service errors.", "evidence": [1]},
        "timeline": [
            {
                "time": "09:14",
                "description": "PagerDuty alerted on checkout errors at 45%",
                "kind": "detection",
                "evidence": [1],
            },
            {
                "time": "09:12",
                "description": "PagerDuty alerted on checkout-service errors spiking to 45%",
                "kind": "detection",
                "evidence": [1],
            },
            {
                "time": "09:21",
                "description": "Rollback complete, error rates dropping",
                "kind": "mitigation",
                "evidence": [15],
            },
        ],
        "root_cause": {
            "text": "Prod env var values were not updated when payment configs moved to a new "
            "env var, so the service pointed at a non-existent endpoint.",
            "evidence": [7],
        },
        "contributing_factors": [
            {"text": "Automated tests have been added for the payment gateway.", "evidence": [16]},
        ],
        "resolution": {
            "text": "Ravi rolled back to the 9:00 AM stable build.",
            "plain": "We undid the change at 08:30 and service recovered.",
            "evidence": [9, 15],
        },
        "action_items": [
            {
                "description": "Update runbook to include config verification",
                "owner": "Priya",
                "evidence": [22, 24, 25],
            },
            {
                "description": "Payment gateway health check pre-deploy",
                "owner": "Sara",
                "evidence": [22, 23],
            },
        ],
        "participants": ["Priya", "Ravi", "Alex", "Sara"],
        "open_questions": ["How many customers were affected?"],
    }
    # Validated without the transcript: the 09:12 row would fail the model's own time check, and
    # these tests are about what the checker does with whatever reaches it.
    return IncidentReport.model_validate(data)


def test_failing_items_are_removed(seed: Transcript) -> None:
    checked, verification = verify_report(report(seed), seed)
    assert [s.text for s in checked.impact] == ["Checkout errors spiked to 45%."]
    assert [e.time for e in checked.timeline] == ["09:14", "09:21"]
    # tests "added" while the chat only has them running: only a reader can tell (unconfirmed)
    factor = next(v for v in verification.claims if v.item == "contributing_factors[0]")
    assert factor.status == "unconfirmed" and "done:flag" in factor.checks
    assert [a.owner for a in checked.action_items] == ["Priya"]
    assert checked.root_cause is not None and checked.resolution is not None
    assert checked.detection is not None
    failed = {v.item for v in verification.failed}
    assert {"impact[1]", "timeline[1]", "action_items[1]"} <= failed
    owner = next(v for v in verification.claims if v.item == "action_items[1]")
    assert owner.status == "contradicted" and "Ravi" in owner.reason


def test_every_printed_field_is_a_checked_claim(seed: Transcript) -> None:
    _, verification = verify_report(report(seed), seed)
    items = {v.item for v in verification.claims}
    assert {"title", "impact[0].plain", "resolution.plain", "summary.plain[0]"} <= items


def test_a_failed_plain_wording_is_dropped_and_its_item_kept(seed: Transcript) -> None:
    checked, verification = verify_report(report(seed), seed)
    plain = next(v for v in verification.claims if v.item == "resolution.plain")
    assert plain.status in ("unsupported", "contradicted"), plain.reason
    assert checked.resolution is not None and checked.resolution.plain is None
    assert checked.impact[0].plain == "Almost half of checkout attempts failed."


def test_a_failed_title_is_kept_marked(seed: Transcript) -> None:
    data = report(seed).model_dump()
    data["title"] = "Checkout outage caused by a Redis failover"
    bad = IncidentReport.model_validate(data)
    checked, verification = verify_report(bad, seed)
    title = next(v for v in verification.claims if v.item == "title")
    assert title.status == "unsupported" and "Redis" in title.reason
    assert checked.title.startswith("(unverified) ")


def test_summary_sentences_are_removed_not_the_summary(seed: Transcript) -> None:
    checked, verification = verify_report(report(seed), seed)
    technical = " ".join(s.text for s in checked.summary.technical)
    plain = " ".join(s.text for s in checked.summary.plain)
    assert "45%" in technical
    assert "09:40" not in technical
    assert "thousands" not in plain
    assert "spiked to 45%" in plain
    items = {v.item for v in verification.claims}
    assert {"summary.technical[0]", "summary.technical[2]", "summary.plain[0]"} <= items


def test_unconfirmed_items_ship(seed: Transcript) -> None:
    data = report(seed).model_dump()
    data["contributing_factors"] = [
        {"text": "The team coordinated closely across several channels.", "evidence": [10]}
    ]
    checked, verification = verify_report(IncidentReport.model_validate(data), seed)
    factor = next(v for v in verification.claims if v.item == "contributing_factors[0]")
    assert factor.status == "unconfirmed"
    assert [f.text for f in checked.contributing_factors] == [
        data["contributing_factors"][0]["text"]
    ]


def test_keep_failed_keeps_everything_marked_and_lists_verdicts(seed: Transcript) -> None:
    original = report(seed)
    checked, verification = verify_report(original, seed, keep_failed=True)
    assert len(checked.impact) == len(original.impact)
    assert len(checked.timeline) == len(original.timeline)
    assert len(checked.action_items) == len(original.action_items)
    failed = {v.item for v in verification.failed}
    assert checked.impact[1].text.startswith("(unverified) ")
    assert checked.timeline[1].description.startswith("(unverified) ")
    assert checked.action_items[1].description.startswith("(unverified) ")
    assert checked.resolution is not None and checked.resolution.plain is not None
    assert checked.resolution.plain.startswith("(unverified) ")
    assert not checked.impact[0].text.startswith("(unverified)") and "impact[0]" not in failed
    assert any(s.text.startswith("(unverified) ") for s in checked.summary.plain)
    assert verification.unsupported + verification.contradicted >= 5


def test_a_summary_with_no_verified_sentence_is_left_out_not_replaced(seed: Transcript) -> None:
    data = report(seed).model_dump()
    data["summary"]["plain"] = [
        {"text": "The service handles thousands of transactions daily.", "evidence": [1]}
    ]
    bad = IncidentReport.model_validate(data)
    checked, _ = verify_report(bad, seed)
    assert checked.summary.plain == []
    email = render_draft(checked, seed, "stakeholder").text
    assert "What happened" not in email
    assert "could not be verified" not in email and "thousands" not in email
