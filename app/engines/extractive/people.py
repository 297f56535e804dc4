"""Who is who: match names written in the chat to its participants.

An owner or addressee is only ever a participant: a case-insensitive match of an author, or of an
author's first name when exactly one participant has it. Anything else resolves to None.
"""

from __future__ import annotations

import re
from collections import defaultdict

# "Okafor, Chidi" (a directory's "Last, First") is named by either part, like "Chidi Okafor"
_NAME_SPLIT = re.compile(r"[\s._,]+")
_TOKEN = re.compile(r"@?[A-Za-z][\w.\-]*")
_ADDRESS = re.compile(r"^@?(?P<name>[A-Za-z][\w.\-]*)(?P<rest>\s*(?:[,:—–]|-\s)?\s*)")
_FIRST_WORD = re.compile(r"[a-z']++")
_BASE_ING = frozenset(("bring", "ping", "sing"))  # a plain verb that only looks like "-ing"
# After a vocative name: words that tell or ask the person something ...
_TOLD = frozenset("you pls please can could would can't don't".split())
# ... and words of a report about them or a statement ("Hana has it", "Karim took over").
_REPORTED = frozenset(
    "is was has had says said will would did took ran sent put made got went set saw found "
    "left kept brought began wrote thinks knows and or the a an to on in at from for of with "
    "too also here it i we they he she done back thanks thx ok okay yes yep no nope".split()
)


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
        # "Last, First": the part after the comma names the person too ("@Chidi")
        for participant in participants:
            last, comma, first = participant.partition(",")
            key = _NAME_SPLIT.split(first.strip())[0].lower() if comma else ""
            if key and key not in firsts and key not in self._first:
                self._first[key] = participant

    def resolve(self, name: str) -> str | None:
        """The participant `name` refers to, or None when it names nobody (or is ambiguous)."""
        key = name.strip().lstrip("@").strip(" ,.:;!?").lower()
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        return self._first.get(key)

    def full_name_after(self, text: str, who: str) -> int:
        """How much of `text` (what follows an "@") spells out participant `who` in full: the
        whole "Okafor, Chidi" or "Amélie Roussel" after "@", else 0."""
        return len(who) if text[: len(who)].lower() == who.lower() else 0

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

    def instructs(self, sentence: str) -> bool:
        """A sentence that opens by addressing a participant and goes on to tell or ask them
        something ("Hana bring the worker back at 2 replicas", "Lwazi you just pasted the key",
        "@ana pls rotate it"), not a report of what they did ("Hana restarted the pods")."""
        match = _ADDRESS.match(sentence.strip())
        who = self.resolve(match["name"]) if match else None
        if match is None or who is None:
            return False
        rest = sentence.strip()[match.end() :].lower()
        for part in _NAME_SPLIT.split(who.lower())[1:]:  # "@Priscilla Tan pulling in ..."
            if part and rest.startswith(part):
                rest = rest[len(part) :].lstrip(" ,:—–-")
        word = _FIRST_WORD.match(rest)
        if word is None:
            return False
        first = word.group(0)
        if first in _TOLD or first in _REPORTED:
            return first in _TOLD
        if not (sentence.lstrip().startswith("@") or match["name"][0].isupper()):
            return False  # "dev deploy went out": a lower-case word, not a name called out
        if first in _BASE_ING:
            return True
        return not first.endswith(("ed", "s", "ing", "'s", "n't"))

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
