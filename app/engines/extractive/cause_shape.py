"""Root-cause candidates read from the shape of the conversation, whatever words state them.

The statement a team settles on as the cause has a place and a reception in any team's words: a
responder says how something is (not what to do, not what users see, not a question) while the
incident is on; the action that follows works on the same things (it shares the chat's rarer
words with the statement: "the redis ACL only allows subnets a and b" ... "adding subnet c to
the ACL"); others take it up ("oh. that's it then", "nice find", "makes sense"); it answers the
question asked just before it ("why empty?"); a later recap retells it. Each adds to a
candidate's score, and the best one that enough of them back is the cause the chat settled on.

Every step is linear in the chat's length: each sentence looks at a bounded window of messages
after it, and word rarity is counted once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.engines.extractive import cause_cues as cc
from app.engines.extractive import cues, memo
from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.corrections import RuledOut
from app.engines.extractive.cues import cue, family
from app.engines.extractive.impact import USER_FACING
from app.engines.extractive.impact import score as impact_score
from app.engines.extractive.stated import states_earlier_time
from app.engines.extractive.text import content_words, is_question

ACTION = family(
    "action",
    "a change made to the system by the team: added, pointed, set, switched, restored, reran",
    r"\b(?:add(?:ed|ing)|point(?:ed|ing)|set(?:ting)?|switch(?:ed|ing)|chang(?:ed|ing)|"
    r"updat(?:ed|ing)|fix(?:ed|ing)|mov(?:ed|ing)|appl(?:ied|ying)|pinn(?:ed|ing)|"
    r"increas(?:ed|ing)|decreas(?:ed|ing)|lower(?:ed|ing)|rais(?:ed|ing)|remov(?:ed|ing)|"
    r"delet(?:ed|ing)|re-?ran|re-?running|re-?run|re-?enabl(?:ed|ing)|enabl(?:ed|ing)|"
    r"turn(?:ed|ing) (?:[\w-]{1,20} ){0,3}?(?:on|off)|roll(?:ed|ing) (?:back|out)|"
    r"revert(?:ed|ing)|restart(?:ed|ing)|"
    r"restor(?:ed|ing)|deploy(?:ed|ing)|redeploy(?:ed|ing)|patch(?:ed|ing)|replac(?:ed|ing)|"
    r"clear(?:ed|ing)|clean(?:ed|ing)|kill(?:ed|ing)|purg(?:ed|ing)|flush(?:ed|ing)|"
    r"disabl(?:ed|ing)|paus(?:ed|ing)|resum(?:ed|ing)|unblock(?:ed|ing)|allow(?:ed|ing)|"
    r"grant(?:ed|ing)|renew(?:ed|ing)|rotat(?:ed|ing)|scal(?:ed|ing)|resiz(?:ed|ing)|"
    r"extend(?:ed|ing)|bump(?:ed|ing)|drop(?:ped|ping)|recreat(?:ed|ing)|rebuil[td]|"
    r"rebuilding|reindex(?:ed|ing)|backfill(?:ed|ing)|migrat(?:ed|ing)|failed over|"
    # the same in German, French and Spanish
    r"neu gestartet|zurückgerollt|zurückgesetzt|aktualisiert|deaktiviert|aktiviert|umgestellt|"
    r"hinzugefügt|gelöscht|erhöht|ausgerollt|redémarré|mis à jour|déployé|redéploy\w*|annulé|"
    r"désactivé|activé|ajouté|supprimé|augmenté|reiniciado|actualizado|desplegado|revertido|"
    r"desactivado|activado|añadido|eliminado|aumentado)\b",
)
TAKEN_UP = family(
    "taken_up",
    "a reply taking a finding as the answer: 'oh. that's it', 'nice find', 'makes sense', 'ugh'",
    r"^\W{0,3}+(?:oh+|ah+|aha|ugh+|argh|damn|doh|yikes|ouch|wow|ooh)\b|"
    r"\b(?:that'?s it|that'?s the one|that explains|makes sense|of course|good catch|nice catch|"
    r"nice find|great find|good find|well spotted|nice one|there it is|bingo|nailed it|"
    r"that tracks|that matches|spot on|(?:that|it) (?:lines up|adds up|fits)|"
    r"c'?est (?:ça|ca)|voilà|das (?:ist|war)'?s?(?: es)?\b|genau|eso es|exacto|claro)\b",
)
# An action being reported by whoever took it: the verb opens the sentence ("added the
# intermediate", "i restarted", "now rolling back").
_DOING = cue(
    rf"^\W{{0,3}}+(?:(?:i|we|i'?ve|we'?ve|i'?m|we'?re|just|now|ok|so|then)\W{{1,3}}+){{0,2}}"
    rf"(?:{ACTION.pattern.pattern}|{cues.MITIGATION.pattern.pattern})"
)


def reports_action(lower: str) -> bool:
    """A sentence that opens with the action its speaker took ("restarted the workers")."""
    return bool(_DOING.search(lower))


_NO = cue(r"^\W{0,3}+(?:no|nope|nah|negative)\b")
_GENERIC = content_words(
    "error errors fail failed failing failure failures down service services prod production "
    "users user customers customer requests request issue issues problem broken bad wrong now "
    "new old all every time again still back working work works system team thing things"
)
_WINDOW = 10  # messages after a statement in which the action taken on it comes
_REPLY_WINDOW = 3  # messages after a statement in which replies take it up
_MIN_WORDS = 4
FIRM_SCORE = 2.5


@dataclass(frozen=True)
class ShapedCause:
    """A statement and how strongly the conversation around it backs it as the cause."""

    sentence: Sentence
    score: float


def _human(chat: Chat, skip_ids: set[int]) -> list[int]:
    """Positions of usable messages written by people (not bots, not system lines)."""
    return [
        n
        for n, m in enumerate(chat.messages)
        if m.id not in skip_ids and m.author and not cues.MONITOR_AUTHOR(m.author.lower())
    ]


def opening_report(chat: Chat, skip_ids: set[int]) -> set[int]:
    """Ids of the messages that open the chat: the pages of monitoring bots and the first
    person's first message, the report that tells what broke, not why (what the same person
    adds next may already be the cause)."""
    opening: set[int] = set()
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        opening.add(message.id)
        if not cues.MONITOR_AUTHOR((message.author or "").lower()):
            break
    return opening


def _states(sentence: Sentence, ruled: RuledOut) -> bool:
    """A sentence that says how something is: not a question, plan, request, action taken,
    symptom, recovery, or a hypothesis ruled out."""
    lower = sentence.lower
    if not sentence.text or is_question(sentence.raw):
        return False
    if cues.FOLLOW_UP(lower) or cues.FUTURE(lower) or cues.REQUEST(lower) or cc.INTENT(lower):
        return False
    if cues.ALERTING(lower) or cues.USER_REPORT(lower) or cues.RECOVERY(lower):
        return False
    if cues.RESOLUTION(lower) or cc.CORRECTION(lower) or cc.DISMISSAL(lower):
        return False
    if _NO.match(lower):
        return False  # "no, other partners are fine" rules a hypothesis out
    if _DOING.search(lower) and not (states_earlier_time(sentence) or cues.PAST_BACKGROUND(lower)):
        return False  # "restarting the workers" is what was done; "we rotated it at 10:40" was
    # a change made before
    if impact_score(sentence) >= 2 and USER_FACING(lower):
        return False  # what users saw, not why
    if ruled.covers(sentence.raw, share=0.6):
        return False
    return len(content_words(sentence.raw) - _GENERIC) >= _MIN_WORDS


_ACTS: dict[str, bool] = memo.table()


def _acts(sentence: Sentence) -> bool:
    """An action taken or under way (a function of the sentence's words, read once per text)."""
    known = _ACTS.get(sentence.raw)
    if known is None:
        known = _ACTS[sentence.raw] = _reads_as_act(sentence)
    return known


def _reads_as_act(sentence: Sentence) -> bool:
    lower = sentence.lower
    if is_question(sentence.raw) or cues.WEIGHED(lower) or cues.REQUEST(lower):
        return False
    if cues.NEGATED(lower) or cues.HYPOTHETICAL(lower):
        return False
    return bool(ACTION(lower) or cues.MITIGATION(lower))


def _form(lower: str) -> float:
    """How much the sentence's own words explain: a broken state or a slip, and a link."""
    value = 0.0
    if cc.BROKEN_STATE(lower) or cc.MISTAKE(lower) or cc.GAP(lower) or cc.FAULT(lower):
        value += 1
    if cc.CAUSE_LINK(lower) or cc.CAUSE_STATED(lower) or cc.LOCATED(lower) or cc.CONCLUSION(lower):
        value += 1
    if cc.HEDGE(lower) or cues.HYPOTHETICAL(lower):
        value -= 1.5
    return value


def shaped_causes(chat: Chat, skip_ids: set[int], ruled: RuledOut) -> list[ShapedCause]:
    """Every statement with its score, best first (ties: the later one)."""
    human = _human(chat, skip_ids)
    if not human:
        return []
    messages = chat.messages
    frequency: Counter[str] = Counter()
    words_of: dict[int, set[str]] = {}
    for n in human:
        words_of[n] = content_words(messages[n].text) - _GENERIC
        frequency.update(words_of[n])
    acted: dict[int, list[set[str]]] = {}
    for n in human:
        acted[n] = [
            content_words(s.raw) - _GENERIC for s in chat.sentences(messages[n]) if _acts(s)
        ]
    order = {n: k for k, n in enumerate(human)}
    opening = opening_report(chat, skip_ids)
    scored: list[ShapedCause] = []
    for n in human:
        message = messages[n]
        if message.id in opening:
            continue  # the report that opens the chat tells what broke, not why
        sentences = [s for s in chat.sentences(message) if _states(s, ruled)]
        if not sentences:
            continue
        # what the messages around this one say is the same for each of its sentences
        k = order[n]
        later = human[k : k + _WINDOW + 1]
        taken_up = False
        for m in human[k + 1 : k + 1 + _REPLY_WINDOW]:
            reply = messages[m]
            first = next((s for s in chat.sentences(reply) if s.raw.strip()), None)
            if reply.author != message.author and first and TAKEN_UP(first.lower):
                taken_up = True
                break
        answers_why = False
        if k > 0:
            asked = messages[human[k - 1]]
            why = [s for s in chat.sentences(asked) if is_question(s.raw)]
            if asked.author != message.author and any(cc.WHY_QUESTION(s.lower) for s in why):
                answers_why = True  # the answer to "why ...?", not the "no" to "could it be ...?"
        acted_later = [words for m in later[1:] for words in acted[m]]
        acted_words = set().union(*acted_later)
        for sentence in sentences:
            own = content_words(sentence.raw) - _GENERIC
            value = _form(sentence.lower)
            overlap = 0.0
            if own & acted_words:  # else no action after it shares a word: no overlap
                for words in acted_later:
                    shared = own & words
                    overlap = max(overlap, sum(1 / frequency[w] for w in shared))
            value += min(2.0, 2 * overlap)
            if taken_up:
                value += 2
            if answers_why:
                value += 1
            scored.append(ShapedCause(sentence, value))
    scored.sort(key=lambda c: (c.score, c.sentence.message.id), reverse=True)
    return scored
