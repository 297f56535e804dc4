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
from app.models import Message

_COUNTED = (
    r"orders|users|customers|requests|transactions|payments|accounts|sessions|checkouts|"
    r"merchants|tenants|calls|jobs|messages|emails|errors|failures|tickets|signups|logins|"
    r"purchases|bookings|subscribers|devices|visitors|shoppers|records|events|pages|uploads|"
    r"attempts|invoices|searches|responses|deliveries|webhooks|notifications|reminders|"
    r"refunds|charges|shipments|downloads|queries"
)
_AFFECTED = (
    r"orders|users|customers|requests|transactions|payments|accounts|checkouts|merchants|"
    r"tenants|purchases|bookings|subscribers|shoppers|visitors|sessions|logins|signups"
)
# A number starts where a number starts, never right after a digit or "digit," (or "digit."
# for amounts), and is read as digit groups with single separators, possessively: nothing that
# follows a number starts with a digit or a separator, so giving characters back never helps.
# A run like "1,1,1,..." (or "1,,1,,...") is then read once, not once per digit, which made
# these patterns quadratic.
_DIGITS = r"(?<!\d)(?<!\d,)\d++(?:,\d++)*+,?+"
_NUMBER = rf"\b{_DIGITS}"
_AMOUNT = r"(?<!\d)(?<!\d[,.])\b\d++(?:[,.]\d++)*+[,.]?+"
AFFECTED_COUNT = cues.cue(rf"{_NUMBER}(?:\.\d+)?\s?[kKmM]?\+?\s++(?:\w+\s){{0,2}}(?:{_AFFECTED})\b")
COUNT = cues.cue(rf"{_NUMBER}(?:\.\d+)?\s?[kKmM]?\+?\s++(?:[\w-]+\s){{0,2}}(?:{_COUNTED})\b")
MONEY = cues.cue(
    rf"[$€£¥]\s?\d[\d,.]*\s?[kKmMbB]?\b|{_AMOUNT}\s?(?:k|m)?\s?(?:usd|eur|gbp|dollars|euros)\b"
)
FIGURE = cues.cue(
    rf"{_DIGITS}(?:\.\d+)?\s?%|\b\d{{1,2}}h\s?\d{{1,2}}m?\b|"
    rf"{_NUMBER}(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|minutes?|mins?|hours?|hrs?|h)\b|"
    r"\b[2-5]\d\ds\b|\b5xx\b|\bp9[59]\b"
)
_CONTEXT = cues.cue(
    r"\b(?:errors?|error rates?|latency|fail\w*|5xx|[45]\d\ds|timeouts?|timing out|down|outage|"
    r"unavailable|affected|impacted|impact|customers?|users?|orders?|requests?|slow\w*|degraded|"
    r"can'?t|cannot|unable|lost|spik\w*|jump\w*|climb\w*|broken|not working|p9[59]|"
    r"checkouts?|payments?|logins?|lag|backlog|peak\w*|overcharg\w*|double[- ]charg\w*|"
    r"stuck|stale|delay\w*|behind|exposure|exposed|leak\w*|traffic|invoices?|searches|emails?|deliveries|webhooks?)\b"
)
_STATED = cues.cue(
    r"\bonly [\w\-. ]{1,40} (?:is|are|was|were) (?:impacted|affected)\b|"
    r"\b(?:customers?|users?|merchants?|shoppers?|clients?)\b[^.!?]{0,30}"
    r"\b(?:can'?t|cannot|couldn'?t|could not|are unable|were unable|unable|not able)\b|"
    r"\b(?:is|are|was|were|went) (?:completely |fully )?(?:down|unavailable|unreachable)\b|"
    r"\b(?:full|total|partial) outage\b"
)
_NOT_IMPACT = cues.cue(
    r"\b(?:eta|will take|should take|"
    r"(?<!resolved )(?<!fixed )in \d+ (?:minutes|mins|seconds|secs))\b"
)
_START = cues.cue(
    r"\b(?:since|started (?:at|around)|began (?:at|around)|starting (?:at|around)|from)\s+"
    r"(?:about |around |~)?\d{1,2}[:.h]\d{2}"
)


