"""What a sentence says about the world beyond its words: is it negated, is a thing done or only
planned, is a service in a bad or a good state, does it speak for "all" of something.

Rule-based on purpose: the same function reads the claim and the chat, so the checks compare like
with like, and every decision can be explained in one line of a verdict's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from app.fold import word_key
from app.verify.text import EXPANSIONS, NEGATIONS, Token, is_content, stem, words

State = Literal["bad", "good"]

# Headings and lead-in lines under which everything is a plan, not a fact about the past.
PLANNED_HEADING = re.compile(
    r"recommend|planned|\bplans?\b|next steps?|action items?|follow[- ]?ups?|improvements?|"
    r"prevent|future|to-?do|going forward|remediation items?|preventive",
    re.IGNORECASE,
)

_ACTION_WORDS = """
add implement deploy fix update rollback restart revert patch merge push create write run test
verify validate notify migrate configure remove disable enable install upgrade release ship
introduce automate document schedule scale change start complete rotate renew flush purge clear
set replace build move rerun redeploy pin bump communicate send publish backfill delete block
""".split()
ACTION_STEMS = frozenset(stem(w) for w in _ACTION_WORDS)
INCEPTION_STEMS = frozenset({stem("start")})

IMPERATIVES = frozenset(
    """
add implement update create fix run write move make set review document audit investigate automate
enable disable introduce build schedule migrate rotate configure validate verify test deploy remove
replace upgrade improve define establish require enforce monitor alert track conduct perform hold
share send notify communicate check ensure consider evaluate explore refactor pin bump increase
reduce limit expand adopt roll revert restart patch publish train block
""".split()
)

_PLANNED = re.compile(
    r"\b(will|shall|gonna|going to|should|must|need(?:s)? to|let['’]?s(?! encrypt)|please|can you|"
    r"could you|would you|maybe|plan(?:s|ned|ning)? to|planning|todo|to-do|next step|"
    r"want to|would like to|intend|to be (?:added|done|implemented)|once)\b"
    r"|\b\w++['’]ll\b|\?\s*+$",
    re.IGNORECASE,
)
_DONE_WORDS = frozenset(
    {
        "done",
        "complete",
        "completed",
        "finished",
        "ready",
        "fixed",
        "deployed",
        "merged",
        "shipped",
        "live",
        "resolved",
        "restored",
        "recovered",
        "notified",
        "sent",
        "added",
        "updated",
        "implemented",
        "rolled",
        "reverted",
        "applied",
        "installed",
        "in place",
    }
)
_PASSIVE_DONE = re.compile(
    r"\b(?:has|have|had|was|were|got|is|are)\s++(?:been\s++|now\s++|already\s++|since\s++)*+"
    r"(\w+(?:ed|en|t)|run|set|put|done|made|found|sent|built|begun|shut)\b",
    re.IGNORECASE,
)

_BAD = frozenset(
    stem(w)
    for w in """affected impacted down failing failed failure broken degraded outage unavailable
    lost crashed crashing timeout unreachable unresponsive stuck corrupted disrupted delayed
    lagging slow""".split()
)
_GOOD = frozenset(
    stem(w)
    for w in "fine healthy normal unaffected unimpacted working isolated operational".split()
) | {"ok", "okay"}

STATE_STEMS = _BAD | _GOOD
BAD_STEMS = _BAD

_UNIVERSAL = re.compile(
    r"\b(all|every|everyone|everybody|everything|entire|entirely|completely|totally|always|"
    r"never|whole|100\s?%|100 percent)\b",
    re.IGNORECASE,
)
_NOT_UNIVERSAL = re.compile(
    r"\b(at all|after all|all[- ]hands|thanks,? all|hi all|all good|all clear|first of all|"
    r"all right)\b",
    re.IGNORECASE,
)


def universal_spans(text: str) -> list[tuple[str, int]]:
    """Words claiming totality ("all", "every", "100%", "never") outside set phrases, with the
    offset where each ends."""
    cleaned = _NOT_UNIVERSAL.sub(lambda m: " " * len(m.group(0)), text)
    return [(word_key(m.group(1)), m.end()) for m in _UNIVERSAL.finditer(cleaned)]


def universal_quantifiers(text: str) -> list[str]:
    """Words claiming totality ("all", "every", "100%", "never") outside set phrases."""
    return [word for word, _ in universal_spans(text)]


@dataclass(frozen=True)
class ClauseFacts:
    """The mood and polarity of one clause."""

    text: str
    stems: frozenset[str]
    content: frozenset[str]
    negated: bool
    planned: bool
    imperative: bool
    past: frozenset[str]
    perfect: frozenset[str]
    progressive: frozenset[str]
    done_marker: bool
    state: State | None
    scope_only: bool
    scope_also: bool
    universal: tuple[str, ...]
    denied: frozenset[str] = frozenset()
    # A negation under a modal ("was supposed to be step 2, not bundled", "should not have
    # shipped"): it says what was meant or advised, not that something did not happen.
    modal_negation: bool = False

    @property
    def negative(self) -> bool:
        """True when the clause denies something ("not", "never", "without", "failed to",
        "missing")."""
        return self.negated or bool(self.denied)

    def mood_of(self, verbs: frozenset[str]) -> Literal["done", "progress", "planned", "other"]:
        """How this clause speaks of doing one of `verbs`: done, in progress or planned."""
        if self.planned or self.imperative:
            return "planned"
        if verbs & self.past or (self.done_marker and verbs & self.stems):
            return "done"
        if verbs & self.progressive:
            return "done" if verbs & INCEPTION_STEMS else "progress"
        return "other"

    def general_mood(self) -> Literal["done", "progress", "planned", "other"]:
        """The clause's mood whatever the verb."""
        if self.planned or self.imperative:
            return "planned"
        if self.done_marker or self.past & ACTION_STEMS:
            return "done"
        if self.progressive & ACTION_STEMS:
            return "progress"
        return "other"


