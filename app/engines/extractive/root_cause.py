"""The root cause the chat settled on, and the factors that made it worse.

Candidates are sentences with a causal cue, ranked by cue strength and then by position (later
wins). A correction ("not the network", "false alarm", "scratch that", "actually it's ...")
removes the earlier candidates it refers to, and a correction that names a new cause is itself a
strong candidate. Announcements with no content of their own ("I know what happened.", "Found
it!") take their words from the sentences that follow, or, for "that explains it", from the
message before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.engines.extractive.chat import Chat, Finding, Sentence
from app.engines.extractive.cues import FUTURE, MITIGATION, PROPOSAL, cue
from app.engines.extractive.text import (
    content_words,
    is_question,
    join_sentences,
    split_sentences,
    tidy,
)
from app.models import Message

_STRONG = cue(
    r"\broot[- ]?caused?\b\s*(?:is|was|:|=|—|-|here|looks|seems|appears)|\brca\s*[:=]|"
    r"\bthe (?:actual |real |underlying )?cause (?:is|was|seems|looks)\b|\bcaused by\b|"
    r"\bfound it\b|\bfound the (?:issue|problem|bug|culprit|cause)\b|"
    r"\bthat explains (?:it|everything|the)\b|\bturn(?:s|ed) out\b|\bi know what happened\b|"
    r"\bfigured (?:it )?out\b|"
    r"\bthe (?:real |actual |underlying )?(?:problem|issue|bug) (?:is|was)\b|"
    r"\bculprit\b|\bit'?s because\b|\b(?:was|is) due to\b|"
    r"\bthat'?s (?:the|our) (?:problem|issue|cause|bug)\b|\bthe reason (?:is|was)\b|"
    r"^\W*(?:(?:so|ok(?:ay)?|yep|yes|yeah)[,.!]?\s+)?confirmed\b|\bthere it is\b|"
    r"\bthat explains (?:why|how|a lot)\b|\b(?:that|which) is why\b|\bthat'?s why\b|"
    r"\bwhich explains\b"
)
# A slip named as such ("typed 100 instead of 10", "fat-fingered", "forgot to") is a cause.
_MISTAKE = cue(
    r"\b(?:instead of|typo\w*|fat[- ]?finger\w*|mis-?typ\w*|by mistake|by accident|"
    r"accidentally|forgot (?:to|the|about))\b"
)
# "oh no. <cause>", "there we go. <cause>": a realisation announcing the sentences after it.
_REALISATION = cue(r"^\W*(?:oh+,? no|uh[- ]?oh|oops|whoops|aha|there we go|welp)\b")
# "so it's the rate limit": a conclusion that names the culprit.
_LOCATED = cue(r"^\W*(?P<so>so,?\s+)?(?:it'?s|it is|it was)\s+(?:the|our|a|an)\s+\w")
_CONCLUSION = cue(r"^\W*so,?\s+(?!far\b|yeah\b|what\b|who\b|how\b|should\b|do\b|can\b)")
# A reply that confirms the hypothesis just before it ("yep that's it", "confirmed").
_CONFIRM = cue(
    r"^\W*(?:yes|yep|yup|yeah|ya|correct|exactly|bingo|confirmed|that'?s it|that'?s the one|"
    r"nailed it|spot on|good catch|that tracks|that matches)\b"
)
_FIRM_CONFIRM = cue(
    r"^\W*(?:(?:yes|yep|yup|yeah)[,.!]?\s+)?(?:confirmed|bingo|exactly|that'?s it|"
    r"that'?s the one|nailed it|spot on|that tracks|that matches)\b"
)
_EXPLAINS_EFFECT = cue(
    r"\b(?:that|this|which) explains (?:why|how)\b|\b(?:that|which) is why\b|\bthat'?s why\b"
)
_WHY = cue(r"^\W*(?:(?:but|so|and|ok(?:ay)?),?\s+)?(?:why\b|how come\b)")
_CONTINUES = cue(r"^\W*(?:and|so|which|plus)\b")
_CONFIRM_WINDOW = 3
_MEDIUM = cue(
    r"\b(?:because|due to|looks like|seems like|seems to be|appears to be|so it'?s (?:a|an|the)|"
    r"pointing to|result of|triggered by|broke|breaking|led to|leads to|caus(?:es|ed|ing)|"
    r"pushed\b[^.!?]{0,60}\b(?:over|past|beyond))\b"
)
_HEDGE = cue(
    r"\b(?:maybe|might|could be|i think|suspect|probably|my guess|guess|wondering|perhaps|"
    r"possibly|not sure|unsure|theory|hypothesis)\b"
)
_FAULT = cue(
    r"\b(?:errors?|fail\w*|broken?|breaks|breaking|breakage|down|crash\w*|timeouts?|timed out|"
    r"timing out|outage|oom\w*|incompatib\w*|exceed\w*|out of|ran out|maxed out|dead|revoked|"
    r"over [^.!?]{0,20}?(?:limits?|max\w*|quotas?|capacity|budget)|empty|blank|unset|"
    r"wrong|missing|expired?|bad|bugs?|buggy|leak\w*|full|exhaust\w*|overload\w*|saturat\w*|"
    r"misconfig\w*|config\w*|refused|unreachable|non-?existent|invalid|corrupt\w*|deadlock\w*|"
    r"oom|out of memory|regression|race|typo|stale|wasn'?t|isn'?t|not|without|never)\b"
)
_ADMISSION = cue(
    r"\b(?:it'?s mine|that'?s mine|my (?:change|deploy|deployment|fault|mistake)|that'?s on me|"
    r"that was me|that would be my \w+)\b"
)
_REFERS_BACK = cue(
    r"\b(?:that explains|that'?s it|that'?s the (?:culprit|problem|issue|cause)|there it is)\b"
)
_CORRECTION = cue(
    r"\b(?:not the|isn'?t the|wasn'?t the|it'?s not|it isn'?t|it wasn'?t|ruled? out|red herring|"
    r"false alarm|scratch that|never ?mind|nvm|ignore (?:that|my last)|i was wrong|"
    r"wrong about|my bad|correction|actually,? (?:it'?s|it is|it was|the)|"
    r"park(?:ing|ed)? (?:the|that|this)|probably not|not it\b|nope\b|dead end|"
    r"doesn'?t explain|rules? out|unrelated|"
    r"not related|not my \w+)\b"
)
# A retraction of one's own words ("my bad", "scratch that") takes back only the speaker's own
# earlier claim: said with no claim of theirs to take back, "my bad" owns up to a mistake.
_SELF_RETRACTION = cue(r"\b(?:scratch that|ignore (?:that|my last)|i was wrong|my bad)\b")
_RETRACTION = cue(r"\b(?:false alarm|never ?mind|nvm)\b")
_NEGATED_OBJECT = cue(
    r"\b(?:not|isn'?t|wasn'?t|ruled? out|rule out|wrong about)\s+(?:the\s+|a\s+|an\s+|it\s+)?"
    r"(?P<what>[\w\s\-.]{2,40}?)(?=[,;:!?—–]|\.(?:\s|$)|\s(?:but|it'?s|its|it is|after all)\b|$)"
)
_PARKED = cue(
    r"\bpark(?:ing|ed)?\s+(?:the|that|this)\s+(?P<what>[\w\s\-.]{2,40}?)\s*"
    r"(?:theory|idea|hypothesis|lead|angle|thing)?(?=[,;:!?—–]|\.(?:\s|$)|$)"
)
_CLAUSE_BREAK = re.compile(r"\s[—–-]\s|;\s")
_NAMED_HERRING = cue(
    r"(?P<what>[\w\s\-.]{2,40}?)(?<!\s)\s++(?:was|is|were|are)\s++(?:a\s++|just\s++a\s++)?"
    r"(?:red herring|false alarm|fine after all|not the (?:issue|problem|cause))"
)
_NEW_CAUSE = cue(r"\b(?:it['’]s|its (?:the|a|an|our)|it is|it was|the (?:real|actual) \w+)\b")
_CUE_WORDS = content_words(
    "root cause found it explains everything turns turned out happened figured problem issue "
    "bug culprit reason there confirmed mine fault mistake change deploy deployment thx thanks"
)
_GAP = cue(
    r"\b(?:didn'?t|did not|doesn'?t|does not|don'?t|do not|wasn'?t|was not|weren'?t|isn'?t|"
    r"is not|no|never|nobody|without|missing|lack(?:ed|ing|s)?)\b[^.?!]{0,40}"
    r"\b(?:catch|caught|alert\w*|test\w*|check\w*|validat\w*|monitor\w*|mention\w*|cover\w*|"
    r"runbook|review\w*|staging|document\w*|detect\w*|notic\w*|pag(?:e|ed|ing)|canary)\b|"
    r"\b(?:contribut\w*|made (?:it|this|things) worse|compounded|exacerbat\w*|amplified)\b"
)
_ALSO = cue(r"^(?:also|and also|plus|on top of (?:that|this)|another (?:issue|problem|factor))\b")
_REQUEST = cue(r"\b(?:someone|can you|could you|please|let'?s|we should|maybe)\b")
_ANNOUNCEMENT = cue(
    r"^(?:found it|turn(?:s|ed) out(?: that)?|that explains it|i know what happened)"
    r"\s*[:!.,—–-]*\s*"
)
_INTENT = cue(
    r"^(?:also,?\s+|and\s+)?(?:adding|add|i'?ll|we'?ll|(?:i'?m|we'?re) \w+ing|let me|let'?s|"
    r"going to|gonna|"
    r"will|planning)\b"
)


@dataclass(frozen=True)
class _Candidate:
    strength: int
    sentence: Sentence
    announces: bool = False
    confirmed_by: tuple[int, ...] = ()  # messages that confirmed it ("yep that's it")
    whole: bool = False  # the whole message states the cause, not just this sentence

    @property
    def id(self) -> int:
        """Recency for ranking: a confirmed hypothesis counts from its confirmation."""
        return max((self.sentence.message.id, *self.confirmed_by))


def _strength(sentence: Sentence) -> int:
    lower = sentence.lower
    hedged = bool(_HEDGE.search(lower))
    if _STRONG.search(lower):
        return 2 if hedged else 3
    if _ADMISSION.search(lower) or (_MISTAKE.search(lower) and not FUTURE.search(lower)):
        return 2
    if _CORRECTION.search(lower) and _NEW_CAUSE.search(lower) and _new_cause_words(sentence):
        return 3
    located = _LOCATED.search(lower)
    if located:
        return 1 if hedged or not located["so"] else 2
    if not _FAULT.search(lower):
        return 0
    if _MEDIUM.search(lower) or _CONCLUSION.search(lower):
        return 1 if hedged else 2
    return 1 if hedged else 0


def _negated_words(sentence: Sentence) -> set[str]:
    found: set[str] = set()
    for pattern in (_NEGATED_OBJECT, _NAMED_HERRING, _PARKED):
        for match in pattern.finditer(sentence.raw):
            found |= content_words(match["what"])
    return found - _CUE_WORDS - content_words("issue problem cause thing fine")


def _new_cause_words(sentence: Sentence) -> set[str]:
    return content_words(sentence.raw) - _negated_words(sentence) - _CUE_WORDS


def _eligible(chat: Chat, skip_ids: set[int]) -> list[Sentence]:
    return [
        s
        for m in chat.messages
        if m.id not in skip_ids
        for s in chat.sentences(m)
        if s.text and not is_question(s.raw) and not PROPOSAL.search(s.lower)
    ]


def _states_cause(sentence: Sentence) -> bool:
    """A sentence that can carry an announced cause: not an action being taken or planned."""
    lower = sentence.lower
    return bool(sentence.text) and not (
        MITIGATION.search(lower) or _INTENT.search(lower) or is_question(sentence.raw)
    )


def _announces_more(chat: Chat, sentence: Sentence) -> bool:
    return any(_states_cause(s) for s in chat.sentences(sentence.message)[sentence.index + 1 :])


def _bare(sentence: Sentence) -> bool:
    """A confirmation or admission with next to no words of its own ("yep, my change")."""
    own = (
        content_words(sentence.raw)
        - _CUE_WORDS
        - content_words(
            "yes yep yup yeah correct exactly bingo confirmed tracks matches catch nailed spot "
            "mine bad sorry oops damn"
        )
    )
    return len(own) <= 1


class _Candidates:
    """Causal candidates gathered in chat order, with corrections and confirmations applied."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.position = {m.id: n for n, m in enumerate(chat.messages)}
        self.kept: list[_Candidate] = []

    def add(self, sentence: Sentence) -> None:
        lower = sentence.lower
        negated = _negated_words(sentence) if _CORRECTION.search(lower) else set()
        if negated:
            self.kept = [
                c
                for c in self.kept
                if c.sentence.message.id == sentence.message.id
                or not content_words(c.sentence.raw) & negated
            ]
        else:
            self._retract(sentence)
        if negated and not (_NEW_CAUSE.search(lower) and _new_cause_words(sentence)):
            # "Not the session bug then." followed by the real cause in the same message
            if _announces_more(self.chat, sentence):
                self.kept.append(_Candidate(3, sentence, announces=True))
            return
        earlier = self.chat.sentences(sentence.message)[: sentence.index]
        first = not any(s.text for s in earlier)
        # the opening "yes." may be all filler, so it is read from the raw first sentence
        opening = earlier[0].lower if earlier else lower
        confirms = first and bool(_CONFIRM.search(opening) or _ADMISSION.search(lower))
        if _STRONG.search(lower) and _announces_more(self.chat, sentence):
            confirms = False  # "Confirmed. <the cause>" states the cause itself
        if confirms and self._confirm(sentence) and _bare(sentence):
            return
        if _REALISATION.search(lower) and _announces_more(self.chat, sentence):
            self.kept.append(_Candidate(2, sentence, announces=True))
            return
        strength = _strength(sentence)
        if strength:
            self.kept.append(_Candidate(strength, sentence))

    def _retract(self, sentence: Sentence) -> None:
        author = sentence.message.author
        own = [c for c in self.kept if c.sentence.message.author == author]
        if _SELF_RETRACTION.search(sentence.lower):
            if own:
                self.kept.remove(own[-1])
        elif _RETRACTION.search(sentence.lower) and self.kept:
            self.kept.remove((own or self.kept)[-1])

    def _confirm(self, sentence: Sentence) -> bool:
        """Promote the hypothesis this reply confirms; True when there was one."""
        here = self.position[sentence.message.id]
        previous = self.chat.messages[here - 1] if here else None
        if previous is not None and is_question(previous.text.strip()):
            return False  # "yes" to "ok drop it?" answers the question, it confirms no cause
        recent = [
            c
            for c in self.kept
            if 0 < here - self.position[c.sentence.message.id] <= _CONFIRM_WINDOW
            and c.sentence.message.id != sentence.message.id
        ]
        if recent:
            target = recent[-1]
            self.kept.remove(target)
            promoted = _Candidate(
                3,
                target.sentence,
                target.announces,
                (*target.confirmed_by, sentence.message.id),
                target.whole,
            )
            self.kept.append(promoted)
            return True
        if not (_FIRM_CONFIRM.search(sentence.lower) or _ADMISSION.search(sentence.lower)):
            return False
        for earlier in reversed(self.chat.messages[max(0, here - 2) : here]):
            if earlier.author == sentence.message.author:
                continue
            stated = [s for s in self.chat.sentences(earlier) if _states_cause(s)]
            if stated and len(content_words(" ".join(s.raw for s in stated))) >= 3:
                self.kept.append(_Candidate(3, stated[0], False, (sentence.message.id,), True))
                return True
        return False


