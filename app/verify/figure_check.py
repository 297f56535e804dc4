"""The figures of a claim against the chat (a hard check).

A figure is borne out when a cited message, or a message about the same thing, states an equal
quantity after normalisation (45% = 0.45 = "45 percent"; 2,300 = 2.3k; "~90M rows" for "90M-row";
"roughly half" for 48%). A duration may instead follow from the claim's own range ("from 13:58 to
14:21" is 23 minutes), a range the chat writes, or message timestamps. Otherwise:
- a cited (or retrieved) message states a different quantity of the same kind about the same
  thing: *contradicted*, naming it;
- the claim's own range spans another duration: *contradicted*;
- the chat does not state the figure, and the claim rests on cited messages whose times (their
  own and those written in them) give two or more, no two of which span it: *contradicted*
  (`_cited_span`); a cited message that gives another figure of its kind beside the same word,
  where the figure is stated only in uncited messages, contradicts it too (`_cited_restates`);
- a duration the chat does not state where a cited message states another one beside the
  claim's words, and no two cited times span it: *contradicted* (`_cited_duration`), before
  any two message times are searched for it;
- a count the claim gives as the total ("in total", "overall", "final") where a later message
  gives a bigger total of the same noun: *contradicted* by it (`_superseded_total`);
- the figure is nowhere in the chat and follows from nothing: *unsupported* (an invented number,
  "thousands of transactions daily");
- the chat states it, but about something else: *contradicted* when a cited message gives
  another figure of its kind, on the same scale (`MOVED_SCALE`) or one digit from it ("1,847
  rows" for the claim's "1,874 rows"), for what the claim says it of (the figure was moved to
  the wrong subject, or misread); else a soft flag;
- the chat corrects the figure (`corrections.corrected_figure`): *contradicted* by the
  correction.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from itertools import combinations

from app.models import clock_seconds
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.corrections import corrected_figure, digits, one_digit_apart
from app.verify.quantities import APPROXIMATE_TOLERANCE, Figure
from app.verify.source import MessageDoc, SourceIndex, written_seconds
from app.verify.text import GENERIC, is_content, words
from app.verify.times import range_seconds

# Computed durations may be off by this much: chat timestamps have minute resolution.
DURATION_SLACK_S = 60
# A message says "most of what the claim says" from this share of the claim's known words.
STRONG_MATCH = 0.5


def _related(ctx: ClaimContext, figure: Figure, other: Figure, message_id: int) -> bool:
    """The chat's figure is about what the claim's is: the words around both share one, or the
    message says much of what the claim says."""
    if (figure.context - GENERIC) & other.context:
        return True
    known = frozenset(w for w in ctx.content if ctx.source.known(w))
    doc = ctx.source.docs[message_id]
    return bool(known) and overlap(set(known), set(doc.stems)) >= STRONG_MATCH


# A number written as a reference ("#2231", ".../pull/2231", "!2231") and a setting given a
# bare number ("tcp_timeout_time_wait=30", "ttl: 300"), read once per chat (`_written_forms`).
_REFERENCE = re.compile(r"[#/!](?P<value>\d{1,9}+)(?!\d)")
_SETTING = re.compile(
    r"(?<![\w.])(?P<name>[a-z][a-z0-9_.]*+)[ \t]*+[=:][ \t]*+(?P<value>\d{1,6}+)"
    r"(?![\d.]|[ \t]?+(?:ms|s|secs?|m|mins?|h|hours?|d|days?)\b)",
    re.IGNORECASE,
)
_TIME_SETTING = re.compile(r"timeout|time|ttl|wait|interval|delay|period|sec", re.IGNORECASE)
_OTHER_UNIT_SETTING = re.compile(r"ms\b|_ms|millis|_min|minutes|hours", re.IGNORECASE)
_FORMS: weakref.WeakKeyDictionary[SourceIndex, dict[tuple[str, int], int]] = (
    weakref.WeakKeyDictionary()
)


def _written_forms(source: SourceIndex) -> dict[tuple[str, int], int]:
    """("reference" | "seconds", number) -> the first message writing it so, for one chat."""
    found = _FORMS.get(source)
    if found is not None:
        return found
    found = {}
    for mid, doc in source.docs.items():
        text = doc.message.text
        if "#" in text or "/" in text or "!" in text:
            for match in _REFERENCE.finditer(text):
                found.setdefault(("reference", int(match["value"])), mid)
        if "=" in text or ":" in text:
            for match in _SETTING.finditer(text):
                name = match["name"]
                if _TIME_SETTING.search(name) and not _OTHER_UNIT_SETTING.search(name):
                    found.setdefault(("seconds", int(match["value"])), mid)
    _FORMS[source] = found
    return found


def _written_as_reference(ctx: ClaimContext, figure: Figure) -> MessageDoc | None:
    """A message that writes a whole number of the claim as a reference ("PR 2231" against
    ".../pull/2231", "#2231" or "!2231"): the chat states it, as a name rather than a figure."""
    if figure.kind != "count" or figure.value < 10 or figure.value != int(figure.value):
        return None
    mid = _written_forms(ctx.source).get(("reference", int(figure.value)))
    return ctx.source.docs[mid] if mid is not None else None


def _written_as_setting(ctx: ClaimContext, figure: Figure) -> MessageDoc | None:
    """A message that sets a time setting to the claim's duration in seconds, without a unit
    ("30 s" against "tcp_timeout_time_wait=30", "ttl: 300"): a setting named for a time is
    in seconds unless its name says otherwise."""
    if figure.kind != "duration" or not 1 <= figure.value < 86400:
        return None
    if figure.value != int(figure.value):
        return None
    mid = _written_forms(ctx.source).get(("seconds", int(figure.value)))
    return ctx.source.docs[mid] if mid is not None else None


# From this value an occurrence count ("looked up 1,140 times") is pinned by its digits alone.
PINNING_COUNT = 100


def _same_words(figure: Figure, other: Figure) -> bool:
    """Figures of different kinds that state one quantity ("shown 1,900 times" and "1,900
    responses"; 45% and 0.45) count only when the words beside them share one, or when one
    counts occurrences of a number of three digits or more (a paraphrase rewords its noun)."""
    if (figure.occurrences or other.occurrences) and figure.value >= PINNING_COUNT:
        return True
    return bool((figure.context - GENERIC) & other.context)


def _rival(
    ctx: ClaimContext,
    figure: Figure,
    docs: list[MessageDoc],
    accept: Callable[[Figure, Figure], bool] | None = None,
) -> tuple[MessageDoc, Figure] | None:
    """A different figure of the same kind about the same thing in `docs` (of those `accept`
    takes, when given)."""
    wanted = figure.context - GENERIC - ctx.name_stems
    for doc in docs:
        for other in doc.figures:
            if other.kind != figure.kind or other.same(figure) or other.magnitude:
                continue
            if accept is not None and not accept(figure, other):
                continue
            if other.fraction:
                continue  # a share written "5/6" moves during an incident
            if other.kind == "duration" and (other.value >= 60) != (figure.value >= 60):
                continue  # 320ms latency is no rival to "27 minutes" of impact
            if wanted & other.context or (not wanted and ctx.content & other.context):
                return doc, other
    return None


# A figure put on the wrong subject is contradicted only by a figure of that subject on the same
# scale (within this factor): "resets export_count to 1" is no rival to "1,874 rows".
MOVED_SCALE = 2.0


def _comparable(figure: Figure, other: Figure) -> bool:
    """True when two figures of a kind are within `MOVED_SCALE` of each other, or one's digits
    are the other's with one digit dropped, added or two neighbours swapped ("190M" for
    "90M", "1,874" for "1,847", "2%" for "0.2%"): a misread figure, on any scale."""
    low, high = sorted((abs(figure.value), abs(other.value)))
    return (low > 0 and high / low <= MOVED_SCALE) or one_digit_apart(
        digits(figure.written), digits(other.written)
    )


def _unit_noun(text: str, figure: Figure) -> str | None:
    """The stem of the word written right after a figure, when it carries meaning: what the
    figure counts ("74 tickets", "1,874 rows"); None for "95% while", a figure at the end."""
    at = text.find(figure.written, figure.start)
    if at < 0:
        return None
    following = words(text[at + len(figure.written) : at + len(figure.written) + 40])
    if not following or following[0].start > 1 or not is_content(following[0]):
        return None
    return following[0].stem


_TOTAL = frozenset({"total", "overall", "final"})


def _superseded_total(
    ctx: ClaimContext, figure: Figure, holders: list[tuple[int, Figure]]
) -> CheckResult | None:
    """A running count given as the total: the claim says "in total" (or "overall", "final")
    of a figure the chat states of the same noun, and a later message gives another figure of
    that noun, itself called a total ("212 tickets since 6am", later "347 tickets total"):
    *contradicted* by the later total. Counts move during an incident; a total is the last."""
    if not holders or figure.vague or figure.fraction or figure.kind != "count":
        return None
    if not {w.raw for w in words(ctx.text)} & _TOTAL:
        return None
    noun = _unit_noun(ctx.text, figure)
    if noun is None:
        return None
    source = ctx.source
    last = max(source.positions.get(mid, 0) for mid, _ in holders)
    for doc in source.docs.values():
        if source.positions.get(doc.message.id, 0) <= last:
            continue
        if not {w.raw for w in words(doc.message.text)} & _TOTAL:
            continue
        for other in doc.figures:
            if other.kind != figure.kind or other.same(figure) or other.fraction:
                continue
            if _unit_noun(doc.message.text, other) == noun and other.value > figure.value:
                mid = holders[0][0]
                return CheckResult(
                    "figures",
                    "contradicted",
                    f"{doc.when()} gives the total as {other.written}; {figure.written} "
                    f"(m{mid}) was an earlier count",
                    (doc.message.id, mid),
                )
    return None


def _cited_restates(
    ctx: ClaimContext, figure: Figure, holders: list[tuple[int, Figure]]
) -> CheckResult | None:
    """The chat states the figure only in messages the claim does not cite, and a cited message
    gives another figure of its kind before the same noun ("74 tickets in
    total" citing "112 tickets total", where 74 was an earlier count): *contradicted* by the
    message the claim rests on. Not when the cited figure is another of the claim's own ("from
    64 to 118 tickets"), nor across scales (`MOVED_SCALE`), nor for vague figures or shares."""
    if not ctx.cited or not holders or figure.vague or figure.fraction or figure.kind == "date":
        return None
    unit = figure.context - GENERIC - ctx.name_stems
    if not unit:
        return None
    rival = _rival(ctx, figure, ctx.cited_docs)
    if rival is None:
        return None
    doc, other = rival
    noun = _unit_noun(ctx.text, figure)
    if noun is None or noun != _unit_noun(doc.message.text, other):
        return None  # "74 tickets" and "112 tickets": the same noun counted
    if any(other.same(f) for f in ctx.figures):
        return None
    if not _comparable(figure, other):
        return None
    mid = holders[0][0]
    return CheckResult(
        "figures",
        "contradicted",
        f"the cited {doc.when()} gives {other.written} for this; {figure.written} is stated only "
        f"in m{mid}, which the claim does not cite",
        (doc.message.id, mid),
    )


def _about_the_claim(ctx: ClaimContext) -> list[MessageDoc]:
    """Retrieved messages that say most of what the claim says (for a claim citing none)."""
    known = frozenset(w for w in ctx.content if ctx.source.known(w))
    if len(known) < 2:
        return []
    return [d for d in ctx.docs() if overlap(set(known), set(d.stems)) >= STRONG_MATCH]


def _own_range(ctx: ClaimContext) -> tuple[str, str, int] | None:
    """The claim's single range of times and the seconds it spans, if it has exactly one."""
    if len(ctx.ranges) != 1:
        return None
    first, second = ctx.ranges[0]
    return first.value, second.value, range_seconds(first.value, second.value)


def _with_range(ctx: ClaimContext, figure: Figure) -> bool:
    """True when the duration and the claim's range stand in one part of it: "for about 40
    minutes; cart changes made between 14:46 and 15:10 were lost" gives the two of different
    things."""
    first, second = ctx.ranges[0]
    low, high = sorted((figure.start, first.start))
    high = max(high, second.start)
    return not any(mark in ctx.text[low:high] for mark in (";", ". "))


def duration_slack(figure: Figure) -> float:
    """How far a duration computed from the chat's own ranges or from its impact window (first
    alert to recovery) may be from the claimed one: a minute (timestamps have minute
    resolution), or a tenth of it when the claim says "about"."""
    if figure.approximate:
        return max(DURATION_SLACK_S, APPROXIMATE_TOLERANCE * figure.value)
    return DURATION_SLACK_S


def _from_timestamps(ctx: ClaimContext, figure: Figure) -> int | None:
    """A message whose time, against another relevant one, spans the claimed duration (or a
    range the chat writes that does)."""
    seconds = figure.value
    slack = duration_slack(figure)
    source = ctx.source
    for minutes in range(round((seconds - slack) / 60), round((seconds + slack) / 60) + 1):
        for message_id in source.ranges.get(minutes, [])[:1]:
            return message_id
    stamps: list[tuple[int, int]] = []  # (elapsed seconds, message id)
    for doc in ctx.docs():
        elapsed = doc.message.elapsed_seconds()
        if elapsed is not None:
            stamps.append((elapsed, doc.message.id))
        stamps += [(s, doc.message.id) for s in written_seconds(doc)]
    transcript = source.transcript
    if source.span_seconds is not None and transcript.messages:
        stamps.append((source.span_seconds[0], transcript.messages[0].id))
        stamps.append((source.span_seconds[1], transcript.messages[-1].id))
    stamps += [(clock_seconds(t.value), 0) for t in ctx.times]
    for (a, first), (b, second) in combinations(stamps[:40], 2):
        if abs(abs(a - b) - seconds) <= DURATION_SLACK_S:  # any two stamps: no more slack
            return first or second or (transcript.messages[0].id if transcript.messages else None)
    starts, ends = source.milestones  # from an alert (or the start) to a recovery
    for start in starts:
        opened = source.elapsed(start)
        for end in ends:
            closed = source.elapsed(end)
            if opened is None or closed is None:
                continue
            if abs(closed - opened - seconds) <= slack:
                return end
    return None


# A duration followed by one of these words is an offset between two events, not a span.
_OFFSET = re.compile(r"\A[ \t]*+(?:later|earlier|after|before|ago|into|in)\b", re.IGNORECASE)
_DAY_S = 86400
# A duration no two cited times span is contradicted only when it is this far from every span
# (seconds, or this share of it, whichever is more): a rounded figure stays a soft matter.
FAR_DURATION_S = 300
FAR_DURATION_SHARE = 0.4


def _apart(a: int, b: int) -> int:
    """Seconds between two times of day, across midnight ("23:36" and "00:00" are 24 minutes
    apart)."""
    gap = abs(b - a) % _DAY_S
    return min(gap, _DAY_S - gap)


def _cited_stamps(ctx: ClaimContext) -> list[tuple[int, MessageDoc]]:
    """(elapsed seconds, message) for the time of every cited message and every time written
    in one, in order."""
    stamps: list[tuple[int, MessageDoc]] = []
    for doc in ctx.cited_docs:
        elapsed = doc.message.elapsed_seconds()
        if elapsed is not None:
            stamps.append((elapsed, doc))
        stamps += [(s, doc) for s in written_seconds(doc)]
    return sorted(stamps, key=lambda pair: pair[0])


def _cited_span(ctx: ClaimContext, figure: Figure) -> CheckResult | None:
    """A duration the chat does not state, claimed from messages whose times give others: the
    times of the cited messages (their own and those written in them) are what the claim rests
    on. When two of them span it (within `duration_slack`): *pass*; when they give two times
    at least and every span is far from it (`FAR_DURATION_S`, `FAR_DURATION_SHARE`):
    *contradicted*, naming the span from the first to the last, when the duration is shorter
    than that span (the cited messages hold the whole of it); longer than the span, only a
    soft flag (the citations may not reach the event's end)
    ("09:34 to 09:51 is 17 minutes, not about 30 minutes"). Not for vague or bounded figures
    ("an hour", "over 20 minutes")."""
    if figure.vague or figure.bound or figure.fraction:
        return None
    after = ctx.text[figure.start + len(figure.written) :]
    if sum(f.kind == "duration" for f in ctx.figures) > 1 or _OFFSET.match(after):
        return None  # "four minutes after the record disappeared": an offset from another event
    stamps = _cited_stamps(ctx)
    if len({s for s, _ in stamps}) < 2:
        return None
    slack = duration_slack(figure)
    pairs = list(combinations(stamps, 2))
    for (a, first), (b, second) in pairs:
        if abs(_apart(a, b) - figure.value) <= slack:
            return CheckResult(
                "figures",
                "pass",
                f"{figure.written} is the time from {first.when()} to {second.when()}",
                (first.message.id, second.message.id),
            )
    # Far from every span: "about ten minutes" for spans of 8 and 12 is a fair round figure.
    far = max(FAR_DURATION_S, FAR_DURATION_SHARE * figure.value)
    if any(abs(_apart(a, b) - figure.value) <= far for (a, _), (b, _) in pairs):
        return None
    (start, first), (end, last) = stamps[0], stamps[-1]
    minutes = round(_apart(start, end) / 60)
    if figure.value > _apart(start, end):
        # longer than everything cited: the citations may just not reach the event's end
        return CheckResult(
            "figures",
            "flag",
            f"the cited messages' times span only {minutes} minutes ({first.when()} to "
            f"{last.when()}), less than {figure.written}",
            (first.message.id, last.message.id),
        )
    return CheckResult(
        "figures",
        "contradicted",
        f"the cited messages' times span {minutes} minutes ({first.when()} to {last.when()}), "
        f"and no two of them are {figure.written} apart",
        (first.message.id, last.message.id),
    )


def _cited_duration(ctx: ClaimContext, figure: Figure) -> CheckResult | None:
    """A duration the chat does not state, where a cited message states another one beside the
    claim's words ("the backfill took about 25 minutes" citing "backfill took 39 min"): what
    the cited message says wins over any two message times that happen to be that far apart.
    *Contradicted*, unless the claim gives two durations, the figure is vague or a bound, or
    two cited times span it."""
    if figure.vague or figure.bound or sum(f.kind == "duration" for f in ctx.figures) > 1:
        return None
    wanted = figure.context - GENERIC - ctx.name_stems
    if not wanted:
        return None
    slack = duration_slack(figure)
    stamps = [s for s, _ in _cited_stamps(ctx)]
    if any(abs(_apart(a, b) - figure.value) <= slack for a, b in combinations(stamps, 2)):
        return None
    for doc in ctx.cited_docs:
        for other in doc.figures:
            if other.kind != "duration" or other.vague or other.bound or other.value < 60:
                continue
            if wanted & other.context and abs(other.value - figure.value) > slack:
                return CheckResult(
                    "figures",
                    "contradicted",
                    f"{doc.when()} says {other.written}, not {figure.written}",
                    (doc.message.id,),
                )
    return None


def _one_figure(
    ctx: ClaimContext, figure: Figure, own_range: tuple[str, str, int] | None
) -> CheckResult:
    if figure.kind == "date" and divmod(int(figure.value), 100) in _chat_dates(ctx):
        return _dated(ctx, figure, dated=True)
    holders = [
        (mid, other)
        for mid, other in ctx.source.figure_holders(figure)
        if other.kind == figure.kind or _same_words(figure, other)
    ]
    fix = corrected_figure(ctx.source, [(ctx.source.docs[m], o) for m, o in holders], figure)
    if fix is not None and not any(f.same(fix.said) for f in ctx.figures):
        # (a claim that gives the corrected figure too tells of the correction)
        return CheckResult(
            "figures",
            "contradicted",
            f"{fix.earlier.when()} gives {figure.written}, but {fix.doc.when()} corrects it to "
            f"{fix.said.written}: {fix.doc.message.text[:80]!r}",
            (fix.doc.message.id,),
        )
    superseded = _superseded_total(ctx, figure, holders)
    if superseded is not None:
        return superseded
    cited = set(ctx.cited)
    in_cited = [mid for mid, _ in holders if mid in cited]
    if in_cited:
        return CheckResult("figures", "pass", f"m{in_cited[0]} states it", (in_cited[0],))
    long_duration = figure.kind == "duration" and figure.value >= 60
    if long_duration and own_range is not None:
        # "Lasted 23 minutes, from 13:58 to 14:21": the duration must be what its range spans.
        first, last, seconds = own_range
        if abs(seconds - figure.value) <= DURATION_SLACK_S:
            return CheckResult("figures", "pass", f"{first} to {last} is {figure.written}")
        if figure.vague or figure.bound:
            # "a little over an hour" for 69 minutes: an everyday round figure or a bound
            return CheckResult(
                "figures",
                "flag",
                f"{first} to {last} is {round(seconds / 60)} minutes; the claim says "
                f"{figure.written!r}",
            )
        return CheckResult(
            "figures",
            "contradicted",
            f"{first} to {last} is {round(seconds / 60)} minutes, not {figure.written}",
        )
    restated = _cited_restates(ctx, figure, holders)
    if restated is not None:
        return restated
    close = [mid for mid, other in holders if (figure.context - GENERIC) & other.context]
    if close:
        return CheckResult("figures", "pass", f"m{close[0]} states it", (close[0],))
    related = [mid for mid, other in holders if _related(ctx, figure, other, mid)]
    if related:
        # The message says it, though not next to the claim's words: unless the same message
        # gives another figure of this kind right beside those words (the claim swapped them).
        doc = ctx.source.docs[related[0]]
        swapped = _rival(ctx, figure, [doc])
        if swapped is not None and (figure.context - GENERIC) & swapped[1].context:
            return CheckResult(
                "figures",
                "contradicted",
                f"{doc.when()} gives {swapped[1].written} for this, {figure.written} for "
                "something else",
                (doc.message.id,),
            )
        return CheckResult("figures", "pass", f"m{related[0]} states it", (related[0],))
    if long_duration and not holders:
        spanned = _cited_span(ctx, figure)
        if spanned is not None:
            return spanned
    if long_duration and not holders:
        stated = _cited_duration(ctx, figure)
        if stated is not None:
            return stated
    if long_duration:
        computed = _from_timestamps(ctx, figure)
        if computed is not None:
            return CheckResult(
                "figures", "pass", f"{figure.written} follows from the message times", (computed,)
            )
    if holders:  # the chat states this very figure, about something else as far as words go
        mid = holders[0][0]
        moved = None
        if not (figure.vague or figure.fraction):
            moved = _rival(
                ctx,
                figure,
                ctx.cited_docs,
                # (not the claim's other figure: "310M per day, up from 190M" against "310M")
                lambda f, o: _comparable(f, o) and not any(o.same(g) for g in ctx.figures),
            )
        if (
            moved is not None
            and moved[0].message.id not in {m for m, _ in holders}
            and not any(moved[1].same(f) for f in ctx.figures)  # the claim's other figure
            and _comparable(figure, moved[1])
        ):
            # the figure of something else, put on the claim's subject, for which the message
            # it cites gives another figure of the kind
            doc, other = moved
            return CheckResult(
                "figures",
                "contradicted",
                f"{doc.when()} gives {other.written} for this; the chat's {figure.written} "
                f"(m{mid}) is about something else",
                (doc.message.id, mid),
            )
        return CheckResult(
            "figures",
            "flag",
            f"the chat states {figure.written} (m{mid}), but not about this",
            (mid,),
        )
    rival = (
        _rival(ctx, figure, ctx.cited_docs)
        or (None if ctx.cited else _rival(ctx, figure, _about_the_claim(ctx)))
        or _rival(ctx, figure, ctx.docs())
    )
    if figure.vague or figure.fraction:
        # "twice", "half", "an hour", "doubled": everyday words as often as figures; "4 of 6"
        # is a share that moves as things recover ("2/6 regions green", later "5/6").
        said = f"; {rival[0].when()} says {rival[1].written}" if rival is not None else ""
        return CheckResult(
            "figures",
            "flag",
            f"{figure.written!r} is not stated in the chat{said}",
            (rival[0].message.id,) if rival is not None else (),
        )
    if rival is not None:
        doc, other = rival
        if any(other.same(own) for own in ctx.figures):
            # "7-day aggregates 16h old" against "16h": the message's figure is the claim's
            # other one, so this one is about something the message does not measure
            return CheckResult(
                "figures",
                "flag",
                f"{figure.written} is not stated in the chat; {doc.when()} gives the claim's "
                f"{other.written}",
                (doc.message.id,),
            )
        return CheckResult(
            "figures",
            "contradicted",
            f"{doc.when()} says {other.written}, not {figure.written}",
            (doc.message.id,),
        )
    if figure.bound:
        return CheckResult(
            "figures", "flag", f"{figure.written} is a bound the chat does not state"
        )
    if figure.kind == "date":
        return _dated(ctx, figure, dated=False)
    reference = _written_as_reference(ctx, figure) or _written_as_setting(ctx, figure)
    if reference is not None:
        return CheckResult(
            "figures",
            "pass",
            f"{figure.written} is written as a reference or a setting in {reference.when()}",
            (reference.message.id,),
        )
    what = "duration" if figure.kind == "duration" else "figure"
    extra = "; it does not follow from the message times either" if long_duration else ""
    return CheckResult(
        "figures", "unsupported", f"the {what} {figure.written} is not in the chat{extra}"
    )


def _dated(ctx: ClaimContext, figure: Figure, *, dated: bool) -> CheckResult:
    """A day of a date no message writes: the chat's own dates (its timestamps) may bear it out
    ("On 3 June" in a chat dated 2025-06-03); a chat without dates cannot say."""
    if dated:
        return CheckResult("figures", "pass", f"the chat is dated {figure.written}")
    dates = _chat_dates(ctx)
    if not dates:
        return CheckResult("figures", "flag", f"the chat gives no date for {figure.written}")
    return CheckResult(
        "figures", "unsupported", f"no message is dated {figure.written} or mentions it"
    )


def _chat_dates(ctx: ClaimContext) -> set[tuple[int, int]]:
    """(month, day) of every date the chat's timestamps (or its header) give."""
    transcript = ctx.source.transcript
    dates = {m.timestamp.date() for m in transcript.messages if m.timestamp}
    if transcript.date is not None:
        dates.add(transcript.date)
    return {(d.month, d.day) for d in dates}


def check_figures(ctx: ClaimContext) -> CheckResult:
    """Every figure and duration of the claim agrees with the chat (see the module docstring)."""
    if not ctx.figures:
        return CheckResult("figures", "skip")
    own_range = _own_range(ctx)
    durations = [f for f in ctx.figures if f.kind == "duration" and f.value >= 60]
    passed: list[int] = []
    flags: list[CheckResult] = []
    for figure in ctx.figures:
        alone = durations == [figure] and own_range is not None and _with_range(ctx, figure)
        range_for_it = own_range if alone else None
        result = _one_figure(ctx, figure, range_for_it)
        if result.outcome in ("contradicted", "unsupported"):
            return result
        if result.outcome == "flag":
            flags.append(result)
        passed.extend(result.evidence)
    if flags:
        return flags[0]
    return CheckResult(
        "figures", "pass", "its figures match the chat", tuple(dict.fromkeys(passed))
    )
