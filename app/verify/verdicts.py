"""What the checker answers: one verdict per claim, and the tally."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ClaimStatus = Literal["supported", "unsupported", "contradicted"]


class ClaimVerdict(BaseModel):
    """The verdict on one claim, with the messages and the reasoning behind it."""

    text: str
    status: ClaimStatus
    evidence: list[int] = Field(description="Ids of the messages the verdict rests on.")
    reason: str = Field(description="Why, in one line a reviewer can act on.")
    checks: list[str] = Field(
        description="The checks that applied, as 'name:outcome' (e.g. 'times:contradicted')."
    )
    judged_by: Literal["rules", "llm"]
    line: int | None = Field(default=None, description="1-based line in the draft, if any.")
    item: str | None = Field(
        default=None,
        description="For verify_report: where the claim lives in the report, e.g. 'timeline[2]'.",
    )


class VerificationReport(BaseModel):
    """Every claim's verdict, and how many fell in each status."""

    claims: list[ClaimVerdict]
    supported: int
    unsupported: int
    contradicted: int

    @classmethod
    def of(cls, verdicts: list[ClaimVerdict]) -> VerificationReport:
        """Tally a list of verdicts."""
        return cls(
            claims=verdicts,
            supported=sum(v.status == "supported" for v in verdicts),
            unsupported=sum(v.status == "unsupported" for v in verdicts),
            contradicted=sum(v.status == "contradicted" for v in verdicts),
        )

    @property
    def flagged(self) -> list[ClaimVerdict]:
        """Verdicts a reviewer must look at: unsupported or contradicted."""
        return [v for v in self.claims if v.status != "supported"]