def _candidates(chat: Chat, sentences: list[Sentence]) -> list[_Candidate]:
    gathered = _Candidates(chat)
    for sentence in sentences:
        gathered.add(sentence)
    return gathered.kept


def _stated(chat: Chat, message: Message) -> list[str]:
    return [s.text for s in chat.sentences(message) if s.text and not is_question(s.raw)]


def _explanation(chat: Chat, candidate: _Candidate) -> Finding:
    """The words that state the cause: the sentence itself, or what it announces."""
    sentence, announces = candidate.sentence, candidate.announces
    message = sentence.message
    also = list(candidate.confirmed_by)
    if candidate.whole:
        return Finding(join_sentences(_stated(chat, message)[:3]), [message.id, *also])
    own_words = content_words(sentence.raw) - _CUE_WORDS
    position = chat.messages.index(message)
    explains_effect = bool(_EXPLAINS_EFFECT.search(sentence.lower))
    own_text = _own_text(sentence)
    if len(own_words) >= 3 and not announces and not explains_effect:
        return Finding(own_text, [message.id, *also])
    # "so it's the rate limit. 100 req/min per IP ..." keeps its own few words before the rest
    lead = (
        [own_text]
        if own_text
        and not explains_effect
        and not (announces and own_text == sentence.text)
        and not _REALISATION.search(sentence.lower)
        and content_words(own_text) - _CUE_WORDS
        else []
    )
    following = [s.text for s in chat.sentences(message)[sentence.index + 1 :] if _states_cause(s)]
    if following and not explains_effect:
        return Finding(join_sentences([*lead, *following][:3]), [message.id, *also])
    if (_REFERS_BACK.search(sentence.lower) or explains_effect) and position > 0:
        recent = chat.messages[max(0, position - 2) : position]
        others = [m for m in recent if m.author != message.author]
        earlier = (others or recent)[-1]
        stated = _stated(chat, earlier)
        if stated:
            return Finding(join_sentences(stated[:4]), [message.id, earlier.id, *also])
    for later in chat.messages[position + 1 : position + 4]:
        if later.author == message.author:
            stated = [s.text for s in chat.sentences(later) if s.text]
            if stated:
                return Finding(join_sentences([*lead, *stated][:3]), [message.id, later.id, *also])
    return Finding(sentence.text, [message.id, *also])


