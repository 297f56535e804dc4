"""Checks of what a claim's wording asserts: placeholders, "all"/"never", negation, done versus
planned, and words the chat never uses at all."""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.mood import (
    STATE_STEMS,
    ClauseFacts,
    denied_predicates,
    predicate_variants,
    universal_quantifiers,
)
from app.verify.source import MessageDoc
from app.verify.text import GENERIC, content_stems, stem

# A claim whose key words are mostly absent from the whole chat is invented (novelty).
NOVELTY_MAX_KNOWN = 0.5
# A chat clause speaks of the same thing as the claim from this share of the claim's words.
SAME_SUBJECT = 0.5
# A plan or work under way counts against a "done" claim from this share of its object's words.
NOT_DONE_OVERLAP = 0.4
# A "done" statement with another verb ("It added the new query" for "the query shipped")
# supports a done claim only from this share of its words.
OTHER_VERB_DONE = 0.6

_PLACEHOLDER = re.compile(
    r"\$?\\?\[(?P<inside>[^\]\n]{0,60})\\?\](?!\()"
    r"|\{\{[^}]+\}\}|<[A-Za-z][\w ]{0,30}>"
    r"|\b(?:TBD|TBA|TKTK|XX+)\b|\$X+\b"
)
_CITATION = re.compile(r"m\d+(?:\s*,\s*m\d+)*\\?")
# Bracketed words that tools write and people paste: alert states, log levels, our own redaction
# marks ("[FIRING:1] HighErrorRate", "[ERROR]", "[REDACTED:password]").
_TAGS = frozenset(
    """firing resolved pending alerting nodata ok triggered acknowledged recovered trace debug
    info notice warn warning error err fatal critical crit alert emerg severe redacted""".split()
)
_TAG = re.compile(r"\s*(?P<word>[A-Za-z]+)(?::[^\]]*)?\s*")
_LIST_ITEM = re.compile(r"(?:^|\n)\s*(?:[-*+•]|\d{1,2}[.)])\s*$")


def _fills_a_slot(text: str, match: re.Match[str]) -> bool:
    """True unless a bracketed span is something other than a template slot: a citation, code
    (`config["db"]`), a checkbox ("[ ]", "[x]", "- [X]"), or an alert or log tag."""
    inside = match["inside"]
    if inside is None:
        return True  # {{...}}, <...>, TBD, XX
    if not inside.strip() and not match.group(0).startswith("$"):
        return False  # "[ ]": an empty checkbox
    before = text[: match.start()]
    if _CITATION.fullmatch(inside.strip()):
        return False
    if before[-1:].isalnum() or before[-1:] in {"]", ")", '"', "'", "_"}:
        return False  # an index into code: this["api"], rows[0]
    if inside[:1] in {'"', "'"} and inside[-1:] == inside[:1]:
        return False  # ["api"]
    if inside == "x" or (inside == "X" and _LIST_ITEM.search(before)):
        return False  # a ticked checkbox
    tag = _TAG.fullmatch(inside)
    return not (tag and tag["word"].lower() in _TAGS)


def placeholders(text: str) -> list[str]:
    """Unfilled template slots: "[X]", "$[amount]", "[date]", "[Your Name]", "{{team}}", TBD,
    "<insert date>", "XX%". Citations ("[m12]"), links, checkboxes, code subscripts and tags
    such as "[FIRING:1]", "[ERROR]" or "[REDACTED:password]" are none."""
    return [m.group(0) for m in _PLACEHOLDER.finditer(text) if _fills_a_slot(text, m)]


def check_placeholders(ctx: ClaimContext) -> CheckResult:
    """A template slot left unfilled states nothing the chat could support."""
    found = placeholders(ctx.text)
    if not found:
        return CheckResult("placeholders", "skip")
    return CheckResult("placeholders", "unsupported", f"unfilled placeholder {', '.join(found)}")


def check_quantifiers(ctx: ClaimContext) -> CheckResult:
    """ "All", "every", "100%", "completely", "never" need the chat to say as much; a partial
    figure for the same thing (45%) contradicts them."""
    words = universal_quantifiers(ctx.text)
    if not words:
        return CheckResult("quantifiers", "skip")
    docs = ctx.docs()
    if "never" in words and ctx.facts.denied:
        # "values were never set": a denial, which the chat confirms when it denies it too
        # ("without updating the values"); it is no claim about every moment.
        denying = _denying_docs(ctx, docs)
        words = [w for w in words if w != "never"] if denying else words
        if not words:
            return CheckResult("quantifiers", "pass", "the chat denies it too", denying[:3])
    for doc in docs:
        said = universal_quantifiers(doc.message.text)
        if set(said) & set(words) and ctx.content & doc.content:
            return CheckResult(
                "quantifiers", "pass", f"the chat also says {said[0]!r}", (doc.message.id,)
            )
    for doc in docs:
        for figure in doc.figures:
            if (
                figure.kind == "ratio"
                and figure.value < 1
                and (figure.context & ctx.content or doc.content & ctx.content)
            ):
                return CheckResult(
                    "quantifiers",
                    "contradicted",
                    f"the chat reports {figure.written} (message {doc.message.id}), not "
                    f"{words[0]!r}",
                    (doc.message.id,),
                )
    return CheckResult("quantifiers", "unsupported", f"the chat never says {words[0]!r} of this")


