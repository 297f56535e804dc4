"""Times the chat itself corrects ("deploy finished at 10:28" then "correction, the deploy
finished 10:31"; "V212, started 2:05 PM" then "correction on the start: ... V212 only took the
lock at 2:07").

A correction is a message with a correction marker (`MARKER`) that gives a time; it supersedes
the time an earlier message (at most `REACH` messages before it) gave the same thing: the words
beside both times share one, and one of the claim's words. A claim that repeats the superseded
time is *contradicted* by the correction, unless the correction restates that time beside the
claim's words. (Figures are left alone: a correction restates and contextualises figures too
often, "1.9M is the total published counter, not depth", for the rules to tell which it
replaces.) Finding the corrections of a chat is one pass over it; a claim then looks at the
few messages after the ones that bear its time out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.verify.source import MessageDoc, SourceIndex, anchor_words

MARKER = re.compile(
    r"\bcorrection\b|\bcorrect(?:ed|ing)[ \t]++(?:myself|that|this|the)\b|\bi[ \t]++misspoke\b|"
    r"\bscratch[ \t]++that\b|\btypo\b|\bsorry,?+[ \t]++(?:i[ \t]++meant|that[ \t]++was[ \t]++"
    r"wrong|wrong)\b|\bmy[ \t]++mistake\b|\bmis-?read\b",
    re.IGNORECASE,
)
# A correction supersedes what was said at most this many messages before it (an incident
# channel corrects its start time long after: 24 messages later in one of the dev chats).
REACH = 30


@dataclass(frozen=True)
class Correction:
    """A correcting message and what it says instead: the value and the message it replaces."""

    doc: MessageDoc
    said: str  # the corrected value, as written
    earlier: MessageDoc


def _corrections_after(source: SourceIndex, doc: MessageDoc) -> list[MessageDoc]:
    position = source.positions.get(doc.message.id)
    if position is None:
        return []
    later = source.order[position + 1 : position + 1 + REACH]
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
            beside = [(t, anchor_words(fix.message.text, t.start, t.end)) for t in fix.times]
            if any(set(t.values) & set(values) and a & words for t, a in beside):
                return None  # the correction says the claimed time too
            other = [
                t for t, a in beside if a & words and a & said and not set(t.values) & set(values)
            ]
            if other:
                return Correction(fix, other[0].value, doc)
    return None


def _said_at(doc: MessageDoc, values: tuple[str, ...]) -> frozenset[str]:
    """What a message says happened at a time: the words beside it where it writes it, or its
    words when the time is the message's own."""
    written = [t for t in doc.times if set(t.values) & set(values)]
    if written:
        return frozenset().union(*(anchor_words(doc.message.text, t.start, t.end) for t in written))
    return doc.content