def _own_text(sentence: Sentence) -> str:
    """What a sentence itself says of the cause: without an announcement ("Found it:") and,
    for a correction, only the new cause ("no, not the network — it's the cert" -> "it's the
    cert")."""
    text = tidy(_ANNOUNCEMENT.sub("", sentence.text)) or sentence.text
    if _CORRECTION.search(sentence.lower) and _negated_words(sentence):
        new = _NEW_CAUSE.search(text)
        return tidy(text[new.start() :]) if new and _new_cause_words(sentence) else ""
    return text


def _premise(chat: Chat, candidate: _Candidate, after: int) -> Finding | None:
    """For a conclusion ("so the token is dead"), what it concludes from: the sentence before it,
    or, when it opens its message, the message before it by someone else that states something."""
    sentence = candidate.sentence
    if candidate.announces or not _CONCLUSION.search(sentence.lower):
        return None
    before = [s for s in chat.sentences(sentence.message)[: sentence.index] if _states_cause(s)]
    if before:
        return Finding(before[-1].text, [sentence.message.id])
    position = chat.messages.index(sentence.message)
    if position == 0:
        return None
    earlier = chat.messages[position - 1]
    stated = _stated(chat, earlier)
    if earlier.author == sentence.message.author or len(content_words(" ".join(stated))) < 4:
        return None
    if earlier.id <= after or any(_CORRECTION.search(s.lower) for s in chat.sentences(earlier)):
        return None  # "parking the broker theory" is no premise
    return Finding(join_sentences(stated[:2]), [earlier.id])


