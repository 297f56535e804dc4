"""Detection: the first signal of user impact or alerting.

A signal is an alert or page that fires, a report from customers or support, or a statement of
user impact ("checkout errors at 45% for all users"), said as something happening, not planned,
asked for or denied: "Dev, can you set up the alert for 3?" and "nobody got paged" are no
detection. A message from a monitoring bot is an alert. In a busy channel the first signal that
belongs to the incident wins (see `first_detection`). An alert the chat later says fired earlier
("the disk warning fired at 13:47, nobody looked") is the first signal, at the time written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.engines.extractive import cause_cues as cc
from app.engines.extractive import cues, memo
from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.events import AT_TIME, Event, event, reports, written_earlier
from app.engines.extractive.impact import IMPACT_CONTEXT, states_impact
from app.engines.extractive.owners import claims
from app.engines.extractive.text import content_words, is_question, tidy
from app.models import Message


def bot_alert(sentence: Sentence) -> bool:
    """A monitoring bot's message that reports trouble: whatever its words, unless it announces
    a change (a deploy), a recovery, a success or a message sent."""
    if not cues.MONITOR_AUTHOR((sentence.message.author or "").lower()):
        return False
    lower = sentence.lower
    return not (
        cues.TRIGGER(lower)
        or cues.ALERT_RESOLVED(lower)
        or cues.RECOVERY(lower)
        or cues.BOT_NOTICE(lower)
        or cues.COMMUNICATION(lower)
    )


# a message opening with an alarm sign ("🚨 possible credential leak, keep it in this thread
# pls") raises the alarm, whatever else its line asks
_ALARM_SIGN = re.compile(r"^[\s>*_]{0,3}+(?:⚠|🚨|🔴|❗|:rotating_light:|:warning:|:red_circle:)")
_ASKED = 4  # content words a question needs to be an alert quoted with a puzzled "??"


# `_signal` reads the sentence's words, its author's name and whether it opens its message (an
# alarm sign counts there), nothing else
_SIGNALS: dict[tuple[str, str | None, bool], bool] = memo.table()


def _signal(sentence: Sentence) -> bool:
    key = (sentence.raw, sentence.message.author, sentence.index == 0)
    known = _SIGNALS.get(key)
    if known is None:
        known = _SIGNALS[key] = _reads_as_signal(sentence)
    return known


def _reads_as_signal(sentence: Sentence) -> bool:
    lower = sentence.lower
    # a bot's message is an alert when it reports trouble, not when it announces a deploy
    alert = cues.ALERTING(lower) or bot_alert(sentence)
    if cues.ALERT_RESOLVED(lower):
        return False
    trouble = cues.USER_REPORT(lower) or cues.TROUBLE_ABROAD(lower) or states_impact(sentence)
    if not (alert or trouble):
        return False
    if claims(lower) or cues.FOLLOW_UP(lower):
        return False  # "Alert mache ich heute", "I'll take the alert one": work taken, no signal
    if is_question(sentence.raw) and not (alert and len(content_words(sentence.raw)) >= _ASKED):
        return False  # "users affected?", "anything in the alerts?" ask; an alert quoted with a
        # puzzled "??" still counts
    if _ALARM_SIGN.match(lower) and sentence.index == 0 and not cues.FOLLOW_UP(lower):
        return True
    return reports(sentence)


@dataclass(frozen=True)
class Detection:
    """The first live signal (events are read from it on) and the first signal by time."""

    live: Event
    first: Event


# How far before the incident's first relevant signal an unrelated-looking one may come and
# still open it (the page that starts an incident often names neither service nor cause).
OPENING_BURST = 20
_GENERIC_WORDS = content_words(
    "error errors rate users user customers customer alert alerts firing paged page prod "
    "production seeing issue issues problem failing failed fail down service services api app "
    "web server worker workers db cluster svc"
)


def first_detection(
    chat: Chat, skip_ids: set[int], focus_words: set[str], cause: Message | None = None
) -> Detection | None:
    """The first alert, page, customer report or statement of user impact that belongs to the
    incident: one sharing words with the affected service, the impact or the root cause, or
    at most `OPENING_BURST` messages before the message where the cause was found (`cause`),
    or one that comes at most `OPENING_BURST` messages before such a signal (a busy channel
    has unrelated alerts and questions long before the incident)."""
    found: list[list[Sentence]] = []
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        kept = [s for s in chat.sentences(message) if s.text and _signal(s)]
        if kept:
            found.append(kept)
    acked = _acknowledged(chat, skip_ids)
    if acked:
        have = {s[0].message.id for s in found}
        found += [s for s in acked if s[0].message.id not in have]
        found.sort(key=lambda s: chat.position(s[0].message))
    if not found:
        return None
    wanted = focus_words - _GENERIC_WORDS
    found_at = chat.position(cause) if cause is not None else -1

    def belongs(signal: list[Sentence]) -> bool:
        if wanted & content_words(signal[0].message.text):
            return True
        # the cause was found right after it: the signal the team was working on
        here = chat.position(signal[0].message)
        return 0 <= found_at - here <= OPENING_BURST

    relevant = [n for n, s in enumerate(found) if belongs(s)]
    chosen = found[0]
    if relevant:
        first_relevant = found[relevant[0]]
        gap = chat.position(first_relevant[0].message) - chat.position(chosen[0].message)
        if gap > OPENING_BURST:
            burst = [
                s
                for s in found[: relevant[0]]
                if chat.position(first_relevant[0].message) - chat.position(s[0].message)
                <= OPENING_BURST
            ]
            chosen = burst[0] if burst else first_relevant
    live = event("detection", chosen)
    first = _stated_alert(chat, skip_ids, live) or live
    return Detection(live, first)


_ACK_WINDOW = 4  # messages before an acknowledgment that it may take up


def _trouble(sentence: Sentence) -> bool:
    """A statement of something wrong, in any words the chat uses for it."""
    lower = sentence.lower
    if is_question(sentence.raw) or not reports(sentence):
        return False
    return bool(
        IMPACT_CONTEXT(lower)
        or cc.BROKEN_STATE(lower)
        or cues.USER_REPORT(lower)
        or cues.TROUBLE_ABROAD(lower)
        or cues.ALERTING(lower)
        or bot_alert(sentence)
    )


def _acknowledged(chat: Chat, skip_ids: set[int]) -> list[list[Sentence]]:
    """What the chat's first acknowledgment ("ack", "looking", "on it") takes up: the
    statements of trouble by others in the few messages before it. A report is a signal
    because a responder answered it, whatever words it was written in."""
    for here, message in enumerate(chat.messages):
        if message.id in skip_ids:
            continue
        if not any(cues.ACKNOWLEDGMENT(s.lower) for s in chat.sentences(message)):
            continue
        before = chat.messages[max(0, here - _ACK_WINDOW) : here]
        taken = []
        for earlier in before:
            if earlier.author == message.author or earlier.id in skip_ids:
                continue
            kept = [s for s in chat.sentences(earlier) if s.text and _trouble(s)]
            if kept:
                taken.append(kept)
        if taken:
            return taken
    return []


def _planned(lower: str) -> bool:
    return bool(
        cues.FUTURE(lower)
        or cues.REQUEST(lower)
        or cues.CAPABILITY(lower)
        or cues.HYPOTHETICAL(lower)
        or cues.FOLLOW_UP(lower)
    )


def _stated_alert(chat: Chat, skip_ids: set[int], live: Event) -> Event | None:
    """An alert a message says fired at a written time earlier than the live detection."""
    if live.seconds is None:
        return None
    for message in chat.messages:
        if message.id in skip_ids or message.id <= live.message.id:
            continue
        for sentence in chat.sentences(message):
            if not cues.ALERTING(sentence.lower) or is_question(sentence.raw):
                continue
            if _planned(sentence.lower):
                continue  # "the alert should fire at 13:40"; "nobody looked" still fired
            match = AT_TIME.search(sentence.raw)
            if match is None:
                continue
            earlier = written_earlier(message, match["time"])
            if earlier is not None and earlier[1] < live.seconds:
                time, seconds = earlier
                return Event("detection", message, time, tidy(sentence.text), seconds, "stated")
    return None
