"""Incident events and the helpers every event rule shares.

An `Event` is one thing that happened (an alert, a rollback starting, errors dropping), citing the
message it came from. Its time is the message's time, or a clock time written in the message
("errors after the 9:10 AM deployment" gives a 09:10 trigger). Its description is the message's
own words, one sentence or a run of adjacent ones, so the draft can quote it; an event whose time
is only written in a later message is stated as a typed fact instead ("Deployment at 9:10 AM").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from app.engines.extractive import cues, memo
from app.engines.extractive.chat import Chat, Finding, Sentence, clock
from app.engines.extractive.text import is_list_line, is_question, join_sentences
from app.models import Message, TimelineKind, clock_seconds, times_in_text


@dataclass(frozen=True)
class Event:
    """One incident event: what kind, when, in whose words, citing which message."""

    kind: TimelineKind
    message: Message
    time: str | None
    description: str
    seconds: int | None
    label: str = ""  # "start"/"done" for mitigations, "stated" for a time written in the text
    family: str = ""  # the kind of mitigation ("rollback", "restart", ...)
    also_cites: tuple[int, ...] = ()
    sentences: tuple[int, ...] = ()  # indices of the message's sentences it quotes

    @property
    def evidence(self) -> list[int]:
        return list(dict.fromkeys([self.message.id, *self.also_cites]))

    def finding(self) -> Finding:
        if self.label == "stated" or self.also_cites:
            return Finding(self.description, self.evidence)
        return Finding.quote(self.message, self.description)


def matching(chat: Chat, message: Message, pattern: cues.CueFamily) -> list[Sentence]:
    """The message's sentences that match `pattern` and report something (no question, no
    follow-up talk)."""
    return [
        s
        for s in chat.sentences(message)
        if s.text
        and pattern(s.lower)
        and not is_question(s.raw)
        and not cues.FOLLOW_UP(s.lower)
        and not part_of_a_quote(s.raw)
    ]


_QUOTE_PARTS: dict[str, bool] = memo.table()


def part_of_a_quote(raw: str) -> bool:
    """A piece of a quotation that spans sentences (an address, a customer's email pasted in
    quotes): it opens or closes a quote it does not finish, so it is not the speaker's report.
    A sentence that is one quote in single quotes ("'some users can't log in, investigating'")
    is words drafted for a message, not a report either. Read once per text."""
    known = _QUOTE_PARTS.get(raw)
    if known is None:
        known = _QUOTE_PARTS[raw] = _is_quote_part(raw)
    return known


def _is_quote_part(raw: str) -> bool:
    if raw.count('"') % 2 == 1 or raw.count("“") != raw.count("”"):
        return True
    return bool(_QUOTED_WHOLE.match(raw))


# one quote in single quotes, maybe after a "yes," that answers "should I post ...?"
_QUOTED_WHOLE = re.compile(
    r"^[^\w'‘]{0,3}+(?:(?:yes|yeah|yep|ok|okay|sure)\b[,:]?+\s{0,3}+)?+['‘][^\n]{4,}['’]\W{0,3}+$",
    re.IGNORECASE,
)


def adjacent(sentences: list[Sentence], limit: int = 2) -> list[Sentence]:
    """The first matched sentence and, when it comes right after it, the next matched one: a run
    of the message's own adjacent sentences, so the description stays a quote."""
    first = sentences[0]
    run = [first]
    for sentence in sentences[1:limit]:
        if sentence.index == run[-1].index + 1:
            run.append(sentence)
    return run


def event(
    kind: TimelineKind,
    sentences: list[Sentence],
    label: str = "",
    family: str = "",
) -> Event:
    """An event in the words of its message's matched sentences, at the message's time."""
    message = sentences[0].message
    run = adjacent(sentences)
    description = join_sentences([s.text for s in run], limit=200)
    indices = tuple(s.index for s in run)
    return Event(
        kind,
        message,
        clock(message),
        description,
        message.elapsed_seconds(),
        label,
        family,
        sentences=indices,
    )


_WIDE = 200  # characters a timeline row may quote of its message
_PASTED = re.compile(r"[\"“”«»]|^\s*>")


