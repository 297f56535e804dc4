"""Who did an incident-timeline entry: the person the entry names as its actor, never the
person it merely mentions.

An entry is its title line plus detail lines (PagerDuty, Opsgenie, incident.io write it so), or
one line. The actor is, in order:

1. a name after a middle dot at the end of the title: '📌 Pinned message · Kwame Asante';
2. the title's own actor (`actor_of`): 'Acknowledged by Priya Sharma.', 'Note added by Ravi',
   'Priya Sharma acknowledged the alert', 'Harriet Osei took the Incident Lead role',
   'Priority changed from P3 to P1 by Dana Whitfield.', 'Moritz restarts the service',
   'Ravi has restored the job', 'Ravi is investigating' (never a passive 'Ravi was paged');
3. a detail line that is only 'by NAME' (incident.io: 'Status changed from Triage to
   Investigating' / 'by Harriet Osei');
4. for an alert entry ('🔔 Alert fired'), the source named before a middle dot on the next line
   ('Datadog · [P2] App checkout conversion below forecast'): the alerting tool, a bot;
5. else an actor anywhere in the entry's text (a written timeline's stamp on its own line).

Entries that name no actor ('Triggered through the API.', 'Notified Priya via SMS.', 'Assigned
to Priya Sharma.') have none: the notified or assigned person did not act.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_NAME_SHAPE = (
    r"@?+[A-Z][\w'’.-]{0,30}+(?:[ \t][A-Z][\w'’.-]{0,30}+){0,3}+|@?+[a-z][a-z0-9._-]{1,39}+"
)
_ACTION = (
    r"acknowledged|acked|resolved|added|removed|reverted|deployed|declared|assigned|reassigned|"
    r"escalated|created|closed|reopened|updated|changed|merged|restarted|rolled back|posted|"
    r"shared|snoozed|started|stopped|reported|filed|opened|paged|muted|silenced|approved|edited|"
    r"published|mitigated|fixed|triggered manually|set|marked|joined|left|ran|took|requested|"
    r"accepted|declined|completed|sent|pinned|invited|unassigned|promoted"
)
_ACTION_WORDS = frozenset(phrase.split()[-1] for phrase in _ACTION.split("|"))
_BY_ACTOR = re.compile(rf"[ \t]by[ \t]++(?P<actor>{_NAME_SHAPE})")
_NAME = re.compile(rf"\A(?:{_NAME_SHAPE})\Z")
_NARRATED = (  # present tense, as written timelines narrate: 'Moritz restarts the service'
    r"acknowledges|resolves|restarts|reports|creates|reverts|deploys|declares|pages|changes|"
    r"removes|begins|informs|states|fixes|disables|enables|reenables|notices|confirms|merges|"
    r"rolls back|starts|stops|opens|closes|files|escalates|investigates|asks|says|notes|finds|"
    r"runs|pushes|updates|applies|mitigates|posts|shares"
)
_LEAD_ACTOR = re.compile(
    r"\A(?:User[ \t]++)?+(?P<actor>[A-Z][\w'’.-]{0,30}+(?:[ \t][A-Z][\w'’.-]{0,30}+){0,2}+"
    r"|[a-z][A-Za-z0-9_.-]{1,30}+)[ \t](?:(?:also|then|now)[ \t])?+"
    rf"(?:(?i:{_ACTION}|{_NARRATED})(?![A-Za-z])|(?:is|are|was|were)[ \t][a-z]{{2,20}}ing\b"
    r"|(?:has|have|had)[ \t](?!been\b)[a-z]{2,20}(?:ed|en|ne|wn|un|ht)\b)"
)
_NOT_ACTORS = frozenset(
    "alert incident status severity priority note service escalation notification system team "
    "the a an monitor check integration trigger response responder policy schedule page user "
    "everyone nobody it this that rule event unassigned assigned".split()
)
_ICON = re.compile(r"\A[^\w\s@(\[]{1,8}+[ \t]++")
_DOT = re.compile(r"[·•]")  # parts are stripped: a run of spaces is never searched twice
_BY_LINE = re.compile(rf"\Aby[ \t]++(?P<actor>{_NAME_SHAPE})\.?+\Z")
_ALERT = re.compile(r"\balert\b", re.IGNORECASE)
_MAX_TITLE = 300


def _person(name: str) -> str | None:
    name = name.strip().lstrip("@").rstrip(".").strip()
    if not name or name.split()[0].lower() in _NOT_ACTORS:
        return None
    return name


def actor_of(text: str) -> str | None:
    """The person a one-line entry (or any text) names as having done it, or None."""
    for by in _BY_ACTOR.finditer(text):
        before = text[: by.start()].rsplit(None, 1)
        if not before or before[-1].lower() not in _ACTION_WORDS:
            continue
        actor = _person(by["actor"])
        if actor:
            return actor
    cut = text.rfind(" by ")
    if cut >= 0:
        tail = text[cut + 4 :].strip().rstrip(".").strip()
        if _NAME.match(tail) and _person(tail):
            return _person(tail)
    lead = _LEAD_ACTOR.match(text)
    if lead and lead["actor"].split()[0].lower() not in _NOT_ACTORS:
        return lead["actor"]
    return None


def _dot_name(title: str) -> str | None:
    """'Pinned message · Kwame Asante' -> 'Kwame Asante'."""
    parts = _DOT.split(title)
    if len(parts) != 2 or not parts[0].endswith((" ", "\t")):
        return None  # 'Resolved · Critical · Payments' is a status line, not an entry
    last = parts[-1].strip()
    return _person(last) if _NAME.match(last) else None


def _source(line: str) -> str | None:
    """'Datadog · [P2] App checkout conversion below forecast' -> 'Datadog'."""
    parts = _DOT.split(line, maxsplit=1)
    first = parts[0].strip()
    spaced = len(parts) == 2 and parts[0].endswith((" ", "\t"))
    return _person(first) if spaced and _NAME.match(first) else None


def entry_actor(lines: Sequence[str]) -> str | None:
    """The actor of an entry given as its lines, title first (see the module docstring)."""
    filled = [line.strip() for line in lines if line.strip()]
    if not filled:
        return None
    title = _ICON.sub("", filled[0][:_MAX_TITLE], count=1)
    actor = _dot_name(title) or actor_of(title)
    if actor:
        return actor
    second = filled[1][:_MAX_TITLE] if len(filled) > 1 else ""
    by_line = _BY_LINE.match(second)
    if by_line and _person(by_line["actor"]):
        return _person(by_line["actor"])
    if second and _ALERT.search(title):
        source = _source(second)
        if source:
            return source
    return actor_of("\n".join(filled)) if len(filled) > 1 else None


def entry_actor_of_text(text: str) -> str | None:
    """`entry_actor` for an entry's text as one string."""
    return entry_actor(text.splitlines())
