"""Run every check on one claim and settle what the rules can.

- A hard check fails: the claim is *contradicted* (the chat states something else, and the reason
  names the message) or *unsupported* (a hard fact the chat does not contain). Contradicted wins.
- A failure found only by the checks that read meaning rather than facts (`INTERPRETIVE`:
  polarity, done-versus-planned, "all" for a part) stands when there is no judge (it names a
  cited message that says the opposite), but it is not final: with a judge, the claim is asked
  like a flagged one, and the judge's verdict replaces it. These checks misread faithful
  paraphrases and quotes more often than the fact checks do (measured on the dev incidents'
  labelled answers: most correct facts the rules dropped were dropped by them).
- Otherwise a soft signal may be raised (a flag from a check; words the chat never uses; too few
  of the claim's words in the messages it rests on). A flagged claim is *open*: the judge decides
  it when there is one, and without one it ships as "unconfirmed".
- With no flag, the claim is *supported* when at least `ANCHORED_COVERAGE` of its key words are
  in the cited (or closest) messages and a hard fact (a time, a figure, an owner, an actor, a
  negation the chat states too) was confirmed, or `SUPPORTED_COVERAGE` without one. Only the
  first kind is settled by hard checks; a claim supported by its words alone still goes to the
  judge when there is one (it reads paraphrases better than word overlap does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.verify.claims import Claim
from app.verify.component_check import check_components
from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.done_check import check_done
from app.verify.entity_check import check_identifiers, check_names
from app.verify.figure_check import check_figures
from app.verify.header_checks import HEADER_CHECKS, check_citations
from app.verify.hedge_check import check_hedge
from app.verify.people_check import check_people
from app.verify.placeholder_check import check_placeholders
from app.verify.polarity_check import check_polarity
from app.verify.quantifier_check import check_quantifiers
from app.verify.region_check import check_regions
from app.verify.silence_check import check_silence
from app.verify.source import SourceIndex
from app.verify.time_check import check_times
from app.verify.variant_check import check_variants
from app.verify.verdicts import ClaimStatus

SUPPORTED_COVERAGE = 0.6
ANCHORED_COVERAGE = 0.4
# A claim most of whose key words the chat never uses is flagged as possibly invented.
NOVELTY_MAX_UNKNOWN = 0.5

CHECKS: tuple[Callable[[ClaimContext], CheckResult], ...] = (
    check_citations,
    check_placeholders,
    check_times,
    check_figures,
    check_identifiers,
    check_names,
    check_components,
    check_regions,
    check_variants,
    check_people,
    check_quantifiers,
    check_polarity,
    check_done,
    check_silence,
    check_hedge,
)
# Checks that read what a sentence means (negation, mood, scope), not a fact it states: their
# failure alone does not settle a claim when a judge can read it (see the module docstring).
INTERPRETIVE = frozenset({"polarity", "done", "quantifiers"})
# Checks whose pass confirms a fact of the claim (an identifier or a citation that exists
# confirms nothing by itself).
ANCHORS = frozenset(
    {"times", "figures", "people", "owner", "polarity", "done", "quantifiers", "silence"}
    | {"roster", "date"}
)


def unknown_allowed(coverage: float) -> int:
    """Words the chat never uses that a supported claim may still contain: none at the
    coverage threshold, one from 75%, two from 90% (long, otherwise verbatim claims)."""
    return 0 if coverage < 0.75 else 1 if coverage < 0.9 else 2


@dataclass
class Assessment:
    """The rules' view of one claim; `status` is None when they leave it open."""

    claim: Claim
    status: ClaimStatus | None
    reason: str
    evidence: list[int]
    checks: list[str]
    # By hard checks: failed, or every hard fact confirmed, no flag. A claim failed only by the
    # interpretive checks is not settled: a judge, when there is one, decides it.
    settled: bool = False
    candidates: list[int] = field(default_factory=list)  # retrieved messages, best first


def _unique(ids: list[int] | tuple[int, ...]) -> list[int]:
    return list(dict.fromkeys(i for i in ids if i > 0))


def _failure(ctx: ClaimContext, applied: list[CheckResult]) -> Assessment | None:
    labels = [r.label for r in applied]
    for failing in ("contradicted", "unsupported"):
        failed = [r for r in applied if r.outcome == failing]
        if failed:
            status: ClaimStatus = "contradicted" if failing == "contradicted" else "unsupported"
            every_failure = [r for r in applied if r.outcome in ("contradicted", "unsupported")]
            return Assessment(
                ctx.claim,
                status,
                "; ".join(r.reason for r in failed),
                _unique([i for r in failed for i in r.evidence]),
                labels,
                settled=not all(r.name in INTERPRETIVE for r in every_failure),
                candidates=[mid for mid, _ in ctx.ranked],
            )
    return None


def _header(ctx: ClaimContext, check: Callable[[ClaimContext], CheckResult]) -> Assessment | None:
    """A header line settled by its own check (with its citations and placeholders)."""
    result = check(ctx)
    if result.outcome == "skip":
        return None
    applied = [
        r for r in (check_citations(ctx), check_placeholders(ctx), result) if r.outcome != "skip"
    ]
    failed = _failure(ctx, applied)
    if failed is not None:
        return failed
    labels = [r.label for r in applied]
    evidence = _unique([i for r in applied for i in r.evidence])
    if result.outcome == "flag":
        return Assessment(ctx.claim, None, result.reason, evidence, labels)
    return Assessment(ctx.claim, "supported", result.reason, evidence, labels, settled=True)