# Modal phrases that put a negation after them in the mood of intent or advice.
_MODAL = re.compile(
    r"\b(?:(?:supposed|meant|going|ought|planned|expected|intended)[ \t]++to|should|shouldn't|"
    r"might|must|needs?[ \t]++to)\b"
)
# A negator as a word of its own ("not", "never", "no", "n't").
_NEGATOR_WORD = re.compile(r"\b(?:not|never|no|without)\b|n't\b")
# "crash-free", "error-free": the compound reports the absence of the first word.
_FREE_OF = re.compile(r"\b([a-z0-9]++)-free\b")


def _modal_negation(lowered: str) -> bool:
    """True when a negator follows a modal phrase in the clause ("the move was supposed to be
    step 2 next week, not bundled"; "we should not have shipped it")."""
    modal = _MODAL.search(lowered)
    return modal is not None and _NEGATOR_WORD.search(lowered, modal.end()) is not None


def is_past_form(raw: str) -> bool:
    """A past form of a verb, as written in lower case ("fixed", "took"; not "set", "bed")."""
    return _is_past_raw(raw)


def _is_past(token: Token) -> bool:
    return _is_past_raw(token.raw)


def _is_past_raw(raw: str) -> bool:
    if raw in {"set", "put"}:
        return False
    return (len(raw) > 4 and raw.endswith("ed")) or raw in _IRREGULAR_PAST_RAW


_IRREGULAR_PAST_RAW = frozenset(
    {
        "began",
        "begun",
        "ran",
        "found",
        "made",
        "took",
        "taken",
        "wrote",
        "written",
        "sent",
        "built",
        "broke",
        "fell",
        "went",
        "did",
        "got",
        "led",
        "saw",
        "told",
        "kept",
        "lost",
        "left",
        "hit",
        "cut",
        "shut",
        "paid",
        "spent",
        "caught",
        "brought",
        "thought",
        "held",
        "rose",
        "shown",
        "known",
    }
)


