"""What a correction rules out: the hypothesis a sentence dismisses, as content words.

"not the network", "storage is clean", "parking the broker theory", "the deploy was a red
herring", "ruled out DNS": each names the thing it rules out. The root cause, the contributing
factors and the title leave out what the chat ruled out; `RuledOut` collects it once per chat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.engines.extractive import memo
from app.engines.extractive.cause_cues import CORRECTION
from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.cues import cue
from app.engines.extractive.text import content_words

# The thing after a negation, up to a clause boundary: "not the storage broker, it's ..."
_NEGATED_OBJECT = cue(
    r"\b(?:not|isn'?t|wasn'?t|ruled? out|rules? out|wrong about)\s{1,3}+"
    r"(?:the\s{1,3}+|a\s{1,3}+|an\s{1,3}+|it\s{1,3}+|our\s{1,3}+|my\s{1,3}+)?"
    r"(?P<what>[\w\-. ]{2,40}?)"
    r"(?=[,;:!?—–]|\.(?:\s|$)|\s(?:but|it'?s|its|it is|that'?s|thats|after all|either|then|"
    r"instead|rather)\b|$)"
)
# The thing before a dismissal: "the deploy was a red herring", "storage metrics are clean".
_NAMED_HERRING = cue(
    r"(?P<what>[\w\-.][\w\-. ]{1,40}?)\s{1,3}+(?:was|is|were|are|looks?)\s{1,3}+"
    r"(?:a\s{1,3}+|just\s{1,3}+a\s{1,3}+|all\s{1,3}+)?"
    r"(?:red herring|false alarm|fine after all|fine|clean|unrelated|not involved|"
    r"ruled out|not the (?:issue|problem|cause))\b"
)
# A hypothesis set aside by name: "parking the broker theory", "drop the dns idea".
_ABANDONED = cue(
    r"\b(?:drop|dropp|park|scrap|shelv|abandon|discard|kill)\w{0,3}+\s{1,3}+"
    r"(?:the|that|this|my|our)\s{1,3}+(?P<what>[\w-]{1,30}+(?:\s[\w-]{1,30}+)?)\s?"
    r"(?:theory|idea|hypothesis|lead|hunch|angle|suspicion)\b"
)
_NOT_A_HYPOTHESIS = content_words(
    "issue problem cause thing fine after all it this that one either then clean involved "
    "related theory idea lead root cause metrics looks"
)


_RULED_OUT: dict[str, frozenset[str]] = memo.table()


def ruled_out_words(sentence: Sentence) -> set[str]:
    """Content words of what a correction sentence rules out (empty for other sentences); a
    function of the sentence's words alone, so a repeated sentence is read once."""
    if not CORRECTION(sentence.lower):
        return set()
    known = _RULED_OUT.get(sentence.raw)
    if known is None:
        known = _RULED_OUT[sentence.raw] = frozenset(_ruled_out(sentence))
    return set(known)


def _ruled_out(sentence: Sentence) -> set[str]:
    found: set[str] = set()
    for pattern in (_NEGATED_OBJECT, _NAMED_HERRING, _ABANDONED):
        for match in pattern.finditer(sentence.raw):
            found |= content_words(match["what"])
    found -= _NOT_A_HYPOTHESIS
    pointer = _POINTER.search(sentence.raw)
    if not found and pointer:
        # "cert is valid till 2027, not that": the pronoun points at what the clause before names
        found = content_words(sentence.raw[: pointer.start()]) - _NOT_A_HYPOTHESIS - _EVIDENCE
    return found


# A correction pointing back with a pronoun at what its own clause just named.
_POINTER = cue(r"[,;—–-]\s{0,3}+(?:so\s{1,3}+)?(?:not (?:that|it|this)|nope)\W{0,3}+$")
_EVIDENCE = content_words("valid till until fine ok okay green healthy normal good still")


@dataclass
class RuledOut:
    """Everything the chat ruled out, with the sentences that did it."""

    words: set[str] = field(default_factory=set)
    sentences: list[Sentence] = field(default_factory=list)

    @classmethod
    def of(cls, chat: Chat, skip_ids: set[int]) -> RuledOut:
        ruled = cls()
        for message in chat.messages:
            if message.id in skip_ids:
                continue
            for sentence in chat.sentences(message):
                words = ruled_out_words(sentence)
                if words:
                    ruled.words |= words
                    ruled.sentences.append(sentence)
        return ruled

    def covers(self, text: str, share: float = 0.5) -> bool:
        """True when at least `share` of the text's content words were ruled out."""
        words = content_words(text)
        return bool(words) and len(words & self.words) / len(words) >= share
