"""Checks of what a draft's form asserts: its citations point at real messages, and its
participants line names people who took part in the chat."""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext

def check_citations(ctx: ClaimContext) -> CheckResult:
    """Every message id the claim cites exists in the transcript: a citation of a message that
    does not exist supports nothing."""
    cited = ctx.claim.evidence
    if not cited:
        return CheckResult("citations", "skip")
    missing = [i for i in cited if ctx.source.doc(i) is None]
    if missing:
        count = len(ctx.source.docs)
        shown = ", ".join(f"m{i}" for i in missing)
        return CheckResult(
            "citations",
            "unsupported",
            f"it cites {shown}, but the transcript has no such message (it has {count})",
        )
    return CheckResult("citations", "pass", "its citations point at messages", tuple(cited))


def check_roster(ctx: ClaimContext) -> CheckResult:
    """A participants line ("Participants: Priya, Ravi") names only people who wrote in or are
    named in the chat."""
    if not ctx.is_roster:
        return CheckResult("roster", "skip")
    label = (ctx.claim.label or "").lower()
    value = ctx.text.split(":", 1)[1] if ctx.text.lower().startswith(label) else ctx.text
    names = [n.strip(" .") for n in re.split(r",|\band\b|;", value) if n.strip(" .")]
    strangers = [n for n in names if not _took_part(ctx, n)]
    if strangers:
        return CheckResult(
            "roster", "unsupported", f"{', '.join(strangers)} did not take part in the chat"
        )
    return CheckResult("roster", "pass", "everyone named took part in the chat")


def _took_part(ctx: ClaimContext, name: str) -> bool:
    lowered = name.lower()
    return lowered in ctx.source.participants or all(
        word in ctx.source.raw_tokens for word in lowered.split()
    )
