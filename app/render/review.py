"""What verification did to a report, as the renderer needs it: counts by status, and which
sections lost items or kept them marked.

The pipeline builds a `Review` from the extracted report, the report it ships and the verdicts,
and passes it to the renderer explicitly. The renderer never guesses from an empty section: a
section that is empty because its content failed the check is marked as such (or left out), and
a section that is empty because the extraction found nothing is never described as a fact about
the chat.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.models import IncidentReport, Statement

# A kept failed claim starts with this (see `keep_unverified`).
UNVERIFIED_MARK = "(unverified)"

# Report sections in reading order, and the words the draft uses for their items.
SECTIONS: dict[str, tuple[str, str]] = {
    "summary.technical": ("technical summary sentence", "technical summary sentences"),
    "summary.plain": ("plain-language summary sentence", "plain-language summary sentences"),
    "impact": ("impact statement", "impact statements"),
    "detection": ("detection statement", "detection statements"),
    "timeline": ("timeline entry", "timeline entries"),
    "root_cause": ("root cause", "root causes"),
    "contributing_factors": ("contributing factor", "contributing factors"),
    "resolution": ("resolution statement", "resolution statements"),
    "action_items": ("action item", "action items"),
}

# Statuses in the order the draft reports them; any other status the checker adds follows.
STATUS_ORDER = ("supported", "unconfirmed", "unsupported", "contradicted")


def _texts(report: IncidentReport) -> dict[str, list[str]]:
    """Each section's item texts (what a mark would change)."""

    def one(value: Statement | None) -> list[str]:
        return [] if value is None else [value.text]

    return {
        "summary.technical": [s.text for s in report.summary.technical],
        "summary.plain": [s.text for s in report.summary.plain],
        "impact": [s.text for s in report.impact],
        "detection": one(report.detection),
        "timeline": [e.description for e in report.timeline],
        "root_cause": one(report.root_cause),
        "contributing_factors": [s.text for s in report.contributing_factors],
        "resolution": one(report.resolution),
        "action_items": [a.description for a in report.action_items],
    }


@dataclass(frozen=True)
class Review:
    """The outcome of verification, per status and per section."""

    status_counts: dict[str, int] = field(default_factory=dict)
    withheld: dict[str, int] = field(default_factory=dict)  # section -> items left out
    marked: dict[str, int] = field(default_factory=dict)  # section -> items kept, marked
    extracted: dict[str, int] = field(default_factory=dict)  # section -> items extracted
    keep_unverified: bool = False
    redactions: int = 0

    @property
    def checked(self) -> int:
        """How many claims were checked."""
        return sum(self.status_counts.values())

    @property
    def withheld_total(self) -> int:
        return sum(self.withheld.values())

    @property
    def marked_total(self) -> int:
        return sum(self.marked.values())

    def lost(self, section: str) -> int:
        """Items of `section` left out because they failed the check."""
        return self.withheld.get(section, 0)

    def all_lost(self, section: str) -> bool:
        """Every item the extraction had in `section` failed the check and was left out."""
        lost = self.lost(section)
        return lost > 0 and lost >= self.extracted.get(section, lost)

    def status_line(self) -> str:
        """'31 claims were checked against the transcript: 28 supported, 1 unconfirmed, ...'"""
        names = list(STATUS_ORDER) + sorted(set(self.status_counts) - set(STATUS_ORDER))
        parts = ", ".join(f"{self.status_counts.get(name, 0)} {name}" for name in names)
        noun = "claim was" if self.checked == 1 else "claims were"
        return f"{self.checked} {noun} checked against the transcript: {parts}."


def count_items(section: str, count: int) -> str:
    """'1 timeline entry', '3 action items', 'the root cause'."""
    singular, plural = SECTIONS[section]
    if section in ("detection", "root_cause", "resolution") and count == 1:
        return f"the {singular}"
    return f"{count} {singular if count == 1 else plural}"


def review_of(
    extracted: IncidentReport,
    shipped: IncidentReport,
    statuses: Iterable[str],
    *,
    keep_unverified: bool = False,
    redactions: int = 0,
) -> Review:
    """Compare the extracted report with the one verification let through.

    `statuses` are the verdicts' statuses (any names: counted as given). An item is withheld
    when it is missing from the shipped report and marked when its text gained the
    "(unverified)" mark; both are read from the reports themselves, so the renderer needs no
    knowledge of which statuses ship.
    """
    before, after = _texts(extracted), _texts(shipped)
    withheld: dict[str, int] = {}
    marked: dict[str, int] = {}
    for section in SECTIONS:
        lost = len(before[section]) - len(after[section])
        if lost > 0:
            withheld[section] = lost
        new_marks = sum(t.startswith(UNVERIFIED_MARK) for t in after[section]) - sum(
            t.startswith(UNVERIFIED_MARK) for t in before[section]
        )
        if new_marks > 0:
            marked[section] = new_marks
    counts = Counter(str(s) for s in statuses)
    ordered = {name: counts[name] for name in STATUS_ORDER if counts[name]}
    ordered.update({name: n for name, n in sorted(counts.items()) if name not in ordered})
    return Review(
        status_counts=ordered,
        withheld=withheld,
        marked=marked,
        extracted={section: len(items) for section, items in before.items()},
        keep_unverified=keep_unverified,
        redactions=redactions,
    )
