"""Negation and states ("were not affected", "catalog-service was fine", "the rollback did not
help") against the chat.

Each part of the claim that denies something or states a state is read on its own ("Only
checkout-service was impacted; catalog-service and user-service were fine" is two parts, so the
faithful paraphrase of "catalog-service and user-service are fine" agrees with its second part
instead of clashing with its first). A part clashes with a chat clause only when that clause
states the same predicate (or a close variant: "set"/"updated") about the same subject the other
way; a negative chat clause agrees with a denial.

The clash is *hard* (the claim is contradicted, naming the clause) only when the clause uses the
part's own predicate word (or a close variant) without a modal ("supposed to ..., not bundled"
says what was meant: `same_predicate_other_way`), when it fits the claim
better than any agreeing statement (states change during an incident: "latency jumped", later
"latency normal"), and only when it is in a message the claim cites or, for a claim that cites
nothing, when it gives the opposite state to the same name, an identifier or a component
("payments-api failed as well" against "payments-api ... it's fine", in a clause that states
one state only: `_pinned_state`).
Any other clash is a soft flag: with a judge it is asked, without one it ships. A cause the chat
calls unrelated is hard on the same terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.verify.assignment_cues import WORK_LINE
from app.verify.components import components_in, kind_phrases
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.entities import family, identifiers, squash
from app.verify.mood import (
    BAD_STEMS,
    CONDITIONAL,
    STATE_STEMS,
    ClauseFacts,
    analyse_clause,
    predicate_variants,
)
from app.verify.source import MessageDoc
from app.verify.text import GENERIC, content_stems, stem

# A chat clause speaks of the same thing as a claim part from this share of its subject words.
SAME_SUBJECT = 0.5

# Words that report trouble in a clause that says "too" or "also" ("user-service errors too").
_TROUBLE = frozenset(stem(w) for w in "error exception 500 502 503 504 5xx".split())
# Where a claim's parts begin ("configs moved to a new env var | whose values were never set").
_PART = re.compile(
    r"[,;]|(?<=[.!?])[ \t\n]|\b(?:but|whose|which|while|although|though|because|so|where)\b"
)
# Runs of anything but letters and digits, collapsed when a part is compared as a quote.
_NOT_ALNUM = re.compile(r"[^a-z0-9]++")
# A part this long (letters and digits, spaces collapsed) written in a cited message is a quote.
_QUOTE_MIN = 12
_CAUSE = re.compile(
    r"\b(?:because[ \t]++of|due[ \t]++to|caused[ \t]++by|as[ \t]++a[ \t]++result[ \t]++of|"
    r"triggered[ \t]++by|related[ \t]++to|brought[ \t]++on[ \t]++by)\b",
    re.IGNORECASE,
)
_UNRELATED = re.compile(
    r"\b(?:unrelated|not[ \t]++related|coincidence|separate[ \t]++issue|nothing[ \t]++to[ \t]++"
    r"do[ \t]++with)\b",
    re.IGNORECASE,
)


# A claim that sets its subject against another ("the VM fleet, which unlike the Kubernetes
# workloads does not take it"): the chat stating the other side's state is no plain clash.
_CONTRAST = re.compile(
    r"\b(?:unlike|whereas|in[ \t]++contrast[ \t]++to|as[ \t]++opposed[ \t]++to)\b"
)


@dataclass(frozen=True)
class _Part:
    facts: ClauseFacts
    subject: frozenset[str]
    says_other: bool
    quoted: str  # the part in lower case, letters and digits only, for `_quotes`


def _squashed(text: str) -> str:
    return _NOT_ALNUM.sub(" ", text.lower()).strip()


def _quotes(part: _Part, doc: MessageDoc) -> str | None:
    """The part is written word for word in the message, from the start of one of its clauses
    that plans, asks or denies nothing: a quote cannot say the opposite of its own source ("Only
    checkout-service is impacted. catalog-service and user-service are fine." against that very
    message), while "catalog is fine" taken out of "not sure catalog is fine?" is no quote."""
    if len(part.quoted) < _QUOTE_MIN:
        return None
    for clause in doc.clauses:
        if clause.general_mood() == "planned" or clause.text.rstrip().endswith("?"):
            continue
        if clause.negative != part.facts.negative:
            continue
        said = _squashed(clause.text)
        if said and (said.startswith(part.quoted) or part.quoted.startswith(said)):
            return clause.text
    return None


def _parts(ctx: ClaimContext) -> list[_Part]:
    """The parts of the claim that deny something or state a state, with their subjects."""
    found: list[_Part] = []
    pieces = [p for p in _PART.split(ctx.text) if p.strip()]
    for piece in pieces:
        facts = analyse_clause(piece.strip())
        if not facts.negative and facts.state is None and not facts.past:
            continue  # nothing denied, no state, nothing done: no polarity to compare
        if facts.planned or facts.imperative or CONDITIONAL.match(piece):
            continue  # "X should not ..." recommends, "if X is not ..." supposes: no report
        words = frozenset(content_stems(piece)) - GENERIC - ctx.name_stems - STATE_STEMS
        subject = words - facts.denied
        if not subject:
            subject = ctx.content - facts.denied - STATE_STEMS
        found.append(_Part(facts, subject, "other" in piece.lower(), _squashed(piece)))
    return found


def _clause_state(clause: ClauseFacts, claim_says_other: bool) -> str | None:
    """The clause's state; "user-service errors too" reports trouble with another service."""
    if clause.state is not None:
        return clause.state
    if claim_says_other and clause.scope_also and clause.stems & _TROUBLE:
        return "bad"
    return None


