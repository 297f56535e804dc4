"""What makes a timeline row a key event, each rule on sentences and small chats written for it:
the chat tool's own notices and talk about the team's own work are not events."""

from __future__ import annotations

import pytest

from app.engines.extractive import extract_report
from app.engines.extractive.events import part_of_a_quote
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


def test_words_drafted_for_a_message_are_no_event() -> None:
    assert chatter("Say 'uploads are back, we keep watching'.")
    result = report(
        [
            ("08:00", "mon-bot", "[FIRING] UploadErrors high on media-api"),
            ("08:04", "kai", "the new bucket policy denies PutObject, reverting the policy now"),
            ("08:09", "kai", "policy reverted, uploads succeed again"),
            ("08:11", "eda", "'uploads are back to normal, we keep watching'"),
            ("08:12", "eda", "say 'uploads recovered, apologies for the trouble'"),
        ]
    )
    described = " | ".join(e.description.lower() for e in result.timeline)
    assert "succeed again" in described
    assert "keep watching" not in described and "apologies" not in described


def test_a_recovery_planned_is_no_recovery() -> None:
    result = report(
        [
            ("21:00", "mon-bot", "[FIRING] SyncLag high on crm-sync"),
            ("21:05", "noa", "paused the crm-sync workers, the vendor api is rejecting writes"),
            ("21:30", "noa", "vendor fixed it, resumed the workers, lag is dropping"),
            ("21:35", "noa", "lag back to zero, sync healthy again"),
            ("21:40", "noa", "i'll set the batch size back to normal tomorrow morning"),
        ]
    )
    recoveries = [e.description for e in result.timeline if e.kind == "recovery"]
    assert recoveries and not any("tomorrow" in d for d in recoveries)


def test_a_question_that_names_alerts_is_no_detection() -> None:
    result = report(
        [
            ("09:00", "ben", "anything in the alerts?"),
            ("09:20", "mon-bot", "[FIRING] CheckoutErrors 5xx at 30% on checkout-api"),
            ("09:25", "ben", "rolled back checkout-api to 8.1.2, errors dropping"),
        ]
    )
    assert result.detection is not None
    assert "anything" not in result.detection.text.lower()


def test_one_row_per_kind_and_minute() -> None:
    result = report(
        [
            ("14:00", "mon-bot", "[FIRING] FeedErrors high on feed-api"),
            ("14:05", "ivo", "rolling back feed-api to 3.3.0"),
            ("14:20", "ivo", "error ratio under 1% for ten minutes, calling it recovered"),
            ("14:20", "ada", "recovered 14:20, impact window 14:00-14:20"),
        ]
    )
    at = [e.kind for e in result.timeline if e.time[:5] == "14:20"]
    assert at.count("recovery") <= 1


@pytest.mark.parametrize(
    ("sentence", "quoted"),
    [
        ("'some users can't log in, we're investigating'", True),
        ("yes, 'exports are delayed, fix in progress'.", True),
        ("it's the 'fallback' pool that's empty", False),
        ("the 'latest' tag moved to v3", False),
    ],
)
def test_a_sentence_that_is_one_single_quote_is_drafted_words(sentence: str, quoted: bool) -> None:
    assert part_of_a_quote(sentence) is quoted
