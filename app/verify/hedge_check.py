"""A hedge is no statement: "not sure catalog-service is fine yet", "I think it's the cache",
"maybe the pool?" do not say that catalog-service is fine, or that the cache was the cause.

A claim that states something flatly is flagged (a soft signal: the judge decides, and without
one it ships as "unconfirmed") when the messages it rests on (the cited ones, or the closest)
hold its words only in hedged or questioning clauses: no clause of theirs that states it plainly
covers as much of the claim. Follow-up work and plans are not checked here (work is asked for
in questions; the owner rules read requests and their answers). A hedge never fails a claim:
the chat may confirm it elsewhere, and the uncertain message does not say the opposite either.
"""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.text import STOP_STEMS

# Cues of uncertainty in a clause ("not sure", "I think", "maybe", "might be", "probably").
HEDGE = re.compile(
    r"\b(?:not[ \t]++(?:sure|certain|convinced|clear)|unsure|uncertain|unclear|no[ \t]++idea|"
    r"(?:i|we)[ \t]++(?:think|guess|suspect|believe|assume|wonder|doubt)|"
    r"(?:don['’]?t|do[ \t]++not)[ \t]++(?:know|think)|dunno|maybe|might|"
    r"may[ \t]++be|could[ \t]++be|possibly|probably|perhaps|presumably|guessing|hopefully|"
    r"my[ \t]++(?:guess|theory|hunch)|hypothes[ie]s|theory|wondering)\b",
    re.IGNORECASE,
)
# A clause covers a claim from this share of its key words (as `SUPPORTED_COVERAGE`).
COVERS = 0.6


def is_hedged(text: str) -> bool:
    """True for a clause that is uncertain or asks: a hedge cue, or a question mark at its end."""
    return bool(HEDGE.search(text)) or text.rstrip(' \t*_)"”’').endswith("?")


def check_hedge(ctx: ClaimContext) -> CheckResult:
    """Flag a flat claim whose words the messages it rests on say only with a hedge."""
    if is_hedged(ctx.text):
        return CheckResult("hedge", "skip")  # the claim hedges too: no stronger than its source
    if ctx.claim.owner is not None or ctx.planned_section or ctx.facts.planned:
        # follow-up work is asked for ("who can take the log rotation?"): the owner rules read
        # requests and answers; a plan states no fact a hedge could weaken
        return CheckResult("hedge", "skip")
    content = set(ctx.content) - STOP_STEMS
    if not content:
        return CheckResult("hedge", "skip")
    plain: set[str] = set()
    hedged: list[tuple[int, str, float]] = []
    for doc in ctx.cited_docs or ctx.docs()[:3]:
        for clause in doc.clauses:
            words = clause.stems | clause.content
            if is_hedged(clause.text):
                hedged.append((doc.message.id, clause.text, overlap(content, set(words))))
            else:
                plain |= words
    said_plainly = overlap(content, plain)
    best = max(hedged, key=lambda h: h[2], default=None)
    if best is None or best[2] < COVERS or said_plainly >= min(COVERS, best[2]):
        return CheckResult("hedge", "skip")
    message_id, text, _ = best
    return CheckResult(
        "hedge",
        "flag",
        f"m{message_id} says this only with a hedge or as a question: {text.strip()[:120]!r}",
        (message_id,),
    )