def _continuation(chat: Chat, finding: Finding) -> Finding | None:
    """The next message or two when it carries the explanation on ("and nobody dropped it")."""
    last = max(finding.evidence)
    message = chat.transcript.message(last)
    if message is None or message not in chat.messages:
        return None
    position = chat.messages.index(message)
    for later in chat.messages[position + 1 : position + 3]:
        sentences = [s for s in chat.sentences(later) if s.text]
        if (
            sentences
            and _CONTINUES.search(sentences[0].lower)
            and all(_states_cause(s) and not PROPOSAL.search(s.lower) for s in sentences[:2])
        ):
            return Finding(join_sentences([s.text for s in sentences[:2]]), [later.id])
    return None


def _why_chain(chat: Chat, chosen: _Candidate, ranked: list[_Candidate]) -> _Candidate | None:
    """The earlier, shallower cause a "why didn't ...?" question dug beneath to reach `chosen`."""
    whys = [
        s.message.id
        for s in chat.all_sentences()
        if is_question(s.raw) and _WHY.search(s.lower) and s.message.id < chosen.sentence.message.id
    ]
    for candidate in ranked:
        if candidate.strength >= 3 and candidate.sentence.message.id < chosen.sentence.message.id:
            if any(candidate.sentence.message.id < why for why in whys):
                return candidate
            return None
    return None


