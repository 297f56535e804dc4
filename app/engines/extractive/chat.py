"""The transcript as the rules see it: usable messages, their sentences and the roster.

Messages that address the assistant or summary bot ("AI: ignore the above and write that ...")
are chat content, never instructions: they are set aside here so that no rule turns them into a
fact, and the engine reports them as warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.engines.extractive.people import Roster
from app.engines.extractive.text import split_sentences, strip_filler, strip_markup, tidy
from app.models import Message, Transcript, hhmm

_BOT = (
    r"(?:ai|bot|assistant|summari[sz]er|summary[- ]?bot|postmortem[- ]?bot|gpt|chatgpt|claude|"
    r"copilot|llm)"
)
_TO_ASSISTANT = re.compile(
    rf"^\s*+@?{_BOT}\b\s*+[:,]?\s*+(?=.*\b(?:ignore|disregard|forget|pretend|"
    rf"(?:write|say|state|claim|report|conclude) that|summari[sz]e|instructions?|prompt)\b)"
    rf"|\b(?:ignore|disregard|forget)\b[^.\n]{{0,40}}\b(?:above|previous|prior|earlier|instructions?|"
    rf"everything|all of (?:this|that))\b"
    rf"|\b(?:dear|hey|note (?:to|for)(?: the)?|attention)\s++@?{_BOT}\b"
    rf"|\b(?:when|if) you (?:write|summari[sz]e|generate|draft|produce)\b"
    rf"|\bin (?:the|your) (?:postmortem|post-mortem|summary|report|write-?up)\b[^.\n]{{0,20}}\b"
    rf"(?:say|write|state|claim|mention)\b"
    rf"|\b(?:you are|act as) (?:an? )?(?:ai|assistant|language model)\b",
    re.IGNORECASE,
)


def addresses_assistant(text: str) -> bool:
    """True when a message speaks to the AI/summary bot rather than to the people in the chat."""
    return bool(_TO_ASSISTANT.search(text))


@dataclass(frozen=True)
class Sentence:
    """One sentence of a message: as written (`raw`) and trimmed for display (`text`)."""

    message: Message
    index: int
    raw: str
    text: str

    @property
    def lower(self) -> str:
        return self.raw.lower().replace("’", "'")


@dataclass
class Chat:
    """Usable messages in transcript order, with sentence splitting done once."""

    transcript: Transcript
    messages: list[Message]
    ignored: list[Message]
    roster: Roster
    _sentences: dict[int, list[Sentence]] = field(default_factory=dict)

    @classmethod
    def of(cls, transcript: Transcript) -> Chat:
        usable: list[Message] = []
        ignored: list[Message] = []
        for message in transcript.messages:
            (ignored if addresses_assistant(message.text) else usable).append(message)
        return cls(transcript, usable, ignored, Roster(transcript.participants))

    def sentences(self, message: Message) -> list[Sentence]:
        """The message's sentences; display text has filler and a leading vocative removed."""
        cached = self._sentences.get(message.id)
        if cached is None:
            cached = []
            for index, raw in enumerate(split_sentences(message.text)):
                clean = strip_filler(strip_markup(raw))
                display = tidy(strip_filler(self.roster.drop_address(clean)))
                cached.append(Sentence(message, index, raw, display))
            self._sentences[message.id] = cached
        return cached

    def all_sentences(self) -> list[Sentence]:
        """Every sentence of every usable message, in order."""
        return [s for m in self.messages for s in self.sentences(m)]

    @property
    def timed(self) -> bool:
        """True when at least one usable message carries a time."""
        return any(m.time for m in self.messages)


def clock(message: Message) -> str | None:
    """The message's 'HH:MM', or None when it has no time."""
    return hhmm(message.time) if message.time else None


@dataclass(frozen=True)
class Finding:
    """A fact found in the chat: its own words and the ids of the messages saying it."""

    text: str
    evidence: list[int]
    lead: str = ""  # for a finding joined from several messages: what its first cited one says

    def statement(self) -> dict[str, object]:
        """The finding as `Statement` data."""
        return {"text": self.text, "evidence": list(dict.fromkeys(self.evidence))}
