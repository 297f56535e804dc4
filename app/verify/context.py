"""A claim read once, with the messages retrieved for it, ready for the individual checks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from app.verify.claims import Claim
from app.verify.mood import ACTION_STEMS, PLANNED_HEADING, ClauseFacts, analyse_clause
from app.verify.quantities import Figure, figures
from app.verify.source import MessageDoc, SourceIndex
from app.verify.text import GENERIC, Token, clock_times, is_content, stem, words

# "unsettled": the check found nothing wrong but cannot vouch for the fact; the claim goes to the
# LLM judge (when there is one) whatever the other checks say.
Outcome = Literal["pass", "unsupported", "contradicted", "unsettled", "skip"]

# How many retrieved messages count as a claim's evidence.
EVIDENCE_K = 5


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
    def people(self) -> list[str]:
        """Participants named in the claim, in the chat's spelling."""
        found: list[str] = []
        for lowered, name in self.source.participants.items():
            if re.search(rf"(?<![\w-]){re.escape(lowered)}(?![\w-])", self.text, re.IGNORECASE):
                found.append(name)
        return found

    @cached_property
    def name_stems(self) -> frozenset[str]:
        """Stems of the participant names in the claim."""
        return frozenset(stem(part) for person in self.people for part in person.lower().split())

    @cached_property
    def content(self) -> frozenset[str]:
        """Meaningful stems, without postmortem boilerplate words or participant names."""
        return (
            frozenset(t.stem for t in self.tokens if is_content(t) and t.stem not in GENERIC)
            - self.name_stems
        )

    @cached_property
    def facts(self) -> ClauseFacts:
        """Negation, mood and state polarity of the claim as a whole."""
        return analyse_clause(self.text)

    @cached_property
    def figures(self) -> list[Figure]:
        """Figures written in the claim."""
        return figures(self.text)

    @cached_property
    def times(self) -> list[tuple[str, int, int]]:
        """Clock times written in the claim, as ('HH:MM', start, end)."""
        return clock_times(self.text)

    @cached_property
    def planned_section(self) -> bool:
        """True when the claim sits under a heading for plans or recommendations."""
        return bool(self.claim.section and PLANNED_HEADING.search(self.claim.section))

    @cached_property
    def claims_done(self) -> frozenset[str]:
        """Action verbs the claim says were carried out ("tests have been added" -> add)."""
        facts = self.facts
        if facts.planned or facts.imperative or facts.negated:
            return frozenset()
        if self.planned_section:  # only "has been added" is a done claim among plans
            return facts.perfect & ACTION_STEMS
        return facts.past & ACTION_STEMS

    @cached_property
    def ranked(self) -> list[tuple[int, float]]:
        """Messages retrieved for the whole claim, best first."""
        terms = [t.stem for t in self.tokens]
        terms += [f"#fig:{f.kind}:{round(f.value, 6)}" for f in self.figures]
        return self.source.search(terms, k=12)

    @cached_property
    def evidence(self) -> list[int]:
        """The claim's evidence: cited ids first, then (when retrieving) the best matches."""
        cited = list(self.claim.evidence or [])
        if not self.retrieve:
            return cited
        extra = [mid for mid, _ in self.ranked if mid not in cited]
        return cited + extra[: max(0, EVIDENCE_K - min(len(cited), 2))]

    def docs(self, ids: list[int] | None = None) -> list[MessageDoc]:
        """Prepared messages for `ids` (default: the evidence)."""
        found = (self.source.doc(i) for i in (self.evidence if ids is None else ids))
        return [d for d in found if d is not None]

    def wide_docs(self) -> list[MessageDoc]:
        """Cited messages plus up to twelve retrieved ones, for checks that read clauses."""
        ids = list(self.claim.evidence or [])
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