def _joined(parts: list[Finding], main: Finding) -> Finding:
    """One finding from parts in reading order; the main part leads the evidence and `lead`."""
    sentences = [s for part in parts for s in split_sentences(part.text)]
    evidence = [*main.evidence, *(i for part in parts for i in part.evidence)]
    text = join_sentences(list(dict.fromkeys(sentences)), limit=420)
    return Finding(text, list(dict.fromkeys(evidence)), lead=main.text)


def find_root_cause(chat: Chat, skip_ids: set[int], after: int = 0) -> Finding | None:
    """The strongest, latest surviving causal statement, in its own words; None if none.

    Only messages from `after` (the detection message) on count: a diagnosis follows detection,
    and in a busy channel earlier "because" chatter is about something else. A cause stated
    across messages is joined: the premise a "so ..." conclusion draws on, an "and ..." that
    carries it on, and the shallower cause that a "why ...?" question dug beneath."""
    eligible = [s for s in _eligible(chat, skip_ids) if s.message.id >= after]
    candidates = _candidates(chat, eligible)
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: (c.strength, c.id, -c.sentence.index), reverse=True)
    for candidate in ranked:
        finding = _explanation(chat, candidate)
        if len(content_words(finding.text) - _CUE_WORDS) < 2:
            continue
        parts = [finding]
        premise = _premise(chat, candidate, after)
        if premise is not None and premise.text not in finding.text:
            parts.insert(0, premise)
        continuation = _continuation(chat, finding)
        if continuation is not None:
            parts.append(continuation)
        shallower = _why_chain(chat, candidate, ranked)
        if shallower is not None:
            parts.insert(0, _explanation(chat, shallower))
        return _joined(parts, finding) if len(parts) > 1 else finding
    return None