def _denial_agrees(part: _Part, clause: ClauseFacts) -> tuple[bool, float] | None:
    """How a chat clause bears on what the part denies: (agrees, subject overlap), or None when
    it does not speak of the same predicate and subject."""
    variants = frozenset().union(*(predicate_variants(p) for p in part.facts.denied))
    variants -= part.subject
    content = clause.content - variants - STATE_STEMS
    score = overlap(set(part.subject), set(content))
    if score < SAME_SUBJECT:
        return None
    if clause.negative:
        if clause.denied & variants or len(part.subject & content) >= 2:
            return True, score
        return None
    if clause.stems & variants:
        return False, score
    return None


def _affirmation_clashes(part: _Part, clause: ClauseFacts) -> tuple[bool, float] | None:
    """A positive part against a clause that denies one of its predicates about the same
    subject ("logins were also down" vs "logins never went down"; "Hugo applied a second DNS
    change" vs "I won't apply any more dns changes"), or states it too (agrees)."""
    # The claim's own verbs ("moved"), not any word ("configs" is no "configure").
    predicates = part.facts.past or part.facts.stems
    for predicate in clause.denied:
        variants = predicate_variants(predicate)
        if not predicates & variants:
            continue
        subject = part.subject - variants
        shared = subject & (clause.content - variants)
        score = overlap(set(subject), set(clause.content - variants))
        if score >= SAME_SUBJECT or len(shared) >= 2:
            return False, max(score, SAME_SUBJECT)
    done = part.facts.past
    if done and not clause.negative and clause.general_mood() == "done" and clause.stems & done:
        score = overlap(set(part.subject - done), set(clause.content - done))
        if score >= SAME_SUBJECT:
            return True, score
    return None


def _state_agrees(part: _Part, clause: ClauseFacts, state: str) -> tuple[bool, float] | None:
    """A claimed state ("no other services were affected") against a clause's state."""
    subject = part.subject
    shared = subject & (clause.content - STATE_STEMS)
    if not shared:
        return None
    if part.says_other and clause.scope_only:
        return True, 1.0  # "only X is affected" = "no other ..."
    score = overlap(set(subject), set(clause.content - STATE_STEMS))
    if part.says_other and clause.scope_also:
        score = max(score, SAME_SUBJECT)
    if score < SAME_SUBJECT:
        return None
    return state == part.facts.state, score


