"""Times the chat itself corrects ("deploy finished at 10:28" then "correction, the deploy
finished 10:31"; "V212, started 2:05 PM" then "correction on the start: ... V212 only took the
lock at 2:07").

A correction is a message with a correction marker (`MARKER`) that gives a time; it supersedes
the time an earlier message (at most `REACH` messages before it) gave the same thing: the words
beside both times share one, and one of the claim's words. A claim that repeats the superseded
time is *contradicted* by the correction, unless the correction restates that time beside the
claim's words.

Figures the same way, read one sentence at a time (a correction restates and explains figures:
"correction, peak depth was 1.2M. 1.9M is the total published counter, not depth"): a claim's
figure borne out only by messages that a later correction supersedes is *contradicted* when the
correction's sentence with its marker (`FIGURE_MARKER`) gives another figure of its kind beside
a word of the claim's and a word the earlier message wrote beside the figure, the correction
writes the claimed figure too (to set it aside) or gives a misread of it (`misread`: "sorry
misread, v42 is 1,310,442" for 1,130,442), and no sentence of it gives the claimed figure
beside the claim's words without denying it. A message that owns an error ("sorry", "actually",
a correction marker) and writes "41% not 14%" (or "instead of", "rather than") replaces the
second figure with the first outright. A claim that gives both figures tells of the
correction (`figure_check`). Finding the corrections of a chat is one pass over it; a claim then
looks at the few messages after the ones that bear its time or figure out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.verify.quantities import Figure, figures
from app.verify.source import MessageDoc, SourceIndex, anchor_words
from app.verify.text import GENERIC, content_stems

MARKER = re.compile(
    r"\bcorrection\b|\bcorrect(?:ed|ing)[ \t]++(?:myself|that|this|the)\b|\bi[ \t]++misspoke\b|"
    r"\bscratch[ \t]++that\b|\btypo\b|\bsorry,?+[ \t]++(?:i[ \t]++meant|that[ \t]++was[ \t]++"
    r"wrong|wrong)\b|\bmy[ \t]++mistake\b|\bmis-?read\b",
    re.IGNORECASE,
)
# The markers that correct a figure: a chat about a typo or a misread config writes "typo" and
# "misread" of the incident itself, beside its figures.
FIGURE_MARKER = re.compile(
    r"\bcorrection\b|\bcorrect(?:ed|ing)[ \t]++(?:myself|that|this|the)\b|\bi[ \t]++misspoke\b|"
    r"\bscratch[ \t]++that\b|\bsorry,?+[ \t]++(?:i[ \t]++meant|that[ \t]++was[ \t]++wrong|wrong)\b|"
    r"\bmy[ \t]++mistake\b|\bsorry,?+[ \t]++(?:i[ \t]++)?+mis-?read\b",
    re.IGNORECASE,
)
# A correction supersedes what was said at most this many messages before it (an incident
# channel corrects its start time long after: 24 messages later in one of the dev chats).
REACH = 30
_NEGATION = re.compile(r"\b(?:not|no|never)\b|n['’]t\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])[ \t\n]++|\n++")


@dataclass(frozen=True)
class Correction:
    """A correcting message and what it says instead: the value and the message it replaces."""

    doc: MessageDoc
    said: str  # the corrected value, as written
    earlier: MessageDoc


def _corrections_after(
    source: SourceIndex, doc: MessageDoc, *, marked: bool = False, swaps: bool = False
) -> list[MessageDoc]:
    """The corrections of time (or, `marked`, any message with a correction marker) at most
    `REACH` messages after `doc`."""
    position = source.positions.get(doc.message.id)
    if position is None:
        return []
    later = source.order[position + 1 : position + 1 + REACH]
    if marked:
        docs = [source.docs[i] for i in later]
        return [
            d
            for d in docs
            if d.figures
            and (
                FIGURE_MARKER.search(d.message.text)
                or (swaps and len(d.figures) > 1 and _INSTEAD.search(d.message.text))
            )
        ]
    return [source.docs[i] for i in later if i in source.correction_ids]


def corrected_time(
    source: SourceIndex, holders: list[MessageDoc], values: tuple[str, ...], words: frozenset[str]
) -> Correction | None:
    """A later correction that gives another time beside the claim's words (`words`) and the
    words the earlier message wrote beside the claimed time, for a time only `holders` bore
    out, and does not give the claimed one beside them."""
    for doc in holders:
        if doc.times and not any(set(t.values) & set(values) for t in doc.times):
            # the claimed time is the message's own, and it writes another: a correction of
            # that other time ("V212, started 2:05 PM") leaves the time it was posted alone
            continue
        said = _said_at(doc, values)
        for fix in _corrections_after(source, doc):
            set_aside = _set_aside_times(fix)
            if set_aside and not set_aside & set(values):
                continue  # "ran 07:00 not 06:00" corrects 06:00, not the claimed time
            beside = [(t, anchor_words(fix.message.text, t.start, t.end)) for t in fix.times]
            kept = [(t, a) for t, a in beside if not set(t.values) & set_aside]
            if any(set(t.values) & set(values) and a & words for t, a in kept):
                return None  # the correction says the claimed time too (not to set it aside)
            other = [
                t for t, a in beside if a & words and a & said and not set(t.values) & set(values)
            ]
            if other:
                return Correction(fix, other[0].value, doc)
    return None


def _set_aside_times(doc: MessageDoc) -> set[str]:
    """The times a correction writes right after "not" or "instead of" ("07:00 not 06:00"):
    the ones it sets aside."""
    found: set[str] = set()
    text = doc.message.text.lower()
    for t in doc.times:
        before = text[max(0, t.start - 12) : t.start].rstrip()
        if before.endswith(("not", "instead of", "rather than")):
            found |= set(t.values)
    return found


def _said_at(doc: MessageDoc, values: tuple[str, ...]) -> frozenset[str]:
    """What a message says happened at a time: the words beside it where it writes it, or its
    words when the time is the message's own."""
    written = [t for t in doc.times if set(t.values) & set(values)]
    if written:
        return frozenset().union(*(anchor_words(doc.message.text, t.start, t.end) for t in written))
    return doc.content