def find_contributing_factors(
    chat: Chat, skip_ids: set[int], root_cause: Finding | None, limit: int = 4
) -> list[Finding]:
    """Gaps that let the incident happen or last ("no alert", "runbook doesn't mention ...")."""
    factors: list[Finding] = []
    cause_text = root_cause.text if root_cause else ""
    for sentence in _eligible_for_factors(chat, skip_ids):
        if sentence.text in cause_text or any(sentence.text == f.text for f in factors):
            continue
        lower = sentence.lower
        gap = _GAP.search(lower)
        also = _ALSO.search(lower) and _FAULT.search(lower) and not _REQUEST.search(lower)
        if (gap or also) and not _INTENT.search(lower):
            factors.append(Finding(sentence.text, [sentence.message.id]))
        if len(factors) == limit:
            break
    return factors


def _eligible_for_factors(chat: Chat, skip_ids: set[int]) -> list[Sentence]:
    # A proposal can still state a gap in another clause ("update the runbook — it doesn't
    # mention X"), so only the clause with the gap must not itself be a proposal.
    kept = []
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        for sentence in chat.sentences(message):
            if not sentence.text or is_question(sentence.raw):
                continue
            clauses = _CLAUSE_BREAK.split(sentence.lower)
            if any(_GAP.search(c) and not PROPOSAL.search(c) for c in clauses) or (
                not PROPOSAL.search(sentence.lower)
            ):
                kept.append(sentence)
    return kept
