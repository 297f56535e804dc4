"""Repair instead of drop: the items of an LLM report that failed the fact check go back to the
model once, each with the checker's reason and the text of the messages involved; the model
corrects or withdraws each one.

This module is the prompt and the response model on top of the seam: `repair_problems` collects
the failed items, `repair_messages` renders `prompts/repair_*.j2` (the whole numbered transcript,
then the problems as JSON, so no quoted chat text can forge a line or close a block),
`RepairAnswer` is validated with the transcript and the problems as context (one answer per
listed item; a correction must be a valid item whose citations exist and whose time a cited
message states), and `apply_repairs` writes the corrections into the report. Verifying the
corrected items again is `app.llm.review`'s job.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from app.llm.answer import validation_messages
from app.llm.cache import transcript_hash
from app.llm.prompt import declared_version, defuse, numbered_line, numbered_transcript
from app.models import (
    ActionItem,
    IncidentReport,
    Statement,
    SummarySentence,
    TimelineEntry,
    Transcript,
)
from app.resources import prompts_dir, render_prompt
from app.verify import ClaimVerdict, VerificationReport

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai.types.chat import ChatCompletionMessageParam


SYSTEM_TEMPLATE = "repair_system.j2"
USER_TEMPLATE = "repair_user.j2"
REASK_TEMPLATE = "repair_reask.j2"
TEMPLATES = (SYSTEM_TEMPLATE, USER_TEMPLATE, REASK_TEMPLATE)
REPAIR_SCHEMA_NAME = "claim_repairs"

FAILED = frozenset({"unsupported", "contradicted"})
_MAX_MESSAGES_PER_PROBLEM = 10

Item = SummarySentence | Statement | TimelineEntry | ActionItem

# ---------------------------------------------------------------------------------------------
# Where an item lives in the report
# ---------------------------------------------------------------------------------------------

_PATH = re.compile(
    r"^(?P<field>summary\.technical|summary\.plain|impact|timeline|contributing_factors|"
    r"action_items)\[(?P<index>\d{1,6})\]|^(?P<single>detection|root_cause|resolution)"
)
_LISTS = ("impact", "timeline", "contributing_factors", "action_items")


@dataclass(frozen=True)
class ItemPath:
    """`timeline[2]`, `summary.plain[0]`, `root_cause`: a report item, whatever sub-claim of it
    (`impact[0].plain`) the checker named."""

    field: str
    index: int | None = None

    @classmethod
    def parse(cls, path: str | None) -> ItemPath | None:
        found = _PATH.match(path or "")
        if found is None:
            return None
        if found["single"]:
            return cls(found["single"])
        return cls(found["field"], int(found["index"]))

    def __str__(self) -> str:
        return self.field if self.index is None else f"{self.field}[{self.index}]"

    def get(self, report: IncidentReport) -> Item | None:
        if self.index is None:
            single: Statement | None = getattr(report, self.field)
            return single
        items = self._items(report)
        return items[self.index] if self.index < len(items) else None

    def _items(self, report: IncidentReport) -> list[Any]:
        if self.field.startswith("summary."):
            items: list[Any] = getattr(report.summary, self.field.removeprefix("summary."))
            return items
        listed: list[Any] = getattr(report, self.field)
        return listed


# ---------------------------------------------------------------------------------------------
# The problems sent, and the prompt
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One failed report item and every failed verdict on it."""

    path: ItemPath
    item: Item
    verdicts: tuple[ClaimVerdict, ...]

    @property
    def key(self) -> str:
        return str(self.path)


def repair_problems(report: IncidentReport, verification: VerificationReport) -> list[Problem]:
    """The items with a failed verdict, in report order, one problem per item."""
    found: dict[ItemPath, list[ClaimVerdict]] = {}
    for verdict in verification.claims:
        path = ItemPath.parse(verdict.item)
        if verdict.status in FAILED and path is not None and path.get(report) is not None:
            found.setdefault(path, []).append(verdict)
    problems = []
    for path, verdicts in found.items():
        item = path.get(report)
        if item is not None:
            problems.append(Problem(path, item, tuple(verdicts)))
    return problems


def item_fields(item: Item) -> dict[str, Any]:
    """An item in the repair vocabulary: text, plain, time, owner, evidence (as it applies)."""
    if isinstance(item, TimelineEntry):
        return {
            "time": item.time,
            "text": item.description,
            "plain": item.plain,
            "evidence": item.evidence,
        }
    if isinstance(item, ActionItem):
        return {
            "text": item.description,
            "owner": item.owner,
            "plain": item.plain,
            "evidence": item.evidence,
        }
    if isinstance(item, Statement):
        return {"text": item.text, "plain": item.plain, "evidence": item.evidence}
    return {"text": item.text, "evidence": item.evidence}


