"""The clock times of a claim against the chat (a hard check).

A time is borne out by a cited message when it is that message's own time or any time written in
its text (12- or 24-hour, "since 13:58", "the 2:55 PM deploy", either end of "14:02-14:10"). When
no cited message holds it:
- a cited message clearly about the event (half its known words) puts the event at another time:
  *contradicted*, naming that message and what it says, unless a message next to it at the
  claimed time speaks of the event too (then only a soft flag: the citation is off by one);
- without such a citation, the message that reports the event best is at another time and fits
  clearly better than anything at the claimed time: *contradicted* ("09:19 Rollback started" when
  the rollback starts at 09:18 and 09:19 only says it is half done). Not when that message
  gives the claimed time itself, sits at another time the claim states, or is within a minute of
  the claimed time, nor when a message at (or writing) the claimed time shares a word with the
  claim: a paraphrase of that message is no wrong time (`_rival_places_elsewhere`);
- the time is nowhere in the chat, neither a message's time nor written in one: *unsupported*;
- it is a time of the chat, but nothing at it clearly reports the event: a soft flag.
A time borne out only by a message that a later one corrects ("correction, the deploy finished
10:31") is *contradicted* by the correction (see `corrections`).
A done claim at the time of a cited message that only asks for the work ("Pavel please expand
the volume"), while a later cited message reports it done with the claim's own verb at another
time, is *contradicted* (`_done_later`): a request's time is not when the work was done.
Ends of a range only need to be times of the chat.
"""

from __future__ import annotations

import re

from app.models import hhmm
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.corrections import corrected_time
from app.verify.mood import is_past_form
from app.verify.quantities import figures
from app.verify.source import MessageDoc, anchor_words
from app.verify.text import GENERIC, content_stems, stem, words
from app.verify.times import WrittenTime, time_ranges

# A message is about an event when it has this share of the event's words the chat uses.
EVENT_OVERLAP = 0.34
# ...and clearly reports it (enough to contradict a time) from this share.
EVENT_MATCH = 0.5
# A rival report must fit this much better than anything at the claimed time to contradict it.
RIVAL_MARGIN = 0.34
# A message this close to a cited one may hold the time when the citation is off by a message.
NEAR_CITED = 2
# An uncited claim's time is contradicted only when this many of its event words are known.
UNCITED_EVENT_WORDS = 2
_CLAUSE_BREAK = re.compile(r"[,;]|\b(?:and|while|but|because|so|then|after which|before)\b")


def _clause_of(ctx: ClaimContext, written: WrittenTime) -> str:
    """The part of the claim a time belongs to ("Omar switched signing back at 2:16 PM" of
    "..., and Kwame purged the CDN at 2:18 PM")."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(ctx.text):
        if match.end() <= written.start:
            start = match.end()
        elif match.start() >= written.end:
            return ctx.text[start : match.start()]
    return ctx.text[start:]


def _event_words(ctx: ClaimContext, written: WrittenTime) -> frozenset[str]:
    """The known words a time in the claim is about: the words of its own part of the claim
    ("09:18: rollback started"; "Omar switched signing back to k-2025q2 at 2:16 PM"), or the
    phrase around it when that part is short, plus the claim's figures."""
    clause = frozenset(content_stems(_clause_of(ctx, written))) - GENERIC - ctx.name_stems
    words = clause if len(clause) >= 2 else ctx.content
    lead = ctx.text[: written.start].strip(" *_([|").lower()
    if lead and lead not in {"at", "on", "by", "around", "about", "since", "from"}:
        anchor = anchor_words(ctx.text, written.start, written.end) - GENERIC - ctx.name_stems
        if len(anchor & words) >= 2:
            words = anchor & words
    known = frozenset(w for w in words if ctx.source.known(w))
    return known | frozenset(f.key for f in ctx.figures if ctx.source.known(f.key))


def _score(event: frozenset[str], doc: MessageDoc) -> float:
    return overlap(set(event), set(doc.stems)) if event else 1.0


_FINISHED = frozenset(stem(w) for w in "finished completed complete done".split())


def _under_way_only(doc: MessageDoc, event: frozenset[str]) -> bool:
    """True when the clauses of a message that speak of the event have it planned or under
    way ("Rolling back to v3.8.0 now.")."""
    about = [c for c in doc.clauses if event & c.stems]
    return bool(about) and all(c.general_mood() in ("planned", "progress") for c in about)


def _planned_only(doc: MessageDoc) -> bool:
    return bool(doc.clauses) and all(c.general_mood() == "planned" for c in doc.clauses)


