"""What makes a timeline row a key event, each rule on sentences and small chats written for it:
the chat tool's own notices and talk about the team's own work are not events."""

from __future__ import annotations

import pytest

from app.engines.extractive import extract_report
from app.engines.extractive.chat import Chat
from app.engines.extractive.events import part_of_a_quote
from app.engines.extractive.timeline import chatter, observed
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


def test_a_step_that_quotes_a_pasted_text_gets_no_row() -> None:
    # a spot check quoting a customer's address is evidence, not a step (and no place for it)
    result = report(
        [
            ("10:00", "lena", "labels print with cut-off street names, order 5512 for example"),
            ("10:20", "piet", "the migration shortened street to 40 chars, restoring from backup"),
            ("11:40", "piet", "restore done, street column back to 120 chars"),
            ("11:45", "lena", 'checked: order 5512 shows "Lindenweg 12, Hinterhaus, 2. OG" ✅'),
        ]
    )
    described = " | ".join(e.description for e in result.timeline)
    assert "restore done" in described.lower()
    assert "Lindenweg" not in described


def test_a_standing_schedule_a_guess_or_the_time_of_a_message_is_no_event() -> None:
    result = report(
        [
            ("04:10", "mon-bot", "[FIRING] ExportLag high on ledger-export"),
            ("04:14", "ada", "the compactor runs at 03:00 every night, it holds the table lock"),
            ("04:16", "ada", "pretty sure the archiver does the same thing at 02:30"),
            ("04:20", "ivo", "correction to what I said at 04:12, the lock is the vacuum's"),
            ("04:25", "ivo", "the export started at 03:05 and has been waiting on the lock since"),
            ("04:30", "ivo", "cancelled the vacuum, export moving again"),
        ]
    )
    times = {e.time[:5] for e in result.timeline}
    assert "03:05" in times
    assert not times & {"03:00", "02:30", "04:12"}


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("grouped the failures by region: all of them are eu-west", True),
        ("the replica is 40 minutes behind the primary", True),
        ("I want to restart the primary and bounce the web tier", False),
        ("or pin the old image, but then the new flag is gone", False),
        ("last time it ran twice we double-billed", False),
        ("https://git.example.org/ledger/pull/88", False),
        ("writing down the skipped offsets so we can replay them later", False),
    ],
)
def test_a_finding_is_something_seen(text: str, seen: bool) -> None:
    message = Message(id=1, time="10:00", author="ada", text=text, line_start=1, line_end=1)
    chat = Chat.of(Transcript(format="test", messages=[message]))
    assert observed(chat.sentences(message)[0]) is seen


def test_a_label_that_names_the_cause_or_a_window_named_for_someone_is_no_mitigation() -> None:
    result = report(
        [
            ("01:00", "mon-bot", "[FIRING] ApiLatencyHigh on wp-api"),
            ("01:10", "ana", "first timeout 00:51. during kim's restart window."),
            ("01:20", "ana", "cause: shared storage was throttled by the image resize job"),
            ("01:25", "kim", "paused the image resize job, latency dropping"),
        ]
    )
    mitigations = [e.description.lower() for e in result.timeline if e.kind == "mitigation"]
    assert any("paused" in d for d in mitigations)
    assert not any("restart window" in d or d.startswith("cause") for d in mitigations)


def test_an_alert_firing_again_is_an_event_of_its_own() -> None:
    alert = "[FIRING:1] PodCrashLooping deployment=ledger-consumer, {n}/6 pods restarted"
    result = report(
        [
            ("20:00", "alertmanager", alert.format(n=6)),
            ("20:05", "ana", "the consumer panics on an empty amount field"),
            ("20:10", "ana", "skipped the bad offset, consumer restarted"),
            ("20:12", "ana", "pods up, consuming again"),
            ("20:14", "ana", "lag back to normal on p0"),
            ("20:16", "kim", "posted an update in #status"),
            ("20:20", "ana", "merged the guard for empty amounts"),
            ("20:31", "alertmanager", alert.format(n=4)),
        ]
    )
    assert "20:31" in {e.time[:5] for e in result.timeline}


def test_the_incident_tool_raising_the_priority_is_a_row() -> None:
    rows = [
        ("09:00", "alertmanager", "[FIRING] checkout error rate 31%"),
        ("09:04", "ana", "looking"),
        ("09:06", "dana", "Priority changed from P3 to P1 by Dana Whitfield."),
        ("09:20", "ben", "rolled back the 8:50 deploy, errors back to normal"),
    ]
    rows_at = {(e.time, e.kind) for e in report(rows).timeline}
    assert any(t.endswith("09:06") for t, _ in rows_at), rows_at
