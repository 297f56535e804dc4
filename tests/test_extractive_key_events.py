"""What makes a timeline row a key event, each rule on sentences and small chats written for it:
the chat tool's own notices and talk about the team's own work are not events."""

from __future__ import annotations

import pytest

from app.engines.extractive import extract_report
from app.engines.extractive.timeline import chatter
from app.models import IncidentReport, Message, Transcript

Row = tuple[str | None, str, str]


def report(rows: list[Row]) -> IncidentReport:
    messages = [
        Message(id=n, time=time, day=0, author=author, text=text, line_start=n, line_end=n)
        for n, (time, author, text) in enumerate(rows, start=1)
    ]
    return extract_report(Transcript(format="test", messages=messages)).report


@pytest.mark.parametrize(
    "row",
    [
        "📌 Pinned message · Ola Brandt.",
        "(deleted message)",
        "Notified Ines Park via SMS.",
        "Follow-up created by Ines Park. Add a canary stage for the edge config.",
        "Approved, thanks!",
        "No blame, the review missed it as well.",
        "Adding that to my todo.",
    ],
)
def test_notices_and_work_talk_are_no_key_event(row: str) -> None:
    assert chatter(row)


@pytest.mark.parametrize(
    "row",
    [
        "📌 Pinned message · Ola Brandt. Edge config v88 went out at 10:02 to every POP.",
        "Note added by Ines Park. Replica lag 0, nothing in the slow log. Not the database.",
        "Approved, rolled out 2.4.1 to all pods.",
        "Rollback done, errors back to baseline.",
        "We pinned the image digest in the deployment.",
    ],
)
def test_rows_that_report_something_are_kept(row: str) -> None:
    assert not chatter(row)


def test_an_approval_between_the_steps_gets_no_row() -> None:
    result = report(
        [
            ("10:00", "pagerbot", "[FIRING] ImportErrors high on ledger-import"),
            ("10:03", "ines", "looking, the 2.4.0 parser rejects the new bank format"),
            ("10:06", "ines", "reverted ledger-import to 2.3.9, redeploying"),
            ("10:07", "ola", "approved, thanks ines"),
            ("10:09", "ola", "📌 Pinned message · Ola Brandt."),
            ("10:12", "ines", "revert done, imports succeed again, error rate back to 0"),
        ]
    )
    described = " | ".join(e.description.lower() for e in result.timeline)
    assert "revert" in described
    assert "approved" not in described and "pinned" not in described
