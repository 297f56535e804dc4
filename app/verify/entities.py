"""Names of things written in text: identifiers (services, hosts, versions, error classes, jobs)
and proper names ("Kubernetes", "Airflow", "Bob").

An identifier is a word with separators or inner capitals: "checkout-service", "es-data-03",
"payment-gateway.internal", "v3.8.1", "3.8.1", "ConnectionRefusedError", "backfill_ledger_entries".
Not identifiers: English compounds ("read-only", "follow-up", "end-to-end"), figures glued to a
noun ("90M-row", "13-minute"), decimals ("5.4") and abbreviations ("e.g").

`squash` reduces a name to its letters and digits, so "replica-2", "replica 2" and "Replica2"
meet; the source index files every identifier under each run of its parts ("ledger-db-replica-2"
also under "replica-2" and "db-replica").
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.verify.text import STOPWORDS

# Possessive repeats and a look-behind anchor: a run of "a-" or "1." is read in one pass.
_IDENTIFIER = re.compile(
    r"(?<![\w.\-/@])(?:[A-Za-z0-9]++(?:[-_.][A-Za-z0-9]++)++"
    r"|[A-Z][a-z]++(?:[A-Z][a-z0-9]*+)++|[a-z]++(?:[A-Z][a-z0-9]*+)++|[vV]\d++(?:\.\d++)*+)"
    r"(?![\w\-])"
)
_PARTS = re.compile(r"[-_.]")
_CAMEL_PART = re.compile(r"[A-Z][a-z0-9]*+")
_FIGURE_PART = re.compile(r"\d++(?:\.\d++)?+(?:ms|min|[kKmMbBsh%x])?")
_NUMBERS_ONLY = re.compile(r"[\d.,:]++")
_VERSION = re.compile(r"(?<![\d.])[vV]?\d++(?:\.\d++)++")
_NOT_ALNUM = re.compile(r"[^a-z0-9]++")
_BARE_VERSION = re.compile(r"v\d++")

# Parts that mark a hyphenated word as a system name rather than an English compound.
TECH_PARTS = frozenset(
    """service svc api db gateway server cluster node worker queue cache proxy lb host pod job cron
    bucket topic consumer producer app web internal prod staging dev east west central primary
    replica io com net org local cdn redis kafka postgres mysql k8s ro rw pg es data eu
    us""".split()
)
_SUFFIX_WORDS = frozenset(
    """side based level facing related wide driven only free heavy bound like style specific
    sized scale time""".split()
)
_BOUND_PREFIXES = frozenset({"sub", "over", "under", "above", "below", "near", "max", "min"})
_NOT_IDENTIFIERS = frozenset({"e.g", "i.e", "a.m", "p.m", "etc", "vs", "n/a"})

# Capitalised words that name no entity the chat must contain: months, days, and the roles and
# teams a postmortem capitalises ("the Incident Commander", "Customer Support").
_COMMON_CAPITALISED = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    incident commander support engineering engineer engineers customer customers team teams
    operations ops product security finance legal sales marketing management leadership
    on-call oncall sre devops platform infrastructure backend frontend database network
    postmortem summary impact timeline root cause resolution detection action items owner
    monitoring production staging status page users user service services the a an this that
    these those our we it they there here when while after before during once then however
    also both all every each some no none not mr ms mrs dr""".split()
)
_ACRONYM = re.compile(r"(?<![\w\-])[A-Z]{2,5}+s?+(?![\w\-])")
_COMMON_ACRONYMS = frozenset(
    """UTC GMT CET CEST PST PDT EST EDT BST IST AM PM IC SRE SLA SLO SLI ETA RCA FYI ASAP TBD TBA
    API URL DNS CDN CPU RAM SQL HTTP HTTPS TLS SSL CI CD QA PR OK US EU UK ID IP VPN SSO MFA DB
    SEV PII GDPR JSON XML YAML HTML CSS UI UX SDK CLI OS VM AZ TTL IO""".split()
)
# A run of numbered names written as a range: "origin-01..04", "web-1 to web-6",
# "db-03 through 05" (the base is repeated or not).
_NUMBERED_RANGE = re.compile(
    r"(?<![\w\-.])(?P<base>[a-z][a-z0-9]*+(?:-[a-z][a-z0-9]*+)*+)-(?P<a>\d{1,3}+)"
    r"(?:\.\.|[ \t]{0,2}+(?:to|through|thru|–)[ \t]{0,2}+(?:(?P=base)-)?+)"
    r"(?P<b>\d{1,3}+)(?![\w\-])",
    re.IGNORECASE,
)
# The most names one range stands for.
RANGE_MEMBERS = 64
_CAPITALISED = re.compile(r"(?<![\w'’\-])[A-Z][a-z]{2,}+(?![\w\-])")


# Numbers joined by a hyphen are a range ("10-60", "07:00-08:00" read from its "00-08"), not a
# name; an address range ("10.42.18.21-24") names its first address.
_NUMBER_RANGE = re.compile(r"(?<![\d.])(?P<head>\d++(?:\.\d++)*+)-\d{1,3}+")


def identifiers(text: str) -> list[str]:
    """Service names, hostnames, versions, job and error names written in `text`, in order."""
    found: list[str] = []
    for match in _IDENTIFIER.finditer(text):
        ident = match.group(0).rstrip(".")
        numbers = _NUMBER_RANGE.fullmatch(ident)
        if numbers is not None:
            if numbers["head"].count(".") == 3:
                found.append(numbers["head"])
            continue
        if _is_identifier(ident):
            found.append(ident)
    return found