def _at_time(
    ctx: ClaimContext, values: tuple[str, ...], event: frozenset[str]
) -> tuple[float, int | None]:
    """The best message at one of `values` (or writing it beside the event's words) and its
    score; a message there by a person the claim names counts as about the event."""
    best: tuple[float, int | None] = (0.0, None)
    done = bool(ctx.claims_done)
    finished = bool(ctx.facts.stems & _FINISHED) and not ctx.facts.planned
    people = set(ctx.people)
    for value in values:
        for message_id in ctx.source.at_time(value):
            doc = ctx.source.docs[message_id]
            if done and _planned_only(doc):
                continue  # "I'll restart the consumers" is not when they were restarted
            if finished and _under_way_only(doc, event):
                continue  # "Rolling back now" is not when the rollback finished
            score = _score(event, doc)
            if doc.message.author in people and (event & doc.stems or value in doc.clock_values):
                score = max(score, EVENT_MATCH)
            if score > best[0]:
                best = (score, message_id)
        for mention in ctx.source.mentions_of(value):
            score = _score(event, ctx.source.docs[mention.message_id])
            anchor = mention.anchor
            if event and anchor and not event & anchor:
                continue  # "after the 9:10 deploy" is no time of the alert in the same message
            if event & anchor:
                score = max(score, EVENT_OVERLAP)  # written next to the event's own words
            elif score < EVENT_MATCH:
                continue
            if score > best[0]:
                best = (score, mention.message_id)
    return best


def _rival(
    ctx: ClaimContext, values: tuple[str, ...], event: frozenset[str]
) -> tuple[float, MessageDoc] | None:
    """The message that reports the event best at a time other than `values`."""
    done = bool(ctx.claims_done)
    found: list[tuple[float, MessageDoc]] = []
    for doc, score in ctx.search_event(event, k=6):
        if not doc.message.time or _gives(doc, values, event):
            continue
        if done and _planned_only(doc):
            continue
        found.append((score, doc))
    if not found:
        return None
    # Of the reports that fit about as well as the best, the first: when the event happened.
    top = max(score for score, _ in found)
    close = [(s, d) for s, d in found if s >= top - 0.1]
    return min(close, key=lambda pair: ctx.source.positions[pair[1].message.id])


def _gives(doc: MessageDoc, values: tuple[str, ...], event: frozenset[str]) -> bool:
    """True when the message is at one of `values`, or writes one beside the event's words (a
    message at 09:14 that mentions "the 9:10 deploy" does not give 09:10 to the alert)."""
    if doc.message.time and hhmm(doc.message.time) in values:
        return True
    return any(
        t.value in values or set(t.values) & set(values)
        for t in doc.times
        if not anchor_words(doc.message.text, t.start, t.end)
        or event & anchor_words(doc.message.text, t.start, t.end)
    )


def _minute_of_day(value: str) -> int:
    return int(value[:2]) * 60 + int(value[3:5])


def _at_or_writing(ctx: ClaimContext, values: tuple[str, ...]) -> list[MessageDoc]:
    there = [ctx.source.docs[i] for v in values for i in ctx.source.at_time(v)]
    there += [ctx.source.docs[m.message_id] for v in values for m in ctx.source.mentions_of(v)]
    return there


def _pinned_elsewhere(ctx: ClaimContext, written: WrittenTime, rival: MessageDoc) -> bool:
    """True when a hard fact of the time's own part of the claim ties it to the rival report
    and to nothing at the claimed time: its figures ("back to 99.8% at 03:30"), or the person
    it says acted ("Lena found ... at 14:05": the rival is Lena's message, and nobody at the
    claimed time is Lena or names her)."""
    values = written.values
    there = [d for d in _at_or_writing(ctx, values) if d is not rival]
    mine = [f for f in figures(_clause_of(ctx, written)) if not f.vague and f.kind != "date"]
    if (
        mine
        and all(any(f.same(g) for g in rival.figures) for f in mine)
        and not any(f.same(g) for f in mine for d in there for g in d.figures)
    ):
        return True
    actor = rival.message.author
    if actor is None or actor not in ctx.people:
        return False
    return not any(
        d.message.author == actor or actor in ctx.source.people.names_in(d.message.text)
        for d in there
    )


