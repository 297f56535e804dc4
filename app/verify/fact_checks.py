"""Checks of the hard facts in a claim: clock times, figures and durations, identifiers, people.

Each check returns a `CheckResult`: `pass` with the messages that bear the fact out, `contradicted`
when the chat states a different value for the same thing, `unsupported` when the chat does not
state it at all, or `skip` when the claim has nothing of that kind.
"""

from __future__ import annotations

import re
from itertools import combinations

from app.models import clock_seconds, hhmm
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.owners import Assignment
from app.verify.quantities import Figure
from app.verify.source import MessageDoc, anchor_words
from app.verify.text import GENERIC, clauses, clock_times, content_stems

# A message "is about" an event when it shares this share of the event's words.
EVENT_OVERLAP = 0.34
# ...and is taken as *the* report of the event (to contradict a time) at this share.
EVENT_MATCH = 0.5
# A time of the chat is near messages about an event when one is this many messages away.
NEAR_MESSAGES = 3
# Computed durations may be off by this much: chat timestamps have minute resolution.
DURATION_SLACK_S = 60

_RANGE = re.compile(
    r"(?:between|from)\s+(?P<a>\S+(?:\s?[AaPp]\.?[Mm]\.?)?)\s+(?:and|to|until|till)\s+"
    r"(?P<b>\S+(?:\s?[AaPp]\.?[Mm]\.?)?)|(?P<c>\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?)"
    r"(?:\s?[-–]\s?|\s+(?:to|until|till)\s+)(?P<d>\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?)"
)


def _when(doc: MessageDoc) -> str:
    return (
        f"{hhmm(doc.message.time)} (message {doc.message.id})"
        if doc.message.time
        else (f"message {doc.message.id}")
    )


def _event_words(ctx: ClaimContext, start: int, end: int) -> frozenset[str]:
    """The words a time in the claim is about: the rest of the claim when the time leads it
    ("09:18: rollback started"), else the phrase around it ("deployment at 9:10")."""
    lead = ctx.text[:start].strip(" *_([").lower()
    full = ctx.content - {t for t in ctx.content if t[0].isdigit()}
    if not lead or lead in {"at", "on", "by", "around", "about"}:
        return frozenset(full)
    anchor = anchor_words(ctx.text, start, end) - GENERIC - ctx.name_stems
    return anchor if len(anchor) >= 2 else frozenset(full)


def check_times(ctx: ClaimContext) -> CheckResult:
    """Every clock time matches the time of a message about the same event, or a time written
    in the chat next to the same words."""
    if not ctx.times:
        return CheckResult("times", "skip")
    source = ctx.source
    in_range: set[int] = set()
    for match in _RANGE.finditer(ctx.text):
        in_range.update(range(match.start(), match.end()))
    supported: list[int] = []
    cited = set(ctx.claim.evidence or [])
    for written, start, end in ctx.times:
        if start in in_range:
            if written in source.by_time or written in source.written_times:
                ids = source.by_time.get(written, []) + [
                    w.message_id for w in source.written_times.get(written, [])
                ]
                supported.append(next((i for i in ids if i in cited), ids[0]))
                continue
            return CheckResult(
                "times",
                "unsupported",
                f"{written} is neither the time of a message nor written in the chat",
            )
        event = _event_words(ctx, start, end)
        hit = _time_support(ctx, written, event)
        if hit is not None:
            supported.append(hit)
            continue
        if not event:
            return CheckResult("times", "unsupported", f"{written} does not occur in the chat")
        cited_rival = _cited_event_time(ctx, event)
        if cited_rival is not None:
            return CheckResult(
                "times",
                "contradicted",
                f"the cited message puts this at {_when(cited_rival)}, not {written}",
                (cited_rival.message.id,),
            )
        candidates = [
            (doc, score) for doc, score in ctx.search_event(event) if score >= EVENT_OVERLAP
        ]
        best = max(candidates, key=lambda pair: pair[1], default=None)
        if best is not None and best[0].message.time and best[1] >= EVENT_MATCH - 0.17:
            return CheckResult(
                "times",
                "contradicted",
                f"the chat puts this at {_when(best[0])}, not {written}",
                (best[0].message.id,),
            )
        near = _near_the_topic(ctx, written, event)
        if near is not None:
            return CheckResult(
                "times",
                "unsettled",
                f"{written} is a time in the chat, next to messages about this, but no message "
                f"at {written} clearly reports the event",
                near,
            )
        return CheckResult(
            "times", "unsupported", f"no message about this event is at or mentions {written}"
        )
    return CheckResult("times", "pass", "times match the chat", tuple(dict.fromkeys(supported)))


