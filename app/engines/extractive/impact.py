"""What users saw: statements with figures, or plain statements of who could not do what.

A statement is kept when it has a figure (a percentage, a latency, a count of orders or users, a
duration, an amount of money) next to words of user-facing trouble, or says outright that
something is down or unusable. Recovery ("down to 15%"), estimates ("ETA 90 seconds"), guesses
("could be 10%") and readings of the system's own resources with no user in them ("CPU at 90%")
are not impact. Figures already reported are not repeated.
"""

from __future__ import annotations

import re

from app.engines.extractive import cues, memo
from app.engines.extractive.chat import Chat, Finding, Sentence
from app.engines.extractive.cues import family
from app.engines.extractive.text import is_question, join_sentences
from app.models import Message

_COUNTED = (
    r"orders|users|customers|requests|transactions|payments|accounts|sessions|checkouts|"
    r"merchants|tenants|calls|jobs|messages|emails|errors|failures|tickets|signups|logins|"
    r"purchases|bookings|subscribers|devices|visitors|shoppers|records|events|pages|uploads|"
    r"attempts|invoices|searches|responses|deliveries|webhooks|notifications|reminders|"
    r"refunds|charges|shipments|downloads|queries|drivers|members|players|students|patients|"
    r"files|images|videos|documents|reports|rows|items|carts|deployments|builds|sites|stores|"
    r"people|persons|folks|contractors|employees|staff|partners|clients|buyers|sellers|creators|"
    r"guests|riders|passengers|readers|viewers|developers|workspaces|organi[sz]ations|orgs|"
    r"parcels|packages|labels|addresses|matches|games|payouts|renewals|subscriptions|trips|rides|"
    # the same counted things in Spanish, Portuguese, French and German
    r"pedidos|clientes|usuari(?:o|a)s|usuários|transacciones|transações|pagos|pagamentos|"
    r"cuentas|contas|encomendas|env(?:í|i)os|commandes|utilisateurs|paiements|comptes|colis|"
    r"bestellungen|kunden|nutzer(?:innen)?|zahlungen|sendungen|pakete|anfragen|buchungen"
)
_AFFECTED = (
    r"orders|users|customers|requests|transactions|payments|accounts|checkouts|merchants|"
    r"tenants|purchases|bookings|subscribers|shoppers|visitors|sessions|logins|signups|drivers|"
    r"members|players|students|patients|devices|stores|sites|people|persons|contractors|"
    r"employees|partners|clients|buyers|sellers|creators|guests|riders|passengers|readers|"
    r"viewers|workspaces|organi[sz]ations|parcels|packages|addresses|"
    r"pedidos|clientes|usuari(?:o|a)s|usuários|commandes|utilisateurs|bestellungen|kunden|nutzer"
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
COUNT = cues.cue(
    rf"{_NUMBER}(?:\.\d+)?\s?[kKmM]?\+?\s++(?:[\w-]+\s){{0,2}}(?:{_COUNTED})\b|"
    # the count after its noun, as a tally writes it: "merchants: 1,214", "orders = 412"
    rf"\b(?:{_COUNTED})\s{{0,2}}[:=]\s{{0,2}}{_DIGITS}(?![.:]\d)"
)
MONEY = cues.cue(
    rf"[$€£¥]\s?\d[\d,.]*\s?[kKmMbB]?\b|{_AMOUNT}\s?(?:k|m)?\s?(?:usd|eur|gbp|dollars|euros)\b"
)
FIGURE = cues.cue(
    rf"{_DIGITS}(?:\.\d+)?\s?%|\b\d{{1,2}}h\s?\d{{1,2}}m?\b|"
    rf"{_NUMBER}(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds|minutes?|mins?|hours?|hrs?|h)\b|"
    r"\b[2-5]\d\ds\b|\b5xx\b|\bp9[59]\b"
)
PERCENT = re.compile(r"\d\s?%")
_FIGURE_NOISE = re.compile(r"[\s~,]")
LATENCY_VALUE = re.compile(r"\d\s?(?:ms|s)\b")
_DURATION = cues.cue(rf"{_AMOUNT}\s?(?:minutes?|mins?|hours?|hrs?)\b|\b\d{{1,2}}h\s?\d{{1,2}}m?\b")

IMPACT_CONTEXT = family(
    "impact_context",
    "words of trouble a user or caller meets: errors, failures, latency, outage, can't, stuck",
    r"\b(?:errors?|error rates?|latency|fail\w*|5xx|[45]\d\ds|timeouts?|timing out|down|outage|"
    r"unavailable|affected|impacted|impact|customers?|users?|orders?|requests?|slow\w*|degraded|"
    r"can'?t|cannot|unable|lost|spik\w*|jump\w*|climb\w*|broken|not working|p9[59]|"
    r"checkouts?|payments?|logins?|lag|backlog|peak\w*|wrong|incorrect|duplicat\w*|twice|"
    r"stuck|stale|delay\w*|behind|exposure|exposed|leak\w*|traffic|rejected|dropped|missing|"
    r"charg\w*|refund\w*|billed|invoices?|"
    # a share of a whole: "38% of all transactions", "12% of the traffic"
    r"of all|"
    # the same trouble in Spanish, Portuguese, French and German
    r"rechazad\w*|fallid\w*|errores|erros|afectad\w*|afetad\w*|bloquead\w*|ca(?:í|i)d[oa]s?|"
    r"échou\w*|erreurs|touch(?:é|e)s|bloqu(?:é|e)\w*|fehlgeschlagen\w*|fehler|betroffen\w*|"
    r"abgelehnt\w*|ausfall)\b",
)
IMPACT_STATED = family(
    "impact_stated",
    "impact said outright: 'only X is impacted', 'users can't log in', 'the site is down'",
    r"\bonly [\w\-. ]{1,40}? (?:is|are|was|were) (?:impacted|affected)\b|"
    r"\b(?:customers?|users?|merchants?|shoppers?|clients?|drivers?|people)\b[^.!?]{0,30}"
    r"\b(?:can'?t|cannot|couldn'?t|could not|are unable|were unable|unable|not able)\b|"
    r"\b(?:is|are|was|were|went) (?:completely |fully )?(?:down|unavailable|unreachable)\b|"
    r"\b(?:full|total|partial) outage\b",
)
ESTIMATE = family(
    "estimate",
    "a forecast, not an observation: an ETA, 'will take', 'should take', 'in 5 minutes'",
    r"\b(?:eta|will take|should take|(?<!resolved )(?<!fixed )in \d{1,4}+ "
    r"(?:minutes|mins|seconds|secs))\b",
)
RESOURCE_READING = family(
    "resource_reading",
    "a reading of the system's own resources: CPU, memory, heap, GC, disk, pools, threads",
    r"\b(?:cpu|memory|mem|heap|gc|disk|iops|load average|connection pool|connections|pool|"
    r"threads?|replicas?|pods?|nodes?|shards?|partitions?|slots?|wal|inodes|file descriptors|"
    r"queries|query|cache hit|hit rate|threshold)\b",
)
USER_FACING = family(
    "user_facing",
    "who or what a user meets: users, customers, requests, orders, checkouts, pages, calls",
    r"\b(?:users?|customers?|clients?|merchants?|requests?|orders?|checkouts?|payments?|logins?|"
    r"traffic|calls|api|pages?|site|app|uploads?|searches|transactions?|sessions?|drivers?|"
    r"signups?|emails?|notifications?|deliveries|5xx|[45]\d\ds|error rates?|latency|p9[059])\b",
)
IMPACT_RECOVERED = family(
    "impact_recovered",
    "a figure that reports recovery: 'back to', 'down to', 'dropped to', 'ok again'",
    r"\b(?:back to|back under|back at|back below|down to|drop(?:ped|s)? to|fell to|recovered|"
    r"[1-5]\d\ds again|"
    r"(?:ok|fine|green|working|normal) again|"
    r"(?:rates?|latency|traffic|errors?|p9\d) (?:is |are |looks? )?(?:normal|fine|ok))\b",
)
FIGURE_REVISION = family(
    "figure_revision",
    "a figure corrected by a later one: 'correction:', 'the real figure is', 'revised count'",
    r"^\W{0,3}+correction\b|\b(?:corrections? (?:on|to|of) (?:my|our|the) (?:numbers|figures|"
    r"counts?|totals?)|corrected|revised|revising|updated (?:numbers|figures|counts?|totals?)|"
    r"(?:real|actual|correct|true|final|revised) (?:figures?|numbers?|counts?|totals?)"
    r"(?: is| are| was|:)|korrektur|korrigiert|rectificaci[oó]n|rectificatif)\b",
)
# A number written in a figure: "412", "41,870", "38212.40" ("2+" and clock times aside).
_WRITTEN_NUMBER = re.compile(r"(?<![\d:.,])\d++(?:[.,]\d++)*+(?![\d:])")


def _numbers(text: str) -> set[str]:
    found = (n.replace(",", "") for n in _WRITTEN_NUMBER.findall(text))
    return {n for n in found if len(n) >= 2}


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
_START = cues.cue(
    r"\b(?:since|started (?:at|around)|began (?:at|around)|starting (?:at|around)|from)\s+"
    r"(?:about |around |~)?\d{1,2}[:.h]\d{2}"
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


def has_figure(text: str) -> bool:
    """True when the text states a percentage, duration, latency, count or amount."""
    return bool(FIGURE.search(text) or COUNT.search(text) or MONEY.search(text))


_SCORES: dict[str, int] = memo.table()


def score(sentence: Sentence) -> int:
    """How strongly a sentence states what users experienced, with figures; 0: not at all."""
    lower = sentence.lower
    known = _SCORES.get(lower)
    if known is None:
        known = _SCORES[lower] = _score(lower)
    return known


def _score(lower: str) -> int:
    # A function of the lower-cased text alone: lower-casing keeps a closing "?".
    if is_question(lower) or cues.FOLLOW_UP(lower) or ESTIMATE(lower):
        return 0
    if cues.HYPOTHETICAL(lower) or cues.FUTURE(lower):
        return 0
    window = _is_window(lower)
    recovered = cues.RECOVERY(lower) or cues.RESOLUTION(lower) or IMPACT_RECOVERED(lower)
    if recovered and not window:
        return 0
    value = 2 if window else 0
    if IMPACT_STATED(lower):
        value += 2
    if not has_figure(lower) or not (IMPACT_CONTEXT(lower) or COUNT.search(lower) or window):
        return value
    value += 1
    if COUNT.search(lower):
        value += 2 + bool(AFFECTED_COUNT.search(lower))
    if MONEY.search(lower):
        value += 2
    if PERCENT.search(lower) and _RATE.search(lower):
        value += 2
    if _LATENCY.search(lower) and LATENCY_VALUE.search(lower):
        value += 2
    if _LAG.search(lower) and (_DURATION.search(lower) or COUNT.search(lower)):
        value += 2
    if _IMPACT_WORD.search(lower):
        value += 1
    if cues.ALERTING(lower):
        value += 1
    if RESOURCE_READING(lower) and not USER_FACING(lower):
        value -= 3  # "heap at 95%": a finding about the system, not what users saw
    return max(value, 0)


def states_impact(sentence: Sentence) -> bool:
    """True for a sentence that states user impact."""
    return score(sentence) >= 2


def figures(text: str) -> set[str]:
    """The figures written in a text, normalised for comparison."""
    found = FIGURE.findall(text) + COUNT.findall(text) + MONEY.findall(text)
    return {_FIGURE_NOISE.sub("", f.lower()) for f in found}


def _candidate(chat: Chat, message: Message, follows_impact: bool) -> tuple[int, list[str]]:
    """The message's impact sentences (a run of adjacent ones, at most 3) and their score."""
    sentences = [s for s in chat.sentences(message) if s.text]
    scored = [(s, score(s)) for s in sentences]
    strong = [n for n, (_, value) in enumerate(scored) if value >= 2]
    if not strong and follows_impact and len(sentences) == 1:
        terse = sentences[0]  # "so ~39 minutes" right after the impact numbers
        if _TERSE_DURATION.match(terse.lower):
            return 2, [terse.text]
    if not strong:
        return 0, []
    start = strong[0]
    run = [scored[start]]
    for sentence, value in scored[start + 1 : start + 4]:
        # an amount or a count right after the statement goes on with it ("total ~€187k")
        tally = bool(MONEY.search(sentence.lower) or COUNT.search(sentence.lower))
        if value >= 2 or (value == 1 and has_figure(sentence.lower)) or tally:
            run.append((sentence, value))
        else:
            break
    best = max(value for _, value in run)
    return best + len(run) - 1, [s.text for s, _ in run]


def find_impact(chat: Chat, skip_ids: set[int], limit: int = 6) -> list[Finding]:
    """The strongest impact statements, de-duplicated by figure, at most `limit`, in chat order.

    One finding per message. Messages are ranked by how much impact they state, so a late
    "impact so far: ..." summary outranks early chatter; a message whose figures are all
    already reported is dropped unless it states impact in words.
    """
    candidates: list[tuple[int, Message, str, set[str]]] = []
    by_number: dict[str, list[int]] = {}  # a number -> the candidates stating it
    superseded: set[int] = set()
    recent = 0  # messages since the last impact statement or "impact?" question
    # a message's candidate depends on its text alone (its sentences, in this chat's roster)
    read: dict[tuple[str, bool], tuple[int, list[str]]] = {}
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        follows = recent <= 2 and bool(candidates)
        known = read.get((message.text, follows))
        if known is None:
            known = read[(message.text, follows)] = _candidate(chat, message, follows)
        value, kept = known[0], list(known[1])
        if kept and FIGURE_REVISION(message.text.lower()):
            kept = _revised(by_number, superseded, kept, message.text)
            value = value if kept else 0
        recent += 1
        if kept:
            text = join_sentences(kept, limit=360)
            for number in _numbers(text):
                by_number.setdefault(number, []).append(len(candidates))
            candidates.append((value, message, text, figures(text)))
            recent = 0
        elif _IMPACT_WORD.search(message.text) and is_question(message.text):
            recent = 0
    current = [c for n, c in enumerate(candidates) if n not in superseded]
    ranked = sorted(current, key=lambda c: (-c[0], c[1].id))
    chosen: list[tuple[Message, str]] = []
    seen: set[str] = set()
    for _value, message, text, found in ranked:
        if len(chosen) == limit:
            break
        new = found - seen
        if found and not new:
            continue
        if not found and not IMPACT_STATED(text.lower()):
            continue
        chosen.append((message, text))
        seen |= found
    chosen.sort(key=lambda pair: pair[0].id)
    return [Finding.quote(message, text) for message, text in chosen]


def _revised(
    by_number: dict[str, list[int]], superseded: set[int], kept: list[str], said: str
) -> list[str]:
    """A correction of earlier figures ("correction: the 412 included 24 resellers, real figure
    is 388"): the earlier statements of a number it names are superseded (marked in
    `superseded`), and its own sentences that only retell an old number are left out. Found
    through the number index, so each correction costs the size of its own numbers' lists."""
    old = {n for n in _numbers(said) if by_number.get(n)}
    if not old:
        return kept
    for number in old:
        superseded.update(by_number.pop(number))
    return [text for text in kept if not _numbers(text) & old]


def states_count(chat: Chat) -> bool:
    """True when the chat gives a count of affected customers, users, orders or requests."""
    return any(AFFECTED_COUNT.search(raw) for raw in _distinct_raw(chat))


def states_money(chat: Chat) -> bool:
    """True when the chat gives an amount of money (revenue, refunds, credits)."""
    return any(MONEY.search(raw) for raw in _distinct_raw(chat))


def states_impact_start(chat: Chat) -> bool:
    """True when a message says when impact began ("errors since 09:05")."""
    return any(
        _START.search(s.raw) and IMPACT_CONTEXT(s.lower)
        for s in {s.raw: s for s in chat.all_sentences()}.values()
    )


def _distinct_raw(chat: Chat) -> list[str]:
    """Every sentence of the chat as written, each text once (a repeated one is read once)."""
    return list(dict.fromkeys(s.raw for s in chat.all_sentences()))
