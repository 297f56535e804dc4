""" "All", "every", "entire", "100%", "never": a claim of totality needs the chat to say as much.

Hard only for a share ("all", "every", "entire", "100%"; not "never" or "always", totality over
time, which no share answers) when a message the claim cites (or, for a claim that cites
nothing, one retrieved for it) gives a partial figure, other than one the claim itself states,
for the same thing ("all payment attempts failed" against "errors
spiking to 45%"; "every balance read was stale" against "about half of balance reads"): the claim
is *contradicted*, naming it. The chat saying the same quantifier about the same thing confirms
it; anything else is a soft flag, since "all" is often a fair reading ("all pods restarted").
"All" before a number ("all 16 pods") states a count, and "never" in a plan ("so it can never
happen again") a goal: neither is checked here (`totality_words`).
"""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext
from app.verify.mood import universal_quantifiers, universal_spans
from app.verify.polarity_check import denial_confirmed
from app.verify.source import MessageDoc
from app.verify.text import GENERIC, content_stems

_AFTER = 48  # characters after the quantifier that name what it covers


def _quantified(ctx: ClaimContext) -> frozenset[str]:
    """The words a quantifier covers ("all payment attempts to fail" -> payment, attempt, fail),
    or the claim's words when none follow it."""
    words: set[str] = set()
    for _, end in universal_spans(ctx.text):
        words |= set(content_stems(ctx.text[end : end + _AFTER]))
    found = frozenset(words) - GENERIC - ctx.name_stems
    return found or ctx.content


# Words of totality over time ("never saw the crash", "always retried"): a share ("99.7%
# crash-free") is no counted part of them, so no figure contradicts them.
_OVER_TIME = frozenset({"never", "always"})


# A share from this one up is "all" in plain words ("99.7% of pushes rejected": every push
# failed, as far as anyone could tell): it does not contradict "every".
ALL_BUT = 0.99


def _partial(
    docs: list[MessageDoc], covered: frozenset[str], own: frozenset[float] = frozenset()
) -> tuple[MessageDoc, str] | None:
    """A share below 100% of what the quantifier covers, in one of `docs`; not one the claim
    itself states (`own`): "Crashlytics reported 99.7% crash-free" cannot be held against it."""
    for doc in docs:
        for figure in doc.figures:
            if figure.fraction:
                continue  # "5/6 regions green" while "all regions except one" is said of it
            if figure.kind == "ratio" and figure.value in own:
                continue
            if figure.kind == "ratio" and 0 < figure.value < ALL_BUT and figure.context & covered:
                return doc, figure.written
    return None


_COUNTED = re.compile(r"^[ \t]*+(?:of[ \t]++)?+(?:the[ \t]++|our[ \t]++)?+[$€£~]?+\d")


def totality_words(ctx: ClaimContext) -> list[str]:
    """The claim's words of totality that assert a share of something that happened: not "all
    16 pods" or "all 1,214 merchants" (a count, which the figure check reads), and none in a
    plan or a recommendation ("make sure it can never happen again")."""
    facts = ctx.facts
    if facts.planned or facts.imperative or ctx.planned_section:
        return []
    text = ctx.text
    return [word for word, end in universal_spans(text) if not _COUNTED.match(text[end : end + 16])]


def check_quantifiers(ctx: ClaimContext) -> CheckResult:
    """A claim of totality against the chat (see the module docstring)."""
    words = totality_words(ctx)
    if not words:
        return CheckResult("quantifiers", "skip")
    docs = ctx.docs()
    if "never" in words and ctx.facts.denied:
        # "values were never set": a denial, which the chat confirms when it denies it too.
        denying = denial_confirmed(ctx, docs)
        words = [w for w in words if w != "never"] if denying else words
        if not words:
            return CheckResult("quantifiers", "pass", "the chat denies it too", denying[:3])
    covered = _quantified(ctx)
    shares = [w for w in words if w not in _OVER_TIME]
    for doc in docs:
        said = universal_quantifiers(doc.message.text)
        if set(said) & set(words) and covered & doc.content:
            return CheckResult(
                "quantifiers", "pass", f"{doc.when()} also says {said[0]!r}", (doc.message.id,)
            )
    if not shares:
        # "never" and "always" are totality over time: only the judge can weigh them
        return CheckResult("quantifiers", "flag", f"the chat does not say {words[0]!r} of this")
    own = frozenset(f.value for f in ctx.figures if f.kind == "ratio")
    partial = _partial(ctx.cited_docs, covered, own)
    if partial is None and not ctx.cited:
        about = [ctx.source.docs[mid] for mid, _ in ctx.source.search(covered, k=5)]
        partial = _partial(docs + about, covered, own)
    if partial is not None:
        doc, written = partial
        return CheckResult(
            "quantifiers",
            "contradicted",
            f"{doc.when()} reports {written}, not {shares[0]!r}",
            (doc.message.id,),
        )
    return CheckResult("quantifiers", "flag", f"the chat does not say {words[0]!r} of this")
