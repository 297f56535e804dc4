"""Splitting drafts into claims: what counts as a claim, and where it is. Phrasing cannot hide a
claim: courtesy words are stripped as a prefix only, and a sign-off does not end the checking."""

from __future__ import annotations

import pytest

from app.verify import split_claims


def texts(draft: str) -> list[str]:
    return [c.text for c in split_claims(draft)]


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (
            "Rollback started at 09:18. It finished at 09:21.",
            ["Rollback started at 09:18.", "It finished at 09:21."],
        ),
        (
            "- Error rate hit 45%\n* Latency was 1.5s\n1. Ravi rolled back",
            ["Error rate hit 45%", "Latency was 1.5s", "Ravi rolled back"],
        ),
        ("| Time | Event |\n|---|---|\n| 09:18 | Rollback started |", ["09:18 — Rollback started"]),
        (
            "| Task | Owner |\n|---|---|\n| Update runbook | Priya |",
            ["Update runbook — (owner: Priya)"],
        ),
        ("# Timeline\n## Impact\n**Summary:**\nErrors hit 45%.", ["Errors hit 45%."]),
        (
            "Dear Stakeholders,\n\nWe are writing to inform you of an incident.\nErrors hit 45%.",
            ["Errors hit 45%."],
        ),
        (
            "Errors hit 45%.\n\nWe apologize for any inconvenience this may have caused.\n\n"
            "Sincerely,\n\nThe SRE Team",
            ["Errors hit 45%."],
        ),
        ("Sincerely,\n\n[Your Name/Team Name]", ["[Your Name/Team Name]"]),
        (
            "**Issue:** Following a deployment at 9:10 AM, errors spiked.",
            ["Following a deployment at 9:10 AM, errors spiked."],
        ),
        ("Affected users: [number]", ["Affected users: [number]"]),
        (
            "Subject: Checkout incident resolved\n\nHi all,\n\nErrors hit 45%.",
            ["Checkout incident resolved", "Errors hit 45%."],
        ),
        (
            "Latency rose, e.g. to 1.5s at 9:14 a.m. on checkout.",
            ["Latency rose, e.g. to 1.5s at 9:14 a.m. on checkout."],
        ),
        # a title states something; a section name does not
        (
            "# Postmortem: checkout-service 502s\n\n## Root cause\n\nA bad config.",
            ["Postmortem: checkout-service 502s", "A bad config."],
        ),
        # code is printed text too
        (
            "```\nkubectl rollout undo deploy/checkout\n```\nRolled back at 09:18.",
            ["kubectl rollout undo deploy/checkout", "Rolled back at 09:18."],
        ),
        # a question asserts nothing, unless it carries a hard fact
        ("What was the revenue impact?", []),
        ("Were all 12,000 orders refunded?", ["Were all 12,000 orders refunded?"]),
        # sentences about what the chat does not say are claims
        (
            "The chat does not settle on a root cause.",
            ["The chat does not settle on a root cause."],
        ),
        (
            "No follow-up work was agreed in the chat.",
            ["No follow-up work was agreed in the chat."],
        ),
        # a citation closes what it cites: a label after it starts the next claim
        (
            "“rollback complete” [m5] Root cause: osd.12 is full [m1]",
            ["“rollback complete”", "Root cause: osd.12 is full"],
        ),
        (
            "Rolled back at 09:18 [m4] Impact: 12 minutes of errors [m2, m9]",
            ["Rolled back at 09:18", "Impact: 12 minutes of errors"],
        ),
        # a lower-case word after a citation goes on with the same sentence
        ("Errors rose [m2] and then fell [m3].", ["Errors rose and then fell."]),
    ],
)
def test_split_claims(draft: str, expected: list[str]) -> None:
    assert texts(draft) == expected


@pytest.mark.parametrize(
    ("draft", "claim"),
    [
        # boilerplate is a prefix: what follows it is checked
        (
            "We are writing to confirm that no customer data was lost and all 12,000 orders "
            "were refunded.",
            "no customer data was lost and all 12,000 orders were refunded.",
        ),
        (
            "Thank you for your patience while we refunded all 12,000 affected orders.",
            "while we refunded all 12,000 affected orders.",
        ),
        ("Hi all, the outage cost 9,000 orders", "the outage cost 9,000 orders"),
        ("Hi all the outage, cost 9,000 orders", "all the outage, cost 9,000 orders"),
        (
            "We sincerely apologize for the 45-minute outage of checkout.",
            "the 45-minute outage of checkout.",
        ),
        (
            "Please note that payments were down from 09:10 to 09:55.",
            "payments were down from 09:10 to 09:55.",
        ),
        # nothing is skipped after a sign-off: the signature ends at the first factual line
        ("Thanks,\nThe outage cost 9,000 orders.", "The outage cost 9,000 orders."),
        ("Thanks, the outage cost 9,000 orders", "the outage cost 9,000 orders"),
        (
            "Best,\nJane Doe\nIncident Commander\n\nRefunds of $40,000 were issued.",
            "Refunds of $40,000 were issued.",
        ),
        ("Cheers,\n\nJane\nbilling-api was restarted twice", "billing-api was restarted twice"),
        ("Regards\nBob restarted the primary at 03:10", "Bob restarted the primary at 03:10"),
        # greetings, courtesy and a sign-off on one line
        ("Hello team, thanks for your patience: 3 regions were down.", "3 regions were down."),
    ],
)
def test_phrasing_cannot_hide_a_claim(draft: str, claim: str) -> None:
    assert claim in texts(draft), texts(draft)


@pytest.mark.parametrize(
    "draft",
    [
        "Dear all,",
        "We apologize for any inconvenience this may have caused.",
        "Thank you for your patience and understanding.",
        "Sincerely,\n\nThe Platform Team",
        "Best regards,\nJane Doe\nSRE",
        "## Notes on this draft\n\n- 12 claims were checked against the transcript.",
        "**Status:** Draft (generated from the incident channel)",
    ],
)
def test_courtesy_and_notes_about_the_draft_state_nothing(draft: str) -> None:
    assert texts(draft) == []


def test_lines_and_sections_are_kept() -> None:
    draft = "# Timeline\n\n- 09:18 rollback\n\n## Impact\n\nErrors hit\n45% of requests. Fine."
    claims = split_claims(draft)
    assert [(c.line, c.section) for c in claims] == [(3, "Timeline"), (7, "Impact"), (8, "Impact")]
    assert claims[1].text == "Errors hit 45% of requests."


def test_seed_draft_claims(seed_llm_draft_text: str) -> None:
    claims = split_claims(seed_llm_draft_text)
    found = [c.text for c in claims]
    assert "Dear Stakeholders," not in found
    assert not any(t.startswith(("We are writing", "We apologize", "Sincerely")) for t in found)
    assert "[Your Name/Team Name]" in found
    assert any(t.startswith("09:10 AM: Monitoring systems") for t in found)
    assert all(c.line is not None for c in claims)
