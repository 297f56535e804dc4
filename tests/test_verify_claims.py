"""Splitting drafts into claims: what counts as a claim, and where it is."""

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
        ("Subject: Checkout incident resolved\n\nHi all,\n\nErrors hit 45%.", ["Errors hit 45%."]),
        ("```\nkubectl rollout undo\n```\nRolled back at 09:18.", ["Rolled back at 09:18."]),
        (
            "Latency rose, e.g. to 1.5s at 9:14 a.m. on checkout.",
            ["Latency rose, e.g. to 1.5s at 9:14 a.m. on checkout."],
        ),
    ],
)
def test_split_claims(draft: str, expected: list[str]) -> None:
    assert texts(draft) == expected


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
