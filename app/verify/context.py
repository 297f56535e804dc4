"""A claim read once, with the messages retrieved for it, ready for the individual checks.

A check answers with a `CheckResult`:
- `pass`: a hard fact of the claim (a time, a figure, a name, an owner) matches the chat, with the
  messages that bear it out;
- `contradicted` / `unsupported`: a *hard* check failed; the claim fails, and the reason names the
  message that says otherwise;
- `flag`: a *soft* signal (weak word overlap, a plan where the claim says done, "all" the chat
  does not say, a person the chat does not link to the event). It never fails a claim on its own:
  with an LLM judge the claim goes to it, without one it ships as "unconfirmed";
- `skip`: the claim has nothing of that kind.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from app.verify.claims import Claim
from app.verify.entities import acronyms, identifiers, proper_names
from app.verify.mood import (
    ACTION_STEMS,
    PLANNED_HEADING,
    STATE_STEMS,
    ClauseFacts,
    analyse_clause,
)
from app.verify.quantities import Figure, figures
from app.verify.source import MessageDoc, SourceIndex
from app.verify.text import GENERIC, META, Token, is_content, stem, words
from app.verify.times import WrittenTime, clock_times, time_ranges

Outcome = Literal["pass", "contradicted", "unsupported", "flag", "skip"]

# "has been added", "have already been rotated", "is already in place": a done claim in a plan.
_PERFECT = re.compile(
    r"\b(?:has|have|had)[ \t]++(?:(?:already|now|since|just)[ \t]++)?+been\b|\balready\b",
    re.IGNORECASE,
)
# Retrieved messages that count as a claim's evidence besides the ones it cites.
EVIDENCE_K = 5
# Cited messages read by the checks (a claim citing thousands of ids is read for the first ones;
# every id is still checked to exist).
CITED_READ = 24


@dataclass(frozen=True)
class CheckResult:
    """What one check concluded about one claim, and why."""

    name: str
    outcome: Outcome
    reason: str = ""
    evidence: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        """'name:outcome', as listed in a verdict's `checks`."""
        return f"{self.name}:{self.outcome}"


def idf_weight(source: SourceIndex, stems: Iterable[str]) -> float:
    """The IDF weight of a set of stems (each at least 0.1), summed exactly (`math.fsum`): a
    set's iteration order follows the hash seed, and a plain float sum in that order could
    make two equal matches differ in the last bit (1.0 against 1.0000000000000002), so a tie
    broken by chat order went the other way under some seeds."""
    return math.fsum(max(source.idf(s), 0.1) for s in stems)


def overlap(needles: frozenset[str] | set[str], haystack: frozenset[str] | set[str]) -> float:
    """Share of `needles` found in `haystack` (0 when there are no needles)."""
    return len(needles & haystack) / len(needles) if needles else 0.0


