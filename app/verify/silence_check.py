"""Claims about what the chat does not say ("The chat does not settle on a root cause", "No
follow-up work was agreed in the chat", "Date: not stated in the chat"). They are claims like any
other, true only when the chat is indeed silent.

The rules can prove such a claim false where a hard fact of the chat answers it: follow-ups the
chat gives to someone contradict "no follow-up was agreed"; timed messages contradict "the chat
gives no times"; a date the chat carries contradicts "no date". Where the chat is indeed silent on
a date, the claim is confirmed. An absence of anything else cannot be proven by matching words,
so the claim is flagged for the judge (and ships as unconfirmed without one).
"""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext

_SILENCE = re.compile(
    r"\b(?:the[ \t]++)?+(?:chat|channel|transcript|thread|conversation|discussion|team)[ \t]++"
    r"(?:does[ \t]++not|doesn['’]t|did[ \t]++not|didn['’]t|never|gives[ \t]++no|has[ \t]++no|"
    r"holds[ \t]++no|names[ \t]++no|shows[ \t]++no|states[ \t]++no)\b"
    r"|\b(?:not|never)[ \t]++(?:stated|mentioned|said|discussed|recorded|given|known|agreed|"
    r"settled|assigned|confirmed)(?:[ \t]++(?:in|by)[ \t]++the[ \t]++(?:chat|channel|"
    r"transcript|thread))?+\b"
    r"|^[ \t]*+(?:no|none)[ \t]++(?:[\w-]++[ \t]++){0,3}?(?:was|were)[ \t]++(?:agreed|recorded|"
    r"assigned|mentioned|discussed|stated|given|identified)\b"
    r"|^[ \t]*+(?:not[ \t]++stated|unknown|none[ \t]++recorded|n/a)\b",
    re.IGNORECASE,
)
_FOLLOW_UPS = re.compile(
    r"\b(?:follow[- ]?up|action[ \t]++items?|owner|assigned|agreed|next[ \t]++steps?|to-?dos?)",
    re.IGNORECASE,
)
_TIMES = re.compile(r"\b(?:timed|times?|timeline|timestamps?|when)\b", re.IGNORECASE)
_DATE = re.compile(r"\bdate\b", re.IGNORECASE)


def is_silence_claim(text: str) -> bool:
    """True for a sentence about what the chat does not say."""
    return bool(_SILENCE.search(text))


def check_silence(ctx: ClaimContext) -> CheckResult:
    """A claim that the chat is silent on something, against what the chat does say."""
    if not is_silence_claim(ctx.text):
        return CheckResult("silence", "skip")
    text = ctx.text
    source = ctx.source
    if _FOLLOW_UPS.search(text):
        owned = source.owned_follow_ups
        if owned:
            first = owned[0]
            where = first.owner_message or first.message_id
            return CheckResult(
                "silence",
                "contradicted",
                f"the chat gives follow-up work to {first.owner} (m{where}: {first.task[:60]!r})",
                (where,),
            )
    label = (ctx.claim.label or "").lower()
    if label == "date" or (_DATE.search(text) and not _TIMES.search(text)):
        transcript = source.transcript
        if transcript.date is not None:
            return CheckResult(
                "silence", "contradicted", f"the chat is dated {transcript.date.isoformat()}"
            )
        return CheckResult("silence", "pass", "the chat states no date")
    if _TIMES.search(text) and "no" in text.lower().split() and source.by_time:
        timed = next(iter(source.by_time.values()))[0]
        return CheckResult(
            "silence", "contradicted", f"the chat's messages carry times (m{timed})", (timed,)
        )
    return CheckResult(
        "silence",
        "flag",
        "it says what the chat does not say; matching words cannot prove an absence",
    )