# What to do about each kind of failed check, by the check's name (`times:contradicted`).
_FIXES = (
    ("time", "cite the message that states your time, or correct the time"),
    ("figure", "cite the message that gives this figure, or correct it to what the chat says"),
    ("owner", "give an owner only when the chat assigned the work to them, else null"),
    ("people", "name only people the chat names, as it names them"),
    ("identifier", "use the names the chat uses for services, hosts, versions and ids"),
    ("citation", "cite only messages that exist and say what the item says"),
    ("placeholder", "replace the placeholder with what the chat says, or withdraw the item"),
    ("quantifier", "do not say 'all', 'every' or 'none' unless the chat does"),
    ("polarity", "state it the way the chat does, not its opposite"),
    ("done", "say planned or under way when the chat has not said it was done"),
    ("novelty", "use the chat's own words for what it says, or withdraw the item"),
)
_DEFAULT_FIX = "correct it so that the messages you cite state it, or withdraw it"


def fixes_for(verdict: ClaimVerdict, item: Item | None = None) -> list[str]:
    """The instructions that fit the checks this verdict failed (on an action item, a failed
    people check is about its owner)."""
    failed = [c.split(":", 1)[0] for c in verdict.checks if c.split(":", 1)[-1] in FAILED]
    if isinstance(item, ActionItem):
        failed = [f"owner-{name}" if "people" in name else name for name in failed]
    fixes = [fix for word, fix in _FIXES if any(word in name for name in failed)]
    if any(name.startswith("owner-") for name in failed):
        fixes = [fix for fix in fixes if not fix.startswith("name only people")]
    if verdict.judged_by == "llm":
        fixes.append("cite the messages that state it, or withdraw it")
    return list(dict.fromkeys(fixes)) or [_DEFAULT_FIX]


def _problem_json(problem: Problem, transcript: Transcript) -> dict[str, Any]:
    ids: list[int] = list(problem.item.evidence)
    for verdict in problem.verdicts:
        ids.extend(verdict.evidence)
    shown = sorted({i for i in ids if transcript.message(i) is not None})
    lines = []
    for message_id in shown[:_MAX_MESSAGES_PER_PROBLEM]:
        message = transcript.message(message_id)
        if message is not None:
            lines.append(numbered_line(message))
    return {
        "item": problem.key,
        "your_item": item_fields(problem.item),
        "findings": [
            {
                "status": verdict.status,
                "claim": verdict.text,
                "reason": verdict.reason,
                "what_to_do": "; ".join(fixes_for(verdict, problem.item)),
            }
            for verdict in problem.verdicts
        ],
        "messages_involved": lines,
    }


def problems_json(problems: list[Problem], transcript: Transcript) -> str:
    """The problems as indented JSON: chat text only inside JSON strings, closing tag defused."""
    data = [_problem_json(p, transcript) for p in problems]
    return defuse(json.dumps(data, ensure_ascii=False, indent=1))


def repair_messages(
    problems: list[Problem],
    transcript: Transcript,
    *,
    schema: dict[str, Any] | None = None,
    shown: Transcript | None = None,
) -> list[ChatCompletionMessageParam]:
    """System and user messages for one repair request (the schema in the system prompt only
    in json_object mode, where the server does not enforce it). `shown`: only these messages
    of the transcript (an excerpt, for a chat too long for the context)."""
    system = render_prompt(
        SYSTEM_TEMPLATE, schema_json=json.dumps(schema, ensure_ascii=False) if schema else None
    )
    user = render_prompt(
        USER_TEMPLATE,
        participants=transcript.participants,
        message_count=len(transcript.messages),
        excerpt=shown is not None,
        transcript=numbered_transcript(shown or transcript),
        problem_count=len(problems),
        problems_json=problems_json(problems, transcript),
    )
    return [
        {"role": "system", "content": system.strip()},
        {"role": "user", "content": user.strip()},
    ]


def excerpt_around(
    problems: list[Problem], transcript: Transcript, neighbours: int = 2
) -> Transcript:
    """The messages the problems involve, with `neighbours` on each side, in chat order."""
    wanted: set[int] = set()
    for problem in problems:
        ids = [*problem.item.evidence, *(i for v in problem.verdicts for i in v.evidence)]
        for message_id in ids:
            wanted.update(range(message_id - neighbours, message_id + neighbours + 1))
    messages = [m for m in transcript.messages if m.id in wanted]
    return transcript.model_copy(update={"messages": messages})