_FOLLOWERS = frozenset(
    """the a an our their its his her to with in on at for from into back by up out off over
    all some this that these those it them new additional extra further more successfully
    quickly immediately and""".split()
)
_SUBJECTS = frozenset(
    "we i they he she you team engineer engineers someone everyone who which that and".split()
)


_NEGATED_PART = re.compile(r"(?:^|-)(?:not|no|non|never)-")
_ONLY = re.compile(r"\bonly\b")
_ALSO = re.compile(r"\b(?:also|too|as well|another|other)\b")
_AUXILIARY = re.compile(r"\b(?:has|have|had|was|were|is|are|will|would)\b", re.IGNORECASE)


def _finite(text: str, tokens: list[Token], index: int) -> bool:
    """True when a past form acts as the verb ("we added tests", "Added tests") rather than an
    adjective ("automated tests", "the updated runbook")."""
    token = tokens[index]
    if index == 0:
        # "Updated prod env vars" is a verb; "Automated tests have been added" an adjective.
        return not _AUXILIARY.search(text[token.start + len(token.raw) :])
    if tokens[index - 1].raw in _SUBJECTS | {"has", "have", "had", "was", "were"}:
        return True
    rest = text[token.start + len(token.raw) :].lstrip()
    if not rest or not rest[0].isalnum():
        return True
    following = tokens[index + 1].raw if index + 1 < len(tokens) else ""
    return following in _FOLLOWERS


# A list item's marker: "(b) ", "b) ", "2. ", "- ".
_ITEM_MARKER = re.compile(r"\A[ \t]*+(?:\([a-z0-9]\)|[a-z0-9][.)]|[-*•])[ \t]++", re.IGNORECASE)


# "not only on lag", "not just the API": adds to what is said, denies nothing.
_NOT_ONLY = re.compile(r"\b(?:not|n't)[ \t]++(?:only|just|merely|solely)\b", re.IGNORECASE)
# An opening "if" or "unless": the clause supposes; it states nothing either way.
CONDITIONAL = re.compile(r"\A\W*+(?:if|unless|in[ \t]++case|whether)\b", re.IGNORECASE)
# A state word that qualifies the noun after it at the start of a noun phrase ("failed requests
# back to baseline", "the failed txns"): it describes those items, not the subject's state.
_ATTRIBUTIVE = re.compile(
    r"(?:\A|\b(?:the|a|an|all|any|some|these|those|of|by|no|\d++))[ \t]*+"
    r"(?P<word>failed|failing|crashed|affected|impacted|delayed|degraded|lost|stuck|broken|"
    r"corrupted|unaffected)[ \t]++(?!(?:to|for|in|on|at|by|with|as|and|or|but|since|from|"
    r"after|before|again|too|when|because|so|until|over)\b)[a-z]",
    re.IGNORECASE,
)

# "broken down per payment method", "split out by region": a breakdown, no state.
_BREAKDOWN = re.compile(r"\b(?:broken|broke|break)[ \t]++down[ \t]++(?:by|per|into)\b", re.I)


def _compound_parts(tokens: list[Token]) -> frozenset[int]:
    """Indexes of tokens that are the parts of a hyphenated compound ("zero-click", "no-op",
    "billing-alerts"): a part is no word of its own, so "zero" there negates nothing."""
    found: set[int] = set()
    head = 0
    for i in range(1, len(tokens)):
        if tokens[i].start != tokens[head].start:
            head = i
        elif "-" in tokens[head].raw:
            found.add(i)
    return frozenset(found)


