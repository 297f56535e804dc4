"""Rendering: sections, citations, durations from timestamps, and stakeholder scrubbing."""

from __future__ import annotations

import re

import pytest

from app.render import render_draft
from app.render.scrub import scrub_for_stakeholders
from app.render.timing import impact_window
from tests.report_builders import CHAT, report, report_data, transcript_of

PEOPLE = ["Priya", "Ravi", "Alex", "Sara"]


def test_engineering_draft_has_the_expected_sections_in_order() -> None:
    text = render_draft(report(), CHAT, "engineering").text
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert headings == [
        "Summary",
        "Impact",
        "Detection",
        "Root cause",
        "Resolution",
        "Timeline",
        "Action items",
        "Open questions",
    ]
    assert text.startswith("# Postmortem: checkout-service errors after deploy\n")
    assert "**Status:** Draft" in text


def test_engineering_timeline_is_sorted_and_cites_sources() -> None:
    text = render_draft(report(), CHAT, "engineering").text
    rows = re.findall(r"^\| (\d\d:\d\d) \| (.+?) \| (.+?) \|$", text, flags=re.MULTILINE)
    assert rows == [
        ("09:10", "Deploy", "m1"),
        ("09:14", "Alerts fire", "m1"),
        ("09:21", "Rollback complete", "m5"),
        ("09:22", "Errors below 3%", "m6"),
    ]


def test_engineering_action_items_show_owner_or_unassigned() -> None:
    text = render_draft(report(), CHAT, "engineering").text
    assert "| Alex | env var validation in CI | m7, m8 |" in text
    assert "| _unassigned_ | runbook update | m7 |" in text


def test_duration_is_computed_from_the_timeline() -> None:
    window = impact_window(report(), CHAT)
    assert window is not None
    assert (window.start.time, window.end.time, window.minutes) == ("09:10", "09:22", 12)
    text = render_draft(report(), CHAT, "engineering").text
    assert (
        "**Impact window:** 09:10 to 09:22, 12 minutes (computed from message timestamps)" in text
    )


def test_duration_across_midnight_uses_the_day_offset() -> None:
    chat = transcript_of(
        [("23:50", "Kofi", "Pages firing for DNS"), ("00:20", "Ama", "Resolved, all green")],
        day_of=[0, 1],
    )
    from app.models import IncidentReport

    data = {
        "title": "DNS outage",
        "summary": {
            "technical": [{"text": "DNS failed.", "evidence": [1]}],
            "plain": [{"text": "A service failed.", "evidence": [1]}],
        },
        "impact": [],
        "detection": None,
        "timeline": [
            {"time": "23:50", "description": "Pages", "kind": "detection", "evidence": [1]},
            {"time": "00:20", "description": "Resolved", "kind": "recovery", "evidence": [2]},
        ],
        "root_cause": None,
        "contributing_factors": [],
        "resolution": None,
        "action_items": [],
        "participants": ["Kofi", "Ama"],
        "open_questions": [],
    }
    result = IncidentReport.model_validate(data, context={"transcript": chat})
    window = impact_window(result, chat)
    assert window is not None and window.minutes == 30


def test_every_fact_line_in_both_drafts_cites_messages() -> None:
    for audience in ("engineering", "stakeholder"):
        text = render_draft(report(), CHAT, audience).text
        bullets = [line for line in text.splitlines() if line.startswith("- ")]
        facts = [b for b in bullets if "?" not in b]  # open questions are not facts
        assert facts, audience
        for line in facts:
            assert re.search(r"\[m\d+(, m\d+)*\]$", line), (audience, line)


def test_stakeholder_draft_names_nobody_and_hides_internals() -> None:
    text = render_draft(report(), CHAT, "stakeholder").text
    assert text.startswith("Subject: Resolved: checkout-service errors after deploy")
    for forbidden in PEOPLE + ["payment-gateway.internal", "ConnectionRefusedError"]:
        assert forbidden not in text
    for heading in ("What happened", "Customer impact", "What we did", "What we are doing next"):
        assert f"**{heading}**" in text
    assert "The impact lasted about 12 minutes, from 09:10 to 09:22. [m1, m6]" in text


