"""Fact checking: every claim of a draft (ours or anyone's) checked against the chat.

Pipeline: `split_claims` cuts a draft into claims; `SourceIndex` prepares the transcript once
(BM25 retrieval, times, figures, assignments); deterministic checks (times, figures and
durations, identifiers, people and owners, quantifiers, polarity, done versus planned, placeholders,
novelty) settle what they can; the rest is unsettled and goes to an optional `ClaimJudge` (an LLM)
or defaults to "unsupported". `verify_report` applies the same checks to our own extraction and
removes (or keeps, for marking) the items that fail.
"""

from app.verify.checker import (
    UNSETTLED_STATUS,
    verify_claims,
    verify_draft,
    verify_draft_with_judge,
)
from app.verify.claims import Claim, split_claims
from app.verify.judge import (
    CachedJudge,
    ClaimJudge,
    JudgeCache,
    JudgeRequest,
    JudgeVerdict,
    LLMClaimJudge,
)
from app.verify.report import verify_report, verify_report_with_judge
from app.verify.verdicts import ClaimStatus, ClaimVerdict, VerificationReport

__all__ = [
    "UNSETTLED_STATUS",
    "CachedJudge",
    "JudgeCache",
    "Claim",
    "ClaimJudge",
    "ClaimStatus",
    "ClaimVerdict",
    "JudgeRequest",
    "JudgeVerdict",
    "LLMClaimJudge",
    "VerificationReport",
    "split_claims",
    "verify_claims",
    "verify_draft",
    "verify_draft_with_judge",
    "verify_report",
    "verify_report_with_judge",
]
