"""Verdicts for a draft's claims: the rules first, then (optionally) the LLM judge.

The rules settle what hard checks can (`assessment`). Every claim they leave open, every claim
supported by its words alone, and every claim failed only by a check that reads meaning
(polarity, done-versus-planned, "all"), goes to the judge in one batched call when there is one;
without a judge an open claim ships as "unconfirmed" (nothing contradicts it; the rules could not
confirm it). A draft is cut into at most `MAX_CLAIMS` claims; past that the request is refused
(`TooManyClaimsError`, 413) rather than answered slowly.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import replace

from app.collector import pauses_collector
from app.errors import TooManyClaimsError
from app.models import Transcript
from app.verify.assessment import Assessment, assess_claim
from app.verify.claims import Claim
from app.verify.judge_models import ClaimJudge, JudgeRequest, JudgeVerdict
from app.verify.source import SourceIndex
from app.verify.splitting import split_claims
from app.verify.verdicts import ClaimStatus, ClaimVerdict, VerificationReport

MAX_CLAIMS = 500
# Messages of context a judged claim takes beyond its citations and their neighbours.
JUDGE_RETRIEVED = 5
# The rules' assessments made against each live index, by claim (its JSON) and `retrieve`: a
# draft's passes over one chat (the rules pass, verify with the judge's verdicts, the repair's
# plan and its re-verify) assess the same claims again, and an assessment is a function of the
# claim and the chat alone. Dropped with the index (`SourceIndex.of` keeps the last two chats).
_Kept = dict[tuple[str, bool], tuple[Assessment, bool]]  # and whether it holds the claim given
_ASSESSED: weakref.WeakKeyDictionary[SourceIndex, _Kept] = weakref.WeakKeyDictionary()
_ASSESSED_LOCK = threading.Lock()


def rules_verdict(assessment: Assessment) -> ClaimVerdict:
    """The rules' verdict: an open claim is "unconfirmed", unless it was read out of a courtesy
    phrase (`Claim.wrapped`): a fact tucked into "We are writing to confirm that ...", "Thank
    you for your patience while ..." or a postscript ships only when confirmed, so boilerplate
    cannot carry an unchecked fact past the checker."""
    status: ClaimStatus = assessment.status or "unconfirmed"
    reason = assessment.reason
    if assessment.status is None and assessment.claim.wrapped:
        status = "unsupported"
        reason = (
            "it sits in a courtesy phrase, and the rules could not confirm it (a fact there "
            f"ships only when confirmed): {reason}"
        )
    elif assessment.status is None:
        reason = f"not confirmed by the rules: {reason}"
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


def needs_judge(assessment: Assessment) -> bool:
    """True for a claim the hard checks did not settle: open, supported by words alone, or failed
    only by the interpretive checks (`assessment.INTERPRETIVE`)."""
    return not assessment.settled


def judge_request(index: int, assessment: Assessment, source: SourceIndex) -> JudgeRequest:
    """What the judge sees of one claim: every message it cites, their neighbours, and the best
    retrieved matches."""
    cited = [i for i in dict.fromkeys(assessment.claim.evidence or []) if i in source.docs]
    context: list[int] = list(cited)
    for message_id in cited:
        context += source.neighbours(message_id, 1)
    context += [i for i in assessment.candidates if i not in context][:JUDGE_RETRIEVED]
    context += [i for i in assessment.evidence if i in source.docs]
    return JudgeRequest(
        index=index,
        claim=assessment.claim.text,
        cited=cited,
        context=sorted(dict.fromkeys(context), key=lambda i: source.positions.get(i, 0)),
    )


def judged_verdict(
    assessment: Assessment, answer: JudgeVerdict, transcript: Transcript
) -> ClaimVerdict:
    """The judge's verdict, with evidence ids it invented dropped. Support must point at the
    chat: a "supported" that cites no existing message is only "unconfirmed", and a
    "contradicted" that cites none is "unsupported"."""
    valid = [i for i in dict.fromkeys(answer.evidence) if transcript.message(i) is not None]
    status: ClaimStatus = answer.status
    reason = answer.reason
    dropped = [i for i in answer.evidence if i not in valid]
    if dropped:
        reason += f" (ignored evidence ids {dropped}: no such message)"
    if status == "supported" and not valid:
        status = "unconfirmed"
        reason = f"the judge called it supported but cited no existing message; {reason}"
    elif status == "contradicted" and not valid:
        status = "unsupported"
        reason = f"the judge called it contradicted but cited no existing message; {reason}"
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


@pauses_collector
def assess_all(
    claims: Sequence[tuple[Claim, bool]], source: SourceIndex, *, max_claims: int = MAX_CLAIMS
) -> list[Assessment]:
    """The rules' assessment of each (claim, retrieve) pair; too many claims is an error."""
    if len(claims) > max_claims:
        raise TooManyClaimsError(
            f"the draft has {len(claims)} claims; at most {max_claims} are checked per request",
            hint="split the draft and verify it in parts",
            claims=len(claims),
            limit=max_claims,
        )
    with _ASSESSED_LOCK:
        known = _ASSESSED.setdefault(source, {})
    found: list[Assessment] = []
    for claim, retrieve in claims:
        key = (claim.model_dump_json(), retrieve)
        kept = known.get(key)
        if kept is None:
            assessment = assess_claim(claim, source, retrieve=retrieve)
            kept = known[key] = (assessment, assessment.claim is claim)
        found.append(_copy(kept, claim))
    return found