def test_failed_claims_are_dropped_or_marked_unverified() -> None:
    from app.verify import verify_report

    data = report_data(impact=[{"text": "Checkout errors reached 95%.", "evidence": [1]}])
    wrong = report(**{k: v for k, v in data.items() if k == "impact"})
    dropped, verification = verify_report(wrong, CHAT)
    assert any(c.status != "supported" and "95%" in c.text for c in verification.claims)
    assert "95%" not in render_draft(dropped, CHAT, "engineering").text
    kept, _ = verify_report(wrong, CHAT, keep_failed=True)
    text = render_draft(kept, CHAT, "engineering").text
    assert "- (unverified) Checkout errors reached 95%. [m1]" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ravi rolled back the deploy", "The team rolled back the deploy"),
        ("Alex's change broke it", "The team's change broke it"),
        ("calls to payment-gateway.internal:8443 failed", "calls to an internal service failed"),
        ("saw ConnectionRefusedError in logs", "saw errors in logs"),
        ("db at 10.2.3.4:5432 was slow", "db at an internal address was slow"),
        ("token [REDACTED:bearer-token] leaked", "token a credential leaked"),
        ("ask @kofi for details", "ask the team for details"),
        ("Alexander is not Alex", "Alexander is not the team"),
        ("checkout-service recovered at 09:22", "checkout-service recovered at 09:22"),
    ],
)
def test_scrub_for_stakeholders(text: str, expected: str) -> None:
    assert scrub_for_stakeholders(text, PEOPLE) == expected


def test_no_recovery_event_means_no_computed_duration() -> None:
    data = report_data(
        timeline=[
            {"time": "09:10", "description": "Deploy", "kind": "trigger", "evidence": [1]},
            {"time": "09:24", "description": "Closed", "kind": "resolution", "evidence": [7]},
        ]
    )
    from app.models import IncidentReport

    result = IncidentReport.model_validate(data, context={"transcript": CHAT})
    assert impact_window(result, CHAT) is None
    assert "Impact window" not in render_draft(result, CHAT, "engineering").text
    assert "The impact lasted" not in render_draft(result, CHAT, "stakeholder").text


def test_impact_ends_at_recovery_not_at_the_later_resolution_call() -> None:
    data = report_data(
        timeline=[
            {"time": "09:10", "description": "Deploy", "kind": "trigger", "evidence": [1]},
            {"time": "09:22", "description": "Recovered", "kind": "recovery", "evidence": [6]},
            {"time": "09:24", "description": "Closed", "kind": "resolution", "evidence": [7]},
        ]
    )
    from app.models import IncidentReport

    result = IncidentReport.model_validate(data, context={"transcript": CHAT})
    window = impact_window(result, CHAT)
    assert window is not None and (window.end.time, window.minutes) == ("09:22", 12)


def test_stakeholder_email_prints_only_the_plain_language_fields() -> None:
    data = report_data(plain_title="Some customers could not check out")
    data["impact"].append({"text": "ConnectionRefusedError on 12 pods", "evidence": [2]})
    data["action_items"][1]["plain"] = None
    text = render_draft(report(**data), CHAT, "stakeholder").text
    assert text.startswith("Subject: Resolved: Some customers could not check out")
    assert "Up to 45% of checkout attempts failed." in text
    assert "Automatic checks of configuration before each release." in text
    assert "The change was rolled back." in text
    # engineering wording, and items whose plain field is null, stay out of the email
    assert "Checkout errors reached 45%" not in text
    assert "12 pods" not in text
    assert "runbook update" not in text
    assert "env var validation in CI" not in text
    engineering = render_draft(report(**data), CHAT, "engineering").text
    assert "runbook update" in engineering and "12 pods" in engineering
