"""What the judge is asked and what it answers, and the seam the checker calls (`ClaimJudge`).

`JudgeAnswer`'s strict JSON Schema is exported to `schemas/claim_verdicts.schema.json` and sent
with every judge request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from app.models import Transcript

JudgeStatus = Literal["supported", "unsupported", "contradicted"]


class JudgeRequest(BaseModel):
    """One claim for the judge, with the messages it is shown."""

    index: int
    claim: str
    cited: list[int] = Field(default_factory=list, description="Ids the claim cites.")
    context: list[int] = Field(
        default_factory=list,
        description="Ids shown for it: every cited message, their neighbours, the best matches.",
    )


class JudgeVerdict(BaseModel):
    """The judge's answer for one claim."""

    model_config = ConfigDict(extra="forbid")

    index: int = Field(description="The claim's index as given in the request.")
    status: JudgeStatus
    evidence: list[int] = Field(description="Ids of the messages that support or contradict it.")
    reason: str = Field(description="One sentence: why.")


class JudgeAnswer(BaseModel):
    """The whole structured answer: one verdict per claim."""

    model_config = ConfigDict(extra="forbid")

    verdicts: list[JudgeVerdict]


class ClaimJudge(Protocol):
    """Decides claims the deterministic checks could not."""

    async def judge(
        self, claims: Sequence[JudgeRequest], transcript: Transcript
    ) -> list[JudgeVerdict]:
        """One verdict per claim (claims left out keep the rules' verdict)."""
        ...


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema in the form OpenAI's strict mode accepts."""
    schema = model.model_json_schema()

    def tighten(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("title", None)
            if node.get("type") == "object":
                node["additionalProperties"] = False
                node["required"] = list(node.get("properties", {}))
            for value in node.values():
                tighten(value)
        elif isinstance(node, list):
            for value in node:
                tighten(value)

    tighten(schema)
    return schema