_PERCENT = re.compile(r"\d\s?%")
_MILLISECONDS = re.compile(r"\d\s?(?:ms|s)\b")
_FIGURE_NOISE = re.compile(r"[\s~,]")
_DURATION = cues.cue(rf"{_AMOUNT}\s?(?:minutes?|mins?|hours?|hrs?)\b|\b\d{{1,2}}h\s?\d{{1,2}}m?\b")
_WINDOW = cues.cue(
    r"\b(?:total|in total|of (?:impact|degradation|downtime|exposure|outage|errors|disruption|"
    r"failures|partial outage)|impact window|resolved in|(?:down|degraded|stale|broken|failing|"
    r"unavailable|impacted|affected) for)\b|\b\d{1,2}[:.]\d{2}\s?(?:-|–|to)\s?\d{1,2}[:.]\d{2}\b"
)
_RATE = cues.cue(
    r"\b(?:errors?|error rates?|fail\w*|5xx|[45]\d\ds|users?|customers?|requests?|traffic|"
    r"checkouts?|payments?|logins?|success|calls|orders?|searches|of all|of api)\b"
)
_LATENCY = cues.cue(r"\b(?:p9[059]|latency|response times?|slow\w*)\b")
_LAG = cues.cue(r"\b(?:lag\w*|behind|stale|delay\w*|backlog|queued|stuck)\b")
_IMPACT_WORD = cues.cue(r"\b(?:impact\w*|affected|blast radius|scope)\b")
_ALERT = cues.cue(r"\[(?:firing|alert|critical)\]|\bpagerduty\b|\balert\w*\b")
_NOISE = cues.cue(
    r"\b(?:cpu|memory|heap|gc|db queries|connection pool|replicas?|failover|threshold|"
    r"timed out after|timeout after|for me|slack|dies|ttl|restarts? (?:in|every)|takes?|"
    r"wouldn'?t expect|would expect|could be|slowest|faster than|slow queries|"
    r"looks? (?:great|good)|looking (?:great|good)|fewer|improv\w*)\b"
)
_RECOVERED = cues.cue(
    r"\b(?:back to|back under|down to|drop(?:ped|s)? to|fell to|recovered|[1-5]\d\ds again|"
    r"(?:ok|fine|green|working|normal) again|"
    r"(?:rates?|latency|traffic|errors?|p9\d) (?:is |are |looks? )?(?:normal|fine|ok))\b"
)
# "~47 minutes", "total: 1h". `\W` already covers "~", "≈" and spaces; one possessive run of it
# (not three overlapping ones) keeps a line of spaces linear.
_TERSE_DURATION = cues.cue(
    r"^\W*+(?:(?:so|about|roughly|approx\w*|total)\W*+)?\d[\d,.]*+\s?"
    r"(?:minutes?|mins?|hours?|hrs?)\W*+$"
)


def _is_window(lower: str) -> bool:
    """'~47 minutes of impact', 'total about 1h30m', '08:30-10:15, 1h45m'."""
    return bool(_DURATION.search(lower) and _WINDOW.search(lower))


def _score(sentence: Sentence) -> int:
    """How strongly a sentence states what users or systems experienced, with figures; 0: not."""
    lower = sentence.lower
    if is_question(sentence.raw) or cues.PROPOSAL.search(lower) or _NOT_IMPACT.search(lower):
        return 0
    window = _is_window(lower)
    recovered = (
        cues.RECOVERY.search(lower) or cues.RESOLUTION.search(lower) or _RECOVERED.search(lower)
    )
    if recovered and not window:
        return 0
    score = 2 if window else 0
    if _STATED.search(lower):
        score += 2
    has_figure = FIGURE.search(lower) or COUNT.search(lower) or MONEY.search(lower)
    if not has_figure or not (_CONTEXT.search(lower) or window):
        return score
    score += 1
    if COUNT.search(lower):
        score += 2 + bool(AFFECTED_COUNT.search(lower))
    if MONEY.search(lower):
        score += 2
    if _PERCENT.search(lower) and _RATE.search(lower):
        score += 2
    if _LATENCY.search(lower) and _MILLISECONDS.search(lower):
        score += 2
    if _LAG.search(lower) and (_DURATION.search(lower) or COUNT.search(lower)):
        score += 2
    if _IMPACT_WORD.search(lower):
        score += 1
    if _ALERT.search(lower):
        score += 1
    if _NOISE.search(lower):
        score -= 3
    return max(score, 0)


