"""The affected service: the service-like name the chat mentions most, impact statements first.

Service-like names are tokens such as `checkout-service`, `payments-api` or `orders-db`, two-word
names such as "Payment API", well-known infrastructure (Redis, Kafka, DNS), and, inside impact
statements, any hyphenated name (`image-resizer`). Participants' names never count, and neither
do mentions inside guesses, questions or corrections, nor a name the chat ruled out ("not the
CDN"): a red herring never names the incident.
"""

from __future__ import annotations

import re
from collections import Counter

from app.engines.extractive import cause_cues as cc
from app.engines.extractive import memo
from app.engines.extractive.chat import Chat, Finding
from app.engines.extractive.corrections import RuledOut
from app.engines.extractive.text import STOPWORDS, content_words, is_question
from app.fold import word_key

_SERVICE = re.compile(
    r"(?<![a-z0-9])(?<![a-z0-9][-_])"  # start at the name's first segment, not at every one
    r"\b[a-z0-9]+(?:[-_][a-z0-9]+)*[-_](?:service|svc|api|gateway|db|workers?|queue|cache|proxy|"
    r"server|cluster|app|web|frontend|backend|platform)\b(?![.\w-])",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"(?<![\w-])(?P<name>[A-Za-z][\w-]++)\s++(?P<kind>service|API|database|DB|cluster|queue|gateway)\b"
    r"(?![.\w-])"
)
INFRA = re.compile(
    r"\b(?:postgres(?:ql)?|mysql|redis|kafka|rabbitmq|elasticsearch|dns|cdn|kubernetes|k8s|"
    r"memcached|nginx|cassandra|mongodb|dynamodb|etcd|load balancer|database|s3)\b",
    re.IGNORECASE,
)
_HYPHENATED = re.compile(r"(?<![\w.-])([a-z][a-z0-9]*+)(?:-[a-z0-9]++)++(?![\w-]|\.\w)")
_PREFIXES = frozenset(
    "pre non re post co self on long short high low real built well follow dead read write end "
    "all multi cross one two half third out in up roll x e sub de anti".split()
)
_NOT_A_NAME = STOPWORDS | {"new", "old", "other", "every", "whole", "same", "prod", "staging"}


_FOUND_SERVICES: dict[tuple[str, bool], tuple[str, ...]] = memo.table()


def _services(text: str, focus: bool = False) -> tuple[str, ...]:
    """Service-like names in `text`, in order (a repeated sentence is read once)."""
    known = _FOUND_SERVICES.get((text, focus))
    if known is None:
        known = _FOUND_SERVICES[(text, focus)] = tuple(_read_services(text, focus))
    return known


def _read_services(text: str, focus: bool) -> list[str]:
    found = [m.group(0) for m in _SERVICE.finditer(text)]
    if focus:
        found += [
            m.group(0)
            for m in _HYPHENATED.finditer(text)
            if not _SERVICE.fullmatch(m.group(0)) and word_key(m.group(1)) not in _PREFIXES
        ]
    for match in _NAMED.finditer(text):
        if word_key(match["name"]) not in _NOT_A_NAME and not _SERVICE.search(match.group(0)):
            found.append(f"{match['name']} {match['kind']}")
    found.extend(m.group(0) for m in INFRA.finditer(text))
    return found


def _counted_texts(chat: Chat, skip_ids: set[int]) -> list[str]:
    """Sentences that state something about the incident (no guess, question or correction)."""
    texts = []
    for message in chat.messages:
        if message.id in skip_ids:
            continue
        for sentence in chat.sentences(message):
            lower = sentence.lower
            if is_question(sentence.raw) or cc.HEDGE(lower) or cc.CORRECTION(lower):
                continue
            texts.append(sentence.raw)
    return texts


def main_service(
    chat: Chat, focus: list[Finding], skip_ids: set[int], ruled: RuledOut | None = None
) -> str | None:
    """The most-mentioned service-like name (focus statements weigh triple), as first written."""
    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    order: dict[str, int] = {}
    texts = [(f.text, 3, True) for f in focus]
    texts += [(t, 1, False) for t in _counted_texts(chat, skip_ids)]
    for text, weight, is_focus in texts:
        for service in _services(text, is_focus):
            key = service.lower()
            if chat.roster.resolve(key.split()[0]) is not None:
                continue
            if ruled is not None and content_words(key) and content_words(key) <= ruled.words:
                continue
            counts[key] += weight
            spelling.setdefault(key, service)
            order.setdefault(key, len(order))
    if not counts:
        return affected_thing(chat, focus, skip_ids)
    best = max(counts, key=lambda k: (counts[k], -order[k]))
    return spelling[best]


SYMPTOM = re.compile(
    r"\b(?P<thing>[a-z][a-z0-9]{2,})\s+(?:errors?|failures?|failing|failed|fails|outage|"
    r"latency|timeouts?|timing out|lag|oom\w*|crash\w*|5xx|50[0-4]s|"
    r"(?:is|are|was|were) (?:down|broken|failing|unavailable))\b",
    re.IGNORECASE,
)
_COUNTED_THING = re.compile(
    r"(?<!\d)(?<!\d[,.])\b\d++(?:[,.]\d++)*+[,.]?+\s?[kKmM]?\+?\s++(?:[a-z]+\s)?(?P<thing>[a-z]{3,}s)\b",
    re.IGNORECASE,
)
_NOT_COUNTED_THINGS = frozenset(
    "customers users requests errors calls people pods nodes replicas hosts servers instances "
    "times days hours minutes mins seconds secs weeks months years tickets retries attempts "
    "others ones was is has this us bytes percents ms cores threads connections".split()
)
NOT_A_THING = _NOT_A_NAME | frozenset(
    "total double full partial more many some all high any still rate seeing getting got see "
    "saw less mostly also just now again those these its their our your his her random "
    "intermittent occasional major minor big small huge massive zero none no every each few "
    "several fewer lots extra".split()
)


def affected_thing(chat: Chat, focus: list[Finding], skip_ids: set[int]) -> str | None:
    """When no service is named: the word the chat puts before a symptom ("checkout errors"),
    else the thing it counts ("214 invoices"), focus statements first; never a person's name."""
    focus_texts = [f.text for f in focus]
    other = [m.text for m in chat.messages if m.id not in skip_ids]
    for pattern, singular in ((SYMPTOM, False), (_COUNTED_THING, True)):
        counts: Counter[str] = Counter()
        for texts, weight in ((focus_texts, 3), (other, 1)):
            for text in texts:
                for match in pattern.finditer(text):
                    word = word_key(match["thing"])
                    if word in NOT_A_THING or word in _NOT_COUNTED_THINGS:
                        continue
                    if chat.roster.resolve(word) is not None:
                        continue
                    counts[word] += weight
        if counts:
            best = max(counts, key=lambda k: counts[k])  # first seen wins ties
            thing = best[:-1] if singular and best.endswith("s") else best
            return thing.capitalize()
    return None
