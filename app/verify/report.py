"""Verify our own extraction before it is rendered: every printed text is a checked claim.

Each field a draft prints is one claim, checked against the messages its item cites: the title and
the plain title, every summary sentence (also against retrieved messages, since a summary
condenses the whole chat), impact, detection, root cause, contributing factors, resolution,
timeline rows and action items (with their owners), and the `plain` wording of each for the
stakeholder email. A failed item (unsupported or contradicted) is removed, or kept and marked
"(unverified)" when the caller wants to mark; a failed `plain` wording is dropped from its item
(the stakeholder email then leaves the item out), and a failed title is always kept, marked,
since a draft needs one. "Unconfirmed" items ship: nothing contradicts them. A summary left with
no sentence is left out of the draft, never replaced by a statement about the chat.
"""

from __future__ import annotations

from typing import TypeVar

from app.models import (
    ActionItem,
    IncidentReport,
    Statement,
    SummarySentence,
    TimelineEntry,
    Transcript,
    hhmm,
)
from app.verify.checker import MAX_CLAIMS, assess_all, judge_open, rules_verdict
from app.verify.claims import Claim
from app.verify.judge_models import ClaimJudge
from app.verify.source import SourceIndex
from app.verify.verdicts import ClaimVerdict, VerificationReport

Item = TypeVar("Item", Statement, TimelineEntry, ActionItem)
UNVERIFIED_MARK = "(unverified)"


def _text_and_plain(
    text: str, plain: str | None, evidence: list[int], item: str, section: str | None = None
) -> list[tuple[Claim, bool]]:
    claims = [(Claim(text=text, evidence=evidence, item=item, section=section), False)]
    if plain:
        claims.append((Claim(text=plain, evidence=evidence, item=f"{item}.plain"), False))
    return claims


def report_claims(report: IncidentReport) -> list[tuple[Claim, bool]]:
    """Every printed field of the report as a claim, with whether to retrieve beyond its
    citations (summaries and titles condense the whole chat, so they also read the closest
    messages)."""
    claims: list[tuple[Claim, bool]] = [(Claim(text=report.title, item="title"), True)]
    if report.plain_title:
        claims.append((Claim(text=report.plain_title, item="plain_title"), True))
    for field in ("technical", "plain"):
        sentences: list[SummarySentence] = getattr(report.summary, field)
        claims += [
            (Claim(text=s.text, evidence=s.evidence, item=f"summary.{field}[{i}]"), True)
            for i, s in enumerate(sentences)
        ]
    for i, statement in enumerate(report.impact):
        claims += _text_and_plain(
            statement.text, statement.plain, statement.evidence, f"impact[{i}]"
        )
    for name in ("detection", "root_cause", "resolution"):
        single: Statement | None = getattr(report, name)
        if single is not None:
            claims += _text_and_plain(single.text, single.plain, single.evidence, name)
    for i, entry in enumerate(report.timeline):
        text = f"{hhmm(entry.time)}: {entry.description}"
        claims += _text_and_plain(text, entry.plain, entry.evidence, f"timeline[{i}]")
    for i, factor in enumerate(report.contributing_factors):
        claims += _text_and_plain(
            factor.text, factor.plain, factor.evidence, f"contributing_factors[{i}]"
        )
    for i, action in enumerate(report.action_items):
        item = f"action_items[{i}]"
        claims.append(
            (
                Claim(
                    text=action.description,
                    evidence=action.evidence,
                    item=item,
                    section="Action items",
                    owner=action.owner,
                ),
                False,
            )
        )
        if action.plain:
            claims.append(
                (
                    Claim(
                        text=action.plain,
                        evidence=action.evidence,
                        item=f"{item}.plain",
                        section="Action items",
                    ),
                    False,
                )
            )
    return claims


def _mark(text: str) -> str:
    return text if text.startswith(UNVERIFIED_MARK) else f"{UNVERIFIED_MARK} {text}"


