"""The transcript as the rules see it: usable messages, their sentences, the roster, and the
findings the rules make of them.

Messages that address a bot by name with an instruction (`bot_messages`) are set aside here, so
that no rule turns them into a fact; the engine reports them as warnings.

A `Finding` keeps the chat's words as `Quote`s, one per message. A finding from one message is
written as those words (the renderer quotes them, with the time the message was posted); one
joined from several messages quotes each part on its own, so no message's words are ever credited
to another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from app.engines.extractive import memo
from app.engines.extractive.bot_messages import addresses_bot
from app.engines.extractive.people import Roster
from app.engines.extractive.text import (
    first_person,
    join_sentences,
    split_sentences,
    strip_bullet,
    strip_filler,
    strip_markup,
    strip_own_label,
    tidy,
)
from app.models import Message, Transcript, hhmm

# A reply that quotes its parent on its first line ("Commented on ana's message: follow-ups:").
# Leading "> ..." lines: a quote of the message replied to (Slack, Discord, Markdown).
_QUOTED_LINES = re.compile(r"\A(?:[ \t]*+>[^\n]*+\n)++")
_REPLY_QUOTE = re.compile(
    r"^(?:commented on|replying to|in reply to|reply to|replied to)\b[^\n]{0,300}?message\b"
    r"[^\n]{0,300}+(?:\n|$)",
    re.IGNORECASE,
)


_OWN_WORDS: dict[str, str] = memo.table()


def own_words(message: Message) -> str:
    """The message's text without a quote of the message it replies to."""
    text = message.text
    own = _OWN_WORDS.get(text)
    if own is None:
        own = _REPLY_QUOTE.sub("", text, count=1)
        quoted = _QUOTED_LINES.match(own)
        if quoted and own[quoted.end() :].strip():
            own = own[quoted.end() :]  # "> follow-ups, I need names:…" then the reply itself
        _OWN_WORDS[text] = own
    return own


@dataclass(frozen=True)
class Sentence:
    """One sentence of a message: as written (`raw`) and trimmed for display (`text`)."""

    message: Message
    index: int
    raw: str
    text: str

    @cached_property
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
    _position: dict[int, int] = field(default_factory=dict)
    # display text by raw sentence: the same words are trimmed the same way in one chat (the
    # roster is the chat's own), so a repeated sentence is trimmed once
    _display: dict[str, str] = field(default_factory=dict)
    _lowered: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, transcript: Transcript) -> Chat:
        usable: list[Message] = []
        ignored: list[Message] = []
        for message in transcript.messages:
            (ignored if addresses_bot(message.text) else usable).append(message)
        chat = cls(transcript, usable, ignored, Roster(transcript.participants))
        chat._position = {m.id: n for n, m in enumerate(usable)}
        return chat

    def sentences(self, message: Message) -> list[Sentence]:
        """The message's sentences; display text has filler and a leading vocative removed."""
        cached = self._sentences.get(message.id)
        if cached is None:
            cached = []
            shown, lowered = self._display, self._lowered
            for index, raw in enumerate(split_sentences(own_words(message))):
                display = shown.get(raw)
                if display is None:
                    clean = strip_own_label(strip_filler(strip_markup(strip_bullet(raw))))
                    display = shown[raw] = tidy(strip_filler(self.roster.drop_address(clean)))
                sentence = Sentence(message, index, raw, display)
                # `lower` is a cached property: its value is put in place here, as it would be
                # on first use (3.11's cached_property takes a lock on every first use)
                lower = lowered.get(raw)
                if lower is None:
                    lower = lowered[raw] = raw.lower().replace("’", "'")
                vars(sentence)["lower"] = lower
                cached.append(sentence)
            self._sentences[message.id] = cached
        return cached

    def all_sentences(self) -> list[Sentence]:
        """Every sentence of every usable message, in order."""
        return [s for m in self.messages for s in self.sentences(m)]

    def position_of(self, message_id: int) -> int:
        """The index among the usable messages of the message with this id (-1 if set aside)."""
        return self._position.get(message_id, -1)

    def position(self, message: Message) -> int:
        """The message's index among the usable messages (-1 for one set aside)."""
        return self._position.get(message.id, -1)

    @property
    def timed(self) -> bool:
        """True when at least one usable message carries a time."""
        return any(m.time for m in self.messages)


def clock(message: Message) -> str | None:
    """The message's 'HH:MM', or None when it has no time."""
    return hhmm(message.time) if message.time else None


@dataclass(frozen=True)
class Quote:
    """Words of one message, in the order it says them."""

    message: Message
    texts: list[str]

    @property
    def text(self) -> str:
        return join_sentences([t for t in self.texts if t], limit=420)


def quoted(text: str) -> str:
    """`text` in typographic quotes; inner double quotes become single ones."""
    inner = text.replace("“", "‘").replace("”", "’").replace('"', "'")
    return f"“{inner}”"


@dataclass(frozen=True)
class Finding:
    """A fact found in the chat: its words and the ids of the messages saying it.

    `parts` are the chat's own words, one `Quote` per message; `lead` the part that states the
    fact (a timeline row quotes it alone); `also` messages that support it without being quoted
    (a confirmation: "yep, that's it")."""

    text: str
    evidence: list[int]
    parts: tuple[Quote, ...] = ()
    lead: Quote | None = None
    also: tuple[int, ...] = ()

    @classmethod
    def of(
        cls,
        parts: list[Quote],
        *,
        also: list[int] | tuple[int, ...] = (),
        lead: Quote | None = None,
    ) -> Finding:
        """A finding quoting `parts`: one part is the chat's words as they are; several are each
        quoted ("“…” “…”"), in chat order, citing every message they come from (their times are
        on the timeline; a time written before a quote would read as the time of its event)."""
        kept = [p for p in parts if p.text]
        if not kept:
            raise ValueError("a finding needs words")
        main = lead or kept[0]
        if len(kept) > 1 and any(first_person(p.text) for p in kept):
            # Words in the first person are quoted by the renderer as one message's words;
            # a text quoting several messages would be quoted again as a whole.
            kept = [main]
        text = kept[0].text if len(kept) == 1 else " ".join(quoted(p.text) for p in kept)
        evidence = list(dict.fromkeys([main.message.id, *(p.message.id for p in parts), *also]))
        return cls(text, evidence, tuple(kept), main, tuple(also))

    @classmethod
    def quote(cls, message: Message, text: str) -> Finding:
        """A finding of one message's words."""
        return cls.of([Quote(message, [text])])

    @property
    def lead_text(self) -> str:
        """The words of the part that states the fact."""
        return self.lead.text if self.lead is not None else self.text

    def statement(self) -> dict[str, object]:
        """The finding as `Statement` data."""
        return {"text": self.text, "evidence": list(dict.fromkeys(self.evidence))}
