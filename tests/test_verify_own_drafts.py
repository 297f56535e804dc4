"""Our own drafts through the checker: citation markers, header lines, questions, meta sections and
the renderer's fallback sentences are read for what they are, and what the pipeline verified
stays verified."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.ingest import parse_transcript
from app.models import Audience, Transcript
from app.pipeline import DraftOptions, create_draft
from app.verify import VerificationReport, split_claims, verify_draft
from app.verify.placeholder_check import placeholders

DATA = Path(__file__).parent / "data"
SEED_CHAT = DATA / "seed_000_checkout_chat.txt"


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_transcript(SEED_CHAT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_drafts() -> dict[Audience, str]:
    text = SEED_CHAT.read_text(encoding="utf-8")
    engines = EngineRegistry(Settings())

    def draft(audience: Audience) -> str:
        options = DraftOptions(audience=audience, engine="extractive")
        return asyncio.run(create_draft(text, options, engines)).draft.text

    return {"engineering": draft("engineering"), "stakeholder": draft("stakeholder")}


TIMELINE = "| Time | Event | Source |\n| --- | --- | --- |\n"
ACTIONS = "| Owner | Item | Source |\n| --- | --- | --- |\n"


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        # citation markers: stripped, and read as the claim's evidence
        (
            "- Only checkout-service is impacted. [m5]",
            [("Only checkout-service is impacted.", [5])],
        ),
        (
            "Rollback complete. Error rates now below 3%. [m15, m17]",
            [("Rollback complete.", [15, 17]), ("Error rates now below 3%.", [15, 17])],
        ),
        (
            "Errors hit 45% [m1]. Rollback complete. [m15]",
            [("Errors hit 45%.", [1]), ("Rollback complete.", [15])],
        ),
        (
            "- Add env var validation in CI/CD [m22, m23]",
            [("Add env var validation in CI/CD", [22, 23])],
        ),
        ("Errors hit 45%.", [("Errors hit 45%.", None)]),
        # tables: the Source column is evidence; "_unassigned_" is no owner
        (TIMELINE + "| 09:21 | Rollback complete. | m15 |", [("09:21 — Rollback complete.", [15])]),
        (
            ACTIONS + "| Alex | Add env var validation in CI/CD | m22, m23 |",
            [("Add env var validation in CI/CD — (owner: Alex)", [22, 23])],
        ),
        (
            ACTIONS + "| _unassigned_ | Alert on db connections | m37 |",
            [("Alert on db connections", [37])],
        ),
        # header lines: one claim each; the status line and an unknown date are not claims
        (
            "**Status:** Draft (generated from the incident channel; every fact cites its source "
            "messages, e.g. [m12] is message 12 of the transcript)\n"
            "**Date:** not stated in the chat (see open questions)\n"
            "**Impact window:** 09:10 to 09:22, 12 minutes (computed from message timestamps) "
            "[m1, m17]\n"
            "**Participants:** Priya, Ravi, Alex, Sara",
            [("09:10 to 09:22, 12 minutes", [1, 17]), ("Priya, Ravi, Alex, Sara", None)],
        ),
        ("**Date:** 2025-03-11 (UTC+01:00)", [("Date: 2025-03-11 (UTC+01:00)", None)]),
        # questions and the sections about what is still open or about the draft itself
        ("What was the revenue impact?", []),
        ("Errors hit 45%. Who noticed first?", [("Errors hit 45%.", None)]),
        # questions ask; a statement among them is a claim like any other
        ("## Open questions\n\n- What was the root cause?", []),
        (
            "**What we are still confirming**\n\n- When exactly did customer impact start? "
            "The first sign in the chat is at 14:02.",
            [("The first sign in the chat is at 14:02.", None)],
        ),
        # a section about the draft itself states nothing about the incident
        (
            "## Notes on this draft\n\n- 28 claims were checked against the transcript: 28 "
            "supported, 0 unsupported, 0 contradicted.\n- 4 secret(s) pasted in the chat were "
            "redacted.",
            [],
        ),
        # what the chat does not say is a claim too: the checker has no list of our sentences
        (
            "The chat does not say how the incident was detected (see open questions).",
            [("The chat does not say how the incident was detected.", None)],
        ),
        (
            "No follow-up work was agreed in the chat.",
            [("No follow-up work was agreed in the chat.", None)],
        ),
        # a citation given as an example cites nothing
        (
            "References in brackets, such as [m12], point to messages in the incident channel.",
            [("References in brackets, such as, point to messages in the incident channel.", None)],
        ),
    ],
)
def test_our_draft_lines(draft: str, expected: list[tuple[str, list[int] | None]]) -> None:
    assert [(c.text, c.evidence) for c in split_claims(draft)] == expected


@pytest.mark.parametrize("audience", ["engineering", "stakeholder"])
def test_seed_drafts_verify_clean(
    seed_drafts: dict[Audience, str], seed: Transcript, audience: Audience
) -> None:
    """Every claim of our own seed drafts ships; the template's own sentences ("This is an
    update on a service incident") may be unconfirmed, since the checker has no list of them."""
    report = verify_draft(seed_drafts[audience], seed)
    assert report.claims, "the draft has claims"
    assert report.failed == [], [(v.text, v.reason) for v in report.failed]
    assert report.supported >= 0.8 * len(report.claims)
    assert not any("placeholder" in v.reason for v in report.claims)