def _compare(part: _Part, clause: ClauseFacts) -> tuple[bool, float] | None:
    if CONDITIONAL.match(clause.text):
        return None  # "if lag isn't under 100k by then ..." supposes; it states nothing
    state = _clause_state(clause, part.says_other)
    if state is not None and _mixed(clause):
        state = None  # "search degraded, checkout unaffected": whose state is which is open
    if part.facts.state is not None and state is not None:
        # A question states a state too: "Emails and SMS were not affected?" is answered
        # "Correct" more often than not.
        return _state_agrees(part, clause, state)
    if clause.general_mood() == "planned":
        return None  # a plan or a request states nothing either way
    if part.facts.denied:
        return _denial_agrees(part, clause)
    return _affirmation_clashes(part, clause)


def denial_confirmed(ctx: ClaimContext, docs: list[MessageDoc]) -> tuple[int, ...]:
    """Messages with a clause that denies what the claim denies ("values were never set" and
    "without updating the values")."""
    found: list[int] = []
    for part in _parts(ctx):
        if not part.facts.denied:
            continue
        for doc in docs:
            for clause in doc.clauses:
                if clause.general_mood() == "planned":
                    continue
                answer = _denial_agrees(part, clause)
                if answer is not None and answer[0]:
                    found.append(doc.message.id)
    return tuple(dict.fromkeys(found))


def _mixed(clause: ClauseFacts) -> bool:
    """A chat clause that states a bad and a good state at once ("depth down to 9k, 4/6
    consumers healthy"): which one its subject has is not for the rules to say."""
    stated = clause.stems & STATE_STEMS
    return bool(stated & BAD_STEMS) and bool(stated - BAD_STEMS)


def same_name(claim_text: str, chat_text: str, component_words: frozenset[str]) -> bool:
    """True when a chat text names an identifier ("payments-api"; versions aside) or a component
    ("the notifications service", "thumbnailer") of the claim's text: the two speak of the
    same subject by a name, not by shared words alone."""
    named = {squash(i) for i in identifiers(claim_text) if family(i) != "version"}
    named |= {c.key for c in components_in(claim_text, component_words)}
    named |= {squash(name) for name, _ in kind_phrases(claim_text)}
    if not named:
        return False
    theirs = {squash(i) for i in identifiers(chat_text)}
    theirs |= {c.key for c in components_in(chat_text, component_words)}
    theirs |= {squash(name) for name, _ in kind_phrases(chat_text)}
    return bool(named & theirs)


def _pinned_state(ctx: ClaimContext, part: _Part, clause: ClauseFacts) -> bool:
    """A state the claim gives a named thing ("payments-api failed as well") against the
    opposite state a chat clause gives the same name ("payments-api ... it's fine"), in a
    clause that states one state only."""
    return (
        part.facts.state is not None
        and clause.state is not None
        and not _mixed(clause)
        and not clause.planned  # "can you check whether billing-events is affected?" asks
        and not clause.text.rstrip().endswith("?")
        and same_name(part.facts.text, clause.text, ctx.source.component_words)
    )


def _unrelated(ctx: ClaimContext) -> CheckResult | None:
    """A claim that one thing came from another ("X failed because of the pricing change")
    against a message that calls X unrelated."""
    cause = _CAUSE.search(ctx.text)
    if cause is None:
        return None
    subject = frozenset(content_stems(ctx.text[: cause.start()])) - GENERIC - ctx.name_stems
    subject -= STATE_STEMS
    if len(subject) < 2:
        return None
    for doc in ctx.docs():
        if not _UNRELATED.search(doc.message.text):
            continue
        shared = subject & doc.content
        score = overlap(set(subject), set(doc.content))
        if len(shared) >= 2 and score >= SAME_SUBJECT:
            hard = doc.message.id in ctx.cited or (
                not ctx.cited
                and same_name(
                    ctx.text[: cause.start()], doc.message.text, ctx.source.component_words
                )
            )
            return CheckResult(
                "polarity",
                "contradicted" if hard else "flag",
                f"{doc.when()} calls it unrelated: {doc.message.text[:80]!r}",
                (doc.message.id,),
            )
    return None


def _predicates(facts: ClauseFacts) -> frozenset[str]:
    """The words that carry what a clause asserts or denies: its denied predicates, its state
    words ("affected", "fine") and its verbs of things done."""
    own = facts.denied | (facts.stems & STATE_STEMS) | facts.past
    return frozenset().union(*(predicate_variants(p) for p in own)) if own else frozenset()