def _is_impact(sentence: Sentence) -> bool:
    return _score(sentence) >= 2


def figures(text: str) -> set[str]:
    """The figures written in a text, normalised for comparison."""
    found = FIGURE.findall(text) + COUNT.findall(text) + MONEY.findall(text)
    return {_FIGURE_NOISE.sub("", f.lower()) for f in found}


def _candidate(chat: Chat, message: Message, follows_impact: bool) -> tuple[int, list[str]]:
    """The message's impact sentences (chat order, at most 3) and their combined score."""
    sentences = [s for s in chat.sentences(message) if s.text]
    scored = [(s, _score(s)) for s in sentences]
    strong = [(s, score) for s, score in scored if score >= 2]
    if not strong and follows_impact and len(sentences) == 1:
        terse = sentences[0]  # "so ~39 minutes" right after the impact numbers
        if _TERSE_DURATION.match(terse.lower):
            return 2, [terse.text]
    if not strong:
        return 0, []
    kept = [
        (s, score)
        for s, score in scored
        if score >= 2 or (score == 1 and not _NOISE.search(s.lower) and figures(s.raw))
    ]
    best = sorted(kept, key=lambda pair: -pair[1])[:3]
    ordered = [s.text for s, _ in sorted(best, key=lambda pair: sentences.index(pair[0]))]
    return max(score for _, score in best) + len(best) - 1, ordered


def find_impact(chat: Chat, skip_ids: set[int], limit: int = 6) -> list[Finding]:
    """The strongest impact statements, de-duplicated by figure, at most `limit`, in chat order.

    One finding per message. Messages are ranked by how much impact they state, so a late
    "impact so far: ..." summary outranks early chatter; a message whose figures are all
    already reported is dropped unless it states impact in words.
    """
    candidates: list[tuple[int, Message, str, set[str]]] = []
    recent = 0  # messages since the last impact statement or "impact?" question
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        score, kept = _candidate(chat, message, recent <= 2 and bool(candidates))
        recent += 1
        if kept:
            text = join_sentences(kept, limit=300)
            candidates.append((score, message, text, figures(text)))
            recent = 0
        elif _IMPACT_WORD.search(message.text) and is_question(message.text):
            recent = 0
    ranked = sorted(candidates, key=lambda c: (-c[0], c[1].id))
    chosen: list[tuple[Message, str]] = []
    seen: set[str] = set()
    for _score_value, message, text, found in ranked:
        if len(chosen) == limit:
            break
        new = found - seen
        if found and not new:
            continue
        if not found and not _STATED.search(text.lower()):
            continue
        chosen.append((message, text))
        seen |= found
    chosen.sort(key=lambda pair: pair[0].id)
    return [Finding(text, [message.id]) for message, text in chosen]


def states_count(chat: Chat) -> bool:
    """True when the chat gives a count of affected customers, users, orders or requests."""
    return any(AFFECTED_COUNT.search(s.raw) for s in chat.all_sentences())


def states_money(chat: Chat) -> bool:
    """True when the chat gives an amount of money (revenue, refunds, credits)."""
    return any(MONEY.search(s.raw) for s in chat.all_sentences())


def states_impact_start(chat: Chat) -> bool:
    """True when a message says when impact began ("errors since 09:05")."""
    return any(_START.search(s.raw) and _CONTEXT.search(s.lower) for s in chat.all_sentences())
