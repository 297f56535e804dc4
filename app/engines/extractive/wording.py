"""Plain-language wording for the stakeholder email, written from typed facts with templates.

Nothing here copies a chat sentence: each template states a typed fact (what kind of trouble,
which user-facing thing, what share of what, what was done, what happens next) in third person,
with no names, hostnames, error classes or internal tools. A fact the templates cannot state
plainly gets no plain wording (null), and the email leaves it out.
"""

from __future__ import annotations

import re

from app.engines.extractive import cues
from app.engines.extractive.cues import cue
from app.engines.extractive.events import Event
from app.engines.extractive.impact import AFFECTED_COUNT
from app.engines.extractive.service import INFRA, NOT_A_THING, SYMPTOM
from app.fold import word_key

# Kinds of trouble, in the order they are tried; each names what a user meets.
KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("outage", cue(r"\b(?:outage|down|unavailable|unreachable|offline)\b")),
    ("data exposure", cue(r"\b(?:leak\w*|exposed|exposure|other (?:users|customers)'?)\b")),
    ("incorrect data", cue(r"\b(?:wrong|incorrect|duplicat\w*|twice|corrupt\w*)\b")),
    ("errors", cue(r"\b(?:errors?|5xx|5\d\ds?|4\d\ds?|exceptions?|fail\w*|rejected)\b")),
    ("latency", cue(r"\b(?:latency|slow\w*|timeouts?|timing out|timed out)\b")),
    ("delays", cue(r"\b(?:lag\w*|backlog|delay\w*|stuck|behind|stale|queued)\b")),
    ("crashes", cue(r"\b(?:oom\w*|out of memory|crash\w*)\b")),
]
_PLAIN_TITLES: dict[str, tuple[str, str]] = {
    "outage": ("{Thing} unavailable", "Service unavailable"),
    "data exposure": ("{Thing} data shown to the wrong users", "Data shown to the wrong users"),
    "incorrect data": ("Incorrect {thing} data", "Incorrect data"),
    "errors": ("{Thing} errors", "Errors for some requests"),
    "latency": ("Slow {thing}", "Slow responses"),
    "delays": ("Delays in {thing}", "Processing delays"),
    "crashes": ("{Thing} failures", "Service failures"),
    "incident": ("{Thing} disruption", "Service disruption"),
}
_SUFFIX = re.compile(
    r"[-_ ](?:service|svc|api|gateway|db|database|workers?|queue|cache|proxy|server|cluster|app|"
    r"web|frontend|backend|platform)$",
    re.IGNORECASE,
)
_INTERNAL_THINGS = frozenset(
    "api gateway db web app frontend backend edge proxy server cluster platform service worker "
    "workers queue cache internal prod staging core main primary replica".split()
)


def kind_of(text: str) -> str:
    """The kind of trouble a text describes ('errors', 'outage', ...), 'incident' if none."""
    return next((kind for kind, pattern in KINDS if pattern.search(text)), "incident")


def user_thing(service: str | None, impact_text: str) -> str | None:
    """What users use, in plain words: the service's name without its technical suffix
    ("checkout-service" -> "checkout"), never infrastructure ("Redis") or a host; else the word
    the impact statements put before a symptom ("checkout errors")."""
    if service:
        base = _SUFFIX.sub("", service.strip())
        words = base.replace("_", " ").replace("-", " ").lower().split()
        if (
            words
            and not INFRA.fullmatch(base)
            and not set(words) <= _INTERNAL_THINGS
            and all(w.isalpha() for w in words)
            and len(words) <= 2
        ):
            return " ".join(words)
    match = SYMPTOM.search(impact_text)
    if match and word_key(match["thing"]) not in NOT_A_THING and match["thing"].isalpha():
        word = word_key(match["thing"])
        if word not in _INTERNAL_THINGS and not INFRA.fullmatch(word):
            return word
    return None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def plain_title(kind: str, thing: str | None) -> str:
    """What users saw, for the email's subject: "Checkout errors", "Slow search"."""
    with_thing, without = _PLAIN_TITLES.get(kind, _PLAIN_TITLES["incident"])
    if thing is None:
        return without
    return with_thing.replace("{Thing}", _capitalised(thing)).replace("{thing}", thing)


# --------------------------------------------------------------------------------------------
# Impact
# --------------------------------------------------------------------------------------------

_SHARE_OF = re.compile(
    r"(?P<share>\d{1,3}+(?:\.\d{1,3}+)?\s?%)\s{1,3}+of\s{1,3}+(?:all\s)?(?P<what>(?:[a-z-]{2,20}+\s)?"
    r"(?:users|customers|requests|orders|checkouts|payments|calls|traffic|logins|sessions|"
    r"transactions|searches|uploads|merchants|accounts|devices))\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(?<![\d.])(?P<share>\d{1,3}+(?:\.\d{1,3}+)?\s?%)")
