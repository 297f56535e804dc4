"""The llm engine's repair pass, between the judge and the final verification.

1. The checker verifies the extracted report; claims its rules cannot settle went to the judge.
2. Items that failed a hard check or the judge go back to the extraction model once
   (`ask_repair`, on the seam), each with the checker's reason and the messages involved; the
   model corrects or withdraws each one.
3. `plan_repair` writes the corrections into the report and sorts the repaired report's
   unsettled claims into those the judge already answered (their verdicts are replayed, so no
   claim is judged twice) and the corrected ones it must still be asked about.
4. The final verification checks the repaired report; a corrected item that still fails is
   dropped like a withdrawn one, and `RepairOutcome.records` lists what became of every failed
   item.

The CPU parts (`plan_repair`, the records) are plain functions over picklable values, run as
pipeline steps; only `ask_repair` talks to the LLM. Everything runs inside the request's one
deadline; a repair call that fails or finds every LLM slot busy costs the user nothing but the
repair (the failing items are left out, a warning says why) and nothing of it is cached.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from app.errors import PostmortemError
from app.llm.prompt import prompt_over
from app.llm.repair import (
    REPAIR_SCHEMA_NAME,
    ItemPath,
    ItemRepair,
    Problem,
    RepairAnswer,
    RepairRecord,
    apply_repairs,
    excerpt_around,
    reask_messages,
    records,
    repair_cache_key,
    repair_messages,
)
from app.llm.retry import Deadline
from app.llm.structured import ResponseSpec, ask_structured
from app.models import IncidentReport, Transcript, Usage
from app.schemas import load_repair_response_schema, repair_schema_version
from app.verify import JudgeRequest, JudgeVerdict, VerificationReport
from app.workers import INLINE, Deferred, StepRunner, opened

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

    from app.engines.registry import EngineRegistry

# No repair is started with less time than this left of the budget.
MIN_REPAIR_SECONDS = 1.0
FAILED = ("unsupported", "contradicted")


class RepairOutcome(BaseModel):
    """What the repair pass did: the failed items, the model's decisions, the repaired report."""

    problems: list[Problem]
    decided: dict[str, ItemRepair] = Field(default_factory=dict)
    new_paths: dict[str, str] = Field(
        default_factory=dict, description="Original path of each corrected item -> its path now."
    )
    repaired: IncidentReport | None = None

    def records(self, final: VerificationReport) -> list[RepairRecord]:
        """One record per failed item; a correction is kept when no final verdict on its item
        failed."""
        failing = {
            str(path)
            for verdict in final.claims
            if verdict.status in FAILED and (path := ItemPath.parse(verdict.item)) is not None
        }
        kept = {old for old, new in self.new_paths.items() if new not in failing}
        by_key = {p.key: p for p in self.problems}
        decided = {key: (by_key[key], repair) for key, repair in self.decided.items()}
        return records(self.problems, decided, kept)


class RepairPlan(BaseModel):
    """The repaired report, and what the judge must still be asked about it."""

    outcome: RepairOutcome
    ask: list[JudgeRequest] = Field(description="Corrected claims the rules cannot settle.")
    known: list[JudgeVerdict] = Field(
        description="Verdicts the judge already gave, re-indexed for the repaired report."
    )


def plan_repair(
    outcome: RepairOutcome,
    answer: RepairAnswer,
    report: IncidentReport,
    transcript: Transcript,
    asked_before: Sequence[JudgeRequest],
    judged_before: Sequence[JudgeVerdict],
    requests_for: Callable[[IncidentReport], list[JudgeRequest]],
) -> RepairPlan:
    """Apply `answer`, then split the repaired report's judge requests (`requests_for`, the
    checker's unsettled claims) into claims judged before (replayed by claim text) and claims
    to ask about."""
    repaired, decided, new_paths = apply_repairs(report, outcome.problems, answer, transcript)
    requests = requests_for(repaired)
    text_of = {request.index: request.claim for request in asked_before}
    before = {
        text_of[verdict.index]: verdict for verdict in judged_before if verdict.index in text_of
    }
    known = [
        before[r.claim].model_copy(update={"index": r.index}) for r in requests if r.claim in before
    ]
    ask = [r for r in requests if r.claim not in before]
    done = outcome.model_copy(
        update={
            "decided": {key: repair for key, (_, repair) in decided.items()},
            "new_paths": {old: str(new) for old, new in new_paths.items()},
            "repaired": repaired,
        }
    )
    return RepairPlan(outcome=done, ask=ask, known=known)


