"""Done versus planned: a claim that something was done ("tests have been added", "replica-2 has
since been resized") needs a message saying it was done; a plan ("will add"), a request, or work
under way ("running tests now") is not enough.

Hard only when a message the claim cites says the same action about the same thing was *not*
done ("the index is not added yet", "we won't resize replica-2") or was called off ("the resize
was cancelled", "reverted the flag change") and no message says it was done: the claim is
*contradicted*, naming that message. A plan ("will add"), a follow-up the chat lists, or work
under way ("scaling the asg 4->8", "escalating to account mgmt") is not the other way of a done
claim: the work may have finished since, so it is a soft flag, as is anything found elsewhere or
against a claim that cites nothing.
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

# Words that call an action off: a cited clause with one of them says it was not done.
_CALLED_OFF = frozenset(
    stem(w)
    for w in "cancel cancelled canceled abandon abandoned revert reverted undo undid".split()
)
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
        # A follow-up is planned work, which may have been done since: never the other way.
        return CheckResult(
            "done",
            "flag",
            f"claims this was done, but the chat has it as follow-up work: "
            f"{follow_up.task[:80]!r} (m{follow_up.message_id})",
            (follow_up.message_id,),
        )
    return None


def _says_not_done(clause: ClauseFacts, verbs: frozenset[str]) -> bool:
    """The clause says the claim's action was not done ("the index isn't added yet", "we won't
    resize it") or was called off ("the resize was cancelled"); not under a modal ("it should
    not be resized" advises) and not when the claimed action is itself the reverting."""
    if clause.modal_negation or clause.planned and not clause.negated:
        return False
    if clause.negated and verbs & clause.denied:
        return True  # the negator governs the claim's own verb, not another word of the clause
    called_off = clause.stems & _CALLED_OFF
    return bool(called_off) and not verbs & (_CALLED_OFF | {stem("rollback")})


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
    undone: tuple[MessageDoc, ClauseFacts] | None = None  # a cited "not done" or "cancelled"
    cited = set(ctx.cited)
    for doc in ctx.wide_docs():
        for clause in doc.clauses:
            score = overlap(set(target), set(clause.content))
            if undone is None and doc.message.id in cited and score >= SAME_SUBJECT:
                if _says_not_done(clause, verbs):
                    undone = (doc, clause)
            if clause.negated:
                continue
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
    if finished is None and undone is not None:
        doc, clause = undone
        return CheckResult(
            "done",
            "contradicted",
            f'claims this was done, but {doc.when()} says it was not: "{clause.text}"',
            (doc.message.id,),
        )
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
    said_as = how_said.split(":")[1]
    said = "as planned or requested" if said_as == "planned" else "as under way"
    # A plan or work under way is not the other way of a done claim: it may have finished since.
    return CheckResult(
        "done",
        "flag",
        f'claims this was done, but the chat only mentions it {said}: "{clause.text}" '
        f"({doc.when()})",
        (doc.message.id,),
    )
