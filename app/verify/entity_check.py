"""Names in a claim against the chat (hard checks): identifiers (services, hosts, versions, jobs,
error classes) and proper names ("Kubernetes", "Airflow", "Bob") must occur in the transcript.

An identifier the chat never writes is *contradicted* when a cited (or retrieved) message about
the same thing names another of its family ("ConnectionResetError" where the chat says
"ConnectionRefusedError", "products-db-3" where it says "products-db-2"), else *unsupported*.
One the chat does write is still *contradicted* when the claim cites a message about the same
thing that names a sibling instead, and no cited message (or its neighbour) names the claimed
one (the wrong service for the event). A capitalised name the chat never uses in any case or form
is *unsupported*.
"""

from __future__ import annotations

import re
import weakref

from app.verify.components import identifier_components, is_system_name
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.entities import TECH_PARTS, family, range_members, squash
from app.verify.places import chat_forms, place_forms, place_written
from app.verify.source import MessageDoc, SourceIndex
from app.verify.text import content_stems

_PARTS = re.compile(r"[-_.]")

# A message speaks of the same thing as the claim from this share of its other words.
SAME_THING = 0.5
NEAR = 1


def _rival_in(
    ctx: ClaimContext, ident: str, docs: list[MessageDoc]
) -> tuple[MessageDoc, str] | None:
    """A message in `docs` about the same thing as the claim that names a sibling of `ident`."""
    kind = family(ident)
    rest = ctx.content - frozenset(content_stems(ident.replace("-", " ").replace(".", " ")))
    rest = frozenset(w for w in rest if ctx.source.known(w))
    if not rest:
        return None  # nothing says what the claim is about: no message can be "about it"
    key = squash(ident)
    # a sibling of another shape counts only in what the claim cites: the same predicate
    cited_only = bool(ctx.cited) and all(d.message.id in ctx.cited for d in docs)
    for doc in docs:
        if overlap(set(rest), set(doc.stems)) < SAME_THING:
            continue  # another service in a message about something else is no rival
        named = {squash(i) for i in ctx.identifiers}
        for other in doc.identifiers:
            squashed = squash(other)
            if not (family(other) == kind or (cited_only and siblings(ident, other))):
                continue  # another kind
            if key in squashed or squashed in key:
                continue  # the same one ("replica-2" of "ledger-db-replica-2")
            if any(squashed in n or n in squashed for n in named):
                continue  # the claim names that one too
            return doc, other
    return None


def siblings(first: str, second: str) -> bool:
    """Two names of one shape that differ in a middle part: as many parts, the same first one,
    both ending in a number or neither ("us-east1" and "us-central1", "etl-sched-01" and
    "etl-worker-03"), though their last parts (`family`) differ."""
    one = [p for p in _PARTS.split(first.lower()) if p]
    two = [p for p in _PARTS.split(second.lower()) if p]
    return (
        len(one) == len(two) >= 2
        and one[0] == two[0]
        and one != two
        and one[-1][-1:].isdigit() == two[-1][-1:].isdigit()
    )


def distinctive_parts(ident: str) -> frozenset[str]:
    """The parts of an identifier that tell it from its siblings: "checkout" of
    "checkout-service", "orders" and "1" of "pg-orders-1" (not "service", "api", "db")."""
    parts = {p for p in _PARTS.split(ident.lower()) if p}
    return frozenset(parts - TECH_PARTS) or frozenset(parts)


def _about_the_same(ctx: ClaimContext, ident: str, doc: MessageDoc) -> bool:
    """A message speaks of what the claim says of `ident` (half its other known words)."""
    rest = ctx.content - frozenset(content_stems(ident.replace("-", " ").replace(".", " ")))
    rest = frozenset(w for w in rest if ctx.source.known(w))
    return bool(rest) and overlap(set(rest), set(doc.stems)) >= SAME_THING


def _context_of(ctx: ClaimContext, ident: str, doc: MessageDoc) -> list[MessageDoc]:
    """The messages up to two places around a cited one that speak of the same thing: where
    a bare "done, cron disabled" gets its host from ("pls disable the payroll-export cron on
    batch-02"), not the next message about another job that happens to name batch-03."""
    return [
        ctx.source.docs[i]
        for i in ctx.source.neighbours(doc.message.id, NEAR + 1)
        if _about_the_same(ctx, ident, ctx.source.docs[i])
    ]


def _named_near(ctx: ClaimContext, ident: str, docs: list[MessageDoc]) -> bool:
    """True when `ident` is written in one of `docs` or a message next to one, whole or by its
    distinctive parts ("checkout 500s" names checkout-service). A message that names no
    identifier of the claimed one's family counts its neighbours only when they speak of the
    same thing (`_context_of`)."""
    key = squash(ident)
    distinct = distinctive_parts(ident)
    kind = family(ident)
    for doc in docs:
        bare = not any(family(i) == kind for i in doc.identifiers)
        if bare:
            ids = [doc.message.id, *(d.message.id for d in _context_of(ctx, ident, doc))]
        else:
            ids = [doc.message.id, *ctx.source.neighbours(doc.message.id, NEAR)]
        for message_id in ids:
            other = ctx.source.docs[message_id]
            if key in squash(other.message.text):
                return True
            if any(squash(m) == key for m in range_members(other.message.text)):
                return True  # "origin-01..04" names origin-03
            forms = {f for word in other.words for f in word[1]}
            if len(ident.split("-")) > 1 and distinct <= forms:
                return True
    return False


