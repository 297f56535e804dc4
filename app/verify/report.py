"""Verify our own extraction before it is rendered.

Every item of an `IncidentReport` is a claim checked against the messages it cites (summary
sentences also against retrieved ones, since a summary condenses the whole chat). Items that fail
are removed, or kept when the caller wants to mark them; required fields are never dropped: a
failing summary sentence is removed from its summary, and a summary left with no sentence says
that it could not be verified instead of asserting anything.
"""

from __future__ import annotations

from typing import TypeVar

from app.models import (
    ActionItem,
    IncidentReport,
    Statement,
    Summaries,
    TimelineEntry,
    Transcript,
    hhmm,
)
from app.verify.checker import (
    JUDGE_CANDIDATES,
    UNSETTLED_STATUS,
    _judged,
    _verdict,
    assess_claim,
)
from app.verify.claims import Claim, split_claims
from app.verify.judge import ClaimJudge, JudgeRequest
from app.verify.source import SourceIndex
from app.verify.verdicts import ClaimStatus, ClaimVerdict, VerificationReport

EntryOrAction = TypeVar("EntryOrAction", TimelineEntry, ActionItem)
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


def _report_claims(report: IncidentReport) -> list[tuple[Claim, bool]]:
    """Every item of the report as a claim, with whether to retrieve beyond its citations
    (summaries condense the whole chat, so they also look at the closest messages)."""
    claims: list[tuple[Claim, bool]] = []
    for field in ("technical", "plain"):
        claims += [(c, True) for c in _summary_claims(report.summary, field)]
    claims += [(_statement_claim(s, f"impact[{i}]"), False) for i, s in enumerate(report.impact)]
    for name in ("detection", "root_cause", "resolution"):
        item = getattr(report, name)
        if item is not None:
            claims.append((_statement_claim(item, name), False))
    claims += [(_timeline_claim(e, f"timeline[{i}]"), False) for i, e in enumerate(report.timeline)]
    claims += [
        (_statement_claim(s, f"contributing_factors[{i}]"), False)
        for i, s in enumerate(report.contributing_factors)
    ]
    claims += [
        (_action_claim(a, f"action_items[{i}]"), False) for i, a in enumerate(report.action_items)
    ]
    return claims


UNVERIFIED_MARK = "(unverified)"


def _apply(
    report: IncidentReport, verdicts: dict[str, ClaimVerdict], keep_failed: bool
) -> IncidentReport:
    """The report without the items whose verdict is not "supported"; with `keep_failed`, those
    items stay, their text starting with "(unverified)" so no reader takes them as checked."""

    def failed(item: str) -> bool:
        verdict = verdicts.get(item)
        return verdict is not None and verdict.status != "supported"

    def mark(text: str) -> str:
        return text if text.startswith(UNVERIFIED_MARK) else f"{UNVERIFIED_MARK} {text}"

    summary = report.summary
    texts: dict[str, str] = {}
    for field in ("technical", "plain"):
        sentences = [
            mark(c.text) if failed(c.item or "") else c.text
            for c in _summary_claims(summary, field)
            if keep_failed or not failed(c.item or "")
        ]
        texts[field] = " ".join(sentences) if sentences else UNVERIFIED_SUMMARY

    def statement(item: Statement, name: str) -> Statement | None:
        if not failed(name):
            return item
        return item.model_copy(update={"text": mark(item.text)}) if keep_failed else None

    def statements(items: list[Statement], name: str) -> list[Statement]:
        checked = (statement(s, f"{name}[{i}]") for i, s in enumerate(items))
        return [s for s in checked if s is not None]

    def optional(item: Statement | None, name: str) -> Statement | None:
        return None if item is None else statement(item, name)

    def described(items: list[EntryOrAction], name: str) -> list[EntryOrAction]:
        kept: list[EntryOrAction] = []
        for i, item in enumerate(items):
            if not failed(f"{name}[{i}]"):
                kept.append(item)
            elif keep_failed:
                kept.append(item.model_copy(update={"description": mark(item.description)}))
        return kept

    return report.model_copy(
        update={
            "summary": summary.model_copy(update=texts),
            "impact": statements(report.impact, "impact"),
            "detection": optional(report.detection, "detection"),
            "timeline": described(report.timeline, "timeline"),
            "root_cause": optional(report.root_cause, "root_cause"),
            "contributing_factors": statements(report.contributing_factors, "contributing_factors"),
            "resolution": optional(report.resolution, "resolution"),
            "action_items": described(report.action_items, "action_items"),
        }
    )


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
    verdicts = {
        claim.item or claim.text: _verdict(
            assess_claim(claim, source, retrieve=retrieve), unsettled=unsettled
        )
        for claim, retrieve in _report_claims(report)
    }
    return _apply(report, verdicts, keep_failed), VerificationReport.of(list(verdicts.values()))


async def verify_report_with_judge(
    report: IncidentReport,
    transcript: Transcript,
    judge: ClaimJudge,
    *,
    keep_failed: bool = False,
) -> tuple[IncidentReport, VerificationReport]:
    """Like `verify_report`, but the items the rules cannot settle go to `judge` in one batch
    (an LLM's paraphrase of what the chat says is often beyond the lexical rules)."""
    source = SourceIndex(transcript)
    assessments = {
        claim.item or claim.text: assess_claim(claim, source, retrieve=retrieve)
        for claim, retrieve in _report_claims(report)
    }
    open_items = [key for key, a in assessments.items() if a.status is None]
    requests = [
        JudgeRequest(
            index=index,
            claim=assessments[key].claim.text,
            candidates=assessments[key].candidates[:JUDGE_CANDIDATES],
        )
        for index, key in enumerate(open_items)
    ]
    answers = {a.index: a for a in await judge.judge(requests, transcript)} if requests else {}
    verdicts = {key: _verdict(a) for key, a in assessments.items()}
    for index, key in enumerate(open_items):
        answer = answers.get(index)
        if answer is not None:
            verdicts[key] = _judged(assessments[key], answer, transcript)
    return _apply(report, verdicts, keep_failed), VerificationReport.of(list(verdicts.values()))