def _rival_places_elsewhere(
    ctx: ClaimContext, values: tuple[str, ...], rival: MessageDoc, *, pinned: bool = False
) -> bool:
    """True when the best report of the event really puts it at another time than `values`.

    A message that writes the claimed time cannot place the event elsewhere: it may well report
    the event in other words ("4.9.0 went live at 8:30" for "released in full at 08:30"),
    unless it writes that time only as the point something came after or before ("alerts ...
    after the 9:10 AM deployment" are not at 09:10); nor can one at another time the claim
    states ("08:09 The 22:30 firewall
    change was suspected": 08:09 is the suspicion, not the change), or one within a minute of the
    claimed time (timestamps have minute resolution, and a report often follows the event by a
    minute). And when a message at (or writing) the claimed time shares a content word with the
    claim, the claim may paraphrase that message: only a soft signal (unless the claim says it
    was done and that message only plans it). The last two do not hold when a figure or the
    actor of the claim pins it to the rival (`_pinned_elsewhere`).
    """
    if rival.message.time is not None and hhmm(rival.message.time) in values:
        return False
    written = [t for t in rival.times if set(t.values) & set(values)]
    if any(not _reference_point(rival.message.text, t) for t in written):
        return False
    own = {v for t in ctx.times for v in t.values} - set(values)
    if own & rival.clock_values:
        return False
    if pinned:
        return True  # a figure or the actor ties the claim to the rival, not to the time
    if rival.message.time is not None:
        posted = _minute_of_day(hhmm(rival.message.time))
        for value in values:
            apart = abs(posted - _minute_of_day(value))
            if min(apart, 1440 - apart) <= 1:
                return False
    known = frozenset(w for w in ctx.content if ctx.source.known(w))
    there = [d for d in _at_or_writing(ctx, values) if d is not rival]
    if ctx.claims_done:  # "I'll restart the consumers" is not when they were restarted
        there = [d for d in there if not _planned_only(d)]
    if ctx.facts.stems & _FINISHED and not ctx.facts.planned:  # "Rolling back now"
        there = [d for d in there if not _under_way_only(d, known)]
    return not any(known & d.stems for d in there)


_REFERENCE = frozenset({"after", "before", "following", "post", "prior"})


def _reference_point(text: str, written: WrittenTime) -> bool:
    """True when a time is written as the point something else came after or before ("after
    the 9:10 AM deployment", "before the 14:00 cutover"): it is not the time of what the
    message reports."""
    before = text[max(0, written.start - 24) : written.start].lower().split()
    while before and before[-1] in {"the", "a", "our", "their", "its", "~", "about", "around"}:
        before.pop()
    return bool(before) and before[-1] in _REFERENCE


# The claim's event is what another written time of the message is about from this many words.
OTHER_EVENT_WORDS = 2


def _given_to_another_event(
    ctx: ClaimContext, written: WrittenTime, holder: MessageDoc
) -> CheckResult | None:
    """The cited message writes the claimed time, but for something else: "started 01:00,
    enrichment step from 02:10 onward" for "02:10 job starts". Contradicted when the time is
    not the message's own, the stretch it stands in shares no word with the claim, and the
    stretch of another time it writes (not the claim's, not a range with it) shares two of the
    claim's event."""
    values = set(written.values)
    if holder.message.time is not None and hhmm(holder.message.time) in values:
        return None
    text = holder.message.text
    mine = [t for t in holder.times if set(t.values) & values]
    others = [t for t in holder.times if not set(t.values) & values]
    if not mine or not others:
        return None
    joined = {id(t) for pair in time_ranges(text, holder.times) for t in pair}
    if any(id(t) in joined for t in mine):
        return None  # "from 01:00 to 02:10": the event spans both
    event = _event_words(ctx, written) - ctx.name_stems
    if any(_segment_words(text, t) & (event | ctx.content) for t in mine):
        return None  # what the message says at that time shares a word with the claim
    claimed = {v for t in ctx.times for v in t.values}
    for other in others:
        if set(other.values) & claimed or id(other) in joined:
            continue
        shared = _segment_words(text, other) & event
        if len(shared) >= OTHER_EVENT_WORDS:
            return CheckResult(
                "times",
                "contradicted",
                f"the cited {holder.when()} gives {other.value} for this, and {written.value} "
                f"for something else: {text[:80]!r}",
                (holder.message.id,),
            )
    return None


_SEGMENT_BREAK = re.compile(r"[,;!?]|\.(?=[ \t\n]|$)|\n|[ \t](?:but|and|then)[ \t]")


