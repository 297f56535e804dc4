"""The title and the two summaries, stitched from statements already found.

Facts come from the chat's own sentences; only glue words ("Root cause:", "Fix:") are added. The
plain summary prefers sentences without error class names, hostnames or first-person asides, and
never names a participant.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.engines.extractive.chat import Finding
from app.engines.extractive.people import Roster
from app.engines.extractive.text import content_words, join_sentences, split_sentences

_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("outage", re.compile(r"\b(?:outage|down|unavailable|unreachable)\b", re.IGNORECASE)),
    ("errors", re.compile(r"\b(?:errors?|5xx|5\d\ds?|exceptions?|fail\w*)\b", re.IGNORECASE)),
    ("latency", re.compile(r"\b(?:latency|slow\w*|timeouts?|timing out)\b", re.IGNORECASE)),
    ("OOM kills", re.compile(r"\b(?:oom\w*|out of memory)\b", re.IGNORECASE)),
    ("lag", re.compile(r"\b(?:lag|backlog)\b", re.IGNORECASE)),
    ("overcharge", re.compile(r"\b(?:overcharg\w*|double[- ]charg\w*)\b", re.IGNORECASE)),
]
_JARGON = [
    (re.compile(r"\b\w+(?:Error|Exception)\b"), 3),
    (
        re.compile(
            r"(?<![\w-])-*+\b[\w-]+\.(?:internal|local|com|net|io|svc|org)\b"
            r"|(?<!\d)\d+\.\d+\.\d+\.\d+"
        ),
        3,
    ),
    (re.compile(r"\b(?:I|my|me|we|our|us)\b|\bI['’]", re.IGNORECASE), 2),
    (re.compile(r"`|\b\w+_\w+\b|\b\w+\.\w+\.\w+\b|[=×<>→]|->"), 2),
    (re.compile(r"\b(?:pod|pods|env vars?|k8s|CI/CD|stack ?trace|ms)\b", re.IGNORECASE), 1),
]


def make_title(service: str | None, focus: list[Finding]) -> str:
    """'<affected service> <errors|outage|latency|incident>', from words in the chat."""
    focus_text = " ".join(f.text for f in focus)
    kind = next((k for k, pattern in _KINDS if pattern.search(focus_text)), "incident")
    return f"{service} {kind}" if service else kind.capitalize()


def _plainness(sentence: str, names: re.Pattern[str] | None) -> int:
    """Lower is plainer: no jargon, no first person, and enough words to stand on its own."""
    score = sum(weight for pattern, weight in _JARGON if pattern.search(sentence))
    if len(content_words(sentence)) < 3:
        score += 4  # "It's mine." or "Found it." says nothing to a stakeholder
    return score + (2 if names and names.search(sentence) else 0)


def _plainest(finding: Finding, names: re.Pattern[str] | None) -> str:
    sentences = split_sentences(finding.text)
    return min(sentences, key=lambda s: (_plainness(s, names), sentences.index(s)))


def _first(finding: Finding, count: int = 1, limit: int = 240) -> str:
    return join_sentences(split_sentences(finding.text)[:count], limit=limit)


def make_summaries(
    roster: Roster,
    detection: Finding | None,
    impact: list[Finding],
    root_cause: Finding | None,
    resolution: Finding | None,
    fallback_id: int,
) -> dict[str, object]:
    """`Summaries` data: 2-4 sentences each, every sentence citing the statement it came from."""
    lead = detection or (impact[0] if impact else None)
    technical: list[tuple[str, Finding]] = []
    if lead:
        technical.append((_first(lead), lead))
    if root_cause:
        technical.append(("Root cause: " + _first(root_cause, count=2), root_cause))
    if resolution:
        technical.append(("Resolution: " + _first(resolution, count=2, limit=200), resolution))
    if len(technical) < 3 and impact and impact[0] is not lead:
        technical.insert(1, (_first(impact[0]), impact[0]))

    names = roster.name_pattern()
    plain: list[tuple[str, Finding]] = []
    what = impact[0] if impact else lead
    if what:
        plain.append(("What happened: " + _plainest(what, names), what))
    if root_cause:
        plain.append(("Cause: " + _plainest(root_cause, names), root_cause))
    if resolution:
        plain.append(("Fix: " + _plainest(resolution, names), resolution))
    if not technical and not plain:
        empty = [
            {
                "text": "The chat states no impact, root cause or resolution.",
                "evidence": [fallback_id],
            }
        ]
        return {"technical": empty, "plain": empty}

    def plain_words(text: str) -> str:
        return names.sub("a team member", text) if names is not None else text

    return {
        "technical": _cited_sentences(technical, lambda text: text),
        "plain": _cited_sentences(plain, plain_words),
    }


def _cited_sentences(
    parts: list[tuple[str, Finding]], wording: Callable[[str], str]
) -> list[dict[str, object]]:
    """One summary sentence per sentence of each part, each citing the part's statement."""
    return [
        {"text": wording(_end(sentence)), "evidence": list(finding.evidence)}
        for text, finding in parts
        for sentence in split_sentences(text)
    ]


def _end(sentence: str) -> str:
    return sentence if sentence[-1:] in ".!?…" else sentence + "."
