"""Timelines pasted from incident tools (PagerDuty, Opsgenie, incident.io) and written
postmortem timelines.

    Jan 15, 2025 10:02:33 AM  Triggered through the API.            PagerDuty log entries
    Jan 15, 2025 10:05 AM  Acknowledged by Priya Sharma.
    10:07 · Priya Sharma declared the incident                      incident.io
    2025-01-15 10:09:12 UTC  Priya Sharma added a note: rolling back  Opsgenie activity
    11:01 - Moritz restarts systemd-journald                         a written timeline
    Jan 15, 2025 at 10:12 AM                                         a stamp on its own line,
    Resolved by Ravi Kumar.                                          the entry below it

Every entry keeps its text as written. Its author is the person the entry names as the actor:
'... by NAME' after an action verb ('Acknowledged by', 'Note added by', 'removed by') or at the
end of the entry ('Escalated to Platform by NAME.'), or NAME in front of an action verb
('Priya Sharma acknowledged'); entries that name no actor ('Triggered
through the API', 'Notified Priya via SMS') have no author.
"""

from __future__ import annotations

import re

from app.ingest.clock import CLOCK_PATTERN, clock_from_match
from app.ingest.dates import MONTHS, safe_date
from app.ingest.line_formats import LineFormat
from app.ingest.records import Header

_STAMP = re.compile(
    r"\A(?:(?P<mon>[A-Z][a-z]{2,8}+)\.?[ \t](?P<d>\d{1,2}+)(?:,?[ \t](?P<y>\d{4}+))?+,?[ \t]++"
    r"(?:at[ \t]++)?+"
    r"|(?P<na>\d{1,2}+)/(?P<nb>\d{1,2}+)/(?P<ny>\d{4}+),?[ \t]++"
    r"|(?P<iy>\d{4}+)-(?P<im>\d{2}+)-(?P<id>\d{2}+)[T \t])?+"
    rf"(?>{CLOCK_PATTERN})(?:[ \t]?+(?:UTC|GMT|Z|[A-Z]{{3,4}}+)(?![A-Za-z]))?+"
    r"(?:(?:[ \t]*+[-–—·|•:][ \t]*+|[ \t]++)(?P<rest>\S.*))?+\Z"
)
_ACTION = (
    r"acknowledged|acked|resolved|added|removed|reverted|deployed|declared|assigned|reassigned|"
    r"escalated|created|closed|reopened|updated|changed|merged|restarted|rolled back|posted|"
    r"shared|snoozed|started|stopped|reported|filed|opened|paged|muted|silenced|approved|edited|"
    r"published|mitigated|fixed|triggered manually|set|marked|joined|left|ran"
)
_ACTION_WORDS = frozenset(_ACTION.replace("rolled back", "back").replace(
    "triggered manually", "manually").split("|"))  # fmt: skip
_BY_ACTOR = re.compile(
    r"[ \t]by[ \t]++"
    r"(?P<actor>@?+[A-Z][\w'’.-]{0,30}+(?:[ \t][A-Z][\w'’.-]{0,30}+){0,3}+"
    r"|@?+[a-z][a-z0-9._-]{1,39}+)"
)
_NAME = re.compile(
    r"\A(?:@?+[A-Z][\w'’.-]{0,30}+(?:[ \t][A-Z][\w'’.-]{0,30}+){0,3}+|@?+[a-z][a-z0-9._-]{1,39}+)\Z"
)
_NARRATED = (  # present tense, as written timelines narrate: 'Moritz restarts the service'
    r"acknowledges|resolves|restarts|reports|creates|reverts|deploys|declares|pages|changes|"
    r"removes|begins|informs|states|fixes|disables|enables|reenables|notices|confirms|merges|"
    r"rolls back|starts|stops|opens|closes|files|escalates|investigates|asks|says|notes|finds|"
    r"runs|pushes|updates|applies|mitigates|posts|shares"
)
_LEAD_ACTOR = re.compile(
    r"\A(?:User[ \t]++)?+(?P<actor>[A-Z][\w'’.-]{0,30}+(?:[ \t][A-Z][\w'’.-]{0,30}+){0,2}+"
    r"|[a-z][A-Za-z0-9_.-]{1,30}+)[ \t](?:(?:also|then|now)[ \t])?+"
    rf"(?i:{_ACTION}|{_NARRATED})(?![A-Za-z])"
)
_NOT_ACTORS = frozenset(
    "alert incident status severity priority note service escalation notification system team "
    "the a an monitor check integration trigger response responder policy schedule page user "
    "everyone nobody it this that rule event".split()
)
_TIMELINE_CUES = (
    "triggered", "acknowledged", "resolved", "escalated", "notified", "declared", "incident",
    "alert", "paged", "status changed", "severity", "mitigated", "rolled back", "restart", "deploy",
)  # fmt: skip


def actor_of(text: str) -> str | None:
    """The person an entry names as having done it, or None."""
    for by in _BY_ACTOR.finditer(text):
        before = text[: by.start()].rsplit(None, 1)
        if not before or before[-1].lower() not in _ACTION_WORDS:
            continue
        actor = by["actor"].lstrip("@").rstrip(".")
        if actor.split()[0].lower() not in _NOT_ACTORS:
            return actor
    cut = text.rfind(" by ")
    if cut >= 0:
        tail = text[cut + 4 :].strip().rstrip(".").strip()
        if _NAME.match(tail) and tail.split()[0].lower() not in _NOT_ACTORS:
            return tail.lstrip("@")
    lead = _LEAD_ACTOR.match(text)
    if lead and lead["actor"].split()[0].lower() not in _NOT_ACTORS:
        return lead["actor"]
    return None


def match_timeline_entry(line: str) -> Header | None:
    """A timeline entry (stamp and text), or a stamp alone with the entry on the lines below."""
    if len(line) > 400 or not line[:1].isalnum():
        return None
    match = _STAMP.match(line)
    if not match:
        return None
    clock = clock_from_match(match)
    if clock is None:
        return None
    date = None
    if match["mon"]:
        month = MONTHS.get(match["mon"].lower())
        if month is None:
            return None
        date = safe_date(int(match["y"]), month, int(match["d"])) if match["y"] else None
    elif match["ny"]:
        date = safe_date(int(match["ny"]), int(match["na"]), int(match["nb"]))
    elif match["iy"]:
        date = safe_date(int(match["iy"]), int(match["im"]), int(match["id"]))
    rest = match["rest"]
    if rest is None:
        if not (match["mon"] or match["ny"] or match["iy"]):
            return None  # a bare time line is not an entry on its own
        return Header(author=None, clock=clock, date=date, cue=True)
    return Header(
        author=actor_of(rest),
        clock=clock,
        text=rest,
        date=date,
        cue=any(cue in rest.lower() for cue in _TIMELINE_CUES),
    )


INCIDENT_TIMELINE = LineFormat("incident-timeline", match_timeline_entry, author_from_body=actor_of)
