"""Make text safe for a stakeholder audience: no people, internal hosts, error classes or secrets.

A stakeholder update is blameless and non-technical. Engines are asked to write the plain summary
that way, but a rule-based pass makes sure of it whatever the engine produced.
"""

from __future__ import annotations

import re

_HOST = re.compile(
    # Start at a host's first label, never inside one (a run like "1.1.1..." is read once), and
    # labels are at most 63 characters as in DNS, so every attempt is bounded.
    r"(?<![a-z0-9])(?<![a-z0-9][.-])\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:internal|local|lan|corp|intra|svc|cluster\.local|private|prod|staging|int)\b"
    r"(?::\d+)?",
    re.IGNORECASE,
)
_URL = re.compile(r"\b(?:https?|postgres(?:ql)?|mysql|redis|amqp|mongodb)://\S+", re.IGNORECASE)
_IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b")
_ERROR_CLASS = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:Error|Exception|Fault|Timeout)\b")
_REDACTED = re.compile(r"\[REDACTED:[a-z0-9-]+\]")
_MENTION = re.compile(r"(?<!\w)@[\w.-]+")
_SPACES = re.compile(r"[ \t]{2,}")
_THE_TEAM_PLEASE = re.compile(r"\bthe team,?\s+(?:please\s+)?")


def _name_pattern(participants: list[str]) -> re.Pattern[str] | None:
    names: set[str] = set()
    for participant in participants:
        cleaned = participant.strip()
        if not cleaned:
            continue
        names.add(cleaned)
        first = cleaned.split()[0]
        if len(first) > 2:
            names.add(first)
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w-])(?:{alternatives})(?P<possessive>'s|’s)?(?![\w-])", re.IGNORECASE
    )


def scrub_for_stakeholders(text: str, participants: list[str]) -> str:
    """Replace names, mentions, internal hosts, IPs, URLs, error classes and secrets."""
    scrubbed = _REDACTED.sub("a credential", text)
    scrubbed = _URL.sub("an internal endpoint", scrubbed)
    scrubbed = _HOST.sub("an internal service", scrubbed)
    scrubbed = _IP.sub("an internal address", scrubbed)
    scrubbed = _ERROR_CLASS.sub("errors", scrubbed)
    scrubbed = _MENTION.sub("the team", scrubbed)
    pattern = _name_pattern(participants)
    if pattern is not None:
        scrubbed = pattern.sub(lambda m: "the team's" if m["possessive"] else "the team", scrubbed)
    scrubbed = _THE_TEAM_PLEASE.sub("the team ", scrubbed)
    scrubbed = _SPACES.sub(" ", scrubbed).strip()
    if scrubbed.startswith("the team"):
        scrubbed = "The team" + scrubbed[len("the team") :]
    return scrubbed