def assess_claim(claim: Claim, source: SourceIndex, *, retrieve: bool = True) -> Assessment:
    """Apply every check to one claim (see the module docstring)."""
    ctx = ClaimContext(claim, source, retrieve=retrieve)
    header_check = HEADER_CHECKS.get((claim.label or "").lower())
    if header_check is not None:
        header = _header(ctx, header_check)
        if header is not None:
            return header
    applied = [r for r in (check(ctx) for check in CHECKS) if r.outcome != "skip"]
    failed = _failure(ctx, applied)
    if failed is not None:
        return failed
    labels = [r.label for r in applied]
    candidates = [mid for mid, _ in ctx.ranked]
    flags = [r for r in applied if r.outcome == "flag"]
    anchored = [i for r in applied if r.outcome == "pass" and r.name in ANCHORS for i in r.evidence]
    has_anchor = any(r.outcome == "pass" and r.name in ANCHORS for r in applied)

    cited_anchor = any(
        r.outcome == "pass" and r.name in ANCHORS and set(r.evidence) & set(ctx.cited)
        for r in applied
    )
    misplaced = None if cited_anchor else _misplaced_citation(ctx)
    if misplaced is not None and misplaced.outcome == "flag":
        flags.append(misplaced)
        labels.append(misplaced.label)
    elif misplaced is not None:
        applied.append(misplaced)
        labels.append(misplaced.label)
        return Assessment(
            claim,
            "unsupported",
            misplaced.reason,
            list(misplaced.evidence),
            labels,
            settled=True,
            candidates=candidates,
        )
    closest = ctx.cited_docs or ctx.docs()[:3]
    covered: set[str] = set()
    for doc in closest:
        covered |= doc.stems
    content = set(ctx.content)
    coverage = overlap(content, covered) if content else 1.0
    labels.append(f"coverage:{coverage:.2f}")
    evidence = _unique(anchored + [d.message.id for d in closest if content & d.stems])[:6]
    unknown = sorted(w for w in content if not source.known(w))
    if len(content) >= 2 and len(unknown) / len(content) > NOVELTY_MAX_UNKNOWN:
        shown = ", ".join(_surface(ctx, w) for w in unknown[:5])
        flags.append(CheckResult("novelty", "flag", f"the chat never uses {shown}"))
        labels.append("novelty:flag")
    if flags:
        return Assessment(
            claim,
            None,
            "; ".join(r.reason for r in flags),
            _unique([i for r in flags for i in r.evidence] + evidence)[:6],
            labels,
            candidates=candidates,
        )
    threshold = ANCHORED_COVERAGE if has_anchor else SUPPORTED_COVERAGE
    allowed = unknown_allowed(coverage) + (1 if has_anchor else 0)
    if not content and has_anchor:
        # "09:10 to 09:22, 12 minutes": every fact it states was matched, no words are left over.
        return Assessment(
            claim,
            "supported",
            "every fact it states matches the chat",
            _unique(anchored)[:4],
            labels,
            settled=True,
            candidates=candidates,
        )
    if content and coverage >= threshold and len(unknown) <= allowed:
        return Assessment(
            claim,
            "supported",
            f"{coverage:.0%} of its key words are in the cited or closest messages and every "
            "check passed",
            evidence,
            labels,
            settled=has_anchor,
            candidates=candidates,
        )
    if not content:
        reason = "it states nothing the checks can confirm"
        return Assessment(claim, None, reason, evidence, labels, candidates=candidates)
    missing = (
        f"; the chat never uses {', '.join(_surface(ctx, w) for w in unknown[:4])}"
        if unknown
        else ""
    )
    return Assessment(
        claim,
        None,
        f"only {coverage:.0%} of its key words are in the messages it rests on{missing}",
        evidence,
        labels,
        candidates=candidates,
    )


# A claim pins the message it speaks of with this many distinct known words (a compound's
# parts aside), or with a name, an identifier, a figure or a time.
PINNING_WORDS = 4


def _pinned(ctx: ClaimContext, known: frozenset[str]) -> bool:
    """True when the claim's own facts single out a message: a person, a name, an identifier, a
    figure, a time, or `PINNING_WORDS` known words ("Brightline confirmed ... at 16:09"). A
    few everyday words ("Payments started succeeding again.") are how a plain-language line
    restates the message it cites, and some other message will share them by chance."""
    if ctx.people or ctx.proper_names or ctx.identifiers or ctx.figures or ctx.times:
        return True
    whole = {
        t.stem for i, t in enumerate(ctx.tokens) if i == 0 or t.start != ctx.tokens[i - 1].start
    }
    return len(known & whole) >= PINNING_WORDS


def _misplaced_citation(ctx: ClaimContext) -> CheckResult | None:
    """A claim whose cited messages share none of its words, while another message of the chat
    has every one of them: the citation points at the wrong place, and supports nothing
    (`unsupported`) when the claim's facts pin that other message (`_pinned`); otherwise it is
    a flag that names the message found (the judge is asked; without one it ships
    unconfirmed). (A plain-language paraphrase shares few words with anything, so it is not
    caught here.)"""
    if not ctx.cited:
        return None
    known = frozenset(w for w in ctx.content if ctx.source.known(w))
    if len(known) < 2 or any(known & d.stems for d in ctx.cited_docs):
        return None
    for mid, _ in ctx.source.search(known, k=3):
        if overlap(set(known), set(ctx.source.docs[mid].stems)) >= 1.0:
            cited = ", ".join(f"m{i}" for i in ctx.cited)
            return CheckResult(
                "citations",
                "unsupported" if _pinned(ctx, known) else "flag",
                f"it cites {cited}, which say nothing of this (m{mid} does)",
                (mid,),
            )
    return None


def _surface(ctx: ClaimContext, stem_: str) -> str:
    return next((t.raw for t in ctx.tokens if t.stem == stem_), stem_)