def _other_service_cited(ctx: ClaimContext, ident: str) -> CheckResult | None:
    """A service the chat names, claimed for what the cited message says of another one:
    "search-api v2.18 deployed [m6]" where m6 says "we deployed web-storefront v2.18". The sort
    is a system name with no trailing number (numbered hosts and versions have their own
    checks); a domain is no rival of a service. Contradicted when no cited message names the
    claimed service (whole, by its distinctive parts, or in a range), and one cited message
    about the claim's other words names exactly one other service the chat uses as a name and
    the claim does not."""
    if not ctx.cited_docs or not _service_sort(ident):
        return None
    key = squash(ident)
    distinct = distinctive_parts(ident)
    for doc in ctx.cited_docs:
        forms = {f for word in doc.words for f in word[1]}
        if key in squash(doc.message.text) or distinct <= forms:
            return None
        if any(squash(m) == key for m in range_members(doc.message.text)):
            return None
    rest = ctx.content - _own_stems(ident)
    rest = frozenset(w for w in rest if ctx.source.known(w))
    if len(rest) < 2:
        return None
    claim_key = squash(ctx.text)
    for doc in ctx.cited_docs:
        if overlap(set(rest), set(doc.stems)) < SAME_THING:
            continue
        rivals = {
            c.key: c.written
            for c in identifier_components(_CODE_COMMAND.sub(" ", doc.message.text))
            if _service_sort(c.written)
            and _said_of(rest, doc.message.text, c.written)
            and ("." in c.written) == ("." in ident)  # a domain is no rival of a service
            and c.key in ctx.source.named_systems
            and c.key not in claim_key
        }
        if len(rivals) == 1:
            (other,) = rivals.values()
            return CheckResult(
                "identifiers",
                "contradicted",
                f"the cited {doc.when()} says this of {other}, not {ident}",
                (doc.message.id,),
            )
    return None


# An inline code span that holds a command line (a space or an "="): the names in it are
# commands and arguments ("`set-queue-attributes VisibilityTimeout=1800`"), not services.
_CODE_COMMAND = re.compile(r"`[^`\n =]*+[ =][^`\n]*+`")
_SENTENCE_BREAK = re.compile(r"[.;!?](?=[ \t\n]|$)|\n")


def _said_of(rest: frozenset[str], text: str, name: str) -> bool:
    """True when the sentence of `text` that writes `name` says what the claim says (at least
    `SAME_THING` of its other words): "Jun pls hold any further checkout-web deploys" is not
    what "do both. Marek start rollback" says of the rollback."""
    at = text.find(name)
    if at < 0:
        return False
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, at)), default=0)
    end = _SENTENCE_BREAK.search(text, at + len(name))
    sentence = text[start : end.start() if end else len(text)]
    return overlap(set(rest), set(content_stems(sentence))) >= SAME_THING


def _named_compounds(ctx: ClaimContext) -> list[str]:
    """Plain hyphenated words of the claim that are no identifiers by their form (two words, no
    technical part: "payroll-export", "timesheet-sync") but that the chat writes as names, and
    that name no participant ("uptime-bot"). Only the cited-message swap reads them
    (`_other_service_cited`): retrieval is no ground to contradict a plain word."""
    found: list[str] = []
    source = ctx.source
    for component in identifier_components(ctx.text):
        written = component.written
        if written in ctx.identifiers or written in found:
            continue
        if component.key not in source.named_systems and not source.has_entity(written):
            continue
        if source.people.resolve(written) is None:
            found.append(written)
    return found


def _own_stems(ident: str) -> frozenset[str]:
    """The stems an identifier puts in a claim's words: its parts and itself ("api-gateway"
    gives "api", "gateway" and the compound): none of them is what the claim says of it."""
    spaced = ident.replace("-", " ").replace(".", " ")
    return frozenset(content_stems(spaced)) | frozenset(content_stems(ident))


def _service_sort(name: str) -> bool:
    """A system name of the service sort: hyphenated or dotted, not a version, a file or a
    numbered host ("search-api", "web-storefront"; not "auth-7", "v2.18")."""
    return is_system_name(name) and family(name) != "version" and not name[-1:].isdigit()


