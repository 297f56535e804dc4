"""Events at times written in the text: "renewals started at 11:00", "errors since 5:58", a
recap line "- 04:31 ratio raised to 0.97".

People report what happened earlier by writing its time: the batch that "started at 01:00", the
restore "at 02:10" that filled the disks, the alert "since 03:41". Each such sentence places an
event at the written time, quoted in its own words, when the time is earlier than the message
(a later one is a plan or a deadline: "by 06:00", "ETA 10:30") and the sentence reports rather
than plans, asks or guesses. A time already on the timeline adds nothing.
"""

from __future__ import annotations

import re

from app.engines.extractive import cause_cues as cc
from app.engines.extractive import cues
from app.engines.extractive.chat import Chat, Sentence
from app.engines.extractive.events import Event
from app.engines.extractive.text import content_words, is_question, join_sentences
from app.models import Message, TimelineKind, clock_readings, clock_seconds

# Only forms the validators read back from the text ("11:00", "5:58", "9:00 AM", "4pm").
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?+(?:\s?[AaPp]\.?[Mm]\.?)?|\d{1,2}\s?[AaPp]\.?[Mm]\.?(?![a-z])"
# A word that says when something happened, before the time (English and a few neighbours').
_MARKED = re.compile(
    r"(?:\b(?:at|since|from|around|about|approx|started|starting|began|beginning|as of|"
    r"seit|um|ab|depuis|desde|a las|dalle|alle|vanaf|om|sinds)\s{1,3}+(?:~\s?)?|[~@]\s?|à\s)"
    rf"(?P<time>{_TIME})",
    re.IGNORECASE,
)
# A line of a hand-written timeline: "- 04:31 full ratio raised", "10:01: checkouts hang".
_LINE_TIME = re.compile(rf"^\W{{0,3}}+(?P<time>{_TIME})(?:\s?[-–—:])?\s", re.IGNORECASE)
_DEADLINE = re.compile(r"\b(?:by|before|until|till|bis|avant|antes de)\s{1,3}+$", re.IGNORECASE)
_CAP = 4
_SURE = re.compile(r"\b(?:pretty|fairly|quite) sure\b|\bi bet\b")  # a guess said with confidence
_MIN_EARLIER = 120  # seconds: a time a minute before the message is the message's own event


def _reading(message: Message, written: str) -> tuple[str, int] | None:
    """The reading of a written time that is earlier than the message: ('HH:MM', seconds since
    the first day's midnight). The afternoon reading of a bare "1:30" counts when it is the
    latest one before the message; a time later than the message is read as the day before only
    after midnight ("at 23:50", written at 00:10). A reading within a couple of minutes of the
    message is the message's own moment: no earlier event, whatever the other readings."""
    if message.time is None:
        return None
    posted = clock_seconds(message.time)
    day = message.day
    readings = sorted({r for r in clock_readings(written) if r in clock_readings(message.text)})
    past = [r for r in readings if clock_seconds(r) <= posted + _MIN_EARLIER]
    if past and clock_seconds(past[-1]) > posted - _MIN_EARLIER:
        return None  # "released at 3:41", posted 15:41: the message's own moment, not 03:41
    earlier = [r for r in readings if clock_seconds(r) <= posted - _MIN_EARLIER]
    if earlier:
        chosen = earlier[-1]
        return chosen, day * 86400 + clock_seconds(chosen)
    if day > 0 and readings:
        chosen = readings[-1]
        return chosen, (day - 1) * 86400 + clock_seconds(chosen)
    return None


# A baseline a figure is compared with ("down 11% vs same time last week"): no background event
_COMPARED = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|than|same time)\s[^,.;!?]{0,30}", re.IGNORECASE
)
# What a short sentence with a written time needs to be an event: a change, an alert, an action
# or a recovery ("promoted at 14:02 via the registry")
_HAPPENED = (cues.TRIGGER, cues.ALERTING, cues.MITIGATION, cues.RECOVERY)


def _reports(sentence: Sentence) -> bool:
    lower = sentence.lower
    if is_question(sentence.raw):
        return False
    if cues.FUTURE(lower) or cues.REQUEST(lower) or cues.HYPOTHETICAL(lower):
        return False
    if cues.FOLLOW_UP(lower) or cues.WEIGHED(lower):
        return False
    if cc.HEDGE(lower) or _SURE.search(lower) or cues.HABITUAL(lower) or cues.SPOKEN_AT(lower):
        return False  # a guess, a standing schedule or the time of a message is no event
    if cues.PAST_BACKGROUND(_COMPARED.sub(" ", lower)):
        return False
    words = len(content_words(sentence.raw))
    return words >= 3 or (words == 2 and any(f(lower) for f in _HAPPENED))


def _kind(lower: str) -> TimelineKind:
    """A change is the trigger; anything else is an event of its own ("other"): an alert or an
    action told later is not the live signal or action the drafts build on."""
    return "trigger" if cues.TRIGGER(lower) else "other"


def _written(sentence: Sentence) -> list[str]:
    raw = sentence.raw
    found = [
        m["time"]
        for m in _MARKED.finditer(raw)
        if not _DEADLINE.search(raw[max(0, m.start() - 12) : m.start()])
    ]
    line = _LINE_TIME.match(sentence.raw)
    if line:
        found.insert(0, line["time"])
    return found


def states_earlier_time(sentence: Sentence) -> bool:
    """True for a sentence that tells of something at a time earlier than its message ("the
    restore started at 02:10"): what it reports happened then, not now."""
    return any(_reading(sentence.message, w) is not None for w in _written(sentence))


def stated_events(chat: Chat, messages: list[Message], taken: list[int]) -> list[Event]:
    """Events at times written in the messages, earlier than the messages themselves, at most
    a few, none within a minute of a time in `taken` (seconds of the events already found)."""
    seen = list(taken)
    found: list[Event] = []
    for message in messages:
        for sentence in chat.sentences(message):
            if not sentence.text or not _reports(sentence):
                continue
            for written in _written(sentence):
                reading = _reading(message, written)
                if reading is None:
                    continue
                time, seconds = reading
                if any(abs(seconds - other) <= 60 for other in seen):
                    continue
                description = join_sentences([sentence.text], limit=200)
                kind = _kind(sentence.lower)
                found.append(Event(kind, message, time, description, seconds, "stated"))
                seen.append(seconds)
                break
            if len(found) == _CAP:
                return found
    return found
