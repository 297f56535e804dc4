"""Checks of what a claim's wording asserts: placeholders, "all"/"never", negation, done versus
planned, and words the chat never uses at all."""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.mood import STATE_STEMS, ClauseFacts, universal_quantifiers
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
    r"\$?\\?\[(?!\s*[xX ]?\s*\]\()(?!m\d+(?:\s*,\s*m\d+)*\\?\])[^\]\n]{1,60}\\?\](?!\()"
    r"|\{\{[^}]+\}\}|<[A-Za-z][\w ]{0,30}>"
    r"|\b(?:TBD|TBA|TKTK|XX+)\b|\$X+\b"
)


def placeholders(text: str) -> list[str]:
    """Unfilled template slots: "[X]", "$[amount]", "[date]", "[Your Name]", "{{team}}", TBD; a
    citation marker ("[m12]", "[m1, m7]") is none."""
    return [m.group(0) for m in _PLACEHOLDER.finditer(text)]


def check_placeholders(ctx: ClaimContext) -> CheckResult:
    """A template slot left unfilled states nothing the chat could support."""
    found = placeholders(ctx.text)
    if not found:
        return CheckResult("placeholders", "skip")
    return CheckResult("placeholders", "unsupported", f"unfilled placeholder {', '.join(found)}")


def check_quantifiers(ctx: ClaimContext) -> CheckResult:
    """"All", "every", "100%", "completely", "never" need the chat to say as much; a partial
    figure for the same thing (45%) contradicts them."""
    words = universal_quantifiers(ctx.text)
    if not words:
        return CheckResult("quantifiers", "skip")
    docs = ctx.docs()
    for doc in docs:
        said = universal_quantifiers(doc.message.text)
        if set(said) & set(words) and ctx.content & doc.content:
            return CheckResult("quantifiers", "pass", f"the chat also says {said[0]!r}",
                               (doc.message.id,))
    for doc in docs:
        for figure in doc.figures:
            if figure.kind == "ratio" and figure.value < 1 and (
                figure.context & ctx.content or doc.content & ctx.content
            ):
                return CheckResult(
                    "quantifiers",
                    "contradicted",
                    f"the chat reports {figure.written} (message {doc.message.id}), not "
                    f"{words[0]!r}",
                    (doc.message.id,),
                )
    return CheckResult("quantifiers", "unsupported", f"the chat never says {words[0]!r} of this")


def _subject(facts: ClauseFacts, ctx: ClaimContext) -> frozenset[str]:
    return facts.content - ctx.name_stems


def check_polarity(ctx: ClaimContext) -> CheckResult:
    """A negated claim against a positive chat statement about the same thing (or the
    reverse) is contradicted: "no other services were affected" vs "catalog-service is down"."""
    claim = ctx.facts
    if not claim.negated and claim.state is None:
        return CheckResult("polarity", "skip")
    if claim.planned or claim.imperative:
        return CheckResult("polarity", "skip")  # "X should not ..." recommends; it reports nothing
    subject = ctx.content - STATE_STEMS
    agree: list[int] = []
    agree_best = 0.0
    clash: tuple[MessageDoc, ClauseFacts] | None = None
    clash_best = 0.0
    for doc in ctx.docs():
        for clause in doc.clauses:
            shared = subject & (clause.content - STATE_STEMS)
            if not shared:
                continue
            score = overlap(set(subject), set(clause.content - STATE_STEMS))
            if claim.state is not None and clause.state is not None:
                if "other" in claim.text.lower() and clause.scope_only:
                    agree.append(doc.message.id)  # "only X is affected" = "no other ..."
                    agree_best = max(agree_best, 1.0)
                    continue
                if "other" in claim.text.lower() and clause.scope_also:
                    score = max(score, SAME_SUBJECT)
                if score < SAME_SUBJECT:
                    continue
                agrees = clause.state == claim.state
            elif score >= SAME_SUBJECT and len(shared) >= 2 and clause.general_mood() != "planned":
                agrees = clause.negated == claim.negated
            else:
                continue
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
            f"the chat says the opposite: \"{clause.text}\" (message {doc.message.id})",
            (doc.message.id,),
        )
    if agree:
        return CheckResult("polarity", "pass", "the chat says the same", tuple(agree[:3]))
    return CheckResult("polarity", "skip")


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
                return CheckResult("done", "pass", f"message {doc.message.id} says it was done",
                                   (doc.message.id,))
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
        return CheckResult("done", "pass", f"message {finished.message.id} says it was done",
                           (finished.message.id, doc.message.id))
    how = "as planned or requested" if how_said == "planned" else "as under way"
    return CheckResult(
        "done",
        "unsupported",
        f"claims this was done, but the chat only mentions it {how}: \"{clause.text}\" "
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
        return CheckResult(
            "novelty", "unsupported", f"the chat never mentions {shown}"
        )
    return CheckResult("novelty", "pass")


def _surface(ctx: ClaimContext, stem_: str) -> str:
    return next((t.raw for t in ctx.tokens if t.stem == stem_), stem_)
