"""Detection: the first signal of user impact or alerting.

A signal is an alert or page that fires, a report from customers or support, or a statement of
user impact ("checkout errors at 45% for all users"), said as something happening, not planned,
asked for or denied: "Dev, can you set up the alert for 3?" and "nobody got paged" are no
detection. A message from a monitoring bot is an alert. In a busy channel the first signal that
belongs to the incident wins (see `first_detection`). An alert the chat later says fired earlier
("the disk warning fired at 13:47, nobody looked") is the first signal, at the time written.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.engines.extractive import cues
from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.events import AT_TIME, Event, event, reports, written_earlier
from app.engines.extractive.impact import IMPACT_CONTEXT, states_impact
from app.engines.extractive.text import content_words, is_question, tidy


def _signal(sentence: Sentence) -> bool:
    lower = sentence.lower
    bot = cues.MONITOR_AUTHOR((sentence.message.author or "").lower())
    # a bot's message is an alert when it reports trouble, not when it announces a deploy
    alert = cues.ALERTING(lower) or (bot and IMPACT_CONTEXT(lower) and not cues.TRIGGER(lower))
    if cues.ALERT_RESOLVED(lower):
        return False
    if not (alert or cues.USER_REPORT(lower) or states_impact(sentence)):
        return False
    if is_question(sentence.raw) and not alert:
        return False  # "users affected?" asks; an alert quoted with a puzzled "??" still counts
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


def first_detection(chat: Chat, skip_ids: set[int], focus_words: set[str]) -> Detection | None:
    """The first alert, page, customer report or statement of user impact that belongs to the
    incident: one sharing words with the affected service, the impact or the root cause, or
    one that comes at most `OPENING_BURST` messages before such a signal (a busy channel has
    unrelated alerts and questions long before the incident)."""
    found: list[list[Sentence]] = []
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        kept = [s for s in chat.sentences(message) if s.text and _signal(s)]
        if kept:
            found.append(kept)
    if not found:
        return None
    wanted = focus_words - _GENERIC_WORDS
    relevant = [n for n, s in enumerate(found) if wanted & content_words(s[0].message.text)]
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