def same_predicate_other_way(
    part_facts: ClauseFacts, clause: ClauseFacts, clause_state: str | None = None
) -> bool:
    """A clash is plain only when the chat clause uses the claim part's own predicate (or a
    close variant) and states it without a modal: "Android 7.4.0 was not affected" is not
    answered the other way by "crash-free 99.6%, same as 7.3.2", which never says "affected"
    nor any other state ("failed as well" against "it's fine" is a state against a state);
    "the move was supposed to be step 2, not bundled" says what was meant, not what happened."""
    if clause.modal_negation or part_facts.modal_negation:
        return False
    if part_facts.denied and not clause.negative:
        # Only a clause that reports the denied thing done or under way, or a state, answers:
        # "- alerts for X", "a checklist that includes dropping the slot", "adding a check to
        # fail if vars are missing", "anyone who logs in fresh" name or propose it, no more.
        denied = frozenset().union(*(predicate_variants(p) for p in part_facts.denied))
        # A state answers too: "did not have the capacity" against "capacity is fine".
        return bool(denied & (clause.past | clause.progressive)) or clause_state is not None
    if part_facts.state is not None and (clause_state or clause.stems & STATE_STEMS):
        return True  # a state word against a state word: "failed as well" and "it's fine"
    return bool(_predicates(part_facts) & clause.stems)


def _gives_work(ctx: ClaimContext, doc: MessageDoc) -> bool:
    """True for a message that opens with a participant's name and a colon (a line of a lead's
    list of follow-ups): what it describes is work to do, so no state it implies is hard."""
    match = WORK_LINE.match(doc.message.text)
    return match is not None and ctx.source.people.resolve(match["name"]) is not None


def check_polarity(ctx: ClaimContext) -> CheckResult:
    """Denials and states agree with the chat (see the module docstring)."""
    unrelated = _unrelated(ctx)
    if unrelated is not None:
        return unrelated
    parts = _parts(ctx)
    if not parts:
        return CheckResult("polarity", "skip")
    cited = set(ctx.cited)
    agree: list[int] = []
    agreeing: set[str] = set()  # clauses some part of the claim says the same as
    clash: tuple[MessageDoc, ClauseFacts, float, _Part] | None = None  # the strongest part's
    for part in parts:
        part_best = 0.0  # each part is weighed on its own: one part's quote is no other's
        part_clash: tuple[MessageDoc, ClauseFacts, float, _Part] | None = None
        for doc in ctx.docs():
            quoted = _quotes(part, doc)
            if quoted is not None:
                agree.append(doc.message.id)
                agreeing.add(quoted)
                part_best = 1.0
                continue
            for clause in doc.clauses:
                found = _compare(part, clause)
                if found is None:
                    continue
                agrees, score = found
                if agrees:
                    agree.append(doc.message.id)
                    agreeing.add(clause.text)
                    part_best = max(part_best, score)
                elif part_clash is None or score > part_clash[2]:
                    part_clash = (doc, clause, score, part)
        if part_clash is not None and part_clash[2] > part_best:
            if clash is None or part_clash[2] > clash[2]:
                clash = part_clash
    if clash is not None:
        doc, clause, score, part = clash
        # A message the claim cites makes it hard; for a claim citing nothing, the same
        # identifier or figure in the clashing clause does.
        hard = (
            (doc.message.id in cited or (not cited and _pinned_state(ctx, part, clause)))
            and same_predicate_other_way(part.facts, clause, _clause_state(clause, part.says_other))
            and not _gives_work(ctx, doc)
            and not _mixed(part.facts)  # "degraded (4.2s vs ~300ms normal)" contrasts two states
            and not _CONTRAST.search(ctx.text.lower())
            and clause.text not in agreeing  # another part of the claim says what it says
        )
        return CheckResult(
            "polarity",
            "contradicted" if hard else "flag",
            f'{doc.when()} says the opposite: "{clause.text}"',
            (doc.message.id,),
        )
    if agree:
        return CheckResult("polarity", "pass", "the chat says the same", tuple(agree[:3]))
    return CheckResult("polarity", "skip")