# Words that report trouble in a clause that says "too" or "also" ("user-service errors too").
_TROUBLE = frozenset(stem(w) for w in "error exception 500 502 503 504 5xx".split())
# Where a claim's negated part begins ("configs moved to a new env var | whose values were never
# set"): the subject of a denial is the words of its own part.
_PART = re.compile(r"[,;]|\b(?:but|whose|which|while|although|though|because|so|where)\b")


def _denied_subject(ctx: ClaimContext) -> frozenset[str]:
    """What the claim's denial is about: the content words of the part that holds the negator
    (the whole claim's when that part has none besides the predicate)."""
    denied = ctx.facts.denied
    part_words: set[str] = set()
    for part in _PART.split(ctx.text):
        if denied_predicates(part):
            part_words |= set(content_stems(part))
    subject = frozenset(part_words) - GENERIC - ctx.name_stems - denied - STATE_STEMS
    return subject or ctx.content - denied - STATE_STEMS


def _denying_docs(ctx: ClaimContext, docs: list[MessageDoc]) -> tuple[int, ...]:
    """Messages with a clause that denies what the claim denies (see `_denial_agrees`)."""
    subject = _denied_subject(ctx)
    found = [
        doc.message.id
        for doc in docs
        for clause in doc.clauses
        if clause.general_mood() != "planned"
        and (_denial_agrees(ctx, subject, clause) or (False, 0.0))[0]
    ]
    return tuple(dict.fromkeys(found))


def _clause_state(clause: ClauseFacts, claim_says_other: bool) -> str | None:
    """The clause's state; "user-service errors too" reports trouble with another service."""
    if clause.state is not None:
        return clause.state
    if claim_says_other and clause.scope_also and clause.stems & _TROUBLE:
        return "bad"
    return None


def _denial_agrees(
    ctx: ClaimContext, subject: frozenset[str], clause: ClauseFacts
) -> tuple[bool, float] | None:
    """How a chat clause bears on what the claim denies: (agrees, subject overlap), or None
    when it does not speak of the same predicate and subject.

    Contradiction needs the clause to state positively the same predicate (or a close variant:
    "set"/"updated", "help"/"errors dropping") about the same subject; a clause that is
    negative too agrees when it denies the same predicate or shares two subject words."""
    variants = frozenset().union(*(predicate_variants(p) for p in ctx.facts.denied)) - subject
    content = clause.content - variants - STATE_STEMS
    score = overlap(set(subject), set(content))
    if score < SAME_SUBJECT:
        return None
    if clause.negative:
        if clause.denied & variants or len(subject & content) >= 2:
            return True, score
        return None
    if clause.stems & variants:
        return False, score
    return None


def _affirmation_clashes(ctx: ClaimContext, clause: ClauseFacts) -> tuple[bool, float] | None:
    """A positive claim against a clause that denies one of the claim's predicates about the
    same subject ("logins were also down" vs "logins never went down")."""
    for predicate in clause.denied:
        variants = predicate_variants(predicate)
        if not ctx.facts.stems & variants:
            continue
        subject = ctx.content - variants - STATE_STEMS
        score = overlap(set(subject), set(clause.content - variants))
        if score >= SAME_SUBJECT:
            return False, score
    return None


def check_polarity(ctx: ClaimContext) -> CheckResult:
    """A claim that denies something is contradicted only by a chat clause that states the same
    predicate positively about the same subject ("values were never set" is not contradicted by
    "we moved the configs", only by "we set the values"); a negative chat clause agrees. States
    compare the same way: "no other services were affected" vs "catalog-service is down"."""
    claim = ctx.facts
    if not claim.negative and claim.state is None:
        return CheckResult("polarity", "skip")
    if claim.planned or claim.imperative:
        return CheckResult("polarity", "skip")  # "X should not ..." recommends; it reports nothing
    subject = ctx.content - STATE_STEMS
    denied_subject = _denied_subject(ctx) if claim.denied else subject
    says_other = "other" in claim.text.lower()
    agree: list[int] = []
    agree_best = 0.0
    clash: tuple[MessageDoc, ClauseFacts] | None = None
    clash_best = 0.0
    for doc in ctx.docs():
        for clause in doc.clauses:
            found: tuple[bool, float] | None = None
            state = _clause_state(clause, says_other)
            if claim.state is not None and state is not None:
                # A question states a state too: "Emails and SMS were not affected?" is
                # answered "Correct" more often than not.
                found = _state_agrees(claim, clause, state, subject, says_other)
            elif clause.general_mood() == "planned":
                continue  # a plan or a request states nothing either way
            elif claim.denied:
                found = _denial_agrees(ctx, denied_subject, clause)
            elif claim.state is not None:
                found = _affirmation_clashes(ctx, clause)
            if found is None:
                continue
            agrees, score = found
            if agrees:
                agree.append(doc.message.id)
                agree_best = max(agree_best, score)
            elif score > clash_best:
                clash, clash_best = (doc, clause), score
    # States change during an incident ("latency jumped", later "latency normal"): only a clash
    # that matches the claim more closely than any agreeing statement contradicts it.
    if clash is not None and clash_best > agree_best:
        doc, clause = clash
        return CheckResult(
            "polarity",
            "contradicted",
            f'the chat says the opposite: "{clause.text}" (message {doc.message.id})',
            (doc.message.id,),
        )
    if agree:
        return CheckResult("polarity", "pass", "the chat says the same", tuple(agree[:3]))
    return CheckResult("polarity", "skip")


