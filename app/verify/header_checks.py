"""Checks of a draft's header lines and citations (hard checks): cited messages exist, a
participants line names people of the chat, a date line is the chat's date.

A header line ("Participants: ...", "Date: ...") is settled by its own check alone
(`HEADER_CHECKS`): it lists names or a date, not an event the chat's words could cover.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from app.verify.context import CheckResult, ClaimContext
from app.verify.placeholder_check import placeholders
from app.verify.silence_check import is_silence_claim

# Labels of a line that lists the people involved ("Participants: Priya, Ravi").
ROSTER_LABELS = frozenset({"participants", "responders", "attendees", "people"})
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ZONE = re.compile(r"\((?P<zone>[^()\n]{1,40}+)\)[ \t]*+\.?+$")
_NAME_SPLIT = re.compile(r",|\band\b|;|&")


def check_citations(ctx: ClaimContext) -> CheckResult:
    """Every message id the claim cites exists in the transcript: a citation of a message that
    does not exist supports nothing."""
    cited = ctx.claim.evidence
    if not cited:
        return CheckResult("citations", "skip")
    missing = [i for i in dict.fromkeys(cited) if ctx.source.doc(i) is None]
    if missing:
        count = len(ctx.source.docs)
        shown = ", ".join(f"m{i}" for i in missing[:5]) + (" ..." if len(missing) > 5 else "")
        return CheckResult(
            "citations",
            "unsupported",
            f"it cites {shown}, but the transcript has no such message (it has {count})",
        )
    return CheckResult("citations", "pass", "its citations point at messages")


def _value(ctx: ClaimContext) -> str:
    label = (ctx.claim.label or "").lower()
    return ctx.text.split(":", 1)[1] if ctx.text.lower().startswith(label) else ctx.text


def check_roster(ctx: ClaimContext) -> CheckResult:
    """A participants line ("Participants: Priya, Ravi") names only people of the chat."""
    value = _value(ctx)
    if placeholders(value) or is_silence_claim(value.strip()):
        return CheckResult("roster", "skip")  # "[names]" or "none recorded": other checks
    names = [n.strip(" .") for n in _NAME_SPLIT.split(value) if n.strip(" .")]
    strangers = [n for n in names if not _took_part(ctx, n)]
    if strangers:
        return CheckResult(
            "roster", "unsupported", f"{', '.join(strangers)} did not take part in the chat"
        )
    return CheckResult("roster", "pass", "everyone named took part in the chat")


def _took_part(ctx: ClaimContext, name: str) -> bool:
    if ctx.source.people.resolve(name) is not None:
        return True
    return all(ctx.source.knows_name(word) for word in name.split())


def check_date(ctx: ClaimContext) -> CheckResult:
    """A date line ("Date: 2025-03-11 (UTC+01:00)") gives the chat's date and time zone."""
    found = _ISO_DATE.search(ctx.text)
    if found is None:
        return CheckResult("date", "skip")  # "March 12" or "[date]": left to the other checks
    try:
        written = dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return CheckResult("date", "unsupported", f"{found[0]} is not a date")
    transcript = ctx.source.transcript
    dates = {m.timestamp.date() for m in transcript.messages if m.timestamp}
    if transcript.date is not None:
        dates.add(transcript.date)
    mentioned = any(found[0] in d.raw_lower for d in ctx.docs())
    if written not in dates and not mentioned:
        if dates:
            shown = ", ".join(sorted(str(d) for d in dates)[:2])
            return CheckResult("date", "contradicted", f"the chat is dated {shown}, not {written}")
        return CheckResult("date", "unsupported", "the chat states no date")
    zone = _ZONE.search(ctx.text)
    if zone and transcript.timezone and _zone(zone["zone"]) != _zone(transcript.timezone):
        return CheckResult(
            "date",
            "contradicted",
            f"the chat's time zone is {transcript.timezone}, not {zone['zone']}",
        )
    if zone and not transcript.timezone:
        return CheckResult("date", "unsupported", f"the chat states no time zone ({zone['zone']})")
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