_ERRORS_AT = re.compile(
    r"(?:(?<![\w-])(?P<thing>[a-z][a-z0-9]{2,20}+)(?:-[a-z]{2,12}+)?\s)?"
    r"(?P<errors>errors|error rates?|failures|5xx|50[0-4]s)\b[^.!?%]{0,30}?"
    r"(?P<share>\d{1,3}+(?:\.\d{1,3}+)?%)",
    re.IGNORECASE,
)
_LATENCY_AT = re.compile(
    r"\b(?P<what>(?:[a-z]{3,20}+\s)?(?:latency|p9[059]|response times?))\b[^.!?]{0,40}?"
    r"(?P<value>\d{1,5}+(?:\.\d{1,3}+)?\s?(?:ms|s))\b",
    re.IGNORECASE,
)
_NOT_NUMBER = re.compile(r"[^\d.]")
_WORDS = re.compile(r"[\w'’-]+")
_DURATION_VALUE = re.compile(r"\d{1,5}+(?:\.\d{1,3}+)?\s?(?:ms|s)\b")


def _milliseconds(value: str) -> float:
    number = float(_NOT_NUMBER.sub("", value) or 0)
    return number if value.rstrip().endswith("ms") else number * 1000


_ERROR_WORDS = cue(r"\b(?:errors?|error rates?|5xx|5\d\ds|4\d\ds|fail\w*)\b")
_LATENCY_VALUE = re.compile(
    r"(?:(?:from\s)?~?(?P<before>\d{1,5}+(?:\.\d{1,3}+)?\s?(?:ms|s))\s(?:to|->|→)\s"
    r"(?:over\s|~)?)?(?P<value>\d{1,5}+(?:\.\d{1,3}+)?\s?(?:ms|s))\b",
    re.IGNORECASE,
)
_LATENCY_WORDS = cue(r"\b(?:latency|p9[059]|response times?|slow\w*)\b")
_UNABLE = cue(
    r"\b(?P<who>customers?|users?|merchants?|shoppers?|clients?|drivers?|people)\b[^.!?]{0,20}?"
    r"\b(?:can'?t|cannot|couldn'?t|could not|are unable to|were unable to|unable to|not able to)"
    r"\s(?P<what>[a-z]{2,15}+(?:\s(?:in|out|up|on|to|their|the|any|a)){0,2}+(?:\s[a-z]{2,15}+)?)"
)
_FAILURE_WORDS = cue(r"\b(?:failed|failing|lost|stuck|duplicated?|delayed|rejected|dropped)\b")
_NUMBER_WORD = re.compile(r"^[~≈]?\s?")


def _about(figure: str) -> str:
    figure = figure.strip()
    if figure[:1] in "~≈":
        return "about " + figure[1:].strip()
    return figure


def impact_plain(text: str, people: list[str]) -> str | None:
    """One impact statement as plain typed facts, in words the chat uses: what share of whom
    ("About 30% of users were affected."), how many of what ("1,200 orders were affected."),
    who could not do what; else its plain clause of user-facing trouble. None when it states
    none of these plainly."""
    facts: list[str] = []
    share = _SHARE_OF.search(text)
    if share:
        what = word_key(share["what"])
        facts.append(f"About {share['share'].replace(' ', '')} of {what} were affected.")
    count = AFFECTED_COUNT.search(text)
    if count and not share:
        facts.append(f"{_capitalised(_about(count.group(0)))} were affected.")
    unable = _UNABLE.search(text)
    if unable:
        who = word_key(unable["who"])
        who = who if who.endswith("s") else who + "s"
        facts.append(f"Some {who} could not {unable['what'].lower().strip()}.")
    errors = _ERRORS_AT.search(text)
    if errors and not share:
        thing = (errors["thing"] or "").lower()
        internal = not thing or thing in NOT_A_THING or thing in _INTERNAL_THINGS
        thing = "" if internal else thing + " "
        facts.append(f"{_capitalised(thing + errors['errors'].lower())} at {errors['share']}.")
    latency = _LATENCY_AT.search(text)
    if latency:
        span = text[latency.start() : latency.end() + 40]
        values = _DURATION_VALUE.findall(span)
        peak = max(values, key=_milliseconds) if values else latency["value"]
        facts.append(f"{_capitalised(latency['what'].lower())} up to {peak.replace(' ', '')}.")
    del people  # the templates carry no names; kept for a symmetric signature
    return " ".join(facts) or None


# --------------------------------------------------------------------------------------------
# What was done, what happens next: the chat's own plain words for a typed fact
# --------------------------------------------------------------------------------------------