def _state_agrees(
    claim: ClauseFacts, clause: ClauseFacts, state: str, subject: frozenset[str], says_other: bool
) -> tuple[bool, float] | None:
    """A claimed state ("no other services were affected") against a clause's state."""
    shared = subject & (clause.content - STATE_STEMS)
    if not shared:
        return None
    if says_other and clause.scope_only:
        return True, 1.0  # "only X is affected" = "no other ..."
    score = overlap(set(subject), set(clause.content - STATE_STEMS))
    if says_other and clause.scope_also:
        score = max(score, SAME_SUBJECT)
    if score < SAME_SUBJECT:
        return None
    return state == claim.state, score


def check_done(ctx: ClaimContext) -> CheckResult:
    """A claim that something was done ("tests have been added") needs a message saying it was
    done; a plan ("will add"), a request, or work under way ("running tests now") is not enough."""
    verbs = ctx.claims_done
    if not verbs:
        return CheckResult("done", "skip")
    target = _object_of(ctx, verbs)
    if not target:
        return CheckResult("done", "skip")
    not_done: tuple[MessageDoc, ClauseFacts, str] | None = None
    best_not_done = 0.0
    finished: MessageDoc | None = None  # a message saying the same action was done
    for doc in ctx.wide_docs():
        for clause in doc.clauses:
            if clause.negated:
                continue
            score = overlap(set(target), set(clause.content))
            mood = clause.mood_of(verbs)
            general = clause.general_mood()
            shared = len(target & clause.content)
            if (mood == "done" and score >= SAME_SUBJECT) or (
                general == "done" and shared >= 2 and score >= OTHER_VERB_DONE
            ):
                return CheckResult(
                    "done", "pass", f"message {doc.message.id} says it was done", (doc.message.id,)
                )
            bare = not (clause.content - verbs - _COMPLETION)  # "Rollback complete."
            if mood == "done" and finished is None and (bare or score >= SAME_SUBJECT):
                finished = doc
            if (mood in {"planned", "progress"} and score >= 0.34) or (
                general in {"planned", "progress"} and score >= NOT_DONE_OVERLAP
            ):
                if score > best_not_done:
                    best_not_done = score
                    not_done = (doc, clause, mood if mood != "other" else general)
    if not_done is None:
        return CheckResult("done", "skip")
    doc, clause, how_said = not_done
    if finished is not None and verbs & clause.stems:
        # "starting rollback to the stable build now", then "Rollback complete": it was done.
        return CheckResult(
            "done",
            "pass",
            f"message {finished.message.id} says it was done",
            (finished.message.id, doc.message.id),
        )
    how = "as planned or requested" if how_said == "planned" else "as under way"
    return CheckResult(
        "done",
        "unsupported",
        f'claims this was done, but the chat only mentions it {how}: "{clause.text}" '
        f"(message {doc.message.id})",
        (doc.message.id,),
    )


_COMPLETION = frozenset(stem(w) for w in "done complete finished ready successful".split())


def _object_of(ctx: ClaimContext, verbs: frozenset[str]) -> frozenset[str]:
    """The words of the claim's part that holds the done-verb ("Rollback completed, error rates
    dropping" -> rollback), or the whole claim's when that part is a bare verb."""
    for part in re.split(r"[,;]|\band\b|\bthen\b", ctx.text):
        stems = frozenset(content_stems(part)) - GENERIC
        if stems & verbs and len(stems - verbs) >= 1:
            return stems - verbs - ctx.name_stems
    return ctx.content - verbs


def check_novelty(ctx: ClaimContext) -> CheckResult:
    """A claim whose key words the chat never uses is invented ("handles thousands of
    transactions daily")."""
    content = ctx.content
    if len(content) < 2:
        return CheckResult("novelty", "skip")
    unknown = sorted(w for w in content if not ctx.source.known(w))
    known_share = 1 - len(unknown) / len(content)
    if known_share < NOVELTY_MAX_KNOWN:
        shown = ", ".join(_surface(ctx, w) for w in unknown[:6])
        return CheckResult("novelty", "unsupported", f"the chat never mentions {shown}")
    return CheckResult("novelty", "pass")


def _surface(ctx: ClaimContext, stem_: str) -> str:
    return next((t.raw for t in ctx.tokens if t.stem == stem_), stem_)
