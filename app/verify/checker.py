"""Run every check on every claim and settle a verdict.

Settled by the rules:
- a check fails: "contradicted" (the chat states something else) beats "unsupported";
- supported: no check failed and at least `SUPPORTED_COVERAGE` (60%) of the claim's key words
  (content words minus postmortem boilerplate and participant names) occur in the cited or the
  three closest messages, with no word the chat never uses (one allowed from 75% coverage, two
  from 90%); or `ANCHORED_COVERAGE` (40%) with at most one such word when a concrete fact - a
  time, a figure, a person, a "done" statement - was positively matched.
Everything else is *unsettled*: nothing contradicts it, but its words are too far from the chat to
call it supported. Unsettled claims go to the LLM judge when there is one; without one they get
`UNSETTLED_STATUS` ("unsupported": a claim the checker could not confirm is shown to the reviewer
rather than passed silently), with a reason starting "not settled by the rules".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.models import Transcript
from app.verify.claims import Claim, split_claims
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.draft_checks import HEADER_CHECKS, check_citations
from app.verify.fact_checks import check_figures, check_identifiers, check_people, check_times
from app.verify.judge import ClaimJudge, JudgeRequest, JudgeVerdict
from app.verify.source import SourceIndex
from app.verify.verdicts import ClaimStatus, ClaimVerdict, VerificationReport
from app.verify.wording_checks import (
    check_done,
    check_novelty,
    check_placeholders,
    check_polarity,
    check_quantifiers,
)

SUPPORTED_COVERAGE = 0.6
ANCHORED_COVERAGE = 0.4
UNSETTLED_STATUS: ClaimStatus = "unsupported"


def UNKNOWN_ALLOWED(coverage: float) -> int:  # noqa: N802 - reads as a threshold table
    """Words the chat never uses that a supported claim may still contain: none at the
    coverage threshold, one from 75%, two from 90% (long, otherwise verbatim claims)."""
    return 0 if coverage < 0.75 else 1 if coverage < 0.9 else 2


# How many retrieved messages an unsettled claim takes to the judge.
JUDGE_CANDIDATES = 8

CHECKS: tuple[Callable[[ClaimContext], CheckResult], ...] = (
    check_citations,
    check_placeholders,
    check_times,
    check_figures,
    check_identifiers,
    check_people,
    check_quantifiers,
    check_polarity,
    check_done,
    check_novelty,
)


@dataclass
class Assessment:
    """The rules' view of one claim; `status` is None when they cannot settle it."""

    claim: Claim
    status: ClaimStatus | None
    reason: str
    evidence: list[int]
    checks: list[str]
    candidates: list[int]


def assess_claim(claim: Claim, source: SourceIndex, *, retrieve: bool = True) -> Assessment:
    """Apply every deterministic check to one claim."""
    ctx = ClaimContext(claim, source, retrieve=retrieve)
    header_check = HEADER_CHECKS.get((claim.label or "").lower())
    header = header_check(ctx) if header_check is not None else None
    if header is not None and header.outcome != "skip":
        return _header_assessment(ctx, [check_citations(ctx), header])
    results = [check(ctx) for check in CHECKS]
    applied = [r for r in results if r.outcome != "skip"]
    labels = [r.label for r in applied]
    for failing in ("contradicted", "unsupported"):
        failed = [r for r in applied if r.outcome == failing]
        if failed:
            evidence = [i for r in failed for i in r.evidence]
            reason = "; ".join(r.reason for r in failed)
            return Assessment(
                claim,
                failed[0].outcome,  # type: ignore[arg-type]
                reason,
                _unique(evidence),
                labels,
                ctx.evidence,
            )
    open_ = [r for r in applied if r.outcome == "unsettled"]
    if open_:
        return Assessment(
            claim,
            None,
            "; ".join(r.reason for r in open_),
            _unique([i for r in open_ for i in r.evidence]),
            labels,
            ctx.evidence,
        )
    anchored = [i for r in applied if r.outcome == "pass" for i in r.evidence]
    if not ctx.content and anchored:
        # "09:10 to 09:22, 12 minutes": every fact it states was matched, no words are left over.
        return Assessment(
            claim,
            "supported",
            "every fact it states matches the chat and no check failed",
            _unique(anchored)[:4],
            labels,
            ctx.evidence,
        )
    closest = ctx.docs(claim.evidence) if claim.evidence else ctx.docs()[:3]
    covered: set[str] = set()
    for doc in closest:
        covered |= doc.stems
    coverage = overlap(set(ctx.content), covered)
    labels.append(f"coverage:{coverage:.2f}")
    evidence = _unique(anchored + [d.message.id for d in closest if ctx.content & d.stems])[:4]
    unknown = [w for w in ctx.content if not source.known(w)]
    if ctx.content and (
        (coverage >= SUPPORTED_COVERAGE and len(unknown) <= UNKNOWN_ALLOWED(coverage))
        or (anchored and coverage >= ANCHORED_COVERAGE and len(unknown) <= 1)
    ):
        return Assessment(
            claim,
            "supported",
            f"{coverage:.0%} of its key words are in the cited or closest "
            "messages and no check failed",
            evidence,
            labels,
            ctx.evidence,
        )
    missing = f"; the chat never uses {', '.join(sorted(unknown)[:4])}" if unknown else ""
    return Assessment(
        claim,
        None,
        f"only {coverage:.0%} of its key words are in the closest messages{missing}",
        evidence,
        labels,
        ctx.evidence,
    )