def _is_identifier(ident: str) -> bool:
    lowered = ident.lower()
    if lowered in _NOT_IDENTIFIERS or _NUMBERS_ONLY.fullmatch(lowered):
        return bool(_VERSION.fullmatch(lowered) and lowered.count(".") >= 2)
    parts = [p for p in _PARTS.split(lowered) if p]
    if "_" in ident or len(parts) < 2:
        return True  # snake_case, CamelCase, v2
    if _FIGURE_PART.fullmatch(parts[0]) and all(p.isalpha() for p in parts[1:]):
        return False  # "90M-row", "13-minute", "50k-row"
    if len(parts) == 2 and parts[0] in _BOUND_PREFIXES and _FIGURE_PART.fullmatch(parts[1]):
        return False  # "sub-60s", "over-90%": a bound on a figure
    if "." in ident and "-" not in ident:
        return len(parts) >= 2 and not all(len(p) == 1 for p in parts)  # "node.js", not "a.b"
    if all(p.isalpha() for p in parts):
        if any(p in STOPWORDS for p in parts):
            return False  # "end-to-end", "out-of-memory", "up-to-date"
        if len(parts) == 2 and (not (set(parts) & TECH_PARTS) or parts[1] in _SUFFIX_WORDS):
            return False  # "read-only", "follow-up", "long-term", "server-side", "web-based"
    return True


def family(ident: str) -> str:
    """What kind of thing an identifier names, for comparing rivals: 'version', or its last
    meaningful part ("checkout-service" -> service, "ConnectionRefusedError" -> error,
    "es-data-03" -> data)."""
    lowered = ident.lower()
    if _VERSION.fullmatch(lowered) or _BARE_VERSION.fullmatch(lowered):
        return "version"
    camel: list[str] = _CAMEL_PART.findall(ident)
    if len(camel) > 1 and "-" not in ident and "_" not in ident:
        return camel[-1].lower()
    parts = [p for p in _PARTS.split(lowered) if p and not p.isdigit()]
    return parts[-1] if parts else lowered


@lru_cache(maxsize=65536)
def squash(name: str) -> str:
    """Letters and digits only, lower case; a version's leading 'v' dropped."""
    lowered = name.lower()
    if _VERSION.fullmatch(lowered) or _BARE_VERSION.fullmatch(lowered):
        lowered = lowered.lstrip("v")
    return _NOT_ALNUM.sub("", lowered)


def part_runs(ident: str, limit: int = 6) -> list[str]:
    """Squashed runs of consecutive parts of an identifier (at most `limit` parts are read)."""
    parts = [p for p in _PARTS.split(ident.lower()) if p][:limit]
    runs: list[str] = []
    for start in range(len(parts)):
        for end in range(start + 1, len(parts) + 1):
            runs.append("".join(parts[start:end]))
    return runs


def proper_names(text: str) -> list[str]:
    """Capitalised words in the middle of a sentence that are not common nouns of postmortems
    ("the Redis cache", "a larger Kubernetes volume", "approved by Bob"). A line written in title
    case names nothing this way."""
    words = text.split()
    alphabetic = [w for w in words if len(w) > 2 and w[:1].isalpha()]
    capitalised = [w for w in alphabetic if w[:1].isupper()]
    if alphabetic and len(capitalised) / len(alphabetic) > 0.5:
        return []
    found: list[str] = []
    previous_end = -2
    for match in _CAPITALISED.finditer(text):
        word = match.group(0)
        joined = found and text[previous_end : match.start()] == " " and previous_end > 0
        previous_end = match.end()
        if word.lower() in _COMMON_CAPITALISED:
            previous_end = -2
            continue
        if joined:
            found[-1] = f"{found[-1]} {word}"  # "European Union", "Black Friday"
            continue
        if _starts_sentence(text, match.start()):
            previous_end = -2
            continue
        found.append(word)
    return found


def acronyms(text: str) -> list[str]:
    """Upper-case abbreviations ("ACM", "AWS", "SLA") other than the everyday ones of incident
    talk ("UTC", "API", "DNS", "SRE")."""
    return [
        m.group(0)
        for m in _ACRONYM.finditer(text)
        if m.group(0).rstrip("s") not in _COMMON_ACRONYMS
    ]


def _starts_sentence(text: str, position: int) -> bool:
    """True when the word at `position` opens a sentence, a clause after a colon or dash, a
    quotation, a bracket or a table cell (only a few characters before it are read)."""
    start = max(0, position - 8)
    before = text[start:position].rstrip(" \t*_>#")
    if before.endswith((" -", "—", "–")):
        return True
    before = before.rstrip("-•+ \t0123456789.)")  # a bullet or list number
    if not before:
        return start == 0
    return before[-1] in _BREAKS


_BREAKS = frozenset('.!?:;("“‘[|')


def range_members(text: str) -> list[str]:
    """The names a numbered range written in `text` stands for, in the range's own digits:
    "origin-01..04" gives origin-01, origin-02, origin-03 and origin-04 (a range of more than
    `RANGE_MEMBERS` names, or a backwards one, gives none)."""
    found: list[str] = []
    for match in _NUMBERED_RANGE.finditer(text):
        first, last = int(match["a"]), int(match["b"])
        if not first < last or last - first >= RANGE_MEMBERS:
            continue
        width = len(match["a"]) if match["a"].startswith("0") else 1
        found += [f"{match['base']}-{n:0{width}d}" for n in range(first, last + 1)]
    return found
