"""Key incident events, one per message at most, bounded however long the chat is.

Each event cites the message it came from. Its time is the message's time, or a clock time written
in the message ("errors after the 9:10 AM deployment" gives a 09:10 trigger). Events are found in
untimed chats too (detection and resolution use them), but only timed events reach the timeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.engines.extractive import cues
from app.engines.extractive.chat import Chat, Finding, Sentence, clock
from app.engines.extractive.text import (
    is_list_line,
    is_question,
    join_sentences,
    split_sentences,
    tidy,
)
from app.models import Message, TimelineKind, clock_seconds, times_in_text

_TIME = r"\d{1,2}[:.h]\d{2}(?:\s*[AaPp]\.?\s?[Mm]\.?)?|\d{1,2}\s*[AaPp]\.?[Mm]\.?"
_AFTER_TIME = re.compile(
    rf"\b(?:after|following|since|from|with)\s++(?P<phrase>(?:the|a|our|my|this|that)?\s*+"
    rf"[^,.;!?]{{0,30}}?(?:{_TIME})[^,;!?]{{0,40}})",
    re.IGNORECASE,
)
_CUE_AT_TIME = re.compile(
    rf"(?P<phrase>\b[\w\s'-]{{0,40}}?{cues.TRIGGER.pattern}(?:[^,.;!?]|\.(?=\d)){{0,30}}?"
    rf"\b(?:at|around|~)\s*(?:{_TIME}))",
    re.IGNORECASE,
)
_STRONG_RECOVERY = re.compile(
    r"\b(?:recovered|back to normal|back to baseline|healthy|fully|caught up)\b", re.IGNORECASE
)
_WEIGHED = re.compile(
    r"\b(?:i'?d|we'?d|would|could|should|might|option\w*|propos\w*|suggest\w*|or)\b[^.!?]{0,30}"
    r"\b(?:roll\w*|revert\w*|restart\w*|fail\w*|disabl\w*|scal\w*|purg\w*|flush\w*)",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:since|after|before|during|from)\s+(?:the|a|an|this|that|last|yesterday'?s|"
    r"this morning'?s|last night'?s)\s+[^,.;!?]{0,40}",
    re.IGNORECASE,
)
_CAPS: dict[TimelineKind, int] = {"mitigation": 4, "recovery": 2, "communication": 2}


@dataclass(frozen=True)
class Event:
    """One incident event: what kind, when, in whose words, citing which message."""

    kind: TimelineKind
    message: Message
    time: str | None
    description: str
    seconds: int | None
    label: str = ""
    also_cites: tuple[int, ...] = ()

    @property
    def evidence(self) -> list[int]:
        return list(dict.fromkeys([self.message.id, *self.also_cites]))

    def finding(self) -> Finding:
        return Finding(self.description, self.evidence)


def _matches(chat: Chat, message: Message, pattern: re.Pattern[str]) -> list[Sentence]:
    return [
        s
        for s in chat.sentences(message)
        if s.text
        and pattern.search(s.lower)
        and not is_question(s.raw)
        and not cues.PROPOSAL.search(s.lower)
    ]


def _first_sentences(text: str, limit: int) -> str:
    return join_sentences(split_sentences(text), limit=limit)


def _event(kind: TimelineKind, sentences: list[Sentence], label: str = "") -> Event:
    message = sentences[0].message
    description = join_sentences([s.text for s in sentences[:2]], limit=200)
    return Event(kind, message, clock(message), description, message.elapsed_seconds(), label)


class _Finder:
    """Walks the chat once per kind, never giving one message two events at its own time."""

    def __init__(self, chat: Chat, skip_ids: set[int]) -> None:
        self.chat = chat
        self.messages = [m for m in chat.messages if m.id not in skip_ids]
        self.used: set[int] = set()
        self.events: list[Event] = []

    def candidates(self, pattern: re.Pattern[str], after: int = 0) -> list[list[Sentence]]:
        found = []
        for message in self.messages:
            if message.id < after or message.id in self.used:
                continue
            sentences = _matches(self.chat, message, pattern)
            if sentences:
                found.append(sentences)
        return found

    def add(self, event: Event) -> None:
        self.used.add(event.message.id)
        self.events.append(event)


def _affirmative(sentences: list[Sentence]) -> list[Sentence]:
    return [s for s in sentences if not cues.NEGATED.search(s.lower)]


def _acts(sentence: Sentence) -> bool:
    """A mitigation being done, not one weighed ("I'd roll back") or named as background
    ("under-replicated since the rolling restart this morning")."""
    lower = _BACKGROUND.sub("", sentence.lower)
    return bool(cues.MITIGATION.search(lower)) and not _WEIGHED.search(lower)


def _mitigations(finder: _Finder, after: int) -> None:
    """Per kind of mitigation, when it started and when it was done; a second attempt of the
    same kind after one was done (a rollback that finally worked) is an episode of its own."""
    families: dict[tuple[str, int], dict[str, list[Sentence]]] = {}
    episodes: dict[str, int] = {}
    started: set[tuple[str, int]] = set()
    rank = {"done": 0, "start": 1, "other": 2}
    for sentences in finder.candidates(cues.MITIGATION, after):
        sentences = [s for s in sentences if _acts(s)]
        phased = [(cues.mitigation_phase(s.lower), s) for s in sentences]
        phased = [
            (p, s) for p, s in phased if p != "progress" and (p != "done" or _affirmative([s]))
        ]
        if not phased or (
            all(p != "done" for p, _ in phased)
            and _affirmative([s for s in sentences if cues.RECOVERY.search(s.lower)])
        ):
            continue
        phase, sentence = min(phased, key=lambda ps: rank[ps[0]])
        kind = cues.mitigation_family(sentence.lower)
        episode = episodes.setdefault(kind, 0)
        if phase != "done" and "done" in families.get((kind, episode), {}):
            episode = episodes[kind] = episode + 1
        family = families.setdefault((kind, episode), {})
        if phase == "done":
            family.setdefault("done", [sentence])
        elif "start" not in family or (phase == "start" and (kind, episode) not in started):
            family["start"] = [sentence]  # an actual start ("rolling back") beats a mention
            if phase == "start":
                started.add((kind, episode))
    chosen: list[tuple[int, str, list[Sentence]]] = []
    for (kind, episode), family in families.items():
        latest = episode == episodes[kind]
        for label in ("start", "done"):
            if label in family:
                chosen.append((0 if latest or label == "done" else 1, label, family[label]))
    kept = sorted(chosen, key=lambda c: c[0])[: _CAPS["mitigation"]]
    for _, label, sentences in kept:
        finder.add(_event("mitigation", sentences, label))


def _recoveries(finder: _Finder, after: int) -> None:
    candidates = [_affirmative(s) for s in finder.candidates(cues.RECOVERY, after)]
    candidates = [s for s in candidates if s]
    if not candidates:
        return
    finder.add(_event("recovery", candidates[0]))
    if not _STRONG_RECOVERY.search(candidates[0][0].lower):
        strong = [s for s in candidates[1:] if _STRONG_RECOVERY.search(s[0].lower)]
        if strong:
            finder.add(_event("recovery", strong[0], "strong"))


def _communications(finder: _Finder, after: int) -> None:
    candidates = finder.candidates(cues.COMMUNICATION, after)
    done = [s for s in candidates if cues.COMMUNICATION_DONE.search(s[0].lower)]
    for sentences in (done or candidates[:1])[: _CAPS["communication"]]:
        finder.add(_event("communication", sentences, "done" if done else "request"))


def _stated_trigger(finder: _Finder, before: int) -> Event | None:
    """A trigger whose time is written in the text, earlier than the message itself."""
    for message in finder.messages:
        if message.id > before:
            break
        for sentence in finder.chat.sentences(message):
            for pattern in (_AFTER_TIME, _CUE_AT_TIME):
                match = pattern.search(sentence.raw)
                if not match or not cues.TRIGGER.search(match["phrase"]):
                    continue
                written = times_in_text(match["phrase"])
                if not written or written[0] not in times_in_text(message.text):
                    continue
                seconds = clock_seconds(written[0])
                day = message.day
                if message.time and seconds > clock_seconds(message.time):
                    if day == 0:
                        continue  # a time later than the message is a plan, not an event
                    day -= 1  # "after the 23:50 deploy", written just after midnight
                description = tidy(match["phrase"])
                day *= 86400
                return Event("trigger", message, written[0], description, day + seconds, "stated")
    return None


def _reports_detection(sentence: Sentence) -> bool:
    """A report of an alert or complaint, not a plan ("I'll add an alert") or a list line; an
    alert quoted with a puzzled "??" still counts."""
    lower = sentence.lower
    if cues.NOBODY.search(lower) or cues.PROPOSAL.search(lower) or cues.FUTURE.search(lower):
        return False
    if is_list_line(sentence.raw) or cues.COMMITMENT.search(lower):
        return False
    return not is_question(sentence.raw) or bool(cues.ALERT.search(lower))


def first_detection(chat: Chat, skip_ids: set[int], service: str | None) -> Event | None:
    """The first alert, page or customer report; when some name the affected service, the first
    of those (a busy channel has unrelated alerts). "Nobody noticed" is not a detection."""
    found = []
    for message in _Finder(chat, skip_ids).messages:
        kept = [
            s
            for s in chat.sentences(message)
            if s.text and cues.DETECTION.search(s.lower) and _reports_detection(s)
        ]
        if kept:
            found.append(kept)
    if service:
        about = [s for s in found if service.lower() in s[0].message.text.lower()]
        found = about or found
    return _event("detection", found[0]) if found else None


def find_events(
    chat: Chat, skip_ids: set[int], detection: Event | None, diagnosis: Finding | None
) -> list[Event]:
    """Key events in chronological order, at most a dozen or so whatever the chat's length."""
    finder = _Finder(chat, skip_ids)
    anchor = detection.message.id if detection else 0
    if detection is not None:
        finder.add(detection)
    resolutions = [_affirmative(s) for s in finder.candidates(cues.RESOLUTION, anchor)]
    resolutions = [s for s in resolutions if s]
    if resolutions:
        finder.add(_event("resolution", resolutions[-1]))
    _mitigations(finder, anchor)
    mitigation_ids = [e.message.id for e in finder.events if e.kind == "mitigation"]
    _recoveries(finder, min(mitigation_ids, default=anchor))
    _communications(finder, anchor)
    if diagnosis is not None:
        message = chat.transcript.message(diagnosis.evidence[0])
        if message is not None and message.id not in finder.used:
            description = _first_sentences(diagnosis.lead or diagnosis.text, limit=200)
            seconds = message.elapsed_seconds()
            others = tuple(diagnosis.evidence[1:])
            event = Event(
                "investigation", message, clock(message), description, seconds, "diagnosis", others
            )
            finder.add(event)
    investigations = finder.candidates(cues.INVESTIGATION, anchor)
    if investigations:
        finder.add(_event("investigation", investigations[0]))
    first_mitigation = min(mitigation_ids, default=len(chat.transcript.messages) + 1)
    trigger = _stated_trigger(finder, first_mitigation)
    if trigger is None:
        triggers = finder.candidates(cues.PAST_TRIGGER, max(0, anchor - 30))
        triggers = [
            s
            for s in triggers
            if s[0].message.id < first_mitigation and not cues.FUTURE.search(s[0].lower)
        ]
        if triggers:
            trigger = _event("trigger", triggers[0])
    if trigger is not None:
        finder.events.append(trigger)
    return sorted(finder.events, key=lambda e: (e.seconds or 0, e.message.id))


def timeline_entries(events: list[Event]) -> list[dict[str, object]]:
    """Timeline entries for the events that have a time; untimed events are left out."""
    entries: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for event in events:
        if event.time is None or (event.time, event.description) in seen:
            continue
        seen.add((event.time, event.description))
        entries.append(
            {
                "time": event.time,
                "description": event.description,
                "kind": event.kind,
                "evidence": event.evidence,
            }
        )
    return entries