# Words a stakeholder should not read: identifiers, paths, code, hosts, versions, error classes.
_JARGON = re.compile(
    r"`|\b\w+_\w+\b|\b\w+\.\w+\.\w+\b|[/\\]\w|\b\w+(?:Error|Exception)\b|->|→|=|<|>|"
    r"\b[A-Z]{2,}[a-z]\w*|\bv?\d+\.\d+(?:\.\d+)?\b|\b\w+-\d+\b|#\d|@\w|\[|\]|\{|\}",
)
# "I/O" is no pronoun and "US" is not "us" (as in text.py).
_FIRST_PERSON = re.compile(
    r"(?<![\w'’/-])(?:i(?:['’](?:m|ve|ll|d))?|me|my|mine|we(?:['’](?:re|ve|ll|d))?|our|"
    r"(?-i:us))(?![\w'’/-])",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(r"\s[—–-]\s|[,;:]\s|\.\s")
_MAX_WORDS = 12


def _clean_clause(clause: str) -> str:
    clause = clause.strip(" .,;:!?—–-")
    return _capitalised(clause) + "." if clause else ""


def plain_clause(text: str, cue: cues.CueFamily | None, people: list[str]) -> str | None:
    """The clause of `text` that states the fact `cue` names, when it is already plain: a
    statement of what happened, in the chat's own words (so the checker finds them), with no
    first person, names, identifiers, hosts or code. None when no clause is plain."""
    names = {p.lower() for p in people} | {p.split()[0].lower() for p in people if p.split()}
    for clause in _CLAUSE_SPLIT.split(text):
        lower = clause.lower()
        if (cue is not None and not cue(lower)) or _JARGON.search(clause):
            continue
        if _FIRST_PERSON.search(clause):
            continue
        words = _WORDS.findall(lower)
        if not 2 <= len(words) <= _MAX_WORDS or names & set(words):
            continue
        return _clean_clause(clause)
    return None


_DONE_WORDING: dict[str, tuple[str, str]] = {
    "rollback": ("The team started rolling back the change.", "The change was rolled back."),
    "restart": ("The team started restarting the affected systems.", "The systems were restarted."),
    "failover": ("The team started a failover.", "The failover was completed."),
    "scale": ("The team started adding capacity.", "Capacity was added."),
    "flag": ("The team started turning off the feature.", "The feature was turned off."),
    "fix": ("The team started deploying a fix.", "A fix was deployed."),
    "throttle": ("The team started limiting the traffic.", "The traffic was limited."),
    "cache": ("The team started clearing cached data.", "Cached data was cleared."),
    "pause": ("The team started pausing the work involved.", "The work involved was paused."),
    "other": ("The team started a mitigation.", "A mitigation was put in place."),
}
_STATUS_PAGE = cue(r"\b(?:status ?page|status update|announce\w*|posted)\b")


def event_plain(found: Event, people: list[str]) -> str | None:
    """What was done or seen at an event, in plain words: what was done as a typed fact (the
    kind of action, started or done; a message to customers), a recovery in the chat's own
    plain clause. None for events stakeholders need not read (investigation, escalation,
    alerts) and for a recovery the chat words only in jargon."""
    if found.kind == "mitigation" and found.label in ("start", "done"):
        start, done = _DONE_WORDING.get(found.family, _DONE_WORDING["other"])
        return done if found.label == "done" else start
    if found.kind == "communication" and found.label == "done":
        if _STATUS_PAGE.search(found.description):
            return "A status update was posted."
        return "Customers and support were informed."
    if found.kind == "resolution":
        return "The incident was resolved."
    if found.kind == "recovery" and found.label != "alert":
        return plain_clause(found.description, cues.RECOVERY, people)
    return None


def resolution_plain(done: Event | None, recovered: Event | None, people: list[str]) -> str | None:
    """What ended the impact, in plain words."""
    parts = [event_plain(e, people) for e in (done, recovered) if e is not None]
    text = " ".join(p for p in parts if p)
    return text or None


_TASK = re.compile(
    r"^(?:add|create|write|update|document|automate|improve|build|review|tune|schedule|set up|"
    r"fix|migrate|remove|enforce|introduce|require|alert|monitor|make|clean up|rotate|upgrade|"
    r"audit|test|check|validate|pin|replace|reply|tell|notify|decide|move|split|limit|raise|"
    r"lower|cap|block|allow|enable|disable|run|keep|stop|start|use)\b",
    re.IGNORECASE,
)


def next_step_plain(description: str, people: list[str]) -> str | None:
    """An action item as a next step for stakeholders: the task as the chat words it when it is
    a plain task ("Update the runbook for restores."), else None (left out of the email)."""
    text = description.strip()
    if not _TASK.match(text):
        return None
    return plain_clause(text, _TASK_CUE, people) if len(text.split()) <= _MAX_WORDS else None


_TASK_CUE = cues.CueFamily("task", "a task", re.compile(r"\w"))