def _near_the_topic(
    ctx: ClaimContext, written: str, event: frozenset[str]
) -> tuple[int, int] | None:
    """(message at or writing `written`, message about the event) when a message within
    `NEAR_MESSAGES` of the first shares a word with the event: the time is plausible, and only a
    reader (the judge) can tell whether "service restored by 09:22" is "looks like we're
    recovered" at 09:22."""
    source = ctx.source
    messages = source.transcript.messages
    at_time = source.by_time.get(written, []) + [
        w.message_id for w in source.written_times.get(written, [])
    ]
    for message_id in at_time:
        position = source.positions[message_id]
        window = messages[max(0, position - NEAR_MESSAGES) : position + NEAR_MESSAGES + 1]
        for message in window:
            if event & source.docs[message.id].stems:
                return message_id, message.id
    return None


def _cited_event_time(ctx: ClaimContext, event: frozenset[str]) -> MessageDoc | None:
    """The timed cited message most about the event, when the claim cites any."""
    scored = [
        (overlap(set(event), set(doc.stems)), doc)
        for doc in ctx.docs(list(ctx.claim.evidence or []))
        if doc.message.time
    ]
    best = max(scored, key=lambda pair: pair[0], default=None)
    return best[1] if best is not None and best[0] >= EVENT_MATCH else None


def _time_support(ctx: ClaimContext, written: str, event: frozenset[str]) -> int | None:
    """A message at `written` about the event, or one that writes `written` beside its words."""
    source = ctx.source
    best: tuple[float, int] | None = None
    for message_id in source.by_time.get(written, []):
        doc = source.docs[message_id]
        if ctx.claims_done and all(c.general_mood() == "planned" for c in doc.clauses):
            continue  # "I'll restart the consumers" is not when they were restarted
        score = overlap(set(event), set(doc.stems)) if event else 1.0
        if score >= EVENT_OVERLAP and (best is None or score > best[0]):
            best = (score, message_id)
    if best is not None:
        return best[1]
    for mention in source.written_times.get(written, []):
        if not event or event & mention.anchor:
            return mention.message_id
    return None


def _figure_messages(ctx: ClaimContext, figure: Figure) -> list[int]:
    found: list[int] = []
    for kind, value in figure.keys():
        for message_id, _ in ctx.source.search([f"#fig:{kind}:{value}"], k=50):
            found.append(message_id)
    return found