def _segment_words(text: str, written: WrittenTime) -> frozenset[str]:
    """The content words of the stretch of a message a written time stands in: between the
    punctuation, "but", "and" or "then" around it ("the task was stuck since ~02:10")."""
    start = max((m.end() for m in _SEGMENT_BREAK.finditer(text, 0, written.start)), default=0)
    after = _SEGMENT_BREAK.search(text, written.end)
    return frozenset(content_stems(text[start : after.start() if after else len(text)]))


# A claim with one of these words reports a request, not the work.
_ASKING = frozenset(stem(w) for w in "ask asks asked request requested told tells wants".split())
# A message that asks someone to act: "please", "pls", "can you", "could you".
_REQUEST = re.compile(r"\b(?:please|pls|plz|(?:can|could|would)[ \t]++you)\b", re.IGNORECASE)


def _asks_only(doc: MessageDoc, event: frozenset[str]) -> bool:
    """True when the message asks for the event or plans it and reports none of it done: every
    clause that speaks of it is planned ("we'll restart it"), or the message asks someone
    ("Pavel please expand the volume", "can you restart it?")."""
    about = [c for c in doc.clauses if event & c.stems]
    if not about or any(c.general_mood() == "done" for c in about):
        return False
    return all(c.general_mood() == "planned" for c in about) or bool(
        _REQUEST.search(doc.message.text)
    )


def _reports_done(doc: MessageDoc, verbs: frozenset[str]) -> bool:
    """True when the message writes one of the claim's verbs in a past form ("volume expanded",
    "paused in the console")."""
    return any(w.stem in verbs and is_past_form(w.raw) for w in words(doc.message.text))


def _done_later(ctx: ClaimContext, written: WrittenTime, holder: MessageDoc) -> CheckResult | None:
    """A claim that something was done, at the time of a cited message that only asks for it,
    while a later cited message, at another time, reports it done with the claim's own verb:
    *contradicted* ("Pavel expanded the volume at 10:06" citing "10:06 Pavel please expand the
    volume" and "10:09 volume expanded at 10:08"): a request's time is not when the work was
    done. Both messages are the claim's own citations and speak of its event, so the subject
    and the predicate are the same."""
    if ctx.facts.planned or ctx.content & _ASKING:
        return None  # "Karl asked for the volume to be expanded" reports the request
    written_past = {w.stem for w in words(ctx.text) if is_past_form(w.raw)}
    verbs = frozenset(ctx.claims_done | ctx.facts.past | written_past)
    if not verbs:
        return None
    event = _event_words(ctx, written)
    if len(event) < 2 or _score(event, holder) < EVENT_MATCH or not _asks_only(holder, event):
        return None
    values = set(written.values)
    start = ctx.source.positions.get(holder.message.id, 0)
    for doc in ctx.cited_docs:
        if doc is holder or ctx.source.positions.get(doc.message.id, 0) <= start:
            continue
        if values & doc.clock_values or not doc.message.time:
            continue
        if event & verbs & doc.stems and _reports_done(doc, verbs):
            return CheckResult(
                "times",
                "contradicted",
                f"the cited {holder.when()} only asks for this; the cited {doc.when()} reports "
                f"it done: {doc.message.text[:80]!r}",
                (doc.message.id, holder.message.id),
            )
    return None


def _not_at(value: str, doc: MessageDoc) -> str:
    """Why a claimed time is not the cited message's: "09:48 is neither the time of the cited m9
    (09:18) nor one it writes (09:00)"."""
    written = sorted({t.value for t in doc.times})
    if not written:
        return f"{value} is not the time of the cited {doc.when()}"
    writes = ", ".join(written)
    return f"{value} is neither the time of the cited {doc.when()} nor one it writes ({writes})"


def _near_cited(ctx: ClaimContext, values: tuple[str, ...], event: frozenset[str]) -> int | None:
    """A message next to a cited one, at one of `values` or writing it, about the event."""
    for doc in ctx.cited_docs:
        for neighbour in ctx.source.neighbours(doc.message.id, NEAR_CITED):
            other = ctx.source.docs[neighbour]
            if (
                any(v in other.clock_values for v in values)
                and _score(event, other) >= EVENT_OVERLAP
            ):
                return neighbour
    return None


def _one_time(ctx: ClaimContext, written: WrittenTime) -> CheckResult:
    result = _one_time_as_said(ctx, written)
    if result.outcome not in ("pass", "flag") or not result.evidence:
        return result
    holders = [ctx.source.docs[i] for i in result.evidence if i in ctx.source.docs]
    holders = [d for d in holders if set(written.values) & d.clock_values]
    words = _event_words(ctx, written) | ctx.content
    fix = corrected_time(ctx.source, holders, written.values, words)
    if fix is None:
        return result
    return CheckResult(
        "times",
        "contradicted",
        f"{fix.earlier.when()} gives {written.value}, but {fix.doc.when()} corrects it to "
        f"{fix.said}: {fix.doc.message.text[:80]!r}",
        (fix.doc.message.id,),
    )