def reask_messages(
    answer: str, errors: list[str], problems: list[Problem], transcript: Transcript | int
) -> list[ChatCompletionMessageParam]:
    """The rejected answer and a message quoting why (at most 20 errors); `transcript`: the
    chat, or its number of messages."""
    shown = errors[:20]
    if len(errors) > len(shown):
        shown.append(f"... and {len(errors) - len(shown)} more problems of the same kinds")
    reask = render_prompt(
        REASK_TEMPLATE,
        errors=shown,
        items=[p.key for p in problems],
        message_count=transcript if isinstance(transcript, int) else len(transcript.messages),
    )
    return [
        {"role": "assistant", "content": answer},
        {"role": "user", "content": reask.strip()},
    ]


@lru_cache(maxsize=1)
def repair_prompt_version() -> str:
    """`<system version>.<hash of the repair templates>`: part of the repair cache key."""
    digest = hashlib.sha256()
    for template in TEMPLATES:
        digest.update((prompts_dir() / template).read_bytes())
    return f"{declared_version(SYSTEM_TEMPLATE)}.{digest.hexdigest()[:8]}"


def repair_cache_key(
    problems: list[Problem], transcript: Transcript, model: str, schema_version: str
) -> str:
    """Transcript, model, prompt version, schema version and exactly what was asked."""
    asked = problems_json(problems, transcript)
    text = "\n".join(
        [transcript_hash(transcript), model, repair_prompt_version(), schema_version, asked]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# The answer
# ---------------------------------------------------------------------------------------------


class ItemRepair(BaseModel):
    """The model's decision on one listed item."""

    model_config = ConfigDict(extra="forbid")

    item: str = Field(description="The item exactly as listed, e.g. 'timeline[2]'.")
    action: Literal["correct", "withdraw"] = Field(
        description="correct: the fields below replace the item; withdraw: the chat does not "
        "support it and it is left out."
    )
    text: str | None = Field(
        description="The corrected text (statement, summary sentence, timeline description or "
        "action item); null when withdrawn."
    )
    plain: str | None = Field(
        description="The corrected plain-language text for stakeholders (no names, hosts, error "
        "classes or internal tools); null when the item has none or is withdrawn."
    )
    time: str | None = Field(
        description="Timeline items only: the corrected time, 'HH:MM', stated by a cited "
        "message; null otherwise."
    )
    owner: str | None = Field(
        description="Action items only: the participant the chat assigned it to, or null."
    )
    evidence: list[int] = Field(
        description="Ids of the messages that state the corrected item; empty when withdrawn."
    )
    reason: str = Field(description="One sentence: what was wrong and what changed.")


class RepairAnswer(BaseModel):
    """One repair per listed item."""

    model_config = ConfigDict(extra="forbid")

    repairs: list[ItemRepair]

    @model_validator(mode="after")
    def _answers_every_item(self, info: ValidationInfo) -> RepairAnswer:
        context = info.context if isinstance(info.context, dict) else {}
        problems: dict[str, Problem] = {p.key: p for p in context.get("problems", [])}
        transcript = context.get("transcript")
        if not problems or not isinstance(transcript, Transcript):
            return self
        errors: list[str] = []
        seen: set[str] = set()
        for index, repair in enumerate(self.repairs):
            where = f"repairs[{index}]"
            problem = problems.get(repair.item)
            if problem is None:
                errors.append(
                    f"{where}.item {repair.item!r} was not listed; use one of {', '.join(problems)}"
                )
                continue
            if repair.item in seen:
                errors.append(f"{where}.item {repair.item!r} is answered more than once")
            seen.add(repair.item)
            if repair.action == "correct":
                errors += [
                    f"{where} ({repair.item}): {e}"
                    for e in correction_errors(problem, repair, transcript)
                ]
        missing = [key for key in problems if key not in seen]
        if missing:
            errors.append(f"no answer for {', '.join(missing)}: correct or withdraw each one")
        if errors:
            raise ValueError("; ".join(errors))
        return self


def corrected_item(problem: Problem, repair: ItemRepair, transcript: Transcript) -> Item:
    """The item the correction describes, validated against the transcript."""
    original = problem.item
    context = {"transcript": transcript}
    if not repair.text or not repair.text.strip():
        raise ValueError("text is required to correct an item (or withdraw it)")
    if isinstance(original, TimelineEntry):
        return TimelineEntry.model_validate(
            {
                "time": repair.time if repair.time else original.time,
                "kind": original.kind,
                "description": repair.text,
                "plain": repair.plain,
                "evidence": repair.evidence,
            },
            context=context,
        )
    if isinstance(original, ActionItem):
        return ActionItem.model_validate(
            {
                "description": repair.text,
                "owner": repair.owner,
                "plain": repair.plain,
                "evidence": repair.evidence,
            },
            context=context,
        )
    if isinstance(original, Statement):
        return Statement.model_validate(
            {"text": repair.text, "plain": repair.plain, "evidence": repair.evidence},
            context=context,
        )
    return SummarySentence.model_validate(
        {"text": repair.text, "evidence": repair.evidence}, context=context
    )


def correction_errors(problem: Problem, repair: ItemRepair, transcript: Transcript) -> list[str]:
    """Why a correction is not a valid item (no citation, a time no cited message states...)."""
    try:
        corrected_item(problem, repair, transcript)
    except ValidationError as exc:
        return validation_messages(exc)
    except ValueError as exc:
        return [str(exc)]
    return []


# ---------------------------------------------------------------------------------------------
# Applying it
# ---------------------------------------------------------------------------------------------


class RepairRecord(BaseModel):
    """What happened to one item that failed the fact check."""

    item: str = Field(description="Where it was in the extracted report, e.g. 'timeline[2]'.")
    original: str = Field(description="The item's text as extracted.")
    reasons: list[str] = Field(description="Why the fact check failed it.")
    action: Literal["corrected", "withdrawn", "not repaired"]
    corrected: str | None = Field(default=None, description="The corrected text, if corrected.")
    explanation: str | None = Field(default=None, description="The model's reason.")
    outcome: Literal["kept", "dropped"] = Field(
        description="kept: the corrected item passed the fact check; dropped: left out of the "
        "draft (withdrawn, or still failing)."
    )


def _text(item: Item) -> str:
    if isinstance(item, TimelineEntry):
        return f"{item.time}: {item.description}"
    if isinstance(item, ActionItem):
        return item.description
    return item.text


def apply_repairs(
    report: IncidentReport, problems: list[Problem], answer: RepairAnswer, transcript: Transcript
) -> tuple[IncidentReport, dict[str, tuple[Problem, ItemRepair]], dict[str, ItemPath]]:
    """The report with corrections in place and withdrawn items removed.

    Returns the repaired report, each problem with its repair by original path, and for each
    corrected item its path in the repaired report.
    """
    by_key = {p.key: p for p in problems}
    decided = {r.item: (by_key[r.item], r) for r in answer.repairs if r.item in by_key}
    replaced: dict[str, Item] = {}
    withdrawn: set[str] = set()
    for key, (problem, repair) in decided.items():
        if repair.action == "withdraw":
            withdrawn.add(key)
        else:
            replaced[key] = corrected_item(problem, repair, transcript)

    new_paths: dict[str, ItemPath] = {}

    def rebuild(field: str, items: list[Any]) -> list[Any]:
        kept: list[Any] = []
        for index, item in enumerate(items):
            key = f"{field}[{index}]"
            if key in withdrawn:
                continue
            if key in replaced:
                new_paths[key] = ItemPath(field, len(kept))
                kept.append(replaced[key])
            else:
                kept.append(item)
        return kept

    update: dict[str, Any] = {name: rebuild(name, getattr(report, name)) for name in _LISTS}
    summary = {
        side: rebuild(f"summary.{side}", getattr(report.summary, side))
        for side in ("technical", "plain")
    }
    update["summary"] = report.summary.model_copy(update=summary)
    for name in ("detection", "root_cause", "resolution"):
        if name in withdrawn:
            update[name] = None
        elif name in replaced:
            update[name] = replaced[name]
            new_paths[name] = ItemPath(name)
    return report.model_copy(update=update), decided, new_paths


def records(
    problems: list[Problem],
    decided: dict[str, tuple[Problem, ItemRepair]],
    kept: set[str],
) -> list[RepairRecord]:
    """One record per failed item: corrected and kept, corrected but still failing, withdrawn,
    or not repaired (the repair call failed or skipped it)."""
    found = []
    for problem in problems:
        reasons = [v.reason for v in problem.verdicts]
        pair = decided.get(problem.key)
        if pair is None:
            found.append(
                RepairRecord(
                    item=problem.key,
                    original=_text(problem.item),
                    reasons=reasons,
                    action="not repaired",
                    outcome="dropped",
                )
            )
            continue
        _, repair = pair
        corrected = repair.action == "correct"
        found.append(
            RepairRecord(
                item=problem.key,
                original=_text(problem.item),
                reasons=reasons,
                action="corrected" if corrected else "withdrawn",
                corrected=repair.text if corrected else None,
                explanation=repair.reason,
                outcome="kept" if corrected and problem.key in kept else "dropped",
            )
        )
    return found