def check_figures(ctx: ClaimContext) -> CheckResult:
    """Every figure and duration agrees with the chat after normalisation (45% = 0.45,
    1.5s = 1500ms); durations may instead follow from message timestamps."""
    if not ctx.figures:
        return CheckResult("figures", "skip")
    evidence_ids = set(ctx.evidence)
    matched: list[int] = []
    span = _stated_span(ctx)
    durations = [f for f in ctx.figures if f.kind == "duration" and f.value >= 60]
    for figure in ctx.figures:
        holders = _figure_messages(ctx, figure)
        related = [
            mid
            for mid in holders
            if mid in evidence_ids or (figure.context | ctx.content) & ctx.source.docs[mid].content
        ]
        if related:
            matched.append(related[0])
            continue
        if span is not None and durations == [figure]:
            # "09:10 to 09:22, 12 minutes": the duration must be what its own range spans.
            (first, last), seconds = span
            if abs(seconds - figure.value) > DURATION_SLACK_S:
                return CheckResult(
                    "figures",
                    "contradicted",
                    f"{first} to {last} is {round(seconds / 60)} minutes, not {figure.written}",
                )
            continue
        if figure.kind == "duration" and figure.value >= 60:
            computed = _duration_from_timestamps(ctx, figure.value)
            if computed is not None:
                matched.append(computed)
                continue
        rival = _rival_figure(ctx, figure)
        if rival is not None:
            doc, other = rival
            return CheckResult(
                "figures",
                "contradicted",
                f"the chat says {other.written} ({_when(doc)}), not {figure.written}",
                (doc.message.id,),
            )
        what = "duration" if figure.kind == "duration" else "figure"
        extra = (
            "; it does not follow from the message timestamps either"
            if figure.kind == "duration" and figure.value >= 60
            else ""
        )
        return CheckResult(
            "figures", "unsupported", f"the {what} {figure.written} is not in the chat{extra}"
        )
    return CheckResult("figures", "pass", "figures match the chat", tuple(dict.fromkeys(matched)))


def _stated_span(ctx: ClaimContext) -> tuple[tuple[str, str], int] | None:
    """The claim's one range of clock times ("from 09:10 to 09:22") and the seconds it spans
    (across midnight when the end is earlier), or None unless there is exactly one."""
    found: list[tuple[tuple[str, str], int]] = []
    for match in _RANGE.finditer(ctx.text):
        ends = [t for t, _, _ in clock_times(match.group(0))]
        if len(ends) == 2:
            seconds = (clock_seconds(ends[1]) - clock_seconds(ends[0])) % 86400
            found.append(((ends[0], ends[1]), seconds))
    return found[0] if len(found) == 1 else None


def _rival_figure(ctx: ClaimContext, figure: Figure) -> tuple[MessageDoc, Figure] | None:
    """A different figure of the same kind about the same thing in the claim's evidence."""
    wanted = figure.context - GENERIC
    for doc in ctx.docs():
        for other in doc.figures:
            if other.kind != figure.kind or other.same(figure):
                continue
            if other.kind == "duration" and (other.value >= 60) != (figure.value >= 60):
                continue  # 320ms latency is no rival to "27 minutes" of impact
            if wanted & other.context or (not wanted and ctx.content & other.context):
                return doc, other
    return None


def _duration_from_timestamps(ctx: ClaimContext, seconds: float) -> int | None:
    """A message id whose timestamp, against another relevant one, spans `seconds`."""
    stamps: list[tuple[int, int]] = []  # (elapsed seconds, message id)
    for doc in ctx.docs():
        elapsed = doc.message.elapsed_seconds()
        if elapsed is not None:
            stamps.append((elapsed, doc.message.id))
        written = [clock_seconds(t) for t, _, _ in clock_times(doc.message.text)]
        stamps += [(s + doc.message.day * 86400, doc.message.id) for s in written]
    first_id = ctx.source.transcript.messages[0].id if ctx.source.transcript.messages else 0
    span = ctx.source.span_seconds
    if span is not None:
        stamps.append((span[0], first_id))
        stamps.append((span[1], ctx.source.transcript.messages[-1].id))
    stamps += [(clock_seconds(t), 0) for t, _, _ in ctx.times]
    for stated, message_id in ctx.source.stated_spans:
        if abs(stated - seconds) <= DURATION_SLACK_S:
            return message_id
    for (a, aid), (b, bid) in combinations(stamps, 2):
        if abs(abs(a - b) - seconds) <= DURATION_SLACK_S:
            return aid or bid or first_id
    return None


