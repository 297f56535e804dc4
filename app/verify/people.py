"""Who takes part in a chat, and how a text refers to them.

A participant is found by their full name (a "Last, First" display name also as "First Last"),
their first or last name when no other participant shares it, an @handle ("@hannah",
"@diego.r"), or a possessive ("Jonas's"). Looking a text up costs one dictionary probe per
word, however many people the chat has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.fold import word_key
from app.verify.text import STOPWORDS

# Letters of any script: "Tomás", "Zoë" and "Müller" are names as much as "Tom".
_WORD = re.compile(r"@?+[^\W\d_][^\W_]*+(?:[.'’\-][^\W_]++)*+")
_POSSESSIVE = ("'s", "’s")
_RESOLVED_KEPT = 65536  # words whose answer one index remembers


@dataclass
class PeopleIndex:
    """Participants (message authors) and the words that name each of them."""

    participants: list[str]
    keys: dict[str, str] = field(default_factory=dict)  # lower-case word or name -> participant
    # `resolve`'s answers by word: a chat writes the same few words over and over
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    # first words of the two-word keys ("nina" of "nina patel"), found on first use
    _pair_firsts: frozenset[str] | None = field(default=None, repr=False, compare=False)
    # `mentioned`'s answers by text: the follow-up walk and the checks read the same clauses
    _mentions: dict[str, tuple[tuple[str, int, int], ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def of(cls, participants: list[str]) -> PeopleIndex:
        """Index participants by full name, and by first and last name where unambiguous."""
        index = cls(list(participants))
        counts: dict[str, int] = {}
        for name in participants:
            for part in set(_name_parts(name)):
                counts[part] = counts.get(part, 0) + 1
        for name in participants:
            lowered = name.lower()
            index.keys[lowered] = name
            index.keys[lowered.replace(" ", "")] = name
            last, comma, first = lowered.partition(",")
            if comma and first.strip() and " " not in last.strip():
                # "Okafor, Chidi": a directory's "Last, First" is "Chidi Okafor" in a sentence
                index.keys.setdefault(f"{first.strip()} {last.strip()}", name)
            for part in _name_parts(name):
                if counts[part] == 1 and len(part) > 1:
                    index.keys.setdefault(part, name)
        return index

    def resolve(self, word: str) -> str | None:
        """The participant a word names ("@hannah", "Jonas's", "nina"), or None."""
        if word in self._resolved:
            return self._resolved[word]
        found = self._resolve(word)
        if len(self._resolved) < _RESOLVED_KEPT:
            self._resolved[word] = found
        return found

    def _resolve(self, word: str) -> str | None:
        bare = word.lower().lstrip("@").rstrip(".,:;!?)")
        if word[:1].islower() and bare in STOPWORDS:
            return None  # "will", "may": a word, not Will or May
        for ending in _POSSESSIVE:
            if bare.endswith(ending):
                bare = bare[: -len(ending)]
        found = self.keys.get(bare)
        if found is None and "." in bare:
            found = self.keys.get(bare.split(".", 1)[0])  # "@diego.r"
        return found

    def mentioned(self, text: str) -> list[tuple[str, int, int]]:
        """Participants named in `text`, as (participant, start, end), in order."""
        known = self._mentions.get(text)
        if known is None:
            known = tuple(self._mentioned(text))
            if len(self._mentions) < _RESOLVED_KEPT:
                self._mentions[text] = known
        return list(known)

    def _mentioned(self, text: str) -> list[tuple[str, int, int]]:
        found: list[tuple[str, int, int]] = []
        if self._pair_firsts is None:
            self._pair_firsts = frozenset(k.split(" ", 1)[0] for k in self.keys if " " in k)
        firsts = self._pair_firsts
        if not firsts:  # no two-word name: every word is looked up alone
            resolved = self._resolved
            for match in _WORD.finditer(text):
                word = match.group(0)
                person = resolved[word] if word in resolved else self.resolve(word)
                if person is not None:
                    found.append((person, match.start(), match.end()))
            return found
        words = list(_WORD.finditer(text))
        taken = -1
        for index, match in enumerate(words):
            if match.start() < taken:
                continue
            # a two-word name ("Nina Patel"): only where a key starts with the first word
            if index + 1 < len(words) and firsts and word_key(match.group(0)).lstrip("@") in firsts:
                pair = f"{match.group(0)} {words[index + 1].group(0)}".lower().lstrip("@")
                full = self.keys.get(pair)
                if full is not None and " " in pair:
                    found.append((full, match.start(), words[index + 1].end()))
                    taken = words[index + 1].end()
                    continue
            person = self.resolve(match.group(0))
            if person is not None:
                found.append((person, match.start(), match.end()))
        return found

    def names_in(self, text: str) -> list[str]:
        """The participants named in `text`, each once, in order."""
        return list(dict.fromkeys(p for p, _, _ in self.mentioned(text)))


def _name_parts(name: str) -> list[str]:
    spaced = name.lower().replace("_", " ").replace(".", " ").replace(",", " ")
    return [part for part in spaced.split() if part]