def _header_assessment(ctx: ClaimContext, results: list[CheckResult]) -> Assessment:
    """A header line ("Participants: ...", "Date: ...") settled by its own checks alone (the
    last of `results` applies)."""
    applied = [r for r in results if r.outcome != "skip"]
    labels = [r.label for r in applied]
    evidence = _unique([i for r in applied for i in r.evidence])
    failed = [r for r in applied if r.outcome in ("contradicted", "unsupported")]
    failed.sort(key=lambda r: r.outcome != "contradicted")
    if failed:
        reason = "; ".join(r.reason for r in failed)
        return Assessment(
            ctx.claim,
            failed[0].outcome,  # type: ignore[arg-type]
            reason,
            evidence,
            labels,
            ctx.evidence,
        )
    return Assessment(ctx.claim, "supported", applied[-1].reason, evidence, labels, ctx.evidence)


def _unique(ids: list[int]) -> list[int]:
    return list(dict.fromkeys(i for i in ids if i > 0))


def _verdict(assessment: Assessment, *, unsettled: ClaimStatus = UNSETTLED_STATUS) -> ClaimVerdict:
    status = assessment.status
    reason = assessment.reason
    if status is None:
        status = unsettled
        reason = f"not settled by the rules ({reason}); no LLM judge to confirm it"
    return ClaimVerdict(
        text=assessment.claim.text,
        status=status,
        evidence=assessment.evidence,
        reason=reason,
        checks=assessment.checks,
        judged_by="rules",
        line=assessment.claim.line,
        item=assessment.claim.item,
    )


def verify_claims(
    claims: Sequence[Claim], transcript: Transcript, *, unsettled: ClaimStatus = UNSETTLED_STATUS
) -> VerificationReport:
    """Verdicts for already-split claims, deterministic and offline."""
    source = SourceIndex(transcript)
    return VerificationReport.of(
        [_verdict(assess_claim(c, source), unsettled=unsettled) for c in claims]
    )


def verify_draft(draft: str, transcript: Transcript) -> VerificationReport:
    """Check every factual claim of a draft against the chat, with the deterministic rules only.

    Claims the rules cannot settle get `UNSETTLED_STATUS`, with a reason saying so."""
    return verify_claims(split_claims(draft), transcript)


async def verify_draft_with_judge(
    draft: str, transcript: Transcript, judge: ClaimJudge
) -> VerificationReport:
    """Like `verify_draft`, but claims the rules cannot settle go to `judge` in one batch."""
    source = SourceIndex(transcript)
    assessments = [assess_claim(c, source) for c in split_claims(draft)]
    open_ = [i for i, a in enumerate(assessments) if a.status is None]
    verdicts = [_verdict(a) for a in assessments]
    if not open_:
        return VerificationReport.of(verdicts)
    requests = [
        JudgeRequest(
            index=i,
            claim=assessments[i].claim.text,
            candidates=assessments[i].candidates[:JUDGE_CANDIDATES],
        )
        for i in open_
    ]
    answers = {a.index: a for a in await judge.judge(requests, transcript)}
    for i in open_:
        answer = answers.get(i)
        if answer is not None:
            verdicts[i] = _judged(assessments[i], answer, transcript)
    return VerificationReport.of(verdicts)


def _judged(assessment: Assessment, answer: JudgeVerdict, transcript: Transcript) -> ClaimVerdict:
    """The judge's verdict, with evidence ids it invented dropped; a "supported" that cites no
    existing message is downgraded, since support must point at the chat."""
    valid = [i for i in dict.fromkeys(answer.evidence) if transcript.message(i) is not None]
    status: ClaimStatus = answer.status
    reason = answer.reason
    dropped = [i for i in answer.evidence if i not in valid]
    if dropped:
        reason += f" (ignored evidence ids {dropped}: no such message)"
    if status == "supported" and not valid:
        status = "unsupported"
        reason = f"the judge called it supported but cited no existing message; {reason}"
    return ClaimVerdict(
        text=assessment.claim.text,
        status=status,
        evidence=valid,
        reason=reason,
        checks=[*assessment.checks, f"llm:{answer.status}"],
        judged_by="llm",
        line=assessment.claim.line,
        item=assessment.claim.item,
    )