@lru_cache(maxsize=8192)
def analyse_clause(text: str) -> ClauseFacts:
    """Read a clause's negation, mood (done / in progress / planned) and state polarity (cached:
    every index of the same chat reads the same clauses)."""
    original = text
    text = _NOT_ONLY.sub(lambda m: " " * len(m.group(0)), text)
    tokens = words(text)
    parts = _compound_parts(tokens)
    raws = [t.raw for t in tokens]
    stems = frozenset(t.stem for t in tokens)
    # "not-yet-valid" denies as "not yet valid" does; "zero-click" names a metric
    negated = any(
        (r in NEGATIONS and i not in parts) or ("-" in r and _NEGATED_PART.search(r))
        for i, r in enumerate(raws)
    )
    # "global didn't cross until 07:42": it crossed, at 07:42
    not_until = negated and "until" in raws and not {"never", "no", "none", "nothing"} & set(raws)
    negated = negated and not not_until
    marker = _ITEM_MARKER.match(text)  # "(b) send the key": the order starts after the marker
    opens = marker.end() if marker else 0
    first = next(
        (
            t
            for t in tokens
            if t.start >= opens and t.raw not in {"also", "then", "and", "please", "we"}
        ),
        None,
    )
    imperative = bool(
        first is not None
        and first.raw in IMPERATIVES
        and first.start <= opens + 2
        and len(tokens) > 1
        and not ({r for r in raws} & {"ready", "done", "complete", "completed", "finished"})
        and text[first.start + len(first.raw) : first.start + len(first.raw) + 1] != ":"
    )  # "alert: 5xx rate > 5%" is a label, not an order
    past = frozenset(
        (stem(t.raw) if t.raw in EXPANSIONS else t.stem)
        for i, t in enumerate(tokens)
        if _is_past(t) and _finite(text, tokens, i)
    )
    passive = frozenset(stem(m.group(1)) for m in _PASSIVE_DONE.finditer(text))
    progressive = frozenset(t.stem for t in tokens if t.raw.endswith("ing") and len(t.raw) > 4)
    lowered = text.lower()
    done_marker = any((w in raws) if " " not in w else (w in lowered) for w in _DONE_WORDS)
    state: State | None = None
    free_of = frozenset(stem(m.group(1)) for m in _FREE_OF.finditer(lowered))
    attributive = frozenset(stem(m["word"].lower()) for m in _ATTRIBUTIVE.finditer(text))
    if _BREAKDOWN.search(text):
        attributive |= {stem("broken"), stem("down")}
    if (stems - _failed_to(raws) - free_of - attributive) & _BAD:
        state = "bad"
    elif (stems - attributive) & _GOOD or any(r in {"ok", "okay", "fine"} for r in raws):
        state = "good"
    denied = denied_predicates(text.replace("-", " ") if "not-" in text else text)
    if not_until:
        denied = frozenset()
    if state is not None and negated and (denied & STATE_STEMS or not denied):
        stated = (stems - _failed_to(raws) - free_of) & STATE_STEMS
        if denied and stated - frozenset().union(*(predicate_variants(d) for d in denied)):
            # "calls failing, 2,870 delayed (none lost)": the denial covers one state word of
            # several; which state the clause gives is not for the rules to say
            state = None
        else:
            state = "good" if state == "bad" else "bad"  # "not affected"; not "never charged"
    return ClauseFacts(
        text=original,
        stems=stems,
        content=frozenset(t.stem for t in tokens if is_content(t)),
        negated=negated,
        planned=bool(_PLANNED.search(text)),
        imperative=imperative,
        past=past | passive,
        perfect=passive,
        progressive=progressive,
        done_marker=done_marker,
        state=state,
        scope_only=bool(_ONLY.search(lowered)),
        scope_also=bool(_ALSO.search(lowered)),
        universal=tuple(universal_quantifiers(text)),
        denied=denied,
        modal_negation=negated and _modal_negation(lowered),
    )