def _add(usage: Usage, spent: Usage) -> None:
    usage.llm_calls += spent.llm_calls
    usage.prompt_tokens += spent.prompt_tokens
    usage.completion_tokens += spent.completion_tokens


# From this many messages a repair answer is checked in a worker step (see app.engines.llm).
OFFLOAD_MESSAGES = 300


@dataclass(frozen=True)
class RepairRequest:
    """The repair call's messages (within the context budget) and its cache key."""

    messages: list[ChatCompletionMessageParam]
    key: str
    message_count: int


def repair_request(
    problems: list[Problem],
    transcript: Transcript | Deferred[Transcript],
    model: str,
    schema: dict[str, Any] | None,
    context_tokens: int,
    answer_tokens: int,
) -> RepairRequest | None:
    """A step: the repair request for `problems` (the schema in the prompt in json_object
    mode). A chat too long for the context is shown as the messages the problems involve and
    their neighbours; None when even that cannot fit (nothing is sent)."""
    chat = opened(transcript)
    key = repair_cache_key(problems, chat, model, repair_schema_version())
    messages = repair_messages(problems, chat, schema=schema)
    if prompt_over(messages, context_tokens - answer_tokens) is not None:
        messages = repair_messages(
            problems, chat, schema=schema, shown=excerpt_around(problems, chat)
        )
        if prompt_over(messages, context_tokens - answer_tokens) is not None:
            return None
    return RepairRequest(messages=messages, key=key, message_count=len(chat.messages))


def ask_repair_settings(engines: EngineRegistry) -> tuple[str, dict[str, Any] | None, int, int]:
    """What `repair_request` needs besides the problems and the transcript."""
    endpoint = engines.llm_endpoint()
    json_object = endpoint.response_format == "json_object"
    schema = load_repair_response_schema() if json_object else None
    settings = engines.settings
    return endpoint.model, schema, settings.llm_context_tokens, settings.llm_max_tokens


async def ask_repair(
    problems: list[Problem],
    request: RepairRequest | None,
    transcript: Transcript | Deferred[Transcript],
    engines: EngineRegistry,
    deadline: Deadline,
    *,
    steps: StepRunner = INLINE,
) -> tuple[RepairAnswer | None, Usage, str | None]:
    """One repair call (or the cached answer to the same question): the answer, its cost, and a
    warning when there is no answer. `request` is `repair_request`'s (None: it cannot fit)."""
    usage = Usage()
    endpoint = engines.llm_endpoint()
    if request is None:
        return (
            None,
            usage,
            (
                f"the repair request for the {len(problems)} item(s) that failed the fact check "
                "does not fit PM_LLM_CONTEXT_TOKENS; they were left out"
            ),
        )
    cached = engines.repair_cache.get(request.key)
    if isinstance(cached, RepairAnswer):
        return cached.model_copy(deep=True), usage, None
    if deadline.remaining() < MIN_REPAIR_SECONDS:
        return (
            None,
            usage,
            (
                f"no time was left of PM_LLM_TIME_BUDGET to repair the {len(problems)} item(s) "
                "that failed the fact check; they were left out"
            ),
        )
    count = request.message_count
    spec = ResponseSpec(
        model=RepairAnswer,
        schema_name=REPAIR_SCHEMA_NAME,
        schema=load_repair_response_schema(),
        task="repair the report's failed items",
        context={"transcript": transcript, "problems": problems},
        reask=lambda text, errors: reask_messages(text, errors, problems, count),
        max_attempts=engines.settings.llm_max_attempts,
        offload=count >= OFFLOAD_MESSAGES,
    )
    try:
        answer = await ask_structured(
            endpoint, request.messages, spec, deadline=deadline, steps=steps
        )
    except PostmortemError as exc:  # upstream failures, invalid answers, every slot busy
        spent = exc.extra.get("usage")
        if isinstance(spent, dict):
            _add(usage, Usage.model_validate(spent))
        return (
            None,
            usage,
            (
                f"the repair call failed ({exc.detail}); the {len(problems)} item(s) that failed "
                "the fact check were left out"
            ),
        )
    _add(usage, answer.usage)
    engines.repair_cache.put(request.key, answer.value.model_copy(deep=True))
    return answer.value, usage, None