@dataclass(frozen=True)
class FigureCorrection:
    """A correcting message, the figure it gives instead, and the message it supersedes."""

    doc: MessageDoc
    said: Figure
    earlier: MessageDoc


def corrected_figure(
    source: SourceIndex, holders: list[tuple[MessageDoc, Figure]], figure: Figure
) -> FigureCorrection | None:
    """A later correction of the figure each of `holders` (message, its figure equal to the
    claim's) states, giving another figure of its kind for what the claim says it of (see the
    module docstring); None when any holder stands uncorrected."""
    wanted = figure.context - GENERIC
    if not wanted or not holders:
        return None
    found: FigureCorrection | None = None
    for doc, stated in holders:
        if _swapped(doc, figure) is not None or (
            FIGURE_MARKER.search(doc.message.text) and not _restates(doc, figure, wanted)
        ):
            continue  # a correction that names the figure only to set it aside
        said = stated.context - GENERIC
        fix = _figure_fix(source, doc, figure, wanted, said)
        if fix is None:
            return None  # this message's figure stands
        found = found or fix
    return found


def _restates(doc: MessageDoc, figure: Figure, wanted: frozenset[str]) -> bool:
    """True when a sentence of the message gives the figure beside one of the claim's words,
    and not to deny it ("84k is the jobs submitted, not the backlog" keeps 84k for no backlog)."""
    for sentence in _SENTENCE.split(doc.message.text):
        if _NEGATION.search(sentence) or not any(f.same(figure) for f in figures(sentence)):
            continue
        if frozenset(content_stems(sentence)) & wanted:
            return True
    return False


# "41% not 14%", "1,200, not 1,900", "41% instead of 14%": the first figure replaces the second.
_INSTEAD = re.compile(
    r"[ \t]{0,3}+[,(]?+[ \t]{0,3}+(?:not|instead[ \t]{1,3}+of|rather[ \t]{1,3}+than)[ \t]{1,3}+"
)
# A message that says it replaces a figure this way needs only an apology or a correction word.
_OWNED_ERROR = re.compile(r"\bsorry\b|\bactually\b", re.IGNORECASE)


def _swapped(doc: MessageDoc, figure: Figure) -> Figure | None:
    """The figure a message writes in place of the claimed one ("41% not 14%")."""
    text = doc.message.text
    if not (MARKER.search(text) or _OWNED_ERROR.search(text)):
        return None
    written = doc.figures
    for new, old in zip(written, written[1:], strict=False):
        between = text[new.start + len(new.written) : old.start]
        if old.same(figure) and not new.same(figure) and new.kind == figure.kind:
            if _INSTEAD.fullmatch(between):
                return new
    return None


def _figure_fix(
    source: SourceIndex,
    doc: MessageDoc,
    figure: Figure,
    wanted: frozenset[str],
    said: frozenset[str],
) -> FigureCorrection | None:
    for fix in _corrections_after(source, doc, marked=True, swaps=True):
        swapped = _swapped(fix, figure)
        if swapped is not None:
            return FigureCorrection(fix, swapped, doc)
        other: Figure | None = None
        for sentence in _SENTENCE.split(fix.message.text):
            stems = frozenset(content_stems(sentence))
            for written in figures(sentence):
                if written.same(figure):
                    if stems & wanted and not _NEGATION.search(sentence):
                        return None  # the correction says the claimed figure too
                    continue
                rival = written.kind == figure.kind and not written.magnitude
                beside = stems & wanted & said
                if rival and other is None and beside and FIGURE_MARKER.search(sentence):
                    other = written
        names_it = any(f.same(figure) for f in figures(fix.message.text))
        if other is not None and (names_it or misread(figure, other)):
            return FigureCorrection(fix, other, doc)
    return None


def misread(figure: Figure, other: Figure) -> bool:
    """True when `other`, rounded to as many digits as `figure` writes, is `figure` with one
    digit dropped, added or two neighbours swapped ("1,130,442" for "1,310,442", "$2.19M" for
    "$2,913,402.18"): the figure a correction replaces, though it does not write it again."""
    shown = digits(figure.written)
    if not shown or other.value <= 0 or figure.value <= 0:
        return False
    if one_digit_apart(shown, digits(other.written)):
        return True
    places = len(shown) - len(f"{other.value:.0f}".lstrip("0") or "0")
    rounded = digits(f"{round(other.value, places):.{max(places, 0)}f}")[: len(shown)]
    return len(rounded) == len(shown) and one_digit_apart(shown, rounded)


def digits(written: str) -> str:
    """The digits of a written figure, without leading zeros ("0.2%" -> "2")."""
    return "".join(c for c in written if c.isdigit()).lstrip("0")


def one_digit_apart(a: str, b: str) -> bool:
    """True when digit strings (one of them two digits at least) differ by one digit dropped or
    added, or by two neighbouring digits swapped."""
    if a == b or not a or not b or max(len(a), len(b)) < 2:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and (a[diff[0]], a[diff[1]]) == (b[diff[1]], b[diff[0]])
        )
    short, long = sorted((a, b), key=len)
    if len(long) != len(short) + 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