# Negators whose predicate is the verb after the noun they govern ("no services were affected"),
# or the noun itself when no verb follows ("no more surprises").
_DETERMINER_NEGATORS = frozenset({"no", "none", "nothing", "nobody", "neither", "nor", "zero"})
_FAIL = frozenset({"fail", "fails", "failed", "unable"})  # each followed by "to"
# Words between a negator and its predicate that are not the predicate ("not even mention").
_NOT_PREDICATES = frozenset(
    """be been being get got even ever yet actually properly correctly fully really initially
    immediately always quite""".split()
)
_SCOPE_END = re.compile(r"[,;:.!?()]|\s(?:but|and|so|because|while|although|though)\s")
# Verbs that state the same thing for polarity purposes: "values were never set" is denied by
# "without updating the values"; "the rollback did not help" is answered by "errors dropping".
_PREDICATE_GROUPS = (
    "set update configure define populate add",
    "miss exist present set add configure",
    "fire fired trigger page alert",  # "fired" stems to "fir"
    "help work fix resolve improve recover restore stabilise stabilize drop normal",
    "notify inform tell",
    "deploy ship release",
    "catch detect notice spot",
    "test validate verify check",
)


def _variant_table(groups: tuple[str, ...]) -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for group in groups:
        stems = frozenset(stem(w) for w in group.split())
        for member in stems:
            table[member] = table.get(member, frozenset()) | stems
    return table


_VARIANTS = _variant_table(_PREDICATE_GROUPS)


def predicate_variants(predicate: str) -> frozenset[str]:
    """The stem of a predicate with the stems of verbs that state the same thing."""
    return _VARIANTS.get(predicate, frozenset()) | {predicate}


def _failed_to(raws: list[str]) -> frozenset[str]:
    """The stem of "failed" when it only negates the verb after it ("failed to start")."""
    return frozenset(
        stem(raw)
        for raw, following in zip(raws, raws[1:], strict=False)
        if raw in _FAIL and following == "to"
    )


def _negators(tokens: list[Token]) -> list[int]:
    parts = _compound_parts(tokens)
    return [
        i
        for i, t in enumerate(tokens)
        if (t.raw in NEGATIONS and i not in parts)
        or t.raw == "missing"
        or (t.raw in _FAIL and i + 1 < len(tokens) and tokens[i + 1].raw == "to")
    ]


def _looks_verbal(token: Token) -> bool:
    return token.raw.endswith(("ed", "ing")) or token.raw in _IRREGULAR_PAST_RAW


# Negators that can stand as a verb's object ("paged nobody", "found nothing", "changed none").
_OBJECT_NEGATORS = frozenset({"nobody", "nothing", "none"})


def _verb_before(text: str, tokens: list[Token], index: int) -> Token | None:
    """The verb just before an object negator, in the same stretch of the sentence."""
    for back in range(index - 1, max(index - 3, -1), -1):
        token = tokens[back]
        between = text[token.start + len(token.raw) : tokens[index].start]
        if _SCOPE_END.search(between):
            return None
        if _looks_verbal(token) and is_content(token):
            return token
    return None


@lru_cache(maxsize=8192)
def denied_predicates(text: str) -> frozenset[str]:
    """Stems of what a sentence denies: the predicate each negator governs ("values were never
    set" -> set, "without updating the values" -> update, "the rollback did not help" -> help,
    "no services were affected" -> affect, "failed to start" -> start, "env vars missing" ->
    miss)."""
    tokens = words(text)
    found: set[str] = set()
    for index in _negators(tokens):
        negator = tokens[index]
        if negator.raw == "missing":
            found.add(negator.stem)
            continue
        end = _SCOPE_END.search(text, negator.start + len(negator.raw))
        stop = end.start() if end else len(text)
        first = index + (2 if negator.raw in _FAIL else 1)
        scope = [
            t
            for t in tokens[first : first + 6]
            if t.start < stop and is_content(t) and t.raw not in _NOT_PREDICATES
        ]
        if not scope:
            if negator.raw in _OBJECT_NEGATORS:  # "paged nobody", "found nothing": the verb before
                before = _verb_before(text, tokens, index)
                if before is not None:
                    found.add(before.stem)
            continue
        if negator.raw in _DETERMINER_NEGATORS:
            verb = next((t for t in scope[1:] if _looks_verbal(t)), scope[0])
            found.add(verb.stem)
        else:
            found.add(scope[0].stem)
    return frozenset(found)
