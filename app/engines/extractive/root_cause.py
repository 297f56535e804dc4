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
from app.engines.extractive.cues import PROPOSAL
from app.engines.extractive.text import content_words, is_question, join_sentences, tidy


def _cue(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_STRONG = _cue(
    r"\broot[- ]?caused?\b\s*(?:is|was|:|=|—|-|here|looks|seems|appears)|\brca\s*[:=]|"
    r"\bthe (?:actual |real |underlying )?cause (?:is|was|seems|looks)\b|\bcaused by\b|"
    r"\bfound it\b|\bfound the (?:issue|problem|bug|culprit|cause)\b|"
    r"\bthat explains (?:it|everything|the)\b|\bturn(?:s|ed) out\b|\bi know what happened\b|"
    r"\bfigured (?:it )?out\b|"
    r"\bthe (?:real |actual |underlying )?(?:problem|issue|bug) (?:is|was)\b|"
    r"\bculprit\b|\bit'?s because\b|\b(?:was|is) due to\b|"
    r"\bthat'?s (?:the|our) (?:problem|issue|cause|bug)\b|\bthe reason (?:is|was)\b|"
    r"^\W*confirmed\b|\bthere it is\b"
)
_MEDIUM = _cue(
    r"\b(?:because|due to|looks like|seems like|seems to be|appears to be|so it'?s (?:a|an|the)|"
    r"pointing to|result of|triggered by|broke|breaking)\b"
)
_HEDGE = _cue(
    r"\b(?:maybe|might|could be|i think|suspect|probably|my guess|guess|wondering|perhaps|"
    r"possibly|not sure|unsure|theory|hypothesis)\b"
)
_FAULT = _cue(
    r"\b(?:errors?|fail\w*|broke\w*|break\w*|down|crash\w*|timeouts?|timed out|timing out|outage|"
    r"wrong|missing|expired?|bad|bugs?|buggy|leak\w*|full|exhaust\w*|overload\w*|saturat\w*|"
    r"misconfig\w*|config\w*|refused|unreachable|non-?existent|invalid|corrupt\w*|deadlock\w*|"
    r"oom|out of memory|regression|race|typo|stale|wasn'?t|isn'?t|not|without|never)\b"
)
_ADMISSION = _cue(
    r"\b(?:it'?s mine|that'?s mine|my (?:change|deploy|deployment|fault|mistake)|that'?s on me|"
    r"that was me|that would be my \w+)\b"
)
_REFERS_BACK = _cue(
    r"\b(?:that explains|that'?s it|that'?s the (?:culprit|problem|issue|cause)|there it is)\b"
)
_CORRECTION = _cue(
    r"\b(?:not the|isn'?t the|wasn'?t the|it'?s not|it isn'?t|it wasn'?t|ruled? out|red herring|"
    r"false alarm|scratch that|never ?mind|nvm|ignore (?:that|my last)|i was wrong|"
    r"wrong about|my bad|correction|actually,? (?:it'?s|it is|it was|the))\b"
)
_RETRACTION = _cue(
    r"\b(?:false alarm|scratch that|never ?mind|nvm|ignore (?:that|my last)|i was wrong|my bad)\b"
)
_NEGATED_OBJECT = _cue(
    r"\b(?:not|isn'?t|wasn'?t|ruled? out|rule out|wrong about)\s+(?:the\s+|a\s+|an\s+|it\s+)?"
    r"(?P<what>[\w\s\-.]{2,40}?)(?=[,;:!?—–]|\.(?:\s|$)|\s(?:but|it'?s|its|it is|after all)\b|$)"
)
_NAMED_HERRING = _cue(
    r"(?P<what>[\w\s\-.]{2,40}?)\s+(?:was|is|were|are)\s+(?:a\s+|just\s+a\s+)?"
    r"(?:red herring|false alarm|fine after all|not the (?:issue|problem|cause))"
)
_NEW_CAUSE = _cue(r"\b(?:it'?s|it is|it was|the (?:real|actual) \w+)\b")
_CUE_WORDS = content_words(
    "root cause found it explains everything turns turned out happened figured problem issue "
    "bug culprit reason there confirmed mine fault mistake change deploy deployment thx thanks"
)
_GAP = _cue(
    r"\b(?:didn'?t|did not|doesn'?t|does not|don'?t|do not|wasn'?t|was not|weren'?t|isn'?t|"
    r"is not|no|never|nobody|without|missing|lack(?:ed|ing|s)?)\b[^.?!]{0,40}"
    r"\b(?:catch|caught|alert\w*|test\w*|check\w*|validat\w*|monitor\w*|mention\w*|cover\w*|"
    r"runbook|review\w*|staging|document\w*|detect\w*|notic\w*|pag(?:e|ed|ing)|canary)\b|"
    r"\b(?:contribut\w*|made (?:it|this|things) worse|compounded|exacerbat\w*|amplified)\b"
)
_ALSO = _cue(r"^(?:also|and also|plus|on top of (?:that|this)|another (?:issue|problem|factor))\b")
_REQUEST = _cue(r"\b(?:someone|can you|could you|please|let'?s|we should|maybe)\b")
_ANNOUNCEMENT = _cue(
    r"^(?:found it|turn(?:s|ed) out(?: that)?|that explains it|i know what happened)"
    r"\s*[:!.,—–-]*\s*"
)
_INTENT = _cue(
    r"^(?:also,?\s+|and\s+)?(?:adding|add|i'?ll|we'?ll|i'?m|we'?re|let me|let'?s|going to|gonna|"
    r"will|planning)\b"
)


@dataclass(frozen=True)
class _Candidate:
    strength: int
    sentence: Sentence
    announces: bool = False

    @property
    def id(self) -> int:
        return self.sentence.message.id


def _strength(sentence: Sentence) -> int:
    lower = sentence.lower
    hedged = bool(_HEDGE.search(lower))
    if _STRONG.search(lower):
        return 2 if hedged else 3
    if _ADMISSION.search(lower):
        return 2
    if _CORRECTION.search(lower) and _NEW_CAUSE.search(lower) and _new_cause_words(sentence):
        return 3
    if not _FAULT.search(lower):
        return 0
    if _MEDIUM.search(lower):
        return 1 if hedged else 2
    return 1 if hedged else 0


def _negated_words(sentence: Sentence) -> set[str]:
    found: set[str] = set()
    for pattern in (_NEGATED_OBJECT, _NAMED_HERRING):
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


def _candidates(sentences: list[Sentence]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for sentence in sentences:
        negated = _negated_words(sentence) if _CORRECTION.search(sentence.lower) else set()
        if negated:
            kept = [c for c in kept if c.id == sentence.message.id
                    or not content_words(c.sentence.raw) & negated]
        elif _RETRACTION.search(sentence.lower) and kept:
            author = sentence.message.author
            own = [c for c in kept if c.sentence.message.author == author]
            kept.remove((own or kept)[-1])
        if negated and not (_NEW_CAUSE.search(sentence.lower) and _new_cause_words(sentence)):
            # "Not the session bug then." followed by the real cause in the same message
            if len(sentence.message.text) > len(sentence.raw) + 20:
                kept.append(_Candidate(3, sentence, announces=True))
            continue
        strength = _strength(sentence)
        if strength:
            kept.append(_Candidate(strength, sentence))
    return kept


def _explanation(chat: Chat, sentence: Sentence, announces: bool = False) -> Finding:
    """The words that state the cause: the sentence itself, or what it announces."""
    own_words = content_words(sentence.raw) - _CUE_WORDS
    message = sentence.message
    if len(own_words) >= 3 and not announces:
        return Finding(tidy(_ANNOUNCEMENT.sub("", sentence.text)) or sentence.text, [message.id])
    following = [s.text for s in chat.sentences(message)[sentence.index + 1 :] if s.text]
    if following:
        return Finding(join_sentences(following[:3]), [message.id])
    position = chat.messages.index(message)
    if _REFERS_BACK.search(sentence.lower) and position > 0:
        recent = chat.messages[max(0, position - 2) : position]
        others = [m for m in recent if m.author != message.author]
        earlier = (others or recent)[-1]
        stated = [s.text for s in chat.sentences(earlier) if s.text and not is_question(s.raw)]
        if stated:
            return Finding(join_sentences(stated[:2]), [message.id, earlier.id])
    for later in chat.messages[position + 1 : position + 4]:
        if later.author == message.author:
            stated = [s.text for s in chat.sentences(later) if s.text]
            if stated:
                return Finding(join_sentences(stated[:3]), [message.id, later.id])
    return Finding(sentence.text, [message.id])


def find_root_cause(chat: Chat, skip_ids: set[int], after: int = 0) -> Finding | None:
    """The strongest, latest surviving causal statement, in its own words; None if none.

    Only messages from `after` (the detection message) on count: a diagnosis follows detection,
    and in a busy channel earlier "because" chatter is about something else."""
    candidates = _candidates([s for s in _eligible(chat, skip_ids) if s.message.id >= after])
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: (c.strength, c.id, -c.sentence.index), reverse=True)
    for candidate in ranked:
        finding = _explanation(chat, candidate.sentence, candidate.announces)
        if len(content_words(finding.text) - _CUE_WORDS) >= 2:
            return finding
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
            clauses = re.split(r"\s[—–-]\s|;\s", sentence.lower)
            if any(_GAP.search(c) and not PROPOSAL.search(c) for c in clauses) or (
                not PROPOSAL.search(sentence.lower)
            ):
                kept.append(sentence)
    return kept
