"""Checks of what a draft's form asserts: its citations point at real messages, its
participants line names people who took part in the chat, and its date line is the chat's date.

A header line ("Participants: ...", "Date: ...") is settled by its own check alone
(`HEADER_CHECKS`): it lists names or a date, not an event the chat's words could cover.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from app.verify.context import CheckResult, ClaimContext
from app.verify.wording_checks import placeholders

# Labels of a line that lists the people involved ("Participants: Priya, Ravi").
ROSTER_LABELS = frozenset({"participants", "responders", "attendees"})
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_ZONE = re.compile(r"\(([^()]+)\)\s*\.?$")


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
    # No evidence: a valid citation says where to look, it does not anchor a fact by itself.
    return CheckResult("citations", "pass", "its citations point at messages")


def check_roster(ctx: ClaimContext) -> CheckResult:
    """A participants line ("Participants: Priya, Ravi") names only people who wrote in or are
    named in the chat."""
    label = (ctx.claim.label or "").lower()
    value = ctx.text.split(":", 1)[1] if ctx.text.lower().startswith(label) else ctx.text
    if placeholders(value):
        return CheckResult("roster", "skip")  # "[names]": the placeholder check reports it
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


def check_date(ctx: ClaimContext) -> CheckResult:
    """A date line ("Date: 2025-03-11 (UTC+01:00)") gives the chat's date and time zone."""
    found = _ISO_DATE.search(ctx.text)
    if found is None:
        return CheckResult("date", "skip")  # "March 12" or "[date]": left to the other checks
    written = dt.date.fromisoformat(found[1])
    transcript = ctx.source.transcript
    dates = {transcript.date} | {m.timestamp.date() for m in transcript.messages if m.timestamp}
    dates.discard(None)
    if written not in dates and found[1] not in " ".join(d.raw_lower for d in ctx.docs()):
        if dates:
            shown = ", ".join(sorted(str(d) for d in dates)[:2])
            return CheckResult("date", "contradicted", f"the chat is dated {shown}, not {written}")
        return CheckResult("date", "unsupported", "the chat states no date")
    zone = _ZONE.search(ctx.text)
    if zone and transcript.timezone and _zone(zone[1]) != _zone(transcript.timezone):
        return CheckResult(
            "date", "contradicted", f"the chat's time zone is {transcript.timezone}, not {zone[1]}"
        )
    if zone and not transcript.timezone:
        return CheckResult("date", "unsupported", f"the chat states no time zone ({zone[1]})")
    return CheckResult("date", "pass", "the chat's date")


def _zone(name: str) -> str:
    """A time zone name compared loosely: 'UTC+01:00' is '+01:00', 'Z' is 'UTC'."""
    name = name.strip().upper()
    if name in ("Z", "UTC+00:00", "+00:00"):
        return "UTC"
    return name[3:] if name.startswith("UTC") and name[3:4] in ("+", "-") else name


HEADER_CHECKS: dict[str, Callable[[ClaimContext], CheckResult]] = {
    **{label: check_roster for label in ROSTER_LABELS},
    "date": check_date,
}
