"""The LLM judge: claims the hard checks did not settle, decided in one batched call.

`ClaimJudge` (in `judge_models`) is the seam the checker calls. `LLMClaimJudge` implements it: it
renders the judge prompt (`judge_prompt`) with each claim's cited messages, their neighbours and
the best retrieved matches, and asks the model once through `JudgeModelCall` (`judge_call`), the
only code of the checker that talks to an LLM, which goes through the shared structured-call
seam in `app.llm.structured`. The service builds it on the registry's judge endpoint (PM_JUDGE_*
or the LLM's), within the request's deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.llm.chat import OpenAIChatModel
from app.llm.endpoint import Endpoint, public_endpoint
from app.llm.retry import Deadline, RetryPolicy
from app.models import Transcript
from app.verify.judge_call import MAX_ATTEMPTS, JudgeModelCall
from app.verify.judge_models import (
    ClaimJudge,
    JudgeAnswer,
    JudgeRequest,
    JudgeStatus,
    JudgeVerdict,
    strict_schema,
)
from app.verify.judge_prompt import judge_messages

if TYPE_CHECKING:  # the SDK is imported only when an LLM is used
    from openai import AsyncOpenAI


__all__ = [
    "ClaimJudge",
    "JudgeAnswer",
    "JudgeRequest",
    "JudgeStatus",
    "JudgeVerdict",
    "LLMClaimJudge",
    "strict_schema",
]


class LLMClaimJudge:
    """`ClaimJudge` over an OpenAI-compatible chat completions endpoint."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        deadline: Deadline | None = None,
        time_budget: float = 60.0,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        """A judge on `endpoint`, within the request's `deadline` or a `time_budget` of its own."""
        self.model = endpoint.model
        self._call = JudgeModelCall(
            endpoint, deadline=deadline, time_budget=time_budget, max_attempts=max_attempts
        )

    @classmethod
    def over(
        cls,
        client: AsyncOpenAI,
        model: str,
        *,
        temperature: float = 0.0,
        retry: RetryPolicy | None = None,
        time_budget: float = 60.0,
        timeout: float = 60.0,
    ) -> LLMClaimJudge:
        """A judge over a bare SDK client (tests and tools; the service uses the registry's
        endpoint, with every PM_LLM_* / PM_JUDGE_* setting)."""
        endpoint = Endpoint(
            chat=OpenAIChatModel(client),
            model=model,
            name=public_endpoint(str(client.base_url)),
            timeout=timeout,
            temperature=temperature,
            role="LLM judge",
            retry=retry or RetryPolicy(),
        )
        return cls(endpoint, time_budget=time_budget)

    @property
    def calls(self) -> int:
        """Requests sent to the endpoint so far (retries and re-asks included)."""
        return self._call.calls

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens spent so far."""
        return self._call.prompt_tokens

    @property
    def completion_tokens(self) -> int:
        """Completion tokens spent so far."""
        return self._call.completion_tokens

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        """Ask once for all claims (re-asked once if the answer does not validate)."""
        if not claims:
            return []
        answer = await self._call(judge_messages(claims, transcript))
        wanted = {c.index for c in claims}
        return [v for v in answer.verdicts if v.index in wanted]