def widened(chat: Chat, found: Event) -> Event:
    """The event quoting the statements around its own in the same short message too ("7.3.1
    submitted to review" with "set to 100% once approved"), as long as the row stays short and
    takes on no plan, option or pasted quote: the words that say what the event was about are
    often in the sentence next to it."""
    if not found.sentences or found.label == "stated":
        return found
    sentences = chat.sentences(found.message)
    if len(sentences) > 4:
        return found
    first, last = min(found.sentences), max(found.sentences)
    texts = [sentences[i].text for i in range(first, last + 1)]
    size = len(" ".join(texts))

    def fits(sentence: Sentence) -> bool:
        # a pasted quote ("Hi Margaret", a customer's email) may carry what the draft must not
        # repeat: a row takes on only the speaker's own statements
        if not sentence.text or is_question(sentence.raw) or is_list_line(sentence.raw):
            return False
        lower = sentence.lower
        if cues.FUTURE(lower) or cues.MODAL(lower) or cues.WEIGHED(lower) or cues.REQUEST(lower):
            return False  # a plan or an option is not part of what happened
        return not _PASTED.search(sentence.raw) and size + len(sentence.text) + 1 <= _WIDE

    while last + 1 < len(sentences) and fits(sentences[last + 1]):
        last += 1
        texts.append(sentences[last].text)
        size += len(sentences[last].text) + 1
    while first > 0 and fits(sentences[first - 1]):
        first -= 1
        texts.insert(0, sentences[first].text)
        size += len(sentences[first].text) + 1
    if (first, last) == (min(found.sentences), max(found.sentences)):
        return found
    description = join_sentences(texts, limit=_WIDE + 20)
    return replace(found, description=description, sentences=tuple(range(first, last + 1)))


def reports(sentence: Sentence) -> bool:
    """A sentence that reports what is happening: not a plan ("I'll add an alert"), a request
    ("can you set up the alert?"), a denial ("nobody noticed"), a guess or a list line."""
    lower = sentence.lower
    if cues.NOBODY(lower) or cues.FOLLOW_UP(lower) or cues.FUTURE(lower):
        return False
    if cues.REQUEST(lower) or cues.CAPABILITY(lower) or cues.HYPOTHETICAL(lower):
        return False
    return not is_list_line(sentence.raw)


_TIME = r"\d{1,2}[:.h]\d{2}(?:\s*[AaPp]\.?\s?[Mm]\.?)?|\d{1,2}\s*[AaPp]\.?[Mm]\.?"
AFTER_TIME = re.compile(
    rf"\b(?:after|following|since|from|with)\s++(?P<phrase>(?:the|a|our|my|this|that)?\s*+"
    rf"[^,.;!?]{{0,30}}?(?:{_TIME})[^,;!?]{{0,40}})",
    re.IGNORECASE,
)
CUE_AT_TIME = re.compile(
    rf"(?P<phrase>\b[\w\s'-]{{0,40}}?(?:{cues.TRIGGER.pattern.pattern})"
    rf"(?:[^,.;!?]|\.(?=\d)){{0,30}}?\b(?:at|around|~)\s*(?:{_TIME}))",
    re.IGNORECASE,
)
TIME_BEFORE_CUE = re.compile(
    rf"\b(?:the|a|our|this|that|yesterday'?s|last night'?s)\s(?P<phrase>(?:{_TIME})\s"
    rf"(?:[\w.-]{{1,20}}\s){{0,2}}?(?:deploy\w*|release|rollout|roll-out|migration|change|push|"
    rf"merge|upgrade|apply|cutover|config change))\b",
    re.IGNORECASE,
)
WRITTEN_TIME = re.compile(
    r"\d{1,2}:\d{2}(?:\s?[AaPp]\.?\s?[Mm]\.?)?|\d{1,2}\s?[AaPp]\.?[Mm]\.?(?![a-z])"
)
AT_TIME = re.compile(rf"\b(?:at|around|~|since)\s?(?P<time>{_TIME})", re.IGNORECASE)


def written_earlier(message: Message, phrase: str) -> tuple[str, int] | None:
    """A clock time written in `phrase` that is earlier than the message itself, as ('HH:MM',
    seconds since the first day's midnight); None for none, or for a later time (a plan)."""
    written = times_in_text(phrase)
    if not written or written[0] not in times_in_text(message.text):
        return None
    seconds = clock_seconds(written[0])
    day = message.day
    if message.time and seconds > clock_seconds(message.time):
        if day == 0:
            return None  # a time later than the message is a plan, not an event
        day -= 1  # "after the 23:50 deploy", written just after midnight
    return written[0], day * 86400 + seconds
