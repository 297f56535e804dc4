"""Which component the chat names for what a claim says (a hard check): "the edge-proxy returned
502s on each switch" where the chat says "checkout-api in EU is throwing 502s on each switch";
"Chidi scaled media-origin from 8 to 24 pods" where it says "thumbnailer scaled 8 -> 24 pods".

For each component the claim names that the chat knows (see `components`), the words of the
claim's clause around it (without the component) are the event. The chat's clause that reports
the event best (among the messages it cites, those at its times and those retrieved for the
event: three
quarters of the event's weight and two of its words at least) decides: if it names the claimed
component, the claim passes; if it names exactly one other component of the same kind that the
claim does not name, and no clause that names the claimed one reports the event half as well,
the claim is *contradicted*, naming that message; for a claim that cites messages, only when
that clause is in one of them (a retrieved message about another host is no ground to
contradict what the cited ones say). A hyphenated word is a rival only when the
chat uses it as a name (`SourceIndex.named_systems`): "a non-existent endpoint" names none.
Anything else says nothing either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.verify.components import (
    KIND_WORDS,
    Component,
    components_in,
    identifier_components,
    kind_phrases,
    names,
    pieces,
)
from app.verify.context import CheckResult, ClaimContext, idf_weight
from app.verify.entities import range_members, squash
from app.verify.mood import is_past_form
from app.verify.quantities import figures
from app.verify.source import MessageDoc
from app.verify.text import GENERIC, content_stems, is_content, stem, words

KIND_STEMS = frozenset(stem(w) for w in KIND_WORDS)

# The chat's clause reports the event from this share of its (IDF-weighted) words...
EVENT_SHARE = 0.75
# ...and this many of them.
EVENT_WORDS = 2
# A clause naming the claimed component that reports the event this well (relative to the best)
# keeps the claim from being contradicted.
OWN_SHARE = 0.5
RETRIEVED = 6
_CLAIM_BREAK = re.compile(
    r"[;:]|,[ \t]*+|(?<=[ \t])"
    r"(?:and|because|since|while|which|whereas|so|but|after|before)(?=[ \t])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Clause:
    doc: MessageDoc
    text: str
    score: float


def claimed_components(ctx: ClaimContext) -> list[Component]:
    """The components a claim names that the chat knows: its identifiers, its phrases before a
    kind word ("the billing events service"), and the chat's component words it uses."""
    source = ctx.source
    found = [c for c in identifier_components(ctx.text) if source.has_entity(c.written)]
    found += [
        c
        for c in identifier_components(ctx.text)
        if not source.has_entity(c.written) and c.key in source.system_keys
    ]
    taken = {c.key for c in found}
    for name, _ in kind_phrases(ctx.text):
        key = squash(name)
        if key in taken or not key:
            continue
        if key in source.entity_keys or name.lower() in source.component_words:
            found.append(Component(name, key, False))
            taken.add(key)
    for component in components_in(ctx.text, source.component_words):
        if component.key not in taken and not component.identifier:
            found.append(component)
            taken.add(component.key)
    return found


def _clause_of(ctx: ClaimContext, component: Component) -> str:
    """The part of the claim a component sits in."""
    text = ctx.text
    at = text.lower().find(component.written.lower())
    if at < 0:
        return text
    start = 0
    for match in _CLAIM_BREAK.finditer(text):
        if match.end() <= at:
            start = match.end()
        elif match.start() >= at + len(component.written):
            return text[start : match.start()]
    return text[start:]


def _written_run(text: str, component: Component) -> str:
    """The run of characters without spaces in which a component is written ("ntp1/ntp2.corp"
    for ntp2.corp)."""
    at = text.lower().find(component.written.lower())
    if at < 0:
        return component.written
    start = text.rfind(" ", 0, at) + 1
    end = text.find(" ", at)
    return text[start : end if end >= 0 else len(text)]


@lru_cache(maxsize=4096)
def _terms(text: str) -> frozenset[str]:
    """Content stems and figure keys of a text (both sides of the comparison; a chat's clauses
    are read again for every claim about a component, so the answers are kept)."""
    return frozenset(content_stems(text)) | {f.key for f in figures(text)}


def _event(ctx: ClaimContext, component: Component, others: list[Component]) -> frozenset[str]:
    """The known words and figures of the component's clause, without the words of the
    components the claim names or words for kinds of component."""
    own = {t.stem for c in others for t in words(_written_run(ctx.text, c))} | KIND_STEMS
    for text in (_clause_of(ctx, component), ctx.text):  # the whole claim when its part is short
        stems = _terms(text) - own - GENERIC - ctx.name_stems
        known = frozenset(s for s in stems if ctx.source.known(s))
        if len(known) >= EVENT_WORDS:
            return known
    return known


def _weight(ctx: ClaimContext, stems: frozenset[str]) -> float:
    return idf_weight(ctx.source, stems)


def _candidates(ctx: ClaimContext, event: frozenset[str]) -> list[MessageDoc]:
    docs: list[MessageDoc] = list(ctx.cited_docs)
    for written in ctx.times:
        for value in written.values:
            docs += [ctx.source.docs[i] for i in ctx.source.at_time(value)]
    docs += [doc for doc, _ in ctx.search_event(event, k=RETRIEVED)]
    return list({d.message.id: d for d in docs}.values())