_IDENTIFIER = re.compile(
    r"(?<![\w.-])(?:[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)+|[A-Z][a-z]+(?:[A-Z][a-z0-9]+)+|v\d+(?:\.\d+)*)"
    r"(?![\w-])"
)
_TECH_PARTS = frozenset(
    """service svc api db gateway server cluster node worker queue cache proxy lb host pod job cron
    bucket topic consumer producer app web internal prod staging dev east west central primary
    replica io com net org local cdn redis kafka postgres mysql k8s""".split()
)
_NOT_IDS = frozenset({"e.g", "i.e", "a.m", "p.m", "etc"})
_WORDLIKE = re.compile(r"^[a-z]+(?:-[a-z]+)+$")


def identifiers(text: str) -> list[str]:
    """Service names, hostnames, versions and error class names written in `text`."""
    found: list[str] = []
    for match in _IDENTIFIER.finditer(text):
        ident = match.group(0).rstrip(".")
        lowered = ident.lower()
        if re.fullmatch(r"[\d.,:]+|\d+(?:\.\d+)?-[a-z]+", lowered) or lowered in _NOT_IDS:
            continue
        if _WORDLIKE.match(lowered) and not set(lowered.split("-")) & _TECH_PARTS:
            continue  # an English compound ("long-term", "pre-deployment")
        found.append(ident)
    return found


def _family(ident: str) -> str:
    lowered = ident.lower()
    if re.match(r"v?\d", lowered):
        return "version"
    camel: list[str] = re.findall(r"[A-Z][a-z0-9]+", ident)
    if len(camel) > 1:
        return camel[-1].lower()
    parts = [p for p in re.split(r"[-_.]", lowered) if not p.isdigit()]
    return parts[-1] if parts else lowered


def check_identifiers(ctx: ClaimContext) -> CheckResult:
    """Service names, hostnames, versions and error names in the claim occur in the chat."""
    idents = identifiers(ctx.text)
    if not idents:
        return CheckResult("identifiers", "skip")
    source = ctx.source
    for ident in idents:
        lowered = ident.lower()
        holders = (
            [d for d in source.docs.values() if lowered in d.raw_lower]
            if lowered not in source.raw_tokens
            else [None]
        )
        if holders:
            continue
        family = _family(ident)
        rest = ctx.content - frozenset(content_stems(ident.replace("-", " ").replace(".", " ")))
        rest -= {lowered}
        for doc in ctx.docs():
            if rest and overlap(set(rest), set(doc.stems)) < EVENT_OVERLAP:
                continue  # a different service in a message about something else is no rival
            for other in identifiers(doc.message.text):
                if _family(other) == family and other.lower() != lowered:
                    return CheckResult(
                        "identifiers",
                        "contradicted",
                        f"the chat names {other} ({_when(doc)}), not {ident}",
                        (doc.message.id,),
                    )
        return CheckResult("identifiers", "unsupported", f"{ident} does not occur in the chat")
    return CheckResult("identifiers", "pass", "identifiers occur in the chat")


def _segments(text: str, names: list[str]) -> dict[str, str]:
    """The words bound to each named person: from the name up to the next name or clause end."""
    bound: dict[str, str] = {}
    if not names:
        return bound
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])", re.IGNORECASE
    )
    for clause in clauses(text):
        matches = list(pattern.finditer(clause))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(clause)
            key = match.group(1).lower()
            bound[key] = bound.get(key, "") + " " + clause[match.end() : end]
    return bound