def test_a_false_statement_about_what_the_chat_says_is_caught(seed: Transcript) -> None:
    (verdict,) = verify_draft("No follow-up work was agreed in the chat.", seed).claims
    assert verdict.status == "contradicted" and "Alex" in verdict.reason


def test_impact_window_is_one_checked_claim(
    seed_drafts: dict[Audience, str], seed: Transcript
) -> None:
    report = verify_draft(seed_drafts["engineering"], seed)
    window = [v for v in report.claims if v.text.startswith("09:10 to 09:22")]
    assert len(window) == 1 and "times:pass" in window[0].checks


def _verdicts(draft: str, transcript: Transcript) -> VerificationReport:
    return verify_draft(draft, transcript)


def test_citation_of_a_missing_message_is_flagged(seed: Transcript) -> None:
    (verdict,) = _verdicts("- Only checkout-service is impacted. [m5, m99]", seed).claims
    assert verdict.status == "unsupported"
    assert "m99" in verdict.reason and "no such message" in verdict.reason


def test_citation_of_an_unrelated_message_is_flagged(seed: Transcript) -> None:
    (verdict,) = _verdicts("- Only checkout-service is impacted. [m12]", seed).claims
    assert verdict.status == "unsupported"


@pytest.mark.parametrize(
    ("row", "status", "said"),
    [
        (TIMELINE + "| 09:21 | Rollback complete. | m15 |", "supported", ""),
        (TIMELINE + "| 09:25 | Rollback complete. | m15 |", "contradicted", "09:21"),
        (TIMELINE + "| 09:10 | The 9:10 AM deployment. | m1 |", "supported", ""),
        (ACTIONS + "| Alex | Add env var validation in CI/CD | m22, m23 |", "supported", ""),
        (ACTIONS + "| Ravi | Add env var validation in CI/CD | m22, m23 |", "contradicted", "Alex"),
        ("**Impact window:** 09:10 to 09:22, 12 minutes [m1, m17]", "supported", ""),
        ("**Impact window:** 09:10 to 09:22, 15 minutes [m1, m17]", "contradicted", "12 minutes"),
        ("- The impact lasted about 12 minutes, from 09:10 to 09:22. [m1, m17]", "supported", ""),
        ("**Participants:** Priya, Ravi, Alex, Sara", "supported", ""),
        ("**Participants:** Priya, Ravi, Bob", "unsupported", "Bob"),
        ("**Date:** 2024-01-01", "unsupported", "no date"),
        ("**Date:** [date of the incident]", "unsupported", "placeholder"),
        ("**Participants:** [names]", "unsupported", "placeholder"),
    ],
)
def test_planted_errors_in_our_format(seed: Transcript, row: str, status: str, said: str) -> None:
    (verdict,) = _verdicts(row, seed).claims
    assert verdict.status == status, verdict.reason
    assert said in verdict.reason


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("**Date:** 2024-05-01 (Europe/Berlin)", "supported"),
        ("**Date:** 2024-05-02 (Europe/Berlin)", "contradicted"),
        ("**Date:** 2024-05-01 (UTC)", "contradicted"),
    ],
)
def test_date_line_is_the_chat_date(line: str, status: str) -> None:
    transcript = parse_transcript(
        SEED_CHAT.read_text(encoding="utf-8"), date=dt.date(2024, 5, 1), timezone="Europe/Berlin"
    )
    (verdict,) = verify_draft(line, transcript).claims
    assert verdict.status == status, verdict.reason


def test_citation_markers_are_no_placeholders() -> None:
    assert placeholders("as [m12] and [m1, m7] say") == []
    assert placeholders("owner: [name]") == ["[name]"]


def test_the_extractive_seed_report_ships_every_fact(seed: Transcript) -> None:
    """The offline engine's report on seed 000 loses nothing to the checker: every item ships."""
    from app.engines.extractive import ExtractiveEngine
    from app.verify import verify_report

    report = asyncio.run(ExtractiveEngine().extract(seed)).report
    checked, verification = verify_report(report, seed)
    assert verification.failed == [], [(v.item, v.reason) for v in verification.failed]
    assert checked.timeline == report.timeline
    assert checked.action_items == report.action_items
    assert checked.impact == report.impact
    assert checked.summary == report.summary
