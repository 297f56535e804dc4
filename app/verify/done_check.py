"""Done versus planned: a claim that something was done ("tests have been added", "replica-2 has
since been resized") needs a message saying it was done; a plan ("will add"), a request, or work
under way ("running tests now") is not enough.

Hard only when the same action about the same thing is stated as planned or under way in a
message the claim cites (a follow-up the chat lists or assigns counts as planned) and no message
says it was done: the claim is *contradicted*, naming that message. A plan or work under way
phrased with another verb, found elsewhere, or against a claim that cites nothing is a soft
flag.
"""

from __future__ import annotations

import re

from app.verify.context import CheckResult, ClaimContext, overlap
from app.verify.mood import ACTION_STEMS, ClauseFacts
from app.verify.source import MessageDoc
from app.verify.text import GENERIC, content_stems, stem

# A chat clause speaks of the same thing from this share of the claim's object words.
SAME_SUBJECT = 0.5
# A plan or work under way counts against a "done" claim from this share of its object's words.
NOT_DONE_OVERLAP = 0.4
# A "done" statement with another verb supports a done claim only from this share of its words.
OTHER_VERB_DONE = 0.8

_COMPLETION = frozenset(stem(w) for w in "done complete finished ready successful".split())
# Verbs that name the same action (narrower than polarity's variants: "added" is no "updated").
_SAME_ACTIONS = (
    "move switch migrate",
    "lower reduce decrease",
    "resize upsize",
    "release ship deploy",
    "restart reboot bounce",
    "rollback revert",
    "purge flush clear",
)
_ACTIONS: dict[str, frozenset[str]] = {}
for _group in _SAME_ACTIONS:
    _stems = frozenset(stem(w) for w in _group.split())
    for _member in _stems:
        _ACTIONS[_member] = _ACTIONS.get(_member, frozenset()) | _stems


def _same_action(verb: str) -> frozenset[str]:
    return _ACTIONS.get(verb, frozenset()) | {verb}


_OBJECT_PARTS = re.compile(r"[,;]|\band\b|\bthen\b")


def _object_of(ctx: ClaimContext, verbs: frozenset[str]) -> frozenset[str]:
    """The words of the claim's part that holds the done-verb ("Rollback completed, error rates
    dropping" -> rollback), or the whole claim's when that part is a bare verb."""
    for part in _OBJECT_PARTS.split(ctx.text):
        stems = frozenset(content_stems(part)) - GENERIC
        if stems & verbs and len(stems - verbs) >= 1:
            return stems - verbs - ctx.name_stems
    return ctx.content - verbs


def _as_follow_up(
    ctx: ClaimContext, target: frozenset[str], verbs: frozenset[str]
) -> CheckResult | None:
    """A done claim about work the chat lists as a follow-up ("the negative TTL has already
    been lowered" when "lower the negative TTL to 30s" is follow-up 2): the chat plans it."""
    for follow_up in ctx.source.follow_ups_about(target):
        shared = target & follow_up.stems
        score = overlap(set(target), set(follow_up.stems))
        if (
            len(shared) < 2
            or score < SAME_SUBJECT
            or not verbs & frozenset(content_stems(follow_up.task))
        ):
            continue
        hard = bool({follow_up.message_id, follow_up.owner_message} & set(ctx.cited))
        return CheckResult(
            "done",
            "contradicted" if hard else "flag",
            f"claims this was done, but the chat has it as follow-up work: "
            f"{follow_up.task[:80]!r} (m{follow_up.message_id})",
            (follow_up.message_id,),
        )
    return None


def check_done(ctx: ClaimContext) -> CheckResult:
    """A done claim is borne out by a message saying it was done (see the module docstring)."""
    done_verbs = ctx.claims_done
    if not done_verbs:
        return CheckResult("done", "skip")
    target = _object_of(ctx, done_verbs)
    if not target:
        return CheckResult("done", "skip")
    # "moved back" is "switched back": verbs that state the same action count as the same verb.
    verbs = frozenset().union(*(_same_action(v) for v in done_verbs)) - target
    not_done: tuple[MessageDoc, ClauseFacts, str, float] | None = None
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
                    "done", "pass", f"{doc.when()} says it was done", (doc.message.id,)
                )
            bare = not (clause.content - verbs - _COMPLETION)  # "Rollback complete."
            if mood == "done" and finished is None and (bare or score >= SAME_SUBJECT):
                finished = doc
            same_verb = mood in {"planned", "progress"} and score >= 0.34
            other_verb = general in {"planned", "progress"} and score >= NOT_DONE_OVERLAP
            rank = (same_verb, score)
            if (same_verb or other_verb) and (
                not_done is None or rank > (not_done[2].startswith("same"), not_done[3])
            ):
                how = mood if same_verb else general
                not_done = (doc, clause, ("same:" if same_verb else "other:") + how, score)
    if finished is None:
        listed = _as_follow_up(ctx, target, verbs)
        if listed is not None:
            return listed
    if not_done is None:
        if finished is not None:
            return CheckResult(
                "done", "pass", f"{finished.when()} says it was done", (finished.message.id,)
            )
        unknown = sorted(w for w in target if not ctx.source.known(w))
        if unknown and done_verbs & ACTION_STEMS:  # "we added integration tests": never spoken of
            return CheckResult("done", "flag", f"no message says this was done ({unknown[0]})")
        return CheckResult("done", "skip")
    doc, clause, how_said, score = not_done
    if finished is not None and verbs & clause.stems:
        # "starting rollback to the stable build now", then "Rollback complete": it was done.
        return CheckResult(
            "done",
            "pass",
            f"{finished.when()} says it was done",
            (finished.message.id, doc.message.id),
        )
    verb_kind, said_as = how_said.split(":")
    hard = verb_kind == "same" and doc.message.id in ctx.cited and score >= SAME_SUBJECT
    said = "as planned or requested" if said_as == "planned" else "as under way"
    return CheckResult(
        "done",
        "contradicted" if hard else "flag",
        f'claims this was done, but the chat only mentions it {said}: "{clause.text}" '
        f"({doc.when()})",
        (doc.message.id,),
    )