def _one_time_as_said(ctx: ClaimContext, written: WrittenTime) -> CheckResult:
    values = written.values
    value = written.value
    source = ctx.source
    holder = next((d for d in ctx.cited_docs if any(v in d.clock_values for v in values)), None)
    if holder is not None:  # the cited message's own time, or any time written in it
        elsewhere = _given_to_another_event(ctx, written, holder) or _done_later(
            ctx, written, holder
        )
        if elsewhere is not None:
            return elsewhere
        return CheckResult("times", "pass", f"{holder.when()} gives {value}", (holder.message.id,))
    event = _event_words(ctx, written)
    about = [(d, _score(event, d)) for d in ctx.cited_docs if d.clock_values]
    about = [(d, s) for d, s in about if s >= EVENT_MATCH and (len(event) >= 2 or not event)]
    if about:
        near = _near_cited(ctx, values, event)
        doc = max(about, key=lambda pair: pair[1])[0]
        if near is not None:
            return CheckResult(
                "times",
                "flag",
                f"the cited {doc.when()} does not give {value}; m{near} next to it does",
                (near, doc.message.id),
            )
        return CheckResult("times", "contradicted", _not_at(value, doc), (doc.message.id,))
    at_score, at_id = _at_time(ctx, values, event)
    rival = _rival(ctx, values, event) if len(event) >= 2 else None
    clearly_better = rival is not None and rival[0] - at_score >= RIVAL_MARGIN
    pinned = rival is not None and _pinned_elsewhere(ctx, written, rival[1])
    if (
        rival is not None
        and clearly_better
        and rival[0] >= EVENT_MATCH
        and (at_score == 0 or pinned)
        and len(event) >= UNCITED_EVENT_WORDS
        and _rival_places_elsewhere(ctx, values, rival[1], pinned=pinned)
    ):
        return CheckResult(
            "times",
            "contradicted",
            f"the chat puts this at {rival[1].when()}, not {value}",
            (rival[1].message.id,),
        )
    if at_id is not None and at_score >= EVENT_OVERLAP and not clearly_better:
        return CheckResult("times", "pass", f"m{at_id} gives {value}", (at_id,))
    if not any(source.occurs(v) for v in values):
        return CheckResult("times", "unsupported", f"no message is at or mentions {value}")
    if not event:
        return CheckResult("times", "pass", f"{value} is a time of the chat")
    better = f"; {rival[1].when()} fits it better" if rival is not None and clearly_better else ""
    return CheckResult(
        "times",
        "flag",
        f"{value} is a time of the chat, but no message at {value} clearly reports this{better}",
        tuple(i for i in (at_id, rival[1].message.id if rival else None) if i),
    )


def _range_end(ctx: ClaimContext, written: WrittenTime) -> CheckResult:
    values = written.values
    value = written.value
    holder = next((d for d in ctx.cited_docs if any(v in d.clock_values for v in values)), None)
    if holder is not None:
        return CheckResult("times", "pass", f"{holder.when()} gives {value}", (holder.message.id,))
    source = ctx.source
    for candidate in values:
        ids = source.at_time(candidate) or [m.message_id for m in source.mentions_of(candidate)]
        if ids:
            return CheckResult("times", "pass", f"{value} is a time of the chat", (ids[0],))
    return CheckResult(
        "times", "unsupported", f"{value} is neither the time of a message nor written in the chat"
    )


def check_times(ctx: ClaimContext) -> CheckResult:
    """Every clock time of the claim matches the chat (see the module docstring)."""
    if not ctx.times:
        return CheckResult("times", "skip")
    ends = {id(t) for pair in ctx.ranges for t in pair}
    passed: list[int] = []
    flags: list[CheckResult] = []
    for written in ctx.times:
        result = _range_end(ctx, written) if id(written) in ends else _one_time(ctx, written)
        if result.outcome in ("contradicted", "unsupported"):
            return result
        if result.outcome == "flag":
            flags.append(result)
        passed.extend(result.evidence)
    if flags:
        return flags[0]
    return CheckResult("times", "pass", "its times match the chat", tuple(dict.fromkeys(passed)))
