"""The root cause the chat settled on.

Candidates come from the whole chat: sentences with a causal cue (`cause_cues`), ranked by how
firmly they state a cause and then by position (later wins). Corrections ("not the network",
"red herring", "scratch that") remove the earlier candidates they refer to; a confirmation ("yep,
that's it") makes the hypothesis before it firm. Only a firm candidate becomes the root cause:
with none, the root cause is left to an open question, never filled with a guess.

Every step is linear in the chat's length: candidates are indexed by their words and authors, so
a correction touches only the candidates it rules out, and each candidate is ruled out once.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

from app.engines.extractive import cause_cues as cc
from app.engines.extractive import memo
from app.engines.extractive.cause_shape import (
    ACTION,
    FIRM_SCORE,
    opening_report,
    reports_action,
    shaped_causes,
)
from app.engines.extractive.chat import Chat, Finding, Quote, Sentence, own_words
from app.engines.extractive.corrections import RuledOut, ruled_out_words
from app.engines.extractive.cues import (
    ALERTING,
    FOLLOW_UP,
    FUTURE,
    HYPOTHETICAL,
    MITIGATION,
    MONITOR_AUTHOR,
    NEGATED,
    PAST_TRIGGER,
    PLATFORM_NOTICE,
    RECAP,
    RECOVERY,
    REQUEST,
    RESOLUTION,
    STILL_ONGOING,
    SYSTEM_MOTION,
    TRIGGER,
    USER_REPORT,
    WEIGHED,
    cue,
)
from app.engines.extractive.impact import IMPACT_RECOVERED, states_impact
from app.engines.extractive.text import content_words, is_pasted, is_question, tidy
from app.models import Message

# A firm cause: stated outright, owned as a slip, confirmed, or concluded without a hedge.
FIRM = 2
# The cause a lead's situation report ("summary: ...", "where we are: ...") settles on: above
# every statement of the discussion it sums up; a later report wins over an earlier one.
REPORTED = 4
_CONFIRM_WINDOW = 3  # a confirmation refers to a hypothesis at most this many messages back
_RECENT = 32  # candidates kept at hand for confirmations (more than a window ever holds)
_CUE_WORDS = content_words(
    "root cause found it explains everything turns turned out happened figured problem issue "
    "bug culprit reason there confirmed mine fault mistake change deploy deployment thx thanks"
)
# Words every incident uses: sharing them says nothing about which thing a sentence is about.
_GENERIC = content_words(
    "error errors fail failed failing failure failures down service services prod production "
    "users customers requests issue issues problem broken bad wrong not never without rate "
    "latency timeout timeouts high low still again everything something"
)
_ACTION_WINDOW = 8  # messages after a fault statement in which an action on it makes it firm
_BARE_WORDS = content_words(
    "yes yep yup yeah correct exactly bingo confirmed tracks matches catch nailed spot mine bad "
    "sorry oops damn makes sense"
)
_LABEL_LINE = cue(r"^\W{0,3}+[\w /-]{1,25}+:(?:\s|$)")
_LABELLED = cue(
    r"^\W{0,3}+(?:(?:probable |likely |actual |real )?(?:root[- ]?cause|cause)|rca|why|ursache|"
    r"grund|warum|causa(?: ra[ií]z)?|cause racine|oorzaak|raison)\s{0,3}+[:=—-]"
)
_ANNOUNCEMENT = cue(
    r"^(?:found it|turn(?:s|ed) out(?: that)?|that explains it|i know what happened)"
    r"[\s:!.,—–-]{0,5}+"
)


@dataclass
class _Candidate:
    strength: int
    sentence: Sentence
    announces: bool = False
    confirmed_by: tuple[int, ...] = ()  # messages that confirmed it ("yep that's it")
    whole: bool = False  # the whole message states the cause, not just this sentence
    alive: bool = True
    acted_on: bool = False  # made firm only by an action taken on it afterwards

    @property
    def recency(self) -> int:
        """A confirmed hypothesis counts from its confirmation."""
        return max((self.sentence.message.id, *self.confirmed_by))


# `_strength` reads the sentence, its author and its message's own words, nothing else
_STRENGTHS: dict[tuple[str, str | None, str], int] = memo.table()


def _strength(sentence: Sentence) -> int:
    """How firmly a sentence states a cause (a repeated sentence of the same message text and
    author is weighed once)."""
    key = (sentence.raw, sentence.message.author, sentence.message.text)
    known = _STRENGTHS.get(key)
    if known is None:
        known = _STRENGTHS[key] = _weigh(sentence)
    return known


def _weigh(sentence: Sentence) -> int:
    """How firmly a sentence states a cause: 3 outright, 2 firm, 1 a guess, 0 not at all."""
    lower = sentence.lower
    hedged = cc.HEDGE(lower)
    if (RECOVERY(lower) or IMPACT_RECOVERED(lower) or MITIGATION(lower)) and not cc.CAUSE_LINK(
        lower
    ):
        stated = cc.CAUSE_STATED.search(lower)
        if stated and _CONFIRMED_OPENER.match(stated.group(0)):
            return 0  # "confirmed, p99 back to 400ms" confirms the recovery, not a cause
    if cc.CAUSE_STATED(lower):
        strength = 2 if hedged else 3
        return strength - 1 if _only_a_gap(lower) or _ADDED.search(lower) else strength
    if USER_REPORT(lower) or MONITOR_AUTHOR((sentence.message.author or "").lower()):
        return 0  # "one customer says it broke past 40 items": the symptom, told by its witness
    if cc.ADMISSION(lower) or (cc.MISTAKE(lower) and not FUTURE(lower)):
        return 2
    correction = cc.CORRECTION.search(lower)
    if correction and cc.NEW_CAUSE(lower[correction.end() :]) and _new_cause_words(sentence):
        return 3
    settled = RESOLUTION(lower) or RECOVERY(lower) or MITIGATION(lower)
    if cc.EXTERNAL(lower) and not (cues_negated(lower) or settled):
        return 1 if hedged else 2  # "it's on their side": the team places the cause outside
    located = cc.LOCATED.search(lower)
    if located:
        return 1 if hedged or not located["so"] else 2
    connective = cc.CONNECTIVE.search(lower)
    if (
        connective
        and not (REQUEST(lower) or lower.startswith("@"))
        and len(content_words(lower[connective.end() :]) - _GENERIC) >= 2
    ):
        return 1 if hedged else 2  # "ran twice because of the clock change", fault word or not
    if not cc.FAULT(lower):
        return 0
    if cc.CAUSE_LINK(lower) or cc.CONCLUSION(lower):
        return 1 if hedged else 2
    if hedged:
        return 1
    # a plain statement of a fault ("the cert expired at 08:00"): a candidate the chat must
    # still make firm, by acting on it (see `_acted_on`) or confirming it
    if not _names_a_fault(lower) or states_impact(sentence) or _signals(sentence):
        return 0
    if reports_action(lower) or RECOVERY(lower):
        return 0  # what was done about it, or that it got better ("rabbit failed over" is not)
    if RECOVERY(own_words(sentence.message).lower()):
        return 0  # "403s gone. big baskets fine, last block at 11:33": a check of the fix
    return 1 if len(content_words(sentence.raw) - _GENERIC) >= 2 else 0


def cues_negated(lower: str) -> bool:
    return bool(NEGATED(lower)) and not lower.startswith(("not us", "it's not us"))


# Another problem added on ("the issue is also that staging is small"): a factor, not the cause
_ADDED = cue(r"\b(?:is|was|are|were) also\b|^\W{0,3}+(?:also|plus)\b|\bon top of that\b")
_CONFIRMED_OPENER = cue(r"^\W{0,3}+(?:(?:so|ok(?:ay)?|yep|yes|yeah)[,.!]?\s{1,3}+)?confirmed")


_UNNOTICED = cue(
    r"\b(?:alert\w*|monitor\w*|notic\w*|detect\w*|pag(?:e|ed|ing)|caught|look(?:ed)?)\b"
)


# a line labelled as the cause ("cause: ...", "root cause — ...")
_CAUSE_LABEL = cue(r"^\W{0,3}+(?:root[- ]?)?cause[*_]{0,2}+\s{0,3}+[:—–]")


def _only_a_gap(lower: str) -> bool:
    """A safeguard that would have caught it sooner ("the real problem is nobody alerts on
    it"): what let the incident last, a contributing factor, weaker than what broke. A line
    labelled "cause:" is the cause, whatever aside it adds ("..., without us noticing")."""
    if _CAUSE_LABEL.match(lower):
        return False
    return bool(cc.GAP(lower) and _UNNOTICED.search(lower)) and not (
        cc.BROKEN_STATE(lower) or cc.MISTAKE(lower)
    )


# Fault words that only negate or name the symptom itself ("errors", "down", "timeouts").
_NOT_A_FAULT_OF_ITS_OWN = re.compile(
    r"^(?:not|never|without|wasn'?t|isn'?t|errors?|fail\w*|down|timeouts?|timed out|timing out|"
    r"outage|crash\w*|bad|bugs?)$"
)


def _names_a_fault(lower: str) -> bool:
    """A fault of some part ("expired", "full", "wrong", "missing"), not a negation or the
    symptom users saw."""
    if cc.BROKEN_STATE(lower):
        return True
    return any(
        not _NOT_A_FAULT_OF_ITS_OWN.match(m.group(0)) for m in cc.FAULT.pattern.finditer(lower)
    )


def _new_cause_words(sentence: Sentence) -> set[str]:
    return content_words(sentence.raw) - ruled_out_words(sentence) - _CUE_WORDS


def _states_cause(sentence: Sentence) -> bool:
    """A sentence that can carry an announced cause: not an action being taken or planned."""
    lower = sentence.lower
    return bool(sentence.text) and not (
        MITIGATION(lower)
        or cc.INTENT(lower)
        or is_question(sentence.raw)
        or is_pasted(sentence.raw)
    )


def _reads_as_cause(sentence: Sentence) -> bool:
    """A sentence whose own words say why: a fault, a broken state, a slip, a link, a culprit
    located or a change made before ("it's the clock change", "the pool is too small")."""
    lower = sentence.lower
    return bool(
        cc.FAULT(lower)
        or cc.BROKEN_STATE(lower)
        or cc.MISTAKE(lower)
        or cc.CAUSE_LINK(lower)
        or cc.CAUSE_STATED(lower)
        or cc.LOCATED(lower)
        or PAST_TRIGGER(lower)
        or TRIGGER(lower)
        or ACTION(lower)
    )


def _bare_fault(sentence: Sentence) -> bool:
    """A plain statement of a fault, with no causal word and no hedge of its own."""
    lower = sentence.lower
    return not (
        cc.HEDGE(lower)
        or cc.CAUSE_STATED(lower)
        or cc.CAUSE_LINK(lower)
        or cc.LOCATED(lower)
        or cc.CONCLUSION(lower)
        or cc.MISTAKE(lower)
        or cc.ADMISSION(lower)
    )


def _opens_with(match: re.Match[str] | None, lower: str) -> bool:
    """A cue that opens its sentence: at most one content word before it ("ok, not the db")."""
    return match is not None and len(content_words(lower[: match.start()])) <= 1


def _bare(sentence: Sentence) -> bool:
    """A confirmation or admission with next to no words of its own ("yep, my change")."""
    return len(content_words(sentence.raw) - _CUE_WORDS - _BARE_WORDS) <= 1


@dataclass
class _Gatherer:
    """Causal candidates in chat order, with corrections and confirmations applied as they come."""

    chat: Chat
    skip_ids: set[int] = field(default_factory=set)
    position: dict[int, int] = field(default_factory=dict)
    kept: list[_Candidate] = field(default_factory=list)
    by_word: dict[str, list[_Candidate]] = field(default_factory=lambda: defaultdict(list))
    by_author: dict[str | None, list[_Candidate]] = field(default_factory=lambda: defaultdict(list))
    recent: deque[_Candidate] = field(default_factory=lambda: deque(maxlen=_RECENT))

    opening: set[int] = field(default_factory=set)
    reported: dict[int, int] = field(default_factory=dict)  # message id -> its cause sentence

    def __post_init__(self) -> None:
        self.position = {m.id: n for n, m in enumerate(self.chat.messages)}
        self.opening = opening_report(self.chat, self.skip_ids)
        for message in self.chat.messages:
            if message.id not in self.skip_ids:
                line = reported_cause(self.chat.sentences(message))
                if line is not None:
                    self.reported[message.id] = line.index

    def keep(self, candidate: _Candidate) -> None:
        self.kept.append(candidate)
        for word in content_words(candidate.sentence.raw):
            self.by_word[word].append(candidate)
        self.by_author[candidate.sentence.message.author].append(candidate)
        self.recent.append(candidate)

    def _rule_out(self, sentence: Sentence, words: set[str]) -> None:
        """Candidates of earlier messages that name what `sentence` rules out are dropped; each
        word's list is emptied of them, so no candidate is looked at twice."""
        here = sentence.message.id
        for word in words:
            listed = self.by_word.get(word)
            if not listed:
                continue
            same = [c for c in listed if c.sentence.message.id == here]
            for candidate in listed:
                if candidate.sentence.message.id != here:
                    candidate.alive = False
            self.by_word[word] = same

    def _last_alive(self, stack: list[_Candidate]) -> _Candidate | None:
        while stack and not stack[-1].alive:
            stack.pop()
        return stack[-1] if stack else None

    def _retract(self, sentence: Sentence) -> None:
        """'scratch that' takes back the speaker's last claim; 'false alarm' the last claim."""
        lower = sentence.lower
        if cc.SELF_RETRACTION(lower):
            own = self._last_alive(self.by_author[sentence.message.author])
            if own is not None:
                own.alive = False
        elif cc.RETRACTION(lower):
            own = self._last_alive(self.by_author[sentence.message.author])
            last = own or self._last_alive(self.kept)
            if last is not None:
                last.alive = False

    def add(self, sentence: Sentence) -> None:
        lower = sentence.lower
        negated = ruled_out_words(sentence)
        if negated:
            self._rule_out(sentence, negated)
        else:
            self._retract(sentence)
        if self.reported.get(sentence.message.id) == sentence.index:
            self.keep(_Candidate(REPORTED, sentence))
            return
        correction = cc.CORRECTION.search(lower)
        names_new = bool(correction) and cc.NEW_CAUSE(
            lower[correction.end() :] if correction else ""
        )
        if negated and not (names_new and _new_cause_words(sentence)):
            # "Not the session bug then." followed by the real cause in the same message; a
            # trailing contrast ("403 with an HTML page, not our JSON") rules out, announces none
            if _opens_with(correction, lower) and self._announces_more(sentence, causal=True):
                self.keep(_Candidate(3, sentence, announces=True))
            return
        earlier = self.chat.sentences(sentence.message)[: sentence.index]
        first = not any(s.text for s in earlier)
        # the opening "yes." may be all filler, so it is read from the raw first sentence
        opening = earlier[0].lower if earlier else lower
        confirms = first and (cc.CONFIRMATION(opening) or cc.ADMISSION(lower))
        if cc.CAUSE_STATED(lower) and self._announces_more(sentence):
            confirms = False  # "Confirmed. <the cause>" states the cause itself
        if confirms and self._confirm(sentence) and _bare(sentence):
            return
        if cc.REALISATION(lower) and self._announces_more(sentence):
            self.keep(_Candidate(2, sentence, announces=True))
            return
        if sentence.message.id in self.opening and not cc.CAUSE_STATED(lower):
            return  # the report that opens the chat says what broke, not why
        strength = _strength(sentence)
        if strength:
            self.keep(_Candidate(strength, sentence))

    def _announces_more(self, sentence: Sentence, causal: bool = False) -> bool:
        """Sentences after this one in its message that can carry the cause it announces; with
        `causal`, one of them must read as a cause itself ("not the brokers. thanks for checking"
        announces nothing)."""
        rest = self.chat.sentences(sentence.message)[sentence.index + 1 :]
        stating = [s for s in rest if _states_cause(s)]
        if not causal:
            return bool(stating)
        return any(_reads_as_cause(s) for s in stating)

    def _confirm(self, sentence: Sentence) -> bool:
        """Promote the hypothesis this reply confirms; True when there was one."""
        here = self.position[sentence.message.id]
        previous = self.chat.messages[here - 1] if here else None
        if previous is not None and is_question(previous.text.strip()):
            return False  # "yes" to "ok drop it?" answers the question, it confirms no cause
        firm = cc.FIRM_CONFIRMATION(sentence.lower)
        between = self.chat.messages[max(0, here - _CONFIRM_WINDOW) : here]
        after_list = max(
            (self.position[m.id] for m in between if m.id in self.skip_ids), default=-1
        )
        for candidate in reversed(self.recent):
            where = self.position[candidate.sentence.message.id]
            distance = here - where
            if distance > _CONFIRM_WINDOW or where < after_list:
                break  # a "yep" after an action list answers the list
            if RECAP(own_words(candidate.sentence.message).lower()):
                continue  # a recap is acknowledged, not confirmed
            if candidate.alive and distance > 0 and (firm or not _bare_fault(candidate.sentence)):
                candidate.strength = FIRM if _only_a_gap(candidate.sentence.lower) else 3
                candidate.confirmed_by = (*candidate.confirmed_by, sentence.message.id)
                return True
        if not (cc.FIRM_CONFIRMATION(sentence.lower) or cc.ADMISSION(sentence.lower)):
            return False
        for earlier in reversed(self.chat.messages[max(0, here - 2) : here]):
            if earlier.author == sentence.message.author:
                continue
            stated = [s for s in self.chat.sentences(earlier) if _states_cause(s)]
            if stated and len(content_words(" ".join(s.raw for s in stated))) >= 3:
                self.keep(_Candidate(3, stated[0], False, (sentence.message.id,), True))
                return True
        return False


_REPORT_MIN = 2  # a causal connective, or a fault together with a changed part
_PLAN_HEADING = cue(
    r"^\W{0,3}+(?:follow[- ]?ups?|action items?|actions|next steps?|to-?dos?|open items|"
    r"next)\b\W{0,3}+(?:$|:)"
)


def _report_score(sentence: Sentence, start: int = 0) -> int:
    """How plainly a line of a situation report states why: a causal connective or a cause
    stated counts 2, a fault or broken state 1, a changed part (config, release, rule) 1. Lines
    about impact, the fix, recovery, plans, guesses and ruled-out suspects count 0. `start`
    skips the report's own heading ("update:")."""
    lower = sentence.lower[start:]
    if is_question(sentence.raw) or is_pasted(sentence.raw) or cc.HEDGE(lower):
        return 0
    if cc.CORRECTION(lower) or cc.DISMISSAL(lower) or FOLLOW_UP(lower) or cc.INTENT(lower):
        return 0
    causal = bool(cc.CONNECTIVE(lower) or cc.CAUSE_STATED(lower) or cc.CAUSE_LINK(lower))
    if RECOVERY(lower) or RESOLUTION(lower) or IMPACT_RECOVERED(lower):
        return 0
    if STILL_ONGOING(lower) and not causal:
        return 0  # "mobile still failing, fix waits on the PR": where the response stands
    changed = bool(cc.CHANGED_THING(lower))
    fault = bool(cc.BROKEN_STATE(lower) or cc.FAULT(lower))
    if not (causal or (changed and fault)) and MITIGATION(lower):
        return 0  # "failover" with a connective, or "created paused by the migration", is the
        # cause; without either it is the fix
    if not (causal or changed) and states_impact(sentence):
        return 0  # the symptom alone; "crashing since 20:51 on input new in 2.14" names more
    unnoticed = 2 if cc.GAP(lower) and _UNNOTICED.search(lower) else 0  # why it lasted
    return 2 * causal + fault + changed - unnoticed


def reported_cause(sentences: list[Sentence]) -> Sentence | None:
    """The line of a situation report ("summary: ...", "where we are (21:46): ...", "update:
    ...") that states the cause: the one scoring highest in `_report_score`, the first on a tie;
    None when the message is no report or no line states a cause."""
    said = [s for s in sentences if s.text]
    if not said or not cc.SITUATION_REPORT(said[0].lower):
        return None
    heading = cc.SITUATION_REPORT.search(said[0].lower)
    best: Sentence | None = None
    best_score = _REPORT_MIN - 1
    for sentence in said:
        if _PLAN_HEADING.match(sentence.lower):
            break  # "follow-ups:", "next steps": what comes after is work, not the cause
        score = _report_score(sentence, heading.end() if heading and sentence is said[0] else 0)
        if score > best_score:
            best, best_score = sentence, score
    return best


def _eligible(chat: Chat, skip_ids: set[int]) -> list[Sentence]:
    return [
        s
        for m in chat.messages
        if m.id not in skip_ids
        for s in chat.sentences(m)
        if s.text
        and not is_question(s.raw)
        and not is_pasted(s.raw)
        and not FOLLOW_UP(s.lower)
        and not PLATFORM_NOTICE(s.lower)  # "This message was deleted": the tool's, no one's words
    ]


def _contiguous(sentences: list[Sentence], limit: int = 3) -> list[Sentence]:
    """The first sentences of a run that state something (stops at a question or a plan)."""
    run: list[Sentence] = []
    for sentence in sentences:
        if not sentence.text:
            continue
        if not _states_cause(sentence) or len(run) == limit:
            break
        run.append(sentence)
    return run


def _antecedent(sentences: list[Sentence], sentence: Sentence) -> Sentence | None:
    """The sentence a cause opening with a pronoun refers back to ("3.9.0 deployed. Its models
    forbid extra fields"), when it is the one right before it in the same message."""
    if sentence.index == 0 or not cc.ANAPHOR(sentence.lower):
        return None
    before = sentences[sentence.index - 1]
    if not before.text or is_question(before.raw) or cc.CORRECTION(before.lower):
        return None
    return before


def _explains(sentence: Sentence) -> bool:
    """A sentence that goes on explaining a cause: a statement of a broken state, a slip or a
    link ("the old code had its own list, so it never showed up"), not an action, plan,
    correction, symptom or question."""
    lower = sentence.lower
    if not _states_cause(sentence) or cc.CORRECTION(lower) or FOLLOW_UP(lower):
        return False
    if _signals(sentence) or states_impact(sentence) or RECOVERY(lower):
        return False
    explained = cc.BROKEN_STATE(lower) or cc.MISTAKE(lower) or cc.CAUSE_LINK(lower)
    return bool(explained or cc.FAULT(lower) or PAST_TRIGGER(lower)) and (
        len(content_words(sentence.raw) - _GENERIC) >= 3
    )


def _says_nothing(sentence: Sentence) -> bool:
    """A heading ("what we found:") or a short opening ("ok, got it") that states nothing."""
    return sentence.raw.rstrip().endswith(":") or len(content_words(sentence.raw)) <= 2


def _chain_before(sentences: list[Sentence], sentence: Sentence, limit: int = 3) -> list[Sentence]:
    """What a "that's why ..." explains when its own message told it first: the run of
    statements before it (back to a correction, a question or a plan), from its start, where a
    chain of causes begins; headings ("what happened:") and list numbers carry no words."""
    run: list[Sentence] = []
    for before in reversed(sentences[: sentence.index]):
        if not _states_cause(before) or cc.CORRECTION(before.lower):
            break
        run.append(before)
    said = [
        s
        for s in reversed(run)
        if not s.raw.rstrip().endswith(":") and len(content_words(s.raw) - _GENERIC) >= 3
    ]
    return said[:limit]


def _premise_before(sentences: list[Sentence], sentence: Sentence) -> Sentence | None:
    """The sentence right before a cause in the same message when it explains it too ("the
    ingress was upgraded and defaults the body size to 1m. our annotation uses the old key")."""
    if sentence.index == 0:
        return None
    before = sentences[sentence.index - 1]
    return before if before.text and _explains(before) else None


def _own_text(sentence: Sentence) -> str:
    """What a sentence itself says of the cause: without an announcement ("Found it:") and,
    for a correction, only the new cause ("no, not the network — it's the cert" -> "it's the
    cert")."""
    text = tidy(_ANNOUNCEMENT.sub("", sentence.text)) or sentence.text
    if cc.CORRECTION(sentence.lower) and ruled_out_words(sentence):
        new = cc.NEW_CAUSE.search(text)
        return tidy(text[new.start() :]) if new and _new_cause_words(sentence) else ""
    return text


def _quote(sentences: list[Sentence], lead: str | None = None) -> Quote:
    texts = [lead] if lead else []
    texts += [s.text for s in sentences]
    return Quote(sentences[0].message if sentences else _never(), texts)


def _never() -> Message:
    raise ValueError("a quote needs at least one sentence")


def _explanation(chat: Chat, candidate: _Candidate, position: dict[int, int]) -> Finding:
    """The words that state the cause: the sentence itself, or what it announces, always as
    words of one message (quoted as such), plus the messages that confirmed it."""
    sentence = candidate.sentence
    message = sentence.message
    confirmers = list(candidate.confirmed_by)
    own_sentences = chat.sentences(message)
    if candidate.whole:
        # the whole message confirmed: its words, past a heading ("log of the api:") or an
        # opening with no words of its own ("ok got it")
        run = _contiguous([s for s in own_sentences if not _says_nothing(s)]) or _contiguous(
            own_sentences
        )
        return Finding.of([_quote(run or [sentence])], also=confirmers)
    if candidate.strength == REPORTED and not _LABELLED.search(sentence.lower):
        # one line of a report, the next is another topic; a "cause:" label goes on after it
        heading = cc.SITUATION_REPORT.pattern.match(sentence.text)
        text = tidy(sentence.text[heading.end() :]) if heading else ""
        before = _antecedent(own_sentences, sentence)  # "3.9.0 deployed. Its models ..."
        texts = [before.text] if before is not None and before.index > 0 else []
        return Finding.of([Quote(message, [*texts, text or sentence.text])], also=confirmers)
    explains_effect = cc.EXPLAINS_EFFECT(sentence.lower)
    own_text = _own_text(sentence)
    own_words = content_words(own_text) - _CUE_WORDS
    if len(own_words) >= 3 and not candidate.announces and not explains_effect:
        labelled = bool(_LABELLED.search(sentence.lower))
        # a "cause:" label opens the statement: the line before it introduces it, if anything
        before = None if labelled else _antecedent(own_sentences, sentence)
        before = before or (None if labelled else _premise_before(own_sentences, sentence))
        texts = [before.text, own_text] if before is not None else [own_text]
        for after in own_sentences[sentence.index + 1 : sentence.index + 3]:
            if len(texts) == 3 or not after.text or is_question(after.raw):
                break
            if _LABEL_LINE.match(after.raw) or not (labelled or _explains(after)):
                break  # the next "fix: ..." line, or a sentence that is not about the cause
            texts.append(after.text)
        return Finding.of([Quote(message, texts)], also=confirmers)
    following = _contiguous(own_sentences[sentence.index + 1 :], limit=3)
    lead = (
        own_text
        if own_text and own_words and not candidate.announces and not cc.REALISATION(sentence.lower)
        else None
    )
    if following and not explains_effect:
        return Finding.of([_quote(following, lead)], also=confirmers)
    chain = _chain_before(own_sentences, sentence) if explains_effect else []
    if chain:
        return Finding.of([_quote(chain)], also=confirmers)
    here = position[message.id]
    if (cc.REFERS_BACK(sentence.lower) or explains_effect) and here > 0:
        recent = chat.messages[max(0, here - 2) : here]
        others = [m for m in recent if m.author != message.author]
        earlier = (others or recent)[-1]
        run = _contiguous(chat.sentences(earlier), limit=4)
        if run:
            return Finding.of([_quote(run)], also=[message.id, *confirmers])
    for later in chat.messages[here + 1 : here + 4]:
        if later.author == message.author:
            run = _contiguous(chat.sentences(later))
            if run:
                parts = [Quote(message, [lead])] if lead else []
                return Finding.of([*parts, _quote(run)], also=confirmers)
    return Finding.of([Quote(message, [sentence.text])], also=confirmers)


def _premise(chat: Chat, candidate: _Candidate, position: dict[int, int]) -> Quote | None:
    """For a conclusion ("so the token is dead"), what it concludes from: the sentence before it,
    or, when it opens its message, the message before it by someone else that states something."""
    sentence = candidate.sentence
    if candidate.announces or not cc.CONCLUSION(sentence.lower):
        return None
    before = [s for s in chat.sentences(sentence.message)[: sentence.index] if _states_cause(s)]
    if before:
        return _quote(before[-1:])
    here = position[sentence.message.id]
    if here == 0:
        return None
    earlier = chat.messages[here - 1]
    run = _contiguous(chat.sentences(earlier), limit=2)
    if earlier.author == sentence.message.author or not run:
        return None
    if len(content_words(" ".join(s.raw for s in run))) < 4:
        return None
    if any(cc.CORRECTION(s.lower) or _signals(s) for s in chat.sentences(earlier)):
        return None  # "parking the broker theory" or the page itself is no premise
    return _quote(run)


def _change_before(chat: Chat, message: Message, position: dict[int, int]) -> Quote | None:
    """For a cause that opens with a bare announcement ("found it. <what is wrong>"), the change
    its speaker was checking just before ("5.2.0 went out yesterday, it moved the conversion into
    toMinorUnits(). checking that"): what the finding is a defect of. Only the speaker's own
    message, at most two back."""
    opening = next((s for s in chat.sentences(message) if s.text), None)
    if opening is None or not cc.CAUSE_STATED(opening.lower):
        return None
    if len(content_words(_own_text(opening)) - _CUE_WORDS) >= 2:
        return None
    here = position.get(message.id, 0)
    for earlier in reversed(chat.messages[max(0, here - 2) : here]):
        if earlier.author != message.author:
            continue
        changes = [
            s
            for s in chat.sentences(earlier)
            if PAST_TRIGGER(s.lower) and _states_cause(s) and not _signals(s)
        ]
        return _quote(changes[:1]) if changes else None
    return None


_NOT_SETTLED = cue(
    r"\bresolved (?:to|as|by|into|from|the|a|an)\b|\bonce (?:it'?s |this is )?resolved"
)


def _settled_at(chat: Chat, skip_ids: set[int]) -> int:
    """Position of the first message declaring the incident over ("resolved", "all clear");
    past the end when none does."""
    for position, message in enumerate(chat.messages):
        if message.id in skip_ids:
            continue
        for sentence in chat.sentences(message):
            lower = sentence.lower
            if is_question(sentence.raw) or not RESOLUTION(lower):
                continue
            if (
                STILL_ONGOING(lower)
                or NEGATED(lower)
                or FUTURE(lower)
                or _NOT_SETTLED.search(lower)
            ):
                continue
            return position
    return len(chat.messages)


def _signals(sentence: Sentence) -> bool:
    """An alert or a report of trouble: the symptom, never the premise of a cause."""
    author = (sentence.message.author or "").lower()
    return ALERTING(sentence.lower) or MONITOR_AUTHOR(author) or USER_REPORT(sentence.lower)


def _continuation(chat: Chat, finding: Finding, position: dict[int, int]) -> Quote | None:
    """The next message or two when it carries the explanation on ("and nobody dropped it")."""
    last = chat.transcript.message(max(finding.evidence))
    if last is None or last.id not in position:
        return None
    here = position[last.id]
    for later in chat.messages[here + 1 : here + 3]:
        sentences = [s for s in chat.sentences(later) if s.text]
        if (
            sentences
            and cc.CONTINUES(sentences[0].lower)
            and all(_states_cause(s) and not FOLLOW_UP(s.lower) for s in sentences[:2])
        ):
            return _quote(sentences[:2])
    return None


def _builds_on(
    chat: Chat, chosen: _Candidate, alive: list[_Candidate], position: dict[int, int]
) -> _Candidate | None:
    """The firm cause a few messages back that `chosen` carries on from: a message opening
    with "and ..." or a "so ..." conclusion right after a cause was found ("found it: the slot
    is inactive" ... "and nobody dropped the slot, so the WAL piled up")."""
    sentence = chosen.sentence
    opening = chat.sentences(sentence.message)[0].lower
    if not (cc.CONTINUES(opening) or cc.CONCLUSION(sentence.lower)):
        return None
    here = position[sentence.message.id]
    earlier = [
        c
        for c in alive
        if c is not chosen
        and c.strength >= FIRM
        and 0 < here - position[c.sentence.message.id] <= _CONFIRM_WINDOW
    ]
    return max(earlier, key=lambda c: (c.strength, c.recency), default=None)


def _acted_on(
    chat: Chat, candidates: list[_Candidate], position: dict[int, int], skip_ids: set[int]
) -> None:
    """A guess the team then acts on is the cause it settled on: "the cert expired" followed by
    "renewing the cert", "the flag is at 100%" by "disabled the flag". Each action looks back
    over the candidates of the few messages before it (linear in the chat's length)."""
    weak = [c for c in candidates if c.strength == 1]
    if not weak:
        return
    by_position: dict[int, list[_Candidate]] = defaultdict(list)
    for candidate in weak:
        by_position[position[candidate.sentence.message.id]].append(candidate)
    for here, message in enumerate(chat.messages):
        if message.id in skip_ids:
            continue
        for sentence in chat.sentences(message):
            lower = sentence.lower
            acts = MITIGATION(lower) or ACTION(lower)
            if not acts or is_question(sentence.raw) or _not_an_action(sentence):
                continue
            acted = content_words(sentence.raw) - _GENERIC - _CUE_WORDS
            for back in range(max(0, here - _ACTION_WINDOW), here + 1):
                for candidate in by_position.get(back, []):
                    if back == here and candidate.sentence.index >= sentence.index:
                        continue  # an action makes firm what was said before it
                    if candidate.strength == 1 and acted & (
                        content_words(candidate.sentence.raw) - _GENERIC
                    ):
                        candidate.strength = FIRM
                        candidate.acted_on = True


_RECAP_SHARED = 2  # distinctive words a recap's cause must share with a candidate to back it


def _recapped(gatherer: _Gatherer, alive: list[_Candidate]) -> None:
    """A recap that retells a cause ("summary: ... ran twice because of the DST change") backs
    the earlier candidate it repeats: what follows its connective shares that candidate's
    distinctive words. The candidate becomes firm, confirmed by the recap. Candidates are found
    through the word index, so each recap costs the size of its own words' lists."""
    for recap in alive:
        sentence = recap.sentence
        if not RECAP(own_words(sentence.message).lower()):
            continue
        linked = cc.CONNECTIVE.search(sentence.lower) or cc.CAUSE_STATED.search(sentence.lower)
        if linked is None:
            continue
        wanted = content_words(sentence.raw[linked.end() :]) - _GENERIC - _CUE_WORDS
        shared: dict[int, int] = defaultdict(int)
        by_id: dict[int, _Candidate] = {}
        for word in wanted:
            for candidate in gatherer.by_word.get(word, ()):
                if candidate.alive and candidate.sentence.message.id < sentence.message.id:
                    shared[id(candidate)] += 1
                    by_id[id(candidate)] = candidate
        backed = [by_id[k] for k, n in shared.items() if n >= _RECAP_SHARED]
        for candidate in backed:
            if RECAP(own_words(candidate.sentence.message).lower()):
                continue
            candidate.strength = max(candidate.strength, 3)
            candidate.confirmed_by = (*candidate.confirmed_by, sentence.message.id)


def _not_an_action(sentence: Sentence) -> bool:
    lower = sentence.lower
    author = (sentence.message.author or "").lower()
    return bool(
        WEIGHED(lower)
        or REQUEST(lower)
        or NEGATED(lower)
        or SYSTEM_MOTION(lower)
        or ALERTING(lower)
        or MONITOR_AUTHOR(author)
    )


def _why_chain(chat: Chat, chosen: _Candidate, ranked: list[_Candidate]) -> _Candidate | None:
    """The earlier, shallower cause a "why didn't ...?" question dug beneath to reach `chosen`
    ("it's the cert" ... "why didn't it renew?" ... "the DNS token is dead")."""
    here = chosen.sentence.message.id
    whys = [
        s.message.id
        for m in chat.messages
        if m.id < here
        for s in chat.sentences(m)
        if is_question(s.raw) and cc.WHY_QUESTION(s.lower)
    ]
    for candidate in ranked:
        if candidate.strength >= 3 and candidate.sentence.message.id < here:
            if any(candidate.sentence.message.id < why for why in whys):
                return candidate
            return None
    return None


_DIG_WINDOW = 6  # messages after a cause in which a "which key is it?" may dig beneath it


def _dug_beneath(
    chat: Chat, message: Message, position: dict[int, int], skip_ids: set[int]
) -> Quote | None:
    """The answer to a question that digs beneath a cause just stated ("a skew problem" ...
    "which key is in task 199?" ... "merchant 88031, 38% of all rows"): the statement right
    after a "why"/"which ... is" question about the same thing, in its own words."""
    here = position.get(message.id)
    if here is None:
        return None
    said = content_words(message.text) - _GENERIC
    later = [m for m in chat.messages[here + 1 : here + 1 + _DIG_WINDOW] if m.id not in skip_ids]
    for n, asked in enumerate(later):
        questions = [s for s in chat.sentences(asked) if is_question(s.raw)]
        if not any(cc.WHY_QUESTION(q.lower) and content_words(q.raw) & said for q in questions):
            continue
        for reply in later[n + 1 : n + 3]:
            run = _contiguous(chat.sentences(reply), limit=2)
            if run and not any(cc.CORRECTION(s.lower) or _signals(s) for s in run):
                return _quote(run)
        return None
    return None


@dataclass(frozen=True)
class CauseSearch:
    """What the root-cause search found: the firm cause, or the best guess when none is firm."""

    cause: Finding | None
    guess: Finding | None = None


def find_root_cause(chat: Chat, skip_ids: set[int], ruled: RuledOut | None = None) -> CauseSearch:
    """The firmest, latest surviving causal statement, in its own words; a guess when no
    candidate is firm (the engine then leaves the root cause to an open question).

    A cause stated across messages keeps each message's words as its own quote: the premise a
    "so ..." conclusion draws on, an "and ..." that carries it on, and the answer to a "which
    key is it?" that digs beneath it."""
    ruled = ruled or RuledOut.of(chat, skip_ids)
    gatherer = _Gatherer(chat, skip_ids)
    for sentence in _eligible(chat, skip_ids):
        gatherer.add(sentence)
    alive = [c for c in gatherer.kept if c.alive]
    _acted_on(chat, alive, gatherer.position, skip_ids)
    _recapped(gatherer, alive)
    settled = _settled_at(chat, skip_ids)
    # At equal strength the cause where it was found beats a recap that retells it later, and
    # one stated while the incident was on beats a "because" said once it was over (about
    # impact, the response or a side issue), unless that one names the cause outright
    ranked = sorted(
        alive,
        key=lambda c: (
            c.strength,
            c.strength >= 3 or gatherer.position[c.sentence.message.id] <= settled,
            not c.acted_on,
            not RECAP(own_words(c.sentence.message).lower()),
            c.recency,
            -c.sentence.index,
        ),
        reverse=True,
    )
    guess: Finding | None = None
    for candidate in ranked:
        finding = _explanation(chat, candidate, gatherer.position)
        premise = _premise(chat, candidate, gatherer.position)
        said = finding.text + " " + (" ".join(premise.texts) if premise is not None else "")
        if len(content_words(said) - _CUE_WORDS) < 2:
            continue  # a conclusion as short as "so it's on their side" stands on its premise
        if candidate.strength < 3 and ruled.covers(finding.text, share=0.6):
            continue  # the same hypothesis the chat ruled out, said again
        if candidate.strength < FIRM:
            guess = guess or finding
            continue
        parts = list(finding.parts)
        if premise is not None and premise.message.id not in finding.evidence:
            parts.insert(0, premise)
        elif premise is not None and parts and parts[0].message.id == premise.message.id:
            # the sentence before a "so ..." in the same message: one quote of both
            parts[0] = Quote(premise.message, [*premise.texts, *parts[0].texts])
        continuation = _continuation(chat, finding, gatherer.position)
        if continuation is not None and continuation.message.id not in finding.evidence:
            parts.append(continuation)
        built_on = _builds_on(chat, candidate, alive, gatherer.position)
        if built_on is not None:
            earlier = _explanation(chat, built_on, gatherer.position)
            seen = {p.message.id for p in parts}
            parts[:0] = [p for p in earlier.parts if p.message.id not in seen]
        change = _change_before(chat, parts[0].message, gatherer.position)
        if change is not None and change.message.id not in {p.message.id for p in parts}:
            parts.insert(0, change)
        answer = _dug_beneath(chat, candidate.sentence.message, gatherer.position, skip_ids)
        if answer is not None and answer.message.id not in {p.message.id for p in parts}:
            parts.append(answer)
        shallower = _why_chain(chat, candidate, ranked)
        if shallower is not None:
            earlier = _explanation(chat, shallower, gatherer.position)
            new = [p for p in earlier.parts if p.message.id not in finding.evidence]
            parts[:0] = new
        if parts == list(finding.parts):
            return CauseSearch(finding)
        return CauseSearch(Finding.of(parts, also=finding.also, lead=finding.parts[0]))
    shaped = _shaped(chat, skip_ids, ruled, gatherer.position)
    if shaped is not None and not _open_at_end(chat, skip_ids):
        return CauseSearch(shaped)
    # a cause read from the conversation's shape alone, in a chat whose last word is that the
    # trouble goes on, is a guess: the team has not settled it yet
    return CauseSearch(None, guess or shaped)


def _open_at_end(chat: Chat, skip_ids: set[int]) -> bool:
    """The chat's last word on the incident is that it goes on ("mobile still failing, fix
    waits on the ACL"): a person says so after every recovery or resolution the chat
    reports (one pass)."""
    last_ongoing = last_over = -1
    for position, message in enumerate(chat.messages):
        if message.id in skip_ids or MONITOR_AUTHOR((message.author or "").lower()):
            continue
        for sentence in chat.sentences(message):
            lower = sentence.lower
            if is_question(sentence.raw) or FOLLOW_UP(lower) or HYPOTHETICAL(lower):
                continue
            if STILL_ONGOING(lower) and "no longer" not in lower:
                last_ongoing = position
            elif (RESOLUTION(lower) or RECOVERY(lower)) and not (NEGATED(lower) or FUTURE(lower)):
                last_over = position
    return last_ongoing > last_over


def _shaped(
    chat: Chat, skip_ids: set[int], ruled: RuledOut, position: dict[int, int]
) -> Finding | None:
    """With no cause stated in so many words, the statement the conversation backs as one."""
    for shaped in shaped_causes(chat, skip_ids, ruled)[:1]:
        if shaped.score < FIRM_SCORE:
            return None
        finding = _explanation(chat, _Candidate(FIRM, shaped.sentence), position)
        if len(content_words(finding.text) - _CUE_WORDS) >= 3:
            return finding
    return None