def _copy(kept: tuple[Assessment, bool], claim: Claim) -> Assessment:
    """A kept assessment for `claim` (equal to the claim assessed), its lists its own."""
    assessment, holds_claim = kept
    return replace(
        assessment,
        claim=claim if holds_claim else assessment.claim,
        evidence=list(assessment.evidence),
        checks=list(assessment.checks),
        candidates=list(assessment.candidates),
    )


async def judge_open(
    assessments: list[Assessment],
    source: SourceIndex,
    judge: ClaimJudge,
) -> dict[int, ClaimVerdict]:
    """Ask the judge, in one batch, about every claim the hard checks did not settle; returns
    the judged verdicts by position (claims the judge left out keep the rules' verdict)."""
    open_ = [i for i, a in enumerate(assessments) if needs_judge(a)]
    if not open_:
        return {}
    requests = [judge_request(i, assessments[i], source) for i in open_]
    answers = {a.index: a for a in await judge.judge(requests, source.transcript)}
    return {
        i: judged_verdict(assessments[i], answers[i], source.transcript)
        for i in open_
        if i in answers
    }


def verify_claims(
    claims: Sequence[Claim], transcript: Transcript, *, max_claims: int = MAX_CLAIMS
) -> VerificationReport:
    """Verdicts for already-split claims, deterministic and offline."""
    source = SourceIndex.of(transcript)
    assessments = assess_all([(c, True) for c in claims], source, max_claims=max_claims)
    return VerificationReport.of([rules_verdict(a) for a in assessments])


async def verify_claims_with_judge(
    claims: Sequence[Claim],
    transcript: Transcript,
    judge: ClaimJudge,
    *,
    max_claims: int = MAX_CLAIMS,
) -> VerificationReport:
    """`verify_claims`, with the claims the hard checks did not settle judged in one batch."""
    source = SourceIndex.of(transcript)
    assessments = assess_all([(c, True) for c in claims], source, max_claims=max_claims)
    judged = await judge_open(assessments, source, judge)
    return VerificationReport.of(
        [judged.get(i) or rules_verdict(a) for i, a in enumerate(assessments)]
    )


def verify_draft(
    draft: str, transcript: Transcript, *, max_claims: int = MAX_CLAIMS
) -> VerificationReport:
    """Check every factual claim of a draft against the chat, with the rules only; claims they
    cannot confirm are "unconfirmed"."""
    return verify_claims(split_claims(draft), transcript, max_claims=max_claims)


async def verify_draft_with_judge(
    draft: str, transcript: Transcript, judge: ClaimJudge, *, max_claims: int = MAX_CLAIMS
) -> VerificationReport:
    """Like `verify_draft`, but the claims the hard checks did not settle go to `judge` in one
    batch."""
    source = SourceIndex.of(transcript)
    claims = [(c, True) for c in split_claims(draft)]
    assessments = assess_all(claims, source, max_claims=max_claims)
    judged = await judge_open(assessments, source, judge)
    verdicts = [judged.get(i) or rules_verdict(a) for i, a in enumerate(assessments)]
    return VerificationReport.of(verdicts)
