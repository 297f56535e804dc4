"""Key incident events, one per message at most, bounded however long the chat is.

From the detection on: per kind of mitigation, when it started and when it was done; the first
recovery (and the first full one); messages to customers or support; the diagnosis; the first
investigation step; and the change that triggered it all, before the first mitigation. Events
are found in untimed chats too (detection and resolution use them), but only timed events reach
the timeline.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.engines.extractive import cause_cues as cc
from app.engines.extractive import cues
from app.engines.extractive.cause_shape import reports_action, shaped_causes
from app.engines.extractive.chat import Chat, Finding, Sentence, clock, own_words
from app.engines.extractive.corrections import RuledOut
from app.engines.extractive.detection import Detection, bot_alert
from app.engines.extractive.events import (
    AFTER_TIME,
    CUE_AT_TIME,
    TIME_BEFORE_CUE,
    WRITTEN_TIME,
    Event,
    event,
    matching,
    part_of_a_quote,
    widened,
    written_earlier,
)
from app.engines.extractive.stated import stated_events, states_earlier_time
from app.engines.extractive.text import (
    content_words,
    is_list_line,
    is_question,
    join_sentences,
    split_sentences,
    strip_bullet,
)
from app.fold import word_key
from app.models import Message, TimelineKind, times_in_text

_BACKGROUND = re.compile(
    r"\b(?:since|after|before|during|from)\s+(?:the|a|an|this|that|last|yesterday'?s|"
    r"this morning'?s|last night'?s|[a-z]{2,20}+'s)\s+[^,.;!?]{0,40}",
    re.IGNORECASE,
)
_CAUSE_LABEL = re.compile(r"^\W{0,3}+(?:root[- ]?)?cause[*_\s]{0,3}+:")
_NOW = re.compile(r"\b(?:now|right away|starting)\b")
_CLOCK_LIKE = re.compile(r"\d{1,2}[.:]\d{2}")
_CAPS: dict[TimelineKind, int] = {"mitigation": 4, "recovery": 2, "communication": 2}
_TRIGGER_NOUN = re.compile(
    r"\b(?P<noun>deploy(?:ment)?s?|release|rollout|roll-out|migration|upgrade|config(?:uration)? "
    r"change|change|merge|push|build|version|flag flip|cutover)\b",
    re.IGNORECASE,
)

# every sentence: `matching` with it keeps the tests that do not depend on a cue (not registered
# in `cues.FAMILIES`: it is no vocabulary)
_ANY = cues.CueFamily("any", "every sentence", re.compile(""))


class _Finder:
    """Walks the chat once per kind, never giving one message two events at its own time. A
    recap ("summary so far: ...") retells earlier events, so it gives none of its own."""

    def __init__(self, chat: Chat, skip_ids: set[int]) -> None:
        self.chat = chat
        self.messages = [
            m for m in chat.messages if m.id not in skip_ids and not _sums_up(own_words(m).lower())
        ]
        self.used: set[int] = set()
        self.events: list[Event] = []
        # `matching`'s tests that do not depend on the cue, done once per message: each kind's
        # walk then only asks its cue of the sentences that report something
        # (and each distinct sentence is asked a kind's cue once, not once per message)
        self._reportable: list[tuple[Message, list[Sentence], frozenset[str]]] = []
        for message in self.messages:
            reportable = matching(chat, message, _ANY)
            if reportable:
                lowers = frozenset(s.lower for s in reportable)
                self._reportable.append((message, reportable, lowers))
        self._lowers = list(
            dict.fromkeys(s.lower for _, found, _ in self._reportable for s in found)
        )

    def candidates(self, pattern: cues.CueFamily, after: int = 0) -> list[list[Sentence]]:
        hits = {lower for lower in self._lowers if pattern(lower)}
        if not hits:
            return []
        found = []
        used = self.used
        for message, reportable, lowers in self._reportable:
            if hits.isdisjoint(lowers) or message.id < after or message.id in used:
                continue
            found.append([s for s in reportable if s.lower in hits])
        return found

    def add(self, found: Event) -> None:
        self.used.add(found.message.id)
        self.events.append(found)


def _affirmative(sentences: list[Sentence]) -> list[Sentence]:
    return [s for s in sentences if not cues.NEGATED(s.lower)]


def _acts(sentence: Sentence) -> bool:
    """A mitigation being done, not one weighed ("I'd roll back", "hold off on the redeploy"),
    asked for, denied ("restarts didn't help"), reported by an alert ("pod restarted 3 times")
    or named as background ("under-replicated since the rolling restart this morning")."""
    lower = _BACKGROUND.sub("", sentence.lower)
    if _CAUSE_LABEL.match(lower):
        return False  # "Cause: storage was throttled by the image job" is the diagnosis
    if cues.ALERTING(lower) or cues.MONITOR_AUTHOR((sentence.message.author or "").lower()):
        return False
    if cues.WEIGHED(lower) or cues.REQUEST(lower) or cues.NEGATED(lower):
        return False
    if cues.SYSTEM_MOTION(lower) or cues.PAST_BACKGROUND(lower):
        return False
    if cues.FUTURE(lower) and not _NOW.search(lower):
        return False  # "I'll answer them once the fix is out" is a plan, not an action
    if cues.NOBODY(lower) or cc.GAP(lower) or states_earlier_time(sentence):
        return False  # "the restore started at 02:10" happened then, and is placed then
    if not _taken(sentence):
        return False
    return cues.MITIGATION(lower)


def _taken(sentence: Sentence) -> bool:
    """Not an action weighed ("it should renew", "I can revert"), talked about ("scaling out
    makes it worse", "restarting the primary..."), listed or named in one word ("Rotate.")."""
    lower = sentence.lower
    if cues.MODAL(lower) or cues.COMMENTARY(lower) or cues.CAPABILITY(lower):
        return False
    if is_list_line(sentence.raw):
        return False
    # one word is an action done only as a past participle ("paused."), never an order
    return len(content_words(sentence.raw)) >= 2 or bool(cues.MITIGATION_DONE(lower))


def _mitigations(finder: _Finder, after: int) -> None:
    """Per kind of mitigation, when it started and when it was done; a second attempt of the
    same kind after one was done (a rollback that finally worked) is an episode of its own."""
    families: dict[tuple[str, int], dict[str, list[Sentence]]] = {}
    episodes: dict[str, int] = {}
    started: set[tuple[str, int]] = set()
    rank = {"done": 0, "start": 1, "other": 2}
    for sentences in finder.candidates(cues.MITIGATION, after):
        sentences = [s for s in sentences if _acts(s)]
        phased = [(cues.mitigation_phase(s.lower), s) for s in sentences]
        phased = [
            (p, s) for p, s in phased if p != "progress" and (p != "done" or _affirmative([s]))
        ]
        if not phased or (
            all(p != "done" for p, _ in phased)
            and _affirmative([s for s in sentences if cues.RECOVERY(s.lower)])
        ):
            continue
        phase, sentence = min(phased, key=lambda ps: rank[ps[0]])
        kind = cues.mitigation_family(sentence.lower)
        episode = episodes.setdefault(kind, 0)
        if phase != "done" and "done" in families.get((kind, episode), {}):
            episode = episodes[kind] = episode + 1
        family = families.setdefault((kind, episode), {})
        if phase == "done":
            family.setdefault("done", [sentence])
        elif "start" not in family or (phase == "start" and (kind, episode) not in started):
            family["start"] = [sentence]  # an actual start ("rolling back") beats a mention
            if phase == "start":
                started.add((kind, episode))
    for family in families.values():
        if "start" in family and "done" not in family:
            done = _reported_done(finder, family["start"][0])
            if done is not None:
                family["done"] = [done]
    chosen: list[tuple[int, str, str, list[Sentence]]] = []
    for (kind, episode), family in families.items():
        latest = episode == episodes[kind]
        for label in ("start", "done"):
            if label in family:
                chosen.append((0 if latest or label == "done" else 1, label, kind, family[label]))
    kept = sorted(chosen, key=lambda c: c[0])[: _CAPS["mitigation"]]
    for _, label, kind, sentences in kept:
        finder.add(event("mitigation", sentences, label, kind))


_DONE_WINDOW = 12  # messages after a start in which "3.8.4 is out on all pods" reports it done


def _reported_done(finder: _Finder, start: Sentence) -> Sentence | None:
    """The message by whoever started an action that reports it done without naming it again
    ("rolling back" ... "3.8.4 is out on all 8 consumer pods")."""
    chat = finder.chat
    here = chat.position(start.message)
    for message in chat.messages[here + 1 : here + 1 + _DONE_WINDOW]:
        if message.author != start.message.author or message.id in finder.used:
            continue
        for sentence in chat.sentences(message):
            lower = sentence.lower
            if not sentence.text or is_question(sentence.raw) or cues.NEGATED(lower):
                continue
            if cues.MITIGATION_DONE(lower) and not cues.MITIGATION(lower):
                return sentence
            if cues.MITIGATION(lower):
                return None  # another action: this one's outcome is not reported
    return None


def _recovering(sentences: list[Sentence]) -> list[Sentence]:
    """Recovery said of the incident, not a component checked and found fine ("LBs healthy,
    no packet loss"): no negation, no correction, no words drafted for a message ("say 'fix
    applied'"), no plan."""
    return [
        s
        for s in _affirmative(sentences)
        if not (cc.CORRECTION(s.lower) or cues.DRAFTED(s.lower) or _planned(s))
    ]


def _planned(sentence: Sentence) -> bool:
    """A recovery planned or expected ("I'll put strict-geo back at 09:00"), not seen."""
    return cues.FUTURE(sentence.lower) and not _NOW.search(sentence.lower)


def _recoveries(finder: _Finder, after: int, until: int | None) -> None:
    """The first recovery after the first action taken, and the last full recovery (before the
    resolution) when the first was partial."""
    candidates = [_recovering(s) for s in finder.candidates(cues.RECOVERY, after)]
    candidates = [s for s in candidates if s and (until is None or s[0].message.id <= until)]
    if not candidates:
        return
    finder.add(event("recovery", candidates[0]))
    if not cues.STRONG_RECOVERY(candidates[0][0].lower):
        strong = [s for s in candidates[1:] if cues.STRONG_RECOVERY(s[0].lower)]
        if strong:
            finder.add(event("recovery", strong[-1], "strong"))
    # the last step of the recovery ("all 37 VMs back", "queue drained") when it is another
    last = candidates[-1]
    if len(candidates) > 1 and last[0].message.id not in finder.used:
        finder.add(event("recovery", last, "last"))


_STEP_CAP = 5
_DONE_MARK = re.compile(
    r"\b(?:done|complete[d]?|finished|submitted|approved|published|merged|shipped|is live|"
    r"went live|applied|executed|ausgeführt|erledigt|terminé|hecho)\b|✅",
    re.IGNORECASE,
)


_QUOTED_TEXT = re.compile(r"[\"“«][^\"“”«»]{12,}+[\"”»]")  # a pasted text: an address, an email


def _step(sentence: Sentence) -> bool:
    """A sentence reporting a step the team took: it opens with the action ("set the
    full-ratio to 0.97", "paused the restore") or reports one done ("7.3.1 submitted to
    review", "salted run done"), and is no plan, request, denial or guess."""
    lower = sentence.lower
    if not sentence.text or is_question(sentence.raw) or is_alert(sentence):
        return False
    if part_of_a_quote(sentence.raw) or _QUOTED_TEXT.search(sentence.raw):
        return False  # a quoted address or email, or a piece of one, is not the speaker's step
    if cues.FUTURE(lower) and not _NOW.search(lower):
        return False
    if cues.WEIGHED(lower) or cues.REQUEST(lower) or cues.HYPOTHETICAL(lower):
        return False
    if cues.FOLLOW_UP(lower) or cues.PAST_BACKGROUND(lower) or cc.HEDGE(lower):
        return False
    if cues.NEGATED(lower) or states_earlier_time(sentence) or not _taken(sentence):
        return False
    if cues.MITIGATION_PROGRESS(lower):
        return False  # "rollback halfway done" is on its way
    done = _DONE_MARK.search(lower) and content_words(_DONE_MARK.sub(" ", lower))
    return bool(reports_action(lower) or done)


def _steps(finder: _Finder, after: int) -> None:
    """Steps the team took besides the main mitigations, a few, each saying something the
    timeline does not already say."""
    said = [content_words(e.description) for e in finder.events]
    added = 0
    for message in finder.messages:
        if added == _STEP_CAP:
            return
        if message.id < after or message.id in finder.used:
            continue
        sentences = [s for s in finder.chat.sentences(message) if _step(s)]
        if not sentences:
            continue
        words = content_words(sentences[0].raw)
        if any(len(words & other) >= 0.6 * max(1, len(words)) for other in said):
            continue
        finder.add(event("mitigation", sentences, "step"))
        said.append(words)
        added += 1


_DECISION_CAP = 2


def _decisions(finder: _Finder, after: int) -> None:
    """The course the team settled on ("decision: roll back", "go for negative IDs"), at most
    a couple: a key event even before anyone acts on it. No question, guess or plan."""
    added = 0
    for sentences in finder.candidates(cues.DECISION, after):
        sentence = sentences[0]
        lower = sentence.lower
        if is_question(sentence.raw) or cc.HEDGE(lower) or cues.FOLLOW_UP(lower):
            continue
        finder.add(event("mitigation", [sentence], "decision"))
        added += 1
        if added == _DECISION_CAP:
            return


_FINDING_CAP = 3
_FINDING_SCORE = 2.0


def _claims_a_cause(lower: str) -> bool:
    """A claim about why, not an observation: only the root cause says why."""
    return bool(
        cc.HEDGE(lower)
        or cc.CAUSE_LINK(lower)
        or cc.CAUSE_STATED(lower)
        or cc.LOCATED(lower)
        or cc.EXTERNAL(lower)
        or cc.NEW_CAUSE(lower)
        or cues.HYPOTHETICAL(lower)
    )


def _findings(finder: _Finder, after: int, ruled: RuledOut) -> None:
    """What the investigation found on the way: the statements the conversation backs most
    (see `cause_shape`), and the hypotheses it ruled out, a few of each."""
    chat = finder.chat
    skip = {m.id for m in chat.messages} - {m.id for m in finder.messages}
    added = 0
    for shaped in shaped_causes(chat, skip, ruled):
        if added == _FINDING_CAP or shaped.score < _FINDING_SCORE:
            break
        sentence = shaped.sentence
        message = sentence.message
        if message.id < after or message.id in finder.used:
            continue
        if _claims_a_cause(sentence.lower) or ruled.covers(sentence.raw, share=0.2):
            continue  # a guess or a claim of cause, or what the chat ruled out, is no finding
        if not observed(sentence):
            continue
        finder.add(event("investigation", [sentence], "finding"))
        added += 1
    _ruled_out(finder, after, ruled)


_OPTION = re.compile(r"^\W{0,3}+(?:or|either|alternatively|otherwise)\b")
_BARE_LINK = re.compile(r"^\W{0,3}+(?:https?://|www\.)\S++\W{0,3}+$")


def observed(sentence: Sentence) -> bool:
    """A finding is something seen: not a wish or plan ("I want to restart the primary"), a
    request, an option ("or weak-link it"), an earlier time ("last time it ran twice") or a
    bare link."""
    lower = sentence.lower
    if cues.MODAL(lower) or cues.FUTURE(lower) or cues.WEIGHED(lower) or cues.REQUEST(lower):
        return False
    if cues.PAST_BACKGROUND(lower) or _LAST_TIME.search(lower):
        return False
    return not (_OPTION.search(lower) or _BARE_LINK.match(sentence.raw))


_LAST_TIME = re.compile(r"\b(?:last|previous) time\b")
_RULED_CAP = 2  # hypotheses ruled out that the timeline shows
# a hypothesis named and negated at the head of its clause: "so not the driver", "not dns"
_NAMED_NOT = re.compile(
    r"(?:^|[.,;:—–]\s{0,3}+)(?:so,?\s{1,3}+|ok,?\s{1,3}+)?(?:not|wasn'?t|isn'?t)\s"
)


def _ruled_out(finder: _Finder, after: int, ruled: RuledOut) -> None:
    """The first hypotheses the team ruled out ("gpu-l4-a crashes too. so not the driver",
    "ok brokers are a red herring then"): the moment the investigation turned, in the words of
    the sentence that ruled it out and the evidence said just before it in the same message."""
    usable = {m.id for m in finder.messages}
    added = 0
    for sentence in ruled.sentences:
        message = sentence.message
        if added == _RULED_CAP:
            break
        if message.id < after or message.id in finder.used or message.id not in usable:
            continue
        if message.time is None or is_question(sentence.raw) or "?" in sentence.raw:
            continue
        if cues.MONITOR_AUTHOR((message.author or "").lower()) or cc.HEDGE(sentence.lower):
            continue
        if not (cc.DISMISSAL(sentence.lower) or _NAMED_NOT.search(sentence.lower)):
            continue  # "x is fine" checks a part; only a hypothesis named and dismissed turns
        sentences = finder.chat.sentences(message)
        before = sentences[sentence.index - 1] if sentence.index else None
        run = [before, sentence] if before is not None and before.text else [sentence]
        finder.add(event("investigation", [s for s in run if not is_question(s.raw)], "ruled out"))
        added += 1


def is_alert(sentence: Sentence) -> bool:
    """A message of a monitoring system: a bot author, or a line that opens as an alert does."""
    author = (sentence.message.author or "").lower()
    return cues.MONITOR_AUTHOR(author) or sentence.lower.lstrip().startswith(
        ("[firing", "[alert", "[critical", "[warn", "[crit", "[resolved", "alert:", "firing:")
    )


def _alerts(finder: _Finder, after: int) -> None:
    """Alerts during the incident: each firing alert (a few) and each one resolved."""
    firing = resolved = 0
    for message in finder.messages:
        if message.id < after or message.id in finder.used:
            continue
        sentences = [s for s in finder.chat.sentences(message) if s.text and is_alert(s)]
        if not sentences:
            continue
        lower = sentences[0].lower
        if cues.TRIGGER(lower) and not cues.ALERTING(lower):
            continue  # a deploy bot's notice: a change, not an alert
        if cues.ALERT_RESOLVED(lower) and resolved < 2:
            finder.add(event("recovery", sentences[:1], "alert"))
            resolved += 1
        elif (cues.ALERTING(lower) or bot_alert(sentences[0])) and firing < 3:
            finder.add(event("detection", sentences[:1], "alert"))
            firing += 1


def _communications(finder: _Finder, after: int) -> None:
    """Messages to customers or support reported sent, and the first escalations."""
    done = [
        s
        for s in finder.candidates(cues.COMMUNICATION, after)
        if cues.COMMUNICATION_DONE(s[0].lower) and not cues.REQUEST(s[0].lower)
    ]
    for sentences in done[: _CAPS["communication"]]:
        finder.add(event("communication", sentences, "done"))
    escalations = [
        s for s in finder.candidates(cues.ESCALATION, after) if not cues.FUTURE(s[0].lower)
    ]
    for sentences in escalations[:2]:
        finder.add(event("communication", sentences, "escalation"))


_VERB_NOUNS = {
    "shipped": "Release",
    "released": "Release",
    "deployed": "Deployment",
    "merged": "Merge",
    "pushed": "Push",
    "rolled out": "Rollout",
    "migrated": "Migration",
    "upgraded": "Upgrade",
    "flipped": "Flag change",
    "enabled": "Flag change",
    "bumped": "Version bump",
}
_VERB = re.compile(r"\b(?:" + "|".join(_VERB_NOUNS) + r")\b", re.IGNORECASE)
_NAMED_THING = re.compile(
    r"\b[a-z][\w]*(?:[-_.][\w]+)+\b(?:\s+v?\d+(?:\.\d+)+)?|\bv?\d+\.\d+(?:\.\d+)?\b"
)


def trigger_noun(phrase: str) -> str:
    """The change a phrase names, as a noun for a typed fact ("the 9:10 AM deployment" ->
    "Deployment", "we shipped fulfillment-consumer 3.9.0" -> "Release"); "Change" when it
    names none."""
    match = _TRIGGER_NOUN.search(phrase)
    if match:
        noun = word_key(match["noun"])
        noun = "deployment" if noun.startswith("deploy") else noun
        return noun[0].upper() + noun[1:]
    verb = _VERB.search(phrase)
    return _VERB_NOUNS[word_key(verb.group(0))] if verb else "Change"


def _changed_thing(phrase: str) -> str | None:
    """What the change was to, when the chat names it ("fulfillment-consumer 3.9.0")."""
    for match in _NAMED_THING.finditer(phrase):
        text = match.group(0)
        if not times_in_text(text) and not _CLOCK_LIKE.fullmatch(text):
            return text
    return None


def _stated_trigger(finder: _Finder, before: int) -> Event | None:
    """A trigger whose time is written in the text, earlier than the message itself. Its
    description is a typed fact ("Deployment at 9:10 AM"), since the message that names it
    was posted later and says something else."""
    for message in finder.messages:
        if message.id > before:
            break
        for sentence in finder.chat.sentences(message):
            for pattern in (AFTER_TIME, CUE_AT_TIME, TIME_BEFORE_CUE):
                match = pattern.search(sentence.raw)
                if not match or not cues.TRIGGER(match["phrase"]):
                    continue
                written = written_earlier(message, match["phrase"])
                if written is None:
                    continue
                time, seconds = written
                as_written = _written_time(match["phrase"], time)
                thing = _changed_thing(match["phrase"])
                noun = trigger_noun(match["phrase"])
                description = (
                    f"{noun} of {thing} at {as_written}" if thing else f"{noun} at {as_written}"
                )
                return Event("trigger", message, time, description, seconds, "stated")
    return None


def _written_time(phrase: str, time: str) -> str:
    """The time as the chat wrote it ("9:10 AM"), so the typed fact quotes no invented form."""
    for match in WRITTEN_TIME.finditer(phrase):
        if times_in_text(match.group(0))[:1] == [time]:
            return match.group(0)
    return time


_RETOLD = 0.35  # share of a recap's cause words an earlier message must say to be its origin


def _origin(chat: Chat, finder: _Finder, retold: Message, words: str) -> Event | None:
    """Where a cause a recap retells was first said: the earliest earlier message by a person
    that says most of its words ("recap: ... because R8 full mode stripped the signature" ...
    "full mode strips the generic signature our TypeToken needs")."""
    wanted = content_words(words)
    if len(wanted) < 4:
        return None
    scored: list[tuple[float, Message, list[Sentence]]] = []
    for message in finder.messages:
        if message.id >= retold.id:
            break
        if message.id in finder.used or cues.MONITOR_AUTHOR((message.author or "").lower()):
            continue
        sentences = [s for s in chat.sentences(message) if s.text and not is_question(s.raw)]
        if not sentences:
            continue
        shared = len(wanted & content_words(message.text)) / len(wanted)
        if shared >= _RETOLD:
            scored.append((shared, message, sentences))
    if not scored:
        return None
    best = max(share for share, _, _ in scored)
    _, message, sentences = next(c for c in scored if c[0] >= 0.8 * best)
    chosen = max(sentences, key=lambda s: len(wanted & content_words(s.raw)))
    return event("investigation", [chosen], "diagnosis")


def _sums_up(lower: str) -> bool:
    """A recap ("summary so far:") or a lead's situation report ("where we are (21:46):",
    "status 08:14 UTC - ..."): it retells events, its own time is none of theirs."""
    return bool(cues.RECAP(lower) or cc.SITUATION_REPORT(lower))


def _retells(message: Message) -> bool:
    """A recap or a summary that retells the incident ("summary:", several label lines)."""
    text = own_words(message)
    labels = sum(1 for line in text.splitlines() if _LABEL_LINE.match(line.strip()))
    return _sums_up(text.lower()) or labels >= 2


_LABEL_LINE = re.compile(r"^\W{0,3}+[\w /-]{1,25}+:\s")


def _diagnosis(chat: Chat, diagnosis: Finding, finder: _Finder) -> None:
    lead = diagnosis.lead
    message = lead.message if lead is not None else chat.transcript.message(diagnosis.evidence[0])
    if message is None or message.id in finder.used:
        return
    if _retells(message):
        origin = _origin(chat, finder, message, lead.text if lead else diagnosis.text)
        if origin is not None:
            finder.add(origin)
        return  # without its origin, a retold cause has no time of its own on the timeline
    words = lead.text if lead is not None else diagnosis.text
    description = join_sentences(split_sentences(words), limit=200)
    others = tuple(i for i in diagnosis.evidence if i != message.id)
    finder.add(
        Event(
            "investigation",
            message,
            clock(message),
            description,
            message.elapsed_seconds(),
            "diagnosis",
            also_cites=others,
        )
    )


def _trigger(finder: _Finder, anchor: int, before: int, ruled: RuledOut) -> Event | None:
    """The change that set it off: one whose time is written in the text, else the first change
    named as made, from a little before the detection up to the first action or diagnosis;
    never a guess, a plan, a denial ("we didn't deploy today") or a change the chat ruled out."""
    stated = _stated_trigger(finder, before)
    if stated is not None:
        return stated
    for sentences in finder.candidates(cues.PAST_TRIGGER, max(0, anchor - 30)):
        if sentences[0].message.id >= before:
            break
        kept = [
            s
            for s in sentences
            if not (
                cues.FUTURE(s.lower)
                or cues.NEGATED(s.lower)
                or cues.HYPOTHETICAL(s.lower)
                or cues.REQUEST(s.lower)
                or cc.HEDGE(s.lower)
                or cc.CORRECTION(s.lower)
                or ruled.covers(s.raw)
            )
        ]
        if kept:
            return event("trigger", kept)
    return None


def find_events(
    chat: Chat,
    skip_ids: set[int],
    detection: Detection | None,
    diagnosis: Finding | None,
    ruled: RuledOut | None = None,
) -> list[Event]:
    """Key events in chronological order, at most a dozen or so whatever the chat's length."""
    ruled = ruled or RuledOut()
    finder = _Finder(chat, skip_ids)
    anchor = detection.live.message.id if detection else 0
    if detection is not None:
        finder.add(detection.live)
        if detection.first is not detection.live:
            finder.events.append(detection.first)
    _alerts(finder, anchor)
    reports = [
        s
        for s in finder.candidates(cues.USER_REPORT, anchor)
        if not is_question(s[0].raw) and not cues.REQUEST(s[0].lower)
    ]
    if reports:
        finder.add(event("detection", reports[0], "report"))
    resolutions = [_affirmative(s) for s in finder.candidates(cues.RESOLUTION, anchor)]
    resolutions = [[x for x in s if not is_alert(x)] for s in resolutions]
    resolutions = [s for s in resolutions if s]
    resolved_at = resolutions[-1][0].message.id if resolutions else None
    if resolutions:
        finder.add(event("resolution", resolutions[-1]))
    _mitigations(finder, anchor)
    mitigation_ids = [e.message.id for e in finder.events if e.kind == "mitigation"]
    diagnosed_at = diagnosis.lead.message.id if diagnosis and diagnosis.lead else None
    acted = min(mitigation_ids, default=diagnosed_at or anchor)
    _recoveries(finder, acted, resolved_at)
    _communications(finder, anchor)
    if diagnosis is not None:
        _diagnosis(chat, diagnosis, finder)
    investigations = finder.candidates(cues.INVESTIGATION, anchor)
    if investigations:
        finder.add(event("investigation", investigations[0]))
    _steps(finder, anchor)
    _decisions(finder, anchor)
    _findings(finder, anchor, ruled)
    last = len(chat.transcript.messages) + 1
    before = min(min(mitigation_ids, default=last), diagnosed_at or last)
    trigger = _trigger(finder, anchor, before, ruled)
    if trigger is not None:
        finder.events.append(trigger)
    opening = max(0, chat.position(detection.live.message) - 30) if detection else 0
    nearby = [m for m in chat.messages[opening:] if m.id not in skip_ids]
    taken = [e.seconds for e in finder.events if e.seconds is not None]
    finder.events.extend(stated_events(chat, nearby, taken))
    wide = [
        w
        for w in (widened(chat, e) for e in finder.events)
        if not chatter(w.description) and not _told(chat, w)
    ]
    settled = _still_ongoing(chat, skip_ids, wide)
    return sorted(settled, key=lambda e: (e.seconds or 0, e.message.id))


_EVENT_CUES = (
    cues.TRIGGER,
    cues.MITIGATION,
    cues.RECOVERY,
    cues.RESOLUTION,
    cues.ALERTING,
    cues.USER_REPORT,
)


def _told(chat: Chat, found: Event) -> bool:
    """A row quoting words said to a participant ("Hana bring the worker back", "Lwazi you just
    pasted the key, rotate it"): an instruction or a remark to them, not an event."""
    sentences = chat.sentences(found.message)
    quoted = [sentences[i] for i in found.sentences if i < len(sentences)] or sentences
    said = [s for s in quoted if len(content_words(s.raw)) >= 2]  # past a "great." or "ok"
    return bool(said) and chat.roster.instructs(strip_bullet(said[0].raw))


def chatter(description: str) -> bool:
    """A row that is no key event: the chat tool's own notice ("📌 Pinned message", "Note added
    by ...") that carries no statement of its own or files a follow-up, words drafted for a
    message ("Say 'fix applied'"), or talk about the
    team's work ("Approved, thanks", "no blame, we all approved that PR") that names no change,
    action, recovery, alert or report."""
    lower = description.lower()
    if cues.DRAFTED(lower):
        return True  # "Say 'fix applied, recovery expected'": words for a message, not an event
    if cues.PLATFORM_NOTICE(lower):
        # a notice may carry what it is about ("📌 Pinned message · Ana. 8.12 went to 50%"),
        # unless it files a follow-up ("Follow-up created by Ana. Pin the versions")
        notice, *rest = split_sentences(description)
        return cues.FOLLOW_UP(notice.lower()) or len(content_words(" ".join(rest))) < 3
    return cues.WORK_CHATTER(lower) and not any(cue(lower) for cue in _EVENT_CUES)


def _recovered(found: Event) -> bool:
    return found.kind == "resolution" or (
        found.kind == "recovery"
        and (found.label in ("strong", "alert") or cues.STRONG_RECOVERY(found.description.lower()))
    )


def _relapsed(chat: Chat, skip_ids: set[int], after: int) -> bool:
    """A person says after message `after` that the trouble goes on or is back ("still
    failing for that issuer", "errors are back", "the incident stays open")."""
    for message in chat.messages[chat.position_of(after) + 1 :]:
        if message.id in skip_ids or cues.MONITOR_AUTHOR((message.author or "").lower()):
            continue
        for sentence in chat.sentences(message):
            lower = sentence.lower
            if is_question(sentence.raw) or cues.FOLLOW_UP(lower) or cues.HYPOTHETICAL(lower):
                continue
            if cues.STILL_ONGOING(lower) and "no longer" not in lower:
                return True
    return False


def _still_ongoing(chat: Chat, skip_ids: set[int], events: list[Event]) -> list[Event]:
    """The incident's state is the last one the chat reports. In a chat that never says the
    service is back (no resolution, no full recovery, no alert resolved), or says after it
    that the trouble goes on ("still failing", "errors are back"), an improvement is no
    recovery and a resolution no end: they are kept as events of their own kind, so no draft
    calls the incident resolved."""
    ends = [e.message.id for e in events if _recovered(e)]
    if ends and not _relapsed(chat, skip_ids, max(ends)):
        return events
    return [replace(e, kind="other") if e.kind in ("recovery", "resolution") else e for e in events]


_ENTRY_LABEL = re.compile(r"^\W{0,3}+[A-Za-z][\w -]{0,24}+:\W{0,3}+")  # "**Mitigation:** ..."
_RETELL_WINDOW = 6  # entries back in which a later one may only retell an earlier one


def _repeats(words: set[str], earlier: set[str]) -> bool:
    """Most of an entry's words already said by an earlier entry: a retelling, not an event."""
    return len(words) >= 4 and len(words & earlier) >= 0.85 * len(words)


def timeline_entries(events: list[Event]) -> list[dict[str, object]]:
    """Timeline entries for the events that have a time, one per kind and minute; untimed
    events are left out."""
    entries: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    kinds: set[tuple[object, str]] = set()
    kept: list[set[str]] = []
    for found in events:
        if found.time is None or (found.time, found.description) in seen:
            continue
        minute = found.time[:5] if found.seconds is None else found.seconds // 60
        if (minute, found.kind) in kinds:
            continue  # a second row of the same kind in the same minute retells the first
        said = _ENTRY_LABEL.sub("", found.description, count=1)
        words = {w for w in content_words(said) if not w[:1].isdigit()}
        retold = any(_repeats(words, earlier) for earlier in kept[-_RETELL_WINDOW:])
        if retold and found.label != "alert":
            continue  # "Mitigation: timeout raised 08:36" after "timeout raised" at 08:36;
            # an alert's template repeats its words each time it fires again
        seen.add((found.time, found.description))
        kinds.add((minute, found.kind))
        kept.append(words)
        entries.append(
            {
                "time": found.time,
                "description": found.description,
                "kind": found.kind,
                "evidence": found.evidence,
            }
        )
    return entries


def first_message(events: list[Event], kind: TimelineKind) -> Message | None:
    """The message of the first event of `kind`, if any."""
    return next((e.message for e in events if e.kind == kind), None)