def _about(ctx: ClaimContext, ident: str) -> list[MessageDoc]:
    """Retrieved messages that report what the claim says of the identifier: half of the
    claim's other known words, two at least (close enough to stand in for a citation)."""
    rest = ctx.content - frozenset(content_stems(ident.replace("-", " ").replace(".", " ")))
    known = frozenset(w for w in rest if ctx.source.known(w))
    if len(known) < 2:
        return []
    found = ctx.search_event(known, k=5)
    return [doc for doc, score in found if score >= SAME_THING and len(known & doc.stems) >= 2]


def _wordlike(ident: str) -> bool:
    """A CamelCase word or a two-part compound of letters: a name more than a system id."""
    parts = ident.split("-")
    return ident.isalpha() or (len(parts) == 2 and all(p.isalpha() for p in parts))


def check_identifiers(ctx: ClaimContext) -> CheckResult:
    """Service names, hostnames, versions and error names in the claim occur in the chat, and
    are the ones its cited messages name for the same thing."""
    for compound in _named_compounds(ctx):
        swapped = _other_service_cited(ctx, compound)
        if swapped is not None:
            return swapped
    if not ctx.identifiers:
        return CheckResult("identifiers", "skip")
    for ident in ctx.identifiers:
        if ctx.source.has_entity(ident):
            swapped = _other_service_cited(ctx, ident)
            if swapped is not None:
                return swapped
            # The chat names it, but is it the one the chat names for this? The cited messages
            # decide; for a claim citing none, the messages that say most of what it says.
            # (a version the chat writes is no wrong one by retrieval alone: "rolled back from
            # v3.8.1 to v3.8.0" names both beside the same words)
            about = ctx.cited_docs or ([] if family(ident) == "version" else _about(ctx, ident))
            if about and not _named_near(ctx, ident, about):
                rival = _rival_in(ctx, ident, about)
                if rival is None and ctx.cited_docs:
                    # a bare cited message ("done, cron disabled"): its context names the host
                    around = [d for doc in about for d in _context_of(ctx, ident, doc)]
                    rival = _rival_in(ctx, ident, around)
                if rival is not None:
                    doc, other = rival
                    cited = "the cited " if ctx.cited else ""
                    return CheckResult(
                        "identifiers",
                        "contradicted",
                        f"{cited}{doc.when()} names {other} for this, not {ident}",
                        (doc.message.id,),
                    )
            continue
        rival = _rival_in(ctx, ident, ctx.cited_docs) or _rival_in(ctx, ident, ctx.docs())
        if rival is not None and _named_near(ctx, ident, [rival[0]]):
            rival = None  # "payments-api" for the chat's "Payments ... not affected"
        if rival is not None:
            doc, other = rival
            return CheckResult(
                "identifiers",
                "contradicted",
                f"{doc.when()} names {other}, not {ident}",
                (doc.message.id,),
            )
        if _wordlike(ident) and ctx.source.knows_word(ident.replace("-", "")):
            continue  # "PostgreSQL" for "postgres", "pre-prod" for "preprod"
        distinct = distinctive_parts(ident)
        if len(ident.split("-")) > 1 and all(
            ctx.source.knows_word(p) and not p.isdigit() for p in distinct
        ):
            # "payments-api" for the chat's "Payments": the thing, not its exact name
            return CheckResult(
                "identifiers", "flag", f"the chat never writes {ident}, only its parts"
            )
        return CheckResult("identifiers", "unsupported", f"{ident} does not occur in the chat")
    return CheckResult("identifiers", "pass", "its identifiers occur in the chat")


# The country forms each live chat writes (`places.chat_forms`), built on first need.
_CHAT_FORMS: weakref.WeakKeyDictionary[SourceIndex, frozenset[str]] = weakref.WeakKeyDictionary()


def check_names(ctx: ClaimContext) -> CheckResult:
    """Capitalised names in the claim ("the Redis cache", "approved by Bob") occur in the chat
    (hard); an abbreviation the chat never uses ("ACM") is only flagged, since plain language
    spells out what a chat abbreviates and the reverse ("SMS", "EMEA")."""
    names = ctx.proper_names
    unknown = [n for n in dict.fromkeys(names) if not ctx.source.knows_name(n)]
    if unknown and any(place_forms(n) is not None for n in unknown):
        # "Chilean" for the chat's "CLP", "Germany" for "DE": a country in any of its forms
        written = _CHAT_FORMS.get(ctx.source)
        if written is None:
            written = chat_forms([doc.message.text for doc in ctx.source.docs.values()])
            _CHAT_FORMS[ctx.source] = written
        unknown = [n for n in unknown if not place_written(n, written)]
    if unknown:
        return CheckResult(
            "names", "unsupported", f"the chat never mentions {', '.join(unknown[:4])}"
        )
    strange = [a for a in dict.fromkeys(ctx.acronyms) if not ctx.source.knows_acronym(a)]
    if strange:
        return CheckResult(
            "names", "unsupported", f"the chat never writes {', '.join(strange[:4])}"
        )
    if not names:
        return CheckResult("names", "skip")
    return CheckResult("names", "pass", "the names it uses occur in the chat")
