"""A claim: one factual statement of a draft, or one printed field of a report."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Claim(BaseModel):
    """One factual claim of a draft, or one item of a report."""

    text: str = Field(description="The claim, Markdown removed.")
    line: int | None = Field(default=None, description="1-based line of the draft, if any.")
    section: str | None = Field(default=None, description="Heading (and label) it sits under.")
    evidence: list[int] | None = Field(
        default=None,
        description="Message ids the claim cites (report items, citation markers); None if none.",
    )
    item: str | None = Field(
        default=None, description="Where the claim lives in an IncidentReport, e.g. 'timeline[2]'."
    )
    label: str | None = Field(
        default=None, description="The label of its line ('Participants' of 'Participants: ...')."
    )
    owner: str | None = Field(
        default=None, description="For an action item: the owner it names ('(owner: X)')."
    )
    wrapped: bool = Field(
        default=False,
        description="The claim was read out of a greeting, a courtesy phrase or a postscript "
        "('We are writing to confirm that ...', 'Thank you for your patience while ...', "
        "'PS: ...'): it ships only when confirmed.",
    )