class _Filter:
    """Applies verdicts to a report: failed items out (or marked), failed plain wording out."""

    def __init__(self, verdicts: dict[str, ClaimVerdict], keep_failed: bool) -> None:
        self.verdicts = verdicts
        self.keep_failed = keep_failed

    def failed(self, item: str) -> bool:
        verdict = self.verdicts.get(item)
        return verdict is not None and verdict.failed

    def plain(self, plain: str | None, item: str) -> str | None:
        if plain is None or not self.failed(f"{item}.plain"):
            return plain
        return _mark(plain) if self.keep_failed else None

    def item(self, value: Item, item: str, field: str) -> Item | None:
        plain = self.plain(value.plain, item)
        if not self.failed(item):
            return value if plain == value.plain else value.model_copy(update={"plain": plain})
        if not self.keep_failed:
            return None
        return value.model_copy(update={field: _mark(getattr(value, field)), "plain": plain})

    def items(self, values: list[Item], name: str, field: str) -> list[Item]:
        kept = (self.item(v, f"{name}[{i}]", field) for i, v in enumerate(values))
        return [v for v in kept if v is not None]

    def sentences(self, values: list[SummarySentence], name: str) -> list[SummarySentence]:
        kept: list[SummarySentence] = []
        for i, sentence in enumerate(values):
            if not self.failed(f"{name}[{i}]"):
                kept.append(sentence)
            elif self.keep_failed:
                kept.append(sentence.model_copy(update={"text": _mark(sentence.text)}))
        return kept

    def apply(self, report: IncidentReport) -> IncidentReport:
        def single(name: str) -> Statement | None:
            value: Statement | None = getattr(report, name)
            return None if value is None else self.item(value, name, "text")

        plain_title = report.plain_title
        if plain_title is not None and self.failed("plain_title"):
            plain_title = _mark(plain_title) if self.keep_failed else None
        summary = report.summary.model_copy(
            update={
                "technical": self.sentences(report.summary.technical, "summary.technical"),
                "plain": self.sentences(report.summary.plain, "summary.plain"),
            }
        )
        return report.model_copy(
            update={
                "title": _mark(report.title) if self.failed("title") else report.title,
                "plain_title": plain_title,
                "summary": summary,
                "impact": self.items(report.impact, "impact", "text"),
                "detection": single("detection"),
                "timeline": self.items(report.timeline, "timeline", "description"),
                "root_cause": single("root_cause"),
                "contributing_factors": self.items(
                    report.contributing_factors, "contributing_factors", "text"
                ),
                "resolution": single("resolution"),
                "action_items": self.items(report.action_items, "action_items", "description"),
            }
        )


def _finish(
    report: IncidentReport,
    claims: list[tuple[Claim, bool]],
    verdicts: list[ClaimVerdict],
    keep_failed: bool,
) -> tuple[IncidentReport, VerificationReport]:
    by_item = {claim.item or claim.text: v for (claim, _), v in zip(claims, verdicts, strict=True)}
    return _Filter(by_item, keep_failed).apply(report), VerificationReport.of(verdicts)


def verify_report(
    report: IncidentReport, transcript: Transcript, *, keep_failed: bool = False
) -> tuple[IncidentReport, VerificationReport]:
    """Check each printed field against its cited evidence; drop the failures unless
    `keep_failed`. Returns the (filtered) report and every field's verdict; a verdict's `item`
    names where it lives ('timeline[2]', 'action_items[0].plain', 'summary.plain[1]', 'title')."""
    source = SourceIndex.of(transcript)
    claims = report_claims(report)
    assessments = assess_all(claims, source, max_claims=max(MAX_CLAIMS, len(claims)))
    return _finish(report, claims, [rules_verdict(a) for a in assessments], keep_failed)


async def verify_report_with_judge(
    report: IncidentReport, transcript: Transcript, judge: ClaimJudge, *, keep_failed: bool = False
) -> tuple[IncidentReport, VerificationReport]:
    """Like `verify_report`, but the fields the hard checks did not settle go to `judge` in one
    batch (an LLM's paraphrase of what the chat says is often beyond the lexical rules)."""
    source = SourceIndex.of(transcript)
    claims = report_claims(report)
    assessments = assess_all(claims, source, max_claims=max(MAX_CLAIMS, len(claims)))
    judged = await judge_open(assessments, source, judge)
    verdicts = [judged.get(i) or rules_verdict(a) for i, a in enumerate(assessments)]
    return _finish(report, claims, verdicts, keep_failed)
