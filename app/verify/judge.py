"""The LLM judge: claims the hard checks did not settle, decided in one batched call.

`ClaimJudge` (in `judge_models`) is the seam the checker calls. `LLMClaimJudge` implements it: it
renders the judge prompt (`judge_prompt`) with each claim's cited messages, their neighbours and
the best retrieved matches, and asks the model once through `JudgeModelCall` (`judge_call`), the
only code of the checker that talks to an LLM.
"""

from __future__ import annotations

from collections.abc import Sequence

from openai import AsyncOpenAI

from app.llm.retry import RetryPolicy
from app.models import Transcript
from app.verify.judge_call import JudgeModelCall
from app.verify.judge_models import (
    ClaimJudge,
    JudgeAnswer,
    JudgeRequest,
    JudgeStatus,
    JudgeVerdict,
    strict_schema,
)
from app.verify.judge_prompt import judge_messages

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
        client: AsyncOpenAI,
        model: str,
        *,
        temperature: float = 0.0,
        retry: RetryPolicy | None = None,
        time_budget: float = 60.0,
        timeout: float = 60.0,
    ) -> None:
        self.model = model
        self._call = JudgeModelCall(
            client,
            model,
            temperature=temperature,
            retry=retry,
            time_budget=time_budget,
            timeout=timeout,
        )

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
