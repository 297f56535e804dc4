"""The llm engine's verification: judge, repair once, verify the corrections again.

1. The checker verifies the extracted report; claims its rules cannot settle go to the judge in
   one batched call (`PM_JUDGE_MODEL`, or the extraction model).
2. Items that failed a hard check or the judge go back to the extraction model once
   (`app.llm.repair`), each with the checker's reason and the messages involved; the model
   corrects or withdraws each one.
3. The repaired report is verified again. Items nothing changed keep their verdicts (the rules
   are deterministic and the judge's first verdicts are replayed, so no claim is judged twice);
   only corrected items can cost a second judge call. A corrected item that still fails is
   dropped, like a withdrawn one, and every failed item is listed in `repairs`.

Everything runs inside the request's one deadline. A judge or repair call that fails costs the
user nothing but the repair: the rules' verdicts (or the first pass) stand, a warning says why,
and nothing from the failed call is cached.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.errors import UpstreamError
from app.llm.repair import (
    REPAIR_SCHEMA_NAME,
    ItemPath,
    Problem,
    RepairAnswer,
    RepairRecord,
    apply_repairs,
    reask_messages,
    records,
    repair_cache_key,
    repair_messages,
    repair_problems,
)
from app.llm.retry import Deadline
from app.llm.structured import ResponseSpec, ask_structured
from app.models import IncidentReport, Transcript, Usage
from app.schemas import load_repair_response_schema, repair_schema_version
from app.verify import (
    ClaimJudge,
    JudgeRequest,
    JudgeVerdict,
    VerificationReport,
    verify_report,
    verify_report_with_judge,
)

if TYPE_CHECKING:
    from app.engines.registry import EngineRegistry

logger = logging.getLogger("postmortem.llm")

# No repair is started with less time than this left of the budget.
MIN_REPAIR_SECONDS = 1.0


@dataclass
class ReviewOutcome:
    """The checked report, every verdict, what the LLM calls cost, and each repair."""

    report: IncidentReport
    verification: VerificationReport
    usage: Usage = field(default_factory=Usage)
    repairs: list[RepairRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ReplayingJudge:
    """A `ClaimJudge` that answers claims it has judged before from memory, sends the rest to
    `inner` (if any) in one batch, and remembers every verdict by claim text."""

    def __init__(
        self, inner: ClaimJudge | None, known: dict[str, JudgeVerdict] | None = None
    ) -> None:
        self.inner = inner
        self.known: dict[str, JudgeVerdict] = dict(known or {})

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        answers = [
            self.known[c.claim].model_copy(update={"index": c.index})
            for c in claims
            if c.claim in self.known
        ]
        ask = [c for c in claims if c.claim not in self.known]
        if ask and self.inner is not None:
            text = {c.index: c.claim for c in ask}
            for verdict in await self.inner.judge(ask, transcript):
                if verdict.index in text:
                    self.known[text[verdict.index]] = verdict
                    answers.append(verdict)
        return answers


def _add(usage: Usage, calls: int, prompt: int, completion: int) -> None:
    usage.llm_calls += calls
    usage.prompt_tokens += prompt
    usage.completion_tokens += completion


async def review_extraction(
    report: IncidentReport,
    transcript: Transcript,
    engines: EngineRegistry,
    *,
    deadline: Deadline,
    keep_failed: bool = False,
) -> ReviewOutcome:
    """Verify with the judge, repair what failed once, verify the corrections again."""
    usage = Usage()
    warnings: list[str] = []
    judges = engines.claim_judge(deadline)
    if judges is None:
        checked, verification = verify_report(report, transcript, keep_failed=keep_failed)
        return ReviewOutcome(checked, verification)
    cached, counter = judges
    first = ReplayingJudge(cached)
    try:
        checked, verification = await verify_report_with_judge(
            report, transcript, first, keep_failed=keep_failed
        )
    except UpstreamError as exc:
        _add(usage, counter.calls, counter.prompt_tokens, counter.completion_tokens)
        warnings.append(
            f"the LLM judge was unavailable ({exc.detail}); claims the rules could not settle "
            "were treated as unverified, and nothing was sent for repair"
        )
        checked, verification = verify_report(report, transcript, keep_failed=keep_failed)
        return ReviewOutcome(checked, verification, usage, [], warnings)
    _add(usage, counter.calls, counter.prompt_tokens, counter.completion_tokens)
    problems = repair_problems(report, verification)
    if not problems:
        return ReviewOutcome(checked, verification, usage, [], warnings)

    answer = await _repair(problems, transcript, engines, deadline, usage, warnings)
    if answer is None:
        return ReviewOutcome(checked, verification, usage, records(problems, {}, set()), warnings)
    repaired, decided, new_paths = apply_repairs(report, problems, answer, transcript)
    final, final_verification = await _verify_again(
        repaired, transcript, engines, first, deadline, usage, warnings, keep_failed
    )
    failing = {
        str(path)
        for verdict in final_verification.claims
        if verdict.status in ("unsupported", "contradicted")
        and (path := ItemPath.parse(verdict.item)) is not None
    }
    kept = {key for key, path in new_paths.items() if str(path) not in failing}
    return ReviewOutcome(
        final, final_verification, usage, records(problems, decided, kept), warnings
    )


async def _repair(
    problems: list[Problem],
    transcript: Transcript,
    engines: EngineRegistry,
    deadline: Deadline,
    usage: Usage,
    warnings: list[str],
) -> RepairAnswer | None:
    """One repair call (or a cached answer to the same question); None when it failed."""
    endpoint = engines.llm_endpoint()
    key = repair_cache_key(problems, transcript, endpoint.model, repair_schema_version())
    cached = engines.repair_cache.get(key)
    if isinstance(cached, RepairAnswer):
        return cached.model_copy(deep=True)
    if deadline.remaining() < MIN_REPAIR_SECONDS:
        warnings.append(
            f"no time was left of PM_LLM_TIME_BUDGET to repair the {len(problems)} item(s) "
            "that failed the fact check; they were left out"
        )
        return None
    schema = load_repair_response_schema()
    json_object = endpoint.response_format == "json_object"
    spec = ResponseSpec(
        model=RepairAnswer,
        schema_name=REPAIR_SCHEMA_NAME,
        schema=schema,
        task="repair the report's failed items",
        context={"transcript": transcript, "problems": problems},
        reask=lambda text, errors: reask_messages(text, errors, problems, transcript),
        max_attempts=engines.settings.llm_max_attempts,
    )
    messages = repair_messages(problems, transcript, schema=schema if json_object else None)
    try:
        answer = await ask_structured(endpoint, messages, spec, deadline=deadline)
    except UpstreamError as exc:
        spent = exc.extra.get("usage")
        if isinstance(spent, dict):
            _add(
                usage,
                int(spent.get("llm_calls", 0)),
                int(spent.get("prompt_tokens", 0)),
                int(spent.get("completion_tokens", 0)),
            )
        warnings.append(
            f"the repair call failed ({exc.detail}); the {len(problems)} item(s) that failed "
            "the fact check were left out"
        )
        return None
    _add(
        usage,
        answer.usage.llm_calls,
        answer.usage.prompt_tokens,
        answer.usage.completion_tokens,
    )
    engines.repair_cache.put(key, answer.value.model_copy(deep=True))
    return answer.value


async def _verify_again(
    repaired: IncidentReport,
    transcript: Transcript,
    engines: EngineRegistry,
    first: ReplayingJudge,
    deadline: Deadline,
    usage: Usage,
    warnings: list[str],
    keep_failed: bool,
) -> tuple[IncidentReport, VerificationReport]:
    """The repaired report verified; only corrected claims the rules cannot settle are judged."""
    judges = engines.claim_judge(deadline)
    inner = judges[0] if judges is not None and deadline.remaining() > 0 else None
    second = ReplayingJudge(inner, first.known)
    try:
        return await verify_report_with_judge(repaired, transcript, second, keep_failed=keep_failed)
    except UpstreamError as exc:
        warnings.append(
            f"the LLM judge was unavailable for the corrected items ({exc.detail}); the rules "
            "alone decided them"
        )
        return await verify_report_with_judge(
            repaired, transcript, ReplayingJudge(None, first.known), keep_failed=keep_failed
        )
    finally:
        if judges is not None:
            counter = judges[1]
            _add(usage, counter.calls, counter.prompt_tokens, counter.completion_tokens)
