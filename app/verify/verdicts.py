"""What the checker answers: one verdict per claim, and the tally.

Four statuses:
- `supported`: the checks confirmed it (every hard fact matched and its words are the chat's, or
  the LLM judge confirmed it citing messages);
- `unconfirmed`: nothing contradicts it, but the rules could not confirm it (a paraphrase, a soft
  signal such as "all" or a plan, no judge to ask). It ships, and is reported as such;
- `unsupported`: a hard fact of it is not in the chat (an invented figure, name or time, a
  placeholder, a citation of a message that does not exist), or the judge found no support;
- `contradicted`: the chat states something else, and the verdict names the message.
The last two are *failed*: the pipeline leaves them out of a draft (or marks them).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ClaimStatus = Literal["supported", "unconfirmed", "unsupported", "contradicted"]
FAILED_STATUSES: frozenset[str] = frozenset({"unsupported", "contradicted"})
SHIPPED_STATUSES: frozenset[str] = frozenset({"supported", "unconfirmed"})


class ClaimVerdict(BaseModel):
    """The verdict on one claim, with the messages and the reasoning behind it."""

    text: str
    status: ClaimStatus
    evidence: list[int] = Field(description="Ids of the messages the verdict rests on.")
    reason: str = Field(description="Why, in one line a reviewer can act on.")
    checks: list[str] = Field(
        description="The checks that applied, as 'name:outcome' (e.g. 'times:contradicted'; "
        "'flag' marks a soft signal)."
    )
    judged_by: Literal["rules", "llm"]
    line: int | None = Field(default=None, description="1-based line in the draft, if any.")
    item: str | None = Field(
        default=None,
        description="For verify_report: where the claim lives in the report, e.g. 'timeline[2]' "
        "or 'impact[0].plain'.",
    )

    @property
    def failed(self) -> bool:
        """True for unsupported or contradicted: the claim is left out of a draft."""
        return self.status in FAILED_STATUSES


class VerificationReport(BaseModel):
    """Every claim's verdict, and how many fell in each status."""

    claims: list[ClaimVerdict]
    supported: int
    unconfirmed: int = 0
    unsupported: int
    contradicted: int

    @classmethod
    def of(cls, verdicts: list[ClaimVerdict]) -> VerificationReport:
        """Tally a list of verdicts."""
        return cls(
            claims=verdicts,
            supported=sum(v.status == "supported" for v in verdicts),
            unconfirmed=sum(v.status == "unconfirmed" for v in verdicts),
            unsupported=sum(v.status == "unsupported" for v in verdicts),
            contradicted=sum(v.status == "contradicted" for v in verdicts),
        )

    @property
    def failed(self) -> list[ClaimVerdict]:
        """Verdicts that fail: unsupported or contradicted (left out of a draft)."""
        return [v for v in self.claims if v.failed]

    @property
    def flagged(self) -> list[ClaimVerdict]:
        """Verdicts a reviewer must look at: everything not confirmed (unconfirmed included)."""
        return [v for v in self.claims if v.status != "supported"]
