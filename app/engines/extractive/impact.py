"""What users saw: statements with figures or plain statements of who could not do what.

A statement is kept when it has a figure (a percentage, a latency, a count of orders or users, a
duration, an amount of money) next to impact words, or says outright that something is impacted,
down or unusable. Recovery and mitigation sentences ("down to 15%", "ETA 90 seconds") are not
impact. Figures already reported are not repeated.
"""

from __future__ import annotations

import re

from app.engines.extractive import cues
from app.engines.extractive.chat import Chat, Finding, Sentence
from app.engines.extractive.text import is_question, join_sentences


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_COUNTED = (
    r"orders|users|customers|requests|transactions|payments|accounts|sessions|checkouts|"
    r"merchants|tenants|calls|jobs|messages|emails|errors|failures|tickets|signups|logins|"
    r"purchases|bookings|subscribers|devices|visitors|shoppers|records|events|pages|uploads"
)
_AFFECTED = (
    r"orders|users|customers|requests|transactions|payments|accounts|checkouts|merchants|"
    r"tenants|purchases|bookings|subscribers|shoppers|visitors|sessions|logins|signups"
)
AFFECTED_COUNT = _rx(rf"\b\d[\d,]*(?:\.\d+)?\s?[kKmM]?\+?\s+(?:\w+\s)?(?:{_AFFECTED})\b")
COUNT = _rx(rf"\b\d[\d,]*(?:\.\d+)?\s?[kKmM]?\+?\s+(?:\w+\s)?(?:{_COUNTED})\b")
MONEY = _rx(
    r"[$€£¥]\s?\d[\d,.]*\s?[kKmMbB]?\b|\b\d[\d,.]*\s?(?:k|m)?\s?(?:usd|eur|gbp|dollars|euros)\b"
)
FIGURE = _rx(
    r"\d[\d,]*(?:\.\d+)?\s?%|\b\d[\d,]*(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|minutes?|mins?|"
    r"hours?|hrs?|h)\b|\b[2-5]\d\ds\b|\b5xx\b|\bp9[59]\b"
)
_CONTEXT = _rx(
    r"\b(?:errors?|error rates?|latency|fail\w*|5xx|[45]\d\ds|timeouts?|timing out|down|outage|"
    r"unavailable|affected|impacted|impact|customers?|users?|orders?|requests?|slow\w*|degraded|"
    r"can'?t|cannot|unable|lost|spik\w*|jump\w*|climb\w*|broken|not working|p9[59]|"
    r"checkouts?|payments?|logins?)\b"
)
_STATED = _rx(
    r"\bonly [\w\-. ]{1,40} (?:is|are|was|were) (?:impacted|affected)\b|"
    r"\b(?:customers?|users?|merchants?|shoppers?|clients?)\b[^.!?]{0,30}"
    r"\b(?:can'?t|cannot|couldn'?t|could not|are unable|were unable|unable|not able)\b|"
    r"\b(?:is|are|was|were|went) (?:completely |fully )?(?:down|unavailable|unreachable)\b|"
    r"\b(?:full|total|partial) outage\b"
)
_NOT_IMPACT = _rx(r"\b(?:eta|will take|should take|in \d+ (?:minutes|mins|seconds|secs))\b")
_START = _rx(
    r"\b(?:since|started (?:at|around)|began (?:at|around)|starting (?:at|around)|from)\s+"
    r"(?:about |around |~)?\d{1,2}[:.h]\d{2}"
)


def _is_impact(sentence: Sentence) -> bool:
    lower = sentence.lower
    if is_question(sentence.raw) or cues.PROPOSAL.search(lower) or _NOT_IMPACT.search(lower):
        return False
    if cues.RECOVERY.search(lower) or cues.RESOLUTION.search(lower):
        return False
    if _STATED.search(lower):
        return True
    has_figure = FIGURE.search(lower) or COUNT.search(lower) or MONEY.search(lower)
    return bool(has_figure and _CONTEXT.search(lower))


def figures(text: str) -> set[str]:
    """The figures written in a text, normalised for comparison."""
    found = FIGURE.findall(text) + COUNT.findall(text) + MONEY.findall(text)
    return {re.sub(r"[\s~,]", "", f.lower()) for f in found}


def find_impact(chat: Chat, skip_ids: set[int], limit: int = 5) -> list[Finding]:
    """Impact statements in chat order, one per message, at most `limit`."""
    found: list[Finding] = []
    seen: set[str] = set()
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        kept: list[str] = []
        for sentence in chat.sentences(message):
            if not sentence.text or not _is_impact(sentence):
                continue
            new = figures(sentence.raw) - seen
            if new or _STATED.search(sentence.lower):
                kept.append(sentence.text)
                seen |= new
        if kept:
            found.append(Finding(join_sentences(kept[:3], limit=300), [message.id]))
        if len(found) == limit:
            break
    return found


def states_count(chat: Chat) -> bool:
    """True when the chat gives a count of affected customers, users, orders or requests."""
    return any(AFFECTED_COUNT.search(s.raw) for s in chat.all_sentences())


def states_money(chat: Chat) -> bool:
    """True when the chat gives an amount of money (revenue, refunds, credits)."""
    return any(MONEY.search(s.raw) for s in chat.all_sentences())


def states_impact_start(chat: Chat) -> bool:
    """True when a message says when impact began ("errors since 09:05")."""
    return any(
        _START.search(s.raw) and _CONTEXT.search(s.lower) for s in chat.all_sentences()
    )
