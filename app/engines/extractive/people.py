"""Who is who: match names written in the chat to its participants.

An owner or addressee is only ever a participant: a case-insensitive match of an author, or of an
author's first name when exactly one participant has it. Anything else resolves to None.
"""

from __future__ import annotations

import re
from collections import defaultdict

_NAME_SPLIT = re.compile(r"[\s._]+")
_TOKEN = re.compile(r"@?[A-Za-z][\w.\-]*")
_ADDRESS = re.compile(r"^@?(?P<name>[A-Za-z][\w.\-]*)(?P<rest>\s*(?:[,:—–]|-\s)?\s*)")


class Roster:
    """The chat's participants and the ways they can be named."""

    def __init__(self, participants: list[str]) -> None:
        self.participants = list(participants)
        self._exact = {p.lower(): p for p in participants}
        firsts: dict[str, set[str]] = defaultdict(set)
        for participant in participants:
            first = _NAME_SPLIT.split(participant.lstrip("@").strip())[0].lower()
            if first:
                firsts[first].add(participant)
        self._first = {name: next(iter(ps)) for name, ps in firsts.items() if len(ps) == 1}

    def resolve(self, name: str) -> str | None:
        """The participant `name` refers to, or None when it names nobody (or is ambiguous)."""
        key = name.strip().lstrip("@").strip(" ,.:;!?").lower()
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        return self._first.get(key)

    def addressee(self, sentence: str) -> str | None:
        """The participant a sentence opens by addressing ("Ravi, can you ..." -> Ravi)."""
        match = _ADDRESS.match(sentence.strip())
        if not match:
            return None
        return self.resolve(match["name"])

    def drop_address(self, sentence: str) -> str:
        """The sentence without a leading vocative name ("Priya, can you" -> "can you")."""
        match = _ADDRESS.match(sentence.strip())
        if match and self.resolve(match["name"]) and match["rest"].strip():
            return sentence.strip()[match.end() :].strip()
        return sentence.strip()

    def mentioned(self, text: str) -> list[str]:
        """Participants named anywhere in `text` (whole words, first names included)."""
        found: dict[str, None] = {}
        for token in _TOKEN.findall(text):
            who = self.resolve(token)
            if who is not None:
                found.setdefault(who, None)
        return list(found)

    def name_pattern(self) -> re.Pattern[str] | None:
        """A regex matching any way a participant is named, for scrubbing plain text."""
        names = set(self._exact) | set(self._first)
        names = {n for n in names if len(n) > 1}
        if not names:
            return None
        alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
        return re.compile(rf"@?\b(?:{alternatives})\b", re.IGNORECASE)
