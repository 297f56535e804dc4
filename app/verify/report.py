"""Verify our own extraction before it is rendered.

Every item of an `IncidentReport` is a claim checked against the messages it cites (summary
sentences also against retrieved ones, since a summary condenses the whole chat). Items that fail
are removed, or kept when the caller wants to mark them; required fields are never dropped: a
failing summary sentence is removed from its summary, and a summary left with no sentence says
that it could not be verified instead of asserting anything.
"""

from __future__ import annotations

from app.models import (
    ActionItem,
    IncidentReport,
    Statement,
    Summaries,
    TimelineEntry,
    Transcript,
    hhmm,
)
from app.verify.checker import UNSETTLED_STATUS, _verdict, assess_claim
from app.verify.claims import Claim, split_claims
from app.verify.source import SourceIndex
from app.verify.verdicts import ClaimStatus, ClaimVerdict, VerificationReport

UNVERIFIED_SUMMARY = "The drafted summary could not be verified against the chat; see the timeline."


def _statement_claim(statement: Statement, item: str) -> Claim:
    return Claim(text=statement.text, evidence=statement.evidence, item=item)


def _timeline_claim(entry: TimelineEntry, item: str) -> Claim:
    return Claim(
        text=f"{hhmm(entry.time)}: {entry.description}", evidence=entry.evidence, item=item
    )


def _action_claim(action: ActionItem, item: str) -> Claim:
    owner = f" (owner: {action.owner})" if action.owner else ""
    return Claim(
        text=f"{action.description}{owner}",
        evidence=action.evidence,
        item=item,
        section="Action items",
    )


def _summary_claims(summaries: Summaries, field: str) -> list[Claim]:
    text = getattr(summaries, field)
    return [
        Claim(text=c.text, evidence=summaries.evidence, item=f"summary.{field}[{i}]")
        for i, c in enumerate(split_claims(text, keep_questions=True))
    ]


def verify_report(
    report: IncidentReport,
    transcript: Transcript,
    *,
    keep_failed: bool = False,
    unsettled: ClaimStatus = UNSETTLED_STATUS,
) -> tuple[IncidentReport, VerificationReport]:
    """Check each report item against its cited evidence; drop the failures unless
    `keep_failed`. Returns the (filtered) report and every item's verdict; a verdict's `item`
    names where it lives ('timeline[2]', 'action_items[0]', 'summary.plain[1]', 'root_cause')."""
    source = SourceIndex(transcript)
    verdicts: dict[str, ClaimVerdict] = {}

    def check(claim: Claim, *, retrieve: bool = False) -> bool:
        verdict = _verdict(assess_claim(claim, source, retrieve=retrieve), unsettled=unsettled)
        verdicts[claim.item or claim.text] = verdict
        return keep_failed or verdict.status == "supported"

    summary = report.summary
    texts: dict[str, str] = {}
    for field in ("technical", "plain"):
        claims = _summary_claims(summary, field)
        kept = [c.text for c in claims if check(c, retrieve=True)]
        texts[field] = " ".join(kept) if kept else (
            getattr(summary, field) if keep_failed else UNVERIFIED_SUMMARY
        )

    def statements(items: list[Statement], name: str) -> list[Statement]:
        return [s for i, s in enumerate(items) if check(_statement_claim(s, f"{name}[{i}]"))]

    def optional(item: Statement | None, name: str) -> Statement | None:
        return item if item is not None and check(_statement_claim(item, name)) else None

    updated = report.model_copy(
        update={
            "summary": summary.model_copy(update=texts),
            "impact": statements(report.impact, "impact"),
            "detection": optional(report.detection, "detection"),
            "timeline": [
                e for i, e in enumerate(report.timeline)
                if check(_timeline_claim(e, f"timeline[{i}]"))
            ],
            "root_cause": optional(report.root_cause, "root_cause"),
            "contributing_factors": statements(
                report.contributing_factors, "contributing_factors"
            ),
            "resolution": optional(report.resolution, "resolution"),
            "action_items": [
                a for i, a in enumerate(report.action_items)
                if check(_action_claim(a, f"action_items[{i}]"))
            ],
        }
    )
    return updated, VerificationReport.of(list(verdicts.values()))
