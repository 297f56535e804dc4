"""Fact checking: every claim of a draft (ours or anyone's) checked against the chat.

`split_claims` cuts a draft into claims; `SourceIndex` prepares the transcript once (retrieval,
times, figures, names, the chat's own assignments); hard checks (times, figures and durations,
identifiers and names, owners and actors, placeholders, citations) decide, and a failed one makes
a claim `unsupported` or `contradicted`; soft signals (word overlap, polarity, done versus
planned, "all") only ask: with an LLM judge (`ClaimJudge`) the claim goes to it, without one it
ships as `unconfirmed`. `verify_report` applies the same checks to every printed field of our own
extraction and removes (or marks) the items that fail.
"""

from app.verify.checker import MAX_CLAIMS, verify_claims, verify_draft, verify_draft_with_judge
from app.verify.claims import Claim
from app.verify.judge import (
    ClaimJudge,
    JudgeAnswer,
    JudgeRequest,
    JudgeVerdict,
    LLMClaimJudge,
)
from app.verify.judge_cache import CachedJudge, JudgeCache
from app.verify.report import verify_report, verify_report_with_judge
from app.verify.splitting import split_claims
from app.verify.verdicts import ClaimStatus, ClaimVerdict, VerificationReport

__all__ = [
    "MAX_CLAIMS",
    "CachedJudge",
    "Claim",
    "ClaimJudge",
    "ClaimStatus",
    "ClaimVerdict",
    "JudgeAnswer",
    "JudgeCache",
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