@dataclass
class ClaimContext:
    """One claim prepared for checking against one transcript."""

    claim: Claim
    source: SourceIndex
    retrieve: bool = True
    tokens: list[Token] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = words(self.text)

    @property
    def text(self) -> str:
        """The claim's text."""
        return self.claim.text

    @cached_property
    def mentions(self) -> list[tuple[str, int, int]]:
        """Participants named in the claim, with where (see `PeopleIndex.mentioned`)."""
        return self.source.people.mentioned(self.text)

    @cached_property
    def people(self) -> list[str]:
        """Participants named in the claim, each once, in order."""
        return list(dict.fromkeys(p for p, _, _ in self.mentions))

    @cached_property
    def name_stems(self) -> frozenset[str]:
        """Stems of the participant names in the claim."""
        return frozenset(stem(part) for person in self.people for part in person.lower().split())

    @cached_property
    def content(self) -> frozenset[str]:
        """Meaningful stems, without postmortem boilerplate, words about the sources, or names."""
        return (
            frozenset(
                t.stem
                for t in self.tokens
                if is_content(t) and t.stem not in GENERIC and t.stem not in META
            )
            - self.name_stems
        )

    @cached_property
    def facts(self) -> ClauseFacts:
        """Negation, mood and state polarity of the claim as a whole."""
        return analyse_clause(self.text)

    @cached_property
    def figures(self) -> list[Figure]:
        """Figures written in the claim."""
        return figures(self.text, clocks=self.times)

    @cached_property
    def times(self) -> list[WrittenTime]:
        """Clock times written in the claim."""
        return clock_times(self.text)

    @cached_property
    def ranges(self) -> list[tuple[WrittenTime, WrittenTime]]:
        """Ranges of times in the claim ("from 13:58 to 14:21", "14:02-14:10")."""
        return time_ranges(self.text, self.times)

    @cached_property
    def identifiers(self) -> list[str]:
        """Identifiers written in the claim."""
        return identifiers(self.text)

    @cached_property
    def proper_names(self) -> list[str]:
        """Capitalised names in the claim that are not participants."""
        keys = self.source.people.keys
        return [n for n in proper_names(self.text) if n.lower() not in keys]

    @cached_property
    def acronyms(self) -> list[str]:
        """Upper-case abbreviations in the claim other than the everyday ones."""
        return acronyms(self.text)

    @cached_property
    def planned_section(self) -> bool:
        """True when the claim sits under a heading for plans, follow-ups or recommendations."""
        return bool(self.claim.section and PLANNED_HEADING.search(self.claim.section))

    @cached_property
    def claims_done(self) -> frozenset[str]:
        """Action verbs the claim says were carried out ("tests have been added" -> add)."""
        facts = self.facts
        if facts.planned or facts.imperative or facts.negated:
            return frozenset()
        perfect = facts.perfect - STATE_STEMS  # "has since been resized", "has been set up"
        if self.planned_section:  # only "has been added" is a done claim among plans
            # ("while its clock is unsynced" states a condition, not that work was done)
            return perfect if _PERFECT.search(self.text) else frozenset()
        return (facts.past & ACTION_STEMS) | perfect

    @cached_property
    def cited(self) -> list[int]:
        """Ids the claim cites that name a message (the first `CITED_READ` of them)."""
        ids = [i for i in dict.fromkeys(self.claim.evidence or []) if i in self.source.docs]
        return ids[:CITED_READ]

    @cached_property
    def ranked(self) -> list[tuple[int, float]]:
        """Messages retrieved for the whole claim, best first."""
        terms = [t.stem for t in self.tokens]
        terms += [f.key for f in self.figures]
        terms += [f"#time:{t.value}" for t in self.times]
        return self.source.search(terms, k=12)

    @cached_property
    def evidence(self) -> list[int]:
        """The claim's evidence: cited ids first, then (when retrieving) the best matches."""
        cited = list(self.cited)
        if not self.retrieve:
            return cited
        extra = [mid for mid, _ in self.ranked if mid not in cited]
        return cited + extra[: max(0, EVIDENCE_K - min(len(cited), 2))]

    def docs(self, ids: list[int] | None = None) -> list[MessageDoc]:
        """Prepared messages for `ids` (default: the evidence)."""
        found = (self.source.doc(i) for i in (self.evidence if ids is None else ids))
        return [d for d in found if d is not None]

    @cached_property
    def cited_docs(self) -> list[MessageDoc]:
        """The messages the claim cites."""
        return self.docs(self.cited)

    def wide_docs(self) -> list[MessageDoc]:
        """Cited messages plus up to twelve retrieved ones, for checks that read clauses."""
        ids = list(self.cited)
        ids += [mid for mid, _ in self.ranked if mid not in ids][: 12 if self.retrieve else 3]
        return self.docs(ids)

    def search_event(self, terms: frozenset[str], k: int = 5) -> list[tuple[MessageDoc, float]]:
        """Messages about an event (given by its content words) with their word overlap."""
        found: list[tuple[MessageDoc, float]] = []
        for message_id, _ in self.source.search(terms, k=k):
            doc = self.source.doc(message_id)
            if doc is not None:
                found.append((doc, overlap(set(terms), set(doc.stems))))
        return found
