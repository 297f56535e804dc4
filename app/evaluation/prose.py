"""Prose checks on rendered drafts: would a reader send this, or does it read as pasted chat?

Each check counts violations in one incident's drafts, so the eval can gate them at zero:

- `status_mismatches`: the stakeholder email calls an incident "ongoing" that the chat shows
  recovered (or "resolved" one that is still going on), against the gold's `resolved`.
- `first_person_sentences`: sentences outside quotes written in the first person. The engineering
  postmortem is third person and blameless (no "I", no "we"); the stakeholder email may speak as
  the company ("we"), never as one person ("I", "my").
- `stakeholder_private_terms`: people's names, the gold's private terms (hosts, error classes,
  internal tools), hostnames and message citations (`[m12]`) found in the stakeholder email.
- `chat_debris`: copy-paste clutter left in either draft ("(edited)", reaction counts,
  "3 replies", "View thread").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Text a draft quotes is the chat's voice, not the draft's: quoted spans and blockquote lines.
# An opening quote never spans another opening quote, so every start scans a disjoint stretch.
_QUOTED = re.compile(r"“[^”“\n]*+”|\"[^\"\n]*+\"|^[ \t]{0,3}+>[^\n]*+$", re.MULTILINE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
# "I/O" and "US" (the country) are no pronouns: a slash keeps a form a word of something else,
# and "us" is matched in lower case only.
_FIRST_SINGULAR = re.compile(
    r"(?<![\w'’/-])(?:I(?:['’](?:m|ve|ll|d))?|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)(?![\w'’/-])"
)
_FIRST_PLURAL = re.compile(
    r"(?<![\w'’/-])(?:(?i:we(?:['’](?:re|ve|ll|d))?|our|ours|ourselves)|us)(?![\w'’/-])"
)
_ONGOING = re.compile(
    r"\b(?:ongoing|still (?:under ?way|in progress|happening)|not yet (?:resolved|fixed))\b",
    re.IGNORECASE,
)
_RESOLVED = re.compile(
    r"\b(?:has been|was|is now|now) (?:fully )?resolved\b|^Subject: Resolved", re.I | re.M
)
_CITATION = re.compile(r"\[m\d{1,7}\b")
_HOSTNAME = re.compile(
    r"\b[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?){1,8}"
    r"\.(?:internal|local|lan|corp|intra|svc|cluster|private|prod|staging|int)\b",
    re.IGNORECASE,
)
_DEBRIS = re.compile(
    r"\((?:edited)\)|\bView thread\b|\b\d{1,4} repl(?:y|ies)\b"
    r"|(?<!\w):[a-z0-9_+-]{1,40}:\s?\d{1,4}\b",
    re.IGNORECASE,
)


def _unquoted(text: str) -> str:
    return _QUOTED.sub(" ", text)


def first_person_sentences(text: str, *, allow_we: bool) -> list[str]:
    """Sentences of `text`, outside quotes, in the first person (`allow_we`: company voice)."""
    found = []
    for match in _SENTENCE.finditer(_unquoted(text)):
        sentence = match.group(0).strip()
        if not sentence:
            continue
        if _FIRST_SINGULAR.search(sentence) or (not allow_we and _FIRST_PLURAL.search(sentence)):
            found.append(sentence)
    return found


def status_mismatches(stakeholder: str, resolved: bool | None) -> list[str]:
    """What the email says about the incident's state that the gold contradicts."""
    if resolved is None:
        return []
    if resolved:
        return [m.group(0) for m in _ONGOING.finditer(stakeholder)]
    return [m.group(0) for m in _RESOLVED.finditer(stakeholder)]


def _term_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)


def stakeholder_private_terms(stakeholder: str, private: Iterable[str]) -> list[str]:
    """Names, private terms, hostnames and citations the stakeholder email shows."""
    found = [
        term for term in dict.fromkeys(private) if term and _term_pattern(term).search(stakeholder)
    ]
    found += [m.group(0) for m in _HOSTNAME.finditer(stakeholder)]
    found += [m.group(0) + "]" for m in _CITATION.finditer(stakeholder)]
    return list(dict.fromkeys(found))


def chat_debris(texts: Iterable[str]) -> list[str]:
    """Copy-paste clutter in any of the drafts."""
    return [m.group(0) for text in texts for m in _DEBRIS.finditer(text)]