def check_people(ctx: ClaimContext) -> CheckResult:
    """People named in the claim did what the claim says: an owner is the person the chat
    assigned the work to; an actor wrote or is named in the messages about the event."""
    if not ctx.people:
        return CheckResult("people", "skip")
    owner_claim = bool(
        ctx.facts.planned
        or ctx.planned_section
        or re.search(r"\bown(?:er|s|ed)?\b|assign", ctx.text, re.IGNORECASE)
    )
    claim_segments = _segments(ctx.text, ctx.people)
    passed: list[int] = []
    for person in ctx.people:
        task = _task_words(ctx, claim_segments.get(person.lower(), ""))
        if owner_claim:
            verdict = _owner_verdict(ctx, person, task)
            if verdict is not None:
                if verdict.outcome != "pass":
                    return verdict
                passed.extend(verdict.evidence)
                continue
        verdict = _actor_verdict(ctx, person, task)
        if verdict.outcome != "pass":
            return verdict
        passed.extend(verdict.evidence)
    return CheckResult("people", "pass", "the people named match the chat", tuple(passed))


def _task_words(ctx: ClaimContext, segment: str) -> frozenset[str]:
    words_after = frozenset(content_stems(segment)) - GENERIC - ctx.name_stems
    if len(words_after) >= 2:
        return words_after
    return ctx.content


def _owner_verdict(ctx: ClaimContext, person: str, task: frozenset[str]) -> CheckResult | None:
    """Who the chat assigned the task to: in the messages the claim cites, else anywhere."""
    cited = set(ctx.claim.evidence or [])
    in_cited = [a for a in ctx.source.assignments if a.message_id in cited]
    verdict = _assigned(person, task, in_cited) if in_cited else None
    return verdict or _assigned(person, task, ctx.source.assignments)


def _assigned(
    person: str, task: frozenset[str], assignments: list[Assignment]
) -> CheckResult | None:
    best = None
    best_score = 0.0
    for assignment in assignments:
        shared = task & assignment.stems
        score = len(shared) / max(1, min(len(task), len(assignment.stems)))
        if len(shared) >= 2 or (shared and score >= 0.5):
            if score > best_score:
                best, best_score = assignment, score
    if best is None:
        return None
    owners = {
        a.owner
        for a in assignments
        if len(task & a.stems) / max(1, min(len(task), len(a.stems))) >= best_score - 1e-9
    }
    if person in owners:
        return CheckResult(
            "people", "pass", f"the chat assigned this to {person}", (best.message_id,)
        )
    named = next((a for a in assignments if a.owner is not None and a.owner in owners), None)
    if named is None:
        # Listed (often by an incident commander) but taken by no one: posting a list is not
        # owning its items.
        return CheckResult(
            "people",
            "unsupported",
            f"the chat lists this (message {best.message_id}) but assigns it to no one",
            (best.message_id,),
        )
    return CheckResult(
        "people",
        "contradicted",
        f"the chat assigned this to {named.owner} (message {named.message_id}), not {person}",
        (named.message_id,),
    )


def _actor_verdict(ctx: ClaimContext, person: str, task: frozenset[str]) -> CheckResult:
    lowered = person.lower()
    names = list(ctx.source.participants)
    top: MessageDoc | None = None
    for doc, score in ctx.search_event(task, k=6):
        if score < EVENT_OVERLAP:
            continue
        top = top or doc
        author = (doc.message.author or "").lower()
        segments = _segments(doc.message.text, names)
        if author == lowered:
            return CheckResult("people", "pass", f"{person} wrote this", (doc.message.id,))
        if lowered in segments:
            mine = overlap(set(task), set(content_stems(segments[lowered])))
            others = max(
                (
                    overlap(set(task), set(content_stems(s)))
                    for n, s in segments.items()
                    if n != lowered
                ),
                default=0.0,
            )
            if mine >= EVENT_OVERLAP or others < EVENT_OVERLAP:
                return CheckResult(
                    "people", "pass", f"the chat names {person} for this", (doc.message.id,)
                )
    if top is not None and top.message.author and top.message.author.lower() != lowered:
        return CheckResult(
            "people",
            "contradicted",
            f"the chat has {top.message.author} doing this ({_when(top)}), not {person}",
            (top.message.id,),
        )
    return CheckResult("people", "unsupported", f"{person} does not appear in messages about this")
