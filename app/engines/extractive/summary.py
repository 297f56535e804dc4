"""The two summaries, each sentence citing the messages it comes from.

The technical summary quotes the chat: the first signal, the root cause and what ended the
impact, each in the words of the message that said it (the draft shows them as quotes). The
plain summary is written from typed facts with templates: what was affected and when, that the
cause was found, what was done. Its words are the chat's own (the thing affected, the kind of
trouble, the action taken) plus a few words of postmortem prose, so every sentence stays
traceable to the messages it cites, and no sentence names a person, a host or an error class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.engines.extractive.chat import Finding
from app.engines.extractive.events import Event
from app.engines.extractive.milestones import Resolution
from app.engines.extractive.service import NOT_A_THING
from app.engines.extractive.text import content_words, join_sentences, split_sentences
from app.fold import word_key

_NOT_THINGS = frozenset(
    "the some many more few all any most more other with without and high low new old our "
    "their these those such".split()
)
_CLEAN_NOUNS: dict[str, str] = {
    "rollback": "rollback",
    "restart": "restart",
    "failover": "failover",
    "fix": "fix",
}


@dataclass(frozen=True)
class Facts:
    """The typed facts the summaries are written from."""

    detection: Finding | None
    impact: list[Finding]
    root_cause: Finding | None
    resolution: Resolution | None
    events: list[Event]
    thing: str | None
    vocabulary: frozenset[str] = frozenset()  # stems of every word the chat uses

    @property
    def resolution_label(self) -> str:
        """A label for what ended the impact, in a word the chat itself uses (the draft writes
        no word the chat never says), else none."""
        for stems, label in (({"resolv", "resolut"}, "Resolution: "), ({"fix", "fixed"}, "Fix: ")):
            if stems & self.vocabulary:
                return label
        return ""


def _sentences(
    label: str, finding: Finding, count: int, limit: int = 240
) -> list[dict[str, object]]:
    """The first `count` sentences of a finding's main quote, the first one labelled."""
    lead = finding.lead
    words = lead.text if lead is not None else finding.text
    evidence = [lead.message.id] if lead is not None else list(finding.evidence)
    evidence += [i for i in finding.also if i not in evidence]
    chosen = split_sentences(join_sentences(split_sentences(words)[:count], limit=limit))
    return [
        {"text": (label if n == 0 else "") + _end(sentence), "evidence": evidence}
        for n, sentence in enumerate(chosen)
    ]


def technical_summary(facts: Facts) -> list[dict[str, object]]:
    """Two to four quoted sentences: the first signal, root cause, resolution (impact when
    there is room)."""
    lead = facts.detection or (facts.impact[0] if facts.impact else None)
    parts: list[list[dict[str, object]]] = []
    if lead:
        parts.append(_sentences("", lead, 1))
    if facts.root_cause:
        parts.append(_sentences("Root cause: ", facts.root_cause, 2))
    if facts.resolution:
        parts.append(_sentences(facts.resolution_label, facts.resolution.finding, 1, limit=200))
    if len(parts) < 3 and facts.impact and facts.impact[0] is not lead:
        parts.insert(1, _sentences("", facts.impact[0], 1))
    # the detection and the first impact line are often the same statement (a short chat's
    # opening report): a sentence already said is not said again
    said: set[str] = set()
    unique: list[dict[str, object]] = []
    for sentence in (s for part in parts for s in part):
        key = _said_key(str(sentence["text"]))
        if key in said:
            continue
        said.add(key)
        unique.append(sentence)
    return unique


def _said_key(text: str) -> str:
    """A sentence's words without its label, case and punctuation: what makes two the same."""
    for label in ("Root cause: ", "Resolution: ", "Fix: "):
        text = text.removeprefix(label)
    return " ".join(re.findall(r"\w+", text.lower()))


_NOUN_SYMPTOM = re.compile(
    r"(?<![\w-])(?P<thing>[a-z][a-z0-9]{2,20}+)(?:-(?:service|svc|api|app|web|worker|server))?"
    r"\s(?P<symptom>errors?|failures?|outages?|latency|timeouts?|crashes|delays?|lag)\b",
    re.IGNORECASE,
)


def _symptom_phrase(findings: list[Finding]) -> tuple[str, Finding] | None:
    """The chat's own words for what failed ("checkout errors") and the finding saying them."""
    for finding in findings:
        for match in _NOUN_SYMPTOM.finditer(finding.text):
            thing = word_key(match["thing"])
            if thing in NOT_A_THING or thing in _NOT_THINGS or not thing.isalpha():
                continue
            return f"{thing} {match['symptom'].lower()}", finding
    return None


def _window(events: list[Event]) -> tuple[Event, Event] | None:
    # impact starts at the first signal users or alerts gave, not at the change behind it
    starts = [e for e in events if e.kind == "detection" and e.seconds is not None]
    ends = [e for e in events if e.kind == "recovery" and e.seconds is not None]
    if not starts or not ends:
        return None
    start = min(starts, key=lambda e: e.seconds or 0)
    end = max(ends, key=lambda e: e.seconds or 0)
    if start.time is None or end.time is None or (end.seconds or 0) < (start.seconds or 0):
        return None
    return start, end


def plain_summary(facts: Facts) -> list[dict[str, object]]:
    """Plain sentences from typed facts: what failed (in the chat's words), for how long, that
    the cause was found, what was done."""
    sentences: list[dict[str, object]] = []
    focus = [f for f in (facts.detection, *facts.impact) if f is not None]
    found = _symptom_phrase(focus)
    if found is not None:
        phrase, source = found
        sentences.append(
            {"text": f"The incident caused {phrase}.", "evidence": list(source.evidence[:1])}
        )
    window = _window(facts.events)
    if window is not None:
        start, end = window
        minutes = round(((end.seconds or 0) - (start.seconds or 0)) / 60)
        sentences.append(
            {
                "text": f"The impact lasted approximately {minutes} minutes, from {start.time} "
                f"to {end.time}.",
                "evidence": [start.message.id, end.message.id],
            }
        )
    if facts.root_cause is not None and found is not None:
        phrase, source = found
        evidence = list(dict.fromkeys([source.evidence[0], facts.root_cause.evidence[0]]))
        sentences.append(
            {"text": f"The cause of the {phrase} was identified.", "evidence": evidence}
        )
    lead = facts.detection or (facts.impact[0] if facts.impact else None)
    if not sentences and lead is not None and lead.lead is not None and lead.lead.message.time:
        when = lead.lead.message.time[:5]
        sentences.append(
            {"text": f"The incident occurred at {when}.", "evidence": lead.evidence[:1]}
        )
    done = facts.resolution.done if facts.resolution else None
    if done is not None and done.time:
        noun = _CLEAN_NOUNS.get(done.family)
        if noun and noun in content_words(done.message.text):
            sentences.append(
                {
                    "text": f"The team performed a {noun} at {done.time}.",
                    "evidence": [done.message.id],
                }
            )
    return sentences


def make_summaries(facts: Facts, fallback_id: int) -> dict[str, object]:
    """`Summaries` data: each sentence citing the statement it came from. A summary with no
    sentence of its own gets one neutral sentence, which the fact check keeps only if the chat
    supports it."""
    neutral = [{"text": "The incident affected the service.", "evidence": [fallback_id]}]
    return {
        "technical": technical_summary(facts) or neutral,
        "plain": plain_summary(facts) or neutral,
    }


def _end(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?…" else sentence + "."
