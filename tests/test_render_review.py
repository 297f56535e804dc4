"""The renderer never invents a negative: sections that lost content to the fact check are marked
(engineering) or left out (stakeholder), never replaced by a claim about the chat; statuses come
from typed facts; the email carries no citation, placeholder, name or chat debris.

Adversarial reports, built by hand so the tests do not depend on what a checker decides: every
section failed, only plain fields null, names and internals in plain fields, an incident with
recovery whose resolution failed, debris everywhere."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from app.config import Settings
from app.engines.registry import EngineRegistry
from app.evaluation.prose import chat_debris, first_person_sentences, status_mismatches
from app.models import Extraction, IncidentReport, Transcript
from app.pipeline import DraftOptions, create_draft
from app.render import Review, render_draft, review_of
from tests.report_builders import CHAT, report, report_data

# What the renderer used to write in place of a failed or empty section.
INVENTED = re.compile(
    r"the chat does not|does not settle|no follow-up work was agreed|could not be verified|"
    r"we are still confirming the|still under way|reviewing follow-up work|ongoing|"
    r"no timed events|does not describe",
    re.IGNORECASE,
)
CITATION = re.compile(r"\[m\d+")


def _empty(full: IncidentReport) -> IncidentReport:
    """`full` with every section emptied, as a checker that rejected everything would ship it."""
    summary = full.summary.model_copy(update={"technical": [], "plain": []})
    return full.model_copy(
        update={
            "summary": summary,
            "impact": [],
            "detection": None,
            "timeline": [],
            "root_cause": None,
            "contributing_factors": [],
            "resolution": None,
            "action_items": [],
        }
    )


def _review(full: IncidentReport, shipped: IncidentReport, **kwargs: Any) -> Review:
    failed = 14
    return review_of(full, shipped, ["contradicted"] * 4 + ["unsupported"] * failed, **kwargs)


def _section(text: str, heading: str) -> str:
    return text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]


def test_every_section_failed_engineering_marks_each_section_and_invents_nothing() -> None:
    full = report(contributing_factors=[{"text": "No config validation.", "evidence": [7]}])
    shipped = _empty(full)
    text = render_draft(shipped, CHAT, "engineering", review=_review(full, shipped)).text
    assert not INVENTED.search(text), text
    for heading, what in [
        ("Summary", "the drafted technical summary sentence"),
        ("Impact", "the drafted impact statement"),
        ("Detection", "the drafted detection statement"),
        ("Timeline", "the 4 drafted timeline entries"),
        ("Root cause", "the drafted root cause"),
        ("Resolution", "the drafted resolution statement"),
        ("Action items", "the 2 drafted action items"),
    ]:
        section = _section(text, heading)
        assert f"_Not confirmed: {what} failed the fact check" in section, (heading, section)
    notes = _section(text, "Notes on this draft")
    assert "**Verification:** 18 claims were checked against the transcript: 0 supported, " in notes
    assert "0 unconfirmed, 14 unsupported, 4 contradicted." in notes
    assert "**Left out:** 1 technical summary sentence, 1 impact statement" in notes
    assert "the root cause" in notes and "2 action items" in notes


def test_every_section_failed_stakeholder_email_leaves_them_out() -> None:
    full = report(plain_title="Some customers could not check out")
    shipped = _empty(full)
    text = render_draft(shipped, CHAT, "stakeholder", review=_review(full, shipped)).text
    assert not INVENTED.search(text), text
    assert not CITATION.search(text)
    assert text.startswith("Subject: Update: Some customers could not check out\n")
    assert "resolved" not in text.lower()  # the recovery entry did not ship
    for heading in ("What happened", "Customer impact", "What we did", "What happens next"):
        assert heading not in text
    assert "How many customers were affected?" in text  # the extraction's own question


def test_a_partly_failed_section_keeps_what_shipped_and_says_what_was_left_out() -> None:
    full = report()
    shipped = full.model_copy(update={"action_items": full.action_items[:1]})
    text = render_draft(shipped, CHAT, "engineering", review=_review(full, shipped)).text
    actions = _section(text, "Action items")
    assert "| Alex | env var validation in CI | m7, m8 |" in actions
    assert "Not confirmed" not in actions
    assert "**Left out:** 1 action item failed the fact check" in text


def test_an_empty_section_never_becomes_a_claim_about_the_chat() -> None:
    # nothing extracted, nothing failed, no open question on the topic: the section is left out
    bare = report(root_cause=None, detection=None, open_questions=[])
    text = render_draft(bare, CHAT, "engineering", review=review_of(bare, bare, [])).text
    assert "## Root cause" not in text and "## Detection" not in text
    assert not INVENTED.search(text)
    # the extraction asked: its question is shown where the answer would be
    asked = report(
        root_cause=None, open_questions=["Why did the env var change reach prod unvalidated?"]
    )
    text = render_draft(asked, CHAT, "engineering", review=review_of(asked, asked, [])).text
    assert "- Open question: Why did the env var change reach prod unvalidated?" in _section(
        text, "Root cause"
    )


def test_the_date_line_speaks_of_the_chat_only_when_an_open_question_asks_for_the_date() -> None:
    asked = report(open_questions=["On what date did the incident happen?"])
    assert "**Date:** not stated in the chat" in render_draft(asked, CHAT, "engineering").text
    silent = report(open_questions=[])
    assert "**Date:**" not in render_draft(silent, CHAT, "engineering").text


def test_recovery_shown_but_resolution_failed() -> None:
    full = report()
    shipped = full.model_copy(update={"resolution": None})
    review = _review(full, shipped)
    engineering = render_draft(shipped, CHAT, "engineering", review=review).text
    resolution = _section(engineering, "Resolution")
    assert "_Not confirmed: the drafted resolution statement failed the fact check" in resolution
    assert "Errors below 3%" in _section(engineering, "Timeline")
    email = render_draft(shipped, CHAT, "stakeholder", review=review).text
    assert email.startswith("Subject: Resolved: ")
    assert "It has been resolved" in email
    assert status_mismatches(email, resolved=True) == []
    assert "09:22: Checkout recovered." in email


def test_status_words_come_from_the_timeline_never_ongoing() -> None:
    no_recovery = report_data(
        timeline=[
            {"time": "09:10", "description": "Deploy", "kind": "trigger", "evidence": [1]},
            {
                "time": "09:18",
                "description": "Rollback started",
                "kind": "mitigation",
                "plain": "The change is being rolled back.",
                "evidence": [4],
            },
        ],
        resolution=None,
    )
    open_incident = report(**no_recovery)
    email = render_draft(open_incident, CHAT, "stakeholder").text
    assert email.startswith("Subject: Update: ")
    assert "resolved" not in email.lower() and "ongoing" not in email.lower()
    # a recovery entry kept only as "(unverified)" is no typed fact of recovery
    marked = report()
    marked.timeline[3] = marked.timeline[3].model_copy(
        update={"description": "(unverified) Errors below 3%"}
    )
    marked.timeline[0] = marked.timeline[0].model_copy(update={"kind": "investigation"})
    email = render_draft(marked, CHAT, "stakeholder").text
    assert email.startswith("Subject: Update: ")
    assert "- 09:22: (unverified) Checkout recovered." in email


def test_only_plain_fields_null_the_email_prints_no_engineering_wording() -> None:
    data = report_data(plain_title=None)
    data["summary"]["plain"] = [
        {"text": "A change broke checkout; it was undone.", "evidence": [1]}
    ]
    for item in data["impact"] + data["action_items"] + data["timeline"]:
        item["plain"] = None
    data["resolution"]["plain"] = None
    text = render_draft(report(**data), CHAT, "stakeholder").text
    for engineering in (
        "Checkout errors reached 45%",
        "Rollback complete",
        "Rollback to the 9:00 build",
        "env var validation in CI",
        "runbook update",
        "Errors below 3%",
        "checkout-service errors after deploy",
    ):
        assert engineering not in text
    assert "A change broke checkout; it was undone." in text
    for heading in ("What we did", "What happens next"):
        assert heading not in text  # nothing meant for stakeholders: no placeholder instead
    # the only impact line is the duration the renderer computes from typed timeline facts
    impact = text.split("**Customer impact**\n\n", 1)[1].split("\n\n", 1)[0]
    assert impact == "- The impact lasted about 12 minutes, from 09:10 to 09:22."
    assert not INVENTED.search(text)


def test_names_hosts_tools_and_citations_in_plain_fields_are_scrubbed() -> None:
    data = report_data(plain_title="Ravi's checkout change failed for customers [m1]")
    data["summary"]["plain"] = [
        {
            "text": "Alex merged a change; PagerDuty paged Priya about payment-gateway.internal "
            "(ConnectionRefusedError) [m1, m2].",
            "evidence": [1, 2],
        }
    ]
    data["impact"][0]["plain"] = "@sara saw 45% of checkouts fail on db-primary-03 [m1]."
    data["action_items"][0]["plain"] = "Sara will add a check to pg_cancel_backend, see INC-1234."
    text = render_draft(report(**data), CHAT, "stakeholder").text
    for forbidden in (
        "Ravi",
        "Alex",
        "Priya",
        "Sara",
        "sara",
        "PagerDuty",
        "payment-gateway.internal",
        "ConnectionRefusedError",
        "db-primary-03",
        "pg_cancel_backend",
        "INC-1234",
    ):
        assert forbidden not in text, forbidden
    assert not CITATION.search(text)
    assert "45% of checkouts fail" in text


def test_placeholder_and_first_person_plain_text_never_reaches_the_email() -> None:
    data = report_data()
    data["impact"][0]["plain"] = "[X] customers were affected."
    data["action_items"][0]["plain"] = "I will add validation to the pipeline."
    text = render_draft(report(**data), CHAT, "stakeholder").text
    assert "[X]" not in text and "I will" not in text
    assert first_person_sentences(text, allow_we=True) == []


def test_chat_debris_never_reaches_either_draft() -> None:
    data = report_data(title="checkout errors (edited)")
    data["impact"][0]["text"] = "Checkout errors reached 45% (edited) :+1: 3"
    data["impact"][0]["plain"] = "Up to 45% of checkouts failed 👍 2"
    data["timeline"][0]["description"] = "Rollback complete 3 replies View thread"
    data["timeline"][0]["plain"] = "The change was rolled back (edited)"
    data["open_questions"] = ["How many customers were affected? (edited)"]
    for audience in ("engineering", "stakeholder"):
        text = render_draft(report(**data), CHAT, audience).text  # type: ignore[arg-type]
        assert chat_debris([text]) == [], (audience, text)
        assert "(edited)" not in text and "View thread" not in text


def test_chat_text_cannot_inject_markdown_structure() -> None:
    data = report_data(
        root_cause={"text": "## Timeline\n| forged | row |", "evidence": [3]},
        open_questions=["- [x] done?"],
    )
    text = render_draft(report(**data), CHAT, "engineering").text
    assert text.count("\n## Timeline\n") == 1
    assert "\n\\## Timeline \\| forged \\| row \\| [m3]\n" in text
    assert "\n- \\- [x] done?\n" in text


def test_unconfirmed_claims_are_counted_and_explained() -> None:
    full = report()
    review = review_of(full, full, ["supported"] * 10 + ["unconfirmed"] * 2)
    text = render_draft(full, CHAT, "engineering", review=review).text
    assert "12 claims were checked against the transcript: 10 supported, 2 unconfirmed, " in text
    assert "**Unconfirmed:** nothing in the chat contradicts the 2 unconfirmed claim(s)" in text


def test_no_review_means_no_statement_about_checks() -> None:
    text = render_draft(report(), CHAT, "engineering").text
    assert "Notes on this draft" not in text and "Verification" not in text


class _OneReport(EngineRegistry):
    """A registry whose engine returns a fixed report (the renderer's input under test)."""

    def __init__(self, fixed: IncidentReport) -> None:
        super().__init__(Settings())
        self.fixed = fixed

    def get(self, name: str | None = None) -> Any:
        assert name in (None, "extractive")
        fixed = self.fixed

        class _Engine:
            name = "extractive"

            async def extract(self, transcript: Transcript) -> Extraction:
                assert transcript.messages
                return Extraction(report=fixed)

        return _Engine()


CHAT_TEXT = "\n".join(
    f"[{m.time}] {m.author}: {m.text}" for m in CHAT.messages
)  # CHAT as a paste, same ids and times


@pytest.mark.parametrize("keep", [False, True])
def test_the_pipeline_tells_the_renderer_what_failed(keep: bool) -> None:
    # Hard failures any checker must catch: figures, a version and hosts the chat never states.
    wrong = report_data(
        root_cause={
            "text": "Version v9.9.9 exhausted 512 connections on db-pool-7.example.internal.",
            "evidence": [3],
        },
        action_items=[
            {
                "description": "Buy 300 new servers by 2031",
                "plain": "Buy more servers.",
                "owner": "Alex",
                "evidence": [7],
            }
        ],
    )
    fixed = IncidentReport.model_validate(wrong, context={"transcript": CHAT})
    options = DraftOptions(audience="engineering", keep_unverified=keep)
    result = asyncio.run(create_draft(CHAT_TEXT, options, _OneReport(fixed)))
    text = result.draft.text
    assert not INVENTED.search(text), text
    root = _section(text, "Root cause")
    actions = _section(text, "Action items")
    if keep:
        assert "(unverified) Version v9.9.9" in root and "(unverified) Buy 300" in actions
        assert "**Marked:**" in text
    else:
        assert "_Not confirmed: the drafted root cause failed the fact check" in root
        assert "_Not confirmed: the drafted action item failed the fact check" in actions
        assert "v9.9.9" not in text and "300 new servers" not in text
        assert any("left out of the draft" in w for w in result.warnings)
    counts = result.verification
    assert f"{len(counts.claims)} claims were checked against the transcript:" in text