def _clauses(ctx: ClaimContext, event: frozenset[str], docs: list[MessageDoc]) -> list[_Clause]:
    """The chat clauses that report the event, best first (earlier first among equals)."""
    total = _weight(ctx, event) or 1.0
    found: list[_Clause] = []
    for doc in docs:
        for piece in pieces(doc.message.text):
            shared = event & _terms(piece)
            if len(shared) < EVENT_WORDS:
                continue
            score = _weight(ctx, shared) / total
            if score >= EVENT_SHARE:
                found.append(_Clause(doc, piece, score))
    return sorted(found, key=lambda c: (-c.score, ctx.source.positions[c.doc.message.id]))


def _named_elsewhere(reports: list[_Clause], best: _Clause, component: Component) -> bool:
    """A clause that names the component reports the event half as well as the best one."""
    return any(r.score >= OWN_SHARE * best.score and _names_in(r.text, component) for r in reports)


def _abbreviates(short: str, key: str) -> bool:
    """True when `short`'s letters come in order in `key` ("gw" for gateway, "notif")."""
    rest = iter(key)
    return all(letter in rest for letter in short)


def _finite_verb(raw: str) -> bool:
    """A verb form that has a subject: a past form ("called") or a third-person one ("calls")."""
    plain = raw.isalpha() and raw not in KIND_WORDS
    return plain and (is_past_form(raw) or (len(raw) > 3 and raw.endswith("s") and raw[-2] != "s"))


def _other_subject(ctx: ClaimContext, component: Component, report: str) -> str | None:
    """The word the chat's clause puts where the claim puts the component, as the doer of the
    same verb: "the notifications service calls profile-service" against "auth calls
    profile-service on every login" gives "auth". Only a plain subject right before the verb
    counts: a content word the claim does not use, not a kind word, a person, a number or a
    shorthand of the component; anything else gives None."""
    tokens = ctx.tokens
    at = next(
        (
            i
            for i, t in enumerate(tokens)
            if t.raw.removesuffix("'s") in _forms(component.written)
            or squash(t.raw) == component.key
        ),
        None,
    )
    if at is None:
        return None
    after = at + 1
    while after < len(tokens) and (
        tokens[after].raw in KIND_WORDS or tokens[after].stem in _forms(component.written)
    ):
        after += 1
    if after >= len(tokens) or not is_content(tokens[after]):
        return None
    verb = tokens[after]
    if not _finite_verb(verb.raw):
        return None
    said = words(report)
    claim_stems = {t.stem for t in tokens}
    for index, token in enumerate(said):
        if token.stem != verb.stem or index == 0:
            continue
        before = said[index - 1]
        if (
            not is_content(before)
            or before.stem in claim_stems
            or before.raw in KIND_WORDS
            or ctx.source.people.resolve(before.raw) is not None
            or _abbreviates(before.raw, component.key)
            or (index >= 2 and is_content(said[index - 2]))  # "the auth team": not one word
        ):
            return None
        return before.raw
    return None


def _names_in(text: str, component: Component) -> bool:
    """True when a chat clause names the component: whole, by its distinctive parts, or as a
    member of a numbered range it writes ("origin-01..04" names origin-03)."""
    if names(squash(text), _forms(text), component):
        return True
    return component.identifier and any(squash(m) == component.key for m in range_members(text))


def _forms(text: str) -> frozenset[str]:
    return frozenset(t.raw for t in words(text))


def check_components(ctx: ClaimContext) -> CheckResult:
    """The components a claim names are the ones the chat names for what it says."""
    claimed = claimed_components(ctx)
    if not claimed:
        return CheckResult("components", "skip")
    claim_key = squash(ctx.text)
    confirmed: list[int] = []
    for component in claimed:
        event = _event(ctx, component, claimed)
        if len(event) < EVENT_WORDS:
            continue
        reports = _clauses(ctx, event, _candidates(ctx, event))
        if not reports:
            continue
        best = reports[0]
        if _names_in(best.text, component):
            confirmed.append(best.doc.message.id)
            continue
        if ctx.cited and best.doc.message.id not in ctx.cited:
            continue  # a claim that cites is contradicted only by what it cites
        rivals = {
            c.key: c
            for c in components_in(best.text, ctx.source.component_words | ctx.source.vendor_words)
            if c.kind == component.kind
            and c.key not in claim_key
            and (not c.identifier or c.key in ctx.source.named_systems)
        }
        if not rivals:
            subject = _other_subject(ctx, component, best.text)
            if subject is not None and not _named_elsewhere(reports, best, component):
                return CheckResult(
                    "components",
                    "contradicted",
                    f"{best.doc.when()} has {subject!r} do this, not {component.written}: "
                    f"{best.text[:80]!r}",
                    (best.doc.message.id,),
                )
        if len(rivals) != 1:
            continue  # none, or several: which one the clause speaks of is not clear
        own = [
            r for r in reports if r.score >= OWN_SHARE * best.score and _names_in(r.text, component)
        ]
        if own:
            confirmed.append(own[0].doc.message.id)
            continue
        (rival,) = rivals.values()
        return CheckResult(
            "components",
            "contradicted",
            f"{best.doc.when()} says this of {rival.written}, not {component.written}: "
            f"{best.text[:80]!r}",
            (best.doc.message.id,),
        )
    if confirmed:
        return CheckResult(
            "components", "pass", "the chat names the same components for this", tuple(confirmed)
        )
    return CheckResult("components", "skip")
